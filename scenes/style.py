"""Every colour, font, size, position and timing of the film, in one place.

A Style is built per film (``current_style(theme)``), not frozen at import, so each
render can choose its theme.

This module does not import Manim (numpy only): the options (which themes and aspects
exist) and the narration script (how long a cue stays up) read it without Manim's
seconds of start-up. Colours are hex strings, which Manim parses where they are drawn.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

# Manim's direction vectors, the same values (manim.constants), without importing Manim.
UP = np.array((0.0, 1.0, 0.0))
DOWN = np.array((0.0, -1.0, 0.0))
RIGHT = np.array((1.0, 0.0, 0.0))
LEFT = np.array((-1.0, 0.0, 0.0))


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
    """Positions in scene units; the frame is 14.2 x 8 (16:9) or 8 x 14.2 (9:16)."""

    # The frame's shape: ``frame_units`` scene units across its short side. Landscape keeps
    # Manim's own frame (8 high, 8 x 16/9 wide); vertical is 8 wide and as tall as the
    # pixels make it. Compositions plan with frame_width x frame_height below.
    vertical: bool = False
    frame_units: float = 8.0
    frame_width: float = 14.2
    frame_height: float = 8.0
    margin: float = 0.35
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
    note_below_heading: float = 0.6
    # The feature line (chapters feature .. split), across the content area.
    line_length: float = 12.4
    line_y: float = -0.1
    point_drop_height: float = 1.2
    max_points_drawn: int = 30  # beyond this, a stratified sample is drawn (numbers use all)
    max_value_labels: int = 12  # x values are written above the dots up to this many points
    label_stagger: float = 0.35
    line_make_room: float = 1.6  # the line moves down this far while the formula shows
    row_gap: float = 1.6  # half the distance between the two class rows when split
    # The sigmoid plot and the bar chart share this box: the content area's width less
    # the y tick labels, its height less the x tick labels and the labels above the axes.
    plot_width: float = 12.0
    plot_height: float = 4.2
    plot_center: tuple = field(default_factory=lambda: 0.25 * RIGHT + 0.05 * UP)
    # Where the fitted equation (and the step counter before it) sits: above the plot's
    # top-right corner (UP) or under the plot (DOWN).
    equation_side: tuple = field(default_factory=lambda: UP)
    # The log-curve chapter puts the bars on the left and the curve on the right.
    half_width: float = 5.5
    log_curve_height: float = 3.9
    left_center: tuple = field(default_factory=lambda: 3.55 * LEFT + 0.05 * UP)
    right_center: tuple = field(default_factory=lambda: 3.7 * RIGHT + 0.62 * UP)
    formula_y: float = 1.4
    formula_max_height: float = 1.45  # a line of formula
    formula_min_scale: float = 0.75  # below this, a formula too wide takes two lines
    code_heading_room: float = 0.8
    code_max_scale: float = 1.6  # a short output is not blown up beyond this
    # A class name wider than this (at the label size) is cut with an ellipsis on screen.
    class_name_width: float = 2.6
    # The code chapter's snippet: lines of at most this many characters (None: as the
    # article writes them), and arrays printed at most this wide.
    code_columns: int | None = None
    code_print_width: int = 88
    legend_corner: tuple = field(default_factory=lambda: UP + RIGHT)
    legend_drop: float = 0.0  # how far below its corner the legend sits
    bar_width_share: float = 0.6  # of the slot (or the gap to the next x) a bar gets
    chart_headroom: float = 1.25  # a chart up to this loss keeps the plot's height
    # Losses above this (nats) are drawn cut at it, with an arrow and the value.
    loss_cap: float = 3.0
    cap_arrow: float = 0.45  # length of the arrow on a capped loss bar
    # The log curve's axis runs to this loss; the probe slides down to this p.
    log_curve_max_loss: float = 4.5
    probe_low_p: float = 0.01
    probe_high_p: float = 0.999
    readout_p: float = 0.55  # the readout sits above this p, at the top of the axes
    side_scale: float = 0.5  # the bar chart's size while the log curve is beside it
    # The information-theory chapters: formula on top, charts left, values right.
    info_formula_top: float = 3.0  # under the heading
    # The q(y) chart: centred on this x, its floor at this y whatever the values, so
    # that the class names under it never move.
    info_chart_floor: tuple = field(default_factory=lambda: 4.55 * LEFT + 1.75 * DOWN)
    info_chart: tuple = (2.3, 1.3, 0.5)  # height, bar width, gap of the q(y) chart
    baseline_floor_y: float = -1.8
    baseline_bars_x: tuple = (-3.8, -0.6)
    baseline_bar_width: float = 2.2
    baseline_floor_overhang: float = 2.0
    baseline_height: float = 4.1  # of the taller of the two loss bars
    one_hot_count: int = 5  # point-by-point distributions drawn in point_by_point
    one_hot_chart: tuple = (1.8, 0.5, 0.3)  # height, bar width, gap
    one_hot_spacing: float = 0.7
    one_hot_y: float = -0.7
    model_chart: tuple = (2.3, 1.3, 0.5)  # height, bar width, gap of the p(y) chart
    info_value_center: tuple = field(default_factory=lambda: 4.6 * RIGHT + 0.3 * DOWN)
    info_case_below_value: float = 0.9  # the entropy chapter's case name, under the value
    # The training chapter: the content area below training_top, split into the sigmoid
    # plot and the loss chart (side by side; stacked in 9:16), the plot taking
    # training_share of it. Each keeps room (left, right, below, above) around its axes
    # for the tick labels, the words above them and the marks of cut bars.
    training_top: float = 2.6
    training_share: float = 0.56
    training_plot_room: tuple = (0.85, 0.4, 0.55, 1.3)
    training_chart_room: tuple = (0.85, 0.35, 0.55, 1.3)
    training_legend_line: float = 0.6  # the sample of the faint curve in its legend
    # A sampled film says so in a row under the heading ("drawing 30 of 569 points"): its
    # pictures move down this far (the plot, the chart, the log curve, the legend, the
    # training chapter's boxes), and the note is wrapped to note_width.
    note_room: float = 0.4
    note_width: float = 13.0
    # Above a loss chart cut at the cap: room in the plot's box for the arrows and values
    # of the cut bars, under the chart's axis name.
    cap_room: float = 0.85

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
    # Content in the upper two thirds of the safe area; captions in the lower third,
    # where phones show them (and their own controls).
    caption_band_height=4.3,
    caption_at_top=True,
    wide_text_margin=0.9,
    title_lift=0.8,
    note_below_heading=0.6,
    # Everything below is planned in the content area: x -3.7..3.7, y -2.35..6.8, the
    # heading across its top.
    line_length=6.8,
    line_y=1.6,
    row_gap=1.8,
    plot_width=6.3,
    plot_height=5.8,
    plot_center=0.3 * RIGHT + 2.4 * UP,
    equation_side=DOWN,
    half_width=6.0,
    log_curve_height=3.0,
    side_scale=0.55,
    left_center=0.2 * RIGHT + 4.3 * UP,
    right_center=0.35 * RIGHT + 0.75 * UP,
    formula_y=3.45,
    formula_max_height=1.3,
    line_make_room=1.0,
    code_columns=40,
    code_print_width=32,
    class_name_width=2.2,
    legend_corner=UP + LEFT,
    legend_drop=0.75,
    info_formula_top=6.1,
    info_chart_floor=1.9 * LEFT,
    info_chart=(2.2, 1.0, 0.4),
    model_chart=(2.2, 1.0, 0.4),
    info_value_center=1.0 * DOWN,
    baseline_floor_y=-1.3,
    baseline_bars_x=(-2.4, 0.2),
    baseline_bar_width=1.5,
    baseline_floor_overhang=1.2,
    baseline_height=5.8,
    one_hot_count=3,
    one_hot_y=1.8,
    # The training chapter: the plot above, the loss chart below.
    training_top=5.6,
    training_share=0.55,
    training_plot_room=(0.85, 0.3, 0.6, 1.45),
    training_chart_room=(0.85, 0.35, 0.15, 0.9),
    note_room=1.05,  # two lines
    note_width=7.1,
    cap_room=0.95,
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
    "Style",
    "TextColours",
    "current_style",
]
