"""The article's "show me the code": scikit-learn in a few lines, and what it prints."""

from manim import DOWN, LEFT, UP, Code, FadeIn, Text, VGroup, Write

from bce_core.cli import format_report

NAME = "code"


def snippet(film) -> str:
    lesson = film.lesson
    xs = ", ".join(f"{x:g}" for x in lesson.x[:10]) + (", ..." if lesson.n_points > 10 else "")
    ys = ", ".join(str(int(y)) for y in lesson.y[:10]) + (", ..." if lesson.n_points > 10 else "")
    return film.word("snippet", xs=xs, ys=ys, C=f"{lesson.C}" if lesson.C else "np.inf").strip("\n")


def play(film) -> None:
    style = film.style
    sizes, palette, layout = style.sizes, style.palette, style.layout
    code = Code(
        code_string=snippet(film),
        language="python",
        formatter_style=palette.code_style,
        add_line_numbers=False,
        background="window",
        paragraph_config={"font": style.fonts.code, "font_size": sizes.code},
    )
    output_title = film.text("output_label", size=sizes.label, colour=palette.muted)
    output = Text(format_report(film.lesson), font=style.fonts.code, font_size=sizes.code)
    output.set_color(palette.ink)
    output_box = VGroup(output_title, output).arrange(DOWN, aligned_edge=LEFT, buff=0.2)
    layout_group = VGroup(code, output_box).arrange(DOWN, aligned_edge=LEFT, buff=0.35)
    layout_group.scale_to_fit_height(min(layout_group.height, layout.frame_height - 1.9))
    layout_group.move_to(0.35 * DOWN)
    first, second = film.cues()
    film.say(first, [film.set_heading(), film.clear()], FadeIn(code, shift=0.2 * UP))
    film.say(second, [FadeIn(output_title), Write(output)])
    film.stage.chart = film.stage.bars = None
    film.stage.extras.clear()
    film.stage.extras["code"] = layout_group
