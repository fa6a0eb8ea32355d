"""The cache of loaded packs: a hit gives the same data, any change to a file revalidates it."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from sls_check import data_cache
from sls_check.loader import Document
from sls_check.model import InputError


@pytest.fixture
def fresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SLSCHECK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(data_cache, "_MEMORY", None)
    monkeypatch.setattr(data_cache, "_DIRTY", False)
    return tmp_path


def _reset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(data_cache, "_MEMORY", None)  # as a new process would start


def test_hit_returns_the_same_data_without_checking_again(fresh: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pack = fresh / "p.yaml"
    pack.write_text("pack: p\nrules:\n  - {id: ABC001}\n")
    calls: list[str] = []
    first = data_cache.load_checked(pack, "test", lambda d: calls.append("checked"))
    data_cache.flush()
    _reset(monkeypatch)
    second = data_cache.load_checked(pack, "test", lambda d: calls.append("checked"))
    assert calls == ["checked"]
    assert second.data == first.data
    assert second.locate(("rules", 0)) == first.locate(("rules", 0))
    assert json.loads((fresh / "cache" / data_cache.cache_file().name).read_text())


def test_changed_file_is_checked_again(fresh: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pack = fresh / "p.yaml"
    pack.write_text("pack: p\n")
    data_cache.load_checked(pack, "test", lambda d: None)
    data_cache.flush()
    _reset(monkeypatch)
    pack.write_text("pack: broken\n")
    os.utime(pack, ns=(1, 1))

    def reject(doc: Document) -> None:
        raise InputError.single(doc.file, 1, 7, "broken")

    with pytest.raises(InputError):
        data_cache.load_checked(pack, "test", reject)


def test_corrupt_cache_is_ignored(fresh: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = data_cache.cache_file()
    path.parent.mkdir(parents=True)
    path.write_text("{not json")
    pack = fresh / "p.yaml"
    pack.write_text("pack: p\n")
    assert data_cache.load_checked(pack, "test", lambda d: None).data == {"pack": "p"}


def test_no_cache_switch(fresh: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLSCHECK_NO_CACHE", "1")
    pack = fresh / "p.yaml"
    pack.write_text("pack: p\n")
    data_cache.load_checked(pack, "test", lambda d: None)
    data_cache.flush()
    assert not (fresh / "cache").exists()


def test_entries_of_vanished_files_are_dropped(fresh: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    keep, gone = fresh / "keep.yaml", fresh / "gone.yaml"
    keep.write_text("pack: keep\n")
    gone.write_text("pack: gone\n")
    for path in (keep, gone):
        data_cache.load_checked(path, "test", lambda d: None)
    data_cache.flush()
    gone.unlink()
    _reset(monkeypatch)
    keep.write_text("pack: keep2\n")
    os.utime(keep, ns=(5, 5))
    data_cache.load_checked(keep, "test", lambda d: None)
    data_cache.flush()
    stored = json.loads(data_cache.cache_file().read_text())
    assert list(stored) == [str(keep.resolve())]


def test_each_installation_has_its_own_cache_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ten checkouts sharing ~/.cache/slscheck must not make each run read the others' entries."""
    monkeypatch.setenv("SLSCHECK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("SLSCHECK_NO_CACHE", raising=False)
    names = set()
    for install in ("a", "b"):
        (tmp_path / install / "rules").mkdir(parents=True)
        monkeypatch.setattr(data_cache, "data_dir", lambda name, i=install: tmp_path / i / name)
        path = data_cache.cache_file()
        assert path is not None and path.parent == tmp_path / "cache"
        names.add(path.name)
    assert len(names) == 2 and all(n.startswith("data-") and n.endswith(".json") for n in names)
