"""Helpers of the request-form, inbox and public-page tests: a valid request for Menetou-Salon, a tiny
BAN server on loopback, and a published four-commune season built without a solve."""

from __future__ import annotations

import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from planner import ScenarioSpec, Stop, plan_to_dict
from planner.domain.plan import Plan
from web.extensions import db
from web.models import PlanRecord, Publication, Scenario, StopRequest

TODAY = dt.date.today()
SOON = TODAY + dt.timedelta(days=30)


def valid_request(**changes) -> dict:
    """A request a mairie would send for Menetou-Salon (18145)."""
    data = {
        "requester_kind": "commune", "requester_epci": "", "commune": "Menetou-Salon (18145)",
        "contact_name": "Claire Martin", "contact_role": "secrétaire de mairie", "contact_email": "mairie@menetou.example",
        "contact_phone": "02 48 64 80 00", "host_site": "Parking de la mairie", "address": "1 place de l'Église",
        "postcode": "18510", "parking_power": "y", "toilets": "y", "period1_start": SOON.isoformat(),
        "period1_end": (SOON + dt.timedelta(days=20)).isoformat(), "weekdays": ["mar", "jeu"], "market_day": "",
        "days": "2", "audience": "15", "note": "Salle des fêtes disponible.", "consent": "y", "website": "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def post_request(client, **changes):
    """Post ``valid_request(**changes)`` to the public form, with the form's CSRF token."""
    from tests.web.conftest import csrf_token

    data = valid_request(**changes)
    data["csrf_token"] = csrf_token(client, "/demande")
    return client.post("/demande", data=data)


def stored(app) -> list[StopRequest]:
    """Every request the database holds."""
    with app.app_context():
        return db.session.scalars(db.select(StopRequest)).all()


class BanAnswers:
    """What the fake BAN answers: address text (lower case, contains) -> list of features."""

    def __init__(self):
        self.features: dict[str, list[dict]] = {}
        self.queries: list[str] = []
        self.fail = False


def ban_feature(lon: float, lat: float, citycode: str, label: str, score: float = 0.9) -> dict:
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": {"label": label, "score": score, "citycode": citycode, "type": "housenumber"}}


def start_ban_server(answers: BanAnswers):
    """A loopback HTTP server answering /search/ like api-adresse.data.gouv.fr (GeoJSON)."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            parts = urlsplit(self.path)
            query = parse_qs(parts.query).get("q", [""])[0]
            answers.queries.append(query)
            if answers.fail or parts.path.rstrip("/") != "/search":
                self.send_response(503)
                self.end_headers()
                return
            features = next((f for key, f in answers.features.items() if key in query.lower()), [])
            body = json.dumps({"type": "FeatureCollection", "version": "draft", "features": features,
                               "query": query}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def publish(app, owner_id: int, spec: dict, stops: list[tuple], *, scenario_id: int | None = None,
            publish_it: bool = True, vehicle: str = "bus", request_ids: tuple[str, ...] = (),
            unserved: tuple = ()) -> tuple[int, int]:
    """A plan of (ISO date, INSEE[, half-day slot]) stops for ``spec`` (published as the next revision unless
    ``publish_it`` is False); returns (scenario id, plan id)."""
    with app.app_context():
        if scenario_id is None:
            scenario = Scenario(owner_id=owner_id, name=spec["name"], spec=spec)
            db.session.add(scenario)
            db.session.commit()
            scenario_id = scenario.id
        plan = Plan(tuple(Stop(dt.date.fromisoformat(d), vehicle, c, sessions="09:30-12:30 / 14:00-17:00",
                               request_ids=request_ids, slot=slot[0] if slot else 0) for d, c, *slot in stops),
                    unserved=unserved,
                    spec=ScenarioSpec.from_dict(spec) if request_ids or unserved else None)
        data = plan_to_dict(plan)
        record = PlanRecord(owner_id=owner_id, scenario_id=scenario_id, data=data, status="ÉVALUÉ",
                            stop_count=len(stops))
        db.session.add(record)
        db.session.commit()
        if publish_it:
            last = db.session.scalar(db.select(db.func.max(Publication.revision)).filter_by(scenario_id=scenario_id))
            db.session.add(Publication(scenario_id=scenario_id, plan_id=record.id, revision=(last or 0) + 1,
                                       published_by=owner_id))
            db.session.commit()
        return scenario_id, record.id
