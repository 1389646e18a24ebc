"""Title card: what the film is and whose article it follows."""

from manim import DOWN, UP, FadeIn, FadeOut, VGroup, Write

from ..contract import Chapter

CHAPTER = Chapter("title", cues=("what", "source"))


def play(film) -> None:
    sizes, palette = film.style.sizes, film.style.palette
    # Long words take more lines, never a smaller size.
    title = film.lines("title", sizes.title)
    subtitle = film.lines("subtitle", sizes.subtitle, palette.muted)
    credit = film.on_floor(film.lines("credit", sizes.small, palette.muted))
    card = VGroup(title, subtitle).arrange(DOWN, buff=film.style.layout.buff_loose)
    card.move_to(film.style.layout.content_area.center).shift(film.style.layout.title_lift * UP)
    film.say("what", [Write(title), FadeIn(subtitle, shift=film.style.layout.drift * DOWN)])
    film.say("source", FadeIn(credit))
    film.scene.play(FadeOut(card), FadeOut(credit), run_time=film.style.timing.fade)
