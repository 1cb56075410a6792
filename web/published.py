"""The published seasons as the public pages read them: only plans with a Publication record, never
drafts. A publication is immutable, so what is derived from it (the planner's Plan and Scenario,
downloads, rendered pages) is cached in memory by publication id: pages stay fast while a solve runs.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from flask import Response, current_app

from web import planning
from web.extensions import db
from web.models import Publication
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
        return planning.scenario_for(self.spec)

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
    """The publication of this id (cached: it never changes), or None."""
    published_store = _stores()[0]
    with _lock:
        hit = published_store.get(publication_id)
    if hit is not None:
        return hit
    record = db.session.get(Publication, publication_id)
    if record is None:
        return None
    before = db.session.scalar(db.select(Publication).filter(Publication.scenario_id == record.scenario_id,
                                                             Publication.revision < record.revision)
                               .order_by(Publication.revision.desc()))
    plan_record = record.plan
    spec = spec_of(plan_record)
    value = Published(record.id, record.scenario_id, record.revision, spec.get("name") or record.scenario.name,
                      record.published_at, spec, planning.plan_of(plan_record.data),
                      tuple(planning.plan_of(before.plan.data).stops) if before else ())
    return _remember(published_store, publication_id, value, MAX_PUBLISHED)


CURRENT_TTL_S = 2.0  # a new publication reaches the public pages within this delay (0 under TESTING)


def current_ids() -> tuple[int, ...]:
    """Ids of the latest publication of every scenario that has one; asked of the database at most
    every few seconds (publications are only ever added)."""
    stores = _stores()
    now = time.monotonic()
    with _lock:
        known = stores[2].get("current")
    ttl = current_app.config.get("TOURNEE_PUBLIC_TTL_S", 0.0 if current_app.testing else CURRENT_TTL_S)
    if known is not None and now - known[0] < ttl:
        return known[1]
    latest = (db.select(Publication.scenario_id, db.func.max(Publication.revision).label("revision"))
              .group_by(Publication.scenario_id).subquery())
    with db.engine.connect() as connection:
        ids = tuple(connection.execute(db.select(Publication.id).join(
            latest, (Publication.scenario_id == latest.c.scenario_id) & (Publication.revision == latest.c.revision))
            .order_by(Publication.id)).scalars().all())
    with _lock:
        stores[2]["current"] = (now, ids)
    return ids


def current() -> list[Published]:
    return [p for p in (published(i) for i in current_ids()) if p is not None]


def cached_response(key: tuple, mimetype: str, make, headers: dict | None = None) -> Response:
    """A response whose body depends only on published data (``key`` names it)."""
    rendered = _stores()[1]
    with _lock:
        body = rendered.get(key)
    if body is None:
        body = _remember(rendered, key, make(), MAX_RENDERED)
    response = Response(body, mimetype=mimetype, headers=headers or {})
    response.headers["Cache-Control"] = PUBLIC_CACHE
    return response
