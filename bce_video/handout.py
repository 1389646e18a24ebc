"""``bce-video handout``: the film on paper. Per chapter, its heading, its still at its
fullest and its narration, every cue with its time in the film, in the film's language
and theme, written beside the film::

    <stem>.handout.html   the handout as a page, with a print stylesheet
    <stem>.handout/       its stills, one JPEG per chapter (01-title.jpg ...)
    <stem>.handout.pdf    the same page printed (WeasyPrint), the stills inside

A view of the timeline like the page: the headings, the cues' words and times come from
what the render wrote (``.chapters.json``, ``.chapters.vtt``, ``.vtt``), never derived
again, so the words are the captions' and the numbers the data's.

**The still at its fullest.** A chapter's still is the frame just before the end of the
cue after which its content covers the most of the content area (the box around what is
shown, headings and captions aside), as ``bce-video check`` measures it: the render
measures each screen as it draws it and writes the chosen cue into ``.chapters.json``
(``fullest_cue``), which the handout reads (``bce_video.stills.still_time``). The
page's thumbnails are taken at the same moment. In four chapters it is not the last
cue's end: the formula and the code fade out on their chapter's last cue, and
back_to_formula ends on the formula alone, after the sums and the points' distributions
that explain it.

The PDF is made by WeasyPrint (BSD-3-Clause), an optional extra (``pip install
'bce-video[handout]'``): it lays out HTML and CSS through Pango, which the film already
needs, with the film's own font. Nothing from the user's data becomes markup: every word
is escaped into the HTML.
"""

from __future__ import annotations

import html
import json
import logging
import shutil
import tempfile
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path

from bce_film.options import FilmOptions
from bce_film.timeline import ChapterSpan, Timeline
from bce_voice.files import written_atomically
from scenes.style import Fonts
from scenes.words import load_words

from .page import page_colours, read_cues
from .request import RenderedFilm
from .stills import frames_at, still_time, thumbnail_name

#: The handout's stylesheet (screen and print), inlined into its HTML.
STYLESHEET = "handout.css"
#: WeasyPrint's logger of its steps (weasyprint.logger.PROGRESS_LOGGER's name).
PROGRESS_LOGGER = "weasyprint.progress"
#: How to get the PDF's maker, said when it is missing.
INSTALL = "pip install 'bce-video[handout]'"
#: A still is a frame of the film at its own size; JPEG keeps a handout of the whole film
#: at 1080p to a few MB (PNG: several times that, for frames the codec has already
#: softened).
STILL_QUALITY = 90
#: Between a chapter's start and end (0:10 to 0:26): the typeset dash of a range.
SPAN_DASH = "\N{EN DASH}"


class HandoutError(ValueError):
    """The handout cannot be made (its PDF maker is missing): bad input, exit 2."""


@dataclass(frozen=True)
class HandoutFiles:
    """What ``bce-video handout`` writes beside a film."""

    pdf: Path
    html: Path
    stills: Path  # a folder: one JPEG per chapter, named as the film's thumbnails

    @classmethod
    def of(cls, film: RenderedFilm) -> HandoutFiles:
        """The handout of the film ``film``, beside its MP4 (``<stem>.handout.pdf`` ...)."""
        folder, stem = film.movie.parent, film.movie.stem
        return cls(
            pdf=folder / f"{stem}.handout.pdf",
            html=folder / f"{stem}.handout.html",
            stills=folder / f"{stem}.handout",
        )


def check_pdf_maker() -> None:
    """WeasyPrint can be imported (with the system's Pango under it); else HandoutError,
    saying how to install it. Called before anything renders."""
    # WeasyPrint logs each step of its work (parsing its own stylesheets as it is
    # imported) as information, which the film's logging would print; its warnings show.
    logging.getLogger(PROGRESS_LOGGER).setLevel(logging.WARNING)
    try:
        import weasyprint  # noqa: F401
    except ImportError:
        raise HandoutError(
            f"the handout's PDF is made by WeasyPrint, which is not installed: {INSTALL}"
        ) from None
    except OSError as error:  # the Python package is there, a system library is not
        raise HandoutError(
            f"WeasyPrint cannot load the system's Pango ({error}); ./run installs it "
            "(libpango1.0-dev), then: " + INSTALL
        ) from None


# ------------------------------------------------------------------- the film's timeline


def read_timeline(film: RenderedFilm) -> Timeline:
    """The timeline as the render wrote it: each chapter's span and fullest cue
    (``.chapters.json``), its heading (``.chapters.vtt``) and its cues (``.vtt``: the
    captions, matched to their chapter by cue id), texts as written."""
    spans = json.loads(film.chapters.read_text(encoding="utf-8"))
    headings = {cue.id: html.unescape(cue.text) for cue in read_cues(film.chapter_track)}
    cues = read_cues(film.captions)
    chapters = []
    for span in spans:
        name = span["name"]
        own = tuple(
            replace(cue, text=html.unescape(cue.text)) for cue in cues if chapter_of(cue.id) == name
        )
        # A film rendered before the render measured its chapters has no fullest cue.
        fullest = span.get("fullest_cue")
        chapters.append(ChapterSpan(name, span["start"], span["end"], own, headings[name], fullest))
    return Timeline(tuple(chapters))


