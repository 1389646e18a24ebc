"""Where things are, for every test: one home for the repository's paths."""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SCENES_DIR = REPO_ROOT / "scenes"
CHAPTERS_DIR = SCENES_DIR / "chapters"
#: The repository's render folder (manim.cfg's media_dir), whose Tex and text caches the
#: tests reuse when it exists: LaTeX is the slow part of a cold render.
RENDER_CACHE = REPO_ROOT / "renders"
CONTROL_DIR = Path(__file__).resolve().parent / "control_frames"
