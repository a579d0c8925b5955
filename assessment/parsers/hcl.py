"""Terraform's HCL read as tokens, enough to list top-level blocks and required providers. Pure; never evaluated.

Comments, strings and heredocs are skipped so their braces do not count. Every alternative of the token
expression is possessive and stops at its closing quote, the end of the line or the end of the text, and a
heredoc's end marker is found with one forward search, so no input makes the reader backtrack.
Interpolations that nest quotes ("${var.a == "b" ? 1 : 2}") are split into several strings; their braces sit
inside those strings, so block nesting stays right.
"""

import re
from dataclasses import dataclass, field

from assessment.parsers.base import Deadline, ParseError
from assessment.parsers.text import line_of

TERRAFORM_BLOCKS = frozenset(
    {"resource", "data", "provider", "module", "variable", "output", "locals", "terraform"}
    | {"moved", "import", "check", "removed", "ephemeral"}
)
MAX_DEPTH = 200

_TOKEN = re.compile(
    r"""
    (?P<space>\s++)
  | (?P<comment>(?:[#]|//)[^\n]*+|/\*(?:[^*]++|\*(?!/))*+(?:\*/|\Z))
  | (?P<heredoc><<-?(?P<tag>[A-Za-z_][\w-]*+)[ \t]*+(?:\r?\n|\Z))
  | (?P<string>"(?:[^"\\\n]++|\\.)*+(?:"|(?=\n)|\Z))
  | (?P<word>[A-Za-z_][\w-]*+)
  | (?P<open>\{)
  | (?P<close>\})
  | (?P<equals>=(?![=>]))
  | (?P<other>[^\s\w"{}=#/<]++|.)
    """,
    re.VERBOSE | re.DOTALL,
)


@dataclass
class Blocks:
    """Top-level blocks as (type, labels), and the names under `terraform { required_providers { ... } }`."""

    top: list[tuple[str, list[str]]] = field(default_factory=list)
    required_providers: list[str] = field(default_factory=list)


def read_blocks(text: str, deadline: Deadline) -> Blocks:
    """The file's top-level blocks; ParseError for unbalanced braces or a block type Terraform does not have."""
    blocks = Blocks()
    stack: list[str] = []
    statement: list[tuple[str, str]] = []  # (kind, value) since the last newline or brace
    position, count = 0, 0
    while position < len(text):
        count += 1
        if count % 4096 == 0:
            deadline.check()
        match = _TOKEN.match(text, position)
        kind, value, position = match.lastgroup, match.group(), match.end()
        if kind == "heredoc":
            position = _heredoc_end(text, position, match.group("tag"))
        elif kind in ("space", "comment"):
            if "\n" in value:
                statement = []
        elif kind == "open":
            _open(blocks, stack, statement, text, match.start())
            statement = []
        elif kind == "close":
            if not stack:
                raise ParseError(f"Terraform line {line_of(text, match.start())}: `}}` without a matching `{{`.")
            stack.pop()
            statement = []
        elif kind == "equals" and stack == ["terraform", "required_providers"] and len(statement) == 1:
            blocks.required_providers.append(statement[0][1][:100])
        elif kind in ("word", "string"):
            statement.append((kind, value))
    if stack:
        raise ParseError(f"The Terraform file ends inside `{stack[-1]}` (unclosed `{{`); it may be cut off.")
    return blocks


def _open(blocks: Blocks, stack: list[str], statement: list[tuple[str, str]], text: str, at: int) -> None:
    name = statement[0][1] if statement and statement[0][0] == "word" else ""
    if not stack:
        if name not in TERRAFORM_BLOCKS:
            shown = name[:40] or "a `{` without a block type"
            raise ParseError(f"Terraform line {line_of(text, at)}: {shown} is not a Terraform block.")
        labels = [value.strip('"')[:200] for kind, value in statement[1:] if kind == "string"]
        blocks.top.append((name, labels))
    stack.append(name)
    if len(stack) > MAX_DEPTH:
        raise ParseError(f"Terraform line {line_of(text, at)}: blocks nested too deeply.")


def _heredoc_end(text: str, position: int, tag: str) -> int:
    """Where a heredoc's closing marker line ends (the end of the text when it is missing)."""
    end = re.compile(rf"^[ \t]*{re.escape(tag)}[ \t]*$", re.MULTILINE).search(text, position)
    return end.end() if end else len(text)
