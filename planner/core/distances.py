"""Travel distances and times between places, from a provider, computed once and cached.

The default provider needs no network: geodesic km x a circuity factor, at an average speed. An
OSRM server (table service) is used instead only when ``travel.osrm_url`` is set; its answers are
kept on disk because a routed regional matrix costs minutes to fetch.
"""

from __future__ import annotations

import hashlib
import json
import urllib.error
import urllib.request
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from planner.core.geodesy import geodesic_km
from planner.domain.params import TravelParams

# Rows computed at a time: bounds the temporaries of the vectorised formula (~10 arrays a block).
BLOCK_ROWS = 256


@dataclass(frozen=True)
class TravelMatrix:
    """Road km and driving minutes from each origin (rows) to each destination (columns)."""

    km: np.ndarray
    minutes: np.ndarray

    @property
    def shape(self) -> tuple[int, int]:
        return self.km.shape


def by_blocks(origins: np.ndarray, destinations: np.ndarray, rows: int, cols: int,
              block: Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]) -> TravelMatrix:
    """A matrix filled block by block (``rows`` origins x ``cols`` destinations at a time), so that
    memory stays bounded and a routing server gets requests of the size it accepts."""
    km = np.empty((len(origins), len(destinations)), dtype=np.float32)
    minutes = np.empty_like(km)
    for i in range(0, len(origins), rows):
        for j in range(0, len(destinations), cols):
            a, b = origins[i:i + rows], destinations[j:j + cols]
            km[i:i + len(a), j:j + len(b)], minutes[i:i + len(a), j:j + len(b)] = block(a, b)
    return TravelMatrix(km, minutes)


class DistanceProvider(Protocol):
    """Anything that turns two lists of (lat, lon) into a TravelMatrix."""

    def key(self) -> str: ...

    def compute(self, origins: np.ndarray, destinations: np.ndarray) -> TravelMatrix: ...


