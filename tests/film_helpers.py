"""Shared helpers for the film tests: a dataset with a capped loss, one skipped run of the
whole film that snapshots every chapter's end (no pixels), manim renders and bce-video runs
by subprocess (``run_bce_video``: the one way the tests run bce-video), an encoder's stream
description, frames decoded with PyAV, and .srt subtitles.

Nothing here edits the film: the probe only reads the scene and the hand-offs after each
chapter (``play_chapters(..., on_chapter_end=...)``) and the cues it said, and records the Text
each chapter makes by wrapping ``Text.__init__`` for the duration of the run. The film
geometry tests and the option matrix both use it, so "outside the frame" means one thing.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import numpy as np
from paths import RENDER_CACHE, REPO_ROOT

from bce_core import Dataset

CACHE_FOLDERS = ("Tex", "texts")  # manim's tex_dir and text_dir
QUALITY_FOLDER = "480p15"  # what -ql writes
FILM_SCENE = "BinaryCrossEntropyFilm"

#: Environment variables of the render tests.
RENDER_DIR_VARIABLE = "BCE_TEST_RENDER_DIR"
UPDATE_CONTROL_VARIABLE = "BCE_UPDATE_CONTROL_FRAMES"


# ------------------------------------------------------------------------------- data


def outlier(positive: str = "1", negative: str = "0") -> Dataset:
    """A negative point far among the positives: p(true class) almost 0, a loss bar cut
    at the chart's cap."""
    x = np.r_[np.linspace(-6, -1, 12), np.linspace(1, 6, 12), [6.5]]
    y = np.r_[np.zeros(12, dtype=int), np.ones(12, dtype=int), [0]]
    return Dataset(x, y, positive_label=positive, negative_label=negative, source="outlier")


# ------------------------------------------------------------------------------ the probe


@dataclass
class Box:
    """An axis-aligned bounding box in scene units."""

    left: float
    bottom: float
    right: float
    top: float

    def overlap(self, other: Box) -> tuple[float, float]:
        """How far the two boxes run into each other along x and along y (negative: apart)."""
        return (
            min(self.right, other.right) - max(self.left, other.left),
            min(self.top, other.top) - max(self.bottom, other.bottom),
        )

    def __str__(self) -> str:
        return f"x {self.left:+.3f}..{self.right:+.3f}, y {self.bottom:+.3f}..{self.top:+.3f}"


@dataclass
class ShownText:
    text: str  # what the Text was made with: after a Transform, not what is drawn
    box: Box
    glyphs: int  # how many glyphs it has: one per visible character unless read as markup


@dataclass
class ChapterEnd:
    """What a test needs from the screen and the stage at the end of one chapter."""

    name: str
    outside_frame: list[str] = field(default_factory=list)
    texts: list[ShownText] = field(default_factory=list)
    cues: list[str] = field(default_factory=list)  # ids of the cues the chapter said
    cue_texts: list[str] = field(default_factory=list)  # their words, as said
    made_text: list[str] = field(default_factory=list)  # every Text built in the chapter
    formulas: list[str] = field(default_factory=list)  # TeX of every formula on screen
    n_bars: int | None = None
    bar_points: list[int] = field(default_factory=list)  # bar k shows lesson point bar_points[k]
    bars_on_screen: list[int] = field(default_factory=list)  # indices of bars in the scene
    bars_axes: str | None = None  # "plot", "chart" or "other": the axes bars stand in
    spans: list[tuple[float, float]] = field(default_factory=list)  # span_in_axes(i)
    bar_x: list[float] = field(default_factory=list)  # bar centre's x in those axes' numbers
    curve_heights: list[float] = field(default_factory=list)  # the sigmoid at each x_i
    chart_y_max: float | None = None
    chart_y_top: float | None = None  # the value at the top of the chart's drawn y axis
    mean_line_y: tuple[float, float] | None = None  # (start, end) in the chart's axes
    mean_line_x: tuple[float, float] | None = None
    # The training chapter's fit without a penalty: its height at each x_i in the plot
    # (empty where none is drawn).
    unpenalised_heights: list[float] = field(default_factory=list)


