"""The preflight: the whole film played with its animations skipped (no pixels, seconds
instead of minutes), looked at after every cue as a viewer would see it then.

It reports, per chapter, every text smaller than the layout's minimum glyph, every two
texts that overlap, anything outside the safe area or inside the caption band (which
belongs to the captions whether or not they are burnt in), every caption page that does
not fit its band, and how much of the content area the chapter's content spans at its
fullest: a chapter whose content's box covers less than its floor (its ``CHAPTER.fills``)
fails, as a picture that leaves most of the screen empty. ``bce-video check`` prints it;
the option-matrix tests assert that it passes.

A render measures the screens it draws the same way (``look``, ``box_share``), to record
each chapter's fullest cue (``fullest_cue``), where its stills are taken.
"""

from __future__ import annotations

import tempfile
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from scenes.inputs import FilmInputs
from scenes.style import Area, Layout

#: How far (scene units) two texts may run into each other, or anything past an edge,
#: before it counts: anti-aliasing covers less than this at 1080p.
TOLERANCE = 0.02
#: Capital height per unit of font size of a formula's main size (LaTeX's Computer
#: Modern, as Manim draws it: 0.340 units at font size 48).
TEX_CAP_PER_FONT_SIZE = 0.340 / 48
#: Two screens whose content covers shares of the content area this close are as full:
#: the later one, which has said more, is the chapter's fullest (``fullest_cue``).
AS_FULL = 0.02


@dataclass(frozen=True)
class Box(Area):
    """An axis-aligned bounding box in scene units: an Area that can be measured
    against another."""

    @classmethod
    def around(cls, points: np.ndarray) -> Box:
        low, high = points.min(axis=0), points.max(axis=0)
        return cls(float(low[0]), float(low[1]), float(high[0]), float(high[1]))

    @classmethod
    def of_area(cls, area: Area) -> Box:
        return cls(area.left, area.bottom, area.right, area.top)

    def overlap(self, other: Box) -> tuple[float, float]:
        """How far the two boxes run into each other along x and y (negative: apart)."""
        return (
            min(self.right, other.right) - max(self.left, other.left),
            min(self.top, other.top) - max(self.bottom, other.bottom),
        )

    def overlaps(self, other: Box, tolerance: float = TOLERANCE) -> bool:
        across, up = self.overlap(other)
        return across > tolerance and up > tolerance

    def inside(self, other: Box, tolerance: float = TOLERANCE) -> bool:
        return (
            self.left >= other.left - tolerance
            and self.right <= other.right + tolerance
            and self.bottom >= other.bottom - tolerance
            and self.top <= other.top + tolerance
        )

    def union(self, other: Box) -> Box:
        return Box(
            min(self.left, other.left),
            min(self.bottom, other.bottom),
            max(self.right, other.right),
            max(self.top, other.top),
        )

    def __str__(self) -> str:
        return f"x {self.left:+.2f}..{self.right:+.2f}, y {self.bottom:+.2f}..{self.top:+.2f}"


@dataclass(frozen=True)
class ShownText:
    """A text on screen: its words, where it is, and its glyph height (scene units)."""

    words: str
    box: Box
    glyph: float  # the height of its capitals, digits and CJK glyphs
    glyphs: int  # how many glyphs it has (one per visible character unless read as markup)
    is_caption: bool = False

    def __str__(self) -> str:
        words = self.words if len(self.words) <= 40 else self.words[:39] + "…"
        return repr(words)


@dataclass(frozen=True)
class Screen:
    """What is on screen after one cue's steps."""

    cue: str
    texts: tuple[ShownText, ...]
    content: Box | None  # around everything but the heading and the caption
    shapes: tuple[tuple[str, Box], ...]  # every other visible mobject: (what, box)
    caption_pages: tuple[tuple[ShownText, ...], ...] = ()  # every page of the cue's caption


