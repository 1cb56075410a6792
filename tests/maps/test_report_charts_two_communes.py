"""The season report's pictures drawn for the two-commune season of
tests/core/test_season_report_two_communes.py (72 participants expected, 31 came in September;
A held once with 22 of 24 places taken, B held on Friday with 9 of 24), parsed as XML."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from planner.core.season_report import season_report
from planner.domain.outcome import CANCELLED, StopOutcome
from planner.maps.report_charts import fill_by_stop_svg, participants_by_month_svg, participants_map_svg
from tests.conftest import TUE, WED
from tests.core.test_season_report_two_communes import INSTANCE, OUTCOMES, PLAN, A, B

SVG = "{http://www.w3.org/2000/svg}"
REPORT = season_report(INSTANCE, PLAN, OUTCOMES)


def parsed(text: str) -> ET.Element:
    root = ET.fromstring(text)
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    assert "<script" not in text and re.search(r"\son[a-z]+=", text) is None  # no script, no event attribute
    return root


def test_participants_per_month_draw_a_hatched_expected_bar_beside_a_solid_one():
    root = parsed(participants_by_month_svg(REPORT))
    bars = {b.get("class"): b for b in root.iter(f"{SVG}rect") if (b.get("class") or "").startswith("barre")}
    expected, came = bars["barre attendus"], bars["barre venus"]
    assert expected.get("fill").startswith("url(#") and came.get("fill") == "#4d4d4d"  # pattern vs grey, not colour
    # Bars are drawn to the same scale: 31 / 72 of the height.
    assert float(came.get("height")) / float(expected.get("height")) == pytest.approx(31 / 72, abs=0.01)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "72" in texts and "31" in texts and "sept." in texts  # every bar carries its number


def test_fill_per_stop_gives_each_stop_its_row_and_says_why_one_was_cancelled():
    root = parsed(fill_by_stop_svg(REPORT))
    held = [b for b in root.iter(f"{SVG}rect") if b.get("class") == "barre tenu"]
    assert [(b.get("data-date"), b.get("data-insee")) for b in held] == [("2026-09-08", A.insee), ("2026-09-11", B.insee)]
    assert float(held[1].get("width")) / float(held[0].get("width")) == pytest.approx(9 / 22, abs=0.01)
    texts = " ".join(t.text or "" for t in root.iter(f"{SVG}text"))
    assert "22/24 (92 %), 3 en attente" in texts and "annulé : salle indisponible" in texts
    assert "annulé, remplacé le 11/09/2026 : panne du bus" in texts


def test_the_map_sizes_a_circle_by_participants_and_crosses_a_commune_only_cancelled():
    need = {c.insee: float(INSTANCE.need.need[i]) for i, c in enumerate(INSTANCE.communes)}
    root = parsed(participants_map_svg(INSTANCE.scenario.territory, REPORT, need))
    circles = {c.get("data-insee"): c for c in root.iter(f"{SVG}circle") if c.get("class") == "participants"}
    assert {k: c.get("data-participants") for k, c in circles.items()} == {A.insee: "22", B.insee: "9"}
    # Areas in proportion to participants: r = 4 + 18 sqrt(n / 22).
    assert float(circles[A.insee].get("r")) == pytest.approx(22) and float(circles[B.insee].get("r")) == pytest.approx(
        4 + 18 * (9 / 22) ** 0.5, abs=0.05)
    assert not [p for p in root.iter(f"{SVG}path") if p.get("class") == "annule"]
    only_cancelled = season_report(INSTANCE, PLAN, (StopOutcome(TUE, "bus", A.insee, CANCELLED),
                                                    StopOutcome(WED, "bus", B.insee, CANCELLED)))
    root = parsed(participants_map_svg(INSTANCE.scenario.territory, only_cancelled, need))
    assert sorted(p.get("data-insee") for p in root.iter(f"{SVG}path") if p.get("class") == "annule") == [A.insee, B.insee]
    labels = " ".join(t.text or "" for t in root.iter(f"{SVG}text"))
    assert "Besoin (seniors loin d'aide)" in labels and "arrêts annulés, aucun tenu" in labels
