"""Editors: the schema `slscheck schema` writes, the modeline `init` writes, and the real yaml-language-server.

The last test installs the npm package yaml-language-server into a temporary folder (or uses the one
in $SLSCHECK_YAML_LS_DIR, a folder with node_modules/yaml-language-server) and talks to it over the
Language Server Protocol on stdio, as VS Code's YAML extension does: completion and hover for a key,
and a diagnostic for a typo, in a fresh project with no network. Without node/npm, or when npm cannot
reach its registry, it is skipped with the reason.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import threading
from pathlib import Path
from typing import Any

import pytest

from sls_check.editor_schema import SCHEMASTORE_ID, editor_schema

from .conftest import ROOT, run_cli


def _properties(node: Any, path: str = "") -> list[tuple[str, dict[str, Any]]]:
    """Every (path, property schema) under a `properties` map, anywhere in the schema."""
    found: list[tuple[str, dict[str, Any]]] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "if":  # a condition (the `type` discriminator), not a key a user writes
                continue
            if key == "properties" and isinstance(value, dict):
                found += [(f"{path}.{k}", v) for k, v in value.items() if isinstance(v, dict)]
            found += _properties(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += _properties(value, f"{path}[{i}]")
    return found


def test_schema_is_ready_for_schemastore() -> None:
    schema = editor_schema()
    assert schema["$id"] == SCHEMASTORE_ID and schema["$id"].startswith("https://json.schemastore.org/")
    assert schema["title"] and schema["description"]
    props = _properties(schema)
    assert len(props) > 200
    missing = [p for p, s in props if not s.get("description") or not s.get("markdownDescription")]
    assert missing == [], missing[:10]
    lam = schema["$defs"]["lambda"]["properties"]
    assert lam["memory_mb"]["markdownDescription"] == (
        "Memory, in MB (AWS allows 128-10,240).\n\n**Unit:** MB · **Default:** `128` · **Range:** ≥ 1"
    )
    assert "**One of:** `x86_64`, `arm64`" in lam["architecture"]["markdownDescription"]
    assert "**Default:** `x86_64`" in lam["architecture"]["markdownDescription"]


def test_schema_output_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, err = run_cli(capsys, monkeypatch, tmp_path, "schema", "-o", "arch.schema.json")
    assert (code, out, err) == (0, "", "wrote arch.schema.json\n")
    assert json.loads((tmp_path / "arch.schema.json").read_text(encoding="utf-8")) == editor_schema()
    code, out, _ = run_cli(capsys, monkeypatch, tmp_path, "schema", "--name", "config")
    assert code == 0 and json.loads(out)["$id"].endswith("config.schema.json")
    code, _, err = run_cli(capsys, monkeypatch, tmp_path, "schema", "--name", "nope")
    assert code == 2 and "'nope' is not one of" in err


def test_init_writes_a_relative_modeline_and_the_schema_it_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _ = run_cli(capsys, monkeypatch, tmp_path, "init", "infra/shop.arch.yaml")
    assert code == 0
    assert out == (
        "wrote infra/shop.arch.yaml and infra/arch.schema.json (the editor schema; commit it with the spec); "
        "next: slscheck validate infra/shop.arch.yaml\n"
    )
    spec = (tmp_path / "infra" / "shop.arch.yaml").read_text(encoding="utf-8")
    assert spec.splitlines()[0] == "# yaml-language-server: $schema=./arch.schema.json"
    assert json.loads((tmp_path / "infra" / "arch.schema.json").read_text(encoding="utf-8")) == editor_schema()
    # a second spec in the folder shares the schema file; it is not rewritten
    (tmp_path / "infra" / "arch.schema.json").write_text("{}", encoding="utf-8")
    code, out, _ = run_cli(capsys, monkeypatch, tmp_path, "init", "infra/orders.yaml")
    assert code == 0 and "arch.schema.json" not in out
    assert (tmp_path / "infra" / "arch.schema.json").read_text(encoding="utf-8") == "{}"
    # a schema kept elsewhere in the project: the modeline is relative to the spec
    code, _, _ = run_cli(capsys, monkeypatch, tmp_path, "init", "infra/api.yaml", "--schema", "schemas/arch.json")
    assert code == 0
    first = (tmp_path / "infra" / "api.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../schemas/arch.json"
    assert (tmp_path / "schemas" / "arch.json").is_file()
    # and the directory of specs still holds only specs
    code, out, _ = run_cli(capsys, monkeypatch, tmp_path, "validate", "infra/", "--list-inputs")
    assert code == 0 and out.splitlines() == ["infra/api.yaml", "infra/orders.yaml", "infra/shop.arch.yaml"]


def test_samples_name_the_schema_by_a_relative_path() -> None:
    for sample in sorted((ROOT / "samples").rglob("*.yaml")):
        first = sample.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema=../"), sample
        target = (sample.parent / first.split("$schema=", 1)[1]).resolve()
        assert target == ROOT / "schemas" / "arch.schema.json", sample


# ---- the real yaml-language-server ------------------------------------------------------------------


@pytest.fixture(scope="module")
def yaml_language_server(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed (the yaml-language-server test needs node and npm)")
    folder = Path(os.environ.get("SLSCHECK_YAML_LS_DIR") or tmp_path_factory.mktemp("yaml-ls"))
    server = folder / "node_modules" / "yaml-language-server" / "bin" / "yaml-language-server"
    if not server.exists():
        npm = shutil.which("npm")
        if npm is None:
            pytest.skip("npm is not installed")
        got = subprocess.run(
            [npm, "install", "--no-audit", "--no-fund", "--silent", "yaml-language-server@1"],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        if got.returncode != 0:
            pytest.skip(f"npm could not install yaml-language-server (offline?): {got.stderr.strip()[-300:]}")
    return [node, str(server), "--stdio"]


class LanguageClient:
    """Just enough of an LSP client: JSON-RPC over stdio with Content-Length framing."""

    def __init__(self, command: list[str], cwd: Path) -> None:
        self.proc = subprocess.Popen(command, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.messages: queue.Queue[dict[str, Any]] = queue.Queue()
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        while True:
            headers = {}
            while (line := self.proc.stdout.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode().partition(":")
                headers[name.strip().lower()] = value.strip()
            if not headers:
                return
            self.messages.put(json.loads(self.proc.stdout.read(int(headers["content-length"]))))

    def send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
        self.proc.stdin.flush()

    def notify(self, method: str, params: Any) -> None:
        self.send({"method": method, "params": params})

    def request(self, method: str, params: Any) -> Any:
        self.next_id += 1
        self.send({"id": self.next_id, "method": method, "params": params})
        return self.wait(lambda m: m.get("id") == self.next_id and "method" not in m)["result"]

    def wait(self, want: Any, timeout: float = 60) -> dict[str, Any]:
        while True:
            message = self.messages.get(timeout=timeout)
            if "method" in message and "id" in message:  # a request from the server: answer it
                if message["method"] == "workspace/configuration":
                    result: Any = [SETTINGS["yaml"] for _ in message["params"]["items"]]
                else:
                    result = None
                self.send({"id": message["id"], "result": result})
            if want(message):
                return message

    def close(self) -> None:
        try:
            self.request("shutdown", None)
            self.notify("exit", None)
            self.proc.wait(timeout=10)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()


SETTINGS = {"yaml": {"validate": True, "hover": True, "completion": True, "schemaStore": {"enable": False}}}
SPEC = (
    """# yaml-language-server: $schema=./arch.schema.json
