"""Travel distances and times between places, from a provider, computed once and cached.

The default provider needs no network: geodesic km x a circuity factor, at an average speed. An
OSRM server (table service) is used instead only when ``travel.osrm_url`` is set; its answers are
kept on disk because a routed regional matrix costs minutes to fetch.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
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

LOG = logging.getLogger(__name__)
MAX_ANSWER_BYTES = 64 * 2**20  # a 100 x 100 table is ~200 kB; more is not an OSRM answer

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
    """The routing server could not be reached or answered nonsense; ``reason`` says which (French)."""

    def __init__(self, url: str, reason: str) -> None:
        self.url = url
        self.reason = reason
        super().__init__(f"serveur d'itinéraires {url} : {reason}")


# A road leg longer than this (metres) or a drive longer than this (seconds) is a broken answer,
# not a French road: the length of France is 1,000 km.
MAX_METRES = 5_000_000.0
MAX_SECONDS = 7 * 24 * 3600.0


def answer_matrix(url: str, body, key: str, shape: tuple[int, int], limit: float) -> np.ndarray:
    """``body[key]`` as a float matrix of ``shape`` (None = unroutable pair, kept as NaN);
    RoutingError naming the first entry that is not a number >= 0 below ``limit``."""
    rows = body.get(key)
    if not isinstance(rows, list) or len(rows) != shape[0] or not all(isinstance(r, list) and len(r) == shape[1]
                                                                       for r in rows):
        raise RoutingError(url, f"réponse inattendue : « {key} » doit être une matrice {shape[0]} x {shape[1]}")
    matrix = np.full(shape, np.nan, dtype=np.float64)
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= limit:
                raise RoutingError(url, f"réponse inattendue : {key}[{i}][{j}] = {str(value)[:40]!r} "
                                        f"(attendu : un nombre entre 0 et {limit:g})")
            matrix[i, j] = value
    return matrix


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
                body = json.loads(response.read(MAX_ANSWER_BYTES).decode("utf-8"))
        except urllib.error.HTTPError as exc:
            raise RoutingError(self.url, f"le serveur répond « {exc.code} {exc.reason} »") from exc
        except (urllib.error.URLError, OSError) as exc:
            raise RoutingError(self.url, f"injoignable ({getattr(exc, 'reason', exc)})") from exc
        except ValueError as exc:  # not UTF-8, not JSON
            raise RoutingError(self.url, f"réponse illisible : ce n'est pas du JSON ({str(exc)[:60]})") from exc
        if not isinstance(body, dict):
            raise RoutingError(self.url, f"réponse inattendue : objet JSON attendu, reçu {type(body).__name__}")
        if body.get("code") != "Ok":
            raise RoutingError(self.url, f"réponse {str(body.get('code'))[:40]} {str(body.get('message', ''))[:80]}")
        shape = (len(a), len(b))
        km = answer_matrix(self.url, body, "distances", shape, MAX_METRES) / 1000.0
        minutes = answer_matrix(self.url, body, "durations", shape, MAX_SECONDS) / 60.0
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
        matrix = self._load(key, (len(origins), len(destinations))) if self._persistent(provider) else None
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

    def _load(self, key: str, shape: tuple[int, int]) -> TravelMatrix | None:
        """The cached matrix, or None (then recomputed) when absent, unreadable or not a sane matrix."""
        path = self.directory / f"{key}.npz"
        try:
            if not path.is_file():
                return None
            with np.load(path, allow_pickle=False) as data:
                km, minutes = np.array(data["km"]), np.array(data["minutes"])
        except Exception as exc:  # noqa: BLE001 - zip, pickle, OS and format errors alike: recompute
            LOG.warning("cache de distances illisible (%s : %s) : distances recalculées", path, exc.__class__.__name__)
            return None
        if km.shape != shape or minutes.shape != shape or not (np.isfinite(km).all() and np.isfinite(minutes).all()
                                                              and (km >= 0).all() and (minutes >= 0).all()):
            LOG.warning("cache de distances incohérent (%s) : distances recalculées", path)
            return None
        return TravelMatrix(km, minutes)

    def _save(self, key: str, matrix: TravelMatrix) -> None:
        """Keep the matrix on disk, whole or not at all; a cache that cannot be written is only a warning."""
        temporary = None
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            fd, temporary = tempfile.mkstemp(dir=self.directory, prefix=f".{key}.", suffix=".npz")
            with os.fdopen(fd, "wb") as handle:
                np.savez_compressed(handle, km=matrix.km, minutes=matrix.minutes)
            os.replace(temporary, self.directory / f"{key}.npz")
            temporary = None
        except OSError as exc:
            LOG.warning("cache de distances non écrit dans %s (%s) : les distances seront recalculées la prochaine fois",
                        self.directory, exc.strerror or exc.__class__.__name__)
        finally:
            if temporary is not None and os.path.exists(temporary):
                os.unlink(temporary)


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
