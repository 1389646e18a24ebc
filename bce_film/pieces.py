"""The cleanup after a process that stopped before finishing a partial movie ("piece"),
which it writes under ``bce_voice.files.unfinished_name``. Free of Manim: the parent of a
parallel render uses it without importing Manim."""

from __future__ import annotations

from pathlib import Path

from bce_voice.files import unfinished_name


def remove_unfinished_pieces(media_dir: Path, pid: int) -> list[Path]:
    """Delete what process ``pid`` (now ended) left half-written under ``media_dir``.

    Manim discards the animation being encoded when a render is interrupted, but not
    in every moment (an interrupt while it starts an encoder thread orphans it), and a
    killed process cleans up nothing."""
    left = sorted(Path(media_dir).rglob(unfinished_name(Path("*.mp4"), pid).name))
    for piece in left:
        piece.unlink(missing_ok=True)
    return left
