"""The host's private link ``/hote/TOKEN``: one commune of one season, no account.

The mairie (or association) that hosts the stops sees its dates, confirms or corrects the host site,
enters the sign-ups of each workshop (counts and waiting list: the seniors' names stay on its own
sign-up sheet), asks for a date change with a reason, and after the day enters who came. The token
(256 random bits) is compared in constant time and reaches only its own commune of its own season;
the planner revokes it (a revoked link answers 404). Every form carries a CSRF token.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from web import links, planning, season
from web.extensions import db, limiter
from web.forms import PostForm
from web.models import DateChangeRequest, HostLink, HostSite, utcnow

bp = Blueprint("hote", __name__)
TOKEN_BYTES = 32  # secrets.token_urlsafe(32): 256 bits, 43 characters
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_\-]{20,64}")
MAX_TEXT = {"host_site": 200, "address": 200, "reason": 1000}
HOST_RATE = "120 per hour"  # a mairie typing a season's counts; a robot trying tokens is slowed


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def link_for(scenario_id: int, insee: str) -> HostLink | None:
    """The commune's live link for the season, if any."""
    return db.session.scalar(db.select(HostLink).filter(HostLink.scenario_id == scenario_id, HostLink.insee == insee,
                                                        HostLink.token.is_not(None)).order_by(HostLink.id.desc()).limit(1))


def issue_link(scenario_id: int, insee: str, email: str = "") -> HostLink:
    """The commune's live link, made when it has none (the caller commits)."""
    link = link_for(scenario_id, insee)
    if link is None:
        link = HostLink(scenario_id=scenario_id, insee=insee, token=new_token(), email=email)
        db.session.add(link)
        db.session.flush()
    elif email and not link.email:
        link.email = email
    return link


def url_of(link: HostLink) -> str:
    return links.absolute_url("hote.show", token=link.token)


def _by_token(token: str) -> HostLink:
    """The live link of this token; anything else (revoked, unknown, malformed) is a plain 404."""
    if not token or not TOKEN_PATTERN.fullmatch(token):
        abort(404)
    link = db.session.scalar(db.select(HostLink).filter_by(token=token))
    if link is None or link.token is None or not secrets.compare_digest(link.token, token):
        abort(404)
    return link


def _context(link: HostLink):
    current = season.latest_publication(link.scenario_id)
    if current is None:
        abort(404)
    return current


def parse_count(text: str | None, label: str) -> tuple[int | None, str]:
    """A count typed in a form: blank is « not entered » (None); else a whole number from 0 to
    MAX_COUNT, or a French message naming the field and the value."""
    text = (text or "").strip()
    if not text:
        return None, ""
    if not text.isdigit() or int(text) > season.MAX_COUNT:
        return None, f"{label} : « {text[:20]} » n'est pas un nombre de personnes (0 à {season.MAX_COUNT})."
    return int(text), ""


def read_counts(form, stop: season.SeasonStop, today: dt.date, *, who: str) -> tuple[list[tuple], list[str]]:
    """The counts and statuses a form gives for each workshop of one stop, with every problem (French);
    nothing is written here. Participants and « tenu » only once the day has come."""
    changes, problems = [], []
    for workshop in stop.workshops:
        prefix = f"w{workshop.index}_"
        where = f"{stop.date:%d/%m/%Y}, {workshop.label}"
        values = {}
        for name, label in (("signups", "inscrits"), ("waiting", "liste d'attente"), ("participants", "participants")):
            value, problem = parse_count(form.get(prefix + name), f"{where}, {label}")
            if problem:
                problems.append(problem)
            values[name] = value
        status = form.get(prefix + "status") or season.PLANNED
        if status not in season.STATUS_LABELS:
            problems.append(f"{where} : état inconnu « {status[:20]} ».")
            status = season.PLANNED
        if stop.date > today and (values["participants"] is not None or status == season.HELD):
            problems.append(f"{where} : les participants se saisissent le jour de l'atelier ou après.")
        if values["participants"] is not None and status == season.PLANNED:
            status = season.HELD
        reason = (form.get(prefix + "reason") or "").strip()[:MAX_TEXT["reason"]]
        changes.append((workshop.index, values, status, reason))
    return changes, problems


def write_counts(scenario_id: int, stop: season.SeasonStop, changes: list[tuple], who: str) -> None:
    for index, values, status, reason in changes:
        row = season.outcome_row(scenario_id, (stop.date, stop.vehicle, stop.insee), index)
        row.signups, row.waiting, row.participants = values["signups"], values["waiting"], values["participants"]
        row.status, row.entered_by = status, who
        if reason or status != season.CANCELLED:
            row.reason = reason


