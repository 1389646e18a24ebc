"""Every colour on screen comes from the palette (scenes/style.py), and reads.

- Checks on the scenes' source (ast, as tests/test_determinism_rules.py): no Manim colour
  constant and no hex colour anywhere in scenes/ (the palettes in scenes/style.py are the
  one place a colour is written), and no Manim animation that paints in a colour of its
  own (Indicate's and Circumscribe's yellow, FocusOn's grey) called without a colour.
  Each check is shown to fail on a sample.
- The palettes' contrast, by WCAG 2.2's relative luminance and contrast ratio: the
  emphasis colour stands apart from the background and from the bars it flashes over.
"""

from __future__ import annotations

import ast
import inspect
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest
from paths import REPO_ROOT, SCENES_DIR

from scenes.style import PALETTES, Palette, Sizes

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


def violations(rule: Callable, path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    where = path.relative_to(REPO_ROOT) if path.is_relative_to(REPO_ROOT) else path.name
    return [f"{where}:{line}: {message}" for line, message in sorted(rule(tree))]


@pytest.mark.parametrize("name", list(RULES))
def test_the_scenes_keep_the_rule(name):
    rule, files = RULES[name]
    assert len(files) >= 30, "the rule would check almost nothing"
    offenders = [hit for path in files for hit in violations(rule, path)]
    assert offenders == [], f"{rule.__doc__}\n  " + "\n  ".join(offenders)


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


#: Lightness apart (as a contrast ratio) between a bar and the same bar in the emphasis
#: colour, so that the flash shows without telling hues apart (the bars' red and green
#: are the pair a red-green colour-blind viewer confuses). WCAG sets no figure for this;
#: 2:1 is what white reaches over the dark theme's green.
EMPHASIS_OVER_BARS = 2.0
#: WCAG 2.2, 1.4.11: graphical objects against what is next to them.
NON_TEXT = 3.0


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
