"""A cache of our own data files (rule packs, quotas) once loaded and validated.

A pre-commit hook must feel instant, and parsing plus validating every pack costs more
than the spec itself. The cache holds plain JSON (never pickle: nothing loaded from it
is executed), one entry per file, keyed by the file's resolved path, size and mtime and
the slscheck version; any change to a file reloads and revalidates that file. Entries
keep the positions of the first two levels (enough to name a rule or a limit).

One cache file per installation and version (`data-VERSION-HASH.json`, HASH naming the folder
the installation's data lives in): a run reads only its own installation's entries, so its
cost stays flat however many checkouts, pre-commit environments and CI caches share the
cache folder (benchmarks/bench_cache.py shows it).

SLSCHECK_CACHE_DIR moves it (default: $XDG_CACHE_HOME/slscheck or ~/.cache/slscheck);
SLSCHECK_NO_CACHE=1 turns it off. A cache that cannot be read or written is ignored.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sls_check import __version__
from sls_check.loader import Document, load_file, note_input
from sls_check.paths import data_dir

_MEMORY: dict[str, Any] | None = None
_DIRTY = False


def installation() -> str:
    """A short, stable name of this installation: a hash of the folder its data files live in."""
    root = str(data_dir("rules").resolve().parent)
    return hashlib.sha256(root.encode("utf-8", "surrogateescape")).hexdigest()[:16]


def cache_file() -> Path | None:
    if os.environ.get("SLSCHECK_NO_CACHE"):
        return None
    name = f"data-{__version__}-{installation()}.json"
    base = os.environ.get("SLSCHECK_CACHE_DIR")
    if base:
        return Path(base) / name
    xdg = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(xdg) / "slscheck" / name


def _entries() -> dict[str, Any]:
    global _MEMORY
    if _MEMORY is None:
        _MEMORY = {}
        path = cache_file()
        if path is not None:
            try:
                loaded = json.loads(path.read_text(encoding="utf-8"))
                if isinstance(loaded, dict):
                    _MEMORY = loaded
            except (OSError, ValueError):
                pass
    return _MEMORY


def _stamp(path: Path, purpose: str) -> list[Any]:
    st = path.stat()
    return [st.st_size, st.st_mtime_ns, purpose]


def _shallow(table: dict[tuple[Any, ...], tuple[int, int]]) -> list[list[Any]]:
    return [[list(p), list(pos)] for p, pos in table.items() if len(p) <= 2]


def load_checked(path: Path, purpose: str, check: Callable[[Document], None]) -> Document:
    """load_file + check (which raises InputError), answered from the cache when the file is unchanged."""
    global _DIRTY
    try:
        key = str(path.resolve())
    except (OSError, RuntimeError):  # a symlink loop, a name too long: load_file says so
        return load_file_checked(path, check)
    entries = _entries()
    try:
        stamp = _stamp(path, purpose)
    except OSError:
        stamp = None
    hit = entries.get(key)
    if stamp is not None and hit and hit.get("stamp") == stamp:
        note_input(path)  # read or not, it is an input of this run (`-o` must not replace it)
        return Document(
            file=hit["file"],
            data=hit["data"],
            positions={tuple(p): tuple(pos) for p, pos in hit["positions"]},
            key_positions={tuple(p): tuple(pos) for p, pos in hit["key_positions"]},
        )
    doc = load_file(path)
    check(doc)
    if stamp is not None and cache_file() is not None:
        try:
            same = json.loads(json.dumps(doc.data)) == doc.data  # only plain JSON data is cached
        except (TypeError, ValueError):
            same = False
        if same:
            entries[key] = {
                "stamp": stamp,
                "file": doc.file,
                "data": doc.data,
                "positions": _shallow(doc.positions),
                "key_positions": _shallow(doc.key_positions),
            }
            _DIRTY = True
    return doc


def load_file_checked(path: Path, check: Callable[[Document], None]) -> Document:
    doc = load_file(path)
    check(doc)
    return doc


def flush() -> None:
    """Write the cache if something new was loaded (atomically; errors ignored)."""
    global _DIRTY
    path = cache_file()
    if not _DIRTY or path is None or _MEMORY is None:
        return
    # entries of files that are gone (old checkouts, temporary copies) would only grow the cache
    for key in [k for k in _MEMORY if not os.path.exists(k)]:
        del _MEMORY[key]
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".data-", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(_MEMORY, fh, separators=(",", ":"))
        os.replace(tmp, path)
        _DIRTY = False
    except OSError:
        pass
