"""Finished replications on disk, in a data-only format checked when read back.

A replication's outcome is (KPI tree, interval sums). It is stored as one ``<key>.npz`` file:
an uncompressed zip holding every interval-sum array as a ``.npy`` member (float64, exact)
and a ``meta.json`` member with the KPI tree, the wait histograms and the key itself. Python's
``json`` writes floats by their shortest round-tripping repr, so what is read back is
bit-identical to what was computed. Nothing stored is ever unpickled: a file planted in the
folder can at worst be refused, never run.

What is read back is checked against the scenario it is for (the arrays the statistics of
that scenario produce, with their shapes; the type and group names and interval count of the
KPI tree) and against the key in its name. A file that fails is refused with
``StoredFileInvalid``: ``--resume`` stops and names the file rather than mix numbers of
unknown origin into a result.
"""

from __future__ import annotations

import io
import json
import math
import os
import re
import zipfile
from pathlib import Path

import numpy as np

from ..files import write_atomic

__all__ = ["Store", "StoreError", "StoredFileInvalid", "SUFFIX"]

SUFFIX = ".npz"
FORMAT = "ccsim.replication"
VERSION = 1
_META = "meta.json"
_META_BYTES = 256_000_000  # a year of 15-min intervals with many types stays far below
# the hidden temporary files of output.write_atomic: ".<name>.<8 random chars>.tmp"
_TEMPORARY = re.compile(r"^\..+\.[A-Za-z0-9_]{8}\.tmp$")


class StoreError(OSError):
    """A finished replication could not be stored (disk full, directory not writable)."""


class StoredFileInvalid(ValueError):
    """A stored replication is not one this run could have written: wrong format, wrong
    shape for the scenario, truncated or foreign. The message names the file."""


class Store:
    """Finished replications, one ``.npz`` file each under ``directory/replications``."""

    def __init__(self, directory: str | Path):
        self.directory = Path(directory) / "replications"
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(exc.errno, f"cannot create {self.directory}: "
                                        f"{exc.strerror or exc}") from None
        if not os.access(self.directory, os.W_OK):
            raise StoreError(13, f"cannot write to {self.directory}: permission denied")
        self._templates: dict = {}

    def _path(self, key: str) -> Path:
        return self.directory / f"{key}{SUFFIX}"

    def clean_temporary(self) -> list[Path]:
        """Remove the hidden temporary files an interrupted atomic write left here and in
        the results directory above (only files named as ``write_atomic`` names them)."""
        removed = []
        for folder in (self.directory, self.directory.parent):
            for path in folder.iterdir():
                if _TEMPORARY.match(path.name) and path.is_file() and not path.is_symlink():
                    try:
                        path.unlink()
                        removed.append(path)
                    except OSError:
                        pass
        return removed

    def get(self, key: str, scenario=None):
        """The stored outcome, or None when nothing is stored under ``key``. A stored file
        that cannot be validated (against ``scenario`` when given) raises StoredFileInvalid."""
        path = self._path(key)
        if not path.is_file():
            return None
        try:
            return _read(path, key, self._template(scenario))
        except StoredFileInvalid:
            raise
        except (OSError, ValueError, KeyError, zipfile.BadZipFile, EOFError) as exc:
            raise _invalid(path, f"cannot be read ({type(exc).__name__}: {exc})") from None

    def put(self, key: str, outcome) -> None:
        try:
            write_atomic(self._path(key), _encode(key, outcome))
        except OSError as exc:
            raise StoreError(exc.errno, f"cannot store replication {key} in {self.directory}: "
                                        f"{exc.strerror or exc}") from None

    def __len__(self) -> int:
        return sum(1 for _ in self.directory.glob(f"*{SUFFIX}"))

    def _template(self, scenario):
        """(array name → shape, type names, group names, KPI interval count) of ``scenario``."""
        if scenario is None:
            return None
        digest = scenario.digest()
        if digest not in self._templates:
            from ..measure.interval_sums import Statistics

            data = Statistics(scenario).data()
            shapes = {name: value.shape for name, value in data.items()
                      if isinstance(value, np.ndarray)}
            self._templates[digest] = (shapes, [t.name for t in scenario.contact_types],
                                       [g.name for g in scenario.agent_groups],
                                       scenario.n_intervals)
        return self._templates[digest]


def _invalid(path: Path, problem: str) -> StoredFileInvalid:
    return StoredFileInvalid(f"{path}: stored replication {problem}; it was not used. Remove "
                             f"the file to have the replication computed again")


def _plain(value):
    """numpy scalars inside the KPI tree → Python numbers (json cannot write them)."""
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    raise TypeError(f"cannot store a {type(value).__name__}")


def _encode(key: str, outcome) -> bytes:
    kpis, sums = outcome
    arrays = {name: value for name, value in sums.items() if isinstance(value, np.ndarray)}
    meta = {"format": FORMAT, "version": VERSION, "key": key, "kpis": kpis,
            "closed_at": sums.get("closed_at"),
            "wait_histograms": [[[int(b), int(c)] for b, c in h.items()]
                                for h in sums["wait_histograms"]],
            "arrays": list(arrays), "order": list(sums)}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr(_META, json.dumps(meta, default=_plain))
        for name, value in arrays.items():
            with archive.open(f"{name}.npy", "w") as member:
                np.lib.format.write_array(member, np.ascontiguousarray(value, dtype=np.float64),
                                          allow_pickle=False)
    return buffer.getvalue()


