"""The questionnaire's criterion rows, answer forms and evidence entries as HTML, built in Python.

A questionnaire page repeats one criterion row per criterion shown (245 for all of Part 3). Written as template
partials the rows took about 500 template nodes each, most of the page's time; here a row is a few f-strings
over labels translated once per page, with every value from the database escaped by `_e` (the standard
library's html.escape, which is what Django's escape calls, without its lazy-string wrapper that cost more than
the escaping). The markup matches the rest of page.html; its classes and ids are what the scripts, styles and
tests rely on.

Tags: `{% questions page %}` (a page's sections, items and sub-item blocks), `{% subitem_level subitem level
blocking oob %}`, `{% criterion_row row %}`, `{% answer_form row %}`, `{% evidence_entry item %}`. They read
`editable`, `urls`, `csrf_token` and `assessment` from the template context.
"""

import functools
import html

from django import template
from django.template.defaultfilters import filesizeformat
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from assessment.models import AnswerValue
from assessment.templatetags.questionnaire_format import answer_label, level_list, verdict_label

register = template.Library()

# A stand-in id for URLs reversed once per page and completed per object (see _Page.url).
_ANY_ID = 9_876_543_210


def _e(value) -> str:
    """Text from the database or a person, escaped for HTML text and attribute values."""
    return html.escape(str(value))


@functools.cache
def _labels(language: str) -> dict[str, str]:
    """The rows' fixed texts in the active language (named by `language`, which keys the cache), escaped."""
    texts = {
        "above_target": _("above target"),
        "inferred": _("inferred"),
        "comment": _("Comment"),
        "justification": _("Why it does not apply (required for N/A)"),
        "save": _("Save"),
        "saving": _("Saving…"),
        "failed": _("Not saved: check your connection and try again."),
        "saved": _("Saved"),
        "automatic_check": _("Automatic check"),
        "why_not": _("Why it does not apply"),
        "not_answered": _("Not answered"),
        "evidence": _("Evidence"),
        "remove": _("Remove"),
        "confirm_remove": _("Remove this evidence? The removal is recorded."),
        "add_evidence": _("Add evidence"),
        "reuse_evidence": _("Reuse evidence already in this assessment"),
        "asks": _("The assessor asks for more information"),
        "your_reply": _("Your reply"),
        "reply_label": _("Reply to the assessor (changing the answer or the evidence also sends it back for review)"),
        "send_reply": _("Send reply"),
        "answered_request": _("Answered: goes back to the assessor with the next submission."),
        "facts": _("Facts read from the file"),
        "expires": _("expires"),
        "expired": _("Expired: no longer supports this criterion"),
        "expiring": _("Expires within 30 days"),
        "answer_for": _("Answer for %(code)s"),
        "claimed_level": _("Claimed level"),
        "below_target": _("below target %(target)s: level %(levels)s not met"),
        "meets_target": _("meets the target"),
        "notes": _("Notes from the standard"),
    }
    return {name: _e(text) for name, text in texts.items()}


class _Page:
    """What every row of one rendering shares: the viewer's rights, translated labels, URL patterns."""

    def __init__(self, context: template.Context):
        self.editable = bool(context.get("editable"))
        self.assessment = context.get("assessment")
        self.urls = {name: _e(url) for name, url in (context.get("urls") or {}).items()}
        self.csrf_token = _e(context.get("csrf_token") or "")
        language = get_language()
        self.chinese = (language or "").startswith("zh")  # as the catalogue's own name and text properties
        self.other_language = "en" if self.chinese else "zh-CN"
        self.timezone = timezone.get_current_timezone()
        self.labels = _labels(language)
        self.choices = _choices(language)
        self.script_prefix = get_script_prefix()

    def url(self, name: str, object_id: int) -> str:
        """reverse(name, args=(object_id,)), reversed once per process."""
        return _url_pattern(name, self.script_prefix).replace(str(_ANY_ID), str(int(object_id)))


@functools.cache
def _choices(language: str) -> list[tuple[str, str]]:
    return [(value, _e(label)) for value, label in AnswerValue.choices]


@functools.cache
def _url_pattern(name: str, script_prefix: str) -> str:
    """A URL taking one id, with _ANY_ID in its place (script_prefix, which reverse() reads, keys the cache)."""
    return _e(reverse(name, args=(_ANY_ID,)))


def _page(context: template.Context) -> _Page:
    """One _Page per rendering (render_context lives as long as one template render)."""
    page = context.render_context.get(_Page)
    if page is None:
        page = context.render_context[_Page] = _Page(context)
    return page


