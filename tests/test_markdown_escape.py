"""Every Markdown output escapes what a spec controls: a name like `</details><img src=x>` stays text.

The four Markdown outputs (validate, cost, limits, diff) are meant for pull-request comments,
where raw HTML in a spec name would end a folded section or load an image.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sls_check.reporters.escape import markdown_cell
from tests.conftest import run_cli

HOSTILE = "</details><img src=x> shop"
SPEC = f"""slscheck: 1
name: "{HOSTILE}"
region: us-east-1
workload: {{rps: 10}}
services:
  api: {{type: api_gateway, api: http, connects: [fn]}}
  fn: {{type: lambda, runtime: python3.12, memory_mb: 20480}}
"""


def test_markdown_cell_escapes_html_pipes_backslashes_and_newlines() -> None:
    assert markdown_cell("</details><img src=x>") == "&lt;/details&gt;&lt;img src=x&gt;"
    assert markdown_cell("a|b\\c\r\nd\re") == "a\\|b\\\\c<br>d<br>e"


@pytest.mark.parametrize(
    "args",
    [
        ("validate", "arch.yaml", "-f", "markdown"),
        ("cost", "arch.yaml", "-f", "markdown"),
        ("limits", "arch.yaml", "-f", "markdown"),
        ("diff", "old.yaml", "arch.yaml", "-f", "markdown"),
    ],
    ids=lambda a: a[0],
)
def test_a_hostile_spec_name_comes_out_inert(
    args: tuple[str, ...], tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "arch.yaml").write_text(SPEC, encoding="utf-8")
    (tmp_path / "old.yaml").write_text(SPEC.replace("memory_mb: 20480", "memory_mb: 512"), encoding="utf-8")
    code, out, err = run_cli(capsys, monkeypatch, tmp_path, *args)
    assert code in (0, 1), err
    assert "<img" not in out and "</details><img" not in out
    if args[0] in ("cost", "limits"):  # these name the spec in their heading
        assert "&lt;/details&gt;&lt;img src=x&gt; shop" in out
