"""Helpers shared by the parser tests: a Source from bytes, and a cheap repeatable fuzz of valid samples."""

import io
import random

from assessment.parsers.base import Deadline, Limits, Source


def evidence(data: bytes, **limits) -> Source:
    return Source(
        stream=io.BytesIO(data), name="evidence", head=data[:65536], limits=Limits(**limits), deadline=Deadline(60)
    )


FRAGMENTS = [
    b"{",
    b"}",
    b"[",
    b"'",
    b'"',
    b"\n",
    b"&a ",
    b"*a",
    b"!reference [",
    b"\x00",
    b"\xff",
    b"\xe4\xb8",
    b": ",
    b",",
]


def mutations(data: bytes, *, count: int, seed: int):
    """Copies of `data` with bytes cut, inserted or overwritten, and some truncated: a cheap, repeatable fuzz."""
    rng = random.Random(seed)
    for _ in range(count):
        mutated = bytearray(data)
        for _ in range(rng.randint(1, 6)):
            at = rng.randrange(len(mutated) + 1)
            choice = rng.random()
            if choice < 0.3:
                del mutated[at : at + rng.randint(1, 20)]
            elif choice < 0.7:
                mutated[at:at] = rng.choice(FRAGMENTS)
            elif choice < 0.85 and at < len(mutated):
                mutated[at] = rng.randrange(256)
            else:
                del mutated[at:]
        yield bytes(mutated)
