"""Market: a known market day of a commune, which brings seniors to the square."""

from __future__ import annotations

from dataclasses import dataclass

FREQUENCY_KINDS = ("weekly", "monthly", "occasional", "one_off", "unknown")


@dataclass(frozen=True)
class Market:
    """A market; ``weekday`` (ISO 1-7) is None when a source names a market but not its day."""

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

    @property
    def usable(self) -> bool:
        """Only a weekly market with a known day can be aligned with a stop date."""
        return self.frequency_kind == "weekly" and self.weekday is not None
