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
from web.models import PlanRecord, Scenario
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


def _imported(form: OutcomesForm, record: PlanRecord) -> tuple[tuple, list[dict]]:
    """The outcomes of the uploaded file (none when no file was sent), or the problems of every row."""
    storage = form.file.data
    if storage is None or not getattr(storage, "filename", ""):
        return (), []
    try:
        return planning.read_outcomes_upload(spec_of(record), storage.filename, storage.read()), []
    except planning.DataError as exc:
        return (), planning.problem_rows(exc)


@bp.route("/plans/<int:plan_id>/bilan", methods=["GET", "POST"])
@login_required
def show(plan_id: int):
    record = _published(plan_id)
    form = OutcomesForm()
    imported, problems = (), []
    text = request.args.get("cout", "")
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        imported, problems = _imported(form, record)
        text = form.cost.data or ""
    cost = planning.cost_per_day(text)
    if text.strip() and cost is None:
        problems.append({"file": "", "row": 0, "column": "coût", "value": text,
                         "message": "coût par jour : nombre positif attendu (euros)"})
    outcomes = season_outcomes(record, imported)
    spec = spec_of(record)
    if request.method == "POST" and request.form.get("format") == "xlsx" and not problems:
        data = planning.season_report_workbook(record.data, spec, outcomes, cost=cost)
        return Response(data, mimetype=XLSX, headers={"Content-Disposition": content_disposition(
            file_name("Bilan", spec.get("name") or record.scenario.name, f"plan {record.id}", ext="xlsx"))})
    report = planning.season_report_page(record.data, spec, outcomes, cost=cost)
    return render_template("reports/season.html", record=record, report=report, form=form, problems=problems,
                           imported=len(imported), cost=cost, cost_text=text), 422 if problems else 200


@bp.post("/plans/<int:plan_id>/nouvelle-saison")
@login_required
def next_season(plan_id: int):
    """« Nouveau scénario à partir d'une saison passée »: the season's scenario again, for the next
    dates, with this season's outcomes as its past season (its pools less those who came)."""
    record = _published(plan_id)
    form = OutcomesForm()
    if not form.validate_on_submit():
        abort(400)
    imported, problems = _imported(form, record)
    if problems:
        report = planning.season_report_page(record.data, spec_of(record), season_outcomes(record))
        return render_template("reports/season.html", record=record, report=report, form=form, problems=problems,
                               imported=0, cost=None, cost_text=""), 422
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
