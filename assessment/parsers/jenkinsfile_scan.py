"""Jenkinsfiles (declarative and scripted Groovy) cut into tokens and blocks; Groovy is never evaluated. Pure.

One regular expression cuts the text into comments, strings, words and braces. Every alternative is possessive
and ends at its closing quote, the end of the line or the end of the text, so no input makes it backtrack
(50,000 `{` or a megabyte of quotes take milliseconds). Braces give the block tree; a statement's first word
names the block it opens (`pipeline`, `stages`, `stage('Build')`, `node('linux')`, `steps`, `post`,
`triggers`, `when`). A stage is a `stage(...) { ... }` block or, in old scripted files, a `stage 'Name'`
statement that lasts until the next one or the end of its enclosing block. A stage whose name is not a plain
string (`stage("${os} tests")`, `stage(label)`) is generated: such stages are usually built in a loop and run
by `parallel`, so each occurrence in the text stands for one or more stages at run time.
"""

import re
from dataclasses import dataclass, field

from assessment.parsers.base import ParseError, Source
from assessment.parsers.text import line_of

MAX_BLOCK_DEPTH = 200
MAX_LABEL = 200
MAX_STAGES = 2000  # far beyond any real Jenkinsfile; keeps a file of stage statements cheap to refuse

_TOKEN = re.compile(
    r"""
    (?P<space>\s++)
  | (?P<comment>//[^\n]*+|/\*(?:[^*]++|\*(?!/))*+(?:\*/|\Z))
  | (?P<string>'''(?:[^'\\]++|\\.|'(?!''))*+(?:'''|\Z)
      | \"\"\"(?:[^"\\]++|\\.|"(?!""))*+(?:\"\"\"|\Z)
      | '(?:[^'\\\n]++|\\.)*+(?:'|(?=\n)|\Z)
      | "(?:[^"\\\n]++|\\.)*+(?:"|(?=\n)|\Z))
  | (?P<word>[A-Za-z_$][\w$]*+)
  | (?P<open>\{)
  | (?P<close>\})
  | (?P<punct>[^\s\w$'"{}/]++|/)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_WATCHED_BLOCKS = ("pipeline", "triggers", "when")


@dataclass
class Stage:
    label: str
    generated: bool = False
    words: set[str] = field(default_factory=set)  # identifiers, lower-cased
    parts: set[str] = field(default_factory=set)  # their camelCase parts: withMaven -> with, maven
    strings: list[str] = field(default_factory=list)
    has_children: bool = False


@dataclass
class _Frame:
    name: str
    stage: Stage | None
    flat: Stage | None = None  # an old-style `stage 'Name'` statement running inside this block


@dataclass
class Scan:
    """What the token walk collects: stages, words and strings outside any stage, and block-specific words."""

    stages: list[Stage] = field(default_factory=list)
    outside: Stage = field(default_factory=lambda: Stage(label=""))
    block_words: dict[str, set[str]] = field(default_factory=dict)  # "triggers"/"when" -> words inside
    pipeline_blocks: set[str] = field(default_factory=set)  # blocks inside `pipeline { }`, e.g. "stages"
    gates: int = 0

    @property
    def every_word(self) -> set[str]:
        return self.outside.words.union(*(stage.words for stage in self.stages))


def word_parts(word: str) -> set[str]:
    """The camelCase parts of a Groovy identifier (`maybePublishIncrementals` -> maybe, publish, incrementals),
    so step and helper names can be read like the commands they stand for."""
    return set(_CAMEL.sub(" ", word).lower().split())


class Scanner:
    """One pass over the tokens of a Jenkinsfile, building a `Scan`."""

    def __init__(self, text: str, source: Source):
        self.text = text
        self.source = source
        self.scan = Scan()
        self.stack: list[_Frame] = []
        self.root_flat: Stage | None = None
        self.statement: list[str] = []  # words of the current statement; the first names a block it opens
        self.label: str | None = None  # first string of the statement, raw (with its quotes)
        self.parens = 0
        self.pending_input = False
        self.previous = ""
        self.inside = dict.fromkeys(_WATCHED_BLOCKS, 0)  # how many such blocks are open

    def run(self) -> Scan:
        for count, match in enumerate(_TOKEN.finditer(self.text)):
            if count % 4096 == 0:
                self.source.deadline.check()
            self._token(match)
        self._end_statement()
        if self.stack:
            raise ParseError(
                f"The Jenkinsfile ends inside {len(self.stack)} unclosed block(s) (`{self.stack[-1].name or '{'}`); "
                "it may be cut off."
            )
        return self.scan

    def _token(self, match: re.Match) -> None:
        kind, value = match.lastgroup, match.group()
        if kind in ("space", "comment"):
            if "\n" in value and self.parens == 0:
                self._end_statement()
            return
        if self.pending_input and (kind in ("open", "word", "string") or value.startswith("(")):
            self.scan.gates += 1
        self.pending_input = False
        if kind == "word":
            self._word(value)
        elif kind == "string":
            self.collector.strings.append(_string_content(value))
            self.label = value if self.label is None else self.label
        elif kind == "open":
            self._open(match.start())
        elif kind == "close":
            self._close(match.start())
        elif kind == "punct":
            self.parens = max(0, self.parens + value.count("(") - value.count(")"))
            if ";" in value and self.parens == 0:
                self._end_statement()
        self.previous = value

    @property
    def collector(self) -> Stage:
        return self._current_stage() or self.scan.outside

    def _current_stage(self) -> Stage | None:
        if not self.stack:
            return self.root_flat
        frame = self.stack[-1]
        return frame.flat or frame.stage

    def _word(self, value: str) -> None:
        word = value.lower()
        self.collector.words.add(word)
        self.collector.parts |= word_parts(value)
        for name in ("triggers", "when"):
            if self.inside[name]:
                self.scan.block_words.setdefault(name, set()).add(word)
        self.pending_input = value == "input" and not self.previous.endswith(".")
        self.statement.append(value.lower())

    def _end_statement(self) -> None:
        """A `stage 'Name'` statement without a block starts a stage that runs to the next one."""
        if self.statement[:1] == ["stage"] and self.label is not None and len(self.statement) == 1:
            if self.stack:  # the previous `stage 'Name'` of this block ends here
                self.stack[-1].flat = None
            else:
                self.root_flat = None
            stage = self._new_stage(self.label)
            if self.stack:
                self.stack[-1].flat = stage
            else:
                self.root_flat = stage
        self.statement, self.label, self.parens = [], None, 0

    def _open(self, at: int) -> None:
        name = self.statement[0] if self.statement else ""
        if self.inside["pipeline"]:
            self.scan.pipeline_blocks.add(name)
        # `stage(os + ' tests')`: identifiers beside the name make it computed.
        computed = any(word != "name" for word in self.statement[1:])
        stage = self._new_stage(self.label, computed=computed) if name == "stage" else self._current_stage()
        self.stack.append(_Frame(name=name, stage=stage))
        if name in self.inside:
            self.inside[name] += 1
        if len(self.stack) > MAX_BLOCK_DEPTH:
            raise ParseError(f"Jenkinsfile line {line_of(self.text, at)}: blocks nested too deeply.")
        self.statement, self.label, self.parens = [], None, 0

    def _close(self, at: int) -> None:
        if not self.stack:
            raise ParseError(f"Jenkinsfile line {line_of(self.text, at)}: `}}` without a matching `{{`.")
        closed = self.stack.pop()
        if closed.name in self.inside:
            self.inside[closed.name] -= 1
        self.statement, self.label, self.parens = [], None, 0

    def _new_stage(self, raw_label: str | None, *, computed: bool = False) -> Stage:
        parent = self._current_stage()
        if parent is not None:
            parent.has_children = True
        label = _string_content(raw_label) if raw_label is not None else ""
        generated = computed or raw_label is None or (raw_label.startswith('"') and "$" in label)
        stage = Stage(label=label[:MAX_LABEL], generated=generated)
        self.scan.stages.append(stage)
        if len(self.scan.stages) > MAX_STAGES:
            raise ParseError(f"The Jenkinsfile has more than {MAX_STAGES:,} stages; it was not read.")
        return stage


def _string_content(token: str) -> str:
    quote = 3 if token[:3] in ("'''", '"""') else 1
    return token[quote:-quote] if len(token) >= 2 * quote else token[quote:]


def scan(text: str, source: Source) -> Scan:
    """The stages and words of a Jenkinsfile; ParseError for unbalanced or too deeply nested braces."""
    return Scanner(text, source).run()
