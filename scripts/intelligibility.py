"""How well a listener understands a narrated film: speech recognition against the script.

    .venv/bin/python scripts/intelligibility.py renders/480p15/bce-zh-dark.mp4
                                                [--script SCRIPT.json] [--lang en|zh]
                                                [--per-cue]

Each cue of the film's WebVTT (the .vtt beside the MP4, cues identified by id) is cut
from the film's sound (its span, plus MARGIN either side), transcribed by Whisper
(tests/speech_recognition.py: tiny.en for English, base for Chinese) and scored against
the words the voice was given: the cue's "spoken" text in the script, else its "text".
Prints the whole film's error rate (words for English, characters for Chinese: errors
summed over the cues, over the references' summed length), the model and the
transcription's real-time factor; with --per-cue, a line per cue too.

The script is ``bce-video script --format json`` output; without --script, that command
is run for the article's data in --lang (which defaults to the language in the film's
name, bce-<lang>-..., else English). A film rendered from other data needs its own.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import webvtt

from bce_core.cli import EXIT_BAD_INPUT

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from audio_helpers import film_sound
from speech_recognition import error_counts, error_rate, load_seconds, model_for, transcribe

REPO = Path(__file__).resolve().parent.parent

MARGIN = 0.15  # seconds of sound kept either side of a cue: a voice's soft first/last sound
LANGUAGES = ("en", "zh")
UNIT = {"en": "word", "zh": "character"}


class Refused(Exception):
    """What the film or script is missing: exit 2 with the message."""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("film", type=Path, help="the MP4, with its .vtt beside it")
    parser.add_argument("--script", type=Path, help="bce-video script --format json output")
    parser.add_argument("--lang", choices=LANGUAGES, help="default: from the film's name")
    parser.add_argument("--per-cue", action="store_true", help="a line per cue")
    args = parser.parse_args()
    try:
        language = args.lang or language_of(args.film)
        spans = cue_spans(args.film)
        words = script_words(args.script, language)
        try:
            sound = film_sound(args.film)
        except Exception as error:
            raise Refused(f"{args.film}: cannot decode its sound: {error}") from error
    except Refused as refusal:
        print(f"intelligibility: {refusal}", file=sys.stderr)
        return EXIT_BAD_INPUT
    missing = [identifier for identifier, _, _ in spans if identifier not in words]
    if missing:
        print(
            f"intelligibility: {len(missing)} cue(s) of the film not in the script, not "
            f"scored: {', '.join(missing)}",
            file=sys.stderr,
        )
    spans = [span for span in spans if span[0] in words]
    if not spans:
        print("intelligibility: no cue of the film is in the script", file=sys.stderr)
        return EXIT_BAD_INPUT

    model = model_for(language)
    loading = load_seconds(language)
    references, heard, listened, hearing = [], [], 0.0, 0.0
    rows = []
    for identifier, start, end in spans:
        first = max(0, round((start - MARGIN) * sound.rate))
        last = min(len(sound.samples), round((end + MARGIN) * sound.rate))
        clip = sound.samples[first:last]
        started = time.perf_counter()
        text = transcribe(clip, sound.rate, language) if len(clip) else ""
        hearing += time.perf_counter() - started
        listened += len(clip) / sound.rate
        references.append(words[identifier])
        heard.append(text)
        try:
            rate = f"{error_rate(words[identifier], text, language):6.3f}"
        except ValueError:  # nothing to score against
            rate = f"{'-':>6}"
        rows.append((identifier, rate, words[identifier], text))
    if args.per_cue:
        width = max(len(row[0]) for row in rows)
        print(f"{'cue':<{width}}  {'error':>6}  reference  |  heard")
        for identifier, rate, reference, text in rows:
            print(f"{identifier:<{width}}  {rate}  {reference}  |  {text}")
        print()
    errors, length = error_counts(references, heard, language)
    unit = UNIT[language]
    print(f"film: {args.film} ({language}, {len(spans)} cues, {listened:.1f} s of sound heard)")
    print(f"model: {model.name}, loaded in {loading:.1f} s")
    print(f"{unit} error rate: {errors / length:.3f} ({errors} of {length} {unit}s wrong)")
    print(
        f"real-time factor: {hearing / listened:.3f} "
        f"({hearing:.1f} s to transcribe {listened:.1f} s)"
    )
    return 0


def language_of(film: Path) -> str:
    """The language in a bce-video film's name (bce-zh-light.mp4), else English."""
    parts = film.stem.split("-")
    return parts[1] if len(parts) > 1 and parts[0] == "bce" and parts[1] in LANGUAGES else "en"


def cue_spans(film: Path) -> list[tuple[str, float, float]]:
    """(cue id, start, end) of each cue of the WebVTT beside the film."""
    if not film.is_file():
        raise Refused(f"{film}: no such film")
    captions = film.with_suffix(".vtt")
    if not captions.is_file():
        raise Refused(f"{captions}: no WebVTT beside the film (bce-video writes one)")
    try:
        cues = webvtt.read(str(captions))
    except Exception as error:
        raise Refused(f"{captions}: not WebVTT: {error}") from error
    # webvtt-py's start_in_seconds drops the milliseconds: read the stamps.
    spans = [(cue.identifier, _seconds(cue.start), _seconds(cue.end)) for cue in cues]
    if not spans:
        raise Refused(f"{captions}: no cue")
    unnamed = sum(1 for identifier, _, _ in spans if not identifier)
    if unnamed:
        raise Refused(f"{captions}: {unnamed} cue(s) without an id (ids name the script's cues)")
    return spans


def _seconds(stamp: str) -> float:
    hours, minutes, seconds = stamp.split(":")
    return int(hours) * 3600 + int(minutes) * 60 + float(seconds)


def script_words(script: Path | None, language: str) -> dict[str, str]:
    """Each cue's words as the voice says them ("spoken", else "text"), by id."""
    if script is None:
        command = [str(REPO / ".venv/bin/bce-video"), "script", "--format", "json"]
        command += ["--lang", language]
        try:
            done = subprocess.run(command, capture_output=True, text=True, cwd=REPO)
        except OSError as error:
            raise Refused(f"cannot run {' '.join(command)}: {error}") from error
        if done.returncode != 0:
            last = (done.stderr.strip().splitlines() or ["no message"])[-1]
            raise Refused(f"{' '.join(command)} failed: {last}")
        source, text = " ".join(command), done.stdout
    else:
        try:
            source, text = str(script), script.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise Refused(f"{script}: cannot read it: {error}") from error
    try:
        cues = json.loads(text)
        if not isinstance(cues, list):
            raise TypeError(f"a JSON {type(cues).__name__}, not a list")
        words = {cue["id"]: cue.get("spoken") or cue["text"] for cue in cues}
    except (ValueError, TypeError, KeyError, AttributeError) as error:
        raise Refused(
            f"{source}: not a script (a JSON list of cues with id and text): {error!r}"
        ) from error
    if not all(isinstance(value, str) for value in words.values()):
        raise Refused(f"{source}: a cue's text is not a string")
    return words


if __name__ == "__main__":
    raise SystemExit(main())
