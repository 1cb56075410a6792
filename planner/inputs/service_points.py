"""Reading service point tables: the shipped data/service_points.csv or a user's own list."""

from __future__ import annotations

from planner.domain.commune import Commune
from planner.domain.service_point import KINDS, ServicePoint
from planner.inputs.columns import aliases_of, canonical
from planner.inputs.rows import Rows
from planner.inputs.table import Source, open_table

KIND_WORDS = {k: k for k in KINDS} | {
    "france services": "france_services",
    "fs": "france_services",
    "médiathèque": "mediatheque",
    "conseiller numérique": "conseiller_numerique",
    "cnfs": "conseiller_numerique",
    "promeneur du net": "promeneur_du_net",
    "club informatique": "club_informatique",
    "club info": "club_informatique",
    "mairie": "mairie_numerique",
    "autre": "autre_lieu",
}

# Codes of these départements must be known communes; a point elsewhere needs coordinates.
COVERED_DEPS = ("18", "28", "36", "37", "41", "45")

REQUIRED = (("name", "nom"), ("kinds", "kind", "type"), aliases_of("insee_com"))  # the header row holds these


def read_service_points(source: Source, communes: dict[str, Commune]) -> tuple[ServicePoint, ...]:
    """Service points of a file; a row without coordinates is placed at its commune centre."""
    table = open_table(source, required=REQUIRED)
    cols = canonical(table, "insee_com", "lat", "lon")
    name_col = "name" if "name" in table.columns else "nom"
    kind_col = next(k for k in ("kinds", "kind", "type") if k in table.columns)
    rows: Rows[ServicePoint] = Rows(table)
    cells = rows.cells

    def point(row: int, values: dict[str, str]) -> ServicePoint | None:
        name = cells.text(row, name_col, values.get(name_col, ""), required=True)
        kinds = set()
        for word in values.get(kind_col, "").replace(";", "|").replace(",", "|").split("|"):
            if word.strip():
                kind = cells.choice(row, kind_col, word, KIND_WORDS)
                if kind:
                    kinds.add(kind)
        if not kinds and not rows.failed():
            cells.fail(row, kind_col, values.get(kind_col, ""), "type de lieu manquant")
        code = cells.insee(row, cols["insee_com"], values.get(cols["insee_com"], ""))
        lat_text = values.get(cols.get("lat", "lat"), "")
        lon_text = values.get(cols.get("lon", "lon"), "")
        coords = None
        if lat_text or lon_text:
            coords = cells.coordinates(row, cols.get("lat", "lat"), lat_text, cols.get("lon", "lon"), lon_text)
        elif code is not None and code not in communes:
            cells.fail(row, cols.get("lat", "lat"), "", "coordonnées obligatoires pour une commune hors du jeu de données")
        if code is not None and code not in communes and code[:2] in COVERED_DEPS and not coords:
            cells.fail(row, cols["insee_com"], code, "commune inconnue")
        point_id = values.get("point_id", "").strip() or f"user-{row}"
        rows.once(point_id, row, "point_id", point_id, "identifiant")
        if rows.failed():
            return None
        commune = communes.get(code)
        lat, lon = coords if coords else (commune.lat, commune.lon)
        return ServicePoint(
            point_id=point_id,
            name=name,
            kinds=frozenset(kinds),
            insee=code,
            commune=commune.name if commune else values.get("commune", ""),
            lat=lat,
            lon=lon,
            address=values.get("address", values.get("adresse", "")),
            geo_note=values.get("geo_note", "") if coords else "centre de la commune (pas de coordonnées)",
            sources=tuple(s for s in values.get("sources", values.get("source", table.file)).split("|") if s),
        )

    return rows.parse(point)
