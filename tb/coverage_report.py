# SPDX-License-Identifier: MIT
"""Merge and report the functional coverage of a regression (tb.coverage).

Every simulation run saves its hits to ``coverage.json`` in its run folder
(``sim_build/<sim>-<config>/<module>/``).  ``python -m tb.coverage_report
--since EPOCH`` merges the runs started since then, prints the report and
exits 1 listing every bin not reached (``make test`` runs it after pytest,
so it works with pytest-xdist).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

from tb.coverage import ALL_BINS, BINS, FILE_NAME


def load_runs(sim_build: Path, since: float = 0.0) -> list[dict]:
    """coverage.json of every run folder whose run.json started at/after ``since``."""
    runs = []
    for path in sorted(sim_build.glob(f"*/*/{FILE_NAME}")):
        try:
            meta = json.loads((path.parent / "run.json").read_text())
            data = json.loads(path.read_text())
        except (OSError, ValueError):
            continue
        if meta.get("started", 0) < since:
            continue
        runs.append({"sim": meta.get("sim", "?"), "config": meta.get("config", "?"),
                     "module": meta.get("module", "?"), "seed": meta.get("seed"),
                     "hits": data.get("hits", {}), "dir": str(path.parent)})
    return runs


def report(runs: list[dict], require_sims=(), out=sys.stdout) -> int:
    """Print the merged coverage of ``runs``; 1 if a bin was not reached."""
    total: Counter = Counter()
    per_sim: dict[str, Counter] = {}
    unknown = set()
    for run in runs:
        for name, n in run["hits"].items():
            if name not in ALL_BINS:
                unknown.add(name)
                continue
            total[name] += n
            per_sim.setdefault(run["sim"], Counter())[name] += n
    print("", file=out)
    print("=" * 78, file=out)
    where = ", ".join(sorted({f"{r['sim']}/{r['config']}" for r in runs})) or "none"
    print(f"functional coverage: {len(runs)} runs ({where})", file=out)
    rc = 0
    missing_all = []
    for group, bins in BINS.items():
        got = [b for b in bins if total.get(b)]
        sims = "  ".join(f"{s} {sum(1 for b in bins if c.get(b))}/{len(bins)}"
                         for s, c in sorted(per_sim.items()))
        low = min((total[b] for b in bins), default=0)
        print(f"  {group:<8} {len(got):>4}/{len(bins):<4} bins hit, fewest hits {low:<6} "
              f"({sims})", file=out)
        missing_all += [b for b in bins if not total.get(b)]
    hit = len(ALL_BINS) - len(missing_all)
    print(f"  total    {hit:>4}/{len(ALL_BINS):<4} bins hit "
          f"({100.0 * hit / len(ALL_BINS):.1f}%), {sum(total.values())} samples", file=out)
    for s in require_sims:
        if s not in per_sim:
            print(f"ERROR: no coverage from {s}", file=out)
            rc = 1
    if unknown:
        print(f"ERROR: hits of unknown bins (bins renamed?): {', '.join(sorted(unknown))}",
              file=out)
        rc = 1
    if missing_all:
        print(f"ERROR: {len(missing_all)} bins not reached:", file=out)
        for b in missing_all:
            print(f"    {b}", file=out)
        rc = 1
    print("=" * 78, file=out)
    return rc


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tb.coverage_report",
                                 description="merge and report functional coverage")
    ap.add_argument("--since", type=float, default=0.0,
                    help="count runs started at/after this time (epoch seconds)")
    ap.add_argument("--require-sims", default="", help="fail if one of these gave no coverage")
    ap.add_argument("--partial", action="store_true",
                    help="a slice of the regression (make test SHARD=k/N): report, do not "
                         "fail on bins only other slices reach")
    ap.add_argument("--sim-build", default=str(Path(__file__).resolve().parent.parent
                                               / "sim_build"))
    args = ap.parse_args(argv)
    runs = load_runs(Path(args.sim_build), args.since)
    if not runs:
        print("coverage: no run with coverage since "
              f"{time.strftime('%H:%M:%S', time.localtime(args.since))}")
        return 1
    sims = [s for s in args.require_sims.replace(",", " ").split() if s]
    rc = report(runs, sims)
    if args.partial:
        print("coverage: one slice of the regression; merge the slices' sim_build/*/*/"
              "coverage.json and run `python -m tb.coverage_report` for the total")
        return 0
    return rc


if __name__ == "__main__":
    sys.exit(main())
