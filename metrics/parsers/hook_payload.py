"""What a provider module makes of one webhook delivery."""

from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.utils.translation import gettext as _


@dataclass
class Reading:
    """The delivery's id and time (for replay checks) and the events it carries, or why it carries none."""

    delivery_id: str
    event: str
    sent_at: datetime | None = None
    events: list[dict] = field(default_factory=list)
    ignored: str = ""


class UnreadablePayload(ValueError):
    """The payload is JSON but not the shape this event type has."""


def iso(value) -> str | None:
    """A provider's time as ISO-8601 with an offset; GitLab's "2026-05-01 10:00:00 UTC" and "+0800" forms too."""
    if value in (None, ""):
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return from_epoch(value)
    text = str(value).strip()
    if text.endswith(" UTC"):
        text = text[:-4] + "+00:00"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        try:
            moment = datetime.strptime(text, "%Y-%m-%d %H:%M:%S %z")
        except ValueError:
            raise UnreadablePayload(_("unreadable time “%(time)s”") % {"time": text[:40]}) from None
    return moment.isoformat()


def from_epoch(value: float) -> str:
    """Seconds since the epoch, or milliseconds (Jenkins) when the number is too large to be seconds."""
    seconds = value / 1000 if value > 10**11 else value
    try:
        return datetime.fromtimestamp(seconds, tz=UTC).isoformat()
    except (OverflowError, OSError, ValueError):
        raise UnreadablePayload(_("time %(time)s is out of range") % {"time": value}) from None


def moment(value) -> datetime | None:
    """The delivery's own time for the replay window; a time without an offset is taken as UTC there."""
    text = iso(value)
    if not text:
        return None
    parsed = datetime.fromisoformat(text)
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def get(payload, *path, default=None):
    """payload[a][b]… or the default when any step is missing or not an object."""
    for key in path:
        if not isinstance(payload, dict) or key not in payload:
            return default
        payload = payload[key]
    return payload
