"""The scenario editor on the four-commune scenario: each section saves into the ScenarioSpec,
bad values are refused field by field, and an upload is kept whole or not at all."""

from __future__ import annotations

import io

from openpyxl import Workbook

from tests.web.conftest import add_scenario
from web import planning
from web.extensions import db
from web.models import Scenario
from web.planning import params_defaults


def spec_of(app, scenario_id: int) -> dict:
    with app.app_context():
        return db.session.get(Scenario, scenario_id).spec


def test_create_a_scenario_with_the_planner_defaults(logged, app):
    response = logged.post("/scenarios/nouveau", data={"name": "Saison test", "territory": "bourges", "csrf_token": logged.token})
    assert response.status_code == 302
    scenario_id = int(response.headers["Location"].rsplit("/", 1)[1])
    spec = spec_of(app, scenario_id)
    assert spec["name"] == "Saison test" and spec["territory"] == "bourges" and spec["vehicles"] == []
    page = logged.get(f"/scenarios/{scenario_id}").get_data(as_text=True)
    assert "Lancer le calcul" in page and "Bassin de vie de Bourges" in page
    assert "Saison test" in logged.get("/scenarios").get_data(as_text=True)


def test_season_dates_are_typed_dd_mm_yyyy_and_holidays_are_shown(logged, app, users):
    scenario_id = add_scenario(app, users["alice"])
    bad = logged.post(f"/scenarios/{scenario_id}/general", data={
        "csrf_token": logged.token, "name": "Saison", "start": "31/02/2027", "end": "15/01/2027", "school_zone": "B",
        "closed": "24/12/2026, 99/99/2027"})
    page = bad.get_data(as_text=True)
    assert bad.status_code == 200
    assert "« 31/02/2027 » n&#39;est pas une date jj/mm/aaaa" in page and "« 99/99/2027 »" in page
    assert spec_of(app, scenario_id)["start"] == "2027-01-05"  # nothing saved
    good = logged.post(f"/scenarios/{scenario_id}/general", data={
        "csrf_token": logged.token, "name": "Saison d'hiver", "start": "04/01/2027", "end": "30/04/2027",
        "school_zone": "B", "closed": "14/01/2027"})
    assert good.status_code == 302
    spec = spec_of(app, scenario_id)
    assert (spec["start"], spec["end"], spec["school_zone"], spec["closed"]) == ("2027-01-04", "2027-04-30", "B", ["2027-01-14"])
    page = logged.get(f"/scenarios/{scenario_id}/general").get_data(as_text=True)
    assert "04/01/2027" in page and "Férié : Lundi de Pâques" in page
    assert "Vacances d&#39;hiver (zone B)" in page and "fermeture (date saisie)" in page


def test_team_contact_is_typed_on_the_season_page_and_reaches_the_public_notice(logged, app, users):
    scenario_id = add_scenario(app, users["alice"])
    season = {"csrf_token": logged.token, "name": "Saison", "start": "05/01/2027", "end": "15/01/2027", "school_zone": ""}
    bad = logged.post(f"/scenarios/{scenario_id}/general", data={**season, "team_name": "Bus ASEPT",
                                                                   "team_email": "asept-at-example", "team_phone": "abc"})
    page = bad.get_data(as_text=True)
    assert bad.status_code == 200 and "adresse e-mail invalide" in page and "numéro de téléphone invalide" in page
    assert "team_contact" not in spec_of(app, scenario_id)  # nothing saved
    good = logged.post(f"/scenarios/{scenario_id}/general", data={
        **season, "team_name": "Bus numérique ASEPT Berry", "team_phone": "02 48 00 00 00",
        "team_email": "bus@asept.example", "team_signup": ""})
    assert good.status_code == 302
    assert spec_of(app, scenario_id)["team_contact"] == {
        "name": "Bus numérique ASEPT Berry", "phone": "02 48 00 00 00", "email": "bus@asept.example"}
    page = logged.get(f"/scenarios/{scenario_id}/general").get_data(as_text=True)
    assert 'value="bus@asept.example"' in page


