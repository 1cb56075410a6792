"""Run benchmarks, each in its own process, and print a table: ``python -m bench [--json] [NAME ...]``."""

from __future__ import annotations

import argparse
import importlib
import json
import subprocess
import sys

# name -> (module, arguments of its prepare())
BENCHMARKS = {
    "matrices": ("bench.matrices", {}),
    "plan-bourges": ("bench.plan_season", {"territory": "bourges"}),
    "plan-cher": ("bench.plan_season", {"territory": "cher"}),
    "baselines-bourges": ("bench.baselines", {"territory": "bourges"}),
    "baselines-cher": ("bench.baselines", {"territory": "cher"}),
    "replan": ("bench.replan", {}),
    "need-bourges": ("bench.need", {}),
    "proof-bourges": ("bench.proof", {}),
    "region": ("bench.region", {}),
    "region-400": ("bench.region", {"max_candidates": 400}),
    "region-routing": ("bench.region", {"sequencing": "routing"}),
    "region-no-resequencing": ("bench.region", {"sequencing": "none"}),
    "region-long": ("bench.region", {"time_limit_s": 600.0}),
    "mediator-thb": ("bench.mediator", {}),
    "web": ("bench.web", {}),
    "web-load": ("bench.web_load", {}),
    "time-limit": ("bench.time_limit", {}),
    "scaling": ("bench.scaling", {}),
}


def run_one(name: str) -> dict:
    """Child side: prepare (data loading, not timed), then measure the benchmark's run."""
    from bench.measure import measure

    module_name, arguments = BENCHMARKS[name]
    module = importlib.import_module(module_name)
    inputs = module.prepare(**arguments)
    result = measure(lambda: module.run(**inputs))
    return {"benchmark": name, "targets": getattr(module, "TARGETS", {}).get(name, ""), **result}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("names", nargs="*", help=f"benchmarks to run (default: all): {', '.join(BENCHMARKS)}")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(run_one(args.child)))
        return 0
    unknown = [n for n in args.names if n not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}")
    rows = []
    for name in args.names or list(BENCHMARKS):
        child = subprocess.run([sys.executable, "-m", "bench", "--child", name], capture_output=True, text=True)
        if child.returncode != 0:
            rows.append({"benchmark": name, "error": child.stderr.strip().splitlines()[-1:]})
            continue
        rows.append(json.loads(child.stdout.strip().splitlines()[-1]))
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
    else:
        for row in rows:
            print(f"== {row['benchmark']}")
            for key, value in row.items():
                if key != "benchmark":
                    print(f"   {key:<22} {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
