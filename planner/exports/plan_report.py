"""What ``run.py plan`` and ``run.py evaluate`` print: a plan's figures and explanations."""

from __future__ import annotations

from dataclasses import asdict

from planner.core.evaluate import Violation
from planner.core.next_season import HistoryEffect
from planner.domain.formatting import fr_date, fr_number, plural
from planner.domain.params import NeedParams
from planner.domain.plan import Plan
from planner.domain.stop import Stop
from planner.domain.weekdays import french_weekday

FAR_KM = NeedParams().far_km


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
        "candidates": solver.candidates if solver and solver.communes else None,
        "communes": solver.communes if solver and solver.communes else None,
        "stops": metrics.stops,
        "communes_visited": metrics.communes_visited,
        "communes_reached": metrics.communes_reached,
        "seats": metrics.seats,
        "participants": metrics.participants,
        "participants_far": metrics.participants_far,
        "fill_rate": metrics.fill_rate,
        "far_km": metrics.far_km,
        "km_total": metrics.km_total,
        "drive_minutes_total": metrics.drive_minutes_total,
        "market_day_stops": metrics.market_day_stops,
        "unconfirmed_market_stops": metrics.unconfirmed_market_stops,
        "unconfirmed_markets": list(metrics.unconfirmed_markets),
        "idle_days": metrics.idle_days,
        "requests_served": metrics.requests_served,
        "unserved_requests": [asdict(u) for u in plan.unserved],
        "conflicts": [{"rules": list(c.rules), "message": c.message} for c in plan.conflicts],
        "moved_stops": [m.to_dict() for m in plan.moved],
        "added_stops": [a.to_dict() for a in plan.added],
        "unvisited_communes": [u.to_dict() for u in plan.unvisited],
        "stop_list": [stop_row(s, metrics.far_km or FAR_KM) for s in plan.stops],
        "params": plan.params,
        # Mediator mode: the weekly rotation; objective, bound and gap are then those of one full week.
        "template": {"objective_scope": "week", "slots": [{
            "vehicle": t.vehicle, "weekday": t.weekday, "slot": t.slot, "session": t.session, "insee_com": t.insee,
            "commune": t.commune, "hours_known": t.hours_known, "hours": t.hours, "market_day": t.market,
            "skipped_dates": [d.isoformat() for d in t.skipped]} for t in plan.template]} if plan.template else None,
    }


def stop_row(stop: Stop, far_km: float = FAR_KM) -> dict:
    return {
        "date": stop.date.isoformat(),
        "vehicle": stop.vehicle,
        "insee_com": stop.insee,
        "commune": stop.commune,
        "slot": stop.slot,
        "km": stop.km,
        "minutes": stop.minutes,
        "places": stop.places,
        "participants": stop.participants,
        "participants_far": stop.participants_far,
        "origins": [{"insee_com": insee, "commune": name, "participants": n} for insee, name, n in stop.origins],
        "far_seniors_reached": stop.far_seniors_reached,
        "far_communes": stop.far_communes,
        "far_help_km": stop.far_help_km,
        "far_stop_km": stop.far_stop_km,
        "near_seniors_helped": stop.near_seniors_helped,
        "nearest_service_km": stop.nearest_service_km,
        "market_day": stop.market_day,
        "requests": list(stop.request_ids),
        "value": stop.value,
        "explanation": explain_stop(stop, far_km),
    }


