#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Dump the simulated device's configuration space after enumeration and
decode it with Linux's pciutils (``lspci -F <dump> -vvv``).

    make lspci [SIM=verilator] [CONFIG=default]
    .venv/bin/python scripts/lspci.py --sim verilator --config all

The dump (``lspci -xxxx`` format) is written by the compliance suite's
first test, sim_build/<sim>-<config>/config_tests-test_config_dump/config.lspci.
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tb import lspci  # noqa: E402
from tests import simrun  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sim", default="verilator", choices=simrun.ALL_SIMS)
    ap.add_argument("--config", default="default")
    args = ap.parse_args(argv)
    simrun.run(args.sim, args.config, "tests.compliance.config_tests", testcase="test_config_dump")
    dump = (simrun.build_dir(args.sim, args.config) / "config_tests-test_config_dump"
            / "config.lspci")
    text = lspci.decode(dump)
    print(f"# lspci -F {dump.relative_to(simrun.ROOT)} -vvv")
    print(text, end="")
    bad = lspci.problems(text)
    for b in bad:
        print(f"lspci: {b}", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
