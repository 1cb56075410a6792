"""Maps of three Cher communes that each absorbed former communes: Baugy (18023, with Laverdines
18123 and Saligny-le-Vif 18239), Osmery (18173, with Lugny-Bourbonnais 18131) and Corquoy
(18073, with 18222), with four hand-made stops, a bus based in Baugy and hand-picked needs."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET

import pytest

from planner.domain.stop import Stop
from planner.domain.territory import Territory
from planner.domain.vehicle import Vehicle
from planner.inputs.dataset import shipped_communes
from planner.maps import commune_map_svg, season_map_svg
from planner.maps.commune_map import HIGHLIGHT
from planner.maps.palette import SEQUENTIAL, ZERO_COLOUR

SVG = "{http://www.w3.org/2000/svg}"
CODES = ("18023", "18073", "18173")
NEED = {"18023": 0.0, "18073": 200.0, "18173": 50.0}


@pytest.fixture(scope="module")
def territory() -> Territory:
    return Territory("trois", tuple(c for c in shipped_communes() if c.insee in CODES), ())


@pytest.fixture(scope="module")
def bus(territory) -> Vehicle:
    baugy = territory.commune("18023")
    return Vehicle(name="bus", kind="bus", base_label="Baugy", base_lat=baugy.lat, base_lon=baugy.lon, base_insee="18023")


STOPS = (  # weeks 41 and 42 of 2026; given out of order on purpose
    Stop(dt.date(2026, 10, 13), "bus", "18073"),
    Stop(dt.date(2026, 10, 6), "bus", "18173"),
    Stop(dt.date(2026, 10, 8), "bus", "18023"),
    Stop(dt.date(2026, 10, 15), "bus", "18173"),
)


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def communes(root: ET.Element) -> dict[str, ET.Element]:
    return {e.get("data-insee"): e for e in root.iter() if e.get("class") == "commune"}


def numbers(root: ET.Element) -> dict[str, str]:
    """Commune name -> the text of its stop label."""
    return {g.get("data-commune"): g.findall(f"{SVG}text")[-1].text for g in root.iter(f"{SVG}g") if g.get("class") == "numero"}


def frame(root: ET.Element) -> tuple[float, float, float, float]:
    clip = root.find(f"{SVG}defs/{SVG}clipPath/{SVG}rect")
    x, y, w, h = (float(clip.get(k)) for k in ("x", "y", "width", "height"))
    return x, y, x + w, y + h


def test_season_map_has_one_shape_per_commune_and_no_former_commune(territory, bus):
    root = parse(season_map_svg(territory, need=NEED, stops=STOPS, vehicles=[bus], title="Essai"))
    shapes = communes(root)
    assert sorted(shapes) == sorted(CODES)
    for code, element in shapes.items():
        assert element.tag == f"{SVG}path"
        assert element.get("d").count("M") == 1, f"{code} should be one piece once its former communes are merged"
    text = ET.tostring(root, encoding="unicode")
    for former in ("18123", "18239", "18131", "18222"):
        assert former not in text


def test_season_map_is_accessible_and_self_contained(territory, bus):
    svg = season_map_svg(territory, need=NEED, stops=STOPS, vehicles=[bus], title="Essai")
    root = parse(svg)
    assert root.get("role") == "img"
    title, desc = root[0], root[1]
    assert (title.tag, desc.tag) == (f"{SVG}title", f"{SVG}desc")
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert title.text == "Essai" and "3 communes" in desc.text and "4 arrêts" in desc.text
    for element in root.iter():
        assert not element.tag.endswith("script") and not element.tag.endswith("foreignObject")
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), f"event attribute {name}"
            assert "href" not in name
            assert not value.startswith("url(") or value.startswith("url(#")
    assert "http" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")
    # every commune has a hover text with its name, need and stops
    tips = {code: e.find(f"{SVG}title").text for code, e in communes(root).items()}
    assert tips["18173"] == "Osmery (18173) – besoin : 50 – 2 arrêts : n° 1 le 06/10/2026, n° 4 le 15/10/2026"
    assert tips["18023"].endswith("besoin : 0 – 1 arrêt : n° 2 le 08/10/2026")
    # a text legend for the need classes and the places of help
    legend = " ".join(t.text or "" for g in root.iter(f"{SVG}g") if g.get("class") == "legende" for t in g.iter(f"{SVG}text"))
    assert "0 : lieu d'aide à portée (1)" in legend and "arrêt n° (ordre dans la saison)" in legend


def test_season_map_colours_by_need_class(territory, bus):
    shapes = communes(parse(season_map_svg(territory, need=NEED, stops=STOPS, vehicles=[bus])))
    assert shapes["18023"].get("fill") == ZERO_COLOUR
    # two positive values make two classes: the lightest and the darkest colour of the palette
    assert shapes["18173"].get("fill") == SEQUENTIAL[0]
    assert shapes["18073"].get("fill") == SEQUENTIAL[-1]
    unknown = communes(parse(season_map_svg(territory, need={"18023": 0.0}, id_prefix="x")))
    assert unknown["18073"].get("fill") == "url(#x-inconnu)"


def test_season_map_numbers_stops_in_season_order(territory, bus):
    root = parse(season_map_svg(territory, need=NEED, stops=STOPS, vehicles=[bus]))
    assert numbers(root) == {"Osmery": "1, 4", "Baugy": "2", "Corquoy": "3"}


def test_season_map_draws_each_week_from_base_to_base_inside_the_frame(territory, bus):
    root = parse(season_map_svg(territory, need=NEED, stops=STOPS, vehicles=[bus]))
    routes = {e.get("data-week"): e.get("points").split() for e in root.iter(f"{SVG}polyline")}
    assert sorted(routes) == ["2026-W41", "2026-W42"]
    # week 41: Baugy -> Osmery -> Baugy -> Baugy (a stop at the base) -> Baugy; week 42: base, Corquoy, base, Osmery, base
    assert len(routes["2026-W41"]) == 5 and len(routes["2026-W42"]) == 5
    assert routes["2026-W41"][0] == routes["2026-W41"][2] == routes["2026-W41"][-1]
    assert routes["2026-W41"][1] != routes["2026-W41"][0]
    x0, y0, x1, y1 = frame(root)
    for points in routes.values():
        for point in points:
            x, y = map(float, point.split(","))
            assert x0 < x < x1 and y0 < y < y1


def test_season_map_route_skips_the_base_after_a_night_away(territory, bus):
    away = (Stop(dt.date(2026, 10, 6), "bus", "18173", away_after=True), Stop(dt.date(2026, 10, 7), "bus", "18073"))
    root = parse(season_map_svg(territory, need=NEED, stops=away, vehicles=[bus]))
    (route,) = [e.get("points").split() for e in root.iter(f"{SVG}polyline")]
    assert len(route) == 4  # base, Osmery, Corquoy, base


def test_season_map_highlights_one_week_and_numbers_its_stops(territory, bus):
    svg = season_map_svg(territory, need=NEED, stops=STOPS, vehicles=[bus], week=dt.date(2026, 10, 16))
    root = parse(svg)
    bold = [e.get("data-week") for e in root.iter(f"{SVG}polyline") if "semaine" in e.get("class").split()]
    assert bold == ["2026-W42"]
    assert numbers(root) == {"Corquoy": "1 Corquoy", "Osmery": "2 Osmery"}
    assert sum(1 for e in root.iter() if e.get("class") == "arret-hors-semaine") == 1  # Baugy, visited in week 41


def test_season_map_is_deterministic(territory, bus):
    first = season_map_svg(territory, need=NEED, stops=STOPS, vehicles=[bus])
    assert season_map_svg(territory, need=dict(reversed(NEED.items())), stops=STOPS[::-1], vehicles=[bus]) == first


def test_commune_map_highlights_one_commune(territory):
    root = parse(commune_map_svg(territory, "18173", territory_label="les trois communes"))
    shapes = communes(root)
    assert sorted(shapes) == sorted(CODES)
    assert [c for c, e in shapes.items() if e.get("fill") == HIGHLIGHT] == ["18173"]
    assert root.get("role") == "img" and "Osmery (18173)" in root[1].text
    assert shapes["18023"].find(f"{SVG}title").text == "Baugy"
    with pytest.raises(KeyError):
        commune_map_svg(territory, "18033")


def test_season_map_path_data_uses_pixels_with_one_decimal(territory, bus):
    svg = season_map_svg(territory, need=NEED, stops=STOPS, vehicles=[bus])
    assert not re.search(r"\d\.\d\d", svg.split("<desc")[0] + "".join(re.findall(r' d="[^"]*"', svg)))


def test_season_map_gives_each_vehicle_its_colour_and_base(territory, bus):
    corquoy = territory.commune("18073")
    van = Vehicle(name="van", kind="bus", base_label="Corquoy", base_lat=corquoy.lat, base_lon=corquoy.lon)
    stops = (Stop(dt.date(2026, 10, 6), "bus", "18173"), Stop(dt.date(2026, 10, 6), "van", "18023"))
    root = parse(season_map_svg(territory, need=NEED, stops=stops, vehicles=[bus, van]))
    routes = {e.get("data-vehicle"): e for e in root.iter(f"{SVG}polyline")}
    assert sorted(routes) == ["bus", "van"]
    assert routes["bus"].get("stroke") != routes["van"].get("stroke")
    (layers,) = [g for g in root.iter(f"{SVG}g") if g.get("class") == "fond"]  # the map, not its legend
    bases = [e for e in layers.iter(f"{SVG}polygon") if e.get("class") == "base"]
    assert [b.find(f"{SVG}title").text for b in bases] == ["Base de bus : Baugy", "Base de van : Corquoy"]
    # the van's route starts and ends at Corquoy, not at the bus's base
    points = routes["van"].get("points").split()
    assert points[0] == points[-1] != routes["bus"].get("points").split()[0]


def test_season_map_draws_and_routes_a_geocoded_host_site_instead_of_the_centre(territory, bus):
    """Osmery's stops are drawn where the bus parks (a site 0.02° east of the centre): the route of
    week 41 (base, Osmery, base, ...) passes through the site, not through the centre."""
    osmery = territory.commune("18173")
    site = (osmery.lon + 0.02, osmery.lat)
    plain = parse(season_map_svg(territory, need=NEED, stops=STOPS, vehicles=[bus]))
    sited = parse(season_map_svg(territory, need=NEED, stops=STOPS, vehicles=[bus], sites={"18173": site}))

    def week41(root):
        return [tuple(map(float, p.split(","))) for e in root.iter(f"{SVG}polyline")
                if e.get("data-week") == "2026-W41" for p in e.get("points").split()]

    (x_plain, y_plain), (x_site, y_site) = week41(plain)[1], week41(sited)[1]
    assert x_site > x_plain and abs(y_site - y_plain) < 1e-6  # east of the centre, same latitude
    assert week41(plain)[0] == week41(sited)[0]  # the base does not move
    circles = {(float(c.get("cx")), float(c.get("cy"))) for c in sited.iter(f"{SVG}circle") if c.get("class") == "arret"}
    assert (x_site, y_site) in circles and (x_plain, y_plain) not in circles


def test_commune_map_marks_the_host_site_when_known(territory):
    osmery = territory.commune("18173")
    centre = parse(commune_map_svg(territory, "18173"))
    sited = parse(commune_map_svg(territory, "18173", site=(osmery.lon + 0.02, osmery.lat)))

    def dot(root):
        (c,) = [c for c in root.iter(f"{SVG}circle") if c.get("r") == "3.5"]
        return float(c.get("cx")), float(c.get("cy"))

    assert dot(sited)[0] > dot(centre)[0]
    assert "lieu d'accueil" in ET.tostring(sited, encoding="unicode")
