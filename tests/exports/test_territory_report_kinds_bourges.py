"""``run.py territory`` lists the places of the Bourges basin by kind, saying which count as help."""

from __future__ import annotations

from planner.core.need import build_need_model
from planner.domain.params import NeedParams, Params
from planner.exports.territory_report import format_report, territory_report
from planner.inputs.dataset import load_territory


def report_of(params: Params) -> dict:
    territory = load_territory("bourges")
    return territory_report(territory, params, build_need_model(territory, params))


def test_bourges_report_lists_every_kind_and_each_place_with_its_kinds():
    report = report_of(Params())
    by_kind = {k["kind"]: k for k in report["service_points_by_kind"]}
    # Counts of data/build_report.md; counted = in the default need.service_kinds.
    assert (by_kind["epn"]["places"], by_kind["epn"]["counted"]) == (15, True)
    assert (by_kind["promeneur_du_net"]["places"], by_kind["promeneur_du_net"]["counted"]) == (10, False)
    assert by_kind["club_informatique"]["label"] == "Club informatique"
    places = {p["point_id"]: p for p in report["places"]}
    assert len(places) == 49
    assert places["hublo-262"]["kinds"] == ["epn", "mediatheque"] and places["hublo-262"]["counted"]
    text = format_report(report)
    assert "EPN 15 (compté)" in text and "Promeneur du Net (jeunesse) 10 (non compté)" in text
    # Markets (data/markets.csv): 15 basin communes with a weekly day (data/build_report.md); 11 of
    # the basin's 26 rows come from the hand-collected pages (Bourges 7, Baugy, Marmagne,
    # Farges-en-Septaine, Allogny), the other 15 from the listing, « à confirmer ».
    assert report["communes_with_market_day"] == 15
    assert (report["markets_known"], report["markets_unconfirmed"]) == (26, 15)
    assert f"dont {report['markets_unconfirmed']} à confirmer" in text


def test_counting_computer_clubs_is_the_planners_choice():
    params = Params(need=NeedParams(service_kinds=("france_services", "epn", "conseiller_numerique", "club_informatique")))
    by_kind = {k["kind"]: k for k in report_of(params)["service_points_by_kind"]}
    assert by_kind["club_informatique"]["counted"] and not by_kind["mairie_numerique"]["counted"]
