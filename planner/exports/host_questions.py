"""Questions to put to a host before a visit: workshops against the mairie's known opening hours.

The mairie hours of the data are old directory entries: a clash is never decided for the host, it
is asked ("... peut-il avoir lieu ? à confirmer"). A bus parks outside: while the mairie is open
its room and secretary are busy; while it is closed someone must open the toilets and the power
socket. A mediator works inside the mairie, which must then be open. Unknown hours ask nothing.
"""

from __future__ import annotations

import datetime as dt

from planner.domain.host_hours import available
from planner.domain.scenario import Scenario
from planner.domain.stop import Stop
from planner.domain.vehicle import Session
from planner.domain.weekdays import french_weekday
from planner.exports.stop_details import details


def hour_label(time: dt.time) -> str:
    """9h30, 14h."""
    return f"{time.hour}h{time.minute:02d}" if time.minute else f"{time.hour}h"


def part_of_day(time: dt.time) -> str:
    return "matin" if time.hour < 12 else "après-midi"


def hours_questions(stops: tuple[Stop, ...], scenario: Scenario) -> list[str]:
    """One question per (weekday, part of day, kind of clash), in date order."""
    hours = next((h for h in scenario.territory.host_hours if stops and h.insee == stops[0].insee), None)
    if hours is None or not hours.opening.known:
        return []
    questions: dict[str, None] = {}
    for stop in stops:
        info = details(stop, scenario)
        mediator = info.vehicle is not None and info.vehicle.kind == "mediator"
        for start, end in info.times:
            open_ = available(hours, stop.date.isoweekday(), Session(start, end))
            when = f"le {french_weekday(stop.date.isoweekday())} {part_of_day(start)}"
            if mediator and open_ is False:
                questions[f"La mairie est indiquée fermée {when} : le médiateur pourra-t-il y être accueilli à "
                          f"{hour_label(start)} ? à confirmer"] = None
            elif not mediator and open_:
                questions[f"La mairie est indiquée ouverte {when} : l'atelier de {hour_label(start)} peut-il avoir "
                          "lieu ? à confirmer"] = None
            elif not mediator and open_ is False:
                questions[f"La mairie est indiquée fermée {when} : les toilettes et la prise électrique seront-elles "
                          f"accessibles pour l'atelier de {hour_label(start)} ? à confirmer"] = None
    return list(questions)
