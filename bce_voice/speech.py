"""The interface every speech back-end implements: text in, samples and a sample rate out."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
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
