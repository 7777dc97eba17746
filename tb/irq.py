# SPDX-License-Identifier: MIT
"""irq interface agent: valid/ready request with a source select and index.

Signals (prefix ``irq``): ``irq_valid`` (in), ``irq_ready`` (out),
``irq_src`` (in, 0 = function vectors, 1 = IMS), ``irq_index`` (in, 16 bits).
A request is accepted in the cycle where valid and ready are both high.

* :class:`IrqDriver` drives valid/src/index from a queue: ``send_nowait``
  queues back-to-back requests, ``await request(src, index)`` returns once
  that request was accepted. It only drives; cycle numbers come from the
  monitor.
* :class:`IrqMonitor` observes handshakes through a
  :class:`tb.cycles.CycleCounter` and reports ``IrqTransaction(src, index,
  cycle)`` via callback and queue.
"""

import logging

import cocotb
from cocotb.queue import Queue
from cocotb.triggers import Event, RisingEdge
from cocotb_bus.bus import Bus


class IrqBus(Bus):
    _signals = ["valid", "ready", "src", "index"]
    _optional_signals: list[str] = []

    def __init__(self, entity=None, prefix="irq", **kwargs):
        super().__init__(entity, prefix, self._signals, optional_signals=self._optional_signals,
                         **kwargs)

    @classmethod
    def from_prefix(cls, entity, prefix="irq", **kwargs):
        return cls(entity, prefix, **kwargs)


class IrqTransaction:
    def __init__(self, src, index, cycle=None):
        self.src = int(src)
        self.index = int(index)
        self.cycle = cycle
        self.accepted = Event()

    def __eq__(self, other):
        if isinstance(other, IrqTransaction):
            return (self.src, self.index) == (other.src, other.index)
        return NotImplemented

    def __repr__(self):
        return f"{type(self).__name__}(src={self.src}, index={self.index}, cycle={self.cycle})"


class IrqDriver:
    """Drives irq requests one after another, holding each until accepted."""

    def __init__(self, bus, clock, reset=None, log=None):
        self.bus = bus
        self.clock = clock
        self.reset = reset
        self.log = log or logging.getLogger("cocotb.tb.irq")
        self.queue = Queue()
        self.pause = False
        self._pause_generator = None
        self._pause_task = None
        self._idle = Event()
        self._idle.set()
        self._busy = False
        self.bus.valid.value = 0
        self.bus.src.value = 0
        self.bus.index.value = 0
        self._task = cocotb.start_soon(self._run())

    # -- pause generator (gaps between requests), as cocotbext-axi sources
    def set_pause_generator(self, generator=None):
        if self._pause_task is not None:
            self._pause_task.cancel()
            self._pause_task = None
        self._pause_generator = generator
        self.pause = False
        if generator is not None:
            self._pause_task = cocotb.start_soon(self._run_pause())

    def clear_pause_generator(self):
        self.set_pause_generator(None)

    async def _run_pause(self):
        edge = RisingEdge(self.clock)
        for val in self._pause_generator:
            self.pause = bool(val)
            await edge

    # -- API
    def send_nowait(self, src, index):
        """Queue a request; returns its IrqTransaction (``.accepted`` event)."""
        txn = IrqTransaction(src, index)
        self.queue.put_nowait(txn)
        self._idle.clear()
        return txn

    async def request(self, src, index):
        """Drive one request and return once it was accepted."""
        txn = self.send_nowait(src, index)
        await txn.accepted.wait()
        return txn

    def idle(self):
        return self.queue.empty() and not self._busy

    async def wait(self):
        """Wait until every queued request was accepted."""
        if not self.idle():
            await self._idle.wait()

    def _in_reset(self):
        if self.reset is None:
            return False
        try:
            return bool(int(self.reset.value))
        except ValueError:
            return True

    async def _run(self):
        edge = RisingEdge(self.clock)
        txn = None          # request currently driven (irq_valid high)
        while True:
            if txn is None:
                if self.queue.empty():
                    self._busy = False
                    self._idle.set()
                # block until there is work; drive it from this point in time
                nxt = await self.queue.get()
                self._busy = True
                while self.pause:
                    await edge
                txn = nxt
                self.bus.src.value = txn.src
                self.bus.index.value = txn.index
                self.bus.valid.value = 1
            await edge
            # handshake of the cycle that just ended
            if self._in_reset() or int(self.bus.ready.value) != 1:
                continue
            txn.accepted.set()
            txn = None
            if not self.queue.empty() and not self.pause:
                # back to back: next request in the very next cycle
                txn = self.queue.get_nowait()
                self.bus.src.value = txn.src
                self.bus.index.value = txn.index
            else:
                self.bus.valid.value = 0


class IrqMonitor:
    """Reports each accepted irq handshake with its cycle number."""

    def __init__(self, bus, counter, reset=None, callback=None, log=None):
        self.bus = bus
        self.reset = reset
        self.callback = callback
        self.log = log or logging.getLogger("cocotb.tb.irq_mon")
        self.queue = Queue()
        self.count = 0
        counter.add_sampler(self._sample)

    def _sample(self, cycle):
        if self.reset is not None:
            try:
                if int(self.reset.value):
                    return
            except ValueError:
                return
        try:
            valid = int(self.bus.valid.value)
        except ValueError:
            raise AssertionError(f"irq_valid is X/Z in cycle {cycle}") from None
        if not valid:
            return
        try:
            ready = int(self.bus.ready.value)
        except ValueError:
            raise AssertionError(f"irq_ready is X/Z while irq_valid is high, cycle {cycle}") from None
        if not ready:
            return
        txn = IrqTransaction(self.bus.src.value.to_unsigned() if len(self.bus.src) > 1
                             else int(self.bus.src.value),
                             self.bus.index.value.to_unsigned(), cycle)
        self.count += 1
        self.log.debug("irq accepted %s", txn)
        self.queue.put_nowait(txn)
        if self.callback is not None:
            self.callback(txn)
