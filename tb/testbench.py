# SPDX-License-Identifier: MIT
"""Testbench: owns clock, reset, agents, monitors, host, model and checker.

Wiring (monitor -> checker by callbacks, cocotb's matrix_multiplier shape)::

    rx source --rx--> DUT --tx--> tx sink (tready / backpressure)
    irq driver --irq--> DUT
    rx monitor  --> host.handle_rx  (request accepted)
                --> sb.rx_request(last-beat accept cycle, dws)
    irq monitor --> sb.irq_accepted(cycle, src, index)
    tx monitor  --> host.handle_tx  (completion matching, interrupt writes)
                --> sb.tx_tlp(first-visible cycle, dws)

The scoreboard wants its calls in cycle order, but a tx TLP is only known
once its last beat was accepted, possibly many cycles after it first became
visible. :class:`CycleOrderedDispatcher` holds back rx/irq events from the
first cycle of a tx TLP still in flight until that TLP is complete. Within
one cycle the order is tx, rx, irq (a tx TLP visible in cycle p was decided
at the edge before; rx/irq events of cycle p happen at edge p).

A scoreboard check that fails raises inside the sampling task, which cocotb
turns into a failure of the running test; :meth:`Testbench.finish` raises
again in the test's own context.
"""

import heapq
import json
import logging

import cocotb
from cocotb.clock import Clock
from cocotb.triggers import ClockCycles, RisingEdge
from cocotbext.axi import AxiStreamBus

from model.device import DeviceModel
from tb.scoreboard import Scoreboard

from .cycles import CycleCounter
from .host import Host
from .irq import IrqBus, IrqDriver, IrqMonitor
from .stream import TlpStreamMonitor, rx_source, tx_sink

PRIO_TX, PRIO_RX, PRIO_IRQ = 0, 1, 2


class CycleOrderedDispatcher:
    """Delivers (cycle, priority) ordered events to their handlers.

    ``blockers``: callables returning the first cycle of an event that is
    still being assembled (or None); events at or after it wait.
    :meth:`flush` runs as the last sampler of every cycle.
    """

    def __init__(self, blockers=()):
        self.blockers = list(blockers)
        self._heap = []
        self._seq = 0
        self.delivered = 0

    def post(self, cycle, prio, fn, *args):
        heapq.heappush(self._heap, (cycle, prio, self._seq, fn, args))
        self._seq += 1

    def limit(self):
        opens = [c for c in (b() for b in self.blockers) if c is not None]
        return min(opens) if opens else None

    def flush(self, _cycle=None, force=False):
        limit = None if force else self.limit()
        while self._heap and (limit is None or self._heap[0][0] < limit):
            cycle, prio, _, fn, args = heapq.heappop(self._heap)
            self.delivered += 1
            fn(cycle, *args)

    def pending(self):
        return len(self._heap)


