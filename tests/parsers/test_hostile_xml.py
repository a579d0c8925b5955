"""Hostile and broken XML: every case ends in ParseError with a readable reason, never a leak, a hang or a crash."""

import io
import socket
import threading
import time

import pytest
from lxml import etree

from assessment.parsers import coverage, junit, xmlstream
from assessment.parsers.base import ParseError
from tests.parsers.conftest import source_of

SECRET = "alice-private-token-4f1d"


@pytest.fixture
def secret_file(tmp_path):
    """A local file an attacker would like to read, holding a marker and three extra test cases."""
    path = tmp_path / "secret.xml"
    path.write_text(f'<testcase name="{SECRET}"/><testcase name="{SECRET}"/><testcase name="{SECRET}"/>')
    return path


@pytest.fixture
def listener():
    """A local TCP port that records every connection, to prove the parsers fetch nothing."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.2)
    connections: list[str] = []
    stop = threading.Event()

    def accept():
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except TimeoutError:
                continue
            connections.append("connected")
            connection.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1], connections
    stop.set()
    thread.join()
    server.close()


def reason_for(read, parser, data: bytes) -> str:
    with pytest.raises(ParseError) as caught:
        read(parser, data)
    return caught.value.reason


def test_parser_options_are_pinned():
    """Fails if anyone enables entity resolution, DTD loading, network access or lifts libxml2's limits."""
    assert xmlstream.PARSER_OPTIONS == {
        "resolve_entities": False,
        "no_network": True,
        "load_dtd": False,
        "huge_tree": False,
        "remove_comments": True,
        "remove_pis": True,
        "collect_ids": False,
    }


def test_the_pinned_options_leave_an_external_entity_unexpanded(secret_file):
    """Below the parsers' own refusal of entities: lxml with our options never reads the file."""
    document = f"""<!DOCTYPE t [<!ENTITY x SYSTEM "{secret_file.as_uri()}">]>
        <testsuite><testcase name="a"><system-out>&x;</system-out></testcase></testsuite>""".encode()
    seen = []

    for _event, element in etree.iterparse(io.BytesIO(document), events=("end",), **xmlstream.PARSER_OPTIONS):
        seen.append(etree.tostring(element, encoding="unicode"))
        seen.extend(element.attrib.values())

    assert not any(SECRET in text for text in seen)
    assert sum(text.startswith("<testcase") for text in seen) == 1


@pytest.mark.parametrize("where", ["name", "system-out", "case-list"])
def test_external_entity_is_refused_and_never_read(read, secret_file, where):
    reference = {
        "name": '<testcase name="&x;"/>',
        "system-out": '<testcase name="a"><system-out>&x;</system-out></testcase>',
        "case-list": '<testcase name="a"/>&x;',
    }[where]
    document = f'<!DOCTYPE testsuite [<!ENTITY x SYSTEM "{secret_file.as_uri()}">]><testsuite>{reference}</testsuite>'

    with pytest.raises(ParseError) as caught:
        read(junit, document.encode())

    assert "entities" in caught.value.reason
    assert SECRET not in caught.value.reason


def test_entity_declared_after_a_long_comment_is_still_refused(read, secret_file):
    padding = "<!--" + "x" * 70_000 + "-->"
    document = f'<!DOCTYPE testsuite [{padding}<!ENTITY x SYSTEM "{secret_file.as_uri()}">]><testsuite>&x;</testsuite>'

    assert "entities" in reason_for(read, junit, document.encode())


def test_external_parameter_entity_is_refused_without_network(read, listener):
    port, connections = listener
    document = f"""<!DOCTYPE testsuite [<!ENTITY % remote SYSTEM "http://127.0.0.1:{port}/evil.dtd"> %remote;]>
        <testsuite><testcase name="a"/></testsuite>""".encode()

    assert "entities" in reason_for(read, junit, document)
    time.sleep(0.3)
    assert connections == []


def test_external_dtd_is_never_loaded(read, secret_file, tmp_path, listener):
    port, connections = listener
    dtd = tmp_path / "evil.dtd"
    dtd.write_text(f'<!ENTITY x SYSTEM "{secret_file.as_uri()}">')
    local = f'<!DOCTYPE testsuite SYSTEM "{dtd.as_uri()}"><testsuite><testcase name="a"/>&x;</testsuite>'
    remote = f'<!DOCTYPE testsuite SYSTEM "http://127.0.0.1:{port}/junit.dtd"><testsuite><testcase/></testsuite>'

    try:
        facts = read(junit, local.encode()).facts
    except ParseError as error:
        assert SECRET not in error.reason
    else:
        assert facts["junit.tests"] == 1
    assert read(junit, remote.encode()).facts["junit.tests"] == 1
    time.sleep(0.3)
    assert connections == []


def test_coverage_doctype_pointing_at_a_remote_dtd_is_parsed_without_fetching(read, listener):
    port, connections = listener
    document = f"""<?xml version="1.0"?>
        <!DOCTYPE coverage SYSTEM "http://127.0.0.1:{port}/xml/coverage-04.dtd">
        <coverage line-rate="0.5" branch-rate="0" lines-covered="1" lines-valid="2" version="2.1.1">
        <packages/></coverage>""".encode()

    assert read(coverage, document).facts["coverage.line_rate"] == 0.5
    time.sleep(0.3)
    assert connections == []


