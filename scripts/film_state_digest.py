"""One digest per option set of everything the film shows and when, without a pixel: to
check that a change to the film's machinery (scenes/film.py and its parts) leaves the film
exactly as it was.

    .venv/bin/python scripts/film_state_digest.py                 # every option set
    .venv/bin/python scripts/film_state_digest.py light --log /tmp/light.txt
    .venv/bin/python scripts/film_state_digest.py --plays         # also Manim's play calls

Plays the whole film headless (``bce_film.preflight.play_headless``, animations skipped)
and at every cue's end hashes every mobject on screen and its family (type, points, fill
and stroke colours and opacities, stroke widths, z_index, and its updaters as Manim's
cache sees them: their source and what they hold), the background, and the cue's timing:
its id and words, the scene's clock, the skipped time, and the subtitle the film adds.
Run it before and after a change: the digests must be the same. ``--log`` writes one
line per cue, to find the first cue that differs. About 10 s an option set.

Every chapter of a headless film is skipped, and a skipped chapter adds no subtitle; so
each chapter is marked rendered as it starts (the film's only use of that mark is the
subtitle) and the subtitles are recorded instead of written. ``--plays`` also hashes what
Manim's cache keys each play call on (its animations, as Manim serialises them, in its
order): slower, and it holds names Cairo numbers through the process (a text's SVG
surfaces), so compare runs of the same sets, in the same order.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np

from bce_core import Dataset, build_lesson
from bce_film.options import FilmOptions
from bce_film.preflight import play_headless
from scenes.chapters import ORDER
from scenes.inputs import FilmInputs
from scenes.style import current_style
from scenes.words import Words, cue_id, load_words


def sampled(language: str, aspect: str) -> FilmInputs:
    """A film of 400 points at x = 1000 to 5000 and a long class name: a drawn sample, so
    the note row under the heading and every picture it moves down are in the digest."""
    rng = np.random.default_rng(1)
    x = rng.uniform(1000, 5000, 400)
    y = (rng.uniform(size=x.size) < 1 / (1 + np.exp(-(x - 3000) / 500))).astype(int)
    data = Dataset(x, y, "malignant cells in the biopsy", "benign", source="sampled")
    style = current_style("dark", aspect)
    return FilmInputs(build_lesson(data), style, load_words(language), captions=aspect == "9:16")


#: The option sets, by name: the default film; Chinese, stacked, with captions burnt in;
#: the light theme; a spoken film with captions (made-up speech: the voice's pacing); and
#: a sampled film in each shape.
OPTION_SETS: dict[str, Callable[[], FilmInputs]] = {
    "default": lambda: FilmOptions().inputs(),
    "zh-9:16-captions": lambda: FilmOptions(language="zh", aspect="9:16", captions="burn").inputs(),
    "light": lambda: FilmOptions(theme="light").inputs(),
    "spoken-captions": lambda: spoken(FilmOptions(captions="burn").inputs()),
    "sampled": lambda: sampled("en", "16:9"),
    "sampled-zh-9:16": lambda: sampled("zh", "9:16"),
}

#: What is hashed of each mobject, when it has it.
LOOKS = (
    "points",
    "fill_rgbas",
    "stroke_rgbas",
    "background_stroke_rgbas",
    "stroke_width",
    "background_stroke_width",
    "rgbas",
    "z_index",
)


def spoken(inputs: FilmInputs) -> FilmInputs:
    """``inputs`` with every cue spoken for a time made from its words' length, some
    shorter and some longer than the cue's steps."""
    return replace(inputs, speech=made_up_speech(inputs.words))


def made_up_speech(words: Words) -> dict[str, float]:
    return {
        cue_id(chapter, name): 0.4 + len(template) / 18
        for chapter in ORDER
        for name, template in words.cue_templates(chapter).items()
    }


class Digest:
    """A running SHA-256 of plain values."""

    def __init__(self) -> None:
        self.sha = hashlib.sha256()

    def add(self, *values: object) -> None:
        for value in values:
            if isinstance(value, np.ndarray):
                array = np.ascontiguousarray(value)
                self.sha.update(f"{array.dtype}{array.shape}".encode())
                self.sha.update(array.tobytes())
            else:
                self.sha.update(repr(value).encode())
            self.sha.update(b"\0")

    def hexdigest(self) -> str:
        return self.sha.hexdigest()


