"""Mairie hours: 12 real strings of the old hand-collected notation read by hand, every string of
data/mairies.csv (the public-sector directory, written by data/build.py), and the unknown cases.

Minutes from midnight: 9h = 540, 10h = 600, 12h = 720, 14h = 840, 17h = 1020, 18h = 1080.
Sessions of the mediator: morning 09:00-12:00, afternoon 14:00-17:00; a session is available when
the mairie is open at least 60 min of it.
"""

from __future__ import annotations

import csv
import datetime as dt

import pytest

from planner.domain.host_hours import HostHours, available, parse_hours
from planner.domain.vehicle import Session
from tests.conftest import ROOT

AM = Session(dt.time(9), dt.time(12))
PM = Session(dt.time(14), dt.time(17))
NONE = ()


def h(hours: float) -> int:
    return round(hours * 60)


# Each real string, its intervals Monday..Sunday (main site), as read by hand from the notation.
EXPECTED = {
    "18003": [((h(10), h(12)), (h(14), h(17)))] * 5 + [NONE, NONE],
    "18004": [((h(10), h(12)), (h(15), h(18)))] * 2 + [((h(9), h(12)),)] + [((h(10), h(12)), (h(15), h(18)))] * 2
             + [((h(9), h(12)),), NONE],
    "18005": [((h(14), h(18)),)] * 5 + [((h(10), h(12)),), NONE],
    "18006": [((h(9), h(12)), (h(16.5), h(18.5))), ((h(9), h(12)),), NONE, ((h(9), h(12)), (h(16.5), h(18.5))),
              ((h(16.5), h(18.5)),), NONE, NONE],
    "18007": [((h(13.5), h(16.5)),), NONE, NONE, ((h(13.5), h(16.5)),), ((h(13.5), h(16.5)),), NONE, NONE],
    "18008": [((h(13.5), h(17.5)),), ((h(8.5), h(12)),), ((h(13.5), h(17.5)),), ((h(8.5), h(12)),),
              ((h(9.5), h(12)), (h(13.5), h(17.5))), ((h(10.5), h(12)),), NONE],
    "18012": [((h(13), h(17.5)),), ((h(8), h(12)), (h(13.5), h(19))), NONE, ((h(8.5), h(12)), (h(13.5), h(17.5))),
              ((h(8.5), h(12)), (h(13.5), h(17.5))), ((h(8.5), h(12)),), NONE],
    "18016": [((h(9), h(11)),)] * 3 + [NONE, ((h(9), h(11)),), NONE, NONE],
    "18018": [((h(8.5), h(12)), (h(14), h(18)))] * 4 + [((h(8.5), h(12)), (h(14), h(17.5))), ((h(10), h(12)),), NONE],
    "18019": [((h(16.75), h(19)),)] * 2 + [((h(9.5), h(12)),)] + [((h(16.75), h(19)),)] * 2 + [NONE, NONE],
    "18133": [((h(9), h(18)),)] * 5 + [NONE, NONE],
    "18145": [((h(9), h(12)), (h(14), h(16)))] * 5 + [((h(9), h(12)),), NONE],
}

# (morning, afternoon) availability Monday..Friday by the 60-minute rule.
AVAILABLE = {
    "18003": ["AP"] * 5,
    "18004": ["AP", "AP", "A", "AP", "AP"],  # Wednesday: morning only
    "18005": ["P"] * 5,  # afternoons only
    "18006": ["A", "A", "", "A", ""],  # 16h30-18h30 overlaps 14-17h by 30 min only
    "18007": ["P", "", "", "P", "P"],
    "18008": ["P", "A", "P", "A", "AP"],
    "18012": ["P", "AP", "", "AP", "AP"],
    "18016": ["A", "A", "A", "", "A"],  # 9-11h: 2 h of the morning
    "18018": ["AP"] * 5,
    "18019": ["", "", "A", "", ""],  # 16h45-19h: 15 min of the afternoon
    "18133": ["AP"] * 5,
    "18145": ["AP"] * 5,  # 14-16h: 2 h of the afternoon
}


# The 12 strings of the hand-collected file (raw mairies/mairie_hours_cher.csv, pfour.free.fr and
# municipal bulletins) that data/ shipped before the directory replaced it: the notation a planner
# may still type, kept here as the parser's real-world cases.
OLD_STRINGS = (
    ('18003', "Les Aix-d'Angillon", 'L au V (10-12h ;14-17h)'),
    ('18004', 'Allogny', 'L, Ma, J, V (10-12h ;15-18h) ; Me, S (9-12h)'),
    ('18005', 'Allouis', 'L au V (14-18h) ; S (10-12h)'),
    ('18006', 'Annoix', 'L et J (9-12h ;16h30-18h30) ; Ma (9-12h) ; V (16h30-18h30)'),
    ('18007', 'Apremont-sur-Allier', 'L, J, V (13h30-16h30)'),
    ('18008', 'Arçay', 'L, Me (13h30-17h30) ; Ma, J (8h30-12h) ; V (9h30-12h ;13h30-17h30) ; S (10h30-12h)'),
    ('18012', 'Argenvières', 'L (13-17h30) ; Ma (8-12h ;13h30-19h) ; J, V (8h30-12h ;13h30-17h30) ; S (8h30-12h)'),
    ('18016', 'Aubinges', 'L, Ma, Me, V (9-11h)'),
    ('18018', 'Avord', 'L au J (8h30-12h ;14-18h) ; V (8h30-12h ;14-17h30) ; S (10-12h)'),
    ('18019', 'Azy', 'L, Ma, J, V (16h45-19h) ; Me (9h30-12h)'),
    ('18133', 'Lunery', 'Mairie : L au V (9h-18h) ; annexe-mairie de Rosières : L (9h-12h), Ma, Me, V (15h15-17h15)'),
    ('18145', 'Menetou-Salon', 'L au V (9h-12h ;14h-16h) ; S (9h-12h)'),
)


