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

from web import geocoding, host_links, planning, season
from web.extensions import db, limiter
from web.forms import PostForm
from web.host_links import read_counts, url_of, write_counts
from web.models import DateChangeRequest, HostLink, HostSite, utcnow
from web.published import forget_current

bp = Blueprint("hote", __name__)
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_\-]{20,64}")
MAX_TEXT = {"host_site": 200, "address": 200, "reason": host_links.MAX_REASON}
HOST_RATE = "120 per hour"  # a mairie typing a season's counts; a robot trying tokens is slowed


class NotALink(Exception):
    """A host token that opens nothing (revoked, unknown, malformed)."""


def _by_token(token: str) -> HostLink:
    """The live link of this token; anything else raises NotALink (a public 404 page, below)."""
    if not token or not TOKEN_PATTERN.fullmatch(token):
        raise NotALink
    link = db.session.scalar(db.select(HostLink).filter_by(token=token))
    if link is None or link.token is None or not secrets.compare_digest(link.token, token):
        raise NotALink
    return link


@bp.errorhandler(NotALink)
def _not_a_link(_exc):
    """A public page, never the planner's 404: the link may have been replaced by a newer one."""
    return render_template("hote/invalid.html"), 404


def _context(link: HostLink):
    current = season.latest_publication(link.scenario_id)
    if current is None:
        abort(404)
    return current


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
    if site.address:  # asked of the BAN once, here: the public pages read its answer from the cache
        commune = planning.shipped_by_insee().get(link.insee)
        geocoding.locate(site.address, "", commune.name if commune else "", link.insee)
    forget_current()  # the commune page, notice, feed and workbook say this site from now on
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
    changes, problems = read_counts(request.form, stop, dt.date.today())
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


__all__ = ["bp"]
