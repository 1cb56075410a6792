"""Reading data/mairies.csv, the town halls of the region written by data/build.py."""

from __future__ import annotations

import csv
import math
from dataclasses import replace
from pathlib import Path

from planner.domain.commune import Commune
from planner.domain.mairie import Mairie

# A mairie stands in its commune: farther from the commune's centre than the radius of a disc of
# the commune's area plus this margin, the directory's position is wrong (Blet's lies 30 km away,
# near Bourges; Allouis' is Allogny's) and is not used: travel and maps keep the commune's centre.
# 66 of the 1,753 positions of the region fail it, 3 of the basin's 103 (Allouis, Blet, Cours-les-Barres).
POSITION_MARGIN_KM = 2.0


def read_mairies(path: Path) -> tuple[Mairie, ...]:
    """Every town hall of the file, in its order; an empty cell stays empty (unknown)."""
    with open(path, encoding="utf-8", newline="") as handle:
        return tuple(
            Mairie(insee=r["insee_com"], commune=r["commune"], address=r["address"], postcode=r["postcode"],
                   town=r["town"], lat=_float(r["lat"]), lon=_float(r["lon"]), hours=r["hours"], phone=r["phone"],
                   email=r["email"], website=r["website"])
            for r in csv.DictReader(handle)
        )


def _float(text: str) -> float | None:
    return float(text) if text.strip() else None


def checked_position(mairie: Mairie, commune: Commune | None) -> Mairie:
    """The mairie, its position dropped (with the reason in ``geo_note``) when it cannot be in its commune."""
    if commune is None or mairie.lat is None or mairie.lon is None:
        return mairie
    km = _km(mairie.lat, mairie.lon, commune.lat, commune.lon)
    reach = math.sqrt(max(commune.area_km2 or 0.0, 0.0) / math.pi) + POSITION_MARGIN_KM
    if km <= reach:
        return mairie
    return replace(mairie, lat=None, lon=None,
                   geo_note=f"position de l'annuaire à {km:.0f} km du centre de la commune (au plus {reach:.0f} km "
                            "attendus) : non retenue, centre de la commune")


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle km (a check at km scale needs no ellipsoid)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))
