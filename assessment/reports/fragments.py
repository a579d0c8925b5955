"""Rendered report fragments (the report's body, the portfolio's tables), cached under a key made of everything
they show, so an unchanged report or portfolio is not rendered again.

Rendering dominates these pages (the heat map alone is 245 cells), while what they show changes rarely. The key
is a SHA-256 digest of the fragment's data version plus how it is shown (language, time zone, fragment version):

- a report body: selectors.reports.fingerprint (the assessment, its answers, evidence and links, verdicts,
  decisions, state and pinned model version), the reading, and whether links into the app are shown;
- the portfolio tables: every row's project, current assessment, level summary and last activity, the filters.

Fragments hold no CSRF token and nothing personal, and a person only reaches one after the access check for
the object it shows. The cache is in-process memory ("fragments" in settings.CACHES), emptied by a deploy.
"""

import hashlib
from collections.abc import Callable

from django.core.cache import caches
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

VERSION = 1  # bump when a fragment's markup changes in a way the key does not capture


def cached_html(kind: str, data_version, render: Callable[[], str]) -> SafeString:
    """The fragment's HTML from the cache, or rendered now and stored."""
    shown = (VERSION, kind, translation.get_language(), timezone.get_current_timezone_name(), data_version)
    key = f"report-fragment:{kind}:" + hashlib.sha256(repr(shown).encode()).hexdigest()
    cache = caches["fragments"]
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, html)
    return mark_safe(html)  # noqa: S308 - our own template's output, escaped when it was rendered
