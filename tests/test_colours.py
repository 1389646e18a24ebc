"""Every colour on screen comes from the palette (scenes/style.py), and reads.

- Checks on the scenes' source (ast, as tests/test_determinism_rules.py): no Manim colour
  constant and no hex colour anywhere in scenes/ (the palettes in scenes/style.py are the
  one place a colour is written), and no Manim animation that paints in a colour of its
  own (Indicate's and Circumscribe's yellow, FocusOn's grey) called without a colour.
  Each check is shown to fail on a sample.
- The palettes' contrast, by WCAG 2.2's relative luminance and contrast ratio: every
  colour words are drawn in (ink, muted, the text shades) at 4.5:1 on its palette's
  background (1.4.3, normal text), every colour of marks (bars, dots, lines) at 3:1
  (1.4.11, non-text); the emphasis colour apart from the background and the bars.
- What is drawn: the light film played with its animations skipped (as the preflight
  does, about 30 s), every text on screen after every cue at 4.5:1, which holds the
  chapters to the text shades.
"""

from __future__ import annotations

import ast
import inspect
import re
from collections.abc import Callable
from dataclasses import fields
from functools import cache
from pathlib import Path

import pytest
from paths import RENDER_CACHE, SCENES_DIR
from source_rules import assert_kept, violations

from scenes.style import PALETTES, Palette, Sizes, TextColours

#: Every Python file of the scenes: the chapters, the components and the film's own.
SCENE_FILES = sorted(SCENES_DIR.rglob("*.py"))
#: The palettes: the one file where colours are written as hex.
PALETTE_FILE = SCENES_DIR / "style.py"
HEX_COLOUR = re.compile(r"(#|0x)([0-9a-fA-F]{3}|[0-9a-fA-F]{4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})")


# ------------------------------------------------------------------- the source's rules


@cache
def manim_colour_names() -> frozenset[str]:
    """Manim's named colours (manim.utils.color: YELLOW, BLUE_C, PURE_RED, ...) and its
    namespaces of named colours (XKCD, X11, ...)."""
    import manim.utils.color as colours
    from manim import ManimColor

    names = set()
    for name in dir(colours):
        value = getattr(colours, name)
        namespace = inspect.ismodule(value) and any(
            isinstance(getattr(value, inner), ManimColor) for inner in dir(value)
        )
        if isinstance(value, ManimColor) or namespace:
            names.add(name)
    return frozenset(names)


@cache
def self_coloured_animations() -> dict[str, int]:
    """Manim's animations that paint in a colour of their own unless given one: their
    name and the position of ``color`` among their arguments (the mobject first).

    Those that only move, scale or fade the mobject's own colours (Wiggle, ApplyWave,
    ShowPassingFlash, Blink) take no colour and are not listed."""
    import manim
    from manim import Animation, ManimColor

    found = {}
    for name in dir(manim):
        value = getattr(manim, name)
        if not (inspect.isclass(value) and issubclass(value, Animation)):
            continue
        parameters = list(inspect.signature(value.__init__).parameters.values())[1:]
        for position, parameter in enumerate(parameters):
            if parameter.name == "color" and isinstance(parameter.default, ManimColor):
                found[name] = position
    return found


def _imported_names(tree: ast.AST) -> dict[str, str]:
    """Local name -> the name imported (``from manim import Indicate as Show``)."""
    return {
        alias.asname or alias.name: alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }


def no_manim_colours(tree: ast.AST) -> list[tuple[int, str]]:
    """Manim's named colours are not the film's: YELLOW is 1.07:1 on the light theme's
    white. Take every colour from the palette (film.style.palette)."""
    names, found = manim_colour_names(), []
    for node in ast.walk(tree):
        used = []
        if isinstance(node, ast.Name):
            used = [node.id]
        elif isinstance(node, ast.Attribute):
            used = [node.attr]
        elif isinstance(node, ast.ImportFrom):
            used = [alias.name for alias in node.names]
        found += [
            (node.lineno, f"Manim's colour {name}: use the palette")
            for name in used
            if name in names
        ]
    return found


def no_hex_colours(tree: ast.AST) -> list[tuple[int, str]]:
    """A colour written in a scene is one the palette does not know of (and that the
    other theme does not change): add it to the palettes in scenes/style.py."""
    return [
        (node.lineno, f"the colour {node.value!r}: use the palette")
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and HEX_COLOUR.fullmatch(node.value.strip())
    ]


