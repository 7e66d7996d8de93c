"""DXF drawings from CAD: import to a plan (saying what the import assumed), and export
a plan for CAD. See ``docs/plan-format.md`` for the conventions read."""

from roomplan.plan.dxf.conventions import (
    DEFAULT_LAYER_ROLES,
    KIND_WORDS,
    ROLES,
    layer_role,
    parse_mapping,
    room_kind,
    split_label,
)
from roomplan.plan.dxf.drawing import INSUNITS_METRES
from roomplan.plan.dxf.read import DxfImport, dxf_layers, dxf_units, import_dxf, read_dxf
from roomplan.plan.dxf.write import write_dxf

__all__ = [
    "DEFAULT_LAYER_ROLES",
    "INSUNITS_METRES",
    "KIND_WORDS",
    "ROLES",
    "DxfImport",
    "dxf_layers",
    "dxf_units",
    "import_dxf",
    "layer_role",
    "parse_mapping",
    "read_dxf",
    "room_kind",
    "split_label",
    "write_dxf",
]
