"""Build the compact dataset shipped in data/ from the raw open data in ../shared/data.

Run ``python data/build.py`` (or ``python run.py build-data``). The output is deterministic: the
same raw files give byte-identical CSVs, which ``tests/test_data_build.py`` checks. Nothing is
invented: a value that no source gives stays empty, and every transformation is described in
data/SOURCES.md.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from difflib import get_close_matches
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from planner.core.geodesy import geodesic_km  # noqa: E402
from planner.domain.names import normalize_name  # noqa: E402
from planner.maps.geometry import Point, point_in_ring, signed_area, union_rings  # noqa: E402

DATA_DIR = ROOT / "data"
DEFAULT_SHARED = ROOT.parent / "shared" / "data"
REGION_DEPS = ("18", "28", "36", "37", "41", "45")

# A France Services point outside the region is kept when it lies this close (geodesic km) to a
# commune centre of the region: beyond it, the access gap is saturated for any sensible setting.
NEIGHBOUR_RADIUS_KM = 30.0
# An inventory point geocoded farther than this from the centre of its own commune is misplaced.
MISPLACED_KM = 20.0
# Two points of the same commune closer than this are the same place seen by two sources.
SAME_PLACE_KM = 0.1
# Outline coordinates are rounded to this many decimals of a degree (about 11 m by 8 m here), and
# each border between two junctions is simplified (Douglas-Peucker) to within this many metres: about
# a pixel on a 900-pixel map of the Bourges basin, a sixth of one on a map of the region.
OUTLINE_DECIMALS = 4
OUTLINE_TOLERANCE_M = 50.0

OUTPUT_FILES = (
    "communes.csv",
    "service_points.csv",
    "markets.csv",
    "mairie_hours.csv",
    "territories/bourges.csv",
    "outlines.geojson",
    "postcodes.csv",
)

COMMUNE_COLUMNS = [
    "insee_com", "commune", "dep", "epci", "epci_nom", "lat", "lon", "area_km2",
    "population_2021", "population_2016", "seniors_65p_2016", "fragility_score", "ftth_class_2018t1",
]
SERVICE_COLUMNS = [
    "point_id", "name", "kinds", "insee_com", "commune", "dep", "lat", "lon", "address",
    "geo_note", "format", "sources",
]
MARKET_COLUMNS = [
    "insee_com", "commune", "weekday", "time_of_day", "place", "frequency", "frequency_kind",
    "season", "confidence", "source_url", "source_date",
]

FREQUENCY_KINDS = (
    ("hebdomadaire", "weekly"),
    ("mensuel", "monthly"),
    ("occasionnel", "occasional"),
    ("ponctuel", "one_off"),
)

HUBLO_KINDS = {"EPN": "epn", "MSAP": "msap", "Médiathèque": "mediatheque"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Rebuild data/ from ../shared/data/raw")
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="folder holding raw/ and territories/")
    parser.add_argument("--out", type=Path, default=DATA_DIR, help="output folder (default: data/)")
    args = parser.parse_args(argv)
    if not (args.shared / "raw").is_dir():
        print(f"build: raw data not found in {args.shared / 'raw'}", file=sys.stderr)
        return 2
    for name, text in build(args.shared).items():
        path = args.out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="")
        print(f"wrote {path}")
    return 0


def build(shared: Path) -> dict[str, str]:
    """Return the text of every output file, keyed by its path relative to data/."""
    raw = shared / "raw"
    communes = build_communes(raw)
    resolver = CommuneResolver(raw, communes)
    points = build_service_points(raw, communes, resolver)
    return {
        "communes.csv": to_csv(communes, COMMUNE_COLUMNS),
        "service_points.csv": to_csv(points, SERVICE_COLUMNS),
        "markets.csv": to_csv(build_markets(raw), MARKET_COLUMNS),
        "mairie_hours.csv": to_csv(build_mairie_hours(raw), ["insee_com", "commune", "hours", "source_url", "source_vintage"]),
        "territories/bourges.csv": to_csv(build_bourges(shared), ["insee_com", "commune", "epci", "epci_nom"]),
        "outlines.geojson": build_outlines(raw, communes),
        "postcodes.csv": to_csv(build_postcodes(raw), ["insee_com", "code_postal"]),
    }


# --- communes ---------------------------------------------------------------------------------


def build_communes(raw: Path) -> pd.DataFrame:
    """One row per commune of the 2024 geography, with every figure joined on its INSEE code."""
    base = pd.read_csv(raw / "communes/datasfun_communes_reg24.csv", dtype=str, keep_default_na=False)
    base = base.drop_duplicates("insee_com").sort_values("insee_com").reset_index(drop=True)
    out = pd.DataFrame({
        "insee_com": base["insee_com"],
        "commune": base["commune_article"],
        "dep": base["insee_dep"],
        "lat": base["lat"],
        "lon": base["lng"],
        "area_km2": base["superficie_km2"],
        "population_2021": base["population_2021"],
    })
    epci, epci_names = commune_epcis(raw, set(out["insee_com"]))
    out.insert(3, "epci", out["insee_com"].map(epci).fillna(""))
    out.insert(4, "epci_nom", out["epci"].map(epci_names).fillna(""))
    current = current_code_map(raw, set(out["insee_com"]))
    iris = fragility_by_commune(raw, current)
    out["population_2016"] = out["insee_com"].map(iris["population_2016"]).map(fmt_number)
    out["seniors_65p_2016"] = out["insee_com"].map(iris["seniors_65p_2016"]).map(fmt_number)
    out["fragility_score"] = out["insee_com"].map(iris["fragility_score"]).map(fmt_number)
    out["ftth_class_2018t1"] = out["insee_com"].map(ftth_classes(raw)).fillna("")
    return out[COMMUNE_COLUMNS]


def build_postcodes(raw: Path) -> pd.DataFrame:
    """Every (commune, postal code) pair of La Poste's base, so that people can search by postcode."""
    base = pd.read_csv(raw / "communes/datasfun_communes_reg24.csv", dtype=str, keep_default_na=False)
    pairs = base[["insee_com", "code_postal"]].drop_duplicates()
    return pairs.sort_values(["insee_com", "code_postal"]).reset_index(drop=True)