@dataclass
class ProbeResult:
    inputs: object  # scenes.inputs.FilmInputs
    numbers: dict[str, str]
    order: list[str]  # chapter names, in the order play_chapters ran them
    ends: dict[str, ChapterEnd]
    frame: tuple[float, float]  # (width, height) of the frame in scene units

    @property
    def lesson(self):
        return self.inputs.lesson


def _is_visible(mobject) -> bool:
    fill = mobject.get_fill_opacities()
    stroke = mobject.get_stroke_opacities()
    return bool(np.any(fill > 0)) or (bool(np.any(stroke > 0)) and mobject.get_stroke_width() > 0)


def _box(points: np.ndarray) -> Box:
    low, high = points.min(axis=0), points.max(axis=0)
    return Box(float(low[0]), float(low[1]), float(high[0]), float(high[1]))


def _describe(mobject, owner) -> str:
    name = type(mobject).__name__
    return name if owner is mobject else f"{name} in {type(owner).__name__}"


def _snapshot(film, frame: tuple[float, float], tolerance: float) -> ChapterEnd:
    """Read the screen and the hand-offs now, into plain numbers and strings."""
    from manim import MathTex, SingleStringMathTex, Text, VMobject

    end = ChapterEnd(film.chapter)
    half_width, half_height = frame[0] / 2 + tolerance, frame[1] / 2 + tolerance

    def outside(box: Box) -> bool:
        return (
            box.left < -half_width
            or box.right > half_width
            or box.bottom < -half_height
            or box.top > half_height
        )

    seen: set[int] = set()
    for owner in film.scene.mobjects:
        for mobject in owner.get_family():
            if id(mobject) in seen:
                continue
            seen.add(id(mobject))
            if isinstance(mobject, (MathTex, SingleStringMathTex)):
                end.formulas.append(mobject.tex_string)
            if isinstance(mobject, Text):
                # Its letters hold the points: the text is shown where its visible letters are,
                # and is reported as a whole rather than letter by letter.
                letters = [m for m in mobject.get_family() if len(m.points) and _is_visible(m)]
                seen.update(id(m) for m in mobject.get_family())
                if letters:
                    points = np.concatenate([m.points for m in letters])
                    words = getattr(mobject, "original_text", mobject.text)  # .text has no spaces
                    text = ShownText(words, _box(points), len(mobject.submobjects))
                    end.texts.append(text)
                    if outside(text.box):
                        end.outside_frame.append(f"Text({words!r}) at {text.box}")
                continue
            if not isinstance(mobject, VMobject) or len(mobject.points) == 0:
                continue
            if _is_visible(mobject) and outside(box := _box(mobject.points)):
                end.outside_frame.append(f"{_describe(mobject, owner)} at {box}")

    lesson, handoffs = film.lesson, film.handoffs
    bars, plot, chart = handoffs.peek("bars"), handoffs.peek("plot"), handoffs.peek("chart")
    if bars is not None:
        end.n_bars = len(bars)
        # bars[k] is the lesson's point bars.indices[k] (the drawn points), else point k.
        end.bar_points = [int(i) for i in getattr(bars, "indices", range(len(bars)))]
        end.bars_on_screen = [i for i, bar in enumerate(bars) if id(bar) in seen]
        if plot is not None and bars.axes is plot.axes:
            end.bars_axes = "plot"
        elif chart is not None and bars.axes is chart.axes:
            end.bars_axes = "chart"
        else:
            end.bars_axes = "other"
        end.spans = [bars.span_in_axes(i) for i in range(len(bars))]
        end.bar_x = [float(bars.axes.p2c(bar.get_center())[0]) for bar in bars]
    if plot is not None:
        axes, curve = plot.axes, plot.curve
        xs = plot.axis_x(lesson.x)  # where each x sits on the axis (x / its unit)
        end.curve_heights = [
            float(axes.p2c(axes.input_to_graph_point(float(x), curve))[1]) for x in xs
        ]
        free = handoffs.peek("unpenalised_curve")
        if free is not None and len(free.points):
            end.unpenalised_heights = [
                float(axes.p2c(axes.input_to_graph_point(float(x), free))[1]) for x in xs
            ]
    if chart is not None:
        end.chart_y_max = float(chart.y_max)
        end.chart_y_top = float(chart.axes.p2c(chart.axes.y_axis.get_end())[1])
        line = handoffs.peek("mean_line")
        if line is not None:
            dashes = line[0]
            start = chart.axes.p2c(dashes.get_start())
            stop = chart.axes.p2c(dashes.get_end())
            end.mean_line_y = (float(start[1]), float(stop[1]))
            end.mean_line_x = (float(start[0]), float(stop[0]))
    return end


