"""data/build.py rebuilds the committed dataset byte for byte from ../shared/data."""

from __future__ import annotations

import importlib.util
import sys

import pytest

from tests.conftest import ROOT, SHARED


def load_build_module():
    spec = importlib.util.spec_from_file_location("data_build", ROOT / "data" / "build.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being created
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(not (SHARED / "raw").is_dir(),
                    reason=f"raw open data not found at {SHARED / 'raw'}: the rebuild check needs the shared folder")
def test_build_reproduces_committed_files():
    build = load_build_module()
    outputs = build.build(SHARED)
    assert sorted(outputs) == sorted(build.OUTPUT_FILES)
    for name, text in outputs.items():
        committed = (ROOT / "data" / name).read_text(encoding="utf-8")
        assert text == committed, f"data/{name} differs from what data/build.py produces"


def test_committed_dataset_has_the_documented_shape():
    import csv

    with open(ROOT / "data" / "communes.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 1756 and len({r["insee_com"] for r in rows}) == 1756
    by_code = {r["insee_com"]: r for r in rows}
    assert "18131" not in by_code  # merged into Osmery (18173)
    assert by_code["18033"]["population_2021"] == "63702"
    assert float(by_code["18033"]["seniors_65p_2016"]) == pytest.approx(14489, abs=1)
    assert sum(r["dep"] == "18" for r in rows) == 286
    # Le Malesherbois is absent from the 2016 fragility file: its seniors stay empty, not guessed.
    assert by_code["45191"]["seniors_65p_2016"] == ""
    sources = (ROOT / "data" / "SOURCES.md").read_text(encoding="utf-8")
    for column in rows[0]:
        assert f"`{column}`" in sources, f"column {column} is not documented in data/SOURCES.md"


def point_in_ring(lon: float, lat: float, ring) -> bool:
    inside = False
    for (x0, y0), (x1, y1) in zip(ring, ring[1:]):
        if (y0 > lat) != (y1 > lat) and lon < x0 + (lat - y0) * (x1 - x0) / (y1 - y0):
            inside = not inside
    return inside


def test_outlines_cover_every_commune_and_merge_the_former_ones():
    import csv
    import json

    with open(ROOT / "data" / "communes.csv", encoding="utf-8") as handle:
        codes = [r["insee_com"] for r in csv.DictReader(handle)]
    features = json.loads((ROOT / "data" / "outlines.geojson").read_text(encoding="utf-8"))["features"]
    communes = {f["properties"]["code"]: f for f in features if f["properties"]["level"] == "commune"}
    assert list(communes) == codes  # one outline per commune of the 2024 list, same order
    assert sorted(f["properties"]["code"] for f in features if f["properties"]["level"] == "departement") == [
        "18", "28", "36", "37", "41", "45"]
    # Laverdines (18123) and Saligny-le-Vif (18239) merged into Baugy: no shape of their own, and
    # Baugy's single outline now covers the mean vertex of Laverdines' 2018 polygon (47.0334 N, 2.7954 E).
    assert "18123" not in communes and "18239" not in communes
    baugy = communes["18023"]
    assert baugy["properties"]["anciens"] == ["18123", "18239"]
    assert len(baugy["geometry"]["coordinates"]) == 1
    assert point_in_ring(2.7954, 47.0334, baugy["geometry"]["coordinates"][0][0])
    former = [code for f in communes.values() for code in f["properties"]["anciens"]]
    assert len(former) == len(set(former)) == 20
    # Cher is one ring that holds Bourges' centre (from communes.csv) and not Orléans'.
    cher = next(f for f in features if f["properties"]["code"] == "18")["geometry"]["coordinates"]
    assert len(cher) == 1 and len(cher[0]) == 1
    assert point_in_ring(2.3983, 47.07804, cher[0][0]) and not point_in_ring(1.9093, 47.9029, cher[0][0])


def test_mairies_and_markets_have_the_documented_shape():
    import csv

    sources = (ROOT / "data" / "SOURCES.md").read_text(encoding="utf-8")
    for name in ("mairies.csv", "markets.csv", "service_points.csv"):
        with open(ROOT / "data" / name, encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        for column in rows[0]:
            assert f"`{column}`" in sources, f"column {column} of {name} is not documented in data/SOURCES.md"
        if name == "mairies.csv":
            # raw SOURCES §13: 1,754 communes (28025 and 28276, merged later, are not listed), hours for 1,747.
            assert len(rows) == 1754 and sum(bool(r["hours"]) for r in rows) == 1747
            bourges = next(r for r in rows if r["insee_com"] == "18033")
            assert (bourges["lat"], bourges["lon"]) == ("47.079887", "2.399137")  # the town hall, not the centre
        if name == "markets.csv":
            assert {r["status"] for r in rows} == {"confirmed", "unconfirmed"}
            assert all(r["status"] == "unconfirmed" for r in rows if r["source_date"] == "2023-02")
