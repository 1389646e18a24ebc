"""``bce-video batch MANIFEST``: many films from one TOML manifest.

The manifest's keys are ``render``'s options by their flag names (``data``, ``positive``,
``C``, ``no-penalty``, ``lang``, ``theme``, ``aspect``, ``captions``, ``voice``,
``narration``, ``quality``, ``chapter``, ``draft``, ``jobs``), read by render's own parser,
so a film in a batch is the film ``render`` makes with those flags:

    [defaults]                    # for every film below
    quality = "l"

    [[films]]                     # a group: each list expands, the group is their product
    data = ["scores.csv", "cohort/"]   # a folder: every .csv and .json in it
    lang = ["en", "zh"]
    chapter = ["fit", "mean_loss"]     # a list that is one option's value stays one value

Relative paths are relative to the manifest. The whole manifest is checked before anything
renders (a bad one is bad input: exit 2, nothing written). Each film renders into its own
folder under ``--out``, named from its options; the chapter and film caches are shared by
all, so a second run takes from them what the first finished. A film whose data cannot be
used fails alone; ``batch.json`` lists every film's outcome, and the batch exits 1 if any
failed.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import re
import sys
import threading
import time
import tomllib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, fields
from pathlib import Path

from bce_film.bad_input import BAD_INPUT
from bce_film.options import FilmOptions
from bce_voice.files import written_atomically
from scenes.chapters import ORDER

from .request import RenderedFilm, RenderError, RenderRequest

#: The manifest's two tables.
DEFAULTS_TABLE, FILMS_TABLE = "defaults", "films"
#: render's options a manifest may not give: the batch decides where each film goes.
NOT_IN_A_MANIFEST = ("out", "cluster", "help")
#: A data folder's films: its files with these endings.
DATA_SUFFIXES = (".csv", ".json")
#: Paths relative to the manifest.
PATH_OPTIONS = ("data", "narration")
RECORD = "batch.json"


class ManifestError(ValueError):
    """A manifest that cannot be rendered as it is; the message names the key, the film
    or the file (bad input: exit 2, before anything renders)."""


@dataclass(frozen=True)
class BatchFilm:
    """One film of a batch: its folder's name, its options as the manifest gives them
    (by flag name, data as a path), and the render they make."""

    name: str
    options: dict[str, object]
    request: RenderRequest

    @property
    def chapters(self) -> tuple[str, ...]:
        return self.request.chapters or ORDER


# ---------------------------------------------------------------- the manifest


def _render_parser() -> argparse.ArgumentParser:
    """render's own parser, raising ManifestError where argparse would exit."""
    from .cli import add_render_arguments

    class Parser(argparse.ArgumentParser):
        def error(self, message: str):
            raise ManifestError(message)

    parser = Parser(prog="bce-video render", add_help=False)
    add_render_arguments(parser, several_languages=False)
    return parser


def _options_by_flag(parser: argparse.ArgumentParser) -> dict[str, argparse.Action]:
    """render's options by their flag names without the dashes (``no-penalty``)."""
    return {
        flag[2:]: action
        for action in parser._actions  # argparse keeps its options here, and nowhere public
        for flag in action.option_strings
        if flag.startswith("--") and flag[2:] not in NOT_IN_A_MANIFEST
    }


def _takes_a_list(action: argparse.Action) -> bool:
    return action.nargs in ("+", "*")


def _takes_no_value(action: argparse.Action) -> bool:
    return action.nargs == 0  # store_true: --draft, --no-penalty


