#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The README's picture of one interrupt's life, from a real trace.

    make wave
    .venv/bin/python scripts/wave.py [--check]

Runs tests/sim/wave_tests.py on Verilator, default configuration, writes
its trace as docs/interrupt_life.json (WaveDrom JSON, one signal per
line) and renders that with the ``wavedrom`` package as
docs/interrupt_life.svg. ``--check`` writes nothing and fails if the
committed files differ from what the simulation produces now
(tests/test_sim_wave.py checks the same under pytest).
"""

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tb.wavedrom_trace import dumps, render_svg  # noqa: E402
from tests import simrun  # noqa: E402

SIM = "verilator"
CONFIG = "default"
MODULE = "tests.sim.wave_tests"
#: Verilator's random register values before reset come from the seed;
#: nothing the picture shows depends on them (seeds 1 and 12345 and Icarus
#: give the same trace), but the run stays replayable
SEED = 1
TRACE = "interrupt_life.json"      # in the run folder, written by the module
JSON_OUT = simrun.ROOT / "docs" / "interrupt_life.json"
SVG_OUT = simrun.ROOT / "docs" / "interrupt_life.svg"


def simulate() -> dict:
    """Run the module on its configuration's regular build; its WaveDrom JSON."""
    simrun.run(SIM, CONFIG, MODULE, seed=SEED)
    path = simrun.build_dir(SIM, CONFIG) / MODULE.rsplit(".", 1)[-1] / TRACE
    return json.loads(path.read_text())


def outputs(trace: dict | None = None) -> dict[Path, str]:
    """The files' contents: the JSON of ``trace`` (default: a new
    simulation's) and the SVG rendered from that JSON text."""
    text = dumps(simulate() if trace is None else trace)
    return {JSON_OUT: text, SVG_OUT: render_svg(text)}


def stale(outs: dict[Path, str]) -> list[Path]:
    """The files whose committed contents differ from ``outs``."""
    return [p for p, text in outs.items() if not p.exists() or p.read_text() != text]


def changed_rows(old: dict, new: dict) -> list[str]:
    """Names of the signals whose wave or labels differ (for messages)."""
    def rows(trace):
        out = {}
        for e in trace.get("signal", []):
            for r in (e[1:] if isinstance(e, list) else [e]):
                if r:
                    out[r.get("name")] = (r.get("wave"), r.get("data"))
        return out
    a, b = rows(old), rows(new)
    names = list(dict.fromkeys([*a, *b]))
    diff = [n for n in names if a.get(n) != b.get(n)]
    if not diff and old != new:
        diff = [k for k in dict.fromkeys([*old, *new]) if old.get(k) != new.get(k)]
    return diff


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true",
                    help="compare with the committed files instead of writing them")
    args = ap.parse_args(argv)
    outs = outputs()
    if args.check:
        bad = stale(outs)
        for p in bad:
            print(f"{p.relative_to(simrun.ROOT)} differs from the simulation: run `make wave`")
        return 1 if bad else 0
    for p, text in outs.items():
        p.write_text(text)
        print(f"wrote {p.relative_to(simrun.ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