def emphasis_has_a_colour(tree: ast.AST) -> list[tuple[int, str]]:
    """Indicate, Flash, Circumscribe and FocusOn paint in Manim's yellow or grey when not
    given a colour: give each the palette's (palette.emphasis, or the colour of what it
    points at)."""
    painting, imported, found = self_coloured_animations(), _imported_names(tree), []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        called = getattr(node.func, "id", getattr(node.func, "attr", ""))
        name = imported.get(called, called)
        if name not in painting:
            continue
        given = any(keyword.arg == "color" for keyword in node.keywords)
        given = given or len(node.args) > painting[name]  # given by position
        if not given:
            found.append((node.lineno, f"{name} without a colour: pass color=palette...."))
    return found


#: Each rule and the files it holds for.
RULES: dict[str, tuple[Callable, list[Path]]] = {
    "no_manim_colours": (no_manim_colours, SCENE_FILES),
    "no_hex_colours": (no_hex_colours, [p for p in SCENE_FILES if p != PALETTE_FILE]),
    "emphasis_has_a_colour": (emphasis_has_a_colour, SCENE_FILES),
}


@pytest.mark.parametrize("name", list(RULES))
def test_the_scenes_keep_the_rule(name):
    rule, files = RULES[name]
    assert_kept(rule, files, at_least=30)


SAMPLES = {
    "no_manim_colours": (
        "from manim import YELLOW, Dot\n"
        "import manim\n"
        "from manim.utils.color import XKCD\n"
        "def play(film):\n"
        "    Dot(color=BLUE_C)\n"
        "    Dot(color=manim.PURE_RED)\n"
        "    Dot(color=XKCD.AVOCADO)\n"
        "    Dot(color=film.style.palette.positive)\n",
        [1, 3, 5, 6, 7],
    ),
    "no_hex_colours": (
        "def play(film):\n"
        "    Dot(color='#FFFF00')\n"
        "    Dot(color='#fff')\n"
        "    Dot(color='0xff000080')\n"
        "    film.text('heading_#1')\n"
        "    film.say('a', Dot(color=film.style.palette.ink))\n",
        [2, 3, 4],
    ),
    "emphasis_has_a_colour": (
        "from manim import Indicate as Show, Circumscribe, Flash, FocusOn, Wiggle\n"
        "import manim\n"
        "def play(film, bar, palette):\n"
        "    film.say('a', Show(bar, scale_factor=1.1))\n"
        "    film.say('b', manim.Circumscribe(bar))\n"
        "    film.say('c', Flash(bar.get_top()), FocusOn(bar))\n"
        "    film.say('d', Wiggle(bar), Show(bar, 1.1, palette.emphasis))\n"
        "    film.say('e', Circumscribe(bar, color=palette.loss))\n",
        [4, 5, 6, 6],
    ),
}


@pytest.mark.parametrize("name", list(RULES))
def test_the_rule_catches_a_sample(name, tmp_path):
    source, lines = SAMPLES[name]
    sample = tmp_path / "sample_chapter.py"
    sample.write_text(source)
    found = violations(RULES[name][0], sample)
    assert [int(hit.split(":")[1]) for hit in found] == lines, found


def test_manim_paints_in_its_own_colours_where_the_rules_look():
    """The lists the rules read from Manim hold what issue 21 saw (and would be empty,
    the rules passing everything, were Manim to rename them)."""
    assert {"YELLOW", "WHITE", "RED", "BLUE_C", "PURE_YELLOW", "XKCD"} <= manim_colour_names()
    assert {"Indicate", "Flash", "Circumscribe", "FocusOn"} <= set(self_coloured_animations())


# ---------------------------------------------------------- contrast (WCAG 2.2, 1.4.3)


