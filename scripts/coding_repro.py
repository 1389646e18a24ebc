"""Is a render deterministic? Render one chapter N times, each in a fresh process, and
hash, for every partial movie, what reaches x264 (each frame's pixels as written, and
the YUV picture the encoder is sent) and what comes out of it (each packet); then say
where runs first differ: in the frames, in the pictures sent, or only in the packets.

    .venv/bin/python scripts/coding_repro.py --chapter fit --runs 6

Each run is a plain ``manim -ql --disable_caching scenes/chapter.py <Chapter>`` in a
temporary folder, with the film's own encoder (bce_film.encoding.HeldFrameEncoder)
watched from outside: nothing in the project is changed for it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _digest(data) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def _watch(record: dict) -> None:
    """Wrap the film's segment encoder so that each segment records what it was given
    and what it wrote (in ``record``, by the segment's file name)."""
    import av

    from bce_film import encoding

    class Watched:
        """The encoder's stream, hashing every picture sent to x264."""

        def __init__(self, stream, log) -> None:
            self._real, self._log = stream, log

        def __getattr__(self, name):
            return getattr(self._real, name)

        def encode(self, frame=None):
            if frame is not None:
                context = self._real.codec_context
                picture = frame
                if frame.format.name != context.format.name:
                    picture = frame.reformat(
                        format=context.format, width=context.width, height=context.height
                    )
                # The visible samples only: a plane's rows are padded, and the padding
                # is whatever the buffer held.
                planes = picture.to_ndarray().tobytes()
                self._log["sent"].append(
                    [
                        frame.pts,
                        frame.format.name,
                        _digest(planes),
                        str(frame.pict_type),
                        frame.key_frame,
                    ]
                )
            return self._real.encode(frame)

    original_init = encoding.HeldFrameEncoder.__init__
    original_write = encoding.HeldFrameEncoder.write_frame
    original_mux = encoding._CountingContainer.mux
    original_skipped = encoding.HeldFrameEncoder._finish_with_skipped_pictures

    def init(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        log = record.setdefault(
            self.target.name, {"written": [], "sent": [], "packets": [], "options": None}
        )
        self._stream = Watched(self._stream, log)
        self._container.stream = self._stream
        self._container._log = log
        self._log = log

    def write_frame(self, pixels, *, repeat=1):
        if self._log["options"] is None:
            context = self._stream.codec_context
            self._log["options"] = [
                dict(context.options),
                context.thread_count,
                str(context.thread_type),
            ]
        self._log["written"].append([_digest(pixels.tobytes()), repeat])
        return original_write(self, pixels, repeat=repeat)

    def mux(self, packet):
        if packet.size:
            self._log["packets"].append([packet.pts, packet.dts, _digest(bytes(packet))])
        return original_mux(self, packet)

    def finish_with_skipped_pictures(self):
        self._stream = self._stream._real  # its packets need the stream itself
        return original_skipped(self)

    encoding.HeldFrameEncoder._finish_with_skipped_pictures = finish_with_skipped_pictures
    encoding.HeldFrameEncoder.__init__ = init
    encoding.HeldFrameEncoder.write_frame = write_frame
    encoding._CountingContainer.mux = mux
    del av


def child(scene: str, media: str, out: str) -> None:
    record: dict = {}
    _watch(record)
    from manim.__main__ import main

    sys.argv = [
        "manim",
        "-ql",
        "--disable_caching",
        "--progress_bar",
        "none",
        "-v",
        "WARNING",
        "--media_dir",
        media,
        *(["scenes/bce.py"] if scene == "film" else ["scenes/chapter.py", scene]),
    ]
    try:
        main()
    except SystemExit as stop:
        if stop.code:
            raise
    Path(out).write_text(json.dumps(record))


def first_difference(a: dict, b: dict) -> str | None:
    for name in sorted(set(a) | set(b)):
        if name not in a or name not in b:
            return f"{name}: only in one run"
        for part in ("options", "written", "sent", "packets"):
            if a[name][part] != b[name][part]:
                items = zip(a[name][part] or [], b[name][part] or [], strict=False)
                at = next((k for k, (x, y) in enumerate(items) if x != y), None)
                return f"{name}: {part} differ (first at item {at})"
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chapter", default="fit", help="a chapter, or 'film': all of it")
    parser.add_argument("--runs", type=int, default=6)
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    from scenes.chapters import scene_class_name

    runs = []
    with tempfile.TemporaryDirectory() as scratch:
        for k in range(args.runs):
            out = Path(scratch) / f"run{k}.json"
            media = Path(scratch) / f"media{k}"
            scene = "film" if args.chapter == "film" else scene_class_name(args.chapter)
            subprocess.run(
                [sys.executable, __file__, "--child", scene, str(media), str(out)],
                cwd=REPO,
                check=True,
                env={**os.environ, "BCE_VOICE": "none"},
            )
            runs.append(json.loads(out.read_text()))
            segments = len(runs[-1])
            packets = sum(len(s["packets"]) for s in runs[-1].values())
            difference = first_difference(runs[0], runs[-1]) if k else None
            print(
                f"run {k}: {segments} segments, {packets} packets; "
                f"{'same as run 0' if k and difference is None else difference or ''}",
                flush=True,
            )
    if os.environ.get("CODING_REPRO_KEEP"):
        Path(os.environ["CODING_REPRO_KEEP"]).write_text(json.dumps(runs))
    differing = sum(first_difference(runs[0], run) is not None for run in runs[1:])
    print(f"{differing} of {len(runs) - 1} runs differ from run 0")


if __name__ == "__main__":
    main()
