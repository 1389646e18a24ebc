"""The voices the film can speak with, and which one a language gets by default."""

from __future__ import annotations

from .espeak import EspeakVoice
from .fastspeech2 import FastSpeech2Voice
from .piper import PiperVoice
from .speech import Voice, VoiceError

#: Most natural first: a language's default is the first natural one installed.
VOICES: dict[str, Voice] = {
    voice.name: voice for voice in (PiperVoice(), FastSpeech2Voice(), EspeakVoice())
}
SILENT = "none"  # no voice: the film is paced by reading time, as a silent film


def voice_names() -> tuple[str, ...]:
    return (*VOICES, SILENT)


def default_voice(language: str) -> str:
    """The most natural installed voice that speaks ``language``: English gets ``piper``,
    Chinese ``fastspeech2``, when installed. ``none`` when only a robotic one does (without
    fastspeech2, Mandarin has only eSpeak NG's, and a film is better read than spoken by it;
    record your own with ``--narration``)."""
    for voice in VOICES.values():
        if voice.natural and language in voice.languages and voice.available():
            return voice.name
    return SILENT


def check_voice(name: str, language: str) -> None:
    """Raises VoiceError unless ``name`` is installed and speaks ``language``; the message
    names the voices that can, and how to install each."""
    if name == SILENT:
        return
    voice = VOICES.get(name)
    if voice is None:
        raise VoiceError(f"voice {name!r} is unknown; voices for {language!r}: {_able(language)}")
    if language not in voice.languages:
        raise VoiceError(
            f"voice {name!r} cannot speak {language!r}; voices that can: {_able(language)}"
        )
    if not voice.available():
        raise VoiceError(f"voice {name!r} is not installed; install it with: {voice.install}")


def _able(language: str) -> str:
    """The voices that speak ``language``, each installed or how to install it."""
    able = [
        f"{voice.name} ({'installed' if voice.available() else 'install: ' + voice.install})"
        for voice in VOICES.values()
        if language in voice.languages
    ]
    return "; ".join([*able, f"{SILENT} (silent)"])
