"""Make the README's poster frame and short animated preview from a rendered film.

    .venv/bin/manim -ql --save_sections scenes/bce.py     # or ./run video
    .venv/bin/python scripts/make_previews.py

Reads the per-chapter clips Manim wrote (--save_sections) and writes
renders/readme/poster.png (the last frame of the mean-loss chapter) and
renders/readme/bars.webp (the bars slide together, stand, and turn into losses).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import av
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
SECTIONS = ROOT / "renders/videos/bce/480p15/sections"
OUT = ROOT / "renders/readme"

POSTER_CHAPTER = "mean_loss"
PREVIEW_CHAPTERS = ("drop_axis", "stand_bars", "mean_loss")
PREVIEW_WIDTH = 480
PREVIEW_FPS = 10
PREVIEW_MAX_SECONDS = 14.0


def chapter_clip(sections: Path, name: str) -> Path:
    matches = sorted(sections.glob(f"*_[0-9][0-9][0-9][0-9]_{name}.mp4"))
    if not matches:
        sys.exit(f"no clip for chapter {name!r} in {sections}: render with --save_sections first")
    return matches[0]


def frames(path: Path):
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        rate = float(stream.average_rate)
        for index, frame in enumerate(container.decode(stream)):
            yield index / rate, frame.to_image()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sections", type=Path, default=SECTIONS)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)

    *_, (_, poster) = frames(chapter_clip(args.sections, POSTER_CHAPTER))
    poster.save(args.out / "poster.png", optimize=True)

    # The preview: the bars chapters, sped up to fit, at PREVIEW_FPS.
    clips = [chapter_clip(args.sections, name) for name in PREVIEW_CHAPTERS]
    total = sum(float(av.open(str(c)).duration) / 1e6 for c in clips)
    speed = max(1.0, total / PREVIEW_MAX_SECONDS)
    picked: list[Image.Image] = []
    next_time = 0.0
    offset = 0.0
    for clip in clips:
        last = 0.0
        for time, image in frames(clip):
            last = time
            if offset + time >= next_time:
                height = round(image.height * PREVIEW_WIDTH / image.width)
                picked.append(image.resize((PREVIEW_WIDTH, height), Image.LANCZOS))
                next_time += speed / PREVIEW_FPS
        offset += last
    picked[0].save(
        args.out / "bars.webp",
        save_all=True,
        append_images=picked[1:],
        duration=round(1000 / PREVIEW_FPS),
        loop=0,
        quality=70,
        method=4,
    )
    for name in ("poster.png", "bars.webp"):
        path = args.out / name
        print(f"{path.relative_to(ROOT)}: {path.stat().st_size / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
