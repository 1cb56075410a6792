"""What ``run.py territory`` tells about a territory: people, services, distances, gaps, need."""

from __future__ import annotations

import numpy as np

from planner.core.need import NeedModel
from planner.domain.formatting import fr_number, plural
from planner.domain.params import Params
from planner.domain.service_point import KIND_LABELS, KINDS
from planner.domain.territory import Territory

TOP_NEED = 10


def territory_report(territory: Territory, params: Params, model: NeedModel) -> dict:
    """Figures with stable keys (the JSON output); ``format_report`` renders them as text."""
    communes = territory.communes
    codes = set(territory.index)
    kinds = params.need.service_kinds
    used = [p for p in territory.service_points if p.is_any(kinds)]
    inside = [p for p in used if p.insee in codes]
    places = [p for p in territory.service_points if p.insee in codes]
    seniors = np.nan_to_num(model.seniors)
    far = model.nearest_km > params.need.far_km
    order = np.argsort(-model.need, kind="stable")[:TOP_NEED]
    values = model.stop_values()
    usable_markets = [m for m in territory.markets if m.usable]
    return {
        "territory": territory.name,
        "communes": len(communes),
        "population": int(sum(c.population or 0 for c in communes)),
        "area_km2": round(sum(c.area_km2 or 0.0 for c in communes), 1),
        "seniors": round(float(seniors.sum())),
        "seniors_basis": sorted({c.seniors_basis for c in communes if c.seniors is not None}),
        "service_kinds": list(kinds),
        "service_points_in_territory": len(inside),
        "service_points_used": len(used),
        "communes_with_service_point": len({p.insee for p in inside}),
        "service_points_by_kind": _by_kind(places, kinds),
        "places": [{"point_id": p.point_id, "name": p.name, "insee_com": p.insee, "commune": p.commune,
                    "kinds": sorted(p.kinds), "counted": p.is_any(kinds)}
                   for p in sorted(places, key=lambda p: (p.insee, p.point_id))],
        "median_distance_km": round(float(np.median(model.nearest_km)), 1),
        "max_distance_km": round(float(np.max(model.nearest_km)), 1),
        "far_km": params.need.far_km,
        "seniors_far_from_service": round(float(seniors[far].sum())),
        "markets_known": len(territory.markets),
        "markets_unconfirmed": sum(not m.confirmed for m in territory.markets),
        "communes_with_market_day": len({m.insee for m in usable_markets}),
        "host_hours_known": len(territory.host_hours),
        "top_need": [_commune_row(territory, model, values, int(i)) for i in order],
        "missing": {
            "seniors": list(model.unknown_seniors),
            "population": [c.insee for c in communes if c.population is None],
            "fragility": [c.insee for c in communes if c.fragility is None],
            "market_day": len(communes) - len({m.insee for m in usable_markets}),
            "host_hours": len(communes) - len({h.insee for h in territory.host_hours}),
        },
        "travel": {"circuity": params.travel.circuity, "speed_kmh": params.travel.speed_kmh,
                   "provider": "osrm" if params.travel.osrm_url else "geodesic"},
        "sources": list(territory.sources),
        "commune_list": [_commune_row(territory, model, values, i) for i in range(len(communes))],
    }


def _by_kind(places, counted: tuple[str, ...]) -> list[dict]:
    """Places of the territory holding each kind (a place with two kinds counts in both), known kinds first."""
    present = {k for p in places for k in p.kinds}
    order = [k for k in KINDS if k in present] + sorted(present - set(KINDS))
    return [{"kind": k, "label": KIND_LABELS.get(k, k), "places": sum(k in p.kinds for p in places),
             "counted": k in counted} for k in order]


def _commune_row(territory: Territory, model: NeedModel, values: np.ndarray, i: int) -> dict:
    c = territory.communes[i]
    return {
        "insee_com": c.insee,
        "commune": c.name,
        "epci_nom": c.epci_name,
        "lat": c.lat,
        "lon": c.lon,
        "population": c.population,
        "seniors": None if c.seniors is None else round(c.seniors, 1),
        "nearest_service": model.nearest_name[i],
        "nearest_service_km": round(float(model.nearest_km[i]), 1),
        "access_gap": round(float(model.access_gap[i]), 3),
        "need": round(float(model.need[i]), 1),
        "stop_value": round(float(values[i]), 1),
    }


def format_report(report: dict) -> str:
    """French text for a terminal: the summary, the top-need table and what is missing."""
    n = report["communes"]
    missing = report["missing"]
    lines = [
        f"Territoire {report['territory']} : {n} communes, {fr_number(report['population'])} habitants, "
        f"{fr_number(report['area_km2'])} km²",
        f"Seniors : {fr_number(report['seniors'])} ({'; '.join(report['seniors_basis'])})",
        f"Lieux d'aide numérique retenus ({', '.join(report['service_kinds'])}) : "
        f"{report['service_points_in_territory']} dans le territoire, {report['service_points_used']} utilisés "
        "pour les distances",
        "Lieux du territoire par type (un lieu peut en avoir plusieurs) : " + ", ".join(
            f"{k['label']} {k['places']} ({'compté' if k['counted'] else 'non compté'})"
            for k in report["service_points_by_kind"]),
        f"Communes avec un lieu : {report['communes_with_service_point']} / {n}",
        f"Distance au lieu le plus proche (km de route estimés) : médiane {report['median_distance_km']}, "
        f"max {report['max_distance_km']}",
        f"Seniors à plus de {report['far_km']:g} km d'un lieu : {fr_number(report['seniors_far_from_service'])}",
        f"Marchés connus : {report['markets_known']}, dont {report['markets_unconfirmed']} à confirmer (jour connu et "
        f"hebdomadaire dans {report['communes_with_market_day']} communes ; inconnu pour {missing['market_day']})",
        f"Horaires de mairie connus : {report['host_hours_known']} communes (inconnus pour {missing['host_hours']})",
        "",
        f"Les {len(report['top_need'])} communes au plus fort besoin :",
        f"  {'INSEE':<6} {'Commune':<28} {'Seniors':>8} {'km lieu':>8} {'Écart':>6} {'Besoin':>8}  Lieu le plus proche",
    ]
    for row in report["top_need"]:
        seniors = "?" if row["seniors"] is None else f"{row['seniors']:.0f}"
        lines.append(
            f"  {row['insee_com']:<6} {row['commune'][:28]:<28} {seniors:>8} {row['nearest_service_km']:>8.1f} "
            f"{row['access_gap']:>6.2f} {row['need']:>8.0f}  {row['nearest_service'][:40]}"
        )
    gaps = []
    if missing["seniors"]:
        gaps.append(f"seniors inconnus pour {plural(len(missing['seniors']), 'commune')} : {', '.join(missing['seniors'])} "
                    "(fournir une table d'âges INSEE par commune)")
    if missing["population"]:
        gaps.append(f"population inconnue pour {plural(len(missing['population']), 'commune')}")
    if gaps:
        lines += ["", "Données manquantes :"] + [f"  - {g}" for g in gaps]
    return "\n".join(lines)
