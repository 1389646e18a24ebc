"""The final encoder settings, chosen on a measured front: x264 presets, CRF values,
``tune=animation``, the keyframe interval and the threading, each by its quality against a
lossless render of the same frames (SSIM and PSNR from FFmpeg's filters, through PyAV),
its file size and its encode time.

    .venv/bin/python benchmarks/encoder_front.py                  # about 15 minutes
    .venv/bin/python benchmarks/encoder_front.py --chapters fit --quality l

1. Renders a few chapters of the film (the earlier ones skipped) with the film's renderer,
   losslessly (x264 with qp 0: the YUV 4:2:0 frames every setting starts from, since the
   RGBA-to-YUV conversion is the same for all).
2. For each setting, encodes those frames again, timed (wall time of the encode alone:
   the time to decode the lossless frames is measured once and taken off), and compares
   the result with the lossless frames frame by frame: SSIM (FFmpeg's ``ssim``, all
   planes) and PSNR (FFmpeg's ``psnr``, from the mean squared error over all frames).
3. Prints the table, fastest first, and marks the settings at least as good as Manim's
   default (CRF 23, preset medium) in SSIM and PSNR with a file no larger: the fastest of
   those is the final setting's candidate.
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: Manim 0.22's own choice: x264 (PyAV's default preset is medium), CRF 23.
BASELINE = "medium crf23"
#: name -> x264 options. Frame threads everywhere but in the one that shows slices.
SETTINGS: dict[str, dict[str, str]] = {
    "medium crf23": {"crf": "23", "thread_type": "frame"},
    "medium crf23 slice": {"crf": "23"},  # Manim's own threading
    **{
        f"{preset} crf{crf}": {"preset": preset, "crf": str(crf), "thread_type": "frame"}
        for preset, crf in (
            ("ultrafast", 23),
            ("ultrafast", 27),
            ("superfast", 23),
            ("superfast", 25),
            ("veryfast", 21),
            ("veryfast", 22),
            ("veryfast", 23),
            ("veryfast", 24),
            ("veryfast", 25),
            ("faster", 23),
            ("faster", 24),
            ("fast", 23),
            ("fast", 24),
        )
    },
    **{
        f"{preset} crf{crf} animation": {
            "preset": preset,
            "crf": str(crf),
            "tune": "animation",
            "thread_type": "frame",
        }
        for preset, crf in (
            ("superfast", 25),
            ("veryfast", 20),
            ("veryfast", 21),
            ("veryfast", 22),
            ("veryfast", 23),
            ("veryfast", 24),
            ("faster", 23),
            ("faster", 24),
            ("fast", 23),
            ("medium", 23),
        )
    },
    # Medium's decisions with cheaper analysis (x264's own names).
    "medium crf23 lookahead10": {
        "crf": "23",
        "x264-params": "rc-lookahead=10",
        "thread_type": "frame",
    },
    "medium crf23 b-adapt0": {"crf": "23", "x264-params": "b-adapt=0", "thread_type": "frame"},
    "medium crf23 mbtree0": {"crf": "23", "x264-params": "mbtree=0", "thread_type": "frame"},
    "medium crf23 bframes0": {"crf": "23", "x264-params": "bframes=0", "thread_type": "frame"},
    "medium crf23 subme5 dia": {
        "crf": "23",
        "x264-params": "subme=5:me=dia",
        "thread_type": "frame",
    },
    "medium crf23 animation subme5 dia": {
        "crf": "23",
        "tune": "animation",
        "x264-params": "subme=5:me=dia",
        "thread_type": "frame",
    },
    "veryfast crf23 keyint600": {
        "preset": "veryfast",
        "crf": "23",
        "g": "600",
        "thread_type": "frame",
    },
}


LOSSLESS = {"qp": "0", "preset": "ultrafast"}


def render_sample(
    chapters: list[str], quality: str, media: str, options: dict, held: str
) -> tuple[str, float]:
    """Runs in a fresh process: the chapters with the encoder ``options``, a held
    frame's repeats coded as ``held`` says ("all": every one by x264; "8:2": 8 by x264
    at twice its rate, the rest skipped); the movie's path and the render's wall
    seconds."""
    sys.path.insert(0, str(ROOT))
    from manim import Scene, tempconfig

    from bce_film.encoding import FilmFileWriter, HeldCoding
    from bce_film.options import FilmOptions
    from bce_film.scene import film_renderer
    from bce_video.request import QUALITIES
    from scenes.film import play_chapters

    class Sample(Scene):
        def construct(self) -> None:
            play_chapters(self, FilmOptions(voice="none").inputs(), only=chapters)

    with tempconfig(
        {
            "quality": QUALITIES[quality],
            "media_dir": media,
            "progress_bar": "none",
            "verbosity": "WARNING",
            "disable_caching": True,
            "video_encoder_options": options,
        }
    ):
        if held == "all":
            FilmFileWriter.held = None
        else:
            frames, factor = held.split(":")
            FilmFileWriter.held = HeldCoding(int(frames), float(factor))
        started = time.perf_counter()
        scene = Sample(renderer=film_renderer())
        scene.render()
        seconds = time.perf_counter() - started
        return str(scene.renderer.file_writer.movie_file_path), seconds


def rendered(args, media: Path, options: dict, held: str) -> tuple[Path, float]:
    """``render_sample`` in a child process."""
    request = json.dumps({"options": options, "held": held})
    done = subprocess.run(
        [
            *(sys.executable, __file__, "--quality", args.quality),
            *("--chapters", *args.chapters, "--child", str(media), "--request", request),
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    path, seconds = json.loads(done.stdout.strip().splitlines()[-1])
    return Path(path), seconds


def held_repeats_front(args, scratch: Path, reference: Path) -> None:
    """The final setting's render of the chapters with each way of coding a held frame
    (``--held-repeats``), by render time, size and quality against the lossless frames."""
    rows = []
    for codes in args.held_repeats:
        movie, seconds = rendered(args, scratch / f"held-{codes}", SETTINGS[BASELINE], codes)
        ssim, psnr, count = compare(reference, movie)
        rows.append((codes, seconds, count, movie.stat().st_size, ssim, psnr))
        print(f"  x264 codes {codes}: {seconds:.1f} s", file=sys.stderr, flush=True)
    base = rows[0]
    print(
        f"{'held frame: x264 codes:rate':<28} {'render s':>8} {'x first':>8} {'size MB':>8} "
        f"{'x size':>7} {'SSIM':>8} {'PSNR dB':>8}  frames"
    )
    for codes, seconds, count, size, ssim, psnr in rows:
        print(
            f"{codes:<28} {seconds:8.1f} {base[1] / seconds:7.2f}x {size / 1e6:8.2f} "
            f"{size / base[3]:7.2f} {ssim:8.5f} {psnr:8.2f}  {count}"
        )


def frames(path: Path):
    import av

    with av.open(str(path)) as container:
        yield from container.decode(video=0)


def decode_seconds(reference: Path) -> float:
    started = time.perf_counter()
    for _ in frames(reference):
        pass
    return time.perf_counter() - started


def encode(
    reference: Path, target: Path, options: dict[str, str], keep=lambda index: True
) -> float:
    """Encode the reference's frames (those ``keep`` takes, by index) with ``options``;
    wall seconds, decoding included."""
    import av

    started = time.perf_counter()
    with av.open(str(reference)) as source, av.open(str(target), "w") as output:
        decoded = source.streams.video[0]
        stream = output.add_stream("libx264", rate=decoded.average_rate, options=dict(options))
        stream.width, stream.height = decoded.width, decoded.height
        stream.pix_fmt = "yuv420p"
        kept = 0
        for index, frame in enumerate(source.decode(decoded)):
            if not keep(index):
                continue
            frame.pict_type = av.video.frame.PictureType.NONE  # x264 chooses its own
            # Numbered in frames: the kept ones play at the same rate, with no gaps.
            frame.pts, frame.time_base, kept = kept, 1 / decoded.average_rate, kept + 1
            output.mux(stream.encode(frame))
        output.mux(stream.encode(None))
    return time.perf_counter() - started


def held_frames(reference: Path) -> set[int]:
    """The indexes of the frames equal to the frame before them (a held picture)."""
    import hashlib

    held, previous = set(), None
    for index, frame in enumerate(frames(reference)):
        digest = hashlib.sha1(b"".join(bytes(plane) for plane in frame.planes)).digest()
        if digest == previous:
            held.add(index)
        previous = digest
    return held


def held_frame_cost(reference: Path, scratch: Path, decoding: float) -> str:
    """What x264 (the final setting) spends on held frames: the film's frames encoded
    with them and without them."""
    held = held_frames(reference)
    options = SETTINGS[BASELINE]
    every = encode(reference, scratch / "every.mp4", options) - decoding
    drawn = encode(reference, scratch / "drawn.mp4", options, lambda i: i not in held) - decoding
    total = sum(1 for _ in frames(reference))
    per_held = (every - drawn) / max(len(held), 1)
    per_drawn = drawn / max(total - len(held), 1)
    return (
        f"held frames: {len(held)} of {total} ({len(held) / total:.0%}); {BASELINE} encodes "
        f"them all in {every:.1f} s, the others alone in {drawn:.1f} s: a held frame costs "
        f"{1000 * per_held:.1f} ms of encoding, a drawn one {1000 * per_drawn:.1f} ms"
    )


def compare(reference: Path, candidate: Path) -> tuple[float, float, int]:
    """Mean SSIM (all planes) and PSNR (from the mean MSE over all frames and planes) of
    ``candidate`` against ``reference``, with FFmpeg's filters; and the frame count."""
    import av.filter

    graphs, count, ssim_sum, mse_sum = [], 0, 0.0, 0.0
    with av.open(str(reference)) as first:
        stream = first.streams.video[0]
        size = {"width": stream.width, "height": stream.height, "format": "yuv420p"}
    for name in ("ssim", "psnr"):
        graph = av.filter.Graph()
        ours = graph.add_buffer(**size, time_base=Fraction(1, 60))
        theirs = graph.add_buffer(**size, time_base=Fraction(1, 60))
        measure = graph.add(name)
        sink = graph.add("buffersink")
        ours.link_to(measure, 0, 0)
        theirs.link_to(measure, 0, 1)
        measure.link_to(sink)
        graph.configure()
        graphs.append((graph, ours, theirs, sink))  # a graph must outlive its filters
    for index, (made, wanted) in enumerate(zip(frames(candidate), frames(reference), strict=True)):
        values = []
        for _, ours, theirs, sink in graphs:
            for frame, buffer in ((made, ours), (wanted, theirs)):
                frame.pts, frame.time_base = index, Fraction(1, 60)
                buffer.push(frame)
            values.append(sink.pull().metadata)
        ssim_sum += float(values[0]["lavfi.ssim.All"])
        mse_sum += float(values[1]["lavfi.psnr.mse_avg"])
        count += 1
    mse = mse_sum / count
    psnr = math.inf if mse == 0 else 10 * math.log10(255**2 / mse)
    return ssim_sum / count, psnr, count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chapters", nargs="+", default=["labels", "formula", "fit"])
    parser.add_argument("--quality", default="h", choices=["l", "m", "h", "k"])
    parser.add_argument("--only", nargs="+", choices=list(SETTINGS), help="these settings only")
    parser.add_argument(
        "--held", action="store_true", help="only what a held frame costs x264 (final setting)"
    )
    parser.add_argument(
        "--held-repeats",
        nargs="+",
        metavar="N",
        help="renders with a held frame's repeats coded N:F (x264 codes N at F times its "
        "rate, the rest are skipped pictures) or 'all' (x264 codes every one)",
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--request", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        request = json.loads(args.request)
        made = render_sample(
            args.chapters, args.quality, args.child, request["options"], request["held"]
        )
        print(json.dumps(made))
        return

    settings = {name: SETTINGS[name] for name in (args.only or SETTINGS)}
    settings.setdefault(BASELINE, SETTINGS[BASELINE])
    with tempfile.TemporaryDirectory(prefix="bce-front-") as scratch:
        scratch_dir = Path(scratch)
        started = time.perf_counter()
        reference, _ = rendered(args, scratch_dir / "media", LOSSLESS, "all")
        decoding = decode_seconds(reference)
        print(
            f"chapters {' '.join(args.chapters)} at -q{args.quality}: rendered losslessly in "
            f"{time.perf_counter() - started:.0f} s ({reference.stat().st_size / 1e6:.0f} MB); "
            f"decoding it takes {decoding:.1f} s (taken off each encode time)",
            flush=True,
        )
        if args.held:
            print(held_frame_cost(reference, scratch_dir, decoding), flush=True)
            return
        if args.held_repeats:
            held_repeats_front(args, scratch_dir, reference)
            return
        rows = []
        for name, options in settings.items():
            target = scratch_dir / f"{name.replace(' ', '-')}.mp4"
            seconds = encode(reference, target, options) - decoding
            ssim, psnr, count = compare(reference, target)
            rows.append((name, seconds, count, target.stat().st_size, ssim, psnr))
            target.unlink()
            print(f"  {name}: {seconds:.1f} s", file=sys.stderr, flush=True)

    base = next(row for row in rows if row[0] == BASELINE)
    print(
        f"{'setting':<28} {'encode s':>8} {'fps':>6} {'x medium':>8} {'size MB':>8} "
        f"{'x size':>7} {'SSIM':>8} {'PSNR dB':>8}  as good, no larger"
    )
    for name, seconds, count, size, ssim, psnr in sorted(rows, key=lambda row: row[1]):
        good = ssim >= base[4] and psnr >= base[5] and size <= base[3]
        print(
            f"{name:<28} {seconds:8.1f} {count / seconds:6.0f} {base[1] / seconds:7.2f}x "
            f"{size / 1e6:8.2f} {size / base[3]:7.2f} {ssim:8.5f} {psnr:8.2f}  "
            f"{'yes' if good else ''}"
        )


if __name__ == "__main__":
    main()
