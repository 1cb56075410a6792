"""What a commune's public page and notice say besides the dates: where the stops take place, the
mairie's hours and contact, how to sign up, and the nearest places of help to send people to
between two visits. One call for the web app, so that its pages and the planner's files agree.
"""

from __future__ import annotations

from dataclasses import dataclass

from planner.core.nearby_help import NearbyHelp, nearest_help
from planner.domain.scenario import Scenario
from planner.exports.stop_details import UNKNOWN_SITE, signup_text

HOURS_UNKNOWN = "horaires de la mairie inconnus"


@dataclass(frozen=True)
class CommuneFacts:
    insee: str
    site: str  # « Mairie, 11 rue Jacques-Rimbault, 18000 Bourges — à confirmer », the planner's site, or UNKNOWN_SITE
    site_lat: float | None
    site_lon: float | None
    site_confirmed: bool
    mairie_hours: str  # the directory's (or the planner's corrected) text; HOURS_UNKNOWN when none
    mairie_hours_known: bool
    mairie_contact: str  # Mairie.contact_label(); "" when the directory lacks the commune
    signup: str  # signup_text
    nearest_help: tuple[NearbyHelp, ...]


def commune_facts(scenario: Scenario, insee: str, *, help_limit: int = 5) -> CommuneFacts:
    """The facts of commune ``insee`` in ``scenario`` (its territory, the planner's corrections)."""
    territory = scenario.territory
    site = territory.host_site(insee)
    hours = next((h for h in territory.host_hours if h.insee == insee), None)
    known = hours is not None and hours.opening.known
    mairie = territory.mairie(insee)
    return CommuneFacts(
        insee=insee,
        site=site.label() if site is not None and site.address else UNKNOWN_SITE,
        site_lat=site.lat if site is not None else None,
        site_lon=site.lon if site is not None else None,
        site_confirmed=site is not None and site.confirmed,
        mairie_hours=hours.hours if hours is not None else HOURS_UNKNOWN,
        mairie_hours_known=known,
        mairie_contact=mairie.contact_label() if mairie is not None else "",
        signup=signup_text(scenario, insee),
        nearest_help=nearest_help(territory, insee, scenario.params, limit=help_limit),
    )
