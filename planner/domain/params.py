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
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from planner.domain.parameters import range_problem
from planner.domain.plain import to_plain
from planner.domain.problems import DataError, Problem
from planner.domain.service_point import KINDS


@dataclass(frozen=True)
class TravelParams:
    """How a straight line becomes a drive when no routing server is configured."""

    circuity: float = 1.3  # road km per geodesic km; ~1.2-1.4 on French rural networks
    speed_kmh: float = 50.0  # average door-to-door speed of a minibus on departmental roads
    osrm_url: str = ""  # e.g. http://localhost:5000; empty = offline geodesic estimate
    cache_dir: str = ""  # where routed matrices are kept; empty = ~/.cache/tournee


@dataclass(frozen=True)
class NeedParams:
    """The need of a commune and the audience a stop draws (see planner/core/need.py)."""

    service_kinds: tuple[str, ...] = ("france_services", "epn", "conseiller_numerique")
    gap_start_km: float = 3.0  # road km to the nearest service within which there is no access gap
    gap_full_km: float = 15.0  # road km to the nearest service beyond which the access gap is 1
    far_km: float = 10.0  # "far from services" in reports (road km)
    fragility_weight: float = 0.0  # exponent on fragility/100; 0 = the index is not used
    decay_half_km: float = 5.0  # road km at which half of a commune's seniors still come
    catchment_km: float = 20.0  # beyond this nobody is counted as reached
    # Share of a commune's seniors that one visit draws (times the distance decay; see
    # planner/core/participants.py). Calibrated on the study: the 12 bus days of 2018-2019 (Trouy,
    # Lunery, Nérondes, Bourges x4, ...) seated « près de 200 séniors »; `run.py evaluate` of that
    # tour gives about 200 participants with this value (README, « Participants attendus »). The
    # tour visited each commune once but Bourges, whose days were full: it measures one visit.
    take_up: float = 0.006
    # Share of a commune's seniors who may come over the whole season (its pool: a senior who came
    # does not come again). No source counts who would come; the default is those a workshop is
    # for, the seniors in « illectronisme » (no Internet use in 3 months, or no basic skill): « plus
    # d'une personne de 60 ans ou plus sur trois » in 2021 (Insee Première n° 1953, June 2023; 62 %
    # of those 75 or more), so an upper bound of the pool. Lower it for a territory whose seniors
    # were already reached.
    season_share: float = 0.33


@dataclass(frozen=True)
class Quota:
    """Minimum and maximum stop days in a group of communes (an EPCI or a département)."""

    kind: str  # "epci" (SIREN code) or "dep"
    code: str
    min_days: int = 0
    max_days: int = -1  # -1 = no maximum

    def label(self) -> str:
        return f"quota {self.kind} {self.code}"


@dataclass(frozen=True)
class RuleParams:
    """Hard rules of a season besides dates and requests."""

    min_gap_days: int = 21  # calendar days between two visits of one commune (21 = 3 weeks)
    max_visits: int = 4  # per commune and season
    market_required: bool = False  # True: a commune with a known weekly market only on that day
    unconfirmed_markets: bool = True  # False: markets « à confirmer » (the public listing's) count for nothing
    mediator_visits_per_week: int = 1  # half-days of the mediator's weekly rotation in one commune
    quotas: tuple[Quota, ...] = ()

    @property
    def gap_days(self) -> int:
        """Days two visits of a commune must be apart: ``min_gap_days``, but at least one (0 would
        let a commune be visited twice on one day, which a season never wants)."""
        return max(1, self.min_gap_days)


