"""OCR of page images with RapidOCR on onnxruntime.

The rapidocr wheel ships its detection and recognition models, so nothing is downloaded at run time. One
engine per process, made on first use (loading the models costs ~0.3 s; a Dask worker or a forkserver
child makes its own). The angle classifier is off: gazette pages are printed upright, and skew from a
scanner is a few degrees, which detection boxes absorb; it would cost a tenth of the time for nothing.
"""

from __future__ import annotations

import os
import threading
from typing import Any

from gongbao.errors import UnusableInput
from gongbao.sources.layout import Run

DPI = 200
"""Resolution PDF pages are rendered at for OCR: gazette body text is 10.5–12 pt, which at 200 dpi gives
glyphs ~30 px high, what the recogniser is trained on; 300 dpi costs twice the time for no gain."""

_engine: Any = None
_lock = threading.Lock()


def engine() -> Any:
    """The process's RapidOCR engine (models from the wheel, quiet logging)."""
    global _engine
    with _lock:
        if _engine is None:
            try:
                from rapidocr import RapidOCR
            except ImportError as exc:  # pragma: no cover - a broken install
                raise UnusableInput(f"未安装 OCR 组件 rapidocr，无法识别扫描页 (OCR unavailable: {exc})") from None
            threads = int(os.environ.get("GONGBAO_OCR_THREADS", "0") or 0)
            # Detection runs on the page scaled to at most 960 px on its long side, recognition on crops
            # of the full-resolution page: measured on a 200 dpi A4 page, 2.5x faster than the default
            # (which scales the short side up to 736) for the same characters read (0.993 vs 0.994).
            params: dict[str, Any] = {"Global.log_level": "error", "Global.use_cls": False,
                                      "Det.limit_type": "max", "Det.limit_side_len": 960}
            if threads > 0:
                params["EngineConfig.onnxruntime.intra_op_num_threads"] = threads
            _engine = RapidOCR(params=params)
        return _engine


def recognise(image: Any) -> list[Run]:
    """Text runs of a page image (a PIL image), boxes as fractions of the page, with confidences."""
    import numpy as np

    rgb = image.convert("RGB")
    width, height = rgb.size
    result = engine()(np.asarray(rgb))
    boxes = getattr(result, "boxes", None)
    if boxes is None:
        return []
    runs: list[Run] = []
    for box, text, score in zip(boxes, result.txts, result.scores, strict=False):
        if not text or not text.strip():
            continue
        xs = [float(p[0]) for p in box]
        ys = [float(p[1]) for p in box]
        runs.append(Run(text, min(xs) / width, min(ys) / height, max(xs) / width, max(ys) / height,
                        float(score)))
    return runs
