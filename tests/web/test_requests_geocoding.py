"""Geocoding Menetou-Salon's host site against a BAN look-alike on loopback (never the internet):
found, cached, refused when the answer is in another commune, and the commune centre when offline."""

from __future__ import annotations

import pytest

from tests.web.conftest import csrf_token
from tests.web.public_helpers import BanAnswers, ban_feature, start_ban_server, valid_request
from web import create_app
from web.extensions import db
from web.geocoding import NOTE_NOT_FOUND, NOTE_OFFLINE
from web.models import GeocodeCache, StopRequest


@pytest.fixture
def ban():
    answers = BanAnswers()
    server = start_ban_server(answers)
    answers.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield answers
    server.shutdown()
    server.server_close()


@pytest.fixture
def ban_app(tmp_path, ban):
    app = create_app({"INSTANCE_PATH": str(tmp_path / "instance"), "TESTING": True, "INSECURE_COOKIES": True,
                      "TOURNEE_BAN_URL": ban.url})
    yield app
    with app.app_context():
        db.engine.dispose()


def send(app, **changes) -> StopRequest:
    client = app.test_client()
    data = valid_request(**changes)
    data["csrf_token"] = csrf_token(client, "/demande")
    assert client.post("/demande", data=data).status_code == 302
    with app.app_context():
        return db.session.scalars(db.select(StopRequest).order_by(StopRequest.id.desc())).first()


def test_menetou_address_found_by_the_ban_is_where_the_bus_parks_and_is_asked_once(ban_app, ban):
    ban.features["1 place de l'église"] = [ban_feature(2.4879, 47.2301, "18145", "1 Place de l'Église 18510 Menetou-Salon")]
    first = send(ban_app)
    assert (first.lat, first.lon, first.location_note) == (47.2301, 2.4879, "")
    assert ban.queries == ["1 place de l'Église 18510 Menetou-Salon"]
    second = send(ban_app, address="1  Place de l'EGLISE")  # same address, other spelling: from the cache
    assert (second.lat, second.lon) == (47.2301, 2.4879)
    assert len(ban.queries) == 1
    with ban_app.app_context():
        assert db.session.scalar(db.select(db.func.count(GeocodeCache.id))) == 1


def test_menetou_address_answered_in_another_commune_falls_back_to_the_centre(ban_app, ban):
    # the BAN's best match is a homonym street elsewhere (citycode 86007): not where the bus goes
    ban.features["rue du stade"] = [ban_feature(0.4, 46.6, "86007", "Rue du Stade 86200 Arçay")]
    record = send(ban_app, address="Rue du Stade")
    assert record.lat is None and record.location_note == NOTE_NOT_FOUND


def test_menetou_address_with_a_low_score_is_not_trusted(ban_app, ban):
    ban.features["chemin"] = [ban_feature(2.48, 47.23, "18145", "Menetou-Salon", score=0.2)]
    assert send(ban_app, address="Chemin creux").location_note == NOTE_NOT_FOUND


def test_ban_server_failure_gives_the_commune_centre_and_is_not_cached(ban_app, ban):
    ban.fail = True
    record = send(ban_app)
    assert record.lat is None and record.location_note == NOTE_OFFLINE
    with ban_app.app_context():
        assert db.session.scalar(db.select(db.func.count(GeocodeCache.id))) == 0
    ban.fail = False
    ban.features["place de l'église"] = [ban_feature(2.4879, 47.2301, "18145", "1 Place de l'Église 18510 Menetou-Salon")]
    assert send(ban_app).lat == 47.2301  # asked again once the server answers
    # the first request, edited unchanged by its requester, is located now too
    client = ban_app.test_client()
    edit = f"/demande/suivi/{record.token}/modifier"
    assert client.post(edit, data={**valid_request(), "csrf_token": csrf_token(client, edit)}).status_code == 302
    with ban_app.app_context():
        again = db.session.get(StopRequest, record.id)
        assert (again.lat, again.location_note) == (47.2301, "")


def test_unreachable_geocoder_gives_the_commune_centre(tmp_path):
    app = create_app({"INSTANCE_PATH": str(tmp_path / "i"), "TESTING": True, "INSECURE_COOKIES": True,
                      "TOURNEE_BAN_URL": "http://127.0.0.1:9"})  # discard port: connection refused
    record = send(app)
    assert record.lat is None and record.location_note == NOTE_OFFLINE
    with app.app_context():
        db.engine.dispose()
