"""The packages depend one way: bce_core <- scenes <- bce_voice <- bce_film <- bce_video.
The scene entry points (scenes/bce.py, scenes/chapter.py), which Manim loads by path, may
use bce_film; nothing imports a package to its right, not even inside a function. The
voice (bce_voice) stands alone: it knows cues only as ids and texts, and no Manim."""

from __future__ import annotations

import ast

import pytest
from paths import REPO_ROOT

LAYERS = ["bce_core", "scenes", "bce_voice", "bce_film", "bce_video"]
ENTRY_POINTS = {"scenes/bce.py", "scenes/chapter.py"}


def imported_packages(path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize("package", LAYERS)
def test_no_package_imports_one_to_its_right(package):
    right = set(LAYERS[LAYERS.index(package) + 1 :])
    files = sorted((REPO_ROOT / package).rglob("*.py"))
    assert files
    offenders = []
    for path in files:
        name = path.relative_to(REPO_ROOT).as_posix()
        allowed = {"bce_film"} if name in ENTRY_POINTS else set()
        if wrong := (imported_packages(path) & right) - allowed:
            offenders.append(f"{name} imports {sorted(wrong)}")
    assert offenders == []


def test_the_check_sees_an_import_inside_a_function(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from bce_video.render import render\n")
    assert imported_packages(sample) == {"bce_video"}


def test_the_voice_imports_nothing_of_the_film_and_no_manim():
    ours = {*LAYERS} - {"bce_voice"}
    offenders = [
        f"{path.relative_to(REPO_ROOT)} imports {sorted(wrong)}"
        for path in sorted((REPO_ROOT / "bce_voice").rglob("*.py"))
        if (wrong := imported_packages(path) & (ours | {"manim"}))
    ]
    assert offenders == []
