"""Issue 13's goals, measured side by side in one run: the narrated English film at
1080p60 on this machine, from cold caches.

    .venv/bin/python benchmarks/goals.py            # about 15 minutes
    .venv/bin/python benchmarks/goals.py --quality l
    .venv/bin/python benchmarks/goals.py --logs DIR   # each run's progress kept in DIR

Runs, one after another, each in a scratch copy of the project:
  stock manim      `manim -qh scenes/bce.py` with Manim's stock renderer and encoder and
                   no manim.cfg (benchmarks/stock_manim.py); caches empty
  bce-video cold   `bce-video render --quality h`, every cache empty (synthesis included)
  bce-video edit   the same after one cue's words are edited in the copy's en.toml
  bce-video same   the same again, nothing changed

Columns: wall seconds; real-time factor (render seconds per second of film); speed-up
against stock manim; share of the cold render; peak memory of the whole process tree
(summed RSS, sampled every 0.1 s) and of its largest process; the film's size, and its
video stream's alone (the stock film has no sound: Manim's own file writer does not add
the narration).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from render import QUALITY_FOLDERS, ROOT, machine, measure, probe

PACKAGES = ("bce_core", "bce_film", "bce_video", "bce_voice", "scenes")
EDITED_CUE = 'loss = "To judge predicted probabilities we need a loss.'


def project_copy(target: Path, with_config: bool) -> Path:
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package, target / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    if with_config:
        shutil.copy(ROOT / "manim.cfg", target / "manim.cfg")
    return target


def video_bytes(movie: Path) -> int:
    """The video stream's size (the stock film has no sound track; ours has AAC)."""
    import av

    with av.open(str(movie)) as container:
        return sum(packet.size for packet in container.demux(video=0))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quality", default="h", choices=QUALITY_FOLDERS)
    parser.add_argument("--voice", default="piper")
    parser.add_argument(
        "--logs", type=Path, metavar="DIR", help="keep each run's progress (stderr) here"
    )
    args = parser.parse_args()
    quality, rows = args.quality, []
    with tempfile.TemporaryDirectory(prefix="bce-goals-") as scratch:
        scratch_dir = Path(scratch)
        stock = project_copy(scratch_dir / "stock", with_config=False)
        ours = project_copy(scratch_dir / "ours", with_config=True)

        stock_env = {
            "PYTHONPATH": str(stock),
            "BCE_CACHE_DIR": str(scratch_dir / "stock-cache"),
            "BCE_VOICE": args.voice,
        }
        command = [sys.executable, str(ROOT / "benchmarks" / "stock_manim.py"), f"-q{quality}"]
        command += ["--progress_bar", "none", "scenes/bce.py"]
        run = measure("stock manim", quality, command, stock_env, cwd=stock)
        movie = stock / "media" / "videos" / "bce" / QUALITY_FOLDERS[quality]
        movie = movie / "BinaryCrossEntropyFilm.mp4"
        rows.append((run, *probe(movie), movie.stat().st_size, video_bytes(movie)))

        env = {"PYTHONPATH": str(ours), "BCE_CACHE_DIR": str(scratch_dir / "ours-cache")}
        out = scratch_dir / "out"
        command = [sys.executable, "-m", "bce_video.cli", "render", f"--quality={quality}"]
        command += [f"--voice={args.voice}", f"--out={out}"]
        film = out / "bce-en-dark.mp4"
        for name in ("bce-video cold", "bce-video edit", "bce-video same"):
            if name == "bce-video edit":
                words = ours / "scenes" / "text" / "en.toml"
                text = words.read_text(encoding="utf-8")
                assert EDITED_CUE in text
                words.write_text(text.replace(EDITED_CUE, EDITED_CUE[:-1] + ", a number."))
            kept = args.logs / f"{name.replace(' ', '-')}.txt" if args.logs else None
            run = measure(name, quality, command, env, cwd=ours, stderr_log=kept)
            rows.append((run, *probe(film), film.stat().st_size, video_bytes(film)))

    print(machine())
    stock_wall = rows[0][0].wall
    cold_wall = rows[1][0].wall
    print(
        f"{'run':<16} {'wall s':>8} {'RTF':>6} {'x stock':>8} {'of cold':>8} "
        f"{'tree MB':>8} {'max MB':>7} {'film s':>7} {'frames':>7} {'size MB':>8} {'video MB':>9}"
    )
    for run, seconds, frames, size, video in rows:
        print(
            f"{run.name:<16} {run.wall:8.1f} {run.wall / seconds:6.2f} "
            f"{stock_wall / run.wall:7.2f}x {run.wall / cold_wall:8.1%} "
            f"{run.tree_peak_mb:8.0f} {run.process_peak_mb:7.0f} {seconds:7.1f} {frames:7d} "
            f"{size / 1e6:8.2f} {video / 1e6:9.2f}"
        )


if __name__ == "__main__":
    main()