def billion_laughs() -> bytes:
    entities = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{level} "{f"&lol{level - 1};" * 10}">' for level in range(1, 10)
    )
    document = f'<?xml version="1.0"?><!DOCTYPE testsuite [{entities}]><testsuite><testcase name="&lol9;"/></testsuite>'
    return document.encode()


def quadratic_blowup() -> bytes:
    declaration = f'<!DOCTYPE testsuite [<!ENTITY a "{"A" * 50_000}">]>'
    return f"{declaration}<testsuite><testcase>{'&a;' * 50_000}</testcase></testsuite>".encode()


@pytest.mark.parametrize("document", [billion_laughs(), quadratic_blowup()], ids=["billion-laughs", "quadratic"])
@pytest.mark.parametrize("parser", [junit, coverage])
def test_entity_expansion_attacks_are_refused_quickly(read, document, parser):
    started = time.monotonic()

    assert "entities" in reason_for(read, parser, document)
    assert time.monotonic() - started < 1.0


def test_entity_refusal_does_not_depend_on_the_head_check(read, monkeypatch):
    """libxml2's own view of the DOCTYPE backs up the quick check on the head."""
    monkeypatch.setattr(xmlstream, "_refuse_declared_entities", lambda head: None)

    assert "entities" in reason_for(read, junit, b'<!DOCTYPE t [<!ENTITY x "y">]><testsuite>&x;</testsuite>')
    assert "expands entities" in reason_for(read, junit, billion_laughs())


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        (b"", "empty"),
        (b"  \n\t ", "empty"),
        (b'<testsuite><testcase name="a"/><testcase name="b"', "truncated"),
        (b'<?xml version="1.0"?><testsuites><testsuite><testcase name="a">', "truncated"),
        (b'<testsuite><testcase name="caf\xe9"/></testsuite>', "UTF-8"),
        (b'<testsuite><testcase name="\xff\xfe"/></testsuite>', "UTF-8"),
        (b'<testsuite><testcase name="a\x00"/></testsuite>', "not well-formed"),
        (b'<testsuite><testcase name="a"/><<testcase/></testsuite>', "not well-formed"),
        (b'<testsuite><testcase name="a"/></testsuite><extra/>', "not well-formed"),
        (b"<a>" * 100_000 + b"</a>" * 100_000, "256 levels"),
        (b'<testsuite><testcase name="' + b"A" * (11 * 1024 * 1024) + b'"/></testsuite>', "larger than 10 MB"),
        (b"<testsuite><testcase>" + b"A" * (11 * 1024 * 1024) + b"</testcase></testsuite>", "larger than 10 MB"),
    ],
    ids=[
        "empty",
        "blank",
        "truncated-in-tag",
        "truncated-in-element",
        "latin-1-byte",
        "invalid-utf8",
        "nul",
        "garbage",
        "two-roots",
        "deep-nesting",
        "huge-attribute",
        "huge-text",
    ],
)
def test_broken_xml_gives_a_readable_reason(read, document, expected):
    assert expected in reason_for(read, junit, document)


def test_wrong_kind_is_refused_by_name(read):
    cobertura = b'<coverage line-rate="0.5"><packages/></coverage>'
    html = b"<!DOCTYPE html><html><body><p>Build #42 passed</p></body></html>"

    assert reason_for(read, junit, cobertura) == (
        "The root element is <coverage>, not <testsuites> or <testsuite>: not a JUnit report."
    )
    assert "<html>" in reason_for(read, junit, html)
    assert "not a coverage report" in reason_for(read, coverage, b"<testsuite><testcase/></testsuite>")


def test_wrong_kind_is_refused_before_a_large_file_is_read():
    """The root is judged at the first element, so a big foreign file is not walked to its end (counted in bytes
    read, not in time, so a busy machine cannot make it fail)."""
    document = b"<rss><channel>" + b"<item><title>t</title></item>" * 200_000 + b"</channel></rss>"
    source = source_of(document)
    stream = source.stream
    with pytest.raises(ParseError) as caught:
        junit.parse(source)
    assert "not a JUnit report" in caught.value.reason
    assert stream.tell() < len(document) // 10, (stream.tell(), len(document))


def test_size_cap_is_enforced_while_streaming(read):
    document = b"<testsuite>" + b'<testcase name="a"/>' * 10_000 + b"</testsuite>"

    with pytest.raises(ParseError, match="larger than 100,000 bytes"):
        read(junit, document, max_bytes=100_000)
    assert read(junit, document, max_bytes=len(document)).facts["junit.tests"] == 10_000


def test_many_comments_finish_quickly(read):
    """The shape of CPython #150096 (quadratic time in ElementTree with many comments)."""
    document = b"<testsuite>" + b"<!---->" * 80_000 + b"<testcase/></testsuite>"

    started = time.monotonic()
    assert read(junit, document).facts["junit.tests"] == 1
    assert time.monotonic() - started < 1.0


def test_utf16_bom_with_a_utf8_declaration_is_read_or_refused_cleanly(read):
    document = '<?xml version="1.0" encoding="utf-8"?><testsuite><testcase/></testsuite>'.encode("utf-16")

    try:
        assert read(junit, document).facts["junit.tests"] == 1
    except ParseError as error:
        assert error.reason
