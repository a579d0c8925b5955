"""Reads one delivery event as CI tools send it (DESIGN.md §8) into typed values, or says what is wrong.

Pure: no ORM, no request. The REST endpoint, the webhooks and the CSV import all pass through `read_event`, so
one event means the same whichever way it came in. Keys we do not know are ignored (senders may add fields);
fields the type knows but the event omits get their empty value, so a later delivery replaces the whole row.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from metrics.models import Build, BuildResult, Change, Deployment, Incident, Result

MODELS = {"deployment": Deployment, "change": Change, "build": Build, "incident": Incident}
# Environment names that mean production when the sender does not say `is_production` (compared lower-case).
PRODUCTION_NAMES = {"production", "prod", "prd", "live", "生产", "生产环境", "正式", "正式环境"}
_LARGEST_OFFSET = timedelta(hours=14)  # the widest offset in use (Kiribati, +14:00)
_TRUE = {"true", "1", "yes", "y", "是"}
_FALSE = {"false", "0", "no", "n", "否", ""}


@dataclass(frozen=True)
class EventRow:
    """A valid event: its type, the sender's key and the values of its model's fields."""

    type: str
    source: str
    external_id: str
    values: dict

    @property
    def key(self) -> tuple[str, str, str]:
        return self.type, self.source, self.external_id


class InvalidEvent(Exception):
    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(errors)
        self.errors = errors


def _text(limit: int, *, required: bool = False):
    def read(value):
        if value is None or value == "":
            if required:
                raise ValueError(_("This field is required."))
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise ValueError(_("Expected text."))
        value = str(value).strip()
        if "\x00" in value:
            raise ValueError(_("Text may not contain NUL characters."))
        if required and not value:
            raise ValueError(_("This field is required."))
        if len(value) > limit:
            raise ValueError(_("At most %(limit)d characters.") % {"limit": limit})
        return value

    return read


def _time(*, required: bool):
    def read(value):
        if value is None or value == "":
            if required:
                raise ValueError(_("This field is required."))
            return None
        if not isinstance(value, str):
            raise ValueError(_("Expected an ISO-8601 time such as 2026-05-01T10:00:00+08:00."))
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(_("Not an ISO-8601 time; expected e.g. 2026-05-01T10:00:00+08:00.")) from None
        offset = moment.utcoffset()
        if offset is None:
            # A time without an offset is ambiguous across the teams' time zones: we refuse to guess.
            raise ValueError(_("The time has no UTC offset; add one, e.g. +08:00 or Z."))
        if abs(offset) > _LARGEST_OFFSET:
            raise ValueError(_("The UTC offset is out of range (from -12:00 to +14:00)."))
        try:
            return moment.astimezone(UTC)  # stored and compared as one instant, whatever the sender's zone
        except OverflowError:
            raise ValueError(_("The time is out of range.")) from None

    return read


def _choice(choices):
    allowed = [value for value, _label in choices]

    def read(value):
        if not isinstance(value, str) or value.strip().lower() not in allowed:
            raise ValueError(_("Expected one of: %(choices)s.") % {"choices": ", ".join(allowed)})
        return value.strip().lower()

    return read


def _flag(value):
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise ValueError(_("Expected true or false."))


_SHA = _text(64)
FIELDS = {
    "deployment": {
        "environment": _text(100, required=True),
        "started_at": _time(required=False),
        "finished_at": _time(required=True),
        "result": _choice(Result.choices),
        "commit_sha": _SHA,
        "previous_commit_sha": _SHA,
        "version": _text(100),
        "is_production": _flag,
    },
    "change": {
        "commit_sha": _text(64, required=True),
        "title": _text(300),
        "authored_at": _time(required=True),
        "merged_at": _time(required=False),
    },
    "build": {
        "name": _text(200),
        "branch": _text(200),
        "started_at": _time(required=True),
        "finished_at": _time(required=True),
        "result": _choice(BuildResult.choices),
        "trigger": _text(50),
        "commit_sha": _SHA,
    },
    "incident": {
        "title": _text(300),
        "severity": _text(30),
        "opened_at": _time(required=True),
        "resolved_at": _time(required=False),
    },
}
# (earlier, later): a pair in the wrong order is refused rather than stored as a negative duration. A change's
# author time may follow its merge (rebased or cherry-picked commits), so changes are not checked.
ORDERED = {
    "deployment": ("started_at", "finished_at"),
    "build": ("started_at", "finished_at"),
    "incident": ("opened_at", "resolved_at"),
}
_ORDER_MESSAGE = gettext_lazy("Must not be earlier than %(field)s.")


def read_event(item, *, default_source: str = "api") -> EventRow:
    """The event's typed values; raises InvalidEvent naming each bad field."""
    if not isinstance(item, dict):
        raise InvalidEvent({"non_field_errors": [_("Each event must be a JSON object.")]})
    kind = item.get("type")
    if kind not in MODELS:
        raise InvalidEvent({"type": [_("Expected one of: %(choices)s.") % {"choices": ", ".join(MODELS)}]})
    errors: dict[str, list[str]] = {}
    source = _read_into(errors, "source", _text(30), item.get("source")) or default_source
    external_id = _read_into(errors, "external_id", _text(200, required=True), item.get("external_id"))
    values = {name: _read_into(errors, name, read, item.get(name)) for name, read in FIELDS[kind].items()}
    earlier, later = ORDERED.get(kind, ("", ""))
    if values.get(earlier) and values.get(later) and values[later] < values[earlier]:
        errors.setdefault(later, []).append(str(_ORDER_MESSAGE % {"field": earlier}))
    if errors:
        raise InvalidEvent(errors)
    if kind == "deployment" and values["is_production"] is None:
        values["is_production"] = values["environment"].lower() in PRODUCTION_NAMES
    return EventRow(kind, source, external_id, values)


def _read_into(errors: dict, name: str, read, value):
    try:
        return read(value)
    except ValueError as error:
        errors.setdefault(name, []).append(str(error))
        return None
