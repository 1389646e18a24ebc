"""A narrator's own recordings: one file per cue, named by its id (``mean_loss.settle.wav``),
in WAV, FLAC, MP3 or M4A, any sample rate, mono or stereo."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .audio import RATE, AudioError, decode_audio, is_silent, prepare_clip

RECORDING_SUFFIXES = (".wav", ".flac", ".mp3", ".m4a")
MAX_TAKE_SECONDS = 60.0


class NarrationError(ValueError):
    """Recordings the film cannot use; the message lists every problem at once."""


@dataclass(frozen=True)
class FoundRecordings:
    files: dict[str, Path]  # cue id -> its recording
    unmatched: tuple[Path, ...]  # files that are no recording of any cue of the film


def find_recordings(directory: Path, film_cues: Iterable[str]) -> FoundRecordings:
    """The recording of each cue in ``directory`` (matched by file name, the suffix in any
    case), and the files that match no cue of the film."""
    directory = Path(directory)
    if not directory.is_dir():
        raise NarrationError(f"narration folder {str(directory)!r} is not a folder")
    known = set(film_cues)
    files: dict[str, Path] = {}
    unmatched, doubled = [], []
    for path in sorted(directory.iterdir()):
        if path.name.startswith(".") or path.is_dir():
            continue
        cue = path.stem
        if path.suffix.lower() not in RECORDING_SUFFIXES or cue not in known:
            unmatched.append(path)
        elif cue in files:
            doubled.append(f"{cue}: {files[cue].name} and {path.name}")
        else:
            files[cue] = path
    if doubled:
        raise NarrationError(
            f"more than one recording of a cue in {directory}: {'; '.join(doubled)}"
        )
    return FoundRecordings(files, tuple(unmatched))


def load_recording(path: Path) -> np.ndarray:
    """The recording as a clip ready for the film. Raises AudioError with the reason."""
    samples, _ = decode_audio(path)
    if len(samples) == 0:
        raise AudioError("is empty")
    seconds = len(samples) / RATE
    if seconds > MAX_TAKE_SECONDS:
        raise AudioError(f"is {seconds:.1f} s long; a take may last {MAX_TAKE_SECONDS:.0f} s")
    if is_silent(samples):
        raise AudioError("is silent (nothing louder than -60 dBFS)")
    return prepare_clip(samples)
