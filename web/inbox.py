"""The planners' inbox of stop requests: filter, accept or decline with a reason, must/should, import
a requests file, feed accepted requests to a scenario, and see whether its latest plan serves each one.

A request fed to a scenario becomes one row of the spec's ``requests`` (id ``web-<n>``), so the
scenario editor and the solver read it like any imported request. A decision writes the requester's
e-mail into the outbox (web.mail); the text is also shown, to copy when no mail server is set.
"""

from __future__ import annotations

import copy
import datetime as dt

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, TextAreaField
from wtforms.validators import Length

from web import links, mail, notices, planning
from web.access import owned
from web.extensions import db
from web.forms import options
from web.models import REQUEST_STATUSES, PlanRecord, Publication, Scenario, StopRequest
from web.published import current
from web.request_labels import ROW_LABELS, STATUS_LABELS, WEEKDAYS, row_value

bp = Blueprint("inbox", __name__)

# Columns of a requests file the planner's loader reads (planner/inputs/requests.py).
KNOWN_COLUMNS = ("request_id", "insee_com", "windows", "days", "priority", "status", "requester", "host_site",
                 "contact", "note", "address", "postcode", "lat", "lon", "location_note", "contact_role",
                 "contact_email", "contact_phone")
WEEKDAY_INDEX = {code: i for i, (code, _name) in enumerate(WEEKDAYS)}


class DecisionForm(FlaskForm):
    reason = TextAreaField("Motif (envoyé au demandeur)", validators=[Length(max=1000, message="1 000 caractères au plus.")])
    priority = SelectField("Importance", choices=options([("should", "souhaitée (bonus si servie)"),
                                                          ("must", "obligatoire (le plan doit la servir)")]))
    scenario = SelectField("Scénario qui la reçoit", choices=[], validate_choice=False)


class ImportForm(FlaskForm):
    file = FileField("Fichier de demandes (CSV ou XLSX)", validators=[FileRequired("Choisissez un fichier.")])


def request_row(record: StopRequest) -> dict:
    """The spec ``requests`` row of an accepted request (columns of the requests file)."""
    row = {"request_id": record.request_id, "insee_com": record.insee, "windows": windows_text(record),
           "days": str(record.days), "priority": record.priority, "status": "accepted",
           "requester": record.requester_name, "host_site": ", ".join(x for x in (record.host_site, record.address) if x),
           "contact": record.contact_name, "note": record.note}
    located = {"address": record.address, "postcode": record.postcode, "lat": record.lat, "lon": record.lon,
               "location_note": record.location_note, "contact_role": record.contact_role,
               "contact_email": record.contact_email, "contact_phone": record.contact_phone}
    return row | {k: "" if v is None else str(v) for k, v in located.items()}


def windows_text(record: StopRequest) -> str:
    """The request's periods, narrowed to its weekdays when it named some (runs of days kept together)."""
    wanted = {WEEKDAY_INDEX[d] for d in record.weekdays.split(",") if d in WEEKDAY_INDEX}
    parts = []
    for start, end in record.windows:
        first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
        if not wanted:
            parts.append(f"{first}..{last}")
            continue
        run: list[dt.date] = []
        day = first
        while day <= last:
            if day.weekday() in wanted:
                if run and (day - run[-1]).days > 1:
                    parts.append(f"{run[0]}..{run[-1]}")
                    run = []
                run.append(day)
            day += dt.timedelta(days=1)
        if run:
            parts.append(f"{run[0]}..{run[-1]}")
    return "; ".join(parts)


def _feed(record: StopRequest, scenario: Scenario | None) -> None:
    """Put the request's row in ``scenario`` (replacing an older one) and take it out of any other."""
    for other in db.session.scalars(db.select(Scenario).filter(Scenario.id.in_(
            [i for i in (record.scenario_id, scenario.id if scenario else None) if i]))):
        spec = copy.deepcopy(other.spec)
        rows = [r for r in spec.get("requests", []) if r.get("request_id") != record.request_id]
        if scenario is not None and other.id == scenario.id:
            rows.append(request_row(record))
        spec["requests"] = rows
        other.spec = spec
    record.scenario_id = scenario.id if scenario else None


def held_by_another(record: StopRequest) -> bool:
    """A request accepted into another planner's scenario is theirs: only they may change the decision,
    and its scenario, plans and row stay out of the other planners' sight (as every scenario does)."""
    return record.scenario_id is not None and record.scenario.owner_id != current_user.id


HELD_MESSAGE = ("Cette demande a été acceptée dans le scénario d'un autre compte : seul ce compte peut changer la "
                "décision.")


