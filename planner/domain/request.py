"""Request: an intercommunality or commune asks for stops in a commune within date windows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from planner.domain.stop import Stop

PRIORITIES = ("must", "should")
STATUSES = ("accepted", "pending", "refused")


@dataclass(frozen=True)
class Request:
    """``days`` stops are wanted inside the union of ``windows`` (inclusive date ranges).

    Only ``accepted`` requests constrain the plan: a "must" is served or the plan is infeasible,
    a "should" earns a bonus when served.
    """

    request_id: str
    insee: str
    windows: tuple[tuple[dt.date, dt.date], ...]
    days: int = 1
    priority: str = "should"
    status: str = "accepted"
    requester: str = ""
    host_site: str = ""
    contact: str = ""  # the requester's contact person (name)
    note: str = ""  # free text from the requester (kept in the files the planner and the host get)
    # Where the bus parks: the host site's address, geocoded (BAN) when it could be; lat/lon None =
    # the commune's centre, and ``location_note`` says why in French ("adresse non trouvée, ...").
    address: str = ""
    postcode: str = ""
    lat: float | None = None
    lon: float | None = None
    location_note: str = ""
    contact_role: str = ""
    contact_email: str = ""
    contact_phone: str = ""

    def in_window(self, day: dt.date) -> bool:
        return any(a <= day <= b for a, b in self.windows)

    def stops_in_window(self, stops: tuple[Stop, ...]) -> tuple[Stop, ...]:
        """The stops of its commune inside its periods: the request is served when they are ``days`` or more."""
        return tuple(s for s in stops if s.insee == self.insee and self.in_window(s.date))

    @property
    def located(self) -> bool:
        """The host site has coordinates of its own (not the commune's centre)."""
        return self.lat is not None and self.lon is not None

    @property
    def active(self) -> bool:
        return self.status == "accepted"