def chapter_of(cue_id: str) -> str:
    """``mean_loss.settle`` -> ``mean_loss``: a cue's id names its chapter."""
    return cue_id.partition(".")[0]


# ------------------------------------------------------------------- the HTML


def clock(seconds: float) -> str:
    """A time in the film as a viewer reads it: 0:07, 1:42, 1:02:03."""
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def handout_html(
    options: FilmOptions, timeline: Timeline, stills: dict[str, str], moments: dict[str, float]
) -> str:
    """The handout's page: a header (the film's title, what it is made from), then one
    section per chapter: its number, heading, still (``stills``: its path from the page;
    ``moments``: its time in the film) and cues, each with its start."""
    words = load_words(options.language)
    page, title = words.table["page"], words.table["title"]
    source = Path(options.data).name if options.data else page["article_data"]
    palette = page_colours(options.theme)
    colours = "".join(f"--{name}: {value}; " for name, value in palette.items())
    stylesheet = (resources.files("bce_video") / "site" / STYLESHEET).read_text(encoding="utf-8")
    # @page boxes inherit nothing from <html>: the page's own colours, spelled out.
    page_rule = f"@page {{ background: {palette['background']}; color: {palette['muted']}; }}"
    text = html.escape
    total = len(timeline.chapters)
    sections = []
    for number, chapter in enumerate(timeline.chapters, start=1):
        cues = "\n".join(
            f'      <li id="{text(cue.id)}"><span class="time">{clock(cue.start)}</span>'
            f'<span class="words">{text(cue.text)}</span></li>'
            for cue in chapter.cues
        )
        sections.append(
            f"""  <section class="chapter" id="chapter-{text(chapter.name)}">
    <p class="number">{text(page["chapter_of"].format(n=number, total=total))} \
<span class="when">{clock(chapter.start)}{SPAN_DASH}{clock(chapter.end)}</span></p>
    <h2>{text(chapter.heading)}</h2>
    <div class="shown">
    <figure>
      <img src="{text(stills[chapter.name])}" alt="{text(chapter.heading)}" \
title="{clock(moments[chapter.name])}">
    </figure>
    <ol class="cues">
{cues}
    </ol>
    </div>
  </section>"""
        )
    body = "\n".join(sections)
    # lang: BCP 47 (zh-Hans), by which screen readers read the words and Pango picks the
    # glyphs' forms; data-aspect: the layout of the stills (handout.css).
    return f"""<!doctype html>
<html lang="{text(page["language_tag"])}" data-theme="{text(options.theme)}" \
data-aspect="{text(options.aspect.replace(":", "x"))}" style="{text(colours)}\
--font: '{text(Fonts.text)}'">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{text(title["title"])}</title>
<meta name="description" content="{text(page["description"])}">
<style>
{stylesheet}
{page_rule}
</style>
</head>
<body>
<header>
  <h1>{text(title["title"])}</h1>
  <p class="subtitle">{text(title["subtitle"])}</p>
  <p>{text(page["description"])}</p>
  <p class="muted">{text(page["data"].format(source=source))} {text(title["credit"])}</p>
</header>
<main>
{body}
</main>
</body>
</html>
"""


# ------------------------------------------------------------------- the handout


def write_handout(options: FilmOptions, film: RenderedFilm) -> HandoutFiles:
    """The handout of ``film`` (rendered with ``options``) beside it: the stills, the
    HTML, then the PDF, each appearing whole at its path, the PDF last."""
    check_pdf_maker()
    from weasyprint import HTML

    targets = HandoutFiles.of(film)
    timeline = read_timeline(film)
    moments = {c.name: still_time(c) for c in timeline.chapters}
    names = {c.name: thumbnail_name(i, c) for i, c in enumerate(timeline.chapters)}
    frames = frames_at(film.movie, [moments[c.name] for c in timeline.chapters])
    out = targets.pdf.parent
    with tempfile.TemporaryDirectory(prefix=".bce-handout-", dir=out) as scratch:
        scratch_dir = Path(scratch)
        stills = scratch_dir / targets.stills.name
        stills.mkdir()
        for chapter, frame in zip(timeline.chapters, frames, strict=True):
            still = stills / names[chapter.name]
            frame.convert("RGB").save(still, quality=STILL_QUALITY, optimize=True)
        paths = {name: f"{stills.name}/{still}" for name, still in names.items()}
        page = scratch_dir / targets.html.name
        page.write_text(handout_html(options, timeline, paths, moments), encoding="utf-8")
        # Tagged (headings, lists, figures with their alt text, the language): a screen
        # reader reads the PDF as it reads the page. (WeasyPrint 62 has no such option, and
        # passes over it.)
        HTML(filename=str(page)).write_pdf(scratch_dir / targets.pdf.name, pdf_tags=True)
        for made, target in (
            (stills, targets.stills),
            (page, targets.html),
            (scratch_dir / targets.pdf.name, targets.pdf),
        ):
            with written_atomically(target) as part:
                shutil.move(str(made), str(part))
    return targets
