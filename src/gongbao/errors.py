"""Errors that reach the user as one clear line and a non-zero exit, never as a traceback."""

from __future__ import annotations


class GongbaoError(Exception):
    """Base class: ``str(error)`` is a one-line message for the user (Chinese, with English)."""

    exit_code = 1


class UnusableInput(GongbaoError):
    """The input cannot be read as a gazette or a document: empty, binary, not text, not a gazette."""

    exit_code = 2


class NotFound(GongbaoError):
    """A document, issue or file that was asked for does not exist."""

    exit_code = 3


class StorageError(GongbaoError):
    """The archive's files cannot be read or written: disk full, permission denied, read-only media,
    a damaged database or index. Ours (or the machine's) to fix, not the input's."""

    exit_code = 4


def storage_message(exc: BaseException, where: object = "") -> str:
    """One line for an OS or SQLite failure, naming the cause and what to do."""
    import errno
    import sqlite3

    place = f" {where}" if where else ""
    if isinstance(exc, OSError):
        code = exc.errno
        if code in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
            return f"磁盘空间不足，写入失败{place} (disk full or file too large: {exc.strerror or exc})"
        if code in (errno.EACCES, errno.EPERM):
            return f"没有权限访问{place}（检查文件权限或换一个 --data 目录） (permission denied: {exc.filename or exc})"
        if code == errno.EROFS:
            return f"档案位于只读介质上{place}，不能写入（检索与浏览仍可使用） (read-only file system)"
        return f"读写档案失败{place} ({exc.strerror or exc})"
    if isinstance(exc, sqlite3.Error):
        text = str(exc)
        low = text.lower()
        if "full" in low:
            return f"磁盘空间不足，写入失败{place} (disk full: {text})"
        if "disk i/o" in low:
            return (f"磁盘读写失败{place}（磁盘已满、文件超出大小限制或介质故障） "
                    f"(disk I/O error: disk full, file size limit or failing media)")
        if "readonly" in low or "read-only" in low:
            return f"档案不可写（只读介质或没有写权限）{place} (read-only archive: {text})"
        if "not a database" in low or "malformed" in low or "corrupt" in low:
            return (f"档案数据库已损坏{place}，请运行 gongbao check 查看，从备份恢复 "
                    f"(the archive database is corrupt: {text})")
        if "unable to open" in low:
            return f"无法打开档案数据库{place}（检查权限） (cannot open the archive database: {text})"
        return f"档案数据库出错{place} (database error: {text})"
    return f"{type(exc).__name__}: {exc}"
