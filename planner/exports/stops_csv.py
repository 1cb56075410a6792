"""CSV of a plan's stops: the columns ``evaluate`` reads back, then the figures of each stop.

French spreadsheet users open a semicolon-separated UTF-8 file with a BOM directly (the default);
other tools get plain UTF-8 with commas (``french=False``). Dates are ISO 8601 in files.
"""

from __future__ import annotations

import csv
import io

from planner.domain.plan import Plan
from planner.domain.request import Request
from planner.domain.territory import Territory
from planner.domain.weekdays import french_weekday
from planner.exports.stop_details import host_site

COLUMNS = [
    "date", "vehicle", "insee_com", "commune", "slot", "weekday", "epci_nom", "host_site", "sessions",
    "km", "minutes", "seniors_reached", "far_seniors_reached", "nearest_service_km", "market_day",
    "requests", "value",
]


def stops_csv_text(plan: Plan, territory: Territory, *, french: bool = True, requests: tuple[Request, ...] = ()) -> str:
    """The CSV text; a stop's host site is the one its served request names, when there is one."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";" if french else ",", lineterminator="\r\n" if french else "\n")
    writer.writerow(COLUMNS)
    for stop in plan.stops:
        epci = territory.commune(stop.insee).epci_name if stop.insee in territory else ""
        writer.writerow([
            stop.date.isoformat(), stop.vehicle, stop.insee, stop.commune, stop.slot or "",
            french_weekday(stop.date.isoweekday()), epci, stop.host_site or host_site(stop, requests), stop.sessions,
            _number(stop.km, french), _number(stop.minutes, french), _number(stop.seniors_reached, french),
            _number(stop.far_seniors_reached, french), _number(stop.nearest_service_km, french),
            "oui" if stop.market_day else "non", " ".join(stop.request_ids), _number(stop.value, french),
        ])
    return ("\ufeff" if french else "") + buffer.getvalue()


def _number(value: float, french: bool) -> str:
    text = f"{value:.1f}"
    return text.replace(".", ",") if french else text
