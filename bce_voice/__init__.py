"""The film's voice: speech back-ends (``voices``), a teacher's recordings
(``recordings``), clips made ready for the film (``audio``), the synthesis cache
(``cache``), every cue's clip (``narrator``) and the one audio track (``soundtrack``);
and how every file bce-video writes appears whole or not at all (``files``).

No Manim here, and nothing of the film's scenes: cues come in as ids and texts, and go
out as clips with their lengths, which the film's pace follows.
"""