@dataclass(frozen=True)
class GeodesicProvider:
    """Ellipsoidal distance x circuity, at a constant speed: the offline estimate."""

    circuity: float = 1.3
    speed_kmh: float = 50.0

    def key(self) -> str:
        return f"geodesic:{self.circuity}:{self.speed_kmh}"

    def compute(self, origins: np.ndarray, destinations: np.ndarray) -> TravelMatrix:
        return by_blocks(origins, destinations, BLOCK_ROWS, max(1, len(destinations)), self._block)

    def _block(self, origins: np.ndarray, destinations: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        km = np.asarray(geodesic_km(origins[:, :1], origins[:, 1:], destinations[:, 0], destinations[:, 1]),
                        dtype=np.float32)
        km *= self.circuity
        return km, km * np.float32(60.0 / self.speed_kmh)


class RoutingError(RuntimeError):
    """The routing server could not be reached or answered nonsense; the message says which."""


@dataclass(frozen=True)
class OsrmProvider:
    """OSRM table service: ``GET {url}/table/v1/driving/{lon,lat;...}?annotations=duration,distance``.

    Large requests are cut into chunks of ``chunk`` places a side, the usual server limit being a
    few hundred coordinates a request. Pairs the server cannot route fall back to the geodesic
    estimate, so that one isolated place does not sink a whole matrix.
    """

    url: str
    fallback: GeodesicProvider = GeodesicProvider()
    chunk: int = 100
    timeout_s: float = 30.0

    def key(self) -> str:
        return f"osrm:{self.url.rstrip('/')}"

    def compute(self, origins: np.ndarray, destinations: np.ndarray) -> TravelMatrix:
        matrix = by_blocks(origins, destinations, self.chunk, self.chunk, self._table)
        km, minutes = matrix.km, matrix.minutes
        missing = np.isnan(km) | np.isnan(minutes)
        if missing.any():
            estimate = self.fallback.compute(origins, destinations)
            km[missing] = estimate.km[missing]
            minutes[missing] = estimate.minutes[missing]
        return TravelMatrix(km, minutes)

    def _table(self, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        coords = ";".join(f"{lon:.6f},{lat:.6f}" for lat, lon in np.vstack([a, b]))
        sources = ";".join(str(i) for i in range(len(a)))
        dests = ";".join(str(len(a) + j) for j in range(len(b)))
        query = f"{self.url.rstrip('/')}/table/v1/driving/{coords}?sources={sources}&destinations={dests}" \
                "&annotations=duration,distance"
        try:
            with urllib.request.urlopen(query, timeout=self.timeout_s) as response:
                body = json.loads(response.read().decode("utf-8"))
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise RoutingError(f"serveur d'itinéraires {self.url} injoignable ou réponse illisible : {exc}") from exc
        if body.get("code") != "Ok" or "distances" not in body or "durations" not in body:
            raise RoutingError(f"serveur d'itinéraires {self.url} : réponse {body.get('code')} {body.get('message', '')}")
        km = np.array(body["distances"], dtype=np.float64) / 1000.0
        minutes = np.array(body["durations"], dtype=np.float64) / 60.0
        if km.shape != (len(a), len(b)) or minutes.shape != (len(a), len(b)):
            raise RoutingError(f"serveur d'itinéraires {self.url} : matrice de taille inattendue {km.shape}")
        return km, minutes


class MatrixCache:
    """Matrices by (provider, coordinates): in memory always, on disk for routed providers."""

    def __init__(self, directory: Path | None = None, capacity: int = 8) -> None:
        self.directory = directory
        self.capacity = capacity
        self._memory: OrderedDict[str, TravelMatrix] = OrderedDict()
        self.computed = 0

    def get(self, provider: DistanceProvider, origins: np.ndarray, destinations: np.ndarray) -> TravelMatrix:
        digest = hashlib.sha256()
        digest.update(provider.key().encode())
        digest.update(np.ascontiguousarray(origins, dtype=np.float64).tobytes())
        digest.update(b"|")
        digest.update(np.ascontiguousarray(destinations, dtype=np.float64).tobytes())
        key = digest.hexdigest()
        if key in self._memory:
            self._memory.move_to_end(key)
            return self._memory[key]
        matrix = self._load(key) if self._persistent(provider) else None
        if matrix is None:
            matrix = provider.compute(origins, destinations)
            self.computed += 1
            if self._persistent(provider):
                self._save(key, matrix)
        self._memory[key] = matrix
        while len(self._memory) > self.capacity:
            self._memory.popitem(last=False)
        return matrix

    def _persistent(self, provider: DistanceProvider) -> bool:
        return self.directory is not None and not isinstance(provider, GeodesicProvider)

    def _load(self, key: str) -> TravelMatrix | None:
        path = self.directory / f"{key}.npz"
        if not path.exists():
            return None
        with np.load(path) as data:
            return TravelMatrix(data["km"], data["minutes"])

    def _save(self, key: str, matrix: TravelMatrix) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(self.directory / f"{key}.npz", km=matrix.km, minutes=matrix.minutes)


_DEFAULT_CACHES: dict[str, MatrixCache] = {}


def provider_for(params: TravelParams) -> DistanceProvider:
    geodesic = GeodesicProvider(params.circuity, params.speed_kmh)
    return OsrmProvider(params.osrm_url, fallback=geodesic) if params.osrm_url else geodesic


def cache_for(params: TravelParams) -> MatrixCache:
    directory = Path(params.cache_dir).expanduser() if params.cache_dir else Path.home() / ".cache" / "tournee"
    key = str(directory)
    if key not in _DEFAULT_CACHES:
        _DEFAULT_CACHES[key] = MatrixCache(directory)
    return _DEFAULT_CACHES[key]


def travel_matrix(origins: np.ndarray, destinations: np.ndarray, params: TravelParams,
                  cache: MatrixCache | None = None) -> TravelMatrix:
    """Matrix between two (n, 2) arrays of (lat, lon), through the configured provider and cache."""
    cache = cache if cache is not None else cache_for(params)
    return cache.get(provider_for(params), np.asarray(origins, dtype=np.float64), np.asarray(destinations, dtype=np.float64))


def coordinates(places) -> np.ndarray:
    """(n, 2) array of (lat, lon) of anything with ``lat`` and ``lon`` attributes."""
    return np.array([(p.lat, p.lon) for p in places], dtype=np.float64).reshape(-1, 2)
