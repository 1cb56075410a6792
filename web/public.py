"""What hosts and the public see, without an account: published seasons, a commune's dates, its
calendar feed and a printable notice per stop day.

Only published plans are read here (``web.published``, which caches them by publication id).
"""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, redirect, render_template, request, url_for

from web import links, planning
from web import season as running
from web.downloads import content_disposition, file_name
from web.extensions import db
from web.models import Publication
from web.published import Published, cached_response, current, current_ids, published

bp = Blueprint("public", __name__, static_folder="public_static", static_url_path="/public-static")
TEAM_CONTACT_MISSING = "contact de l'équipe à renseigner"
ICS_TYPE = "text/calendar; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BRING = ("votre téléphone ou votre tablette, bien chargé", "le chargeur", "vos identifiants et mots de passe "
         "(messagerie, ameli, impots.gouv, retraite…), si vous en avez", "votre carte Vitale")
PLACE_UNKNOWN = "à compléter par la mairie"
OFFER = {
    "bus": ("Deux ateliers dans le bus numérique, en petit groupe : premiers pas sur smartphone, tablette et "
            "ordinateur, messagerie, démarches en ligne (santé, retraite, impôts), se protéger des arnaques sur "
            "internet. Gratuits, pour les seniors."),
    "mediator": ("Un médiateur numérique vous aide, seul ou en petit groupe : utiliser son téléphone ou sa "
                 "tablette, la messagerie, les démarches en ligne (santé, retraite, impôts), éviter les "
                 "arnaques. Gratuit."),
}


def team_contact(spec: dict) -> dict:
    """The team's contact from the scenario (``team_contact``: name, phone, email, signup); empty values
    are left out, and nothing is invented when it is not set."""
    contact = spec.get("team_contact") or {}
    return {k: str(v).strip() for k, v in contact.items() if isinstance(v, str) and v.strip()} \
        if isinstance(contact, dict) else {}


def stop_view(stop, season: Published) -> dict:
    """What a host needs about one stop: date, workshop times, where it takes place (the planner's
    one host-site label, as in the workbooks and calendars) and the kind of service."""
    host = planning.host_stop(stop, season.scenario)
    return {"date": stop.date, "slot": stop.slot, "vehicle": stop.vehicle, "kind": host["kind"],
            "label": host["label"], "times": [(_hour(a), _hour(b)) for a, b in host["times"]],
            "place": host["place"], "place_known": host["place_known"], "market_day": stop.market_day}


def facts_of(insee: str, seasons: list[Published]) -> dict | None:
    """The commune's host site, mairie hours and contact, nearest help: from the first published
    season that plans it (the planner's corrections apply), else from the region's data."""
    for season in seasons:
        if insee in season.scenario.territory:
            return planning.commune_facts(season.scenario, insee)
    return planning.region_facts(insee)


def _hour(time_of_day: dt.time) -> str:
    """« 09 h 30 » with non-breaking spaces, so a time never wraps on a phone."""
    return f"{time_of_day:%H}\u00a0h\u00a0{time_of_day:%M}"


# --- pages ---------------------------------------------------------------------------------------

@bp.get("/saisons")
def seasons():
    ids = current_ids()

    def make() -> bytes:
        rows = [{"id": p.id, "name": p.name, "revision": p.revision, "published_at": p.published_at,
                 "stops": len(p.plan.stops), "communes": len({s.insee for s in p.plan.stops}),
                 "start": min((s.date for s in p.plan.stops), default=None),
                 "end": max((s.date for s in p.plan.stops), default=None)} for p in current()]
        return render_template("public/seasons.html", seasons=rows).encode()

    return cached_response(("saisons", ids), "text/html", make)


@bp.get("/saisons/<int:publication_id>/saison.<fmt>")
def season_download(publication_id: int, fmt: str):
    season = published(publication_id)
    if season is None or fmt not in ("xlsx", "csv"):
        abort(404)
    record = db.session.get(Publication, publication_id)
    make = (lambda: planning.season_workbook(record.plan.data, season.spec, public=True)) if fmt == "xlsx" \
        else (lambda: planning.stops_csv(record.plan.data, season.spec, public=True))
    name = file_name(season.name, f"révision {season.revision}", ext=fmt)
    return cached_response(("season", publication_id, fmt), XLSX_TYPE if fmt == "xlsx" else "text/csv; charset=utf-8",
                           make, {"Content-Disposition": content_disposition(name)})


