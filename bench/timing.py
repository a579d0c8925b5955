"""Timing for the benchmarks: medians of actions measured in turn, round after round.

Measured in turn, a load burst on a shared machine hits every action alike, so their ratios hold even when the
absolute times do not.
"""

import statistics
import time


def interleaved_medians_ms(actions: dict, *, rounds: int, warm: int = 5) -> dict[str, float]:
    """The median time of each action in milliseconds, after `warm` untimed rounds (caches, connections)."""
    for _ in range(warm):
        for action in actions.values():
            action()
    samples: dict[str, list[float]] = {name: [] for name in actions}
    for _ in range(rounds):
        for name, action in actions.items():
            started = time.perf_counter()
            action()
            samples[name].append((time.perf_counter() - started) * 1000)
    return {name: statistics.median(values) for name, values in samples.items()}


def median_ms(action, *, rounds: int, warm: int = 5) -> float:
    return interleaved_medians_ms({"action": action}, rounds=rounds, warm=warm)["action"]


def median_after_ms(action, *, before, rounds: int) -> float:
    """The median time of `action` run right after `before` (not timed), e.g. after emptying a cache."""
    samples = []
    for _ in range(rounds):
        before()
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)
