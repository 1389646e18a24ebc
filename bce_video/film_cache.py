"""The caches a render uses: finished films by key, and Manim's partial movies.

The *film key* hashes everything the film is made from (the source of scenes/, bce_core/,
bce_film/ and bce_video/, the language files, the data file's bytes, the options, the
quality, and the versions of Manim, PyAV and numpy). A finished film with that key is
copied from the cache: a re-render with nothing changed takes about a second. Manim's
per-animation cache (its partial movies), shared by all workers and renders, is pruned
here too.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import asdict
from functools import cache
from pathlib import Path

from bce_film.caches import cache_dir

from .request import RenderRequest

# What the film is made from: a change to any of these files is a different film.
SOURCE_PACKAGES = ("bce_core", "bce_film", "bce_video", "bce_voice", "scenes")
SOURCE_SUFFIXES = (".py", ".toml")
# Partial movies kept in the shared cache (Manim's default is 100, fewer than one film
# has animations, which would make every render cold). The least recently used go first.
MAX_CACHED_PIECES = 4000
# Finished films kept by key, most recent first.
MAX_CACHED_FILMS = 8


@cache
def source_fingerprint(root: Path | None = None) -> str:
    """A hash of the code and words the film is made from (under ``root``: by default
    where this package is), and of the libraries that draw and encode it."""
    import av
    import manim
    import numpy

    root = root or Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for package in SOURCE_PACKAGES:
        for path in sorted((root / package).rglob("*")):
            if path.suffix in SOURCE_SUFFIXES and "__pycache__" not in path.parts:
                digest.update(path.relative_to(root).as_posix().encode() + b"\0")
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    versions = f"manim {manim.__version__} av {av.__version__} numpy {numpy.__version__}"
    digest.update(versions.encode())
    # Manim reads manim.cfg from the working directory; options it sets that the render
    # does not override could change the film.
    local_config = Path("manim.cfg")
    if local_config.is_file():
        digest.update(local_config.read_bytes())
    return digest.hexdigest()


def film_key(request: RenderRequest, narration: str | None = None) -> str:
    """``narration``: the fingerprint of the film's clips (None: silent), which stands for
    the voice's sound and the recordings' contents."""
    options = asdict(request.options)
    if request.options.data is not None:
        options["data"] = hashlib.sha256(Path(request.options.data).read_bytes()).hexdigest()
    options["narration"] = narration  # the clips, not where the recordings were
    options["voice"] = request.options.spoken_by  # the default's name, not None
    options["captions"] = request.options.burns_captions  # the default's choice, not None
    described = {
        "source": source_fingerprint(),
        "options": options,
        "quality": request.quality,
        "draft": request.draft,
        "chapters": request.chapters,
    }
    return hashlib.sha256(json.dumps(described, sort_keys=True).encode()).hexdigest()[:32]


def kept_film(key: str) -> Path | None:
    """The cached film's folder (``RenderedFilm.files``' names inside), marked most
    recently used; or None."""
    kept = cache_dir() / "films" / key
    if not (kept / "film.mp4").is_file():  # stored last, atomically with the rest
        return None
    os.utime(kept)
    return kept


def keep_film(scratch: Path, names: Iterable[str], key: str) -> None:
    """Store the finished film (``names``, files or folders in ``scratch``) under its
    key, atomically, dropping the oldest."""
    films = cache_dir() / "films"
    films.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".film-", dir=films))
    for name in names:
        if (scratch / name).is_dir():
            shutil.copytree(scratch / name, staging / name)
        else:
            shutil.copyfile(scratch / name, staging / name)
    kept = films / key
    if kept.exists():
        shutil.rmtree(kept)
    staging.replace(kept)
    older = sorted(
        (path for path in films.iterdir() if not path.name.startswith(".")),
        key=lambda path: path.stat().st_mtime,
        reverse=True,
    )
    for path in older[MAX_CACHED_FILMS:]:
        shutil.rmtree(path, ignore_errors=True)


def prune_pieces(media: Path, used: set[str]) -> None:
    """Keep the partial movies this render used and the most recently used others (by
    access time, which the render refreshes for the pieces it joined)."""
    # Not the dot-named pieces still being written by a render running beside this one.
    pieces = [
        path for path in media.rglob("partial_movie_files/*/*.mp4") if not path.name.startswith(".")
    ]
    if len(pieces) <= MAX_CACHED_PIECES:
        return
    pieces.sort(key=lambda path: (str(path) in used, path.stat().st_atime), reverse=True)
    for path in pieces[MAX_CACHED_PIECES:]:
        path.unlink(missing_ok=True)
