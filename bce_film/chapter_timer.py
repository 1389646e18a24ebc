"""The chapters as they were rendered, timed and measured while the film plays: the
timeline's input, in a single-process render (``FilmScene``) and in each worker of a
parallel one."""

from __future__ import annotations

from scenes.narration import chapter_headings

from .preflight import Screen, fullest_cue, look
from .timeline import CueSpan, RenderedChapter, Timeline, assemble_timeline


class ChapterTimer:
    """``start(film)`` and ``end(film)`` around each chapter, ``cue_end(film, cue)`` after
    each cue (play_chapters' hooks)."""

    def __init__(self) -> None:
        self.rendered: list[RenderedChapter] = []  # the chapters rendered, in film order
        self._mark: tuple[float, int, int, float] | None = None
        self._screens: list[Screen] = []  # the chapter's, after each of its cues
        self._headings: dict[str, str] | None = None

    def start(self, film) -> None:
        scene = film.scene
        subtitles = len(scene.renderer.file_writer.subcaptions)
        self._mark = (scene.time, subtitles, len(film.said), film.skipped_time)
        self._screens = []

    def cue_end(self, film, cue) -> None:
        """The screen after a rendered chapter's cue, measured as the preflight measures
        it, where its mobjects already are (a skipped chapter has no stills)."""
        if film.rendered:
            self._screens.append(look(film, cue.id))

    def end(self, film) -> RenderedChapter:
        """The chapter just played: its length in scene time and, if rendered, its cues
        timed from its own start in the rendered video (skipped chapters are not in it)
        and its fullest cue."""
        assert self._mark is not None, "end() without start()"
        started, subtitles, said, skipped = self._mark
        scene = film.scene
        seconds = scene.time - started
        if not film.rendered:  # skipped: no subtitles, not in the video
            return RenderedChapter(film.chapter, seconds, ())
        # A rendered chapter's subtitles are its said cues, one for one.
        start = started - skipped
        cues = tuple(
            CueSpan(
                cue.id,
                subtitle.content,
                subtitle.start.total_seconds() - start,
                subtitle.end.total_seconds() - start,
            )
            for cue, subtitle in zip(
                film.said[said:], scene.renderer.file_writer.subcaptions[subtitles:], strict=True
            )
        )
        fullest = fullest_cue(self._screens, film.style.layout)
        chapter = RenderedChapter(film.chapter, seconds, cues, self._heading(film), fullest)
        self.rendered.append(chapter)
        return chapter

    def _heading(self, film) -> str:
        if self._headings is None:
            self._headings = chapter_headings(film.lesson, film.words, film.style)
        return self._headings[film.chapter]

    def timeline(self) -> Timeline:
        return assemble_timeline(self.rendered)
