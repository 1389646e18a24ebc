"""``bce-video``: render the film from your data, in your language and colours.

    bce-video render [--data FILE] [--positive LABEL] [--C VALUE | --no-penalty]
                     [--lang en|zh] [--theme dark|light] [--quality l|m|h|k]
                     [--aspect 16:9|9:16] [--chapter NAME ...] [--out DIR]
    bce-video numbers [--data FILE] [--positive LABEL] [--C VALUE | --no-penalty] [--json]

Bad input ends with its message on stderr, exit code 2, and nothing written.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bce_core import DataError, FitError
from bce_core.cli import format_report, positive_number

from .settings import ASPECTS, Settings, SettingsError, check_chapters

EXIT_BAD_INPUT = 2
CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "bce-video"
QUALITIES = {
    "l": "low_quality",
    "m": "medium_quality",
    "h": "high_quality",
    "k": "fourk_quality",
}


def _add_data_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", metavar="FILE", help="CSV (x,y) or JSON; default: the article")
    parser.add_argument("--positive", metavar="LABEL", help="the label of the positive class")
    penalty = parser.add_mutually_exclusive_group()
    penalty.add_argument(
        "--C", type=positive_number, default=1.0, metavar="VALUE", help="L2 penalty's C"
    )
    penalty.add_argument("--no-penalty", action="store_true", help="maximum likelihood")


def build_parser() -> argparse.ArgumentParser:
    from scenes.words import available_languages

    from .settings import THEMES

    parser = argparse.ArgumentParser(prog="bce-video", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)

    render = commands.add_parser("render", help="render the film to an MP4 with subtitles")
    _add_data_options(render)
    render.add_argument("--lang", default="en", choices=available_languages())
    render.add_argument("--theme", default="dark", choices=THEMES)
    render.add_argument("--quality", default="l", choices=list(QUALITIES))
    render.add_argument("--aspect", default="16:9", choices=ASPECTS)
    render.add_argument(
        "--chapter",
        nargs="+",
        metavar="NAME",
        help="render only these chapters (see README: title, feature, labels, ...)",
    )
    render.add_argument("--out", default="renders", metavar="DIR", help="default: renders/")

    numbers = commands.add_parser("numbers", help="print the numbers the film will show")
    _add_data_options(numbers)
    numbers.add_argument("--json", action="store_true", help="every number as one JSON object")
    return parser


def settings_from(args: argparse.Namespace) -> Settings:
    return Settings(
        data=args.data,
        positive=args.positive,
        C=None if args.no_penalty else args.C,
        language=getattr(args, "lang", "en"),
        theme=getattr(args, "theme", "dark"),
        aspect=getattr(args, "aspect", "16:9"),
    )


def output_stem(settings: Settings, chapters: list[str] | None) -> str:
    """bce-en-dark, bce-zh-light-vertical, bce-en-dark-fit ..."""
    parts = ["bce", settings.language, settings.theme]
    if settings.aspect == "9:16":
        parts.append("vertical")
    if chapters:
        parts.append("-".join(chapters))
    return "-".join(parts)


def render(settings: Settings, quality: str, chapters: list[str] | None, out: Path) -> Path:
    """Render the film into ``out``; files appear there only once complete."""
    from manim import Scene, config, tempconfig

    from scenes.film import chapter_names, play_film

    from .settings import apply_aspect

    inputs = settings.inputs()  # may raise DataError/FitError: before anything is written
    wanted = chapters or chapter_names()
    stem = output_stem(settings, chapters)
    out.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()

    def progress(film) -> None:
        if film.chapter in wanted:
            done = wanted.index(film.chapter) + 1
            print(
                f"[{done:2d}/{len(wanted)}] {film.chapter:<16} {time.monotonic() - started:6.1f} s",
                file=sys.stderr,
                flush=True,
            )

    class Film(Scene):
        def construct(self) -> None:
            play_film(self, inputs, only=chapters, on_chapter_end=progress)

    # Manim writes into a scratch folder beside the output (same file system), and the
    # finished files are renamed into place: a failed or interrupted render leaves no
    # half-written MP4 at the final path.
    with tempfile.TemporaryDirectory(prefix=".bce-render-", dir=out) as scratch:
        with tempconfig(
            {
                "quality": QUALITIES[quality],
                "media_dir": scratch,
                "output_file": stem,
                "save_sections": True,
                "progress_bar": "none",
                "verbosity": "WARNING",
                # LaTeX and text renderings are kept between renders: they are slow.
                "tex_dir": str(CACHE / "Tex"),
                "text_dir": str(CACHE / "texts"),
            }
        ):
            apply_aspect(config, settings.aspect)
            scene = Film()
            scene.render()
        writer = scene.renderer.file_writer
        movie = Path(writer.movie_file_path)
        finished = {
            movie: out / f"{stem}.mp4",
            movie.with_suffix(".srt"): out / f"{stem}.srt",
        }
        sections = Path(writer.sections_output_dir) / f"{stem}.json"
        if sections.exists():
            finished[sections] = out / f"{stem}.chapters.json"
        # Subtitles and chapters first, the MP4 last: its presence means all is there.
        for source, target in sorted(finished.items(), key=lambda item: item[1].suffix == ".mp4"):
            if source.exists():
                shutil.move(str(source), str(target.with_name(f".{target.name}.part")))
                target.with_name(f".{target.name}.part").replace(target)
    return out / f"{stem}.mp4"


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = settings_from(args)
        if args.command == "numbers":
            lesson = settings.lesson()
            print(json.dumps(lesson.as_dict(), indent=2) if args.json else format_report(lesson))
            return 0
        chapters = check_chapters(args.chapter) if args.chapter else None
        movie = render(settings, args.quality, chapters, Path(args.out))
    except (DataError, FitError, SettingsError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("interrupted: nothing was written", file=sys.stderr)
        return 130
    print(f"film:      {movie}")
    print(f"subtitles: {movie.with_suffix('.srt')}")
    print(f"chapters:  {movie.with_name(movie.stem + '.chapters.json')}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
