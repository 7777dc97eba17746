"""Each RTL module checks its own parameters (hdl/ims_params.vh): elaborated
alone with an illegal value it prints "ERROR: <instance>: <PARAMETER> ..."
and stops; with legal values it says nothing. Plain pytest: two Icarus
runs of a generated wrapper (tests/test_lint.py covers the named
configurations with Verilator)."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from tests import simrun

TOP = "params_top"

# (module, parameter, illegal value, other parameters): one instance each,
# every other parameter at its default. The values are ones Icarus still
# elaborates, so that the module's own check is what stops it. Not here:
# ims_msg_engine STORES 0, ims_queue and ims_ram WIDTH 0 (zero-width
# vectors: Icarus stops at elaboration before any check runs).
BAD = [
    ("ims_bit_ram", "SLOTS", 0, {}),
    ("ims_cand_fifo", "DEPTH", 8, {}),
    ("ims_cand_fifo", "SNOOP_BITS", 16, {}),
    ("ims_cfg_space", "MSI_VECTORS", 3, {}),
    ("ims_cfg_space", "MSIX_TABLE_SIZE", 2049, {}),
    ("ims_dev_regs", "DATA_WIDTH", 32, {}),
    ("ims_dev_regs", "MSI_VECTORS", 64, {}),
    ("ims_dev_regs", "MSIX_TABLE_SIZE", 4096, {}),
    ("ims_dev_regs", "IMS_SIZE", 32769, {}),
    ("ims_irq_router", "MSI_VECTORS", 5, {}),
    ("ims_irq_router", "MSIX_TABLE_SIZE", 2049, {}),
    ("ims_irq_router", "IMS_SIZE", 65536, {}),
    ("ims_msg_engine", "TAKES_SPACED", 2, {}),
    ("ims_msi_store", "VECTORS", 3, {}),
    ("ims_queue", "AW", 0, {}),
    ("ims_ram", "WIDTH", 30, {"LANE": 8}),       # not a multiple of LANE
    ("ims_ram", "AW", 0, {}),
    ("ims_ram", "LANE", 64, {}),                 # wider than WIDTH (32)
    ("ims_ram", "ECP5_OUTREG", 2, {}),
    ("ims_req_handler", "MSIX_TABLE_SIZE", 2049, {}),
    ("ims_req_handler", "IMS_SIZE", 32769, {}),
    ("ims_rx_deframer", "DATA_WIDTH", 96, {}),
    ("ims_tx_framer", "DATA_WIDTH", 96, {}),
    ("ims_table_store", "ENTRIES", -1, {}),
    ("ims_table_store", "ENTRIES", 32769, {}),
    ("ims_table_store", "IMS_LAYOUT", 2, {}),
    ("ims_table_store", "LATE_FILL", 2, {}),
    ("ims_endpoint", "DATA_WIDTH", 96, {}),
    ("ims_endpoint", "MSI_VECTORS", 3, {}),
    ("ims_endpoint", "MSIX_TABLE_SIZE", 2049, {}),
    ("ims_endpoint", "IMS_SIZE", 32769, {}),
    # IMS without MSI and MSI-X (PCIe 6.1.4)
    ("ims_endpoint", "IMS_SIZE", 16, {"MSI_VECTORS": 0, "MSIX_TABLE_SIZE": 0}),
]

# Legal values: every module at its defaults, and the edges of the ranges
# that are cheap to elaborate
GOOD: list[tuple[str, dict[str, int]]] = [
    (m, {}) for m in sorted({m for m, *_ in BAD})
] + [
    ("ims_bit_ram", {"SLOTS": 1}),
    ("ims_bit_ram", {"SLOTS": 32768}),
    ("ims_cand_fifo", {"DEPTH": 3, "SNOOP_BITS": 1}),
    ("ims_cand_fifo", {"DEPTH": 7, "SNOOP_BITS": 15}),
    ("ims_cfg_space", {"MSI_VECTORS": 0, "MSIX_TABLE_SIZE": 0}),
    ("ims_cfg_space", {"MSI_VECTORS": 32, "MSIX_TABLE_SIZE": 2048}),
    ("ims_dev_regs", {"DATA_WIDTH": 256, "MSI_VECTORS": 1, "MSIX_TABLE_SIZE": 2048,
                      "IMS_SIZE": 32768}),
    ("ims_irq_router", {"MSI_VECTORS": 0, "MSIX_TABLE_SIZE": 0, "IMS_SIZE": 0}),
    ("ims_irq_router", {"MSI_VECTORS": 32, "MSIX_TABLE_SIZE": 2048, "IMS_SIZE": 32768}),
    ("ims_msg_engine", {"STORES": 1, "TAKES_SPACED": 0}),
    ("ims_msi_store", {"VECTORS": 0}),
    ("ims_msi_store", {"VECTORS": 32}),
    ("ims_queue", {"WIDTH": 1, "AW": 1}),
    ("ims_ram", {"WIDTH": 144, "AW": 1, "LANE": 9}),
    ("ims_ram", {"WIDTH": 128, "AW": 11, "LANE": 8, "ECP5_OUTREG": 1}),
    ("ims_table_store", {"ENTRIES": 64, "LATE_FILL": 1}),
    ("ims_req_handler", {"MSIX_TABLE_SIZE": 0, "IMS_SIZE": 32768}),
    ("ims_rx_deframer", {"DATA_WIDTH": 128}),
    ("ims_tx_framer", {"DATA_WIDTH": 256}),
    ("ims_table_store", {"ENTRIES": 0, "IMS_LAYOUT": 1}),
    ("ims_table_store", {"ENTRIES": 1}),
]

STOPPED = "STILL RUNNING"   # printed one time unit in: nothing called $finish
DONE = "PARAMS OK"


def bad_instance(k: int) -> str:
    module, param, _, _ = BAD[k]
    return f"bad_{module[4:]}_{param.lower()}_{k}"


def wrapper(instances: list[tuple[str, str, dict]], last: str) -> str:
    lines = [f"module {TOP};"]
    for module, name, params in instances:
        ps = ", ".join(f".{k}({v})" for k, v in params.items())
        lines.append(f"    {module} {'#(' + ps + ') ' if ps else ''}{name} ();")
    lines.append(f'    initial #1 begin $display("{last}"); $finish; end')
    lines.append("endmodule")
    return "\n".join(lines) + "\n"


def run_icarus(tmp_path, name: str, text: str) -> str:
    iverilog, vvp = shutil.which("iverilog"), shutil.which("vvp")
    if not iverilog or not vvp:
        pytest.skip("Icarus Verilog (iverilog, vvp) not installed")
    files, incdirs = simrun.sources()
    top = tmp_path / f"{name}.v"
    top.write_text(text)
    out = tmp_path / f"{name}.vvp"
    build = subprocess.run(
        [iverilog, "-g2005", "-s", TOP, "-o", str(out)]
        + [f"-I{d}" for d in incdirs]
        + [str(f) for f in simrun.tool_sources("icarus", files)] + [str(top)],
        capture_output=True, text=True, timeout=120)
    assert build.returncode == 0, f"iverilog failed on {top}:\n{build.stdout}{build.stderr}"
    sim = subprocess.run([vvp, "-n", str(out)], capture_output=True, text=True, timeout=120)
    return sim.stdout + sim.stderr


def test_illegal_parameters_stop_with_the_instance_and_name(tmp_path):
    insts = [(m, bad_instance(k), {**other, p: v}) for k, (m, p, v, other) in enumerate(BAD)]
    output = run_icarus(tmp_path, "bad", wrapper(insts, STOPPED))
    errors = [line for line in output.splitlines() if "ERROR:" in line]
    missing = []
    for k, (module, param, value, _) in enumerate(BAD):
        inst = f"{TOP}.{bad_instance(k)}"
        want = re.compile(rf"^ERROR: {re.escape(inst)}: {param} {value} is not ")
        if not any(want.match(line) for line in errors):
            missing.append(f"{module} {param}={value} ({inst})")
    assert not missing, "no ERROR naming the instance and the parameter for:\n  " \
        + "\n  ".join(missing) + "\noutput:\n" + output
    # every error is one of a bad instance (or of a module inside it)
    bad_paths = tuple(f"ERROR: {TOP}.{name}" for _, name, _ in insts)
    stray = [line for line in errors
             if not any(line.startswith(p + ":") or line.startswith(p + ".") for p in bad_paths)]
    assert not stray, "errors not from a bad instance:\n" + "\n".join(stray)
    assert STOPPED not in output, "the illegal parameters did not stop the simulation"


def test_legal_parameters_pass(tmp_path):
    insts = [(m, f"good_{m[4:]}_{k}", params) for k, (m, params) in enumerate(GOOD)]
    output = run_icarus(tmp_path, "good", wrapper(insts, DONE))
    assert "ERROR" not in output, output
    assert DONE in output, output
