"""A past season of three stops (held twice in one commune, cancelled once): what it leaves."""

import datetime as dt

import pytest

from planner.domain.outcome import CANCELLED, HELD, SeasonHistory, StopOutcome


def test_three_stops_count_the_participants_of_held_stops_per_commune():
    history = SeasonHistory("2026-2027", (
        StopOutcome(dt.date(2026, 10, 6), "bus", "18033", HELD, signups=20, participants=17),
        StopOutcome(dt.date(2027, 3, 9), "bus", "18033", HELD, signups=12, participants=9),
        StopOutcome(dt.date(2026, 11, 3), "bus", "18004", CANCELLED, signups=2, participants=None, reason="panne"),
    ))
    assert history.participants_by_commune() == {"18033": 26}


def test_an_unknown_status_or_a_negative_count_is_refused():
    with pytest.raises(ValueError, match="statut inconnu"):
        StopOutcome(dt.date(2026, 10, 6), "bus", "18033", "done")
    with pytest.raises(ValueError, match="négatif"):
        StopOutcome(dt.date(2026, 10, 6), "bus", "18033", HELD, participants=-1)
