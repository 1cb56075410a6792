"""Wall time and peak memory of one call, measured in a fresh process so runs do not pollute."""

from __future__ import annotations

import resource
import time
import tracemalloc
from collections.abc import Callable


def measure(call: Callable[[], dict]) -> dict:
    """Run ``call``; add wall seconds, peak traced Python/NumPy allocations and process peak RSS."""
    rss_before = _max_rss_mb()
    tracemalloc.start()
    start = time.perf_counter()
    result = call()
    wall = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        **result,
        "wall_s": round(wall, 3),
        "peak_alloc_mb": round(peak / 2**20, 1),
        "peak_rss_mb": round(_max_rss_mb(), 1),
        "rss_before_mb": round(rss_before, 1),
    }


def _max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
