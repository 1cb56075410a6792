"""The season report (« Bilan de saison ») of a published season: a page that prints on A4
without any script, its workbook, an outcomes file imported for it, and a new scenario that
starts from it (its participants leave the pools of the next season)."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import StringField

from web import planning
from web.access import owned
from web.downloads import content_disposition, file_name
from web.extensions import db
from web.forms import PostForm
from web.models import ImportedOutcomes, PlanRecord, Scenario, utcnow
from web.outcomes import season_outcomes
from web.plan_cache import spec_of

bp = Blueprint("reports", __name__)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class OutcomesForm(FlaskForm):
    file = FileField("Bilan des arrêts (CSV ou XLSX : date, commune, participants ; statut, inscrits, liste_attente, "
                     "raison facultatifs)")
    cost = StringField("Coût d'un jour de présence (€, facultatif)")


def _published(plan_id: int) -> PlanRecord:
    """The planner's own plan, published (a draft has no season to report: 404)."""
    record = owned(PlanRecord, plan_id)
    if not record.publications:
        abort(404)
    return record


def _uploaded(form: OutcomesForm, record: PlanRecord) -> tuple[tuple | None, list[dict]]:
    """The outcomes of the uploaded file (None when no file was sent), or the problems of every row."""
    storage = form.file.data
    if storage is None or not getattr(storage, "filename", ""):
        return None, []
    try:
        return planning.read_outcomes_upload(spec_of(record), storage.filename, storage.read()), []
    except planning.DataError as exc:
        return None, planning.problem_rows(exc)


def _keep(record: PlanRecord, form: OutcomesForm, outcomes: tuple) -> None:
    """The valid file becomes the plan's imported outcomes (replacing any earlier one)."""
    kept = record.imported_outcomes or ImportedOutcomes(plan=record)
    kept.rows = planning.outcome_rows(outcomes)
    kept.filename = planning.upload_name(form.file.data.filename)[:200]
    kept.imported_by = current_user.id
    kept.imported_at = utcnow()
    db.session.add(kept)
    db.session.commit()


def _kept(record: PlanRecord) -> tuple[tuple, list[dict]]:
    """The outcomes imported earlier for this plan (none if none), or why they no longer read."""
    if record.imported_outcomes is None:
        return (), []
    try:
        return planning.stored_outcomes(spec_of(record), record.imported_outcomes.rows), []
    except planning.DataError as exc:
        return (), planning.problem_rows(exc)


def _page(record: PlanRecord, form: OutcomesForm, problems: list[dict], cost_text: str = "", status: int = 200):
    cost = planning.cost_per_day(cost_text)
    imported, unreadable = _kept(record)
    report = planning.season_report_page(record.data, spec_of(record), season_outcomes(record, imported), cost=cost)
    return render_template("reports/season.html", record=record, report=report, form=form, problems=problems + unreadable,
                           kept=record.imported_outcomes, imported=len(imported), cost=cost, cost_text=cost_text), status


def _cost_problems(text: str) -> list[dict]:
    if text.strip() and planning.cost_per_day(text) is None:
        return [{"file": "", "row": 0, "column": "coût", "value": text,
                 "message": "coût par jour : nombre positif attendu (euros)"}]
    return []


@bp.route("/plans/<int:plan_id>/bilan", methods=["GET", "POST"])
@login_required
def show(plan_id: int):
    """The report, with the outcomes file imported for this plan; a valid new file replaces it and is
    kept, a file with a problem changes nothing (every problem shown)."""
    record = _published(plan_id)
    form = OutcomesForm()
    if request.method == "GET":
        text = request.args.get("cout", "")
        return _page(record, form, _cost_problems(text), text)
    if not form.validate_on_submit():
        abort(400)
    text = form.cost.data or ""
    uploaded, problems = _uploaded(form, record)
    problems += _cost_problems(text)
    if problems:
        return _page(record, form, problems, text, 422)
    if uploaded is not None:
        _keep(record, form, uploaded)
    if request.form.get("format") == "xlsx":
        spec = spec_of(record)
        imported, unreadable = _kept(record)
        if not unreadable:
            data = planning.season_report_workbook(record.data, spec, season_outcomes(record, imported),
                                                   cost=planning.cost_per_day(text))
            return Response(data, mimetype=XLSX, headers={"Content-Disposition": content_disposition(
                file_name("Bilan", spec.get("name") or record.scenario.name, f"plan {record.id}", ext="xlsx"))})
        return _page(record, form, [], text, 422)
    if uploaded is not None:
        flash(f"{planning.plural(len(uploaded), 'arrêt')} du fichier « {record.imported_outcomes.filename} » "
              "enregistrés pour ce plan : le bilan, son classeur et la saison suivante les reprennent.", "success")
    return redirect(url_for("reports.show", plan_id=record.id, **({"cout": text} if text.strip() else {})))


@bp.post("/plans/<int:plan_id>/bilan/fichier/supprimer")
@login_required
def remove_file(plan_id: int):
    """The imported outcomes file is forgotten: the report goes back to what hosts and the team recorded."""
    record = _published(plan_id)
    if not PostForm().validate_on_submit():
        abort(400)
    if record.imported_outcomes is not None:
        name = record.imported_outcomes.filename
        db.session.delete(record.imported_outcomes)
        db.session.commit()
        flash(f"Fichier « {name} » retiré du bilan : restent les bilans saisis par les hôtes et l'équipe.", "success")
    return redirect(url_for("reports.show", plan_id=record.id))


@bp.post("/plans/<int:plan_id>/nouvelle-saison")
@login_required
def next_season(plan_id: int):
    """« Nouveau scénario à partir d'une saison passée »: the season's scenario again, for the next
    dates, with this season's outcomes as its past season (its pools less those who came)."""
    record = _published(plan_id)
    form = OutcomesForm()
    if not form.validate_on_submit():
        abort(400)
    uploaded, problems = _uploaded(form, record)
    if problems:
        return _page(record, form, problems, status=422)
    if uploaded is not None:
        _keep(record, form, uploaded)
    imported, unreadable = _kept(record)
    if unreadable:
        return _page(record, form, [], status=422)
    rows = planning.history_rows(season_outcomes(record, imported))
    spec = dict(record.scenario.spec)
    name = f"{record.scenario.name} · saison suivante"[:200]
    # The dates, pins, closures and requests were this season's; whole-season forbids still hold.
    spec.update(name=name, start="", end="", history=rows, pins=[], closed=[], requests=[],
                forbids=[f for f in spec.get("forbids", []) if not f.get("date")])
    scenario = Scenario(owner_id=current_user.id, name=name, spec=spec)
    db.session.add(scenario)
    db.session.commit()
    held = sum(1 for row in rows if row["statut"] == "tenu")
    flash(f"Scénario créé à partir de la saison « {record.scenario.name} » : {planning.plural(held, 'arrêt tenu')}, dont les "
          "participants quittent le vivier des communes. Choisissez les dates de la nouvelle saison.", "success")
    return redirect(url_for("scenarios.show", scenario_id=scenario.id))
