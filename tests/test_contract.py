"""The chapter contract, without drawing: the hand-offs of the whole film (and of every
single-chapter render) chain up, every language file has exactly the cues the chapters
say, and breaking either fails at once with a message that names the culprits."""

from __future__ import annotations

import shutil
from dataclasses import replace

import pytest
from manim import Scene, tempconfig

import scenes.words as words_module
from bce_film.options import FilmOptions
from scenes.chapters import ORDER
from scenes.contract import Chapter, FilmError, HandOffs, check_chain, check_cues
from scenes.film import check_film, film_chapters, play_chapters
from scenes.words import available_languages, load_words

FILM = [module.CHAPTER for module in film_chapters()]


def test_the_film_is_its_order_of_declared_chapters():
    assert [chapter.name for chapter in FILM] == list(ORDER)


def test_the_whole_film_chains_up():
    check_chain(FILM)


@pytest.mark.parametrize("chapter", ORDER)
def test_every_single_chapter_render_chains_up(chapter):
    """Rendering a chapter alone plays the chapters before it, skipped."""
    played = FILM[: ORDER.index(chapter) + 1]
    check_chain(played, FILM)


@pytest.mark.parametrize("chosen", [("fit", "mean_loss"), ("labels", "formula", "split")])
def test_a_render_of_some_chapters_checks_the_chapters_it_plays(chosen):
    """bce-video render --chapter fit mean_loss plays every chapter up to mean_loss."""
    check_film(load_words("en"), chosen)


def test_every_hand_off_taken_is_left_by_some_chapter():
    left = {name for chapter in FILM for name in chapter.leaves}
    taken = {name for chapter in FILM for name in chapter.takes}
    assert taken <= left
    assert taken, "the film hands nothing over: this test would check nothing"


def test_a_reordered_film_names_the_chapter_that_needs_and_the_one_that_leaves():
    order = [c for c in FILM if c.name != "split"]
    order.insert(order.index(next(c for c in order if c.name == "fit")) + 1, FILM[4])
    assert FILM[4].name == "split"
    with pytest.raises(FilmError) as raised:
        check_chain(order, FILM)
    assert str(raised.value) == (
        "chapter 'fit' takes 'rows', which no earlier chapter left: "
        "'split' leaves it but comes later"
    )


def test_a_skipped_chapter_is_named():
    without = [c for c in FILM if c.name != "stand_bars"]
    with pytest.raises(
        FilmError, match=r"'log_curve' takes 'bar_labels'.*'stand_bars' leaves it but is not played"
    ):
        check_chain(without, FILM)


def test_a_dropped_hand_off_cannot_be_taken_again():
    chain = [
        Chapter("one", cues=("a",), leaves=("plot",)),
        Chapter("two", cues=("a",), takes=("plot",), drops=("plot",)),
        Chapter("three", cues=("a",), takes=("plot",)),
    ]
    with pytest.raises(
        FilmError, match=r"'three' takes 'plot'.*'one' leaves it but 'two' drops it"
    ):
        check_chain(chain)


def test_a_declaration_may_not_leave_and_drop_the_same_thing():
    with pytest.raises(FilmError, match="both leaves and drops"):
        Chapter("odd", cues=("a",), leaves=("x",), drops=("x",))


# ------------------------------------------------------------------------ while playing


def test_hand_offs_refuse_what_a_chapter_did_not_declare():
    handoffs = HandOffs()
    handoffs.begin(Chapter("first", cues=("a",), leaves=("plot",)))
    with pytest.raises(FilmError, match="'first' leaves 'bars' without declaring it"):
        handoffs.leave("bars", object())
    with pytest.raises(FilmError, match="declares it leaves \\['plot'\\] but did not"):
        handoffs.end()
    plot = object()
    handoffs.leave("plot", plot)
    handoffs.end()
    handoffs.begin(Chapter("second", cues=("a",), takes=("plot",), drops=("plot",)))
    with pytest.raises(FilmError, match="'second' takes 'axes' without declaring it"):
        handoffs.take("axes")
    assert handoffs.take("plot") is plot
    handoffs.end()
    assert handoffs.peek("plot") is None, "dropped at the end of the chapter"


