"""Sharing the chapters out between worker processes."""

from __future__ import annotations

import heapq
from collections.abc import Mapping

from scenes.words import Words, cue_id


def share_out(costs: dict[str, float], jobs: int) -> list[list[str]]:
    """Longest first, each chapter to the least loaded worker (LPT). Returns each
    worker's chapters in film order (the order of ``costs``); no worker is empty."""
    order = list(costs)
    loads = [(0.0, worker) for worker in range(min(jobs, len(order)))]
    shares: list[list[str]] = [[] for _ in loads]
    for name in sorted(order, key=lambda name: (-costs[name], order.index(name))):
        load, worker = heapq.heappop(loads)
        shares[worker].append(name)
        heapq.heappush(loads, (load + costs[name], worker))
    return [sorted(share, key=order.index) for share in shares]


def estimated_costs(
    words: Words, chapters: list[str], speech: Mapping[str, float] | None = None
) -> dict[str, float]:
    """What each chapter costs to render, roughly: the time its narration takes to read,
    which sets the chapter's length (placeholders such as {loss} count as their own
    length), or in a narrated film the time its cues are spoken (``speech``, seconds by
    cue id), where that is known.

    Not the time a chapter took last time, which would be closer but changes from run to
    run. Either is safe for the cache: a chapter's animations hash the same in any
    worker (a render that moved every chapter of a -j2 render into one worker found 141
    of 143 animations; the 2 misses are the log-curve probe's, which miss in place too).
    Shared out by reading time, the two workers of a -ql render ended at 81.8 s and
    85.6 s: little left to gain.
    """
    speed, speech = words.reading_chars_per_second, speech or {}
    return {
        name: sum(
            speech.get(cue_id(name, cue), len(template) / speed)
            for cue, template in words.cue_templates(name).items()
        )
        for name in chapters
    }
