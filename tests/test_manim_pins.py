"""The parts of Manim the film leans on that Manim does not promise to keep: private
names, attributes its documentation does not list, modules inside its packages, and the
config options a render sets through ``tempconfig`` (which drops an option it does not
know without a word: a renamed one would leave the film encoded with Manim's defaults).
One table, ``PINS``; after a Manim upgrade this test names whatever moved, and which of
our files to change."""

from __future__ import annotations

import ast
import dataclasses
import importlib
import inspect
import textwrap
from typing import NamedTuple

import manim
import pytest


class Pin(NamedTuple):
    where: str  # the owner: a module, a class (module.Class), or manim.config
    name: str
    expects: str  # see _problem: "class", "attribute", "property", "(self, x)", ...
    ours: str  # the file of ours that relies on it
    why: str  # what it does with it: "<ours>'s <why>"


SFW = "manim.scene.scene_file_writer.SceneFileWriter"
VSE = "manim.scene.video_segment_encoder.VideoSegmentEncoder"
RENDERER = "manim.renderer.cairo_renderer.CairoRenderer"
ENCODING, SCENE, CACHES = "bce_film/encoding.py", "bce_film/scene.py", "bce_film/caches.py"
WORKER, PREFLIGHT = "bce_video/worker.py", "bce_film/preflight.py"
TEXT, TEX = "manim.mobject.text.text_mobject", "manim.mobject.text.tex_mobject"

