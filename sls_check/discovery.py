"""Which files are inputs: expand the command line's paths, directories and globs, and recognise a
spec or a template (CloudFormation/SAM, CDK output, serverless.yml) by its content rather than by
its file name. (Loading them is sls_check.inputs; this module only finds them, cheaply: it reads
the first 64 KiB of a file and never parses it.)

    slscheck validate infra/                 every spec below infra/, found by content
    slscheck validate 'infra/**/*.yaml'      a recursive glob, expanded here (quoted: not by the shell)
    slscheck validate -                      the spec on standard input
    slscheck validate --skip-unrecognized F  (the pre-commit hook) F quietly skipped unless a spec

A file named on the command line is always an input: if it is not a spec, loading it says why
(unless --skip-unrecognized). Inside a directory or a glob, only recognised files are inputs.
"""

from __future__ import annotations

import glob
import os
import re
import stat
from collections.abc import Iterable
from pathlib import Path

from sls_check.model import Location, Problem

STDIN = Path("-")
SUFFIXES = (".yaml", ".yml", ".json")
# Folders never searched inside a directory argument (tools' caches, virtual environments, VCS data).
SKIP_DIRS = frozenset(
    {".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__", ".tox", ".nox", "cdk.out"}
)
# A file named like a spec is one even when its content is not (yet): a spec that lost its `slscheck: 1`
# line is then reported ("missing `slscheck: 1`"), not skipped.
_SPEC_NAME = re.compile(r"(^|[./\\])arch(itecture)?\.ya?ml$")
# A usage overlay (slscheck.overlay.yaml, NAME.overlay.yaml, or one whose modeline names the overlay
# schema) also starts with `slscheck: 1`, but it is read with its templates, never on its own.
_OVERLAY_NAME = re.compile(r"(^|[./\\])overlay\.ya?ml$")
_OVERLAY_MODELINE = re.compile(r"^#.*\$schema=\S*overlay\.schema\.json", re.M)
SNIFF_BYTES = 64 * 1024  # the spec's version key is at its top level; a spec has it in its first lines

# A spec is a mapping with the top-level key `slscheck` (the format version): in block YAML a key at
# column 0; in JSON or flow YAML ({"slscheck": 1, ...}) a quoted or bare key right after a brace or comma.
_SPEC_BLOCK = re.compile(r"^(?:slscheck|\"slscheck\"|'slscheck')[ \t]*:", re.M)
_KEY = re.compile(r"\s*(?:\"slscheck\"|'slscheck'|slscheck)\s*:")
# The top-level keys sls_check.inputs.looks_like_template tests, as text: CloudFormation (and SAM, and
# `cdk synth` output) has Resources or AWSTemplateFormatVersion; a SAM template a Transform of
# AWS::Serverless; a serverless.yml `service` beside `provider` or `functions`.
_CFN_BLOCK = re.compile(r"^(?:AWSTemplateFormatVersion|Resources|[\"']AWSTemplateFormatVersion[\"'])[ \t]*:", re.M)
_SAM_BLOCK = re.compile(r"^Transform[ \t]*:[ \t]*['\"]?AWS::Serverless", re.M)
_SLS_SERVICE = re.compile(r"^service[ \t]*:", re.M)
_SLS_OTHER = re.compile(r"^(?:provider|functions)[ \t]*:", re.M)
_CFN_KEY = re.compile(r"\s*\"(?:AWSTemplateFormatVersion|Resources)\"\s*:")


def _flow_top_level_spec(text: str, key: re.Pattern[str] = _KEY) -> bool:
    """A JSON or flow-YAML mapping whose own (depth 1) keys include `key` (slscheck); nested ones do not count."""
    body = text.lstrip()
    if not body.startswith("{"):
        return False
    depth, quote, i = 0, "", 0
    while i < len(body):
        c = body[i]
        if quote:
            if c == "\\" and quote == '"':
                i += 1
            elif c == quote:
                quote = ""
        elif c in "\"'":
            quote = c
        elif c in "{[":
            depth += 1
        elif c in "}]":
            depth -= 1
            if depth == 0:
                return False
        if not quote and depth == 1 and c in "{," and key.match(body, i + 1):
            return True
        i += 1
    return False


