"""Reading commune tables: the shipped data/communes.csv and a user's territory file.

A user file may list only INSEE codes (a subset of the shipped communes) or carry its own figures,
which then override the shipped ones for those communes. A commune unknown to the dataset must
bring its name, coordinates, population and seniors: nothing is filled in for it.
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial

from planner.domain.commune import Commune
from planner.domain.problems import DataError, Problem
from planner.inputs.cells import CellReader
from planner.inputs.columns import aliases_of, canonical
from planner.inputs.rows import Rows
from planner.inputs.table import Source, open_table

SHIPPED_BASIS = "65+ en 2016 (INSEE RP 2016 via l'indice de fragilité numérique)"
USER_BASIS = "fichier utilisateur"

OPTIONAL_FIELDS = ("commune", "lat", "lon", "population_2021", "seniors", "dep", "epci", "epci_nom", "area_km2")

# The largest French commune (Paris) has 2.1 million inhabitants and the largest area (Maripasoula)
# 18,360 km2: figures beyond are typos or overflowed cells, not communes.
MAX_POPULATION = 3_000_000
MAX_AREA_KM2 = 20_000
MAXIMA = {"population_2016": MAX_POPULATION, "fragility_score": 1_000, "ftth_class_2018t1": 100}

REQUIRED = (aliases_of("insee_com"),)  # the header row is the first holding these columns


def read_communes(source: Source, known: dict[str, Commune] | None = None) -> tuple[Commune, ...]:
    """Communes of a file, in file order; raises DataError listing every problem.

    With ``known`` (the shipped communes by code), the file may list codes only; without it
    (reading the shipped file itself) every commune needs a name and coordinates.
    """
    table = open_table(source, required=REQUIRED)
    cols = canonical(table, "insee_com", *OPTIONAL_FIELDS, "population_2016", "fragility_score", "ftth_class_2018t1")
    rows: Rows[Commune] = Rows(table)

    def commune(row: int, values: dict[str, str]) -> Commune | None:
        get = partial(_cell, values, cols)
        code = rows.cells.insee(row, cols["insee_com"], get("insee_com"))
        if code is None:
            return None
        rows.once(code, row, cols["insee_com"], code, "commune")
        if rows.failed():
            return None
        base = known.get(code) if known is not None else None
        return _commune_from_row(rows.cells, row, cols, get, code, base, known)

    communes = rows.parse(commune)
    if not communes:
        raise DataError([Problem(table.file, 0, "", "", "aucune commune dans le fichier")])
    return tuple(communes)


def _commune_from_row(cells: CellReader, row: int, cols: dict[str, str], get, code: str,
                      base: Commune | None, known: dict[str, Commune] | None = None) -> Commune | None:
    errors_before = len(cells.problems)
    need_own = base is None
    if need_own and known is not None and not (get("commune") or get("lat") or get("lon")):
        cells.fail(row, cols["insee_com"], code, "commune inconnue du jeu de données livré : pour l'ajouter, "
                                                 "donnez aussi commune, lat, lon, population et seniors")
        return None
    name = cells.text(row, cols.get("commune", "commune"), get("commune"), required=need_own)
    coords = None
    if need_own or get("lat") or get("lon"):
        coords = cells.coordinates(row, cols.get("lat", "lat"), get("lat"), cols.get("lon", "lon"), get("lon"))
    population = cells.number(row, cols.get("population_2021", "population_2021"), get("population_2021"),
                              minimum=0, maximum=MAX_POPULATION)
    seniors = cells.number(row, cols.get("seniors", "seniors"), get("seniors"), minimum=0, maximum=MAX_POPULATION)
    area = cells.number(row, cols.get("area_km2", "area_km2"), get("area_km2"), minimum=0, maximum=MAX_AREA_KM2)
    extra = {
        field: cells.number(row, cols.get(field, field), get(field), minimum=0, maximum=MAXIMA[field])
        for field in ("population_2016", "fragility_score", "ftth_class_2018t1")
    }
    residents = population if population is not None else (base.population if base is not None else None)
    elders = seniors if seniors is not None else (base.seniors if base is not None else None)
    if residents is not None and elders is not None and elders > residents:
        if seniors is not None:
            cells.fail(row, cols["seniors"], get("seniors"), f"plus de seniors que d'habitants ({residents:g})")
        else:
            cells.fail(row, cols["population_2021"], get("population_2021"),
                       f"moins d'habitants que de seniors ({elders:g} dans le jeu de données livré)")
    if len(cells.problems) > errors_before or (need_own and coords is None):
        return None
    shipped_seniors = cols.get("seniors") == "seniors_65p_2016"
    if base is None:
        return Commune(
            insee=code,
            name=name,
            dep=get("dep") or _dep_of(code),
            epci=get("epci"),
            epci_name=get("epci_nom"),
            lat=coords[0],
            lon=coords[1],
            area_km2=area,
            population=None if population is None else round(population),
            seniors=seniors,
            seniors_basis=(SHIPPED_BASIS if shipped_seniors else USER_BASIS) if seniors is not None else "inconnu",
            population_2016=extra["population_2016"],
            fragility=extra["fragility_score"],
            ftth_class_2018=extra["ftth_class_2018t1"],
        )
    changes: dict = {}
    if name:
        changes["name"] = name
    if coords is not None:
        changes["lat"], changes["lon"] = coords
    if population is not None:
        changes["population"] = round(population)
    if seniors is not None:
        changes.update(seniors=seniors, seniors_basis=USER_BASIS, seniors_60_74=None, seniors_75p=None)
    if area is not None:
        changes["area_km2"] = area
    for field in ("epci", "epci_nom"):
        if get(field):
            changes["epci" if field == "epci" else "epci_name"] = get(field)
    return replace(base, **changes)


def _cell(values: dict[str, str], cols: dict[str, str], field: str) -> str:
    return values.get(cols[field], "") if field in cols else ""


def _dep_of(code: str) -> str:
    return code[:3] if code.startswith("97") else code[:2]