PINS = [
    # The film's file writer and its segment encoder (bce_film/encoding.py).
    Pin(SFW, "_create_segment_encoder", "(self, target)", ENCODING, "FilmFileWriter overrides it"),
    Pin(SFW, "video_encoder", "attribute", ENCODING, "FilmFileWriter hands it to its encoder"),
    Pin(SFW, "finish", "(self)", ENCODING, "FilmFileWriter and PiecesFileWriter override it"),
    Pin(SFW, "join_all_encode_jobs", "(self)", ENCODING, "PiecesFileWriter.finish calls it"),
    Pin(SFW, "output_spec", "attribute", ENCODING, "FilmFileWriter.finish reads it"),
    Pin(SFW, "movie_file_path", "property", ENCODING, "FilmFileWriter.finish reads it"),
    Pin("manim._config.output.OutputSpec", "is_video", "property", ENCODING,
        "FilmFileWriter.finish reads it"),
    Pin("manim._config.output.OutputSpec", "is_gif", "property", ENCODING,
        "FilmFileWriter.finish reads it"),
    Pin("manim.scene.video_segment_encoder", "VideoSegmentEncoder", "class", ENCODING,
        "HeldFrameEncoder subclasses it"),
    Pin(VSE, "__init__", "(self, *, target, spec)", ENCODING, "HeldFrameEncoder calls it"),
    Pin(VSE, "write_frame", "(self, pixels, *, repeat)", ENCODING,
        "HeldFrameEncoder overrides it"),
    Pin(VSE, "finish", "(self)", ENCODING, "HeldFrameEncoder overrides it"),
    Pin(VSE, "abort", "(self)", ENCODING, "HeldFrameEncoder overrides it"),
    Pin(VSE, "_validate_frame", "(self, pixels, repeat)", ENCODING, "HeldFrameEncoder calls it"),
    Pin(VSE, "_operation_error", "(self, operation, error)", ENCODING,
        "HeldFrameEncoder raises what it makes"),
    Pin(VSE, "_container", "attribute", ENCODING, "HeldFrameEncoder wraps it to count pictures"),
    Pin(VSE, "_stream", "attribute", ENCODING, "HeldFrameEncoder encodes with it"),
    Pin(VSE, "_next_pts", "attribute", ENCODING, "HeldFrameEncoder stamps frames with it"),
    Pin(VSE, "_closed", "attribute", ENCODING, "HeldFrameEncoder closes the file itself"),
    Pin(VSE, "spec", "attribute", ENCODING, "HeldFrameEncoder reads the frame rate in it"),
    Pin(VSE, "target", "attribute", ENCODING, "HeldFrameEncoder.abort points it at its file"),
    Pin("manim._config.video_encoder", "VideoEncoderSpec",
        "fields(container_format, codec, pixel_format, width, height, frame_rate, options)",
        "tests/film_helpers.py", "encoder_spec makes one"),
    # The renderer's frame-counting clock (bce_film/scene.py), and who reads its movies.
    Pin(RENDERER, "__init__", "keyword file_writer_class", SCENE, "film_renderer passes it"),
    Pin(RENDERER, "play", "(self, scene, *args, **kwargs)", SCENE, "FilmRenderer overrides it"),
    Pin(RENDERER, "update_frame",
        "(self, scene, mobjects, include_submobjects, ignore_skipping, **kwargs)", SCENE,
        "FilmRenderer overrides it: no picture for a skipped play"),
    Pin(RENDERER, "time", "attribute", SCENE, "FilmRenderer sets its clock"),
    Pin(RENDERER, "skip_animations", "attribute", SCENE, "FilmRenderer reads it"),
    Pin(RENDERER, "animations_hashes", "attribute", SCENE, "FilmRenderer reads it"),
    Pin(RENDERER, "file_writer", "attribute", SCENE, "FilmRenderer and FilmScene read it"),
    Pin(RENDERER, "camera", "attribute", SCENE, "FilmRenderer reads its frame rate"),
    Pin("manim.camera.camera.Camera", "frame_rate", "attribute", SCENE, "FilmRenderer reads it"),
    Pin(SFW, "partial_movie_files", "attribute", WORKER, "chapter_end sends a chapter's"),
    Pin("manim.Scene", "__init__", "keyword renderer", WORKER, "render_worker passes it"),
    # Text and LaTeX made one process at a time (bce_film/caches.py).
    Pin(TEXT, "Text", "class", CACHES, "lock_shared_renderings locks its __init__"),
    Pin(TEXT, "MarkupText", "class", CACHES, "lock_shared_renderings locks its __init__"),
    Pin(TEX, "SingleStringMathTex", "class", CACHES, "lock_shared_renderings locks its __init__"),
    Pin(f"{TEXT}.Text", "__init__", "keyword use_svg_cache", CACHES,
        "keep_parsed_texts turns Manim's cache of parsed SVGs on for Text (headless)"),
    Pin(TEX, "MathTex", f"subclass of {TEX}.SingleStringMathTex", CACHES,
        "lock_shared_renderings locks it through SingleStringMathTex"),
    # What the preflight measures on the screen (bce_film/preflight.py).
    Pin(f"{TEXT}.Text", "original_text", "attribute", PREFLIGHT, "_text_glyph reads it"),
    Pin(f"{TEXT}.Text", "text", "attribute", PREFLIGHT, "_text_glyph reads it"),
    Pin(f"{TEXT}.Text", "font", "attribute", PREFLIGHT, "_text_glyph reads it"),
    Pin(f"{TEXT}.Text", "font_size", "property", PREFLIGHT, "_text_glyph reads it"),
    Pin("manim.mobject.text.code_mobject.Code", "code_lines", "attribute", PREFLIGHT,
        "_code_glyph reads it"),
    Pin(f"{TEXT}.Paragraph", "lines_text", "attribute", PREFLIGHT, "_code_glyph reads it"),
    Pin(f"{TEXT}.Paragraph", "chars", "attribute", PREFLIGHT, "_code_glyph reads it"),
    Pin(f"{TEX}.SingleStringMathTex", "get_tex_string", "(self)", PREFLIGHT,
        "measure_text calls it"),
    # Options set through tempconfig, which drops one it does not know.
    *[
        Pin("manim.config", option, "config option", WORKER, "manim_config sets it")
        for option in (
            "quality", "media_dir", "tex_dir", "text_dir", "output_file", "save_sections",
            "progress_bar", "verbosity", "disable_caching", "video_encoder_options",
            "max_inflight_encoders",
        )
    ],
    Pin("manim.config", "dry_run", "config option", PREFLIGHT, "run_preflight sets it"),
]  # fmt: skip


def _resolve(where: str):
    """A module or a module's class from a dotted path."""
    parts = where.split(".")
    for split in range(len(parts), 0, -1):
        try:
            found = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        for part in parts[split:]:
            found = getattr(found, part)
        return found
    raise ImportError(where)


def _shape(function) -> str:
    """A function's parameters, names and kinds only: "(self, pixels, *, repeat)"."""
    parts, starred = [], False
    for parameter in inspect.signature(function).parameters.values():
        if parameter.kind is parameter.VAR_POSITIONAL:
            parts.append(f"*{parameter.name}")
            starred = True
        elif parameter.kind is parameter.VAR_KEYWORD:
            parts.append(f"**{parameter.name}")
        else:
            if parameter.kind is parameter.KEYWORD_ONLY and not starred:
                parts.append("*")
                starred = True
            parts.append(parameter.name)
    return f"({', '.join(parts)})"


