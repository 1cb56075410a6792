"""The scenario editor's pages: territory, vehicles, season, weights, markets, requests, pins and forbids.

Each section is its own small form (``web.scenarios.forms``) that saves into the scenario's
ScenarioSpec JSON; the overview lists what the planner would refuse (``build_scenario``'s problems)
before a solve is asked for.
"""

from __future__ import annotations

import copy

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from web import planning
from web.access import owned
from web.calendar_view import closed_label
from web.extensions import db
from web.formatting import WEEKDAYS
from web.forms import PostForm, options
from web.models import PlanRecord, Publication, Scenario
from web.queue import start_solve
from web.scenarios.forms import (
    MAX_VEHICLES,
    ForbidForm,
    GeneralForm,
    MarketForm,
    NewScenarioForm,
    PinForm,
    TerritoryForm,
    UploadForm,
    date_field,
    param_changes,
    typed_params,
    vehicle_rows,
    weight_sections,
)

bp = Blueprint("scenarios", __name__)


def _scenario(scenario_id: int) -> Scenario:
    return owned(Scenario, scenario_id)


def _save(scenario: Scenario, spec: dict) -> None:
    scenario.spec = spec
    scenario.name = spec.get("name") or scenario.name
    db.session.commit()


def _spec(scenario: Scenario) -> dict:
    return copy.deepcopy(scenario.spec)


@bp.get("/scenarios")
@login_required
def index():
    scenarios = db.session.scalars(db.select(Scenario).filter_by(owner_id=current_user.id)
                                   .order_by(Scenario.updated_at.desc())).all()
    labels = {s.id: _territory_label(s.spec) for s in scenarios}
    return render_template("scenarios/index.html", scenarios=scenarios, form=PostForm(), territory_labels=labels)


@bp.route("/scenarios/nouveau", methods=["GET", "POST"])
@login_required
def new():
    form = NewScenarioForm()
    if form.validate_on_submit():
        scenario = Scenario(owner_id=current_user.id, name=form.name.data.strip(),
                            spec=planning.default_spec(form.name.data.strip(), form.territory.data))
        db.session.add(scenario)
        db.session.commit()
        flash("Scénario créé. Complétez-le section par section, puis lancez le calcul.", "success")
        return redirect(url_for("scenarios.show", scenario_id=scenario.id))
    return render_template("scenarios/new.html", form=form)


@bp.get("/scenarios/<int:scenario_id>")
@login_required
def show(scenario_id: int):
    return _show(_scenario(scenario_id))


def _show(scenario: Scenario, problems: list | None = None, evaluate_form: UploadForm | None = None):
    spec = scenario.spec
    spec_problems = planning.spec_problems(spec)
    publications = db.session.scalars(db.select(Publication).filter_by(scenario_id=scenario.id)
                                      .order_by(Publication.revision.desc())).all()
    return render_template("scenarios/show.html", scenario=scenario, spec=spec, problems=spec_problems,
                           upload_problems=problems or [], evaluate_form=evaluate_form or UploadForm(prefix="e"),
                           publications=publications, form=PostForm(), territory_label=_territory_label(spec),
                           communes=dict(planning.territory_communes(spec)))


@bp.route("/scenarios/<int:scenario_id>/general", methods=["GET", "POST"])
@login_required
def general(scenario_id: int):
    scenario = _scenario(scenario_id)
    spec = _spec(scenario)
    form = GeneralForm.of(spec, scenario.name)
    if form.validate_on_submit():
        start = date_field(form.start) if form.start.data.strip() else None
        end = date_field(form.end) if form.end.data.strip() else None
        closed = form.closed_days()
        if start and end and end < start:
            form.end.errors.append("La saison finit avant de commencer.")
        team = form.team_contact()
        if not any(f.errors for f in form):
            spec.update(name=form.name.data.strip(), start=start.isoformat() if start else "",
                        end=end.isoformat() if end else "", school_zone=form.school_zone.data,
                        closed=closed, team_contact=team)
            _save(scenario, spec)
            flash("Saison enregistrée.", "success")
            return redirect(url_for("scenarios.general", scenario_id=scenario.id))
    closed = [(day, closed_label(reason)) for day, reason in planning.closed_days(spec)]
    return render_template("scenarios/general.html", scenario=scenario, form=form, closed=closed,
                           bounds=planning.season_bounds(spec))


