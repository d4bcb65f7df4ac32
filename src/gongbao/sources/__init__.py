"""Readers: turn a file into text lines with provenance. Only I/O lives here."""