def commune_epcis(raw: Path, codes: set[str]) -> tuple[dict[str, str], dict[str, str]]:
    """EPCI of each commune from Etalab (newest); the INSEE 2022 table fills the two it lacks."""
    epcis = json.loads((raw / "communes/etalab_decoupage_epci_reg24.json").read_text(encoding="utf-8"))
    names = {e["code"]: e["nom"] for e in epcis}
    member = {m["code"]: e["code"] for e in epcis for m in e["membres"]}
    table = pd.read_csv(raw / "insee_zonages/table-appartenance-geo-communes-22_reg24.csv", sep=";", dtype=str)
    for code, epci in zip(table["CODGEO"], table["EPCI"]):
        if code in codes and code not in member and epci in names:
            member[code] = epci
    return member, names


def current_code_map(raw: Path, codes: set[str]) -> dict[str, str]:
    """Old INSEE code -> code of the 2024 commune that absorbed it (e.g. 18131 -> 18173)."""
    items = json.loads((raw / "communes/etalab_decoupage_communes_reg24.json").read_text(encoding="utf-8"))
    mapping = {c: c for c in codes}
    for item in items:
        if item["type"] == "commune-actuelle":
            for old in item.get("anciensCodes") or []:
                mapping.setdefault(old, item["code"])
        elif item.get("chefLieu") in codes:
            mapping.setdefault(item["code"], item["chefLieu"])
    mapping.setdefault("18131", "18173")  # stated in raw/SOURCES.md; Etalab already carries it
    return mapping


def read_ifn_iris(raw: Path) -> pd.DataFrame:
    """All IRIS rows of the fragility index, Cher's headerless file included."""
    folder = raw / "fragilite_numerique"
    header = (folder / "ifn_iris_headers.csv").read_text(encoding="utf-8-sig").strip().split(";")
    frames = [pd.read_csv(folder / "ifn_iris_dep18.csv", sep=";", header=None, names=header, dtype=str)]
    for dep in REGION_DEPS[1:]:
        frames.append(pd.read_csv(folder / f"ifn_iris_dep{dep}_nogeom.csv", sep=";", dtype=str))
    cols = ["Insee Com", "P16 Pop", "P16 Pop65P", "SCORE GLOBAL region 1"]
    return pd.concat([f[cols] for f in frames], ignore_index=True)


