"""The parts ``Film`` hands its work to, each alone on a stand-in scene (no rendering):
the cue clock (when a cue starts and ends, its holds in whole frames, its subtitle), the
burnt-in captions (which page is up when, and what their animation holds), the screen
words (what an updater's text maker holds) and the stage (what ``clear`` keeps)."""

from __future__ import annotations

import inspect

import numpy as np
import pytest
from manim import Animation, FadeIn, FadeOut, FadeTransform, Square, VGroup, Wait, tempconfig

from bce_film.options import FilmOptions
from scenes.burnt_captions import ShownCaption, _TurnPages, show_pages_at
from scenes.captions import CaptionPage
from scenes.cue_clock import CueClock, SaidCue, hold_frames
from scenes.film import Film
from scenes.narration import reading_time
from scenes.screen_words import ScreenWords
from scenes.stage import Stage


class StandInScene:
    """What the parts ask of a Manim scene, with a clock that counts whole frames as the
    film's renderer does: a still wait of d seconds writes int(d * rate) frames, one that
    updates mobjects one frame per step of arange(0, d, 1 / rate)."""

    def __init__(self) -> None:
        self.time = 0.0
        self.duration = 0.0
        self.mobjects: list = []
        self.waits: list[tuple[float, bool]] = []
        self.subtitles: list[tuple[str, float, float]] = []  # words, start, duration
        self.always_update_mobjects = False
        self.updaters: list = []

    def get_mobject_family_members(self) -> list:
        return [m for top in self.mobjects for m in top.get_family()]

    def play(self, *animations: Animation) -> None:
        self.duration = max(animation.get_run_time() for animation in animations)
        self.time += self.duration

    def wait(self, duration: float, frozen_frame: bool | None = None) -> None:
        self.waits.append((duration, bool(frozen_frame)))
        rate = 15  # the tests' frame rate
        frames = int(duration * rate) if frozen_frame else len(np.arange(0, duration, 1 / rate))
        self.time += frames / rate if frozen_frame is not None else duration

    def add(self, *mobjects) -> None:
        self.mobjects += mobjects

    def remove(self, *mobjects) -> None:
        self.mobjects = [m for m in self.mobjects if m not in mobjects]

    def add_subcaption(self, content: str, duration: float, offset: float) -> None:
        self.subtitles.append((content, self.time + offset, duration))  # as Manim places it


@pytest.fixture(scope="module")
def inputs():
    return FilmOptions().inputs()


def clock_on(scene, inputs, speech=None) -> CueClock:
    return CueClock(scene, inputs.style, inputs.words, speech or {})


# --- the cue clock -----------------------------------------------------------------------


def test_a_silent_cue_is_up_as_long_as_it_takes_to_read_or_as_its_steps_then_a_gap(inputs):
    timing = inputs.style.timing
    scene = StandInScene()
    clock = clock_on(scene, inputs)
    words = "A cue long enough to take a few seconds to read, in the film's own words."
    reading = reading_time(words, inputs.words, inputs.style)
    for steps, shown in (([Wait(0.5)], reading), ([Wait(reading + 2)], reading + 2)):
        cue = clock.start(SaidCue("fit.a", words))
        clock.play(cue, steps)
        clock.wait_out(cue)
        assert cue.shown == pytest.approx(shown)
        assert cue.lasts == pytest.approx(shown + timing.cue_gap)
        assert scene.time - cue.start == pytest.approx(cue.lasts)
    assert [cue.id for cue in clock.said] == ["fit.a", "fit.a"]


def test_a_spoken_cue_is_up_while_its_voice_speaks_and_lasts_its_steps_if_longer(inputs):
    pause = inputs.style.timing.speech_pause
    for run_time, lasts in ((1.0, 3.0 + pause), (9.0, 9.0)):
        scene = StandInScene()
        clock = clock_on(scene, inputs, {"fit.a": 3.0})
        cue = clock.start(SaidCue("fit.a", "words"))
        clock.play(cue, [[Wait(run_time)]])
        assert (cue.spoken, cue.expected, cue.shown) == (3.0, 3.0, 3.0)
        assert cue.lasts == pytest.approx(lasts)


def test_steps_are_made_when_their_turn_comes_and_timed_by_their_run_times(inputs):
    scene = StandInScene()
    clock = clock_on(scene, inputs, {"fit.a": 1.0})
    made_at: list[float] = []

    def later():
        made_at.append(scene.time)
        return Wait(2.0)

    beside: list[tuple[float, float]] = []

    def turning(played, lasting):
        beside.append((played, lasting))
        return Wait(lasting)

    cue = clock.start(SaidCue("fit.a", "words"))
    clock.play(cue, [[Wait(1.5), Wait(0.5)], later], beside=turning)
    assert made_at == [1.5]  # the longest of the first step's animations
    assert beside == [(0.0, 1.5), (1.5, 2.0)]
    assert cue.played == 3.5


