"""The published seasons as the public pages read them: only plans with a Publication record, never
drafts. A publication is immutable, so what is derived from it (the planner's Plan and Scenario,
downloads, rendered pages) is cached in memory by publication id: pages stay fast while a solve runs.
The host sites the hosts confirmed through their link are the one thing that changes under a
publication: they are read into its spec (``planning.with_confirmed_sites``), and every cache key
carries the host sites' stamp, so a host confirming refreshes what the public sees.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from flask import Response, current_app

from web import geocoding, planning
from web.extensions import db
from web.models import HostSite, Publication
from web.plan_cache import spec_of

PUBLIC_CACHE = "public, max-age=300"


@dataclass(frozen=True)
class Published:
    """One publication as the public pages read it."""

    id: int
    scenario_id: int
    revision: int
    name: str
    published_at: dt.datetime
    spec: dict
    plan: object  # planner.Plan
    previous: tuple  # stops of the scenario's publication just before, for cancellations

    @property
    def scenario(self):
        """Public pages never read a requester's contact or note: the requests' public fields only."""
        return planning.public_scenario_for(self.spec)

    def stops_in(self, insee: str) -> list:
        return sorted((s for s in self.plan.stops if s.insee == insee), key=lambda s: (s.date, s.slot, s.vehicle))

    def concerns(self, insee: str) -> bool:
        return any(s.insee == insee for s in self.plan.stops) or any(s.insee == insee for s in self.previous)


_lock = threading.Lock()
MAX_PUBLISHED, MAX_RENDERED = 32, 2048


def _stores() -> tuple[OrderedDict, OrderedDict, dict]:
    """The app's own caches (publications, rendered bodies, current ids): one app, one database, its own ids."""
    app = current_app._get_current_object()
    stores = app.extensions.get("public_cache")
    if stores is None:
        with _lock:
            stores = app.extensions.setdefault("public_cache", (OrderedDict(), OrderedDict(), {}))
    return stores


def _remember(store: OrderedDict, key, value, limit: int):
    with _lock:
        store[key] = value
        store.move_to_end(key)
        while len(store) > limit:
            store.popitem(last=False)
    return value


def published(publication_id: int) -> Published | None:
    """The publication of this id with its hosts' confirmed sites (cached until a host confirms), or None."""
    published_store = _stores()[0]
    key = (publication_id, sites_stamp())
    with _lock:
        hit = published_store.get(key)
    if hit is not None:
        return hit
    record = db.session.get(Publication, publication_id)
    if record is None:
        return None
    before = db.session.scalar(db.select(Publication).filter(Publication.scenario_id == record.scenario_id,
                                                             Publication.revision < record.revision)
                               .order_by(Publication.revision.desc()))
    plan_record = record.plan
    spec = planning.with_confirmed_sites(spec_of(plan_record), confirmed_sites(record.scenario_id))
    value = Published(record.id, record.scenario_id, record.revision, spec.get("name") or record.scenario.name,
                      record.published_at, spec, planning.plan_of(plan_record.data),
                      tuple(planning.plan_of(before.plan.data).stops) if before else ())
    return _remember(published_store, key, value, MAX_PUBLISHED)


def confirmed_sites(scenario_id: int) -> list[dict]:
    """The host sites the season's hosts confirmed, as ``planning.with_confirmed_sites`` reads them:
    located where the BAN already placed their address (never asked from here), else at the mairie.
    Only the site and its address: a host's facilities and e-mail stay off the public pages."""
    names = planning.shipped_by_insee()
    rows = []
    for site in db.session.scalars(db.select(HostSite).filter(HostSite.scenario_id == scenario_id,
                                                             HostSite.confirmed_at.is_not(None))
                                   .order_by(HostSite.insee)):
        if not site.host_site.strip():
            continue
        commune = names[site.insee].name if site.insee in names else ""
        place = geocoding.already_located(site.address, "", commune, site.insee) if site.address.strip() else None
        rows.append({"insee": site.insee, "site": site.host_site.strip(), "address": site.address.strip(),
                     "lat": place.lat if place else None, "lon": place.lon if place else None})
    return rows


CURRENT_TTL_S = 2.0  # a new publication reaches the public pages within this delay (0 under TESTING)


def current_ids() -> tuple[int, ...]:
    """Ids of the latest publication of every scenario that has one; asked of the database at most
    every few seconds (publications are only ever added)."""
    return _current()[0]


def sites_stamp() -> tuple:
    """What changes when a host confirms a site (how many, the latest confirmation), asked with
    ``current_ids``: part of every cache key below."""
    return _current()[1]


def _current() -> tuple[tuple[int, ...], tuple]:
    stores = _stores()
    now = time.monotonic()
    with _lock:
        known = stores[2].get("current")
    ttl = current_app.config.get("TOURNEE_PUBLIC_TTL_S", 0.0 if current_app.testing else CURRENT_TTL_S)
    if known is not None and now - known[0] < ttl:
        return known[1], known[2]
    latest = (db.select(Publication.scenario_id, db.func.max(Publication.revision).label("revision"))
              .group_by(Publication.scenario_id).subquery())
    # the request's own session: a host's POST reads this while it holds the write lock
    ids = tuple(db.session.scalars(db.select(Publication.id).join(
        latest, (Publication.scenario_id == latest.c.scenario_id) & (Publication.revision == latest.c.revision))
        .order_by(Publication.id)).all())
    count, last = db.session.execute(db.select(db.func.count(HostSite.id), db.func.max(HostSite.confirmed_at))).one()
    stamp = (count, str(last or ""))
    with _lock:
        stores[2]["current"] = (now, ids, stamp)
    return ids, stamp


def forget_current() -> None:
    """A host just confirmed its site: this server re-reads the ids and the stamp at once (the
    others within CURRENT_TTL_S)."""
    stores = _stores()
    with _lock:
        stores[2].pop("current", None)


def current() -> list[Published]:
    return [p for p in (published(i) for i in current_ids()) if p is not None]


def cached_response(key: tuple, mimetype: str, make, headers: dict | None = None) -> Response:
    """A response whose body depends only on published data (``key`` names it)."""
    rendered = _stores()[1]
    key = (*key, sites_stamp())
    with _lock:
        body = rendered.get(key)
    if body is None:
        body = _remember(rendered, key, make(), MAX_RENDERED)
    response = Response(body, mimetype=mimetype, headers=headers or {})
    response.headers["Cache-Control"] = PUBLIC_CACHE
    return response
