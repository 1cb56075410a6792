"""Hostile text in the five communes of test_export_workbooks.py: nothing a spreadsheet would run.

A commune named ``=HYPERLINK("http://x","y")``, a request whose host site is ``+1+1`` and whose note
is ``@SUM(1)``, a vehicle called ``-2+3``: the season and host workbooks keep them as text cells
(read back with openpyxl, and converted to CSV by LibreOffice, which would print the formula's
result if it evaluated it), the CSV prefixes them with an apostrophe and still reads back,
and the calendar escapes them. The host whose only visit was cancelled still gets its notice.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
import subprocess
from dataclasses import replace

import icalendar
import openpyxl
import pytest

from planner.core.evaluate import evaluate
from planner.core.instance import build_instance
from planner.domain.plan import Plan
from planner.domain.stop import Stop
from planner.exports.files import host_ics_bytes, host_workbook_bytes, season_workbook_bytes, stops_csv_bytes
from planner.exports.ics import host_calendar
from planner.inputs.stops import read_stops_csv
from tests.exports.test_export_workbooks import HOST, five_communes_scenario

FORMULA = '=HYPERLINK("http://x","y")'
PAYLOADS = (FORMULA, "+1+1", "@SUM(1)", "-2+3")
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.fixture(scope="module")
def hostile():
    scenario = five_communes_scenario()
    land = scenario.territory
    communes = tuple(replace(c, name=FORMULA) if c.insee == "18002" else c for c in land.communes)
    (request,) = scenario.requests
    request = replace(request, host_site="+1+1", note="@SUM(1)\r\nBEGIN:VEVENT", requester="-2+3")
    vehicle = replace(scenario.vehicles[0], name="-2+3")
    scenario = replace(scenario, territory=replace(land, communes=communes), requests=(request,), vehicles=(vehicle,))
    instance = build_instance(scenario)
    days = (dt.date(2026, 9, 8), dt.date(2026, 9, 9))
    stops = [Stop(date=days[0], vehicle="-2+3", insee=HOST), Stop(date=days[1], vehicle="-2+3", insee="18002")]
    return scenario, Plan(evaluate(instance, stops).stops)


def strings(data: bytes) -> list[openpyxl.cell.cell.Cell]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [c for ws in book for row in ws.iter_rows() for c in row if isinstance(c.value, str)]


def test_hostile_text_stays_text_in_both_workbooks(hostile):
    scenario, plan = hostile
    for data in (season_workbook_bytes(plan, scenario), host_workbook_bytes(plan, scenario, HOST)):
        cells = strings(data)
        assert all(c.data_type == "s" for c in cells)  # no formula cell at all
        risky = [c for c in cells if c.value.startswith(("=", "+", "-", "@"))]
        assert risky and all(c.quotePrefix for c in risky)
    season = {c.value for c in strings(season_workbook_bytes(plan, scenario))}
    assert {FORMULA, "-2+3"} <= season


def test_hostile_csv_cells_are_quoted_and_read_back(hostile):
    scenario, plan = hostile
    data = stops_csv_bytes(plan, scenario)
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert [r["commune"] for r in rows] == ["Dun-la-Forêt", "'" + FORMULA]
    assert rows[0]["vehicule"] == "'-2+3" and rows[0]["lieu_accueil"] == "'+1+1"
    assert rows[0]["note_demande"].startswith("'@SUM(1)")
    assert not any(v.startswith(("=", "+", "-", "@")) for r in rows for v in r.values())
    back = read_stops_csv(data, "saison.csv")
    assert [(s.date, s.vehicle, s.insee, s.host_site) for s in back] == [
        (plan.stops[0].date, "-2+3", HOST, "+1+1"), (plan.stops[1].date, "-2+3", "18002", "")]


def test_hostile_calendar_text_is_escaped(hostile):
    scenario, plan = hostile
    text = host_ics_bytes(plan, scenario, HOST).decode("utf-8")
    calendar = icalendar.Calendar.from_ical(text)
    assert len(calendar.walk("VEVENT")) == 2  # the note's "BEGIN:VEVENT" added no event
    assert "\r\nBEGIN:VEVENT\r\n" not in text.replace("BEGIN:VEVENT\r\nUID", "")
    team = icalendar.Calendar.from_ical(host_calendar(plan, scenario, "18002"))
    assert str(team.walk("VEVENT")[0]["SUMMARY"]) == f"Bus numérique à {FORMULA} · atelier numérique du matin"


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) absent : conversion non vérifiée")
def test_libreoffice_opens_the_hostile_workbooks_without_evaluating_them(hostile, tmp_path):
    scenario, plan = hostile
    (tmp_path / "saison.xlsx").write_bytes(season_workbook_bytes(plan, scenario))
    (tmp_path / "hote.xlsx").write_bytes(host_workbook_bytes(plan, scenario, HOST))
    profile = (tmp_path / "lo-profile").as_uri()
    out = tmp_path / "out"
    for name in ("saison.xlsx", "hote.xlsx"):
        result = subprocess.run([SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "csv",
                                 "--outdir", str(out), str(tmp_path / name)], capture_output=True, text=True, timeout=180)
        assert result.returncode == 0, result.stderr
    season = (out / "saison.csv").read_text(encoding="utf-8", errors="replace")  # the first sheet: the overview
    host = (out / "hote.csv").read_text(encoding="utf-8", errors="replace")
    assert "+1+1, Dun-la-Forêt" in host.replace("\ufffd", "ê")
    cells = [c for row in csv.reader(io.StringIO(season)) for c in row]
    assert any(c.startswith("-2+3 (base") for c in cells) and "y" not in cells


def test_host_whose_only_visit_was_cancelled_gets_a_notice(hostile):
    scenario, plan = hostile
    kept = Plan(tuple(s for s in plan.stops if s.insee != HOST))
    book = openpyxl.load_workbook(io.BytesIO(host_workbook_bytes(kept, scenario, HOST, previous=plan.stops)))
    assert book.sheetnames == ["Accueil"]  # no sign-up sheet for a visit that will not happen
    text = [c for row in book["Accueil"].iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert "Toutes les venues prévues à Dun-la-Forêt sont annulées" in text
    assert "La venue du mardi 08/09/2026 est annulée : merci de prévenir les personnes inscrites." in text
    assert "Contact de l'équipe à renseigner" in text
    events = icalendar.Calendar.from_ical(host_ics_bytes(kept, scenario, HOST, previous=plan.stops, revision=2))
    assert {(str(e["STATUS"]), str(e["TRANSP"]), e["SEQUENCE"]) for e in events.walk("VEVENT")} == {
        ("CANCELLED", "TRANSPARENT", 2)}


def test_english_csv_reads_back_too(hostile):
    scenario, plan = hostile
    data = stops_csv_bytes(plan, scenario, french=False)
    assert data.startswith(b"date,vehicle,insee_com,commune,slot,")
    back = read_stops_csv(data, "stops.csv")
    assert [(s.date, s.vehicle, s.insee) for s in back] == [(s.date, s.vehicle, s.insee) for s in plan.stops]
