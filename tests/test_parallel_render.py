"""bce-video's fast render: chapters shared out between worker processes, joined without
re-encoding into the same film a single ``manim scenes/bce.py`` process makes; a film
cache and a chapter cache for re-renders; an encoder that pays for held frames once.

The tests marked ``render`` render the film (about 3 minutes in all, beside the film
test's own render, which they compare with).
"""

from __future__ import annotations

import configparser
import hashlib
import itertools
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest
from film_helpers import encoder_spec, parse_srt, read_sections, run_bce_video
from hypothesis import given, settings
from hypothesis import strategies as st
from paths import REPO_ROOT

from bce_film.encoding import (
    DRAFT_ENCODER_OPTIONS,
    FINAL_ENCODER_OPTIONS,
    HeldFrameEncoder,
)
from bce_film.options import FilmOptions
from bce_film.pieces import remove_unfinished_pieces
from bce_film.timeline import CueSpan, RenderedChapter, assemble_timeline
from bce_video.executors import LocalPool
from bce_video.film_cache import (
    chapter_code_fingerprint,
    chapter_key,
    film_key,
    source_fingerprint,
)
from bce_video.messages import Failed, Ready
from bce_video.output import chapters_of, compose_srt, subtitles_of
from bce_video.request import RenderError, RenderRequest
from bce_video.sharing import share_out
from bce_video.worker import WorkerTask, render_worker
from bce_voice.files import unfinished_name
from scenes.chapters import ORDER

CHAPTERS = list(ORDER)


# ------------------------------------------------------------------ sharing out the work


def _loads(shares, costs):
    return [sum(costs[name] for name in share) for share in shares]


#: Chapter costs: one to a dozen chapters, each 0.5 to 20 (seconds, or any unit).
chapter_costs = st.lists(st.floats(0.5, 20, allow_nan=False), min_size=1, max_size=11).map(
    lambda values: {f"c{i}": value for i, value in enumerate(values)}
)


@given(costs=chapter_costs, jobs=st.integers(1, 6))
def test_share_out_gives_every_chapter_once_in_film_order(costs, jobs):
    names = list(costs)
    shares = share_out(costs, jobs)
    assert sorted(itertools.chain(*shares)) == sorted(names)
    assert len(shares) == min(jobs, len(names))
    assert all(shares), "a worker with nothing to do"
    for share in shares:
        assert share == sorted(share, key=names.index), "a worker must play in film order"


@settings(max_examples=60)  # each example tries every split of up to 9 chapters
@given(costs=chapter_costs.filter(lambda costs: 2 <= len(costs) <= 9))
def test_share_out_is_within_lpt_bound_of_the_best_split(costs):
    """Longest first to the least loaded: at most 4/3 of the best makespan (Graham)."""
    best = min(
        max(
            sum(c for c, side in zip(costs.values(), mask, strict=True) if side == k)
            for k in (0, 1)
        )
        for mask in itertools.product((0, 1), repeat=len(costs))
    )
    makespan = max(_loads(share_out(costs, 2), costs))
    assert makespan <= best * 4 / 3 + 1e-9


def test_share_out_places_the_longest_chapters_first():
    # b (9) to worker 0, d (8) to worker 1, c (2) to the lighter 1, a (1) to 0: 10 and 10.
    # Taken in film order instead, a, b to 0 and c to 1 would leave d a worker at 11 or 12.
    costs = {"a": 1.0, "b": 9.0, "c": 2.0, "d": 8.0}
    shares = share_out(costs, 2)
    assert shares == [["a", "b"], ["c", "d"]]
    assert _loads(shares, costs) == [10.0, 10.0]


# ----------------------------------------------------------------------- the film key


