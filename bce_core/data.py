"""Datasets: the article's ten points, and loading a user's CSV or JSON file.

Every rejection raises :class:`DataError` with a message that names the file, the
line, the offending value and what was expected, so that a command-line user can fix
the file without reading a traceback.
"""

from __future__ import annotations

import bisect
import csv
import io
import json
import math
import os
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

#: Files larger than this are refused before they are parsed: 64 MiB holds about three
#: million rows of "x,y", far more than a film can show, and keeps a stray 1 GB file
#: from exhausting memory.
MAX_FILE_BYTES = 64 * 1024 * 1024

_NUMERIC_TRUE = {"1", "true"}
_NUMERIC_FALSE = {"0", "false"}


class DataError(ValueError):
    """A dataset could not be read or is not usable for binary classification."""


@dataclass(frozen=True)
class Dataset:
    """One feature ``x`` and a binary label ``y`` (1 = positive class)."""

    x: np.ndarray
    y: np.ndarray
    positive_label: str = "1"
    negative_label: str = "0"
    source: str = "<memory>"
    #: The file it was read from, as given to ``load_dataset``; None when built in memory.
    path: str | None = None

    def __post_init__(self) -> None:
        x = np.array(self.x, dtype=np.float64)
        y = np.array(self.y)
        if x.ndim != 1 or y.ndim != 1 or x.shape != y.shape:
            raise DataError(
                f"{self.source}: x and y must be 1-D and of equal length, "
                f"got shapes {x.shape} and {y.shape}"
            )
        if not np.all(np.isfinite(x)):
            bad = int(np.flatnonzero(~np.isfinite(x))[0])
            raise DataError(f"{self.source}: x[{bad}] is {x[bad]!r}, expected a finite number")
        if not np.all((y == 0) | (y == 1)):
            bad = int(np.flatnonzero((y != 0) & (y != 1))[0])
            raise DataError(f"{self.source}: y[{bad}] is {y[bad]!r}, expected 0 or 1")
        y = y.astype(np.int64)
        _check_usable(len(x), y, self.source, self.positive_label, self.negative_label)
        x.setflags(write=False)
        y.setflags(write=False)
        object.__setattr__(self, "x", x)
        object.__setattr__(self, "y", y)

    def __len__(self) -> int:
        return len(self.x)

    def with_positive(self, label: str) -> Dataset:
        """The same points with ``label`` (either class name, any case) as the positive class."""
        wanted = label.strip().lower()
        if wanted == self.positive_label.lower():
            return self
        if wanted == self.negative_label.lower():
            return Dataset(
                self.x,
                1 - self.y,
                positive_label=self.negative_label,
                negative_label=self.positive_label,
                source=self.source,
                path=self.path,
            )
        raise DataError(
            f"{self.source}: positive label {label!r} is not in the data; the labels are "
            f"{self.negative_label!r} and {self.positive_label!r}"
        )

    @property
    def n_positive(self) -> int:
        return int(self.y.sum())

    @property
    def n_negative(self) -> int:
        return len(self.y) - self.n_positive


def _check_usable(n: int, y: np.ndarray, source: str, positive: str, negative: str) -> None:
    if n < 2:
        raise DataError(f"{source}: found {n} point(s), expected at least 2")
    n_pos = int(np.sum(y))
    if n_pos == 0 or n_pos == n:
        only = positive if n_pos else negative
        raise DataError(
            f"{source}: all {n} points have the label {only!r}; expected both classes to be present"
        )


#: The ten points of the article (Figure 1): red is the negative class, green the positive.
ARTICLE_DATA = Dataset(
    x=np.array([-2.2, -1.4, -0.8, 0.2, 0.4, 0.8, 1.2, 2.2, 2.9, 4.6]),
    y=np.array([0, 0, 1, 0, 1, 1, 1, 1, 1, 1]),
    positive_label="green",
    negative_label="red",
    source="the article",
)


# --------------------------------------------------------------------------- loading


