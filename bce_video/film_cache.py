"""The caches a render uses: finished films by key, and finished chapters by key.

The *film key* hashes everything the film is made from (the source of scenes/, bce_core/,
bce_film/ and bce_video/, the language files, the data file's bytes, the options, the
quality, and the versions of Manim, PyAV and numpy). A finished film with that key is
copied from the cache: a re-render with nothing changed takes about a second.

A *chapter key* hashes what one chapter's pictures and times are made from: the same,
except the cues of the other chapters (a cue's words are only on screen, heard or
subtitled while it is said) and the code of the chapters after it (the state a chapter
starts from comes from those before it). A chapter with its key in the cache is not
drawn again: an edit to one cue's words re-renders that chapter alone. This replaces
Manim's per-animation cache, whose hashing of the whole scene at every animation cost
about 39 s per render (benchmarks/README.md).

A *published record* remembers, by where a film was published, its key and its files'
sizes and hashes: a film rendered again into the same place, with nothing changed and its
files as they were, is found there even after the film cache has let its copy go (a batch
of more films than the cache keeps, run again, goes on where it stopped).

Each entry records the size and SHA-256 of every file it keeps, checked whenever it is
used (hashing costs a fraction of a second; a render, minutes): a damaged entry (a disk
that filled, a file cut short or edited by hand) is said, dropped and made again rather
than published or joined. So is a chapter's entry kept by an older bce-video, whose
record lacks what this one reads (the sizes and hashes; the chapter's fullest cue; its
thumbnail; its exact length).

A kept chapter keeps its thumbnail too (``bce_video.stills``), decoded from its own movies
when it is kept: a film whose one chapter changed decodes that chapter's still alone.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import TypeVar

from bce_film.caches import cache_dir
from bce_film.timeline import ChapterSpan, CueSpan
from bce_voice.files import written_atomically
from scenes.chapters import ORDER
from scenes.words import Words

from .messages import ChapterPiece
from .output import movies_seconds
from .request import RenderedFilm, RenderRequest
from .stills import chapter_still, write_thumbnail

# What the film is made from: a change to any of these files is a different film.
SOURCE_PACKAGES = ("bce_core", "bce_film", "bce_video", "bce_voice", "scenes")
SOURCE_SUFFIXES = (".py", ".toml")
LANGUAGE_FILES = "scenes/text/"  # the words: hashed as loaded, per chapter
CHAPTER_MODULES = "scenes/chapters/"
# Finished films kept by key, most recent first.
MAX_CACHED_FILMS = 8
# Finished chapters kept by key (a film has 23), least recently used first out.
MAX_CACHED_CHAPTERS = 400
# A kept chapter's pieces, times, fullest cue, and files' sizes and hashes.
CHAPTER_RECORD = "chapter.json"
CHAPTER_THUMBNAIL = "thumbnail.jpg"  # its still, as a chapter list shows it
FILM_RECORD = "film.json"  # a kept film's files' sizes and hashes
# Published records kept, most recent first: a few hundred bytes each; a course's batch
# of two thousand films fits.
MAX_PUBLISHED_RECORDS = 10_000


def _source_files(root: Path) -> tuple[tuple[str, bytes], ...]:
    """(path from ``root``, SHA-256) of every source file, in order."""
    return tuple(
        (path.relative_to(root).as_posix(), hashlib.sha256(path.read_bytes()).digest())
        for package in SOURCE_PACKAGES
        for path in sorted((root / package).rglob("*"))
        if path.suffix in SOURCE_SUFFIXES and "__pycache__" not in path.parts
    )


def _fingerprint(root: Path | None, leave_out=lambda path: False) -> str:
    import av
    import manim
    import numpy

    root = root or Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for path, content in _source_files(root):
        if not leave_out(path):
            digest.update(path.encode() + b"\0" + content)
    versions = f"manim {manim.__version__} av {av.__version__} numpy {numpy.__version__}"
    digest.update(versions.encode())
    # Manim reads manim.cfg from the working directory; options it sets that the render
    # does not override could change the film.
    local_config = Path("manim.cfg")
    if local_config.is_file():
        digest.update(local_config.read_bytes())
    return digest.hexdigest()


@cache
def source_fingerprint(root: Path | None = None) -> str:
    """A hash of the code and words the film is made from (under ``root``: by default
    where this package is), and of the libraries that draw and encode it."""
    return _fingerprint(root)


@cache
def chapter_code_fingerprint(chapter: str, root: Path | None = None) -> str:
    """``source_fingerprint`` without the language files and the modules of the chapters
    after ``chapter``."""
    later = {f"{CHAPTER_MODULES}{name}.py" for name in ORDER[ORDER.index(chapter) + 1 :]}
    return _fingerprint(root, lambda path: path.startswith(LANGUAGE_FILES) or path in later)


def _described_options(request: RenderRequest) -> dict:
    options = asdict(request.options)
    if request.options.data is not None:
        options["data"] = hashlib.sha256(Path(request.options.data).read_bytes()).hexdigest()
    options["voice"] = request.options.spoken_by  # the default's name, not None
    options["captions"] = request.options.burns_captions  # the default's choice, not None
    return options


def film_key(request: RenderRequest, narration: str | None = None) -> str:
    """``narration``: the fingerprint of the film's clips (None: silent), which stands for
    the voice's sound and the recordings' contents."""
    options = _described_options(request)
    options["narration"] = narration  # the clips, not where the recordings were
    described = {
        "source": source_fingerprint(),
        "options": options,
        "quality": request.quality,
        "draft": request.draft,
        "chapters": request.chapters,
    }
    return hashlib.sha256(json.dumps(described, sort_keys=True).encode()).hexdigest()[:32]


def _sha256(path: Path) -> str:
    with path.open("rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()


def _described_files(folder: Path) -> dict[str, list]:
    """{path from ``folder``: [size, SHA-256]} of every file under it."""
    return {
        path.relative_to(folder).as_posix(): [path.stat().st_size, _sha256(path)]
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


Used = TypeVar("Used")


class _Unusable(Exception):
    """A cache entry that must not be used; the message says why, after its name."""


def _checked_record(folder: Path, record_name: str) -> dict:
    """The entry's record (``record_name`` in ``folder``), once every file it lists is
    there with its recorded size and SHA-256. Raises _Unusable."""
    try:
        record = json.loads((folder / record_name).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise _Unusable(f"is damaged, or older than its checks ({record_name}: missing)") from None
    except OSError as error:
        raise _Unusable(f"is damaged ({record_name}: {error.strerror})") from None
    except ValueError:
        raise _Unusable(f"is damaged ({record_name}: not valid JSON)") from None
    if isinstance(record, dict) and "files" not in record:
        raise _Unusable(f"was kept by an older bce-video ({record_name}: no sizes and hashes)")
    try:
        for name, (size, digest) in record["files"].items():
            path = folder / name
            if not path.is_file():
                raise _Unusable(f"is damaged ({name}: missing)")
            if (found := path.stat().st_size) != size:
                raise _Unusable(f"is damaged ({name}: {found} bytes, expected {size})")
            if _sha256(path) != digest:
                raise _Unusable(f"is damaged ({name}: not the SHA-256 recorded)")
    except (AttributeError, TypeError, ValueError):
        raise _Unusable(f"is damaged ({record_name}: not a record of its files)") from None
    return record


def _used_entry(
    folder: Path, entry: str, read: Callable[[Path], Used], say: Callable[[str], None]
) -> Used | None:
    """What ``read`` (raising _Unusable) makes of the cache entry in ``folder``, which is
    marked most recently used (kept longest); or None: there is none, or it is damaged
    (said in one line, naming the ``entry``, and dropped to be made again)."""
    if not folder.is_dir():
        return None
    try:
        used = read(folder)
    except _Unusable as problem:
        say(f"{entry} {problem}; rendering it again")
        shutil.rmtree(folder, ignore_errors=True)
        return None
    os.utime(folder)
    return used


def _write_record(folder: Path, record_name: str, record: dict) -> None:
    """``record`` with the sizes and hashes of the files in ``folder``, into it."""
    record["files"] = _described_files(folder)
    (folder / record_name).write_text(json.dumps(record), encoding="utf-8")


def _checked_film(folder: Path) -> Path:
    _checked_record(folder, FILM_RECORD)
    return folder


def kept_film(key: str, name: str, say: Callable[[str], None]) -> Path | None:
    """The cached film's folder (``RenderedFilm.files``' names inside), or None (see
    ``_used_entry``; ``name``: the film's)."""
    return _used_entry(
        cache_dir() / "films" / key, f"film cache: {name}'s entry", _checked_film, say
    )


def keep_film(scratch: Path, names: Iterable[str], key: str) -> None:
    """Store the finished film (``names``, files or folders in ``scratch``) under its
    key, atomically, dropping the oldest."""
    films = cache_dir() / "films"
    films.mkdir(parents=True, exist_ok=True)
    with written_atomically(films / key) as staging:
        staging.mkdir()
        for name in names:
            if (scratch / name).is_dir():
                shutil.copytree(scratch / name, staging / name)
            else:
                shutil.copyfile(scratch / name, staging / name)
        _write_record(staging, FILM_RECORD, {})
    older = sorted(
        (path for path in films.iterdir() if not path.name.startswith(".")),
        key=lambda path: path.stat().st_mtime,
        reverse=True,
    )
    for path in older[MAX_CACHED_FILMS:]:
        shutil.rmtree(path, ignore_errors=True)


def _published_record(targets: RenderedFilm) -> Path:
    where = str(targets.movie.resolve())
    return cache_dir() / "published" / f"{hashlib.sha256(where.encode()).hexdigest()[:32]}.json"


def _described_published(targets: RenderedFilm) -> dict[str, object]:
    return {
        name: _described_files(path) if path.is_dir() else [path.stat().st_size, _sha256(path)]
        for name, path in targets.files().items()
    }


def note_published(key: str, targets: RenderedFilm) -> None:
    """Remember that ``targets`` hold the film of ``key``, with their sizes and hashes."""
    record = _published_record(targets)
    record.parent.mkdir(parents=True, exist_ok=True)
    described = {"key": key, "files": _described_published(targets)}
    with written_atomically(record) as part:
        part.write_text(json.dumps(described), encoding="utf-8")
    older = sorted(record.parent.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
    for path in older[MAX_PUBLISHED_RECORDS:]:
        path.unlink(missing_ok=True)


def still_published(key: str, targets: RenderedFilm) -> bool:
    """``targets`` hold the film of ``key`` as it was published: every file there, of the
    size and hash it had (one changed or gone since: the film is published again)."""
    try:
        record = json.loads(_published_record(targets).read_text(encoding="utf-8"))
        return record["key"] == key and record["files"] == _described_published(targets)
    except (OSError, ValueError, KeyError, TypeError):
        return False


def chapter_key(request: RenderRequest, words: Words, speech: dict[str, float], name: str) -> str:
    """The key of chapter ``name`` (see the module's docstring). ``speech``: the voice's
    seconds by cue id ({}: silent); the chapter's own set its pace."""
    options = _described_options(request)
    options.pop("narration", None)
    own_cues = f"{name}."
    described = {
        "chapter": name,
        "code": chapter_code_fingerprint(name),
        "options": options,
        "quality": request.quality,
        "draft": request.draft,
        "words": {
            chapter: table
            if chapter == name or not isinstance(table, dict)
            else {key: value for key, value in table.items() if key != "cues"}
            for chapter, table in words.table.items()
        },
        "speech": {cue: seconds for cue, seconds in speech.items() if cue.startswith(own_cues)},
    }
    return hashlib.sha256(json.dumps(described, sort_keys=True).encode()).hexdigest()[:32]


@dataclass(frozen=True)
class KeptChapter:
    """A finished chapter from the cache: its pieces, in order, and its times."""

    name: str
    scene_seconds: float
    movies: tuple[str, ...]
    cues: tuple[CueSpan, ...]  # as ChapterPiece.cues
    fullest_cue: str | None  # as ChapterPiece.fullest_cue
    thumbnail: str  # its still's thumbnail (bce_video.stills.write_thumbnail)
    length: Fraction  # seconds: its movies' frames at their rate (their headers say)


def _recorded_cue(cue: CueSpan) -> list:
    """A cue as a chapter's record keeps it: [id, text, start, end] (the format on disk
    since before the cues had a type of their own, so the entries kept then still count)."""
    return [cue.id, cue.text, cue.start, cue.end]


def _cue_of(recorded: object) -> CueSpan:
    if not (isinstance(recorded, list) and len(recorded) == 4):
        raise TypeError("not a recorded cue")
    return CueSpan(*recorded)


def _kept_chapter(folder: Path, record: dict) -> KeptChapter:
    # Kept before the render measured its chapters: its stills' cue is unknown, and only
    # drawing the chapter again finds it.
    if "fullest_cue" not in record:
        raise _Unusable(f"was kept by an older bce-video ({CHAPTER_RECORD}: no fullest cue)")
    if CHAPTER_THUMBNAIL not in record.get("files", {}):
        raise _Unusable(f"was kept by an older bce-video ({CHAPTER_THUMBNAIL}: missing)")
    if "length" not in record:
        raise _Unusable(f"was kept by an older bce-video ({CHAPTER_RECORD}: no length)")
    try:
        if unrecorded := set(record["movies"]) - set(record["files"]):
            raise _Unusable(f"is damaged ({min(unrecorded)}: no size and hash recorded)")
        fullest = record["fullest_cue"]
        if not (fullest is None or isinstance(fullest, str)):
            raise TypeError("not a cue's id")
        return KeptChapter(
            record["name"],
            record["scene_seconds"],
            tuple(str(folder / movie) for movie in record["movies"]),
            tuple(_cue_of(cue) for cue in record["cues"]),
            fullest,
            str(folder / CHAPTER_THUMBNAIL),
            Fraction(*record["length"]),
        )
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        raise _Unusable(f"is damaged ({CHAPTER_RECORD}: not a chapter's record)") from None


def kept_chapter(key: str, name: str, say: Callable[[str], None]) -> KeptChapter | None:
    """Chapter ``name`` kept under ``key``, or None (see ``_used_entry``)."""

    def read(folder: Path) -> KeptChapter:
        return _kept_chapter(folder, _checked_record(folder, CHAPTER_RECORD))

    return _used_entry(cache_dir() / "chapters" / key, f"chapter cache: {name}'s entry", read, say)


def keep_chapter(key: str, piece: ChapterPiece) -> KeptChapter:
    """Move a rendered chapter's pieces into the cache under ``key``, with its
    thumbnail, atomically; what it is kept as."""
    chapters = cache_dir() / "chapters"
    chapters.mkdir(parents=True, exist_ok=True)
    names = [f"{index:03d}.mp4" for index in range(len(piece.movies))]
    record = {
        "name": piece.name,
        "scene_seconds": piece.scene_seconds,
        "movies": names,
        "cues": [_recorded_cue(cue) for cue in piece.cues],
        "fullest_cue": piece.fullest_cue,
    }
    with written_atomically(chapters / key) as staging:
        staging.mkdir()
        for movie, name in zip(piece.movies, names, strict=True):
            shutil.move(movie, staging / name)
        # The chapter on its own time (its cues are timed from its start).
        own = ChapterSpan(
            piece.name, 0.0, piece.scene_seconds, tuple(piece.cues), fullest_cue=piece.fullest_cue
        )
        still = chapter_still([staging / name for name in names], own)
        write_thumbnail(still, staging / CHAPTER_THUMBNAIL)
        # Its exact length, read once here: a film's sound track is as long as its
        # chapters' (and opening every piece's header again costs a render 0.8 s).
        length = movies_seconds([str(staging / name) for name in names])
        record["length"] = [length.numerator, length.denominator]
        _write_record(staging, CHAPTER_RECORD, record)
    return _kept_chapter(chapters / key, record)


def prune_chapters(used: set[str]) -> None:
    """Keep the chapters ``used`` (keys) and the most recently used others."""
    chapters = cache_dir() / "chapters"
    if not chapters.is_dir():
        return
    folders = [path for path in chapters.iterdir() if not path.name.startswith(".")]
    if len(folders) <= MAX_CACHED_CHAPTERS:
        return
    folders.sort(key=lambda path: (path.name in used, path.stat().st_mtime), reverse=True)
    for path in folders[MAX_CACHED_CHAPTERS:]:
        shutil.rmtree(path, ignore_errors=True)
