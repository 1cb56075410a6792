"""A plan: calendar, map, figures and solver quality, stops explained, pin/forbid, re-plan, compare,
publish and download."""

from __future__ import annotations

import copy
import datetime as dt
import threading

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from web import planning
from web.access import owned
from web.calendar_view import season_calendar
from web.downloads import content_disposition, file_name
from web.extensions import db
from web.formatting import MONTHS
from web.forms import PostForm
from web.models import PlanRecord, Publication, Scenario
from web.plan_cache import payload_of, season_map, site_labels_of, spec_of, warm_up
from web.published import confirmed_sites
from web.publishing import publish_plan
from web.queue import start_solve

bp = Blueprint("plans", __name__)
DOWNLOADS = {
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", planning.season_workbook),
    "csv": ("text/csv; charset=utf-8", planning.stops_csv),
}
ICS_TYPE = "text/calendar; charset=utf-8"


@bp.get("/plans/<int:plan_id>")
@login_required
def show(plan_id: int):
    record = owned(PlanRecord, plan_id)
    payload = payload_of(record)
    spec = payload["spec"] or spec_of(record)
    start, end = planning.season_bounds(spec)
    weekdays = planning.working_weekdays(spec)
    columns, weeks = season_calendar(start, end, payload["stops"], planning.closed_days(spec), weekdays)
    others = db.session.scalars(db.select(PlanRecord).filter(PlanRecord.owner_id == current_user.id,
                                                             PlanRecord.id != record.id)
                                .order_by(PlanRecord.scenario_id != record.scenario_id, PlanRecord.id.desc())
                                .limit(50)).all()
    previous = db.session.get(PlanRecord, record.previous_plan_id) if record.previous_plan_id else None
    changes = _changes(payload_of(previous)["stops"], payload["stops"]) if previous else None
    latest = db.session.scalar(db.select(Publication).filter_by(scenario_id=record.scenario_id)
                               .order_by(Publication.revision.desc()))
    return render_template("plans/show.html", record=record, scenario=record.scenario, spec=spec, plan=payload,
                           columns=columns, weeks=weeks, others=others, form=PostForm(), previous=previous,
                           changes=changes, map_svg=season_map(record, spec), latest=latest,
                           past_season=planning.past_season(spec) if not planning.spec_problems(spec) else None,
                           sites=_site_labels(record, spec), stop_key=planning.stop_key,
                           publications=record.publications, commune_names=dict(planning.territory_communes(spec)),
                           services=planning.request_services(record.data, spec),
                           closed_on=_closed_by_weekday(planning.closed_days(spec), start, end),
                           stop_months=_by_month(payload["stops"]),
                           pinned={(p["date"], p["insee"]) for p in record.scenario.spec.get("pins", [])},
                           forbidden={(f["date"], f["insee"]) for f in record.scenario.spec.get("forbids", [])})


def _with_hosts(record: PlanRecord, spec: dict) -> tuple[dict, tuple]:
    """The spec with the sites the season's hosts confirmed (as the public pages read it), and what
    names those sites for the caches."""
    confirmed = confirmed_sites(record.scenario_id)
    return (planning.with_confirmed_sites(spec, confirmed),
            tuple((c["insee"], c["site"], c["address"], c["lat"], c["lon"]) for c in confirmed))


def _site_labels(record: PlanRecord, spec: dict) -> dict[str, str]:
    return site_labels_of(record, *_with_hosts(record, spec))


@bp.before_app_request
def _warm_up_once() -> None:
    """On the first request a server answers (usually the login page), draw the maps of the latest
    plans in a background thread, so that the first plan a planner opens shows at once. Not in tests."""
    app = current_app._get_current_object()
    if app.testing or app.extensions.get("tournee_warmed"):
        return
    app.extensions["tournee_warmed"] = True
    threading.Thread(target=warm_up, args=(app,), name="tournee-warm-up", daemon=True).start()


def _by_month(stops: list[dict]) -> list[dict]:
    """The plan's stops month by month: a season of 200 stops folds into its months on a phone."""
    months: dict[tuple[int, int], list[dict]] = {}
    for stop in stops:
        months.setdefault((stop["date"].year, stop["date"].month), []).append(stop)
    return [{"label": f"{MONTHS[m - 1]} {y}", "stops": rows} for (y, m), rows in months.items()]


def _closed_by_weekday(closed: list, start: dt.date, end: dt.date) -> dict[int, list[dt.date]]:
    """Closed dates of the season by ISO weekday: a mediator's weekly rotation skips them too."""
    by_weekday: dict[int, list[dt.date]] = {}
    for day, _reason in closed:
        if start <= day <= end:
            by_weekday.setdefault(day.isoweekday(), []).append(day)
    return by_weekday


def _changes(before: list[dict], after: list[dict]) -> dict:
    """Stops of the previous plan that are gone and stops that are new, by (date, vehicle, commune)."""
    key = lambda s: (s["date"], s["vehicle"], s["insee"])  # noqa: E731
    old, new = {key(s): s for s in before}, {key(s): s for s in after}
    return {"removed": [old[k] for k in sorted(old.keys() - new.keys())],
            "added": [new[k] for k in sorted(new.keys() - old.keys())], "kept": len(old.keys() & new.keys())}


