"""CSV of a plan's stops: the columns ``evaluate`` reads back, then the figures of each stop.

French spreadsheet users get French headers, semicolons and UTF-8 with a BOM (the default), so
that the file opens directly; other tools get the English column names ``evaluate`` has always
read, with commas (``french=False``). Both read back with ``read_stops``. Dates are ISO 8601.
Each row carries the French explanation of the stop and, from the requests it serves, the host
site's address, the requester's contact and note. A public file (``public=True``) keeps only the
columns whose source is public (``planner.domain.disclosure``). User text never starts a live formula.
"""

from __future__ import annotations

import csv
import io

from planner.domain.disclosure import is_public_field, public_scenario
from planner.domain.plan import Plan
from planner.domain.scenario import Scenario
from planner.domain.stop import Stop
from planner.domain.weekdays import french_weekday
from planner.exports.inert import csv_text
from planner.exports.plan_report import explain_stop, origins_text
from planner.exports.stop_details import host_site, stop_requests

# (English name read by ``evaluate``, French name, the request field it is drawn from or None): the
# first columns identify the stop.
COLUMNS = (
    ("date", "date", None), ("vehicle", "vehicule", None), ("insee_com", "code_insee", None),
    ("commune", "commune", None), ("slot", "demi_journee", None), ("weekday", "jour", None), ("epci_nom", "epci", None),
    ("host_site", "lieu_accueil", "host_site"), ("address", "adresse", "address"), ("postcode", "code_postal", "postcode"),
    ("sessions", "ateliers", None), ("km", "km", None), ("minutes", "minutes", None),
    ("places", "places", None), ("participants", "participants_attendus", None),
    ("participants_far", "participants_loin", None), ("origins", "provenance", None),
    ("far_seniors_reached", "seniors_loin_rapproches", None),
    ("nearest_service_km", "km_lieu_aide", None), ("market_day", "jour_de_marche", None),
    ("requests", "demandes", "request_id"), ("requester", "demandeur", "requester"), ("contact", "contact", "contact"),
    ("contact_role", "contact_fonction", "contact_role"), ("contact_email", "contact_email", "contact_email"),
    ("contact_phone", "contact_telephone", "contact_phone"), ("request_note", "note_demande", "note"),
    ("explanation", "explication", None), ("value", "valeur", None),
)
ENGLISH = tuple(english for english, _, _ in COLUMNS)
FRENCH = tuple(french for _, french, _ in COLUMNS)
# The columns a public file keeps, in order (indexes into COLUMNS).
PUBLIC = tuple(i for i, (_, _, source) in enumerate(COLUMNS) if is_public_field(source))


def stops_csv_text(plan: Plan, scenario: Scenario, *, french: bool = True, public: bool = False) -> str:
    """The CSV text; a stop's host site is its own, else the one its served request names.

    ``public``: only the PUBLIC columns, from the requests' public fields (a file anyone may download)."""
    kept = PUBLIC if public else tuple(range(len(COLUMNS)))
    scenario = public_scenario(scenario) if public else scenario
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";" if french else ",", lineterminator="\r\n" if french else "\n")
    names = FRENCH if french else ENGLISH
    writer.writerow([names[i] for i in kept])
    far_km = scenario.params.need.far_km
    for stop in plan.stops:
        row = _row(stop, scenario, far_km, french)
        writer.writerow([csv_text(row[i]) for i in kept])
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
