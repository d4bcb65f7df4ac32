"""Child processes end with their parent: a watchdog thread that exits when a given process is gone.

A parser worker (forkserver) or a web worker (uvicorn's spawn) blocks on its queue or socket and would
never notice that the process that started it was killed with SIGKILL: it lives on, and with it the
forkserver and the resource tracker that wait for it. Each child therefore watches the pid of the command
that owns it and leaves (``os._exit``) within ``interval`` seconds of its death. Polling works the same on
Linux, macOS and Windows; ``PR_SET_PDEATHSIG`` would only cover a direct parent on Linux.
"""

from __future__ import annotations

import os
import sys
import threading
import time

ENV_OWNER = "GONGBAO_OWNER_PID"


def alive(pid: int) -> bool:
    """Whether process ``pid`` exists (a zombie of ours counts as gone)."""
    if pid <= 0:
        return False
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import ctypes

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel32.OpenProcess(0x1000 | 0x00100000, False, pid)  # QUERY_LIMITED_INFORMATION | SYNCHRONIZE
        if not handle:
            return False
        try:
            return kernel32.WaitForSingleObject(handle, 0) == 0x102  # WAIT_TIMEOUT: still running
        finally:
            kernel32.CloseHandle(handle)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie (killed, not yet reaped by its own parent) is dead for our purpose
        with open(f"/proc/{pid}/stat", "rb") as fh:
            return fh.read().rsplit(b")", 1)[-1].split()[0] != b"Z"
    except OSError:
        return True


def watch(owner: int | None = None, interval: float = 0.5) -> None:
    """Exit this process when ``owner`` (default: ``$GONGBAO_OWNER_PID``, else the parent) dies."""
    if owner is None:
        env = os.environ.get(ENV_OWNER, "")
        owner = int(env) if env.isdigit() else os.getppid()
    if owner == os.getpid():
        return
    parent = os.getppid()

    def run() -> None:
        while True:
            time.sleep(interval)
            if not alive(owner) or (sys.platform != "win32" and os.getppid() != parent and parent == owner):
                os._exit(1)

    threading.Thread(target=run, name="gongbao-lifeline", daemon=True).start()
