"""The article's "show me the code": scikit-learn in a few lines, and what it prints."""

import json
from pathlib import PurePath

from manim import DOWN, LEFT, UP, Code, FadeIn, FadeOut, VGroup

from bce_core.cli import format_report

from ..contract import Chapter
from ..style import PerAspect

CHAPTER = Chapter(
    "code",
    cues=("fit", "same"),
    # The screen is cleared: the bar chapters' and the training chapter's mobjects are gone.
    drops=(
        "bars",
        "chart",
        "chart_axis_name",
        "mean_line",
        "capped_marks",
        "plot",
        "unpenalised_curve",
    ),
    # The code is scaled to the content area's width or height, whichever it meets
    # first: a few long lines (the snippet that loads a user's file) make a wide strip.
    fills=0.3,
)


#: Labels ``load_dataset`` makes the positive class by itself (with these negatives).
DEFAULT_POSITIVE = {("1", "0"), ("true", "false")}

#: The snippet's lines of at most this many characters (None: as the article writes
#: them), and the arrays it prints at most this wide: a narrow frame (9:16) has its own
#: layout of the same code, in short lines.
CODE_COLUMNS = PerAspect(landscape=None, vertical=40)
PRINT_WIDTH = PerAspect(landscape=88, vertical=32)
#: A short output is not blown up beyond this scale.
MAX_SCALE = 1.6


def snippet(film) -> str:
    """The article's code for the film's data: inline for data built in memory (the
    article's ten points), and for a user's file a line that loads it by its base name, as
    the film did, so that it runs next to the file and prints the output the film shows."""
    lesson, layout = film.lesson, film.style.layout
    dataset = lesson.dataset
    C = f"{lesson.C}" if lesson.C else "np.inf"
    columns = CODE_COLUMNS.of(layout)
    narrow = "_narrow" if columns else ""
    width = PRINT_WIDTH.of(layout)
    if dataset.path is not None:
        labels = (dataset.positive_label, dataset.negative_label)
        positive = "" if labels in DEFAULT_POSITIVE else f", positive={_literal(labels[0])}"
        name = _literal(PurePath(dataset.path).name)
        return film.word(
            f"snippet_file{narrow}", file=name, positive=positive, C=C, width=width
        ).strip("\n")
    # Only a dataset built in Python (no file) has more than the article's ten points here.
    more = ["..."] if lesson.n_points > 10 else []
    xs = _items([repr(float(x)) for x in lesson.x[:10]] + more, columns)
    ys = _items([str(int(y)) for y in lesson.y[:10]] + more, columns)
    return film.word(f"snippet{narrow}", xs=xs, ys=ys, C=C, width=width).strip("\n")


#: Where the items of ``x = np.array([`` start: continuation lines line up with them.
ARRAY_INDENT = len("x = np.array([")


def _items(items: list[str], columns: int | None) -> str:
    """Items of a list literal, comma-separated; with ``columns``, broken into lines of at
    most that many characters, continued under the first item."""
    if not columns:
        return ", ".join(items)
    lines, line = [], ""
    for item in items:
        candidate = f"{line}, {item}" if line else item
        if line and ARRAY_INDENT + len(candidate) + 2 > columns:  # room for "])"
            lines.append(line + ",")
            line = item
        else:
            line = candidate
    lines.append(line)
    return ("\n" + " " * ARRAY_INDENT).join(lines)


def _literal(text: str) -> str:
    """A Python string literal in double quotes (JSON's are valid Python)."""
    return json.dumps(text, ensure_ascii=False)


def play(film) -> None:
    style = film.style
    sizes, palette, layout = style.sizes, style.palette, style.layout

    def block(text: str, language: str, background: str) -> Code:
        return Code(
            code_string=text,
            language=language,
            formatter_style=palette.code_style,
            add_line_numbers=False,
            background=background,
            paragraph_config={
                "font": style.fonts.code,
                "font_size": sizes.code,
                "line_spacing": sizes.code_line_spacing,
            },
        )

    code = block(snippet(film), "python", "window")
    output_title = film.text("output_label", size=sizes.label, colour=palette.muted)
    # What the snippet prints, from bce_core's own report (the same format as the code).
    output = block(format_report(film.lesson, PRINT_WIDTH.of(layout)), "text", "rectangle")
    output_box = VGroup(output_title, output).arrange(
        DOWN, aligned_edge=LEFT, buff=layout.buff_tight
    )
    # One at a time, each as large as the content area under the heading allows (both
    # at once would be too small to read): the code, then what it prints in its place.
    area = layout.under_heading
    for shown in (code, output_box):
        scale = min(area.height / shown.height, area.width / shown.width, MAX_SCALE)
        shown.scale(scale).move_to(area.center)
    film.say("fit", [film.set_heading(), film.clear()], FadeIn(code, shift=layout.drift * UP))
    film.say(
        "same",
        FadeOut(code, shift=layout.drift * UP),
        FadeIn(output_box, shift=layout.drift * UP),
    )
