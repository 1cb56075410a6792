"""The scenario editor: territory, vehicles, season, weights, markets, requests, pins and forbids.

Each section is its own small form that saves into the scenario's ScenarioSpec JSON; the overview
lists what the planner would refuse (``build_scenario``'s problems) before a solve is asked for.
"""

from __future__ import annotations

import copy
import datetime as dt

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from planner import Problem
from planner.domain.team import TEAM_FIELDS
from planner.inputs import contacts
from planner.inputs.cells import CellReader
from web import planning, weights
from web.access import owned
from web.calendar_view import closed_label
from web.extensions import db
from web.formatting import fr_date, parse_fr_date
from web.models import JobEvent, PlanRecord, Publication, Scenario, SolveJob
from web.queue import enqueue_solve

bp = Blueprint("scenarios", __name__)
WEEKDAY_CODES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MAX_VEHICLES = 4


def options(pairs, group: str | None = None) -> list[SelectChoice]:
    """(value, label) pairs as WTForms options, in an optgroup when ``group`` is given."""
    return [SelectChoice(value, label, optgroup=group) for value, label in pairs]


class PostForm(FlaskForm):
    """A form with nothing but its CSRF token (buttons, and forms whose fields are built by hand)."""


class NewScenarioForm(FlaskForm):
    name = StringField("Titre de la saison", validators=[DataRequired("Donnez un titre à la saison."), Length(max=200)],
                       description="Le titre que liront les communes, par exemple « Bus numérique 2026-2027 ».")
    territory = SelectField("Territoire", choices=options(planning.PRESET_LABELS.items()))


class GeneralForm(FlaskForm):
    name = StringField("Titre de la saison", validators=[DataRequired("Donnez un titre à la saison."), Length(max=200)])
    start = StringField("Premier jour (jj/mm/aaaa)", description="Vide : lundi prochain.")
    end = StringField("Dernier jour (jj/mm/aaaa)", description="Vide : le 30 juin suivant.")
    school_zone = SelectField("Vacances scolaires fermées", choices=options([("", "Non, on circule pendant les vacances")]
                                                     + [(z, f"Zone {z}") for z in planning.SCHOOL_ZONES]))
    closed = TextAreaField("Autres jours fermés",
                           description="Une date par ligne ou séparées par des virgules, au format jj/mm/aaaa.")
    team_name = StringField("Équipe (nom affiché aux communes)", validators=[Length(max=200)],
                            description="Par exemple « Bus numérique ASEPT Berry ». Figure sur les affiches, "
                                        "les classeurs et les pages des communes.")
    team_phone = StringField("Téléphone de l'équipe", validators=[Length(max=40)])
    team_email = StringField("Courriel de l'équipe", validators=[Length(max=200)])
    team_signup = StringField("Comment les seniors s'inscrivent", validators=[Length(max=300)],
                              description="Vide : « auprès de la mairie ».")


class TerritoryForm(FlaskForm):
    territory = SelectField("Territoire prédéfini ou intercommunalité")


class UploadForm(FlaskForm):
    file = FileField("Fichier CSV ou XLSX", validators=[FileRequired("Choisissez un fichier.")])


class MarketForm(FlaskForm):
    insee_com = SelectField("Commune")
    weekday = SelectField("Jour", choices=options((d, d) for d in ("lundi", "mardi", "mercredi", "jeudi", "vendredi",
                                                                "samedi", "dimanche")))
    time_of_day = StringField("Horaire (facultatif)", validators=[Length(max=100)],
                              description="Par exemple « matin » ou « 8h-12h ».")
    place = StringField("Lieu (facultatif)", validators=[Length(max=200)])


class PinForm(FlaskForm):
    date = StringField("Date (jj/mm/aaaa)", validators=[DataRequired("Saisissez une date.")])
    insee = SelectField("Commune")
    vehicle = SelectField("Véhicule", choices=[])


