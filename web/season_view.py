"""The planner's « Saison en cours »: the published season's coming stops with their host's
confirmation, sign-ups and fill rate, alerts, the hosts' links and date-change requests, planned
against held; from an alert, cancel the stop (re-published at once) or replace it by the best
alternative for that date (the stop forbidden, then a minimal-change re-plan of the published plan,
which the planner re-publishes from the plan page). And the outbox (« Courriels »)."""

from __future__ import annotations

import copy
import datetime as dt

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from web import host_links as hosts
from web import mail, notices, planning, season
from web.access import owned
from web.extensions import db
from web.forms import PostForm
from web.models import DateChangeRequest, OutboxMessage, PlanRecord, Publication, Scenario
from web.plan_cache import spec_of
from web.publishing import publish_plan
from web.queue import start_solve

bp = Blueprint("saison", __name__)


def _season(scenario: Scenario):
    current = season.latest_publication(scenario.id)
    if current is None:
        flash("Cette saison n'est pas encore publiée : publiez un plan pour la suivre.", "error")
    return current


@bp.get("/scenarios/<int:scenario_id>/saison-en-cours")
@login_required
def show(scenario_id: int):
    scenario = owned(Scenario, scenario_id)
    current = _season(scenario)
    if current is None:
        return redirect(url_for("scenarios.show", scenario_id=scenario.id))
    today = dt.date.today()
    stops = season.with_alerts(season.season_stops(current), today)
    coming = [s for s in stops if s.date >= today]
    past = [s for s in stops if s.date < today]
    communes = sorted({s.insee: s.commune for s in stops}.items(), key=lambda kv: planning.search_key(kv[1]))
    links_by_insee = {insee: hosts.link_for(scenario.id, insee) for insee, _ in communes}
    days, fewest = season.thresholds()
    totals = {"planned": len(stops), "held": sum(s.status == season.HELD for s in stops),
              "cancelled": sum(s.status == season.CANCELLED for s in stops) + len(season.withdrawn_stops(current)),
              "signups": sum(s.signups or 0 for s in stops), "participants": sum(s.participants or 0 for s in stops)}
    return render_template("saison/show.html", scenario=scenario, season=current, coming=coming, past=past,
                           alerts=[s for s in coming if s.alerts], communes=communes, host_links=links_by_insee,
                           host_url=hosts.url_of, default_email=lambda insee: notices.host_email(scenario.id, insee),
                           changes=season.open_change_requests(scenario.id), withdrawn=season.withdrawn_stops(current),
                           form=PostForm(), today=today, days=days, fewest=fewest, totals=totals,
                           status_labels=season.STATUS_LABELS, problems=[],
                           commune_names={c.insee: c.name for c in planning.shipped_by_insee().values()})


def _stop(scenario: Scenario, key: str) -> season.SeasonStop:
    current = season.latest_publication(scenario.id) or abort(404)
    for stop in season.season_stops(current):
        if stop.key == key:
            return stop
    abort(404)


def _back(scenario: Scenario, anchor: str = ""):
    return redirect(url_for("saison.show", scenario_id=scenario.id) + anchor)


@bp.post("/scenarios/<int:scenario_id>/saison-en-cours/liens")
@login_required
def make_links(scenario_id: int):
    """A private link for each commune of the season that has none (or for one commune, with its e-mail)."""
    scenario = owned(Scenario, scenario_id)
    if not PostForm().validate_on_submit():
        abort(400)
    current = season.latest_publication(scenario.id) or abort(404)
    insee = request.form.get("insee", "")
    communes = {s.insee for s in current.plan.stops}
    if insee and insee not in communes:
        abort(404)
    email = (request.form.get("email") or "").strip()
    if email and planning.email_problem(email):
        flash(f"Adresse e-mail invalide : « {email[:60]} » ({planning.email_problem(email)}).", "error")
        return _back(scenario, "#liens")
    for code in ([insee] if insee else sorted(communes)):
        link = hosts.issue_link(scenario.id, code, email or notices.host_email(scenario.id, code))
        if email:
            link.email = email
            notices.host_link_sent(link, current)  # the planner sends the link with its dates
    db.session.commit()
    mail.kick(current_app._get_current_object())
    flash("Lien de la mairie enregistré et envoyé par e-mail." if insee and email else
          "Lien de la mairie enregistré." if insee else "Liens des mairies créés.", "success")
    return _back(scenario, "#liens")


