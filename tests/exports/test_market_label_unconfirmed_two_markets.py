"""A stop on a market day names the market; one from the unchecked listing says « à confirmer »."""

from __future__ import annotations

import datetime as dt

from planner.domain.market import Market
from planner.domain.stop import Stop
from planner.exports.stop_details import market_label
from tests.conftest import commune, territory


def test_listing_market_says_a_confirmer_and_a_confirmed_one_does_not():
    # Two communes, each with a Thursday market (ISO 4): A's confirmed (a page was read), B's from
    # the region's listing (data/markets.csv, status unconfirmed).
    a, b = commune("18001", 47.0, 2.4), commune("18002", 47.1, 2.5)
    markets = (Market("18001", "A", 4, "matin", "place de l'Église", "hebdomadaire", "weekly", "", "high", "page"),
               Market("18002", "B", 4, "8h-13h", "place des marronniers", "hebdomadaire", "weekly", "toute l'année", "",
                      "jours-de-marche.fr, relevé 2023-02", status="unconfirmed"))
    land = territory([a, b], markets=markets)
    thursday = dt.date(2026, 9, 10)
    assert market_label(Stop(thursday, "bus", "18001", market_day=True), land) == "marché le jeudi matin, place de l'Église"
    assert market_label(Stop(thursday, "bus", "18002", market_day=True), land) == \
        "marché le jeudi, place des marronniers (à confirmer)"


def test_a_seasonal_market_runs_only_in_its_months():
    # « d'avril à octobre »: months 4..10; a market without months runs all year.
    seasonal = Market("18002", "B", 7, "8h-13h", "place", "hebdomadaire", "weekly", "d'avril à octobre", "", "listing",
                      months=tuple(range(4, 11)), status="unconfirmed")
    assert seasonal.held_on(dt.date(2026, 9, 13)) and not seasonal.held_on(dt.date(2026, 11, 15))  # Sundays
    assert not seasonal.held_on(dt.date(2026, 9, 12))  # a Saturday
    always = Market("18002", "B", 7, "", "", "", "weekly", "", "", "t")
    assert always.runs_in(1) and always.runs_in(12) and always.confirmed
