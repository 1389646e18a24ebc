"""``bce-video page``: the films and one web page to watch, embed and present them, in a
self-contained folder (no CDN, no build step) that works from ``file://`` and from any
static host::

    site/
      index.html     the player, the chapter list, the transcript, the embed snippet and
                     the downloads
      embed.html     the player alone, for an <iframe>
      presenter.html the presenter view: the chapter's narration as notes, the next
                     chapter, the clocks and the controls, on the teacher's screen while
                     index.html plays on the projector (the windows talk through a
                     BroadcastChannel, and through postMessage where pages from file://
                     share none)
      lab.html       the lab beside the film (bce_video/lab.py): drag the curve, watch
                     every loss answer, with the core's numbers
      assets/        player.js, player.css, link.js (the windows' line), presenter.js,
                     presenter.css (bce_video/site/), page-data.js (the films),
                     lab.js, lab.css, lab-data.js and lab-golden.js (the lab's)
      bce-en-dark/   one folder per film: film.mp4, poster.png, thumbnails/, film.srt,
                     captions.<lang>.vtt (each rendered language on this film's times),
                     chapters.vtt, script.txt, transcript.txt (every cue's time and words)

A batch's site (``bce-video page --batch DIR``: ``build_batch_page``) is the same page
with a film picker over every film the batch made, a film being its languages (the same
options but the language, so that the language buttons switch between them)::

    site/
      index.html     the player and the picker: ?film=<id>&lang=<lang> says what it shows
      embed.html     the player alone, for an <iframe>, as ?film= and ?lang= say
      presenter.html the presenter view, which follows the film picked in index.html (the
                     film's window says which, with its state): one folder for both
                     windows, so that they share one BroadcastChannel (link.js names it by
                     the folder)
      assets/        the page's scripts and page-data.js (every film, each with its "choice")
      films/<id>/    one folder per film: its languages' folders (as above, each with its
                     handout.pdf with --handout), and its own lab.html and assets/ (the lab
                     reads one film's data, from that folder's page-data.js); its index.html
                     leads back to the site's page showing this film (the lab's way back)

The page reads only what the renders wrote (their WebVTT captions and chapters, stills and
MP4): the timeline's views. The transcript, the presenter's notes and transcript.txt are the
film's own caption cues (each chapter's, by cue id), the same cues its caption track shows:
no view re-derives a time. A caption track in another language is that language's words
put on this film's cue times by cue id, the joint every view of a cue shares.

Nothing from the user's data becomes markup: class names and the data file's name reach
the page as JSON that the script inserts as text, or as WebVTT cue text escaped by
``output.vtt_text``; the few values in the HTML are escaped. Caption tracks are given to
the video as blob: URLs made from that data, because Chromium refuses to load a
``<track src>`` file over ``file://``.
"""

from __future__ import annotations

import contextlib
import html
import json
import os
import shutil
import string
from collections.abc import Iterator
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from urllib.parse import quote, urlsplit

import webvtt

from bce_core import Lesson
from bce_film.options import FilmOptions
from bce_film.timeline import CueSpan
from bce_voice.files import written_atomically
from scenes.style import PALETTES
from scenes.words import load_words

from .batch import PATH_OPTIONS, RecordedFilm, film_name
from .lab import CHAPTER_STATES, LAB_ASSETS, write_lab
from .output import compose_vtt
from .request import RenderedFilm

#: The page's own files, copied as they are (bce_video/site/).
ASSETS = ("player.js", "player.css", "link.js", "presenter.js", "presenter.css")
#: Of those, what a batch film's lab.html, in the film's folder, takes: the page's styles.
LAB_PAGE_ASSETS = ("player.css",)
#: The site's pages from page.html: the whole page, and the player alone (for an iframe).
PAGES = {"index.html": "page", "embed.html": "embed"}
#: The presenter view, its own template.
PRESENTER = "presenter.html"
#: A batch's site: each film (its languages) in a folder of its own under this one.
BATCH_FILMS = "films"
#: A batch film's folder's index.html: the way back from its lab (index.html?lang=..#t=..)
#: is the site's page, showing this film, at the same language and time.
BACK_TO_THE_PICKER = string.Template(
    """<!doctype html>
<html lang="$lang">
<meta charset="utf-8">
<title>$title</title>
<script>
  const query = new URLSearchParams(location.search);
  query.set("film", $film);
  location.replace("../../index.html?" + query + location.hash);
</script>
<p><a href="../../index.html?film=$film_query">$title</a></p>
</html>
"""
)


