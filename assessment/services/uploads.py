"""Uploaded files, judged by content (never by name): what they are, and a safe name to show. Pure."""

import re
import unicodedata

# Signatures of the kinds of file we accept as evidence. The name's extension is not consulted.
_BINARY_SIGNATURES = [
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"PK\x03\x04", "application/zip"),  # also docx, xlsx, pptx
    (b"\x1f\x8b", "application/gzip"),
]
_REFUSED_TEXT = re.compile(rb"^\s*(<!doctype\s+html|<html|<script|<svg)", re.IGNORECASE)
MAX_NAME_LENGTH = 200


def sniff_media_type(head: bytes) -> str | None:
    """The media type of an upload from its first bytes, or None when we do not accept that kind of file.

    Accepted: PDF, PNG, JPEG, GIF, ZIP (incl. Office documents), gzip, and UTF-8 text (XML reports, JSON,
    YAML, CSV, pipeline files, plain text). Refused: executables, HTML and SVG (active content), other binaries.
    """
    for signature, media_type in _BINARY_SIGNATURES:
        if head.startswith(signature):
            return media_type
    if b"\x00" in head or _REFUSED_TEXT.match(head):
        return None
    text = head.removeprefix(b"\xef\xbb\xbf")
    try:
        text.decode("utf-8")
    except UnicodeDecodeError as error:
        # The head may end in the middle of a multi-byte character; anything earlier is not UTF-8.
        if error.start < len(text) - 3:
            return None
    stripped = text.lstrip()
    if stripped.startswith(b"<"):
        return "application/xml"
    if stripped[:1] in (b"{", b"["):
        return "application/json"
    return "text/plain"


def safe_text(text: str) -> str:
    """Text without control and format characters (incl. right-to-left overrides that disguise "exe.pdf")."""
    text = unicodedata.normalize("NFC", text or "")
    return "".join(char for char in text if unicodedata.category(char) not in ("Cc", "Cf")).strip()


def safe_display_name(name: str, *, fallback: str = "evidence") -> str:
    """The user's file name reduced to something safe to show: no folders, no control characters."""
    name = re.split(r"[\\/]", unicodedata.normalize("NFC", name or ""))[-1]
    name = safe_text(name).lstrip(".").strip()
    if len(name) > MAX_NAME_LENGTH:
        _stem, dot, suffix = name.rpartition(".")
        keep = suffix if dot and len(suffix) <= 10 else ""
        name = name[: MAX_NAME_LENGTH - len(keep) - 1] + ("." + keep if keep else "")
    return name or fallback
