"""Shared helpers: tiny hand-made territories and file writers for the tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.commune import Commune
from planner.service_point import ServicePoint
from planner.territory import Territory

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"


def commune(code: str, lat: float, lon: float, seniors: float | None = 100.0, *, name: str | None = None,
            epci: str = "E1", population: int = 1000) -> Commune:
    return Commune(insee=code, name=name or f"Commune {code}", dep=code[:2], epci=epci, epci_name=f"CC {epci}",
                   lat=lat, lon=lon, area_km2=10.0, population=population, seniors=seniors,
                   seniors_basis="test")


def service_point(code: str, lat: float, lon: float, kind: str = "epn") -> ServicePoint:
    return ServicePoint(point_id=f"sp-{code}-{kind}", name=f"{kind} {code}", kinds=frozenset({kind}),
                        insee=code, commune=f"Commune {code}", lat=lat, lon=lon)


def territory(communes, points=(), markets=(), name: str = "test") -> Territory:
    return Territory(name, tuple(communes), tuple(points), tuple(markets))


@pytest.fixture
def write(tmp_path):
    """write(name, text, encoding='utf-8') -> Path of a file holding exactly these bytes."""

    def _write(name: str, text: str, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.write_bytes(text.encode(encoding))
        return path

    return _write