def service(record: StopRequest) -> dict | None:
    """Whether the scenario's latest plan (and its published one) serves the request, or why not."""
    if record.scenario_id is None:
        return None
    if not any(r.get("request_id") == record.request_id for r in record.scenario.spec.get("requests", [])):
        return {"plan": None, "served": False, "message": "La demande n'est plus dans le scénario (retirée dans "
                "l'éditeur) : enregistrez de nouveau la décision pour l'y remettre."}
    latest = db.session.scalar(db.select(PlanRecord).filter_by(scenario_id=record.scenario_id).order_by(PlanRecord.id.desc()))
    if latest is None:
        return {"plan": None, "served": False, "message": "Aucun plan n'a encore été calculé pour ce scénario."}
    published = db.session.scalar(db.select(Publication).filter_by(plan_id=latest.id)) is not None
    answer = planning.request_service(latest.data, planning.plan_spec(latest.data), record.request_id,
                                      record.scenario.spec)
    if answer is None:
        return {"plan": latest, "served": False, "published": published, "message": "Non servie par ce plan."}
    return {"plan": latest, "published": published, **answer}


def email_text(record: StopRequest) -> str:
    """What the planner would send to the requester after a decision (shown to copy, never sent)."""
    link = links.absolute_url("demande.follow", token=record.token) if record.token else ""
    hello = f"Bonjour {record.contact_name},\n\n"
    what = f"votre demande de passage à {record.commune} ({record.host_site})"
    dates = sorted({s.date for season in current() for s in season.plan.stops if record.request_id in s.request_ids}) \
        if record.status == "accepted" else []
    if dates:
        body = f"{what} est acceptée. Dates retenues : " + ", ".join(f"{d:%d/%m/%Y}" for d in dates) + "."
    elif record.status == "accepted":
        body = (f"{what} est acceptée. Elle sera prise en compte dans le calcul de la saison ; les dates retenues "
                "vous seront envoyées par e-mail dès la publication du calendrier.")
    elif record.status == "declined":
        body = f"{what} n'a pas pu être retenue." + (f"\nMotif : {record.decision_reason}" if record.decision_reason else "")
    else:
        body = f"{what} est bien reçue ; elle sera examinée prochainement."
    follow = f"\n\nSuivre la demande : {link}" if link else ""
    return f"{hello}{body}{follow}\n\nL'équipe du bus numérique"


@bp.get("/demandes")
@login_required
def index():
    status = request.args.get("statut", "pending")
    epci = request.args.get("epci", "")
    day_text = request.args.get("date", "")
    query = db.select(StopRequest).order_by(StopRequest.created_at.desc())
    if status in REQUEST_STATUSES:
        query = query.filter(StopRequest.status == status)
    if epci:
        query = query.filter(StopRequest.epci == epci)
    day = None
    if day_text:
        try:
            day = dt.date.fromisoformat(day_text)
        except ValueError:
            flash(f"Date invalide : « {day_text[:20]} » (attendu : jj/mm/aaaa).", "error")
    records = db.session.scalars(query.limit(500)).all()
    if day is not None:
        records = [r for r in records if any(a <= day.isoformat() <= b for a, b in r.windows)]
    counts = dict(db.session.execute(db.select(StopRequest.status, db.func.count()).group_by(StopRequest.status)).all())
    return render_template("inbox/index.html", records=records, status=status, epci=epci, day=day_text,
                           statuses=STATUS_LABELS, counts=counts, epcis=planning.epci_choices(),
                           epci_names=planning.epci_names(), import_form=ImportForm())


@bp.get("/demandes/<int:request_id>")
@login_required
def show(request_id: int):
    record = db.session.get(StopRequest, request_id) or abort(404)
    form = DecisionForm(priority=record.priority, scenario=str(record.scenario_id or ""))
    form.scenario.choices = _scenario_choices()
    held = held_by_another(record)
    return render_template("inbox/show.html", record=record, form=form, statuses=STATUS_LABELS,
                           service=None if held else service(record), held=held, held_message=HELD_MESSAGE,
                           email=email_text(record), weekdays=dict(WEEKDAYS), row=request_row(record),
                           row_labels=ROW_LABELS, row_value=row_value,
                           epci_names=planning.epci_names())


def _scenario_choices() -> list:
    mine = db.session.scalars(db.select(Scenario).filter_by(owner_id=current_user.id).order_by(Scenario.id.desc())).all()
    return options([("", "— aucun pour l'instant —"), *((str(s.id), s.name) for s in mine)])