@dataclass(frozen=True)
class ObjectiveParams:
    """Weights of the objective, in "value points" (1 point = one participant with help nearby)."""

    # A seat taken by a senior of commune c is worth 1 + gap_weight x access_gap(c) points: a senior
    # far from any place of help counts (1 + gap_weight) times one who has help nearby.
    gap_weight: float = 2.0
    # Points of one participant with help nearby (w = seat_points x (1 + gap_weight x gap)). The
    # other weights (km, idle day, requests, moves) are in the same points and were set when a
    # stop was worth a few hundred: at 1 point a seat, 0.5 point a km made driving 2 km cost a
    # participant and the optimum stayed beside the base (need-bourges: 255 participants, 9 far,
    # against 295 and 21 for the season chosen before).
    seat_points: float = 10.0
    market_bonus: float = 0.3  # extra share of the stop's value on the commune's market day
    should_bonus: float = 100.0  # points for serving an accepted "should" request
    km_cost: float = 0.5  # points lost per km driven
    move_penalty: float = 200.0  # points lost per published stop moved by a re-plan
    idle_day_cost: float = 1000.0  # points lost per working day left without a stop (the vehicle is paid for)


@dataclass(frozen=True)
class VehicleParams:
    """Defaults of the vehicle the CLI builds (a bus numérique)."""

    max_drive_minutes: float = 180.0  # per day; a bus sleeping at base: base -> stop -> base
    seats: int = 12  # per workshop
    overnight_nights: int = 0  # nights away from base in a row (0 = home every evening)


@dataclass(frozen=True)
class SolverParams:
    time_limit_s: float = 10.0
    workers: int = 2
    seed: int = 0
    sequencing: str = "cpsat"  # overnight weeks re-solved after the season model: cpsat, routing or none
    max_candidates: int = 0  # 0 = every commune; else the best N by value (large territories)
    # True: a work budget instead of the clock (CP-SAT deterministic seconds, no clock in the
    # heuristics, no LP bound in a thread), so the same inputs and seed give the same plan.
    reproducible: bool = False


@dataclass(frozen=True)
class Params:
    travel: TravelParams = field(default_factory=TravelParams)
    need: NeedParams = field(default_factory=NeedParams)
    rules: RuleParams = field(default_factory=RuleParams)
    objective: ObjectiveParams = field(default_factory=ObjectiveParams)
    vehicle: VehicleParams = field(default_factory=VehicleParams)
    solver: SolverParams = field(default_factory=SolverParams)

    def to_dict(self) -> dict:
        """Plain JSON values (lists, not tuples): what a plan keeps and ``from_dict`` reads back."""
        return to_plain(self)

    @classmethod
    def from_toml(cls, path: str | Path) -> Params:
        """Defaults overridden by the file; unknown keys and wrong types are errors, not ignored."""
        return cls.from_dict(read_toml(path), Path(path).name)

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


# Keys a plan saved before they were retired may still hold: read and dropped, so that old plan
# files open. objective.repeat_decay: visits no longer lose value by a fixed factor, a commune's
# pool of participants empties instead (planner/core/participants.py).
RETIRED = frozenset({"objective.repeat_decay"})


def _section(kind, values, source: str, name: str, problems: list[Problem]):
    default = kind()
    if not isinstance(values, dict):
        problems.append(Problem(source, 0, name, str(values), "une section [..] est attendue"))
        return default
    allowed = {f.name: f for f in fields(kind)}
    changes = {}
    for key, value in values.items():
        where = f"{name}.{key}"
        if where in RETIRED:
            continue
        if key not in allowed:
            problems.append(Problem(source, 0, where, "", f"paramètre inconnu (attendu : {', '.join(allowed)})"))
            continue
        current = getattr(default, key)
        if key == "quotas":
            changes[key] = _quotas(value, source, where, problems)
            continue
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


