"""The shared YAML loader: standard tags only, GitLab's !reference kept, aliases counted at their expanded size."""

import io
import time

import pytest

from assessment.parsers.base import Deadline, Limits, ParseError, Source
from assessment.parsers.yaml_safety import MAX_YAML_BYTES, YamlReference, load_yaml_documents, outline


def evidence(data: bytes, *, seconds: float = 60.0, **limits) -> Source:
    return Source(
        stream=io.BytesIO(data),
        name="evidence.yml",
        head=data[:65536],
        limits=Limits(**limits),
        deadline=Deadline(seconds),
    )


def load(data: bytes, **limits):
    return load_yaml_documents(evidence(data, **limits), what="YAML file")


def refusal(data: bytes, **limits) -> str:
    with pytest.raises(ParseError) as error:
        load(data, **limits)
    return error.value.reason


def billion_laughs(levels: int = 9) -> bytes:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels + 1):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 9) + "]")
    return "\n".join(lines).encode()


def test_plain_yaml_anchors_and_merge_keys_load():
    documents = load(b"base: &base {image: python, tags: [a]}\njob:\n  <<: *base\n  script: [pytest]\n---\nsecond: 2\n")

    assert documents == [
        {"base": {"image": "python", "tags": ["a"]}, "job": {"image": "python", "tags": ["a"], "script": ["pytest"]}},
        {"second": 2},
    ]


def test_gitlab_reference_tag_is_kept_as_an_opaque_path():
    (document,) = load(b"job:\n  script:\n    - !reference [.setup, script]\n    - make\n")

    assert document["job"]["script"] == [YamlReference((".setup", "script")), "make"]


@pytest.mark.parametrize(
    ("data", "shown"),
    [
        (b"a: !!python/object/apply:os.system ['echo pwned']", "!!python/object/apply:os.system"),
        (b"a: !!python/name:os.system", "!!python/name:os.system"),
        (b"a: !!python/object/new:subprocess.Popen [[ls]]", "!!python/object/new:subprocess.Popen"),
        (b"a: !Ref MyBucket", "!Ref"),
        (b"a: !!binary aGVsbG8=", "!!binary"),
        (b"a: !<tag:example.com,2024:thing> x", "tag:example.com,2024:thing"),
    ],
)
def test_non_standard_tags_are_refused_with_the_line(data, shown):
    reason = refusal(b"ok: 1\n" + data)

    assert shown in reason
    assert "line 2" in reason


def test_reference_must_be_a_list_of_names():
    assert "!reference takes a list of names" in refusal(b"a: !reference .setup\n")


def test_billion_laughs_is_refused_quickly():
    started = time.monotonic()

    reason = refusal(billion_laughs())

    assert "alias bomb" in reason
    assert time.monotonic() - started < 1


def test_each_alias_use_counts_as_the_size_of_what_it_repeats():
    data = b"a: &a [1, 2, 3, 4]\nb: [*a, *a, *a]\n"  # 1 + 1+(1+4) + 1+(1+3*5) = 24 nodes expanded

    assert load(data, max_yaml_nodes=24)
    assert "more than 23 nodes" in refusal(data, max_yaml_nodes=23)


def test_recursive_alias_is_refused():
    assert "recursive" in refusal(b"a: &a [1, *a]\n")


def test_undefined_alias_is_a_syntax_error():
    assert "undefined alias" in refusal(b"a: *nowhere\n")


def test_syntax_error_names_line_and_column():
    reason = refusal(b"stages:\n  - build\njob:\n  script: [a, b\n  when: manual\n")

    assert reason.startswith("YAML syntax error at line 5")


def test_deep_nesting_is_refused():
    assert "nested more than 100 levels" in refusal(b"[" * 5000 + b"]" * 5000)


def test_huge_document_is_refused_before_parsing():
    data = b"a: " + b"x" * MAX_YAML_BYTES

    reason = refusal(data)

    assert reason == "The YAML file is larger than 4 MiB, the most we read for this kind of file."


def test_source_byte_limit_applies_when_smaller():
    assert "larger than 10 bytes" in refusal(b"a: 12345678901234567890", max_bytes=10)


def test_invalid_utf8_names_the_line():
    assert refusal(b"a: 1\nb: caf\xe9\n") == "The YAML file is not valid UTF-8 (line 2); save it as UTF-8."


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"a: 1\n\x00", "contains a NUL byte (line 2)"),
        (b"a: \x07bell", "YAML line 1: the character #x0007 is not allowed."),
        (b"a: 2024-13-45", "YAML value cannot be read: month must be in 1..12."),
        (b"a: " + b"9" * 5000, "YAML value cannot be read"),
        (b"? [a]\n: 1\n", "found unhashable key"),
    ],
)
def test_unreadable_values_are_parse_errors(data, expected):
    assert expected in refusal(data)


def test_truncated_document_is_a_syntax_error():
    reason = refusal(b'job:\n  script:\n    - "echo unfinished')

    assert reason.startswith("YAML syntax error at line 3")


def test_deadline_stops_a_long_load():
    data = b"".join(b"k%d: [1, 2, 3]\n" % index for index in range(5000))

    with pytest.raises(ParseError, match="longer than 0 s"):
        load_yaml_documents(evidence(data, seconds=0), what="YAML file")


def test_outline_lists_top_level_keys_and_their_children_per_document():
    text = '# c\n"on":\n  push:\n    branches: [main]\njobs:\n  build:\n    runs-on: x\n'
    text += "---\napiVersion: v1\nkind: Service\n"

    assert outline(text) == [{"on": {"push"}, "jobs": {"build"}}, {"apiVersion": set(), "kind": set()}]


def test_outline_of_adversarial_text_is_fast():
    started = time.monotonic()

    for text in ["a" + " " * 65535, ("k" + " " * 300 + "\n") * 200, ":" * 65536, ("  x" + " " * 199 + "y\n") * 300]:
        outline(text)

    assert time.monotonic() - started < 0.5
