"""Uploads are judged by content, and user file names are made safe to show."""

import pytest

from assessment.services.uploads import safe_display_name, sniff_media_type


@pytest.mark.parametrize(
    ("head", "media_type"),
    [
        (b"%PDF-1.7\n...", "application/pdf"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "image/png"),
        (b"\xff\xd8\xff\xe0JFIF", "image/jpeg"),
        (b"PK\x03\x04\x14\x00", "application/zip"),
        (b"\x1f\x8b\x08\x00", "application/gzip"),
        (b'<?xml version="1.0"?><testsuites/>', "application/xml"),
        (b"\xef\xbb\xbf<testsuite/>", "application/xml"),
        (b'  {"version": "2.1.0"}', "application/json"),
        (b"stages:\n  - build\n", "text/plain"),
        ("部署记录,2026-11-01\n".encode(), "text/plain"),
    ],
)
def test_accepted_kinds_are_recognised_by_content(head, media_type):
    assert sniff_media_type(head) == media_type


@pytest.mark.parametrize(
    "head",
    [
        b"MZ\x90\x00\x03\x00\x00\x00",  # Windows executable
        b"\x7fELF\x02\x01\x01\x00",  # Linux executable
        b"<!DOCTYPE html><html><script>alert(1)</script>",
        b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>",
        b"\xfe\xed\xfa\xce\x00\x00",  # Mach-O
        b"text with a \x00 byte",
        b"\xff\xfe\xfd invalid utf-8 in the middle of plenty of text",
    ],
)
def test_other_content_is_refused_whatever_its_name(head):
    assert sniff_media_type(head) is None


def test_a_multibyte_character_cut_at_the_end_of_the_head_is_still_text():
    assert sniff_media_type("测试报告".encode()[:-1]) == "text/plain"


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("report.xml", "report.xml"),
        ("../../etc/passwd", "passwd"),
        ("..\\..\\windows\\system32\\cmd.exe", "cmd.exe"),
        ("evil\x00name\r\n.pdf", "evilname.pdf"),
        ("...", "evidence"),
        (".hidden", "hidden"),
        ("", "evidence"),
        ("测试报告.pdf", "测试报告.pdf"),
        ("invoice\u202efdp.exe", "invoicefdp.exe"),
    ],
)
def test_file_names_are_shown_safely(name, shown):
    assert safe_display_name(name) == shown


def test_long_names_are_cut_keeping_the_extension():
    shown = safe_display_name("x" * 500 + ".xml")
    assert len(shown) == 200 and shown.endswith(".xml")
