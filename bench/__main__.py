"""Benchmarks: `python -m bench [--smoke] [name ...]`. Each prints its figures; --smoke runs small sizes (CI)."""

import argparse
import importlib
import os
import sys

BENCHMARKS = [
    "identifiers",
    "demo_generation",
    "matching",
    "circuits",
    "cadre_plan",
    "detection",
    "scan",
    "travel_matrix",
    "ems_sim",
    "alert_load",
    "pmed",
    "mclp",
    "report_intake",
]


def main() -> int:
    parser = argparse.ArgumentParser(prog="bench")
    parser.add_argument("--smoke", action="store_true", help="small sizes, for CI")
    parser.add_argument("names", nargs="*", default=BENCHMARKS)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "countybridge.settings")
    for name in args.names:
        module = importlib.import_module(f"bench.bench_{name}")
        print(f"== {name} ({'smoke' if args.smoke else 'full'})")
        module.run(smoke=args.smoke)
    return 0


if __name__ == "__main__":
    sys.exit(main())