@bp.get("/communes")
def search():
    query = (request.args.get("q") or "").strip()[:80]
    results = []
    if query:
        folded = planning.search_key(query)
        known = planning.shipped_by_insee()
        if query.isdigit() and len(query) == 5 and query in known and query not in planning.postcodes():
            return redirect(url_for("public.commune", insee=query))
        served = {s.insee for p in current() for s in p.plan.stops}
        by_postcode = set(planning.postcodes().get(query, ())) if query.isdigit() and len(query) == 5 else set()
        for c, name in planning.search_keys():
            by_code = c.insee in by_postcode or (query.isdigit() and c.insee.startswith(query))
            if folded and (name.startswith(folded) or f" {folded}" in f" {name}" or by_code):
                results.append({"insee": c.insee, "name": c.name, "dep": c.dep, "served": c.insee in served})
        results.sort(key=lambda r: (not r["served"], planning.search_key(r["name"])))
        if len(results) == 1:
            return redirect(url_for("public.commune", insee=results[0]["insee"]))
    return render_template("public/search.html", query=query, results=results[:50], more=max(0, len(results) - 50))


@bp.get("/communes/<insee>")
def commune(insee: str):
    known = planning.shipped_by_insee()
    if insee not in known:
        abort(404)
    ids = current_ids()

    def make() -> bytes:
        seasons, concerned = [], [season for season in current() if season.concerns(insee)]
        for season in concerned:
            stops = [stop_view(s, season) for s in season.stops_in(insee)]
            seasons.append({"season": season, "stops": stops, "contact": team_contact(season.spec),
                            "withdrawn": running.withdrawn_in(season, insee),
                            "in_territory": insee in season.scenario.territory})
        return render_template("public/commune.html", commune=known[insee], seasons=seasons,
                               facts=facts_of(insee, concerned),
                               missing_contact=TEAM_CONTACT_MISSING, has_map=any(s["in_territory"] for s in seasons)).encode()

    return cached_response(("commune", insee, ids, links.base()), "text/html", make)  # its links start with base()


@bp.get("/communes/<insee>.ics")
def commune_ics(insee: str):
    if insee not in planning.shipped_by_insee():
        abort(404)
    ids = current_ids()

    def make() -> bytes:
        calendars = []
        for season in current():
            if season.concerns(insee) and insee in season.scenario.territory:
                # every stop an earlier revision published and this one lacks stays in the feed, CANCELLED
                earlier = tuple(w.stop for w in running.withdrawn_in(season, insee))
                try:
                    calendars.append(planning.host_calendar(season.plan, season.scenario, insee, previous=earlier,
                                                            revision=season.revision))
                except planning.DataError:
                    continue
        return merge_calendars(calendars, f"Tournée · {planning.shipped_by_insee()[insee].name}").encode("utf-8")

    return cached_response(("ics", insee, ids), ICS_TYPE, make,
                           {"Content-Disposition": content_disposition(
                               file_name("Tournée", planning.shipped_by_insee()[insee].name, ext="ics"), inline=True)})


@bp.get("/communes/<insee>/carte.svg")
def commune_map(insee: str):
    seasons = [p for p in current() if p.concerns(insee) and insee in p.scenario.territory]
    if not seasons:
        abort(404)
    season = seasons[0]

    def make() -> bytes:
        return planning.commune_map(season.scenario, insee).encode("utf-8")

    return cached_response(("carte", insee, season.id), "image/svg+xml", make)


