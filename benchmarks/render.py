"""How long the film takes to render, cold and warm, in one process and in parallel, next
to the time it takes only to encode the same frames (the floor).

    .venv/bin/pip install -e '.[bench]'       # psutil, for the memory of process trees
    .venv/bin/python benchmarks/render.py                 # -ql and -qh: about 25 minutes
    .venv/bin/python benchmarks/render.py --quality l     # -ql only: about 8 minutes
    .venv/bin/python benchmarks/render.py --narration-only  # silent against narrated
    .venv/bin/python benchmarks/render.py --narration-only --quality h --lang zh \
        --voices fastspeech2                              # the Chinese film at 1080p

Every run starts from empty caches in a scratch folder (cold), then runs again with
nothing changed (warm). All runs happen one after another in this one invocation, so the
ratios compare runs on the same machine in the same state. Don't run anything else
meanwhile: the machine has few cores, and the renders use all of them.

Rows:
  manim            `manim -q? scenes/bce.py`, one process (Manim's own cache when warm)
  bce-video -j N   `bce-video render --jobs N` (its film cache when warm)
  ... chapter cache  bce-video with its film cache emptied but its chapter cache kept:
                   every chapter is joined again, nothing is drawn; an edit to one cue
                   costs this plus drawing that chapter
  encode floor     decode the film and encode its frames again with the same encoder
                   settings: what encoding alone costs, without drawing anything
  bce-video -j N piper   the narrated film (--voice piper), from empty caches (synthesis
                   included) and again with nothing changed; the other rows are silent
                   (--voice none, BCE_VOICE=none)

Columns: wall seconds; real-time factor (render seconds per film second); ratio to the
encode floor; ratio of the single-process time to this one (speed-up); peak memory of the
whole process tree (the sum over processes, sampled every 0.1 s) and of its largest process.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from fractions import Fraction
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
HASHING: dict[str, tuple[float, int, float]] = {}  # quality: total s, animations, largest s
QUALITY_FOLDERS = {"l": "480p15", "m": "720p30", "h": "1080p60", "k": "2160p60"}


@dataclass
class Run:
    name: str
    quality: str
    wall: float
    tree_peak_mb: float
    process_peak_mb: float
    film_seconds: float = 0.0
    frames: int = 0

    def rtf(self) -> float:
        return self.wall / self.film_seconds if self.film_seconds else float("nan")


def measure(
    name: str,
    quality: str,
    command: list[str],
    env: dict | None = None,
    log: Path | None = None,
    cwd: Path = ROOT,
    stderr_log: Path | None = None,
) -> Run:
    """Run ``command``; wall time and the peak memory of its process tree. ``log``: its
    output; ``stderr_log``: its standard error (a render's progress: each chapter's time)."""
    started = time.perf_counter()
    output = log.open("w") if log else subprocess.DEVNULL
    process = subprocess.Popen(
        command,
        cwd=cwd,
        env={**os.environ, **(env or {}), "COLUMNS": "200"},
        stdout=output,
        stderr=subprocess.PIPE,
        text=True,
    )
    root = psutil.Process(process.pid)
    tree_peak = process_peak = 0
    at_peak = ""  # when the tree peaked, and what was running then: where to cut
    while process.poll() is None:
        try:
            members = [root, *root.children(recursive=True)]
            sizes = []
            for member in members:
                with contextlib.suppress(psutil.Error):
                    sizes.append((member.memory_info().rss, _short_command(member)))
            if sum(size for size, _ in sizes) > tree_peak:
                tree_peak = sum(size for size, _ in sizes)
                running = ", ".join(
                    f"{what} {size / 2**20:.0f}" for size, what in sorted(sizes, reverse=True)
                )
                at_peak = f"at {time.perf_counter() - started:.1f} s: {running}"
            process_peak = max(process_peak, max((size for size, _ in sizes), default=0))
        except psutil.Error:
            pass
        time.sleep(0.1)
    wall = time.perf_counter() - started
    print(f"  {name}: tree peak {tree_peak / 2**20:.0f} MB {at_peak}", file=sys.stderr)
    errors = process.stderr.read()
    if stderr_log:
        stderr_log.write_text(errors, encoding="utf-8")
    if log:
        output.close()
    if process.returncode != 0:
        sys.exit(f"{name} failed with exit code {process.returncode}:\n{errors[-3000:]}")
    print(f"  {name:<28} {wall:7.1f} s", file=sys.stderr, flush=True)
    return Run(name, quality, wall, tree_peak / 2**20, process_peak / 2**20)


def _short_command(process: psutil.Process) -> str:
    """A process named for the peak's report: its program and the module or script it
    runs (``python -m bce_video.worker``: bce_video.worker)."""
    with contextlib.suppress(psutil.Error):
        words = process.cmdline()
        if "-m" in words[:-1]:
            return words[words.index("-m") + 1]
        named = [Path(word).name for word in words[1:] if not word.startswith("-")]
        return named[0] if named else Path(words[0]).name if words else process.name()
    return "?"


def probe(movie: Path) -> tuple[float, int]:
    import av

    from bce_voice.soundtrack import frame_rate

    with av.open(str(movie)) as container:
        stream = container.streams.video[0]
        frames = sum(1 for _ in container.demux(stream) if _.size)
        return frames / float(frame_rate(stream)), frames


def encode_floor(movie: Path, scratch: Path) -> tuple[float, int]:
    """Decode ``movie`` and encode every frame again as the film's encoder does."""
    import av

    from bce_film.encoding import FINAL_ENCODER_OPTIONS

    started = time.perf_counter()
    count = 0
    with (
        av.open(str(movie)) as source,
        av.open(str(scratch / "floor.mp4"), mode="w") as target,
    ):
        decoded = source.streams.video[0]
        decoded.thread_type = "AUTO"
        stream = target.add_stream(
            "libx264", rate=decoded.average_rate, options=dict(FINAL_ENCODER_OPTIONS)
        )
        stream.width, stream.height, stream.pix_fmt = decoded.width, decoded.height, "yuv420p"
        for frame in source.decode(decoded):
            frame.pts, frame.time_base = count, Fraction(1) / decoded.average_rate
            count += 1
            for packet in stream.encode(frame):
                target.mux(packet)
        for packet in stream.encode():
            target.mux(packet)
    return time.perf_counter() - started, count


