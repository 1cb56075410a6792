"""Colours of the need classes: a sequential palette, with zero and unknown set apart.

Classes are quantiles of the positive needs of the territory, with breaks rounded to two
significant digits so the legend reads « 120 à 340 », not « 118,4 à 337,9 ». Zero (a place of help
within reach) is grey, not the palette's lightest colour: it means no need, not a small one.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from planner.domain.formatting import fr_number

# ColorBrewer YlOrBr (Cynthia Brewer, Apache 2.0): readable in grey scale and by most colour-blind readers.
SEQUENTIAL = ("#ffffd4", "#fed98e", "#fe9929", "#d95f0e", "#993404")
ZERO_COLOUR = "#d9d9d9"
UNKNOWN_COLOUR = "#ffffff"  # drawn with a hatch pattern on top


@dataclass(frozen=True)
class NeedClasses:
    """``breaks[i]`` is the upper bound of class i (the last class is open-ended)."""

    breaks: tuple[float, ...]
    colours: tuple[str, ...]

    def colour(self, value: float | None) -> str:
        if value is None or math.isnan(value):
            return UNKNOWN_COLOUR
        if value <= 0:
            return ZERO_COLOUR
        for upper, colour in zip(self.breaks, self.colours):
            if value <= upper:
                return colour
        return self.colours[-1]

    def labels(self) -> list[tuple[str, str]]:
        """(colour, French label) of every positive class, lowest first."""
        out = []
        lower = 0.0
        for i, colour in enumerate(self.colours):
            if i == len(self.colours) - 1:
                text = f"plus de {fr_number(lower)}" if lower > 0 else "plus de 0"
            elif lower == 0:
                text = f"jusqu'à {fr_number(self.breaks[i])}"
            else:
                text = f"{fr_number(lower)} à {fr_number(self.breaks[i])}"
            out.append((colour, text))
            if i < len(self.breaks):
                lower = self.breaks[i]
        return out


def round_nice(value: float) -> float:
    """Two significant digits, never below 1: 337.9 -> 340, 0.4 -> 1."""
    if value <= 1:
        return 1.0
    digits = math.floor(math.log10(value)) - 1
    return round(value / 10**digits) * 10**digits


def need_classes(values: Iterable[float | None], count: int = len(SEQUENTIAL)) -> NeedClasses:
    """Quantile classes of the positive values; fewer classes when few distinct values exist."""
    positive = sorted(v for v in values if v is not None and not math.isnan(v) and v > 0)
    if not positive:
        return NeedClasses((), SEQUENTIAL[-1:])
    breaks: list[float] = []
    for i in range(1, count):
        upper = round_nice(positive[min(len(positive) - 1, math.ceil(i * len(positive) / count) - 1)])
        if upper < positive[-1] and (not breaks or upper > breaks[-1]):
            breaks.append(upper)
    n = len(breaks) + 1
    # Spread the palette over the classes actually used, keeping its lightest and darkest ends.
    picks = [round(i * (len(SEQUENTIAL) - 1) / (n - 1)) for i in range(n)] if n > 1 else [len(SEQUENTIAL) - 1]
    return NeedClasses(tuple(breaks), tuple(SEQUENTIAL[i] for i in picks))
