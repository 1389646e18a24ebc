"""The GitHub Actions workflow users copy (.github/workflows/film.yml): actionlint passes on
it (and fails on a broken copy, so that passing means something), and it does what the
README says: ./run page, the caches, the artifact, Pages from the default branch only.

PyYAML is not among the project's dependencies, so the workflow is read as text: the file
uses only block mappings and sequences, and the helpers below cut it into jobs and steps
by indentation (comments dropped)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

import pytest
from paths import REPO_ROOT

WORKFLOW = REPO_ROOT / ".github" / "workflows" / "film.yml"
DEFAULT_BRANCH = "github.ref == format('refs/heads/{0}', github.event.repository.default_branch)"


def actionlint() -> str:
    """The binary the test extras install beside the interpreter, else one on PATH."""
    beside = Path(sys.executable).parent / "actionlint"
    if beside.is_file():
        return str(beside)
    found = shutil.which("actionlint")
    if found is None:  # a failure, not a skip: the lint must not silently not run
        pytest.fail("actionlint not found: `./run test` installs it with the test extras")
    return found


def lint(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [actionlint(), "-no-color", str(path)],
        cwd=path.parent,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


# --- the workflow as text -------------------------------------------------------------


def indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def code_lines(lines: list[str]) -> list[str]:
    """Without blank and comment-only lines (block scalars here hold no '#' lines)."""
    return [line for line in lines if line.strip() and not line.lstrip().startswith("#")]


def block(lines: list[str], key: str, at: int) -> list[str]:
    """The lines under `key:` written at indentation `at`, up to the next line at `at` or
    less; the first such key only."""
    for number, line in enumerate(lines):
        if indent(line) == at and line.strip() == f"{key}:":
            body = []
            for inner in lines[number + 1 :]:
                if indent(inner) <= at:
                    break
                body.append(inner)
            return body
    raise AssertionError(f"no {key!r} at indentation {at}")


def items(lines: list[str]) -> list[str]:
    """A block sequence's items, each as one text ("- " at the shallowest indentation)."""
    at = min(indent(line) for line in lines)
    found: list[list[str]] = []
    for line in lines:
        if indent(line) == at and line.lstrip().startswith("- "):
            found.append([])
        assert found, f"not a sequence: {line!r}"
        found[-1].append(line)
    return ["\n".join(item) for item in found]


def workflow_lines() -> list[str]:
    return code_lines(WORKFLOW.read_text(encoding="utf-8").splitlines())


def jobs() -> dict[str, list[str]]:
    body = block(workflow_lines(), "jobs", 0)
    names = [line.strip()[:-1] for line in body if indent(line) == 2 and line.endswith(":")]
    return {name: block(body, name, 2) for name in names}


def steps(job: str) -> list[str]:
    return items(block(jobs()[job], "steps", 4))


def field(text: str, key: str) -> str | None:
    """A one-line `key: value` in a step's or job's text (the step's own `- ` allowed)."""
    match = re.search(rf"^\s*(?:- )?{re.escape(key)}:[ \t]*(\S.*)$", text, re.MULTILINE)
    return match.group(1).strip() if match else None


def given(step: str) -> dict[str, str]:
    """A step's `with:` inputs (a literal block scalar's value: "|")."""
    lines = step.splitlines()
    body = block(lines, "with", indent(lines[0]) + 2)
    at = min(indent(line) for line in body)
    return mapping(line for line in body if indent(line) == at)


def uses(step: str) -> str:
    return (field(step, "uses") or "").split("@")[0]


def only(found: list[int], what: str) -> int:
    assert len(found) == 1, f"expected one step that {what}, found {len(found)}"
    return found[0]


