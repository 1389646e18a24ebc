"""Where bce-video keeps what it can make again: finished films, Manim's partial movies,
rendered text and LaTeX, and synthesised speech."""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator
from pathlib import Path

from bce_voice.cache import cache_dir  # its one home: bce_voice uses it too

_LOCKED: set[Path] = set()  # lock files whose lock this process already takes


def speech_cache_dir() -> Path:
    return cache_dir() / "speech"


def lock_shared_renderings(lock_file: Path) -> None:
    """Make this process's Text and LaTeX renderings wait for each other's across
    processes (a render's workers, a preflight, a plain manim run). Manim writes them
    into the shared cache folders under fixed names, then rewrites them in place, and
    parses them through a fixed-name scratch file: two processes making the same text at
    once read each other's half-written files. The folders stay shared because LaTeX is
    the slow part of a cold render: each process would otherwise run it again for every
    formula another has made."""
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


@contextlib.contextmanager
def shared_renderings_held(lock_file: Path) -> Iterator[None]:
    """Hold the lock ``lock_shared_renderings`` takes, to copy the shared folders whole
    (no file half-written by another process's Text or LaTeX)."""
    import fcntl

    lock_file.parent.mkdir(parents=True, exist_ok=True)
    with lock_file.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def forget_parsed_svg_paths() -> None:
    """Let each Text and formula glyph drop the SVG path it was made from, once its
    points are made. Manim keeps svgelements' parsed path (pure Python, an object per
    point) on every glyph and never reads it again, but deep-copies it with every copy of
    the glyph: each animation's starting copy, each transform's target. Without it a copy
    costs a fraction: a preflight runs twice as fast, and no point changes."""
    from manim.mobject.svg.svg_mobject import VMobjectFromSVGPath

    if getattr(VMobjectFromSVGPath.__init__, "forgets_its_path", False):
        return
    made = VMobjectFromSVGPath.__init__

    @functools.wraps(made)
    def init(self, *args, **kwargs):
        made(self, *args, **kwargs)
        self.path_obj = None

    init.forgets_its_path = True
    VMobjectFromSVGPath.__init__ = init


def keep_parsed_texts() -> None:
    """Let Manim keep each Text it has parsed and copy it the next time, as it does for
    formulas and markup: its cache of parsed SVGs is off by default for Text only (Manim
    PR 3181: the copy that fills it was dear while glyphs kept their parsed paths, which
    ``forget_parsed_svg_paths`` drops). A headless play (``preflight.play_headless``)
    makes the same labels again and again, and a test process plays many films: a
    preflight takes a fifth less time, and half as long the second time in a process. Not
    in a render: there updaters make a new text at every frame (a readout, the bars'
    values), each kept for good (a 1080p worker grew by 200 MB), and it is no faster. The
    key is Manim's own: the SVG's file name, a hash of the text and every setting; the
    glyphs are the same, made by the same code after the copy."""
    from manim.mobject.text.text_mobject import Text

    if getattr(Text.__init__, "keeps_parsed_texts", False):
        return
    made = Text.__init__

    @functools.wraps(made)
    def init(self, *args, use_svg_cache: bool = True, **kwargs):
        made(self, *args, use_svg_cache=use_svg_cache, **kwargs)

    init.keeps_parsed_texts = True
    Text.__init__ = init


def prepare_renderings(lock_file: Path | None) -> None:
    """What every process that makes the film's Text and LaTeX does first (a plain manim
    run, a bce-video worker, a preflight): take turns with the others sharing the folders
    beside ``lock_file`` (None: a folder of its own), and copy glyphs cheaply."""
    if lock_file is not None:
        lock_shared_renderings(lock_file)
    forget_parsed_svg_paths()
