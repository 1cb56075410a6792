"""CSV of a plan's stops: the columns ``evaluate`` reads back, then the figures of each stop.

French spreadsheet users get French headers, semicolons and UTF-8 with a BOM (the default), so
that the file opens directly; other tools get the English column names ``evaluate`` has always
read, with commas (``french=False``). Both read back with ``read_stops``. Dates are ISO 8601.
Each row carries the French explanation of the stop and, from the requests it serves, the host
site's address, the requester's contact and note. User text never starts a live formula.
"""

from __future__ import annotations

import csv
import io

from planner.domain.plan import Plan
from planner.domain.scenario import Scenario
from planner.domain.stop import Stop
from planner.domain.weekdays import french_weekday
from planner.exports.inert import csv_text
from planner.exports.plan_report import explain_stop, origins_text
from planner.exports.stop_details import host_site, stop_requests

# (English name read by ``evaluate``, French name): the first columns identify the stop.
COLUMNS = (
    ("date", "date"), ("vehicle", "vehicule"), ("insee_com", "code_insee"), ("commune", "commune"),
    ("slot", "demi_journee"), ("weekday", "jour"), ("epci_nom", "epci"), ("host_site", "lieu_accueil"),
    ("address", "adresse"), ("postcode", "code_postal"), ("sessions", "ateliers"), ("km", "km"),
    ("minutes", "minutes"), ("places", "places"), ("participants", "participants_attendus"),
    ("participants_far", "participants_loin"), ("origins", "provenance"), ("far_seniors_reached", "seniors_loin_rapproches"),
    ("nearest_service_km", "km_lieu_aide"), ("market_day", "jour_de_marche"), ("requests", "demandes"),
    ("requester", "demandeur"), ("contact", "contact"), ("contact_role", "contact_fonction"),
    ("contact_email", "contact_email"), ("contact_phone", "contact_telephone"), ("request_note", "note_demande"),
    ("explanation", "explication"), ("value", "valeur"),
)
ENGLISH = tuple(english for english, _ in COLUMNS)
FRENCH = tuple(french for _, french in COLUMNS)


def stops_csv_text(plan: Plan, scenario: Scenario, *, french: bool = True) -> str:
    """The CSV text; a stop's host site is its own, else the one its served request names."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";" if french else ",", lineterminator="\r\n" if french else "\n")
    writer.writerow(FRENCH if french else ENGLISH)
    far_km = scenario.params.need.far_km
    for stop in plan.stops:
        writer.writerow([csv_text(v) for v in _row(stop, scenario, far_km, french)])
    return ("\ufeff" if french else "") + buffer.getvalue()


def _row(stop: Stop, scenario: Scenario, far_km: float, french: bool) -> list:
    territory = scenario.territory
    epci = territory.commune(stop.insee).epci_name if stop.insee in territory else ""
    requests = stop_requests(stop, scenario.requests)

    def joined(field: str) -> str:
        return " ; ".join(dict.fromkeys(getattr(r, field).strip() for r in requests if getattr(r, field).strip()))

    return [
        stop.date.isoformat(), stop.vehicle, stop.insee, stop.commune, stop.slot or "",
        french_weekday(stop.date.isoweekday()), epci, host_site(stop, scenario.requests), joined("address"),
        joined("postcode"), stop.sessions, _number(stop.km, french), _number(stop.minutes, french),
        stop.places, _number(stop.participants, french), _number(stop.participants_far, french),
        origins_text(stop, len(stop.origins)) if stop.origins else "", _number(stop.far_seniors_reached, french),
        _number(stop.nearest_service_km, french), "oui" if stop.market_day else "non",
        " ".join(stop.request_ids), joined("requester"), joined("contact"), joined("contact_role"), joined("contact_email"),
        joined("contact_phone"), joined("note"), explain_stop(stop, far_km), _number(stop.value, french),
    ]


def _number(value: float, french: bool) -> str:
    text = f"{value:.1f}"
    return text.replace(".", ",") if french else text