def _territory_label(spec: dict) -> str:
    if spec.get("territory_rows"):
        return f"Liste importée ({planning.plural(len(spec['territory_rows']), 'commune')})"
    territory = spec.get("territory", "bourges")
    if territory in planning.PRESET_LABELS:
        return planning.PRESET_LABELS[territory]
    siren = territory.removeprefix("epci:")
    return planning.epci_names().get(siren, territory)


@bp.route("/scenarios/<int:scenario_id>/territoire", methods=["GET", "POST"])
@login_required
def territory(scenario_id: int):
    scenario = _scenario(scenario_id)
    spec = _spec(scenario)
    form = TerritoryForm(prefix="t", data={"territory": spec.get("territory", "bourges")})
    form.territory.choices = (options(planning.PRESET_LABELS.items(), "Territoires prédéfinis")
                              + options(((f"epci:{k}", v) for k, v in planning.epci_choices()), "Intercommunalités (EPCI)"))
    upload = UploadForm(prefix="u")
    problems: list = []
    if request.method == "POST" and "t-territory" in request.form and form.validate_on_submit():
        spec.update(territory=form.territory.data, territory_rows=[])
        _save(scenario, spec)
        flash("Territoire enregistré.", "success")
        return redirect(url_for("scenarios.territory", scenario_id=scenario.id))
    if request.method == "POST" and "t-territory" not in request.form and upload.validate_on_submit():
        rows, problems = upload.rows("territory")
        if not problems:
            spec["territory_rows"] = rows
            _save(scenario, spec)
            flash(f"{len(rows)} communes importées : elles forment le territoire.", "success")
            return redirect(url_for("scenarios.territory", scenario_id=scenario.id))
    return render_template("scenarios/territory.html", scenario=scenario, form=form, upload=upload, problems=problems,
                           communes=planning.territory_communes(spec), label=_territory_label(spec))


def _commune_choices(spec: dict) -> list[tuple[str, str]]:
    return [(code, f"{name} ({code})") for code, name in planning.territory_communes(spec)]


@bp.route("/scenarios/<int:scenario_id>/vehicules", methods=["GET", "POST"])
@login_required
def vehicles(scenario_id: int):
    """Up to four vehicles; a row without a name is ignored, none at all = the default vehicle."""
    scenario = _scenario(scenario_id)
    spec = _spec(scenario)
    form = PostForm()
    defaults = planning.params_defaults()["vehicle"]
    rows = [dict(v) for v in spec.get("vehicles", [])]
    errors: dict[str, str] = {}
    if form.validate_on_submit():
        rows, errors = vehicle_rows(request.form, {c for c, _ in planning.territory_communes(spec)})
        mode = request.form.get("mode", "bus")
        if mode not in ("bus", "mediator"):
            errors["mode"] = "Type inconnu."
        if not errors:
            spec["vehicles"] = rows
            spec["mode"] = mode
            _save(scenario, spec)
            flash("Véhicules enregistrés.", "success")
            return redirect(url_for("scenarios.vehicles", scenario_id=scenario.id))
    while len(rows) < MAX_VEHICLES:
        rows.append({})
    return render_template("scenarios/vehicles.html", scenario=scenario, form=form, rows=rows[:MAX_VEHICLES], errors=errors,
                           communes=_commune_choices(spec), defaults=defaults, weekday_codes=planning.WEEKDAY_CODES,
                           mode=spec.get("mode", "bus"), default_days=planning.default_weekdays(), day_span=_day_span,
                           minutes=planning.parameter("vehicle.max_drive_minutes"),
                           nights=planning.parameter("vehicle.overnight_nights"))


def _day_span(codes: tuple[str, ...]) -> str:
    """« mardi à vendredi » for a run of weekday codes, else « lundi, mercredi »."""
    days = [planning.WEEKDAY_CODES.index(code) for code in codes]
    if len(days) > 2 and days == list(range(days[0], days[-1] + 1)):
        return f"{WEEKDAYS[days[0]]} à {WEEKDAYS[days[-1]]}"
    return ", ".join(WEEKDAYS[d] for d in days)


