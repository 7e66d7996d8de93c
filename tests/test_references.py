"""Sources a reader can check: every citation points into docs/references.md."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KEYS = set(re.findall(r"\*\*\[([A-Z0-9.-]+)\]\*\*", (ROOT / "docs" / "references.md").read_text()))
FILES = [
    p
    for folder in ("roomplan", "floorplans", "docs", "tests", "bench", "app_pages")
    for p in (ROOT / folder).rglob("*")
    if p.suffix in (".py", ".json", ".md", ".dxf") and p.name != "test_references.py"
] + [ROOT / "README.md", ROOT / "app.py"]


def test_nothing_cites_the_brief_outside_the_project():
    cites = [p.relative_to(ROOT) for p in FILES if "DOMAIN" in p.read_text(errors="replace")]
    assert cites == []


def test_every_cited_key_is_listed():
    assert {"TYPICAL", "BR18", "ANSI-S3.5-1997", "POISSON"} <= KEYS
    for p in FILES:
        text = p.read_text(errors="replace")
        if "references.md" not in text:
            continue
        cited = set(re.findall(r"\[([A-Z][A-Z0-9.-]+)\]", text))
        assert cited <= KEYS | {"TODO"}, (p.relative_to(ROOT), cited - KEYS)
