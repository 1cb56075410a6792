"""What the sheets of the season workbook share: the stops in print order, the page heading and
footer, each stop's details and notes. Figures are computed in planner/core/figures.py."""

from __future__ import annotations

import datetime as dt

from planner.core.figures import visit_dates
from planner.core.instance import Instance
from planner.domain.formatting import fr_date, fr_number, plural
from planner.domain.plan import Plan, solver_status_label
from planner.domain.stop import Stop
from planner.domain.weekdays import french_weekday
from planner.exports.stop_details import StopDetails, details, season_title


class SeasonContext:
    """Everything the sheets share, derived once from the plan and the instance."""

    def __init__(self, plan: Plan, instance: Instance, generated: dt.date) -> None:
        self.plan = plan
        self.instance = instance
        self.scenario = instance.scenario
        self.territory = instance.scenario.territory
        self.generated = generated
        self.stops = tuple(sorted(plan.stops, key=lambda s: (s.date, self.vehicle_rank(s.vehicle), s.slot)))
        season = self.scenario.season
        title = season_title(self.scenario)
        self.heading = f"{title[0].upper()}{title[1:]} · du {fr_date(season.start)} au {fr_date(season.end)}"
        self.footer = f"Tournée · généré le {fr_date(generated)}"
        self.visit_dates = visit_dates(self.stops)

    def vehicle_rank(self, name: str) -> int:
        names = [v.name for v in self.scenario.vehicles]
        return names.index(name) if name in names else len(names)

    def epci_of(self, insee: str) -> tuple[str, str]:
        if insee in self.territory:
            commune = self.territory.commune(insee)
            return commune.epci, commune.epci_name
        return "", "hors territoire"

    def weeks(self) -> list[dt.date]:
        """Mondays of the ISO weeks from the season's first to last day (and of any stray stop)."""
        first = min([self.scenario.season.start] + [s.date for s in self.stops])
        last = max([self.scenario.season.end] + [s.date for s in self.stops])
        monday = first - dt.timedelta(days=first.weekday())
        weeks = []
        while monday <= last:
            weeks.append(monday)
            monday += dt.timedelta(days=7)
        return weeks

    def epcis_with_stops(self) -> list[tuple[str, str]]:
        seen = {self.epci_of(s.insee) for s in self.stops}
        return sorted(seen, key=lambda e: e[1])

    def details(self, stop: Stop) -> StopDetails:
        return details(stop, self.scenario)

    def stop_notes(self, stop: Stop) -> str:
        info = self.details(stop)
        notes = [r.note for r in info.requests if r.note]
        dates = self.visit_dates[stop.insee]
        rank = dates.index(stop.date)
        if rank:
            notes.append(f"visite {rank + 1} sur {len(dates)} (précédente le {fr_date(dates[rank - 1])})")
        elif len(dates) > 1:
            notes.append(f"visite 1 sur {len(dates)}")
        reason = self.instance.why_closed(info.vehicle, stop.date) if info.vehicle else None
        if reason:
            notes.append(f"attention : {reason}")
        return " ; ".join(notes)

    def solver_text(self) -> str:
        solver = self.plan.solver
        if solver is None:
            return "plan évalué (liste d'arrêts lue dans un fichier, sans optimisation)"
        return f"calcul {solver_status_label(solver.status)}, écart à la borne {gap_text(solver.gap)}"


def vehicle_text(vehicle) -> str:
    """A vehicle in one line: name, base, weekdays and workshops."""
    days = ", ".join(french_weekday(d) for d in vehicle.weekdays)
    return (f"{vehicle.name} (base {vehicle.base_label}, {days}, "
            f"{plural(len(vehicle.sessions), 'atelier')} de {plural(vehicle.seats, 'place')})")



def gap_text(gap: float | None) -> str:
    """The solver's gap to its bound as a percentage, « — » when there is no bound."""
    return "—" if gap is None else f"{fr_number(100 * gap, 2)} %"