slscheck: 1
name: shop
region: eu-west-1
services:
  fn:
    type: lambda
    memory_mb: 512
    memroy: 1024
    runtime: python3.12
"""
    + "    \n"
)  # the cursor's line for completion: indented inside the function


def test_yaml_language_server_completes_hovers_and_flags_a_typo(
    yaml_language_server: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "project"
    project.mkdir()
    assert run_cli(capsys, monkeypatch, project, "schema", "-o", "arch.schema.json")[0] == 0
    (project / "shop.arch.yaml").write_text(SPEC, encoding="utf-8")
    uri = (project / "shop.arch.yaml").as_uri()
    client = LanguageClient(yaml_language_server, project)
    try:
        client.request(
            "initialize",
            {
                "processId": os.getpid(),
                "rootUri": project.as_uri(),
                "capabilities": {
                    "workspace": {"configuration": True},
                    "textDocument": {
                        "completion": {"completionItem": {"documentationFormat": ["markdown", "plaintext"]}},
                        "hover": {"contentFormat": ["markdown", "plaintext"]},
                        "publishDiagnostics": {},
                    },
                },
            },
        )
        client.notify("initialized", {})
        client.notify("workspace/didChangeConfiguration", {"settings": SETTINGS})
        client.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": SPEC}},
        )
        diagnostics = client.wait(
            lambda m: (
                m.get("method") == "textDocument/publishDiagnostics"
                and m["params"]["uri"] == uri
                and m["params"]["diagnostics"]
            )
        )["params"]["diagnostics"]
        typo = [d for d in diagnostics if "memroy" in d["message"]]
        assert typo and typo[0]["range"]["start"] == {"line": 8, "character": 4}, diagnostics
        assert not any("Unable to load schema" in d["message"] for d in diagnostics), diagnostics

        # completion on the empty line inside the function: the lambda keys, with their descriptions
        items = client.request(
            "textDocument/completion", {"textDocument": {"uri": uri}, "position": {"line": 10, "character": 4}}
        )
        items = items["items"] if isinstance(items, dict) else items
        labels = {item["label"] for item in items}
        assert {"timeout_s", "architecture", "ephemeral_storage_mb"} <= labels, sorted(labels)[:30]

        hover = client.request(
            "textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 7, "character": 6}}
        )
        contents = hover["contents"]
        text = contents["value"] if isinstance(contents, dict) else str(contents)
        assert "Memory, in MB" in text and "**Default:** `128`" in text, text
    finally:
        client.close()


def test_directories_find_templates_and_skip_overlays(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A directory holds specs and templates (found by content); a usage overlay is read with its template."""
    code, out, _ = run_cli(capsys, monkeypatch, ROOT, "validate", "docs/examples/", "--list-inputs")
    assert code == 0 and out == "docs/examples/sam-orders/template.yaml\n"
