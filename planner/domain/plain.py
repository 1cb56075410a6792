"""The domain's dataclasses as plain JSON values and back, driven by their fields and type hints:
the one converter behind a scenario spec, a plan file, the parameters and the web pages.

``to_plain`` hands out lists (never tuples), string keys and ISO 8601 dates; ``from_plain`` reads
them back into the typed dataclass and names every field that does not fit, as a Problem of
``file`` (the elements of a tuple of dataclasses are rows: ``file:2:vehicles.name``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
from functools import cache

from planner.domain.problems import DataError, Problem


def to_plain(value, *, iso_dates: bool = True):
    """``value`` with dataclasses as dicts of their fields, tuples as lists, dict keys as strings
    and dates in ISO 8601 (kept as dates with ``iso_dates=False``, for templates that format them)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_plain(getattr(value, f.name), iso_dates=iso_dates) for f in dataclasses.fields(value)}
    if isinstance(value, dt.date) and iso_dates:
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): to_plain(v, iso_dates=iso_dates) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_plain(v, iso_dates=iso_dates) for v in value]
    return value


T = typing.TypeVar("T")


def from_plain(kind: type[T], data, file: str) -> T:
    """The ``kind`` dataclass of the plain values ``to_plain`` wrote; DataError naming every unknown,
    missing or ill-typed field. Lists become tuples; an integer is accepted as a float."""
    problems: list[Problem] = []
    value = _decode(kind, data, _Where(file, 0, ""), problems)
    if problems or value is _BAD:
        raise DataError(problems or [Problem(file, 0, "", repr(data)[:80], "objet JSON attendu")])
    return value


_BAD = object()


@dataclasses.dataclass(frozen=True)
class _Where:
    file: str
    row: int
    field: str

    def problem(self, value, message: str) -> Problem:
        return Problem(self.file, self.row, self.field, "" if value is _MISSING else repr(value)[:80], message)

    def inside(self, name: str) -> _Where:
        return _Where(self.file, self.row, f"{self.field}.{name}" if self.field else name)


_MISSING = object()


@cache
def _hints(kind) -> dict:
    return typing.get_type_hints(kind)


def _decode(hint, value, at: _Where, problems: list[Problem]):
    """``value`` as ``hint``, or _BAD after adding the problems that say why."""
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return _dataclass(hint, value, at, problems)
    origin = typing.get_origin(hint)
    if origin in (types.UnionType, typing.Union):
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        if value is None and len(options) < len(typing.get_args(hint)):
            return None
        if len(options) == 1 and isinstance(options[0], type) and dataclasses.is_dataclass(options[0]):
            return _dataclass(options[0], value, at, problems)
    if origin is tuple and isinstance(value, (list, tuple)):
        args = typing.get_args(hint)
        if len(args) == 2 and args[1] is Ellipsis and isinstance(args[0], type) and dataclasses.is_dataclass(args[0]):
            rows = [_decode(args[0], v, _Where(at.file, i, at.field), problems) for i, v in enumerate(value, start=1)]
            return _BAD if _BAD in rows else tuple(rows)
    converted = _scalar(hint, value)
    if converted is _BAD:
        problems.append(at.problem(value, f"type attendu : {_type_label(hint)}"))
    return converted


def _dataclass(kind, value, at: _Where, problems: list[Problem]):
    if not isinstance(value, dict):
        problems.append(at.problem(value, "objet attendu"))
        return _BAD
    known = {f.name: f for f in dataclasses.fields(kind)}
    before = len(problems)
    values = {}
    for key, item in value.items():
        if key not in known:
            problems.append(at.inside(str(key)).problem(_MISSING, f"champ inconnu (attendu : {', '.join(known)})"))
            continue
        values[key] = _decode(_hints(kind)[key], item, at.inside(key), problems)
    for name, f in known.items():
        if name not in value and f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            problems.append(at.inside(name).problem(_MISSING, "valeur obligatoire manquante"))
    return _BAD if len(problems) > before else kind(**values)


def _scalar(hint, value):
    """``value`` as a non-dataclass ``hint``, or _BAD; nothing is reported here."""
    origin = typing.get_origin(hint)
    if origin in (types.UnionType, typing.Union):
        if value is None and type(None) in typing.get_args(hint):
            return None
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        return _scalar(options[0], value) if len(options) == 1 else _BAD
    if origin is tuple:
        if not isinstance(value, (list, tuple)):
            return _BAD
        args = typing.get_args(hint)
        if len(args) == 2 and args[1] is Ellipsis:
            items = tuple(_scalar(args[0], v) for v in value)
        elif len(args) == len(value):
            items = tuple(_scalar(a, v) for a, v in zip(args, value, strict=True))
        else:
            return _BAD
        return _BAD if _BAD in items else items
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):  # inside a fixed-length tuple
        return _dataclass(hint, value, _Where("", 0, ""), [])
    if hint is dt.date:
        try:
            return dt.date.fromisoformat(value) if isinstance(value, str) else _BAD
        except ValueError:
            return _BAD
    if hint is dict:
        return value if isinstance(value, dict) else _BAD
    if isinstance(value, bool):
        return value if hint is bool else _BAD
    if hint is float:
        return float(value) if isinstance(value, (int, float)) else _BAD
    if hint in (int, str, bool):
        return value if isinstance(value, hint) else _BAD
    return _BAD


def _type_label(hint) -> str:
    labels = {str: "texte", int: "entier", float: "nombre", dict: "objet", bool: "booléen", dt.date: "date ISO"}
    if typing.get_origin(hint) is tuple:
        return "liste"
    if typing.get_origin(hint) in (types.UnionType, typing.Union):
        return " ou ".join(_type_label(a) if a is not type(None) else "null" for a in typing.get_args(hint))
    return labels.get(hint, getattr(hint, "__name__", str(hint)))
