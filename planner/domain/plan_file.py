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
# Figures a plan saved before the participants' value held (a catchment counted as « seniors
# touchés »): dropped on reading, so that such a plan still opens; its participants read 0 until
# it is evaluated again.
RETIRED = {"stops": frozenset({"seniors_reached"}),
           "metrics": frozenset({"seniors_reached", "underserved_seniors_reached"})}


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
    return from_plain(Plan, _without_retired(body), PLAN_FILE)


def _without_retired(body: dict) -> dict:
    body = dict(body)
    if isinstance(body.get("metrics"), dict):
        body["metrics"] = {k: v for k, v in body["metrics"].items() if k not in RETIRED["metrics"]}
    if isinstance(body.get("stops"), list):
        body["stops"] = [{k: v for k, v in stop.items() if k not in RETIRED["stops"]} if isinstance(stop, dict) else stop
                         for stop in body["stops"]]
    return body
