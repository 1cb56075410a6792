"""The door for a scenario's hosts and markets: each commune's usual host site and its mairie's
hours as the scenario sees them (the planner's corrections, ``spec.hosts``, over the directory),
the check of one correction by the planner's own reader, and the markets of the territory with
their status, for the planner to confirm, correct or reject (``spec.markets``)."""

from __future__ import annotations

from functools import lru_cache

from planner.domain.market import REJECTED, STATUS_LABELS
from planner.domain.problems import DataError, Problem
from planner.domain.weekdays import french_weekday, parse_weekday
from planner.inputs.dataset import shipped_communes, shipped_mairies
from planner.inputs.hosts import SITE_COLUMNS, UNKNOWN_WORDS, read_hosts
from planner.inputs.table import rows_table
from web.planning.plans import scenario_for

__all__ = ["REJECTED", "UNKNOWN_WORDS", "parse_weekday"]

HOSTS_FILE = "hosts"  # the ``file`` of a problem of one correction, as the spec loader names it


def host_rows(spec: dict) -> list[dict]:
    """Every commune of the spec's territory: its usual host site (label, confirmed or not) and its
    mairie's hours (text, or "" when unknown), as the solve and the exports read them; [] when the
    spec does not build (the overview lists why)."""
    try:
        territory = scenario_for(spec).territory
    except DataError:
        return []
    hours = {h.insee: h for h in territory.host_hours}
    rows = []
    for commune in sorted(territory.communes, key=lambda c: c.name):
        site, known = territory.host_site(commune.insee), hours.get(commune.insee)
        rows.append({"insee": commune.insee, "commune": commune.name,
                     "site": site.label() if site is not None and site.address else "",
                     "site_confirmed": bool(site and site.confirmed), "located": bool(site and site.located),
                     "hours": known.hours if known is not None else "",
                     "hours_readable": bool(known and known.opening.known)})
    return rows


@lru_cache(maxsize=1)
def _directory() -> tuple[dict, dict]:
    return {c.insee: c for c in shipped_communes()}, {m.insee: m for m in shipped_mairies()}


def with_confirmed_sites(spec: dict, sites: list[dict]) -> dict:
    """The spec whose usual host sites (``spec.hosts``) are those the hosts confirmed through their
    link: each site ``{insee, site, address, lat, lon}`` takes its commune's site columns (the
    planner's hours on that row stay), confirmed as a planner's row is, so « à confirmer » goes.
    A stop's site then follows the planner's one precedence (StopDetails.site_label): an accepted
    request's site, then this confirmed site, then the scenario's usual site, then the mairie « à
    confirmer ». A site the hosts reader refuses is left out; the spec itself is never changed."""
    if not sites:
        return spec
    rows = {str(r.get("insee_com", "")): dict(r) for r in spec.get("hosts", [])}
    for site in sites:
        row = {key: value for key, value in rows.get(site["insee"], {"insee_com": site["insee"]}).items()
               if key not in SITE_COLUMNS}
        row.update({"site": site["site"], "address": site.get("address", "")})
        if site.get("lat") is not None and site.get("lon") is not None:
            row.update({"lat": site["lat"], "lon": site["lon"]})
        if not host_row_problems(row):
            rows[site["insee"]] = row
    merged = {**spec, "hosts": list(rows.values())}
    try:
        scenario_for(merged)
    except DataError:
        return spec
    return merged


def host_row_problems(row: dict) -> list[Problem]:
    """The problems the planner's hosts reader finds in one correction (column, value, French
    message); [] when it would be read."""
    communes, mairies = _directory()
    try:
        read_hosts(rows_table(HOSTS_FILE, [row]), communes, mairies)
    except DataError as exc:
        return list(exc.problems)
    return []


def scenario_markets(spec: dict) -> list[dict]:
    """The markets the spec's solve counts (shipped and the planner's), by commune and weekday, each
    with its status and whether a planner's row set it; [] when the spec does not build."""
    try:
        territory = scenario_for(spec).territory
    except DataError:
        return []
    own = {(str(r.get("insee_com", "")), parse_weekday(str(r.get("weekday", r.get("jour", ""))))) for r in spec.get("markets", [])}
    rows = []
    for m in sorted(territory.markets, key=lambda m: (m.commune, m.weekday or 8)):
        rows.append({"insee": m.insee, "commune": m.commune, "weekday": m.weekday,
                     "weekday_name": french_weekday(m.weekday) if m.weekday else "", "time_of_day": m.time_of_day,
                     "place": m.place, "months": list(m.months), "season": m.season, "status": m.status,
                     "status_label": STATUS_LABELS[m.status], "confirmed": m.confirmed, "usable": m.usable,
                     "own": (m.insee, m.weekday) in own, "source": m.source})
    return rows
