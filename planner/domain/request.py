"""Request: an intercommunality or commune asks for stops in a commune within date windows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

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
    contact: str = ""
    note: str = ""

    def in_window(self, day: dt.date) -> bool:
        return any(a <= day <= b for a, b in self.windows)

    @property
    def active(self) -> bool:
        return self.status == "accepted"