def read_manifest(path: Path) -> list[BatchFilm]:
    """Every film the manifest at ``path`` lists, in order, each once. Raises
    ManifestError naming what is wrong."""
    try:
        manifest = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ManifestError(f"{path}: no such manifest") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ManifestError(f"{path}: cannot be read ({error})") from None
    except tomllib.TOMLDecodeError as error:
        raise ManifestError(f"{path}: not valid TOML ({error})") from None
    if unknown := sorted(set(manifest) - {DEFAULTS_TABLE, FILMS_TABLE}):
        raise ManifestError(
            f"{path}: unknown table or key {unknown[0]!r}; a manifest has [{DEFAULTS_TABLE}] "
            f"and [[{FILMS_TABLE}]]"
        )
    defaults = manifest.get(DEFAULTS_TABLE, {})
    groups = manifest.get(FILMS_TABLE, [])
    if not isinstance(defaults, dict):
        raise ManifestError(f"{path}: {DEFAULTS_TABLE} must be a table ([{DEFAULTS_TABLE}])")
    if not (isinstance(groups, list) and all(isinstance(group, dict) for group in groups)):
        raise ManifestError(f"{path}: {FILMS_TABLE} must be tables ([[{FILMS_TABLE}]])")
    if not groups:
        raise ManifestError(f"{path}: no films ([[{FILMS_TABLE}]])")
    parser = _render_parser()
    options = _options_by_flag(parser)
    films: dict[str, BatchFilm] = {}
    for number, group in enumerate(groups, start=1):
        where = f"{path}: [[{FILMS_TABLE}]] {number}"
        given = {**defaults, **group}
        for key in given:
            if key not in options:
                raise ManifestError(
                    f"{where}: unknown option {key!r}; render's options: {', '.join(options)}"
                )
        for film_options in _expanded(given, options, path.parent, where):
            film = _film(film_options, parser, options, where, named_by=set(group))
            same = films.setdefault(film.name, film)
            if same.options != film.options:
                raise ManifestError(
                    f"{where}: two different films would be written to {film.name!r} (data "
                    "files of the same name in different folders?): rename one"
                )
    return list(films.values())


def _expanded(
    given: dict[str, object], options: dict[str, argparse.Action], base: Path, where: str
) -> list[dict[str, object]]:
    """The group's films: the product of its lists (a folder of data counting as the list
    of its files); a list that is one option's value (``chapter``) stays one value."""
    choices: dict[str, list[object]] = {}
    for key, value in given.items():
        if isinstance(value, dict):
            raise ManifestError(f"{where}: {key} is a table; expected a value or a list")
        single_list = _takes_a_list(options[key]) and not (
            isinstance(value, list) and value and all(isinstance(v, list) for v in value)
        )
        values = [value] if single_list or not isinstance(value, list) else value
        if not values:
            raise ManifestError(f"{where}: {key} is an empty list, so the group has no films")
        if key in PATH_OPTIONS:
            values = [found for v in values for found in _paths(key, v, base, where)]
        choices[key] = values
    combinations = itertools.product(*choices.values())
    return [dict(zip(choices, combination, strict=True)) for combination in combinations]


def _paths(key: str, value: object, base: Path, where: str) -> list[str]:
    """``value`` (relative to the manifest's folder) as paths: a data folder is every
    .csv and .json file in it."""
    if not isinstance(value, str):
        raise ManifestError(f"{where}: {key} is {value!r}; expected a path")
    path = (base / value).resolve() if not Path(value).is_absolute() else Path(value)
    if not path.exists():
        raise ManifestError(f"{where}: {key} {value!r}: no such file or folder ({path})")
    if key == "data" and path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix.lower() in DATA_SUFFIXES)
        if not files:
            raise ManifestError(f"{where}: data folder {value!r} has no .csv or .json file")
        return [str(file) for file in files]
    return [str(path)]


def _argv(film: dict[str, object], options: dict[str, argparse.Action], where: str) -> list[str]:
    argv = []
    for key, value in film.items():
        action = options[key]
        if _takes_no_value(action):
            if not isinstance(value, bool):
                raise ManifestError(f"{where}: {key} is {value!r}; expected true or false")
            argv += [f"--{key}"] if value else []
        elif isinstance(value, bool):
            raise ManifestError(f"{where}: {key} is {value}; expected a value, not true/false")
        elif isinstance(value, list):
            argv += [f"--{key}", *map(str, value)]
        else:
            argv += [f"--{key}", str(value)]
    return argv


