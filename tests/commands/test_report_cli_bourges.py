"""``run.py report`` on a hand-made season of the Bourges basin, as a coordinator runs it, and the
workbook it writes read back (openpyxl) and printed (LibreOffice).

Planned, October 2026: Tue 6 Trouy (18267, CA Bourges Plus), Wed 7 Baugy (18023, CC la Septaine),
Thu 8 Sancergues (18240, CC Berry-Loire-Vauvise), Fri 9 Bourges (18033). The outcomes file, typed by
hand with names and codes: Trouy held (22 signed up, 20 came), Baugy cancelled (« mairie fermée »)
and held on Tue 13 instead (15 came), Sancergues held full (24 came, 4 waiting), Bourges nothing
entered yet. The planner agreed at least 2 days with CC la Septaine and pays 600 € a day.
"""

from __future__ import annotations

import json
import shutil
import subprocess

import openpyxl
import pytest

from planner.cli import main
from planner.domain.plan import Plan
from planner.domain.plan_file import plan_to_dict
from planner.domain.spec import ScenarioSpec
from planner.domain.stop import Stop
from planner.exports.report_workbook import build_report
from planner.inputs.outcomes import read_outcomes
from planner.inputs.scenario_build import build_scenario
from tests.conftest import ROOT

SEPTAINE = "241800374"
SPEC = ScenarioSpec(name="Saison test octobre 2026", start="2026-10-05", end="2026-10-30",
                    params={"rules": {"quotas": [{"kind": "epci", "code": SEPTAINE, "min_days": 2}]}})
DAYS = ("2026-10-06", "2026-10-07", "2026-10-08", "2026-10-09")
CODES = ("18267", "18023", "18240", "18033")
OUTCOMES = ("date;commune;participants;statut;inscrits;liste_attente;raison;remplace_le\n"
            "06/10/2026;Trouy;20;tenu;22;;;\n"
            "2026-10-07;18023;;annulé;;;mairie fermée;13/10/2026\n"
            "2026-10-13;Baugy;15;;;;;\n"
            "08/10/2026;18240;24;tenu;24;4;;\n")


@pytest.fixture(scope="module")
def season(tmp_path_factory):
    import datetime as dt

    folder = tmp_path_factory.mktemp("bilan")
    plan = Plan(tuple(Stop(dt.date.fromisoformat(d), "bus", c) for d, c in zip(DAYS, CODES)), spec=SPEC)
    plan_file = folder / "saison.json"
    plan_file.write_text(json.dumps(plan_to_dict(plan)), encoding="utf-8")
    outcomes_file = folder / "bilans.csv"
    outcomes_file.write_text(OUTCOMES, encoding="utf-8")
    return folder, plan, plan_file, outcomes_file