def test_the_subtitles_are_placed_on_the_rendered_videos_time(inputs):
    """A skipped chapter advances the scene's clock but is not in the video."""
    scene = StandInScene()
    clock = clock_on(scene, inputs, {"fit.a": 2.0, "fit.b": 2.0, "fit.c": 1.0})
    clock.rendered = False
    skipped = clock.start(SaidCue("fit.a", "skipped"))
    clock.play(skipped, [Wait(4.0)])
    clock.add_subtitle(skipped)
    clock.skipped_time = scene.time
    clock.rendered = True
    for cue_id, words, run_time in (("fit.b", "first", 3.0), ("fit.c", "second", 0.5)):
        cue = clock.start(SaidCue(cue_id, words))
        clock.play(cue, [Wait(run_time)])
        clock.wait_out(cue)
        clock.add_subtitle(cue)
    # The video starts with the first rendered cue; the second follows it.
    assert scene.subtitles == [("first", 0.0, 2.0), ("second", pytest.approx(3.0), 1.0)]


def test_a_hold_stops_at_each_mark_inside_the_cue_on_its_frame(inputs):
    scene = StandInScene()
    with tempconfig({"frame_rate": 15}):
        clock = clock_on(scene, inputs, {"fit.a": 2.0})
        cue = clock.start(SaidCue("fit.a", "words"))
        clock.play(cue, [Wait(0.4)])
        stops: list[tuple[float, float]] = []
        marks = {0.2, 31 / 15 - 1, 2.0, 99.0}  # 0.2: already past; 99: after the end
        clock.hold(cue, marks, lambda mark: stops.append((mark, scene.time - cue.start)))
    assert [mark for mark, _ in stops] == [31 / 15 - 1, 2.0, cue.lasts]
    for mark, reached in stops:
        assert reached == pytest.approx(round(mark * 15) / 15)  # to the frame


def test_hold_frames_holds_exactly_that_many_frames_still_or_updating():
    with tempconfig({"frame_rate": 15}):
        for updating in (False, True):
            scene = StandInScene()
            scene.always_update_mobjects = updating
            hold_frames(scene, 31)  # 31/15 s would be 30 frames as a still wait
            hold_frames(scene, 0)
            assert scene.time == pytest.approx(31 / 15)
            assert [still for _, still in scene.waits] == [not updating]


# --- the burnt-in captions ---------------------------------------------------------------

PAGES = [CaptionPage(("one",), 0.0, 1.0), CaptionPage(("two",), 1.0, 2.5)]


def opacities(drawn: VGroup) -> list[float]:
    return [round(float(page.get_fill_opacity()), 3) for page in drawn]


def test_one_page_is_up_at_a_time_the_last_until_the_caption_goes():
    drawn = VGroup(Square(fill_opacity=1), Square(fill_opacity=1))
    for t, until, shown in (
        (0.5, 1e9, [1, 0]),
        (1.0, 1e9, [0, 1]),
        (7.0, 1e9, [0, 1]),  # the last page stays while its steps still play
        (2.0, 2.0, [0, 0]),  # gone with its subtitle
    ):
        show_pages_at(drawn, PAGES, t, until)
        assert opacities(drawn) == shown, t


def test_a_caption_changes_when_a_page_turns_and_when_it_goes():
    caption = ShownCaption(VGroup(Square(), Square()), PAGES)
    assert caption.turns(2.0) == {1.0, 2.0}
    turning = caption.turning(0.5, 1.0, None)
    assert (turning.offset, turning.until) == (0.5, 1e9)
    assert turning.mobject is caption.drawn and turning.pages is caption.pages


def test_page_turning_holds_the_caption_and_its_pages_and_nothing_of_the_film():
    """Manim's cache hashes all an animation holds: the film's would change every cue."""
    drawn = VGroup(Square(), Square())
    plain = set(vars(Animation(drawn)))
    assert set(vars(_TurnPages(drawn, PAGES, 0.0, 1.0, 2.0))) - plain == {
        "pages",
        "offset",
        "until",
    }


# --- the screen words and the stage ---------------------------------------------------------


def test_a_text_maker_holds_the_words_and_style_and_no_film(inputs):
    screen_words = ScreenWords(inputs.lesson, inputs.words, inputs.style)
    make = screen_words.text_maker("log_curve", "readout", size=20)
    held = inspect.getclosurevars(make)
    assert set(held.nonlocals) == {"chapter", "colour", "key", "numbers", "size", "style", "words"}
    assert not any(isinstance(value, (Film, ScreenWords)) for value in held.nonlocals.values())


def test_clear_fades_all_but_what_it_keeps_the_headings_and_the_caption(inputs):
    scene = StandInScene()
    stage = Stage(scene, inputs.style.layout)
    first, second, kept, caption, other = (Square() for _ in range(5))
    assert isinstance(stage.set_heading(first), FadeIn)
    assert isinstance(stage.set_heading(second), FadeTransform)  # first is leaving
    scene.add(first, second, kept, caption, other)
    fade = stage.clear(kept, caption=caption)
    assert isinstance(fade, FadeOut) and fade.mobject is other
    scene.remove(other)
    assert isinstance(stage.clear(kept, caption=caption), Wait)