@bp.route("/scenarios/<int:scenario_id>/ponderations", methods=["GET", "POST"])
@login_required
def weights_page(scenario_id: int):
    scenario = _scenario(scenario_id)
    spec = _spec(scenario)
    form = PostForm()
    defaults = planning.params_defaults()
    current = spec.get("params", {}) or {}
    errors: dict[str, str] = {}
    if form.validate_on_submit():
        changes, errors = param_changes(request.form, defaults)
        for problem in planning.check_params(changes):
            errors.setdefault(problem.column, problem.message)
        if not errors:
            spec["params"] = changes
            _save(scenario, spec)
            flash("Pondérations enregistrées.", "success")
            return redirect(url_for("scenarios.weights_page", scenario_id=scenario.id))
        current = typed_params(request.form, defaults)
    sections = weight_sections(defaults, current, errors)
    return render_template("scenarios/weights.html", scenario=scenario, form=form, sections=sections,
                           service_kinds=planning.SERVICE_KIND_LABELS, errors=errors)




@bp.route("/scenarios/<int:scenario_id>/marches", methods=["GET", "POST"])
@login_required
def markets(scenario_id: int):
    scenario = _scenario(scenario_id)
    spec = _spec(scenario)
    form = MarketForm(prefix="m")
    form.insee_com.choices = list(planning.territory_communes(spec))  # (INSEE, name): a search box, not a drop-down
    upload = UploadForm(prefix="u")
    problems: list = []
    if request.method == "POST" and "m-insee_com" in request.form and form.validate_on_submit():
        row = {"insee_com": form.insee_com.data, "weekday": form.weekday.data}
        row |= {k: v for k, v in (("time_of_day", form.time_of_day.data.strip()), ("place", form.place.data.strip())) if v}
        spec["markets"] = [*spec.get("markets", []), row]
        _save(scenario, spec)
        flash("Marché ajouté.", "success")
        return redirect(url_for("scenarios.markets", scenario_id=scenario.id))
    if request.method == "POST" and "m-insee_com" not in request.form and upload.validate_on_submit():
        rows, problems = upload.rows("markets")
        if not problems:
            spec["markets"] = [*spec.get("markets", []), *rows]
            _save(scenario, spec)
            flash(f"{len(rows)} marchés importés.", "success")
            return redirect(url_for("scenarios.markets", scenario_id=scenario.id))
    return render_template("scenarios/markets.html", scenario=scenario, form=form, upload=upload, problems=problems,
                           rows=spec.get("markets", []), shipped=planning.shipped_markets(spec), delete=PostForm(),
                           names=dict(planning.territory_communes(spec)))


@bp.route("/scenarios/<int:scenario_id>/demandes", methods=["GET", "POST"])
@login_required
def requests_page(scenario_id: int):
    scenario = _scenario(scenario_id)
    spec = _spec(scenario)
    upload = UploadForm(prefix="u")
    problems: list = []
    if upload.validate_on_submit():
        rows, problems = upload.rows("requests")
        if not problems:
            spec["requests"] = [*spec.get("requests", []), *rows]
            _save(scenario, spec)
            flash(f"{planning.plural(len(rows), 'demande importée')}.", "success")
            return redirect(url_for("scenarios.requests_page", scenario_id=scenario.id))
    return render_template("scenarios/requests.html", scenario=scenario, upload=upload, problems=problems,
                           rows=spec.get("requests", []), delete=PostForm(), names=dict(planning.territory_communes(spec)),
                           shipped={c: commune.name for c, commune in planning.shipped_by_insee().items()})


LISTS = {"marches": ("markets", "scenarios.markets"), "demandes": ("requests", "scenarios.requests_page"),
         "epingles": ("pins", "scenarios.rules"), "interdits": ("forbids", "scenarios.rules")}


@bp.post("/scenarios/<int:scenario_id>/<kind>/<int:index>/supprimer")
@login_required
def delete_row(scenario_id: int, kind: str, index: int):
    scenario = _scenario(scenario_id)
    if kind not in LISTS:
        abort(404)
    key, page = LISTS[kind]
    form = PostForm()
    if not form.validate_on_submit():
        abort(400)
    spec = _spec(scenario)
    rows = list(spec.get(key, []))
    if not 0 <= index < len(rows):
        abort(404)
    del rows[index]
    spec[key] = rows
    _save(scenario, spec)
    flash("Ligne supprimée.", "success")
    return redirect(url_for(page, scenario_id=scenario.id))