@register.simple_tag(takes_context=True)
def questions(context, questionnaire) -> SafeString:
    """The page's questions: per sub-domain (headed when the page shows them all) its items and their sub-items."""
    page, parts = _page(context), []
    for section, items in questionnaire.sections:
        if questionnaire.current is None:
            parts.append(f'    <h2 class="section-heading">{_names(page, section)}</h2>\n')
        for item, blocks in items:
            parts.append(f"    <h2>{_names(page, item)}</h2>\n")
            parts.extend(_block(page, block) for block in blocks)
    return mark_safe("".join(parts))  # noqa: S308 - every value in it went through _e


def _names(page: _Page, node) -> str:
    """A catalogue node's name in the page's language, with the other language's beside it."""
    name, other_name = (node.name_zh, node.name_en) if page.chinese else (node.name_en, node.name_zh)
    return f'{_e(name)} <span class="muted small">{_e(other_name)}</span>'


def _block(page: _Page, block) -> str:
    """A sub-item's heading, claimed level and criterion rows."""
    subitem, pk = block.subitem, block.subitem.pk
    rows = "".join(_row(page, row) for row in block.rows)
    note = subitem.note_zh if page.chinese else subitem.note_en
    if note:
        note = _e(note.replace("\r\n", "\n")).replace("\n", "<br>")
        note = (
            f'      <details class="subitem-note"><summary>{page.labels["notes"]}</summary>'
            f'<p class="small">{note}</p></details>\n'
        )
    return (
        f'    <article class="subitem-block" id="s-{pk}" aria-labelledby="s-{pk}-name">\n'
        f'      <h3 id="s-{pk}-name">{_names(page, subitem)} <span class="code small">{_e(subitem.code)}</span></h3>\n'
        f"{note}{_level(page, subitem, block.level, block.blocking, oob=False)}"
        f'      <ol class="ladder criteria">\n{rows}      </ol>\n    </article>\n'
    )


@register.simple_tag(takes_context=True)
def subitem_level(context, subitem, level, blocking, oob=False) -> SafeString:
    """A sub-item's claimed level and gap to the target; with oob, for htmx to swap in after a save."""
    return mark_safe(_level(_page(context), subitem, level, blocking, oob=oob))  # noqa: S308 - escaped by _e


def _level(page: _Page, subitem, level, blocking, *, oob: bool) -> str:
    labels = page.labels
    if blocking:
        levels = {"target": page.assessment.target_level, "levels": _e(level_list(blocking))}
        gap = f'<span class="gap">· {labels["below_target"] % levels}</span>'
    else:
        gap = f'<span class="gap gap-none">· {labels["meets_target"]}</span>'
    swap = ' hx-swap-oob="true"' if oob else ""
    return (
        f'<p id="level-{subitem.pk}" class="claimed-level"{swap}>\n'
        f'  {labels["claimed_level"]} <strong class="level-notation">{_e(level.notation)}</strong>\n  {gap}\n</p>\n'
    )


@register.simple_tag(takes_context=True)
def criterion_row(context, row) -> SafeString:
    return mark_safe(_row(_page(context), row))  # noqa: S308 - every value in it went through _e


@register.simple_tag(takes_context=True)
def answer_form(context, row) -> SafeString:
    return mark_safe(_form(_page(context), row))  # noqa: S308 - every value in it went through _e


@register.simple_tag(takes_context=True)
def evidence_entry(context, item) -> SafeString:
    """One piece of evidence as the questionnaire and the review page show it."""
    return mark_safe(_evidence_body(_page(context), item))  # noqa: S308 - every value in it went through _e


def _row(page: _Page, row) -> str:
    criterion, labels = row.criterion, page.labels
    classes = f"criterion rung level-{criterion.level}"
    classes += "" if row.is_required else " above-target"
    classes += " has-error" if row.error else ""
    above = "" if row.is_required else f'<span class="badge">{labels["above_target"]}</span> '
    inferred = f' <span class="badge badge-inferred">{labels["inferred"]}</span>' if criterion.is_inferred else ""
    text, other_text = (
        (criterion.text_zh, criterion.text_en) if page.chinese else (criterion.text_en, criterion.text_zh)
    )
    return (
        f'<li id="c-{criterion.pk}" class="{classes}">\n'
        f'  <div class="rung-level"><span class="level-badge">{criterion.level}</span></div>\n'
        '  <div class="rung-body">\n'
        f'    <p class="criterion-text">{above}{_e(text)}{inferred}</p>\n'
        f'    <p class="muted small" lang="{page.other_language}">{_e(other_text)}</p>\n'
        f"{_request(page, row) if row.request else ''}"
        f"{_verdict(page, row.verdict) if row.verdict else ''}"
        f"{_answer(page, row)}"
        f"{_evidence_list(page, row) if row.evidence else ''}"
        f"{_evidence_actions(page, row) if page.editable else ''}"
        f'    <span class="code small">{_e(criterion.code)}</span>\n'
        "  </div>\n</li>\n"
    )


