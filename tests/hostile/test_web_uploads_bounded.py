# ruff: noqa: F811 - the web fixtures are imported from tests/web/conftest.py
"""Uploads on the four-commune scenario (issue 21, medium and low): a workbook declaring or holding
16,384 columns, a table of more than 200,000 rows, an empty first file part before a PDF named
.csv and a 300-character file name are refused in French with nothing stored; an import stores
exactly the table its loader validated (a title line above the header, a cover sheet before the
table), and a file with no row under its header is refused instead of storing nothing silently.
"""

from __future__ import annotations

import html
import io
import re
import zipfile

import pytest
from openpyxl import Workbook

from tests.hostile.test_web_planner_forms import four_communes, snapshot  # noqa: F401 - fixture
from tests.web.conftest import app, client, database, logged, users  # noqa: F401 - fixtures
from web.extensions import db
from web.models import Scenario, StopRequest

PDF = b"%PDF-1.4\n%\xe2\xe3\n1 0 obj\n"
LONG_NAME = "m" * 300 + ".csv"


def workbook(rows: list[list], cells: dict[str, str] | None = None, cover: bool = False) -> bytes:
    book = Workbook()
    sheet = book.active
    if cover:
        sheet.title = "Couverture"
        sheet.append(["Marchés et demandes du bassin de Bourges, saison 2027"])
        sheet.append(["Préparé par la coordination"])
        sheet = book.create_sheet("Tableau")
    for row in rows:
        sheet.append(row)
    for ref, value in (cells or {}).items():
        sheet[ref] = value
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def lying_dimension(data: bytes, ref: str = "A1:B3") -> bytes:
    """The same workbook whose sheets declare a small <dimension>: only reading the rows finds the width."""
    source, target = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                content = re.sub(rb'<dimension ref="[^"]*" ?/>', f'<dimension ref="{ref}"/>'.encode(), content)
            out.writestr(item, content)
    return target.getvalue()


# A market in A:B on each of 300 rows and a value in column XFD on each, under a <dimension> of A1:B3.
XFD_EACH_ROW = lying_dimension(workbook([["insee_com", "weekday", "place"],
                                         *([c, d, f"Place {n}"] for n, (c, d) in enumerate(
                                             (c, d) for c in ("18033", "18145", "18223", "18160")
                                             for d in ("lundi", "mardi", "mercredi", "jeudi", "vendredi")))],
                                        {f"XFD{r}": "x" * 100 for r in range(1, 301)}))

# (id, url, file parts [(name, bytes)...], status, French message)
REFUSED = [
    ("market-xlsx-declares-a1-xfd200000", "/scenarios/{s}/marches",
     [("marches.xlsx", workbook([["insee_com", "weekday"], ["18033", "mardi"]], {"XFD200000": "x"}))], 200,
     "déclare 200 000 lignes et 16 384 colonnes"),
    ("territory-xlsx-declares-a1-b1048576", "/scenarios/{s}/territoire",
     [("communes.xlsx", workbook([["insee_com"], ["18033"]], {"B1048576": "x"}))], 200, "déclare 1 048 576 lignes"),
    ("market-csv-200021-rows", "/scenarios/{s}/marches",
     [("marches.csv", b"insee_com;weekday\n" + b"18033;mardi\n" * 200_021)], 200, "plus de 200 000 lignes"),
    ("territory-empty-first-part-then-pdf", "/scenarios/{s}/territoire", [("", b""), ("communes.csv", PDF)], 415,
     "« communes.csv » porte l'extension .csv mais contient un PDF"),
    ("market-empty-first-part-then-zip", "/scenarios/{s}/marches", [("", b""), ("marches.csv", b"PK\x03\x04zip")], 415,
     "contient une archive ZIP"),
    ("market-300-char-name-bad-row", "/scenarios/{s}/marches",
     [(LONG_NAME, b"insee_com;weekday\n99999;mardi\n")], 200, "99999"),
    ("market-300-char-name-pdf", "/scenarios/{s}/marches", [(LONG_NAME, PDF)], 415, "contient un PDF"),
    ("market-header-only", "/scenarios/{s}/marches", [("marches.csv", b"insee_com;weekday\n")], 200,
     "aucune ligne sous l'en-tête"),
    ("requests-xlsx-cover-and-header-only", "/scenarios/{s}/demandes",
     [("demandes.xlsx", workbook([["insee_com", "start", "end"]], cover=True))], 200, "aucune ligne sous l'en-tête"),
    ("inbox-300-char-name-bad-row", "/demandes/import", [("d" * 300 + ".csv", b"insee_com;start;end\n99999;x;y\n")], 422,
     "99999"),
]


def post_files(logged, url: str, parts: list[tuple[str, bytes]], field: str = "u-file"):
    field = "file" if url.startswith("/demandes") else field
    data = {"csrf_token": logged.token, field: [(io.BytesIO(content), name) for name, content in parts]}
    return logged.post(url, data=data, content_type="multipart/form-data")


def inbox_count(app) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(StopRequest))


