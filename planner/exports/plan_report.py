"""What ``run.py plan`` and ``run.py evaluate`` print: a plan's figures and explanations."""

from __future__ import annotations

from dataclasses import asdict

from planner.core.evaluate import Violation
from planner.domain.formatting import fr_date, fr_number
from planner.domain.plan import Plan
from planner.domain.stop import Stop
from planner.domain.weekdays import french_weekday


def plan_summary(plan: Plan) -> dict:
    """Stable JSON keys; ``stops`` is the count, ``stop_list`` the stops themselves."""
    solver = plan.solver
    metrics = plan.metrics
    return {
        "status": solver.status if solver else "EVALUATED",
        "objective": solver.objective if solver else metrics.objective,
        "bound": solver.bound if solver else None,
        "gap": solver.gap if solver else None,
        "wall_s": solver.wall_s if solver else None,
        "seed": solver.seed if solver else None,
        "workers": solver.workers if solver else None,
        "found_by": solver.source if solver else None,
        "stops": metrics.stops,
        "communes_visited": metrics.communes_visited,
        "seniors_reached": metrics.seniors_reached,
        "underserved_seniors_reached": metrics.underserved_seniors_reached,
        "far_km": metrics.far_km,
        "km_total": metrics.km_total,
        "drive_minutes_total": metrics.drive_minutes_total,
        "market_day_stops": metrics.market_day_stops,
        "idle_days": metrics.idle_days,
        "requests_served": metrics.requests_served,
        "unserved_requests": [asdict(u) for u in plan.unserved],
        "conflicts": [{"rules": list(c.rules), "message": c.message} for c in plan.conflicts],
        "moved_stops": [m.to_dict() for m in plan.moved],
        "stop_list": [stop_row(s) for s in plan.stops],
        "params": plan.params,
        # Mediator mode: the weekly rotation; objective, bound and gap are then those of one full week.
        "template": {"objective_scope": "week", "slots": [{
            "vehicle": t.vehicle, "weekday": t.weekday, "slot": t.slot, "session": t.session, "insee_com": t.insee,
            "commune": t.commune, "hours_known": t.hours_known, "hours": t.hours, "market_day": t.market,
            "skipped_dates": [d.isoformat() for d in t.skipped]} for t in plan.template]} if plan.template else None,
    }


def stop_row(stop: Stop) -> dict:
    return {
        "date": stop.date.isoformat(),
        "vehicle": stop.vehicle,
        "insee_com": stop.insee,
        "commune": stop.commune,
        "slot": stop.slot,
        "km": stop.km,
        "minutes": stop.minutes,
        "seniors_reached": stop.seniors_reached,
        "far_seniors_reached": stop.far_seniors_reached,
        "nearest_service_km": stop.nearest_service_km,
        "market_day": stop.market_day,
        "requests": list(stop.request_ids),
        "value": stop.value,
        "explanation": explain_stop(stop),
    }


def explain_stop(stop: Stop) -> str:
    """The stop in one French sentence: whom it reaches and why it is there."""
    parts = [f"bassin de ~{fr_number(stop.seniors_reached)} seniors (pondérés par la distance), dont "
             f"{fr_number(stop.far_seniors_reached)} loin des lieux d'aide ; lieu d'aide le plus proche à "
             f"{fr_number(stop.nearest_service_km, 1)} km"]
    if stop.market_day:
        parts.append("jour de marché")
    if stop.request_ids:
        parts.append("demandé (" + ", ".join(stop.request_ids) + ")")
    return " ; ".join(parts)


def format_plan(plan: Plan, summary: dict, *, limit: int = 25) -> str:
    lines = []
    solver = plan.solver
    if solver:
        quality = (f"statut {solver.status}, objectif {_value(solver.objective)}, borne {_value(solver.bound)}, "
                   f"écart {_percent(solver.gap)}, {solver.wall_s:.1f} s, graine {solver.seed}, "
                   f"{solver.workers} fil(s)")
        lines.append(f"Résolution : {quality}")
    if plan.template:
        several = len({t.vehicle for t in plan.template}) > 1
        lines += ["", "Semaine type (répétée chaque semaine, jours fermés exceptés ; objectif, borne et écart : "
                      "valeur d'une semaine complète, les chiffres suivants portent sur la saison) :"]
        for t in plan.template:
            notes = [f"mairie : {t.hours}" if t.hours_known else "horaires de mairie inconnus, à vérifier avec la mairie"]
            if t.market:
                notes.append("jour de marché")
            if t.skipped:
                notes.append("sauf le " + ", ".join(fr_date(d) for d in t.skipped) + " (arrêt interdit)")
            who = f"{t.vehicle[:12]:<13}" if several else ""
            lines.append(f"  {who}{french_weekday(t.weekday):<9} {t.session:<12} {t.commune[:26]:<26} {t.insee}  "
                         + " ; ".join(notes))
        lines.append("")
    if plan.conflicts:
        lines.append("")
        lines.append("Configuration irréalisable :")
        lines += [f"  - {c.message}" for c in plan.conflicts]
    if plan.stops or not plan.conflicts:
        lines += [
            f"Arrêts : {summary['stops']} dans {summary['communes_visited']} communes ; jours sans arrêt : "
            f"{summary['idle_days']:g}",
            f"Seniors touchés : ~{fr_number(summary['seniors_reached'])}, dont "
            f"{fr_number(summary['underserved_seniors_reached'])} à plus de {summary['far_km']:g} km d'un lieu d'aide",
            f"Route : {fr_number(summary['km_total'])} km, {fr_number(summary['drive_minutes_total'] / 60)} h ; "
            f"jours de marché : {summary['market_day_stops']} ; demandes servies : {summary['requests_served']}",
        ]
    if plan.stops:
        lines += ["", f"{'Date':<11} {'Jour':<9} {'Véhicule':<10} {'Commune':<28} {'km':>6}  Pourquoi"]
        for stop in plan.stops[:limit]:
            lines.append(f"{fr_date(stop.date):<11} {_weekday(stop):<9} {stop.vehicle[:10]:<10} {stop.commune[:28]:<28} "
                         f"{stop.km:>6.0f}  {explain_stop(stop)}")
        if len(plan.stops) > limit:
            lines.append(f"… et {len(plan.stops) - limit} autres arrêts (--out FICHIER pour la liste complète)")
    if plan.unserved:
        lines += ["", "Demandes non servies :"]
        lines += [f"  - {u.request_id} ({u.insee}, {u.priority}) : {u.message}" for u in plan.unserved]
    if plan.moved:
        lines += ["", f"Arrêts déplacés par rapport au plan précédent : {len(plan.moved)}"]
        for move in plan.moved:
            target = ", ".join(fr_date(d) for d in move.to_dates) or "supprimé"
            lines.append(f"  - {move.commune or move.insee} du {fr_date(move.from_date)} -> {target} ({move.reason})")
    return "\n".join(lines)


def format_violations(violations: tuple[Violation, ...]) -> str:
    if not violations:
        return "Aucune règle enfreinte."
    lines = [f"Règles enfreintes : {len(violations)}"]
    for v in violations:
        when = fr_date(v.date) if v.date else "saison"
        lines.append(f"  - {when} {v.insee} [{v.rule}] {v.message}")
    return "\n".join(lines)


def _weekday(stop: Stop) -> str:
    return french_weekday(stop.date.isoweekday())


def _value(value) -> str:
    return "—" if value is None else fr_number(value)


def _percent(gap) -> str:
    return "—" if gap is None else f"{100 * gap:.2f} %"
