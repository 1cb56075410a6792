"""The models on SQLite and on PostgreSQL alike (``database`` runs each test on both): a four-commune
spec round-trips byte for byte, constraints hold, running jobs are marked interrupted after a crash."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.web.conftest import four_communes_spec
from web.auth import create_user
from web.extensions import db
from web.models import JobEvent, PlanRecord, Publication, Scenario, SolveJob
from web.workers import interrupt_lost


@pytest.fixture
def alice(app):
    with app.app_context():
        return create_user("alice@example.org", "un mot de passe long").id


def test_four_communes_spec_round_trips_with_accents_and_nesting(app, alice, database):
    spec = four_communes_spec(name="Saint-Martin-d'Auxigny « été » — 2027", requests=[
        {"insee_com": "18223", "host_site": "Salle des fêtes, près de l'église", "note": "≥ 12 personnes\nligne 2"}],
        params={"objective": {"km_cost": 0.1 + 0.2}, "solver": {"seed": 2**62}})
    with app.app_context():
        assert db.engine.dialect.name == ("postgresql" if database else "sqlite")
        scenario = Scenario(owner_id=alice, name=spec["name"], spec=spec)
        db.session.add(scenario)
        db.session.commit()
        scenario_id = scenario.id
        db.session.expunge_all()
        stored = db.session.get(Scenario, scenario_id)
        assert stored.spec == spec and stored.name == spec["name"]


def test_four_communes_publication_revisions_are_unique_per_scenario(app, alice):
    with app.app_context():
        scenario = Scenario(owner_id=alice, name="Quatre communes", spec=four_communes_spec())
        db.session.add(scenario)
        db.session.flush()
        plan = PlanRecord(owner_id=alice, scenario_id=scenario.id, data={})
        db.session.add(plan)
        db.session.flush()
        db.session.add(Publication(scenario_id=scenario.id, plan_id=plan.id, revision=1, published_by=alice))
        db.session.commit()
        db.session.add(Publication(scenario_id=scenario.id, plan_id=plan.id, revision=1, published_by=alice))
        with pytest.raises(sa.exc.IntegrityError):
            db.session.commit()
        db.session.rollback()
        assert db.session.scalar(sa.select(sa.func.count(Publication.id))) == 1


def test_a_job_of_a_missing_scenario_is_refused_by_the_foreign_key(app, alice):
    with app.app_context():
        db.session.add(SolveJob(owner_id=alice, scenario_id=987654, spec={}))
        with pytest.raises(sa.exc.IntegrityError):
            db.session.commit()
        db.session.rollback()
        assert db.session.scalar(sa.select(sa.func.count(SolveJob.id))) == 0


def test_four_communes_running_jobs_are_marked_interrupted_and_their_events_kept(app, alice):
    with app.app_context():
        scenario = Scenario(owner_id=alice, name="Quatre communes", spec=four_communes_spec())
        db.session.add(scenario)
        db.session.flush()
        running = SolveJob(owner_id=alice, scenario_id=scenario.id, spec={}, status="running")
        done = SolveJob(owner_id=alice, scenario_id=scenario.id, spec={}, status="done")
        db.session.add_all([running, done])
        db.session.flush()
        db.session.add(JobEvent(job_id=running.id, phase="season", elapsed_s=1.5, solutions=2, objective=10.0))
        db.session.commit()
        running_id, done_id = running.id, done.id
        assert interrupt_lost() == 1
        db.session.expunge_all()
        job = db.session.get(SolveJob, running_id)
        assert job.status == "interrupted" and "relancez" in job.error and job.finished_at is not None
        assert [e.phase for e in job.events] == ["season"]
        assert db.session.get(SolveJob, done_id).status == "done"
        assert interrupt_lost() == 0