@dataclass(frozen=True)
class PageFilm:
    """One rendered film and what the page says of it."""

    options: FilmOptions
    rendered: RenderedFilm
    script: str  # the narration script as text (``bce-video script``)
    handout: Path | None = None  # its PDF handout (``bce-video page --handout``), if made


@dataclass(frozen=True)
class PageChoice:
    """One film of a batch's site, as its picker offers it: its id (its folder and
    ?film=), what tells it from the others (besides its data's name, which the page
    shows in the viewer's language), and its languages."""

    id: str
    differs_by: list[str]  # "aspect 9:16", "theme light", ...
    films: list[PageFilm]


def read_cues(path: Path) -> list[CueSpan]:
    """The cues of a WebVTT file, with their ids and their text as written (WebVTT cue
    text, escaped)."""
    return [
        CueSpan(
            caption.identifier or "",
            caption.raw_text,
            _seconds(caption.start),
            _seconds(caption.end),
        )
        for caption in webvtt.read(str(path))
    ]


def _seconds(stamp: str) -> float:
    """HH:MM:SS.mmm (or MM:SS.mmm) in seconds."""
    seconds = 0.0
    for part in stamp.split(":"):
        seconds = seconds * 60 + float(part)
    return seconds


def on_times_of(film_cues: list[CueSpan], words: list[CueSpan]) -> list[CueSpan]:
    """``words``' texts on ``film_cues``' times, matched by cue id (a cue whose id the
    other language lacks is left out)."""
    texts = {cue.id: cue.text for cue in words}
    return [replace(cue, text=texts[cue.id]) for cue in film_cues if cue.id in texts]


class PageError(ValueError):
    """The page cannot be written where it was asked to be."""


def check_site(site: Path) -> None:
    """``site`` may be replaced: it does not exist, is empty, or is a page this command
    wrote (never a folder of the user's that happens to be named)."""
    site = Path(site)
    if not site.exists():
        return
    if not site.is_dir():
        raise PageError(f"--site {site}: is a file, expected a folder for the page")
    ours = (site / "index.html").is_file() and (site / "assets" / "page-data.js").is_file()
    if not ours and any(site.iterdir()):
        raise PageError(
            f"--site {site}: the folder holds files that are not a page bce-video wrote; "
            "the page replaces its folder whole, so choose a new or empty folder"
        )


