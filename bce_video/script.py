"""The narration script, for a narrator or a translator: every cue's id and words with the
numbers filled in, and how long it takes to read (``bce-video script``).

It is made from the same functions the film uses (``scenes.narration``), without Manim.
"""

from __future__ import annotations

import json

from bce_film.timeline import CueSpan
from scenes.inputs import FilmInputs
from scenes.narration import ScriptLine, Voicing, narration_script

from .output import compose_srt

SCRIPT_FORMATS = ("text", "json", "srt")


def format_script(inputs: FilmInputs, kind: str, voice: Voicing | None = None) -> str:
    """The script in ``kind``; with ``voice``, each cue's spoken form as that voice will
    say it (raises SpokenError for a cue it cannot say, as a render would)."""
    lines = narration_script(inputs.lesson, inputs.words, inputs.style, voice)
    if kind == "json":
        return as_json(lines)
    if kind == "srt":
        return as_srt(lines, gap=inputs.style.timing.cue_gap)
    if kind == "text":
        return as_text(lines)
    raise ValueError(f"format {kind!r}: expected one of {', '.join(SCRIPT_FORMATS)}")


def as_text(lines: list[ScriptLine]) -> str:
    """Chapter by chapter under its heading: each cue's id, reading time and words (and
    what a voice says, where it differs). A recording of a cue is a file named by its
    id."""
    out, chapter = [], None
    total = sum(line.seconds for line in lines)
    out.append(f"Narration: {len(lines)} cues, about {total / 60:.1f} minutes of reading")
    for line in lines:
        if line.chapter != chapter:
            chapter = line.chapter
            out.append(f"\n## {line.chapter}" + (f": {line.heading}" if line.heading else ""))
        out.append(f"\n{line.id}  ({line.seconds:.1f} s)\n    {line.text}")
        if line.spoken != line.text:  # what a voice says instead
            out.append(f"    spoken: {line.spoken}")
    return "\n".join(out) + "\n"


def as_json(lines: list[ScriptLine]) -> str:
    rows = [
        {
            "id": line.id,
            "chapter": line.chapter,
            "text": line.text,
            "spoken": line.spoken,
            "seconds": line.seconds,
        }
        for line in lines
    ]
    return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"


def as_srt(lines: list[ScriptLine], gap: float) -> str:
    """The cues one after another, each up for its reading time and ``gap`` apart: the
    film's pacing when no animation runs longer (the rendered film's .srt is exact)."""
    cues, start = [], 0.0
    for line in lines:
        end = start + line.seconds
        cues.append(CueSpan(line.id, line.text, start, end))
        start = end + gap
    return compose_srt(cues)