class ForbidForm(FlaskForm):
    insee = SelectField("Commune")
    date = StringField("Date (jj/mm/aaaa)", description="Vide : toute la saison.")


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
    form = GeneralForm(data={"name": spec.get("name") or scenario.name, "start": fr_date(spec.get("start")),
                             "end": fr_date(spec.get("end")), "school_zone": spec.get("school_zone", ""),
                             "closed": "\n".join(fr_date(d) for d in spec.get("closed", ())),
                             **{f"team_{key}": (spec.get("team_contact") or {}).get(key, "") for key in TEAM_FIELDS}})
    if form.validate_on_submit():
        start = _date_field(form.start) if form.start.data.strip() else None
        end = _date_field(form.end) if form.end.data.strip() else None
        closed = []
        for part in form.closed.data.replace(",", "\n").split():
            day = parse_fr_date(part)
            if day is None:
                form.closed.errors.append(f"« {part} » n'est pas une date jj/mm/aaaa.")
            else:
                closed.append(day.isoformat())
        if start and end and end < start:
            form.end.errors.append("La saison finit avant de commencer.")
        team = _team_contact(form)
        if not any(f.errors for f in form):
            spec.update(name=form.name.data.strip(), start=start.isoformat() if start else "",
                        end=end.isoformat() if end else "", school_zone=form.school_zone.data,
                        closed=sorted(set(closed)), team_contact=team)
            _save(scenario, spec)
            flash("Saison enregistrée.", "success")
            return redirect(url_for("scenarios.general", scenario_id=scenario.id))
    closed = [(day, closed_label(reason)) for day, reason in planning.closed_days(spec)]
    return render_template("scenarios/general.html", scenario=scenario, form=form, closed=closed,
                           bounds=planning.season_bounds(spec))


def _team_contact(form: GeneralForm) -> dict[str, str]:
    """The team's contact as typed, checked by the planner's own rules (e-mail and phone shapes),
    each problem shown under its field."""
    values = {key: (getattr(form, f"team_{key}").data or "").strip() for key in TEAM_FIELDS}
    problems: list[Problem] = []
    cells = CellReader("saison", problems)
    contacts.email(cells, 0, "email", values["email"])
    contacts.phone(cells, 0, "phone", values["phone"])
    for problem in problems:
        getattr(form, f"team_{problem.column}").errors.append(problem.message)
    return {key: value for key, value in values.items() if value}


def _date_field(field) -> dt.date | None:
    day = parse_fr_date(field.data)
    if day is None:
        field.errors.append(f"« {field.data} » n'est pas une date jj/mm/aaaa.")
    return day


def _territory_label(spec: dict) -> str:
    if spec.get("territory_rows"):
        return f"Liste importée ({len(spec['territory_rows'])} communes)"
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
        rows, problems = _import(upload, "territory")
        if not problems:
            spec["territory_rows"] = rows
            _save(scenario, spec)
            flash(f"{len(rows)} communes importées : elles forment le territoire.", "success")
            return redirect(url_for("scenarios.territory", scenario_id=scenario.id))
    return render_template("scenarios/territory.html", scenario=scenario, form=form, upload=upload, problems=problems,
                           communes=planning.territory_communes(spec), label=_territory_label(spec))


def _import(upload: UploadForm, kind: str) -> tuple[list[dict], list[dict]]:
    """Rows of the uploaded file, or the problems of every row (nothing is kept then)."""
    storage = upload.file.data
    try:
        return planning.import_rows(kind, storage.filename, storage.read()), []
    except planning.DataError as exc:
        return [], planning.problem_rows(exc)


def _commune_choices(spec: dict) -> list[tuple[str, str]]:
    return [(code, f"{name} ({code})") for code, name in planning.territory_communes(spec)]


def _commune_options(spec: dict) -> list[SelectChoice]:
    return options(_commune_choices(spec))


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
        rows, errors = _vehicle_rows(request.form, {c for c, _ in planning.territory_communes(spec)})
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
                           communes=_commune_choices(spec), defaults=defaults, weekday_codes=WEEKDAY_CODES,
                           mode=spec.get("mode", "bus"))


def _vehicle_rows(values, communes: set[str]) -> tuple[list[dict], dict[str, str]]:
    rows, errors, names = [], {}, set()
    for i in range(MAX_VEHICLES):
        name = values.get(f"v{i}-name", "").strip()
        if not name:
            continue
        kind = values.get(f"v{i}-kind", "bus")
        if kind not in ("bus", "mediator"):
            errors[f"v{i}-kind"] = "Type inconnu."
        if name in names:
            errors[f"v{i}-name"] = f"Deux véhicules s'appellent « {name} »."
        names.add(name)
        base = values.get(f"v{i}-base", "")
        if base and base not in communes:
            errors[f"v{i}-base"] = "Choisissez une commune du territoire."
        days = [code for code in WEEKDAY_CODES if values.get(f"v{i}-day-{code}")]
        if not days:
            errors[f"v{i}-days"] = "Cochez au moins un jour."
        minutes = _number(values.get(f"v{i}-minutes", ""), f"v{i}-minutes", errors, 30, 720)
        nights = _number(values.get(f"v{i}-nights", ""), f"v{i}-nights", errors, 0, 6, integer=True)
        if kind == "mediator" and nights:
            errors[f"v{i}-nights"] = "Le médiateur rentre chaque soir : 0 nuit."
        rows.append({"name": name[:60], "kind": kind, "base": base, "weekdays": ",".join(days),
                     "max_drive_minutes": minutes, "overnight_nights": None if nights is None else int(nights)})
    return rows, errors


