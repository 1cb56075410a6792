"""Property-based tests of the loaders (Hypothesis): random bytes, random CSV shapes, random
numbers and random parameter values give either a clean result that keeps the domain's ranges,
or DataError with problems; never another exception."""

from __future__ import annotations

import io
import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from planner.domain.parameters import CATALOGUE
from planner.domain.params import Params
from planner.domain.problems import DataError
from planner.inputs import ages, communes, markets, requests, service_points
from planner.inputs.ages import apply_age_table
from planner.inputs.communes import MAX_POPULATION, read_communes
from planner.inputs.dataset import shipped_communes
from planner.inputs.markets import read_markets
from planner.inputs.requests import read_requests
from planner.inputs.service_points import read_service_points
from planner.inputs.stops import read_stops
from planner.inputs.table import MAX_CELL_CHARS, table_from_bytes

KNOWN = {c.insee: c for c in shipped_communes()}
BOURGES_AREA = tuple(c for c in shipped_communes() if c.insee.startswith("180"))[:5]
LOADERS = {
    "communes": (communes.REQUIRED, lambda t: read_communes(t, KNOWN)),
    "requests": (requests.REQUIRED, lambda t: read_requests(t, KNOWN)),
    "markets": (markets.REQUIRED, lambda t: read_markets(t, KNOWN)),
    "service_points": (service_points.REQUIRED, lambda t: read_service_points(t, KNOWN)),
    "ages": (ages.REQUIRED, lambda t: apply_age_table(t, BOURGES_AREA)),
    "stops": ((("date",), ("insee_com",)), lambda t: read_stops(t, "bus", communes=set(KNOWN), vehicles={"bus"})),
}
HEADERS = {
    "communes": ["insee_com", "commune", "lat", "lon", "population", "seniors", "area_km2"],
    "requests": ["request_id", "insee_com", "start", "end", "windows", "days", "priority", "status", "note"],
    "markets": ["insee_com", "weekday", "frequency", "place"],
    "service_points": ["name", "kinds", "insee_com", "lat", "lon"],
    "ages": ["CODGEO", "P21_POP6074", "P21_POP75P"],
    "stops": ["date", "insee_com", "vehicle", "slot"],
}
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def load(kind: str, data: bytes, name: str = "f.csv"):
    """The loader's result, or the DataError it raised (any other exception fails the test)."""
    required, loader = LOADERS[kind]
    try:
        return loader(table_from_bytes(data, name, required))
    except DataError as exc:
        assert exc.problems and all(p.message for p in exc.problems)
        for problem in exc.problems:
            assert len(str(problem)) < 400  # a huge cell is quoted cut, on one line
            assert "\n" not in str(problem)
        return exc


@FAST
@given(kind=st.sampled_from(sorted(LOADERS)), data=st.binary(max_size=2000))
def test_random_bytes(kind, data):
    load(kind, data)


@FAST
@given(kind=st.sampled_from(sorted(LOADERS)), data=st.binary(max_size=600), suffix=st.sampled_from([".xlsx", ".csv"]))
def test_random_bytes_after_a_valid_header(kind, data, suffix):
    header = ";".join(HEADERS[kind]).encode() + b"\n"
    load(kind, b"PK\x03\x04" + data if suffix == ".xlsx" else header + data, "f" + suffix)


CELL = st.one_of(
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12),
    st.sampled_from(["18033", "18145", "99999", "8033", "2A004", "2026-09-14", "14/09/2026", "2026-02-30",
                     "2026-10-01..2026-10-31", ";;;", "must", "should", "jeudi", "epn", "nan", "inf", "-1", "1e308",
                     "1,5", "12 000", '"', '""', "é", "\r", "\n", "x" * 50]),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
)


@FAST
@given(kind=st.sampled_from(sorted(LOADERS)), rows=st.lists(st.lists(CELL, max_size=10), max_size=8),
       delimiter=st.sampled_from([";", ",", "\t", "|"]), encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]))
