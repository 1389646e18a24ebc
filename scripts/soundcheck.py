"""Look at a narrated film's sound: its figures, and its waveform under the subtitles.

    .venv/bin/python scripts/soundcheck.py renders/bce-en-dark.mp4 [--png wave.png]
                                           [--from SECONDS] [--to SECONDS]

Prints the audio stream's codec, rate and length against the video's, the integrated
loudness (pyloudnorm) and true peak (FFmpeg's ebur128), and each subtitle's start
against the nearest speech onset; draws the waveform with each subtitle's span under it.
The subtitles are the .srt beside the MP4.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import srt
from PIL import Image, ImageDraw, ImageFont

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from audio_helpers import ebur128, film_sound, loudness, speech_onsets

WIDTH, WAVE_HEIGHT, LANE = 1800, 260, 26
# A face with CJK glyphs for Chinese subtitles (Debian's fonts-noto-cjk), else Pillow's.
CJK_FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("film", type=Path)
    parser.add_argument("--png", type=Path, help="draw the waveform and subtitles here")
    parser.add_argument("--from", dest="start", type=float, default=0.0)
    parser.add_argument("--to", dest="end", type=float)
    args = parser.parse_args()
    sound = film_sound(args.film)
    cues = list(srt.parse(args.film.with_suffix(".srt").read_text(encoding="utf-8")))
    integrated, peak = ebur128(args.film)
    print(f"audio: {sound.codec}, {sound.rate} Hz, {sound.channels} channel(s)")
    print(f"length: audio {sound.audio_seconds:.3f} s, video {sound.video_seconds:.3f} s")
    print(f"loudness: {loudness(sound):.2f} LUFS (pyloudnorm), {integrated:.1f} LUFS (FFmpeg)")
    print(f"true peak: {peak:.1f} dBTP (FFmpeg)")
    onsets = speech_onsets(sound)
    offsets = []
    for cue in cues:
        start = cue.start.total_seconds()
        nearest = onsets[np.argmin(np.abs(onsets - start))] if len(onsets) else np.nan
        offsets.append(nearest - start)
    offsets = np.array(offsets)
    print(
        f"onsets: {len(cues)} subtitles; speech starts after the subtitle by "
        f"{1000 * np.median(offsets):.0f} ms (median), {1000 * np.max(np.abs(offsets)):.0f} ms "
        f"at most"
    )
    if args.png:
        draw(sound, cues, args.start, args.end or sound.audio_seconds, args.png)
        print(f"picture: {args.png}")
    return 0


def draw(sound, cues, start: float, end: float, png: Path) -> None:
    image = Image.new("RGB", (WIDTH, WAVE_HEIGHT + 3 * LANE), "white")
    pen = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(CJK_FONT), 13) if CJK_FONT.is_file() else None
    first, last = round(start * sound.rate), round(end * sound.rate)
    part = sound.samples[first:last]
    columns = np.array_split(part, WIDTH)
    middle = WAVE_HEIGHT // 2
    for x, column in enumerate(columns):
        if len(column):
            top, bottom = float(column.max()), float(column.min())
            pen.line([(x, middle - top * middle), (x, middle - bottom * middle)], fill="#1f4e79")
    pen.line([(0, middle), (WIDTH, middle)], fill="#bbbbbb")

    def at(seconds: float) -> float:
        return (seconds - start) / (end - start) * WIDTH

    for number, cue in enumerate(cues):
        a, b = cue.start.total_seconds(), cue.end.total_seconds()
        if b < start or a > end:
            continue
        lane = WAVE_HEIGHT + (number % 2) * LANE + 4
        pen.rectangle([at(a), lane, at(b), lane + LANE - 8], fill="#f4b183", outline="#c55a11")
        pen.line([(at(a), 0), (at(a), WAVE_HEIGHT)], fill="#c55a11")
        pen.text((at(a) + 3, lane + 1), cue.content[:40], fill="black", font=font)
    for second in range(int(start), int(end) + 1):
        pen.text((at(second), WAVE_HEIGHT + 2 * LANE + 6), f"{second}", fill="#666666", font=font)
    image.save(png)


if __name__ == "__main__":
    raise SystemExit(main())