def fragility_by_commune(raw: Path, current: dict[str, str]) -> pd.DataFrame:
    """Sum the 2016 IRIS counts per 2024 commune; population-weight the IRIS fragility scores."""
    iris = read_ifn_iris(raw)
    iris["code"] = iris["Insee Com"].map(current)
    unmapped = iris[iris["code"].isna()]
    if len(unmapped):
        raise ValueError(f"IFN communes with no 2024 code: {sorted(unmapped['Insee Com'].unique())}")
    pop = iris["P16 Pop"].astype(float)
    score = iris["SCORE GLOBAL region 1"].astype(float)
    iris = iris.assign(pop=pop, seniors=iris["P16 Pop65P"].astype(float), weighted=pop * score)
    g = iris.groupby("code")[["pop", "seniors", "weighted"]].sum()
    return pd.DataFrame({
        "population_2016": g["pop"].round(1),
        "seniors_65p_2016": g["seniors"].round(1),
        "fragility_score": (g["weighted"] / g["pop"]).round(1),
    })


def ftth_classes(raw: Path) -> dict[str, str]:
    """ARCEP FttH coverage class (0-100 %) at 2018 T1, per commune code of the 2018 geography."""
    lines = (raw / "broadband/arcep_2018T1_ftthCommunes_reg24.csv").read_text(encoding="utf-8").splitlines()
    rows = csv.reader(lines[4:])
    next(rows)
    return {r[0]: r[4].strip() for r in rows if len(r) >= 5 and r[1] == "Catégorie"}


