"""Outcome of every corpus case on the code importable as ``planner``, by kind:
``python -m tests.hostile.corpus.classify`` (run it from another folder with PYTHONPATH set to
an older checkout first, to judge that checkout: how the corpus' figures before a fix are made)."""

from __future__ import annotations

import collections
import os
import sys
import tempfile
from pathlib import Path

from tests.hostile.corpus.cases import CASES
from tests.hostile.corpus.routing import ROUTING_CASES, routing_server
from tests.hostile.corpus.runner import run_case


def main() -> None:
    counts: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    details = []
    with routing_server() as osrm, tempfile.TemporaryDirectory() as root:
        os.environ["TOURNEE_LOG_DIR"] = str(Path(root) / "journal")
        for n, case in enumerate(CASES + ROUTING_CASES):
            folder = Path(root) / str(n)
            folder.mkdir()
            outcome = run_case(case, folder, osrm)
            verdict = outcome.verdict(case)
            counts[case.kind][verdict] += 1
            if verdict != "good":
                first = (outcome.escaped or (outcome.err + outcome.out).strip().splitlines()[-1:] or [""])
                details.append(f"{verdict:7} {case.id}: exit {outcome.code} {str(first)[:150]}")
    verdicts = ("good", "unclear", "silent", "crash")
    print(f"{'kind':10}" + "".join(f"{v:>9}" for v in verdicts) + f"{'total':>9}")
    for kind, counter in sorted(counts.items()):
        print(f"{kind:10}" + "".join(f"{counter[v]:>9}" for v in verdicts) + f"{sum(counter.values()):>9}")
    total = sum(counts.values(), collections.Counter())
    print(f"{'all':10}" + "".join(f"{total[v]:>9}" for v in verdicts) + f"{sum(total.values()):>9}")
    if "-v" in sys.argv:
        print("\n".join(details))


if __name__ == "__main__":
    main()