def test_random_csv_shapes(kind, rows, delimiter, encoding):
    lines = [delimiter.join(HEADERS[kind])] + [delimiter.join(row) for row in rows]
    text = "\n".join(lines) + "\n"
    result = load(kind, text.encode(encoding, errors="replace"))
    if kind == "communes" and not isinstance(result, DataError):
        for commune in result:
            assert commune.population is None or 0 <= commune.population <= MAX_POPULATION
            assert commune.seniors is None or (math.isfinite(commune.seniors) and commune.seniors >= 0)
            if commune.seniors is not None and commune.population is not None:
                assert commune.seniors <= commune.population


NUMBER_TEXT = st.one_of(st.floats(allow_nan=True, allow_infinity=True).map(repr),
                        st.floats(allow_nan=False, allow_infinity=False).map(lambda x: f"{x:,.3f}".replace(",", " ")),
                        st.integers(min_value=-(2**80), max_value=2**80).map(str),
                        st.sampled_from(["", "nan", "-inf", "1e999", "1,5", "0x10", "١٢"]))


@FAST
@given(population=NUMBER_TEXT, seniors=NUMBER_TEXT, area=NUMBER_TEXT, lat=NUMBER_TEXT, lon=NUMBER_TEXT)
def test_random_numbers_in_a_territory(population, seniors, area, lat, lon):
    text = f"insee_com;commune;lat;lon;population;seniors;area_km2\n18033;Bourges;{lat};{lon};{population};{seniors};{area}\n"
    result = load("communes", text.encode())
    if not isinstance(result, DataError):
        (commune,) = result
        assert 41.0 <= commune.lat <= 51.5 and -5.5 <= commune.lon <= 10.0
        assert commune.population is None or 0 <= commune.population <= MAX_POPULATION
        assert commune.seniors is None or 0 <= commune.seniors <= (commune.population or MAX_POPULATION)
        assert commune.area_km2 is None or math.isfinite(commune.area_km2)


@FAST
@given(cells=st.lists(st.lists(st.one_of(st.none(), st.integers(min_value=-(2**40), max_value=2**40),
                                         st.floats(allow_nan=False), st.booleans(),
                                         st.text(max_size=20).map(lambda t: "".join(c for c in t if c.isprintable()))),
                               max_size=6), max_size=6))
def test_random_xlsx_cells(cells):
    book = Workbook()
    ws = book.active
    ws.append(HEADERS["requests"])
    for row in cells:
        ws.append(row)
    out = io.BytesIO()
    book.save(out)
    load("requests", out.getvalue(), "f.xlsx")


VALUES = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(min_value=-(2**70), max_value=2**70),
                   st.booleans(), st.text(max_size=8), st.lists(st.text(max_size=4), max_size=3), st.none())


RANGED = [p for p in CATALOGUE if p.minimum is not None]


@FAST
@given(values=st.dictionaries(st.sampled_from(sorted(p.key for p in RANGED)), VALUES, max_size=6))
def test_random_parameter_values(values):
    data: dict = {}
    for key, value in values.items():
        section, name = key.split(".")
        if value is not None:
            data.setdefault(section, {})[name] = value
    try:
        params = Params.from_dict(data, "p.toml")
    except DataError as exc:
        assert exc.problems and all(p.file == "p.toml" for p in exc.problems)
        return
    for p in RANGED:
        value = getattr(getattr(params, p.section), p.name)
        low = value > p.minimum if p.above_minimum else value >= p.minimum
        assert math.isfinite(value) and low and value <= p.maximum


def test_a_cell_longer_than_the_limit_is_named_with_its_line():
    text = "insee_com;note\n18033;ok\n18033;" + "z" * (MAX_CELL_CHARS + 1) + "\n"
    result = load("markets", text.encode())
    assert isinstance(result, DataError)
    assert str(result.problems[0]).startswith("f.csv:3:")
