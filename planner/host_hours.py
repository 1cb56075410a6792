"""Opening hours of a host site (a mairie), as the source wrote them.

Kept verbatim (e.g. "L au V (10-12h ;14-17h)"): the mediator mode reads them to know when a
host can receive; where a commune has none, its availability is unknown, not "always open".
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class HostHours:
    insee: str
    commune: str
    hours: str
    source: str
    vintage: str