def add_mobject(digest: Digest, mobject) -> None:
    from manim.utils.hashing import get_json

    digest.add(type(mobject).__name__)
    for name in LOOKS:
        value = getattr(mobject, name, None)
        if value is not None:
            digest.add(name, np.asarray(value) if not np.isscalar(value) else value)
    for updater in mobject.get_updaters():
        digest.add("updater", get_json(updater))


def screen_digest(film) -> str:
    """Every mobject on screen, with its family, in the scene's order."""
    digest = Digest()
    digest.add("background", str(film.scene.camera.background_color))
    for top in film.scene.mobjects:
        digest.add("top")
        for mobject in top.get_family():
            add_mobject(digest, mobject)
    return digest.hexdigest()


def play_digests(inputs: FilmInputs, plays: bool, cache: Path | None) -> tuple[str, list[str]]:
    """The film's digest and one line per cue (and per play call, with ``plays``)."""
    film_digest = Digest()
    lines: list[str] = []
    subtitles: list[tuple[str, float, float]] = []
    watched: set[int] = set()

    def watch(scene) -> None:
        """Record the scene's subtitles (and play calls) instead of writing them."""
        if id(scene) in watched:
            return
        watched.add(id(scene))

        def add_subcaption(content, duration=1, offset=0) -> None:
            subtitles.append((content, duration, offset))

        scene.add_subcaption = add_subcaption
        if plays:
            compile_animation_data = scene.compile_animation_data

            def compiled(*args, **kwargs):
                from manim.utils.hashing import get_json

                compile_animation_data(*args, **kwargs)
                digest = Digest()
                for animation in sorted(scene.animations, key=str):
                    digest.add(get_json(animation, include_pixel_array=True))
                line = f"play {digest.hexdigest()[:16]}"
                lines.append(line)
                film_digest.add(line)

            scene.compile_animation_data = compiled

    def on_chapter_start(film) -> None:
        watch(film.scene)
        film.rendered = True  # so the film adds its subtitles (recorded, not written)

    def on_cue_end(film, said) -> None:
        scene = film.scene
        line = " ".join(
            (
                said.id,
                hashlib.sha256(said.text.encode()).hexdigest()[:8],
                f"clock={scene.time!r}",
                f"skipped={film.skipped_time!r}",
                f"said={len(film.said)}",
                f"subtitles={len(subtitles)}",
                f"screen={screen_digest(film)[:16]}",
            )
        )
        lines.append(line)
        film_digest.add(line)

    def on_chapter_end(film) -> None:
        # The subtitles added during the chapter: a cue's is added after its end.
        added = hashlib.sha256(repr(subtitles).encode()).hexdigest()[:16]
        line = f"{film.chapter} ends: subtitles so far {added}"
        lines.append(line)
        film_digest.add(line)

    film = play_headless(
        inputs,
        cache,
        on_chapter_start=on_chapter_start,
        on_cue_end=on_cue_end,
        on_chapter_end=on_chapter_end,
    )
    film_digest.add([(cue.id, cue.text) for cue in film.said], subtitles)
    return film_digest.hexdigest(), lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="*", help=f"of {', '.join(OPTION_SETS)}; default: all")
    parser.add_argument("--log", type=Path, help="one line per cue, for every set, here")
    parser.add_argument("--plays", action="store_true", help="also hash each play call")
    parser.add_argument("--cache", type=Path, help="Manim's text cache (default: a new one)")
    args = parser.parse_args()
    if unknown := [name for name in args.sets if name not in OPTION_SETS]:
        parser.error(f"no option set {', '.join(unknown)}; sets: {', '.join(OPTION_SETS)}")
    logged: list[str] = []
    for name in args.sets or OPTION_SETS:
        began = time.monotonic()
        digest, lines = play_digests(OPTION_SETS[name](), args.plays, args.cache)
        cues = sum(1 for line in lines if " clock=" in line)
        print(f"{name:<16} {digest}  ({cues} cues, {time.monotonic() - began:.0f} s)")
        sys.stdout.flush()
        logged += [f"[{name}]", *lines]
    if args.log is not None:
        args.log.write_text("\n".join(logged) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
