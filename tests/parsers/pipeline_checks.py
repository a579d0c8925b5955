"""What the pipeline parser tests ask of a parser: its facts, its refusal, the recognisers that claim a file."""

import pytest

from assessment.parsers import pipelines
from assessment.parsers.base import ParseError

from .fuzz import evidence


def facts_of(parse, text: str, **limits) -> dict:
    return parse(evidence(text.encode(), **limits)).facts


def refusal(parse, data: bytes) -> str:
    with pytest.raises(ParseError) as error:
        parse(evidence(data))
    return error.value.reason


def recognised(data: bytes) -> list[str]:
    return [kind for kind, recognises, _parse in pipelines.KINDS if recognises(data[:65536])]