class Testbench:
    """One DUT, its agents, the host, the reference model and the scoreboard.

    ``params``: device parameters (tests/configs.py ``current_params()``).
    ``rx_pause``/``tx_pause``/``irq_pause``: pause generators (tb.pause).
    """

    CLOCK_NS = 4

    def __init__(self, dut, params, rx_pause=None, tx_pause=None, irq_pause=None,
                 strict_host=True, name=None, record=None):
        self.dut = dut
        self.params = dict(params)
        self.name = name
        self.record_fn = record
        self.log = logging.getLogger("cocotb.tb")
        self.data_width = self.params["DATA_WIDTH"]
        assert len(dut.rx_tdata) == self.data_width, (
            f"rx_tdata is {len(dut.rx_tdata)} bits but the configuration says DATA_WIDTH="
            f"{self.data_width}")

        self.clock = dut.clk
        self.counter = CycleCounter(dut.clk)

        # reference model and checker
        self.model = DeviceModel(msi_vectors=self.params["MSI_VECTORS"],
                                 msix_table_size=self.params["MSIX_TABLE_SIZE"],
                                 ims_size=self.params["IMS_SIZE"],
                                 data_width=self.data_width,
                                 pasid_cap=self.params.get("PASID_CAP", 1))
        self.scoreboard = Scoreboard(self.model)

        # drivers
        self.rx = rx_source(dut)
        self.tx = tx_sink(dut)
        self.irq = IrqDriver(IrqBus.from_prefix(dut, "irq"), dut.clk, dut.rst)
        self.host = Host(self.rx, dut.clk, strict=strict_host)
        for agent in (self.rx, self.tx):     # cocotbext-axi logs every frame at INFO
            agent.log.setLevel(logging.WARNING)

        # monitors (samplers run in this order each cycle; dispatcher last)
        self.rx_monitor = TlpStreamMonitor(AxiStreamBus.from_prefix(dut, "rx"), self.counter,
                                           reset=dut.rst, name="rx", callback=self._on_rx)
        self.tx_monitor = TlpStreamMonitor(AxiStreamBus.from_prefix(dut, "tx"), self.counter,
                                           reset=dut.rst, name="tx", callback=self._on_tx,
                                           check_length=True)
        self.irq_monitor = IrqMonitor(IrqBus.from_prefix(dut, "irq"), self.counter,
                                      reset=dut.rst, callback=self._on_irq)
        self.dispatcher = CycleOrderedDispatcher([lambda: self.tx_monitor.open_first_cycle])
        self.counter.add_sampler(self.dispatcher.flush)

        self.set_stress(rx_pause, tx_pause, irq_pause)
        self._drain_task = None
        self._clock = None

    # ------------------------------------------------------------------ callbacks
    def _on_rx(self, txn):
        self.host.handle_rx(txn)
        self.dispatcher.post(txn.accept_cycle, PRIO_RX, self.scoreboard.rx_request, txn.dws)

    def _on_tx(self, txn):
        self.dispatcher.post(txn.first_cycle, PRIO_TX, self.scoreboard.tx_tlp, txn.dws)
        self.host.handle_tx(txn)

    def _on_irq(self, txn):
        self.dispatcher.post(txn.cycle, PRIO_IRQ,
                             lambda c, s, i: self.scoreboard.irq_accepted(c, s, i),
                             txn.src, txn.index)

    # ------------------------------------------------------------------ control
    def set_stress(self, rx_pause=None, tx_pause=None, irq_pause=None):
        """Install (or remove, with None) pause generators."""
        for agent, generator in ((self.rx, rx_pause), (self.tx, tx_pause)):
            agent.set_pause_generator(generator)
            # cocotbext-axi keeps the last generated pause when the generator
            # is removed; a stream must not stay paused without one
            agent.pause = False
        self.irq.set_pause_generator(irq_pause)

    async def start(self):
        """Start clock, cycle counter and the tx sink drain; then reset."""
        self._clock = Clock(self.dut.clk, self.CLOCK_NS, unit="ns")
        self._clock.start()
        self.dut.rst.value = 1
        self.counter.start()
        self._drain_task = cocotb.start_soon(self._drain())
        await self.reset()

    async def _drain(self):
        # the sink's own frame queue is not used (the monitor reports TLPs)
        while True:
            await self.tx.recv()

    def init_cycles(self):
        """Upper bound of the post-reset table clearing (design.md §1)."""
        return max(self.params["MSIX_TABLE_SIZE"], self.params["IMS_SIZE"]) + 64

    async def reset(self, cycles=8):
        """Synchronous reset; returns once rx_tready and irq_ready are high."""
        self.dut.rst.value = 1
        await ClockCycles(self.dut.clk, cycles)
        self.dut.rst.value = 0
        await RisingEdge(self.dut.clk)
        # everything before the reset is delivered; the checker starts over
        self.dispatcher.flush(force=True)
        self.scoreboard.reset(self.counter.cycle)
        self.host.reset()
        for _ in range(self.init_cycles()):
            if int(self.dut.rx_tready.value) and int(self.dut.irq_ready.value):
                break
            await RisingEdge(self.dut.clk)
        else:
            raise AssertionError(f"rx_tready/irq_ready still low {self.init_cycles()} cycles "
                                 f"after reset (design.md §1)")
        self.reset_cycle = self.counter.cycle

    async def wait_until(self, cond, cycles, what="condition"):
        """Wait (at most ``cycles`` cycles) until ``cond()`` is true."""
        for _ in range(cycles):
            if cond():
                return
            await RisingEdge(self.dut.clk)
        assert cond(), f"timed out after {cycles} cycles waiting for {what}"

    async def wait_interrupt(self, address, data, count=1, cycles=1000):
        """Wait until the host has received ``count`` writes of this pair."""
        await self.wait_until(lambda: self.host.interrupts(address, data) >= count, cycles,
                              f"interrupt write #{count} of ({address:#x}, {data:#x}); "
                              f"host has {self.host.interrupts(address, data)}")

    async def flush(self, settle=32):
        """Complete a read (nothing may hang either stream), let the device
        settle, and deliver every event to the scoreboard."""
        await self.host.cfg_read(0x00)
        await self.irq.wait()
        await ClockCycles(self.dut.clk, settle)
        while not self.tx_monitor.idle():
            await RisingEdge(self.dut.clk)
        await RisingEdge(self.dut.clk)
        self.dispatcher.flush(force=True)

    async def finish(self, test_name=None, pending_reader=None):
        """End of test: flush, check quiescence and host state, log and
        record the summary. Raises (in the test's context) on any error.
        ``pending_reader``: coroutine function returning the slots the device
        reports pending ({(store, index)}), compared with the model's."""
        await self.flush()
        pending = None
        if pending_reader is not None:
            pending = await pending_reader()
            await self.flush()
        self.scoreboard.check_quiescent(device_pending=pending)
        assert not self.host.errors, f"host errors: {self.host.errors}"
        assert not self.host.outstanding(), f"requests without completion: tags {self.host.outstanding()}"
        summary = self.summary()
        self.log.info("%s: %s", test_name or self.name or "test", self.scoreboard.summary())
        self.record(test_name or self.name, summary)
        return summary

    def summary(self):
        s = {
            "completions_checked": self.scoreboard.completions_checked,
            "messages_checked": self.scoreboard.messages_checked,
            "error_messages_checked": self.scoreboard.error_messages_checked,
            "rx_tlps": self.rx_monitor.count,
            "tx_tlps": self.tx_monitor.count,
            "irq_accepted": self.irq_monitor.count,
            "cycles": self.counter.cycle,
        }
        return s

    def record(self, test_name, summary):
        """Hand the summary to ``record`` (e.g. tests/configs.py
        ``record_summary``) or, without one, write ./<test>.summary.json."""
        if not test_name:
            return
        if self.record_fn is not None:
            self.record_fn(test_name, **summary)
        else:
            with open(f"{test_name}.summary.json", "w") as f:
                json.dump(summary, f, indent=1, sort_keys=True)
