"""Fetch the Price List Bulk API files with the standard library only (urllib), to files.

The source is the endpoint (https://pricing.us-east-1.amazonaws.com), another http(s) address
serving the same paths (a mirror, or a local server in the tests), or a local directory laid
out as the paths are (<dir>/offers/v1.0/aws/index.json, ...). Every body is streamed to a
temporary file in 1 MiB pieces; a body shorter than its Content-Length, a cut chunked body, an
HTTP error or a time-out is a DownloadError and the temporary file is removed.

    offer index   /offers/v1.0/aws/index.json        offers.<code>.currentRegionIndexUrl,
                                                      offers.<code>.currentVersionUrl
    region index  .../<code>/current/region_index.json  regions.<region>.currentVersionUrl
    offer file    .../<code>/<version>/<region>/index.json   (index.csv: the CSV form)
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import shutil
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from sls_check import __version__

CHUNK = 1 << 20
TIMEOUT_S = 60.0


class DownloadError(Exception):
    """A file of the Price List could not be fetched whole."""


def is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


def address(source: str, path: str) -> str:
    """The address of `path` (an absolute path as the indexes give it) at `source`."""
    if is_url(source):
        return urllib.parse.urljoin(source.rstrip("/") + "/", path.lstrip("/"))
    return str(Path(source) / path.lstrip("/"))


def fetch(source: str, path: str, folder: Path) -> Path:
    """Stream `path` from `source` into a new file in `folder`; its name is returned."""
    where = address(source, path)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix="offer-", suffix=Path(path).suffix or ".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            if is_url(source):
                _http(where, out)
            else:
                try:
                    with open(where, "rb") as src:
                        shutil.copyfileobj(src, out, CHUNK)
                except OSError as exc:
                    raise DownloadError(f"{where}: cannot read: {exc.strerror or exc}") from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return Path(tmp)


def _http(url: str, out: Any) -> None:
    request = urllib.request.Request(url, headers={"User-Agent": f"slscheck/{__version__} (prices update)"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
            length = response.headers.get("Content-Length")
            got = 0
            while True:
                piece = response.read(CHUNK)
                if not piece:
                    break
                out.write(piece)
                got += len(piece)
            if length is not None and length.isdigit() and got != int(length):
                raise DownloadError(f"{url}: the download was cut: {got:,} of {int(length):,} bytes")
    except urllib.error.HTTPError as exc:
        raise DownloadError(f"{url}: HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        raise DownloadError(f"{url}: cannot connect: {exc.reason}") from None
    except http.client.IncompleteRead as exc:
        raise DownloadError(f"{url}: the download was cut after {len(exc.partial):,} bytes") from None
    except (http.client.HTTPException, OSError) as exc:
        raise DownloadError(f"{url}: the download failed: {type(exc).__name__}: {exc}") from None


def fetch_json(source: str, path: str, folder: Path) -> dict[str, Any]:
    """A small index file (offer index, region index), parsed."""
    file = fetch(source, path, folder)
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise DownloadError(f"{address(source, path)}: not a JSON index ({exc})") from None
    finally:
        file.unlink()
    if not isinstance(data, dict):
        raise DownloadError(f"{address(source, path)}: not a JSON index")
    return data
