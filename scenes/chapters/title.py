"""Title card: what the film is and whose article it follows."""

from manim import DOWN, UP, FadeIn, FadeOut, VGroup, Write

NAME = "title"


def play(film) -> None:
    sizes, palette = film.style.sizes, film.style.palette
    title = film.text("title", size=sizes.title)
    subtitle = film.text("subtitle", size=sizes.subtitle, colour=palette.muted)
    credit = film.text("credit", size=sizes.small, colour=palette.muted)
    credit.scale_to_fit_width(min(credit.width, film.style.layout.frame_width - 1.5))
    card = VGroup(title, subtitle).arrange(DOWN, buff=0.4).shift(0.5 * UP)
    credit.to_edge(DOWN, buff=0.8)
    first, second = film.cues()
    film.say(first, [Write(title), FadeIn(subtitle, shift=0.2 * DOWN)])
    film.say(second, FadeIn(credit))
    film.scene.play(FadeOut(card), FadeOut(credit), run_time=film.style.timing.fade)
