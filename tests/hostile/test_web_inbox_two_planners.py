# ruff: noqa: F811 - the web fixtures are imported from tests/web/conftest.py
"""Inbox decisions across two planners on a Menetou-Salon request (issue 21, medium).

Alice accepts the request into her scenario « Saison d'Alice »; Bob, another planner of the same
workspace, still sees the request in the shared inbox but neither her scenario's name nor its plan,
and any decision he posts (decline, accept into his own scenario, change of importance) is refused
with a French 403 that leaves Alice's scenario and the request as they were. Alice keeps her hand.
"""

from __future__ import annotations

import html

import pytest

from tests.web.conftest import (  # noqa: F401 - fixtures
    add_scenario,
    app,
    client,
    csrf_token,
    database,
    four_communes_spec,
    login,
    postgresql_cluster,
    users,
)
from tests.web.public_helpers import valid_request
from web.extensions import db
from web.models import Scenario, StopRequest

ALICE_SCENARIO = "Saison d'Alice"


def pytest_generate_tests(metafunc):
    """Every case on SQLite and on PostgreSQL."""
    if "database" in metafunc.fixturenames:
        metafunc.parametrize("database", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture
def accepted(app, client, users):
    """Request 1 accepted by Alice into her scenario; the client is then Bob's, with his own scenario."""
    data = valid_request()
    data["csrf_token"] = csrf_token(client, "/demande")
    assert client.post("/demande", data=data).status_code == 302
    alice_scenario = add_scenario(app, users["alice"], four_communes_spec(name=ALICE_SCENARIO))
    bob_scenario = add_scenario(app, users["bob"], four_communes_spec(name="Saison de Bob"))
    login(client)
    token = csrf_token(client, "/demandes/1")
    assert client.post("/demandes/1/decision", data={"csrf_token": token, "action": "accept", "priority": "must",
                                                     "scenario": str(alice_scenario), "reason": ""}).status_code == 302
    client.post("/deconnexion", data={"csrf_token": csrf_token(client, "/scenarios")})
    login(client, "bob@example.org")
    client.token = csrf_token(client, "/scenarios")
    return {"alice": alice_scenario, "bob": bob_scenario}


def state(app, scenario_id: int) -> tuple:
    with app.app_context():
        record = db.session.get(StopRequest, 1)
        rows = [r["request_id"] for r in db.session.get(Scenario, scenario_id).spec.get("requests", [])]
        return record.status, record.priority, record.scenario_id, rows


def test_bob_sees_the_request_but_not_alices_scenario_nor_a_decision_form(client, accepted):
    page = html.unescape(client.get("/demandes/1").get_data(as_text=True))
    assert "Menetou-Salon" in page and "acceptée dans le scénario d'un autre compte" in page
    assert ALICE_SCENARIO not in page and "/plans/" not in page and 'value="decline"' not in page


@pytest.mark.parametrize("decision", [
    {"action": "decline", "priority": "must", "scenario": "", "reason": "Plus de place"},
    {"action": "accept", "priority": "should", "scenario": "bob", "reason": ""},
    {"action": "priority", "priority": "should", "scenario": "alice", "reason": ""},
    {"action": "accept", "priority": "must", "scenario": "", "reason": ""},
], ids=["decline", "accept-into-his-scenario", "change-importance", "accept-without-scenario"])
def test_bobs_decision_on_alices_accepted_request_is_refused_and_changes_nothing(app, client, accepted, decision):
    before = state(app, accepted["alice"]), state(app, accepted["bob"])
    data = {**decision, "csrf_token": client.token}
    data["scenario"] = str(accepted.get(decision["scenario"], "")) if decision["scenario"] else ""
    response = client.post("/demandes/1/decision", data=data)
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code in (400, 403), page[:500]
    if response.status_code == 403:
        assert "seul ce compte peut changer la décision" in page and ALICE_SCENARIO not in page
    assert (state(app, accepted["alice"]), state(app, accepted["bob"])) == before
    assert before[0][3] == ["web-1"]  # still in Alice's scenario


def test_alice_still_decides_her_accepted_request(app, client, accepted):
    client.post("/deconnexion", data={"csrf_token": client.token})
    login(client)
    token = csrf_token(client, "/demandes/1")
    assert client.post("/demandes/1/decision", data={"csrf_token": token, "action": "decline", "priority": "must",
                                                     "scenario": "", "reason": "Saison complète"}).status_code == 302
    assert state(app, accepted["alice"]) == ("declined", "must", None, [])
