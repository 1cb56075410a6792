"""Communes of the 2024 geography with their figures, their postcodes, and the Bourges basin preset."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd

from .common import REGION_DEPS, fmt_number, read_raw_csv

COMMUNE_COLUMNS = [
    "insee_com", "commune", "dep", "epci", "epci_nom", "lat", "lon", "area_km2",
    "population_2021", "population_2016", "seniors_65p_2016", "fragility_score", "ftth_class_2018t1",
]
COMMUNES_FILE = "communes/datasfun_communes_reg24.csv"


def build_communes(raw: Path) -> pd.DataFrame:
    """One row per commune of the 2024 geography, with every figure joined on its INSEE code."""
    base = read_raw_csv(raw / COMMUNES_FILE)
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
    base = read_raw_csv(raw / COMMUNES_FILE)
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


def build_bourges(shared: Path) -> pd.DataFrame:
    return read_raw_csv(shared / "territories/bassin_de_vie_bourges.csv")
