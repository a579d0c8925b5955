"""Safe YAML reading that remembers the line of every value, so problems can name file, line and path.

Only plain YAML is accepted: anchors and aliases (the root of "billion laughs" bombs) and non-standard tags
(e.g. !!python/object) are refused before anything is built.
"""

from typing import Any

import yaml

from assessment.catalog.problems import CatalogFileError, Problem

_STANDARD_TAGS = {
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "seq", "map", "timestamp")
}
MAX_REPORTED_PROBLEMS = 50


def _decode(source: bytes) -> str:
    try:
        return source.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = source[: error.start].count(b"\n") + 1
        raise CatalogFileError([Problem(line, "", "the file is not valid UTF-8")]) from None


def _refuse_unsafe_events(text: str) -> None:
    problems = []
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            line = event.start_mark.line + 1
            if isinstance(event, yaml.AliasEvent):
                problems.append(Problem(line, "", f"aliases (*{event.anchor}) are not allowed"))
            elif getattr(event, "anchor", None):
                problems.append(Problem(line, "", f"anchors (&{event.anchor}) are not allowed"))
            tag = getattr(event, "tag", None)
            if tag and tag not in _STANDARD_TAGS and tag != "!":
                problems.append(Problem(line, "", f"the tag {tag} is not allowed"))
            if len(problems) >= MAX_REPORTED_PROBLEMS:
                break
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        raise CatalogFileError([Problem(line, "", f"YAML syntax error: {error.problem}")]) from None
    except yaml.YAMLError as error:
        raise CatalogFileError([Problem(None, "", f"YAML error: {error}")]) from None
    if problems:
        raise CatalogFileError(problems)


class _Builder:
    """Turns composed nodes into Python values, recording each path's line."""

    def __init__(self):
        self.lines: dict[str, int] = {}
        self.problems: list[Problem] = []
        self._scalars = yaml.SafeLoader("")

    def build(self, node: yaml.Node, path: str) -> Any:
        self.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(child, f"{path}[{index}]") for index, child in enumerate(node.value)]
        return self._scalars.construct_object(node)

    def _mapping(self, node: yaml.MappingNode, path: str) -> dict:
        result: dict = {}
        for key_node, value_node in node.value:
            key = self._scalars.construct_object(key_node) if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str):
                self.problems.append(Problem(key_node.start_mark.line + 1, path, "keys must be plain text"))
                continue
            child = f"{path}.{key}" if path else key
            if key in result:
                self.problems.append(Problem(key_node.start_mark.line + 1, path, f"duplicate key {key}"))
                continue
            self.lines[child] = key_node.start_mark.line + 1
            result[key] = self.build(value_node, child)
        return result


def read_yaml(source: bytes, *, max_bytes: int) -> tuple[Any, dict[str, int]]:
    """The document's data and a map from path (e.g. "parts[2].code") to line; raises CatalogFileError."""
    if len(source) > max_bytes:
        raise CatalogFileError([Problem(None, "", f"the file is larger than {max_bytes:,} bytes")])
    text = _decode(source)
    _refuse_unsafe_events(text)
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        raise CatalogFileError([Problem(None, "", f"YAML error: {error}")]) from None
    if node is None:
        raise CatalogFileError([Problem(1, "", "the file is empty")])
    builder = _Builder()
    try:
        data = builder.build(node, "")
    except yaml.constructor.ConstructorError as error:
        line = error.problem_mark.line + 1 if error.problem_mark else None
        raise CatalogFileError([Problem(line, "", f"unreadable value: {error.problem}")]) from None
    if builder.problems:
        raise CatalogFileError(builder.problems)
    return data, builder.lines