@bp.post("/scenarios/<int:scenario_id>/saison-en-cours/liens/<insee>/revoquer")
@login_required
def revoke_link(scenario_id: int, insee: str):
    scenario = owned(Scenario, scenario_id)
    if not PostForm().validate_on_submit():
        abort(400)
    link = hosts.link_for(scenario.id, insee) or abort(404)
    hosts.revoke(link)
    db.session.commit()
    flash("Lien révoqué : il ne s'ouvre plus. Créez-en un autre pour la mairie si besoin.", "success")
    return _back(scenario, "#liens")


@bp.post("/scenarios/<int:scenario_id>/saison-en-cours/arret")
@login_required
def counts(scenario_id: int):
    """The team enters a stop's sign-ups, participants and held/cancelled, as the host would."""
    scenario = owned(Scenario, scenario_id)
    if not PostForm().validate_on_submit():
        abort(400)
    stop = _stop(scenario, request.form.get("stop", ""))
    changes, problems = hosts.read_counts(request.form, stop, dt.date.today())
    if problems:
        for problem in problems:
            flash(problem, "error")
        flash("Rien n'a été enregistré.", "error")
        return _back(scenario, f"#arret-{stop.date.isoformat()}")
    hosts.write_counts(scenario.id, stop, changes, season.ENTERED_BY_TEAM)
    db.session.commit()
    flash(f"{stop.commune}, {stop.date:%d/%m/%Y} : chiffres enregistrés.", "success")
    return _back(scenario, f"#arret-{stop.date.isoformat()}")


@bp.post("/scenarios/<int:scenario_id>/saison-en-cours/annuler")
@login_required
def cancel(scenario_id: int):
    """Cancel a coming stop: its workshops are marked cancelled with the reason, and the season is
    re-published at once without it (the commune page then says « annulé », its host is told)."""
    scenario = owned(Scenario, scenario_id)
    if not PostForm().validate_on_submit():
        abort(400)
    stop = _stop(scenario, request.form.get("stop", ""))
    reason = (request.form.get("reason") or "").strip()[:1000]
    if not reason:
        flash("Dites pourquoi l'arrêt est annulé : le motif est transmis à la mairie.", "error")
        return _back(scenario, "#alertes")
    publication = db.session.scalar(db.select(Publication).filter_by(scenario_id=scenario.id)
                                     .order_by(Publication.revision.desc()).limit(1))
    record = publication.plan
    data = planning.without_stop(record.data, spec_of(record), stop.date, stop.vehicle, stop.insee, reason)
    for workshop in stop.workshops:
        row = season.outcome_row(scenario.id, (stop.date, stop.vehicle, stop.insee), workshop.index)
        row.status, row.reason, row.entered_by = season.CANCELLED, reason, season.ENTERED_BY_TEAM
    summary = planning.plan_summary(data)
    plan = PlanRecord(owner_id=current_user.id, scenario_id=scenario.id, previous_plan_id=record.id, data=data,
                      label=f"Arrêt du {stop.date:%d/%m/%Y} à {stop.commune} annulé", **summary)
    db.session.add(plan)
    db.session.flush()
    new = publish_plan(plan, current_user.id)
    flash(f"Arrêt du {stop.date:%d/%m/%Y} à {stop.commune} annulé ; saison re-publiée (révision {new.revision}).",
          "success")
    return _back(scenario)


