"""The catalogue of measures: what a jobcenter can change, what it costs, how much it disturbs.

The catalogue is data (``measures.json`` beside this module, or a plan library's own copy):
each measure names a ready edit (:data:`roomplan.scenarios.OPS`) and its value, a cost per unit
in DKK as low / typical / high, the disruption, the lead time and the source of the figures
("assumption" where none is priced: [COSTS] in docs/references.md). :func:`read_catalogue`
checks every field and names the measure and field of anything wrong.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any

from roomplan.capacity.week import parse_hours
from roomplan.i18n import LANGS, default_lang, pick, t
from roomplan.scenarios import OPS

DISRUPTIONS = ("none", "organisational", "light_building", "major_building")
"""How much a measure disturbs the work, least first."""

UNITS = ("door", "m2", "room", "office", "booth", "site", "person", "group")
"""What a measure's cost is per: a door, a square metre of wall, a room, ..., the whole site."""

VALUES: Mapping[str, tuple[float, float]] = {
    "door": (10, 60),
    "wall": (20, 75),
    "masking": (20, 55),
    "split_office": (20, 75),
    "booth": (20, 60),
    "move_time": (0, 60),
    "windowless": (0, 24),
}
"""The range of a measure's number, by edit: R'w [dB], masking [dB(A)], minutes, hours."""


class CatalogueError(ValueError):
    """A catalogue that cannot be used: which measure, which field, and how to fix it."""

    def __init__(self, key: str, **params: Any):
        self.key, self.params = key, params
        super().__init__(self.message(None))

    def message(self, lang: str | None = None) -> str:
        return t(f"catalogue.error.{self.key}", lang, **self.params)


@dataclass(frozen=True)
class Cost:
    """A cost (DKK) as low, typical and high; adds up and scales by quantity."""

    low: float
    typical: float
    high: float

    def __add__(self, other: Cost) -> Cost:
        return Cost(self.low + other.low, self.typical + other.typical, self.high + other.high)

    def __mul__(self, quantity: float) -> Cost:
        return Cost(self.low * quantity, self.typical * quantity, self.high * quantity)


ZERO = Cost(0.0, 0.0, 0.0)


@dataclass(frozen=True)
class Measure:
    """One kind of change. op/value: the ready edit it makes (:class:`roomplan.scenarios.Edit`;
    the target comes from the plan); slot: measures of the same slot on the same target are
    alternatives (a door gets one new door); cost: per ``unit`` (DKK); lead_weeks: from decision
    to use; source: a key of docs/references.md, a supplier's quote, or "assumption"."""

    id: str
    op: str
    name: Mapping[str, str]
    cost: Cost
    unit: str
    disruption: str
    lead_weeks: float
    source: str
    value: Any = None
    slot: str = ""
    brief: Mapping[str, str] = field(default_factory=dict)
    """The name for a table's cell by language, where the cut name of :meth:`short_label`
    would read like another measure's (set by :func:`parse_catalogue`)."""

    def __hash__(self) -> int:  # the name is a mapping; the id tells measures apart
        return hash(self.id)

    def label(self, lang: str | None = None) -> str:
        return pick(self.name, lang) or self.id

    def short_label(self, lang: str | None = None) -> str:
        """The name cut before its details ("Lyddør, tætnet dørsæt"), for a table's cell."""
        lang = lang or default_lang()
        if lang in self.brief:
            return self.brief[lang]
        label = self.label(lang)
        return _cut(label) or label

    @property
    def assumed(self) -> bool:
        """Whether the cost figures are an assumption rather than a priced source."""
        return self.source.strip().lower() == "assumption"

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "op": self.op,
            "slot": self.slot or self.id,
            "unit": self.unit,
            "cost": [self.cost.low, self.cost.typical, self.cost.high],
            "disruption": self.disruption,
            "lead_weeks": self.lead_weeks,
            "source": self.source,
            "name": dict(self.name),
        }
        if self.value is not None:
            out["value"] = self.value
        return out


@dataclass(frozen=True)
class Catalogue:
    """The measures a recommendation may choose from, by id."""

    measures: tuple[Measure, ...]

    def measure(self, measure_id: str) -> Measure:
        for m in self.measures:
            if m.id == measure_id:
                return m
        raise CatalogueError("unknown_measure", measure=measure_id)

    def with_cost(self, measure_id: str, cost: Cost) -> Catalogue:
        """A copy where ``measure_id`` costs ``cost`` per unit (a manager's own figure)."""
        self.measure(measure_id)
        return Catalogue(
            tuple(
                Measure(**{**m.__dict__, "cost": cost, "source": t("catalogue.own_figure")})
                if m.id == measure_id
                else m
                for m in self.measures
            )
        )

    def as_dict(self) -> dict[str, Any]:
        return {"currency": "DKK", "measures": [m.as_dict() for m in self.measures]}


def _field(raw: Mapping[str, Any], name: str, where: str) -> Any:
    if name not in raw:
        raise CatalogueError("missing", measure=where, field=name)
    return raw[name]


