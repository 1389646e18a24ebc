"""The speech cache's pruning (bce_voice.cache.SpeechCache.prune), on a fake cache of files:
no voice, no synthesis. After a render it keeps the clips the render used, whatever their
size, and the most recently used others while all fit in the budget; a file another
process is writing is never touched, one left behind by a stopped process is."""

from __future__ import annotations

import os
import time
from pathlib import Path

import numpy as np

from bce_voice.cache import STALE_UNFINISHED_SECONDS, SpeechCache
from bce_voice.files import unfinished_name
from bce_voice.narrator import Cue, narrate
from bce_voice.speech import Voice
from bce_voice.voices import VOICES

NOW = time.time()


def clip_file(cache: SpeechCache, key: str, size: int, age: float) -> Path:
    """A kept clip of ``size`` bytes last used ``age`` seconds ago (only its size and
    time matter to pruning)."""
    path = cache._path(key)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\0" * size)
    os.utime(path, (NOW - age, NOW - age))
    return path


def kept(cache: SpeechCache) -> list[str]:
    return sorted(path.name for path in cache.directory.glob("*/*.npy"))


def test_the_used_clips_and_the_most_recent_others_within_the_budget_are_kept(tmp_path):
    cache = SpeechCache(tmp_path)
    clip_file(cache, "aa-used", 600, age=90 * 86400)  # the oldest, but this render's
    clip_file(cache, "bb-recent", 300, age=60)
    clip_file(cache, "cc-older", 300, age=3600)
    clip_file(cache, "dd-oldest", 100, age=86400)
    deleted = cache.prune({"aa-used"}, max_bytes=1000)
    # 600 used + 300 recent = 900; the 300 after it would pass 1000, the 100 would not,
    # but an older clip is never kept over a more recent one.
    assert kept(cache) == ["aa-used.npy", "bb-recent.npy"]
    assert sorted(path.name for path in deleted) == ["cc-older.npy", "dd-oldest.npy"]


def test_the_used_clips_are_kept_even_over_the_budget(tmp_path):
    cache = SpeechCache(tmp_path)
    clip_file(cache, "aa-one", 500, age=10)
    clip_file(cache, "bb-two", 500, age=20)
    clip_file(cache, "cc-other", 10, age=0)
    cache.prune(["aa-one", "bb-two"], max_bytes=100)
    assert kept(cache) == ["aa-one.npy", "bb-two.npy"]


def test_a_clip_being_written_is_spared_and_one_a_stopped_process_left_is_not(tmp_path):
    cache = SpeechCache(tmp_path)
    target = cache._path("ab-being-written")
    target.parent.mkdir(parents=True)
    writing = unfinished_name(target, pid=4242)
    writing.write_bytes(b"\0" * 50)  # another process's, just now
    left = unfinished_name(cache._path("ab-left"), pid=4343)
    left.write_bytes(b"\0" * 50)
    old = NOW - STALE_UNFINISHED_SECONDS - 60
    os.utime(left, (old, old))
    deleted = cache.prune(set(), max_bytes=0)
    assert deleted == [left]
    assert writing.exists()
    assert kept(cache) == [writing.name]


def test_reading_a_clip_makes_it_the_most_recently_used(tmp_path):
    cache = SpeechCache(tmp_path)
    clip = np.zeros(100, np.float32)
    for key in ("aa-read", "bb-unread"):
        cache.put(key, clip)
    size = cache._path("aa-read").stat().st_size
    for age, key in ((7200, "aa-read"), (60, "bb-unread")):
        os.utime(cache._path(key), (NOW - age, NOW - age))
    assert np.array_equal(cache.get("aa-read"), clip)
    cache.prune(set(), max_bytes=size)
    assert kept(cache) == ["aa-read.npy"]


class CachedOnly(Voice):
    """A voice whose every clip is in the cache already: it must never be asked."""

    name = "cached-only"
    languages = frozenset({"en"})
    natural = False
    install = "nothing to install"
    licence = "none"

    def available(self) -> bool:
        return True

    def version(self) -> str:
        return "1"

    def synthesize(self, texts, language):
        assert not texts, f"synthesised {texts}"
        return []

    def cannot_say(self, text: str, language: str) -> str:
        return ""


def test_a_narration_names_the_clips_its_render_must_keep(tmp_path, monkeypatch):
    monkeypatch.setitem(VOICES, CachedOnly.name, CachedOnly())
    cache = SpeechCache(tmp_path)
    cues = [Cue("a.one", "One."), Cue("a.two", "Two.")]
    keys = {cache.key(CachedOnly.name, "1", "en", cue.text) for cue in cues}
    for key in keys:
        cache.put(key, np.ones(4800, np.float32))
        os.utime(cache._path(key), (NOW - 86400, NOW - 86400))
    clip_file(cache, "ff-another-film", 100, age=0)
    narration = narrate(cues, "en", CachedOnly.name, cache)
    assert narration.synthesised == 0
    assert narration.cache_keys == keys
    cache.prune(narration.cache_keys, max_bytes=0)
    assert kept(cache) == sorted(f"{key}.npy" for key in keys)
