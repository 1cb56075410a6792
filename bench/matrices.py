"""Benchmark: build the travel and need matrices of the whole region (1,756 communes)."""

from __future__ import annotations

from planner.core.distances import MatrixCache
from planner.core.need import build_need_model
from planner.domain.params import Params
from planner.inputs.dataset import load_territory


def prepare() -> dict:
    territory = load_territory("centre-val-de-loire")
    return {"territory": territory}


def run(territory) -> dict:
    model = build_need_model(territory, Params(), MatrixCache())
    return {
        "communes": len(territory.communes),
        "service_points": len(territory.service_points),
        "matrix_mb": round(sum(a.nbytes for a in (model.travel.km, model.travel.minutes, model.audience,
                                                   model.attendance)) / 2**20, 1),
    }


TARGETS = {"matrices": "< 2 s, < 300 MB"}
