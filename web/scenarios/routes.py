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
from web.forms import PostForm, options, refused_upload
from web.models import PlanRecord, Publication, Scenario
from web.queue import start_solve
from web.scenarios.forms import (
    MAX_VEHICLES,
    ForbidForm,
    GeneralForm,
    HostForm,
    MarketForm,
    MarketReviewForm,
    NewScenarioForm,
    PastSeasonForm,
    PinForm,
    TerritoryForm,
    UnconfirmedMarketsForm,
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


def _show(scenario: Scenario, problems: list | None = None, evaluate_form: UploadForm | None = None,
          history_problems: list | None = None, history_form: PastSeasonForm | None = None):
    spec = scenario.spec
    spec_problems = planning.spec_problems(spec)
    publications = db.session.scalars(db.select(Publication).filter_by(scenario_id=scenario.id)
                                      .order_by(Publication.revision.desc())).all()
    history = spec.get("history") or []
    return render_template("scenarios/show.html", scenario=scenario, spec=spec, problems=spec_problems,
                           upload_problems=problems or [], evaluate_form=evaluate_form or UploadForm(prefix="e"),
                           publications=publications, form=PostForm(), territory_label=_territory_label(spec),
                           communes=dict(planning.territory_communes(spec)),
                           history_problems=history_problems or [], history_form=history_form or PastSeasonForm(prefix="h"),
                           past_season=planning.past_season(spec) if history and not spec_problems else None,
                           history_held=sum(1 for row in history if row.get("statut") == "tenu"))


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
            flash(f"{planning.plural(len(rows), 'marché importé')}.", "success")
            return redirect(url_for("scenarios.markets", scenario_id=scenario.id))
    return _markets_page(scenario, spec, form=form, upload=upload, problems=problems)


def _markets_page(scenario: Scenario, spec: dict, *, form=None, upload=None, problems=(), review=None, status=200):
    if form is None:
        form = MarketForm(prefix="m")
        form.insee_com.choices = list(planning.territory_communes(spec))
    counted = ((spec.get("params") or {}).get("rules") or {}).get("unconfirmed_markets",
                                                                 planning.params_defaults()["rules"]["unconfirmed_markets"])
    markets = planning.scenario_markets(spec)
    return render_template("scenarios/markets.html", scenario=scenario, form=form, upload=upload or UploadForm(prefix="u"),
                           problems=problems, rows=spec.get("markets", []), markets=markets, delete=PostForm(),
                           names=dict(planning.territory_communes(spec)), review=review or MarketReviewForm(),
                           unconfirmed=UnconfirmedMarketsForm(data={"count": counted}),
                           unconfirmed_parameter=planning.parameter("rules.unconfirmed_markets"),
                           unconfirmed_count=sum(1 for m in markets if not m["confirmed"]), weekdays=WEEKDAYS), status


@bp.post("/scenarios/<int:scenario_id>/marches/revue")
@login_required
def review_market(scenario_id: int):
    """Confirm, correct (weekday, months) or reject one market of the territory: rows of
    ``spec.markets`` that replace the shipped market of that commune and weekday."""
    scenario = _scenario(scenario_id)
    spec = _spec(scenario)
    form = MarketReviewForm()
    if not form.validate_on_submit():
        abort(400)
    day = int(form.weekday.data) if form.weekday.data.isdigit() else None
    same_day = [m for m in planning.scenario_markets(spec) if m["insee"] == form.insee_com.data and m["weekday"] == day]
    if not same_day:
        abort(404)
    market = same_day[0]
    name = f"{market['commune']}, {market['weekday_name'] or 'jour inconnu'}"
    base = {"insee_com": market["insee"], "time_of_day": market["time_of_day"], "place": market["place"],
            "frequency": "hebdomadaire", "source": "vérifié par l'équipe"}
    rejection = {"insee_com": market["insee"], "weekday": market["weekday_name"], "status": planning.REJECTED}
    action = form.action.data
    if action == "confirm" and day is not None:
        # Every market of that commune and weekday (Vierzon has three on Thursdays): a planner's row
        # replaces all of them.
        rows = [{**base, "time_of_day": m["time_of_day"], "place": m["place"], "weekday": m["weekday_name"],
                 "months": "|".join(map(str, m["months"])), "season": m["season"], "status": "confirmed"}
                for m in same_day]
        message = f"Marché confirmé : {name}."
    elif action == "reject" and day is not None:
        rows, message = [rejection], f"Marché rejeté : {name}. Il ne compte plus pour ce scénario."
    elif action == "correct":
        new_day, months = form.day(), form.months()
        if months is None or new_day is None:
            flash(f"Marché {name} non corrigé : " + " ".join(e for f in form for e in f.errors), "error")
            return _markets_page(scenario, spec, review=form, status=422)
        season_months, season = months
        rows = [{**base, "weekday": WEEKDAYS[new_day - 1], "months": "|".join(map(str, season_months)),
                 "season": season, "status": "confirmed"}]
        if day is not None and day != new_day:
            rows.insert(0, rejection)
        message = f"Marché corrigé : {market['commune']}, {WEEKDAYS[new_day - 1]}{' ' + season if season else ''}."
    else:
        abort(400)
    touched = {(market["insee"], planning.parse_weekday(r["weekday"])) for r in rows}
    kept = [r for r in spec.get("markets", [])
            if (str(r.get("insee_com", "")), planning.parse_weekday(str(r.get("weekday", r.get("jour", ""))))) not in touched]
    spec["markets"] = [*kept, *[{k: v for k, v in r.items() if v != ""} for r in rows]]
    _save(scenario, spec)
    flash(message, "success")
    return redirect(url_for("scenarios.markets", scenario_id=scenario.id))


@bp.post("/scenarios/<int:scenario_id>/marches/a-confirmer")
@login_required
def unconfirmed_markets(scenario_id: int):
    """Count the markets « à confirmer » in this scenario or not (``rules.unconfirmed_markets``)."""
    scenario = _scenario(scenario_id)
    form = UnconfirmedMarketsForm()
    if not form.validate_on_submit():
        abort(400)
    spec = _spec(scenario)
    params = spec.setdefault("params", {}) or {}
    rules = dict(params.get("rules") or {})
    if form.count.data == planning.params_defaults()["rules"]["unconfirmed_markets"]:
        rules.pop("unconfirmed_markets", None)
    else:
        rules["unconfirmed_markets"] = form.count.data
    params = {**params, "rules": rules} if rules else {k: v for k, v in params.items() if k != "rules"}
    spec["params"] = params
    _save(scenario, spec)
    flash("Les marchés à confirmer comptent dans ce scénario." if form.count.data
          else "Les marchés à confirmer ne comptent plus dans ce scénario : seuls les marchés confirmés donnent leur bonus.",
          "success")
    return redirect(url_for("scenarios.markets", scenario_id=scenario.id))


@bp.route("/scenarios/<int:scenario_id>/accueil", methods=["GET", "POST"])
@login_required
def hosts(scenario_id: int):
    """Each commune's usual host site and its mairie's hours, as the solve and the exports read them;
    a correction is one row of ``spec.hosts`` per commune."""
    scenario = _scenario(scenario_id)
    spec = _spec(scenario)
    rows = {str(r.get("insee_com", "")): r for r in spec.get("hosts", [])}
    chosen = request.args.get("insee", "")
    form = HostForm(data={"insee_com": chosen, **rows.get(chosen, {})})
    form.insee_com.choices = list(planning.territory_communes(spec))
    if form.validate_on_submit():
        row = form.row()
        if row is not None:
            spec["hosts"] = [r for code, r in rows.items() if code != row["insee_com"]] + [row]
            _save(scenario, spec)
            name = dict(planning.territory_communes(spec)).get(row["insee_com"], row["insee_com"])
            flash(f"Lieu d'accueil et horaires enregistrés pour {name} : ils servent au prochain calcul, "
                  "puis aux exports et aux pages publiées.", "success")
            return redirect(url_for("scenarios.hosts", scenario_id=scenario.id))
    status = 422 if request.method == "POST" else 200
    return render_template("scenarios/hosts.html", scenario=scenario, form=form, corrections=spec.get("hosts", []),
                           communes=planning.host_rows(spec), names=dict(planning.territory_communes(spec)),
                           delete=PostForm(), unknown_words=planning.UNKNOWN_WORDS), status


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
         "accueil": ("hosts", "scenarios.hosts"),
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
        problems = refused_upload(upload.file)
    return _show(scenario, problems=problems, evaluate_form=upload), 422


@bp.post("/scenarios/<int:scenario_id>/saison-passee")
@login_required
def past_season(scenario_id: int):
    """A past season kept outside Tournée becomes the spec's ``history`` (replacing any earlier one):
    the next solve takes its participants out of the pools of the communes they came from."""
    scenario = _scenario(scenario_id)
    form = PastSeasonForm(prefix="h")
    if form.validate_on_submit():
        rows, problems = form.history(scenario.spec)
        if not problems:
            spec = _spec(scenario)
            replaced = bool(spec.get("history"))
            spec["history"] = rows
            _save(scenario, spec)
            held = [row for row in rows if row["statut"] == "tenu"]
            came = sum(int(row["participants"] or 0) for row in held)
            flash(f"Saison passée {'remplacée' if replaced else 'importée'} : {planning.plural(len(held), 'arrêt tenu')}, "
                  f"{planning.plural(came, 'participant')}, qui quittent le vivier des communes d'où ils venaient. "
                  "Le prochain calcul en tient compte.", "success")
            return redirect(url_for("scenarios.show", scenario_id=scenario.id, _anchor="saison-passee"))
    else:
        problems = refused_upload(form.file)
    return _show(scenario, history_problems=problems, history_form=form), 422


@bp.post("/scenarios/<int:scenario_id>/saison-passee/supprimer")
@login_required
def remove_past_season(scenario_id: int):
    """The spec forgets its past season: the pools are the model's again at the next solve."""
    scenario = _scenario(scenario_id)
    if not PostForm().validate_on_submit():
        abort(400)
    spec = _spec(scenario)
    if spec.get("history"):
        spec["history"] = []
        _save(scenario, spec)
        flash("Saison passée retirée : le prochain calcul reprend le vivier de chaque commune sans elle.", "success")
    return redirect(url_for("scenarios.show", scenario_id=scenario.id, _anchor="saison-passee"))


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
