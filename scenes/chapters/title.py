"""Title card: what the film is and whose article it follows."""

from manim import DOWN, UP, FadeIn, FadeOut, VGroup, Write

from ..contract import Chapter

CHAPTER = Chapter("title", cues=("what", "source"))


def play(film) -> None:
    sizes, palette = film.style.sizes, film.style.palette
    title = film.fit_width(film.text("title", size=sizes.title))
    subtitle = film.fit_width(film.text("subtitle", size=sizes.subtitle, colour=palette.muted))
    credit = film.text("credit", size=sizes.small, colour=palette.muted)
    film.fit_width(credit)
    card = (
        VGroup(title, subtitle)
        .arrange(DOWN, buff=film.style.layout.buff)
        .shift(film.style.layout.title_lift * UP)
    )
    credit.to_edge(DOWN, buff=film.style.layout.credit_edge_buff)
    film.say("what", [Write(title), FadeIn(subtitle, shift=film.style.layout.drift * DOWN)])
    film.say("source", FadeIn(credit))
    film.scene.play(FadeOut(card), FadeOut(credit), run_time=film.style.timing.fade)