def test_vehicles_are_checked_field_by_field(logged, app, users):
    scenario_id = add_scenario(app, users["alice"])
    bad = logged.post(f"/scenarios/{scenario_id}/vehicules", data={
        "csrf_token": logged.token, "v0-name": "bus", "v0-kind": "bus", "v0-base": "75056", "v0-minutes": "-10",
        "v0-nights": "2", "v1-name": "médiateur", "v1-kind": "mediator", "v1-base": "18145", "v1-day-mon": "1",
        "v1-nights": "1", "v1-minutes": "90"})
    page = bad.get_data(as_text=True)
    for message in ("Choisissez une commune du territoire.", "Cochez au moins un jour.", "Entre 30 et 720.",
                    "Le médiateur rentre chaque soir : 0 nuit."):
        assert message in page
    assert spec_of(app, scenario_id)["vehicles"] == []
    good = logged.post(f"/scenarios/{scenario_id}/vehicules", data={
        "csrf_token": logged.token, "mode": "mediator", "v0-name": "bus", "v0-kind": "bus", "v0-base": "18033", "v0-day-tue": "1",
        "v0-day-thu": "1", "v0-minutes": "150", "v0-nights": "1"})
    assert good.status_code == 302
    assert spec_of(app, scenario_id)["vehicles"] == [{"name": "bus", "kind": "bus", "base": "18033", "weekdays": "tue,thu",
                                                      "max_drive_minutes": 150.0, "overnight_nights": 1}]
    assert spec_of(app, scenario_id)["mode"] == "mediator"


def test_every_planner_parameter_has_a_french_meaning():
    for section, values in params_defaults().items():
        for key in values:
            assert planning.parameter(f"{section}.{key}").meaning, f"{section}.{key} has no French explanation"


def test_weights_show_their_defaults_and_keep_only_changes(logged, app, users):
    scenario_id = add_scenario(app, users["alice"])
    page = logged.get(f"/scenarios/{scenario_id}/ponderations").get_data(as_text=True)
    assert "Écart minimal entre deux passages" in page and "Défaut : 21" in page
    form = {"csrf_token": logged.token}
    for section, values in params_defaults().items():
        for key, value in values.items():
            if isinstance(value, bool):
                if value:
                    form[f"{section}.{key}"] = "1"
            elif isinstance(value, (list, tuple)):
                form[f"{section}.{key}"] = list(value)
            else:
                form[f"{section}.{key}"] = str(value)
    form["rules.min_gap_days"] = "14"
    form["objective.km_cost"] = "0,8"
    assert logged.post(f"/scenarios/{scenario_id}/ponderations", data=form).status_code == 302
    assert spec_of(app, scenario_id)["params"] == {"rules": {"min_gap_days": 14}, "objective": {"km_cost": 0.8}}
    form["need.take_up"] = "3"
    form["rules.max_visits"] = "beaucoup"
    page = logged.post(f"/scenarios/{scenario_id}/ponderations", data=form).get_data(as_text=True)
    assert "doit être plus de 0 et au plus 1" in page and "« beaucoup » n&#39;est pas un nombre entier" in page
    assert spec_of(app, scenario_id)["params"] == {"rules": {"min_gap_days": 14}, "objective": {"km_cost": 0.8}}


