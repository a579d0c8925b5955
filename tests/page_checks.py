"""What a person checks on a page at a glance, for the browser tour: each function returns the problems it sees."""

import gettext
import re
from pathlib import Path

from django.conf import settings

from assessment.models import (
    Answer,
    Criterion,
    Decision,
    Evidence,
    Item,
    MaturityModel,
    ModelLevel,
    Organisation,
    Part,
    Project,
    SubDomain,
    SubItem,
)
from metrics.bands import band_table

TYPED_BY_PEOPLE_OR_READ_FROM_FILES = {
    Evidence: ("name", "note", "summary", "reason"),
    Answer: ("comment", "justification"),
    Decision: ("comment", "override_reason", "reply"),
}
MO_FILE = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.mo"
# Leftovers of a template or a program that a reader should never see.
LEFTOVERS = re.compile(r"\bNone\b|\bnan\b|\bNaN\b|\bundefined\b|\{\{|\{%|%\(|Traceback|\bInvalid date\b")
# Four or more English words in a row on a Chinese page: a sentence someone forgot to translate.
ENGLISH_RUN = re.compile(r"\b[A-Za-z][a-z'’]+(?:[ ,:]+[A-Za-z][a-z'’]+){3,}")

# The main content's text as a person reads it (closed <details> left out), and the page's own measurements.
READ_PAGE = """() => {
  const main = document.querySelector("main");
  const svgs = [...main.querySelectorAll("svg")].map(svg => ({
    label: svg.getAttribute("aria-label") || svg.querySelector("title")?.textContent || svg.className.baseVal,
    marks: [...svg.querySelectorAll("polyline, circle, rect.bar, polygon")].filter(mark => {
      const box = mark.getBBox();
      return box.width > 0 || box.height > 0;
    }).length,
    visible: svg.getBoundingClientRect().width > 0,
  }));
  return {
    text: main.innerText,
    heading: document.querySelector("main h1")?.innerText ?? "",
    lang: document.documentElement.lang,
    overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    hrefs: [...document.querySelectorAll("a[href]")].map(a => a.getAttribute("href")),
    mainHrefs: [...main.querySelectorAll("a[href^='/']")].map(a => a.getAttribute("href")),
    svgs,
  };
}"""


def read_page(page) -> dict:
    return page.evaluate(READ_PAGE)


def problems_on(seen: dict, *, expected_heading: str, labels: list[str], language: str) -> list[str]:
    """Heading, language, leftovers and overflow: what is wrong on any page, in either language."""
    problems = []
    if not seen["heading"].startswith(expected_heading):
        problems.append(f"heading {seen['heading']!r} does not start with {expected_heading!r}")
    expected_lang = "zh-CN" if language == "zh" else "en"
    if seen["lang"] != expected_lang:
        problems.append(f"<html lang={seen['lang']!r}>, expected {expected_lang!r}")
    problems += [f"shows {match!r}" for match in sorted(set(LEFTOVERS.findall(seen["text"])))]
    problems += [f"missing the label {label!r}" for label in labels if label not in seen["text"]]
    if seen["overflow"] > 0:
        problems.append(f"the page is {seen['overflow']} px wider than the window (horizontal scrolling)")
    problems += [
        f"the chart {svg['label']!r} draws nothing" for svg in seen["svgs"] if svg["visible"] and not svg["marks"]
    ]
    return problems


class ChineseReading:
    """Finds English on a Chinese page: interface strings that have a translation, and English sentences that are
    not the catalogue's or the demo's own names (shown in both languages on purpose)."""

    def __init__(self):
        with MO_FILE.open("rb") as compiled:
            catalogue = gettext.GNUTranslations(compiled)._catalog  # the only way to list the msgids
        self.translated = sorted(
            {
                msgid
                for msgid, msgstr in catalogue.items()
                if isinstance(msgid, str) and " " in msgid and "%" not in msgid and msgstr and msgstr != msgid
            },
            key=len,
            reverse=True,
        )
        self.data_names = sorted(english_names_in_the_data(), key=len, reverse=True)

    def problems(self, text: str) -> list[str]:
        for name in self.data_names:
            text = text.replace(name, " ")
        problems = []
        for msgid in self.translated:
            if re.search(rf"(?<![\w]){re.escape(msgid)}(?![\w])", text):
                problems.append(f"untranslated {msgid!r}")
                text = text.replace(msgid, " ")
        problems += [f"English text {run!r}" for run in sorted(set(ENGLISH_RUN.findall(text)))]
        return problems


def english_names_in_the_data() -> set[str]:
    """Names, descriptions and criteria that the data holds in English, which a Chinese page shows as they are (the
    catalogue is shown in both languages on purpose)."""
    names = set()
    for node in (MaturityModel, ModelLevel, Part, SubDomain, Item, SubItem):
        names.update(node.objects.values_list("name_en", flat=True))
    names.update(Criterion.objects.values_list("text_en", flat=True))
    for project in Project.objects.all():
        names.update([project.name, project.description])
    names.update(Organisation.objects.values_list("name", flat=True))
    # What people wrote, and what was read from their files: a file's summary is written by its parser in English
    # only (the automatic verdicts beside it are bilingual).
    for model, fields in TYPED_BY_PEOPLE_OR_READ_FROM_FILES.items():
        for row in model.objects.values_list(*fields):
            names.update(row)
    names.add(band_table().source)  # the title of the report the DORA bands come from, as the data file has it
    return {name for name in names if name}


def dead_links(page, base_url: str, hrefs: list[str], checked: set[str]) -> list[str]:
    """Follows each link of the main content not followed before (the same session, no rendering): a link that a
    person's role may not open is a broken promise."""
    problems = []
    for href in dict.fromkeys(href.split("#")[0] for href in hrefs):
        if not href or href in checked:
            continue
        checked.add(href)
        status = page.request.get(base_url + href).status
        if status >= 400:
            problems.append(f"the link {href} answers {status}")
    return problems
