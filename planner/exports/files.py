"""Every file a plan gives people, as bytes: the command line writes them, the web app serves them.

The plan's stops must be evaluated (figures filled), as ``solve`` and ``evaluate_stops`` return
them. A plan with nothing for the asked host or vehicle is a DataError naming it, in French.
"""

from __future__ import annotations

import io

from openpyxl import Workbook

from planner.core.instance import Instance, build_instance
from planner.core.season_report import SeasonReport
from planner.domain.disclosure import public_scenario
from planner.domain.plan import Plan
from planner.domain.problems import DataError, Problem
from planner.domain.scenario import Scenario
from planner.domain.stop import Stop
from planner.exports.host_workbook import host_stops, host_workbook
from planner.exports.ics import host_calendar, season_calendar, vehicle_calendar
from planner.exports.report_workbook import report_workbook
from planner.exports.season_workbook import season_workbook
from planner.exports.stops_csv import stops_csv_text

HOST = "commune d'accueil"  # the ``file`` of a Problem about the host asked for
VEHICLE = "véhicule"


def season_workbook_bytes(plan: Plan, scenario: Scenario, *, public: bool = False) -> bytes:
    """The season workbook (.xlsx): the season, its list by date, one sheet per month with a section per ISO
    week, one per EPCI, the communes and the parameters. ``public``: without the requesters' contacts and
    notes (a file anyone may download)."""
    if public:
        scenario = public_scenario(scenario)
    return _xlsx(season_workbook(plan, build_instance(scenario), public=public))


def season_report_bytes(report: SeasonReport, instance: Instance) -> bytes:
    """The season report (« Bilan de saison », .xlsx) that ``report_workbook.build_report`` made.
    A funder's file: figures only, no contact, no note, no senior's name (outcomes hold none)."""
    return _xlsx(report_workbook(report, instance))


def season_ics_bytes(plan: Plan, scenario: Scenario, *, previous: tuple[Stop, ...] = (), revision: int = 0,
                     public: bool = False) -> bytes:
    """Every stop as a calendar event; stops of ``previous`` gone from the plan are cancelled.
    ``public``: without the requesters' contacts and notes."""
    if public:
        scenario = public_scenario(scenario)
    return season_calendar(plan, scenario, previous=previous, revision=revision).encode("utf-8")


def stops_csv_bytes(plan: Plan, scenario: Scenario, *, french: bool = True, public: bool = False) -> bytes:
    """The stops CSV that ``read_stops_csv`` reads back: UTF-8 with a BOM and ';' (``french``), else ','.
    ``public``: only the public columns (no requester, contact or note)."""
    return stops_csv_text(plan, scenario, french=french, public=public).encode("utf-8")


def host_workbook_bytes(plan: Plan, scenario: Scenario, insee: str, *, previous: tuple[Stop, ...] = (),
                        moves: dict | None = None) -> bytes:
    """A host commune's workbook: its dates, questions, contact, sign-up sheets; a notice of the
    visits cancelled since ``previous`` (also when all of them were). Hosts' files are public:
    built from the requests' public fields only."""
    _host_stops(plan, scenario, insee, previous)
    return _xlsx(host_workbook(plan, public_scenario(scenario), insee, previous=previous, moves=moves))


def host_ics_bytes(plan: Plan, scenario: Scenario, insee: str, *, previous: tuple[Stop, ...] = (),
                   revision: int = 0) -> bytes:
    """A host commune's calendar (also when all its stops were cancelled since ``previous``)."""
    _host_stops(plan, scenario, insee, previous)
    return host_calendar(plan, public_scenario(scenario), insee, previous=previous, revision=revision).encode("utf-8")


def host_csv_bytes(plan: Plan, scenario: Scenario, insee: str, *, french: bool = True) -> bytes:
    return stops_csv_bytes(Plan(_host_stops(plan, scenario, insee)), scenario, french=french)


def vehicle_ics_bytes(plan: Plan, scenario: Scenario, vehicle_name: str, *, previous: tuple[Stop, ...] = (),
                      revision: int = 0) -> bytes:
    """One vehicle's calendar (also when all its stops were cancelled since ``previous``)."""
    _vehicle_stops(plan, vehicle_name, previous)
    return vehicle_calendar(plan, scenario, vehicle_name, previous=previous, revision=revision).encode("utf-8")


def vehicle_csv_bytes(plan: Plan, scenario: Scenario, vehicle_name: str, *, french: bool = True) -> bytes:
    return stops_csv_bytes(Plan(_vehicle_stops(plan, vehicle_name)), scenario, french=french)


def _host_stops(plan: Plan, scenario: Scenario, insee: str, previous: tuple[Stop, ...] = ()) -> tuple[Stop, ...]:
    if insee not in scenario.territory:
        raise DataError([Problem(HOST, 0, "", insee, f"commune inconnue du territoire « {scenario.territory.name} » "
                                                     "(code INSEE à 5 caractères)")])
    stops = host_stops(plan, insee)
    if not stops and not any(p.insee == insee for p in previous):
        name = scenario.territory.commune(insee).name
        raise DataError([Problem(HOST, 0, "", insee, f"aucun arrêt à {name} dans le plan")])
    return stops


def _vehicle_stops(plan: Plan, vehicle: str, previous: tuple[Stop, ...] = ()) -> tuple[Stop, ...]:
    stops = tuple(s for s in plan.stops if s.vehicle == vehicle)
    if not stops and not any(p.vehicle == vehicle for p in previous):
        names = sorted({s.vehicle for s in plan.stops})
        raise DataError([Problem(VEHICLE, 0, "", vehicle, f"aucun arrêt de ce véhicule dans le plan "
                                                          f"(véhicules : {', '.join(names)})")])
    return stops


def _xlsx(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
