# ruff: noqa: F811 - the web fixtures (app, client, database) are imported from tests/web/conftest.py
"""Hostile lengths and shapes on the public request form for Menetou-Salon (issue 21, high: slow
regular expressions; medium: the form accepting e-mails the loader refuses).

A value beyond a field's bound is refused by the bound itself, before any pattern reads it: the
page shows the bound's message and never the pattern's (WTForms would otherwise run the next
checks). A value beyond any field of any form (20 000 characters) is refused before the view.
The e-mail and telephone checks are the loader's own (planner.inputs.contacts), so that what the
form accepts the scenario loads. A request posted to a real waitress server while another is being
refused is served.
"""

from __future__ import annotations

import html
import http.client
import threading
import urllib.parse

import pytest
from waitress import create_server
from wtforms.validators import ValidationError

from planner import ScenarioSpec, build_scenario
from planner.inputs.contacts import email_problem
from tests.web.conftest import app, client, csrf_token, database, four_communes_spec  # noqa: F401 - fixtures
from tests.web.public_helpers import post_request as post
from tests.web.public_helpers import stored, valid_request
from web.extensions import db
from web.inbox import request_row
from web.requests_form import resolve_commune

EMAIL_40K = "a@" + "." * 40000 + "@"  # 5.5 s of backtracking for the old pattern
PARENS_150K = "(" * 150000  # 8 s for the old commune pattern (quadratic)


# (field, value, message shown, message that must not be shown: the check the bound spares)
BOUNDS = [
    ("contact_email", EMAIL_40K, "dépasse 20 000 caractères", "Adresse e-mail invalide"),
    ("contact_email", "a@" + "." * 253, "254 caractères au plus", "Adresse e-mail invalide"),
    ("contact_email", "a@" + "." * 250, "Adresse e-mail invalide", "caractères au plus"),
    ("commune", PARENS_150K, "dépasse 20 000 caractères", "Commune inconnue"),
    ("commune", "(" * 81, "80 caractères au plus", "Commune inconnue"),
    ("commune", "(" * 79 + ")", "Commune inconnue", "caractères au plus"),
    ("contact_phone", "0" * 31, "30 caractères au plus", "Numéro de téléphone invalide"),
    ("postcode", "1" * 6, "5 caractères au plus", "Code postal invalide"),
    ("note", "(" * 2001, "2 000 caractères au plus", "Merci"),
    ("contact_name", "a" * 20001, "dépasse 20 000 caractères", "120 caractères au plus"),
    ("website", "x" * 201, "200 caractères au plus", "Demande envoyée"),
]


@pytest.mark.parametrize(("field", "value", "shown", "spared"), BOUNDS, ids=[f"{f}-{len(v)}" for f, v, _, _ in BOUNDS])
def test_menetou_overlong_field_is_refused_by_its_bound_before_any_pattern(app, client, field, value, shown, spared):
    response = post(client, **{field: value})
    page = html.unescape(response.get_data(as_text=True)).replace("\u202f", " ").replace("\u00a0", " ")
    assert response.status_code == 400
    assert shown in page and spared not in page
    assert stored(app) == []


def test_commune_resolution_reads_only_the_bounded_text():
    """resolve_commune cuts the text to 80 characters before reading it; the code in « Nom (18145) » is found
    without a pattern."""
    with pytest.raises(ValidationError, match="Commune inconnue"):
        resolve_commune(PARENS_150K)
    assert resolve_commune("Menetou-Salon (18145)") == "18145" and resolve_commune(" 18145 ") == "18145"
    assert resolve_commune("menetou salon") == "18145"


@pytest.mark.parametrize("address", ["jean.o'neil@mairie-menetou.fr", "secretariat.mairie@menetou-salon.fr",
                                     "élus@mairie-menetou.fr"])
def test_menetou_email_the_form_accepts_loads_into_a_scenario(app, client, address):
    assert post(client, contact_email=address).status_code == 302
    [record] = stored(app)
    with app.app_context():
        record = db.session.merge(record)
        row = request_row(record)
    scenario = build_scenario(ScenarioSpec.from_dict(four_communes_spec(requests=[row])))
    assert scenario.requests[0].contact_email == address


@pytest.mark.parametrize("address", ["a@b.c", "x@y..fr", "o'neil@mairie'.fr", "a b@c.fr", "<a>@b.fr", "a@b@c.fr",
                                     "@menetou.fr", "mairie@menetou"])
def test_menetou_email_the_loader_refuses_the_form_refuses(app, client, address):
    assert email_problem(address) is not None
    response = post(client, contact_email=address)
    assert response.status_code == 400 and "Adresse e-mail invalide" in html.unescape(response.get_data(as_text=True))
    assert stored(app) == []


def test_a_login_page_is_served_while_a_hostile_form_is_refused_on_waitress(app):
    """Two clients on a real waitress server (4 threads): the hostile post and a login page both get their answer."""
    server = create_server(app, host="127.0.0.1", port=0, threads=4)
    port = server.effective_port
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            server.asyncore.loop(timeout=0.05, map=server._map, count=1)

    serving = threading.Thread(target=serve, daemon=True)
    serving.start()
    try:
        hostile = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        hostile.request("GET", "/demande")
        form = hostile.getresponse()
        cookie = form.getheader("Set-Cookie").split(";", 1)[0]
        token = form.read().decode().split('name="csrf_token" type="hidden" value="', 1)[1].split('"', 1)[0]
        data = valid_request(contact_email="a@" + "." * 19990 + "@", commune="(" * 19990)
        data["csrf_token"] = token
        body = urllib.parse.urlencode(data, doseq=True)
        answers = {}

        def attack():
            hostile.request("POST", "/demande", body=body, headers={
                "Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"})
            answers["attack"] = hostile.getresponse().status

        thread = threading.Thread(target=attack)
        thread.start()
        other = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        other.request("GET", "/connexion")
        answers["login"] = other.getresponse().status
        thread.join(60)
        assert answers == {"attack": 400, "login": 200}
    finally:
        stop.set()
        serving.join(10)
        server.close()
