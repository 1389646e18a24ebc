"""The rules that keep every process's film the same, as checks on the source (no Manim,
no drawing).

A parallel render plays each chapter in a worker with the chapters before it skipped, and
the chapter cache joins chapters drawn by earlier renders: each chapter must be drawn
exactly as one ``manim scenes/bce.py`` process draws it (test_parallel_render.py compares
the frames), or the joined film differs. Each rule below names what it protects and what
to use instead; each check is shown to fail on a sample.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path

import pytest
from paths import CHAPTERS_DIR, SCENES_DIR
from source_rules import assert_kept, violations

COMPONENTS_DIR = SCENES_DIR / "components"
UPDATER_CALLS = {"always_redraw", "add_updater", "f_always", "always"}


def _function_defs(tree: ast.AST) -> dict[str, ast.AST]:
    return {
        node.name: node
        for node in ast.walk(tree)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
    }


def _call_name(node: ast.Call) -> str:
    return getattr(node.func, "id", getattr(node.func, "attr", ""))


def updaters_hold_no_film(tree: ast.AST) -> list[tuple[int, str]]:
    """An updater runs at every frame, when the film may be in a later chapter (film.text
    would read that chapter's words); and Manim's cache, on in a plain manim run, hashes
    everything an updater holds at every animation, the whole film with it."""
    defs, found = _function_defs(tree), []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and _call_name(node) in UPDATER_CALLS):
            continue
        for argument in node.args:
            body = argument if isinstance(argument, ast.Lambda) else None
            if isinstance(argument, ast.Name) and argument.id in defs:
                body = defs[argument.id]
            if body is None:
                continue
            if any(isinstance(n, ast.Name) and n.id == "film" for n in ast.walk(body)):
                found.append(
                    (
                        node.lineno,
                        "an updater holds the film: make its text with "
                        "film.text_maker(key, ...) before the updater and use that",
                    )
                )
    return found


def formulas_morph_with_matching_tex(tree: ast.AST) -> list[tuple[int, str]]:
    """Manim pairs a formula's parts in the order of a set of strings, which follows
    Python's per-process hash salt: frames mid-morph change from process to process."""
    found = []
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Name):
            names = [node.id]
        elif isinstance(node, ast.Attribute):
            names = [node.attr]
        elif isinstance(node, ast.ImportFrom):
            names = [alias.name for alias in node.names]
        for name in names:
            if name in {"TransformMatchingTex", "TransformMatchingShapes"}:
                found.append(
                    (node.lineno, f"{name}: morph formulas with MatchingTex (components/formulas)")
                )
    return found


def chapters_time_no_waits(tree: ast.AST) -> list[tuple[int, str]]:
    """The scene's clock sums whole frames when rendering and exact run times when
    skipping: a wait computed from it, or typed beside the cues, differs between renders.
    film.say times the waits from the steps' own run times."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _call_name(node) in {"wait", "Wait"}:
            found.append((node.lineno, "a wait: pass the steps to film.say(cue, *steps)"))
        elif isinstance(node, ast.Attribute) and node.attr == "time":
            if isinstance(node.value, ast.Name) and node.value.id == "time":
                continue  # the time module: another rule's business
            found.append(
                (node.lineno, "the scene's clock: pace with film.say, or play with a run_time")
            )
    return found


def no_unseeded_randomness(tree: ast.AST) -> list[tuple[int, str]]:
    """The same data must always draw the same film (bce_core.stratified_sample is
    deterministic)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import) and any(a.name == "random" for a in node.names):
            found.append((node.lineno, "import random: draw from the Lesson, deterministically"))
        elif isinstance(node, ast.ImportFrom) and node.module == "random":
            found.append((node.lineno, "from random: draw from the Lesson, deterministically"))
        elif isinstance(node, ast.Attribute) and node.attr == "random":
            found.append((node.lineno, "np.random: use bce_core.stratified_sample"))
        elif isinstance(node, ast.Call) and _call_name(node) in {"now", "today"}:
            found.append((node.lineno, "the date: a film must not depend on when it is made"))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "time"
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "time"
        ):
            found.append((node.lineno, "time.time(): a film must not depend on when it is made"))
    return found


def _files(*folders: Path, skip: tuple[str, ...] = ()) -> list[Path]:
    return sorted(
        path for folder in folders for path in folder.glob("*.py") if path.name not in skip
    )


#: Each rule and the files it holds for.
RULES: dict[str, tuple[Callable, list[Path]]] = {
    "updaters_hold_no_film": (updaters_hold_no_film, _files(CHAPTERS_DIR, COMPONENTS_DIR)),
    "formulas_morph_with_matching_tex": (
        formulas_morph_with_matching_tex,
        _files(CHAPTERS_DIR, COMPONENTS_DIR, skip=("formulas.py",)),  # defines MatchingTex
    ),
    "chapters_time_no_waits": (chapters_time_no_waits, _files(CHAPTERS_DIR)),
    "no_unseeded_randomness": (no_unseeded_randomness, _files(CHAPTERS_DIR, COMPONENTS_DIR)),
}


@pytest.mark.parametrize("name", list(RULES))
def test_the_scenes_keep_the_rule(name):
    rule, files = RULES[name]
    assert_kept(rule, files, at_least=10)


SAMPLES = {
    "updaters_hold_no_film": (
        "def play(film):\n"
        "    def readout():\n"
        "        return film.text('readout')\n"
        "    shown = always_redraw(readout)\n"
        "    other = always_redraw(lambda: film.text('x'))\n",
        [4, 5],
    ),
    "formulas_morph_with_matching_tex": (
        "from manim import TransformMatchingTex\n"
        "def play(film):\n"
        "    film.say('a', TransformMatchingTex(a, b))\n",
        [1, 3],
    ),
    "chapters_time_no_waits": (
        "def play(film):\n"
        "    film.scene.wait(2)\n"
        "    start = film.scene.time\n"
        "    film.say('a', Wait(1))\n",
        [2, 3, 4],
    ),
    "no_unseeded_randomness": (
        "import random\nimport numpy as np\nimport time\n"
        "def play(film):\n"
        "    jitter = np.random.normal()\n"
        "    seed = time.time()\n",
        [1, 5, 6],
    ),
}


@pytest.mark.parametrize("name", list(RULES))
def test_the_rule_catches_a_sample(name, tmp_path):
    source, lines = SAMPLES[name]
    sample = tmp_path / "sample_chapter.py"
    sample.write_text(source)
    found = violations(RULES[name][0], sample)
    assert [int(hit.split(":")[1]) for hit in found] == lines, found


def test_an_updater_that_uses_text_maker_is_not_reported(tmp_path):
    sample = tmp_path / "good_chapter.py"
    sample.write_text(
        "def play(film):\n"
        "    readout_text = film.text_maker('readout')\n"
        "    def readout():\n"
        "        return readout_text(p='0.5')\n"
        "    shown = always_redraw(readout)\n"
    )
    assert violations(updaters_hold_no_film, sample) == []
