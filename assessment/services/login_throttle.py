"""Sign-in throttling: failed sign-ins are counted per user name and per address in Django's cache.

Five failures for one user name within fifteen minutes lock that name for fifteen minutes. An address gets four
times as many, so colleagues behind one office address do not lock each other out with a few typos, while one
address trying many names is still stopped. A successful sign-in clears the user name's count, not the
address's (one good account must not wipe the record of guesses at others).
"""

import hashlib
import math
import time

from django.core.cache import cache

WINDOW_SECONDS = 15 * 60
LOCK_SECONDS = 15 * 60
FAILURES_PER_USERNAME = 5
FAILURES_PER_ADDRESS = 4 * FAILURES_PER_USERNAME


def _key(kind: str, value: str) -> str:
    # Hashed: user names are arbitrary text, cache keys are not.
    return f"login-throttle:{kind}:" + hashlib.sha256(value.encode()).hexdigest()


def _subjects(*, username: str, address: str) -> list[tuple[str, int]]:
    subjects = [(_key("username", username.strip().casefold()), FAILURES_PER_USERNAME)]
    if address:
        subjects.append((_key("address", address), FAILURES_PER_ADDRESS))
    return subjects


def minutes_locked(*, username: str, address: str) -> int:
    """Whole minutes (at least 1) until sign-ins for this user name or from this address are accepted; 0 if now."""
    now = time.time()
    until = max((cache.get(f"{key}:locked-until", 0) for key, _limit in _subjects(username=username, address=address)))
    return math.ceil((until - now) / 60) if until > now else 0


def record_failure(*, username: str, address: str) -> None:
    for key, limit in _subjects(username=username, address=address):
        cache.add(key, 0, WINDOW_SECONDS)  # the window starts at the first failure
        try:
            failures = cache.incr(key)
        except ValueError:  # the window expired between add and incr
            cache.set(key, 1, WINDOW_SECONDS)
            failures = 1
        if failures >= limit:
            cache.set(f"{key}:locked-until", time.time() + LOCK_SECONDS, LOCK_SECONDS)
            cache.delete(key)


def clear(*, username: str) -> None:
    key = _key("username", username.strip().casefold())
    cache.delete_many([key, f"{key}:locked-until"])
