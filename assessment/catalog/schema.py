"""Validation of a catalogue document against format 1 (see assessment/catalogs/FORMAT.md).

Every problem is collected, not just the first, so an author can fix a file in one pass.
"""

import re
from typing import Any

from assessment.catalog.problems import Problem

CHECK_OPERATORS = (">=", ">", "<=", "<", "==", "!=", "exists", "not_increasing")
VALUELESS_OPERATORS = ("exists", "not_increasing")
ROLLUP_RULES = ("min", "median")
PART_STATUSES = ("assessable", "outline")
THRESHOLD_SOURCES = ("ours", "standard")
KEY_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
SEGMENT_PATTERN = re.compile(r"^[a-z0-9_]+$")
FACT_PATTERN = re.compile(r"^[a-z_]+(\.[a-z0-9_]+)+$")
MAX_NAME = 200

_MODEL_FIELDS = {
    "format",
    "key",
    "version",
    "name_zh",
    "name_en",
    "standard",
    "source_zh",
    "source_en",
    "rollup",
    "levels",
    "parts",
}
_LEVEL_FIELDS = {"level", "name_zh", "name_en", "summary_zh", "summary_en"}
_PART_FIELDS = {"code", "number", "name_zh", "name_en", "status", "basis_zh", "basis_en", "subdomains"}
_SUBDOMAIN_FIELDS = {"code", "name_zh", "name_en", "items"}
_ITEM_FIELDS = {"code", "name_zh", "name_en", "subitems"}
_SUBITEM_FIELDS = {"code", "name_zh", "name_en", "note_zh", "note_en", "criteria"}
_CRITERION_FIELDS = {"level", "text_zh", "text_en", "inferred", "evidence_zh", "evidence_en", "checks"}
_CHECK_FIELDS = {"fact", "op", "value", "threshold", "note_zh", "note_en"}
_ANY_OF_FIELDS = {"any_of", "threshold", "note_zh", "note_en"}
_ALTERNATIVE_FIELDS = {"fact", "op", "value"}