def _number(text: str, key: str, errors: dict, low: float, high: float, *, integer: bool = False) -> float | None:
    text = text.strip().replace(",", ".")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        errors[key] = f"« {text} » n'est pas un nombre."
        return None
    if not low <= value <= high or (integer and not value.is_integer()):
        errors[key] = f"Entre {low:g} et {high:g}{' (entier)' if integer else ''}."
        return None
    return value


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
        changes, errors = _param_changes(request.form, defaults)
        for problem in planning.check_params(changes):
            errors.setdefault(problem.column, problem.message)
        if not errors:
            spec["params"] = changes
            _save(scenario, spec)
            flash("Pondérations enregistrées.", "success")
            return redirect(url_for("scenarios.weights_page", scenario_id=scenario.id))
        current = {s: {k: (request.form.getlist(f"{s}.{k}") if _kind(v) == "list" else request.form.get(f"{s}.{k}"))
                       for k, v in defaults[s].items()} for s in defaults}
    sections = []
    for section, values in defaults.items():
        if section == "vehicle":
            continue  # edited per vehicle
        items = []
        for key, default in values.items():
            label, meaning, unit = weights.label(section, key)
            value = (current.get(section) or {}).get(key, default)
            items.append({"name": f"{section}.{key}", "label": label, "meaning": meaning, "unit": unit, "default": default,
                          "value": value, "kind": _kind(default), "read_only": (section, key) in weights.READ_ONLY,
                          "error": errors.get(f"{section}.{key}")})
        sections.append((weights.SECTIONS.get(section, section), items))
    return render_template("scenarios/weights.html", scenario=scenario, form=form, sections=sections,
                           service_kinds=SERVICE_KIND_LABELS, errors=errors)


SERVICE_KIND_LABELS = {"france_services": "France Services", "epn": "Espace public numérique (EPN)",
                       "conseiller_numerique": "Conseiller numérique", "mediatheque": "Médiathèque",
                       "msap": "Maison de services au public (MSAP)"}


def _kind(default) -> str:
    if isinstance(default, bool):
        return "bool"
    if isinstance(default, (int, float)):
        return "number"
    if isinstance(default, (list, tuple)):
        return "list"
    return "text"


def _param_changes(values, defaults: dict) -> tuple[dict, dict[str, str]]:
    """Only values that differ from the planner's defaults are stored, so new defaults still apply."""
    changes: dict[str, dict] = {}
    errors: dict[str, str] = {}
    for section, items in defaults.items():
        if section == "vehicle":
            continue
        for key, default in items.items():
            name = f"{section}.{key}"
            if (section, key) in weights.READ_ONLY:
                continue
            kind = _kind(default)
            if kind == "bool":
                value = bool(values.get(name))
            elif kind == "list":
                value = values.getlist(name)
                if list(value) == list(default):
                    continue
            elif kind == "number":
                text = (values.get(name) or "").strip().replace(",", ".").replace("\u202f", "").replace(" ", "")
                try:
                    value = int(text) if isinstance(default, int) else float(text)
                except ValueError:
                    errors[name] = f"« {values.get(name, '')} » n'est pas un nombre{' entier' if isinstance(default, int) else ''}."
                    continue
                if value != value or value in (float("inf"), float("-inf")):
                    errors[name] = "Nombre fini attendu."
                    continue
            else:
                value = (values.get(name) or "").strip()
            if value != default:
                changes.setdefault(section, {})[key] = value
    return changes, errors