@dataclass
class ChapterCheck:
    """The preflight of one chapter: its problems, its fullest moment, its smallest text."""

    name: str
    problems: list[str] = field(default_factory=list)
    width_share: float = 0.0  # of the content area's width, at the chapter's widest
    height_share: float = 0.0  # of its height, at the chapter's tallest
    box_share: float = 0.0  # of its area under the box around the content, at the fullest
    area_share: float = 0.0  # of its area under the boxes of what is shown, at the fullest
    smallest_glyph: float | None = None  # scene units, captions aside
    screens: list[Screen] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.problems


@dataclass
class Preflight:
    layout: Layout
    chapters: list[ChapterCheck]

    @property
    def passed(self) -> bool:
        return all(chapter.passed for chapter in self.chapters)

    def chapter(self, name: str) -> ChapterCheck:
        return next(check for check in self.chapters if check.name == name)

    def pixels(self, units: float, short_side: int = 480) -> float:
        """Scene units as pixels at a quality whose short side is ``short_side``."""
        return units * short_side / self.layout.frame_units

    def report(self) -> str:
        """The table ``bce-video check`` prints, then every problem."""
        minimum = self.pixels(self.layout.min_glyph)
        lines = [
            f"{'chapter':<17} {'width':>6} {'height':>7} {'box':>5} {'area':>5} {'smallest':>9}  "
            f"(content area used at the fullest; glyphs at 480p, minimum {minimum:.0f} px)"
        ]
        for chapter in self.chapters:
            smallest = (
                f"{self.pixels(chapter.smallest_glyph):.1f} px"
                if chapter.smallest_glyph is not None
                else "-"
            )
            status = "ok" if chapter.passed else f"{len(chapter.problems)} problem(s)"
            lines.append(
                f"{chapter.name:<17} {chapter.width_share:>6.0%} {chapter.height_share:>7.0%} "
                f"{chapter.box_share:>5.0%} {chapter.area_share:>5.0%} {smallest:>9}  {status}"
            )
        problems = [
            f"{chapter.name}: {problem}"
            for chapter in self.chapters
            for problem in chapter.problems
        ]
        if problems:
            lines += ["", *problems]
        verdict = "passed" if self.passed else f"failed: {len(problems)} problem(s)"
        lines += ["", f"preflight {verdict}"]
        return "\n".join(lines)


# --------------------------------------------------------------------- measuring a screen


def _is_visible(mobject) -> bool:
    fill = mobject.get_fill_opacities()
    stroke = mobject.get_stroke_opacities()
    return bool(np.any(fill > 0)) or (bool(np.any(stroke > 0)) and mobject.get_stroke_width() > 0)


def _is_tall_glyph(character: str) -> bool:
    """Capitals, digits and CJK ideographs: the glyphs the minimum size is about."""
    if character.isdigit() or character.isupper():
        return True
    return unicodedata.east_asian_width(character) in "WF" and character.isalpha()


_CAP_RATIOS: dict[str, float] = {}


def _cap_per_font_size(font: str) -> float:
    """A capital's height per unit of Manim's font size, in ``font``."""
    if font not in _CAP_RATIOS:
        from manim import Text

        _CAP_RATIOS[font] = Text("H", font=font, font_size=100).height / 100
    return _CAP_RATIOS[font]