@pytest.mark.parametrize(("case", "url", "parts", "status", "message"), REFUSED, ids=[c[0] for c in REFUSED])
def test_four_communes_hostile_upload_is_refused_in_french_and_stores_nothing(app, logged, four_communes, case, url,
                                                                             parts, status, message):
    before = snapshot(app, four_communes["s"]), inbox_count(app)
    response = post_files(logged, url.format(**four_communes), parts)
    page = html.unescape(response.get_data(as_text=True)).replace("\u202f", " ").replace("\u00a0", " ")
    assert response.status_code == status, page[:2000]
    assert message in page and "Traceback" not in page
    assert "m" * 120 not in page  # a long file name is shortened wherever it is shown
    assert (snapshot(app, four_communes["s"]), inbox_count(app)) == before


def spec_of(app, scenario_id: int) -> dict:
    with app.app_context():
        return db.session.get(Scenario, scenario_id).spec


def test_markets_csv_with_a_title_line_stores_the_rows_under_its_header(app, logged, four_communes):
    text = "Marchés du bassin de Bourges 2027;\ninsee_com;weekday;place\n18145;jeudi;Place de l'Église\n"
    assert post_files(logged, f"/scenarios/{four_communes['s']}/marches", [("marches.csv", text.encode())]).status_code == 302
    assert spec_of(app, four_communes["s"])["markets"][-1] == {"insee_com": "18145", "weekday": "jeudi",
                                                               "place": "Place de l'Église"}


def test_territory_csv_with_a_title_line_stores_its_communes(app, logged, four_communes):
    text = "Communes de la tournée (source : INSEE)\n\ninsee_com;commune\n18033;Bourges\n18145;Menetou-Salon\n"
    assert post_files(logged, f"/scenarios/{four_communes['s']}/territoire", [("communes.csv", text.encode())]).status_code == 302
    assert spec_of(app, four_communes["s"])["territory_rows"] == [{"insee_com": "18033", "commune": "Bourges"},
                                                                  {"insee_com": "18145", "commune": "Menetou-Salon"}]


def test_requests_xlsx_with_a_cover_sheet_stores_the_row_of_its_table(app, logged, four_communes):
    book = workbook([["insee_com", "start", "end", "days"], ["18145", "2027-01-05", "2027-01-15", 1]], cover=True)
    assert post_files(logged, f"/scenarios/{four_communes['s']}/demandes", [("demandes.xlsx", book)]).status_code == 302
    assert spec_of(app, four_communes["s"])["requests"] == [{"insee_com": "18145", "start": "2027-01-05",
                                                             "end": "2027-01-15", "days": "1"}]


def test_a_workbook_lying_about_its_size_is_read_whole_in_rows_and_never_beyond_column_200(app, logged, four_communes):
    """Its 20 markets (4 communes x 5 weekdays) are stored, though it declares 3 rows; column XFD is not read."""
    response = post_files(logged, f"/scenarios/{four_communes['s']}/marches", [("marches.xlsx", XFD_EACH_ROW)])
    assert response.status_code == 302
    stored = spec_of(app, four_communes["s"])["markets"][1:]
    assert len(stored) == 20 and stored[0] == {"insee_com": "18033", "weekday": "lundi", "place": "Place 0"}


def test_a_valid_market_file_with_a_300_character_name_is_stored(app, logged, four_communes):
    response = post_files(logged, f"/scenarios/{four_communes['s']}/marches",
                          [(LONG_NAME, b"insee_com;weekday\n18160;vendredi\n")])
    assert response.status_code == 302
    assert spec_of(app, four_communes["s"])["markets"][-1] == {"insee_com": "18160", "weekday": "vendredi"}


def test_inbox_import_with_a_cover_sheet_keeps_every_column_the_loader_read(app, logged):
    header = ["insee_com", "start", "end", "contact", "contact_role", "contact_email", "contact_phone", "address",
              "postcode"]
    row = ["18145", "2027-02-01", "2027-02-26", "Jean O'Neil", "secrétaire de mairie", "jean.o'neil@menetou.example",
           "02 48 64 80 00", "1 place de l'Église", "18510"]
    response = post_files(logged, "/demandes/import", [("demandes.xlsx", workbook([header, row], cover=True))])
    assert response.status_code == 302
    with app.app_context():
        [record] = db.session.scalars(db.select(StopRequest)).all()
        assert (record.contact_name, record.contact_role, record.contact_email, record.contact_phone, record.address,
                record.postcode) == tuple(row[3:])


@pytest.mark.parametrize(("url", "field", "content", "status", "message"), [
    ("/scenarios/{s}/evaluer", "e-file", b"date;vehicle;insee_com\n", 422, "aucun arrêt"),
    ("/scenarios/{s}/evaluer", "e-file", PDF, 415, "contient un PDF"),
    ("/scenarios/{s}/demandes", "u-file", b"insee_com;start;end\n18145;2027-01-05;2027-01-15\n", 302, ""),
], ids=["evaluate-no-stop", "evaluate-pdf", "requests-valid"])
def test_four_communes_upload_with_a_300_character_name_answers_without_a_500(app, logged, four_communes, url, field,
                                                                              content, status, message):
    response = post_files(logged, url.format(**four_communes), [(LONG_NAME, content)], field=field)
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == status and message in page and "m" * 120 not in page