@dataclass
class _RawPoint:
    """One row as read, with the lines to blame for a bad x or a bad label."""

    x: object
    label: object
    x_line: int
    label_line: int


def dataset_from(path: str | os.PathLike | None, positive: str | None = None) -> Dataset:
    """The dataset in ``path``, or the article's ten points when ``path`` is None."""
    if path is None:
        return ARTICLE_DATA if positive is None else ARTICLE_DATA.with_positive(positive)
    return load_dataset(path, positive=positive)


def load_dataset(path: str | os.PathLike, positive: str | None = None) -> Dataset:
    """Read a CSV (header naming ``x`` and ``y``) or JSON file into a :class:`Dataset`.

    JSON may be ``{"x": [...], "y": [...]}`` or a list of ``{"x": .., "y": ..}`` records.
    Labels may be 0/1, true/false, or any two distinct words; ``positive`` names the
    positive class (required for words, optional otherwise).
    """
    name = str(path)
    text = _read_text(Path(path), name)
    if not text.strip():
        raise DataError(f"{name}: the file is empty, expected a header 'x,y' and rows")
    if _looks_like_json(Path(path), text):
        points = _parse_json(text, name)
    else:
        points = _parse_csv(text, name)
    return _build_dataset(points, name, positive)


def _read_text(path: Path, name: str) -> str:
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except IsADirectoryError:
        raise DataError(f"{name}: is a directory, expected a CSV or JSON file") from None
    except FileNotFoundError:
        raise DataError(f"{name}: no such file") from None
    except OSError as error:
        raise DataError(f"{name}: cannot be read ({error.strerror or error})") from None
    if len(raw) > MAX_FILE_BYTES:
        raise DataError(
            f"{name}: larger than {MAX_FILE_BYTES:,} bytes, "
            "expected a small CSV or JSON file of points"
        )
    if b"\x00" in raw:
        offset = raw.index(b"\x00")
        raise DataError(
            f"{name}: contains a NUL byte at offset {offset}; "
            "expected a text (CSV or JSON) file, not a binary one"
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise DataError(
            f"{name}, line {line}: byte 0x{raw[error.start]:02x} is not valid UTF-8; "
            "expected a UTF-8 text file"
        ) from None


def _looks_like_json(path: Path, text: str) -> bool:
    suffix = path.suffix.lower()
    if suffix == ".json":
        return True
    if suffix in {".csv", ".tsv", ".txt"}:
        return False
    return text.lstrip()[:1] in {"{", "["}


# --------------------------------------------------------------------------- CSV


def _parse_csv(text: str, name: str) -> list[_RawPoint]:
    # The delimiter is guessed from the header: the first line that is not blank.
    first_line = next(line for line in text.splitlines() if line.strip())
    delimiter = (
        "\t"
        if "\t" in first_line
        else (";" if ";" in first_line and "," not in first_line else ",")
    )
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    header_line = 0
    points: list[_RawPoint] = []
    try:
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue  # blank lines carry nothing
            if header is None:
                header = [cell.strip().lower() for cell in row]
                header_line = reader.line_num
                missing = [column for column in ("x", "y") if column not in header]
                if missing:
                    raise DataError(
                        f"{name}, line {header_line}: header is {row!r}; "
                        f"expected columns named 'x' and 'y' (missing {', '.join(missing)})"
                    )
                x_index, y_index = header.index("x"), header.index("y")
                continue
            line = reader.line_num
            if len(row) != len(header):
                raise DataError(
                    f"{name}, line {line}: {delimiter.join(row)!r} has {len(row)} field(s); "
                    f"expected {len(header)} as in the header on line {header_line}"
                )
            points.append(_RawPoint(row[x_index].strip(), row[y_index].strip(), line, line))
    except csv.Error as error:
        raise DataError(f"{name}, line {reader.line_num}: malformed CSV ({error})") from None
    return points


# --------------------------------------------------------------------------- JSON


def _parse_json(text: str, name: str) -> list[_RawPoint]:
    try:
        document = json.loads(text, parse_int=_parse_json_int)
    except json.JSONDecodeError as error:
        raise DataError(f"{name}, line {error.lineno}: invalid JSON ({error.msg})") from None
    except RecursionError:
        raise DataError(f"{name}: JSON nested too deeply") from None
    lines = _JsonLines(text)
    if isinstance(document, dict):
        missing = [key for key in ("x", "y") if key not in document]
        if missing:
            raise DataError(
                f"{name}, line 1: the object has keys {sorted(document)!r}; "
                f'expected "x" and "y" (missing {", ".join(missing)})'
            )
        xs, ys = document["x"], document["y"]
        for key, values in (("x", xs), ("y", ys)):
            if not isinstance(values, list):
                raise DataError(
                    f'{name}, line {lines.of_value(key)}: "{key}" is {_short(values)}, '
                    "expected a list"
                )
        if len(xs) != len(ys):
            raise DataError(
                f'{name}, line {lines.of_value("y")}: "x" has {len(xs)} values and "y" has '
                f"{len(ys)}; expected the same number"
            )
        x_lines, y_lines = lines.of_items("x"), lines.of_items("y")
        return [_RawPoint(xs[i], ys[i], x_lines[i], y_lines[i]) for i in range(len(xs))]
    if isinstance(document, list):
        item_lines = lines.of_items(None)
        points = []
        for i, record in enumerate(document):
            if not isinstance(record, dict):
                raise DataError(
                    f"{name}, line {item_lines[i]}: item {i} is {_short(record)}, "
                    'expected an object like {"x": 1.5, "y": 1}'
                )
            line = item_lines[i]
            points.append(_RawPoint(record.get("x"), record.get("y"), line, line))
        return points
    raise DataError(
        f"{name}, line 1: the document is {_short(document)}; "
        'expected {"x": [...], "y": [...]} or a list of {"x": .., "y": ..} objects'
    )


def _parse_json_int(digits: str) -> int | float:
    """Integers as Python does, but a huge one as a float (inf beyond range): Python
    refuses to convert integers of more than 4,300 digits, and x must be a float anyway."""
    return int(digits) if len(digits) <= 300 else float(digits)


class _JsonLines:
    """Line numbers of values in a JSON text that ``json.loads`` has already accepted.

    ``json`` does not report positions, so this walks the text with ``raw_decode``
    (which does) down to the arrays whose items an error message may point at.
    """

    def __init__(self, text: str) -> None:
        self._text = text
        self._decoder = json.JSONDecoder(parse_int=_parse_json_int)
        # Where each line ends, found once: counting from the start for every value made
        # a 100,000-row file take minutes.
        self._newlines = [match.start() for match in re.finditer("\n", text)]

    def _line(self, index: int) -> int:
        return bisect.bisect_left(self._newlines, index) + 1

    def _skip(self, index: int) -> int:
        while self._text[index] in " \t\r\n":
            index += 1
        return index

    def _value_start(self, key: str | None) -> int:
        """Index where the document (key None) or the top-level document[key] starts."""
        index = self._skip(0)
        if key is None:
            return index
        index += 1  # past '{'
        start = -1
        while self._text[self._skip(index)] != "}":
            found, index = self._decoder.raw_decode(self._text, self._skip(index))
            index = self._skip(self._skip(index) + 1)  # past ':'
            if found == key:
                start = index  # json keeps the last of repeated keys, and so do we
            _, index = self._decoder.raw_decode(self._text, index)
            index = self._skip(index)
            if self._text[index] == ",":
                index += 1
        return start

    def of_value(self, key: str) -> int:
        return self._line(self._value_start(key))

    def of_items(self, key: str | None) -> list[int]:
        index = self._skip(self._value_start(key) + 1)  # past '['
        lines: list[int] = []
        while self._text[index] != "]":
            lines.append(self._line(index))
            _, index = self._decoder.raw_decode(self._text, index)
            index = self._skip(index)
            if self._text[index] == ",":
                index = self._skip(index + 1)
        return lines


def _short(value: object) -> str:
    text = json.dumps(value) if not isinstance(value, str) else repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _is_missing(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# --------------------------------------------------------------------------- values


def _parse_x(value: object, line: int, name: str) -> float:
    if _is_missing(value):
        raise DataError(f"{name}, line {line}: x is missing, expected a finite number")
    if isinstance(value, bool):
        raise DataError(f"{name}, line {line}: x is {value!r}, expected a finite number")
    if isinstance(value, (int, float)):
        try:
            number = float(value)
        except OverflowError:  # a JSON integer beyond float range
            raise DataError(
                f"{name}, line {line}: x is {_short(value)}, expected a finite number"
            ) from None
    elif isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            raise DataError(
                f"{name}, line {line}: x is {value!r}, expected a finite number"
            ) from None
    else:
        raise DataError(f"{name}, line {line}: x is {_short(value)}, expected a finite number")
    if not math.isfinite(number):
        raise DataError(f"{name}, line {line}: x is {value!r}, expected a finite number")
    return number


def _label_token(value: object, line: int, name: str) -> str:
    """A label as a string: bools and the numbers 0/1 in canonical form, words stripped."""
    if _is_missing(value):
        raise DataError(f"{name}, line {line}: the label y is missing, expected one of two classes")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        if value == 1:
            return "1"
        if value == 0:
            return "0"
        return repr(value)
    if isinstance(value, str):
        token = value.strip()
        lowered = token.lower()
        if lowered in {"true", "false"}:
            return lowered
        try:
            number = float(token)
        except ValueError:
            return token
        if number == 1:
            return "1"
        if number == 0:
            return "0"
        return token
    raise DataError(
        f"{name}, line {line}: the label y is {_short(value)}, expected one of two classes"
    )


def _build_dataset(points: list[_RawPoint], name: str, positive: str | None) -> Dataset:
    xs = np.empty(len(points), dtype=np.float64)
    labels: list[str] = []
    first_line: dict[str, int] = {}
    for i, point in enumerate(points):
        xs[i] = _parse_x(point.x, point.x_line, name)
        token = _label_token(point.label, point.label_line, name)
        if token not in first_line:
            if len(first_line) == 2:
                known = " and ".join(repr(label) for label in first_line)
                raise DataError(
                    f"{name}, line {point.label_line}: label {token!r} is a third class; "
                    f"expected only {known} (binary classification)"
                )
            first_line[token] = point.label_line
        labels.append(token)
    if len(points) < 2:
        raise DataError(f"{name}: found {len(points)} point(s), expected at least 2")
    classes = list(first_line)
    if len(classes) == 1:
        raise DataError(
            f"{name}: all {len(points)} points have the label {classes[0]!r}; "
            "expected both classes to be present"
        )
    positive_label, negative_label = _choose_positive(classes, positive, name)
    y = np.fromiter(
        (label == positive_label for label in labels), dtype=np.int64, count=len(labels)
    )
    return Dataset(
        xs,
        y,
        positive_label=positive_label,
        negative_label=negative_label,
        source=name,
        path=name,
    )


def _choose_positive(classes: list[str], positive: str | None, name: str) -> tuple[str, str]:
    found = " and ".join(repr(label) for label in classes)
    if positive is not None:
        wanted = positive.strip()
        matches = [label for label in classes if label == wanted or label.lower() == wanted.lower()]
        if len(matches) != 1:
            raise DataError(
                f"{name}: positive label {positive!r} is not in the data; the labels are {found}"
            )
        chosen = matches[0]
        return chosen, next(label for label in classes if label != chosen)
    as_set = set(classes)
    if as_set == {"0", "1"}:
        return "1", "0"
    if as_set == {"true", "false"}:
        return "true", "false"
    raise DataError(
        f"{name}: the labels are {found}; say which one is the positive class "
        "(positive=... in Python, --positive on the command line)"
    )