class _Validator:
    def __init__(self, lines: dict[str, int]):
        self.lines = lines
        self.problems: list[Problem] = []
        self.codes: dict[str, str] = {}

    def problem(self, path: str, message: str) -> None:
        self.problems.append(Problem(self.lines.get(path), path, message))

    def mapping(self, value: Any, path: str, allowed: set[str]) -> bool:
        if not isinstance(value, dict):
            self.problem(path, "must be a mapping of fields")
            return False
        for key in sorted(set(value) - allowed):
            self.problem(f"{path}.{key}" if path else key, f"unknown field {key}")
        return True

    def text(self, node: dict, path: str, field: str, *, required: bool = True, limit: int | None = None) -> None:
        value = node.get(field)
        if value is None:
            if required:
                self.problem(path, f"missing {field}")
            return
        where = f"{path}.{field}" if path else field
        if not isinstance(value, str):
            self.problem(where, f"{field} must be text (put quotes around it)")
        elif required and not value.strip():
            self.problem(where, f"{field} is empty")
        elif limit and len(value) > limit:
            self.problem(where, f"{field} is longer than {limit} characters")

    def names(self, node: dict, path: str) -> None:
        self.text(node, path, "name_zh", limit=MAX_NAME)
        self.text(node, path, "name_en", limit=MAX_NAME)

    def sequence(self, node: dict, path: str, field: str, *, required: bool) -> list:
        value = node.get(field)
        where = f"{path}.{field}" if path else field
        if value is None:
            if required:
                self.problem(path, f"missing {field}")
            return []
        if not isinstance(value, list):
            self.problem(where, f"{field} must be a list")
            return []
        if required and not value:
            self.problem(where, f"{field} must not be empty")
        return value

    def code(self, node: dict, path: str, parent_code: str | None) -> str | None:
        code = node.get("code")
        if code is None:
            self.problem(path, "missing code")
            return None
        where = f"{path}.code"
        if not isinstance(code, str):
            self.problem(where, "code must be text")
            return None
        prefix = f"{parent_code}." if parent_code else ""
        if not code.startswith(prefix) or not SEGMENT_PATTERN.match(code.removeprefix(prefix)):
            expected = f"{prefix}<segment>" if prefix else "<segment>"
            self.problem(where, f"code {code} must read {expected} (segments use a-z, 0-9 and _)")
        if code in self.codes:
            self.problem(where, f"duplicate code {code} (first used at {self.codes[code]})")
        else:
            self.codes[code] = path
        return code

    def model(self, data: Any) -> None:
        if not self.mapping(data, "", _MODEL_FIELDS):
            return
        if data.get("format") != 1:
            self.problem("format" if "format" in data else "", "format must be 1")
        key = data.get("key")
        if not isinstance(key, str) or not KEY_PATTERN.match(key):
            self.problem("key" if "key" in data else "", "key must be lower-case letters, digits and dashes")
        self.text(data, "", "version", limit=40)
        self.names(data, "")
        for field in ("standard", "source_zh", "source_en"):
            self.text(data, "", field, required=False)
        if data.get("rollup", "min") not in ROLLUP_RULES:
            self.problem("rollup", f"rollup must be one of {', '.join(ROLLUP_RULES)}")
        self.levels(self.sequence(data, "", "levels", required=True))
        parts = self.sequence(data, "", "parts", required=True)
        numbers: set[int] = set()
        for index, part in enumerate(parts):
            self.part(part, f"parts[{index}]", numbers)

    def levels(self, levels: list) -> None:
        if levels and len(levels) != 5:
            self.problem("levels", "levels must list exactly five levels, 1 to 5")
        for index, level in enumerate(levels):
            path = f"levels[{index}]"
            if self.mapping(level, path, _LEVEL_FIELDS):
                if level.get("level") != index + 1:
                    self.problem(path, f"level must be {index + 1} here (levels are listed 1 to 5 in order)")
                self.names(level, path)

    def part(self, part: Any, path: str, numbers: set[int]) -> None:
        if not self.mapping(part, path, _PART_FIELDS):
            return
        code = self.code(part, path, None)
        number = part.get("number")
        if not isinstance(number, int) or isinstance(number, bool) or not 1 <= number <= 99:
            self.problem(path, "number must be a whole number from 1 to 99")
        elif number in numbers:
            self.problem(f"{path}.number", f"duplicate part number {number}")
        else:
            numbers.add(number)
        self.names(part, path)
        status = part.get("status", "assessable")
        if status not in PART_STATUSES:
            self.problem(f"{path}.status", f"status must be one of {', '.join(PART_STATUSES)}")
        assessable = status == "assessable"
        for index, subdomain in enumerate(self.sequence(part, path, "subdomains", required=assessable)):
            self.subdomain(subdomain, f"{path}.subdomains[{index}]", code, assessable)

    def subdomain(self, subdomain: Any, path: str, parent: str | None, assessable: bool) -> None:
        if not self.mapping(subdomain, path, _SUBDOMAIN_FIELDS):
            return
        code = self.code(subdomain, path, parent)
        self.names(subdomain, path)
        for index, item in enumerate(self.sequence(subdomain, path, "items", required=assessable)):
            self.item(item, f"{path}.items[{index}]", code, assessable)

    def item(self, item: Any, path: str, parent: str | None, assessable: bool) -> None:
        if not self.mapping(item, path, _ITEM_FIELDS):
            return
        code = self.code(item, path, parent)
        self.names(item, path)
        for index, subitem in enumerate(self.sequence(item, path, "subitems", required=assessable)):
            self.subitem(subitem, f"{path}.subitems[{index}]", code)

    def subitem(self, subitem: Any, path: str, parent: str | None) -> None:
        if not self.mapping(subitem, path, _SUBITEM_FIELDS):
            return
        self.code(subitem, path, parent)
        self.names(subitem, path)
        self.text(subitem, path, "note_zh", required=False)
        self.text(subitem, path, "note_en", required=False)
        criteria = self.sequence(subitem, path, "criteria", required=True)
        seen: set[int] = set()
        for index, criterion in enumerate(criteria):
            level = self.criterion(criterion, f"{path}.criteria[{index}]")
            if level in seen:
                self.problem(f"{path}.criteria[{index}].level", f"level {level} appears twice")
            elif level is not None:
                seen.add(level)
        if criteria and seen and len(criteria) == len(seen) and seen != {1, 2, 3, 4, 5}:
            missing = ", ".join(str(level) for level in sorted({1, 2, 3, 4, 5} - seen))
            self.problem(f"{path}.criteria", f"every level 1 to 5 needs a criterion; missing {missing}")

    def criterion(self, criterion: Any, path: str) -> int | None:
        if not self.mapping(criterion, path, _CRITERION_FIELDS):
            return None
        level = criterion.get("level")
        if not isinstance(level, int) or isinstance(level, bool) or not 1 <= level <= 5:
            self.problem(f"{path}.level" if "level" in criterion else path, "level must be 1, 2, 3, 4 or 5")
            level = None
        self.text(criterion, path, "text_zh")
        self.text(criterion, path, "text_en")
        if not isinstance(criterion.get("inferred", False), bool):
            self.problem(f"{path}.inferred", "inferred must be true or false")
        for field in ("evidence_zh", "evidence_en"):
            hints = criterion.get(field, [])
            if not isinstance(hints, list) or not all(isinstance(hint, str) and hint.strip() for hint in hints):
                self.problem(f"{path}.{field}", f"{field} must be a list of texts")
        for index, check in enumerate(self.sequence(criterion, path, "checks", required=False)):
            self.check(check, f"{path}.checks[{index}]")
        return level

    def check(self, check: Any, path: str) -> None:
        if isinstance(check, dict) and "any_of" in check:
            self.any_of(check, path)
            return
        if not self.mapping(check, path, _CHECK_FIELDS):
            return
        self.comparison(check, path)
        self.threshold_and_notes(check, path)

    def any_of(self, check: dict, path: str) -> None:
        """One check that holds when any of its alternatives (fact, op, value) holds."""
        if not self.mapping(check, path, _ANY_OF_FIELDS):
            return
        alternatives = check["any_of"]
        if not isinstance(alternatives, list) or len(alternatives) < 2:
            self.problem(f"{path}.any_of", "any_of must list at least two alternatives")
            alternatives = []
        for index, alternative in enumerate(alternatives):
            where = f"{path}.any_of[{index}]"
            if self.mapping(alternative, where, _ALTERNATIVE_FIELDS):
                self.comparison(alternative, where)
        self.threshold_and_notes(check, path)

    def comparison(self, check: dict, path: str) -> None:
        fact = check.get("fact")
        if not isinstance(fact, str) or not FACT_PATTERN.match(fact):
            self.problem(path, "fact must be a dotted name such as deployments.per_week")
        op = check.get("op")
        if op not in CHECK_OPERATORS:
            self.problem(
                f"{path}.op" if "op" in check else path,
                f"unknown check operator {op!r}; use one of {' '.join(CHECK_OPERATORS)}",
            )
        value = check.get("value")
        if op in VALUELESS_OPERATORS:
            if "value" in check:
                self.problem(f"{path}.value", f"{op} takes no value")
        elif value is None:
            self.problem(path, "missing value")
        elif not isinstance(value, int | float | bool):
            self.problem(f"{path}.value", "value must be a number or true/false")
        elif isinstance(value, bool) and op not in ("==", "!="):
            self.problem(f"{path}.op", "true/false can only be compared with == or !=")

    def threshold_and_notes(self, check: dict, path: str) -> None:
        if check.get("threshold") not in THRESHOLD_SOURCES:
            self.problem(path, "threshold must say ours or standard (does the standard state this figure?)")
        self.text(check, path, "note_zh", required=False)
        self.text(check, path, "note_en", required=False)


def validate_catalog(data: Any, lines: dict[str, int]) -> list[Problem]:
    """Every way the document breaks format 1, in document order."""
    validator = _Validator(lines)
    validator.model(data)
    return sorted(validator.problems, key=lambda problem: (problem.line or 0, problem.path))