@bp.get("/communes/<insee>/saison-<int:publication_id>.xlsx")
def commune_workbook(insee: str, publication_id: int):
    season = published(publication_id)
    if season is None or publication_id not in current_ids() or not season.concerns(insee) \
            or insee not in season.scenario.territory:
        abort(404)
    gone = running.withdrawn_in(season, insee)  # said « annulée » or « déplacée au … » in the workbook
    try:  # built once per publication (~0.3 s), not once per download
        return cached_response(("host-xlsx", insee, publication_id), XLSX_TYPE,
                               lambda: planning.host_workbook(season.plan, season.scenario, insee,
                                                              previous=tuple(w.stop for w in gone),
                                                              moves={w.date: w.moved_to for w in gone if w.moved_to}),
                               {"Content-Disposition": content_disposition(file_name(
                                   "Tournée", planning.shipped_by_insee()[insee].name, season.name,
                                   f"révision {season.revision}", ext="xlsx"))})
    except planning.DataError:
        abort(404)


@bp.get("/communes/<insee>/avis/<int:publication_id>/<day>")
def notice(insee: str, publication_id: int, day: str):
    """One A4 page for the mairie's notice board: the stop(s) of that day in the commune."""
    season = published(publication_id)
    try:
        date = dt.date.fromisoformat(day)
    except ValueError:
        return _no_stop(insee, None)
    if season is None or insee not in planning.shipped_by_insee():
        return _no_stop(insee, date)
    if publication_id not in current_ids():  # a notice printed from an older revision: read the current one
        now = running.latest_publication(season.scenario_id)
        if now is not None and any(s.date == date for s in now.stops_in(insee)):
            return redirect(url_for("public.notice", insee=insee, publication_id=now.id, day=day))
        season = now or season
    stops = [stop_view(s, season) for s in season.stops_in(insee) if s.date == date]
    if not stops:
        gone = [w for w in running.withdrawn_in(season, insee) if w.date == date]
        return _no_stop(insee, date, gone[0] if gone else None)

    def make() -> bytes:
        kind = stops[0]["kind"]
        times = [(_half_day(stop, i, len(stop["times"])), a, b) for stop in stops for i, (a, b) in enumerate(stop["times"])]
        places = list(dict.fromkeys((stop["place"], stop["place_known"]) for stop in stops))
        return render_template("public/notice.html", commune=planning.shipped_by_insee()[insee], stops=stops, date=date,
                               times=times, places=places, facts=facts_of(insee, [season]),
                               offer=OFFER.get(kind, OFFER["bus"]), bring=BRING, contact=team_contact(season.spec),
                               missing_contact=TEAM_CONTACT_MISSING, season=season, place_unknown=PLACE_UNKNOWN).encode()

    return cached_response(("notice", insee, publication_id, day), "text/html", make)


def _no_stop(insee: str, date: dt.date | None, gone=None):
    """A notice link with no stop behind it: the date was moved or cancelled (410, said plainly), or
    there never was one (404); a public page either way, with the commune's current dates a click away."""
    commune = planning.shipped_by_insee().get(insee)
    return render_template("public/notice_gone.html", commune=commune, date=date, gone=gone), 410 if gone else 404


def _half_day(stop: dict, index: int, count: int) -> str:
    """« Matin » / « Après-midi » for a mediator's half-day or each of the bus's two workshops."""
    if stop["slot"] in (1, 2):
        return ("Matin", "Après-midi")[stop["slot"] - 1]
    return ("Matin", "Après-midi")[index] if count == 2 else ""


def merge_calendars(calendars: list[str], name: str) -> str:
    """One calendar from several (one per published season): the first one's header and time zone,
    every event of all of them. An empty feed is still a valid calendar."""
    if not calendars:
        lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Tournée//Planificateur de saison//FR",
                 "CALSCALE:GREGORIAN", "METHOD:PUBLISH", f"X-WR-CALNAME:{name}", "END:VCALENDAR"]
        return "".join(line + "\r\n" for line in lines)
    if len(calendars) == 1:
        return calendars[0]
    head, _, _ = calendars[0].partition("BEGIN:VEVENT")
    events = []
    for text in calendars:
        body = text[text.find("BEGIN:VEVENT"):text.rfind("END:VCALENDAR")] if "BEGIN:VEVENT" in text else ""
        events.append(body)
    return head + "".join(events) + "END:VCALENDAR\r\n"