def _cost(raw: Any, where: str) -> Cost:
    try:
        low, typical, high = (float(x) for x in raw)
    except (TypeError, ValueError):
        raise CatalogueError("bad_cost", measure=where) from None
    if not 0 <= low <= typical <= high or high > 1e9:
        raise CatalogueError("bad_cost", measure=where)
    return Cost(low, typical, high)


def _name(raw: Any, where: str) -> Mapping[str, str]:
    if isinstance(raw, str) and raw.strip():
        return {"da": raw, "en": raw}
    if (
        isinstance(raw, Mapping)
        and raw
        and all(isinstance(v, str) and v.strip() for v in raw.values())
    ):
        return dict(raw)
    raise CatalogueError("bad_name", measure=where)


def _measure(raw: Any, k: int) -> Measure:
    if not isinstance(raw, Mapping):
        raise CatalogueError("not_object", measure=f"#{k + 1}")
    mid = raw.get("id")
    if not isinstance(mid, str) or not mid.strip():
        raise CatalogueError("missing", measure=f"#{k + 1}", field="id")
    op = _field(raw, "op", mid)
    if op not in OPS:
        raise CatalogueError("bad_op", measure=mid, op=op, allowed=", ".join(OPS))
    unit = _field(raw, "unit", mid)
    if unit not in UNITS:
        raise CatalogueError("bad_unit", measure=mid, unit=unit, allowed=", ".join(UNITS))
    disruption = _field(raw, "disruption", mid)
    if disruption not in DISRUPTIONS:
        raise CatalogueError(
            "bad_disruption", measure=mid, value=disruption, allowed=", ".join(DISRUPTIONS)
        )
    lead = _field(raw, "lead_weeks", mid)
    if isinstance(lead, bool) or not isinstance(lead, int | float) or not 0 <= lead <= 520:
        raise CatalogueError("bad_lead", measure=mid)
    _check_value(op, raw.get("value"), mid)
    source = _field(raw, "source", mid)
    if not isinstance(source, str) or not source.strip():
        raise CatalogueError("missing", measure=mid, field="source")
    return Measure(
        id=mid,
        op=op,
        name=_name(_field(raw, "name", mid), mid),
        cost=_cost(_field(raw, "cost", mid), mid),
        unit=unit,
        disruption=disruption,
        lead_weeks=float(lead),
        source=source,
        value=raw.get("value"),
        slot=str(raw.get("slot") or mid),
    )


def _check_value(op: str, value: Any, where: str) -> None:
    """The measure's value fits its edit: a number in range, opening hours, a booking rule."""
    if op in VALUES:
        low, high = VALUES[op]
        ok = isinstance(value, int | float) and not isinstance(value, bool) and low <= value <= high
        if not ok and not (value is None and op in ("split_office", "booth")):
            raise CatalogueError("bad_value", measure=where, value=value, low=low, high=high)
    elif op == "hours":
        try:
            parse_hours(str(value))
        except ValueError:
            raise CatalogueError("bad_hours", measure=where, value=value) from None
    elif op == "booking" and value not in ("even", "hours"):
        raise CatalogueError("bad_booking", measure=where, value=value)


def parse_catalogue(data: Any) -> Catalogue:
    """A catalogue from its JSON value (see ``measures.json``), every field checked."""
    if not isinstance(data, Mapping) or not isinstance(data.get("measures"), list):
        raise CatalogueError("no_measures")
    measures = tuple(_measure(raw, k) for k, raw in enumerate(data["measures"]))
    seen: set[str] = set()
    for m in measures:
        if m.id in seen:
            raise CatalogueError("duplicate", measure=m.id)
        seen.add(m.id)
    if not measures:
        raise CatalogueError("no_measures")
    return Catalogue(_told_apart(measures))


def _cut(label: str) -> str:
    return label.split(" (")[0].split(": ")[0]


def _told_apart(measures: tuple[Measure, ...]) -> tuple[Measure, ...]:
    """The measures, each whose cut name another measure shares named in full in a table."""
    brief: dict[str, dict[str, str]] = {m.id: {} for m in measures}
    for lang in LANGS:
        labels = {m.id: m.label(lang) for m in measures}
        cuts = [_cut(label) for label in labels.values()]
        for m in measures:
            if cuts.count(_cut(labels[m.id])) > 1:
                brief[m.id][lang] = labels[m.id]
    return tuple(replace(m, brief=brief[m.id]) if brief[m.id] else m for m in measures)


def read_catalogue(path: str | Path | None = None) -> Catalogue:
    """The catalogue in ``path`` (JSON), or the bundled one."""
    if path is None:
        text = resources.files(__package__).joinpath("measures.json").read_text(encoding="utf-8")
        where = "measures.json"
    else:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise CatalogueError("unreadable", path=str(path), reason=exc.strerror) from None
        where = str(path)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CatalogueError("bad_json", path=where, line=exc.lineno, reason=exc.msg) from None
    return parse_catalogue(data)
