"""The roomplan command: validate and show, with clear messages for bad input."""

import json
import subprocess
import sys

import pytest

from roomplan.cli import main
from tests.conftest import SLAGELSE, SLAGELSE_DXF, small_doc


def test_validate_prints_the_memo_counts(capsys):
    assert main(["validate", str(SLAGELSE)]) == 0
    out = capsys.readouterr().out.strip()
    assert out.count("\n") == 0
    for part in (
        "16 rum",
        "5 kontorer",
        "5 samtalerum",
        "3 samtalerum uden vinduer",
        "1 venteværelse",
        "borde pr. kontor: 3, 3, 2, 2, 2",
        "12 borde",
        "13 medarbejdere",
        "10 holder samtaler",
    ):
        assert part in out


def test_validate_in_english(capsys):
    assert main(["--lang", "en", "validate", str(SLAGELSE)]) == 0
    out = capsys.readouterr().out
    assert (
        "5 offices" in out
        and "3 interview rooms without windows" in out
        and "10 hold interviews" in out
    )


def test_validate_dxf(capsys):
    assert main(["validate", str(SLAGELSE_DXF)]) == 0
    assert "12 borde" in capsys.readouterr().out


def test_validate_dxf_says_what_the_import_assumed(capsys):
    assert main(["--lang", "en", "validate", str(SLAGELSE_DXF)]) == 0
    out = capsys.readouterr().out
    assert "- Unit: mm (0.001 m per drawing unit), from the drawing's $INSUNITS." in out
    # the drawing gives every door and window an RW attribute, no wall a rating
    assert "every wall" not in out and "walls are not in the drawing" in out and "38 dB" in out
    assert "1.14 Arkiv" in out  # a room whose kind no word gives


def test_invalid_plan_exits_2_with_one_line_per_problem(tmp_path, capsys):
    doc = small_doc()
    doc["features"][0]["properties"]["kind"] = "kontor"
    doc["properties"]["staff"][1]["desk"] = "X9"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc))
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2
    assert err[0].startswith("K1 [properties.kind]") and "Løsning" in err[0]
    assert err[1].startswith("S2 [desk]")


def test_missing_file_and_missing_units(tmp_path, capsys):
    assert main(["validate", str(tmp_path / "none.json")]) == 2
    assert "none.json" in capsys.readouterr().err
    assert main(["--lang", "en", "validate", str(SLAGELSE_DXF), "--dxf-scale", "-1"]) == 2
    assert "positive" in capsys.readouterr().err


@pytest.mark.parametrize("suffix", ["png", "svg", "pdf"])
def test_show_draws_the_plan(tmp_path, suffix, capsys):
    out = tmp_path / f"plan.{suffix}"
    assert main(["show", str(SLAGELSE), "--out", str(out)]) == 0
    assert out.stat().st_size > 5000
    head = out.read_bytes()[:8]
    assert {"png": b"\x89PNG", "svg": b"<?xml", "pdf": b"%PDF"}[suffix] in head


def test_show_svg_contains_room_names(tmp_path):
    out = tmp_path / "plan.svg"
    assert main(["show", str(SLAGELSE), "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "Venteværelse" in text or "Vente" in text


def test_show_rejects_unknown_figure_type(tmp_path, capsys):
    assert main(["show", str(SLAGELSE), "--out", str(tmp_path / "plan.bmp")]) == 2
    assert ".png" in capsys.readouterr().err


def test_bad_layer_map_syntax(capsys):
    assert main(["validate", str(SLAGELSE_DXF), "--layer-map", "rum"]) == 2
    assert "--layer-map" in capsys.readouterr().err


def test_console_script_runs_without_traceback(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    run = subprocess.run(
        [sys.executable, "-m", "roomplan", "validate", str(bad)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 2
    assert "Traceback" not in run.stderr and "kan ikke læses" in run.stderr


def test_validate_counts_one_in_the_singular(tmp_path):
    # "1 borde; 1 medarbejdere", "1 rooms", "1 hold interviews", "1 døre med 30 dB"
    from roomplan import load_plan
    from roomplan.cli import summary_line
    from roomplan.plan.problems import Notice

    doc = small_doc()
    doc["properties"]["staff"] = doc["properties"]["staff"][:1]
    doc["features"] = [f for f in doc["features"] if f["id"] not in ("K2", "D2", "K2-A")]
    plan = load_plan(json.dumps(doc).encode(), format="json")
    da, en = summary_line(plan, "da"), summary_line(plan, "en")
    assert "1 bord;" in da and "1 medarbejder, 1 holder samtaler" in da
    assert "2 rooms" in en and "1 desk;" in en and "1 member of staff, 1 holds interviews" in en
    slagelse = summary_line(load_plan(SLAGELSE), "da")
    assert "12 borde; 13 medarbejdere, 10 holder samtaler" in slagelse
    one = Notice("dxf_default_ratings", {"doors": 1, "windows": 2, "door_rw": 30, "window_rw": 28,
                                         "wall_rw": 37})  # fmt: skip
    assert "1 dør med 30 dB, 2 vinduer med 28 dB" in one.message("da")
    assert "1 door at 30 dB, 2 windows at 28 dB" in one.message("en")


def test_show_draws_a_character_the_font_lacks_without_a_warning(tmp_path, capsys):
    doc = small_doc()
    doc["features"][0]["properties"]["name"] = "Rum 中"
    (tmp_path / "p.json").write_text(json.dumps(doc), encoding="utf-8")
    out = tmp_path / "p.png"
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert main(["show", str(tmp_path / "p.json"), "--out", str(out)]) == 0
    assert out.stat().st_size > 1000 and capsys.readouterr().err == ""
