"""Both locales are complete: every interface string has a Chinese translation, and the compiled file is current."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

PO_FILE = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def entries(po_text: str) -> list[tuple[str, str]]:
    """(msgid, msgstr) pairs of a .po file, multi-line strings joined; plural forms give msgstr[0]."""
    pairs, current, field = [], {}, None
    for line in [*po_text.splitlines(), ""]:
        if line.startswith(("msgid ", "msgstr ", "msgstr[0] ", "msgid_plural ")):
            field, _, value = line.partition(" ")
            field = "msgstr" if field.startswith("msgstr") else field
            current[field] = current.get(field, "") + value.strip()[1:-1]
        elif line.startswith('"') and field:
            current[field] += line[1:-1]
        elif not line.strip() and current:
            pairs.append((current.get("msgid", ""), current.get("msgstr", "")))
            current, field = {}, None
        elif line.startswith("msgstr["):
            field = None
    return [(msgid, msgstr) for msgid, msgstr in pairs if msgid]


def test_every_string_is_translated_and_none_is_fuzzy():
    text = PO_FILE.read_text(encoding="utf-8")
    assert "#, fuzzy" not in text
    untranslated = [msgid for msgid, msgstr in entries(text) if not msgstr]
    assert untranslated == []


def test_the_compiled_catalogue_matches_the_source(tmp_path):
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(compiled), str(PO_FILE)], check=True)
    assert compiled.read_bytes() == PO_FILE.with_suffix(".mo").read_bytes(), "run compilemessages and commit"


@pytest.mark.django_db
def test_chinese_is_served_to_chinese_browsers():
    with translation.override("zh-hans"):
        assert translation.gettext("Sign in") == "登录"
    page = Client().get("/", headers={"accept-language": "zh-CN,zh;q=0.9"}).content.decode()
    assert "登录" in page and '<html lang="zh-CN">' in page


def test_no_interface_string_is_missing_from_the_catalogue(tmp_path):
    """makemessages over a copy of the sources finds nothing that the committed catalogue does not translate."""
    import shutil

    root = Path(settings.BASE_DIR)
    for name in ("config", "assessment", "metrics", "templates", "locale"):
        shutil.copytree(root / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(root / "manage.py", tmp_path / "manage.py")
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "--no-obsolete", "--verbosity", "0"],
        cwd=tmp_path,
        check=True,
        env={**os.environ, "DEBUG": "true", "DATABASE_URL": ""},
    )
    extracted = (tmp_path / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    missing = [msgid for msgid, msgstr in entries(extracted) if not msgstr]
    assert missing == [], f"{len(missing)} strings need a translation (makemessages, then translate): {missing[:10]}"
