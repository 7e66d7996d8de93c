"""Write the DXF version of a bundled plan (the CAD-side test fixture).

    python tools/make_dxf.py floorplans/slagelse-oestre-skole.json

writes floorplans/slagelse-oestre-skole.dxf in millimetres with Danish layer names.
"""

import sys
from pathlib import Path

from roomplan import load_plan, save_plan


def main(argv: list[str]) -> int:
    for name in argv or ["floorplans/slagelse-oestre-skole.json"]:
        source = Path(name)
        target = save_plan(load_plan(source), source.with_suffix(".dxf"))
        print(f"{source} -> {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