def _assigns(cls: type, name: str) -> bool:
    """Whether a method of ``cls`` or of a Manim class it derives from sets self.<name>."""
    for owner in inspect.getmro(cls):
        if not owner.__module__.startswith("manim"):
            continue
        try:
            tree = ast.parse(textwrap.dedent(inspect.getsource(owner)))
        except (OSError, TypeError):
            continue
        for node in ast.walk(tree):
            targets = getattr(node, "targets", None) or [getattr(node, "target", None)]
            for target in targets:
                if (
                    isinstance(target, ast.Attribute)
                    and target.attr == name
                    and isinstance(target.value, ast.Name)
                    and target.value.id == "self"
                ):
                    return True
    return False


def _problem(pin: Pin) -> str | None:
    """What is wrong with ``pin`` in the installed Manim, or None."""
    short = f"{pin.where.rsplit('.', 1)[-1]}.{pin.name}"
    relied = f"{pin.ours}'s {pin.why}"
    gone = f"manim {manim.__version__} no longer has {short}: {relied}"
    try:
        owner = _resolve(pin.where)
    except (ImportError, AttributeError):
        return f"manim {manim.__version__} no longer has {pin.where}: {relied}"
    if pin.expects == "attribute":
        return None if _assigns(owner, pin.name) else gone
    if pin.expects == "config option":
        option = inspect.getattr_static(type(owner), pin.name, None)  # a property
        if isinstance(option, property) and option.fset is not None:
            return None
        return gone
    found = inspect.getattr_static(owner, pin.name, None)
    if found is None:
        return gone
    if pin.expects == "property":
        kind = "a property" if isinstance(found, property) else type(found).__name__
        ok = kind == "a property"
    elif pin.expects == "class":
        kind, ok = type(found).__name__, inspect.isclass(found)
    elif not (inspect.isclass(found) or callable(found)):
        kind, ok = type(found).__name__, False
    elif pin.expects.startswith("subclass of "):
        base = _resolve(pin.expects.removeprefix("subclass of "))
        ok = inspect.isclass(found) and issubclass(found, base)
        kind = f"{found!r}, derived from {getattr(found, '__bases__', ())}"
    elif pin.expects.startswith("fields("):
        names = (
            [f.name for f in dataclasses.fields(found)] if dataclasses.is_dataclass(found) else []
        )
        kind = f"fields({', '.join(names)})"
        ok = kind == pin.expects
    elif pin.expects.startswith("keyword "):
        kind = _shape(found)
        parameter = inspect.signature(found).parameters.get(pin.expects.removeprefix("keyword "))
        ok = parameter is not None and parameter.kind in (
            parameter.POSITIONAL_OR_KEYWORD,
            parameter.KEYWORD_ONLY,
        )
    else:  # a function's parameters
        kind = _shape(found)
        ok = kind == pin.expects
    if ok:
        return None
    return f"manim {manim.__version__}'s {short} is {kind}, not {pin.expects}: {relied}"


def test_manim_still_has_every_name_the_film_leans_on():
    problems = [problem for problem in map(_problem, PINS) if problem]
    assert not problems, "\n".join(problems)


def test_every_option_a_render_worker_sets_is_pinned():
    """tempconfig drops an option Manim does not know: each must be in PINS."""
    from bce_video.request import RenderRequest
    from bce_video.worker import manim_config

    pinned = {pin.name for pin in PINS if pin.expects == "config option"}
    assert set(manim_config(RenderRequest(), "media", "tex", "texts")) <= pinned


@pytest.mark.parametrize(
    "pin, message",
    [
        (
            Pin(SFW, "_make_segment_encoder", "(self, target)", ENCODING, "X overrides it"),
            "no longer has SceneFileWriter._make_segment_encoder: "
            "bce_film/encoding.py's X overrides it",
        ),
        (
            Pin(VSE, "_validate_frame", "(self, pixels)", ENCODING, "Y calls it"),
            "'s VideoSegmentEncoder._validate_frame is (self, pixels, repeat), not "
            "(self, pixels): bce_film/encoding.py's Y calls it",
        ),
        (
            Pin(VSE, "_muxer", "attribute", ENCODING, "Z"),
            "no longer has VideoSegmentEncoder._muxer",
        ),
        (Pin("manim.config", "encoder_knobs", "config option", WORKER, "W"), "encoder_knobs"),
        (Pin("manim.scene.no_such_module", "Thing", "class", WORKER, "V"), "no_such_module"),
    ],
    ids=["method", "signature", "attribute", "option", "module"],
)
def test_a_name_manim_lost_is_said_with_the_version_and_our_file(pin, message):
    problem = _problem(pin)
    assert problem is not None and message in problem
    assert problem.startswith(f"manim {manim.__version__}")