def test_the_report_prints_writes_and_agrees_with_its_workbook(season, capsys):
    folder, plan, plan_file, outcomes_file = season
    out = folder / "bilan.xlsx"
    code = main(["report", "--season", str(plan_file), "--outcomes", str(outcomes_file), "--cost-per-day", "600",
                 "--out", str(out), "--json"])
    assert code == 0
    printed = json.loads(capsys.readouterr().out)
    rows = {r["label"]: (r["planned"], r["held"]) for r in printed["summary"]}
    # 4 planned stops (8 workshops, 96 places); held: Trouy, Baugy on the 13th (outside the plan),
    # Sancergues: 3 stops, 6 workshops, 72 places, 22 + 24 = 46 sign-ups entered, 4 waiting,
    # 20 + 15 + 24 = 59 came, fill 59 / 72 = 0.819; Bourges not entered; cost 3 x 600 = 1,800 €
    # for 59 = 30.51 €.
    assert rows["Arrêts"] == (4, 3)
    assert rows["Arrêts annulés"] == (None, 1) and rows["dont remplacés à une autre date"] == (None, 1)
    assert rows["Arrêts tenus hors plan (remplacements, ajouts)"] == (None, 1)
    assert rows["Arrêts sans bilan saisi"] == (None, 1)
    assert (rows["Ateliers"], rows["Places offertes"]) == ((8, 6), (96, 72))
    assert (rows["Inscriptions"], rows["Liste d'attente"]) == ((None, 46), (None, 4))
    assert rows["Participants (attendus / venus)"][1] == 59 and rows["Taux de remplissage"][1] == 0.819
    assert rows["Coût (600 € par jour de présence)"] == (2400, 1800) and rows["Coût par participant"][1] == 30.51
    septaine = next(g for g in printed["groups"] if g["code"] == SEPTAINE)
    # Baugy is CC la Septaine's only stop: planned once, held once (on the 13th), quota 2 not met.
    assert (septaine["planned_stops"], septaine["held_stops"], septaine["quota_min"], septaine["quota_met"]) == (
        1, 1, 2, False)

    # The workbook's summary holds the same figures, row for row.
    book = openpyxl.load_workbook(out)
    assert book.sheetnames[:5] == ["Bilan", "Remplissage", "Carte", "Arrêts", "Territoires"]
    assert {"CA Bourges Plus", "CC la Septaine", "CC Berry-Loire-Vauvise"} <= set(book.sheetnames)
    cells = {r[0]: (r[1], r[2]) for r in book["Bilan"].iter_rows(values_only=True) if r[0] in rows}
    assert cells == {label: tuple("—" if v is None else v for v in pair) for label, pair in rows.items()}
    stops = [r for r in book["Arrêts"].iter_rows(values_only=True) if hasattr(r[0], "date")]
    assert [(r[0].date().isoformat(), r[2], r[4]) for r in stops] == [
        ("2026-10-06", "Trouy", "tenu"), ("2026-10-07", "Baugy", "annulé, remplacé le 13/10/2026"),
        ("2026-10-08", "Sancergues", "tenu"), ("2026-10-09", "Bourges", "non renseigné"),
        ("2026-10-13", "Baugy", "tenu (hors plan)")]
    assert book["Arrêts"]["A1"].value == "Tous les arrêts de la saison et leur bilan"
    territories = [r for r in book["Territoires"].iter_rows(values_only=True) if r[1] == SEPTAINE]
    assert territories[0][2:6] == ("au moins 2 jours", 1, 1, "non")

    # The text form prints the same rows.
    assert main(["report", "--season", str(plan_file), "--outcomes", str(outcomes_file), "--cost-per-day", "600"]) == 0
    text = capsys.readouterr().out
    assert "Coût par participant" in text and "30,51 €" in text and "81,9 %" not in text and "82 %" in text
    assert "CC la Septaine : 1 jours tenus pour au moins 2 jours (non atteint)" in text

    # And the three forms come from one computation: the report built directly agrees.
    scenario = build_scenario(SPEC)
    outcomes = read_outcomes(outcomes_file, {c.insee: c for c in scenario.territory.communes}, "bus")
    report, _ = build_report(plan, scenario, outcomes, cost_per_day=600.0)
    assert {r.label: (r.planned, r.held) for r in report.summary_rows()} == rows


def test_bad_outcomes_and_cost_are_all_reported_and_nothing_is_written(season, write, capsys):
    folder, _plan, plan_file, _ = season
    bad = write("mauvais.csv", "date;commune;participants;statut\n"
                               "31/02/2026;Trouy;12;tenu\n"
                               "2026-10-07;Paris;5;\n"
                               "2026-10-08;18240;-3;\n"
                               "2026-10-09;18033;4;annulé\n")
    out = folder / "jamais.xlsx"
    code = main(["report", "--season", str(plan_file), "--outcomes", str(bad), "--cost-per-day", "beaucoup",
                 "--out", str(out)])
    assert code == 2 and not out.exists()
    err = capsys.readouterr().err
    for expected in ("--cost-per-day", "beaucoup", "mauvais.csv:2:date", "31/02/2026", "date invalide",
                     "mauvais.csv:3:commune", "Paris", "commune inconnue du territoire", "-3", "doit être au moins 0",
                     "un arrêt annulé n'a pas de participants"):
        assert expected in err, (expected, err)


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) absent : impression PDF non vérifiée")
def test_libreoffice_prints_the_report_without_hashes(season, tmp_path):
    from pypdf import PdfReader

    _folder, _plan, plan_file, outcomes_file = season
    out = tmp_path / "bilan.xlsx"
    assert main(["report", "--season", str(plan_file), "--outcomes", str(outcomes_file), "--cost-per-day", "600",
                 "--out", str(out)]) == 0
    profile = (tmp_path / "lo-profile").as_uri()
    result = subprocess.run([SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                             "--outdir", str(tmp_path), str(out)], capture_output=True, text=True, timeout=180, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    pages = [page.extract_text() for page in PdfReader(tmp_path / "bilan.pdf").pages]
    assert "Bilan de saison · Saison test octobre 2026" in pages[0] and "Coût par participant" in pages[0]
    assert any("Participants par commune et besoin" in page for page in pages)
    assert all(f"Page {n} / {len(pages)}" in page for n, page in enumerate(pages, start=1))
    assert not any("###" in page for page in pages)
