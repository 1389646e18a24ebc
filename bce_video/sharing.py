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

    Not the time a chapter took last time, which would be closer but needs a record of
    past renders and changes from run to run. The film does not depend on the choice: a
    worker plays the film from its start with the chapters not its own skipped, so a
    chapter's frames are the same whichever worker draws it (test_parallel_render.py
    compares them with one process's), and the chapter cache keys a chapter by what it
    is made from, not by its worker. Shared out by reading time, the two workers of a
    -ql render ended at 81.8 s and 85.6 s: little left to gain.
    """
    speed, speech = words.reading_chars_per_second, speech or {}
    return {
        name: sum(
            speech.get(cue_id(name, cue), len(template) / speed)
            for cue, template in words.cue_templates(name).items()
        )
        for name in chapters
    }