def test_film_key_follows_everything_the_film_is_made_of(tmp_path):
    data = tmp_path / "points.csv"
    data.write_text("x,y\n0,0\n1,1\n2,0\n3,1\n")
    base = RenderRequest(FilmOptions(data=str(data)))
    key = film_key(base)
    assert film_key(RenderRequest(FilmOptions(data=str(data)))) == key
    changed = [
        RenderRequest(FilmOptions(data=str(data)), quality="h"),
        RenderRequest(FilmOptions(data=str(data)), draft=True),
        RenderRequest(FilmOptions(data=str(data)), chapters=("fit",)),
        RenderRequest(FilmOptions(data=str(data), language="zh")),
        RenderRequest(FilmOptions(data=str(data), theme="light")),
        RenderRequest(FilmOptions(data=str(data), aspect="9:16")),
        RenderRequest(FilmOptions(data=str(data), C=None)),
    ]
    keys = {film_key(request) for request in changed}
    assert key not in keys and len(keys) == len(changed)
    # The data file's bytes count, not its name.
    data.write_text("x,y\n0,0\n1,1\n2,0\n3.5,1\n")
    assert film_key(base) != key
    # Nor does the number of workers change the film.
    assert film_key(RenderRequest(FilmOptions(data=str(data)), jobs=7)) == film_key(base)


def _words_with(words, chapter: str, cue: str, text: str):
    table = {
        name: dict(value) if isinstance(value, dict) else value
        for name, value in words.table.items()
    }
    table[chapter]["cues"] = {**table[chapter]["cues"], cue: text}
    return replace(words, table=table)


def test_a_chapter_key_follows_its_own_cues_and_speech_not_the_others():
    from bce_film.options import FilmOptions
    from scenes.words import load_words

    request, words = RenderRequest(FilmOptions()), load_words("en")
    keys = {name: chapter_key(request, words, {}, name) for name in ORDER}
    assert len(set(keys.values())) == len(ORDER)
    edited = _words_with(words, "formula", "loss", "Another sentence.")
    changed = {name for name in ORDER if chapter_key(request, edited, {}, name) != keys[name]}
    assert changed == {"formula"}
    spoken = {"formula.loss": 3.5, "fit.curve": 2.0}
    changed = {name for name in ORDER if chapter_key(request, words, spoken, name) != keys[name]}
    assert changed == {"formula", "fit"}
    # Anything else the film is made from changes every chapter's key.
    for other in (
        RenderRequest(FilmOptions(), quality="h"),
        RenderRequest(FilmOptions(), draft=True),
        RenderRequest(FilmOptions(theme="light")),
        RenderRequest(FilmOptions(captions="burn")),
    ):
        assert all(chapter_key(other, words, {}, name) != keys[name] for name in ORDER)
    # Which chapters are rendered, and by how many workers, changes none.
    for same in (
        RenderRequest(FilmOptions(), chapters=("fit",)),
        RenderRequest(FilmOptions(), jobs=7),
    ):
        assert all(chapter_key(same, words, {}, name) == keys[name] for name in ORDER)


