"""The summary ``make sim`` / ``make test`` print after the simulations.

Reads what tests/simrun.py left in sim_build/ (run.json, summary.json and
build.json of every run and build) and prints the runs started since a
given time::

    python -m tests.sim_summary [--since EPOCH] [--require-sims a,b] [--brief]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path

from tests import configs as _configs
from tests.simrun import SIM_BUILD, TOPLEVEL, runs_since, split_names


# Figures a test records that the summary shows (others stay in summary.json)
SUMMARY_FIGURES = ("messages_checked", "completions_checked", "error_messages_checked")


def _extra_columns(summary: dict, test: str) -> str:
    # A parametrized cocotb test is reported as "name/param=value" but may
    # record its figures as "name/value".
    figures = summary.get(test) or summary.get(re.sub(r"/\w+=", "/", test), {})
    shown = {k: v for k, v in figures.items() if k in SUMMARY_FIGURES} or figures
    return "  ".join(f"{k}={v}" for k, v in sorted(shown.items()))


def _read_json(path: Path):
    """Contents of a JSON file, or None when it is missing or unreadable."""
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def _load_runs(since: float) -> list[dict]:
    runs = []
    for folder, meta in runs_since(since, SIM_BUILD):
        meta["summary"] = _read_json(folder / "summary.json") or {}
        runs.append(meta)
    runs.sort(key=lambda m: (m["sim"], m["config"], m["module"], m.get("testcase") or ""))
    return runs


def _load_builds(since: float) -> list[dict]:
    builds = (_read_json(f) for f in sorted(SIM_BUILD.glob("*/build.json")))
    return [b for b in builds if b is not None and b.get("finished", 0) >= since]


def summarize(since: float = 0.0, require_sims: Sequence[str] = (), brief: bool = False,
              out=sys.stdout) -> int:
    """Print the runs started after *since*; return 1 on failure or gaps.

    Full form (``make sim``): every cocotb test with its simulated time and
    the figures the test recorded with ``configs.record_summary``.  Brief
    form (``make test``): one line per run, failing tests named.
    """
    runs = _load_runs(since)
    if not runs:
        print("summary: no simulation ran", file=out)
        return 1
    npass = nfail = nskip = 0
    print("", file=out)
    print("=" * 78, file=out)
    for meta in runs:
        tests = meta["tests"]
        counts = {k: sum(t["status"] == k for t in tests) for k in ("pass", "fail", "skip")}
        npass += counts["pass"]
        nfail += counts["fail"] + (not tests)
        nskip += counts["skip"]
        bad = counts["fail"] or not tests
        module = meta["module"].rsplit(".", 1)[-1] + (
            f" [{meta['testcase']}]" if meta.get("testcase") else "")
        if brief:
            print(f"{'FAIL' if bad else 'ok  '}  {meta['sim']:<9} {meta['config']:<9} "
                  f"{module:<22} {counts['pass']:4d} passed {counts['fail']:3d} failed "
                  f"{counts['skip']:3d} skipped {meta['seconds']:7.1f} s", file=out)
            for t in tests:
                if t["status"] == "fail":
                    print(f"        FAIL {t['name']}", file=out)
        else:
            width = max([40] + [len(t["name"]) for t in tests])
            params = _configs.CONFIGS.get(meta["config"], {})
            ptxt = " ".join(f"{k}={v}" for k, v in params.items())
            print(f"{meta['sim']} / {meta['config']} ({ptxt}): {module}, "
                  f"seed {meta['seed']}, {meta['seconds']} s", file=out)
            for t in tests:
                flag = {"pass": "PASS", "fail": "FAIL", "skip": "SKIP"}[t["status"]]
                extra = _extra_columns(meta["summary"], t["name"])
                ns = t["sim_time_ns"]
                stime = f"{ns:.0f} ns" if ns < 10_000 else f"{ns / 1000:.1f} us"
                print(f"    {flag}  {t['name']:<{width}} {stime:>10}"
                      + (f"  {extra}" if extra else ""), file=out)
        if not tests:
            print("        NO RESULTS: the simulator died or no test ran", file=out)
        if bad:
            print(f"        log: {meta['log']}\n        replay: {meta['replay']}", file=out)
        if meta.get("waves"):
            wave = "dump.vcd" if meta["sim"] == "verilator" else f"{TOPLEVEL}.fst"
            print(f"        waves: {Path(meta['log']).parent / wave}", file=out)
    builds = _load_builds(since)
    print("-" * 78, file=out)
    if builds:
        text = ", ".join(f"{b['sim']}-{b['config']} {b['seconds']} s" for b in builds)
        print(textwrap.fill(text, 78, initial_indent="builds: ", subsequent_indent="  ",
                            break_on_hyphens=False),
              file=out)
    print(f"cocotb tests: {npass} passed, {nfail} failed, {nskip} skipped "
          f"({len(runs)} simulation runs)", file=out)
    rc = 1 if nfail else 0
    missing = [s for s in require_sims if s not in {m["sim"] for m in runs}]
    if missing:
        print(f"ERROR: no simulation ran on {', '.join(missing)}", file=out)
        rc = 1
    print("=" * 78, file=out)
    return rc


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tests.sim_summary",
                                 description="print results of recent simulation runs")
    ap.add_argument("--since", type=float, default=0.0, help="epoch seconds")
    ap.add_argument("--require-sims", default="", help="fail if one of these did not run")
    ap.add_argument("--brief", action="store_true", help="one line per run")
    args = ap.parse_args(argv)
    return summarize(args.since, split_names(args.require_sims), args.brief)


if __name__ == "__main__":
    sys.exit(main())
