"""Benchmark ``region``: ``run.py plan`` on the whole Centre-Val de Loire (1,756 communes), two
buses that may stay away up to two nights, 7 September 2026 to 25 June 2027, default settings,
60 s: the command a planner types, in its own process, measured from outside (bench/time_limit.py).

Bus A is based in Bourges (Cher), bus B in Blois (Loir-et-Cher), both Tuesday to Friday, 180 min
of driving a day. Every commune a bus can reach is a candidate (1,637 of the 1,756 with nights
away); the plan's report states the count. The bound of such a large model is its priced LP
(planner/cpsat/priced_lp.py: the aggregate's counts and nights with the pools priced, solved by
GLOP in the bound's thread), whose nearly integral solution, dated, is also the plan's start;
should the LP not be solved in time, the Lagrangian readings of the nights
(planner/cpsat/relaxation.py) bound it to the deadline. With nights away the aggregate race is skipped
(``RACE_LARGE_OVERNIGHT``), and the aggregate's LP (CLP) is not solved beyond ``LP_MAX_VARIABLES``. Variants: ``region-400`` keeps
the 400 best day-trip communes and as many overnight ones (``solver.max_candidates``, whose bound
then holds for the kept communes only), ``region-routing`` and ``region-no-resequencing`` another
sequencing of the weeks away, ``region-long`` 600 s.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from bench.time_limit import CASES, run_case

TERRITORY, FLEET, _LIMIT = CASES["region"]


def prepare(time_limit_s: float = 60.0, max_candidates: int = 0, sequencing: str = "") -> dict:
    solver = {key: value for key, value in (("max_candidates", max_candidates), ("sequencing", sequencing)) if value}
    return {"time_limit_s": time_limit_s, "solver": solver}


def run(time_limit_s: float, solver: dict) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        extra: tuple[str, ...] = ()
        if solver:
            params = Path(folder) / "params.toml"
            params.write_text("[solver]\n" + "".join(f"{key} = {value!r}\n".replace("'", '"')
                                                     for key, value in solver.items()), encoding="utf-8")
            extra = ("--params", str(params))
        row = run_case(TERRITORY, FLEET, time_limit_s, extra)
    # the process's own figures, named apart from those bench/measure.py adds for this parent
    row["process_wall_s"], row["process_peak_rss_mb"] = row.pop("wall_s"), row.pop("peak_rss_mb", None)
    return {"settings": solver or "défaut", **row}


TARGETS = {"region": "gap <= 1 % in 60 s, peak memory <= 1 GB (process, from outside)"}
