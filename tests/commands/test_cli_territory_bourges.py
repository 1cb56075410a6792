"""``run.py territory`` on the Bourges basin, as a user runs it."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import ROOT


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "run.py"), *args], capture_output=True, text=True, cwd=ROOT)


def test_bourges_json_meets_the_acceptance_figures():
    result = run_cli("territory", "--territory", "bourges", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["communes"] == 103
    assert report["area_km2"] == pytest.approx(2395, rel=0.01)
    assert 160_000 <= report["population"] <= 172_000
    rows = report["commune_list"]
    assert len(rows) == 103
    assert all(r["lat"] and r["lon"] and r["population"] and r["seniors"] for r in rows)
    assert len(report["top_need"]) == 10
    needs = [r["need"] for r in report["top_need"]]
    assert needs == sorted(needs, reverse=True)
    assert report["service_points_used"] >= report["service_points_in_territory"] > 0
    assert report["median_distance_km"] <= report["max_distance_km"]


def test_text_output_is_french_and_names_the_gaps():
    result = run_cli("territory", "--territory", "centre-val-de-loire")
    assert result.returncode == 0, result.stderr
    assert "1756 communes" in result.stdout
    assert "seniors inconnus pour 1 commune : 45191" in result.stdout


def test_bad_file_gives_a_message_not_a_traceback(tmp_path):
    bad = tmp_path / "t.csv"
    bad.write_text("insee_com\n1803\n", encoding="utf-8")
    result = run_cli("territory", "--territory", str(bad))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "t.csv:2:insee_com: « 1803 »" in result.stderr
