"""Where the bus parks, for maps: the geocoded site of an accepted request; a request without
coordinates (commune centre) or not accepted gives none."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from planner.domain.request import Request
from tests.conftest import commune, tiny_scenario

WINDOW = ((dt.date(2026, 9, 1), dt.date(2026, 9, 30)),)


def test_only_accepted_located_requests_give_a_host_site():
    communes = [commune("18001", 47.0, 2.0), commune("18002", 47.1, 2.1), commune("18003", 47.2, 2.2)]
    requests = (
        Request("r1", "18001", WINDOW, lat=47.01, lon=2.02),
        Request("r2", "18002", WINDOW),  # no coordinates: the commune's centre
        Request("r3", "18003", WINDOW, status="pending", lat=47.21, lon=2.19),
    )
    scenario = replace(tiny_scenario(communes), requests=requests)
    assert scenario.host_sites() == {"18001": (2.02, 47.01)}
