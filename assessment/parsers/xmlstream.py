"""Hardened, streaming XML for the report parsers (JUnit, Cobertura, JaCoCo).

`iter_elements` yields each element of a report at its end tag, then releases it, so memory stays flat however
large the file. lxml is set never to resolve entities, load a DTD or touch the network, and keeps libxml2's
limits (256 levels of nesting, 10 MB per text or attribute value, entity amplification). Files that declare
entities are refused: no report format we read needs them. Every problem becomes a `ParseError`.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

from assessment.parsers.base import ParseError, Source

# One flipped flag here lets an uploaded report read the server's files (XXE). tests/parsers pin every value.
PARSER_OPTIONS = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "huge_tree": False,
    # Comments, processing instructions and xml:id tables are never released element by element, so a hostile
    # file made of millions of them would grow the tree; we need none of them.
    "remove_comments": True,
    "remove_pis": True,
    "collect_ids": False,
}
HEAD_BYTES = 64 * 1024
ENTITIES_REFUSED = "The XML declares entities (<!ENTITY …>), which reports never need; refused for safety."

_SPACE = re.compile(r"\s*")
_ROOT_NAME = re.compile(r"<([^\s/>!?]+)")
_SUBSET_END = re.compile(r"\]\s*>")


@dataclass(frozen=True)
class Prolog:
    """What precedes and opens the root element, read from the head of a file."""

    root: str  # the root element's name as written (with any prefix)
    start_tag: str  # the root's start tag; may be cut off at the end of the head
    doctype: str  # the DOCTYPE declaration, or ""
    body: str  # the head from the root's start tag on, for cheap content hints


def describe_size(size: int) -> str:
    """A byte count for people: whole megabytes from 1 MB on, else bytes."""
    megabytes = size // (1024 * 1024)
    return f"{megabytes:,} MB" if megabytes else f"{size:,} bytes"


def decode_head(head: bytes) -> str:
    """The head as text: UTF-16 when it has that byte-order mark, else UTF-8; a cut character is dropped."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", errors="ignore")
    return head.decode("utf-8-sig", errors="replace")


def read_prolog(head: bytes) -> Prolog | None:
    """The root element and DOCTYPE of an XML head, past any declaration, comments and processing instructions;
    None when the head does not open an XML element."""
    text = decode_head(head)
    position, doctype = 0, ""
    while True:
        position = _SPACE.match(text, position).end()
        if text.startswith("<?", position):
            end = _after(text, "?>", position)
        elif text.startswith("<!--", position):
            end = _after(text, "-->", position + 4)
        elif text.startswith("<!DOCTYPE", position):
            end = _doctype_end(text, position)
            doctype = text[position:end]
        else:
            break
        if end < 0:
            return None
        position = end
    match = _ROOT_NAME.match(text, position)
    if match is None:
        return None
    start_tag_end = _after(text, ">", position)
    start_tag = text[position:start_tag_end] if start_tag_end >= 0 else text[position:]
    return Prolog(root=match.group(1), start_tag=start_tag, doctype=doctype, body=text[position:])


def _after(text: str, marker: str, start: int) -> int:
    found = text.find(marker, start)
    return found + len(marker) if found >= 0 else -1


def _doctype_end(text: str, start: int) -> int:
    bracket, close = text.find("[", start), text.find(">", start)
    if bracket < 0 or 0 <= close < bracket:
        return close + 1 if close >= 0 else -1
    subset_end = _SUBSET_END.search(text, bracket)
    return subset_end.end() if subset_end else -1


class _CappedReader:
    """The source stream as lxml reads it: refused past `max_bytes`, the deadline checked on every chunk."""

    def __init__(self, source: Source):
        self._stream = source.stream
        self._deadline = source.deadline
        self._max_bytes = source.limits.max_bytes
        self._total = 0
        self.at_end = False

    def read(self, size: int = -1) -> bytes:
        self._deadline.check()
        chunk = self._stream.read(size if size > 0 else HEAD_BYTES)
        self._total += len(chunk)
        if self._total > self._max_bytes:
            raise ParseError(f"The file is larger than {describe_size(self._max_bytes)}; it was not read.")
        self.at_end = not chunk
        return chunk


def iter_elements(source: Source, *, roots: frozenset[str], expected: str) -> Iterator[etree._Element]:
    """Each element at its end tag, released (cleared, earlier siblings dropped) once the caller moves on.

    Refuses a root not in `roots` ("The root element is <x>, not {expected}.") and any entity declaration.
    """
    reader = _CappedReader(source)
    head = reader.read(HEAD_BYTES)
    if not head.removeprefix(b"\xef\xbb\xbf").strip():
        raise ParseError("The file is empty.")
    _refuse_declared_entities(head)
    replay = _Replay(head, reader)
    elements = etree.iterparse(replay, events=("end",), **PARSER_OPTIONS)
    try:
        first = True
        for _event, element in elements:
            if first:
                _check_document(element, roots, expected)
                first = False
            yield element
            element.clear(keep_tail=False)
            parent = element.getparent()
            if parent is not None:
                while element.getprevious() is not None:
                    del parent[0]
    except etree.XMLSyntaxError as error:
        raise ParseError(_syntax_reason(error, truncated=reader.at_end)) from None
    except etree.LxmlError as error:
        raise ParseError(f"The XML could not be read: {error}") from None


class _Replay:
    """The head already read, then the rest of the stream."""

    def __init__(self, head: bytes, reader: _CappedReader):
        self._head = head
        self._reader = reader

    def read(self, size: int = -1) -> bytes:
        if self._head:
            chunk, self._head = self._head, b""
            return chunk
        return self._reader.read(size)


def _refuse_declared_entities(head: bytes) -> None:
    """Refuses entity declarations before parsing; `_check_document` checks again with libxml2's own view."""
    prolog = read_prolog(head)
    text = prolog.doctype if prolog else decode_head(head)
    if "<!ENTITY" in text:
        raise ParseError(ENTITIES_REFUSED)


def _check_document(element: etree._Element, roots: frozenset[str], expected: str) -> None:
    tree = element.getroottree()
    subset = tree.docinfo.internalDTD
    if subset is not None and any(True for _ in subset.iterentities()):
        raise ParseError(ENTITIES_REFUSED)
    root = tree.getroot().tag
    if root not in roots:
        name = root if isinstance(root, str) else "?"
        raise ParseError(f"The root element is <{name}>, not {expected}.")


def _syntax_reason(error: etree.XMLSyntaxError, *, truncated: bool) -> str:
    message = (error.msg or str(error)).strip()[:200]  # libxml2 quotes names from the file, up to 50,000 chars
    lowered = message.lower()
    if "amplification" in lowered:
        return "The XML expands entities enormously (an entity-expansion attack); refused."
    if "excessive depth" in lowered:
        return "The XML nests elements more than 256 levels deep; refused."
    if "resource limit" in lowered or "too long" in lowered or "huge" in lowered:
        return "The XML holds a text or attribute value larger than 10 MB; refused."
    if "encoding" in lowered or "utf-8" in lowered:
        return f"The file is not valid UTF-8 (or does not match its declared encoding): {message}."
    if "start tag expected" in lowered:
        return "The file holds no XML element; it is not an XML report."
    if truncated:
        return f"The XML ends before it is complete; the file looks truncated ({message})."
    return f"The file is not well-formed XML: {message}."