@bp.route("/scenarios/<int:scenario_id>/regles", methods=["GET", "POST"])
@login_required
def rules(scenario_id: int):
    scenario = _scenario(scenario_id)
    spec = _spec(scenario)
    communes = list(planning.territory_communes(spec))  # (INSEE, name) for the search boxes
    pin, forbid = PinForm(prefix="p"), ForbidForm(prefix="f")
    pin.insee.choices = forbid.insee.choices = communes
    pin.vehicle.choices = options([("", "N'importe lequel")] + [(v["name"], v["name"]) for v in spec.get("vehicles", [])])
    if request.method == "POST" and "p-date" in request.form and pin.validate_on_submit():
        day = date_field(pin.date)
        if day:
            spec["pins"] = [*spec.get("pins", []), {"date": day.isoformat(), "insee": pin.insee.data,
                                                    **({"vehicle": pin.vehicle.data} if pin.vehicle.data else {})}]
            _save(scenario, spec)
            flash("Arrêt imposé ajouté.", "success")
            return redirect(url_for("scenarios.rules", scenario_id=scenario.id))
    if request.method == "POST" and "f-insee" in request.form and forbid.validate_on_submit():
        day = date_field(forbid.date) if forbid.date.data.strip() else None
        if day or not forbid.date.data.strip():
            spec["forbids"] = [*spec.get("forbids", []), {"insee": forbid.insee.data, "date": day.isoformat() if day else ""}]
            _save(scenario, spec)
            flash("Interdiction ajoutée.", "success")
            return redirect(url_for("scenarios.rules", scenario_id=scenario.id))
    return render_template("scenarios/rules.html", scenario=scenario, pin=pin, forbid=forbid, pins=spec.get("pins", []),
                           forbids=spec.get("forbids", []), delete=PostForm(), names=dict(planning.territory_communes(spec)))


@bp.post("/scenarios/<int:scenario_id>/evaluer")
@login_required
def evaluate(scenario_id: int):
    """A hand-made tour (last season's, or an edited export) stored as a plan, to compare with."""
    scenario = _scenario(scenario_id)
    upload = UploadForm(prefix="e")
    problems: list = []
    if upload.validate_on_submit():
        storage = upload.file.data
        try:
            data = planning.evaluate_upload(scenario.spec, storage.filename, storage.read())
        except planning.DataError as exc:
            problems = planning.problem_rows(exc)
        else:
            record = PlanRecord(owner_id=scenario.owner_id, scenario_id=scenario.id,
                                label=f"Tournée importée ({storage.filename})"[:200], data=data,
                                **planning.plan_summary(data))
            db.session.add(record)
            db.session.commit()
            flash("Tournée évaluée avec les mêmes chiffres qu'un plan calculé ; comparez-la à un plan.", "success")
            return redirect(url_for("plans.show", plan_id=record.id))
    else:
        problems = [{"file": "", "row": 0, "column": "", "value": "", "message": " ".join(upload.file.errors) or "envoi invalide"}]
    return _show(scenario, problems=problems, evaluate_form=upload), 422


@bp.post("/scenarios/<int:scenario_id>/calcul")
@login_required
def solve(scenario_id: int):
    scenario = _scenario(scenario_id)
    if not PostForm().validate_on_submit():
        abort(400)
    if planning.spec_problems(scenario.spec):
        flash("Le scénario contient des erreurs : corrigez-les avant de lancer le calcul.", "error")
        return redirect(url_for("scenarios.show", scenario_id=scenario.id))
    job = start_solve(current_app, scenario)
    return redirect(url_for("jobs.show", job_id=job.id))


@bp.route("/scenarios/<int:scenario_id>/supprimer", methods=["GET", "POST"])
@login_required
def delete(scenario_id: int):
    """A confirmation page (no script needed), then the scenario, its plans and its solves are deleted."""
    scenario = _scenario(scenario_id)
    form = PostForm()
    blocker = scenario.deletion_blocker()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        if blocker:
            flash(blocker, "error")
            return redirect(url_for("scenarios.show", scenario_id=scenario.id))
        name = scenario.name
        db.session.delete(scenario)  # plans, jobs and events go by the models' cascades
        db.session.commit()
        flash(f"Scénario « {name} » supprimé, avec ses plans et ses calculs.", "success")
        return redirect(url_for("scenarios.index"))
    counts = {"plans": len(scenario.plans), "jobs": len(scenario.jobs)}
    return render_template("scenarios/delete.html", scenario=scenario, form=form, blocker=blocker, counts=counts)