def explain_stop(stop: Stop, far_km: float = FAR_KM) -> str:
    """The stop in one French sentence: who is expected, the access it adds, why it is there that day."""
    parts = []
    if stop.places:
        parts.append(f"~{fr_number(stop.participants)} participants attendus sur {stop.places} places"
                     + (f" (dont {fr_number(stop.participants_far)} à plus de {fr_number(far_km)} km d'un lieu d'aide)"
                        if stop.participants_far >= 0.5 else "")
                     + (", venus de " + origins_text(stop) if stop.origins else ""))
    if stop.far_seniors_reached >= 0.5:
        parts.append(f"~{fr_number(stop.far_seniors_reached)} seniors de {_communes(stop.far_communes)} à plus de "
                     f"{fr_number(far_km)} km d'un lieu d'aide ({fr_number(stop.far_help_km)} km en moyenne), "
                     f"désormais à {fr_number(stop.far_stop_km)} km en moyenne")
    if stop.near_seniors_helped >= 0.5:
        other = "autres " if parts else ""
        parts.append(f"~{fr_number(stop.near_seniors_helped)} {other}seniors rapprochés d'un lieu d'aide")
    if stop.far_seniors_reached < 0.5 and stop.near_seniors_helped < 0.5:
        parts.append(f"n'ajoute aucun accès : lieu d'aide à {fr_number(stop.nearest_service_km, 1)} km")
    if stop.market_day:
        parts.append("jour de marché")
    if stop.request_ids:
        parts.append("demandé (" + ", ".join(stop.request_ids) + ")")
    return " ; ".join(parts)


def origins_text(stop: Stop, most: int = 3) -> str:
    """« Lunery (9,6), Morthomiers (2,1) et 3 autres communes »."""
    named = [f"{name} ({fr_number(n, 1)})" for _insee, name, n in stop.origins[:most]]
    rest = len(stop.origins) - most
    if rest > 0:
        named.append(f"{rest} autre{'s' if rest > 1 else ''} commune{'s' if rest > 1 else ''}")
    return named[0] if len(named) == 1 else ", ".join(named[:-1]) + " et " + named[-1]


def _communes(count: int) -> str:
    return "1 commune" if count == 1 else f"{count} communes"


def format_plan(plan: Plan, summary: dict, *, limit: int = 25) -> str:
    lines = []
    solver = plan.solver
    if solver:
        quality = (f"statut {solver.status}, objectif {_value(solver.objective)}, borne {_value(solver.bound)}, "
                   f"écart {_percent(solver.gap)}, {solver.wall_s:.1f} s, graine {solver.seed}, "
                   f"{plural(solver.workers, 'fil')}")
        lines.append(f"Résolution : {quality}")
        if solver.communes:
            lines.append(f"Communes candidates : {fr_number(solver.candidates)} atteignables sur "
                         f"{fr_number(solver.communes)} (limites de conduite et nuits dehors des véhicules)")
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
            f"Places offertes : {fr_number(summary['seats'])} ; participants attendus : "
            f"~{fr_number(summary['participants'])} (remplissage {_percent(summary['fill_rate'], 0)}), dont "
            f"~{fr_number(summary['participants_far'])} à plus de {summary['far_km']:g} km d'un lieu d'aide, "
            f"venus de {summary['communes_reached']} communes",
            f"Route : {fr_number(summary['km_total'])} km, {fr_number(summary['drive_minutes_total'] / 60)} h ; "
            f"jours de marché : {summary['market_day_stops']}{_unconfirmed(summary)} ; "
            f"demandes servies : {summary['requests_served']}",
        ]
        if summary.get("unconfirmed_markets"):
            lines.append("Marchés à confirmer des arrêts : " + " ; ".join(summary["unconfirmed_markets"]))
    if plan.stops:
        lines += ["", f"{'Date':<11} {'Jour':<9} {'Véhicule':<10} {'Commune':<28} {'km':>6}  Pourquoi"]
        for stop in plan.stops[:limit]:
            lines.append(f"{fr_date(stop.date):<11} {_weekday(stop):<9} {stop.vehicle[:10]:<10} {stop.commune[:28]:<28} "
                         f"{stop.km:>6.0f}  {explain_stop(stop, summary['far_km'] or FAR_KM)}")
        if len(plan.stops) > limit:
            lines.append(f"… et {len(plan.stops) - limit} autres arrêts "
                         "(liste complète dans le fichier CSV ou le classeur de la saison)")
    if plan.unserved:
        lines += ["", "Demandes non servies :"]
        priority = {"must": "impérative", "should": "souhaitée"}
        lines += [f"  - {u.request_id} ({u.insee}, {priority.get(u.priority, u.priority)}) : {u.message}"
                  for u in plan.unserved]
    if plan.unvisited:
        lines += ["", f"Communes avec un besoin et sans arrêt : {len(plan.unvisited)} (besoin décroissant)"]
        lines += [f"  - {u.commune} ({u.insee}, besoin {fr_number(u.need)}) : {u.message}"
                  for u in plan.unvisited[:limit]]
        if len(plan.unvisited) > limit:
            lines.append(f"… et {len(plan.unvisited) - limit} autres "
                         "(liste complète dans l'onglet « Communes » du classeur de la saison)")
    if plan.moved or plan.added:
        lines += ["", "Changements par rapport au plan précédent : "
                      f"{plural(len(plan.moved), 'arrêt déplacé ou retiré', 'arrêts déplacés ou retirés')}, "
                      f"{plural(len(plan.added), 'date ajoutée')}"]
        for move in plan.moved:
            target = ", ".join(fr_date(d) for d in move.to_dates)
            dates = "nouvelles dates" if len(move.to_dates) > 1 else "nouvelle date"
            where = f"{dates} : {target}" if target else "retiré, sans nouvelle date"
            lines.append(f"  - {move.commune or move.insee} : le {fr_date(move.from_date)} -> {where} ({move.reason})")
        for gain in plan.added:
            instead = f", {place_of(gain.replaces)}" if gain.replaces else ""
            lines.append(f"  + {gain.commune or gain.insee} gagne le {fr_date(gain.date)}{instead} ({gain.reason})")
    return "\n".join(lines)