def fmt_number(value) -> str:
    """Shortest text of a rounded figure; empty when the sources have none."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


# --- commune resolution -----------------------------------------------------------------------


class CommuneResolver:
    """Find the INSEE code of a place given only its postcode, town name and coordinates.

    The inventories carry no INSEE code. Tried in order: postcode and name; département and name
    (also the names of delegated communes, for towns merged since); a close spelling in the
    département; the nearest commune centre of the département.
    """

    def __init__(self, raw: Path, communes: pd.DataFrame) -> None:
        base = pd.read_csv(raw / "communes/datasfun_communes_reg24.csv", dtype=str, keep_default_na=False)
        self.by_postcode_name: dict[tuple[str, str], str] = {}
        self.by_dep_name: dict[tuple[str, str], str] = {}
        for row in base.itertuples():
            for name in (row.commune, row.commune_article):
                self.by_postcode_name[(row.code_postal, normalize_name(name))] = row.insee_com
                self.by_dep_name[(row.insee_dep, normalize_name(name))] = row.insee_com
        items = json.loads((raw / "communes/etalab_decoupage_communes_reg24.json").read_text(encoding="utf-8"))
        codes = set(communes["insee_com"])
        for item in items:
            target = item["code"] if item["type"] == "commune-actuelle" else item.get("chefLieu")
            if target in codes:
                self.by_dep_name.setdefault((item["departement"], normalize_name(item["nom"])), target)
        self.communes = communes
        self.lat = communes["lat"].astype(float).to_numpy()
        self.lon = communes["lon"].astype(float).to_numpy()

    def resolve(self, postcode: str, name: str, lat: float | None, lon: float | None) -> tuple[str | None, str]:
        """Return (INSEE code or None, how it was found)."""
        postcode = str(postcode).strip().zfill(5)
        dep = postcode[:2]
        key = normalize_name(name)
        if (postcode, key) in self.by_postcode_name:
            return self.by_postcode_name[(postcode, key)], "postcode+name"
        if (dep, key) in self.by_dep_name:
            return self.by_dep_name[(dep, key)], "dep+name"
        names = [n for (d, n) in self.by_dep_name if d == dep]
        starts = sorted(n for n in names if n.startswith(key + " "))
        if len(starts) == 1:
            return self.by_dep_name[(dep, starts[0])], "dep+name prefix"
        close = get_close_matches(key, names, n=1, cutoff=0.85)
        if close:
            return self.by_dep_name[(dep, close[0])], "dep+close name"
        if lat is not None and lon is not None:
            in_dep = (self.communes["dep"] == dep).to_numpy()
            if in_dep.any():
                dist = np.where(in_dep, geodesic_km(lat, lon, self.lat, self.lon), np.inf)
                i = int(np.argmin(dist))
                if dist[i] < MISPLACED_KM:
                    return self.communes["insee_com"].iloc[i], "nearest centre"
        return None, "unresolved"

    def centre(self, code: str) -> tuple[float, float]:
        row = self.communes.loc[self.communes["insee_com"] == code].iloc[0]
        return float(row["lat"]), float(row["lon"])


# --- service points ---------------------------------------------------------------------------


@dataclass
class RawPoint:
    point_id: str
    name: str
    kinds: set[str]
    insee_com: str
    commune: str
    dep: str
    lat: float
    lon: float
    address: str
    geo_note: str
    format: str
    sources: list[str] = field(default_factory=list)


def build_service_points(raw: Path, communes: pd.DataFrame, resolver: CommuneResolver) -> pd.DataFrame:
    """France Services, EPN / MSAP / médiathèques and conseiller numérique places, de-duplicated."""
    names = dict(zip(communes["insee_com"], communes["commune"]))
    points = france_services_points(raw, communes)
    points += hublo_points(raw, resolver, names)
    points += cnfs_points(raw, resolver, names)
    merged = merge_duplicates(points)
    rows = [{
        "point_id": p.point_id,
        "name": p.name,
        "kinds": "|".join(sorted(p.kinds)),
        "insee_com": p.insee_com,
        "commune": p.commune,
        "dep": p.dep,
        "lat": f"{p.lat:.6f}",
        "lon": f"{p.lon:.6f}",
        "address": p.address,
        "geo_note": p.geo_note,
        "format": p.format,
        "sources": "|".join(p.sources),
    } for p in merged]
    return pd.DataFrame(rows, columns=SERVICE_COLUMNS)


def france_services_points(raw: Path, communes: pd.DataFrame) -> list[RawPoint]:
    fs = pd.read_csv(raw / "france_services/liste-fs-20240801.csv", dtype=str, keep_default_na=False)
    lat = fs["latitude"].astype(float).to_numpy()
    lon = fs["longitude"].astype(float).to_numpy()
    clat = communes["lat"].astype(float).to_numpy()
    clon = communes["lon"].astype(float).to_numpy()
    nearest = np.array([geodesic_km(la, lo, clat, clon).min() for la, lo in zip(lat, lon)])
    keep = fs["insee_dep"].isin(REGION_DEPS).to_numpy() | (nearest <= NEIGHBOUR_RADIUS_KM)
    out = []
    for row, la, lo in zip(fs[keep].itertuples(), lat[keep], lon[keep]):
        mobile = row.format_fs in ("Itinérante", "Bus_équivalent")
        address = " ".join(p for p in (row.adresse, row.complement_adresse) if p).strip()
        out.append(RawPoint(
            point_id=f"fs-{row.id_fs}",
            name=row.lib_fs.strip(),
            kinds={"france_services_itinerant" if mobile else "france_services"},
            insee_com=row.insee_com,
            commune=row.lib_com,
            dep=row.insee_dep,
            lat=float(la),
            lon=float(lo),
            address=f"{address}, {row.code_postal} {row.lib_com}",
            geo_note="",
            format=row.format_fs,
            sources=[f"anct_france_services_2024-08-01#{row.id_fs}"],
        ))
    return out


def hublo_points(raw: Path, resolver: CommuneResolver, names: dict[str, str]) -> list[RawPoint]:
    items = json.loads((raw / "mediation_numerique/hub-lo_lieux_numeriques_centre-val-de-loire.json").read_text(encoding="utf-8"))
    out = []
    for item in items:
        tags = item["c_categories_espace"].strip("{}").replace('"', "").split(",")
        kinds = {HUBLO_KINDS[t] for t in tags if t in HUBLO_KINDS}
        if not kinds:
            continue
        lat, lon = float(item["c_lat_coor1"]), float(item["c_long_coor1"])
        code, _how = resolver.resolve(str(item["c_postcode"]), item["c_city"], lat, lon)
        if code is None:
            raise ValueError(f"hub-lo place {item['gid']} ({item['c_city']}) matches no commune")
        note = ""
        clat, clon = resolver.centre(code)
        if float(geodesic_km(lat, lon, clat, clon)) > MISPLACED_KM:
            lat, lon, note = clat, clon, "géocodage source hors commune : centre de la commune"
        out.append(RawPoint(
            point_id=f"hublo-{item['gid']}",
            name=item["c_nom"].strip(),
            kinds=kinds,
            insee_com=code,
            commune=names[code],
            dep=code[:2],
            lat=lat,
            lon=lon,
            address=f"{item['c_adresse'].strip()}, {str(item['c_postcode']).zfill(5)} {item['c_city'].strip()}",
            geo_note=note,
            format="",
            sources=[f"hublo_2023-02-21#{item['gid']}"],
        ))
    return out


def cnfs_points(raw: Path, resolver: CommuneResolver, names: dict[str, str]) -> list[RawPoint]:
    items = json.loads((raw / "mediation_numerique/cnfs_lieux_2022-12_reg24.json").read_text(encoding="utf-8"))
    out = []
    for item in items:
        lat, lon = float(item["latitude"]), float(item["longitude"])
        code, _how = resolver.resolve(item["code_postal"], item["commune"], lat, lon)
        if code is None:
            raise ValueError(f"CNFS place {item['id']} ({item['commune']}) matches no commune")
        note = ""
        clat, clon = resolver.centre(code)
        if float(geodesic_km(lat, lon, clat, clon)) > MISPLACED_KM:
            lat, lon, note = clat, clon, "géocodage source hors commune : centre de la commune"
        out.append(RawPoint(
            point_id=f"cnfs-{item['id']}",
            name=item["nom"].strip(),
            kinds={"conseiller_numerique"},
            insee_com=code,
            commune=names[code],
            dep=code[:2],
            lat=lat,
            lon=lon,
            address=f"{item['adresse'].strip()}, {item['code_postal']} {item['commune'].strip()}",
            geo_note=note,
            format="",
            sources=[f"cnfs_lieux_2022-12#{item['id']}"],
        ))
    return out


def merge_duplicates(points: list[RawPoint]) -> list[RawPoint]:
    """Merge points that are the same place: same commune and very close, or same commune and name.

    The first point of a group (France Services first, then hub-lo, then CNFS) keeps its id,
    name and position; the group's kinds and sources are united.
    """
    parent = list(range(len(points)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    by_commune: dict[str, list[int]] = defaultdict(list)
    for i, p in enumerate(points):
        by_commune[p.insee_com].append(i)
    for members in by_commune.values():
        for a_pos, a in enumerate(members):
            for b in members[a_pos + 1:]:
                pa, pb = points[a], points[b]
                # A point moved to its commune centre says nothing about where it really is.
                placed = not (pa.geo_note or pb.geo_note)
                close = placed and float(geodesic_km(pa.lat, pa.lon, pb.lat, pb.lon)) <= SAME_PLACE_KM
                if close or normalize_name(pa.name) == normalize_name(pb.name):
                    ra, rb = find(a), find(b)
                    parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(points)):
        groups[find(i)].append(i)
    merged = []
    for root in sorted(groups):
        head = points[root]
        for i in groups[root][1:]:
            head.kinds |= points[i].kinds
            head.sources += points[i].sources
            if not head.format and points[i].format:
                head.format = points[i].format
        merged.append(head)
    merged.sort(key=lambda p: (p.dep, p.insee_com, p.point_id))
    return merged


# --- markets, mairies, territories ------------------------------------------------------------


def build_markets(raw: Path) -> pd.DataFrame:
    markets = pd.read_csv(raw / "markets/market_days_cher.csv", dtype=str, keep_default_na=False)
    markets["frequency_kind"] = markets["frequency"].map(frequency_kind)
    return markets[MARKET_COLUMNS]


def frequency_kind(text: str) -> str:
    """Machine-readable frequency of a market row; 'unknown' when the source does not say."""
    low = text.lower()
    for word, kind in FREQUENCY_KINDS:
        if low.startswith(word):
            return kind
    return "unknown"


def build_mairie_hours(raw: Path) -> pd.DataFrame:
    return pd.read_csv(raw / "mairies/mairie_hours_cher.csv", dtype=str, keep_default_na=False)


def build_bourges(shared: Path) -> pd.DataFrame:
    return pd.read_csv(shared / "territories/bassin_de_vie_bourges.csv", dtype=str, keep_default_na=False)


# --- outlines -----------------------------------------------------------------------------------

def build_outlines(raw: Path, communes: pd.DataFrame) -> str:
    """One feature per 2024 commune and per département, as GeoJSON with one feature per line.

    The 2018 polygons share their borders vertex for vertex (each inner edge is in exactly two
    polygons), so a union is exact: drop the edges seen in both directions and chain the rest.
    A former commune is united with the commune that absorbed it (Etalab ``anciensCodes``);
    départements are the union of their communes, so their lines fall exactly on commune borders.
    """
    folder = raw / "contours"
    source = json.loads((folder / "communes-centre-val-de-loire-2018.geojson").read_text(encoding="utf-8"))
    rings_by_code = simplify_shared({f["properties"]["code"]: polygon_rings(f["geometry"]) for f in source["features"]})
    codes = list(communes["insee_com"])
    absorbed_by = absorbing_communes(raw, set(codes), set(rings_by_code))
    missing = sorted(set(codes) - set(rings_by_code))
    if missing:
        raise ValueError(f"contours: no outline for communes {missing}")
    members: dict[str, list[str]] = {code: [code] for code in codes}
    for old, new in sorted(absorbed_by.items()):
        members[new].append(old)
    for new in sorted({new for new in absorbed_by.values()}):
        # Geometry confirms Etalab: the absorbed communes touch the absorbing one (one more piece would show)
        if len(union_rings([r for m in members[new] for r in rings_by_code[m]])) > len(rings_by_code[new]):
            raise ValueError(f"contours: the former communes {members[new][1:]} do not all touch {new}, which absorbed them")
    names = dict(zip(communes["insee_com"], communes["commune"]))
    lines = []
    for code in codes:
        rings = union_rings([r for m in members[code] for r in rings_by_code[m]])
        props = {"level": "commune", "code": code, "nom": names[code], "anciens": members[code][1:]}
        lines.append(feature_line(props, rings))
    departements = json.loads((folder / "departements-centre-val-de-loire-2018.geojson").read_text(encoding="utf-8"))
    for feature in sorted(departements["features"], key=lambda f: f["properties"]["code"]):
        dep = feature["properties"]["code"]
        rings = union_rings([r for code, rs in sorted(rings_by_code.items()) if code[:2] == dep for r in rs])
        lines.append(feature_line({"level": "departement", "code": dep, "nom": feature["properties"]["nom"]}, rings))
    return '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"


def absorbing_communes(raw: Path, codes: set[str], outlined: set[str]) -> dict[str, str]:
    """Former commune with an outline of its own -> the 2024 commune that absorbed it (Etalab)."""
    items = json.loads((raw / "communes/etalab_decoupage_communes_reg24.json").read_text(encoding="utf-8"))
    former = sorted(outlined - codes)
    absorbed_by = {}
    for item in items:
        if item["type"] == "commune-actuelle" and item["code"] in codes:
            for old in item.get("anciensCodes") or []:
                if old in former:
                    absorbed_by.setdefault(old, item["code"])
    lost = [code for code in former if code not in absorbed_by]
    if lost:
        raise ValueError(f"contours: former communes absorbed by no 2024 commune in Etalab: {lost}")
    return absorbed_by


def polygon_rings(geometry: dict) -> list[list[Point]]:
    """Every ring of a Polygon or MultiPolygon, rounded, without repeated points."""
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    rings = []
    for polygon in polygons:
        for ring in polygon:
            points: list[Point] = []
            for lon, lat in ring:
                point = (round(lon, OUTLINE_DECIMALS), round(lat, OUTLINE_DECIMALS))
                if not points or points[-1] != point:
                    points.append(point)
            rings.append(points)
    return rings


def simplify_shared(rings_by_code: dict[str, list[list[Point]]]) -> dict[str, list[list[Point]]]:
    """Simplify every border once, so that two neighbours keep the very same line (no gaps).

    Rings are cut at junctions (a vertex with more than two distinct neighbours: where three
    communes meet, or two meet the edge of the data); each piece is simplified in one canonical
    direction, so both communes that share it get identical points.
    """
    neighbours: dict[Point, set[Point]] = defaultdict(set)
    for rings in rings_by_code.values():
        for ring in rings:
            closed = ring if ring[0] == ring[-1] else ring + [ring[0]]
            for a, b in zip(closed, closed[1:]):
                neighbours[a].add(b)
                neighbours[b].add(a)
    junctions = {p for p, near in neighbours.items() if len(near) > 2}
    done: dict[tuple[Point, ...], list[Point]] = {}
    out = {}
    for code, rings in rings_by_code.items():
        out[code] = [simplify_ring(ring, junctions, done) for ring in rings]
    return out


def simplify_ring(ring: list[Point], junctions: set[Point], done: dict) -> list[Point]:
    points = ring[:-1] if ring[0] == ring[-1] else ring
    cuts = [i for i, p in enumerate(points) if p in junctions]
    if not cuts:  # an island or a commune with one neighbour: cut at its lowest point and its farthest
        low = points.index(min(points))
        far = max(range(len(points)), key=lambda i: (squared_m(points[low], points[i]), -i))
        cuts = sorted({low, far})
    start = cuts[0]
    points = points[start:] + points[:start]
    cuts = [c - start for c in cuts] + [len(points)]
    points = points + [points[0]]
    simplified = [points[0]]
    for a, b in zip(cuts, cuts[1:]):
        simplified += simplify_piece(tuple(points[a:b + 1]), done)[1:]
    return simplified


def simplify_piece(piece: tuple[Point, ...], done: dict) -> list[Point]:
    forward = piece <= piece[::-1]
    key = piece if forward else piece[::-1]
    if key not in done:
        done[key] = douglas_peucker(list(key))
    return done[key] if forward else done[key][::-1]


def douglas_peucker(points: list[Point]) -> list[Point]:
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    limit = OUTLINE_TOLERANCE_M**2
    while stack:
        a, b = stack.pop()
        best, best_d = None, limit
        for i in range(a + 1, b):
            d = segment_squared_m(points[i], points[a], points[b])
            if d > best_d:
                best, best_d = i, d
        if best is not None:
            keep[best] = True
            stack += [(a, best), (best, b)]
    return [p for p, k in zip(points, keep) if k]


def squared_m(p: Point, q: Point) -> float:
    """Squared distance in metres on a local plane (1e-5 degree of latitude is about 1.11 m)."""
    kx = 111_320.0 * np.cos(np.radians((p[1] + q[1]) / 2))
    return ((p[0] - q[0]) * kx) ** 2 + ((p[1] - q[1]) * 110_574.0) ** 2


def segment_squared_m(p: Point, a: Point, b: Point) -> float:
    """Squared distance in metres from p to the segment a-b (local plane at the latitude of a)."""
    kx = 111_320.0 * float(np.cos(np.radians(a[1])))
    px, py = (p[0] - a[0]) * kx, (p[1] - a[1]) * 110_574.0
    bx, by = (b[0] - a[0]) * kx, (b[1] - a[1]) * 110_574.0
    length = bx * bx + by * by
    t = 0.0 if length == 0 else max(0.0, min(1.0, (px * bx + py * by) / length))
    return (px - t * bx) ** 2 + (py - t * by) ** 2


def feature_line(properties: dict, rings: list[list[Point]]) -> str:
    """A GeoJSON MultiPolygon feature on one line: each hole goes with the outer ring holding it."""
    outers = [r for r in rings if signed_area(r) > 0]
    holes = [r for r in rings if signed_area(r) < 0]
    polygons: list[list[list[Point]]] = [[r] for r in sorted(outers, key=signed_area, reverse=True)]
    for hole in holes:
        host = next((p for p in polygons[::-1] if point_in_ring(hole[0], p[0])), None)
        if host is None:
            raise ValueError(f"contours: a hole of {properties['code']} lies in none of its outer rings")
        host.append(hole)
    geometry = {"type": "MultiPolygon", "coordinates": polygons}
    return json.dumps({"type": "Feature", "properties": properties, "geometry": geometry},
                      ensure_ascii=False, separators=(",", ":"))


def to_csv(frame: pd.DataFrame, columns: list[str]) -> str:
    buffer = io.StringIO()
    frame[columns].to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue()


if __name__ == "__main__":
    raise SystemExit(main())
