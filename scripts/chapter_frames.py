"""Save one frame per chapter of a rendered film as PNG, to look at.

    .venv/bin/python scripts/chapter_frames.py renders/bce-en-dark.mp4 --out frames/
    .venv/bin/python scripts/chapter_frames.py FILM.mp4 --out frames/ --at 0.5 --sheet

Reads the chapter list beside the film (``FILM.chapters.json``, written by
``bce-video render``) and writes ``<out>/<nn>_<chapter>.png``: by default the frame just
before each chapter's end (``--at 1``), or at that fraction of the chapter (``--at 0.5``).
``--sheet`` also writes ``<out>/sheet.png``, every chapter's frame side by side.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from PIL import Image

from bce_video.stills import frames_at


def chapter_times(film: Path, at: float) -> list[tuple[str, float]]:
    chapters = json.loads(film.with_suffix(".chapters.json").read_text(encoding="utf-8"))
    # Just inside the chapter: a frame before its end.
    return [
        (c["name"], c["start"] + at * (c["end"] - c["start"]) - (0.1 if at >= 1 else 0))
        for c in chapters
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("film", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--at", type=float, default=1.0, help="fraction of each chapter")
    parser.add_argument("--sheet", action="store_true", help="also every frame on one sheet")
    args = parser.parse_args()
    named = chapter_times(args.film, args.at)
    images = frames_at(args.film, [t for _, t in named])
    args.out.mkdir(parents=True, exist_ok=True)
    for k, ((name, _), image) in enumerate(zip(named, images, strict=False)):
        image.save(args.out / f"{k:02d}_{name}.png")
    if args.sheet and images:
        columns = 4
        width, height = images[0].size
        rows = -(-len(images) // columns)
        sheet = Image.new("RGB", (columns * width, rows * height), "gray")
        for k, image in enumerate(images):
            sheet.paste(image, ((k % columns) * width, (k // columns) * height))
        sheet.save(args.out / "sheet.png")
    print(f"{len(images)} frames in {args.out}")


if __name__ == "__main__":
    main()