def run_probe(inputs, tolerance: float = 1e-3) -> ProbeResult:
    """Run the whole film of ``inputs`` (scenes.inputs.FilmInputs) headless, as the
    preflight does (``play_headless``), and snapshot each chapter's end.

    ``tolerance``: how far (scene units) a visible point may lie outside the frame before
    it is listed in ``ChapterEnd.outside_frame``.
    """
    from manim import Text, config

    from bce_film.caches import lock_shared_renderings
    from bce_film.preflight import play_headless

    ends: dict[str, ChapterEnd] = {}
    order: list[str] = []
    pending_text: list[str] = []

    def recording_text_init(self, text, *args, **kwargs):
        pending_text.append(str(text))
        original_text_init(self, text, *args, **kwargs)

    said_before = [0]
    frames: list[tuple[float, float]] = []  # the frame's size, in the film's config

    def on_chapter_end(film) -> None:
        frames[:] = [(float(config.frame_width), float(config.frame_height))]
        end = _snapshot(film, frames[0], tolerance)
        said = film.said[said_before[0] :]
        said_before[0] = len(film.said)
        end.cues = [cue.id for cue in said]
        end.cue_texts = [cue.text for cue in said]
        end.made_text = list(pending_text)
        pending_text.clear()
        ends[film.chapter] = end
        order.append(film.chapter)

    cache = RENDER_CACHE if RENDER_CACHE.is_dir() else None  # a warm cache, if there is one
    if cache is not None:
        # The lock goes around Text.__init__ before the recorder does: the recorder then
        # calls the locked one, and putting the original back keeps the lock.
        lock_shared_renderings(cache / ".renderings.lock")
    original_text_init = Text.__init__
    Text.__init__ = recording_text_init
    try:
        film = play_headless(inputs, cache, on_chapter_end=on_chapter_end)
    finally:
        Text.__init__ = original_text_init
    return ProbeResult(inputs, dict(film.numbers), order, ends, frames[0])


# ------------------------------------------------------------------------------ renders


def without_bce_variables(variables: Mapping[str, str] | None = None) -> dict[str, str]:
    """This process's environment without the shell's BCE_* variables, plus ``variables``:
    a test's film (a plain manim run's or bce-video's) is the default film or the one the
    test names, whatever BCE_LANG or BCE_VOICE the shell that started pytest has set."""
    kept = {name: value for name, value in os.environ.items() if not name.startswith("BCE_")}
    return kept | dict(variables or {})


def media_output(media_dir: Path, module: str, scene: str) -> Path:
    """Where manim -ql writes ``scene`` of scenes/<module>.py under ``media_dir``."""
    return media_dir / "videos" / module / QUALITY_FOLDER / f"{scene}.mp4"


