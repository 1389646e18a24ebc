"""Decode two films and compare them frame by frame (and their subtitles and sections):

    .venv/bin/python scripts/compare_films.py BEFORE.mp4 AFTER.mp4

Prints how many frames there are, which differ (and by how much), and whether the .srt
files beside them are equal. Exit 1 if anything differs. Used to show that a refactoring
left the film as it was.
"""

from __future__ import annotations

import argparse
import sys
from itertools import zip_longest
from pathlib import Path

import av
import numpy as np


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    args = parser.parse_args()
    differing, count = [], 0
    with av.open(str(args.before)) as a, av.open(str(args.after)) as b:
        for index, (frame_a, frame_b) in enumerate(
            zip_longest(a.decode(video=0), b.decode(video=0))
        ):
            if frame_a is None or frame_b is None:
                print(f"frame counts differ: one film ends at frame {index}")
                return 1
            count += 1
            pixels_a = frame_a.to_ndarray(format="rgb24")
            pixels_b = frame_b.to_ndarray(format="rgb24")
            if not np.array_equal(pixels_a, pixels_b):
                off = np.abs(pixels_a.astype(np.int16) - pixels_b.astype(np.int16))
                differing.append((index, float(off.mean()), int(off.max())))
    print(f"{count} frames each; {len(differing)} differ")
    for index, mean, worst in differing[:20]:
        print(f"  frame {index} ({index / 15:.2f} s at 15 fps): mean {mean:.3f}, max {worst}")
    same = not differing
    for suffix in (".srt",):
        first, second = args.before.with_suffix(suffix), args.after.with_suffix(suffix)
        if first.is_file() and second.is_file():
            equal = first.read_bytes() == second.read_bytes()
            print(f"{suffix}: {'equal' if equal else 'DIFFERENT'}")
            same = same and equal
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
