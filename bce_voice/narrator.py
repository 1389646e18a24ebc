"""Every cue's clip, from the narrator's recordings, the voice, or the cache, checked
before anything renders."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .audio import RATE, AudioError, at_rate, prepare_clip, warm_up
from .cache import SpeechCache
from .recordings import NarrationError, find_recordings, load_recording
from .voices import SILENT, VOICES, check_voice


@dataclass(frozen=True)
class Cue:
    id: str  # chapter.name
    text: str  # as the film says it, numbers filled in


@dataclass(frozen=True)
class Narration:
    """Each cue's clip (float32 mono at RATE), and where each came from."""

    clips: dict[str, np.ndarray]
    sources: dict[str, str]  # cue id -> "piper", "espeak" or the recording's file name
    synthesised: int  # clips the voice made in this run (the others: cache or recordings)
    recorded: frozenset[str] = frozenset()  # the cues spoken by the narrator's recordings
    cache_keys: frozenset[str] = frozenset()  # the speech cache's keys of the voice's clips

    def summary(self) -> str:
        """59 cues (piper: 2 synthesised, 57 from the cache); 3 cues (2 recorded; ...)"""
        parts = [f"{len(self.recorded)} recorded"] if self.recorded else []
        voices = sorted({self.sources[cue] for cue in self.clips if cue not in self.recorded})
        spoken = len(self.clips) - len(self.recorded)
        if spoken:
            cached = spoken - self.synthesised
            parts.append(
                f"{'/'.join(voices)}: {self.synthesised} synthesised, {cached} from the cache"
            )
        return f"{len(self.clips)} cues ({'; '.join(parts)})"

    def seconds(self) -> dict[str, float]:
        """How long each cue speaks: what the film's pace follows."""
        return {cue: len(clip) / RATE for cue, clip in self.clips.items()}

    def fingerprint(self) -> str:
        """A hash of every clip and its cue: part of the film cache's key."""
        digest = hashlib.sha256()
        for cue in sorted(self.clips):
            digest.update(cue.encode())
            digest.update(self.clips[cue].tobytes())
        return digest.hexdigest()


def narrate(
    cues: Sequence[Cue],
    language: str,
    voice: str,
    cache: SpeechCache,
    recordings: Path | None = None,
    voice_given: bool = False,
    film_cues: Iterable[str] = (),
    warn: Callable[[str], None] = lambda message: None,
    while_speaking: Callable[[], None] = lambda: None,
) -> Narration | None:
    """The clip of each cue in ``cues`` (those of the chapters being rendered).

    With ``recordings``, each cue's file there; a cue without one is an error, unless a
    voice was given (``voice_given``), which then speaks it, with a warning naming it.
    Files matching no cue of ``film_cues`` (by default: ``cues``) are named in a
    warning. Without recordings, ``voice`` speaks every cue; ``none`` gives None (a
    silent film). ``while_speaking`` is called once before the voice speaks cues the
    cache lacks, for what the caller can do meanwhile (the voice speaks in its own
    process). Raises NarrationError or VoiceError before anything renders.
    """
    check_voice(voice, language)
    clips: dict[str, np.ndarray] = {}
    sources: dict[str, str] = {}
    to_speak = list(cues)
    if recordings is not None:
        found = find_recordings(recordings, list(film_cues) or [cue.id for cue in cues])
        if found.unmatched:
            names = ", ".join(path.name for path in found.unmatched)
            warn(f"these files in {recordings} are no recording of a cue of the film: {names}")
        missing = [cue.id for cue in cues if cue.id not in found.files]
        if missing and not (voice_given and voice != SILENT):
            raise NarrationError(
                f"{len(missing)} cue(s) have no recording in {recordings} "
                f"(name each file by its cue id, e.g. {missing[0]}.wav): {', '.join(missing)}"
            )
        if missing:
            warn(f"no recording of {', '.join(missing)}: spoken by {voice}")
        problems = []
        for cue in cues:
            if cue.id in found.files:
                path = found.files[cue.id]
                try:
                    clips[cue.id] = load_recording(path)
                    sources[cue.id] = path.name
                except AudioError as error:
                    problems.append(f"{path} {error}")
        if problems:
            raise NarrationError("unusable recordings:\n  " + "\n  ".join(problems))
        to_speak = [cue for cue in cues if cue.id not in clips]
    elif voice == SILENT:
        return None
    synthesised = 0
    keys: dict[str, str] = {}
    if to_speak:
        back_end = VOICES[voice]
        version = back_end.version()
        keys = {cue.id: cache.key(voice, version, language, cue.text) for cue in to_speak}
        for cue in to_speak:
            if (clip := cache.get(keys[cue.id])) is not None:
                clips[cue.id], sources[cue.id] = clip, voice
        unsaid = [cue for cue in to_speak if cue.id not in clips]
        if unsaid:
            # What preparing the clips needs (scipy) is imported while the voice speaks
            # in its own process, not after: 0.7 s of a one-cue edit.
            threading.Thread(target=warm_up, name="bce-warm-up", daemon=True).start()
            while_speaking()
        for cue, speech in zip(
            unsaid, back_end.synthesize([cue.text for cue in unsaid], language), strict=True
        ):
            clip = prepare_clip(at_rate(speech.samples, speech.rate))
            if len(clip) == 0:
                raise NarrationError(f"{voice} said nothing for {cue.id}: {cue.text!r}")
            cache.put(keys[cue.id], clip)
            clips[cue.id], sources[cue.id] = clip, voice
        synthesised = len(unsaid)
    ordered = {cue.id: clips[cue.id] for cue in cues}
    recorded = frozenset(cue.id for cue in cues if cue.id not in {c.id for c in to_speak})
    sources = {cue.id: sources[cue.id] for cue in cues}
    return Narration(ordered, sources, synthesised, recorded, frozenset(keys.values()))
