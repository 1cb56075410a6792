"""Header aliases: users export the same field under different names (CODGEO, code_insee...)."""

from __future__ import annotations

from planner.inputs.table import Table

ALIASES = {
    "insee_com": ("insee_com", "code_insee", "codgeo", "insee", "code_commune", "com"),
    "commune": ("commune", "nom", "libgeo", "nom_commune", "lib_com"),
    "lat": ("lat", "latitude"),
    "lon": ("lon", "lng", "longitude"),
    "population_2021": ("population_2021", "population", "pmun", "p21_pop"),
    "seniors": ("seniors", "seniors_65p_2016", "seniors_65p"),
}


def canonical(table: Table, *fields: str) -> dict[str, str]:
    """Map each wanted field to the header the file uses for it (first alias present)."""
    found = {}
    for name in fields:
        for alias in ALIASES.get(name, (name,)):
            if alias in table.columns:
                found[name] = alias
                break
    return found


def aliases_of(name: str) -> tuple[str, ...]:
    return ALIASES.get(name, (name,))
