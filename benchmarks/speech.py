"""How fast each voice speaks the film: synthesis seconds per minute of speech.

    .venv/bin/python benchmarks/speech.py                     # every installed voice
    .venv/bin/python benchmarks/speech.py --voice fastspeech2  # one voice

For each installed voice and each language it speaks, the whole film's narration (every
cue of `bce-video script` as the voice says it: its spoken form) is synthesised once,
with no speech cache, one voice after another, and its clips made ready as the film uses
them (resampled to the film's rate, trimmed, normalised). Each voice runs in a process of
its own, so that its peak memory (the largest resident size, of that process or of a
program it ran, such as Piper) is its own. Prints the speech's length, the wall seconds
of synthesis and preparation, their ratio, and the peak memory. Don't run it beside a
render: the machine has two cores.
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import time

from bce_film.options import FilmOptions
from bce_film.voicing import film_voicing
from bce_voice.voices import VOICES
from scenes.narration import narration_script


def measure(name: str, language: str, texts: list[str]) -> tuple[float, float, float, float]:
    """In a fresh process: seconds of speech, of synthesis, of preparation; peak MB."""
    from bce_voice.audio import RATE, at_rate, prepare_clip

    voice = VOICES[name]
    started = time.perf_counter()
    spoken = voice.synthesize(texts, language)
    synthesis = time.perf_counter() - started
    started = time.perf_counter()
    clips = [prepare_clip(at_rate(speech.samples, speech.rate)) for speech in spoken]
    preparation = time.perf_counter() - started
    peak_kib = max(
        resource.getrusage(who).ru_maxrss
        for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    return sum(len(clip) for clip in clips) / RATE, synthesis, preparation, peak_kib / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--voice", choices=list(VOICES), help="only this voice")
    args = parser.parse_args()
    voices = [VOICES[args.voice]] if args.voice else list(VOICES.values())
    print(f"{'voice':<12} {'lang':<5} {'cues':>5} {'speech s':>9} {'synth s':>8} "
          f"{'prepare s':>10} {'s per speech min':>17} {'peak MB':>8}")  # fmt: skip
    spawn = multiprocessing.get_context("spawn")
    for voice in voices:
        if not voice.available():
            print(f"{voice.name:<12} not installed ({voice.install})")
            continue
        for language in sorted(voice.languages):
            options = FilmOptions(language=language, voice=voice.name)
            inputs = options.inputs()
            script = narration_script(
                inputs.lesson, inputs.words, inputs.style, film_voicing(options)
            )
            texts = [line.spoken for line in script]  # what the voice says in a render
            with spawn.Pool(1) as pool:
                seconds, synthesis, preparation, peak = pool.apply(
                    measure, (voice.name, language, texts)
                )
            per_minute = (synthesis + preparation) / (seconds / 60)
            print(
                f"{voice.name:<12} {language:<5} {len(texts):5d} {seconds:9.1f} {synthesis:8.1f} "
                f"{preparation:10.1f} {per_minute:17.1f} {peak:8.0f}"
            )


if __name__ == "__main__":
    main()