def bench_voices(
    quality: str, jobs: int, scratch: Path, voices: list[str], language: str = "en"
) -> list[Run]:
    """bce-video in ``language`` with each voice ("none": silent), cold (synthesis
    included) and warm."""
    runs: list[Run] = []
    for voice in voices:
        cache, out = (
            scratch / f"voice-cache-{quality}-{language}-{voice}",
            scratch / f"voice-{quality}-{language}-{voice}",
        )
        bce = [sys.executable, "-m", "bce_video.cli", "render", f"--quality={quality}"]
        bce += [f"--jobs={jobs}", f"--out={out}", f"--voice={voice}", f"--lang={language}"]
        name = f"bce-video -j{jobs} {language}" + ("" if voice == "none" else f" {voice}")
        for state in ("cold", "warm"):
            runs.append(measure(f"{name} {state}", quality, bce, {"BCE_CACHE_DIR": str(cache)}))
            runs[-1].film_seconds, runs[-1].frames = probe(out / f"bce-{language}-dark.mp4")
    return runs


def bench_quality(quality: str, jobs: int, scratch: Path, voices: list[str]) -> list[Run]:
    python = sys.executable
    runs: list[Run] = []
    media = scratch / f"manim-{quality}"
    manim = [python, "-m", "manim", f"-q{quality}", "--progress_bar", "none"]
    manim += ["--media_dir", str(media), "scenes/bce.py"]
    film = media / "videos" / "bce" / QUALITY_FOLDERS[quality] / "BinaryCrossEntropyFilm.mp4"
    silent = {"BCE_VOICE": "none"}
    for state in ("cold", "warm"):
        runs.append(measure(f"manim {state}", quality, manim, silent))
        runs[-1].film_seconds, runs[-1].frames = probe(film)
    # What Manim's cache costs: its hashing of every animation, logged at DEBUG (in a run
    # of its own, as the logging slows it).
    log = scratch / f"hashing-{quality}.log"
    debug = [*manim[:-1], "-v", "DEBUG", manim[-1]]
    measure("manim warm, DEBUG log", quality, debug, silent, log=log)
    hashes = [float(t) for t in re.findall(r"Hashing done in ([0-9.e-]+) s", log.read_text())]
    print(
        f"  hashing: {sum(hashes):.1f} s over {len(hashes)} animations "
        f"(largest {max(hashes, default=0):.2f} s)",
        file=sys.stderr,
        flush=True,
    )
    HASHING[quality] = (sum(hashes), len(hashes), max(hashes, default=0.0))

    cache = scratch / f"bce-cache-{quality}"
    out = scratch / f"bce-out-{quality}"
    bce = [python, "-m", "bce_video.cli", "render", f"--quality={quality}"]
    bce += [f"--jobs={jobs}", f"--out={out}", "--voice=none"]
    env = {"BCE_CACHE_DIR": str(cache)}
    movie = out / "bce-en-dark.mp4"
    for state in ("cold", "warm"):
        runs.append(measure(f"bce-video -j{jobs} {state}", quality, bce, env))
        runs[-1].film_seconds, runs[-1].frames = probe(movie)
    shutil.rmtree(cache / "films")
    runs.append(measure(f"bce-video -j{jobs} chapter cache", quality, bce, env))
    runs[-1].film_seconds, runs[-1].frames = probe(movie)

    seconds, frames = encode_floor(film, scratch)
    print(f"  {'encode floor':<28} {seconds:7.1f} s", file=sys.stderr, flush=True)
    floor = Run("encode floor", quality, seconds, 0.0, 0.0, runs[0].film_seconds, frames)
    runs.append(floor)
    return runs + bench_voices(quality, jobs, scratch, voices)


