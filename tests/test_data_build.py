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