def _page(link: HostLink, current, problems: list[str] | None = None, code: int = 200):
    stops = season.season_stops(current, link.insee)
    commune = planning.shipped_by_insee().get(link.insee)
    site = season.host_site_of(link.scenario_id, link.insee)
    start = ({"host_site": site.host_site, "address": site.address, "parking_power": site.parking_power,
              "toilets": site.toilets, "room": site.room} if site else season.requested_site(current, link.insee))
    changes = db.session.scalars(db.select(DateChangeRequest).filter_by(scenario_id=link.scenario_id, insee=link.insee)
                                 .order_by(DateChangeRequest.created_at.desc())).all()
    return render_template("hote/show.html", link=link, season=current, commune=commune, stops=stops,
                           withdrawn=season.withdrawn_in(current, link.insee), site=site, start=start,
                           form=PostForm(), today=dt.date.today(), problems=problems or [], changes=changes,
                           status_labels=season.STATUS_LABELS, url=url_of(link)), code


@bp.get("/hote/<token>")
def show(token: str):
    link = _by_token(token)
    return _page(link, _context(link))


@bp.post("/hote/<token>/lieu")
@limiter.limit(HOST_RATE)
def confirm_site(token: str):
    link = _by_token(token)
    current = _context(link)
    if not PostForm().validate_on_submit():
        abort(400)
    values = {name: (request.form.get(name) or "").strip() for name in ("host_site", "address")}
    problems = [f"{label} : 200 caractères au plus." for name, label in (("host_site", "Lieu"), ("address", "Adresse"))
                if len(values[name]) > MAX_TEXT[name]]
    if not values["host_site"]:
        problems.append("Lieu : indiquez où le bus se gare (par exemple : parking de la mairie).")
    if problems:
        return _page(link, current, problems, 400)
    site = season.host_site_of(link.scenario_id, link.insee)
    if site is None:
        site = HostSite(scenario_id=link.scenario_id, insee=link.insee)
        db.session.add(site)
    site.host_site, site.address = values["host_site"], values["address"]
    site.parking_power, site.toilets, site.room = (request.form.get(n) == "y" for n in ("parking_power", "toilets", "room"))
    site.confirmed_at = utcnow()
    db.session.commit()
    flash("Lieu d'accueil confirmé. Merci !", "success")
    return redirect(url_for("hote.show", token=token) + "#lieu")


@bp.post("/hote/<token>/ateliers")
@limiter.limit(HOST_RATE)
def counts(token: str):
    link = _by_token(token)
    current = _context(link)
    if not PostForm().validate_on_submit():
        abort(400)
    stop = _own_stop(link, current, request.form.get("stop", ""))
    changes, problems = read_counts(request.form, stop, dt.date.today(), who=season.ENTERED_BY_HOST)
    if problems:
        return _page(link, current, problems, 400)
    write_counts(link.scenario_id, stop, changes, season.ENTERED_BY_HOST)
    db.session.commit()
    flash(f"Chiffres du {stop.date:%d/%m/%Y} enregistrés.", "success")
    return redirect(url_for("hote.show", token=token) + f"#jour-{stop.date.isoformat()}")


@bp.post("/hote/<token>/changement")
@limiter.limit(HOST_RATE)
def change(token: str):
    link = _by_token(token)
    current = _context(link)
    if not PostForm().validate_on_submit():
        abort(400)
    stop = _own_stop(link, current, request.form.get("stop", ""))
    reason = (request.form.get("reason") or "").strip()
    if not reason or len(reason) > MAX_TEXT["reason"]:
        return _page(link, current, [f"Changement du {stop.date:%d/%m/%Y} : dites pourquoi en une phrase "
                                     f"({MAX_TEXT['reason']} caractères au plus)."], 400)
    db.session.add(DateChangeRequest(scenario_id=link.scenario_id, insee=link.insee, date=stop.date, reason=reason))
    db.session.commit()
    flash(f"Demande de changement du {stop.date:%d/%m/%Y} envoyée à l'équipe.", "success")
    return redirect(url_for("hote.show", token=token) + "#changer")


def _own_stop(link: HostLink, current, key: str) -> season.SeasonStop:
    """A stop of this link's commune in the current publication; any other key (another commune's
    stop, a made-up one) is a 404, as if it did not exist."""
    for stop in season.season_stops(current, link.insee):
        if stop.key == key:
            return stop
    abort(404)


def revoke(link: HostLink) -> None:
    link.token, link.revoked_at = None, utcnow()


__all__ = ["bp"]
