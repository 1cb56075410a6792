"""No public page, file or feed carries a requester's contact or note (issue 21, high).

A published season for Menetou-Salon (18145) serves one request whose every private field has a
distinctive value; every public URL (the season's CSV and workbook, the commune page, its calendar
feed, map, host workbook and printed notice, the seasons list and the search) is fetched without
login and searched for each value, in the raw bytes and, for workbooks, in every XML part. The
planner's own downloads keep them: the planner needs to call the requester.
"""

from __future__ import annotations

import csv
import io
import zipfile

import pytest

from planner.domain.disclosure import PRIVATE_REQUEST_FIELDS, PUBLIC_REQUEST_FIELDS
from planner.exports.stops_csv import COLUMNS
from tests.web.conftest import four_communes_spec
from tests.web.public_helpers import publish

MENETOU = "18145"
# One distinctive value per private field of a request (planner.domain.disclosure).
PRIVATE = {"requester": "Syndicat Quintal-Secret", "contact": "Zoé Quintalprivé", "contact_role": "gardienne-confidentielle",
           "contact_email": "zoe.quintal@prive.example", "contact_phone": "02 48 99 12 34",
           "note": "code portail 4521"}
REQUEST = {"request_id": "R1", "insee_com": MENETOU, "start": "2027-01-04", "end": "2027-01-15", "priority": "should",
           "host_site": "Salle des fêtes Publique", "address": "2 place de l'Église", "postcode": "18510",
           **PRIVATE}


@pytest.fixture
def season(app, users):
    spec = four_communes_spec(name="Hiver 2027", requests=[REQUEST])
    _scenario, plan_id = publish(app, users["alice"], spec, [("2027-01-05", MENETOU), ("2027-01-06", "18033")],
                                 request_ids=("R1",))
    return plan_id


def public_urls() -> list[str]:
    return ["/saisons", "/saisons/1/saison.csv", "/saisons/1/saison.xlsx", f"/communes/{MENETOU}",
            f"/communes/{MENETOU}.ics", f"/communes/{MENETOU}/carte.svg", f"/communes/{MENETOU}/saison-1.xlsx",
            f"/communes/{MENETOU}/avis/1/2027-01-05", "/communes?q=menetou"]


def readable(body: bytes) -> str:
    """The text of a response: a workbook's XML parts joined, else the body decoded."""
    if body.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return "\n".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist()
                             if n.endswith((".xml", ".rels")))
    return body.decode("utf-8", "replace")


def test_private_and_public_fields_split_every_request_field():
    from dataclasses import fields

    from planner.domain.request import Request
    assert set(PRIVATE_REQUEST_FIELDS) | set(PUBLIC_REQUEST_FIELDS) == {f.name for f in fields(Request)}
    assert set(PRIVATE) == set(PRIVATE_REQUEST_FIELDS)  # the test covers every private field


@pytest.mark.parametrize("url", public_urls())
def test_menetou_public_url_carries_no_private_field_of_its_request(client, season, url):
    response = client.get(url, follow_redirects=True)
    assert response.status_code == 200, url
    text = readable(response.data)
    for field, value in PRIVATE.items():
        assert value not in text and value.replace("'", "&apos;") not in text, (url, field)


def test_menetou_public_csv_has_only_public_columns_and_still_the_host_site(client, season):
    rows = list(csv.reader(io.StringIO(client.get("/saisons/1/saison.csv").get_data(as_text=True).lstrip("\ufeff")),
                           delimiter=";"))
    header = rows[0]
    private_columns = {french for _e, french, source in COLUMNS if source in PRIVATE_REQUEST_FIELDS}
    assert private_columns == {"demandeur", "contact", "contact_fonction", "contact_email", "contact_telephone",
                               "note_demande"}
    assert not private_columns & set(header)
    menetou = next(r for r in rows[1:] if r[header.index("code_insee")] == MENETOU)
    assert menetou[header.index("lieu_accueil")] == "Salle des fêtes Publique"  # what a host needs stays


def test_menetou_planner_download_keeps_the_contact_the_planner_needs(logged, season):
    text = readable(logged.get(f"/plans/{season}/saison.csv").data)
    assert PRIVATE["contact_email"] in text and PRIVATE["note"] in text
    workbook = readable(logged.get(f"/plans/{season}/saison.xlsx").data)
    assert PRIVATE["contact_phone"] in workbook
