"""The hosts' private links and the counts they enter, shared by the host's pages (web.hosts) and
the planner's season view (web.season_view): a link per commune and season (256 random bits), the
counts a form gives for a stop's workshops, checked before anything is written."""

from __future__ import annotations

import datetime as dt
import secrets

from web import links, season
from web.extensions import db
from web.models import HostLink, utcnow

TOKEN_BYTES = 32  # secrets.token_urlsafe(32): 256 bits, 43 characters
MAX_REASON = 1000


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


def parse_count(text: str | None, label: str) -> tuple[int | None, str]:
    """A count typed in a form: blank is « not entered » (None); else a whole number from 0 to
    MAX_COUNT, or a French message naming the field and the value."""
    text = (text or "").strip()
    if not text:
        return None, ""
    if not text.isdigit() or int(text) > season.MAX_COUNT:
        return None, f"{label} : « {text[:20]} » n'est pas un nombre de personnes (0 à {season.MAX_COUNT})."
    return int(text), ""


def read_counts(form, stop: season.SeasonStop, today: dt.date) -> tuple[list[tuple], list[str]]:
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
        reason = (form.get(prefix + "reason") or "").strip()[:MAX_REASON]
        changes.append((workshop.index, values, status, reason))
    return changes, problems


def write_counts(scenario_id: int, stop: season.SeasonStop, changes: list[tuple], who: str) -> None:
    for index, values, status, reason in changes:
        row = season.outcome_row(scenario_id, (stop.date, stop.vehicle, stop.insee), index)
        row.signups, row.waiting, row.participants = values["signups"], values["waiting"], values["participants"]
        row.status, row.entered_by = status, who
        if reason or status != season.CANCELLED:
            row.reason = reason


def revoke(link: HostLink) -> None:
    link.token, link.revoked_at = None, utcnow()
