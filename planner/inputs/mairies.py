"""Reading data/mairies.csv, the town halls of the region written by data/build.py."""

from __future__ import annotations

import csv
from pathlib import Path

from planner.domain.mairie import Mairie


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