def _film(
    film: dict[str, object],
    parser: argparse.ArgumentParser,
    options: dict[str, argparse.Action],
    where: str,
    named_by: set[str],
) -> BatchFilm:
    from .cli import check_chapters

    try:
        args = parser.parse_args(_argv(film, options, where))
        film_options = FilmOptions.from_arguments(args)
        chapters = check_chapters(args.chapter) if args.chapter else None
        request = RenderRequest(film_options, args.quality, chapters, args.draft, args.jobs)
    except ManifestError as error:
        raise ManifestError(f"{where}, film {_described(film)}: {error}") from None
    except BAD_INPUT as error:
        raise ManifestError(f"{where}, film {_described(film)}: {error}") from None
    return BatchFilm(film_name(film, named_by), film, request)


def _described(film: dict[str, object]) -> str:
    return ", ".join(f"{key}={_shown(key, value)}" for key, value in film.items()) or "(defaults)"


def _shown(key: str, value: object) -> str:
    if key in PATH_OPTIONS:
        return Path(str(value)).name
    if isinstance(value, list):
        return "+".join(map(str, value))
    return str(value).lower() if isinstance(value, bool) else str(value).replace(":", "x")


def film_name(film: dict[str, object], named_by: set[str]) -> str:
    """The film's folder: its data file's name (or ``article``), then each other option
    its group gives (``named_by``: not the defaults, which every film shares) as key-value,
    in the manifest's order: ``scores_lang-zh_aspect-9x16_chapter-fit+title``."""
    data = film.get("data")
    parts = [Path(str(data)).stem if data else "article"]
    parts += [
        f"{key}-{_shown(key, value)}"
        for key, value in film.items()
        if key != "data" and key in named_by
    ]
    return re.sub(r"[^\w.+-]+", "-", "_".join(parts))


# ---------------------------------------------------------------- the run


def run_batch(manifest: Path, out: Path, cluster: str | None) -> int:
    """Render every film of the manifest into ``out``; 0 if all were made, 1 if any
    failed (each named with its message), 130 if interrupted."""
    from .executors import executor_for
    from .render import render

    films = read_manifest(manifest)
    executor = executor_for(cluster)
    lock = threading.Lock()

    def say(line: str) -> None:
        with lock:
            print(line, file=sys.stderr, flush=True)

    outcomes: list[dict | None] = [None] * len(films)
    progress = BatchProgress(len(films), sum(len(film.chapters) for film in films))

    def made(number: int) -> None:
        film = films[number]
        say(f"film {number + 1}/{len(films)}: {film.name}")
        # Side by side, each line says whose it is.
        mark = f"  [{number + 1}] " if at_once > 1 else "  "
        outcome = _rendered(film, out, manifest, executor, render, lambda line: say(mark + line))
        with lock:
            outcomes[number] = outcome
            progress.film_done(len(film.chapters))
            line = progress.line()
        say(line)

    pool = None
    try:
        # Reaching the scheduler first: a cluster that is not there fails the batch here.
        at_once = films_at_once(executor, films)
        out.mkdir(parents=True, exist_ok=True)
        if at_once == 1:
            for number in range(len(films)):
                made(number)
        else:
            pool = ThreadPoolExecutor(at_once, thread_name_prefix="bce-film")
            for done in [pool.submit(made, number) for number in range(len(films))]:
                done.result()
    except RenderError as error:  # the cluster is not there: no film can be made
        say(f"error: {error}; the batch stopped")
        return 1
    except KeyboardInterrupt:
        say(f"interrupted after {progress.films_done} of {len(films)} films: run it again to go on")
        return 130
    finally:
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
        # Closing the cluster's client ends the films still drawing (their tasks are
        # stopped on the workers).
        executor.close()
    with written_atomically(out / RECORD) as part:
        part.write_text(json.dumps(outcomes, indent=2, ensure_ascii=False) + "\n")
    failed = [outcome for outcome in outcomes if outcome["status"] == "failed"]
    counts = {status: sum(o["status"] == status for o in outcomes) for status in STATUSES}
    print(
        f"{len(films)} films: "
        + ", ".join(f"{count} {status}" for status, count in counts.items())
        + f"; {out / RECORD}"
    )
    for outcome in failed:
        print(f"failed: {outcome['folder']}: {outcome['error']}", file=sys.stderr)
    return 1 if failed else 0