def _verdict(page: _Page, verdict) -> str:
    return (
        f'    <p class="verdict verdict-{_e(verdict.value)}"><span class="badge">{page.labels["automatic_check"]}: '
        f'{_e(verdict_label(verdict.value))}</span> <span class="small">{_e(verdict.explanation)}</span></p>\n'
    )


def _answer(page: _Page, row) -> str:
    if page.editable:
        return _form(page, row)
    answer = row.answer
    if answer is None:
        return f'    <p class="muted">{page.labels["not_answered"]}</p>\n'
    comment = f" · {_e(answer.comment)}" if answer.comment else ""
    why = ""
    if answer.justification:
        why = f'<br><span class="muted">{page.labels["why_not"]}: {_e(answer.justification)}</span>'
    return f'    <p class="answer-readonly"><strong>{_e(answer_label(answer.value))}</strong>{comment}{why}</p>\n'


def _form(page: _Page, row) -> str:
    criterion, answer, labels, pk = row.criterion, row.answer, page.labels, row.criterion.pk
    value = answer.value if answer else ""
    action = f"{page.urls['answers']}{_e(criterion.code)}/"
    choices = "\n".join(
        f'        <label class="choice choice-{choice}"><input type="radio" name="answer" value="{choice}"'
        f"{' checked' if choice == value else ''}> {label}</label>"
        for choice, label in page.choices
    )
    error = f'      <p class="form-error" role="alert">{_e(row.error)}</p>\n' if row.error else ""
    saved = labels["saved"] if answer is not None and getattr(answer, "updated_at", None) and not row.error else ""
    legend = labels["answer_for"] % {"code": _e(criterion.code)}
    return (
        f'    <form class="answer-form{" has-error" if row.error else ""}" id="f-{pk}" method="post" '
        f'action="{action}"\n          hx-post="{action}" hx-trigger="change" hx-target="this" hx-swap="outerHTML">\n'
        f'      <input type="hidden" name="csrfmiddlewaretoken" value="{page.csrf_token}">\n'
        f'      <fieldset class="choices">\n        <legend class="visually-hidden">{legend}</legend>\n'
        f"{choices}\n      </fieldset>\n"
        f'      <div class="answer-texts">\n        <label for="comment-{pk}">{labels["comment"]}</label>\n'
        f'        <textarea id="comment-{pk}" name="comment" rows="1" maxlength="5000">'
        f"{_e(answer.comment) if answer else ''}</textarea>\n"
        f'        <div class="justification">\n'
        f'          <label for="justification-{pk}">{labels["justification"]}</label>\n'
        f'          <textarea id="justification-{pk}" name="justification" rows="2" maxlength="5000">'
        f"{_e(answer.justification) if answer else ''}</textarea>\n"
        f"        </div>\n      </div>\n{error}"
        f'      <div class="form-actions">\n'
        f'        <button type="submit" class="button button-small">{labels["save"]}</button>\n'
        f'        <span class="save-state" aria-live="polite" data-saving="{labels["saving"]}" '
        f'data-failed="{labels["failed"]}">{saved}</span>\n'
        "      </div>\n    </form>\n"
    )


def _request(page: _Page, row) -> str:
    request, labels, pk = row.request, page.labels, row.criterion.pk
    follow_up = ""
    if not request.is_current:
        follow_up = f'      <p class="small muted">{labels["answered_request"]}</p>\n'
    elif page.editable:
        action = _e(reverse("request-reply", args=(page.assessment.pk, row.criterion.code)))
        follow_up = (
            f'      <form method="post" action="{action}" class="reply-form">\n'
            f'        <input type="hidden" name="csrfmiddlewaretoken" value="{page.csrf_token}">\n'
            f'        <label for="reply-{pk}">{labels["reply_label"]}</label>\n'
            f'        <textarea id="reply-{pk}" name="reply" rows="2" maxlength="5000" required></textarea>\n'
            f'        <button type="submit" class="button button-small">{labels["send_reply"]}</button>\n'
            "      </form>\n"
        )
    reply = f'      <p class="small">{labels["your_reply"]}: {_e(request.reply)}</p>\n' if request.reply else ""
    return (
        f'    <div class="information-request{" is-open" if request.is_current else ""}" role="note">\n'
        f'      <p><strong>{labels["asks"]}</strong>: {_e(request.comment)} <span class="muted small">· '
        f"{_e(request.decided_by.get_username())} · {_local(page, request.decided_at, '%Y-%m-%d %H:%M')}</span></p>\n"
        f"{reply}{follow_up}    </div>\n"
    )