def seed_caches(media_dir: Path) -> None:
    """Copy the repository's Tex and text caches into ``media_dir`` (if it is elsewhere)."""
    from bce_film.caches import shared_renderings_held

    if not RENDER_CACHE.is_dir() or media_dir.resolve() == RENDER_CACHE.resolve():
        return
    # A render or a preflight in the other test process may be writing there now.
    with shared_renderings_held(RENDER_CACHE / ".renderings.lock"):
        for folder in CACHE_FOLDERS:
            source = RENDER_CACHE / folder
            if source.is_dir():
                shutil.copytree(source, media_dir / folder, dirs_exist_ok=True)


def run_manim(
    args: list[str], media_dir: Path, timeout: float, film: dict[str, str] | None = None
) -> str | None:
    """Render with ``python -m manim -ql ... --media_dir media_dir`` from the repository root,
    without the shell's BCE_* variables: the default film, silent, or as ``film`` (BCE_*
    variables) says.

    Returns None on success, or a message with the command and the end of its output.
    """
    command = [
        sys.executable,
        "-m",
        "manim",
        "-ql",
        "--progress_bar",
        "none",
        "--media_dir",
        str(media_dir),
        *args,
    ]
    # Silent unless asked (the default voice is whichever is installed).
    env = without_bce_variables({"BCE_VOICE": "none", **(film or {})})
    try:
        done = subprocess.run(
            command,
            cwd=REPO_ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return f"{' '.join(command)} took more than {timeout:.0f} s"
    if done.returncode == 0:
        return None
    output = (done.stdout + done.stderr)[-4000:]
    return f"{' '.join(command)} exited with {done.returncode}:\n{output}"


# ------------------------------------------------------------------------------- videos


@dataclass
class VideoInfo:
    width: int
    height: int
    fps: Fraction
    frames: int
    duration: float  # seconds: frames / fps


def encoder_spec(options: Mapping[str, str], width: int = 96, height: int = 64, rate: int = 15):
    """Manim's description of an H.264 MP4 stream (``VideoEncoderSpec``), for an encoder
    written to directly, without a scene."""
    from manim._config.video_encoder import VideoEncoderSpec

    return VideoEncoderSpec(
        "mp4", "libx264", "yuv420p", width, height, Fraction(rate), tuple(sorted(options.items()))
    )


def video_info(path: Path) -> VideoInfo:
    import av

    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        # The nominal rate: average_rate is frames over the container's duration, a hair off.
        fps = Fraction(stream.base_rate or stream.average_rate)
        frames = stream.frames
        if not frames:  # not in the header: count them
            frames = sum(1 for _ in container.demux(stream) if _.size)
        return VideoInfo(stream.width, stream.height, fps, frames, float(frames / fps))


def first_and_last_frames(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """The first and the last frame of a video, as RGB uint8 arrays (height, width, 3)."""
    import av

    first = last = None
    with av.open(str(path)) as container:
        for frame in container.decode(video=0):
            if first is None:
                first = frame.to_ndarray(format="rgb24")
            last = frame
    if first is None:
        raise ValueError(f"{path} has no frames")
    return first, last.to_ndarray(format="rgb24")


@dataclass
class FrameDifference:
    mean: float  # mean absolute difference over every channel of every pixel (0-255)
    share_over: float  # share of pixels whose largest channel difference is over the threshold
    threshold: int
    worst_block: float  # the largest mean absolute difference of any block x block square
    block: int

    def __str__(self) -> str:
        return (
            f"mean absolute difference {self.mean:.3f}, "
            f"{100 * self.share_over:.3f}% of pixels off by more than {self.threshold}, "
            f"worst {self.block}x{self.block} block off by {self.worst_block:.1f} on average"
        )


def frame_difference(a: np.ndarray, b: np.ndarray, threshold: int, block: int = 8):
    """How two RGB frames differ. Video coding blurs edges by a few levels over thin lines;
    a mobject that appears or vanishes changes a whole patch: ``worst_block`` sees it."""
    if a.shape != b.shape:
        raise ValueError(f"frames differ in size: {a.shape} and {b.shape}")
    difference = np.abs(a.astype(np.int16) - b.astype(np.int16))
    over = difference.max(axis=2) > threshold
    height, width = (size // block * block for size in difference.shape[:2])
    patches = difference[:height, :width].mean(axis=2)
    patches = patches.reshape(height // block, block, width // block, block).mean(axis=(1, 3))
    return FrameDifference(
        float(difference.mean()), float(over.mean()), threshold, float(patches.max()), block
    )


def read_png(path: Path) -> np.ndarray:
    from PIL import Image

    with Image.open(path) as image:
        return np.asarray(image.convert("RGB"))


def write_png(path: Path, rgb: np.ndarray) -> None:
    from PIL import Image

    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(rgb).save(path, optimize=True)


# ---------------------------------------------------------------------------- subtitles


@dataclass
class Cue:
    index: int
    start: float  # seconds
    end: float
    lines: list[str]

    @property
    def text(self) -> str:
        return " ".join(self.lines)

    @property
    def duration(self) -> float:
        return self.end - self.start


_TIMING = re.compile(r"^(\d+):(\d\d):(\d\d)[,.](\d{3})\s+-->\s+(\d+):(\d\d):(\d\d)[,.](\d{3})\s*$")


def _seconds(hours: str, minutes: str, seconds: str, millis: str) -> float:
    return int(hours) * 3600 + int(minutes) * 60 + int(seconds) + int(millis) / 1000


def parse_srt(text: str) -> list[Cue]:
    """SubRip cues: blocks of an index line, a timing line and one or more text lines."""
    cues = []
    blocks = re.split(r"\n\s*\n", text.lstrip("\ufeff").replace("\r\n", "\n").strip())
    for block in blocks:
        lines = block.split("\n")
        if len(lines) < 3 or not lines[0].strip().isdigit():
            raise ValueError(f"not an SRT cue: {block!r}")
        timing = _TIMING.match(lines[1].strip())
        if timing is None:
            raise ValueError(f"bad SRT timing line: {lines[1]!r}")
        parts = timing.groups()
        cues.append(Cue(int(lines[0]), _seconds(*parts[:4]), _seconds(*parts[4:]), lines[2:]))
    return cues


def read_sections(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))


# ------------------------------------------------------------------------ the film


@dataclass
class FilmRender:
    video: Path
    subtitles: Path
    sections: Path
    info: VideoInfo

    @property
    def cues(self) -> list[Cue]:
        return parse_srt(self.subtitles.read_text(encoding="utf-8"))


#: The bce-video commands that make films, which have sound unless told otherwise.
FILM_COMMANDS = ("render", "page", "handout")


def run_bce_video(
    *args: str,
    cache: Path,
    cwd: Path = REPO_ROOT,
    env: Mapping[str, str] | None = None,
    timeout: float = 1800,
    silent: bool = True,
) -> subprocess.CompletedProcess:
    """``bce-video ARGS`` as a user runs it (``python -m bce_video.cli`` in ``cwd``, whose
    packages it imports: the repository, or a test's edited copy of it), the one way the
    tests run bce-video:

    - ``cache`` is its cache (BCE_CACHE_DIR): a run starts from what the test put there
      and never reads or writes the user's cache;
    - its environment is this process's without the shell's BCE_* variables
      (``without_bce_variables``), plus ``env``;
    - silent unless asked: a film command (render, page) given no ``--voice`` gets
      ``--voice none``, so a test's film does not depend on the voices installed;
      ``silent=False`` leaves the command's default voice (the most natural installed one:
      what a user gets), for the tests that hear it or share its film.
    """
    command = list(args)
    if silent and command[:1] and command[0] in FILM_COMMANDS and "--voice" not in command:
        command[1:1] = ["--voice", "none"]
    return subprocess.run(
        [sys.executable, "-m", "bce_video.cli", *command],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=without_bce_variables({"BCE_CACHE_DIR": str(cache), **(env or {})}),
        timeout=timeout,
    )
