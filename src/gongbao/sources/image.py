"""Read page images (PNG, JPEG, TIFF with one or more pages, BMP) through OCR.

An image has no text layer, so ``--ocr never`` cannot read it; each frame of a multi-page TIFF is a page.
"""

from __future__ import annotations

import io
from typing import Any

from gongbao.errors import UnusableInput
from gongbao.sources.layout import lines_of, strip_running
from gongbao.sources.reading import Progress, Reading, join_pages

MAX_PIXELS = 16_000 * 16_000
"""Pillow's decompression-bomb guard made explicit: an A0 sheet at 600 dpi is below this."""


def frames(data: bytes) -> list[Any]:
    """The pages of an image file as greyscale PIL images, or UnusableInput for a damaged image."""
    from PIL import Image, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        img = Image.open(io.BytesIO(data))
        out = []
        for n in range(getattr(img, "n_frames", 1)):
            img.seek(n)
            out.append(img.convert("L"))
        return out
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise UnusableInput(f"图片已损坏，无法打开 (damaged image: {exc})") from None
    except Image.DecompressionBombError:
        raise UnusableInput("图片尺寸过大 (image too large)") from None


def read_image(data: bytes, *, ocr: str = "auto", progress: Progress | None = None) -> Reading:
    """OCR every page of an image file into lines with pages."""
    if ocr == "never":
        raise UnusableInput("图片没有文字层，需要 OCR，但已关闭 OCR (an image needs OCR: --ocr never given)")
    from gongbao.sources.ocr import recognise

    pages = frames(data)
    lines = []
    for n, image in enumerate(pages, start=1):
        lines.append(lines_of(recognise(image)))
        if progress is not None:
            progress(n, len(pages))
    reading = join_pages("image", strip_running(lines))
    if not any(line.strip() for line in reading.lines):
        raise UnusableInput("图片中没有识别出文字 (no text recognised in this image)")
    return reading
