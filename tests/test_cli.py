"""``python -m bce_core`` run as a user runs it: in a subprocess, reading its output."""

from __future__ import annotations

import json

import numpy as np
import pytest
from conftest import ARTICLE_X, ARTICLE_Y, run_cli, sklearn_fit
from sklearn.metrics import log_loss

from bce_core import ARTICLE_DATA, build_lesson, load_dataset

ARTICLE_OUTPUT = (
    "x = [-2.2 -1.4 -0.8  0.2  0.4  0.8  1.2  2.2  2.9  4.6]\n"
    "y = [0 0 1 0 1 1 1 1 1 1]\n"
    "p(y) = [0.19 0.33 0.47 0.7  0.74 0.81 0.86 0.94 0.97 0.99]\n"
    "Log Loss / Cross Entropy = 0.3329\n"
)

JSON_KEYS = [
    "weight",
    "intercept",
    "probabilities",
    "true_class_probabilities",
    "point_losses",
    "loss",
    "class_distribution",
    "entropy",
    "baseline_loss",
]


def article_csv(write, labels=("red", "green")):
    rows = "".join(f"{x},{labels[y]}\n" for x, y in zip(ARTICLE_X, ARTICLE_Y, strict=True))
    return write("article.csv", "x,y\n" + rows)


def assert_ok(result) -> str:
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return result.stdout


def assert_matches_lesson(document: dict, lesson) -> None:
    expected = lesson.as_dict()
    for key in JSON_KEYS:
        np.testing.assert_allclose(document[key], expected[key], rtol=1e-12, atol=0, err_msg=key)


def test_default_output_is_the_articles():
    assert assert_ok(run_cli()) == ARTICLE_OUTPUT


def test_no_penalty():
    lines = assert_ok(run_cli("--no-penalty")).splitlines()
    assert len(lines) == 4
    assert lines[:2] == ARTICLE_OUTPUT.splitlines()[:2]
    assert lines[3] == "Log Loss / Cross Entropy = 0.3052"


def test_json_output_matches_build_lesson():
    document = json.loads(assert_ok(run_cli("--json")))
    assert isinstance(document, dict)
    assert set(JSON_KEYS) <= set(document)
    assert_matches_lesson(document, build_lesson(ARTICLE_DATA))
    assert round(document["loss"], 4) == 0.3329
    assert document["class_distribution"] == pytest.approx([0.3, 0.7])
    assert document["baseline_loss"] == pytest.approx(document["entropy"], rel=1e-12)


def test_json_without_penalty():
    document = json.loads(assert_ok(run_cli("--json", "--no-penalty")))
    assert_matches_lesson(document, build_lesson(ARTICLE_DATA, C=None))
    assert round(document["loss"], 4) == 0.3052
    assert document["C"] is None


def test_smaller_C_changes_the_loss():
    lines = assert_ok(run_cli("--C", "0.1")).splitlines()
    model = sklearn_fit(ARTICLE_X, ARTICLE_Y, 0.1)
    expected = log_loss(ARTICLE_Y, model.predict_proba(ARTICLE_X[:, None])[:, 1])
    assert lines[3] == f"Log Loss / Cross Entropy = {expected:.4f}"
    assert lines[3] != ARTICLE_OUTPUT.splitlines()[3]


def test_csv_with_word_labels_and_positive(write):
    path = article_csv(write)
    assert assert_ok(run_cli("--data", str(path), "--positive", "green")) == ARTICLE_OUTPUT


def test_csv_with_the_other_positive_label(write):
    path = article_csv(write)
    lines = assert_ok(run_cli("--data", str(path), "--positive", "red")).splitlines()
    assert lines[1] == "y = [1 1 0 1 0 0 0 0 0 0]"
    # The penalty is symmetric in w and the intercept is free, so swapping the classes
    # mirrors the fit (w, b -> -w, -b): the same loss, every p replaced by 1 - p.
    assert lines[3] == "Log Loss / Cross Entropy = 0.3329"
    document = json.loads(assert_ok(run_cli("--data", str(path), "--positive", "red", "--json")))
    article = build_lesson(ARTICLE_DATA)
    np.testing.assert_allclose(document["probabilities"], 1 - article.probabilities, atol=1e-9)
    assert document["positive_label"] == "red"