def test_a_chapter_s_code_key_follows_its_code_and_the_earlier_chapters_not_the_later(tmp_path):
    for package in ("bce_core", "bce_film", "bce_video", "bce_voice", "scenes"):
        shutil.copytree(
            REPO_ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    fingerprint = chapter_code_fingerprint.__wrapped__
    before = {name: fingerprint(name, tmp_path) for name in ORDER}
    words = tmp_path / "scenes" / "text" / "en.toml"
    words.write_text(words.read_text(encoding="utf-8") + "\n# an edit\n", encoding="utf-8")
    assert {name: fingerprint(name, tmp_path) for name in ORDER} == before  # words: by key
    chapter = tmp_path / "scenes" / "chapters" / "formula.py"
    chapter.write_text(chapter.read_text() + "\n# an edit\n")
    after = {name: fingerprint(name, tmp_path) for name in ORDER}
    changed = [name for name in ORDER if after[name] != before[name]]
    assert changed == list(ORDER[ORDER.index("formula") :])
    shared = tmp_path / "scenes" / "style.py"
    shared.write_text(shared.read_text() + "\n# an edit\n")
    assert all(fingerprint(name, tmp_path) != after[name] for name in ORDER)


def test_source_fingerprint_follows_code_and_words(tmp_path):
    for package in ("bce_core", "bce_film", "bce_video", "bce_voice", "scenes"):
        shutil.copytree(
            REPO_ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    before = source_fingerprint(tmp_path)
    assert source_fingerprint.__wrapped__(tmp_path) == before
    words = tmp_path / "scenes" / "text" / "en.toml"
    words.write_text(words.read_text(encoding="utf-8") + "\n# an edit\n", encoding="utf-8")
    after_words = source_fingerprint.__wrapped__(tmp_path)
    chapter = tmp_path / "scenes" / "chapters" / "fit.py"
    chapter.write_text(chapter.read_text() + "\n# an edit\n")
    after_code = source_fingerprint.__wrapped__(tmp_path)
    assert len({before, after_words, after_code}) == 3


# ---------------------------------------------------------------------------- encoding


def _frames(count: int, width: int = 96, height: int = 64) -> list[np.ndarray]:
    rng = np.random.default_rng(1)
    frames = []
    for _ in range(count):
        frame = np.zeros((height, width, 4), np.uint8)
        frame[..., :3] = rng.integers(0, 255, (height, width, 3))
        frame[..., 3] = 255
        frames.append(frame)
    return frames


def _encode(encoder_class, target: Path, options, frames, repeats) -> bytes:
    encoder = encoder_class(target=target, spec=encoder_spec(options))
    for frame, repeat in zip(frames, repeats, strict=True):
        encoder.write_frame(frame, repeat=repeat)
    encoder.finish()
    return target.read_bytes()


@pytest.mark.parametrize("options", [FINAL_ENCODER_OPTIONS, DRAFT_ENCODER_OPTIONS])
def test_held_frame_encoder_writes_the_bytes_manims_encoder_writes(tmp_path, options):
    from manim.scene.video_segment_encoder import VideoSegmentEncoder

    frames = _frames(5)
    repeats = [1, 7, 1, 12, 3]
    ours = _encode(HeldFrameEncoder, tmp_path / "ours.mp4", options, frames, repeats)
    manims = _encode(VideoSegmentEncoder, tmp_path / "manim.mp4", options, frames, repeats)
    assert hashlib.sha256(ours).hexdigest() == hashlib.sha256(manims).hexdigest()
    with av.open(str(tmp_path / "ours.mp4")) as container:
        assert sum(1 for _ in container.decode(video=0)) == sum(repeats)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["manim.mp4", "ours.mp4"]


def test_an_unfinished_piece_never_sits_under_its_cache_name(tmp_path):
    """Manim takes a file named by its hash for finished: a render stopped mid-animation
    must leave nothing there."""
    target = tmp_path / "0123abcd.mp4"
    encoder = HeldFrameEncoder(target=target, spec=encoder_spec(FINAL_ENCODER_OPTIONS))
    encoder.write_frame(_frames(1)[0], repeat=20)
    assert not target.exists()  # still being written, under another name
    encoder.abort()
    assert list(tmp_path.iterdir()) == []


def test_a_stopped_workers_unfinished_pieces_are_removed_and_no_others(tmp_path):
    folder = tmp_path / "videos" / "480p15" / "partial_movie_files" / "Film"
    folder.mkdir(parents=True)
    stopped, other = 4242, 4243
    encoder = HeldFrameEncoder(target=folder / "0abc.mp4", spec=encoder_spec({}))
    assert encoder._writing == unfinished_name(folder / "0abc.mp4", os.getpid())
    encoder.abort()
    unfinished_name(folder / "0abc.mp4", stopped).write_bytes(b"a stopped worker's")
    unfinished_name(folder / "1abc.mp4", other).write_bytes(b"another render's, going on")
    (folder / "2abc.mp4").write_bytes(b"a finished piece in the cache")
    removed = remove_unfinished_pieces(tmp_path, stopped)
    assert [path.name for path in removed] == [f".0abc.{stopped}.part.mp4"]
    assert sorted(path.name for path in folder.iterdir()) == [f".1abc.{other}.part.mp4", "2abc.mp4"]


def test_pruning_the_chapter_cache_spares_the_used_and_the_unfinished(tmp_path, monkeypatch):
    import bce_video.film_cache as film_cache

    monkeypatch.setenv("BCE_CACHE_DIR", str(tmp_path))
    chapters = tmp_path / "chapters"
    for index, name in enumerate(["used", "recent", "old", ".chapter-being-written"]):
        (chapters / name).mkdir(parents=True)
        os.utime(chapters / name, (1000 - index, 1000 - index))
    os.utime(chapters / "used", (1, 1))  # the oldest, but this render's
    monkeypatch.setattr(film_cache, "MAX_CACHED_CHAPTERS", 2)
    film_cache.prune_chapters({"used"})
    assert sorted(path.name for path in chapters.iterdir()) == [
        ".chapter-being-written",
        "recent",
        "used",
    ]


def test_a_kept_chapter_is_its_pieces_and_times_and_nothing_half_kept(tmp_path, monkeypatch):
    from test_film_files import grey_film

    from bce_video.film_cache import keep_chapter, kept_chapter
    from bce_video.messages import ChapterPiece

    monkeypatch.setenv("BCE_CACHE_DIR", str(tmp_path / "cache"))
    pieces = []
    for index in range(3):
        pieces.append(tmp_path / f"uncached_{index:05d}.mp4")
        grey_film(pieces[-1], frames=10 + index)
    made = [piece.read_bytes() for piece in pieces]
    cues = [CueSpan("fit.curve", "Now fit.", 0.0, 2.5)]
    piece = ChapterPiece("fit", 4.25, [str(p) for p in pieces], cues, rendered=True)
    kept = keep_chapter("k" * 32, piece)
    assert kept.name == "fit" and kept.scene_seconds == 4.25
    assert [Path(movie).read_bytes() for movie in kept.movies] == made
    assert kept.length == Fraction(10 + 11 + 12, 15), "its movies' frames at their rate"
    assert kept.cues == tuple(cues)
    assert not any(p.exists() for p in pieces), "moved, not copied"
    said = []
    assert kept_chapter("k" * 32, "fit", said.append) == kept
    Path(kept.movies[1]).unlink()  # a cache damaged by hand is no cache
    assert kept_chapter("k" * 32, "fit", said.append) is None
    assert said == ["chapter cache: fit's entry is damaged (001.mp4: missing); rendering it again"]
    assert not (tmp_path / "cache" / "chapters" / ("k" * 32)).exists(), "dropped"
    assert kept_chapter("n" * 32, "fit", said.append) is None
    assert len(said) == 1, "no entry is no damage"


def test_plain_manim_uses_the_same_encoder_settings():
    """manim.cfg sets for `manim scenes/bce.py` what bce-video sets: the same bytes."""
    parser = configparser.ConfigParser()
    parser.read(REPO_ROOT / "manim.cfg")
    assert dict(parser["video_encoder.options"]) == FINAL_ENCODER_OPTIONS
    # Manim's cache, on in a plain manim run, must hold a whole film's animations, or a
    # re-render starts cold.
    assert parser.getint("CLI", "max_files_cached") >= 500


# ------------------------------------------------------------------------ determinism

_PAIRING = """
from manim import MathTex, TransformMatchingTex
from scenes.components.formulas import MatchingTex
a = MathTex("H", "=", "-", "a", "b", "c", "d", "e", "f", "g")
b = MathTex("K", "=", "-", "g", "f", "e", "d", "c", "b", "a")
for kind in (MatchingTex, TransformMatchingTex):
    transform = kind(a.copy(), b.copy()).animations[0]
    print(kind.__name__, " ".join(group[0].tex_string for group in transform.mobject))
"""


def test_formula_morphs_pair_their_parts_alike_in_every_process():
    """Manim's TransformMatchingTex pairs parts in the order of a set of strings, which
    Python salts per process: frames mid-morph and cache hashes changed from run to run.
    MatchingTex pairs them alike in every process."""
    orders: dict[str, set[str]] = {"MatchingTex": set(), "TransformMatchingTex": set()}
    for seed in ("1", "2", "3", "4"):
        done = subprocess.run(
            [sys.executable, "-c", _PAIRING],
            cwd=REPO_ROOT,
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            timeout=300,
            check=True,
        )
        for line in done.stdout.splitlines():
            kind, _, order = line.partition(" ")
            if kind in orders:  # not Manim's log lines (a cold LaTeX cache logs)
                orders[kind].add(order)
    assert len(orders["MatchingTex"]) == 1
    # The check can fail: Manim's own order does change with the salt.
    assert len(orders["TransformMatchingTex"]) > 1


# ------------------------------------------------------------------------- subtitles


def test_the_timeline_lays_chapters_end_to_end_and_times_their_cues():
    timeline = assemble_timeline(
        [
            RenderedChapter("title", 6.5, (CueSpan("title.what", "one", 0.0, 1.5),)),
            RenderedChapter(
                "feature",
                60.0,
                (CueSpan("feature.points", "two", 54.75, 56.5),),
                fullest_cue="feature.points",
            ),
        ]
    )
    assert [(c.name, c.start, c.end, c.fullest_cue) for c in timeline.chapters] == [
        ("title", 0.0, 6.5, None),
        ("feature", 6.5, 66.5, "feature.points"),
    ]
    assert [(cue.id, cue.start, cue.end) for cue in timeline.cues] == [
        ("title.what", 0.0, 1.5),
        ("feature.points", 61.25, 63.0),
    ]
    assert timeline.duration == 66.5
    # The .srt and the chapter list are written from it.
    text = subtitles_of(timeline)
    cues = parse_srt(text)
    assert [(cue.start, cue.end, cue.text) for cue in cues] == [
        (0.0, 1.5, "one"),
        (61.25, 63.0, "two"),
    ]
    assert text.startswith("1\n00:00:00,000 --> 00:00:01,500\none\n")
    assert json.loads(chapters_of(timeline)) == [
        {"name": "title", "start": 0.0, "end": 6.5, "fullest_cue": None},
        {"name": "feature", "start": 6.5, "end": 66.5, "fullest_cue": "feature.points"},
    ]
    assert compose_srt([]) == ""


@pytest.mark.parametrize("jobs", ["0", "-1", "two"])
def test_bad_jobs_is_refused(jobs, tmp_path):
    args = ("render", "--jobs", jobs, "--out", str(tmp_path / "out"))
    done = run_bce_video(*args, cache=tmp_path / "cache", timeout=120)
    assert done.returncode == 2
    assert "--jobs" in done.stderr
    assert list(tmp_path.iterdir()) == [], "no film folder, no cache"


class _Outbox:
    """Stands in for a worker's end of the pipe."""

    def __init__(self):
        self.sent = []

    def send(self, message):
        self.sent.append(message)


def test_a_worker_reports_its_failure_and_then_ignores_a_late_stop(tmp_path):
    missing = tmp_path / "no-such.csv"
    request = RenderRequest(options=FilmOptions(data=str(missing)), jobs=2)
    task = WorkerTask(1, request, ("title",), *(str(tmp_path / d) for d in ("m", "t", "x")))
    outbox = _Outbox()
    default = signal.getsignal(signal.SIGINT)
    try:
        signal.signal(signal.SIGINT, signal.default_int_handler)
        render_worker(task, outbox)
        # The parent stops the other workers when one fails; one that has just finished
        # its work and is on its way out must not print a KeyboardInterrupt traceback.
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, default)
    assert outbox.sent[0] == Ready(), "a stop is only sent once the worker is ready"
    failed = outbox.sent[1]
    assert isinstance(failed, Failed) and failed.chapter is None
    assert "no-such.csv" in failed.detail and "Traceback" in failed.trace


def test_a_standby_worker_takes_the_first_task_and_one_given_none_is_stopped(tmp_path):
    """The local pool starts a worker before its task is known (while the voice speaks,
    bce_voice.narrator); run() gives that worker the first task, and what it reports
    reaches the render as a fresh worker's would. One given no task is ended by close()."""
    missing = tmp_path / "no-such.csv"
    request = RenderRequest(options=FilmOptions(data=str(missing)), jobs=1)
    task = WorkerTask(0, request, ("title",), *(str(tmp_path / d) for d in ("m", "t", "x")))
    pool = LocalPool()
    pool.prepare()
    standby = pool._standby.process
    try:
        with pytest.raises(RenderError, match=r"no-such\.csv"):
            pool.run([task], lambda line: None, time.monotonic(), total=1)
        standby.join(timeout=15)
        assert standby.exitcode == 0, "the standby ran the task, reported, and ended"
        pool.prepare()
        unused = pool._standby.process
    finally:
        pool.close()
    assert unused.exitcode == -signal.SIGKILL and not unused.is_alive()


# ============================================================ rendering (marked render)


def frame_digests(path: Path) -> list[str]:
    with av.open(str(path)) as container:
        return [
            hashlib.sha1(frame.to_ndarray(format="yuv420p").tobytes()).hexdigest()
            for frame in container.decode(video=0)
        ]


def compare_frames(first: Path, second: Path, threshold: int = 40) -> tuple[int, float]:
    """Decode both videos side by side: how many frames differ at all, and the largest
    share of a frame's pixels that differ by more than ``threshold`` (of 255 x 3)."""
    differing, worst = 0, 0.0
    with av.open(str(first)) as a, av.open(str(second)) as b:
        frames = itertools.zip_longest(a.decode(video=0), b.decode(video=0))
        for frame_a, frame_b in frames:
            assert frame_a is not None and frame_b is not None, "frame counts differ"
            pixels_a = frame_a.to_ndarray(format="rgb24").astype(np.int16)
            pixels_b = frame_b.to_ndarray(format="rgb24").astype(np.int16)
            if np.array_equal(pixels_a, pixels_b):
                continue
            differing += 1
            off = np.abs(pixels_a - pixels_b).sum(axis=2) > threshold
            worst = max(worst, float(off.mean()))
    return differing, worst


def assert_same_pictures(first: Path, second: Path) -> None:
    """The same number of frames, each decoded to the same picture, exactly: a render is
    deterministic (scripts/coding_repro.py renders a chapter or the film again and again
    and compares what reaches x264 and what comes out of it)."""
    mine, theirs = frame_digests(first), frame_digests(second)
    assert len(mine) == len(theirs), "frame counts differ"
    differing = [i for i, (a, b) in enumerate(zip(mine, theirs, strict=True)) if a != b]
    if differing:
        _, worst = compare_frames(first, second)
        pytest.fail(
            f"{len(differing)} frames differ, the first at frame {differing[0]} "
            f"(at most {worst:.2%} of a frame's pixels by more than a little)"
        )


CACHED = re.compile(r"(\d+) of (\d+) chapters came from the cache")
CHAPTER_LINE = re.compile(r"\] (\w+)\s+worker \d+\s+[\d.]+ s,\s+\d+ animations")


def drawn_chapters(stderr: str) -> set[str]:
    """The chapters a render drew (the others came from the chapter cache)."""
    return {match[1] for match in CHAPTER_LINE.finditer(stderr)}


def packets(movie: Path) -> list[bytes]:
    with av.open(str(movie)) as container:
        return [bytes(packet) for packet in container.demux(video=0) if packet.size]


@pytest.mark.render
def test_parallel_film_is_the_single_process_film(parallel, film):
    """Same frames, same count: decoded and hashed one by one."""
    _, out, _ = parallel
    assert_same_pictures(out / "bce-en-dark.mp4", film.video)
    with av.open(str(out / "bce-en-dark.mp4")) as container:
        duration = float(container.duration) / 1e6
    assert duration == pytest.approx(film.info.duration, abs=1 / 15)


@pytest.mark.render
def test_parallel_subtitles_are_the_single_process_subtitles(parallel, film):
    _, out, _ = parallel
    joined = parse_srt((out / "bce-en-dark.srt").read_text(encoding="utf-8"))
    single = film.cues
    assert [cue.text for cue in joined] == [cue.text for cue in single]
    for mine, theirs in zip(joined, single, strict=True):
        assert mine.start == pytest.approx(theirs.start, abs=0.002), mine.text
        assert mine.end == pytest.approx(theirs.end, abs=0.002), mine.text


@pytest.mark.render
def test_parallel_chapters_start_where_the_film_sections_start(parallel, film):
    import json

    _, out, _ = parallel
    chapters = json.loads((out / "bce-en-dark.chapters.json").read_text())
    sections = read_sections(film.sections)
    assert [chapter["name"] for chapter in chapters] == [s["name"] for s in sections]
    start = 0.0
    for chapter, section in zip(chapters, sections, strict=True):
        assert chapter["start"] == pytest.approx(start, abs=1 / 15), chapter["name"]
        start += float(section["duration"])
        assert chapter["end"] == pytest.approx(start, abs=1 / 15), chapter["name"]


@pytest.mark.render
def test_both_workers_rendered_and_no_cache_was_used_cold(parallel):
    _, _, done = parallel
    assert f"with 2 worker(s); 0 of {len(CHAPTERS)} chapters came from the cache" in done.stderr
    assert {m for m in re.findall(r"worker (\d)", done.stderr)} == {"0", "1"}
    assert drawn_chapters(done.stderr) == set(CHAPTERS)


@pytest.mark.render
def test_nothing_changed_comes_from_the_film_cache(parallel):
    cache, out, _ = parallel
    movie = out / "bce-en-dark.mp4"
    before = movie.read_bytes()
    again = run_bce_video(
        "render", "--voice", "piper", "--jobs", "2", "--out", str(out), cache=cache
    )
    assert again.returncode == 0, again.stderr[-3000:]
    assert "from the cache" in again.stderr
    assert movie.read_bytes() == before


@pytest.mark.render
def test_without_the_film_every_chapter_comes_from_the_chapter_cache(parallel):
    """The finished film gone (from the film cache and from where it was published),
    nothing is drawn: the chapters are joined again from the chapter cache into the same
    video, packet for packet."""
    cache, out, _ = parallel
    movie = out / "bce-en-dark.mp4"
    before = packets(movie)
    shutil.rmtree(cache / "films")
    movie.unlink()
    again = run_bce_video(
        "render", "--voice", "piper", "--jobs", "2", "--out", str(out), cache=cache
    )
    assert again.returncode == 0, again.stderr[-3000:]
    assert f"{len(CHAPTERS)} of {len(CHAPTERS)} chapters came from the cache" in again.stderr
    assert drawn_chapters(again.stderr) == set()
    assert packets(movie) == before


# --- an edited copy of the project: what re-renders, and a chapter that fails ---------


@pytest.fixture
def project_copy(tmp_path):
    for package in ("bce_core", "bce_film", "bce_video", "bce_voice", "scenes"):
        shutil.copytree(
            REPO_ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy(REPO_ROOT / "manim.cfg", tmp_path / "manim.cfg")
    return tmp_path


SOME = ["labels", "formula", "split"]


@pytest.mark.render
def test_editing_a_chapter_s_code_redraws_it_and_those_after_it(project_copy):
    """A chapter's code sets the state the chapters after it start from; the chapters
    before it come from the chapter cache."""
    cache, out = project_copy / "cache", project_copy / "out"
    args = ("render", "--chapter", *SOME, "--jobs", "2", "--out", str(out))
    first = run_bce_video(*args, cache=cache, cwd=project_copy)
    assert first.returncode == 0, first.stderr[-3000:]
    assert drawn_chapters(first.stderr) == set(SOME)
    # formula draws its first circle in the other class's colour.
    chapter = project_copy / "scenes" / "chapters" / "formula.py"
    code = chapter.read_text()
    assert "Circumscribe(positive_term, color=palette.positive" in code
    chapter.write_text(
        code.replace(
            "Circumscribe(positive_term, color=palette.positive",
            "Circumscribe(positive_term, color=palette.negative",
        )
    )

    second = run_bce_video(*args, cache=cache, cwd=project_copy)
    assert second.returncode == 0, second.stderr[-3000:]
    assert drawn_chapters(second.stderr) == {"formula", "split"}
    assert "1 of 3 chapters came from the cache" in second.stderr


@pytest.mark.render
def test_a_failing_chapter_stops_the_render_and_is_named(project_copy):
    chapter = project_copy / "scenes" / "chapters" / "split.py"
    chapter.write_text(
        chapter.read_text().replace(
            "def play(film) -> None:\n",
            "def play(film) -> None:\n    raise RuntimeError('a broken chapter')\n",
        )
    )
    out = project_copy / "out"
    args = ["render", "--chapter", *SOME, "--jobs", "2", "--out", str(out)]
    done = run_bce_video(*args, cache=project_copy / "cache", cwd=project_copy)
    assert done.returncode == 1
    assert "chapter 'split' failed: RuntimeError: a broken chapter" in done.stderr
    assert "nothing was written" in done.stderr
    assert list(out.iterdir()) == [], "no film, no scratch folder"
    pieces = list((project_copy / "cache").rglob("*.part.mp4"))
    assert pieces == [], "half-written pieces left in the cache"
    after_the_report = done.stderr.split("RuntimeError: a broken chapter", 1)[1]
    assert "Traceback" not in after_the_report, "the stopped worker should stop quietly"
    assert "KeyboardInterrupt" not in done.stderr


@pytest.mark.render
@pytest.mark.parametrize(
    ("signum", "exit_code"),
    [(signal.SIGKILL, -signal.SIGKILL), (signal.SIGINT, 130)],
    ids=["killed", "stopped"],
)
def test_a_worker_that_dies_is_reported_alone(project_copy, signum, exit_code):
    """A worker killed (out of memory: SIGKILL) or stopped (SIGINT: its quick exit) after
    it has drawn a chapter is named with nothing written, and nothing follows the message:
    no resource tracker's "leaked semaphore" (Manim's progress bar took a process lock)."""
    chapter = project_copy / "scenes" / "chapters" / "formula.py"
    chapter.write_text(
        chapter.read_text().replace(
            "def play(film) -> None:\n",
            f"def play(film) -> None:\n    import os\n    os.kill(os.getpid(), {int(signum)})\n",
        )
    )
    out = project_copy / "out"
    args = ["render", "--chapter", "labels", "formula", "--jobs", "1", "--out", str(out)]
    done = run_bce_video(*args, cache=project_copy / "cache", cwd=project_copy)
    assert done.returncode == 1
    died = f"worker 0 died (exit code {exit_code})"
    message = f"error: chapter 'formula' failed: {died}; nothing was written"
    assert done.stderr.rstrip().endswith(message), done.stderr[-3000:]
    assert "leaked" not in done.stderr
    assert "Traceback" not in done.stderr
    assert list(out.iterdir()) == [], "no film, no scratch folder"
    assert list((project_copy / "cache").rglob("*.part.mp4")) == []
