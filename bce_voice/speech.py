"""The interface every speech back-end implements: text in, samples and a sample rate out."""

from __future__ import annotations

import unicodedata
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np


class VoiceError(ValueError):
    """A voice that is unknown, not installed, or cannot speak the film's language."""


@dataclass(frozen=True)
class Speech:
    """What a voice said: mono samples in [-1, 1] at ``rate`` Hz."""

    samples: np.ndarray
    rate: int


class Voice(ABC):
    """A speech back-end. Adding one is adding a module with a subclass, and a line in
    ``bce_voice.voices.VOICES``."""

    name: str
    languages: frozenset[str]  # the film's language codes it can speak
    natural: bool  # sounds like a person: may be a language's default voice
    install: str  # how to install it, for the message when it is missing
    licence: str

    @abstractmethod
    def available(self) -> bool:
        """Installed on this machine."""

    @abstractmethod
    def version(self) -> str:
        """Everything about the installed voice that changes its sound (the program's
        version, the model's): part of the synthesis cache's key."""

    @abstractmethod
    def synthesize(self, texts: Sequence[str], language: str) -> list[Speech]:
        """Speak each text; one Speech per text, in order. Raises VoiceError."""

    @abstractmethod
    def cannot_say(self, text: str, language: str) -> str:
        """The characters of ``text`` this voice's front end would drop or misread (each
        once, in order of appearance; "" when it can say every word). Punctuation and
        spaces are not words: a voice may pause on them or pass over them. Checked before
        any synthesis, so that no word is ever silently dropped."""


# Punctuation by Unicode's categories that is read as a word ("percent", "underscore"; per
# mille, basis point and the primes by their escapes).
SAID_PUNCTUATION = frozenset("%\u2030\u2031#&@*/\\_§¶†‡\u2032\u2033")


def is_pause(character: str) -> bool:
    """Punctuation and spaces: not words; a voice pauses on them or passes over them."""
    if character in SAID_PUNCTUATION:
        return False
    return character.isspace() or unicodedata.category(character).startswith("P")


def is_latin(character: str) -> bool:
    """A letter of the Latin script (a-z, and with diacritics: "é")."""
    return character.isalpha() and unicodedata.name(character, "").startswith("LATIN")


def is_han(character: str) -> bool:
    """A Chinese character (CJK Unified Ideographs, the basic block and extension A)."""
    return "\u4e00" <= character <= "\u9fff" or "\u3400" <= character <= "\u4dbf"


def characters_outside(text: str, sayable: Callable[[str], bool]) -> str:
    """The characters of ``text`` that are neither pauses nor ``sayable``: each once, in
    order of appearance."""
    return "".join(dict.fromkeys(c for c in text if not is_pause(c) and not sayable(c)))


def says_english(character: str) -> bool:
    """What an English front end (eSpeak NG's, which Piper reads with) says as words:
    Latin letters and digits. Greek letters, mathematical symbols and Chinese characters
    it reads as the names of foreign characters, or not at all."""
    return is_latin(character) or character in "0123456789"
