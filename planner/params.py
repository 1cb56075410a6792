"""Every tunable figure of the planner in one place, with its default and why.

The defaults are assumptions of the product, not data: they are printed with every plan and can
be changed in a TOML file (``--params FILE.toml``) whose sections mirror the dataclasses below::

    [travel]
    circuity = 1.3

    [need]
    gap_full_km = 15
"""

from __future__ import annotations

import tomllib
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path

from planner.problems import DataError, Problem
from planner.service_point import KINDS


@dataclass(frozen=True)
class TravelParams:
    """How a straight line becomes a drive when no routing server is configured."""

    circuity: float = 1.3  # road km per geodesic km; ~1.2-1.4 on French rural networks
    speed_kmh: float = 50.0  # average door-to-door speed of a minibus on departmental roads
    osrm_url: str = ""  # e.g. http://localhost:5000; empty = offline geodesic estimate
    cache_dir: str = ""  # where routed matrices are kept; empty = ~/.cache/tournee


@dataclass(frozen=True)
class NeedParams:
    """The need of a commune and the audience a stop draws (see planner/need.py)."""

    service_kinds: tuple[str, ...] = ("france_services", "epn", "conseiller_numerique")
    gap_full_km: float = 15.0  # road km to the nearest service beyond which the access gap is 1
    far_km: float = 10.0  # "far from services" in reports (road km)
    fragility_weight: float = 0.0  # exponent on fragility/100; 0 = the index is not used
    decay_half_km: float = 5.0  # road km at which half of a commune's seniors still come
    catchment_km: float = 20.0  # beyond this nobody is counted as reached


@dataclass(frozen=True)
class Params:
    travel: TravelParams = field(default_factory=TravelParams)
    need: NeedParams = field(default_factory=NeedParams)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_toml(cls, path: str | Path) -> Params:
        """Defaults overridden by the file; unknown keys and wrong types are errors, not ignored."""
        path = Path(path)
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise DataError([Problem(path.name, 0, "", str(path), "fichier introuvable")]) from exc
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise DataError([Problem(path.name, 0, "", "", f"TOML invalide : {exc}")]) from exc
        return cls.from_dict(data, path.name)

    @classmethod
    def from_dict(cls, data: dict, source: str = "paramètres") -> Params:
        problems: list[Problem] = []
        sections = {}
        for f in fields(cls):
            section_type = type(getattr(cls(), f.name))
            sections[f.name] = _section(section_type, data.get(f.name, {}), source, f.name, problems)
        for key in data:
            if key not in sections:
                problems.append(Problem(source, 0, key, "", f"section inconnue (attendu : {', '.join(sections)})"))
        if problems:
            raise DataError(problems)
        return cls(**sections)

    def with_changes(self, section: str, **changes) -> Params:
        return replace(self, **{section: replace(getattr(self, section), **changes)})


def _section(kind, values, source: str, name: str, problems: list[Problem]):
    default = kind()
    if not isinstance(values, dict):
        problems.append(Problem(source, 0, name, str(values), "une section [..] est attendue"))
        return default
    allowed = {f.name: f for f in fields(kind)}
    changes = {}
    for key, value in values.items():
        where = f"{name}.{key}"
        if key not in allowed:
            problems.append(Problem(source, 0, where, "", f"paramètre inconnu (attendu : {', '.join(allowed)})"))
            continue
        current = getattr(default, key)
        converted = _convert(current, value)
        if converted is None:
            problems.append(Problem(source, 0, where, repr(value), f"type attendu : {_type_name(current)}"))
            continue
        changes[key] = converted
    result = replace(default, **changes)
    problems.extend(_check(result, source, name))
    return result


def _convert(current, value):
    if isinstance(current, bool):
        return value if isinstance(value, bool) else None
    if isinstance(current, int) and not isinstance(current, bool):
        return value if isinstance(value, int) and not isinstance(value, bool) else None
    if isinstance(current, float):
        return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None
    if isinstance(current, str):
        return value if isinstance(value, str) else None
    if isinstance(current, tuple):
        if isinstance(value, (list, tuple)) and all(isinstance(v, type(current[0]) if current else str) for v in value):
            return tuple(value)
        return None
    return None


def _type_name(current) -> str:
    return {bool: "booléen", int: "entier", float: "nombre", str: "texte", tuple: "liste"}[type(current)]


def _check(section, source: str, name: str) -> list[Problem]:
    """Range checks that would otherwise surface as a nonsense plan or a solver crash."""
    problems = []
    for f in fields(section):
        value = getattr(section, f.name)
        if isinstance(value, float) and value < 0:
            problems.append(Problem(source, 0, f"{name}.{f.name}", str(value), "doit être positif"))
    if isinstance(section, TravelParams):
        if section.circuity < 1:
            problems.append(Problem(source, 0, "travel.circuity", str(section.circuity), "doit être au moins 1"))
        if section.speed_kmh <= 0:
            problems.append(Problem(source, 0, "travel.speed_kmh", str(section.speed_kmh), "doit être positif"))
    if isinstance(section, NeedParams):
        for kind in section.service_kinds:
            if kind not in KINDS:
                problems.append(Problem(source, 0, "need.service_kinds", kind, f"type inconnu (attendu : {', '.join(KINDS)})"))
        for key in ("gap_full_km", "decay_half_km", "catchment_km"):
            if getattr(section, key) <= 0:
                problems.append(Problem(source, 0, f"need.{key}", str(getattr(section, key)), "doit être positif"))
    return problems
