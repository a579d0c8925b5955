"""Safe YAML loading for evidence files: a byte cap, standard tags only, and a node cap that counts aliases.

`yaml.safe_load` never builds arbitrary objects, but it still expands anchors and aliases: a few hundred bytes of
nested aliases ("billion laughs") build a shared graph that explodes when walked. GitLab CI uses anchors
legitimately, so they are capped rather than forbidden: every alias use counts as the full size of the node it
repeats, so the cap bounds the expanded document that parsers walk. Recursive aliases are refused.
GitLab's `!reference [.job, key]` is kept as an opaque `YamlReference`; every other non-standard tag
(e.g. `!!python/object/apply:os.system`) is refused before anything is built.
"""

import re
from dataclasses import dataclass
from typing import Any

import yaml

from assessment.parsers.base import Deadline, Limits, ParseError, Source
from assessment.parsers.text import decode_text, line_of, read_bounded

MAX_YAML_BYTES = 4 * 1024 * 1024  # pure-Python PyYAML reads about 0.5 MB/s; CI files are far smaller
MAX_YAML_DEPTH = 100
_DEADLINE_EVERY = 1024  # nodes between deadline checks
_CORE = "tag:yaml.org,2002:"
ALLOWED_TAGS = frozenset(
    {f"{_CORE}{name}" for name in ("str", "int", "float", "bool", "null", "seq", "map", "timestamp", "merge")}
    | {"!", "!reference"}
)


@dataclass(frozen=True)
class YamlReference:
    """GitLab's `!reference [.setup, script]`: a path to another part of the same file, not resolved here."""

    path: tuple[str, ...]


class BoundedSafeLoader(yaml.SafeLoader):
    """SafeLoader that refuses non-standard tags and counts composed nodes, each alias at its expanded size."""

    def __init__(self, text: str, *, max_nodes: int, deadline: Deadline):
        super().__init__(text)
        self.max_nodes = max_nodes
        self.deadline = deadline
        self.node_count = 0
        self._depth = 0
        self._calls = 0
        self._weights: dict[int, int] = {}  # id(anchored node) -> expanded node count

    def compose_document(self):
        self._weights = {}
        return super().compose_document()

    def compose_node(self, parent, index):
        event = self.peek_event()
        self._calls += 1
        if self._calls % _DEADLINE_EVERY == 0:
            self.deadline.check()
        if isinstance(event, yaml.AliasEvent):
            node = self.anchors.get(event.anchor)
            if node is not None:
                weight = self._weights.get(id(node))
                if weight is None:
                    raise ParseError(
                        f"YAML line {event.start_mark.line + 1}: the alias *{event.anchor} repeats a node that "
                        "contains it; recursive YAML is not accepted."
                    )
                self._count(weight, event)
            return super().compose_node(parent, index)
        self._refuse_tag(event)
        self._depth += 1
        if self._depth > MAX_YAML_DEPTH:
            raise ParseError(f"YAML line {event.start_mark.line + 1}: nested more than {MAX_YAML_DEPTH} levels deep.")
        before = self.node_count
        self._count(1, event)
        try:
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
        if event.anchor is not None:
            self._weights[id(node)] = self.node_count - before
        return node

    def _count(self, weight: int, event: yaml.Event) -> None:
        self.node_count += weight
        if self.node_count > self.max_nodes:
            raise ParseError(
                f"YAML line {event.start_mark.line + 1}: the document expands to more than {self.max_nodes:,} "
                "nodes (each alias counts as the size of what it repeats); refusing a possible alias bomb."
            )

    @staticmethod
    def _refuse_tag(event: yaml.Event) -> None:
        tag = getattr(event, "tag", None)
        if tag is not None and tag not in ALLOWED_TAGS:
            shown = tag.replace(_CORE, "!!")
            raise ParseError(f"YAML line {event.start_mark.line + 1}: the tag {shown} is not allowed.")


def _construct_reference(loader: BoundedSafeLoader, node: yaml.Node) -> YamlReference:
    parts = node.value if isinstance(node, yaml.SequenceNode) else None
    if not parts or len(parts) > 10 or not all(isinstance(part, yaml.ScalarNode) for part in parts):
        raise ParseError(
            f"YAML line {node.start_mark.line + 1}: !reference takes a list of names, e.g. !reference [.setup, script]."
        )
    return YamlReference(tuple(str(part.value) for part in parts))


BoundedSafeLoader.add_constructor("!reference", _construct_reference)


def _describe(error: yaml.YAMLError, text: str) -> str:
    if isinstance(error, yaml.reader.ReaderError):
        return f"YAML line {line_of(text, error.position)}: the character #x{error.character:04x} is not allowed."
    if isinstance(error, yaml.MarkedYAMLError):
        mark = error.problem_mark or error.context_mark
        problem = error.problem or error.context or "unreadable YAML"
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "unknown line"
        context = f" ({error.context})" if error.context and error.problem else ""
        return f"YAML syntax error at {where}: {problem}{context}."
    return f"YAML error: {error}."


def load_yaml_text(text: str, *, limits: Limits, deadline: Deadline) -> list[Any]:
    """Every document of a YAML text, built safely; ParseError (with a line number where known) otherwise."""
    documents = []
    try:
        loader = BoundedSafeLoader(text, max_nodes=limits.max_yaml_nodes, deadline=deadline)
    except yaml.YAMLError as error:  # the reader checks every character up front
        raise ParseError(_describe(error, text)) from None
    try:
        while loader.check_node():
            documents.append(loader.construct_document(loader.get_node()))
            deadline.check()
    except yaml.YAMLError as error:
        raise ParseError(_describe(error, text)) from None
    except RecursionError:
        raise ParseError("The YAML is nested too deeply to read.") from None
    except (ValueError, OverflowError) as error:  # e.g. a date 2024-13-45 or an integer of 5,000 digits
        raise ParseError(f"YAML value cannot be read: {str(error)[:120]}.") from None
    finally:
        loader.dispose()
    return documents


def load_yaml_documents(source: Source, *, what: str, max_bytes: int = MAX_YAML_BYTES) -> list[Any]:
    """Every document of a YAML evidence file, read with a byte cap; ParseError for anything unsafe or broken."""
    text = decode_text(read_bounded(source, max_bytes=max_bytes, what=what), what=what)
    return load_yaml_text(text, limits=source.limits, deadline=source.deadline)


# Recognisers see only the first 64 KiB, possibly cut mid-line, so they read the outline of the text, not YAML.
_OUTLINE_KEY = re.compile(
    r"""(?:"([^"\n]{1,200})"|'([^'\n]{1,200})'|([^\s#'"\-?:{}\[\]!&*|>%@`,][^:\n#]{0,200})):(?:[ \t]|$)"""
)


def outline(text: str) -> list[dict[str, set[str]]]:
    """Per YAML document of a (possibly cut) text: its top-level keys, each with the keys directly under it."""
    documents: list[dict[str, set[str]]] = [{}]
    top, child_indent = None, None
    for line in text.splitlines():
        if line.startswith(("---", "...")):
            documents.append({})
            top, child_indent = None, None
            continue
        stripped = line.lstrip(" ")
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(line) - len(stripped)
        key = _OUTLINE_KEY.match(stripped)
        if indent == 0:
            if key:
                top, child_indent = _key_text(key), None
                documents[-1].setdefault(top, set())
            continue
        if top is None:
            continue
        child_indent = indent if child_indent is None else child_indent
        if indent == child_indent and key:
            documents[-1][top].add(_key_text(key))
    return [document for document in documents if document]


def _key_text(match: re.Match) -> str:
    return next(group for group in match.groups() if group is not None).strip()
