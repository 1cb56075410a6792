"""What a stored plan shows, decoded and drawn once: its payload for the templates, its SVG map and
the spec it was solved with, kept in memory per plan (a stored plan never changes) for the plan
pages and the public pages alike, and drawn ahead for the latest plans when a server starts."""

from __future__ import annotations

import threading
from collections import OrderedDict

from flask import current_app

from web import planning
from web.extensions import db
from web.models import PlanRecord, Publication

CACHE_SIZE = 64  # maps (about 250 kB for the Bourges season) and decoded plans
WARM_UP_PLANS = 3
_cache: OrderedDict[tuple, object] = OrderedDict()
_cache_lock = threading.Lock()
_computing: dict[tuple, threading.Lock] = {}


def spec_of(record: PlanRecord) -> dict:
    """The spec the plan was solved with (its own copy), else its job's, else its scenario's."""
    return payload_of(record)["spec"] or (record.job.spec if record.job else None) or record.scenario.spec


def season_map(record: PlanRecord, spec: dict) -> str:
    """The plan's SVG map, drawn once per plan: drawing the Bourges season takes about as long as
    the rest of the page, and a stored plan never changes."""
    return _cached("map", record, lambda: planning.season_map_svg(record.data, spec))


def site_labels_of(record: PlanRecord, spec: dict, version: tuple = ()) -> dict[str, str]:
    """Where each stop of the plan takes place (planning.site_labels), once per plan and ``version``
    of the sites its hosts confirmed (they change under a stored plan)."""
    return _cached(("sites", version), record, lambda: planning.site_labels(record.data, spec))


def payload_of(record: PlanRecord) -> dict:
    """The plan as plain values for the templates, decoded once per plan (the templates only read it)."""
    return _cached("payload", record, lambda: planning.plan_payload(record.data))


def _cached(kind, record: PlanRecord, compute):
    """Per-plan values kept in memory, keyed by database, plan id and creation time, so that two
    instances (or a re-created database) never share them."""
    key = (kind, current_app.config["SQLALCHEMY_DATABASE_URI"], record.id, record.created_at)
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
        computing = _computing.setdefault(key, threading.Lock())
    with computing:  # a request arriving while the warm-up draws this map waits for it, not draws it again
        with _cache_lock:
            if key in _cache:
                return _cache[key]
        value = compute()
        with _cache_lock:
            _cache[key] = value
            _computing.pop(key, None)
            while len(_cache) > CACHE_SIZE:
                _cache.popitem(last=False)
    return value


def warm_up(app, limit: int = WARM_UP_PLANS) -> None:
    """Decode and draw the latest published and latest computed plans (run in a thread at start)."""
    with app.app_context():
        try:
            published = db.select(Publication.plan_id).order_by(Publication.id.desc()).limit(limit)
            ids = list(db.session.scalars(published)) + list(
                db.session.scalars(db.select(PlanRecord.id).order_by(PlanRecord.id.desc()).limit(limit)))
            for plan_id in dict.fromkeys(ids):
                record = db.session.get(PlanRecord, plan_id)
                payload_of(record)
                season_map(record, spec_of(record))
        except Exception:  # noqa: BLE001 - best effort: a plan that cannot be drawn shows its error when opened
            app.logger.warning("warm-up of the plan pages failed", exc_info=True)
        finally:
            db.session.remove()
