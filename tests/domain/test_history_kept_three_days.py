"""A season of Mon 30/11 to Fri 11/12/2026 re-planned on Fri 04/12: published stops on Tue 01/12
(Menetou-Salon) and Thu 03/12 (Bourges, since forbidden that day: cancelled) and Tue 08/12
(Nérondes). What the re-plan may change."""

import datetime as dt

from planner.domain.history_kept import history_kept
from planner.domain.spec import ScenarioSpec
from planner.domain.stop import Stop

TODAY = dt.date(2026, 12, 4)
PUBLISHED = (Stop(dt.date(2026, 12, 1), "bus", "18145"), Stop(dt.date(2026, 12, 3), "bus", "18033"),
             Stop(dt.date(2026, 12, 8), "bus", "18160"))


def test_days_up_to_today_keep_their_stop_or_stay_closed():
    spec = ScenarioSpec(start="2026-11-30", end="2026-12-11", closed=("2026-12-10",),
                        forbids=({"insee": "18033", "date": "2026-12-03"},),
                        pins=({"date": "2026-12-02", "insee": "18160", "vehicle": "bus"},))
    kept = history_kept(spec, PUBLISHED, TODAY)
    # 01/12 Menetou-Salon pinned where it was; 02/12 keeps the planner's own pin; 03/12's stop is
    # forbidden (cancelled): not pinned, the day closed; 08/12 is after today: free to change.
    assert kept.pins == ({"date": "2026-12-02", "insee": "18160", "vehicle": "bus"},
                         {"date": "2026-12-01", "insee": "18145", "vehicle": "bus"})
    # 30/11, 03/12 and today 04/12 closed (idle or cancelled), the planner's 10/12 kept closed.
    assert kept.closed == ("2026-11-30", "2026-12-03", "2026-12-04", "2026-12-10")


def test_a_season_starting_tomorrow_is_unchanged():
    spec = ScenarioSpec(start="2026-12-05", end="2026-12-11")
    assert history_kept(spec, PUBLISHED, TODAY) is spec
