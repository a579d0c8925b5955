"""Rendered sub-item blocks of the questionnaire page, cached so an unchanged block is not rendered again.

Rendering a block (a sub-item's level and its five criterion rows with their forms and evidence) is most of a
questionnaire page's cost. A block is stored under a key made of everything it shows:

- its data (selectors.questionnaire sets `block.version`): the assessment, target level and pinned model
  version, the sub-item, its level and gap, and per criterion the answer's id, value and `updated_at` (every
  save sets a new one), the automatic verdict (with when it was computed) and each shown piece of evidence
  (id, content digest, uploader's name, reading status and when it changed; evidence is otherwise never
  edited, and removed evidence is not shown). Any change of data therefore changes the key;
- how it is shown: language, time zone, whether the viewer may edit, and the URL prefixes;
- today's date, since evidence is flagged as expiring or expired by it.

Nothing in a block depends on who views it beyond that (a block shows the assessment's data, to people the
access check has already let see that assessment), so one rendering serves every viewer: the next person to
open the page, or the same person in a new browser session. The one personal thing in the page, the forms'
CSRF token, is rendered as a placeholder and replaced by the viewer's own token in each response
(render_page).

Each block has one place in the cache (its slot: the sub-item and how it is shown), holding the latest rendering
with a digest of what it was rendered from (its version: the data above and today's date). A rendering is shown
only when its version is the block's current one, and a new one replaces the old, so the cache holds one
rendering per block and way of showing it, never a trail of outdated ones. The cache is in-process memory
("fragments" in settings.CACHES), never shared between processes or kept across deploys, so new templates or
translations never meet old blocks.

A whole page's content is kept the same way ("pages", page_key), its version a fingerprint of everything the
page shows that can change, read in one query (content_fingerprint): an unchanged page costs that query and a
lookup.
"""

import datetime
import hashlib
from typing import NamedTuple

from django.core.cache import caches
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from assessment.selectors import questionnaire as selectors
from assessment.selectors.questionnaire_state import content_fingerprint

VERSION = 5  # bump when a block's markup changes in a way the key does not capture
# Stands for the viewer's CSRF token in cached markup. Letters only, so escaping leaves it as it is; were a
# person to type it into an answer, the page would show them their own token there, nothing else.
CSRF_PLACEHOLDER = "CsrfTokenOfTheViewerGoesHere"


def render_page(request, context: dict, *, status: int = 200) -> HttpResponse:
    """The questionnaire page (cached content or freshly rendered) with the viewer's CSRF token in its forms."""
    response = render(request, "questionnaire/page.html", {**context, "csrf_token": CSRF_PLACEHOLDER}, status=status)
    response.content = response.content.replace(CSRF_PLACEHOLDER.encode(), get_token(request).encode())
    return response


def _shown(assessment, *, editable: bool, urls: dict) -> tuple:
    """How content is shown (see the module's docstring)."""
    return (
        VERSION,
        translation.get_language(),
        timezone.get_current_timezone_name(),
        editable,
        tuple(urls.values()),
        assessment.pk,
        assessment.target_level,
        assessment.model_id,
        assessment.model.content_sha256,
    )


class PageKey(NamedTuple):
    slot: str  # the page's place in the cache: the assessment's page and how it is shown
    version: str  # what it shows right now: a stored content is served only if made from this


def _digest(value) -> str:
    return hashlib.sha256(repr(value).encode()).hexdigest()


def _today() -> datetime.date:
    """Evidence is flagged as it nears and passes its expiry date (Evidence.expiry_status)."""
    return timezone.localdate()


def page_key(assessment, subdomain_code: str, *, editable: bool, urls: dict) -> PageKey:
    shown = _shown(assessment, editable=editable, urls=urls)
    content = (assessment.state, _today(), content_fingerprint(assessment.pk))
    return PageKey("questionnaire-page:" + _digest((shown, subdomain_code)), _digest(content))


def cached_page(key: PageKey) -> SafeString | None:
    version, html = caches["pages"].get(key.slot, ("", ""))
    # The app's own rendered, already escaped output, stored by remember_page: safe to insert as it is.
    return mark_safe(html) if version == key.version else None  # noqa: S308


def remember_page(key: PageKey, html: str) -> None:
    caches["pages"].set(key.slot, (key.version, html))


def prepare(page: selectors.Questionnaire, *, editable: bool, urls: dict, failed_row=None) -> None:
    """Gives each block of the page its cached HTML, or its rows and a cache key to store it under once
    rendered (see cached_block in questionnaire_format). The block showing a refused answer is never cached."""
    shown, today = _shown(page.assessment, editable=editable, urls=urls), _today()
    failed = failed_row.criterion.pk if failed_row else None
    keys = {}
    for block in page.blocks:
        if all(criterion.pk != failed for criterion in block.criteria):
            block.cache_key = "questionnaire-block:" + _digest((shown, block.subitem.pk))
            block.cache_version = _digest((today, block.version))
            keys[block.cache_key] = block
    for key, (version, html) in caches["fragments"].get_many(list(keys)).items():
        if version == keys[key].cache_version:
            keys[key].html = html
    selectors.load_rows(
        page.assessment, [block for block in page.blocks if block.html is None], page.verdicts, page.requests
    )


def remember(block: selectors.SubItemBlock, html: str) -> None:
    if block.cache_key:
        caches["fragments"].set(block.cache_key, (block.cache_version, html))
