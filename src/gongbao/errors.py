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
