"""Sound kept by what determines it, as float32 arrays (``KeptSound``): synthesised
speech (``SpeechCache``: the voice, its version, the language, the text, and how clips
are prepared) and each chapter's mastered part of a film's track
(``bce_voice.soundtrack``). A re-render with nothing changed synthesises nothing; a cue
whose words changed is the only one synthesised again, and its chapter the only one
mastered again. Pruned after each render to what it used and the most recently used
others (``KeptSound.prune``)."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from . import audio
from .files import written_atomically


def cache_dir() -> Path:
    """Where bce-video keeps what it can make again (speech, rewritten voice models,
    finished films): BCE_CACHE_DIR, else $XDG_CACHE_HOME/bce-video, else
    ~/.cache/bce-video."""
    if os.environ.get("BCE_CACHE_DIR"):
        return Path(os.environ["BCE_CACHE_DIR"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "bce-video"


# How a clip is made ready (bce_voice.audio): a change here is a different clip.
PREPARATION = json.dumps(
    [
        audio.RATE,
        audio.TARGET_LUFS,
        audio.PEAK_CEILING_DBTP,
        audio.LIMITER_WINDOW,
        audio.SILENCE_BELOW_LOUDEST_DB,
        audio.SILENCE_FLOOR_DBFS,
        audio.LEAD_IN,
        audio.TAIL,
        audio.FADE,
    ]
)


# How much speech the cache keeps: the clips a render uses, and the most recently used
# others while all fit in this. About four narrated films: a five-minute film's 64 clips
# are about 60 MB (float32 mono at 48 kHz). Speech is the largest thing the cache keeps
# and among the cheapest to make again (synthesis and preparation take about 4.5 s per
# minute of speech: benchmarks/speech.py), so it keeps fewer films than the chapter
# cache (400 chapters, some 17 films): enough to go from one language, voice or data set
# to another and back without synthesising, not a history of every edit of every cue.
MAX_SPEECH_BYTES = 256 * 1024 * 1024
# A clip is written under its unfinished name (bce_voice.files) for a few milliseconds:
# one a day old was left by a process that stopped, not being written by a running one.
STALE_UNFINISHED_SECONDS = 24 * 3600


class KeptSound:
    """Sound (float32 at audio.RATE) in ``directory``, one ``.npy`` per key, at most
    ``max_bytes`` of it besides what a render uses (``prune``)."""

    def __init__(self, directory: Path, max_bytes: int) -> None:
        self.directory = Path(directory)
        self.max_bytes = max_bytes

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.npy"

    def get(self, key: str) -> np.ndarray | None:
        """The clip kept under ``key``, now the most recently used; or None."""
        path = self._path(key)
        try:
            clip = np.load(path, allow_pickle=False)
        except (OSError, ValueError):  # not there, or not a whole file
            return None
        with contextlib.suppress(OSError):  # a cache on a read-only disk is still read
            os.utime(path)
        return clip

    def put(self, key: str, clip: np.ndarray) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        with written_atomically(path) as part:  # a process reading finds all or nothing
            np.save(part, clip.astype(np.float32), allow_pickle=False)

    def prune(self, used: Iterable[str], max_bytes: int | None = None) -> list[Path]:
        """Keep the clips ``used`` (keys: the render's, kept whatever their size) and the
        most recently used others (``get`` and ``put`` mark a clip used) while all fit in
        ``max_bytes`` (None: the cache's own); delete the others. A file being written
        (its unfinished name, hidden: bce_voice.files) is never touched unless it is
        older than STALE_UNFINISHED_SECONDS. Another process may prune at the same time, or read a
        clip this one deletes (it then synthesises it again). Returns what was deleted."""
        used = set(used)
        max_bytes = self.max_bytes if max_bytes is None else max_bytes
        clips, deleted = [], []
        stale = time.time() - STALE_UNFINISHED_SECONDS
        for path in self.directory.glob("*/*.npy"):
            try:
                facts = path.stat()
            except OSError:  # deleted meanwhile, by another process's prune
                continue
            if path.name.startswith("."):
                if facts.st_mtime < stale:
                    deleted.append(path)
            else:
                clips.append((path.stem in used, facts.st_mtime, path.name, facts.st_size, path))
        clips.sort(reverse=True)  # this render's first, then the most recently used
        kept_bytes, full = 0, False
        for is_used, _, _, size, path in clips:
            # Never an older clip kept for a more recent one that did not fit.
            full = full or not (is_used or kept_bytes + size <= max_bytes)
            if full:
                deleted.append(path)
            else:
                kept_bytes += size
        for path in deleted:
            path.unlink(missing_ok=True)
        return deleted


class SpeechCache(KeptSound):
    """Prepared clips, kept by what determines them (``key``)."""

    def __init__(self, directory: Path, max_bytes: int = MAX_SPEECH_BYTES) -> None:
        super().__init__(directory, max_bytes)

    @staticmethod
    def key(voice: str, version: str, language: str, text: str) -> str:
        given = json.dumps([voice, version, language, text, PREPARATION], ensure_ascii=False)
        return hashlib.sha256(given.encode()).hexdigest()
