"""What happened to a published stop: the record a season leaves behind.

The web app stores it per workshop as hosts and planners enter it during the season (sign-ups,
waiting list, participants, held or cancelled); the planner reads it per stop, summed over the
stop's workshops, to report a season (planned against held) and to start the next one from it
(a commune's pool of willing seniors less those who came). No senior's name is ever part of it:
names stay on the host's own sign-up sheet.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

PLANNED, HELD, CANCELLED = "planned", "held", "cancelled"
STATUSES = (PLANNED, HELD, CANCELLED)


@dataclass(frozen=True)
class StopOutcome:
    """One published stop and what became of it. ``None`` is « not entered yet », never zero."""

    date: dt.date
    vehicle: str
    insee: str
    status: str = PLANNED  # one of STATUSES
    signups: int | None = None  # seniors signed up, all workshops of the day
    waiting: int | None = None  # seniors on the waiting list (the workshops were full)
    participants: int | None = None  # seniors who came, all workshops of the day
    reason: str = ""  # why it was cancelled or moved, in the planner's or host's words
    replaced_by: dt.date | None = None  # the date it moved to, when it moved

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"statut inconnu : {self.status!r} (attendu : {', '.join(STATUSES)})")
        for name in ("signups", "waiting", "participants"):
            value = getattr(self, name)
            if value is not None and value < 0:
                raise ValueError(f"{name} négatif : {value}")


@dataclass(frozen=True)
class SeasonHistory:
    """The outcomes of one past season (from Tournée, or imported from a CSV kept elsewhere)."""

    label: str  # e.g. « 2026-2027 »
    outcomes: tuple[StopOutcome, ...] = ()

    def participants_by_commune(self) -> dict[str, int]:
        """Seniors who came, per stop commune: what a later season's pools lose."""
        counts: dict[str, int] = {}
        for outcome in self.outcomes:
            if outcome.status == HELD and outcome.participants:
                counts[outcome.insee] = counts.get(outcome.insee, 0) + outcome.participants
        return counts
