"""``manim`` with Manim's stock renderer, file writer and encoder for scenes/bce.py: the
baseline of benchmarks/goals.py. Run it where no manim.cfg is, with the project on
PYTHONPATH:

    PYTHONPATH=/path/to/project python benchmarks/stock_manim.py -qh scenes/bce.py

The film's scenes draw as they always do; only what the project adds to Manim's rendering
(the held-frame encoder, the frame-counting clock, the soundtrack) is left out."""

import sys

from manim.renderer.cairo_renderer import CairoRenderer

import bce_film.scene

bce_film.scene.film_renderer = lambda pieces_only=False: CairoRenderer()

from manim.__main__ import main  # noqa: E402  (after the renderer is replaced)

sys.argv = ["manim", *sys.argv[1:]]
sys.exit(main())
