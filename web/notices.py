"""What each person is told, and when: the messages a publication, a cancelled stop, a coming date
or a decision on a request writes into the outbox (web.mail), in French, with the private links.

Hosts are reached at their link's e-mail (the planner's, defaulting to the commune's accepted
request); requesters at their request's. Keys name the cause, so nothing is written twice.
"""

from __future__ import annotations

import datetime as dt

from web import host_links as hosts
from web import links, mail, planning, season
from web.extensions import db
from web.models import HostLink, Publication, StopRequest
from web.published import current, published


def _host_links(scenario_id: int) -> dict[str, HostLink]:
    return {link.insee: link for link in db.session.scalars(
        db.select(HostLink).filter(HostLink.scenario_id == scenario_id, HostLink.token.is_not(None)))}


def host_email(scenario_id: int, insee: str) -> str:
    """The address of the commune's accepted request for this season, if any (the link's default)."""
    return db.session.scalar(db.select(StopRequest.contact_email).filter(
        StopRequest.scenario_id == scenario_id, StopRequest.insee == insee, StopRequest.status == "accepted")
        .order_by(StopRequest.id.desc()).limit(1)) or ""


def _commune_name(insee: str) -> str:
    known = planning.shipped_by_insee().get(insee)
    return known.name if known else insee


def _dates_text(dates) -> str:
    return ", ".join(f"{d:%d/%m/%Y}" for d in sorted(dates))


def publication_written(publication: Publication) -> None:
    """Messages of a new publication (caller flushed it and commits): on the first revision each host
    its dates, notices, feed and private link, each requester the dates serving its request; on a
    later one, the hosts and requesters whose dates moved or were cancelled."""
    current_season = published(publication.id)
    if current_season is None:
        return
    scenario_id, name = publication.scenario_id, current_season.name
    owner = publication.scenario.owner_id
    now = {(s.date, s.vehicle, s.insee) for s in current_season.plan.stops}
    previous = {(s.date, s.vehicle, s.insee) for s in current_season.previous} - now  # withdrawn by this revision
    communes = sorted({s.insee for s in current_season.plan.stops} | {s.insee for s in current_season.previous})
    gone: dict[str, list] = {}
    for w in season.withdrawn_stops(current_season) if previous else ():
        if (w.date, w.vehicle, w.insee) in previous:
            gone.setdefault(w.insee, []).append(w)
    for insee in communes:
        commune = _commune_name(insee)
        dates = [s.date for s in current_season.stops_in(insee)]
        changed = gone.get(insee, [])
        if current_season.previous and not changed:
            continue
        link = hosts.issue_link(scenario_id, insee, host_email(scenario_id, insee))
        if not link.email:
            continue
        feed = links.absolute_url("public.commune_ics", insee=insee)
        notices = [(f"Affiche du {d:%d/%m/%Y}", links.absolute_url("public.notice", insee=insee,
                                                                     publication_id=publication.id, day=d.isoformat()))
                   for d in dates]
        if changed:
            lines = [f"le {w.date:%d/%m/%Y} est " + (f"déplacé au {w.moved_to:%d/%m/%Y}" if w.moved_to else "annulé")
                     + (f" ({w.host_reason})" if w.host_reason else "") for w in changed]
            subject = f"Changement de date à {commune} — {name}"
            paragraphs = [f"Le calendrier « {name} » a changé pour {commune} (version {publication.revision}) : "
                          + " ; ".join(lines) + ".",
                          f"Vos dates sont désormais : {_dates_text(dates) or 'aucune'}."]
        else:
            subject = f"Dates du bus numérique à {commune} — {name}"
            paragraphs = [f"Le calendrier « {name} » est publié. Le bus numérique viendra à {commune} le "
                          f"{_dates_text(dates)}.",
                          "Sur votre page d'accueil vous pouvez confirmer le lieu, noter le nombre d'inscrits à chaque "
                          "atelier et demander un changement de date. Les affiches sont prêtes à imprimer."]
        mail.queue(f"publication:{publication.id}:hote:{insee}", link.email, subject, paragraphs,
                   links=[("Votre page d'accueil (privée)", hosts.url_of(link)), *notices,
                          ("Calendrier à ajouter à votre agenda", feed)], owner_id=owner)
    for record in db.session.scalars(db.select(StopRequest).filter_by(scenario_id=scenario_id, status="accepted")):
        serving = sorted({s.date for s in current_season.plan.stops if record.request_id in s.request_ids})
        before = sorted({s.date for s in current_season.previous if record.request_id in s.request_ids})
        if current_season.previous and serving == before:
            continue
        follow = [("Suivre votre demande", links.absolute_url("demande.follow", token=record.token))] if record.token else []
        text = (f"Les dates retenues pour votre demande à {record.commune} sont : {_dates_text(serving)}."
                if serving else f"Aucune date du calendrier « {name} » ne sert "
                + ("plus " if before else "") + f"votre demande à {record.commune} pour le moment.")
        mail.queue(f"publication:{publication.id}:demande:{record.id}", record.contact_email,
                   f"Votre demande de passage à {record.commune} — {name}",
                   [f"Le calendrier « {name} » est publié (version {publication.revision}).", text],
                   links=[*follow, ("Page de la commune", links.absolute_url("public.commune", insee=record.insee))],
                   owner_id=owner)