def _read(path: Path, key: str, template):
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(_META) if _META in archive.namelist() else None
        if info is None:
            raise _invalid(path, f"has no {_META}: not a file ccsim wrote")
        if info.file_size > _META_BYTES:
            raise _invalid(path, f"has a {_META} of {info.file_size} bytes (at most "
                                 f"{_META_BYTES})")
        with archive.open(_META) as member:
            raw = member.read(_META_BYTES + 1)
        if len(raw) > _META_BYTES:
            raise _invalid(path, f"has a {_META} larger than {_META_BYTES} bytes")
        meta = json.loads(raw.decode("utf-8"))
        if not isinstance(meta, dict) or meta.get("format") != FORMAT:
            raise _invalid(path, f"is not in the format {FORMAT!r}")
        if meta.get("version") != VERSION:
            raise _invalid(path, f"has format version {meta.get('version')!r}, expected "
                                 f"{VERSION}")
        if meta.get("key") != key:
            raise _invalid(path, f"belongs to {meta.get('key')!r}, not {key!r}")
        names = meta.get("arrays")
        order = meta.get("order")
        if not (isinstance(names, list) and all(isinstance(n, str) for n in names)
                and isinstance(order, list) and all(isinstance(n, str) for n in order)):
            raise _invalid(path, "has no valid list of arrays")
        shapes = template[0] if template else None
        if shapes is not None and sorted(names) != sorted(shapes):
            missing, extra = set(shapes) - set(names), set(names) - set(shapes)
            raise _invalid(path, f"has the wrong arrays for this scenario (missing "
                                 f"{sorted(missing)[:5]}, unexpected {sorted(extra)[:5]})")
        arrays = {name: _array(archive, path, name, shapes[name] if shapes else None)
                  for name in names}
    kpis = meta.get("kpis")
    _check_kpis(path, kpis, template)
    histograms = _histograms(path, meta.get("wait_histograms"),
                             len(template[1]) if template else None)
    closed_at = meta.get("closed_at")
    if closed_at is not None and not (isinstance(closed_at, float) and math.isfinite(closed_at)):
        raise _invalid(path, f"has closed_at {closed_at!r}, expected a finite number")
    values = {**arrays, "closed_at": closed_at, "wait_histograms": histograms}
    if sorted(order) != sorted(values):
        raise _invalid(path, "lists sums it does not hold")
    return kpis, {name: values[name] for name in order}


def _array(archive, path: Path, name: str, shape) -> np.ndarray:
    member_name = f"{name}.npy"
    if member_name not in archive.namelist():
        raise _invalid(path, f"lacks the array {name!r}")
    with archive.open(member_name) as member:
        version = np.lib.format.read_magic(member)
        reader = (np.lib.format.read_array_header_1_0 if version == (1, 0)
                  else np.lib.format.read_array_header_2_0)
        found, fortran, dtype = reader(member)
        if dtype != np.float64 or fortran or (shape is not None and found != shape):
            raise _invalid(path, f"has the array {name!r} as {dtype}{list(found)}, expected "
                                 f"float64{list(shape) if shape is not None else ''}")
        if shape is None and math.prod(found) > 10_000_000:
            raise _invalid(path, f"has an array {name!r} of shape {list(found)}: too large")
        data = member.read(8 * math.prod(found) + 1)
    if len(data) != 8 * math.prod(found):
        raise _invalid(path, f"has the array {name!r} truncated")
    return np.frombuffer(data, dtype=np.float64).reshape(found).copy()


def _histograms(path: Path, value, n_types):
    if not isinstance(value, list) or (n_types is not None and len(value) != n_types):
        raise _invalid(path, "has wait histograms that are not one list per contact type")
    out = []
    for histogram in value:
        if not isinstance(histogram, list) or not all(
                isinstance(p, list) and len(p) == 2 and all(type(x) is int for x in p)
                and p[1] >= 0 for p in histogram):
            raise _invalid(path, "has a wait histogram that is not [bin, count] pairs")
        out.append({b: c for b, c in histogram})
    return out


def _check_kpis(path: Path, kpis, template) -> None:
    """The KPI tree: a mapping of numbers (bool, int, float, null) at most 8 deep, with the
    scenario's types, groups and intervals."""
    def walk(node, where, depth):
        if depth > 8:
            raise _invalid(path, f"has a KPI tree nested too deep at {where}")
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, f"{where}.{k}", depth + 1)
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, f"{where}[{i}]", depth + 1)
        elif node is not None and not isinstance(node, (bool, int, float)):
            raise _invalid(path, f"has {type(node).__name__} {str(node)[:40]!r} at {where}, "
                                 f"expected a number")

    if not isinstance(kpis, dict):
        raise _invalid(path, f"has KPIs of type {type(kpis).__name__}, expected a mapping")
    for section in ("overall", "by_type", "by_group", "intervals"):
        if section not in kpis:
            raise _invalid(path, f"has no KPI section {section!r}")
    walk(kpis, "kpis", 0)
    if template is not None:
        _, types, groups, n_intervals = template
        for section, names in (("by_type", types), ("by_group", groups)):
            if not isinstance(kpis[section], dict) or sorted(kpis[section]) != sorted(names):
                raise _invalid(path, f"has KPIs {section} for other names than the scenario's")
        if not isinstance(kpis["intervals"], list) or len(kpis["intervals"]) != n_intervals:
            raise _invalid(path, f"has KPIs for another number of intervals than "
                                 f"{n_intervals}")