def _unconfirmed(summary: dict) -> str:
    count = summary.get("unconfirmed_market_stops") or 0
    return f" (dont {count} sur un marché à confirmer)" if count else ""


def place_of(name: str) -> str:
    """« à la place de Blet », « à la place d'Allogny »."""
    return f"à la place d'{name}" if name[:1].lower() in "aeiouyhéèêâîôû" else f"à la place de {name}"


def history_lines(effect: HistoryEffect) -> list[str]:
    """What the past season changed, one line per commune: « Trouy : 14 participants en 2026-2027 :
    vivier réduit (…) », the fill observed beside the expected one, full workshops marked."""
    lines = []
    for c in effect.communes:
        pool = (f"vivier réduit ({fr_number(c.pool_before, 1)} → {fr_number(c.pool_after, 1)} seniors qui viendraient)"
                if c.reduced else "vivier inchangé")
        text = f"{c.name} : {plural(c.participants, 'participant')} en {effect.label} : {pool}"
        if c.observed_fill is not None:
            expected = f", attendu {fr_number(100 * c.expected_fill)} %" if c.expected_fill is not None else ""
            text += f" ; remplissage observé {fr_number(100 * c.observed_fill)} %{expected}"
        if c.full_with_waiting:
            text += f" ; complet avec liste d'attente ({c.waiting})"
        lines.append(text)
    return lines


def format_history(effect: HistoryEffect, *, limit: int = 25) -> str:
    full = sum(1 for c in effect.communes if c.full_with_waiting)
    lines = [f"Saison passée {effect.label} : {plural(effect.participants, 'participant')} dans "
             f"{plural(len(effect.communes), 'commune')}, "
             "retirés du vivier de seniors qui viendraient cette saison"
             + (f" ; {plural(full, 'commune complète')} avec liste d'attente" if full else "")]
    rows = history_lines(effect)
    lines += [f"  - {row}" for row in rows[:limit]]
    if len(rows) > limit:
        lines.append(f"… et {len(rows) - limit} autres")
    return "\n".join(lines)


def history_json(effect: HistoryEffect) -> dict:
    return {"label": effect.label, "participants": effect.participants,
            "communes": [{"insee_com": c.insee, "commune": c.name, "participants": c.participants, "held": c.held,
                          "waiting": c.waiting, "full_with_waiting": c.full_with_waiting,
                          "observed_fill": c.observed_fill, "expected_fill": c.expected_fill,
                          "pool_before": round(c.pool_before, 1), "pool_after": round(c.pool_after, 1)}
                         for c in effect.communes]}


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


def _percent(gap, digits: int = 2) -> str:
    return "—" if gap is None else f"{100 * gap:.{digits}f} %"