def real_rows() -> list[dict]:
    return [{"insee_com": code, "commune": name, "hours": hours, "source_url": "pfour.free.fr", "source_vintage": "old"}
            for code, name, hours in OLD_STRINGS]


def shipped_mairies() -> list[dict]:
    with open(ROOT / "data" / "mairies.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_every_directory_string_is_read_and_an_empty_one_is_unknown():
    rows = shipped_mairies()
    known = [r for r in rows if r["hours"]]
    assert len(rows) == 1754 and len(known) == 1747  # raw SOURCES §13: hours for 1,747 of 1,754
    for row in known:
        assert parse_hours(row["hours"]).known, (row["insee_com"], row["hours"])
    bue = next(r for r in rows if r["insee_com"] == "18039")  # Bué: the directory gives « [] »
    assert bue["hours"] == "" and available(parse_hours(bue["hours"]), 1, AM) is None


def test_directory_hours_of_bourges_and_lunery_as_the_raw_sources_spot_check_them():
    by_code = {r["insee_com"]: r for r in shipped_mairies()}
    # raw SOURCES §13: Bourges lundi-vendredi 09:00-17:00; Lunery lundi-vendredi 09:00-12:00 and 14:00-18:00.
    bourges = parse_hours(by_code["18033"]["hours"]).main
    assert [bourges.intervals(w) for w in range(1, 8)] == [((h(9), h(17)),)] * 5 + [NONE, NONE]
    lunery = parse_hours(by_code["18133"]["hours"]).main
    assert [lunery.intervals(w) for w in range(1, 8)] == [((h(9), h(12)), (h(14), h(18)))] * 5 + [NONE, NONE]
    assert by_code["18033"]["address"] == "11 rue Jacques-Rimbault" and by_code["18033"]["postcode"] == "18000"


def test_the_twelve_real_strings_are_all_covered():
    assert sorted(r["insee_com"] for r in real_rows()) == sorted(EXPECTED)


@pytest.mark.parametrize("row", real_rows(), ids=lambda r: r["commune"])
def test_real_string_is_read_as_written(row):
    opening = parse_hours(row["hours"])
    assert opening.known, opening.problem
    assert [opening.main.intervals(w) for w in range(1, 8)] == EXPECTED[row["insee_com"]]


@pytest.mark.parametrize("row", real_rows(), ids=lambda r: r["commune"])
def test_real_string_availability_of_each_half_day(row):
    hours = HostHours(row["insee_com"], row["commune"], row["hours"], row["source_url"], row["source_vintage"])
    got = ["A" * bool(available(hours, w, AM)) + "P" * bool(available(hours, w, PM)) for w in range(1, 6)]
    assert got == AVAILABLE[row["insee_com"]]
    assert available(hours, 7, AM) is False  # Sunday is named by no string: closed, not unknown


def test_lunery_keeps_the_annex_apart_from_the_mairie():
    opening = parse_hours(real_rows()[10]["hours"])
    assert [s.site for s in opening.sites] == ["Mairie", "annexe-mairie de Rosières"]
    annex = opening.sites[1]
    assert annex.intervals(1) == ((h(9), h(12)),)
    assert annex.intervals(2) == annex.intervals(3) == annex.intervals(5) == ((h(15.25), h(17.25)),)
    assert annex.intervals(4) == ()
    assert opening.main.site == "Mairie"


@pytest.mark.parametrize("text", [
    "",
    "   ",
    "sur rendez-vous",
    "L au V",  # days without hours
    "(9-12h)",  # hours without days
    "Lu au Ve (9-12h)",  # not the notation
    "L (9-12h) sauf en août",  # a condition we cannot represent
    "L (12-9h)",  # reversed
    "L (9-25h)",
    "L (9-12h ; 14-17h",  # unclosed parenthesis
    "L (9-12h) ; ",  # empty group
    "V au L (9-12h)",  # reversed range
])
def test_unreadable_text_is_unknown_never_guessed(text):
    opening = parse_hours(text)
    assert not opening.known
    assert opening.problem
    assert opening.main is None
    assert available(opening, 1, AM) is None


def test_missing_hours_are_unknown():
    assert available(None, 1, AM) is None
    assert parse_hours(None).problem == "horaires non renseignés"


def test_sixty_minutes_is_the_threshold():
    assert available(parse_hours("L (11-12h)"), 1, AM) is True
    assert available(parse_hours("L (11h01-12h)"), 1, AM) is False
    # Overlap adds up over the intervals of the day: 30 + 30 min.
    assert available(parse_hours("L (9-9h30 ;11h30-12h)"), 1, AM) is True
    # A session shorter than an hour needs the host open all of it.
    short = Session(dt.time(10), dt.time(10, 45))
    assert available(parse_hours("L (10-11h)"), 1, short) is True
    assert available(parse_hours("L (10h15-11h)"), 1, short) is False


def test_overlapping_groups_of_one_day_are_merged():
    opening = parse_hours("L au V (9-12h) ; L (11-13h)")
    assert opening.main.intervals(1) == ((h(9), h(13)),)
    assert opening.main.intervals(2) == ((h(9), h(12)),)
