"""A Cher season as the three users met it, stored without a solve: the bassin de vie de Bourges
(103 communes) from January to June 2027, a request of Menetou-Salon accepted from the public form
(three Tuesday or Thursday visits from March, host site « parking de la mairie, 1 place de l'Église »),
a published plan (revision 1) with Menetou-Salon on 05/01, 02/02, 11/03 and 10/06, and the re-plan
that keeps those published stops, so the request is left with two of its three visits."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from planner import ScenarioSpec, Stop, build_scenario, evaluate_stops, plan_to_dict
from planner.core.instance import build_instance
from planner.core.reasons import plan_reason
from planner.domain.plan import SolverReport
from tests.web.browser.conftest import PLANNER_EMAIL, instance_app
from web.extensions import db
from web.inbox import request_row
from web.models import PlanRecord, Publication, Scenario, SolveJob, StopRequest, User

MENETOU = "18145"
SEASON_NAME = "Saison Cher 2027"
MENETOU_DATES = ("2027-01-05", "2027-02-02", "2027-03-11", "2027-06-10")
HOST_SITE, ADDRESS = "parking de la mairie", "1 place de l'Église"


@dataclass(frozen=True)
class Season:
    scenario_id: int
    request_id: int  # the inbox's StopRequest id
    published_plan_id: int
    replan_id: int
    job_id: int
    publication_id: int


def spec(requests: list[dict]) -> dict:
    return {"name": SEASON_NAME, "territory": "bourges", "territory_rows": [], "start": "2027-01-04",
            "end": "2027-06-30", "mode": "bus", "vehicles": [], "closed": [], "school_zone": "B", "pins": [],
            "forbids": [], "requests": requests, "markets": [], "service_points": [], "ages": [],
            "params": {"solver": {"time_limit_s": 1.0, "workers": 1}}}


def season_stops(scenario) -> list[Stop]:
    """Menetou-Salon's four dates, and three stops a week elsewhere (each commune at most twice)."""
    bus = scenario.vehicles[0].name
    others = [c.insee for c in scenario.territory.communes if c.insee != MENETOU]
    stops = [Stop(dt.date.fromisoformat(d), bus, MENETOU) for d in MENETOU_DATES]
    taken = {s.date for s in stops}
    day, n = dt.date(2027, 1, 4), 0
    while day <= dt.date(2027, 6, 30):
        if day.weekday() in (0, 2, 4) and day not in taken and day not in scenario.season.closed_reasons:
            stops.append(Stop(day, bus, others[n % len(others)]))
            n += 1
        day += dt.timedelta(days=1)
    return sorted(stops, key=lambda s: s.date)


def seed(instance) -> Season:
    """Store the season in the live server's database; returns the ids the pages need."""
    app = instance_app(instance)
    with app.app_context():
        owner = db.session.scalar(db.select(User).filter_by(email=PLANNER_EMAIL))
        record = StopRequest(token="suivi-menetou", status="accepted", source="form", requester_kind="commune",
                             requester_code=MENETOU, requester_name="Commune de Menetou-Salon", epci="241800507",
                             contact_name="Claire Martin", contact_role="secrétaire de mairie",
                             contact_email="mairie@menetou.example", contact_phone="02 48 64 80 00", insee=MENETOU,
                             commune="Menetou-Salon", host_site=HOST_SITE, address=ADDRESS, postcode="18510",
                             windows=[["2027-03-01", "2027-06-30"]], weekdays="mar,jeu", days=3, priority="should")
        db.session.add(record)
        db.session.flush()
        stored_spec = spec([request_row(record)])
        scenario_record = Scenario(owner_id=owner.id, name=SEASON_NAME, spec=stored_spec)
        db.session.add(scenario_record)
        db.session.flush()
        record.scenario_id = scenario_record.id
        scenario = build_scenario(ScenarioSpec.from_dict(stored_spec))
        stops = season_stops(scenario)
        first = evaluate_stops(scenario, tuple(stops))
        report = SolverReport("FEASIBLE", first.metrics.objective, first.metrics.objective * 1.02, 0.02, 12.5, 1, 1, 0,
                              "modèle saisonnier")
        first = replace(first, solver=report)
        published = PlanRecord(owner_id=owner.id, scenario_id=scenario_record.id, data=plan_to_dict(first),
                               status="FEASIBLE", stop_count=len(first.stops))
        db.session.add(published)
        db.session.flush()
        publication = Publication(scenario_id=scenario_record.id, plan_id=published.id, revision=1, published_by=owner.id)
        db.session.add(publication)
        # the re-plan keeps every published stop but one Friday, which moves to the next Monday
        moved = next(s for s in first.stops if s.date.weekday() == 4 and s.insee != MENETOU)
        again = [s for s in first.stops if s is not moved] + [replace(moved, date=moved.date + dt.timedelta(days=3))]
        second = evaluate_stops(scenario, tuple(sorted(again, key=lambda s: s.date)))
        instance_model = build_instance(scenario)
        [request] = scenario.requests
        why = plan_reason(instance_model, request, second.stops, first.stops)
        second = replace(second, solver=report, unserved=(why,))
        job = SolveJob(owner_id=owner.id, scenario_id=scenario_record.id, previous_plan_id=published.id,
                       spec=stored_spec, status="done", phase="done", solutions=0, objective=report.objective,
                       bound=report.bound, gap=report.gap, elapsed_s=12.5)
        db.session.add(job)
        db.session.flush()
        replan = PlanRecord(owner_id=owner.id, scenario_id=scenario_record.id, data=plan_to_dict(second),
                            status="FEASIBLE", stop_count=len(second.stops), previous_plan_id=published.id, job_id=job.id)
        db.session.add(replan)
        db.session.commit()
        season = Season(scenario_record.id, record.id, published.id, replan.id, job.id, publication.id)
        db.engine.dispose()
        return season
