"""Finding the INSEE code of a place that the inventories give only by postcode, town and position."""

from __future__ import annotations

import json
from difflib import get_close_matches
from pathlib import Path

import numpy as np
import pandas as pd

from planner.core.geodesy import geodesic_km
from planner.domain.names import normalize_name

from .common import MISPLACED_KM, read_raw_csv
from .communes import COMMUNES_FILE


class CommuneResolver:
    """Find the INSEE code of a place given only its postcode, town name and coordinates.

    The inventories carry no INSEE code. Tried in order: postcode and name; département and name
    (also the names of delegated communes, for towns merged since); a close spelling in the
    département; the nearest commune centre of the département.
    """

    def __init__(self, raw: Path, communes: pd.DataFrame) -> None:
        base = read_raw_csv(raw / COMMUNES_FILE)
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


