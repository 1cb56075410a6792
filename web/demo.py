"""``serve --demo``: an empty instance filled so that a newcomer sees a working product at once.

The Bourges basin, one planner account (its password is drawn at random and printed), a draft
scenario, and a season solved for real with a short time limit, then published.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

from flask import Flask

from web import planning
from web.auth import create_user
from web.extensions import db
from web.models import PlanRecord, Publication, Scenario, SolveJob, User
from web.solving import run_job

DEMO_EMAIL = "planification@tournee.example"
DEMO_TIME_LIMIT_S = 10.0


def fill_demo(app: Flask, say: Callable[[str], None]) -> bool:
    """Fill the instance when it has no account yet; returns False (and says so) otherwise."""
    if db.session.scalar(db.select(db.func.count(User.id))):
        say("Démonstration : l'instance contient déjà des comptes, rien n'est ajouté.")
        return False
    password = secrets.token_urlsafe(12)
    user = create_user(DEMO_EMAIL, password)
    season = planning.default_spec("Bus numérique du bassin de Bourges — saison 2027", "bourges")
    season.update(start="2027-01-04", end="2027-06-25", school_zone="B",
                  params={"solver": {"time_limit_s": DEMO_TIME_LIMIT_S}})
    draft = planning.default_spec("Médiateur itinérant — CC Terres du Haut Berry (brouillon)", "epci:200066330")
    draft.update(mode="mediator", start="2027-01-04", end="2027-03-26", school_zone="B")
    published = Scenario(owner_id=user.id, name=season["name"], spec=season)
    db.session.add_all([published, Scenario(owner_id=user.id, name=draft["name"], spec=draft)])
    db.session.commit()
    say(f"Démonstration : calcul de la saison du bassin de Bourges ({DEMO_TIME_LIMIT_S:g} s)…")
    job = SolveJob(owner_id=user.id, scenario_id=published.id, spec=season)
    db.session.add(job)
    db.session.commit()
    run_job(job.id)
    record = db.session.scalar(db.select(PlanRecord).filter_by(job_id=job.id))
    if record is not None:
        db.session.add(Publication(scenario_id=published.id, plan_id=record.id, revision=1, published_by=user.id))
        db.session.commit()
        say(f"Démonstration : saison calculée ({record.stop_count} arrêts, statut {record.status}) et publiée.")
    else:
        say(f"Démonstration : le calcul n'a pas abouti ({db.session.get(SolveJob, job.id).error}).")
    say(f"Compte de démonstration : {DEMO_EMAIL}  mot de passe : {password}")
    return True
