"""The public request form on a Menetou-Salon request: every field's bad values, CSRF, honeypot,
rate limit, and the private link (edit, withdraw; a wrong or old token sees nothing)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.web.conftest import csrf_token
from tests.web.public_helpers import SOON, TODAY, post_request, stored, valid_request
from web import create_app
from web.extensions import db
from web.models import StopRequest


def test_menetou_request_is_stored_with_a_private_link_and_commune_centre_note(app, client):
    response = post_request(client)
    assert response.status_code == 302
    link = response.headers["Location"]
    assert link.startswith("/demande/suivi/")
    [record] = stored(app)
    assert (record.insee, record.commune, record.status) == ("18145", "Menetou-Salon", "pending")
    assert (record.days, record.audience) == (2, 15)
    assert record.windows == [[SOON.isoformat(), (SOON + dt.timedelta(days=20)).isoformat()]]
    assert record.weekdays == "mar,jeu" and record.parking_power and record.toilets and not record.room
    assert len(record.token) >= 40
    # no geocoder configured in tests: the commune's centre, and the request says so
    assert record.lat is None and "centre de la commune" in record.location_note
    page = client.get(link + "?envoyee=1").get_data(as_text=True)
    assert "Demande envoyée" in page and record.token in page and "centre de la commune" in page


FIELD_CASES = [
    ("commune", "", "Indiquez la commune."),
    ("commune", "Atlantis", "Commune inconnue"),
    ("commune", "99999", "Commune inconnue"),
    ("requester_kind", "mairie", "choix valide"),
    ("contact_name", "", "Indiquez le nom"),
    ("contact_name", "x" * 121, "120 caractères au plus"),
    ("contact_role", "", "Indiquez la fonction"),
    ("contact_email", "", "Indiquez une adresse e-mail"),
    ("contact_email", "mairie@", "Adresse e-mail invalide"),
    ("contact_email", "pas une adresse", "Adresse e-mail invalide"),
    ("contact_phone", "", "Indiquez un numéro"),
    ("contact_phone", "12345", "Numéro de téléphone invalide"),
    ("contact_phone", "02 48 64 80 00 00", "Numéro de téléphone invalide"),
    ("host_site", "", "Indiquez le lieu"),
    ("host_site", "y" * 201, "200 caractères au plus"),
    ("address", "", "Indiquez l'adresse"),
    ("postcode", "", "Indiquez le code postal"),
    ("postcode", "1851", "Code postal invalide"),
    ("postcode", "75001", "pas dans le département"),
    ("period1_start", "", "Indiquez le début"),
    ("period1_start", "31/02/2027", "pas une date valide"),
    ("period1_end", "demain", "pas une date valide"),
    ("period1_end", (SOON - dt.timedelta(days=1)).isoformat(), "précède le début"),
    ("period1_start", (TODAY - dt.timedelta(days=3)).isoformat(), "dans le passé"),
    ("period1_end", (TODAY + dt.timedelta(days=800)).isoformat(), "plus de deux ans"),
    ("period2_start", SOON.isoformat(), "le début et la fin"),
    ("weekdays", ["dim"], "n'est pas un choix valide"),
    ("market_day", "jeudi matin", "choix valide"),
    ("days", "0", "Entre 1 et 20 jours"),
    ("days", "21", "Entre 1 et 20 jours"),
    ("days", "deux", "entier valide"),
    ("days", "", "Indiquez un nombre de jours"),
    ("audience", "0", "Entre 1 et 500 personnes"),
    ("audience", "5000", "Entre 1 et 500 personnes"),
    ("note", "z" * 2001, "2 000 caractères au plus"),
    ("consent", None, "Cochez cette case"),
]


@pytest.mark.parametrize(("field", "value", "message"), FIELD_CASES, ids=[f"{f}={str(v)[:12]}" for f, v, _ in FIELD_CASES])
def test_menetou_request_with_a_bad_field_is_refused_in_french_and_nothing_stored(app, client, field, value, message):
    data = valid_request(**{field: value})
    if value is None:
        data.pop(field, None)
    data["csrf_token"] = csrf_token(client, "/demande")
    response = client.post("/demande", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in page.replace("&#39;", "'").replace("&#34;", '"')
    assert "à corriger" in page
    assert stored(app) == []


def test_epci_requester_needs_a_known_intercommunality(app, client):
    assert "Choisissez l'intercommunalité" in post_request(client, requester_kind="epci").get_data(as_text=True) \
        .replace("&#39;", "'")
    assert "Intercommunalité inconnue" in post_request(client, requester_kind="epci", requester_epci="123").get_data(as_text=True)
    assert post_request(client, requester_kind="epci", requester_epci="200066330").status_code == 302
    [record] = stored(app)
    assert record.requester_kind == "epci" and record.requester_name == "CC Terres du Haut Berry"


def test_a_name_alone_picks_the_commune_and_a_dd_mm_yyyy_date_is_read(app, client):
    response = post_request(client, commune="menetou salon", period1_start=SOON.strftime("%d/%m/%Y"))
    assert response.status_code == 302
    assert stored(app)[0].insee == "18145"


def test_menetou_request_without_csrf_token_is_refused(app, client):
    response = client.post("/demande", data=valid_request())
    assert response.status_code == 400
    assert "jeton de sécurité" in response.get_data(as_text=True)
    assert stored(app) == []


def test_menetou_request_with_the_honeypot_filled_looks_received_but_is_not_stored(app, client):
    response = post_request(client, website="http://spam.example")
    assert response.status_code == 200
    assert "Demande envoyée" in response.get_data(as_text=True)
    assert stored(app) == []


def test_rate_limit_refuses_the_third_post_from_one_address(tmp_path):
    app = create_app({"INSTANCE_PATH": str(tmp_path / "limited"), "TESTING": True, "INSECURE_COOKIES": True,
                      "TOURNEE_REQUEST_RATE_LIMIT": "2 per hour"})
    client = app.test_client()
    assert post_request(client).status_code == 302
    assert post_request(client, contact_phone="1").status_code == 400  # bad posts count too
    third = post_request(client)
    assert third.status_code == 429
    assert "Trop de demandes" in third.get_data(as_text=True)
    assert client.get("/demande").status_code == 200  # reading the form is never limited
    assert len(stored(app)) == 1
    with app.app_context():
        db.engine.dispose()


def test_private_link_shows_edits_and_withdraws_only_while_pending(app, client):
    link = post_request(client).headers["Location"].split("?")[0]
    token = link.rsplit("/", 1)[1]
    page = client.get(link).get_data(as_text=True)
    assert "en attente d'examen" in page.replace("&#39;", "'") and "Modifier la demande" in page
    # edit: a second period and a new audience
    form = client.get(f"{link}/modifier").get_data(as_text=True)
    assert 'value="Claire Martin"' in form
    data = valid_request(audience="30", period2_start=(SOON + dt.timedelta(days=60)).isoformat(),
                         period2_end=(SOON + dt.timedelta(days=70)).isoformat())
    data["csrf_token"] = csrf_token(client, f"{link}/modifier")
    assert client.post(f"{link}/modifier", data=data).status_code == 302
    [record] = stored(app)
    assert record.audience == 30 and len(record.windows) == 2
    # a wrong token, a truncated one, and a malformed one see nothing
    for other in (token[:-1] + ("A" if token[-1] != "A" else "B"), token[:20], "../../etc", "x" * 200):
        assert client.get(f"/demande/suivi/{other}").status_code == 404
        assert client.get(f"/demande/suivi/{other}/modifier").status_code == 404
    # withdraw: the link then says so (never a dead end), and nothing more can be changed through it
    response = client.post(f"{link}/retirer", data={"csrf_token": csrf_token(client, link)})
    assert "Demande retirée" in response.get_data(as_text=True)
    later = client.get(link)
    assert later.status_code == 200 and "a été retirée" in later.get_data(as_text=True)
    assert "Claire Martin" not in later.get_data(as_text=True)
    assert client.post(f"{link}/retirer", data={"csrf_token": csrf_token(client, "/demande")}).status_code == 409
    assert client.get(f"{link}/modifier").status_code == 409
    [record] = stored(app)
    assert record.status == "withdrawn"


def test_decided_request_can_no_longer_be_edited_or_withdrawn(app, client):
    link = post_request(client).headers["Location"].split("?")[0]
    with app.app_context():
        record = db.session.scalars(db.select(StopRequest)).one()
        record.status = "accepted"
        db.session.commit()
    assert client.get(f"{link}/modifier").status_code == 409
    assert client.post(f"{link}/retirer", data={"csrf_token": csrf_token(client, "/demande")}).status_code == 409
    assert stored(app)[0].status == "accepted"
