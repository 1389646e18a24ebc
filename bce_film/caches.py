"""Where bce-video keeps what it can make again: finished films, Manim's partial movies,
rendered text and LaTeX, and synthesised speech."""

from __future__ import annotations

import functools
from pathlib import Path

from bce_voice.cache import cache_dir  # its one home: bce_voice uses it too

_LOCKED: set[Path] = set()  # lock files whose lock this process already takes


def speech_cache_dir() -> Path:
    return cache_dir() / "speech"


def lock_shared_renderings(lock_file: Path) -> None:
    """Make this process's Text and LaTeX renderings wait for each other's across
    processes (a render's workers, a preflight). Manim writes them into the shared cache
    folders under fixed names, then rewrites them in place, and parses them through a
    fixed-name scratch file: two processes making the same text at once read each other's
    half-written files. Separate folders would not do: the folder is part of every
    animation's cache hash."""
    import fcntl

    from manim.mobject.text import tex_mobject, text_mobject

    if lock_file.resolve() in _LOCKED:  # once per process: a second handle would deadlock
        return
    _LOCKED.add(lock_file.resolve())
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    handle = lock_file.open("a")
    depth = 0  # MathTex builds through SingleStringMathTex: hold the lock once

    def locked(function):
        @functools.wraps(function)
        def call(*args, **kwargs):
            nonlocal depth
            if depth == 0:
                fcntl.flock(handle, fcntl.LOCK_EX)
            depth += 1
            try:
                return function(*args, **kwargs)
            finally:
                depth -= 1
                if depth == 0:
                    fcntl.flock(handle, fcntl.LOCK_UN)

        return call

    for maker in (text_mobject.Text, text_mobject.MarkupText, tex_mobject.SingleStringMathTex):
        maker.__init__ = locked(maker.__init__)