def relative_luminance(colour: str) -> float:
    """WCAG 2.2's relative luminance of an sRGB colour written #rrggbb (the definition in
    its glossary: the linearised channels weighted 0.2126, 0.7152, 0.0722)."""
    digits = colour.removeprefix("#")
    assert len(digits) == 6, colour

    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(int(digits[i : i + 2], 16) / 255) for i in (0, 2, 4))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(one: str, other: str) -> float:
    """(L1 + 0.05) / (L2 + 0.05), L1 the lighter colour's relative luminance."""
    lighter, darker = sorted((relative_luminance(one), relative_luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def over(colour: str, background: str, opacity: float) -> str:
    """``colour`` drawn at ``opacity`` over ``background``, as the frame shows it."""
    mixed = (
        round(opacity * int(colour[i : i + 2], 16) + (1 - opacity) * int(background[i : i + 2], 16))
        for i in (1, 3, 5)
    )
    return "#" + "".join(f"{channel:02x}" for channel in mixed)


def test_the_contrast_formula_gives_known_ratios():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.005)
    assert contrast_ratio("#ffffff", "#777777") == contrast_ratio("#777777", "#ffffff")
    assert contrast_ratio("#123456", "#123456") == 1.0


#: WCAG 2.2, 1.4.11: graphical objects against what is next to them.
NON_TEXT = 3.0
#: WCAG 2.2, 1.4.3 (AA): normal text against its background. WCAG's lower figure for
#: large text is set in points on a page; a frame seen on any screen is held to this one.
TEXT = 4.5


def text_colours(palette: Palette) -> dict[str, str]:
    """Every colour the film draws words in: ink, muted and the text shades."""
    shades = {f"text.{f.name}": getattr(palette.text, f.name) for f in fields(TextColours)}
    return {"ink": palette.ink, "muted": palette.muted, **shades}


#: The colours of marks: bars, dots, curves, axes, guides and the probe.
MARK_COLOURS = (
    "ink",
    "muted",
    "positive",
    "negative",
    "loss",
    "neutral_point",
    "highlight",
    "emphasis",
)


@pytest.mark.parametrize("theme", list(PALETTES))
def test_every_text_colour_reaches_aa_on_its_background(theme):
    palette = PALETTES[theme]
    low = {
        name: f"{colour} {contrast_ratio(colour, palette.background):.2f}:1"
        for name, colour in text_colours(palette).items()
        if contrast_ratio(colour, palette.background) < TEXT
    }
    assert not low, f"{theme}: text below {TEXT}:1 on {palette.background}: {low}"


@pytest.mark.parametrize("theme", list(PALETTES))
def test_every_mark_colour_reaches_three_to_one_on_its_background(theme):
    palette = PALETTES[theme]
    colours = {name: getattr(palette, name) for name in MARK_COLOURS}
    low = {
        name: f"{colour} {contrast_ratio(colour, palette.background):.2f}:1"
        for name, colour in colours.items()
        if contrast_ratio(colour, palette.background) < NON_TEXT
    }
    assert not low, f"{theme}: marks below {NON_TEXT}:1 on {palette.background}: {low}"


def test_the_text_shades_keep_the_hues_where_the_hues_are_readable():
    """A darker shade only where the hue itself falls short: the dark theme's words are in
    the colours of its bars."""
    for theme, palette in PALETTES.items():
        for name in ("positive", "negative", "loss", "highlight"):
            hue, shade = getattr(palette, name), getattr(palette.text, name)
            if contrast_ratio(hue, palette.background) >= TEXT:
                assert shade == hue, f"{theme}: text.{name} {shade} differs from {hue}"


#: Lightness apart (as a contrast ratio) between a bar and the same bar in the emphasis
#: colour, so that the flash shows without telling hues apart (the bars' red and green
#: are the pair a red-green colour-blind viewer confuses). WCAG sets no figure for this;
#: 2:1 is what white reaches over the dark theme's green.
EMPHASIS_OVER_BARS = 2.0


@pytest.mark.parametrize("theme", list(PALETTES))
def test_the_emphasis_stands_out_from_the_background_and_the_bars(theme):
    """all_bars flashes the probability bars, in their class colours, one by one."""
    palette: Palette = PALETTES[theme]
    opacity, background = Sizes().bar_opacity, palette.background
    flashed = over(palette.emphasis, background, opacity)
    assert contrast_ratio(flashed, background) >= NON_TEXT
    for name in ("positive", "negative"):
        bar = over(getattr(palette, name), background, opacity)
        ratio = contrast_ratio(flashed, bar)
        assert ratio >= EMPHASIS_OVER_BARS, f"{theme}: emphasis on a {name} bar, {ratio:.2f}:1"


# ------------------------------------------------------------------------ what is drawn


def drawn_text_colours(inputs) -> list[tuple[str, str, str, float, str]]:
    """(cue id, words, colour, opacity, background) of every glyph of every text on
    screen after every cue of the film of ``inputs``, played with its animations skipped.
    The background is the palette's, or for the code chapter's code (coloured by its
    Pygments style) the box it is drawn on."""
    from manim import BackgroundRectangle, Code, MathTex, SingleStringMathTex, Text

    from bce_film.preflight import play_headless

    seen: list[tuple[str, str, str, float, str]] = []
    palette_background = inputs.style.palette.background

    def glyphs(cue: str, words: str, parts, background: str) -> None:
        for glyph in parts:
            opacity = float(glyph.get_fill_opacity())
            if len(glyph.points) and opacity > 0:
                colour = glyph.get_fill_color().to_hex().lower()
                seen.append((cue, words, colour, opacity, background))

    def on_cue_end(film, cue) -> None:
        family = [m for top in film.scene.mobjects for m in top.get_family()]
        done = {
            id(m)
            for box in family
            if isinstance(box, BackgroundRectangle)
            for m in box.get_family()
        }
        for mobject in family:
            if id(mobject) in done:
                continue
            if isinstance(mobject, Code):
                done |= {id(m) for m in mobject.get_family()}
                box = mobject.background.get_fill_color().to_hex().lower()
                glyphs(cue.id, "code", mobject.code_lines.get_family(), box)
            elif isinstance(mobject, (Text, MathTex, SingleStringMathTex)):
                done |= {id(m) for m in mobject.get_family()}
                words = getattr(mobject, "original_text", None) or mobject.get_tex_string()
                parts = [m for m in mobject.get_family() if not isinstance(m, BackgroundRectangle)]
                glyphs(cue.id, str(words), parts, palette_background)

    # The one headless player (the preflight's): the same frame, the renderings' lock.
    play_headless(inputs, RENDER_CACHE if RENDER_CACHE.is_dir() else None, on_cue_end=on_cue_end)
    return seen


def test_every_text_drawn_reaches_aa():
    """The light theme, where the hues and the text shades differ, in 9:16, where the
    captions are burnt in: every word on screen after every cue at 4.5:1 on white, or
    on the code's box (its colour at its opacity over the background)."""
    from bce_film.options import FilmOptions

    inputs = FilmOptions(theme="light", aspect="9:16").inputs()
    seen = drawn_text_colours(inputs)
    assert len({cue for cue, *_ in seen}) > 50, "the probe saw almost nothing"
    assert any(words == "code" for _, words, *_ in seen), "the probe saw no code"
    low = sorted(
        {
            f"{cue}: {words[:30]!r} in {colour} at {opacity:.2f} on {background}, "
            f"{contrast_ratio(over(colour, background, opacity), background):.2f}:1"
            for cue, words, colour, opacity, background in seen
            if contrast_ratio(over(colour, background, opacity), background) < TEXT
        }
    )
    assert not low, f"text below {TEXT}:1:\n  " + "\n  ".join(low)


# ------------------------------------------------------------------- the code chapter


def code_token_colours(style_name: str) -> dict[str, tuple[str, str]]:
    """Token type -> (colour, background) of every token of the code chapter's snippets
    (every variant, every language) and of its output block (plain text), as Manim's Code
    colours them: the Pygments style's colour for the token, else its text colour, else
    black, on the style's background."""
    import tomllib

    from pygments.lexers import PythonLexer
    from pygments.styles import get_style_by_name
    from pygments.token import Text as TextToken

    def six(colour: str) -> str:
        digits = colour.removeprefix("#")
        return "#" + (digits if len(digits) == 6 else "".join(d * 2 for d in digits)).lower()

    style = get_style_by_name(style_name)
    foreground = style.style_for_token(TextToken).get("color") or "000000"
    background = six(style.background_color)
    tokens = {TextToken}
    values = {"xs": "-2.2, 1.4", "ys": "0, 1", "C": "1.0", "width": 88}
    values |= {"file": '"scores.csv"', "positive": ', positive="spam"'}
    for path in sorted((SCENES_DIR / "text").glob("*.toml")):
        code = tomllib.loads(path.read_text(encoding="utf-8"))["code"]
        for key in (k for k in code if k.startswith("snippet")):
            source = code[key].format(**values)
            tokens |= {token for token, text in PythonLexer().get_tokens(source) if text.strip()}
    return {
        str(token): (six(style.style_for_token(token).get("color") or foreground), background)
        for token in tokens
    }


@pytest.mark.parametrize("theme", list(PALETTES))
def test_the_code_is_readable_on_its_background(theme):
    """The code chapter's colours are its Pygments style's (palette.code_style): every
    token the snippets hold at 4.5:1 on the style's background."""
    colours = code_token_colours(PALETTES[theme].code_style)
    assert len(colours) > 8, "the snippets hold almost nothing"
    low = {
        token: f"{colour} {contrast_ratio(colour, background):.2f}:1 on {background}"
        for token, (colour, background) in colours.items()
        if contrast_ratio(colour, background) < TEXT
    }
    assert not low, f"{theme} ({PALETTES[theme].code_style}): {low}"
