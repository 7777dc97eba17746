# SPDX-License-Identifier: MIT
"""One interrupt's life, sampled cycle by cycle: the timing diagram of the
README (docs/interrupt_life.json and .svg, made by ``make wave``:
scripts/wave.py; tests/test_sim_wave.py checks the committed picture
against this module's trace).

The device is brought up as every test does (enumeration with Bus Master
Enable, IMS enabled, one IMS entry programmed and unmasked by tb.driver),
then one request for that IMS slot is made on an idle device. From a few
cycles before the irq handshake to the message's last tx beat, every
cycle samples the irq ports, the IMS store's set path, read path, state
RAM and candidate push (hdl/ims_table_store.v), the engine's candidate
FIFO head and take (hdl/ims_msg_engine.v, hdl/ims_cand_fifo.v) and the
tx stream. The scoreboard checks the message, as in every test, so the
picture is of a checked message. Cycles are numbered from the handshake
(cycle 0). The trace goes to the run folder as WaveDrom JSON
(interrupt_life.json), built by tb.wavedrom_trace.

Nothing random: no pause generators, no random values; tests/test_sim_wave.py
fixes the seed (Verilator's random register values before reset).
"""

import json
import os
from pathlib import Path

import cocotb
from cocotb.triggers import ClockCycles

from tb.driver import Driver
from tb.recorder import Recorder
from tb.testbench import Testbench
from tb.wavedrom_trace import Row, to_wavedrom
from tests.configs import current_config, current_params, current_sim, record_summary

BAR = 0x0000_0004_0000_0000
SLOT = 5            # the IMS slot (irq_src 1, irq_index SLOT)
BEFORE = 3          # cycles shown before the handshake
AFTER = 1           # cycles shown after the message's last beat
IDLE = 6            # idle cycles before the request is made
S_IMS = 2           # the IMS store's number in ims_endpoint (S_IMS)
OUTPUT = "interrupt_life.json"


def _value(handle):
    """An integer, or None when a bit is X/Z."""
    v = handle.value
    try:
        return v.to_unsigned() if hasattr(v, "to_unsigned") else int(v)
    except ValueError:
        return None


def _bit(handle, i=None):
    v = _value(handle)
    return None if v is None else (v >> i & 1 if i is not None else v)


class Sampler:
    """Reads the signals of the picture at every rising edge (a
    tb.cycles.CycleCounter sampler: the values the design sees at the edge)."""

    def __init__(self, dut, slot):
        self.dut = dut
        self.slot = slot
        store = dut.ims_store.g_store
        self.store = store
        self.fifo = dut.msg_engine.g_store[S_IMS].cands
        self.es_word = store.es_ram.g_inferred.mem[slot]
        self.edk_word = store.edk_ram.g_inferred.mem[slot]
        self.samples = {}           # cycle -> {name: value}

    def _at_slot(self, valid, index):
        return _bit(valid) == 1 and _value(index) == self.slot

    def state(self):
        """The slot's state as its state RAMs hold it (ims_table_store.v)."""
        es, edk = _value(self.es_word), _value(self.edk_word)
        if es is None or edk is None:
            return None
        ed, k = edk & 1, edk >> 1
        return "QUEUED" if es != ed else "PARKED" if k else "IDLE"

    def __call__(self, cycle):
        d, st = self.dut, self.store
        valid = _bit(d.irq_valid)
        s = {
            "irq_valid": valid,
            "irq_ready": _bit(d.irq_ready),
            "irq_src": _value(d.irq_src) if valid else None,
            "irq_index": _value(d.irq_index) if valid else None,
            "req_valid": _bit(d.store_req, S_IMS),
            "s1": self._at_slot(st.s1_valid_reg, st.s1_index_reg),
            "s2": self._at_slot(st.s2_valid_reg, st.s2_index_reg),
            "ca": self._at_slot(st.ca_valid_reg, st.ca_index_reg),
            "d1": self._at_slot(st.d1_valid_reg, st.d1_index_reg),
            "d2": self._at_slot(st.d2_valid_reg, st.d2_index_reg),
            "cand_push": _bit(d.cand_push, S_IMS),
            "state": self.state(),
            "head_valid": _bit(self.fifo.head_valid),
            "tx_take": _bit(d.out_take),
            "ret_take": _bit(d.ret_take, S_IMS),
            "tx_tvalid": _bit(d.tx_tvalid),
            "tx_tready": _bit(d.tx_tready),
            "tx_tlast": _bit(d.tx_tlast),
            "tx_tdata": _value(d.tx_tdata),
        }
        self.samples[cycle] = s


def _stage(sample, names):
    """The label of the pipeline stage the slot is in (or None)."""
    on = [n for n in names if sample[n]]
    return "/".join(on) or None


