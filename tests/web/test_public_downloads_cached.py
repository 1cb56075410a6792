"""A host's workbook of a published season is built once per publication, however many times it is
downloaded (building one takes ~0.3 s of the server's single interpreter: built per download, 50
visitors stalled every public page). Four-commune season, Menetou-Salon (18145) served twice."""

from __future__ import annotations

import io

import openpyxl

from tests.web.conftest import four_communes_spec
from tests.web.public_helpers import publish
from web import planning

MENETOU = "18145"


def test_menetou_host_workbook_is_built_once_for_three_downloads(app, users, client, monkeypatch):
    publish(app, users["alice"], four_communes_spec(), [("2027-01-05", MENETOU), ("2027-01-07", MENETOU)])
    built = []

    def counted(*args, **kwargs):
        built.append(args)
        return real(*args, **kwargs)

    real = planning.host_workbook
    monkeypatch.setattr(planning, "host_workbook", counted)
    bodies = [client.get(f"/communes/{MENETOU}/saison-1.xlsx") for _ in range(3)]
    assert [b.status_code for b in bodies] == [200] * 3
    assert len(built) == 1
    assert bodies[0].data == bodies[2].data and openpyxl.load_workbook(io.BytesIO(bodies[2].data)).sheetnames
    assert client.get("/communes/18160/saison-1.xlsx").status_code == 404  # Nérondes: no stop published