def _quotas(value, source: str, where: str, problems: list[Problem]) -> tuple[Quota, ...]:
    """``quotas = [{kind = "epci", code = "241800507", min_days = 5, max_days = 20}, ...]``."""
    if isinstance(value, (list, tuple)) and all(isinstance(q, Quota) for q in value):
        return tuple(value)
    if not isinstance(value, (list, tuple)):
        problems.append(Problem(source, 0, where, repr(value), "liste de quotas attendue"))
        return ()
    quotas = []
    for i, item in enumerate(value, start=1):
        here = f"{where}[{i}]"
        if not isinstance(item, dict) or set(item) - {"kind", "code", "min_days", "max_days"}:
            problems.append(Problem(source, 0, here, repr(item), "attendu : {kind, code, min_days, max_days}"))
            continue
        kind, code = item.get("kind"), str(item.get("code", ""))
        low, high = item.get("min_days", 0), item.get("max_days", -1)
        if kind not in ("epci", "dep"):
            problems.append(Problem(source, 0, f"{here}.kind", repr(kind), "attendu : epci ou dep"))
        elif not code:
            problems.append(Problem(source, 0, f"{here}.code", "", "code manquant"))
        elif not (isinstance(low, int) and isinstance(high, int)) or low < 0 or (high != -1 and high < low):
            problems.append(Problem(source, 0, here, f"{low}..{high}", "min_days et max_days : entiers, min <= max"))
        else:
            quotas.append(Quota(kind, code, low, high))
    return tuple(quotas)


def _type_name(current) -> str:
    return {bool: "booléen", int: "entier", float: "nombre", str: "texte", tuple: "liste"}[type(current)]


def _check(section, source: str, name: str) -> list[Problem]:
    """Range checks (the catalogue's) that would otherwise surface as a nonsense plan or a solver crash."""
    problems = []
    for f in fields(section):
        value = getattr(section, f.name)
        key = f"{name}.{f.name}"
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            message = range_problem(key, value)
            if message:
                problems.append(Problem(source, 0, key, _text(value), message))
    if isinstance(section, TravelParams) and section.osrm_url and not section.osrm_url.startswith(("http://", "https://")):
        problems.append(Problem(source, 0, "travel.osrm_url", section.osrm_url, "adresse http:// ou https:// attendue"))
    if isinstance(section, NeedParams):
        for kind in section.service_kinds:
            if kind not in KINDS:
                problems.append(Problem(source, 0, "need.service_kinds", kind, f"type inconnu (attendu : {', '.join(KINDS)})"))
        if not range_problem("need.gap_start_km", section.gap_start_km) and not range_problem(
                "need.gap_full_km", section.gap_full_km) and section.gap_start_km >= section.gap_full_km:
            problems.append(Problem(source, 0, "need.gap_start_km", _text(section.gap_start_km),
                                    "doit être inférieur à need.gap_full_km"))
    if isinstance(section, SolverParams) and section.sequencing not in ("cpsat", "routing", "none"):
        problems.append(Problem(source, 0, "solver.sequencing", section.sequencing, "attendu : cpsat, routing ou none"))
    return problems


def _text(value) -> str:
    """A number as the user wrote it (no '60.0' for 60)."""
    return f"{value:g}" if isinstance(value, float) and abs(value) < 1e16 else str(value)


def read_toml(path: str | Path) -> dict:
    """The sections of a parameters file, as ``Params.from_dict`` and a ScenarioSpec take them."""
    path = Path(path)
    if path.is_dir():
        raise DataError([Problem(path.name, 0, "", str(path), "est un dossier : donnez un fichier de paramètres .toml")])
    try:
        return tomllib.loads(path.read_bytes().decode("utf-8-sig"))
    except FileNotFoundError as exc:
        raise DataError([Problem(path.name, 0, "", str(path), "fichier introuvable")]) from exc
    except OSError as exc:
        raise DataError([Problem(path.name, 0, "", str(path), f"fichier illisible : {exc.strerror or exc}")]) from exc
    except UnicodeDecodeError as exc:
        raise DataError([Problem(path.name, 0, "", "", f"encodage non UTF-8 (octet {exc.start}) : enregistrez le "
                                                        "fichier de paramètres en UTF-8")]) from exc
    except tomllib.TOMLDecodeError as exc:
        raise DataError([Problem(path.name, 0, "", "", f"TOML invalide : {exc}")]) from exc
