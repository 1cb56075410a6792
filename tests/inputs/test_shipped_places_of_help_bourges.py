"""The shipped places of help of the Bourges basin keep every Hub-lo label (issue 19, item 4).

Before the build read ``c_epn``, the médiathèque of Saint-Doulchard (« EPN, Médiathèque ») and the
Espace Jeunes of Saint-Germain-du-Puy were a médiathèque and nothing, so with the default
``need.service_kinds`` (France Services, EPN, conseiller numérique) both communes were 5.0 and 6.5
road km from help and held the two highest needs of the basin (410.7 and 378.4).
"""

from __future__ import annotations

from collections import Counter

from planner.core.need import build_need_model
from planner.domain.params import Params
from planner.inputs.dataset import load_territory, shipped_service_points


def test_epn_flagged_only_by_c_epn_are_epn_in_the_shipped_data():
    points = {p.point_id: p for p in shipped_service_points()}
    assert points["hublo-262"].kinds == {"epn", "mediatheque"}  # MEDIATHEQUE SAINT-DOULCHARD
    assert points["hublo-156"].kinds == {"epn", "promeneur_du_net"}  # ESPACE JEUNES SAINT GERMAIN DU PUY


def test_basin_counts_every_kind_as_the_build_report_says():
    territory = load_territory("bourges")
    inside = [p for p in territory.service_points if p.insee in territory]
    kinds = Counter(k for p in inside for k in p.kinds)
    # data/build_report.md (and data/SOURCES.md): 8 EPN before, 15 now; the new kinds all present.
    assert kinds["epn"] == 15 and kinds["france_services"] == 8 and kinds["conseiller_numerique"] == 14
    assert (kinds["promeneur_du_net"], kinds["club_informatique"], kinds["mairie_numerique"]) == (10, 3, 3)
    assert len(inside) == 49


def test_saint_doulchard_and_saint_germain_have_help_at_home_so_no_need():
    territory = load_territory("bourges")
    model = build_need_model(territory, Params())
    for code, place in (("18205", "MEDIATHEQUE SAINT-DOULCHARD"), ("18213", "ESPACE JEUNES SAINT GERMAIN DU PUY")):
        i = territory.index[code]
        assert model.nearest_name[i] == place
        assert model.nearest_km[i] == 0.0 and model.access_gap[i] == 0.0 and model.need[i] == 0.0


def test_kinds_outside_the_default_do_not_remove_a_gap():
    # Bourges basin: a commune whose only place is a Promeneur du Net / club / coworking keeps its
    # gap by default; counting those kinds is the planner's choice (need.service_kinds).
    territory = load_territory("bourges")
    default = Params()
    only_other = {p.insee for p in territory.service_points if p.insee in territory} - {
        p.insee for p in territory.service_points if p.is_any(default.need.service_kinds)}
    assert only_other, "the basin has communes whose only places are of kinds not counted by default"
    model = build_need_model(territory, default)
    assert all(model.nearest_km[territory.index[code]] > 0 for code in only_other)