STATUSES = ("rendered", "cached", "failed")


def films_at_once(executor, films: list[BatchFilm]) -> int:
    """How many films render side by side. On this machine's pool, one: its workers take
    every core. On a cluster, enough that every slot has a chapter to draw, and one more,
    whose chapters the cluster draws while the client joins another's (the joining and
    the sound track are the client's work, and would leave the cluster idle)."""
    from .executors import LocalPool

    if isinstance(executor, LocalPool):
        return 1
    slots = executor.slots(films[0].request)  # the scheduler answers, or RenderError
    widest = max(len(film.chapters) for film in films)
    return min(len(films), 1 + math.ceil(slots / widest))


def _rendered(
    film: BatchFilm, out: Path, manifest: Path, executor, render: Callable, say: Callable
) -> dict:
    """The film rendered into its folder; its entry in batch.json (paths in its options
    relative to the manifest's folder, as a manifest gives them, and the manifest's path
    relative to ``out``, so that a reader of batch.json finds the data: read_record)."""
    base = manifest.parent
    outcome: dict[str, object] = {
        "folder": film.name,
        "manifest": Path(os.path.relpath(manifest.resolve(), out.resolve())).as_posix(),
        "options": {
            key: Path(os.path.relpath(value, base.resolve())).as_posix()
            if key in PATH_OPTIONS
            else value
            for key, value in film.options.items()
        },
    }
    started = time.monotonic()
    try:
        made: RenderedFilm = render(
            film.request, out / film.name, lambda line: say(f"  {line}"), executor
        )
    except (*BAD_INPUT, RenderError) as error:
        say(f"  failed: {error}")
        return {
            **outcome,
            "status": "failed",
            "files": {},
            "duration": None,
            "render_seconds": round(time.monotonic() - started, 3),
            "error": str(error),
        }
    chapters = json.loads(made.chapters.read_text())
    return {
        **outcome,
        "status": "cached" if made.from_cache else "rendered",
        "files": {
            kind.name: getattr(made, kind.name).relative_to(out).as_posix()
            for kind in fields(RenderedFilm)
            if kind.name != "from_cache"
        },
        "duration": round(chapters[-1]["end"], 3) if chapters else 0.0,
        "render_seconds": round(time.monotonic() - started, 3),
        "error": None,
    }


class BatchProgress:
    """Films and chapters done of the total, the time so far and an estimate of what is
    left (the time per chapter so far, for the chapters left)."""

    def __init__(self, films: int, chapters: int) -> None:
        self.films, self.chapters = films, chapters
        self.films_done = self.chapters_done = 0
        self.started = time.monotonic()

    def film_done(self, chapters: int) -> None:
        self.films_done += 1
        self.chapters_done += chapters

    def line(self) -> str:
        elapsed = time.monotonic() - self.started
        left = elapsed / self.chapters_done * (self.chapters - self.chapters_done)
        return (
            f"films {self.films_done}/{self.films}, chapters {self.chapters_done}/"
            f"{self.chapters}, {_clock(elapsed)} elapsed, about {_clock(left)} left"
        )


def _clock(seconds: float) -> str:
    minutes, seconds = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


# ---------------------------------------------------------------- the record: batch.json

#: The keys of each film's entry in batch.json (_rendered writes them).
RECORD_KEYS = (
    "folder",
    "manifest",
    "options",
    "status",
    "files",
    "duration",
    "render_seconds",
    "error",
)
MADE = ("rendered", "cached")


class RecordError(ValueError):
    """A batch's folder that cannot be read as ``bce-video batch`` writes it: no
    batch.json, one of another shape, or a film whose listed file is gone; the message
    names the film and the key or the file."""


