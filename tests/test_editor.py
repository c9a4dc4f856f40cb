"""The schemas in the editor: yaml-language-server (the engine of VS Code's YAML extension) reads
the register's files as a process owner's editor does, through the `$schema` line at their top.

It must accept every example file, flag at the same lines what `ropa check` flags, complete the
data categories and show a field's English and Danish help on hover. The server is driven over
stdio with the Language Server Protocol; `.ci/run` installs it from .ci/package.json.
"""

from __future__ import annotations

import datetime as dt
import json
import queue
import shutil
import subprocess
import threading
import time
from pathlib import Path

import pytest
from clients import YAML_LS, require_client

from ropa_build.errors import UserError
from ropa_build.pipeline import read_register
from ropa_build.scaffold import new_record
from ropa_build.schema_gen import write_schemas
from ropa_build.vocabulary import load_vocabulary

REPO = Path(__file__).resolve().parents[1]
SETTINGS = {"validate": True, "completion": True, "hover": True, "schemaStore": {"enable": False}}


class Editor:
    """A yaml-language-server process; each call waits at most ``timeout`` seconds."""

    def __init__(self, root: Path, timeout: float = 30):
        self.timeout, self.next_id = timeout, 1
        self.process = subprocess.Popen(
            [str(YAML_LS), "--stdio"], stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )
        self.inbox: queue.Queue[dict] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        capabilities = {"workspace": {"configuration": True}}
        self._call(
            "initialize",
            {"processId": None, "rootUri": root.as_uri(), "capabilities": capabilities},
        )
        self._send({"method": "initialized", "params": {}})
        self._send(
            {
                "method": "workspace/didChangeConfiguration",
                "params": {"settings": {"yaml": SETTINGS}},
            }
        )

    def diagnostics(self, path: Path) -> list[tuple[int, str]]:
        """Open ``path``; the (1-based line, message) of every problem the editor underlines."""
        uri = path.resolve().as_uri()
        document = {"uri": uri, "languageId": "yaml", "version": 1, "text": path.read_text()}
        self._send({"method": "textDocument/didOpen", "params": {"textDocument": document}})
        published = self._wait(
            lambda m: (
                m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri
            )
        )
        return [
            (d["range"]["start"]["line"] + 1, d["message"])
            for d in published["params"]["diagnostics"]
        ]

    def completion(self, path: Path, line: int, column: int) -> list[str]:
        result = self._call("textDocument/completion", self._at(path, line, column))
        return [item["label"] for item in (result or {}).get("items", [])]

    def hover(self, path: Path, line: int, column: int) -> str:
        result = self._call("textDocument/hover", self._at(path, line, column))
        return result["contents"]["value"] if result else ""

    def close(self) -> None:
        self.process.kill()
        self.process.wait()

    @staticmethod
    def _at(path: Path, line: int, column: int) -> dict:
        """1-based line and column, as `ropa check` reports them, to LSP's 0-based position."""
        return {
            "textDocument": {"uri": path.resolve().as_uri()},
            "position": {"line": line - 1, "character": column - 1},
        }

    def _call(self, method: str, params: dict):
        self.next_id += 1
        number = self.next_id
        self._send({"id": number, "method": method, "params": params})
        return self._wait(lambda m: m.get("id") == number and "method" not in m).get("result")

    def _send(self, message: dict) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
        self.process.stdin.flush()

    def _read(self) -> None:
        stream = self.process.stdout
        while True:
            length = 0
            while (line := stream.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode().partition(":")
                length = int(value) if name.lower() == "content-length" else length
            if not length:
                return
            self.inbox.put(json.loads(stream.read(length)))

    def _wait(self, wanted) -> dict:
        """The first message ``wanted`` accepts; the server's own requests are answered."""
        deadline = time.monotonic() + self.timeout
        while True:
            message = self.inbox.get(timeout=max(0.01, deadline - time.monotonic()))
            if "method" in message and "id" in message:  # a request to us, the client
                items = (
                    message["params"].get("items", [])
                    if message["method"] == "workspace/configuration"
                    else None
                )
                answer = [SETTINGS for _ in items] if items is not None else None
                self._send({"id": message["id"], "result": answer})
            elif wanted(message):
                return message


@pytest.fixture(scope="module")
def register(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the example register with its schemas, and a broken copy of a new record."""
    require_client("yaml-language-server")
    root = tmp_path_factory.mktemp("register")
    for name in ("organisation.yaml", "catalogue.yaml"):
        shutil.copyfile(REPO / name, root / name)
    shutil.copytree(REPO / "records", root / "records")
    write_schemas(root)
    return root


@pytest.fixture(scope="module")
def editor(register: Path):
    editor = Editor(register)
    yield editor
    editor.close()


def test_the_editor_accepts_the_example_register(register: Path, editor: Editor):
    files = [register / "organisation.yaml", register / "catalogue.yaml"]
    files += sorted((register / "records").glob("*.yaml"))
    assert {f.name: editor.diagnostics(f) for f in files} == {f.name: [] for f in files}


def test_the_editor_flags_what_ropa_check_flags_at_the_same_lines(register: Path, editor: Editor):
    path = new_record(register, "Fejl i redigering", "controller", dt.date(2026, 11, 25))
    text = path.read_text(encoding="utf-8")
    text = text.replace("updated: 2026-11-25", "updated: 2026-13-01")
    text = text.replace("\nretention:", "\nretension:")
    text = text.replace(
        "categories: [identification]\n      details", "categories: [identifikation]\n      details"
    )
    path.write_text(text, encoding="utf-8")
    try:
        with pytest.raises(UserError) as caught:
            read_register(register)
        tool = sorted(p.line for p in caught.value.problems if p.path == f"records/{path.name}")
        editor_lines = sorted(line for line, _ in editor.diagnostics(path))
    finally:
        path.unlink()
    assert len(tool) == 3
    assert editor_lines == tool


def test_the_editor_completes_data_categories(register: Path, editor: Editor):
    path = register / "records" / "supporthenvendelser.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    line = next(
        i for i, text in enumerate(lines, 1) if text.strip() == "categories: [identification]"
    )
    editor.diagnostics(path)
    column = lines[line - 1].index("[") + 2  # just inside the brackets
    assert editor.completion(path, line, column) == list(load_vocabulary(REPO).categories)


def test_hovering_a_key_shows_english_and_danish_help(register: Path, editor: Editor):
    path = register / "records" / "support.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    editor.diagnostics(path)
    hovers = {
        key: editor.hover(
            path, next(i for i, t in enumerate(lines, 1) if t.startswith(f"{key}:")), 2
        )
        for key in ("retention", "data_subjects", "purposes")
    }
    assert hovers["retention"].startswith("#### Erasure\n\nArt. 30(1)(f).\n\nSletning: ")
    assert hovers["data_subjects"].startswith("#### Data subjects and data\n")
    assert "Registrerede og personoplysninger: " in hovers["data_subjects"]
    assert "||" not in hovers["purposes"] and "Formål: " in hovers["purposes"]
