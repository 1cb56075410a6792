"""« Remplacer » from the season view on the four-commune season: Menetou-Salon (18145) published on
three Tuesdays, Bourges (18033) on the Tuesday between. Replacing Menetou-Salon's first date pins
the best other commune on that same date (never Bourges, whose visit a week later the spacing rule
forbids), the re-plan keeps every other published date, and the new plan says which commune
replaced which and why; the date the planner re-publishes is the same one."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest

from tests.web.conftest import four_communes_spec
from tests.web.public_helpers import publish
from web.extensions import db
from web.host_links import issue_link
from web.models import PlanRecord, Scenario, SolveJob
from web.solving import run_job

pytestmark = pytest.mark.both_databases
MENETOU, BOURGES = "18145", "18033"
OTHERS = {"18223", "18160"}
FIXED_HOLIDAYS = {(1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25)}


def tuesday_after(day: dt.date) -> dt.date:
    day += dt.timedelta(days=(1 - day.weekday()) % 7)
    while (day.month, day.day) in FIXED_HOLIDAYS:
        day += dt.timedelta(days=7)
    return day


FIRST = tuesday_after(dt.date.today() + dt.timedelta(days=2))
SECOND, THIRD = tuesday_after(FIRST + dt.timedelta(days=7)), tuesday_after(FIRST + dt.timedelta(days=35))


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


@pytest.fixture
def season(app, users):
    spec = four_communes_spec(start=FIRST.isoformat(), end=THIRD.isoformat(),
                              params={"solver": {"time_limit_s": 1.0, "workers": 1}})
    scenario_id, plan_id = publish(app, users["alice"], spec, [(FIRST.isoformat(), MENETOU), (SECOND.isoformat(), BOURGES),
                                                               (THIRD.isoformat(), MENETOU)])
    return scenario_id, plan_id


def test_replacing_menetou_keeps_its_date_with_the_best_other_commune_and_every_other_date(app, logged, season):
    scenario_id, plan_id = season
    answer = logged.post(f"/scenarios/{scenario_id}/saison-en-cours/remplacer",
                         data={"csrf_token": logged.token, "stop": f"{FIRST.isoformat()}|bus|{MENETOU}"})
    assert answer.status_code == 302 and "/calculs/" in answer.headers["Location"]
    with app.app_context():
        spec = db.session.get(Scenario, scenario_id).spec
        assert {"insee": MENETOU, "date": FIRST.isoformat()} in spec["forbids"]
        (pin,) = spec["pins"]
        assert pin["date"] == FIRST.isoformat() and pin["insee"] in OTHERS and pin["vehicle"] == "bus"
        job_id = db.session.scalar(db.select(SolveJob.id))
    flashed = text(logged.get(f"/scenarios/{scenario_id}/saison-en-cours"))
    assert f"remplace Menetou-Salon le {FIRST:%d/%m/%Y}, même véhicule (bus)" in flashed
    with app.app_context():
        run_job(job_id)
        record = db.session.scalar(db.select(PlanRecord).filter_by(job_id=job_id))
        assert record is not None, db.session.get(SolveJob, job_id).error
        new_id = record.id
        from web import planning

        plan = planning.plan_of(record.data)
    stops = {(s.date, s.insee) for s in plan.stops}
    assert (FIRST, pin["insee"]) in stops and (FIRST, MENETOU) not in stops
    assert {(SECOND, BOURGES), (THIRD, MENETOU)} <= stops  # no other published date moved
    (move,) = plan.moved
    assert (move.insee, move.from_date) == (MENETOU, FIRST)
    assert move.reason.startswith("arrêt désormais interdit à cette date ; remplacé ce jour-là par ")
    page = text(logged.get(f"/plans/{new_id}"))
    gain = next(a for a in plan.added if a.date == FIRST)
    assert gain.replaces == "Menetou-Salon" and gain.reason in page
    assert f"remplace Menetou-Salon le {FIRST:%d/%m/%Y}" in gain.reason
    replacement = gain.commune
    assert logged.post(f"/plans/{new_id}/publier", data={"csrf_token": logged.token}).status_code == 302
    view = text(logged.get(f"/scenarios/{scenario_id}/saison-en-cours"))
    assert re.search(rf"{FIRST:%d/%m/%Y} · Menetou-Salon : (annulé|déplacé au [0-9/]+) \(arrêt désormais interdit à "
                     rf"cette date ; remplacé ce jour-là par {re.escape(replacement)}\)", view)
    # Menetou-Salon's host reads the cause in its own words: not the planner's rule, nor who took the date
    with app.app_context():
        token = issue_link(scenario_id, MENETOU, "mairie@menetou.example").token
        db.session.commit()
    host = text(app.test_client().get(f"/hote/{token}"))
    assert "date retirée par l'équipe de la tournée" in host
    assert "interdit" not in host and replacement not in host


def test_replacing_mid_season_keeps_the_days_already_lived(app, logged, users):
    """A season that began 8 days ago: Menetou-Salon held a week ago, Bourges and Menetou-Salon to
    come. The re-plan queued by « Remplacer » solves a spec where the week-old stop is pinned and
    every other day up to today is closed, so nothing moves to a day already lived (nor today)."""
    today = dt.date.today()
    start, held = today - dt.timedelta(days=8), today - dt.timedelta(days=7)
    spec = four_communes_spec(start=start.isoformat(), end=THIRD.isoformat(),
                              params={"solver": {"time_limit_s": 1.0, "workers": 1}})
    scenario_id, _ = publish(app, users["alice"], spec, [(held.isoformat(), MENETOU), (SECOND.isoformat(), BOURGES),
                                                         (THIRD.isoformat(), MENETOU)])
    answer = logged.post(f"/scenarios/{scenario_id}/saison-en-cours/remplacer",
                         data={"csrf_token": logged.token, "stop": f"{SECOND.isoformat()}|bus|{BOURGES}"})
    assert answer.status_code == 302
    with app.app_context():
        job = db.session.scalar(db.select(SolveJob).filter_by(scenario_id=scenario_id))
        assert {"date": held.isoformat(), "insee": MENETOU, "vehicle": "bus"} in job.spec["pins"]
        lived = {(start + dt.timedelta(days=k)).isoformat() for k in range(9)} - {held.isoformat()}
        assert lived <= set(job.spec["closed"]) and held.isoformat() not in job.spec["closed"]
        assert not any(d > today.isoformat() for d in job.spec["closed"])
        # the scenario itself is not changed by it: the next edit starts from what the planner set
        assert db.session.get(Scenario, scenario_id).spec["closed"] == []
