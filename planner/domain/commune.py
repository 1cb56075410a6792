"""The Commune: the unit the planner chooses, with the figures the need model weighs."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Commune:
    """A commune of the 2024 geography.

    ``seniors`` is the count the need model uses; ``seniors_basis`` says what it is (65+ in 2016
    from the fragility index by default, 60+ from an INSEE age table the user supplied). A figure
    no source gives is None, never a guess.
    """

    insee: str
    name: str
    dep: str
    epci: str
    epci_name: str
    lat: float
    lon: float
    area_km2: float | None
    population: int | None
    seniors: float | None
    seniors_basis: str
    population_2016: float | None = None
    seniors_60_74: float | None = None
    seniors_75p: float | None = None
    fragility: float | None = None
    ftth_class_2018: float | None = None