@bp.post("/plans/<int:plan_id>/selection")
@login_required
def selection(plan_id: int):
    """Pin the ticked stops, or forbid their commune on their date, in the scenario (next solve)."""
    record = owned(PlanRecord, plan_id)
    if not PostForm().validate_on_submit():
        abort(400)
    action = request.form.get("action")
    values = request.form.getlist("stop")
    if action not in ("pin", "forbid") or not values:
        flash("Cochez au moins un arrêt, puis choisissez « Imposer » ou « Interdire ».", "error")
        return redirect(url_for("plans.show", plan_id=record.id) + "#arrets")
    in_plan = {f"{s['date'].isoformat()}|{s['vehicle']}|{s['insee']}" for s in planning.plan_payload(record.data)["stops"]}
    picked = []
    for value in values:
        if value not in in_plan:  # only the plan's own stops can be pinned or forbidden from its page
            abort(400)
        day, rest = value.split("|", 1)
        picked.append((day, *rest.rsplit("|", 1)))  # a vehicle's name may itself hold a "|"
    scenario = record.scenario
    spec = copy.deepcopy(scenario.spec)
    if action == "pin":
        known = {(p["date"], p["insee"]) for p in spec.get("pins", [])}
        spec["pins"] = [*spec.get("pins", []), *({"date": d, "insee": c, "vehicle": v} for d, v, c in picked
                                                 if (d, c) not in known)]
        message = f"{planning.plural(len(picked), 'arrêt imposé')} dans le scénario. Re-planifiez pour obtenir le nouveau plan."
    else:
        known = {(f["date"], f["insee"]) for f in spec.get("forbids", [])}
        spec["forbids"] = [*spec.get("forbids", []), *({"insee": c, "date": d} for d, _v, c in picked
                                                       if (d, c) not in known)]
        message = f"{planning.plural(len(picked), 'interdiction ajoutée')} au scénario. Re-planifiez pour obtenir le nouveau plan."
    scenario.spec = spec
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("plans.show", plan_id=record.id) + "#replanifier")


@bp.post("/plans/<int:plan_id>/replanifier")
@login_required
def replan(plan_id: int):
    record = owned(PlanRecord, plan_id)
    if not PostForm().validate_on_submit():
        abort(400)
    scenario = record.scenario
    if planning.spec_problems(scenario.spec):
        flash("Le scénario contient des erreurs : corrigez-les avant de re-planifier.", "error")
        return redirect(url_for("scenarios.show", scenario_id=scenario.id))
    job = start_solve(current_app, scenario, previous=record)
    return redirect(url_for("jobs.show", job_id=job.id))


@bp.get("/plans/<int:plan_id>/comparer")
@login_required
def compare(plan_id: int):
    record = owned(PlanRecord, plan_id)
    other_id = request.args.get("avec", type=int)
    if other_id is None:
        return redirect(url_for("plans.show", plan_id=record.id) + "#comparer")
    other = owned(PlanRecord, other_id)
    comparison = planning.compare(spec_of(record), record.data, other.data)
    days = side_by_side(payload_of(record)["stops"], payload_of(other)["stops"])
    return render_template("plans/compare.html", a=record, b=other, comparison=comparison, days=days)


def side_by_side(a: list[dict], b: list[dict]) -> list[dict]:
    """Each date either plan works: what each plan does that day, and whether they differ."""
    by_day: dict[dt.date, tuple[list, list]] = {}
    for side, stops in ((0, a), (1, b)):
        for stop in stops:
            by_day.setdefault(stop["date"], ([], []))[side].append(stop)
    rows = []
    for day in sorted(by_day):
        left, right = by_day[day]
        same = {(s["vehicle"], s["insee"]) for s in left} == {(s["vehicle"], s["insee"]) for s in right}
        rows.append({"date": day, "a": left, "b": right, "same": same})
    return rows


@bp.post("/plans/<int:plan_id>/publier")
@login_required
def publish(plan_id: int):
    record = owned(PlanRecord, plan_id)
    if not PostForm().validate_on_submit():
        abort(400)
    if not record.stop_count:
        flash("Un plan sans arrêt ne peut pas être publié.", "error")
        return redirect(url_for("plans.show", plan_id=record.id))
    publication = publish_plan(record, current_user.id)
    flash(f"Plan publié : révision {publication.revision} de la saison « {record.scenario.name} ».", "success")
    return redirect(url_for("plans.show", plan_id=record.id))


@bp.get("/plans/<int:plan_id>/saison.<fmt>")
@login_required
def download(plan_id: int, fmt: str):
    record = owned(PlanRecord, plan_id)
    spec = _with_hosts(record, spec_of(record))[0]
    revision, previous = _publication_context(record)
    filename = file_name(spec.get("name") or record.scenario.name, f"plan {record.id}",
                         f"révision {revision}" if revision else "brouillon", ext=fmt)
    if fmt == "ics":
        data = planning.season_ics(record.data, spec, previous=previous, revision=revision)
        mimetype = ICS_TYPE
    elif fmt in DOWNLOADS:
        mimetype, render = DOWNLOADS[fmt]
        data = render(record.data, spec)
    else:
        abort(404)
    return Response(data, mimetype=mimetype,
                    headers={"Content-Disposition": content_disposition(filename)})


def _publication_context(record: PlanRecord) -> tuple[int, dict | None]:
    """For a published plan: its latest revision and the plan published just before it (whose
    stops the calendar cancels); for a draft: revision 0, nothing to cancel."""
    mine = db.session.scalar(db.select(db.func.max(Publication.revision)).filter_by(plan_id=record.id))
    if not mine:
        return 0, None
    before = db.session.scalar(db.select(Publication).filter(Publication.scenario_id == record.scenario_id,
                                                             Publication.revision < mine, Publication.plan_id != record.id)
                               .order_by(Publication.revision.desc()))
    return mine, before.plan.data if before else None


@bp.get("/plans/<int:plan_id>/carte.svg")
@login_required
def map_svg(plan_id: int):
    record = owned(PlanRecord, plan_id)
    return Response(season_map(record, spec_of(record)), mimetype="image/svg+xml")


__all__ = ["bp", "Scenario"]
