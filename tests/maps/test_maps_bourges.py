"""The season map of the 103-commune Bourges basin with its real need and one stop a week, as
SVG and as PNG (cairosvg)."""

from __future__ import annotations

import datetime as dt
import struct
import xml.etree.ElementTree as ET

import pytest

from planner.core.need import build_need_model
from planner.domain.params import Params
from planner.domain.stop import Stop
from planner.domain.vehicle import Vehicle
from planner.inputs.dataset import load_territory
from planner.maps import season_map_svg
from planner.maps.png import season_map_png

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def bourges():
    territory = load_territory("bourges")
    model = build_need_model(territory, Params())
    need = {code: float(value) for code, value in zip(model.codes, model.need)}
    centre = territory.commune("18033")
    bus = Vehicle(name="bus", kind="bus", base_label="Bourges", base_lat=centre.lat, base_lon=centre.lon, base_insee="18033")
    # the ten communes of highest need, one a week from Tuesday 8 September 2026
    top = sorted(need, key=lambda code: (-need[code], code))[:10]
    stops = tuple(Stop(dt.date(2026, 9, 8) + dt.timedelta(weeks=i), "bus", code) for i, code in enumerate(top))
    return territory, need, bus, stops


def test_bourges_season_map_renders_every_commune(bourges):
    territory, need, bus, stops = bourges
    svg = season_map_svg(territory, need=need, stops=stops, vehicles=[bus], title="Bassin de vie de Bourges")
    root = ET.fromstring(svg)
    shapes = [e for e in root.iter() if e.get("class") == "commune"]
    assert len(shapes) == len({e.get("data-insee") for e in shapes}) == 103
    assert all(e.tag == f"{SVG}path" for e in shapes)  # every commune of the basin has its outline
    labels = [g.findall(f"{SVG}text")[-1].text for g in root.iter(f"{SVG}g") if g.get("class") == "numero"]
    assert sorted(labels, key=int) == [str(i) for i in range(1, 11)]
    assert len(list(root.iter(f"{SVG}polyline"))) == 10
    places = [e for e in root.iter() if e.tag in (f"{SVG}rect", f"{SVG}polygon", f"{SVG}circle")
              and e.find(f"{SVG}title") is not None and e.get("class") not in ("commune", "base")]
    assert len(places) >= 30  # France Services, EPN, conseillers numériques... around Bourges
    assert len(svg) < 400_000


def test_bourges_season_map_png(bourges):
    territory, need, bus, stops = bourges
    png = season_map_png(territory, need=need, stops=stops, vehicles=[bus], width=900, scale=1.0)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    svg = ET.fromstring(season_map_svg(territory, need=need, stops=stops, vehicles=[bus], width=900))
    assert (width, height) == (900, round(float(svg.get("height"))))


def test_bourges_map_names_every_kind_of_a_place(bourges):
    territory, need, bus, stops = bourges
    root = ET.fromstring(season_map_svg(territory, need=need, stops=stops, vehicles=[bus]))
    titles = {e.find(f"{SVG}title").text for e in root.iter() if e.find(f"{SVG}title") is not None}
    # The médiathèque of Saint-Doulchard is an EPN too (Hub-lo flag c_epn): both kinds in its title.
    assert "MEDIATHEQUE SAINT-DOULCHARD (EPN, Médiathèque)" in titles
    legend = " ".join(t.text or "" for t in root.iter(f"{SVG}text"))
    assert "Promeneur du Net (jeunesse)" in legend and "Club informatique" in legend
