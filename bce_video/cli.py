"""``bce-video``: render the film from your data, in your language and colours.

    bce-video render [--data FILE] [--positive LABEL] [--C VALUE | --no-penalty]
                     [--lang en|zh] [--theme dark|light] [--quality l|m|h|k]
                     [--aspect 16:9|9:16] [--captions burn|off]
                     [--voice piper|fastspeech2|espeak|none]
                     [--narration DIR] [--chapter NAME ...] [--out DIR]
                     [--jobs N] [--draft]
                     [--cluster ADDRESS]
    bce-video batch  MANIFEST.toml [--out DIR] [--cluster ADDRESS]
    bce-video page   [render's options, with --lang LANG ...] [--site DIR] [--base-url URL]
    bce-video page   --batch DIR [--site DIR] [--base-url URL] [--handout]
    bce-video serve  [SITE] [--port N] [--no-open]
    bce-video handout [render's options]
    bce-video check   [--data FILE] [--positive LABEL] [--C VALUE | --no-penalty]
                      [--lang en|zh] [--theme dark|light] [--aspect 16:9|9:16]
                      [--captions burn|off]
    bce-video numbers [--data FILE] [--positive LABEL] [--C VALUE | --no-penalty] [--json]
    bce-video script  [--data FILE] [--positive LABEL] [--C VALUE | --no-penalty]
                      [--lang en|zh] [--voice NAME] [--narration DIR]
                      [--format text|json|srt]

Bad input ends with its message on stderr, exit code 2, and nothing written. Only
``render``, ``page`` and ``check`` import Manim; ``check`` exits with 1 when the preflight
fails.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path

from bce_core.cli import EXIT_BAD_INPUT, format_report
from bce_film.bad_input import BAD_INPUT
from bce_film.options import FilmOptions, OptionsError
from bce_film.voicing import film_voicing
from scenes.chapters import ORDER

from .batch import ManifestError
from .executors import ClusterAddressError, executor_for
from .handout import HandoutError
from .page import PageError, check_base_url
from .request import QUALITIES, RenderError, RenderRequest
from .script import SCRIPT_FORMATS, format_script
from .serve import DEFAULT_PORT, serve

EXIT_RENDER_FAILED = 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="bce-video", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)

    render = commands.add_parser("render", help="render the film to an MP4 with subtitles")
    add_render_arguments(render, several_languages=False)
    add_cluster_argument(render)

    batch = commands.add_parser(
        "batch",
        help="render many films from a TOML manifest (its keys are render's options), "
        "into one folder per film, with batch.json listing each film's outcome",
    )
    batch.add_argument("manifest", metavar="MANIFEST", help="a TOML file (README: Many films)")
    batch.add_argument(
        "--out", default="renders/batch", metavar="DIR", help="default: renders/batch/"
    )
    add_cluster_argument(batch)

    page = commands.add_parser(
        "page",
        help="render the films and write a web page to watch, embed and present them: a "
        "self-contained folder (default OUT/site/) that works from file:// and any static host",
    )
    add_render_arguments(page, several_languages=True)
    page.add_argument("--site", metavar="DIR", help="where the page goes (default: OUT/site)")
    page.add_argument(
        "--base-url",
        metavar="URL",
        help="the address the site's folder will have once published (https://...): the "
        "embed snippet points there; without it, a page opened from a file shows a "
        "placeholder to replace",
    )
    page.add_argument(
        "--handout",
        action="store_true",
        help="also write each film's handout (as bce-video handout does) and link its PDF "
        "from the page",
    )
    page.add_argument(
        "--batch",
        metavar="DIR",
        help="render nothing: make one page with a film picker of the films a batch made "
        "(DIR: the --out of bce-video batch, with its batch.json); the site goes to "
        "DIR/site unless --site says; with --handout, each film's handout is written "
        "beside it in DIR and linked from the page; render's options cannot be given",
    )

    serve = commands.add_parser(
        "serve",
        help="serve a page's folder on 127.0.0.1 with byte ranges (so the film can seek, "
        "which python -m http.server does not allow) and open it in the browser",
    )
    serve.add_argument(
        "site", nargs="?", default="renders/site", metavar="SITE", help="default: renders/site"
    )
    serve.add_argument(
        "--port",
        type=int,
        metavar="N",
        help=f"default: {DEFAULT_PORT}, or any free port if it is taken",
    )
    serve.add_argument("--no-open", action="store_true", help="do not open a browser")

    handout = commands.add_parser(
        "handout",
        help="render the film (or take it from the cache), then write its handout beside "
        "it: per chapter its heading, its still and its narration with times, as a PDF "
        "(OUT/<film>.handout.pdf) and a printable page (.handout.html)",
    )
    add_render_arguments(handout, several_languages=False)

    check = commands.add_parser(
        "check",
        help="preflight: play the film without drawing it and report, per chapter, text "
        "too small, texts that overlap, anything outside the safe area, and how much of "
        "the frame each chapter uses",
    )
    FilmOptions.add_data_arguments(check)
    FilmOptions.add_language_argument(check)
    FilmOptions.add_look_arguments(check)

    numbers = commands.add_parser("numbers", help="print the numbers the film will show")
    FilmOptions.add_data_arguments(numbers)
    numbers.add_argument("--json", action="store_true", help="every number as one JSON object")

    script = commands.add_parser(
        "script", help="print the narration script (cue ids and words), numbers filled in"
    )
    FilmOptions.add_data_arguments(script)
    FilmOptions.add_language_argument(script)
    FilmOptions.add_voice_arguments(script)
    script.add_argument(
        "--format",
        default=SCRIPT_FORMATS[0],
        choices=SCRIPT_FORMATS,
        help="text: for a narrator; json: [{id, chapter, text, spoken, seconds}] (text: "
        "as written; spoken: as the voice says it); srt: subtitles timed by reading time",
    )
    return parser


def add_render_arguments(parser: argparse.ArgumentParser, several_languages: bool) -> None:
    """What a render is made from and how: render's and page's options."""
    defaults = RenderRequest()
    FilmOptions.add_data_arguments(parser)
    FilmOptions.add_language_argument(parser, several=several_languages)
    FilmOptions.add_look_arguments(parser)
    FilmOptions.add_voice_arguments(parser)
    parser.add_argument("--quality", default=defaults.quality, choices=list(QUALITIES))
    parser.add_argument(
        "--chapter",
        nargs="+",
        metavar="NAME",
        help=f"render only these chapters ({', '.join(ORDER)})",
    )
    parser.add_argument("--out", default="renders", metavar="DIR", help="default: renders/")
    parser.add_argument(
        "--jobs",
        type=positive_int,
        default=defaults.jobs,
        metavar="N",
        help="worker processes rendering chapters side by side (default: one per core)",
    )
    parser.add_argument(
        "--draft",
        action="store_true",
        help="encode faster, at lower quality (x264 ultrafast): for checking while editing",
    )


def add_cluster_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--cluster",
        metavar="ADDRESS",
        help="render the chapters as tasks on a Dask cluster, at its scheduler's address "
        "(tcp://host:8786); default: worker processes on this machine",
    )


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is not 1 or more")
    return value


def check_chapters(names: list[str]) -> tuple[str, ...]:
    unknown = [name for name in names if name not in ORDER]
    if unknown:
        raise OptionsError(
            f"no chapter named {', '.join(map(repr, unknown))}; chapters: {', '.join(ORDER)}"
        )
    return tuple(names)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "batch":
            from .batch import run_batch

            return run_batch(Path(args.manifest), Path(args.out), args.cluster)
        if args.command == "serve":
            return serve(Path(args.site), args.port, open_browser=not args.no_open)
        options = FilmOptions.from_arguments(args)
        if args.command == "numbers":
            lesson = options.lesson()
            print(json.dumps(lesson.as_dict(), indent=2) if args.json else format_report(lesson))
            return 0
        if args.command == "script":
            voice = film_voicing(options)
            print(format_script(options.inputs(), args.format, voice), end="")
            return 0
        if args.command == "check":
            return _check(options)
        if args.command == "page":
            return _page(args, options)
        if args.command == "handout":
            return _handout(args, options)
        return _render(args, options)
    except (*BAD_INPUT, PageError, ClusterAddressError, ManifestError, HandoutError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT


def _check(options: FilmOptions) -> int:
    """The preflight of the film these options make: exit 1 if anything fails."""
    from bce_film.caches import cache_dir
    from bce_film.preflight import run_preflight
    from scenes.film import check_film

    inputs = options.inputs()
    check_film(inputs.words)  # a broken contract is bad input, before any drawing
    preflight = run_preflight(inputs, cache_dir())
    print(preflight.report())
    return 0 if preflight.passed else EXIT_RENDER_FAILED


def _stopped(error: BaseException, left: str) -> int:
    """A render that failed (exit 1) or was interrupted (130): say so, and what is left."""
    if isinstance(error, KeyboardInterrupt):
        print(f"interrupted: {left}", file=sys.stderr)
        return 130
    print(f"error: {error}; {left}", file=sys.stderr)
    return EXIT_RENDER_FAILED


def _render(args: argparse.Namespace, options: FilmOptions) -> int:
    # Only rendering needs Manim (seconds to import): numbers and script start at once.
    from .render import render

    chapters = check_chapters(args.chapter) if args.chapter else None
    request = RenderRequest(options, args.quality, chapters, args.draft, args.jobs)
    executor = executor_for(args.cluster)
    try:
        film = render(request, Path(args.out), executor=executor)
    except (RenderError, KeyboardInterrupt) as error:
        return _stopped(error, "nothing was written")
    finally:
        executor.close()
    for kind, path in (
        ("film", film.movie),
        ("subtitles", film.subtitles),
        ("captions", film.captions),
        ("chapters", film.chapters),
        ("chapter track", film.chapter_track),
        ("poster", film.poster),
        ("thumbnails", film.thumbnails),
    ):
        print(f"{kind + ':':<14} {path}")
    return 0


def _page(args: argparse.Namespace, options: FilmOptions) -> int:
    """Render the film in each language asked for (or take it from the cache), then write
    the page; with --batch, the page of the films a batch made."""
    from .page import PageFilm, build_page, check_site
    from .render import render

    if args.batch is not None:
        return _batch_page(args)

    chapters = check_chapters(args.chapter) if args.chapter else None
    # Every language's options are checked (a voice that cannot speak one) before the
    # first render starts.
    languages = [replace(options, language=lang) for lang in FilmOptions.languages_from(args)]
    out = Path(args.out)
    site = Path(args.site) if args.site else out / "site"
    check_site(site)  # before rendering, not after
    base_url = check_base_url(args.base_url) if args.base_url else None
    if args.handout:
        from .handout import check_pdf_maker, write_handout

        check_pdf_maker()  # before rendering, not after
    try:
        films = []
        for film_options in languages:
            request = RenderRequest(film_options, args.quality, chapters, args.draft, args.jobs)
            rendered = render(request, out)
            # The render has already warned of a class name said by its role.
            quiet = film_voicing(film_options, warn=lambda message: None)
            script = format_script(film_options.inputs(), "text", quiet)
            handout = write_handout(film_options, rendered).pdf if args.handout else None
            films.append(PageFilm(film_options, rendered, script, handout))
        index = build_page(films, site, base_url)
    except (RenderError, KeyboardInterrupt) as error:
        return _stopped(error, "no page was written")
    for film in films:
        print(f"{'film:':<14} {film.rendered.movie}")
    print(f"{'page:':<14} {index}")
    return 0


def _batch_page(args: argparse.Namespace) -> int:
    """The page of a batch's films (batch.json's rendered and cached ones), with a picker;
    nothing is rendered. With --handout, each film's handout is written from the film the
    batch published, beside it. The films that failed are left out, and said so on
    stderr."""
    from .batch import RecordError, read_record
    from .page import PageFilm, batch_choices, build_batch_page, check_site

    if given := _render_options_given(args):
        raise PageError(
            f"--batch takes each film as the batch made it: {', '.join(given)} cannot be "
            "given with it (a film's options are its manifest's)"
        )
    batch = Path(args.batch)
    try:
        recorded = read_record(batch)
    except RecordError as error:
        raise PageError(f"--batch {error}") from None
    made = [film for film in recorded if film.made]
    failed = [film for film in recorded if not film.made]
    if not made:
        raise PageError(
            f"--batch {batch}: no film was made ({len(failed)} failed), so there is nothing "
            "to show; fix the data batch.json names and run the batch again"
        )
    site = Path(args.site) if args.site else batch / "site"
    check_site(site)
    base_url = check_base_url(args.base_url) if args.base_url else None
    if args.handout:
        from .handout import check_pdf_maker, write_handout

        check_pdf_maker()  # before any handout, not after the first
    films = []
    for film in made:
        # The film's options as its manifest gave them (read_record), for its files as
        # batch.json lists them: the handout is made from what the batch published.
        options = film.request.options
        # The batch's render has already warned of a class name said by its role.
        quiet = film_voicing(options, warn=lambda message: None)
        script = format_script(options.inputs(), "text", quiet)
        handout = write_handout(options, film.rendered).pdf if args.handout else None
        films.append(PageFilm(options, film.rendered, script, handout))
    choices = batch_choices(list(zip(made, films, strict=True)))
    index = build_batch_page(choices, site, base_url)
    if failed:
        print(f"left out {len(failed)} film(s) that failed:", file=sys.stderr)
        for film in failed:
            print(f"  {film.folder}: {film.error}", file=sys.stderr)
    for choice in choices:
        languages = ", ".join(film.options.language for film in choice.films)
        print(f"{'film:':<14} {choice.id} ({languages})")
        for film in choice.films:
            if film.handout is not None:
                print(f"{'handout:':<14} {film.handout}")
    print(f"{'page:':<14} {index}")
    return 0


def _render_options_given(args: argparse.Namespace) -> list[str]:
    """The render options given a value other than their default: with --batch, each
    film's options are the batch's."""
    scratch = argparse.ArgumentParser(add_help=False)
    add_render_arguments(scratch, several_languages=True)
    defaults = scratch.parse_args([])
    return [
        action.option_strings[-1]
        for action in scratch._actions  # argparse keeps its options here, and nowhere public
        if getattr(args, action.dest) != getattr(defaults, action.dest)
    ]


def _handout(args: argparse.Namespace, options: FilmOptions) -> int:
    """Render the film (or take it from the cache), then write its handout."""
    from .handout import check_pdf_maker, write_handout
    from .render import render

    chapters = check_chapters(args.chapter) if args.chapter else None
    check_pdf_maker()  # before rendering, not after
    request = RenderRequest(options, args.quality, chapters, args.draft, args.jobs)
    try:
        handout = write_handout(options, render(request, Path(args.out)))
    except (RenderError, KeyboardInterrupt) as error:
        return _stopped(error, "no handout was written")
    printed = (("handout", handout.pdf), ("handout page", handout.html), ("stills", handout.stills))
    for kind, path in printed:
        print(f"{kind + ':':<14} {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