@bp.route("/scenarios/<int:scenario_id>/marches", methods=["GET", "POST"])
@login_required
def markets(scenario_id: int):
    scenario = _scenario(scenario_id)
    spec = _spec(scenario)
    form = MarketForm(prefix="m")
    form.insee_com.choices = _commune_options(spec)
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
        rows, problems = _import(upload, "markets")
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
        rows, problems = _import(upload, "requests")
        if not problems:
            spec["requests"] = [*spec.get("requests", []), *rows]
            _save(scenario, spec)
            flash(f"{len(rows)} demandes importées.", "success")
            return redirect(url_for("scenarios.requests_page", scenario_id=scenario.id))
    return render_template("scenarios/requests.html", scenario=scenario, upload=upload, problems=problems,
                           rows=spec.get("requests", []), delete=PostForm(), names=dict(planning.territory_communes(spec)))


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
    communes = _commune_options(spec)
    pin, forbid = PinForm(prefix="p"), ForbidForm(prefix="f")
    pin.insee.choices = forbid.insee.choices = communes
    pin.vehicle.choices = options([("", "N'importe lequel")] + [(v["name"], v["name"]) for v in spec.get("vehicles", [])])
    if request.method == "POST" and "p-date" in request.form and pin.validate_on_submit():
        day = _date_field(pin.date)
        if day:
            spec["pins"] = [*spec.get("pins", []), {"date": day.isoformat(), "insee": pin.insee.data,
                                                    **({"vehicle": pin.vehicle.data} if pin.vehicle.data else {})}]
            _save(scenario, spec)
            flash("Arrêt imposé ajouté.", "success")
            return redirect(url_for("scenarios.rules", scenario_id=scenario.id))
    if request.method == "POST" and "f-insee" in request.form and forbid.validate_on_submit():
        day = _date_field(forbid.date) if forbid.date.data.strip() else None
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
    job = start_job(scenario)
    return redirect(url_for("jobs.show", job_id=job.id))


def start_job(scenario: Scenario, previous: PlanRecord | None = None) -> SolveJob:
    job = SolveJob(owner_id=scenario.owner_id, scenario_id=scenario.id, spec=copy.deepcopy(scenario.spec),
                   previous_plan_id=previous.id if previous else None, phase="queued")
    db.session.add(job)
    db.session.commit()
    enqueue_solve(current_app, job.id)
    return job


def deletion_blocker(scenario: Scenario) -> str:
    """Why the scenario cannot be deleted (French), or "" when it can: a published season stays,
    since communes read its calendar; a solve in progress would write into a deleted scenario."""
    if db.session.scalar(db.select(db.func.count(Publication.id)).filter_by(scenario_id=scenario.id)):
        return ("Cette saison est publiée : les communes et les intercommunalités lisent son calendrier. "
                "Une saison publiée ne se supprime pas ; publiez un autre plan si elle change.")
    if db.session.scalar(db.select(db.func.count(SolveJob.id)).filter(SolveJob.scenario_id == scenario.id,
                                                                       SolveJob.status.in_(("queued", "running")))):
        return "Un calcul de ce scénario est en cours : arrêtez-le ou attendez sa fin avant de supprimer le scénario."
    return ""


@bp.route("/scenarios/<int:scenario_id>/supprimer", methods=["GET", "POST"])
@login_required
def delete(scenario_id: int):
    """A confirmation page (no script needed), then the scenario, its plans and its solves are deleted."""
    scenario = _scenario(scenario_id)
    form = PostForm()
    blocker = deletion_blocker(scenario)
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        if blocker:
            flash(blocker, "error")
            return redirect(url_for("scenarios.show", scenario_id=scenario.id))
        name = scenario.name
        _delete_scenario(scenario)
        flash(f"Scénario « {name} » supprimé, avec ses plans et ses calculs.", "success")
        return redirect(url_for("scenarios.index"))
    counts = {"plans": len(scenario.plans), "jobs": len(scenario.jobs)}
    return render_template("scenarios/delete.html", scenario=scenario, form=form, blocker=blocker, counts=counts)


def _delete_scenario(scenario: Scenario) -> None:
    plan_ids = sa.select(PlanRecord.id).filter_by(scenario_id=scenario.id).scalar_subquery()
    job_ids = sa.select(SolveJob.id).filter_by(scenario_id=scenario.id).scalar_subquery()
    # plans and jobs point at each other (re-plans): cut those links first, then delete bottom-up
    db.session.execute(sa.update(SolveJob).where(SolveJob.previous_plan_id.in_(plan_ids)).values(previous_plan_id=None))
    db.session.execute(sa.update(PlanRecord).where(PlanRecord.previous_plan_id.in_(plan_ids)).values(previous_plan_id=None))
    db.session.execute(sa.update(PlanRecord).where(PlanRecord.job_id.in_(job_ids)).values(job_id=None))
    db.session.execute(sa.delete(JobEvent).where(JobEvent.job_id.in_(job_ids)))
    db.session.execute(sa.delete(SolveJob).where(SolveJob.scenario_id == scenario.id))
    db.session.execute(sa.delete(PlanRecord).where(PlanRecord.scenario_id == scenario.id))
    db.session.execute(sa.delete(Scenario).where(Scenario.id == scenario.id))
    db.session.commit()
