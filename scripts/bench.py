#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Interrupt engine benchmark: prints latency, throughput and unmask
latency per store and table size (cycles; see tests/sim/bench_interrupts.py).

    make bench                      # Verilator, the benchmark configurations
    .venv/bin/python scripts/bench.py --sim icarus --configs msix2048 ims32768
"""

import argparse
import json
import sys
import time

from tests import configs, simrun

# w128/w256: one-beat 3DW messages, so the drain can reach 1 message/cycle
CONFIGS = ["msi32", "msix2048", "ims2048", "ims32768", "all", "w128", "w256"]


def run(sim, config):
    t0 = time.monotonic()
    simrun.run(sim, config, "bench_interrupts")
    figures = json.loads((simrun.build_dir(sim, config) / "bench_interrupts" /
                          "summary.json").read_text())["bench"]
    figures["wall_seconds"] = round(time.monotonic() - t0, 1)
    return figures


def row(label, *cells):
    return f"  {label:<34}" + "".join(f"{c!s:>12}" for c in cells)


def report(results):
    names = list(results)
    print(row("configuration", *names))
    print(row("DATA_WIDTH", *[configs.params(n)["DATA_WIDTH"] for n in names]))
    stores = [("msi", "MSI"), ("msix", "MSI-X"), ("ims", "IMS 3DW"), ("ims64pasid", "IMS 4DW+PASID")]
    lines = [("latency", "irq -> first beat (cycles)"),
             ("msgs_per_cycle", "drain: messages/cycle"),
             ("bus_limit", "bus limit: messages/cycle"),
             ("idle_cycles", "idle cycles between TLPs"),
             ("unmask_entry", "entry unmask -> message"),
             ("unmask_function", "Function Mask clear -> message"),
             ("unmask_bme", "BME set -> message")]
    for key, title in stores:
        if not any(f"{key}_msgs_per_cycle" in r or f"{key}_latency" in r for r in results.values()):
            continue
        sizes = [results[n].get(f"{key}_size", "") for n in names]
        entries = ", ".join(str(s) for s in sizes if s)
        print(f"{title}" + (f" (table entries: {entries})" if any(sizes) else ""))
        for item, text in lines:
            cells = [results[n].get(f"{key}_{item}", "-") for n in names]
            if any(c != "-" for c in cells):
                print(row(text, *cells))
    print(row("messages checked by the scoreboard", *[results[n]["messages_checked"] for n in names]))
    print(row("wall time (s)", *[results[n]["wall_seconds"] for n in names]))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sim", default="verilator", choices=simrun.ALL_SIMS)
    ap.add_argument("--configs", nargs="+", default=CONFIGS)
    args = ap.parse_args(argv)
    results = {c: run(args.sim, c) for c in args.configs}
    print(f"\nInterrupt engine benchmark ({args.sim}, tx_tready high)")
    report(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
