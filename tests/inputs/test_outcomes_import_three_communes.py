"""Importing a past season kept outside Tournée: three communes, two of them named « Saint-Martin »
(18101 and 18102) and Achères (18001), a CSV typed by hand and the same rows in a workbook."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from planner.domain.outcome import CANCELLED, HELD, PLANNED
from planner.domain.problems import DataError
from planner.inputs.outcomes import read_history, read_outcomes, season_label
from tests.conftest import commune

COMMUNES = {c.insee: c for c in (commune("18001", 47.0, 2.0, name="Achères"),
                                 commune("18101", 47.1, 2.0, name="Saint-Martin"),
                                 commune("18102", 47.2, 2.0, name="Saint-Martin"))}


def test_a_past_season_reads_names_codes_french_words_and_both_date_forms(write):
    path = write("saison-2025.csv", "Date;Commune;Participants;Statut;Inscrits;Liste_attente;Raison;Remplace_le\n"
                                    "14/10/2025;acheres;18;Tenu;24;6;;\n"
                                    "2025-11-04;18101;;annulé;;;neige;2025-11-18\n"
                                    "18/11/2025;18101;11;;12;;;\n"
                                    "2026-03-10;18102;;prévu;;;;\n")
    history = read_history(path, COMMUNES)
    assert history.label == "2025-2026"
    first, cancelled, moved, planned = history.outcomes
    assert (first.insee, first.status, first.signups, first.waiting, first.participants) == ("18001", HELD, 24, 6, 18)
    assert (cancelled.status, cancelled.reason, cancelled.replaced_by) == (CANCELLED, "neige", dt.date(2025, 11, 18))
    assert (moved.status, moved.participants) == (HELD, 11)  # no status, participants given: held
    assert planned.status == PLANNED and planned.participants is None
    assert history.participants_by_commune() == {"18001": 18, "18101": 11}


def test_every_problem_of_the_file_is_reported_at_once_and_nothing_is_kept(write):
    path = write("faux.csv", "date;commune;participants;statut;remplace_le\n"
                             "2025-10-14;Saint-Martin;10;;\n"          # two communes of that name
                             "2025-10-15;Bourges;10;;\n"                # not in the territory
                             "2025-10-16;18001;;;\n"                    # neither participants nor status
                             "2025-10-17;18001;12,5;;\n"                # half a senior
                             "2025-10-18;18001;8;tenu;2025-10-20\n"     # only a cancelled stop moves
                             "2025-10-16;18001;3;;\n"                   # the same day again
                             "2025-10-19;99999;3;fini;\n")              # a code of no commune, a word of no status
    with pytest.raises(DataError) as caught:
        read_outcomes(path, COMMUNES)
    problems = [(p.row, p.column, p.value, p.message) for p in caught.value.problems]
    assert all(p.file == "faux.csv" for p in caught.value.problems)
    assert problems == [
        (2, "commune", "Saint-Martin", "plusieurs communes de ce nom (18101, 18102) : donnez le code INSEE"),
        (3, "commune", "Bourges", "commune inconnue du territoire (code INSEE ou nom exact attendu)"),
        (4, "participants", "", "participants manquants (ou indiquez « annulé » dans la colonne statut)"),
        (5, "participants", "12,5", "nombre entier attendu"),
        (6, "remplace_le", "2025-10-20", "seul un arrêt annulé est remplacé à une autre date"),
        (7, "date", "2025-10-16", "arrêt de ce jour dans cette commune en double (déjà ligne 4)"),
        (8, "commune", "99999", "commune hors du territoire"),
        (8, "statut", "fini", "valeur inconnue (attendu : tenu, annulé, prévu)"),
    ]


def test_a_workbook_with_date_cells_reads_as_the_csv(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["date", "code_insee", "participants"])
    sheet.append([dt.date(2025, 10, 14), "18001", 18])
    sheet.append([dt.datetime(2025, 12, 2), "18102", 7])
    path = tmp_path / "saison.xlsx"
    book.save(path)
    outcomes = read_outcomes(path, COMMUNES, default_vehicle="bus")
    assert [(o.date, o.insee, o.participants, o.vehicle) for o in outcomes] == [
        (dt.date(2025, 10, 14), "18001", 18, "bus"), (dt.date(2025, 12, 2), "18102", 7, "bus")]
    assert season_label([o.date for o in outcomes]) == "2025"