def table(runs: list[Run]) -> str:
    lines = [
        f"{'quality':<8} {'run':<28} {'wall s':>8} {'RTF':>6} {'x floor':>8} "
        f"{'speed-up':>9} {'tree MB':>8} {'max MB':>7} {'frames':>7}"
    ]
    for quality in dict.fromkeys(run.quality for run in runs):
        group = [run for run in runs if run.quality == quality]
        named = {run.name: run for run in group}
        floor = named.get("encode floor")
        single, single_warm = named.get("manim cold"), named.get("manim warm")
        for run in group:
            reference = {"cold": single, "warm": single_warm}.get(run.name.rsplit(" ", 1)[-1])
            speed_up = f"{reference.wall / run.wall:8.2f}x" if reference else f"{'':>9}"
            to_floor = f"{run.wall / floor.wall:8.2f}" if floor else f"{'':>8}"
            memory = (
                f"{run.tree_peak_mb:8.0f} {run.process_peak_mb:7.0f}"
                if run.tree_peak_mb
                else f"{'':>8} {'':>7}"
            )
            lines.append(
                f"-q{quality:<6} {run.name:<28} {run.wall:8.1f} {run.rtf():6.2f} "
                f"{to_floor} {speed_up} "
                f"{memory} {run.frames:7d}"
            )
        cold = next(run for run in group if run.name.endswith("cold") and "bce" in run.name)
        warm = next(run for run in group if run.name.endswith("warm") and "bce" in run.name)
        manim_ratio = f"manim {single_warm.wall / single.wall:.1%}, " if single else ""
        lines.append(f"{'':<8} warm / cold: {manim_ratio}bce-video {warm.wall / cold.wall:.1%}")
        if quality in HASHING:
            total, count, largest = HASHING[quality]
            lines.append(
                f"{'':<8} Manim's hashing: {total:.1f} s over {count} animations "
                f"(largest {largest:.2f} s)"
            )
    return "\n".join(lines)


def machine() -> str:
    import av
    import manim

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = psutil.virtual_memory().total / 2**30
    return (
        f"{os.cpu_count()} cores ({cpu}), {memory:.0f} GiB; Python {platform.python_version()}, "
        f"Manim {manim.__version__}, PyAV {av.__version__} (FFmpeg {av.ffmpeg_version_info})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quality", nargs="+", default=["l", "h"], choices=QUALITY_FOLDERS)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--json", metavar="FILE", help="also write the runs as JSON")
    parser.add_argument(
        "--voices", nargs="*", default=["piper"], help="narrated rows (default: piper)"
    )
    parser.add_argument(
        "--narration-only",
        action="store_true",
        help="only bce-video silent against narrated (no manim rows, no encode floor)",
    )
    parser.add_argument(
        "--lang", default="en", help="the narrated rows' language (with --narration-only)"
    )
    args = parser.parse_args()
    runs: list[Run] = []
    with tempfile.TemporaryDirectory(prefix="bce-bench-") as scratch:
        for quality in args.quality:
            print(f"-q{quality}:", file=sys.stderr, flush=True)
            if args.narration_only:
                voices = ["none", *args.voices]
                runs += bench_voices(quality, args.jobs, Path(scratch), voices, args.lang)
            else:
                runs += bench_quality(quality, args.jobs, Path(scratch), args.voices)
    print(machine())
    print(table(runs))
    if args.json:
        Path(args.json).write_text(json.dumps([asdict(run) for run in runs], indent=1))


if __name__ == "__main__":
    main()
