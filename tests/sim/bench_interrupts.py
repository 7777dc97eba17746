# SPDX-License-Identifier: MIT
"""Interrupt engine benchmark (run by scripts/bench.py, not by the regression).

For every store the configuration has, it measures in clock cycles:

* latency: from the irq handshake to the message's first beat on tx;
* throughput: many slots made pending while Bus Master Enable is clear,
  then BME set: messages per cycle while they drain, against the bus
  limit (one message per beats-per-TLP cycles), and idle cycles between
  TLPs (must be 0 with tx_tready high);
* unmask latency: a pending slot at the far end of the table becomes
  sendable (its mask cleared, Function Mask cleared, BME set): cycles from
  the accepted last beat of that write to the message's first beat.

The scoreboard stays attached: every message of the benchmark is checked.
Figures go to the run's summary.json (tests/configs.py record_summary).
"""

import cocotb
from cocotb.triggers import ClockCycles

from model import regs as R
from tb.driver import Driver
from tb.recorder import Recorder
from tb.testbench import Testbench
from tests.configs import current_config, current_params, record_summary

BAR = 0x0000_0004_0000_0000
THROUGHPUT_SLOTS = 64


async def setup(dut):
    tb = Testbench(dut, current_params(), record=record_summary)
    rec = Recorder(tb)
    await tb.start()
    info = await tb.host.enumerate(bus=1, device=0, bar0_base=BAR)
    drv = await Driver(tb.host, info).probe()
    return tb, rec, drv


async def set_bme(tb, on):
    await tb.host.cfg_write32(R.CFG_COMMAND, R.CFG_COMMAND_MEMORY_SPACE
                              | (R.CFG_COMMAND_BUS_MASTER if on else 0), be=0x3)


async def program(tb, drv, store, index, high=False, pasid=None, masked=False):
    """One vector of ``store`` at ``index``; returns its tb.driver.Vector."""
    address, data = tb.host.alloc_pair(high=high)
    if store == "msix":
        vec = await drv.msix_write_msg(index, address, data)
        if not masked:
            await drv.msix_unmask(index)
    else:
        vec = await drv.ims_write_msg(index, address, data, pasid=pasid)
        if not masked:
            await drv.ims_unmask(index)
    return vec


def src_of(store):
    return 1 if store == "ims" else 0


async def wait_messages(tb, rec, since, count, cycles=20000):
    await tb.wait_until(lambda: len(rec.messages_after(since)) >= count, cycles,
                        f"{count} messages")
    return rec.messages_after(since)[:count]


async def measure_latency(tb, rec, store, index, vec):
    lat = []
    for _ in range(3):
        start = tb.counter.cycle
        await tb.irq.request(src_of(store), index)
        await tb.wait_interrupt(*vec.pair, count=tb.host.interrupts(*vec.pair) + 1)
        irq = [t for t in rec.irq if t.cycle >= start][0]
        msg = rec.messages_after(irq.cycle)[0]
        lat.append(msg.first_cycle - irq.cycle)
        await ClockCycles(tb.dut.clk, 20)
    return lat


async def measure_throughput(tb, rec, store, indices):
    """Pend ``indices`` with BME clear, then set BME and time the drain."""
    await set_bme(tb, False)
    for i in indices:
        tb.irq.send_nowait(src_of(store), i)
    await tb.irq.wait()
    await ClockCycles(tb.dut.clk, 10)
    since = tb.counter.cycle
    await set_bme(tb, True)
    msgs = await wait_messages(tb, rec, since, len(indices))
    d = rec.drain(msgs)
    return {
        "messages": d.messages,
        "cycles": d.cycles,
        "idle_cycles": d.idle_cycles,
        "other_tlps": d.other_tlps,
        "msgs_per_cycle": d.msgs_per_cycle,
        "bus_limit": d.bus_limit,
        "beats_per_msg": d.beats_per_msg,
    }


