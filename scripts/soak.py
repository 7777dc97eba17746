#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Reliability soak: constrained-random traffic until N interrupt messages
were checked by the scoreboard (tests/sim/soak_tests.py); prints messages
checked, mismatches and messages per second.  Not part of the regression.

    make soak                                   # Verilator, config "all", 1,000,000 messages
    .venv/bin/python scripts/soak.py --messages 50000 --config default --jobs 1

The messages are cut into segments (``--segment``, each from reset with
its own seed) spread over ``--jobs`` simulator processes; a mismatch fails
its segment only, so the soak counts them.  Replay a failing segment with
the seed and segment it prints.
"""

import argparse
import json
import math
import random
import sys
import time
from concurrent.futures import ThreadPoolExecutor

from tests import simrun


def run_job(sim, config, job, segments, per_segment, seed):
    env = {"IMS_SOAK_SEGMENTS": str(segments), "IMS_SOAK_MESSAGES": str(per_segment)}
    t0 = time.monotonic()
    problem = None
    try:
        simrun.run(sim, config, "soak_tests", seed=seed, run_name=f"soak-{job}", extra_env=env)
    except BaseException as exc:  # pytest's Failed (a BaseException) or anything else
        if isinstance(exc, KeyboardInterrupt):
            raise
        problem = str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc)
    rdir = simrun.build_dir(sim, config) / f"soak-{job}"
    try:
        meta = json.loads((rdir / "run.json").read_text())
        tests = meta.get("tests", [])
    except (OSError, ValueError):
        tests = []
    try:
        figures = json.loads((rdir / "summary.json").read_text())
    except (OSError, ValueError):
        figures = {}
    return {"job": job, "seed": seed, "seconds": time.monotonic() - t0, "tests": tests,
            "figures": figures, "problem": problem, "dir": str(rdir)}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sim", default="verilator", choices=simrun.ALL_SIMS)
    ap.add_argument("--config", default="all")
    ap.add_argument("--messages", type=int, default=1_000_000)
    ap.add_argument("--segment", type=int, default=50_000, help="messages per segment")
    ap.add_argument("--jobs", type=int, default=2, help="simulator processes in parallel")
    ap.add_argument("--seed", type=int, default=None)
    args = ap.parse_args(argv)

    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1, 2**31)
    per_segment = min(args.segment, args.messages)
    nseg = math.ceil(args.messages / per_segment)
    jobs = max(1, min(args.jobs, nseg))
    split = [nseg // jobs + (1 if j < nseg % jobs else 0) for j in range(jobs)]
    print(f"soak: {args.sim}/{args.config}, {args.messages} messages in {nseg} segments of "
          f"{per_segment}, {jobs} processes, seed {seed} (process k: seed {seed}+k)", flush=True)
    simrun.build(args.sim, args.config)
    t0 = time.monotonic()
    with ThreadPoolExecutor(jobs) as pool:
        futures = [pool.submit(run_job, args.sim, args.config, j, split[j], per_segment,
                               seed + j) for j in range(jobs)]
        results = [f.result() for f in futures]
    wall = time.monotonic() - t0

    checked = cycles = segments_run = 0
    mismatches = []
    for r in results:
        for name, fig in sorted(r["figures"].items()):
            if name.startswith("test_soak/"):
                checked += int(fig.get("messages_checked", 0))
                cycles += int(fig.get("cycles", 0))
        for t in r["tests"]:
            segments_run += 1
            if t["status"] != "pass":
                mismatches.append(f"process {r['job']} (seed {r['seed']}) {t['name']}: "
                                  f"{t['message'][:300]}")
        if r["problem"] and not any(t["status"] != "pass" for t in r["tests"]):
            mismatches.append(f"process {r['job']} (seed {r['seed']}): {r['problem']}")
    print()
    print(f"soak {args.sim}/{args.config}: {segments_run}/{nseg} segments, seed {seed}")
    print(f"  messages checked  {checked}")
    print(f"  mismatches        {len(mismatches)}")
    print(f"  wall time         {wall:.1f} s ({jobs} processes)")
    print(f"  messages/s        {checked / wall:.0f}")
    print(f"  cycles simulated  {cycles} ({cycles / wall:.0f} cycles/s)")
    for m in mismatches:
        print(f"  MISMATCH {m}")
    for r in results:
        print(f"  run folder: {r['dir']}")
    ok = not mismatches and checked >= args.messages
    if checked < args.messages:
        print(f"  ERROR: {checked} messages checked, {args.messages} asked for")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
