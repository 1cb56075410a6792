"""A Plan as plain JSON values and back, with the spec it was solved in.

The web app stores plans this way and the command line can keep one beside its CSV: a plan read
back can be exported (its workbook shows the status, bound, gap and settings of the solve that made
it), compared or re-solved without re-entering the scenario.
"""

from __future__ import annotations

from planner.domain.plain import from_plain, to_plain
from planner.domain.plan import Plan
from planner.domain.problems import DataError, Problem

FORMAT = "tournee.plan"
VERSION = 1
PLAN_FILE = "plan"  # the ``file`` of a Problem about a plan read back


def plan_to_dict(plan: Plan) -> dict:
    """Plain JSON types only: dates in ISO 8601, tuples as lists, the spec as ``ScenarioSpec.to_dict``."""
    return {"format": FORMAT, "version": VERSION, **to_plain(plan)}


def plan_from_dict(data: dict) -> Plan:
    """The plan ``plan_to_dict`` wrote; DataError naming every field that does not fit."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise DataError([Problem(PLAN_FILE, 0, "format", str(data.get("format", "")) if isinstance(data, dict) else "",
                                 f"pas un plan Tournée (attendu : format « {FORMAT} »)")])
    if data.get("version") != VERSION:
        raise DataError([Problem(PLAN_FILE, 0, "version", str(data.get("version")), f"version {VERSION} attendue")])
    body = {k: v for k, v in data.items() if k not in ("format", "version")}
    return from_plain(Plan, body, PLAN_FILE)
