"""Where bce-video keeps what it can make again: finished films, Manim's partial movies,
rendered text and LaTeX, and synthesised speech."""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir() -> Path:
    """BCE_CACHE_DIR, else $XDG_CACHE_HOME/bce-video, else ~/.cache/bce-video."""
    if os.environ.get("BCE_CACHE_DIR"):
        return Path(os.environ["BCE_CACHE_DIR"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "bce-video"


def speech_cache_dir() -> Path:
    return cache_dir() / "speech"