def _evidence_list(page: _Page, row) -> str:
    items = "".join(_evidence_item(page, row, item) for item in row.evidence)
    return f'    <ul class="evidence-list" aria-label="{page.labels["evidence"]}">\n{items}    </ul>\n'


def _evidence_item(page: _Page, row, item) -> str:
    code, target = _e(row.criterion.code), f"#c-{row.criterion.pk}"
    polling = ""
    if item.status in ("pending", "scoring"):
        polling = (
            f' hx-get="{page.url("evidence-row", item.pk)}?criterion={code}" hx-trigger="every 2s" '
            f'hx-target="{target}" hx-swap="outerHTML"'
        )
    removal = ""
    if page.editable:
        remove = page.url("evidence-remove", item.pk)
        removal = (
            f'        <form method="post" action="{remove}" class="inline-form" hx-post="{remove}" '
            f'hx-target="{target}" hx-swap="outerHTML" hx-confirm="{page.labels["confirm_remove"]}">\n'
            f'          <input type="hidden" name="csrfmiddlewaretoken" value="{page.csrf_token}">'
            f'<input type="hidden" name="criterion" value="{code}">\n'
            f'          <button type="submit" class="link-button danger">{page.labels["remove"]}</button>\n'
            "        </form>\n"
        )
    return f"      <li{polling}>\n{_evidence_body(page, item)}{removal}      </li>\n"


def _evidence_body(page: _Page, item) -> str:
    labels = page.labels
    if item.source == "file":
        shown = _file(page, item)
    elif item.source == "link":
        shown = f'<a href="{_e(item.url)}" rel="noopener noreferrer nofollow" target="_blank">{_e(item.name)}</a>'
    else:
        note = _e(item.note.replace("\r\n", "\n").replace("\r", "\n")).replace("\n", "<br>")
        shown = f'<span class="note-evidence">{note}</span>'
    expires = f" · {labels['expires']} {item.expires_on.isoformat()}" if item.expires_on else ""
    expiry = item.expiry_status
    badge = f'        <span class="badge badge-{expiry}">{labels[expiry]}</span>\n' if expiry else ""
    return (
        f"        {shown}\n"
        f'        <span class="muted small">· {_e(item.uploader)} · '
        f'{_local(page, item.uploaded_at, "%Y-%m-%d")} · <span title="SHA-256">{_e(item.sha256[:12])}</span>{expires}'
        f"</span>\n{badge}"
    )


def _file(page: _Page, item) -> str:
    kind = f" · {_e(item.kind)}" if item.kind and item.kind != "other" else ""
    summary = f'<span class="small">{_e(item.summary)}</span>' if item.summary else ""
    reason = f'<span class="small reading-failed">{_e(item.reason)}</span>' if item.reason else ""
    facts = ""
    if item.facts:
        listed = "".join(f"<dt><code>{_e(name)}</code></dt><dd>{_e(value)}</dd>" for name, value in item.facts.items())
        facts = f'<details class="facts"><summary>{page.labels["facts"]}</summary><dl>{listed}</dl></details>'
    return (
        f'<a href="{page.url("evidence-download", item.pk)}" download>{_e(item.name)}</a> '
        f'<span class="muted small">{_e(filesizeformat(item.size))}</span>\n'
        f'        <span class="badge badge-reading-{_e(item.status)}">{_e(item.get_status_display())}{kind}</span>\n'
        f"        {summary}{reason}{facts}"
    )


def _evidence_actions(page: _Page, row) -> str:
    code = _e(row.criterion.code)
    add = f"{page.urls['evidence_add']}?criterion={code}"
    attach = f"{page.urls['evidence_attach']}?criterion={code}"
    return (
        '    <p class="evidence-actions">\n'
        f'      <a href="{add}" hx-get="{add}" hx-target="this" hx-swap="outerHTML">{page.labels["add_evidence"]}</a>\n'
        f'      · <a href="{attach}" hx-get="{attach}" hx-target="this" hx-swap="outerHTML">'
        f"{page.labels['reuse_evidence']}</a>\n    </p>\n"
    )


def _local(page: _Page, moment, pattern: str) -> str:
    """A stored time as the date filter shows it: in the current time zone."""
    return moment.astimezone(page.timezone).strftime(pattern) if moment else ""