def template_kind(text: str) -> str | None:
    """'template' for a CloudFormation/SAM template (YAML or JSON, so CDK output too) or a serverless.yml,
    by its top-level keys (the test sls_check.inputs.looks_like_template makes on the parsed data); else None."""
    if _CFN_BLOCK.search(text) or _SAM_BLOCK.search(text) or _flow_top_level_spec(text, _CFN_KEY):
        return "template"
    if _SLS_SERVICE.search(text) and _SLS_OTHER.search(text):
        return "template"
    return None


def input_kind(text: str) -> str | None:
    """'spec', 'template' (see template_kind), or None for any other YAML or JSON."""
    head = text[:SNIFF_BYTES]
    if _OVERLAY_MODELINE.search(head):
        return None
    if _SPEC_BLOCK.search(head) or _flow_top_level_spec(head):
        return "spec"
    return template_kind(head)


def sniff(path: Path) -> str | None:
    """input_kind of a file's first bytes ('spec' for a file named like one: arch.yaml, *.arch.yaml,
    architecture.yml...); None when it is neither or cannot be read (loading it would say why)."""
    if _OVERLAY_NAME.search(path.name):
        return None
    if _SPEC_NAME.search(path.name):
        return "spec"
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):  # never open a FIFO or a device just to look
            return None
        with path.open("rb") as fh:
            raw = fh.read(SNIFF_BYTES)
    except OSError:
        return None
    return input_kind(raw.decode("utf-8", errors="replace").lstrip("\ufeff"))


def _walk(folder: Path) -> Iterable[Path]:
    for root, dirs, files in os.walk(folder):  # unreadable folders are skipped (os.walk ignores errors)
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS)
        for name in sorted(files):
            if name.endswith(SUFFIXES):
                yield Path(root) / name


def _is_dir(path: Path) -> bool:
    """is_dir that answers False for a name the system refuses (too long, a symlink loop): loading
    the path then reports why, as one line."""
    try:
        return path.is_dir()
    except (OSError, ValueError):
        return False


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def _is_glob(arg: str) -> bool:
    return any(c in arg for c in "*?[")


def expand(args: Iterable[str | Path], *, skip_unrecognized: bool = False) -> tuple[list[Path], list[Problem]]:
    """The inputs the command line names, in its order, each once.

    `-` is standard input; a directory gives every recognised file below it (sorted); a pattern with
    `*`, `?` or `[` (and `**` for any depth) gives its recognised matches; any other path is an input
    as it is (a missing file is reported when it is loaded), unless skip_unrecognized drops it quietly
    for not being a spec or template. A directory or pattern that yields nothing is a problem at
    `ARG:1:1` (with skip_unrecognized, nothing).
    """
    out: dict[Path, None] = {}
    problems: list[Problem] = []
    for raw in args:
        arg = str(raw)
        if arg == "-":
            out[STDIN] = None
            continue
        path = Path(arg)
        globbed = _is_glob(arg) and not _is_file(path)  # a file named `a[1].yaml` is that file
        matches = (
            [path] if _is_dir(path) else [Path(m) for m in sorted(glob.glob(arg, recursive=True))] if globbed else []
        )
        if _is_dir(path) or matches:  # a pattern that matches nothing is a path: "cannot read"
            found: list[Path] = []
            for match in matches:
                if _is_dir(match):
                    found.extend(p for p in _walk(match) if sniff(p))
                elif match.name.endswith(SUFFIXES) and sniff(match):
                    found.append(match)
            if not found and not skip_unrecognized:
                what = "below this directory" if _is_dir(path) else "matches this pattern"
                problems.append(
                    Problem(
                        Location(arg, 1, 1),
                        f"no spec or template {what} (a spec is a YAML or JSON file with a top-level "
                        "`slscheck:` key; a template has `Resources:`, a serverless.yml `service:`)",
                    )
                )
            out.update((p, None) for p in found)
        elif not skip_unrecognized or not _is_file(path) or sniff(path):
            out[path] = None
    return list(out), problems
