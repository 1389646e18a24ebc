"""Written and spoken words are two views of one cue: the screen and the subtitles keep
what is written, a voice says the spoken form, and no word is ever dropped in silence."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from bce_film.options import FilmOptions
from bce_film.voicing import film_voicing
from bce_video import cli
from bce_voice.espeak import ESPEAK_VOICES, PROGRAM
from bce_voice.voices import VOICES
from scenes import words as words_module
from scenes.narration import Voicing, narration_script
from scenes.spoken import SpokenError
from scenes.words import TEXT_DIR, WordsError


def script(language: str, voice: Voicing | None = None, **options) -> dict:
    """Each cue's line of the narration script, by id."""
    inputs = FilmOptions(language=language, voice="none", **options).inputs()
    lines = narration_script(inputs.lesson, inputs.words, inputs.style, voice)
    return {line.id: line for line in lines}


def voicing(name: str, language: str, warnings: list[str] | None = None) -> Voicing:
    sink = warnings if warnings is not None else []
    voice = VOICES[name]
    return Voicing(name, lambda text: voice.cannot_say(text, language), sink.append)


def class_data(write, positive: str, negative: str):
    rows = [(0.1, negative), (0.5, positive), (0.9, negative), (1.3, positive), (1.8, positive)]
    body = "x,y\n" + "".join(f"{x},{label}\n" for x, label in rows)
    return write("classes.csv", body)


# ----------------------------------------------------------------- the spoken form itself


def test_chinese_numbers_are_said_as_chinese_numerals_and_the_screen_keeps_digits():
    lines = script("zh")
    settle = lines["mean_loss.settle"]
    assert "0.3329" in settle.text, "the subtitle keeps what the screen writes"
    assert "零点三三二九" in settle.spoken and "0.3329" not in settle.spoken
    assert "十个损失" in settle.spoken, "ten, as a word"
    assert "百分之五十" in lines["fit.training"].spoken, "50% in Chinese"


def test_formulas_are_said_in_words_in_each_language():
    english, chinese = script("en"), script("zh")
    assert "y equals 1" in english["formula.positive_term"].spoken
    assert "log of p of y" in english["formula.positive_term"].spoken
    assert "log of 1 minus p" in english["back_to_formula.split"].spoken
    assert "minus log p" in english["mean_loss.become"].spoken
    assert "歪等于一" in chinese["formula.positive_term"].spoken, "y = 1: y 等于 1"
    assert "负对数批" in chinese["mean_loss.become"].spoken, "-log p"
    assert "开艾勒散度" in chinese["kl_divergence.name"].spoken, "KL, letter by letter"
    assert "艾克斯" in chinese["feature.points"].spoken, "x, by its Chinese name"


def test_a_cue_given_a_spoken_form_is_said_in_it():
    chinese = script("zh")
    assert "Daniel Godoy" in chinese["title.source"].text
    assert "丹尼尔·戈多伊" in chinese["title.source"].spoken
    english = script("en")
    assert "log_loss" in english["code.fit"].text
    assert english["code.fit"].spoken.endswith("call its log loss.")


@pytest.mark.parametrize(
    ("name", "language"),
    [("piper", "en"), ("espeak", "en"), ("espeak", "zh"), ("fastspeech2", "zh")],
)
def test_every_voice_can_say_every_spoken_cue_of_its_languages(name, language):
    voice = VOICES[name]
    warnings: list[str] = []
    lines = script(language, voicing(name, language, warnings))
    assert warnings == []
    for line in lines.values():
        assert voice.cannot_say(line.spoken, language) == "", line.id


# ------------------------------------------------------------------------ class names


def test_a_latin_class_name_a_chinese_voice_cannot_say_falls_back_to_its_role(write):
    data = class_data(write, "spam", "ham")
    warnings: list[str] = []
    lines = script("zh", voicing("espeak", "zh", warnings), data=str(data), positive="spam")
    question = lines["labels.question"]
    assert "spam" in question.text, "the screen shows the name"
    assert "正类" in question.spoken and "spam" not in question.spoken
    assert "负类" in lines["labels.labels"].spoken
    assert len(warnings) == 2, warnings
    assert "'spam'" in warnings[0] and "'正类'" in warnings[0] and "labels.question" in warnings[0]
    # Without a voice (a narrator reads the script), the name stays.
    assert "spam" in script("zh", data=str(data), positive="spam")["labels.question"].spoken


def test_chinese_class_names_are_said_by_a_chinese_voice_and_by_role_in_english(write):
    data = class_data(write, "垃圾", "正常")
    warnings: list[str] = []
    chinese = script("zh", voicing("espeak", "zh", warnings), data=str(data), positive="垃圾")
    assert "垃圾" in chinese["labels.question"].spoken
    assert warnings == []
    english = script("en", voicing("espeak", "en", warnings), data=str(data), positive="垃圾")
    assert "the positive class" in english["labels.question"].spoken
    assert "垃圾" not in english["labels.question"].spoken
    assert any("'垃圾'" in warning and "'the positive class'" in warning for warning in warnings)


def test_single_letter_and_numeric_class_names_are_read_by_the_rules(write):
    data = class_data(write, "A", "B")
    lines = script("zh", voicing("espeak", "zh"), data=str(data), positive="A")
    assert "诶" in lines["labels.question"].spoken, "A, by its Chinese name"
    data = class_data(write, "1", "0")
    lines = script("zh", voicing("espeak", "zh"), data=str(data))
    assert "是一的概率" in lines["labels.question"].spoken, lines["labels.question"].spoken


