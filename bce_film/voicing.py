"""The film's narration: which cues are spoken, by whom, and the track they make.

``narrate_film`` runs before anything renders (bad recordings, an unknown voice: exit
2); the film's pace follows its clips' lengths (``Narration.seconds``); once rendered,
``film_soundtrack`` puts each clip where the timeline says its cue starts, for
``bce_voice.soundtrack.add_soundtrack``. A parallel and a single-process render both go
through here, so both give the same audio.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from bce_voice.cache import SpeechCache
from bce_voice.narrator import Cue, Narration, narrate
from bce_voice.recordings import find_recordings
from bce_voice.soundtrack import Soundtrack
from bce_voice.voices import SILENT, VOICES
from scenes.chapters import ORDER
from scenes.inputs import FilmInputs
from scenes.narration import Voicing, narration_script
from scenes.words import cue_id, load_words

from .caches import speech_cache_dir
from .options import FilmOptions
from .timeline import Timeline


def warn_on_stderr(message: str) -> None:
    print(f"warning: {message}", file=sys.stderr, flush=True)


def film_voicing(
    options: FilmOptions, warn: Callable[[str], None] = warn_on_stderr
) -> Voicing | None:
    """The voice the film's spoken words are checked against: the options' voice, unless
    the film is silent or the narrator's recordings say every cue (no voice given); with
    recordings, the cues they say are theirs, not the voice's."""
    voice = options.spoken_by
    if voice == SILENT or (options.narration and options.voice is None):
        return None
    recorded: frozenset[str] = frozenset()
    if options.narration:
        words = load_words(options.language)
        cues = [cue_id(chapter, name) for chapter in ORDER for name in words.cue_templates(chapter)]
        recorded = frozenset(find_recordings(Path(options.narration), cues).files)
    language = options.language
    return Voicing(voice, lambda text: VOICES[voice].cannot_say(text, language), warn, recorded)


def narrate_film(
    options: FilmOptions,
    inputs: FilmInputs,
    chapters: Iterable[str] = ORDER,
    warn: Callable[[str], None] = warn_on_stderr,
    while_speaking: Callable[[], None] = lambda: None,
) -> Narration | None:
    """The clips of the cues of ``chapters``, from the options' recordings and voice
    (None: a silent film); a voice says each cue's spoken form (``scenes.spoken``).
    ``while_speaking``: see ``bce_voice.narrator.narrate``. Raises NarrationError,
    VoiceError or SpokenError (a cue the voice cannot say)."""
    script = narration_script(
        inputs.lesson, inputs.words, inputs.style, film_voicing(options, warn)
    )
    wanted = set(chapters)
    with _NARRATING:
        return narrate(
            [Cue(line.id, line.spoken) for line in script if line.chapter in wanted],
            inputs.words.language,
            options.spoken_by,
            SpeechCache(speech_cache_dir()),
            recordings=Path(options.narration) if options.narration else None,
            voice_given=options.voice is not None,
            film_cues=[line.id for line in script],
            warn=warn,
            while_speaking=while_speaking,
        )


# One film narrated at a time in a process (a batch renders films side by side on a
# cluster, in threads): a voice's models are made for one caller, and a film's clips take
# seconds against its drawing's minutes.
_NARRATING = threading.Lock()


def film_soundtrack(timeline: Timeline, narration: Narration) -> Soundtrack:
    """The film's track: each spoken cue's clip at the time its subtitle starts, in its
    chapter's part (mastered, and kept, chapter by chapter)."""
    placed = [
        (cue.start, narration.clips[cue.id]) for cue in timeline.cues if cue.id in narration.clips
    ]
    return Soundtrack.of([(c.start, c.end) for c in timeline.chapters], placed)
