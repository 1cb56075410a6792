"""Routing server answers (a real HTTP server on loopback) and the matrix cache: a nonsense
answer is refused naming the parameter and what was wrong; an unreadable or unwritable cache is
a warning and the distances are computed again (small EPCI, one table request a side)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.hostile.corpus.routing import BAD, ROUTING_CASES, routing_server
from tests.hostile.corpus.runner import run_case


@pytest.fixture(scope="module")
def osrm():
    with routing_server() as url:
        yield url


@pytest.mark.parametrize("case", ROUTING_CASES, ids=[c.id for c in ROUTING_CASES])
def test_routing_case(case, osrm, tmp_path):
    outcome = run_case(case, tmp_path, osrm)
    text = outcome.err + outcome.out
    assert outcome.code == case.code, (outcome.code, outcome.escaped, text[-1500:])
    for message in case.messages:
        assert message in text, (message, text[-1500:])
    if case.code == 2 and case.id != "routing-unreachable":
        assert BAD.replace("{osrm}", osrm) in text
    assert "Traceback" not in text


def test_corrupt_cache_is_recomputed_and_replaced(osrm, tmp_path):
    valid = next(c for c in ROUTING_CASES if c.id == "routing-valid")
    first = run_case(valid, tmp_path, osrm)
    cached = sorted((tmp_path / "cache").glob("*.npz"))
    assert first.code == 0 and cached
    for path in cached:
        path.write_bytes(b"PK\x03\x04 broken")
    # The same folder under another name: this process's in-memory cache does not know it.
    (tmp_path / "again").symlink_to(tmp_path / "cache")
    again = replace(valid, files={"p.toml": valid.files["p.toml"].replace(b"/cache", b"/again")})
    second = run_case(again, tmp_path, osrm)
    assert second.code == 0, second.err
    assert "Attention : cache de distances illisible" in second.err
    assert first.out == second.out  # the same distances, fetched again
    assert all(path.read_bytes()[:4] == b"PK\x03\x04" and path.stat().st_size > 100 for path in cached)
