"""The article's "show me the code": scikit-learn in a few lines, and what it prints."""

from manim import DOWN, LEFT, UP, Code, FadeIn, VGroup

from bce_core.cli import format_report

from ..contract import Chapter

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
)


def snippet(film) -> str:
    lesson = film.lesson
    xs = ", ".join(f"{x:g}" for x in lesson.x[:10]) + (", ..." if lesson.n_points > 10 else "")
    ys = ", ".join(str(int(y)) for y in lesson.y[:10]) + (", ..." if lesson.n_points > 10 else "")
    return film.word("snippet", xs=xs, ys=ys, C=f"{lesson.C}" if lesson.C else "np.inf").strip("\n")


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
            paragraph_config={"font": style.fonts.code, "font_size": sizes.code},
        )

    code = block(snippet(film), "python", "window")
    output_title = film.text("output_label", size=sizes.label, colour=palette.muted)
    # What the snippet prints, from bce_core's own report (the same format as the code).
    output = block(format_report(film.lesson), "text", "rectangle")
    output_box = VGroup(output_title, output).arrange(
        DOWN, aligned_edge=LEFT, buff=layout.buff_tight
    )
    both = VGroup(code, output_box).arrange(DOWN, aligned_edge=LEFT, buff=layout.buff)
    room_height = layout.frame_height - 2 * layout.margin - layout.code_heading_room
    room_width = layout.frame_width - 2 * layout.margin
    if both.height > room_height or both.width > room_width:
        both.scale(min(room_height / both.height, room_width / both.width))
    both.move_to(layout.code_center_y * UP)
    film.say("fit", [film.set_heading(), film.clear()], FadeIn(code, shift=layout.drift * UP))
    film.say("same", [FadeIn(output_title), FadeIn(output)])
