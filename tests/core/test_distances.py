"""Distance matrices: symmetric, zero diagonal, true to the great circle and to geopy's geodesic."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
import pytest
from geopy.distance import geodesic

from planner.core.distances import GeodesicProvider, MatrixCache, OsrmProvider, RoutingError, coordinates, travel_matrix
from planner.core.geodesy import geodesic_km, great_circle_km
from planner.domain.params import TravelParams
from planner.inputs.dataset import load_territory

BOURGES = (47.07804, 2.3983)
NERONDES = (47.00663, 2.83629)


def test_bourges_nerondes_matches_a_hand_computed_great_circle():
    # By hand (equirectangular, fine at this range): dlat = -0.07141 deg -> 7.940 km;
    # dlon = 0.43799 deg x 111.195 km x cos(47.042 deg) = 0.43799 x 75.78 -> 33.19 km;
    # sqrt(7.940^2 + 33.19^2) = 34.13 km.
    assert float(great_circle_km(*BOURGES, *NERONDES)) == pytest.approx(34.13, abs=0.01)
    # The ellipsoid differs from the sphere by a few tenths of a percent at this latitude.
    assert float(geodesic_km(*BOURGES, *NERONDES)) == pytest.approx(34.13, rel=0.005)


def test_vectorised_geodesic_agrees_with_geopy_on_known_pairs():
    pairs = [(BOURGES, NERONDES), (BOURGES, (47.39, 0.69)), ((48.27446, 2.33922), (46.45, 1.81))]
    for a, b in pairs:
        assert float(geodesic_km(*a, *b)) == pytest.approx(geodesic(a, b).km, abs=0.005)


def test_territory_matrix_is_symmetric_with_zero_diagonal():
    places = coordinates(load_territory("bourges").communes)
    matrix = travel_matrix(places, places, TravelParams(), MatrixCache())
    assert matrix.shape == (103, 103)
    assert np.allclose(matrix.km, matrix.km.T, atol=1e-3)
    assert np.all(np.diag(matrix.km) == 0) and np.all(np.diag(matrix.minutes) == 0)
    off = matrix.km[~np.eye(103, dtype=bool)]
    assert off.min() > 0


def test_road_estimate_applies_circuity_and_speed():
    places = np.array([BOURGES, NERONDES])
    matrix = GeodesicProvider(circuity=1.3, speed_kmh=50).compute(places, places)
    straight = geodesic(BOURGES, NERONDES).km
    assert matrix.km[0, 1] == pytest.approx(1.3 * straight, rel=1e-4)
    assert matrix.minutes[0, 1] == pytest.approx(1.3 * straight / 50 * 60, rel=1e-4)


def test_cache_computes_a_matrix_once():
    cache = MatrixCache()
    places = np.array([BOURGES, NERONDES])
    first = travel_matrix(places, places, TravelParams(), cache)
    again = travel_matrix(places.copy(), places.copy(), TravelParams(), cache)
    assert again is first and cache.computed == 1
    travel_matrix(places, places, TravelParams(circuity=1.5), cache)
    assert cache.computed == 2


class _FakeOsrm(BaseHTTPRequestHandler):
    """A local HTTP server speaking OSRM's table protocol (no OSRM can run offline here)."""

    requests = 0

    def do_GET(self):  # noqa: N802 (http.server API)
        type(self).requests += 1
        path, _, query = self.path.partition("?")
        coords = [tuple(map(float, c.split(","))) for c in path.split("/")[-1].split(";")]
        args = dict(part.split("=") for part in query.split("&"))
        src = [int(i) for i in args["sources"].split(";")]
        dst = [int(i) for i in args["destinations"].split(";")]
        # Row i, column j (positions in the request): 1000 m x (i + 1) + j, 1 min x (i + 1);
        # the pair (0, 1) is "unroutable" (null), as OSRM answers for an unreachable place.
        dist = [[1000.0 * (i + 1) + j if (i, j) != (0, 1) else None for j in range(len(dst))] for i in range(len(src))]
        dur = [[60.0 * (i + 1) if (i, j) != (0, 1) else None for j in range(len(dst))] for i in range(len(src))]
        body = json.dumps({"code": "Ok", "distances": dist, "durations": dur, "n": len(coords)}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def osrm_url():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FakeOsrm)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_osrm_provider_reads_the_table_and_caches_it_on_disk(osrm_url, tmp_path):
    places = np.array([BOURGES, NERONDES, (47.11164, 2.35544)])
    params = TravelParams(osrm_url=osrm_url, cache_dir=str(tmp_path))
    _FakeOsrm.requests = 0
    matrix = travel_matrix(places, places, params, MatrixCache(tmp_path))
    assert matrix.km[1, 2] == pytest.approx(2.002) and matrix.minutes[2, 0] == pytest.approx(3.0)
    # The pair the server could not route falls back to the geodesic estimate.
    assert matrix.km[0, 1] == pytest.approx(1.3 * geodesic(BOURGES, NERONDES).km, rel=1e-4)
    assert _FakeOsrm.requests == 1
    again = travel_matrix(places, places, params, MatrixCache(tmp_path))  # fresh memory, same disk
    assert _FakeOsrm.requests == 1 and np.array_equal(again.km, matrix.km)


def test_osrm_provider_chunks_large_requests(osrm_url):
    places = np.array([BOURGES, NERONDES, (47.11164, 2.35544)])
    _FakeOsrm.requests = 0
    matrix = OsrmProvider(osrm_url, chunk=2).compute(places, places)
    assert _FakeOsrm.requests == 4 and matrix.shape == (3, 3)


def test_unreachable_osrm_server_gives_a_clear_error():
    places = np.array([BOURGES, NERONDES])
    with pytest.raises(RoutingError, match="injoignable"):
        OsrmProvider("http://127.0.0.1:9", timeout_s=2).compute(places, places)