def trace_json(samples, first, last, handshake, first_beat, data_width, config, sim):
    """WaveDrom JSON of cycles first..last, numbered from the handshake."""
    cycles = range(first, last + 1)
    col = [samples[c] for c in cycles]

    def bits(name):
        return [s[name] for s in col]

    def dw(s, lane):
        if not s["tx_tvalid"] or s["tx_tdata"] is None:
            return None
        return f"{s['tx_tdata'] >> 32 * lane & 0xFFFFFFFF:08X}"

    lanes = data_width // 32
    groups = [
        (None, [Row("clk", bits("irq_valid"), "clock")]),
        ("irq", [
            Row("irq_valid", bits("irq_valid")),
            Row("irq_ready", bits("irq_ready")),
            Row("irq_src", [None if v is None else str(v) for v in bits("irq_src")], "data"),
            Row("irq_index", [None if v is None else str(v) for v in bits("irq_index")], "data"),
        ]),
        ("ims_store", [
            Row("req_valid", bits("req_valid")),
            Row("set path", [_stage(s, ("s1", "s2", "ca")) for s in col], "data", blank="0"),
            Row("read path", [_stage(s, ("d1", "d2")) for s in col], "data", blank="0"),
            Row("cand_push", bits("cand_push")),
            Row("state RAM", bits("state"), "data"),
        ]),
        ("msg_engine", [
            Row("head_valid", bits("head_valid")),
            Row("tx_take", bits("tx_take")),
            Row("ret_take", bits("ret_take")),
        ]),
        ("tx", [
            Row("tx_tvalid", bits("tx_tvalid")),
            Row("tx_tready", bits("tx_tready")),
            Row("tx_tlast", bits("tx_tlast")),
            *[Row(f"tx_tdata[{32 * k + 31}:{32 * k}]", [dw(s, k) for s in col], "data")
              for k in range(lanes)],
        ]),
    ]
    head = {"text": f"One IMS interrupt (slot {SLOT}): irq handshake in cycle 0, "
                    f"first tx beat in cycle {first_beat - handshake}",
            "tock": first - handshake}
    foot = {"text": f"sampled from the RTL: configuration {config}, {sim}, "
                    "tests/sim/wave_tests.py (make wave)",
            "tock": first - handshake}
    return to_wavedrom(groups, head=head, foot=foot, config={"hscale": 2})


@cocotb.test()
async def test_interrupt_life(dut):
    """One IMS request on an idle device, traced from irq to the last tx beat."""
    params = current_params()
    tb = Testbench(dut, params, record=record_summary)
    rec = Recorder(tb)
    await tb.start()
    info = await tb.host.enumerate(bus=1, device=0, bar0_base=BAR)   # BME set
    drv = await Driver(tb.host, info).probe()
    assert drv.ims_size > SLOT, f"the picture needs IMS slot {SLOT} (IMS_SIZE {drv.ims_size})"
    await drv.ims_enable()
    address, data = tb.host.alloc_pair()
    vec = await drv.ims_write_msg(SLOT, address, data)
    await drv.ims_unmask(SLOT)
    await tb.flush()

    sampler = Sampler(dut, SLOT)
    tb.counter.add_sampler(sampler)
    await ClockCycles(dut.clk, IDLE)
    await tb.irq.request(1, SLOT)
    await tb.wait_interrupt(*vec.pair)
    await ClockCycles(dut.clk, AFTER + 1)

    irq = [t for t in rec.irq if t.cycle in sampler.samples]
    assert len(irq) == 1 and (irq[0].src, irq[0].index) == (1, SLOT), irq
    handshake = irq[0].cycle
    tlps = [t for t in rec.tx if t.first_cycle >= handshake - BEFORE]
    assert len(tlps) == 1, f"the window must hold only the message: {tlps}"
    msg = tlps[0]
    first, last = handshake - BEFORE, msg.accept_cycle + AFTER
    assert all(c in sampler.samples for c in range(first, last + 1))
    assert not any(sampler.samples[c]["irq_valid"] for c in range(first, handshake))

    trace = trace_json(sampler.samples, first, last, handshake, msg.first_cycle,
                       params["DATA_WIDTH"], current_config(), current_sim() or "?")
    out = Path(os.environ.get("IMS_RUN_DIR", ".")) / OUTPUT
    out.write_text(json.dumps(trace, indent=1) + "\n")
    dut._log.info("trace of cycles %d..%d (handshake %d, first beat %d) written to %s",
                  first, last, handshake, msg.first_cycle, out)

    summary = await tb.finish("test_interrupt_life")
    assert summary["messages_checked"] == 1, summary
    record_summary("test_interrupt_life", latency=msg.first_cycle - handshake,
                   last_beat=msg.accept_cycle - handshake, cycles_traced=last - first + 1)