def test_a_market_is_added_and_a_bad_market_file_is_refused_whole(logged, app, users):
    scenario_id = add_scenario(app, users["alice"])
    assert logged.post(f"/scenarios/{scenario_id}/marches", data={
        "csrf_token": logged.token, "m-insee_com": "18145", "m-weekday": "mercredi", "m-time_of_day": "matin",
        "m-place": ""}).status_code == 302
    assert spec_of(app, scenario_id)["markets"] == [{"insee_com": "18145", "weekday": "mercredi", "time_of_day": "matin"}]
    bad = io.BytesIO(b"insee_com;weekday\n18033;mardi\n18223;jourdi\n99999;lundi\n")
    response = logged.post(f"/scenarios/{scenario_id}/marches", data={"csrf_token": logged.token, "u-file": (bad, "marches.csv")},
                           content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert "2 problèmes" in page and "marches.csv" in page
    assert "<td>3</td><td>weekday</td><td>« jourdi »</td>" in page
    assert "<td>4</td><td>insee_com</td>" in page
    assert len(spec_of(app, scenario_id)["markets"]) == 1  # nothing half-imported
    book = Workbook()
    book.active.append(["insee_com", "weekday"])
    book.active.append(["18160", "vendredi"])
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    ok = logged.post(f"/scenarios/{scenario_id}/marches", data={"csrf_token": logged.token, "u-file": (data, "marches.xlsx")},
                     content_type="multipart/form-data")
    assert ok.status_code == 302
    assert spec_of(app, scenario_id)["markets"][1] == {"insee_com": "18160", "weekday": "vendredi"}


def test_an_upload_of_another_type_is_refused(logged, app, users):
    scenario_id = add_scenario(app, users["alice"])
    response = logged.post(f"/scenarios/{scenario_id}/demandes", data={
        "csrf_token": logged.token, "u-file": (io.BytesIO(b"%PDF-1.4"), "demandes.pdf")}, content_type="multipart/form-data")
    assert "format non pris en charge" in response.get_data(as_text=True)
    assert spec_of(app, scenario_id)["requests"] == []


def test_requests_are_imported_and_removed(logged, app, users):
    scenario_id = add_scenario(app, users["alice"])
    data = io.BytesIO(b"request_id;insee_com;start;end;priority\nD1;18160;2027-01-05;2027-01-15;must\n")
    response = logged.post(f"/scenarios/{scenario_id}/demandes", data={"csrf_token": logged.token, "u-file": (data, "d.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    assert spec_of(app, scenario_id)["requests"] == [{"request_id": "D1", "insee_com": "18160", "start": "2027-01-05",
                                                      "end": "2027-01-15", "priority": "must"}]
    assert "Nérondes" in logged.get(f"/scenarios/{scenario_id}/demandes").get_data(as_text=True)
    assert logged.post(f"/scenarios/{scenario_id}/demandes/0/supprimer", data={"csrf_token": logged.token}).status_code == 302
    assert spec_of(app, scenario_id)["requests"] == []


def test_pins_and_forbids_are_added_with_french_dates(logged, app, users):
    scenario_id = add_scenario(app, users["alice"])
    assert logged.post(f"/scenarios/{scenario_id}/regles", data={
        "csrf_token": logged.token, "p-date": "07/01/2027", "p-insee": "18223", "p-vehicle": ""}).status_code == 302
    assert logged.post(f"/scenarios/{scenario_id}/regles", data={
        "csrf_token": logged.token, "f-insee": "18160", "f-date": ""}).status_code == 302
    bad = logged.post(f"/scenarios/{scenario_id}/regles", data={
        "csrf_token": logged.token, "p-date": "2027-13-01", "p-insee": "18223", "p-vehicle": ""})
    assert "n&#39;est pas une date" in bad.get_data(as_text=True)
    spec = spec_of(app, scenario_id)
    assert spec["pins"] == [{"date": "2027-01-07", "insee": "18223"}]
    assert spec["forbids"] == [{"insee": "18160", "date": ""}]
    page = logged.get(f"/scenarios/{scenario_id}/regles").get_data(as_text=True)
    assert "jeudi 7 janvier 2027" in page and "toute la saison" in page


def test_a_scenario_the_planner_refuses_shows_its_problems_and_is_not_queued(logged, app, users):
    scenario_id = add_scenario(app, users["alice"])
    with app.app_context():
        scenario = db.session.get(Scenario, scenario_id)
        scenario.spec = {**scenario.spec, "pins": [{"date": "2027-01-07", "insee": "75056"}]}
        db.session.commit()
    page = logged.get(f"/scenarios/{scenario_id}").get_data(as_text=True)
    assert "ne peut pas être calculé" in page and "75056" in page
    response = logged.post(f"/scenarios/{scenario_id}/calcul", data={"csrf_token": logged.token})
    assert response.headers["Location"] == f"/scenarios/{scenario_id}"


def test_territory_is_a_preset_an_intercommunality_or_an_uploaded_list(logged, app, users):
    scenario_id = add_scenario(app, users["alice"])
    page = logged.get(f"/scenarios/{scenario_id}/territoire").get_data(as_text=True)
    assert '<optgroup label="Intercommunalités (EPCI)">' in page and "CC Terres du Haut Berry" in page
    assert logged.post(f"/scenarios/{scenario_id}/territoire", data={
        "csrf_token": logged.token, "t-territory": "epci:200066330"}).status_code == 302
    spec = spec_of(app, scenario_id)
    assert spec["territory"] == "epci:200066330" and spec["territory_rows"] == []
    assert "Territoire actuel : <strong>CC Terres du Haut Berry</strong> (30 communes)" in \
        logged.get(f"/scenarios/{scenario_id}/territoire").get_data(as_text=True)
    bad = io.BytesIO(b"insee_com\n18033\nabc\n")
    page = logged.post(f"/scenarios/{scenario_id}/territoire", data={"csrf_token": logged.token, "u-file": (bad, "c.csv")},
                       content_type="multipart/form-data").get_data(as_text=True)
    assert "1 problème" in page and "« abc »" in page
    good = io.BytesIO(b"insee_com\n18033\n18145\n")
    assert logged.post(f"/scenarios/{scenario_id}/territoire", data={"csrf_token": logged.token, "u-file": (good, "c.csv")},
                       content_type="multipart/form-data").status_code == 302
    assert spec_of(app, scenario_id)["territory_rows"] == [{"insee_com": "18033"}, {"insee_com": "18145"}]
