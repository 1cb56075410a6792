"""Places of digital help: France Services, the Hub-lo inventory, conseiller numérique places; merged.

Hub-lo tags a place twice: a list of categories (``c_categories_espace``) and one flag per label
(``c_epn``, ``c_msap``, ``c_promeneur``, ...). The two disagree (68 of the 133 places flagged
``c_epn`` lack the EPN category, e.g. the médiathèque of Saint-Doulchard), so a place holds every
label that either gives; each label becomes a kind the planner can count as help or not.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from planner.core.geodesy import geodesic_km
from planner.domain.names import normalize_name

from .common import GEO_NOTE_CENTRE, MISPLACED_KM, REGION_DEPS, read_raw_csv
from .resolver import CommuneResolver

SERVICE_COLUMNS = [
    "point_id", "name", "kinds", "insee_com", "commune", "dep", "lat", "lon", "address",
    "geo_note", "format", "sources",
]
HUBLO_FILE = "mediation_numerique/hub-lo_lieux_numeriques_centre-val-de-loire.json"
# A France Services point outside the region is kept when it lies this close (geodesic km) to a
# commune centre of the region: beyond it, the access gap is saturated for any sensible setting.
NEIGHBOUR_RADIUS_KM = 30.0
# Two points of the same commune closer than this are the same place seen by two sources.
SAME_PLACE_KM = 0.1
# Hub-lo label -> kind: the category as written in ``c_categories_espace`` and its own flag column.
HUBLO_KINDS = (
    ("EPN", "c_epn", "epn"),
    ("MSAP", "c_msap", "msap"),
    ("Médiathèque", "c_mediatheque", "mediatheque"),
    ("Promeneur du net", "c_promeneur", "promeneur_du_net"),
    ("Club-info", "c_club_info", "club_informatique"),
    ("Mairie", "c_mairie", "mairie_numerique"),
    ("Coworking", "c_coworking", "coworking"),
    ("Fablab", "c_fablab", "fablab"),
    ("autres", "c_autres", "autre_lieu"),
)


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
    fs = read_raw_csv(raw / "france_services/liste-fs-20240801.csv")
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
    items = json.loads((raw / HUBLO_FILE).read_text(encoding="utf-8"))
    out = []
    for item in items:
        kinds = hublo_kinds(item)
        if not kinds:
            continue
        lat, lon = float(item["c_lat_coor1"]), float(item["c_long_coor1"])
        code, _how = resolver.resolve(str(item["c_postcode"]), item["c_city"], lat, lon)
        if code is None:
            raise ValueError(f"hub-lo place {item['gid']} ({item['c_city']}) matches no commune")
        out.append(_placed(resolver, names, code, lat, lon, point_id=f"hublo-{item['gid']}", name=item["c_nom"].strip(),
                           kinds=kinds, source=f"hublo_2023-02-21#{item['gid']}",
                           address=f"{item['c_adresse'].strip()}, {str(item['c_postcode']).zfill(5)} {item['c_city'].strip()}"))
    return out


def hublo_kinds(item: dict) -> set[str]:
    """Every label of a Hub-lo place, from its categories or from its own flag column.

    A flag is set when its column holds any text ("True"; ``c_autres`` holds "Mairie" on the 28
    places also flagged ``c_mairie``, and "True" on the places flagged "autre").
    """
    categories = set(item.get("c_categories_espace", "").strip("{}").replace('"', "").split(","))
    kinds = set()
    for category, flag, kind in HUBLO_KINDS:
        flagged = str(item.get(flag) or "").strip()
        if category in categories or (flagged and not (flag == "c_autres" and flagged == "Mairie")):
            kinds.add(kind)
    return kinds


def cnfs_points(raw: Path, resolver: CommuneResolver, names: dict[str, str]) -> list[RawPoint]:
    items = json.loads((raw / "mediation_numerique/cnfs_lieux_2022-12_reg24.json").read_text(encoding="utf-8"))
    out = []
    for item in items:
        lat, lon = float(item["latitude"]), float(item["longitude"])
        code, _how = resolver.resolve(item["code_postal"], item["commune"], lat, lon)
        if code is None:
            raise ValueError(f"CNFS place {item['id']} ({item['commune']}) matches no commune")
        out.append(_placed(resolver, names, code, lat, lon, point_id=f"cnfs-{item['id']}", name=item["nom"].strip(),
                           kinds={"conseiller_numerique"}, source=f"cnfs_lieux_2022-12#{item['id']}",
                           address=f"{item['adresse'].strip()}, {item['code_postal']} {item['commune'].strip()}"))
    return out


def _placed(resolver: CommuneResolver, names: dict[str, str], code: str, lat: float, lon: float, *, point_id: str,
            name: str, kinds: set[str], address: str, source: str) -> RawPoint:
    """A directory's place in its commune, moved to the commune's centre (and said so) when its own
    position lies too far from it to be believed."""
    note = ""
    clat, clon = resolver.centre(code)
    if float(geodesic_km(lat, lon, clat, clon)) > MISPLACED_KM:
        lat, lon, note = clat, clon, GEO_NOTE_CENTRE
    return RawPoint(point_id=point_id, name=name, kinds=kinds, insee_com=code, commune=names[code], dep=code[:2],
                    lat=lat, lon=lon, address=address, geo_note=note, format="", sources=[source])


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


