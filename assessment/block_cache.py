"""Rendered sub-item blocks of the questionnaire page, cached so an unchanged block is not rendered again.

Rendering a block (a sub-item's level and its five criterion rows with their forms and evidence) is most of a
questionnaire page's cost. A block is stored under a key made of everything it shows:

- its data (selectors.questionnaire sets `block.version`): the assessment, target level and pinned model
  version, the sub-item, its level and gap, and per criterion the answer's id, value and `updated_at` (every
  save sets a new one), the automatic verdict (with when it was computed) and each shown piece of evidence
  (id, content digest, uploader's name, reading status and when it changed; evidence is otherwise never
  edited, and removed evidence is not shown). Any change of data therefore changes the key;
- how it is shown: language, time zone, today's date (evidence is flagged as expiring or expired by it),
  whether the viewer may edit, and the URL prefixes;
- the browser session's CSRF secret, because the forms carry a CSRF token. A block is therefore only ever
  reused for the browser session it was rendered for (Django rotates the secret at sign-in), so no person sees
  a block rendered for another, whatever the data says.

The key is a SHA-256 digest, so no secret is stored in it. The cache is in-process memory ("fragments" in
settings.CACHES), never shared between processes or kept across deploys.
"""

import hashlib

from django.core.cache import caches
from django.middleware.csrf import get_token
from django.utils import timezone, translation

from assessment.selectors import questionnaire as selectors

VERSION = 3  # bump when a block's markup changes in a way the key does not capture


def prepare(request, page: selectors.Questionnaire, *, editable: bool, urls: dict, failed_row=None) -> None:
    """Gives each block of the page its cached HTML, or its rows and a cache key to store it under once
    rendered (see cached_block in questionnaire_format). The block showing a refused answer is never cached."""
    get_token(request)  # makes sure the session has a CSRF secret
    shown = (
        VERSION,
        request.META["CSRF_COOKIE"],
        translation.get_language(),
        timezone.get_current_timezone_name(),
        timezone.localdate(),  # evidence expiry is flagged by today's date (Evidence.expiry_status)
        editable,
        tuple(urls.values()),
        page.assessment.pk,
        page.assessment.target_level,
        page.assessment.model_id,
        page.assessment.model.content_sha256,
    )
    failed = failed_row.criterion.pk if failed_row else None
    keys = {}
    for block in page.blocks:
        if all(criterion.pk != failed for criterion in block.criteria):
            block.cache_key = "questionnaire-block:" + hashlib.sha256(repr((shown, block.version)).encode()).hexdigest()
            keys[block.cache_key] = block
    for key, html in caches["fragments"].get_many(list(keys)).items():
        keys[key].html = html
    selectors.load_rows(
        page.assessment, [block for block in page.blocks if block.html is None], page.verdicts, page.requests
    )


def remember(block: selectors.SubItemBlock, html: str) -> None:
    if block.cache_key:
        caches["fragments"].set(block.cache_key, html)
