"""The commune page's nearest places of help and the mairie's contact, on the shipped Bourges
basin: Menetou-Salon (18145) has no place of its own; its nearest counted places (France Services,
EPN, conseiller numérique by default) are the France Services of Saint-Martin-d'Auxigny (9.1 road
km: geodesic x 1.3 from the commune's centre) and Henrichemont (9.5 km)."""

from __future__ import annotations

from dataclasses import replace

from planner import ScenarioSpec, build_scenario, commune_facts
from planner.core.nearby_help import HOURS_UNKNOWN, nearest_help


def test_nearest_places_with_kind_address_distance_and_unknown_hours():
    scenario = build_scenario(ScenarioSpec())
    places = nearest_help(scenario.territory, "18145", scenario.params, limit=3)
    assert [p.commune for p in places[:2]] == ["Saint-Martin-d'Auxigny", "Henrichemont"]
    first = places[0]
    assert first.kind_label == "France Services, EPN, Promeneur du Net (jeunesse)"
    assert first.address == "3 route de Méry-ès-bois, 18110 Saint-Martin-d'Auxigny"
    assert first.km == 9.1 and first.hours == HOURS_UNKNOWN  # the shipped places carry no hours
    assert [p.km for p in places] == sorted(p.km for p in places)
    # Kinds follow the planner's setting: counting médiathèques brings nearer ones in, never farther.
    wider = replace(scenario.params, need=replace(scenario.params.need,
                                                  service_kinds=(*scenario.params.need.service_kinds, "mediatheque")))
    assert nearest_help(scenario.territory, "18145", wider, limit=1)[0].km <= first.km
    assert nearest_help(scenario.territory, "99999", scenario.params) == ()


def test_commune_facts_give_the_mairie_site_hours_contact_and_signup():
    facts = commune_facts(build_scenario(ScenarioSpec()), "18145")
    assert facts.site == "Mairie, 12 rue de la Mairie, 18510 Menetou-Salon — à confirmer" and not facts.site_confirmed
    assert facts.mairie_hours == "lundi au vendredi (9h-12h ; 14h-16h) ; samedi (9h-12h)" and facts.mairie_hours_known
    assert facts.mairie_contact == ("Mairie de Menetou-Salon, 12 rue de la Mairie, 18510 Menetou-Salon · 02 48 64 81 21 · "
                                    "contact.mairie@menetou-salon.fr · https://www.menetou-salon.fr/index.php/fr/")
    assert facts.signup == "auprès de la mairie de Menetou-Salon (02 48 64 81 21, contact.mairie@menetou-salon.fr)"
    assert len(facts.nearest_help) == 5


def test_unknown_hours_are_said_unknown():
    # Bué (18039) is not in the basin; the Cher holds it, and the directory gives it no hours.
    facts = commune_facts(build_scenario(ScenarioSpec(territory="cher")), "18039")
    assert facts.mairie_hours == "horaires de la mairie inconnus" and not facts.mairie_hours_known
    assert facts.site.startswith("Mairie, 5 Rue Saint-Vincent, 18300 Bué")
