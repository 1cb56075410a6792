"""Unicode line breaks in user text never split a calendar line (issue 21, low).

Menetou-Salon's (18145) one stop serves a request whose host site and address hold U+2028, U+2029,
U+0085, a form feed and a vertical tab, each followed by what would be a property if it began a
line. The host calendar and the season calendar must have exactly the lines their CRLFs say
(``str.splitlines`` finds no more), one event per workshop, and the text keeps a line break (an
escaped newline) where each separator was.
"""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest

from planner import Plan, ScenarioSpec, Stop, build_scenario, host_ics_bytes, season_ics_bytes

SEPARATORS = ("\u2028", "\u2029", "\u0085", "\x0c", "\x0b", "\r", "\x1e")
SITE = "Salle des fêtes" + "".join(f"{sep}END:VEVENT{n}" for n, sep in enumerate(SEPARATORS))
ADDRESS = "2 place de l'Église\u2028BEGIN:VEVENT\u2029UID:pirate@x\u0085SUMMARY:faux"


@pytest.fixture(scope="module")
def files() -> dict[str, bytes]:
    spec = ScenarioSpec(territory="bourges", start="2027-01-04", end="2027-01-15", requests=(
        {"request_id": "R1", "insee_com": "18145", "start": "2027-01-04", "end": "2027-01-15", "host_site": SITE,
         "address": ADDRESS, "postcode": "18510"},))
    scenario = build_scenario(spec)
    plan = Plan((Stop(dt.date(2027, 1, 5), scenario.vehicles[0].name, "18145", sessions="09:30-12:30 / 14:00-17:00",
                      request_ids=("R1",)),))
    return {"host": host_ics_bytes(plan, scenario, "18145"), "season": season_ics_bytes(plan, scenario)}


@pytest.mark.parametrize("kind", ["host", "season"])
def test_menetou_calendar_has_only_the_lines_its_crlfs_make(files, kind):
    text = files[kind].decode("utf-8")
    lines = text.split("\r\n")
    assert text.splitlines() == lines[:-1]  # no U+2028, U+2029, U+0085, FF, VT... inside a line
    assert not any(sep in text for sep in SEPARATORS if sep != "\r") and "\r" not in text.replace("\r\n", "")
    assert sum(line == "BEGIN:VEVENT" for line in lines) == 2 and not any(line.startswith("UID:pirate") for line in lines)


@pytest.mark.parametrize("kind", ["host", "season"])
def test_menetou_separators_become_line_breaks_inside_the_text(files, kind):
    events = icalendar.Calendar.from_ical(files[kind]).walk("VEVENT")
    assert len(events) == 2
    location = str(events[0]["LOCATION"])
    assert "Salle des fêtes\nEND:VEVENT0\nEND:VEVENT1\nEND:VEVENT2" in location
    assert "2 place de l'Église\nBEGIN:VEVENT\nUID:pirate@x\nSUMMARY:faux" in location
