"""Captions burnt into the picture: a cue's words drawn as pages in the caption band, each
page up while its time has come and not gone, turned while the cue's steps play and while
the film holds the cue. The lines and the pages' times are ``scenes.captions``'."""

from __future__ import annotations

from manim import DOWN, UP, Animation, Scene, VGroup, linear

from .captions import CaptionPage, paginate, wrap
from .screen_words import plain_text
from .style import Style


def show_pages_at(drawn: VGroup, pages: list[CaptionPage], t: float, until: float = 1e9) -> None:
    """Show the page of ``pages`` (drawn, one for one, in ``drawn``) that is up ``t``
    seconds into the cue, and none from ``until`` on."""
    for page_drawn, page in zip(drawn, pages, strict=True):
        visible = page.start <= t < min(page.end if page is not pages[-1] else 1e9, until)
        page_drawn.set_opacity(1.0 if visible else 0.0)


class _TurnPages(Animation):
    """Shows each page of a caption while its time has come and not gone: played beside
    a cue's steps, so a page turns (or the caption goes) within a step if it must.

    It holds the drawn caption and its pages, nothing more: Manim's cache (on in a plain
    manim run) hashes everything an animation holds, in the order of their names (keep
    this one: another would sort it elsewhere in a play call and change the keys of
    every captioned cue)."""

    def __init__(
        self,
        caption: VGroup,
        pages: list[CaptionPage],
        offset: float,
        run_time: float,
        until: float | None,
    ) -> None:
        super().__init__(caption, run_time=max(run_time, 1e-3), rate_func=linear)
        self.pages, self.offset = pages, offset
        self.until = 1e9 if until is None else until  # None: up while the steps play

    def interpolate_mobject(self, alpha: float) -> None:
        show_pages_at(self.mobject, self.pages, self.offset + alpha * self.run_time, self.until)


class ShownCaption:
    """A cue's caption on screen: its pages, all drawn, one shown at a time."""

    def __init__(self, drawn: VGroup, pages: list[CaptionPage]) -> None:
        self.drawn, self.pages = drawn, pages

    def show_at(self, t: float, until: float = 1e9) -> None:
        """Show the page that is up ``t`` seconds into the cue (none from ``until`` on)."""
        show_pages_at(self.drawn, self.pages, t, until)

    def turning(self, offset: float, run_time: float, until: float | None) -> _TurnPages:
        """The pages turning from ``offset`` seconds into the cue, for ``run_time``
        seconds, gone at ``until`` (None: up for all of it)."""
        return _TurnPages(self.drawn, self.pages, offset, run_time, until)

    def turns(self, gone: float) -> set[float]:
        """When the caption changes, in seconds into the cue: a page turns, or at
        ``gone`` it goes."""
        return {page.start for page in self.pages[1:]} | {gone}


class BurntCaptions:
    """The caption band of a film whose captions are burnt in: ``put_up`` a cue's caption,
    ``take_down`` when its time is over. ``shown``: the caption on screen, if any."""

    def __init__(self, scene: Scene, style: Style) -> None:
        self.scene, self.style = scene, style
        self.shown: ShownCaption | None = None

    def pages(self, text: str, duration: float) -> list[CaptionPage]:
        """A cue's words as caption pages that fit the band, over ``duration`` seconds."""
        style = self.style
        width = style.layout.caption_band.width
        return paginate(wrap(text, width, style.fonts.text, style.sizes.caption), duration)

    def draw_page(self, page: CaptionPage) -> VGroup:
        """One page drawn: its lines centred, in the caption band."""
        style, layout = self.style, self.style.layout
        lines = VGroup(*(plain_text(style, line, style.sizes.caption) for line in page.lines))
        lines.arrange(DOWN, buff=layout.caption_line_gap)
        band = layout.caption_band
        if layout.caption_at_top:
            lines.move_to(band.center).align_to(band.top * UP, UP).shift(
                layout.caption_padding * DOWN
            )
        else:
            lines.move_to(band.center).align_to(band.bottom * UP, DOWN).shift(
                layout.caption_padding * UP
            )
        return lines

    def put_up(self, text: str, duration: float) -> ShownCaption:
        """The caption of a cue whose words are up for ``duration`` seconds, on screen
        with its first page shown."""
        pages = self.pages(text, duration)
        caption = ShownCaption(VGroup(*(self.draw_page(page) for page in pages)), pages)
        caption.show_at(0.0)
        self.shown = caption
        self.scene.add(caption.drawn)
        return caption

    def take_down(self) -> None:
        """The caption on screen off it."""
        if self.shown is not None:
            self.scene.remove(self.shown.drawn)
            self.shown = None
