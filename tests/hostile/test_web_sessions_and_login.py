# ruff: noqa: F811 - the web fixtures are imported from tests/web/conftest.py
"""Signing in and out under attack (issue 21, low and item 3), on the accounts alice and bob.

Guessing is throttled per account (10 failures in 15 minutes, from any address) and per address
(30 failures, whatever the accounts); a success never counts. An unknown account costs the same
password hash as a known one. Signing out, and a new password, revoke every copy of the session
and remember-me cookies. A ``next`` holding a line break or of 3,000 characters sends to the
scenarios, never a 500.
"""

from __future__ import annotations

import html

import pytest

import web.auth
from tests.web.conftest import PASSWORD, app, client, csrf_token, database, postgresql_cluster, users  # noqa: F401
from web.auth import change_password
from web.extensions import db
from web.models import User


def pytest_generate_tests(metafunc):
    """Session revocation (a column of the accounts table) also on PostgreSQL."""
    if "database" in metafunc.fixturenames and metafunc.function.__name__ in (
            "test_a_copied_cookie_of_alice_stops_working_when_she_signs_out",
            "test_a_new_password_for_alice_closes_her_open_sessions"):
        metafunc.parametrize("database", ["sqlite", "postgresql"], indirect=True)


def sign_in(client, email: str, password: str, address: str = "192.0.2.1", remember: bool = False, url: str = "/connexion"):
    data = {"email": email, "password": password, "csrf_token": csrf_token(client, "/connexion")}
    if remember:
        data["remember"] = "y"
    return client.post(url, data=data, environ_base={"REMOTE_ADDR": address})


def signed_in(client) -> bool:
    return client.get("/scenarios").status_code == 200


def test_alice_after_ten_wrong_passwords_even_the_right_one_from_elsewhere_waits(app, client, users):
    for _ in range(10):
        assert sign_in(client, "alice@example.org", "mauvais").status_code == 200
    refused = sign_in(app.test_client(), "alice@example.org", PASSWORD, address="198.51.100.7")
    assert refused.status_code == 429 and "Trop d'essais" in html.unescape(refused.get_data(as_text=True))
    assert sign_in(app.test_client(), "bob@example.org", PASSWORD, address="198.51.100.7").status_code == 302


def test_one_address_trying_thirty_accounts_is_stopped_for_every_account(app, client, users):
    for n in range(30):
        assert sign_in(client, f"inconnu{n}@example.org", "mauvais", address="203.0.113.5").status_code == 200
    assert sign_in(app.test_client(), "bob@example.org", PASSWORD, address="203.0.113.5").status_code == 429
    assert sign_in(app.test_client(), "bob@example.org", PASSWORD, address="203.0.113.6").status_code == 302


def test_twelve_successful_sign_ins_of_alice_never_count(app, users):
    for _ in range(12):
        assert sign_in(app.test_client(), "alice@example.org", PASSWORD).status_code == 302


def test_an_unknown_account_costs_one_password_hash_as_a_known_one(app, client, users, monkeypatch):
    """The work done, not the time: the unknown account's answer checks a password hash too."""
    checked = []
    real = web.auth.check_password_hash
    monkeypatch.setattr(web.auth, "check_password_hash", lambda h, p: checked.append(h) or real(h, p))
    assert sign_in(client, "personne@example.org", "mauvais").status_code == 200
    with app.app_context():
        known = db.session.scalar(db.select(User).filter_by(email="alice@example.org")).password_hash
    assert len(checked) == 1 and checked[0].split("$")[0] == known.split("$")[0]  # same method and cost


@pytest.mark.parametrize("cookie", ["session", "remember_token"])
def test_a_copied_cookie_of_alice_stops_working_when_she_signs_out(app, client, users, cookie):
    assert sign_in(client, "alice@example.org", PASSWORD, remember=True).status_code == 302
    copied = client.get_cookie(cookie).value
    thief = app.test_client()
    thief.set_cookie(cookie, copied)
    assert signed_in(thief)
    client.post("/deconnexion", data={"csrf_token": csrf_token(client, "/scenarios")})
    thief = app.test_client()
    thief.set_cookie(cookie, copied)
    assert not signed_in(thief)
    assert sign_in(client, "alice@example.org", PASSWORD).status_code == 302 and signed_in(client)  # she signs in again


def test_a_new_password_for_alice_closes_her_open_sessions(app, client, users):
    assert sign_in(client, "alice@example.org", PASSWORD, remember=True).status_code == 302
    with app.app_context():
        change_password(db.session.get(User, users["alice"]), "un tout autre mot de passe")
    assert not signed_in(client)
    assert sign_in(app.test_client(), "alice@example.org", PASSWORD).status_code == 200
    assert sign_in(app.test_client(), "alice@example.org", "un tout autre mot de passe").status_code == 302


@pytest.mark.parametrize(("target", "landing"), [
    ("/x%0D%0ASet-Cookie:%20pris=1", "/scenarios"), ("/x%0ASet-Cookie:a=b", "/scenarios"), ("/" + "a" * 3000, "/scenarios"),
    ("/%5C%5Cevil.example", "/scenarios"), ("//evil.example", "/scenarios"), ("https://evil.example/", "/scenarios"),
    ("/x%00y", "/scenarios"), ("/scenarios/1?onglet=a", "/scenarios/1?onglet=a"),
])
def test_alices_sign_in_with_a_hostile_next_lands_on_a_path_of_this_site(client, users, target, landing):
    response = sign_in(client, "alice@example.org", PASSWORD, url=f"/connexion?next={target}")
    assert response.status_code == 302
    assert response.headers["Location"] == landing and "pris" not in str(response.headers)
