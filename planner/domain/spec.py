"""ScenarioSpec: a scenario as plain JSON values, the one description every front end builds.

The command line turns its flags and files into a spec, the web app its forms and uploads, the
benchmarks their presets; ``planner.inputs.scenario_build.build_scenario`` validates a spec and
turns it into a Scenario. Every plan keeps the spec it was solved from, so that a plan file can be
re-solved, exported or compared later without re-entering anything.
"""

from __future__ import annotations

import types
import typing
from dataclasses import MISSING, asdict, dataclass, field, fields

from planner.domain.plain import plain
from planner.domain.problems import DataError, Problem

SPEC_FILE = "scénario"  # the ``file`` of every Problem about a spec


@dataclass(frozen=True)
class VehicleSpec:
    name: str
    kind: str = "bus"  # "bus" | "mediator"
    base: str = ""  # INSEE code or "lat,lon"; "" = most populous commune of the territory
    weekdays: str = ""  # "tue,wed,thu,fri" / "mardi-vendredi"; "" = default of the kind
    max_drive_minutes: float | None = None  # None = params default
    overnight_nights: int | None = None  # None = params default (bus only)


@dataclass(frozen=True)
class ScenarioSpec:
    territory: str = "bourges"  # preset (bourges, cher, centre-val-de-loire) or "epci:SIREN"
    territory_rows: tuple[dict, ...] = ()  # an uploaded commune list (columns of a territory file); overrides `territory`
    name: str = ""  # the season's title shown to people
    start: str = ""  # ISO date; "" = next Monday
    end: str = ""  # ISO date; "" = next 30 June
    mode: str = "bus"  # kind of the default vehicle
    vehicles: tuple[VehicleSpec, ...] = ()  # () = one default vehicle of `mode`
    closed: tuple[str, ...] = ()  # ISO dates
    school_zone: str = ""  # "", "A", "B", "C"
    pins: tuple[dict, ...] = ()  # {"date": ISO, "insee": str, "vehicle": str (optional)}
    forbids: tuple[dict, ...] = ()  # {"insee": str, "date": ISO or ""}
    requests: tuple[dict, ...] = ()  # rows with the requests file's columns
    markets: tuple[dict, ...] = ()  # rows with the markets file's columns
    service_points: tuple[dict, ...] = ()  # rows with the service-points file's columns
    ages: tuple[dict, ...] = ()  # rows of an INSEE age table
    params: dict = field(default_factory=dict)  # same sections and keys as the TOML parameters file
    team_contact: dict = field(default_factory=dict)  # {"name", "phone", "email", "signup"}; {} = not set

    def to_dict(self) -> dict:
        """Plain JSON types only (tuples become lists)."""
        return plain(asdict(self))

    @classmethod
    def from_dict(cls, data: dict) -> ScenarioSpec:
        """The spec of a dict as ``to_dict`` writes it; DataError naming every unknown or ill-typed field."""
        if not isinstance(data, dict):
            raise DataError([Problem(SPEC_FILE, 0, "", type(data).__name__, "objet JSON attendu")])
        problems: list[Problem] = []
        values = _fields_of(cls, data, "", problems)
        vehicles = []
        for i, item in enumerate(values.get("vehicles", ()), start=1):
            if not isinstance(item, dict):
                problems.append(Problem(SPEC_FILE, i, "vehicles", repr(item), "objet attendu"))
                continue
            vehicle = _fields_of(VehicleSpec, item, "vehicles.", problems, row=i)
            if "name" not in item:
                problems.append(Problem(SPEC_FILE, i, "vehicles.name", "", "valeur obligatoire manquante"))
            else:
                vehicles.append(VehicleSpec(**vehicle))
        if problems:
            raise DataError(problems)
        if "vehicles" in values:
            values["vehicles"] = tuple(vehicles)
        return cls(**values)


def _fields_of(kind, data: dict, prefix: str, problems: list[Problem], row: int = 0) -> dict:
    known = {f.name: f for f in fields(kind)}
    hints = typing.get_type_hints(kind)
    values = {}
    for key, value in data.items():
        if key not in known:
            problems.append(Problem(SPEC_FILE, row, prefix + key, "", f"champ inconnu (attendu : {', '.join(known)})"))
            continue
        converted = _convert(hints[key], value)
        if converted is _BAD:
            problems.append(Problem(SPEC_FILE, row, prefix + key, repr(value)[:80],
                                    f"type attendu : {_type_label(hints[key])}"))
            continue
        values[key] = converted
    for name, f in known.items():
        if name not in data and f.default is MISSING and f.default_factory is MISSING and not prefix:
            problems.append(Problem(SPEC_FILE, row, prefix + name, "", "valeur obligatoire manquante"))
    return values


_BAD = object()


def _convert(hint, value):
    """``value`` as the field's type, or _BAD: lists become tuples; ints are accepted as floats."""
    origin = typing.get_origin(hint)
    if origin in (types.UnionType, typing.Union):
        if value is None and type(None) in typing.get_args(hint):
            return None
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        return _convert(options[0], value) if len(options) == 1 else _BAD
    if origin is tuple:
        if not isinstance(value, (list, tuple)):
            return _BAD
        item = typing.get_args(hint)[0]
        if item is dict:  # rows and pins: dicts as they come (their cells are checked when built)
            return tuple(value) if all(isinstance(v, dict) for v in value) else _BAD
        if item is VehicleSpec:  # converted by the caller, row by row
            return tuple(value)
        converted = tuple(_convert(item, v) for v in value)
        return _BAD if any(v is _BAD for v in converted) else converted
    if hint is dict:
        return value if isinstance(value, dict) else _BAD
    if hint is bool or isinstance(value, bool):
        return value if hint is bool and isinstance(value, bool) else _BAD
    if hint is float:
        return float(value) if isinstance(value, (int, float)) else _BAD
    if hint is int:
        return value if isinstance(value, int) else _BAD
    if hint is str:
        return value if isinstance(value, str) else _BAD
    return _BAD


def _type_label(hint) -> str:
    labels = {str: "texte", int: "entier", float: "nombre", dict: "objet", bool: "booléen"}
    if typing.get_origin(hint) is tuple:
        return "liste"
    if typing.get_origin(hint) in (types.UnionType, typing.Union):
        return " ou ".join(_type_label(a) if a is not type(None) else "null" for a in typing.get_args(hint))
    return labels.get(hint, str(hint))
