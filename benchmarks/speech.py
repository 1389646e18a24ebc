"""How fast each voice speaks the film: synthesis seconds per minute of speech.

    .venv/bin/python benchmarks/speech.py            # every installed voice, both languages

For each installed voice and each language it speaks, the whole film's narration (every
cue of `bce-video script`, numbers filled in) is synthesised once, with no cache, one
voice after another, and its clips made ready as the film uses them (trimmed,
normalised). Prints the speech's length, the wall seconds of synthesis and preparation,
and their ratio. Don't run it beside a render: the machine has two cores.
"""

from __future__ import annotations

import time

from bce_film.options import FilmOptions
from bce_voice.audio import RATE, prepare_clip
from bce_voice.voices import VOICES
from scenes.narration import narration_script


def main() -> None:
    print(f"{'voice':<8} {'lang':<5} {'cues':>5} {'speech s':>9} {'synth s':>8} "
          f"{'prepare s':>10} {'s per speech min':>17}")  # fmt: skip
    for voice in VOICES.values():
        if not voice.available():
            print(f"{voice.name:<8} not installed ({voice.install})")
            continue
        for language in sorted(voice.languages):
            inputs = FilmOptions(language=language, voice="none").inputs()
            texts = [
                line.text for line in narration_script(inputs.lesson, inputs.words, inputs.style)
            ]
            started = time.perf_counter()
            spoken = voice.synthesize(texts, language)
            synthesis = time.perf_counter() - started
            started = time.perf_counter()
            clips = [prepare_clip(speech.samples) for speech in spoken]
            preparation = time.perf_counter() - started
            seconds = sum(len(clip) for clip in clips) / RATE
            per_minute = (synthesis + preparation) / (seconds / 60)
            print(
                f"{voice.name:<8} {language:<5} {len(texts):5d} {seconds:9.1f} {synthesis:8.1f} "
                f"{preparation:10.1f} {per_minute:17.1f}"
            )


if __name__ == "__main__":
    main()
