"""Synthesised speech kept by what determines it: the voice, its version, the language,
the text, and how clips are prepared. A re-render with nothing changed synthesises
nothing; a cue whose words changed is the only one synthesised again."""

from __future__ import annotations

import hashlib
import json
import os
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


class SpeechCache:
    """Prepared clips (float32 at audio.RATE) in ``directory``, one ``.npy`` per key."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)

    @staticmethod
    def key(voice: str, version: str, language: str, text: str) -> str:
        given = json.dumps([voice, version, language, text, PREPARATION], ensure_ascii=False)
        return hashlib.sha256(given.encode()).hexdigest()

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.npy"

    def get(self, key: str) -> np.ndarray | None:
        path = self._path(key)
        try:
            return np.load(path, allow_pickle=False)
        except (OSError, ValueError):  # not there, or not a whole file
            return None

    def put(self, key: str, clip: np.ndarray) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        with written_atomically(path) as part:  # a process reading finds all or nothing
            np.save(part, clip.astype(np.float32), allow_pickle=False)
