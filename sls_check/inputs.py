"""The one loading entry point: a spec, a CloudFormation/SAM template (YAML or JSON, so CDK output
too) or a serverless.yml, told apart by content, never by file name.

A plain spec never imports sls_check.importers: the importer is loaded only when the content is a
template (or refused as one by the spec loader).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sls_check.loader import Document, load_text, read_bytes
from sls_check.model import InputError
from sls_check.spec import Spec, check_spec

OVERLAY_NAME = "slscheck.overlay.yaml"


def looks_like_template(data: Any) -> bool:
    """Content test (the importer's kind_of, without importing it)."""
    if not isinstance(data, dict) or "slscheck" in data:
        return False
    if isinstance(data.get("Resources"), dict) or "AWSTemplateFormatVersion" in data:
        return True
    transform = data.get("Transform")
    if isinstance(transform, str) and transform.startswith("AWS::Serverless"):
        return True
    return "service" in data and ("provider" in data or "functions" in data)


def _is_template_refusal(err: InputError) -> bool:
    return any("CloudFormation intrinsic function" in p.message for p in err.problems)


# Bytes of inputs found to be templates, kept for the importer: a FIFO or `<(cmd)` can be read once.
_TEMPLATE_BYTES: dict[str, tuple[bytes, str]] = {}


def take_bytes(path: Path) -> tuple[bytes, str]:
    """The bytes and display name of an input (those read while detecting its kind, else the file's)."""
    kept = _TEMPLATE_BYTES.pop(str(path), None)
    return kept if kept is not None else read_bytes(path)


def load_document(path: Path) -> Document | None:
    """The spec document, or None when the file is a template (then import it)."""
    raw, name = read_bytes(path)
    try:
        doc = load_text(raw, name)
    except InputError as err:
        if _is_template_refusal(err):
            _TEMPLATE_BYTES[str(path)] = (raw, name)
            return None
        raise
    if looks_like_template(doc.data):
        _TEMPLATE_BYTES[str(path)] = (raw, name)
        return None
    return doc


def _overlay_lists(overlay_file: Path, path: Path) -> list[Path] | None:
    """The templates a discovered overlay groups with `path` (its `stacks`), or None."""
    import yaml

    try:
        data = yaml.safe_load(overlay_file.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        return None
    stacks = data.get("stacks") if isinstance(data, dict) else None
    if not isinstance(stacks, dict):
        return None
    listed = []
    for entry in stacks.values():
        if isinstance(entry, dict) and isinstance(entry.get("template"), str):
            listed.append((overlay_file.parent / entry["template"]).resolve())
    return listed if path.resolve() in listed else None


def group_inputs(paths: list[Path], overlay: Path | None = None) -> list[list[Path]]:
    """Which inputs form one architecture: all of them with an explicit overlay; the templates a
    discovered slscheck.overlay.yaml lists under `stacks` together; every other file on its own."""
    if overlay is not None:
        return [list(paths)] if paths else []
    groups: list[list[Path]] = []
    placed: set[int] = set()
    for i, path in enumerate(paths):
        if i in placed:
            continue
        placed.add(i)
        group = [path]
        found = path.parent / OVERLAY_NAME
        listed = _overlay_lists(found, path) if found.is_file() else None
        if listed:
            for j in range(i + 1, len(paths)):
                if j not in placed and paths[j].resolve() in listed:
                    group.append(paths[j])
                    placed.add(j)
        groups.append(group)
    return groups


def read_spec(
    paths: Path | list[Path],
    *,
    overlay: Path | None = None,
    parameters: dict[str, str] | None = None,
    region: str | None = None,
) -> Spec:
    """Load and check one architecture from a spec or from templates; raises InputError."""
    group = [paths] if isinstance(paths, Path) else list(paths)
    if len(group) == 1 and overlay is None and not parameters:
        doc = load_document(group[0])
        if doc is not None:
            return check_spec(doc)
    else:
        for path in group:
            doc = load_document(path)
            if doc is not None:
                raise InputError.single(
                    doc.file,
                    1,
                    1,
                    "an slscheck spec cannot be combined with templates or an overlay; check it on its own",
                )
    from sls_check.importers import import_files

    imported = import_files(group, overlay=overlay, parameters=parameters, region=region)
    assert imported.doc is not None
    if not imported.doc.data["services"]:
        # nothing the spec models (a stack of DNS records, an EventBridge-only stack): the notes are the report
        return Spec(imported.doc)
    return check_spec(imported.doc)
