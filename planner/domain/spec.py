"""ScenarioSpec: a scenario as plain JSON values, the one description every front end builds.

The command line turns its flags and files into a spec, the web app its forms and uploads, the
benchmarks their presets; ``planner.inputs.scenario_build.build_scenario`` validates a spec and
turns it into a Scenario. Every plan keeps the spec it was solved from, so that a plan file can be
re-solved, exported or compared later without re-entering anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from planner.domain.plain import from_plain, to_plain
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
    hosts: tuple[dict, ...] = ()  # rows with the hosts file's columns (planner.inputs.hosts): usual site, hours
    history: tuple[dict, ...] = ()  # a past season: rows of an outcomes file (planner.inputs.outcomes)
    params: dict = field(default_factory=dict)  # same sections and keys as the TOML parameters file
    team_contact: dict = field(default_factory=dict)  # {"name", "phone", "email", "signup"}; {} = not set

    def to_dict(self) -> dict:
        """Plain JSON types only (tuples become lists)."""
        return to_plain(self)

    @classmethod
    def from_dict(cls, data: dict) -> ScenarioSpec:
        """The spec of a dict as ``to_dict`` writes it; DataError naming every unknown or ill-typed field."""
        if not isinstance(data, dict):
            raise DataError([Problem(SPEC_FILE, 0, "", type(data).__name__, "objet JSON attendu")])
        return from_plain(cls, data, SPEC_FILE)
