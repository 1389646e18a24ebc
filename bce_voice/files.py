"""Files that appear at their final path only when whole.

A reader (another process, a player, the next render's cache lookup) must find a whole
file or none, so everything is written under a temporary name in the target's folder (a
rename is atomic only within one file system) and renamed into place when complete. The
temporary name says which process writes it, so that what a stopped process left
half-written can be found and deleted without touching another's work in progress.

Its one home is here, in the lowest package that writes files (bce_core writes none, and
the voice imports no other package of ours): the film and the command use it too.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def unfinished_name(target: Path, pid: int | None = None) -> Path:
    """Where process ``pid`` (by default this one) writes ``target`` until it is complete:
    ``.{stem}.{pid}.part{suffix}`` beside it. Hidden, and with the target's suffix (a
    writer that picks the format by the suffix still picks the right one)."""
    target = Path(target)
    pid = os.getpid() if pid is None else pid
    return target.with_name(f".{target.stem}.{pid}.part{target.suffix}")


def remove(path: Path) -> None:
    """Delete a file or a folder, if it is there."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


@contextmanager
def written_atomically(target: Path) -> Iterator[Path]:
    """The temporary path to write ``target`` at (a file, or a folder the caller makes);
    renamed to ``target`` when the block ends, deleted if it raises. A folder replaces
    the folder there in two steps (a folder cannot be replaced in one): the old one is
    gone a moment before the new one is in place."""
    target = Path(target)
    part = unfinished_name(target)
    remove(part)  # left by a stopped process that had this pid
    try:
        yield part
        if part.is_dir() and target.is_dir():
            shutil.rmtree(target)
        os.replace(part, target)
    finally:
        remove(part)
