"""Publishing a plan: the next revision of its season, and the messages it owes its hosts and
requesters, written in the same transaction (web.notices) and sent by the worker (web.mail). Used by
the plan page and by the season view's « annuler l'arrêt »."""

from __future__ import annotations

from flask import current_app

from web import mail, notices
from web.extensions import db
from web.models import PlanRecord, Publication


def publish_plan(record: PlanRecord, user_id: int) -> Publication:
    """The next revision of the scenario's season (1, 2, ...), counted from the publication records."""
    last = db.session.scalar(db.select(db.func.max(Publication.revision)).filter_by(scenario_id=record.scenario_id))
    publication = Publication(scenario_id=record.scenario_id, plan_id=record.id, revision=(last or 0) + 1,
                              published_by=user_id)
    db.session.add(publication)
    db.session.flush()
    notices.publication_written(publication)  # the hosts' and requesters' messages, in the same transaction
    db.session.commit()
    mail.kick(current_app._get_current_object())
    return publication
