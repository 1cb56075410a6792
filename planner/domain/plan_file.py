"""A Plan as plain JSON values and back, with the spec it was solved in.

The web app stores plans this way and the command line can keep one beside its CSV: a plan read
back can be exported (its workbook shows the status, bound, gap and settings of the solve that made
it), compared or re-solved without re-entering the scenario.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing

from planner.domain.plan import Plan
from planner.domain.problems import DataError, Problem
from planner.domain.spec import ScenarioSpec

FORMAT = "tournee.plan"
VERSION = 1
PLAN_FILE = "plan"  # the ``file`` of a Problem about a plan read back


def plan_to_dict(plan: Plan) -> dict:
    """Plain JSON types only: dates in ISO 8601, tuples as lists, the spec as ``ScenarioSpec.to_dict``."""
    return {"format": FORMAT, "version": VERSION, **_encode(plan)}


def plan_from_dict(data: dict) -> Plan:
    """The plan ``plan_to_dict`` wrote; DataError naming the first field that does not fit."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise DataError([Problem(PLAN_FILE, 0, "format", str(data.get("format", "")) if isinstance(data, dict) else "",
                                 f"pas un plan Tournée (attendu : format « {FORMAT} »)")])
    if data.get("version") != VERSION:
        raise DataError([Problem(PLAN_FILE, 0, "version", str(data.get("version")), f"version {VERSION} attendue")])
    body = {k: v for k, v in data.items() if k not in ("format", "version")}
    return _decode(Plan, body, "")


def _encode(value):
    if isinstance(value, ScenarioSpec):
        return value.to_dict()
    if dataclasses.is_dataclass(value):
        return {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _encode(v) for k, v in value.items()}
    return value


def _decode(hint, value, where: str):
    try:
        return _decode_value(hint, value, where)
    except DataError:
        raise
    except (TypeError, ValueError, KeyError, AttributeError) as exc:
        raise DataError([Problem(PLAN_FILE, 0, where, repr(value)[:80], f"valeur illisible ({exc})")]) from exc


def _decode_value(hint, value, where: str):
    origin = typing.get_origin(hint)
    if hint is ScenarioSpec:
        return ScenarioSpec.from_dict(value)
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        if not isinstance(value, dict):
            raise TypeError("objet attendu")
        hints = typing.get_type_hints(hint)
        names = {f.name for f in dataclasses.fields(hint)}
        unknown = set(value) - names
        if unknown:
            raise DataError([Problem(PLAN_FILE, 0, f"{where}{sorted(unknown)[0]}", "", "champ inconnu")])
        return hint(**{k: _decode(hints[k], v, f"{where}{k}.") for k, v in value.items()})
    if origin in (types.UnionType, typing.Union):
        if value is None:
            return None
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        return _decode(options[0], value, where)
    if origin is tuple:
        args = typing.get_args(hint)
        if not isinstance(value, list):
            raise TypeError("liste attendue")
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_decode(args[0], v, f"{where}{i}.") for i, v in enumerate(value))
        return tuple(_decode(a, v, f"{where}{i}.") for i, (a, v) in enumerate(zip(args, value, strict=True)))
    if hint is dt.date:
        return dt.date.fromisoformat(value)
    if hint is float:
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            raise TypeError("nombre attendu")
        return float(value)
    if hint in (int, str, bool, dict) and not isinstance(value, hint):
        raise TypeError(f"{hint.__name__} attendu")
    return value
