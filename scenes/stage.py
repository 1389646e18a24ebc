"""The stage a chapter plays on: the heading in its corner, the places the layout gives
(across the frame, on the floor of the content area), and the moves that clear it or
make room on it."""

from __future__ import annotations

from collections.abc import Iterable

from manim import (
    DOWN,
    UP,
    Animation,
    FadeIn,
    FadeOut,
    FadeTransform,
    Mobject,
    Scene,
    Text,
    Transform,
    Wait,
)

from .style import Layout


class Stage:
    """The scene's screen in the film's layout. ``heading``: the chapter heading shown."""

    def __init__(self, scene: Scene, layout: Layout) -> None:
        self.scene, self.layout = scene, layout
        self.heading: Text | None = None
        self._leaving_heading: Text | None = None

    def fit_width(self, mobject: Mobject) -> Mobject:
        """Shrink ``mobject`` (never enlarge it) to fit across the frame with a margin."""
        room = self.layout.frame_width - self.layout.wide_text_margin
        if mobject.width > room:
            mobject.scale_to_fit_width(room)
        return mobject

    @staticmethod
    def resize(
        group: Mobject, scale: float, to, hidden: Iterable = (), shown: Iterable = ()
    ) -> Animation:
        """``group`` scaled by ``scale`` and moved to ``to``, its parts ``hidden`` fading
        out (too small to read at the new size) and its parts ``shown`` fading back in.
        The parts stay in the group, so a later resize brings them back."""
        target = group.copy().scale(scale).move_to(to)
        for opacity, parts in ((0.0, hidden), (1.0, shown)):
            chosen = {id(m) for part in parts for m in part.get_family()}
            for mobject, moved in zip(group.get_family(), target.get_family(), strict=True):
                if id(mobject) in chosen:
                    moved.set_opacity(opacity)
        return Transform(group, target)

    def on_floor(self, mobject: Mobject) -> Mobject:
        """Centre ``mobject`` across the frame on the floor of the content area (just
        above the caption band)."""
        area = self.layout.content_area
        return mobject.set_x(0).align_to(area.bottom * UP, DOWN)

    def set_heading(self, heading: Text) -> Animation:
        """``heading`` in the top-left corner, replacing the previous one."""
        self.fit_width(heading)
        heading.to_corner(self.layout.heading_corner, buff=self.layout.heading_buff)
        previous, self.heading = self.heading, heading
        self._leaving_heading = previous  # clear() must leave it to the FadeTransform
        if previous is None:
            return FadeIn(heading, shift=0.2 * UP)
        return FadeTransform(previous, heading)

    def clear(self, *keep: Mobject, caption: Mobject | None = None) -> Animation:
        """Fade out everything on screen except ``keep``, the heading and ``caption`` (the
        caption of the cue being said)."""
        kept = {id(m) for m in keep} | {id(self.heading), id(self._leaving_heading)}
        kept.add(id(caption))
        leaving = [m for m in self.scene.mobjects if id(m) not in kept]
        return FadeOut(*leaving) if leaving else Wait(0.01)
