"""``bce-video``: render the film from your data, in your language and colours.

    bce-video render [--data FILE] [--positive LABEL] [--C VALUE | --no-penalty]
                     [--lang en|zh] [--theme dark|light] [--quality l|m|h|k]
                     [--aspect 16:9|9:16] [--chapter NAME ...] [--out DIR]
                     [--jobs N] [--draft]
    bce-video numbers [--data FILE] [--positive LABEL] [--C VALUE | --no-penalty] [--json]

Bad input ends with its message on stderr, exit code 2, and nothing written.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from bce_core import DataError, FitError
from bce_core.cli import format_report, positive_number

from .render import QUALITIES, RenderError, RenderRequest, render
from .settings import ASPECTS, Settings, SettingsError, check_chapters

EXIT_BAD_INPUT = 2
EXIT_RENDER_FAILED = 1


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
    render.add_argument(
        "--jobs",
        type=positive_int,
        default=os.cpu_count() or 1,
        metavar="N",
        help="worker processes rendering chapters side by side (default: one per core)",
    )
    render.add_argument(
        "--draft",
        action="store_true",
        help="encode faster, at lower quality (x264 ultrafast): for checking while editing",
    )

    numbers = commands.add_parser("numbers", help="print the numbers the film will show")
    _add_data_options(numbers)
    numbers.add_argument("--json", action="store_true", help="every number as one JSON object")
    return parser


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is not 1 or more")
    return value


def settings_from(args: argparse.Namespace) -> Settings:
    return Settings(
        data=args.data,
        positive=args.positive,
        C=None if args.no_penalty else args.C,
        language=getattr(args, "lang", "en"),
        theme=getattr(args, "theme", "dark"),
        aspect=getattr(args, "aspect", "16:9"),
    )


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = settings_from(args)
        if args.command == "numbers":
            lesson = settings.lesson()
            print(json.dumps(lesson.as_dict(), indent=2) if args.json else format_report(lesson))
            return 0
        chapters = tuple(check_chapters(args.chapter)) if args.chapter else None
        request = RenderRequest(settings, args.quality, chapters, args.draft, args.jobs)
        film = render(request, Path(args.out))
    except (DataError, FitError, SettingsError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except RenderError as error:
        print(f"error: {error}; nothing was written", file=sys.stderr)
        return EXIT_RENDER_FAILED
    except KeyboardInterrupt:
        print("interrupted: nothing was written", file=sys.stderr)
        return 130
    print(f"film:      {film.movie}")
    print(f"subtitles: {film.subtitles}")
    print(f"chapters:  {film.chapters}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
