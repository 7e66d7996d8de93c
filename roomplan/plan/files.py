"""Plan files in and out: the format from the name or the content, then the reader.

Nothing is written unless the plan is valid, and a file is replaced atomically, so a
failed save leaves the previous file as it was.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from roomplan.plan.checks import check_plan
from roomplan.plan.dxf import import_dxf, write_dxf
from roomplan.plan.model import Plan
from roomplan.plan.native import parse_json, read_native, write_native
from roomplan.plan.problems import MAX_BYTES, Notice, PlanError, Problem

FORMATS = ("json", "dxf")
_SUFFIXES = {".json": "json", ".geojson": "json", ".dxf": "dxf"}

Source = str | os.PathLike | bytes


def sniff_format(data: bytes) -> str | None:
    """ "json" or "dxf" from the first bytes of a file, or None."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith((b"{", b"[")):
        return "json"
    if head.startswith(b"AutoCAD Binary DXF") or b"SECTION" in head[:200]:
        return "dxf"
    return None


def _read(source: Source, format: str | None) -> tuple[bytes, str, str]:
    """(bytes, format, name) of a path or bytes."""
    if isinstance(source, bytes | bytearray):
        data, name = bytes(source), ""
        fmt = format or sniff_format(data)
    else:
        path = Path(source)
        name = path.stem
        try:
            size = path.stat().st_size
            if size > MAX_BYTES:
                raise PlanError(
                    [
                        Problem(
                            "too_large", str(path.name), params={"size": size, "limit": MAX_BYTES}
                        )
                    ]
                )
            data = path.read_bytes()
        except OSError as exc:
            raise PlanError(
                [Problem("unreadable", path.name, params={"reason": exc.strerror or str(exc)})]
            ) from None
        # what the bytes are beats what the name says (a JSON plan saved as .dxf)
        fmt = format or sniff_format(data) or _SUFFIXES.get(path.suffix.lower())
    if fmt not in FORMATS:
        raise PlanError([Problem("unknown_format", name)])
    return data, fmt, name


def load_plan(source: Source, format: str | None = None, **options: Any) -> Plan:
    """Read a plan from a path or bytes.

    format: "json" (the native GeoJSON) or "dxf"; by default from the content, else the
    file name. options: for DXF, ``scale``, ``layer_map``, ``kinds``, ``defaults`` (see
    :func:`roomplan.plan.dxf.read_dxf`). Raises :class:`PlanError` listing every problem.
    """
    return import_plan(source, format, **options)[0]


def import_plan(
    source: Source, format: str | None = None, **options: Any
) -> tuple[Plan, tuple[Notice, ...]]:
    """:func:`load_plan`, with what the reader assumed: for a DXF drawing the unit, the
    layers read and not read, blocks exploded, rooms without labels or kinds, and the
    sound ratings left at their defaults; none for a native plan, which says all."""
    data, fmt, name = _read(source, format)
    if fmt == "dxf":
        options.setdefault("name", name)
        found = import_dxf(data, **options)
        return found.plan, found.notices
    if options:
        raise TypeError(f"options {sorted(options)} apply to DXF files only")
    plan = read_native(parse_json(data))
    return (plan if plan.name or not name else plan.replace(name=name)), ()


def validate(source: Source, format: str | None = None, **options: Any) -> tuple[Problem, ...]:
    """Every problem of a plan file (empty when it is valid)."""
    try:
        load_plan(source, format, **options)
    except PlanError as exc:
        return exc.problems
    return ()


def plan_bytes(plan: Plan, format: str = "json") -> bytes:
    """The file content for ``plan`` in ``format``, after checking the plan."""
    problems = check_plan(plan)
    if problems:
        raise PlanError(problems)
    if format == "dxf":
        return write_dxf(plan)
    if format == "json":
        return write_native(plan)
    raise ValueError(f"unknown format {format!r}; use one of {', '.join(FORMATS)}")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def save_plan(plan: Plan, path: str | os.PathLike, format: str | None = None) -> Path:
    """Write ``plan`` to ``path`` (format from the suffix: .json/.geojson or .dxf).

    Raises :class:`PlanError` and writes nothing if the plan has problems."""
    path = Path(path)
    fmt = format or _SUFFIXES.get(path.suffix.lower(), "json")
    data = plan_bytes(plan, fmt)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent or ".")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, path.stat().st_mode if path.exists() else 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
