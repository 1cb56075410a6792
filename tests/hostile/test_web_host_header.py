# ruff: noqa: F811 - the web fixtures are imported from tests/web/conftest.py
"""The Host header never reaches a page (issue 21, high: a poisoned public page cache).

On the four-commune season with Menetou-Salon (18145) published: a request naming another host
is refused in French before any view, so no cached page ever holds it; absolute links come from
TOURNEE_BASE_URL when it is set, and the public page cache is keyed on what its links start with.
"""

from __future__ import annotations

import html

import pytest

from tests.web.conftest import app, client, csrf_token, database, four_communes_spec, users  # noqa: F401 - fixtures
from tests.web.public_helpers import publish, valid_request
from web import create_app
from web.extensions import db

MENETOU = "18145"
EVIL = ("evil.example", "evil.example:8000", "localhost.evil.example", "127.0.0.1.evil.example", "localhost@evil.example",
        "evil.example#localhost")


@pytest.fixture
def season(app, users):
    publish(app, users["alice"], four_communes_spec(name="Hiver 2027"), [("2027-01-05", MENETOU)])


def page(response) -> str:
    return html.unescape(response.get_data(as_text=True))


@pytest.mark.parametrize("host", EVIL)
@pytest.mark.parametrize("url", [f"/communes/{MENETOU}", "/connexion", "/demande", "/saisons", f"/communes/{MENETOU}.ics"])
def test_menetou_page_asked_under_another_host_is_refused_and_never_cached(client, season, url, host):
    refused = client.get(url, headers={"Host": host})
    assert refused.status_code == 400 and "Adresse du serveur refusée" in page(refused)
    later = page(client.get(url))
    assert "evil.example" not in later


def test_menetou_calendar_link_is_this_servers_own_after_a_poisoning_attempt(client, season):
    client.get(f"/communes/{MENETOU}", headers={"Host": "evil.example"})
    text = page(client.get(f"/communes/{MENETOU}"))
    assert f"http://localhost/communes/{MENETOU}.ics" in text and "evil.example" not in text
    # two trusted names of this server each get their own links: the cache is keyed on them
    assert f"http://127.0.0.1:8000/communes/{MENETOU}.ics" in page(client.get(f"/communes/{MENETOU}",
                                                                              headers={"Host": "127.0.0.1:8000"}))
    assert f"http://localhost/communes/{MENETOU}.ics" in page(client.get(f"/communes/{MENETOU}"))


@pytest.fixture
def based(tmp_path, users, app):
    """The same instance served under its public name https://tournee.example.org."""
    other = create_app({"INSTANCE_PATH": app.instance_path, "TESTING": True, "INSECURE_COOKIES": True,
                        "BASE_URL": "https://tournee.example.org/"})
    yield other
    with other.app_context():
        db.session.remove()
        db.engine.dispose()


def test_menetou_links_start_with_the_configured_base_url_whatever_trusted_host_asked(based, season):
    client = based.test_client()
    for host in ("tournee.example.org", "127.0.0.1:8000", "localhost"):
        text = page(client.get(f"/communes/{MENETOU}", headers={"Host": host}))
        assert f"https://tournee.example.org/communes/{MENETOU}.ics" in text and "http://" not in text.split("linkbox")[1][:80]
    assert client.get(f"/communes/{MENETOU}", headers={"Host": "evil.example"}).status_code == 400


def test_menetou_requesters_private_link_starts_with_the_base_url(based):
    client = based.test_client()
    data = valid_request()
    data["csrf_token"] = csrf_token(client, "/demande")
    follow = client.post("/demande", data=data, follow_redirects=True)
    assert "https://tournee.example.org/demande/suivi/" in page(follow)


def test_a_host_listed_in_tournee_trusted_hosts_is_served(app, monkeypatch):
    monkeypatch.setenv("TOURNEE_TRUSTED_HOSTS", "tournee.lan, .asept.example")
    listed = create_app({"INSTANCE_PATH": app.instance_path, "TESTING": True})
    client = listed.test_client()
    assert client.get("/connexion", headers={"Host": "tournee.lan:8080"}).status_code == 200
    assert client.get("/connexion", headers={"Host": "bus.asept.example"}).status_code == 200
    assert client.get("/connexion", headers={"Host": "asept.example.evil"}).status_code == 400
    with listed.app_context():
        db.engine.dispose()