def host_link_sent(link: HostLink, current_season) -> None:
    """The host's private link, sent by the planner (a new address, or a link made after publication)."""
    commune = _commune_name(link.insee)
    dates = [s.date for s in current_season.stops_in(link.insee)]
    mail.queue(f"lien:{link.id}:{link.email}", link.email, f"Votre page d'accueil du bus numérique — {commune}",
               [f"Voici la page privée de la mairie de {commune} pour le calendrier « {current_season.name} » "
                f"(dates : {_dates_text(dates) or 'aucune pour le moment'}).",
                "Vous pouvez y confirmer le lieu d'accueil, noter le nombre d'inscrits de chaque atelier et "
                "demander un changement de date. Gardez ce lien pour vous."],
               links=[("Votre page d'accueil (privée)", hosts.url_of(link)),
                      ("Calendrier à ajouter à votre agenda", links.absolute_url("public.commune_ics", insee=link.insee))],
               owner_id=current_season_owner(current_season))


def current_season_owner(current_season) -> int | None:
    record = db.session.get(Publication, current_season.id)
    return record.scenario.owner_id if record else None


def request_decided(record: StopRequest) -> None:
    """The requester's message after a decision (accepted or declined), with its private link."""
    if record.status not in ("accepted", "declined"):
        return
    follow = [("Suivre votre demande", links.absolute_url("demande.follow", token=record.token))] if record.token else []
    what = f"Votre demande de passage à {record.commune} ({record.host_site})"
    if record.status == "accepted":
        paragraphs = [f"{what} est acceptée.", "Elle sera prise en compte dans le calcul de la saison ; vous recevrez "
                      "les dates retenues par e-mail dès la publication du calendrier."]
    else:
        paragraphs = [f"{what} n'a pas pu être retenue."] + ([f"Motif : {record.decision_reason}"]
                                                             if record.decision_reason else [])
    stamp = f"{record.decided_at:%Y%m%d%H%M%S%f}" if record.decided_at else ""
    mail.queue(f"demande:{record.id}:{record.status}:{stamp}", record.contact_email,
               f"Votre demande de passage à {record.commune}", paragraphs, links=follow, owner_id=record.decided_by)


def write_reminders(today: dt.date) -> int:
    """Reminders to each host 21 and 7 days before its dates (or later, if the day was missed); each
    written once. Returns how many were written."""
    written = 0
    for current_season in current():
        record = db.session.get(Publication, current_season.id)
        by_insee = _host_links(current_season.scenario_id)
        for stop in current_season.plan.stops:
            link = by_insee.get(stop.insee)
            days_left = (stop.date - today).days
            if link is None or not link.email or days_left < 0:
                continue
            # the reminder's own day, or the next two if the worker missed it; a date published closer
            # than a reminder's day gets the next one only (its host was just told)
            due = [n for n in season_reminder_days() if n - REMINDER_GRACE_DAYS <= days_left <= n]
            if not due:
                continue
            n = min(due)
            commune = _commune_name(stop.insee)
            key = f"rappel:{current_season.scenario_id}:{stop.date.isoformat()}:{stop.vehicle}:{stop.insee}:{n}"
            if mail.queue(key, link.email, f"Rappel : le bus numérique à {commune} le {stop.date:%d/%m/%Y}",
                          [f"Le bus numérique vient à {commune} le {stop.date:%d/%m/%Y}, "
                           f"dans {planning.plural(days_left, 'jour')}.",
                           "Pensez à noter le nombre d'inscrits de chaque atelier et à confirmer le lieu d'accueil : "
                           "l'équipe voit ainsi si la journée est prête."],
                          links=[("Votre page d'accueil (privée)", hosts.url_of(link))],
                          owner_id=record.scenario.owner_id if record else None):
                written += 1
    db.session.commit()
    return written


REMINDER_GRACE_DAYS = 2


def season_reminder_days() -> tuple[int, ...]:
    return mail.REMINDER_DAYS