@dataclass(frozen=True)
class RecordedFilm:
    """One film as batch.json lists it: its folder, its options as the manifest gave them
    (by flag name, paths relative to the manifest), its status and error; for a film that
    was made (rendered or cached), the render its options make and its files."""

    folder: str
    options: dict[str, object]
    status: str
    error: str | None
    request: RenderRequest | None = None
    rendered: RenderedFilm | None = None

    @property
    def made(self) -> bool:
        return self.status in MADE


def read_record(out: Path) -> list[RecordedFilm]:
    """Every film batch.json in the batch's folder ``out`` lists, in its order, each
    made film's files checked present. Raises RecordError naming what is wrong."""
    path = out / RECORD
    if not path.is_file():
        raise RecordError(
            f"{out}: no {RECORD} there; a batch's folder is the --out of bce-video batch"
        )
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise RecordError(f"{path}: cannot be read as JSON ({error})") from None
    if not isinstance(entries, list) or not entries:
        raise RecordError(f"{path}: expected the list of films bce-video batch writes")
    parser = _render_parser()
    options = _options_by_flag(parser)
    return [
        _recorded(entry, number, path, parser, options)
        for number, entry in enumerate(entries, start=1)
    ]


def _recorded(
    entry: object,
    number: int,
    path: Path,
    parser: argparse.ArgumentParser,
    options: dict[str, argparse.Action],
) -> RecordedFilm:
    out = path.parent
    where = f"{path}: film {number}"
    if not isinstance(entry, dict):
        raise RecordError(f"{where}: expected an object, as bce-video batch writes")
    if missing := [key for key in RECORD_KEYS if key not in entry]:
        raise RecordError(
            f"{where}: no {missing[0]!r}; not what bce-video batch writes (an older one's? "
            "run the batch again: it takes every film from the cache)"
        )
    folder, given, status = entry["folder"], entry["options"], entry["status"]
    if not isinstance(folder, str) or not isinstance(given, dict):
        raise RecordError(f"{where}: 'folder' must be a name and 'options' an object")
    where = f"{path}: film {folder!r}"
    if status not in STATUSES:
        raise RecordError(f"{where}: status {status!r}; expected one of {', '.join(STATUSES)}")
    if status not in MADE:
        return RecordedFilm(folder, given, status, str(entry["error"]))
    if unknown := [key for key in given if key not in options]:
        raise RecordError(f"{where}: unknown option {unknown[0]!r}")
    manifest = entry["manifest"]
    if not isinstance(manifest, str):
        raise RecordError(f"{where}: 'manifest' must be a path")
    base = out / manifest
    resolved = dict(given)
    for key in PATH_OPTIONS:
        if key in given:
            file = base.parent / str(given[key])
            if not file.exists():
                raise RecordError(
                    f"{where}: its {key} {given[key]!r} is not there ({file}: paths in "
                    f"options are relative to the manifest, {base})"
                )
            resolved[key] = str(file)
    try:
        request = _film(resolved, parser, options, where, named_by=set()).request
    except ManifestError as error:
        raise RecordError(str(error)) from None
    return RecordedFilm(
        folder, given, status, None, request, _recorded_files(entry["files"], out, where)
    )


def _recorded_files(files: object, out: Path, where: str) -> RenderedFilm:
    """The film's files as batch.json lists them (relative to the batch's folder, inside
    it: a page copies them), each there."""
    kinds = [kind.name for kind in fields(RenderedFilm) if kind.name != "from_cache"]
    if not isinstance(files, dict) or sorted(files) != sorted(kinds):
        raise RecordError(f"{where}: 'files' must name its {', '.join(kinds)}")
    for kind, name in files.items():
        if not isinstance(name, str) or Path(name).is_absolute() or ".." in Path(name).parts:
            raise RecordError(f"{where}: its {kind} {name!r} is not a path inside {out}")
    for kind, name in files.items():
        if not (out / name).exists():
            raise RecordError(f"{where}: its {kind} {name} is missing ({out / name})")
    return RenderedFilm(**{kind: out / files[kind] for kind in kinds})
