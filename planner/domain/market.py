"""Market: a known market day of a commune, which brings seniors to the square."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from planner.domain.weekdays import french_weekday

FREQUENCY_KINDS = ("weekly", "monthly", "occasional", "one_off", "unknown")
# Where a market row comes from: a source whose pages were read (or the user: confirmed), or a
# public listing without licence that nobody has checked yet (unconfirmed, « à confirmer »). A
# planner's row may also say a listed market does not exist (rejected): it removes the shipped
# market of that commune and weekday, and never enters a territory itself.
STATUSES = ("confirmed", "unconfirmed", "rejected")
STATUS_LABELS = {"confirmed": "confirmé", "unconfirmed": "à confirmer", "rejected": "rejeté"}
REJECTED = "rejected"


@dataclass(frozen=True)
class Market:
    """A market; ``weekday`` (ISO 1-7) is None when a source names a market but not its day.

    ``months`` holds the months (1-12) of a seasonal market (« d'avril à octobre » is 4..10); empty,
    the market runs all year, as every market did before sources gave seasons.
    """

    insee: str
    commune: str
    weekday: int | None
    time_of_day: str
    place: str
    frequency: str
    frequency_kind: str
    season: str
    confidence: str
    source: str
    months: tuple[int, ...] = ()
    status: str = "confirmed"

    @property
    def usable(self) -> bool:
        """Only a weekly market with a known day can be aligned with a stop date."""
        return self.frequency_kind == "weekly" and self.weekday is not None

    @property
    def confirmed(self) -> bool:
        return self.status == "confirmed"

    def runs_in(self, month: int) -> bool:
        """Is the market held in ``month`` (1-12)? Always, when the source gives no season."""
        return not self.months or month in self.months

    def held_on(self, date: dt.date) -> bool:
        """A usable market on this date's weekday, in its season."""
        return self.usable and date.isoweekday() == self.weekday and self.runs_in(date.month)

    def label(self) -> str:
        """« Menetou-Salon, samedi 8h-13h, place de l'église (d'avril à octobre) — à confirmer »."""
        day = french_weekday(self.weekday) if self.weekday else "jour inconnu"
        when = f"{day} {self.time_of_day}".strip() if len(self.time_of_day) <= 20 else day
        season = f" ({self.season})" if self.months and self.season else ""
        text = ", ".join(p for p in (self.commune, when, self.place) if p) + season
        return text if self.confirmed else f"{text} — {STATUS_LABELS[self.status]}"
