"""A TFLite model's TensorFlow ``RandomUniform`` ops (``FlexRandomUniform``, which only a
TensorFlow build runs) rewritten into TFLite's built-in ``RANDOM_UNIFORM``, with fixed
seeds, so that ai-edge-litert runs the model, and always draws the same numbers.

The rewrite edits the model through the flatbuffer schema that ships with ai-edge-litert
(``ai_edge_litert.schema_py_generated``, its object API): the custom operator code becomes
the built-in one, and each op's custom options (a flexbuffer holding TensorFlow's
serialized ``NodeDef``) become ``RandomOptions`` (``seed``, ``seed2``). The op's inputs and
outputs stay as they are: the shape (an int32 vector) in, float32 numbers in [0, 1) out,
which is what the built-in op takes and gives; the NodeDef's ``T`` and ``dtype`` attributes
are checked to say so.

The built-in kernel seeds its Philox generator in its ``Prepare`` (the interpreter's
``allocate_tensors``) and advances it at every ``invoke``: a caller who wants the same
numbers for the same input prepares the interpreter again before each run.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

from .files import written_atomically

FLEX_RANDOM_UNIFORM = "FlexRandomUniform"
# TensorFlow's DataType enum: the NodeDef's attributes the built-in op must agree with.
DT_FLOAT, DT_INT32 = 1, 3
# A change to how the model is rewritten is a different rewritten model: part of its name.
REWRITE_VERSION = 1


class RewriteError(ValueError):
    """A model that is not what the rewrite expects."""


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _varint(data: bytes, at: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, at


def _fields(data: bytes) -> list[tuple[int, int | bytes]]:
    """A protobuf message's fields, in order: (number, value), where a value is an int
    (varint) or bytes (length-delimited). Other wire types are not in a NodeDef's parts
    read here."""
    fields, at = [], 0
    while at < len(data):
        key, at = _varint(data, at)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, at = _varint(data, at)
        elif wire == 2:
            size, at = _varint(data, at)
            value, at = data[at : at + size], at + size
        elif wire == 5:
            value, at = int.from_bytes(data[at : at + 4], "little"), at + 4
        elif wire == 1:
            value, at = int.from_bytes(data[at : at + 8], "little"), at + 8
        else:
            raise RewriteError(f"unexpected protobuf wire type {wire}")
        fields.append((number, value))
    return fields


def flex_node_def(custom_options: bytes) -> tuple[str, dict[str, int]]:
    """A Flex op's TensorFlow op name and its integer and type attributes, from its custom
    options: a flexbuffer vector [op name, serialized NodeDef]."""
    from flatbuffers import flexbuffers

    root = flexbuffers.GetRoot(bytes(custom_options)).AsVector
    op = root[0].AsString
    attributes: dict[str, int] = {}
    for number, entry in _fields(root[1].AsStringBytes):
        if number != 5:  # NodeDef.attr: map<string, AttrValue>
            continue
        entry_fields = dict(_fields(entry))
        name = entry_fields[1].decode()
        for kind, value in _fields(entry_fields.get(2, b"")):
            if kind in (3, 6):  # AttrValue.i, AttrValue.type
                attributes[name] = value
    return op, attributes


def rewrite_random_uniform(model: bytes, seeds: Sequence[tuple[int, int]]) -> bytes:
    """``model`` with its FlexRandomUniform ops as built-in RANDOM_UNIFORM ops, the n-th
    (in the order of the graph) seeded with ``seeds[n]`` (seed, seed2; not both zero, which
    would mean "seed from the clock"). Raises RewriteError."""
    import flatbuffers
    from ai_edge_litert import schema_py_generated as schema

    if any(seed == 0 and seed2 == 0 for seed, seed2 in seeds):
        raise RewriteError("seeds (0, 0) mean a different random seed at every run")
    tree = schema.ModelT.InitFromPackedBuf(model, 0)
    flex = {
        index
        for index, code in enumerate(tree.operatorCodes)
        if code.customCode and code.customCode.decode() == FLEX_RANDOM_UNIFORM
    }
    found = 0
    for graph in tree.subgraphs:
        for op in graph.operators:
            if op.opcodeIndex not in flex:
                continue
            name, attributes = flex_node_def(op.customOptions)
            shape, out = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
            checks = {
                "the op": (name, "RandomUniform"),
                "inputs": (len(op.inputs), 1),
                "outputs": (len(op.outputs), 1),
                "T (the shape's type)": (attributes.get("T"), DT_INT32),
                "dtype": (attributes.get("dtype"), DT_FLOAT),
                "the shape tensor's type": (shape.type, schema.TensorType.INT32),
                "the output's type": (out.type, schema.TensorType.FLOAT32),
            }
            for what, (seen, wanted) in checks.items():
                if seen != wanted:
                    raise RewriteError(f"{FLEX_RANDOM_UNIFORM}: {what} is {seen}, not {wanted}")
            if found >= len(seeds):
                raise RewriteError(f"more than {len(seeds)} {FLEX_RANDOM_UNIFORM} ops")
            seed, seed2 = seeds[found]
            found += 1
            op.builtinOptionsType = schema.BuiltinOptions.RandomOptions
            op.builtinOptions = schema.RandomOptionsT(seed=seed, seed2=seed2)
            op.customOptions = None
            op.customOptionsFormat = schema.CustomOptionsFormat.FLEXBUFFERS
    if found != len(seeds):
        raise RewriteError(f"{found} {FLEX_RANDOM_UNIFORM} ops, not {len(seeds)}")
    builtin = schema.BuiltinOperator.RANDOM_UNIFORM
    placeholder = schema.BuiltinOperator.PLACEHOLDER_FOR_GREATER_OP_CODES
    for index in flex:
        # Codes above 127 live in builtinCode; the old byte field holds the placeholder.
        tree.operatorCodes[index] = schema.OperatorCodeT(
            deprecatedBuiltinCode=min(builtin, placeholder), builtinCode=builtin, version=1
        )
    builder = flatbuffers.Builder(len(model) + (1 << 20))
    builder.Finish(tree.Pack(builder), file_identifier=b"TFL3")
    return bytes(builder.Output())


def cached_rewrite(original: Path, folder: Path, seeds: Sequence[tuple[int, int]]) -> Path:
    """The rewritten ``original``, kept in ``folder`` under the original's sha256, the
    rewrite's version and the seeds, and made only when it is not there whole: its own
    sha256 is written beside it and checked at every use (a damaged or half-written file is
    made again). Both are written to a temporary file first, then renamed into place, so
    that a process reading finds a whole file or none."""
    source = file_sha256(original)
    seed_tag = "-".join(f"{seed}.{seed2}" for seed, seed2 in seeds)
    home = Path(folder) / f"{Path(original).stem}-{source}"
    path = home / f"builtin-random-v{REWRITE_VERSION}-seeds-{seed_tag}.tflite"
    check = path.with_name(path.name + ".sha256")
    try:
        if check.read_text().strip() == file_sha256(path):
            return path
    except OSError:  # not there yet
        pass
    rewritten = rewrite_random_uniform(Path(original).read_bytes(), seeds)
    home.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(rewritten).hexdigest().encode()
    for target, content in ((path, rewritten), (check, digest)):
        with written_atomically(target) as part:
            part.write_bytes(content)
    return path
