"""No dead links on the four-commune season: revision 2 moves Menetou-Salon's (18145) first date and
cancels its last; the commune page, the host workbook and the feed keep both as « déplacé au » /
« annulé », the printed notice's links answer a public page saying so (never the planner's 404), and
an old revision's notice for a date that stayed leads to the current one."""

from __future__ import annotations

import html
import io

import icalendar
import openpyxl

from tests.web.conftest import four_communes_spec
from tests.web.public_helpers import publish

MENETOU = "18145"


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def two_revisions(app, users) -> int:
    spec = four_communes_spec(name="Hiver 2027", start="2027-02-01", end="2027-04-30")
    scenario_id, _ = publish(app, users["alice"], spec, [("2027-02-04", MENETOU), ("2027-03-04", MENETOU),
                                                         ("2027-03-11", MENETOU), ("2027-02-05", "18033")])
    publish(app, users["alice"], spec, [("2027-04-08", MENETOU), ("2027-03-04", MENETOU), ("2027-02-05", "18033")],
            scenario_id=scenario_id)
    return scenario_id


def test_menetou_page_keeps_the_moved_and_cancelled_dates(app, client, users):
    two_revisions(app, users)
    page = text(client.get(f"/communes/{MENETOU}"))
    assert "déplacé au 08/04/2027" in page and "04/02/2027" in page
    assert "11/03/2027" in page and "annulé" in page


def test_menetou_old_notice_links_answer_public_pages(app, client, users):
    two_revisions(app, users)
    moved = client.get(f"/communes/{MENETOU}/avis/1/2027-02-04")
    assert moved.status_code == 410
    assert "Le passage du 04/02/2027 est déplacé au 08/04/2027" in text(moved)
    assert "autre compte" not in text(moved) and f'href="/communes/{MENETOU}"' in text(moved)
    cancelled = client.get(f"/communes/{MENETOU}/avis/2/2027-03-11")
    assert cancelled.status_code == 410 and "Le passage du 11/03/2027 est annulé" in text(cancelled)
    kept = client.get(f"/communes/{MENETOU}/avis/1/2027-03-04")
    assert kept.status_code == 302 and kept.headers["Location"].endswith(f"/communes/{MENETOU}/avis/2/2027-03-04")
    never = client.get(f"/communes/{MENETOU}/avis/2/2027-03-05")
    assert never.status_code == 404 and "Aucun passage" in text(never) and "autre compte" not in text(never)


def test_menetou_host_workbook_and_feed_keep_the_withdrawn_dates(app, client, users):
    two_revisions(app, users)
    workbook = openpyxl.load_workbook(io.BytesIO(client.get(f"/communes/{MENETOU}/saison-2.xlsx").data))
    cells = " ".join(str(c.value) for row in workbook["Accueil"].iter_rows() for c in row if c.value)
    assert "04/02/2027 est déplacée au 08/04/2027" in cells and "11/03/2027 est annulée" in cells
    calendar = icalendar.Calendar.from_ical(client.get(f"/communes/{MENETOU}.ics").data)
    cancelled = {e.decoded("DTSTART").date().isoformat() for e in calendar.walk("VEVENT")
                 if str(e.get("STATUS")) == "CANCELLED"}
    assert {"2027-02-04", "2027-03-11"} <= cancelled


def test_menetou_three_revisions_each_date_is_judged_by_the_revision_that_withdrew_it(app, client, users):
    """Revision 2 cancels 08/12 (Menetou keeps 15/12), revision 3 moves 15/12 to 10/12: 08/12 stays
    « annulé », 15/12 is « déplacé au 10/12/2026 » (not both moved to the one new date)."""
    spec = four_communes_spec(name="Hiver 2026", start="2026-12-01", end="2026-12-31")
    scenario_id, _ = publish(app, users["alice"], spec, [("2026-12-08", MENETOU), ("2026-12-15", MENETOU)])
    publish(app, users["alice"], spec, [("2026-12-15", MENETOU)], scenario_id=scenario_id)
    publish(app, users["alice"], spec, [("2026-12-10", MENETOU)], scenario_id=scenario_id)
    page = text(client.get(f"/communes/{MENETOU}"))
    assert page.count("déplacé au 10/12/2026") == 1 and page.count("annulé") >= 1
    assert "Le passage du 08/12/2026 est annulé" in text(client.get(f"/communes/{MENETOU}/avis/1/2026-12-08"))
    assert "est déplacé au 10/12/2026" in text(client.get(f"/communes/{MENETOU}/avis/2/2026-12-15"))


def test_menetou_recorded_outcomes_keep_the_moved_and_cancelled_dates(app, users):
    import datetime as dt

    from web import season

    scenario_id = two_revisions(app, users)
    with app.app_context():
        outcomes = {(o.date.isoformat(), o.insee): o for o in season.recorded_outcomes(scenario_id)}
    moved, cancelled = outcomes[("2027-02-04", MENETOU)], outcomes[("2027-03-11", MENETOU)]
    assert (moved.status, moved.replaced_by) == ("cancelled", dt.date(2027, 4, 8))
    assert (cancelled.status, cancelled.replaced_by) == ("cancelled", None)
    assert outcomes[("2027-04-08", MENETOU)].status == "planned"
    assert len(outcomes) == 5  # three dates of revision 2, two withdrawn
