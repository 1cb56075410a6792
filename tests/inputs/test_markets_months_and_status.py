"""Market files carry a season's months and a status; the shipped listing rows are « à confirmer »."""

from __future__ import annotations

import pytest

from planner.domain.problems import DataError
from planner.inputs.dataset import load_territory, shipped_communes, shipped_markets
from planner.inputs.markets import read_markets


def known():
    return {c.insee: c for c in shipped_communes()}


def test_user_file_with_months_and_status(write):
    path = write("m.csv", "insee_com,weekday,months,status\n18175,dimanche,4|5|6,à confirmer\n18160,mardi,,\n")
    seasonal, plain = read_markets(path, known())
    assert (seasonal.months, seasonal.status, seasonal.runs_in(7)) == ((4, 5, 6), "unconfirmed", False)
    assert (plain.months, plain.status, plain.runs_in(7)) == ((), "confirmed", True)  # a user's row: confirmed


def test_bad_months_and_status_are_named_in_french(write):
    path = write("m.csv", "insee_com,weekday,months,status\n18175,dimanche,4|13,peut-être\n")
    with pytest.raises(DataError) as caught:
        read_markets(path, known())
    text = str(caught.value)
    assert "m.csv:2:months: « 4|13 » mois attendus de 1 à 12" in text
    assert "m.csv:2:status: « peut-être » valeur inconnue" in text


def test_shipped_markets_keep_status_and_seasons():
    markets = shipped_markets()
    # Bourges' Saturday Halle au blé comes from the hand-collected pages: confirmed.
    assert any(m.insee == "18033" and m.weekday == 6 and m.confirmed for m in markets)
    # Saint-Doulchard's Tuesday market comes only from the listing (data/build_report.md).
    (doulchard,) = [m for m in markets if m.insee == "18205"]
    assert (doulchard.weekday, doulchard.status, doulchard.time_of_day) == (2, "unconfirmed", "8h-12h")
    # Coullons (45108): its Sunday market is « de Avril à Octobre » in the listing, April to October kept.
    (coullons,) = [m for m in markets if m.insee == "45108" and m.weekday == 7]
    assert coullons.months == (4, 5, 6, 7, 8, 9, 10) and coullons.season == "d'avril à octobre"


def test_rejected_row_removes_the_shipped_menetou_saturday_market_and_nothing_else(write):
    path = write("m.csv", "insee_com,weekday,status\n18145,samedi,rejeté\n")
    before = load_territory("bourges").markets_of("18145")
    assert [m.weekday for m in before] == [6]
    territory = load_territory("bourges", markets_file=path)
    assert territory.markets_of("18145") == ()
    assert len(territory.markets) == len(load_territory("bourges").markets) - 1
