"""eSpeak NG (Debian's ``espeak-ng``, GPL-3.0, run as a separate program): English and
Mandarin, instantly, with a robotic sound."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from .speech import Speech, Voice, VoiceError, characters_outside, is_han, says_english

PROGRAM = "espeak-ng"
# The film's language -> eSpeak NG's voice; words per minute a listener can follow.
# Mandarin is "cmn-latn-pinyin": eSpeak NG 1.51's "cmn" ("latin as English") reads many
# Chinese characters as their pinyin spelled in English, tone digits said as English
# numbers ("ni three hao three"); this one reads them as Mandarin.
ESPEAK_VOICES = {"en": "en-us", "zh": "cmn-latn-pinyin"}
WORDS_PER_MINUTE = 165
# What each language's voice says as words. In Mandarin, Latin letters would be read as
# pinyin, and digits are turned into Chinese numerals before any voice hears them.
SAYABLE = {"en": says_english, "zh": is_han}


class EspeakVoice(Voice):
    name = "espeak"
    languages = frozenset(ESPEAK_VOICES)
    natural = False
    install = "sudo apt-get install espeak-ng"
    licence = "GPL-3.0 (run as a separate program)"

    def available(self) -> bool:
        return shutil.which(PROGRAM) is not None

    def version(self) -> str:
        return _version()

    def cannot_say(self, text: str, language: str) -> str:
        return characters_outside(text, SAYABLE[language])

    def synthesize(self, texts: Sequence[str], language: str) -> list[Speech]:
        from .audio import decode_audio  # PyAV and scipy: only when speaking

        voice = ESPEAK_VOICES[language]
        spoken = []
        with tempfile.TemporaryDirectory(prefix="bce-espeak-") as scratch:
            for number, text in enumerate(texts):
                wav = Path(scratch) / f"{number}.wav"
                command = [PROGRAM, "-v", voice, "-s", str(WORDS_PER_MINUTE), "-w", str(wav)]
                # The text on stdin, never as an argument: it may start with "-".
                done = subprocess.run(
                    command, input=text, capture_output=True, text=True, check=False
                )
                if done.returncode != 0 or not wav.is_file():
                    raise VoiceError(f"espeak-ng failed on {text!r}: {done.stderr.strip()}")
                spoken.append(Speech(*decode_audio(wav)))
        return spoken


@cache
def _version() -> str:
    done = subprocess.run([PROGRAM, "--version"], capture_output=True, text=True, check=False)
    # "eSpeak NG text-to-speech: 1.51  Data at: /usr/lib/...": the version, not the path.
    return done.stdout.split("Data at")[0].strip()
