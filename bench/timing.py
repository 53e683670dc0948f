"""Honest comparisons: variants timed in turns in one process, medians, and the
range of the paired ratios, with the machine's load average beside them."""

import gc
import os
import statistics
import time


def load_average():
    """The 1-minute load average (what else was running), rounded."""
    return round(os.getloadavg()[0], 2)


def sample_ms(call, before=None):
    """One timing of `call` in milliseconds; `before` runs untimed first."""
    if before:
        before()
    gc.collect()  # each sample starts with the same garbage: none
    start = time.perf_counter()
    call()
    return (time.perf_counter() - start) * 1000


def interleaved(variants, rounds, before=None):
    """{name: [ms, ...]}: each round times every variant once, in the same
    order (A, B, A, B ...), so that a change in the machine's load falls on
    all of them alike."""
    samples = {name: [] for name in variants}
    for _ in range(rounds):
        for name, call in variants.items():
            samples[name].append(sample_ms(call, before))
    return samples


def compare(fast, slow):
    """The medians of two paired sample lists and slow ÷ fast: the ratio of the
    medians, and the lowest and highest ratio of one round's pair."""
    paired = [s / f for f, s in zip(fast, slow, strict=True)]
    return {
        "fast_ms": round(statistics.median(fast), 2),
        "slow_ms": round(statistics.median(slow), 2),
        "ratio": round(statistics.median(slow) / statistics.median(fast), 2),
        "ratio_min": round(min(paired), 2),
        "ratio_max": round(max(paired), 2),
    }


def rounded(samples):
    return [round(value, 3) for value in samples]