def _text_glyph(text) -> float:
    """The height of a Text's capitals, digits and CJK glyphs: measured on them when the
    glyphs map to the characters, else from its font size."""
    characters = [c for c in getattr(text, "original_text", text.text) if not c.isspace()]
    glyphs = [g for g in text.submobjects if len(g.points)]
    if any(unicodedata.east_asian_width(c) in "WF" for c in characters) and glyphs:
        # Ideographs differ in height (一 is a stroke): the tallest is the face's size,
        # whatever words a transform has put in place of the ones it was made with.
        return float(max(g.height for g in glyphs))
    if len(characters) == len(glyphs):
        tall = [g.height for c, g in zip(characters, glyphs, strict=True) if _is_tall_glyph(c)]
        if tall:
            return float(np.median(tall))
        return float(text.font_size) * _cap_per_font_size(text.font)
    # Transformed into other words (its own are stale): the taller half of its glyphs
    # stand for its capitals (ascenders, digits and CJK are about as tall).
    heights = sorted(g.height for g in glyphs)
    return float(np.median(heights[len(heights) // 2 :])) if heights else 0.0


def _code_glyph(code) -> float:
    """A Code block's glyph height: its font's capital height at its font size, times
    how much the block has been scaled since Manim laid out its text."""
    paragraph = code.code_lines
    laid_out = paragraph.lines_text  # the Text the lines were cut from, never scaled
    first = next(g for line in paragraph.chars for g in line if len(g.points))
    original = next(g for g in laid_out.submobjects if len(g.points))
    scale = first.height / original.height if original.height else 1.0
    return scale * float(laid_out.font_size) * _cap_per_font_size(laid_out.font)


def _walk(scene) -> Iterator[tuple[object, object]]:
    """(owner, mobject) for every mobject on screen, each once."""
    seen: set[int] = set()
    for owner in scene.mobjects:
        for mobject in owner.get_family():
            if id(mobject) not in seen:
                seen.add(id(mobject))
                yield owner, mobject


def measure_text(mobject, is_caption: bool = False) -> ShownText | None:
    """A text-like mobject as a ShownText (None: nothing of it is visible)."""
    from manim import Code, DecimalNumber, SingleStringMathTex, Text

    letters = [m for m in mobject.get_family() if len(m.points) and _is_visible(m)]
    if not letters:
        return None
    box = Box.around(np.concatenate([m.points for m in letters]))
    if isinstance(mobject, Text):
        words = getattr(mobject, "original_text", mobject.text)
        glyph = _text_glyph(mobject)
    elif isinstance(mobject, Code):
        words, glyph = "code", _code_glyph(mobject)
    elif isinstance(mobject, DecimalNumber):  # LaTeX digits
        words = f"{mobject.get_value():g}"
        sizes = [
            float(m.font_size)
            for m in mobject.get_family()
            if isinstance(m, SingleStringMathTex) and m.height > 0
        ]
        glyph = min(sizes or [float(mobject.font_size)]) * TEX_CAP_PER_FONT_SIZE
    else:  # a formula: its main size
        words = mobject.get_tex_string()
        glyph = float(mobject.font_size) * TEX_CAP_PER_FONT_SIZE
    return ShownText(words, box, glyph, len(mobject.submobjects), is_caption)


def look(film, cue: str) -> Screen:
    """What is on the film's screen now, in plain numbers."""
    from manim import Code, DecimalNumber, MathTex, SingleStringMathTex, Text, VMobject

    text_like = (Text, MathTex, SingleStringMathTex, Code, DecimalNumber)
    heading, caption = film.heading, film.caption
    # The heading and the caption are not the chapter's content.
    apart = {id(part) for m in (heading, caption) if m is not None for part in m.get_family()}
    captions = {id(part) for part in caption.get_family()} if caption is not None else set()
    done: set[int] = set()
    texts: list[ShownText] = []
    shapes: dict[int, tuple[str, Box]] = {}  # by the top-level mobject they belong to
    content: Box | None = None
    for owner, mobject in _walk(film.scene):
        if id(mobject) in done or id(mobject) in captions:
            continue
        if isinstance(mobject, text_like):
            done.update(id(m) for m in mobject.get_family())
            shown = measure_text(mobject)
            if shown is None:
                continue
            texts.append(shown)
            box = shown.box
        elif isinstance(mobject, VMobject) and len(mobject.points) and _is_visible(mobject):
            box = Box.around(mobject.points)
            what, before = shapes.get(id(owner), (type(owner).__name__, box))
            shapes[id(owner)] = (what, before.union(box))
        else:
            continue
        if id(mobject) not in apart:
            content = box if content is None else content.union(box)
    pages = ()
    if caption is not None:
        pages = tuple(
            tuple(m for m in (measure_text(line, is_caption=True) for line in page) if m)
            for page in _all_pages_visible(caption)
        )
    return Screen(cue, tuple(texts), content, tuple(shapes.values()), pages)


def _all_pages_visible(caption):
    """The caption's pages, each as a copy made visible (only one is shown at a time)."""
    for page in caption:
        yield page.copy().set_opacity(1.0)


# ----------------------------------------------------------------------------- the rules


def judge(screen: Screen, layout: Layout) -> list[str]:
    """The problems of one screen, each as "cue: what"."""
    problems: list[str] = []
    safe = Box.of_area(layout.safe_area)
    band = Box.of_area(layout.caption_band)
    at = screen.cue
    caption_lines = [line for page in screen.caption_pages for line in page]
    for text in [*screen.texts, *caption_lines]:
        if text.glyph < layout.min_glyph - 1e-6:
            problems.append(
                f"{at}: text {text} is too small: glyphs {text.glyph:.3f} units high, "
                f"the minimum is {layout.min_glyph:.3f}"
            )
    for i, first in enumerate(screen.texts):
        for second in screen.texts[i + 1 :]:
            if first.box.overlaps(second.box):
                problems.append(f"{at}: texts {first} and {second} overlap ({first.box})")
    shapes = [(f"text {t}", t.box) for t in screen.texts] + list(screen.shapes)
    for what, box in shapes:
        if not box.inside(safe):
            problems.append(f"{at}: {what} is outside the safe area ({box})")
        elif box.bottom < band.top - TOLERANCE:
            problems.append(f"{at}: {what} is in the caption band ({box})")
    for page in screen.caption_pages:
        for line in page:
            if not line.box.inside(band):
                problems.append(f"{at}: caption line {line} is outside the band ({line.box})")
    return problems


def covered_share(screen: Screen, area: Area, cells: int = 200) -> float:
    """The share of ``area`` under the boxes of the texts and shapes on screen (a grid of
    ``cells`` across): how much of the picture the chapter uses, not just its extent."""
    rows = max(1, round(cells * area.height / area.width))
    covered = np.zeros((rows, cells), dtype=bool)
    boxes = [t.box for t in screen.texts] + [box for _, box in screen.shapes]
    for box in boxes:
        left = int(np.clip((box.left - area.left) / area.width * cells, 0, cells))
        right = int(np.clip(np.ceil((box.right - area.left) / area.width * cells), 0, cells))
        low = int(np.clip((box.bottom - area.bottom) / area.height * rows, 0, rows))
        high = int(np.clip(np.ceil((box.top - area.bottom) / area.height * rows), 0, rows))
        covered[low:high, left:right] = True
    return float(covered.mean())


def box_share(screen: Screen, area: Area) -> float:
    """The share of ``area`` under the box around the screen's content (0: none shown):
    how full the screen is."""
    if screen.content is None:
        return 0.0
    width, height = screen.content.width / area.width, screen.content.height / area.height
    return min(width, 1.0) * min(height, 1.0)


def fullest_cue(screens: Sequence[Screen], layout: Layout) -> str | None:
    """The cue after which a chapter is at its fullest (its still: the page's thumbnail,
    the handout's picture): of its ``screens``, in the order said, the last whose content
    covers within ``AS_FULL`` of the most of the content area (``box_share``). None: no
    screens."""
    if not screens:
        return None
    shares = [box_share(screen, layout.content_area) for screen in screens]
    fullest = max(shares)
    return next(
        screen.cue
        for screen, share in zip(reversed(screens), reversed(shares), strict=True)
        if share >= fullest - AS_FULL
    )


def check_chapter(
    name: str, screens: list[Screen], layout: Layout, fills: float = 0.0
) -> ChapterCheck:
    """The problems of a chapter's screens, and how full it is at its fullest: under
    ``fills`` (a share of the content area's) is a problem too."""
    check = ChapterCheck(name, screens=screens)
    area = layout.content_area
    found: list[str] = []
    for screen in screens:
        found += judge(screen, layout)
        if screen.content is not None:
            width, height = screen.content.width / area.width, screen.content.height / area.height
            check.width_share = max(check.width_share, width)
            check.height_share = max(check.height_share, height)
            check.box_share = max(check.box_share, box_share(screen, area))
        check.area_share = max(check.area_share, covered_share(screen, area))
        for text in screen.texts:
            if check.smallest_glyph is None or text.glyph < check.smallest_glyph:
                check.smallest_glyph = text.glyph
    # The same problem seen after several cues is one problem, reported at the first.
    first: dict[str, str] = {}
    for problem in found:
        cue, _, what = problem.partition(": ")
        first.setdefault(what, cue)
    check.problems = [f"after {cue}: {what}" for what, cue in first.items()]
    if check.box_share < fills:
        check.problems.append(
            f"at its fullest its content's box covers {check.box_share:.0%} of the content "
            f"area, under the chapter's floor of {fills:.0%} (CHAPTER.fills)"
        )
    return check


# ------------------------------------------------------------------------------ the run


def play_headless(inputs: FilmInputs, cache: Path | None = None, **hooks):
    """Play the whole film of ``inputs`` with every animation skipped: the same mobjects
    in the same places as in a render, in the frame its layout gives, without drawing a
    frame. ``hooks``: ``play_chapters``' (on_chapter_end, on_cue_end, ...), called while
    Manim's config is the film's. Returns the played ``Film``.

    ``cache``: where Manim keeps rendered text and LaTeX (shared with renders, maybe
    running now: they take turns); None: a temporary folder."""
    from manim import Scene, config, tempconfig

    from scenes.chapters import ORDER
    from scenes.film import play_chapters

    from .caches import keep_parsed_texts, prepare_renderings
    from .scene import FilmRenderer, apply_frame

    played = {}
    with tempfile.TemporaryDirectory(prefix="bce-check-") as scratch:
        prepare_renderings(cache / ".renderings.lock" if cache is not None else None)
        keep_parsed_texts()
        cache = cache or Path(scratch)
        settings = {
            "dry_run": True,
            "quality": "low_quality",
            "media_dir": scratch,
            "tex_dir": str(cache / "Tex"),
            "text_dir": str(cache / "texts"),
            "progress_bar": "none",
            "verbosity": "WARNING",
            "disable_caching": True,
        }
        with tempconfig(settings):
            apply_frame(config, inputs.style.layout)

            class HeadlessFilm(Scene):
                def construct(self) -> None:
                    played["film"] = play_chapters(self, inputs, upto=ORDER[-1], **hooks)

            # The film's renderer, which draws no picture for a skipped play.
            HeadlessFilm(renderer=FilmRenderer()).render()
    return played["film"]


def run_preflight(inputs: FilmInputs, cache: Path | None = None) -> Preflight:
    """Play the film of ``inputs`` with every animation skipped and judge every screen.

    ``cache``: where Manim keeps rendered text and LaTeX (shared with renders); None: a
    temporary folder."""
    layout = inputs.style.layout
    screens: dict[str, list[Screen]] = {}

    def on_cue_end(film, cue) -> None:
        screens.setdefault(film.chapter, []).append(look(film, cue.id))

    from scenes.chapters import load_chapters

    floors = {module.CHAPTER.name: module.CHAPTER.fills for module in load_chapters()}
    play_headless(inputs, cache, on_cue_end=on_cue_end)
    return Preflight(
        layout,
        [check_chapter(name, found, layout, floors[name]) for name, found in screens.items()],
    )
