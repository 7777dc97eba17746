"""The ECP5 build of ims_ram (hdl/ims_ram_ecp5.v: DP16KD with their output
registers, chosen by IMS_ECP5 and ECP5_OUTREG) reads what the inferred
ims_ram reads, cycle for cycle, for every way it cuts a table into DP16KD:
two lanes per RAM (up to 1024 words), one RAM per lane slice (2048 to 16384
words) and two banks (32768); and the ECP5 build of ims_bit_ram (DP16KD
written 1 bit, read 18 bits wide) what the inferred one reads. Yosys ships no behavioural DP16KD, so the
RAM is tests/ecp5/dp16kd_model.v, which models the pins as Yosys's own
DP16KD mapping drives them. Plain pytest: one Icarus run per shape."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tests import simrun

ROOT = simrun.ROOT
# (WIDTH, AW, LANE): the table RAM of each depth, a 9-bit lane, an odd lane
# count; the flags (6 lanes of 1), PASID (3 of 8) and slot state RAMs (es: 1,
# ed/k: one lane of 2) of ims_table_store; the queue's RAM (2 lanes of 8)
SHAPES = [(128, 6, 8), (104, 4, 8), (144, 7, 9), (128, 10, 8), (128, 11, 8),
          (144, 11, 9), (128, 12, 8), (128, 13, 8), (128, 14, 8), (128, 15, 8),
          (6, 6, 1), (6, 12, 1), (24, 11, 8), (1, 6, 1), (1, 13, 1), (2, 6, 2),
          (2, 13, 2), (2, 15, 2), (16, 6, 8), (16, 13, 8), (16, 15, 8)]


def run_bench(tmp_path, top, params, sources, what):
    """Builds and runs one of tests/ecp5/'s benches with IMS_ECP5; asserts its PASS."""
    iverilog = shutil.which("iverilog")
    assert iverilog, "iverilog is missing (make setup installs it)"
    out = tmp_path / "tb.vvp"
    subprocess.run(
        [iverilog, "-g2012", "-DIMS_ECP5", f"-I{ROOT / 'hdl'}", "-o", str(out)]
        + [f"-P{top}.{k}={v}" for k, v in params.items()]
        + [str(ROOT / f"tests/ecp5/{top}.v"), str(ROOT / "tests/ecp5/dp16kd_model.v")]
        + [str(f) for f in sources],
        check=True, capture_output=True, text=True)
    run = subprocess.run(["vvp", "-n", str(out)], capture_output=True, text=True, timeout=300)
    lines = run.stdout.strip().splitlines()
    assert lines and lines[-1].startswith("PASS"), (
        f"{what} differs from the inferred RAM:\n" + run.stdout[-2000:] + run.stderr[-2000:])


@pytest.mark.parametrize("width,aw,lane", SHAPES, ids=[f"w{w}_aw{a}_lane{n}" for w, a, n in SHAPES])
def test_ram_ecp5_matches_inferred(width, aw, lane, tmp_path):
    run_bench(tmp_path, "ram_ecp5_tb", {"WIDTH": width, "AW": aw, "LANE": lane},
              [ROOT / "hdl/ims_ram.v", ROOT / "hdl/ims_ram_ecp5.v"],
              f"ims_ram_ecp5 (WIDTH {width}, AW {aw}, LANE {lane})")


BIT_SLOTS = [64, 2048, 8192, 32768]


@pytest.mark.parametrize("slots", BIT_SLOTS)
def test_bit_ram_ecp5_matches_inferred(slots, tmp_path):
    # the reference: the same file with its ECP5 part left out, renamed
    source = (ROOT / "hdl/ims_bit_ram.v").read_text()
    assert "`ifdef IMS_ECP5" in source
    ref = tmp_path / "ims_bit_ram_ref.v"
    ref.write_text(source.replace("module ims_bit_ram ", "module ims_bit_ram_ref ")
                   .replace("`ifdef IMS_ECP5", "`ifdef IMS_ECP5_NOT_IN_THE_REFERENCE"))
    run_bench(tmp_path, "bit_ram_ecp5_tb", {"SLOTS": slots},
              [ref, ROOT / "hdl/ims_bit_ram.v", ROOT / "hdl/ims_ram_ecp5.v"],
              f"ims_bit_ram's ECP5 build ({slots} slots)")
