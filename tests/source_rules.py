"""Rules read from the scenes' source with ast (tests/test_determinism_rules.py,
tests/test_colours.py): each rule takes a module's tree and yields (line, message)."""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path

from paths import REPO_ROOT


def violations(rule: Callable, path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    where = path.relative_to(REPO_ROOT) if path.is_relative_to(REPO_ROOT) else path.name
    return [f"{where}:{line}: {message}" for line, message in sorted(rule(tree))]


def assert_kept(rule: Callable, files: list[Path], at_least: int) -> None:
    """No file breaks ``rule``; ``at_least`` files are read (else it checks nothing)."""
    assert len(files) >= at_least, "the rule would check almost nothing"
    offenders = [hit for path in files for hit in violations(rule, path)]
    assert offenders == [], f"{rule.__doc__}\n  " + "\n  ".join(offenders)