def territory_problem(record: StopRequest, scenario: Scenario | None) -> str:
    """A request can only be fed to a scenario that plans its commune (else it would be served
    nowhere, and shown by its bare code): the French refusal, or ""."""
    if scenario is None:
        return ""
    communes = dict(planning.territory_communes(scenario.spec))
    if not communes or record.insee in communes:
        return ""
    return (f"{record.commune or record.insee} ({record.insee}) n'est pas dans le territoire du scénario « {scenario.name} » "
            f"({planning.plural(len(communes), 'commune')}) : la demande n'a pas été ajoutée. Ajoutez la commune au "
            "territoire du scénario (page « Territoire ») ou choisissez un autre scénario.")


@bp.post("/demandes/<int:request_id>/decision")
@login_required
def decide(request_id: int):
    record = db.session.get(StopRequest, request_id) or abort(404)
    form = DecisionForm()
    form.scenario.choices = _scenario_choices()
    action = request.form.get("action")
    if not form.validate_on_submit() or action not in ("accept", "decline", "priority"):
        abort(400)
    if held_by_another(record):
        return render_template("errors/error.html", title="Accès refusé", message=HELD_MESSAGE), 403
    if record.status == "withdrawn":
        flash("Cette demande a été retirée par le demandeur : elle ne peut plus être décidée.", "error")
        return redirect(url_for("inbox.show", request_id=record.id))
    scenario = owned(Scenario, int(form.scenario.data)) if form.scenario.data.isdigit() else None
    reason = (form.reason.data or "").strip()
    if action == "decline" and not reason:
        flash("Donnez le motif du refus : il est transmis au demandeur.", "error")
        return redirect(url_for("inbox.show", request_id=record.id))
    outside = territory_problem(record, scenario) if action != "decline" else ""
    if outside:
        flash(outside, "error")
        return redirect(url_for("inbox.show", request_id=record.id))
    record.priority = form.priority.data
    if action in ("accept", "decline"):
        record.status = "accepted" if action == "accept" else "declined"
        record.decision_reason, record.decided_by = reason, current_user.id
        record.decided_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    _feed(record, scenario if record.status == "accepted" else None)
    if action in ("accept", "decline"):
        notices.request_decided(record)
    db.session.commit()
    mail.kick(current_app._get_current_object())
    if record.status == "accepted" and scenario is not None:
        flash(f"Demande acceptée et ajoutée au scénario « {scenario.name} » : re-planifiez pour qu'elle compte.", "success")
    elif record.status == "accepted":
        flash("Demande acceptée. Choisissez un scénario pour qu'elle compte dans un plan.", "success")
    else:
        flash("Demande refusée : copiez le message ci-dessous pour prévenir le demandeur.", "success")
    return redirect(url_for("inbox.show", request_id=record.id) + "#message")


@bp.post("/demandes/import")
@login_required
def import_file():
    """Every row of a requests file, or none: the planner's loader checks them all first."""
    form = ImportForm()
    if not form.validate_on_submit():
        flash("Choisissez un fichier CSV ou XLSX à importer.", "error")
        return redirect(url_for("inbox.index"))
    upload = form.file.data
    data = upload.read()
    name = planning.upload_name(upload.filename, "demandes.csv")
    known = planning.shipped_by_insee()
    try:
        requests = planning.requests_in_upload(name, data, known)  # the table checked is the table read
    except planning.DataError as exc:
        return render_template("inbox/import_problems.html", problems=planning.problem_rows(exc), filename=name), 422
    records = [imported(r, known) for r in requests]
    db.session.add_all(records)
    db.session.commit()
    flash(f"{planning.plural(len(records), 'demande importée')} depuis « {name} ».", "success")
    return redirect(url_for("inbox.index", statut="tout"))


IMPORTED_STATUS = {"accepted": "accepted", "pending": "pending", "refused": "declined"}


def imported(request, known: dict) -> StopRequest:
    """A StopRequest from a Request the planner's loader read (a file's status is kept: empty = accepted)."""
    commune = known[request.insee]
    return StopRequest(token=None, status=IMPORTED_STATUS.get(request.status, "pending"), source="import",
                       requester_kind="commune", requester_name=request.requester, insee=commune.insee,
                       commune=commune.name, epci=commune.epci, host_site=request.host_site,
                       contact_name=request.contact, contact_role=request.contact_role,
                       contact_email=request.contact_email, contact_phone=request.contact_phone,
                       address=request.address, postcode=request.postcode,
                       note=request.note, days=request.days, priority=request.priority,
                       windows=[[a.isoformat(), b.isoformat()] for a, b in request.windows],
                       location_note="importée d'un fichier, sans adresse vérifiée : le centre de la commune sert de repère")
