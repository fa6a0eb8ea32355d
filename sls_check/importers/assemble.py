"""From loaded templates (and an overlay) to one spec Document whose positions are template lines."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sls_check.importers.cfn import Edge, MappedService, Note, StackMapper, StackResult
from sls_check.importers.overlay import OVERLAY_NAME, Overlay, load_overlay
from sls_check.loader import Document, load_file
from sls_check.model import InputError, Location, Problem
from sls_check.schema_check import suggest

Path_ = tuple[Any, ...]
DEFAULT_REGION = "us-east-1"
CACHE_TAIL = "the template cannot say how many requests the cache answers"


@dataclass
class ImportedDocument(Document):
    """A spec built by the importer: `importer` holds its notes and unknown values."""

    importer: Imported | None = None


@dataclass
class Imported:
    files: list[str]
    notes: list[Note] = field(default_factory=list)
    # service id -> spec key -> why the value is unknown (rules needing it do not run on the service)
    unknown: dict[str, dict[str, str]] = field(default_factory=dict)
    # spec service id -> (template file, line) for the written spec's comments
    origins: dict[str, tuple[str, int, str]] = field(default_factory=dict)
    resources: int = 0
    tiers: dict[str, int] = field(default_factory=dict)
    doc: ImportedDocument | None = None
    region_assumed: list[str] = field(default_factory=list)  # templates whose Region is not given
    region_note: Note | None = None  # the IMP007 note that says so (one of `notes`)


def _kind(doc: Document) -> str:
    from sls_check.importers import kind_of

    return kind_of(doc.data)


def load_template(path: Path) -> tuple[Document, str]:
    """A template or serverless.yml read the way CloudFormation reads YAML; (document, kind)."""
    from sls_check.inputs import take_bytes
    from sls_check.loader import load_text

    raw, name = take_bytes(path)
    doc = load_text(raw, name, cloudformation=True)
    kind = _kind(doc)
    if kind == "spec":
        raise InputError.single(
            name, 1, 1, "neither an slscheck spec (slscheck: 1) nor a CloudFormation/SAM template nor a serverless.yml"
        )
    return doc, kind


def _stack_name(file: str) -> str:
    p = Path(file)
    base = p.parent.name if p.stem in ("template", "serverless", "cdk") and p.parent.name else p.stem
    base = base.replace(".template", "")
    cleaned = re.sub(r"[^A-Za-z0-9_-]", "-", base).strip("-_") or "stack"
    return cleaned if cleaned[0].isalpha() else f"s-{cleaned}"


def find_overlay(paths: list[Path]) -> Path | None:
    for path in paths:
        candidate = path.parent / OVERLAY_NAME
        if candidate.is_file():
            return candidate
    return None


def import_files(
    paths: list[Path],
    *,
    overlay: Path | None = None,
    parameters: dict[str, str] | None = None,
    region: str | None = None,
    discover: bool = True,
) -> Imported:
    """Import one architecture from templates; raises InputError (file:line:col) for bad input."""
    docs = [load_template(p) for p in paths]
    if overlay is None and discover:
        overlay = find_overlay(paths)
    ov = load_overlay(overlay) if overlay is not None else None
    if ov is not None and ov.stacks:
        given = {p.resolve() for p in paths}
        if given & {s.template.resolve() for s in ov.stacks}:
            docs += [load_template(s.template) for s in ov.stacks if s.template.resolve() not in given]
    return import_documents(docs, overlay=ov, parameters=parameters or {}, region=region)


def import_documents(
    docs: list[tuple[Document, str]],
    *,
    overlay: Overlay | None = None,
    parameters: dict[str, str] | None = None,
    region: str | None = None,
) -> Imported:
    parameters = parameters or {}
    stacks: list[StackResult] = []
    imported = Imported(files=[d.file for d, _ in docs])
    names: list[str] = []
    assumed: list[str] = []  # templates whose Region is not given
    for doc, _kind in docs:
        stack = overlay.stack_for(doc.file) if overlay else None
        stack_name = stack.name if stack else _stack_name(doc.file)
        while stack_name in names:
            stack_name += "-2"
        names.append(stack_name)
        resources = doc.data.get("Resources") if isinstance(doc.data, dict) else None
        if overlay is not None and isinstance(resources, dict):
            for lid, res in resources.items():
                if isinstance(res, dict) and isinstance(res.get("Type"), str):
                    overlay.types[(stack_name, lid)] = res["Type"]
    for (doc, kind), stack_name in zip(docs, names, strict=True):
        stack = overlay.stack_for(doc.file) if overlay else None
        stack_region = (stack.region if stack else None) or region or (overlay.region if overlay else None)
        params = {**(overlay.parameters if overlay else {}), **(stack.parameters if stack else {}), **parameters}
        external = overlay.external_for(stack_name) if overlay else {}
        if kind == "serverless":
            from sls_check.importers.serverless import to_template

            template_doc, sls_notes, sls_region, sls_aliases, renames = to_template(doc, params)
            stack_region = stack_region or sls_region
            mapper = StackMapper(
                template_doc, stack=stack_name, region=stack_region, parameters=params, external=external
            )
            mapper.result.aliases.update(sls_aliases)
            result = mapper.run()
            result.notes.extend(sls_notes)
            result.renames = renames
        else:
            mapper = StackMapper(doc, stack=stack_name, region=stack_region, parameters=params, external=external)
            result = mapper.run()
        result.file = doc.file
        if stack_region is None:
            assumed.append(doc.file)
        stacks.append(result)
    combined = _combine(stacks, imported, overlay)
    if assumed:  # one note for the stacks of the group, not one per template
        combined.region_assumed = assumed
        combined.region_note = region_note(assumed)
        combined.notes.append(combined.region_note)
    return combined


def region_note(files: list[str]) -> Note:
    """IMP007 for the templates whose Region is not given (at the first one's first line)."""
    if len(files) == 1:
        what = f"the Region the stack is deployed to is not given; {DEFAULT_REGION} is assumed"
    else:
        listed = ", ".join(files)
        try:  # the files' common folder once, not in each name
            common = os.path.commonpath([os.path.dirname(f) for f in files])
        except ValueError:  # absolute and relative names, or other drives
            common = ""
        if common:
            listed = f"under {common}{os.sep}: " + ", ".join(os.path.relpath(f, common) for f in files)
        what = f"the Region is not given for {len(files)} templates; {DEFAULT_REGION} is assumed for each ({listed})"
    return Note("IMP007", "", Location(files[0], 1, 1), {"what": what, "where": "region:"})


def _authorizer_entry(src: str, dst: str, edge: Edge, imported: Imported) -> dict[str, Any]:
    """API -> its Lambda authorizer, at the full rate of the API (calls 1). The template cannot say how
    many requests the authorizer's result cache answers; unless the cache is off (TTL 0) the full rate
    is an upper bound, and a note says so."""
    ttl, default_ttl = edge.extra.get("ttl"), edge.extra.get("default_ttl")
    entry: dict[str, Any] = {"to": dst, "authorizer": True}
    if edge.extra.get("connect_only"):
        entry["description"] = "authorizer: the API's $connect requests (full rate given: an upper bound)"
        why = "a WebSocket API authorizes its $connect requests only, not the messages on a connection"
        tail = "the template does not say how many requests are connections"
    elif ttl == 0:
        entry["description"] = "authorizer: every request (its result cache is off)"
        return entry
    elif ttl is not None:
        entry["description"] = f"authorizer: every request, less its cache hits (TTL {ttl:g} s; full rate given)"
        why = f"it caches its results for {ttl:g} s per identity"
        tail = CACHE_TAIL
    elif default_ttl is not None:
        entry["description"] = (
            f"authorizer: every request, less its cache hits (default TTL {default_ttl} s; full rate given)"
        )
        why = f"it caches its results for {default_ttl} s per identity by default"
        tail = CACHE_TAIL
    else:
        entry["description"] = "authorizer: every request, less its cache hits (TTL not set; full rate given)"
        why = "it may cache its results (the template sets no TTL, and the default is not documented)"
        tail = CACHE_TAIL
    imported.notes.append(
        Note(
            "IMP007",
            src,
            edge.location,
            {
                "what": f"{dst} is the Lambda authorizer of {src} and gets {src}'s full request rate, an upper "
                f"bound: {why}, and {tail}",
                "where": f'edges: {{"{src} -> {dst}": {{calls: SHARE_NOT_ANSWERED_FROM_CACHE}}}}',
            },
        )
    )
    return entry


def _sid(text: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9_-]", "-", text).strip("-") or "service"
    return cleaned if cleaned[0].isalpha() else f"s-{cleaned}"


def _combine(stacks: list[StackResult], imported: Imported, overlay: Overlay | None) -> Imported:
    # ids: logical ids, namespaced with the stack name only where two stacks use the same one
    counts: dict[str, int] = {}
    for st in stacks:
        for lid in st.services:
            name = _sid(st.renames.get(lid, lid))
            counts[name] = counts.get(name, 0) + 1
    ids: dict[tuple[str, str], str] = {}
    for st in stacks:
        for lid in st.services:
            name = _sid(st.renames.get(lid, lid))
            ids[(st.stack, lid)] = name if counts[name] == 1 else _sid(f"{st.stack}-{name}")

    def resolve(st: StackResult, ref: str) -> str | None:
        if ref.startswith("@"):
            stack, _, lid = ref[1:].partition("/")
            return ids.get((stack, lid))
        ref = st.aliases.get(ref, ref)
        return ids.get((st.stack, ref))

    services: dict[str, dict[str, Any]] = {}
    where: dict[Path_, Location] = {}
    svc_loc: dict[str, Location] = {}
    mapped: dict[str, tuple[StackResult, MappedService]] = {}
    for st in stacks:
        imported.resources += st.resource_count
        for tier, n in st.tiers.items():
            imported.tiers[tier] = imported.tiers.get(tier, 0) + n
        for lid, svc in st.services.items():
            sid = ids[(st.stack, lid)]
            data = _rewrite_refs(svc.data, lambda r, st=st: resolve(st, r))
            services[sid] = data
            mapped[sid] = (st, svc)
            svc_loc[sid] = svc.location
            for sub, loc in svc.where.items():
                where[("services", sid, *sub)] = loc
            if svc.unknown:
                imported.unknown[sid] = dict(svc.unknown)
            imported.origins[sid] = (svc.location.file, svc.location.line, svc.cdk_path or svc.cfn_type)
        for note in st.notes:
            nsid = resolve(st, note.service) if note.service else ""
            imported.notes.append(Note(note.rule, nsid or note.service, note.location, note.values))

    # edges: certain first, then candidates that close no cycle
    connects: dict[str, list[tuple[Any, Location]]] = {sid: [] for sid in services}
    adjacency: dict[str, set[str]] = {sid: set() for sid in services}
    pending: list[tuple[str, str, Edge, StackResult]] = []
    for st in stacks:
        for edge in st.edges:
            src, dst = resolve(st, edge.source), resolve(st, edge.target)
            if src is None or dst is None or src == dst:
                continue
            pending.append((src, dst, edge, st))
    pending.sort(key=lambda item: bool(item[2].candidate))
    for src, dst, edge, _st in pending:
        if dst in adjacency[src]:
            continue
        if _reaches(adjacency, dst, src):
            if edge.candidate and src in adjacency.get(dst, set()):
                continue  # a function's reference to its own event source (a poller's permissions)
            imported.notes.append(
                Note("IMP008", src, edge.location, {"target": dst, "why": edge.candidate or "an event or integration"})
            )
            continue
        adjacency[src].add(dst)
        entry: Any = dst
        extra = {k: v for k, v in edge.extra.items() if k in ("reads", "writes", "calls", "rule")}
        if edge.extra.get("authorizer"):
            connects[src].append((_authorizer_entry(src, dst, edge, imported), edge.location))
            continue
        if edge.candidate or extra:
            entry = {"to": dst, **extra}
            if edge.candidate:
                entry["description"] = f"candidate: {edge.candidate}"
        connects[src].append((entry, edge.location))

    # An API sends each request to one route, a distribution to one origin: a template does not say
    # the shares, so they are assumed even (the overlay's edges tune them)
    # (an API's Lambda authorizer runs before the route, not instead of one: it is no share)
    for sid, items in connects.items():
        routes = [i for i, (e, _l) in enumerate(items) if not (isinstance(e, dict) and e.get("authorizer"))]
        if services[sid].get("type") not in ("api_gateway", "cloudfront") or len(routes) < 2:
            continue
        share = round(1 / len(routes), 4)
        for i in routes:
            entry, loc = items[i]
            target = entry if isinstance(entry, str) else entry["to"]
            extra = {} if isinstance(entry, str) else entry
            items[i] = (
                {**extra, "to": target, "calls": share, "description": "assumed: an even share of the requests"},
                loc,
            )
        imported.notes.append(
            Note(
                "IMP007",
                sid,
                svc_loc[sid],
                {
                    "what": f"{sid} routes each request to one of {len(routes)} targets; the template does not say "
                    f"which share goes where, so each gets {share:g}",
                    "where": f'edges: {{"{sid} -> TARGET": {{calls: SHARE}}}}',
                },
            )
        )

    # the overlay: per-service keys (Metadata.slscheck first, then the overlay file), edges, workload
    files: dict[Path_, str] = {}
    positions: dict[Path_, tuple[int, int]] = {}
    key_positions: dict[Path_, tuple[int, int]] = {}
    for sid, (st, svc) in mapped.items():
        meta = st.overlays.get(svc.logical_id)
        if meta is not None:
            mdoc, mpath = meta
            _apply_keys(
                services[sid],
                mdoc.data_at(mpath) if hasattr(mdoc, "data_at") else _at(mdoc.data, mpath),
                mdoc,
                mpath,
                ("services", sid),
                positions,
                key_positions,
                files,
                imported.unknown.get(sid),
            )
    region = None
    name = stacks[0].stack if stacks else "imported"
    if overlay is not None:
        region = overlay.region
        name = overlay.name or name
        lookup = _lookup_table(mapped, ids)
        problems: list[Problem] = []
        for key, (values, path) in overlay.services.items():
            found = lookup.get(key)
            if found is not None:
                sid = found
            else:
                if isinstance(values, dict) and "type" in values:
                    sid = _sid(key)
                    services[sid] = {}
                    connects[sid] = []
                    adjacency[sid] = set()
                    svc_loc[sid] = overlay.doc.locate(path, key=True)
                else:
                    problems.append(
                        Problem(
                            overlay.doc.locate(path, key=True),
                            f"services: {key!r} is no resource of the templates{suggest(key, sorted(lookup))}"
                            " (give `type` to add a service the templates do not have)",
                        )
                    )
                    continue
            _apply_keys(
                services[sid],
                values,
                overlay.doc,
                path,
                ("services", sid),
                positions,
                key_positions,
                files,
                imported.unknown.get(sid),
            )
        for (src_key, dst_key), (value, path) in overlay.edges.items():
            src, dst = lookup.get(src_key), lookup.get(dst_key)
            loc = overlay.doc.locate(path, key=True)
            bad = [k for k, v in ((src_key, src), (dst_key, dst)) if v is None]
            if bad:
                problems.extend(
                    Problem(loc, f"edges: {k!r} is no service of the templates{suggest(k, sorted(lookup))}")
                    for k in bad
                )
                continue
            assert src is not None and dst is not None
            current = connects.setdefault(src, [])
            index = next(
                (i for i, (e, _l) in enumerate(current) if (e if isinstance(e, str) else e["to"]) == dst), None
            )
            if value == "drop":
                if index is None:
                    problems.append(Problem(loc, f"edges: there is no edge {src_key} -> {dst_key} to drop"))
                else:
                    current.pop(index)
                continue
            entry = {"to": dst, **value}
            if index is None:
                current.append((entry, loc))
            else:
                old = current[index][0]
                merged = {"to": dst, **({} if isinstance(old, str) else old), **value}
                current[index] = (merged, loc)
        if problems:
            raise InputError(problems)
    _drop_dangling(services, imported)
    for sid, items in connects.items():
        items[:] = [(e, loc) for e, loc in items if (e if isinstance(e, str) else e.get("to")) in services]
        if items:
            services[sid]["connects"] = [e for e, _l in items]
            for i, (_e, loc) in enumerate(items):
                where.setdefault(("services", sid, "connects", i), loc)
    first = stacks[0].file if stacks else "template"
    region = region or next((st.region for st in stacks if st.region), None) or DEFAULT_REGION
    spec: dict[str, Any] = {"slscheck": 1, "name": _sid(name), "region": region}
    if overlay is not None:
        for key in ("workload", "account", "description"):
            if key in overlay.data:
                spec[key] = overlay.data[key]
                _copy_positions(overlay.doc, (key,), (key,), positions, key_positions, files)
    spec["services"] = services
    # positions: every service key at the template line it came from
    for sid, loc in svc_loc.items():
        path = ("services", sid)
        if path not in files:
            files[path] = loc.file
        key_positions.setdefault(path, (loc.line, loc.column))
        positions.setdefault(path, (loc.line, loc.column))
    for path, loc in where.items():
        if path in positions:
            continue  # the overlay's value won
        positions[path] = (loc.line, loc.column)
        files[path] = loc.file
    for key in ("slscheck", "name", "region", "services"):
        positions.setdefault((key,), (1, 1))
    positions.setdefault((), (1, 1))
    doc = ImportedDocument(file=first, data=spec, positions=positions, key_positions=key_positions, files=files)
    doc.importer = imported
    imported.doc = doc
    return imported


_ALLOWED_REFS: dict[str, tuple[str, ...]] = {
    "dlq": ("sqs", "sns"),
    "user_pool": ("cognito_user_pool",),
    "certificate": ("acm_certificate",),
    "trigger_on_failure": ("sqs", "sns"),
}


def _drop_dangling(services: dict[str, dict[str, Any]], imported: Imported) -> None:
    """A reference key to a service that is not there (outside the templates, unmapped) becomes unknown."""
    for sid, svc in services.items():
        for key, allowed in _ALLOWED_REFS.items():
            holder = svc.get("custom_domain") if key == "certificate" and svc.get("type") == "api_gateway" else svc
            if not isinstance(holder, dict) or key not in holder:
                continue
            target = holder[key]
            if target not in services or services[target].get("type") not in allowed:
                del holder[key]
                imported.unknown.setdefault(sid, {})[key] = f"{target} is not a service of the templates"
        config = svc.get("async_config")
        if isinstance(config, dict):
            for key in ("on_success", "on_failure"):
                target = config.get(key)
                if target is not None and (
                    target not in services or services[target].get("type") not in ("sqs", "sns", "lambda")
                ):
                    del config[key]
                    imported.unknown.setdefault(sid, {})["async_config"] = f"{target} is not a service of the templates"
            if not config:
                del svc["async_config"]
        if isinstance(svc.get("custom_domain"), dict) and not svc["custom_domain"]:
            del svc["custom_domain"]
        functions = svc.get("functions")
        if isinstance(functions, list):
            kept = [
                f
                for f in functions
                if f.get("function") in services
                and services[f["function"]].get("type") in ("lambda", "cloudfront_function")
            ]
            if kept:
                svc["functions"] = kept
            else:
                del svc["functions"]


def _at(data: Any, path: Path_) -> Any:
    for part in path:
        data = data[part]
    return data


def _copy_positions(
    src: Document,
    src_path: Path_,
    dst_path: Path_,
    positions: dict[Path_, tuple[int, int]],
    key_positions: dict[Path_, tuple[int, int]],
    files: dict[Path_, str],
) -> None:
    n = len(src_path)
    for table, out in ((src.positions, positions), (src.key_positions, key_positions)):
        for p, pos in table.items():
            if p[:n] == src_path:
                out[(*dst_path, *p[n:])] = pos
    files[dst_path] = src.file


def _apply_keys(
    target: dict[str, Any],
    values: Any,
    src: Document,
    src_path: Path_,
    dst_path: Path_,
    positions: dict[Path_, tuple[int, int]],
    key_positions: dict[Path_, tuple[int, int]],
    files: dict[Path_, str],
    unknown: dict[str, str] | None,
) -> None:
    if not isinstance(values, dict):
        return
    for key, value in values.items():
        if key == "type" and "type" in target:
            continue
        target[key] = value
        _copy_positions(src, (*src_path, key), (*dst_path, key), positions, key_positions, files)
        if unknown is not None:
            unknown.pop(key, None)
    if "type" in values and (*dst_path, "type") not in positions:
        _copy_positions(src, src_path, dst_path, positions, key_positions, files)


def _lookup_table(
    mapped: dict[str, tuple[StackResult, MappedService]], ids: dict[tuple[str, str], str]
) -> dict[str, str]:
    """Overlay keys: service id, logical id, stack.logicalId, CDK path."""
    table: dict[str, str] = {}
    for sid, (st, svc) in mapped.items():
        table[sid] = sid
        table.setdefault(svc.logical_id, sid)
        table[f"{st.stack}.{svc.logical_id}"] = sid
        if svc.cdk_path:
            table[svc.cdk_path] = sid
            if svc.cdk_path.endswith("/Resource"):
                table[svc.cdk_path[: -len("/Resource")]] = sid
    for st in {id(s): s for s, _ in mapped.values()}.values():
        for alias, lid in st.aliases.items():
            target = ids.get((st.stack, lid))
            if target:
                table.setdefault(alias, target)
    return table


def _reaches(adjacency: dict[str, set[str]], start: str, goal: str) -> bool:
    seen = {start}
    stack = [start]
    while stack:
        node = stack.pop()
        if node == goal:
            return True
        for nxt in adjacency.get(node, ()):
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return False


_REF_KEYS = frozenset(
    {"dlq", "user_pool", "certificate", "function", "to", "trigger_on_failure", "on_success", "on_failure"}
)


def _rewrite_refs(data: Any, resolve: Any, key: str = "") -> Any:
    if isinstance(data, dict):
        return {k: _rewrite_refs(v, resolve, k) for k, v in data.items()}
    if isinstance(data, list):
        return [_rewrite_refs(v, resolve, key) for v in data]
    if isinstance(data, str) and key in _REF_KEYS:
        return resolve(data) or data
    return data


__all__ = ["Imported", "ImportedDocument", "import_documents", "import_files", "load_file"]