@bp.post("/scenarios/<int:scenario_id>/saison-en-cours/remplacer")
@login_required
def replace(scenario_id: int):
    """Replace a stop by the best alternative for its date: the commune is forbidden on that date in
    the scenario, the commune that brings the plan the most that day under every rule (the
    planner's ``best_replacement``, the other published stops unchanged) is pinned there, and the
    published plan is re-planned with as few moves as possible, so no other published date moves
    unless a rule forces it. The planner reads the moves and their reasons on the new plan and
    re-publishes it."""
    scenario = owned(Scenario, scenario_id)
    if not PostForm().validate_on_submit():
        abort(400)
    stop = _stop(scenario, request.form.get("stop", ""))
    spec = copy.deepcopy(scenario.spec)
    forbid = {"insee": stop.insee, "date": stop.date.isoformat()}
    if forbid not in spec.get("forbids", []):
        spec["forbids"] = [*spec.get("forbids", []), forbid]
    spec["pins"] = [p for p in spec.get("pins", []) if (p.get("date"), p.get("insee")) != (forbid["date"], stop.insee)]
    if planning.spec_problems(spec):
        flash("Le scénario contient des erreurs : corrigez-les avant de re-planifier.", "error")
        return redirect(url_for("scenarios.show", scenario_id=scenario.id))
    publication = db.session.scalar(db.select(Publication).filter_by(scenario_id=scenario.id)
                                     .order_by(Publication.revision.desc()).limit(1))
    found = planning.best_replacement(publication.plan.data, spec, stop.date, stop.vehicle, stop.insee)
    if found is not None:
        spec["pins"] = [*spec["pins"], {"date": forbid["date"], "insee": found["insee"], "vehicle": found["vehicle"]}]
        if planning.spec_problems(spec):  # a pin the spec refuses: re-plan without it rather than fail
            spec["pins"] = spec["pins"][:-1]
            found = None
    scenario.spec = spec
    db.session.commit()
    job = start_solve(current_app, scenario, previous=publication.plan)
    if found is not None:
        flash(f"{found['reason']}. {stop.commune} est interdit le {stop.date:%d/%m/%Y} et {found['commune']} "
              "imposé à sa place ; re-planification en cours avec le moins de changements possible. Publiez le "
              "nouveau plan quand il est prêt.", "success")
    else:
        flash(f"Aucune autre commune ne peut prendre le {stop.date:%d/%m/%Y} sans enfreindre une règle : "
              f"{stop.commune} y est interdit et la re-planification, en cours, cherche le moins de changements "
              "possible. Publiez le nouveau plan quand il est prêt.", "success")
    return redirect(url_for("jobs.show", job_id=job.id))


@bp.post("/scenarios/<int:scenario_id>/saison-en-cours/changements/<int:change_id>")
@login_required
def change_seen(scenario_id: int, change_id: int):
    scenario = owned(Scenario, scenario_id)
    if not PostForm().validate_on_submit():
        abort(400)
    change = db.session.get(DateChangeRequest, change_id)
    if change is None or change.scenario_id != scenario.id:
        abort(404)
    change.status = "handled"
    db.session.commit()
    return _back(scenario, "#changements")


# --- the outbox --------------------------------------------------------------------------------

@bp.get("/courriels")
@login_required
def outbox():
    messages = db.session.scalars(db.select(OutboxMessage).filter_by(owner_id=current_user.id)
                                  .order_by(OutboxMessage.id.desc()).limit(200)).all()
    return render_template("saison/outbox.html", messages=messages, configured=mail.configured(), form=PostForm())


@bp.post("/courriels/<int:message_id>/envoye")
@login_required
def sent_by_hand(message_id: int):
    message = owned(OutboxMessage, message_id)
    if not PostForm().validate_on_submit():
        abort(400)
    if message.status in ("pending", "failed"):
        mail.mark_sent_by_hand(message)
        db.session.commit()
    return redirect(url_for("saison.outbox"))


__all__ = ["bp"]
