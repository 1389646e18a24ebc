"""Every colour, font, size, position and timing of the film, in one place.

A Style is built per film (``current_style(theme)``), not frozen at import, so each
render can choose its theme.

This module does not import Manim (numpy only): the options (which themes and aspects
exist) and the narration script (how long a cue stays up) read it without Manim's
seconds of start-up. Colours are hex strings, which Manim parses where they are drawn.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Generic, TypeVar

import numpy as np

# Manim's direction vectors, the same values (manim.constants), without importing Manim.
UP = np.array((0.0, 1.0, 0.0))
DOWN = np.array((0.0, -1.0, 0.0))
RIGHT = np.array((1.0, 0.0, 0.0))
LEFT = np.array((-1.0, 0.0, 0.0))

Value = TypeVar("Value")


@dataclass(frozen=True)
class TextColours:
    """The shades words and numbers take of the class, loss and highlight colours.

    Text needs 4.5:1 against the background (WCAG 2.2, 1.4.3, normal text); bars, dots
    and lines need 3:1 (1.4.11, non-text). Where a hue reaches 4.5:1 its text shade is
    the hue itself; where it does not (the light theme's green and amber), the text shade
    is the same hue, darker. Every word drawn in a colour takes it from here, or is in
    the palette's ink or muted."""

    positive: str
    negative: str
    loss: str
    highlight: str


@dataclass(frozen=True)
class Palette:
    """The article's red and green for the classes, one colour for losses, and the ink."""

    background: str
    ink: str  # text, axes
    muted: str  # secondary text, guides
    positive: str  # the article's green: y = 1
    negative: str  # the article's red: y = 0
    loss: str  # -log p bars, the mean line
    neutral_point: str  # a point before its label is known
    highlight: str  # the sliding probe on the log curve, the baseline's gap
    # What a mark flashes in when the film points at it (Indicate): far from the
    # background and from the bars in lightness, whatever the viewer's colour vision.
    emphasis: str
    code_style: str  # a Pygments style for the code chapter
    text: TextColours  # the colours above as words are drawn in them


DARK = Palette(
    background="#14181f",
    ink="#e8e6e3",
    muted="#8a8f98",
    positive="#4fbf6b",
    negative="#e0524d",
    loss="#f2b134",
    neutral_point="#c9ccd1",
    highlight="#6fa8ff",
    emphasis="#ffffff",
    code_style="monokai",
    text=TextColours(positive="#4fbf6b", negative="#e0524d", loss="#f2b134", highlight="#6fa8ff"),
)

LIGHT = Palette(
    background="#ffffff",
    ink="#1d1f23",
    muted="#6b7078",
    positive="#2e9e4f",
    negative="#d43c36",
    loss="#c77c00",
    neutral_point="#4a4f57",
    highlight="#2862c9",
    emphasis="#0d1b3e",
    # Pygments's own default: every token of the snippets at 4.5:1 or more on its
    # #f8f8f8 ("friendly" set numbers at 2.84:1).
    code_style="default",
    # The green and amber of the bars are 3.4:1 and 3.3:1 on white: darker for words.
    text=TextColours(positive="#257e3f", negative="#d43c36", loss="#9d6200", highlight="#2862c9"),
)

PALETTES = {"dark": DARK, "light": LIGHT}


@dataclass(frozen=True)
class Fonts:
    text: str = "Noto Sans CJK SC"  # Latin and Chinese in one family, from fonts-noto-cjk
    code: str = "DejaVu Sans Mono"


@dataclass(frozen=True)
class Area:
    """A rectangle of the frame in scene units (the frame's centre is the origin)."""

    left: float
    bottom: float
    right: float
    top: float

    @property
    def width(self) -> float:
        return self.right - self.left

    @property
    def height(self) -> float:
        return self.top - self.bottom

    @property
    def center(self) -> np.ndarray:
        return np.array(((self.left + self.right) / 2, (self.bottom + self.top) / 2, 0.0))

    def split_columns(self, share: float, gutter: float) -> tuple[Area, Area]:
        """Two columns side by side, the left one ``share`` of the width, ``gutter`` apart."""
        middle = self.left + share * (self.width - gutter)
        return (
            Area(self.left, self.bottom, middle, self.top),
            Area(middle + gutter, self.bottom, self.right, self.top),
        )

    def split_rows(self, share: float, gutter: float) -> tuple[Area, Area]:
        """Two rows, the upper one ``share`` of the height, ``gutter`` apart."""
        middle = self.top - share * (self.height - gutter)
        return (
            Area(self.left, middle, self.right, self.top),
            Area(self.left, self.bottom, self.right, middle - gutter),
        )


@dataclass(frozen=True)
class Sizes:
    """The type scale (Manim's font_size units) and stroke widths.

    The smallest size still meets the film's minimum: a capital, a digit or a CJK glyph
    at least ``Layout.min_glyph`` high (1/40 of the frame's short side: 12 px at 480p,
    27 px at 1080p), which ``bce-video check`` measures on screen. In Noto Sans a capital
    is 0.0102 units high per unit of font size, so nothing goes below 20. 9:16 has its own
    scale (``VERTICAL_SIZES``): a phone shows the frame smaller.
    """

    title: float = 60
    subtitle: float = 32
    heading: float = 36
    body: float = 30
    label: float = 26
    small: float = 22
    axis_number: float = 24  # tick labels: the text face, as every other number
    caption: float = 28  # captions burnt into the picture
    value: float = 40  # the value a chapter is about: H(q) = 0.6109
    char_width: float = 0.0062  # width of a digit per unit of font size, for tick spacing
    formula: float = 48
    formula_small: float = 38
    code: float = 22
    code_line_spacing: float = 0.3  # Manim's Paragraph spacing: the snippet's lines closer
    point_radius: float = 0.11
    probe_radius: float = 0.1  # the dot sliding down the log curve
    marker_radius: float = 0.08  # the points placed on the log curve
    dimmed_opacity: float = 0.35  # points behind the bars
    faded_curve_opacity: float = 0.5
    emphasis_scale: float = 1.08  # Indicate's growth
    label_backdrop_opacity: float = 0.85
    visible_change: float = 0.003  # a curve that moves less than this (in p) looks still
    axis_stroke: float = 2.5
    curve_stroke: float = 5
    bar_stroke: float = 1.5
    loss_bar_stroke: float = 3.5
    mean_line_stroke: float = 4
    plot_bar_width: tuple = (0.04, 0.3)  # narrowest and widest bar in the sigmoid plot
    bar_opacity: float = 0.85


@dataclass(frozen=True)
class Layout:
    """The grid every chapter composes on, in scene units; the frame is 14.2 x 8 (16:9)
    or 8 x 14.2 (9:16).

    Only what all chapters share is here: the frame, the safe and content areas, the
    caption band, the heading, the gaps. A chapter's own composition (where its plot, its
    charts, its formula go) lives with the chapter or its component, one value per frame
    shape (``PerAspect``), planned in this grid's content area."""

    # The frame's shape: ``frame_units`` scene units across its short side. Landscape keeps
    # Manim's own frame (8 high, 8 x 16/9 wide); vertical is 8 wide and as tall as the
    # pixels make it. Compositions plan with frame_width x frame_height below.
    vertical: bool = False
    frame_units: float = 8.0
    frame_width: float = 14.2
    frame_height: float = 8.0
    # The grid. The safe area is the frame less ``safe_margin`` on every side: nothing
    # is drawn outside it. Its lower part is the caption band, kept clear of content
    # whether captions are burnt in or not; the content area is the rest, above a gap.
    safe_margin: float = 0.3
    caption_band_height: float = 1.15  # two caption lines and their padding
    caption_gap: float = 0.15
    caption_line_gap: float = 0.12
    caption_padding: float = 0.12  # between the band's edge and the caption
    caption_at_top: bool = False  # lines against the band's top (else its bottom)
    gutter: float = 0.5  # between two columns or rows of the content area
    # The smallest readable glyph (a capital, a digit, a CJK character): 1/40 of the
    # frame's short side, 12 px at 480p. bce-video check measures it.
    min_glyph: float = 0.2
    # Gaps between a mobject and what is placed next to it, and the drift of things
    # fading in or out.
    buff_tight: float = 0.15
    buff: float = 0.25
    buff_loose: float = 0.6
    drift: float = 0.2
    wide_text_margin: float = 1.5  # long lines are shrunk to the frame width minus this
    title_lift: float = 0.3  # title cards sit this far above the content area's centre
    heading_corner: tuple = field(default_factory=lambda: UP + LEFT)
    heading_buff: float = 0.35
    heading_row: float = 0.8  # the heading's row across the content area's top
    # A class name wider than this (at the label size) is cut with an ellipsis on screen.
    class_name_width: float = 2.6
    # A sampled film says so in a row under the heading ("drawing 30 of 569 points"),
    # note_below_heading under it, wrapped to note_width. The row is note_room high; in
    # a sampled film (``with_note_row``) ``note_drop`` is that room, and the pictures
    # under the heading (the plot, the chart, the log curve, the legend, the training
    # boards) move down by it: each composition reads it.
    note_below_heading: float = 0.6
    note_room: float = 0.75  # two lines
    # The left half: the legend (top right, in the same row) never reaches it.
    note_width: float = 6.4
    note_drop: float = 0.0

    @property
    def safe_area(self) -> Area:
        half_width, half_height = self.frame_width / 2, self.frame_height / 2
        m = self.safe_margin
        return Area(-half_width + m, -half_height + m, half_width - m, half_height - m)

    @property
    def caption_band(self) -> Area:
        """Where burnt-in captions go: the bottom of the safe area."""
        safe = self.safe_area
        return Area(safe.left, safe.bottom, safe.right, safe.bottom + self.caption_band_height)

    @property
    def content_area(self) -> Area:
        """The safe area above the caption band: every chapter composes inside it."""
        safe = self.safe_area
        bottom = self.caption_band.top + self.caption_gap
        return Area(safe.left, bottom, safe.right, safe.top)

    @property
    def under_heading(self) -> Area:
        """The content area less the heading's row: where a picture centred on its own
        (the code, a chart alone) goes."""
        content = self.content_area
        return Area(content.left, content.bottom, content.right, content.top - self.heading_row)


@dataclass(frozen=True)
class PerAspect(Generic[Value]):
    """A composition's value for each frame shape: a chapter's own numbers, kept with it
    (``FORMULA_Y = PerAspect(landscape=1.4, vertical=3.45)``), read for the film's
    layout (``FORMULA_Y.of(style.layout)``)."""

    landscape: Value
    vertical: Value

    def of(self, layout: Layout) -> Value:
        return self.vertical if layout.vertical else self.landscape


@dataclass(frozen=True)
class Timing:
    """Seconds. Narration sets the pace: a cue lasts as long as its voice speaks, or in a
    silent film as long as it takes to read (the reading speed belongs to the language:
    see ``meta`` in scenes/text/*.toml)."""

    min_cue: float = 2.5
    cue_gap: float = 0.25  # silence between cues, so cues never touch in the .srt
    speech_pause: float = 0.4  # after a cue's speech, before the next cue starts
    fade: float = 0.8
    move: float = 1.6
    grow: float = 1.2
    write: float = 1.8
    point_drop: float = 0.35
    lag_ratio: float = 0.12
    drop_lag_ratio: float = 0.35  # the points dropping onto the line
    loss_lag_ratio: float = 0.5  # the bars becoming losses, one by one
    label_swap: float = 0.4
    max_newton_steps: int = 6  # training steps shown in the fit chapter
    settle: float = 2.4  # the mean line settling
    pause: float = 0.6
    # The training chapter: each replayed Newton step, and how many steps at most.
    training_step: float = 1.3
    training_max_steps: int = 6


@dataclass(frozen=True)
class Style:
    palette: Palette
    fonts: Fonts = Fonts()
    sizes: Sizes = Sizes()
    layout: Layout = Layout()
    timing: Timing = Timing()


#: The tall frame of phones: the same film, stacked instead of side by side.
VERTICAL = Layout(
    vertical=True,
    frame_width=8.0,
    frame_height=14.2,
    # Content in the upper two thirds of the safe area (x -3.7..3.7, y -2.35..6.8, the
    # heading across its top); captions in the lower third, where phones show them (and
    # their own controls).
    caption_band_height=4.3,
    caption_at_top=True,
    wide_text_margin=0.9,
    title_lift=0.8,
    class_name_width=2.2,
    note_below_heading=0.6,
    note_room=1.05,  # two lines
    note_width=7.1,
)


#: The type scale of the tall frame: a phone shows it small, so everything is larger.
VERTICAL_SIZES = Sizes(
    title=64,
    subtitle=34,
    heading=40,
    body=34,
    label=30,
    small=26,
    axis_number=28,
    caption=34,
    value=40,
    formula=50,
    formula_small=42,
    code=24,
)

LAYOUTS = {"16:9": Layout(), "9:16": VERTICAL}
SIZES = {"16:9": Sizes(), "9:16": VERTICAL_SIZES}


def current_style(theme: str, aspect: str) -> Style:
    """The style of a theme (a key of PALETTES) laid out for a frame shape (of LAYOUTS).
    Which are the defaults is the options' business (bce_film.options)."""
    if theme not in PALETTES:
        raise ValueError(f"theme {theme!r} is not one of {', '.join(PALETTES)}")
    if aspect not in LAYOUTS:
        raise ValueError(f"aspect {aspect!r} is not one of {', '.join(LAYOUTS)}")
    # An aspect without a type scale of its own takes the default one.
    return Style(palette=PALETTES[theme], sizes=SIZES.get(aspect, Sizes()), layout=LAYOUTS[aspect])


__all__ = [
    "DOWN",
    "LAYOUTS",
    "LEFT",
    "PALETTES",
    "RIGHT",
    "SIZES",
    "UP",
    "VERTICAL",
    "VERTICAL_SIZES",
    "Area",
    "Layout",
    "Palette",
    "PerAspect",
    "Style",
    "TextColours",
    "current_style",
]
