"""Where a 1080p60 render's time goes: drawing, encoding, LaTeX, hashing, with Manim's own
encoder settings and with the film's.

    .venv/bin/python benchmarks/where_time_goes.py                      # about 4 minutes
    .venv/bin/python benchmarks/where_time_goes.py --chapters fit --quality l

Renders a few chapters (the earlier ones skipped) in a fresh process per setting, from
empty caches, and prints per setting: wall time; CPU time of the whole process; CPU time
of the main thread, which draws (Cairo), runs the scene and hashes; CPU time of the other
threads, which convert frames to YUV and run x264; and the wall time spent inside LaTeX
(with dvisvgm), Pango text rendering and Manim's cache hashing.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SETTINGS = {
    # Manim 0.22's defaults: slice-threaded x264, one encoder in flight, every repeated
    # frame of a wait converted again.
    "manim default": {"encoder": "manim", "options": {"crf": "23"}, "inflight": 1},
    "film (final)": {"encoder": "film", "options": "final", "inflight": 2},
    "film --draft": {"encoder": "film", "options": "draft", "inflight": 2},
}


def child(setting: dict, chapters: list[str], quality: str, media: str) -> dict:
    """Runs in a fresh process: render, and report the times."""
    sys.path.insert(0, str(ROOT))
    from manim import Scene, tempconfig
    from manim.mobject.text import tex_mobject, text_mobject
    from manim.renderer import cairo_renderer

    from bce_film.encoding import encoder_options
    from bce_film.options import FilmOptions
    from bce_film.scene import film_renderer
    from bce_video.request import QUALITIES
    from scenes.film import play_chapters

    spent = {"latex": 0.0, "text": 0.0, "hashing": 0.0}

    def timed(kind, function):
        def call(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[kind] += time.perf_counter() - started

        return call

    tex_mobject.tex_to_svg_file = timed("latex", tex_mobject.tex_to_svg_file)
    text_mobject.Text._text2svg = timed("text", text_mobject.Text._text2svg)
    cairo_renderer.get_hash_from_play_call = timed(
        "hashing", cairo_renderer.get_hash_from_play_call
    )
    options = setting["options"]
    if isinstance(options, str):
        options = encoder_options(draft=options == "draft")

    class Slice(Scene):
        def construct(self) -> None:
            self.film = play_chapters(self, FilmOptions().inputs(), only=chapters)

    started = time.perf_counter()
    with tempconfig(
        {
            "quality": QUALITIES[quality],
            "media_dir": media,
            "progress_bar": "none",
            "verbosity": "WARNING",
            "video_encoder_options": options,
            "max_inflight_encoders": setting["inflight"],
        }
    ):
        scene = Slice(renderer=film_renderer()) if setting["encoder"] == "film" else Slice()
        scene.render()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "wall": time.perf_counter() - started,
        "cpu": usage.ru_utime + usage.ru_stime,
        "main_thread_cpu": time.thread_time(),
        # The clock also ran through the skipped chapters, which made no frames.
        "frames": round((scene.renderer.time - scene.film.skipped_time) * scene.camera.frame_rate),
        **spent,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chapters", nargs="+", default=["labels", "formula"])
    parser.add_argument("--quality", default="h", choices=["l", "m", "h", "k"])
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        setting, media = json.loads(args.child)
        print(json.dumps(child(setting, args.chapters, args.quality, media)))
        return

    print(f"chapters {' '.join(args.chapters)} at -q{args.quality}, each setting from cold caches")
    header = (
        f"{'setting':<15} {'wall s':>7} {'CPU s':>7} {'main thread':>12} {'other threads':>14} "
        f"{'LaTeX s':>8} {'text s':>7} {'hashing s':>10} {'ms/frame':>9}"
    )
    print(header)
    for name, setting in SETTINGS.items():
        with tempfile.TemporaryDirectory(prefix="bce-where-") as media:
            done = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--quality",
                    args.quality,
                    "--chapters",
                    *args.chapters,
                    "--child",
                    json.dumps([setting, media]),
                ],
                capture_output=True,
                text=True,
                check=True,
                cwd=ROOT,
            )
        result = json.loads(done.stdout.strip().splitlines()[-1])
        print(
            f"{name:<15} {result['wall']:7.1f} {result['cpu']:7.1f} "
            f"{result['main_thread_cpu']:12.1f} {result['cpu'] - result['main_thread_cpu']:14.1f} "
            f"{result['latex']:8.1f} {result['text']:7.1f} {result['hashing']:10.1f} "
            f"{1000 * result['wall'] / max(result['frames'], 1):9.1f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