def check_base_url(url: str) -> str:
    """The address the site will be published at, as an absolute http(s) URL ending in
    "/" (the embed snippet's iframe is made relative to it), else bad input."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise PageError(
            f"--base-url {url!r}: expected the published folder's address, as "
            "https://example.org/course/bce/"
        )
    return url if url.endswith("/") else url + "/"


@contextlib.contextmanager
def _new_site(site: Path) -> Iterator[Path]:
    """An empty folder to write the site in, which replaces ``site`` whole once the block
    ends without an error (``site`` must be a page's folder or not be there)."""
    site = Path(site)
    check_site(site)
    site.parent.mkdir(parents=True, exist_ok=True)
    with written_atomically(site) as staging:
        staging.mkdir()
        yield staging


def build_page(films: list[PageFilm], site: Path, base_url: str | None = None) -> Path:
    """Write the site for ``films`` (the first one's language and look lead) into
    ``site``, replacing it whole once complete; returns the index page's path.
    ``base_url``: where the site will be published (``check_base_url``), for the embed
    snippet; None: where the page is opened from (a placeholder from a file)."""
    if not films:
        raise ValueError("a page needs at least one film")
    with _new_site(site) as staging:
        data = _write_films(films, staging)
        data["base_url"] = base_url
        _write_assets(staging)
        _write_pages(staging, data, PAGES)
        _write_pages(staging, data, {PRESENTER: "presenter"}, template=PRESENTER)
        write_lab_page(staging, data, films[0].options.lesson())
    return Path(site) / "index.html"


def build_batch_page(choices: list[PageChoice], site: Path, base_url: str | None = None) -> Path:
    """Write a batch's site, its page with a film picker over ``choices`` (the first
    leads), into ``site``, replacing it whole once complete; returns the index page's
    path. ``base_url`` as for build_page."""
    if not choices:
        raise ValueError("a page needs at least one film")
    with _new_site(site) as staging:
        assets = _write_assets(staging)
        entries, offered = [], []
        for choice in choices:
            folder = staging / BATCH_FILMS / choice.id
            folder.mkdir(parents=True)
            data = _write_films(choice.films, folder)
            data["base_url"] = base_url
            # The lab of this film, from its folder, on its data. (Its presenter view is
            # the site's: the picker can change the film under it.)
            (folder / "assets").mkdir()
            for name in LAB_PAGE_ASSETS:
                _link_or_copy(assets / name, folder / "assets" / name)
            write_page_data(folder / "assets", data)
            write_lab_page(folder, data, choice.films[0].options.lesson())
            (folder / "index.html").write_text(_back_to_the_picker(data, choice.id), "utf-8")
            href = f"{BATCH_FILMS}/{choice.id}/"
            entries += [{**rebased(entry, href), "choice": choice.id} for entry in data["films"]]
            offered.append(
                {
                    "id": choice.id,
                    "differs_by": choice.differs_by,
                    "folder": href,
                    "theme": data["theme"],
                    "aspect": data["aspect"],
                    "colours": data["colours"],
                }
            )
        lead = offered[0]
        data = {
            "theme": lead["theme"],
            "aspect": lead["aspect"],
            "colours": lead["colours"],
            "films": entries,
            "choices": offered,
            "base_url": base_url,
        }
        _write_pages(staging, data, PAGES)
        _write_pages(staging, data, {PRESENTER: "presenter"}, template=PRESENTER)
    return Path(site) / "index.html"


def batch_choices(made: list[tuple[RecordedFilm, PageFilm]]) -> list[PageChoice]:
    """A batch's films as its page's picker offers them, in batch.json's order: those
    whose options are the same but the language are one film (its languages), told from
    the others by each option (but the language and the data, which the page names) whose
    value is not the same for all; its id is batch.film_name's name of those options."""
    groups: dict[str, list[tuple[RecordedFilm, PageFilm]]] = {}
    for recorded, film in made:
        groups.setdefault(_options_key(recorded.options), []).append((recorded, film))
    given = [recorded.options for recorded, _ in made]
    keys = dict.fromkeys(key for options in given for key in options)
    differing = {
        key
        for key in keys
        if key != "lang" and len({_options_key({key: o.get(key)}) for o in given}) > 1
    }
    choices, ids = [], set()
    for group in groups.values():
        options = {key: v for key, v in group[0][0].options.items() if key != "lang"}
        name = film_name(options, named_by=differing)
        unique, number = name, 1
        while unique in ids:  # two names alike once made a folder's (a-b.csv, a b.csv)
            number += 1
            unique = f"{name}-{number}"
        ids.add(unique)
        differs_by = [
            f"{key} {_option_text(key, value)}"
            for key, value in options.items()
            if key in differing and key != "data"
        ]
        choices.append(PageChoice(unique, differs_by, [film for _, film in group]))
    return choices


def _options_key(options: dict) -> str:
    """Options as one comparable string (the language left out)."""
    return json.dumps({k: v for k, v in options.items() if k != "lang"}, sort_keys=True)


def _option_text(key: str, value: object) -> str:
    """An option's value as the picker says it: a path by its name, a list joined."""
    if key in PATH_OPTIONS:
        return Path(str(value)).name
    if isinstance(value, list):
        return " + ".join(map(str, value))
    return str(value).lower() if isinstance(value, bool) else str(value)


def _write_assets(site: Path) -> Path:
    """The page's own files (ASSETS) into ``site``'s assets/, which this makes."""
    assets = site / "assets"
    assets.mkdir()
    source = resources.files("bce_video") / "site"
    for name in ASSETS:
        (assets / name).write_bytes((source / name).read_bytes())
    return assets


def _write_pages(
    folder: Path, data: dict, pages: dict[str, str], template: str = "page.html"
) -> None:
    """``data`` as ``folder``'s assets/page-data.js, and each of ``pages`` (its name: its
    kind) from ``template`` (bce_video/site/)."""
    write_page_data(folder / "assets", data)
    source = resources.files("bce_video") / "site" / template
    html_template = string.Template(source.read_text(encoding="utf-8"))
    for name, kind in pages.items():
        (folder / name).write_text(_page_html(html_template, data, kind), encoding="utf-8")


def rebased(entry: dict, href: str) -> dict:
    """A film's entry in the page data (_film_entry) with each of its paths (relative to
    the folder its films were written into) made relative to ``href``'s parent instead."""
    return {
        **entry,
        "video": href + entry["video"],
        "poster": href + entry["poster"],
        "chapters": [
            {**chapter, "thumbnail": href + chapter["thumbnail"]} for chapter in entry["chapters"]
        ],
        "downloads": [{**file, "href": href + file["href"]} for file in entry["downloads"]],
    }


def _back_to_the_picker(data: dict, film: str) -> str:
    lead = data["films"][0]
    return BACK_TO_THE_PICKER.substitute(
        lang=html.escape(lead["words"]["language_tag"]),
        title=html.escape(lead["title"]),
        # The id is a folder's name (batch.film_name: letters, digits, _.+-), as a JSON
        # string in the script and a query value in the link.
        film=json.dumps(film),
        film_query=html.escape(quote(film)),
    )


def write_page_data(assets: Path, data: dict) -> None:
    """assets/page-data.js: the page's data, as the script both pages load."""
    (assets / "page-data.js").write_text(
        f"window.BCE_PAGE = {json.dumps(data, ensure_ascii=False, indent=1)};\n",
        encoding="utf-8",
    )


def write_lab_page(site: Path, data: dict, lesson: Lesson) -> None:
    """lab.html and its assets (lab.js, lab.css, lab-data.js, lab-golden.js) into
    ``site``, beside the page whose data (page-data.js) is ``data``: its words, chapters
    and colours; ``lesson`` is the films' numbers."""
    source = resources.files("bce_video") / "site"
    assets = site / "assets"
    for name in LAB_ASSETS:
        (assets / name).write_bytes((source / name).read_bytes())
    languages = [film["language"] for film in data["films"]]
    write_lab(assets, lesson, languages, data["theme"], data["aspect"])
    template = string.Template((source / "lab.html").read_text(encoding="utf-8"))
    (site / "lab.html").write_text(_page_html(template, data, "lab-page"), encoding="utf-8")


def page_colours(theme: str) -> dict[str, str]:
    """The page's colours (CSS variables on <html>): the film's palette."""
    palette = PALETTES[theme]
    return {
        "background": palette.background,
        "ink": palette.ink,
        "muted": palette.muted,
        "accent": palette.highlight,
        "loss": palette.loss,
        # The lab's marks (3:1) and the words drawn in their colours (4.5:1).
        "positive": palette.positive,
        "negative": palette.negative,
        "positive-text": palette.text.positive,
        "negative-text": palette.text.negative,
        "loss-text": palette.text.loss,
    }


def _write_films(films: list[PageFilm], site: Path) -> dict:
    """Each film's files in its folder, and the page's data about them."""
    captions = {film.options.language: read_cues(film.rendered.captions) for film in films}
    names = {
        film.options.language: load_words(film.options.language).table["page"]["language_name"]
        for film in films
    }
    lead = films[0].options
    entries = []
    for film in films:
        rendered, language = film.rendered, film.options.language
        folder = site / rendered.movie.stem
        folder.mkdir()
        _link_or_copy(rendered.movie, folder / "film.mp4")
        _link_or_copy(rendered.poster, folder / "poster.png")
        shutil.copytree(rendered.thumbnails, folder / "thumbnails")
        _link_or_copy(rendered.subtitles, folder / "film.srt")
        _link_or_copy(rendered.chapter_track, folder / "chapters.vtt")
        if film.handout is not None:
            _link_or_copy(film.handout, folder / "handout.pdf")
        (folder / "script.txt").write_text(film.script, encoding="utf-8")
        transcript = transcript_text(film, captions[language])
        (folder / "transcript.txt").write_text(transcript, encoding="utf-8")
        tracks = []
        for other, words in captions.items():  # the film's own language first
            track = compose_vtt(on_times_of(captions[language], words))
            (folder / f"captions.{other}.vtt").write_text(track, encoding="utf-8")
            tracks.append({"language": other, "label": names[other], "vtt": track})
        tracks.sort(key=lambda track: track["language"] != language)
        entries.append(_film_entry(film, folder.name, tracks, captions[language], transcript))
    return {
        "theme": lead.theme,
        "aspect": lead.aspect,
        "colours": page_colours(lead.theme),
        "films": entries,
    }


def chapter_cues(chapter: str, cues: list[CueSpan]) -> list[CueSpan]:
    """The cues of ``chapter``, by their ids (``chapter.cue``), in the film's order."""
    return [cue for cue in cues if cue.id.split(".", 1)[0] == chapter]


def transcript_text(film: PageFilm, cues: list[CueSpan]) -> str:
    """The film's narration as text, chapter by chapter under its heading, each cue after
    its time on the film (m:ss): ``cues`` are the film's caption cues, as the page's
    transcript shows them."""
    words = load_words(film.options.language).table
    out = [words["title"]["title"], words["page"]["transcript"]]
    for index, chapter in enumerate(read_cues(film.rendered.chapter_track)):
        heading = html.unescape(chapter.text)
        out.append(f"\n{index + 1}. {heading}  [{clock(chapter.start)}]\n")
        out += [
            f"{clock(cue.start)}  {html.unescape(cue.text)}"
            for cue in chapter_cues(chapter.id, cues)
        ]
    return "\n".join(out) + "\n"


def clock(seconds: float) -> str:
    """m:ss (h:mm:ss from an hour), as the page shows a time: whole seconds, rounded
    down, so that a cue's time is never after its start."""
    whole = max(0, int(seconds))
    hours, minutes, secs = whole // 3600, whole // 60 % 60, whole % 60
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _film_entry(
    film: PageFilm, folder: str, tracks: list[dict], cues: list[CueSpan], transcript: str
) -> dict:
    import av

    from bce_voice.soundtrack import frame_rate, video_length

    rendered, words = film.rendered, load_words(film.options.language)
    page = dict(words.table["page"])
    with av.open(str(rendered.movie)) as container:
        stream = container.streams.video[0]
        rate = float(frame_rate(stream))
        width, height = stream.width, stream.height
        duration = float(video_length(stream))
    chapter_list = read_cues(rendered.chapter_track)
    thumbnails = sorted(path.name for path in rendered.thumbnails.iterdir())
    chapters = [
        {
            "name": cue.id,
            "heading": html.unescape(cue.text),  # the page inserts it as text
            "start": cue.start,
            "end": cue.end,
            "thumbnail": f"{folder}/thumbnails/{thumbnail}",
            # The lab's state this chapter's picture shows, if it shows one.
            "lab": CHAPTER_STATES.get(cue.id),
            # Its narration: the film's caption cues (the transcript, the notes), as text.
            "cues": [
                {
                    "id": spoken.id,
                    "start": spoken.start,
                    "end": spoken.end,
                    "text": html.unescape(spoken.text),
                }
                for spoken in chapter_cues(cue.id, cues)
            ],
        }
        for cue, thumbnail in zip(chapter_list, thumbnails, strict=True)
    ]
    data = film.options.data
    source = Path(data).name if data else page["article_data"]
    stem, language = rendered.movie.stem, film.options.language
    files = (  # label, name in the site, name when downloaded, the file or its text
        ("download_film", "film.mp4", f"{stem}.mp4", rendered.movie),
        ("download_subtitles", "film.srt", f"{stem}.srt", rendered.subtitles),
        ("download_captions", f"captions.{language}.vtt", f"{stem}.vtt", rendered.captions),
        ("download_chapters", "chapters.vtt", f"{stem}.chapters.vtt", rendered.chapter_track),
        ("download_script", "script.txt", f"{stem}.script.txt", film.script),
        ("download_transcript", "transcript.txt", f"{stem}.transcript.txt", transcript),
        ("download_poster", "poster.png", f"{stem}.poster.png", rendered.poster),
    )
    if film.handout is not None:
        files += (("download_handout", "handout.pdf", f"{stem}.handout.pdf", film.handout),)
    downloads = [
        {
            "label": page[label],
            "href": f"{folder}/{name}",
            "file": saved_as,
            "bytes": len(path.encode()) if isinstance(path, str) else path.stat().st_size,
        }
        for label, name, saved_as, path in files
    ]
    return {
        "language": film.options.language,
        "title": words.table["title"]["title"],
        "words": page,
        "source": source,
        "video": f"{folder}/film.mp4",
        "poster": f"{folder}/poster.png",
        "width": width,
        "height": height,
        "frame_rate": rate,
        "duration": duration,
        # Burnt into the picture already: the film's own caption track starts off.
        "captions_in_picture": film.options.burns_captions,
        "chapters": chapters,
        "tracks": tracks,
        "downloads": downloads,
    }


def _page_html(template: string.Template, data: dict, kind: str) -> str:
    """The page's HTML: the first film's title, language, look and video, escaped; the
    rest is filled in by player.js from page-data.js."""
    film = data["films"][0]
    colours = "; ".join(f"--{name}: {value}" for name, value in data["colours"].items())
    values = {
        "lang": film["words"]["language_tag"],  # BCP 47: zh-Hans, read as Chinese
        "theme": data["theme"],
        "aspect": data["aspect"].replace(":", "x"),
        "kind": kind,
        "colours": colours,
        "title": film["title"],
        "description": film["words"]["description"],
        "video": film["video"],
        "poster": film["poster"],
    }
    return template.substitute({key: html.escape(str(value)) for key, value in values.items()})


def _link_or_copy(source: Path, target: Path) -> None:
    """A hard link where the file system allows (a film is tens of MB), else a copy. A
    later render replaces its files by renaming, so the site's copy stays as it was."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)
