# SPDX-License-Identifier: MIT
"""TLP stream agents for rx (host -> device) and tx (device -> host).

The streams are AXI4-Stream with tkeep one bit per DW. cocotbext-axi
handles that natively: with a tkeep of W bits on a W*32-bit tdata it uses
32-bit "bytes", so an ``AxiStreamFrame`` whose tdata is a list of DWs is
exactly a TLP in CONTRACT.md framing (DW k in lane k % W of beat k // W,
tkeep set for present DWs). So the drivers are cocotbext-axi's own:

* :func:`rx_source` -> ``AxiStreamSource`` on ``rx_*`` (drives tdata/tkeep/
  tlast/tvalid, honours a pause generator for gaps),
* :func:`tx_sink`   -> ``AxiStreamSink`` on ``tx_*`` (drives tready only,
  honours a pause generator for backpressure).

The monitor is our own (:class:`TlpStreamMonitor`) because the scoreboard
needs cycle numbers: for each TLP the first cycle its first beat was visible
and the cycle its last beat was accepted. It only observes, samples through
a :class:`tb.cycles.CycleCounter`, and checks the stream rules of AXI4-Stream
and of the framing (payload stable while stalled, tvalid held until
accepted, tkeep contiguous and full on all but the last beat).
"""

import logging

from cocotb.queue import Queue
from cocotbext.axi import AxiStreamBus, AxiStreamFrame, AxiStreamSink, AxiStreamSource

from .framing import TlpTransaction, expected_dw_count, format_dws


class StreamProtocolError(AssertionError):
    """A stream broke AXI4-Stream or CONTRACT.md framing rules."""


def rx_source(dut, clock=None, reset=None, prefix="rx"):
    """cocotbext-axi source for the host -> device stream."""
    clock = clock if clock is not None else dut.clk
    reset = reset if reset is not None else dut.rst
    return AxiStreamSource(AxiStreamBus.from_prefix(dut, prefix), clock, reset)


def tx_sink(dut, clock=None, reset=None, prefix="tx"):
    """cocotbext-axi sink for the device -> host stream (drives tready)."""
    clock = clock if clock is not None else dut.clk
    reset = reset if reset is not None else dut.rst
    return AxiStreamSink(AxiStreamBus.from_prefix(dut, prefix), clock, reset)


def dw_frame(dws):
    """AxiStreamFrame carrying a TLP's DWs (tkeep all set)."""
    return AxiStreamFrame(list(dws), tkeep=[1] * len(dws))


def _bit(sig):
    """0/1, or None when X/Z."""
    try:
        return int(sig.value)
    except ValueError:
        return None


def _vec(sig):
    """Unsigned integer, or None when any bit is X/Z."""
    try:
        return sig.value.to_unsigned()
    except ValueError:
        return None


class TlpStreamMonitor:
    """Observes one TLP stream and reports a :class:`TlpTransaction` per TLP.

    ``callback(txn)`` is called (inside the sampling step) when a TLP's last
    beat is accepted; transactions are also queued for :meth:`recv`.
    ``check_length``: the number of DWs must match the header (use on tx,
    not on rx where bad input is sent on purpose).
    """

    def __init__(self, bus, counter, reset=None, name=None, callback=None,
                 check_length=False, log=None):
        self.bus = bus
        self.counter = counter
        self.reset = reset
        self.name = name or bus._name
        self.callback = callback
        self.check_length = check_length
        self.log = log or logging.getLogger(f"cocotb.tb.{self.name}")
        self.width = len(bus.tdata)
        self.lanes = len(bus.tkeep)
        if self.lanes * 32 != self.width:
            raise ValueError(f"{self.name}: tkeep ({self.lanes} bits) is not one bit per DW "
                             f"of tdata ({self.width} bits)")
        self.full_keep = (1 << self.lanes) - 1
        self.queue = Queue()
        self.count = 0
        self._frame = None          # DWs of the TLP being received
        self._beats = None
        self._first_cycle = None    # first cycle the current TLP was visible
        self._stalled = None        # (tdata, tkeep, tlast) shown but not accepted
        counter.add_sampler(self._sample)

    @property
    def open_first_cycle(self):
        """First cycle of a TLP that became visible but whose last beat was
        not accepted yet (None when the stream is between TLPs)."""
        return self._first_cycle

    def idle(self):
        return self._first_cycle is None

    async def recv(self):
        return await self.queue.get()

    def recv_nowait(self):
        return self.queue.get_nowait()

    def empty(self):
        return self.queue.empty()

    def _fail(self, cycle, msg):
        raise StreamProtocolError(f"{self.name} stream, cycle {cycle}: {msg}")

    def _sample(self, cycle):
        if self.reset is not None and _bit(self.reset) != 0:
            if self._frame:
                self.log.warning("%s: TLP in progress dropped by reset: %s", self.name,
                                 format_dws(self._frame))
            self._frame = None
            self._beats = None
            self._first_cycle = None
            self._stalled = None
            return

        tvalid = _bit(self.bus.tvalid)
        tready = _bit(self.bus.tready)
        if tvalid is None:
            self._fail(cycle, "tvalid is X/Z out of reset")
        if not tvalid:
            if self._stalled is not None:
                self._fail(cycle, "tvalid dropped before the beat was accepted")
            return
        if tready is None:
            self._fail(cycle, "tready is X/Z while tvalid is high")

        tdata = _vec(self.bus.tdata)
        tkeep = _vec(self.bus.tkeep)
        tlast = _bit(self.bus.tlast)
        if tdata is None or tkeep is None or tlast is None:
            self._fail(cycle, "tdata/tkeep/tlast has X/Z while tvalid is high")
        beat = (tdata, tkeep, tlast)

        if self._stalled is not None and beat != self._stalled:
            self._fail(cycle, f"beat changed while stalled: was tdata={self._stalled[0]:#x} "
                       f"tkeep={self._stalled[1]:#x} tlast={self._stalled[2]}, now "
                       f"tdata={tdata:#x} tkeep={tkeep:#x} tlast={tlast}")

        if self._first_cycle is None:
            self._first_cycle = cycle
            self._frame = []
            self._beats = []

        if not tready:
            self._stalled = beat
            return
        self._stalled = None

        # accepted beat: framing checks
        if tkeep == 0 or (tkeep & (tkeep + 1)) != 0:
            self._fail(cycle, f"tkeep {tkeep:#x} is not contiguous from DW lane 0")
        if not tlast and tkeep != self.full_keep:
            self._fail(cycle, f"tkeep {tkeep:#x} not full on a beat without tlast")
        for lane in range(self.lanes):
            if (tkeep >> lane) & 1:
                self._frame.append((tdata >> (32 * lane)) & 0xFFFFFFFF)
        self._beats.append(beat)

        if tlast:
            txn = TlpTransaction(self._frame, self._first_cycle, cycle, self._beats)
            self._frame = None
            self._beats = None
            self._first_cycle = None
            if self.check_length:
                want = expected_dw_count(txn.dws)
                if want != len(txn.dws):
                    self._fail(cycle, f"TLP has {len(txn.dws)} DWs, its header says {want}: "
                               f"{format_dws(txn.dws)}")
            self.count += 1
            self.log.debug("%s TLP %s", self.name, txn)
            self.queue.put_nowait(txn)
            if self.callback is not None:
                self.callback(txn)