# --------------------------------------------------------------- what no voice can say


@pytest.fixture
def words_without_spoken_godoy(tmp_path, monkeypatch):
    """A copy of the language files in which the Chinese title cue has no spoken form:
    Daniel Godoy's name stays in Latin letters, which the Mandarin voices cannot say."""
    for path in TEXT_DIR.glob("*.toml"):
        shutil.copy(path, tmp_path / path.name)
    chinese = tmp_path / "zh.toml"
    text = chinese.read_text(encoding="utf-8")
    start = text.index("[title.spoken]")
    end = text.index("\n[", start + 1)
    chinese.write_text(text[:start] + text[end + 1 :], encoding="utf-8")
    monkeypatch.setattr(words_module, "TEXT_DIR", tmp_path)
    return tmp_path


def test_a_cue_the_voice_cannot_say_is_an_error_naming_the_cue_and_characters(
    words_without_spoken_godoy,
):
    with pytest.raises(SpokenError) as raised:
        script("zh", voicing("espeak", "zh"))
    message = str(raised.value)
    assert "cue title.source" in message
    assert "'D', 'a', 'n', 'i', 'e', 'l', 'G', 'o', 'd', 'y'" in message
    assert "[title.spoken]" in message and "zh.toml" in message
    assert "feature.points" not in message, "only the cues it cannot say"


def test_the_commands_exit_2_before_anything_renders(words_without_spoken_godoy, tmp_path, capsys):
    assert cli.main(["script", "--lang", "zh", "--voice", "espeak"]) == 2
    assert "title.source" in capsys.readouterr().err
    out = tmp_path / "out"
    code = cli.main(["render", "--lang", "zh", "--voice", "espeak", "--out", str(out)])
    assert code == 2
    error = capsys.readouterr().err
    assert "cue title.source" in error and "'G'" in error
    assert not out.exists(), "nothing written"


def test_a_voice_filling_in_for_missing_recordings_is_checked_too(
    words_without_spoken_godoy, tmp_path, capsys
):
    """A narrator's recordings and a voice for the cues they lack: the voice's cues are
    checked before anything renders; the recorded ones are not its to say."""
    from test_voice import take, write_sound

    takes = tmp_path / "takes"
    takes.mkdir()
    write_sound(takes / "title.what.wav", take(1.0), 44_100)
    out = tmp_path / "out"
    args = ["render", "--lang", "zh", "--narration", str(takes), "--out", str(out)]
    assert cli.main([*args, "--chapter", "title", "--voice", "espeak"]) == 2
    assert "cue title.source" in capsys.readouterr().err
    assert not out.exists(), "nothing written"
    # Recorded, the cue is the narrator's, and the voice is not asked to say it.
    write_sound(takes / "title.source.wav", take(1.0), 44_100)
    voice = film_voicing(FilmOptions(language="zh", voice="espeak", narration=str(takes)))
    assert voice.recorded == {"title.what", "title.source"}
    assert "Daniel Godoy" in script("zh", voice)["title.source"].spoken


def test_a_spoken_form_of_no_cue_is_refused(tmp_path, monkeypatch):
    shutil.copy(TEXT_DIR / "en.toml", tmp_path / "en.toml")
    path = tmp_path / "en.toml"
    path.write_text(
        path.read_text(encoding="utf-8") + '\n[title.spoken]\nwhot = "a typo"\n', encoding="utf-8"
    )
    monkeypatch.setattr(words_module, "TEXT_DIR", tmp_path)
    with pytest.raises(WordsError, match=r"\[title.spoken\] whot is the spoken form of no cue"):
        words_module.load_words("en")


def test_the_script_shows_both_forms(capsys):
    assert cli.main(["script", "--lang", "zh", "--format", "json", "--voice", "none"]) == 0
    rows = {row["id"]: row for row in json.loads(capsys.readouterr().out)}
    assert rows["mean_loss.settle"]["spoken"].endswith("零点三三二九。")
    assert "0.3329" in rows["mean_loss.settle"]["text"]
    assert cli.main(["script", "--lang", "zh", "--voice", "none"]) == 0
    assert "    spoken: 我们沿着丹尼尔·戈多伊的图解" in capsys.readouterr().out


# ------------------------------------------------------------- eSpeak NG's Mandarin


def espeak_phonemes(voice: str, text: str) -> str:
    done = subprocess.run(
        [PROGRAM, "-v", voice, "-q", "-x"], input=text, capture_output=True, text=True, check=True
    )
    return done.stdout


@pytest.mark.skipif(shutil.which(PROGRAM) is None, reason="no espeak-ng")
def test_espeak_reads_every_chinese_cue_as_mandarin():
    """eSpeak NG marks a switch to English phonemes with "(en)"; its "cmn" voice switches
    on many Chinese characters (reading their pinyin as English: "ni three hao three").
    The film's Mandarin voice must never switch; "cmn" does, or this test could not
    fail."""
    spoken = "\n".join(line.spoken for line in script("zh", voicing("espeak", "zh")).values())
    assert "(en)" in espeak_phonemes("cmn", spoken), "the broken voice is caught"
    phonemes = espeak_phonemes(ESPEAK_VOICES["zh"], spoken)
    assert "(en)" not in phonemes, phonemes[:400]