async def unmask_latency(tb, rec, drv, store, index, vec, how):
    """``how``: 'entry' (clear the entry mask), 'function' (clear MSI-X
    Function Mask) or 'bme' (set Bus Master Enable)."""
    if how == "entry":
        await (drv.msix_mask(index) if store == "msix" else drv.ims_mask(index))
    elif how == "function":
        await drv.msix_set_ctrl(0, 1 << 14)
    else:
        await set_bme(tb, False)
    await tb.irq.request(src_of(store), index)
    await ClockCycles(tb.dut.clk, 20)
    count = tb.host.interrupts(*vec.pair)
    mark = len(rec.rx)
    if how == "entry":
        e = (drv.msix_entry(index) if store == "msix" else drv.ims_entry(index))
        # (the unmask keeps the entry's PASID: PASID_EN is bit 3, layout version 2)
        ctrl = 0 if vec.pasid is None else \
            vec.pasid << R.IMS_ENTRY_CTRL_PASID_SHIFT | R.IMS_ENTRY_CTRL_PASID_EN
        await tb.host.write32(e + R.ENTRY_CTRL, ctrl)
    elif how == "function":
        await tb.host.cfg_write32(drv.msix_cap, 1 << 31, be=0xC)
    else:
        await set_bme(tb, True)
    await tb.wait_interrupt(*vec.pair, count=count + 1)
    write = rec.rx[mark]
    msg = rec.messages_after(write.accept_cycle)[0]
    return msg.first_cycle - write.accept_cycle


@cocotb.test()
async def bench(dut):
    params = current_params()
    tb, rec, drv = await setup(dut)
    figures = {"config": current_config()}
    stores = [s for s, n in (("msix", params["MSIX_TABLE_SIZE"]), ("ims", params["IMS_SIZE"])) if n]
    if stores and "msix" in stores:
        await drv.msix_set_ctrl(0, 1 << 15)        # MSI-X Enable, Function Mask clear
    if "ims" in stores:
        await drv.ims_enable()
    for store in stores:
        size = params["MSIX_TABLE_SIZE"] if store == "msix" else params["IMS_SIZE"]
        vec = await program(tb, drv, store, 0)
        lat = await measure_latency(tb, rec, store, 0, vec)
        figures[f"{store}_latency"] = max(lat)
        indices = list(range(min(THROUGHPUT_SLOTS, size)))
        for i in indices[1:]:
            await program(tb, drv, store, i)
        thr = await measure_throughput(tb, rec, store, indices)
        figures.update({f"{store}_{k}": v for k, v in thr.items()})
        if store == "ims":
            for i in indices:
                await program(tb, drv, store, i, high=True, pasid=0x100 + i)
            thr = await measure_throughput(tb, rec, store, indices)
            figures.update({f"ims64pasid_{k}": v for k, v in thr.items()})
        far = size - 1
        vec = await program(tb, drv, store, far, high=(store == "ims"),
                            pasid=0x1234 if store == "ims" else None)
        figures[f"{store}_unmask_entry"] = await unmask_latency(tb, rec, drv, store, far, vec, "entry")
        figures[f"{store}_unmask_bme"] = await unmask_latency(tb, rec, drv, store, far, vec, "bme")
        if store == "msix":
            figures["msix_unmask_function"] = await unmask_latency(tb, rec, drv, store, far, vec,
                                                                  "function")
        figures[f"{store}_size"] = size
    if params["MSI_VECTORS"]:
        figures.update(await bench_msi(tb, rec, drv, params))
    summary = await tb.finish("bench")
    figures["messages_checked"] = summary["messages_checked"]
    dut._log.info("benchmark figures: %s", figures)
    record_summary("bench", **figures)


async def bench_msi(tb, rec, drv, params):
    if drv.msix_cap is not None:
        await drv.msix_set_ctrl(1 << 15, 0)          # MSI only when MSI-X is off
    address, data = tb.host.alloc_pair()
    n = params["MSI_VECTORS"]
    vectors = await drv.msi_enable(address, data & ~0x1F, nvec=n)
    for v in vectors:
        tb.host.register_pair(v.address, v.data)
    await drv.msi_set_mask(0)
    lat = await measure_latency(tb, rec, "msi", 0, vectors[0])
    thr = await measure_throughput(tb, rec, "msi", list(range(n)))
    out = {"msi_latency": max(lat)}
    out.update({f"msi_{k}": v for k, v in thr.items()})
    return out