def _play(chapters, inputs=None, result=None):
    """Play the film with animations skipped (no frames, no files); ``result`` gets the
    film and how many animations were played."""
    result = {} if result is None else result

    class Probe(Scene):
        def construct(self):
            result["film"] = play_chapters(
                self, inputs or FilmOptions().inputs(), upto=chapters[-1], chapters=chapters
            )

    with tempconfig({"dry_run": True, "verbosity": "WARNING", "progress_bar": "none"}):
        scene = Probe()
        try:
            scene.render()
        finally:
            result["plays"] = scene.renderer.num_plays
    return result


def test_a_broken_chain_stops_the_film_before_its_first_animation():
    order = [name for name in ORDER if name != "split"]
    result = {}
    with pytest.raises(FilmError, match="'fit' takes 'rows'"):
        _play(order, result=result)
    # It failed in the check, not in the fit chapter: nothing was played.
    assert result["plays"] == 0


def test_a_chapter_says_its_cues_in_their_declared_order(monkeypatch):
    import scenes.chapters.title as title

    monkeypatch.setattr(title, "CHAPTER", replace(title.CHAPTER, cues=("source", "what")))
    inputs = FilmOptions().inputs()
    # The words follow the declaration (else the load check would refuse them first).
    table = dict(inputs.words.table)
    table["title"] = {
        **table["title"],
        "cues": {
            "source": table["title"]["cues"]["source"],
            "what": table["title"]["cues"]["what"],
        },
    }
    words = replace(inputs.words, table=table)
    with pytest.raises(
        FilmError, match="chapter 'title' says 'what'; its CHAPTER declares 'source' next"
    ):
        _play(["title"], replace(inputs, words=words))


# ------------------------------------------------------------------------ words and cues


@pytest.mark.parametrize("language", available_languages())
def test_every_language_file_has_exactly_the_cues_the_chapters_say(language):
    check_cues(load_words(language), FILM)


@pytest.fixture
def words_copy(tmp_path, monkeypatch):
    """A copy of en.toml to edit, loaded as the language "xx"."""
    shutil.copy(words_module.TEXT_DIR / "en.toml", tmp_path / "xx.toml")
    monkeypatch.setattr(words_module, "TEXT_DIR", tmp_path)

    def edit(old: str, new: str):
        path = tmp_path / "xx.toml"
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new), encoding="utf-8")
        return words_module.load_words("xx")

    return edit


def test_a_cue_the_file_lacks_is_named_with_the_file(words_copy):
    words = words_copy("settle = ", "settled = ")
    with pytest.raises(
        FilmError, match=r"xx\.toml: no cue 'mean_loss\.settle', which the mean_loss"
    ):
        check_cues(words, FILM)


def test_a_cue_no_chapter_says_is_named_with_the_file(words_copy):
    words = words_copy("[mean_loss.cues]\n", '[mean_loss.cues]\nextra = "One more thing."\n')
    with pytest.raises(FilmError, match=r"xx\.toml: cue 'mean_loss\.extra' is said by no chapter"):
        check_cues(words, FILM)


def test_cues_out_of_order_are_named(words_copy):
    text = (words_module.TEXT_DIR / "xx.toml").read_text(encoding="utf-8")
    what = next(line for line in text.splitlines() if line.startswith("what = "))
    source = next(line for line in text.splitlines() if line.startswith("source = "))
    words = words_copy(f"{what}\n{source}\n", f"{source}\n{what}\n")
    with pytest.raises(FilmError, match=r"\[title\.cues\] are in the order source, what"):
        check_cues(words, FILM)


def test_a_chapter_in_the_file_that_the_film_lacks_is_named(words_copy):
    words = words_copy("[closing]\n", '[epilogue]\n\n[epilogue.cues]\nbye = "Bye."\n\n[closing]\n')
    with pytest.raises(FilmError, match=r"cue 'epilogue\.bye' is said by no chapter"):
        check_cues(words, FILM)
