"""Where the bus parks: a host site's address geocoded with the Base Adresse Nationale (geopy's BANFrance).

The endpoint is ``TOURNEE_BAN_URL`` (default the public api-adresse.data.gouv.fr; empty = never ask,
the default in tests and ``serve --demo``). Answers, found or not, are cached in the database so an
address is asked once; a network failure is not cached, and the request falls back to its commune's
centre with a note saying so. An answer in another commune (Arçay exists in the Cher and the Vienne)
is refused: the BAN's ``citycode`` must be the request's INSEE code.
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import current_app
from geopy.exc import GeopyError
from geopy.geocoders import BANFrance

from web.extensions import db
from web.models import GeocodeCache

PUBLIC_BAN_URL = "https://api-adresse.data.gouv.fr"
TIMEOUT_S = 4.0
MIN_SCORE = 0.4  # the BAN's own relevance score (0-1); below it the match is a guess
NOTE_NOT_FOUND = "adresse non trouvée dans la Base Adresse Nationale : le centre de la commune sert de repère"
NOTE_OFFLINE = "adresse pas encore vérifiée : le centre de la commune sert de repère"
NOTE_NO_ADDRESS = "pas d'adresse donnée : le centre de la commune sert de repère"


@dataclass(frozen=True)
class Place:
    """lat/lon of the address, or None with a French note when only the commune's centre is known."""

    lat: float | None
    lon: float | None
    note: str
    label: str = ""


def init_app(app) -> None:
    """Tests never reach the internet: under TESTING the endpoint is empty unless a test sets one."""
    if "TOURNEE_BAN_URL" not in app.config:
        env = os.environ.get("TOURNEE_BAN_URL")
        app.config["TOURNEE_BAN_URL"] = env if env is not None else ("" if app.testing else PUBLIC_BAN_URL)


def locate(address: str, postcode: str, commune: str, insee: str) -> Place:
    """The host site's coordinates; a cached answer, a BAN lookup, or the commune's centre and why."""
    if not address.strip():
        return Place(None, None, NOTE_NO_ADDRESS)
    query = " ".join(part.strip() for part in (address, postcode, commune) if part.strip())
    key = _key(query, insee)
    known = already_located(address, postcode, commune, insee)
    if known is not None:
        return known
    url = current_app.config.get("TOURNEE_BAN_URL", "")
    if not url:
        return Place(None, None, NOTE_OFFLINE)
    try:
        answers = _geocoder(url).geocode(query, exactly_one=False, limit=5, timeout=TIMEOUT_S) or []
    except (GeopyError, OSError, ValueError) as exc:
        current_app.logger.warning("BAN geocoding failed for %r: %s", query, exc)
        return Place(None, None, NOTE_OFFLINE)
    best = next((a for a in answers if _properties(a).get("citycode") == insee
                 and float(_properties(a).get("score") or 0) >= MIN_SCORE), None)
    entry = GeocodeCache(query=key, found=best is not None)
    if best is not None:
        entry.lat, entry.lon = float(best.latitude), float(best.longitude)
        entry.label = str(_properties(best).get("label") or best.address or "")[:300]
        entry.score = float(_properties(best).get("score") or 0)
    db.session.add(entry)
    db.session.commit()
    return Place(entry.lat, entry.lon, "", entry.label) if best is not None else Place(None, None, NOTE_NOT_FOUND)


def already_located(address: str, postcode: str, commune: str, insee: str) -> Place | None:
    """The cached answer for this address, never asking the BAN (public pages read it): None when
    the address was never asked."""
    query = " ".join(part.strip() for part in (address, postcode, commune) if part.strip())
    cached = db.session.scalar(db.select(GeocodeCache).filter_by(query=_key(query, insee))) if query else None
    if cached is None:
        return None
    return Place(cached.lat, cached.lon, "", cached.label) if cached.found else Place(None, None, NOTE_NOT_FOUND)


def _key(query: str, insee: str) -> str:
    return f"{insee}|{_normal(query)}"[:400]


def _geocoder(url: str) -> BANFrance:
    parts = urlsplit(url if "://" in url else f"https://{url}")
    return BANFrance(domain=(parts.netloc + parts.path).rstrip("/"), scheme=parts.scheme or "https",
                     timeout=TIMEOUT_S, user_agent="tournee (planification du bus numerique)")


def _properties(location) -> dict:
    raw = location.raw or {}
    return raw.get("properties") or {}


def _normal(text: str) -> str:
    """Case, accents and spacing do not make a new query."""
    folded = unicodedata.normalize("NFKD", text.lower())
    return " ".join("".join(ch for ch in folded if not unicodedata.combining(ch)).split())