def literal(text: str, key: str) -> list[str]:
    """The stripped lines of a literal block scalar `key: |` in a step's text."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == f"{key}: |")
    body = []
    for line in lines[start + 1 :]:
        if indent(line) <= indent(lines[start]):
            break
        body.append(line.strip())
    return body


def mapping(lines: Iterable[str]) -> dict[str, str]:
    return dict(line.strip().split(": ", 1) for line in lines)


# --- actionlint ------------------------------------------------------------------------


def test_actionlint_passes_on_the_workflow():
    result = lint(WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("original", "broken", "complaint"),
    [
        # An unknown key in a job.
        (
            "    runs-on: ubuntu-latest\n",
            "    runs-on: ubuntu-latest\n    runs-of: ubuntu-latest\n",
            'unexpected key "runs-of"',
        ),
        # An expression naming an input that does not exist.
        ("inputs.quality ||", "inputs.qualty ||", '"qualty" is not defined'),
        # An input that actions/upload-artifact does not have.
        ("if-no-files-found:", "if-no-file-found:", '"if-no-file-found" is not defined'),
    ],
    ids=["unknown-key", "bad-expression", "bad-action-input"],
)
def test_actionlint_fails_on_a_broken_copy(tmp_path, original, broken, complaint):
    text = WORKFLOW.read_text(encoding="utf-8")
    assert original in text, f"the workflow no longer contains {original!r}: update the test"
    copy = tmp_path / "film.yml"
    copy.write_text(text.replace(original, broken, 1), encoding="utf-8")
    result = lint(copy)
    assert result.returncode != 0, "actionlint passed a broken workflow"
    assert complaint in result.stdout, result.stdout + result.stderr


# --- what the workflow does ------------------------------------------------------------


def test_it_runs_on_push_and_by_hand_with_a_quality():
    on = block(workflow_lines(), "on", 0)
    assert {line.strip() for line in on if indent(line) == 2} == {"push:", "workflow_dispatch:"}
    quality = "\n".join(block(on, "quality", 6))
    assert field(quality, "default") == "h"
    film = "\n".join(jobs()["film"])
    assert re.search(r"QUALITY: \$\{\{ inputs\.quality \|\| 'h' \}\}", film), "push: h"


def test_the_film_job_renders_with_run_page():
    film = jobs()["film"]
    assert field("\n".join(film), "runs-on") == "ubuntu-latest"
    film_steps = steps("film")
    assert uses(film_steps[0]) == "actions/checkout", "checkout first"
    runs = [field(step, "run") or "" for step in film_steps]
    render = only([i for i, run in enumerate(runs) if "./run " in run], "runs ./run")
    assert re.fullmatch(r'\./run page --lang en zh --quality "\$QUALITY"', runs[render])
    # Nothing else renders or installs: ./run does it all, as on a user's machine.
    for step in film_steps:
        assert "bce-video" not in (field(step, "run") or "")
        assert "pip install" not in step and "apt-get install" not in step


def cache_step(path: str) -> tuple[int, str]:
    film_steps = steps("film")
    index = only(
        [
            i
            for i, step in enumerate(film_steps)
            if uses(step) == "actions/cache" and given(step)["path"] == path
        ],
        f"caches {path}",
    )
    assert field(film_steps[index], "uses") == "actions/cache@v4"
    return index, film_steps[index]


def render_index() -> int:
    return next(i for i, step in enumerate(steps("film")) if "./run page" in step)


def test_pip_and_bce_video_caches_are_restored_before_the_render():
    pip_index, pip = cache_step("~/.cache/pip")
    assert "hashFiles('pyproject.toml', 'run')" in given(pip)["key"]
    assert given(pip)["restore-keys"]
    cache_index, cache = cache_step("~/.cache/bce-video")
    # A new key on every commit, restored from the newest by prefix: always refreshed.
    key, restore = given(cache)["key"], given(cache)["restore-keys"]
    assert "${{ github.sha }}" in key
    assert restore and key.startswith(restore), (key, restore)
    assert max(pip_index, cache_index) < render_index()


def test_apt_packages_are_cached_and_kept():
    film_steps = steps("film")
    cache_index, cache = cache_step("~/.cache/apt-archives")
    assert "hashFiles('run')" in given(cache)["key"]
    render = render_index()
    before = "\n".join(film_steps[cache_index + 1 : render])
    after = "\n".join(film_steps[render + 1 :])
    # Docker's apt config deletes downloaded packages; apt is told to keep them.
    assert "rm -f /etc/apt/apt.conf.d/docker-clean" in before
    assert 'APT::Keep-Downloaded-Packages "true"' in before
    # The cached .deb files go into apt's folder before ./run, and back out after it.
    assert re.search(
        r"~/\.cache/apt-archives .*'\*\.deb'.*\n.*cp -t /var/cache/apt/archives", before
    )
    assert re.search(
        r"/var/cache/apt/archives .*'\*\.deb'.*\n.*cp -t ~/\.cache/apt-archives", after
    )


def test_the_films_and_the_page_are_the_artifact():
    film_steps = steps("film")
    index = only(
        [i for i, step in enumerate(film_steps) if uses(step) == "actions/upload-artifact"],
        "uploads an artifact",
    )
    upload = film_steps[index]
    assert index > render_index()
    assert field(upload, "uses") == "actions/upload-artifact@v4"
    assert given(upload)["name"] == "film"
    assert field(upload, "if") is None, "every branch keeps its film"
    assert set(literal(upload, "path")) >= {
        "renders/site",
        "renders/*.mp4",
        "renders/*.srt",
        "renders/*.vtt",
        "renders/*.chapters.json",
        "renders/*.png",
    }


def test_pages_publish_from_the_default_branch_only():
    film_steps = steps("film")
    index = only(
        [i for i, step in enumerate(film_steps) if uses(step) == "actions/upload-pages-artifact"],
        "uploads the page for Pages",
    )
    page = film_steps[index]
    assert given(page) == {"path": "renders/site"}
    assert field(page, "if") == DEFAULT_BRANCH
    assert index > render_index()

    deploy = jobs()["deploy"]
    text = "\n".join(deploy)
    assert field(text, "needs") == "film"
    assert field(text, "if") == DEFAULT_BRANCH
    assert mapping(block(deploy, "permissions", 4)) == {"pages": "write", "id-token": "write"}
    environment = mapping(block(deploy, "environment", 4))
    assert environment == {
        "name": "github-pages",
        "url": "${{ steps.deployment.outputs.page_url }}",
    }
    assert [uses(step) for step in steps("deploy")] == [
        "actions/configure-pages",
        "actions/deploy-pages",
    ]
    assert field(steps("deploy")[-1], "id") == "deployment"
    # Two runs never deploy at once.
    assert field("\n".join(block(deploy, "concurrency", 4)), "cancel-in-progress") == "false"


def test_least_permissions_elsewhere():
    assert mapping(block(workflow_lines(), "permissions", 0)) == {"contents": "read"}
    assert "permissions:" not in "\n".join(jobs()["film"])
    assert set(jobs()) == {"film", "deploy"}
    assert block(workflow_lines(), "concurrency", 0), "one run at a time per branch"
