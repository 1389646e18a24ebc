"""Dataset and load_dataset: what is accepted, and how each rejection is reported."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

import bce_core.data
from bce_core import DataError, Dataset, load_dataset


def assert_message(error: DataError, path, line: int | None, *values: str) -> None:
    message = str(error)
    assert str(path) in message, message
    if line is not None:
        assert re.search(rf"\bline {line}\b", message), message
    for value in values:
        assert value in message, message


# --------------------------------------------------------------------------- rejections

#: (id, file name, content, positive, line or None, substrings the message must contain)
REJECTIONS = [
    ("missing-x", "d.csv", "x,y\n1,0\n,1\n2,1\n", None, 3, ["x is missing"]),
    ("missing-x-spaces", "d.csv", "x,y\n1,0\n2,1\n  ,1\n", None, 4, ["x is missing"]),
    ("non-numeric-x", "d.csv", "x,y\n1,0\n2,1\nabc,1\n", None, 4, ["'abc'"]),
    ("nan-x", "d.csv", "x,y\n1,0\nnan,1\n2,1\n", None, 3, ["'nan'", "finite"]),
    ("inf-x", "d.csv", "x,y\n1,0\n2,1\n3,0\ninf,1\n", None, 5, ["'inf'", "finite"]),
    ("minus-infinity-x", "d.csv", "x,y\n-Infinity,0\n2,1\n", None, 2, ["'-Infinity'"]),
    ("missing-label", "d.csv", "x,y\n1,0\n2,\n3,1\n", None, 3, ["label", "missing"]),
    ("third-label", "d.csv", "x,y\n1,0\n2,1\n3,1\n4,maybe\n5,other\n", None, 5, ["'maybe'"]),
    ("third-label-numeric", "d.csv", "x,y\n1,0\n2,1\n3,2\n", None, 4, ["'2'"]),
    ("one-point", "d.csv", "x,y\n1,0\n", None, None, ["1 point"]),
    ("header-only", "d.csv", "x,y\n", None, None, ["0 point"]),
    ("one-class", "d.csv", "x,y\n1,1\n2,1\n3,1\n", None, None, ["'1'", "both classes"]),
    ("one-class-words", "d.csv", "x,y\n1,red\n2,red\n", None, None, ["'red'", "both classes"]),
    ("empty", "d.csv", "", None, None, ["empty"]),
    ("whitespace-only", "d.csv", "\n  \n\t\n", None, None, ["empty"]),
    ("binary", "d.csv", b"x,y\n1,0\n\x00\x01\x02", None, None, ["NUL"]),
    ("invalid-utf8", "d.csv", b"x,y\n1,0\n2,\xff\n", None, 3, ["0xff", "UTF-8"]),
    ("header-without-x", "d.csv", "a,y\n1,0\n2,1\n", None, 1, ["'a'", "missing x"]),
    ("header-without-y", "d.csv", "x,label\n1,0\n2,1\n", None, 1, ["'label'", "missing y"]),
    ("header-without-either", "d.csv", "1,0\n2,1\n", None, 1, ["'1'", "missing x, y"]),
    ("too-many-fields", "d.csv", "x,y\n1,0\n2,1,5\n", None, 3, ["'2,1,5'", "3 field"]),
    ("too-few-fields", "d.csv", "x,y\n1,0\n2,1\n3\n", None, 4, ["'3'", "1 field"]),
    (
        "invalid-json",
        "d.json",
        '{\n  "x": [1, 2, 3],\n  "y": [0, 1 1]\n}\n',
        None,
        3,
        ["invalid JSON"],
    ),
    ("json-truncated", "d.json", '{"x": [1, 2],\n"y": [0, 1', None, 2, ["invalid JSON"]),
    (
        "json-length-mismatch",
        "d.json",
        '{"x": [1, 2, 3], "y": [0, 1]}',
        None,
        1,
        ['"x" has 3 values', '"y" has 2'],
    ),
    ("json-missing-y", "d.json", '{"x": [1, 2, 3]}', None, 1, ['"y"']),
    ("json-x-not-a-list", "d.json", '{"x": 5, "y": [0, 1]}', None, 1, ['"x" is 5']),
    ("json-scalar", "d.json", "42", None, 1, ["42"]),
    (
        "json-record-not-an-object",
        "d.json",
        '[\n  {"x": 1, "y": 0},\n  {"x": 2, "y": 1},\n  [3, 1]\n]',
        None,
        4,
        ["item 2", "[3, 1]"],
    ),
    (
        "json-record-x-abc",
        "d.json",
        '[\n  {"x": 1, "y": 0},\n  {"x": "abc", "y": 1}\n]',
        None,
        3,
        ["'abc'"],
    ),
    (
        "json-record-missing-y",
        "d.json",
        '[\n  {"x": 1, "y": 0},\n  {"x": 2, "y": 1},\n  {"x": 3}\n]',
        None,
        4,
        ["label", "missing"],
    ),
    ("json-bool-x", "d.json", '{"x": [1, true], "y": [0, 1]}', None, 1, ["True"]),
    ("json-nan-x", "d.json", '{"x": [1, NaN], "y": [0, 1]}', None, 1, ["nan", "finite"]),
    ("words-without-positive", "d.csv", "x,y\n1,red\n2,green\n", None, None, ["'red'", "'green'"]),
    ("positive-not-a-label", "d.csv", "x,y\n1,red\n2,green\n", "blue", None, ["'blue'"]),
    ("positive-not-a-label-01", "d.csv", "x,y\n1,0\n2,1\n", "yes", None, ["'yes'"]),
    (
        "json-huge-integer-x",
        "d.json",
        '{"x": [1, 2, 1' + "0" * 400 + '], "y": [0, 1, 1]}',
        None,
        1,
        ["finite"],
    ),
    (
        "json-integer-over-4300-digits",
        "d.json",
        '{"x": [1, 2, 1' + "0" * 5000 + '], "y": [0, 1, 1]}',
        None,
        1,
        [],
    ),
]


@pytest.mark.parametrize(
    ("name", "content", "positive", "line", "values"),
    [pytest.param(*case[1:], id=case[0]) for case in REJECTIONS],
)
def test_rejection_names_file_line_and_value(write, name, content, positive, line, values):
    path = write(name, content)
    with pytest.raises(DataError) as raised:
        load_dataset(path, positive=positive)
    assert_message(raised.value, path, line, *values)


def test_words_without_positive_tells_how_to_choose_one(write):
    path = write("d.csv", "x,y\n1,red\n2,green\n")
    with pytest.raises(DataError, match="positive") as raised:
        load_dataset(path)
    assert "--positive" in str(raised.value)


def test_pretty_printed_json_reports_the_line_of_the_bad_item(write):
    text = json.dumps({"y": [0, 1, 0, 1, 1], "x": [1.0, 2.5, 3.0, "abc", 5.0]}, indent=2)
    # The line is found here by searching the text, independently of the loader.
    (line,) = [i for i, row in enumerate(text.splitlines(), start=1) if '"abc"' in row]
    assert line > 5  # the item is deep in a multi-line file, not on line 1
    path = write("d.json", text)
    with pytest.raises(DataError) as raised:
        load_dataset(path)
    assert_message(raised.value, path, line, "'abc'")


def test_bad_label_line_in_pretty_printed_json(write):
    text = json.dumps({"x": [1, 2, 3, 4], "y": ["a", "b", "a", "c"]}, indent=4)
    (line,) = [i for i, row in enumerate(text.splitlines(), start=1) if '"c"' in row]
    path = write("d.json", text)
    with pytest.raises(DataError) as raised:
        load_dataset(path, positive="a")
    assert_message(raised.value, path, line, "'c'")


@pytest.mark.parametrize(
    ("content", "line"),
    [
        pytest.param("x,y\r\n1,0\r\nabc,1\r\n", 3, id="crlf"),
        pytest.param("\ufeffx,y\n1,0\n2,1\nabc,1\n", 4, id="bom"),
        pytest.param("\nx,y\n\n1,0\n\nabc,1\n", 6, id="blank-lines"),
    ],
)
def test_line_numbers_count_every_line(write, content, line):
    path = write("d.csv", content)
    with pytest.raises(DataError) as raised:
        load_dataset(path)
    assert_message(raised.value, path, line, "'abc'")


def test_nonexistent_path(tmp_path):
    path = tmp_path / "no-such-file.csv"
    with pytest.raises(DataError) as raised:
        load_dataset(path)
    assert_message(raised.value, path, None, "no such file")


def test_directory(tmp_path):
    with pytest.raises(DataError) as raised:
        load_dataset(tmp_path)
    assert_message(raised.value, tmp_path, None, "directory")


def test_file_over_the_size_limit_is_refused_unread(write, monkeypatch):
    content = "x,y\n" + "".join(f"{i},{i % 2}\n" for i in range(20))
    path = write("d.csv", content)
    monkeypatch.setattr(bce_core.data, "MAX_FILE_BYTES", len(content.encode()) - 1)
    with pytest.raises(DataError) as raised:
        load_dataset(path)
    assert_message(raised.value, path, None, "larger than")
    # Exactly at the limit is still accepted.
    monkeypatch.setattr(bce_core.data, "MAX_FILE_BYTES", len(content.encode()))
    assert len(load_dataset(path)) == 20


def test_data_error_is_a_value_error():
    assert issubclass(DataError, ValueError)


# --------------------------------------------------------------------------- acceptances

#: (id, file name, content, positive, x, y, positive_label, negative_label)
ACCEPTANCES = [
    ("zero-one", "d.csv", "x,y\n1.5,0\n-2,1\n3e2,1\n", None, [1.5, -2, 300], [0, 1, 1], "1", "0"),
    ("zero-one-floats", "d.csv", "x,y\n1,1.0\n2,0.0\n", None, [1, 2], [1, 0], "1", "0"),
    (
        "true-false-any-case",
        "d.csv",
        "x,y\n1,False\n2,TRUE\n3,true\n4,false\n",
        None,
        [1, 2, 3, 4],
        [0, 1, 1, 0],
        "true",
        "false",
    ),
    (
        "words-positive-green",
        "d.csv",
        "x,y\n1,red\n2,green\n3,green\n4,red\n",
        "green",
        [1, 2, 3, 4],
        [0, 1, 1, 0],
        "green",
        "red",
    ),
    (
        "words-positive-red",
        "d.csv",
        "x,y\n1,red\n2,green\n3,green\n4,red\n",
        "red",
        [1, 2, 3, 4],
        [1, 0, 0, 1],
        "red",
        "green",
    ),
    ("positive-zero", "d.csv", "x,y\n1,0\n2,1\n3,1\n", "0", [1, 2, 3], [1, 0, 0], "0", "1"),
    ("semicolon", "d.csv", "x;y\n1.5;0\n2.5;1\n", None, [1.5, 2.5], [0, 1], "1", "0"),
    ("tab", "d.tsv", "x\ty\n1.5\t0\n2.5\t1\n", None, [1.5, 2.5], [0, 1], "1", "0"),
    (
        "extra-columns",
        "d.csv",
        "id,y,x,note\na,0,1.5,foo\nb,1,2.5,bar\nc,1,-1,\n",
        None,
        [1.5, 2.5, -1],
        [0, 1, 1],
        "1",
        "0",
    ),
    ("header-case-spaces", "d.csv", " X , Y \n1, 0\n2 ,1\n", None, [1, 2], [0, 1], "1", "0"),
    ("quoted", "d.csv", '"x","y"\n"1.5","0"\n"2.5","1"\n', None, [1.5, 2.5], [0, 1], "1", "0"),
    (
        "blank-lines",
        "d.csv",
        "\n\nx,y\n\n1,0\n\n\n2,1\n\n",
        None,
        [1, 2],
        [0, 1],
        "1",
        "0",
    ),
    (
        "blank-lines-with-spaces-before-semicolon-header",
        "d.csv",
        "  \nx;y\n1;0\n \n2;1\n",
        None,
        [1, 2],
        [0, 1],
        "1",
        "0",
    ),
    ("bom", "d.csv", "\ufeffx,y\n1,0\n2,1\n", None, [1, 2], [0, 1], "1", "0"),
    ("crlf", "d.csv", "x,y\r\n1,0\r\n2,1\r\n", None, [1, 2], [0, 1], "1", "0"),
    ("bom-crlf-semicolon", "d.csv", "\ufeffx;y\r\n1;0\r\n2;1\r\n", None, [1, 2], [0, 1], "1", "0"),
    (
        "json-object",
        "d.json",
        '{"x": [1.5, 2, -3], "y": [0, 1, 1]}',
        None,
        [1.5, 2, -3],
        [0, 1, 1],
        "1",
        "0",
    ),
    (
        "json-records",
        "d.json",
        '[{"x": 1.5, "y": 0}, {"x": 2, "y": 1}, {"y": 1, "x": -3}]',
        None,
        [1.5, 2, -3],
        [0, 1, 1],
        "1",
        "0",
    ),
    (
        "json-bool-labels",
        "d.json",
        '{"x": [1, 2, 3], "y": [false, true, true]}',
        None,
        [1, 2, 3],
        [0, 1, 1],
        "true",
        "false",
    ),
    (
        "json-word-labels",
        "d.json",
        '{"x": [1, 2, 3], "y": ["cat", "dog", "cat"]}',
        "dog",
        [1, 2, 3],
        [0, 1, 0],
        "dog",
        "cat",
    ),
    (
        "json-string-numbers",
        "d.json",
        '{"x": ["1.5", "2"], "y": ["0", "1"]}',
        None,
        [1.5, 2],
        [0, 1],
        "1",
        "0",
    ),
    (
        "json-without-suffix",
        "data",
        '{"x": [1, 2], "y": [1, 0]}',
        None,
        [1, 2],
        [1, 0],
        "1",
        "0",
    ),
    ("json-bom", "d.json", '\ufeff{"x": [1, 2], "y": [1, 0]}', None, [1, 2], [1, 0], "1", "0"),
]


@pytest.mark.parametrize(
    ("name", "content", "positive", "x", "y", "positive_label", "negative_label"),
    [pytest.param(*case[1:], id=case[0]) for case in ACCEPTANCES],
)
def test_accepted_files(write, name, content, positive, x, y, positive_label, negative_label):
    path = write(name, content)
    dataset = load_dataset(path, positive=positive)
    np.testing.assert_array_equal(dataset.x, np.array(x, dtype=np.float64))
    np.testing.assert_array_equal(dataset.y, y)
    assert dataset.x.dtype == np.float64
    assert dataset.positive_label == positive_label
    assert dataset.negative_label == negative_label
    assert dataset.source == str(path)
    assert dataset.n_positive == sum(y)
    assert dataset.n_negative == len(y) - sum(y)


def test_positive_label_matches_case_insensitively(write):
    path = write("d.csv", "x,y\n1,Red\n2,Green\n")
    dataset = load_dataset(str(path), positive="green")
    np.testing.assert_array_equal(dataset.y, [0, 1])
    assert dataset.positive_label == "Green"


# --------------------------------------------------------------------------- Dataset


def test_dataset_arrays_are_read_only_copies():
    x, y = np.array([1.0, 2.0, 3.0]), np.array([0, 1, 1])
    dataset = Dataset(x, y)
    x[0] = 99.0
    assert dataset.x[0] == 1.0
    with pytest.raises(ValueError):
        dataset.x[0] = 5.0
    with pytest.raises(ValueError):
        dataset.y[0] = 1
    assert len(dataset) == 3
    assert (dataset.n_positive, dataset.n_negative) == (2, 1)


@pytest.mark.parametrize(
    ("x", "y", "value"),
    [
        pytest.param([1.0, 2.0], [0, 1, 1], "(2,)", id="length-mismatch"),
        pytest.param([1.0, np.nan, 2.0], [0, 1, 1], "x[1]", id="nan"),
        pytest.param([1.0, 2.0, np.inf], [0, 1, 1], "x[2]", id="inf"),
        pytest.param([1.0, 2.0, 3.0], [0, 2, 1], "y[1]", id="label-2"),
        pytest.param([1.0], [1], "1 point", id="one-point"),
        pytest.param([1.0, 2.0], [1, 1], "both classes", id="one-class"),
    ],
)
def test_dataset_rejections(x, y, value):
    with pytest.raises(DataError, match=re.escape(value)) as raised:
        Dataset(np.array(x), np.array(y), source="mine")
    assert "mine" in str(raised.value)