def test_json_data_file_with_json_output(write):
    path = write("d.json", json.dumps({"x": [0.5, 1.5, 2.0, 3.0, 4.5], "y": [0, 1, 0, 1, 1]}))
    document = json.loads(assert_ok(run_cli("--data", str(path), "--json", "--C", "2")))
    assert_matches_lesson(document, build_lesson(load_dataset(path), C=2.0))
    model = sklearn_fit(np.array([0.5, 1.5, 2.0, 3.0, 4.5]), np.array([0, 1, 0, 1, 1]), 2.0)
    assert document["weight"] == pytest.approx(model.coef_[0, 0], abs=1e-6)


@pytest.mark.parametrize("positive", ["red", "Green"])
def test_positive_label_on_the_article_data_agrees_with_the_same_data_as_a_file(write, positive):
    # The article's classes are named red and green (bce_core.ARTICLE_DATA), so choosing
    # either one must work as it does for the same ten points read from a file.
    from_file = run_cli("--data", str(article_csv(write)), "--positive", positive)
    builtin = run_cli("--positive", positive)
    assert builtin.returncode == from_file.returncode == 0, builtin.stderr
    assert builtin.stdout == from_file.stdout


# --------------------------------------------------------------------------- bad input

#: (id, file name, content, extra options, substrings stderr must contain)
BAD_INPUT = [
    ("non-numeric-x", "d.csv", "x,y\n1,0\n2,1\nabc,1\n", [], ["line 4", "'abc'"]),
    ("third-label", "d.csv", "x,y\n1,0\n2,1\n3,1\n4,2\n", [], ["line 5", "'2'"]),
    ("missing-label", "d.csv", "x,y\n1,0\n2,\n3,1\n", [], ["line 3", "missing"]),
    ("invalid-json", "d.json", '{"x": [1, 2],\n "y": [0 1]}', [], ["line 2", "JSON"]),
    ("words-without-positive", "d.csv", "x,y\n1,a\n2,b\n", [], ["'a'", "--positive"]),
    ("positive-not-a-label", "d.csv", "x,y\n1,a\n2,b\n", ["--positive", "c"], ["'c'"]),
    (
        "separable-no-penalty",
        "d.csv",
        "x,y\n1,0\n2,0\n3,1\n4,1\n",
        ["--no-penalty"],
        ["separat", "infinite"],
    ),
    (
        "json-huge-integer-x",
        "d.json",
        '{"x": [1, 2, 1' + "0" * 400 + '], "y": [0, 1, 1]}',
        [],
        ["line 1", "finite"],
    ),
]


@pytest.mark.parametrize(
    ("name", "content", "options", "expected"),
    [pytest.param(*case[1:], id=case[0]) for case in BAD_INPUT],
)
def test_bad_input_is_reported_without_a_traceback(write, name, content, options, expected):
    path = write(name, content)
    result = run_cli("--data", str(path), *options)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 2
    assert result.stdout == ""
    assert str(path) in result.stderr
    for text in expected:
        assert text in result.stderr


def test_missing_file_is_reported_without_a_traceback(tmp_path):
    path = tmp_path / "absent.csv"
    result = run_cli("--data", str(path))
    assert (result.returncode, result.stdout) == (2, "")
    assert "Traceback" not in result.stderr
    assert str(path) in result.stderr
    assert "no such file" in result.stderr


@pytest.mark.parametrize(
    "options",
    [
        ["--C", "-1"],
        ["--C", "abc"],
        ["--C", "0"],
        ["--C", "inf"],
        ["--C", "nan"],
        ["--C", "1", "--no-penalty"],
        ["--unknown"],
    ],
    ids=lambda options: " ".join(options),
)
def test_usage_errors(options):
    result = run_cli(*options)
    assert result.returncode == 2
    assert result.stdout == ""
    assert "usage:" in result.stderr
    assert "Traceback" not in result.stderr
