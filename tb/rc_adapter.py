# SPDX-License-Identifier: MIT
"""The DUT as a device on a port of cocotbext-pcie's RootComplex.

cocotbext-pcie connects devices to switch and root ports through
``SimPort`` objects that exchange ``Tlp`` objects (``rc.make_port()``
returns a root port; ``port.connect(dev)`` calls ``dev.connect(simport)``,
as for cocotbext-pcie's own ``Device``). :class:`RcAdapter` is such a
device whose function lives in RTL::

    RootComplex -- root port ==SimPort== RcAdapter --rx_*--> ims_endpoint
                                                  <--tx_*--

* Every TLP the root port sends (configuration requests included: the
  config space stays in the RTL) is framed as CONTRACT.md says and driven
  on rx. Its flow-control credits go back to the root port once the DUT
  accepted its last beat, so a stalled rx stalls the root complex.
* Every TLP the DUT sends on tx is decoded and sent to the root port:
  completions go to the requests that are waiting for them, Memory Writes
  (interrupt messages) to the root complex's memory space and MSI region.
  cocotbext-pcie's ``Tlp`` knows no TLP prefixes: a PASID prefix
  (``0x91xxxxxx``, an IMS entry with PASID_EN) is taken off here and kept
  in :attr:`writes`; any other prefix is an error.
* Messages the DUT sends (Type 10xxxb: ERR_COR, ERR_NONFATAL, ERR_FATAL)
  are kept in :attr:`messages` and not passed on: cocotbext-pcie's ``Tlp``
  cannot decode a Message and the RootComplex has no handler for one.
* :meth:`send_raw` drives DWs on rx exactly as given, for the compliance
  suite's deliberately erroneous TLPs (a wrong Length, a short payload, a
  completion nobody asked for), which a ``Tlp`` cannot express or the
  root complex would never send. The completion of a raw non-posted
  request is kept in :attr:`raw_completions`, not passed on.
* Optional random pauses on both streams (:meth:`set_backpressure`): gaps
  in rx_tvalid, rx_tready low is the DUT's own, tx_tready low.

Two ways to build one:

* ``RcAdapter(dut)``: on its own (a user's testbench). It creates the rx
  source, the tx sink and two TLP monitors on ``rx_*``/``tx_*``.
* ``RcAdapter(dut, testbench=tb)``: inside this project's
  :class:`tb.testbench.Testbench`. It drives the Testbench's rx source and
  takes the place of ``tb.host``, so the Testbench's monitors keep feeding
  the scoreboard every TLP in both directions. It offers what the
  Testbench asks of its host: ``handle_rx``/``handle_tx`` (monitor
  callbacks), ``reset()`` (device reset), ``cfg_read`` (``flush``),
  ``interrupts()`` (``wait_interrupt``), ``errors`` and ``outstanding()``
  (``finish``); tests/test_tb_rc_adapter.py keeps that list complete.

Problems the adapter sees (a TLP it cannot decode, a completion for a
request it never forwarded, an rx TLP it did not send) are kept in
:attr:`errors` and raised at once as :class:`RcAdapterError`.
"""

import collections
import dataclasses
import logging
import struct

import cocotb
from cocotb.queue import Queue
from cocotb.triggers import RisingEdge
from cocotbext.axi import AxiStreamBus
from cocotbext.pcie.core.port import SimPort
from cocotbext.pcie.core.tlp import TlpType
from cocotbext.pcie.core.utils import PcieId

from .cycles import CycleCounter
from .framing import dw_type, format_dws, split_prefixes, tlp_to_dws
from .pause import random_pause
from .stream import TlpStreamMonitor, dw_frame, rx_source, tx_sink

#: PASID End-End TLP prefix: Fmt 100b, Type 1 0001b (PCIe 6.20)
PASID_PREFIX_TYPE = 0x91

#: Message TLPs: Type 10rrrb, r the routing (PCIe 2.2.8)
_MSG_TYPE_MASK, _MSG_TYPE = 0b11000, 0b10000
#: tags of raw requests: above the 32 the RootComplex allocates (0..31)
RAW_TAGS = range(0x80, 0x100)

_CFG0 = (TlpType.CFG_READ_0, TlpType.CFG_WRITE_0)
_CPL = (TlpType.CPL, TlpType.CPL_DATA, TlpType.CPL_LOCKED, TlpType.CPL_LOCKED_DATA)
_MWR = (TlpType.MEM_WRITE, TlpType.MEM_WRITE_64)
_NON_POSTED = (TlpType.CFG_READ_0, TlpType.CFG_WRITE_0, TlpType.CFG_READ_1, TlpType.CFG_WRITE_1,
               TlpType.MEM_READ, TlpType.MEM_READ_64, TlpType.MEM_READ_LOCKED,
               TlpType.MEM_READ_LOCKED_64, TlpType.IO_READ, TlpType.IO_WRITE,
               TlpType.FETCH_ADD, TlpType.FETCH_ADD_64, TlpType.SWAP, TlpType.SWAP_64,
               TlpType.CAS, TlpType.CAS_64)


class RcAdapterError(AssertionError):
    """The DUT and the root complex disagree at the TLP level."""


@dataclasses.dataclass
class DeviceWrite:
    """A Memory Write the DUT sent to the root complex."""
    address: int
    data: int               # first payload DW
    pasid: int | None       # from a PASID prefix, else None
    requester_id: PcieId
    cycle: int              # first cycle the TLP was visible on tx


@dataclasses.dataclass
class DeviceMessage:
    """A Message TLP the DUT sent (kept as DWs: a ``Tlp`` cannot hold one)."""
    dws: list               # header DWs as on the stream (PCIe header bit positions)
    cycle: int              # first cycle the TLP was visible on tx

    @property
    def code(self):
        """Message Code: DW1 bits 7:0 (PCIe 2.2.8)."""
        return self.dws[1] & 0xFF

    @property
    def requester_id(self):
        return PcieId.from_int(self.dws[1] >> 16)

    def __repr__(self):
        return f"DeviceMessage(code={self.code:#04x}, dws={format_dws(self.dws)})"


class _Forwarded:
    """A TLP from the root port (or a raw one, ``tlp`` None) on its way through rx."""

    def __init__(self, tlp, dws):
        self.tlp = tlp
        self.dws = dws


class RcAdapter:
    """The DUT's rx/tx streams as a device for a cocotbext-pcie port.

    ``rc.make_port().connect(RcAdapter(dut))`` attaches it; then
    ``await rc.enumerate()`` finds the DUT like any cocotbext-pcie device.
    """

    def __init__(self, dut, testbench=None, clock=None, reset=None, log=None):
        self.dut = dut
        self.log = log or logging.getLogger("cocotb.tb.rc_adapter")
        self.errors = []
        self.writes = []            # DeviceWrite, in arrival order
        self.messages = []          # DeviceMessage, in arrival order
        self.raw_completions = {}   # raw request tag -> [completion DWs], in arrival order
        self.forwarded = 0          # TLPs root port -> DUT
        self.returned = 0           # TLPs DUT -> root port
        self.bus_num = 0            # captured from configuration requests, like a device
        self.device_num = 0

        self._rx_inflight = collections.deque()
        self._outstanding = {}      # tag -> _Forwarded (non-posted, no completion yet)
        self._to_rc = Queue()

        if testbench is not None:
            self.clock = testbench.dut.clk
            self.rst = testbench.dut.rst
            self.rx = testbench.rx
            self.tx = testbench.tx
            self.counter = testbench.counter
            self.testbench = testbench
            testbench.host = self   # the Testbench's monitors now call handle_rx/handle_tx
        else:
            self.clock = clock if clock is not None else dut.clk
            self.rst = reset if reset is not None else dut.rst
            self.rx = rx_source(dut, self.clock, self.rst)
            self.tx = tx_sink(dut, self.clock, self.rst)
            for agent in (self.rx, self.tx):
                agent.log.setLevel(logging.WARNING)
            self.counter = CycleCounter(self.clock)
            self.testbench = None
            self.rx_monitor = TlpStreamMonitor(AxiStreamBus.from_prefix(dut, "rx"), self.counter,
                                               reset=self.rst, name="rx",
                                               callback=self.handle_rx)
            self.tx_monitor = TlpStreamMonitor(AxiStreamBus.from_prefix(dut, "tx"), self.counter,
                                               reset=self.rst, name="tx",
                                               callback=self.handle_tx, check_length=True)
            self.counter.start()
            cocotb.start_soon(self._drain())

        # the device side of the link, as cocotbext-pcie's Device has it
        # (posted/non-posted credits advertised, completions infinite)
        self.upstream_port = SimPort(fc_init=[[64, 1024, 64, 64, 0, 0]] * 8)
        self.upstream_port.parent = self
        self.upstream_port.rx_handler = self._from_rc
        self._rc = None             # set by attach(): flush reads go through it
        cocotb.start_soon(self._run_to_rc())

    # ------------------------------------------------------------------ wiring
    def connect(self, port):
        """cocotbext-pcie calls this from ``root_port.connect(adapter)``."""
        self.upstream_port.connect(port)

    def attach(self, rc):
        """Connect to a new port of RootComplex ``rc``; returns the port."""
        port = rc.make_port()
        port.connect(self)
        self._rc = rc
        return port

    @property
    def pcie_id(self):
        """The function's ID as the root complex addresses it (after enumeration)."""
        return PcieId(self.bus_num, self.device_num, 0)

    def set_backpressure(self, seed=None, rx_probability=0.3, tx_probability=0.5, max_run=40):
        """Random gaps on rx and tx_tready low on tx, seeded (None: off)."""
        if seed is None:
            self.rx.set_pause_generator(None)
            self.tx.set_pause_generator(None)
            return
        self.rx.set_pause_generator(random_pause(seed, rx_probability, max_run))
        self.tx.set_pause_generator(random_pause(seed + 1, tx_probability, max_run))

    async def wait_ready(self, timeout_cycles=1 << 17):
        """Wait until reset is over and the DUT takes requests (rx_tready
        high: it clears its tables after reset, design.md section 1)."""
        for _ in range(timeout_cycles):
            await RisingEdge(self.clock)
            if int(self.rst.value) == 0 and int(self.dut.rx_tready.value) == 1:
                return
        raise RcAdapterError(f"rx_tready still low {timeout_cycles} cycles after reset")

    async def _drain(self):
        while True:             # frames are reported by the tx monitor
            await self.tx.recv()

    def _error(self, msg):
        self.errors.append(msg)
        self.log.error("%s", msg)
        raise RcAdapterError(msg)

    # ------------------------------------------------------------------ root port -> DUT
    async def _from_rc(self, tlp):
        if tlp.fmt_type in _CFG0:
            # a Type 0 configuration request names our bus and device number
            self.bus_num = tlp.completer_id.bus
            self.device_num = tlp.completer_id.device
        fwd = _Forwarded(tlp, tlp_to_dws(tlp))
        if tlp.fmt_type in _NON_POSTED:
            if tlp.tag in self._outstanding:
                self._error(f"root complex reused tag {tlp.tag} while it is outstanding: {tlp!r}")
            self._outstanding[tlp.tag] = fwd
        self._rx_inflight.append(fwd)
        self.forwarded += 1
        await self.rx.send(dw_frame(fwd.dws))

    async def send_raw(self, dws, tag=None):
        """Drive ``dws`` on rx as one TLP, exactly as given (no ``Tlp``, no
        flow-control credits). ``tag``: it is a non-posted request with
        this tag (one of :data:`RAW_TAGS`, so it cannot collide with the
        root complex's); its completions are collected in
        ``raw_completions[tag]`` instead of going to the root complex.
        Returns once the DUT accepted the last beat."""
        if tag is not None:
            if tag not in RAW_TAGS or tag in self.raw_completions:
                raise ValueError(f"raw tag {tag:#x}: not free or outside {RAW_TAGS}")
            self.raw_completions[tag] = []
        fwd = _Forwarded(None, [dw & 0xFFFFFFFF for dw in dws])
        self._rx_inflight.append(fwd)
        self.forwarded += 1
        await self.rx.send(dw_frame(fwd.dws))
        await self.rx.wait()

    def take_raw_completions(self, tag):
        """The completions (DW lists) of raw request ``tag`` so far; frees the tag."""
        return self.raw_completions.pop(tag)

    def handle_rx(self, txn):
        """rx monitor: the DUT accepted a TLP; its credits go back."""
        if not self._rx_inflight:
            self._error(f"rx TLP accepted that the root complex did not send: {txn}")
        fwd = self._rx_inflight.popleft()
        if fwd.dws != txn.dws:
            self._error(f"rx monitor saw {format_dws(txn.dws)}, adapter sent {format_dws(fwd.dws)}")
        if fwd.tlp is not None:
            fwd.tlp.release_fc()

    # ------------------------------------------------------------------ DUT -> root port
    def handle_tx(self, txn):
        """tx monitor: a TLP from the DUT, on its way to the root port."""
        _, rest = split_prefixes(txn.dws)
        if rest and dw_type(rest[0]) & _MSG_TYPE_MASK == _MSG_TYPE:
            self.messages.append(DeviceMessage(list(txn.dws), txn.first_cycle))
            return
        if rest and dw_type(rest[0]) in (0b01010, 0b01011) and len(rest) >= 3 \
                and (rest[2] >> 8) & 0xFF in self.raw_completions:
            # Cpl/CplD/CplLk (Type 0101xb) with a raw request's tag (DW2 bits 15:8)
            self.raw_completions[(rest[2] >> 8) & 0xFF].append(list(txn.dws))
            return
        try:
            prefixes, tlp = txn.decode()
        except ValueError as exc:
            self._error(f"DUT sent an undecodable TLP: {exc}")
        pasid = None
        for p in prefixes:
            if p >> 24 != PASID_PREFIX_TYPE or pasid is not None:
                self._error(f"DUT sent a TLP prefix the root complex cannot take: {p:#010x} "
                            f"in {format_dws(txn.dws)}")
            pasid = p & 0xFFFFF
        if tlp.fmt_type in _CPL:
            if self._outstanding.pop(tlp.tag, None) is None:
                self._error(f"completion with tag {tlp.tag} that is not outstanding: {tlp!r}")
        elif tlp.fmt_type in _MWR:
            data = struct.unpack_from("<L", bytes(tlp.data))[0] if len(tlp.data) >= 4 else None
            self.writes.append(DeviceWrite(tlp.address, data, pasid, tlp.requester_id,
                                           txn.first_cycle))
        else:
            self._error(f"DUT sent a TLP a device does not send here: {tlp!r}")
        self._to_rc.put_nowait(tlp)

    async def _run_to_rc(self):
        while True:
            tlp = await self._to_rc.get()
            self.returned += 1
            await self.upstream_port.send(tlp)

    # ------------------------------------------------------------------ Testbench's host interface
    def reset(self):
        """Device reset: TLPs in flight to the DUT are abandoned (their
        flow-control credits go back; the root complex gets no completion
        for an abandoned request, as after a real reset)."""
        if self._outstanding or self._rx_inflight:
            self.log.warning("reset with TLPs in flight: tags %s, %d not accepted",
                             self.outstanding(), len(self._rx_inflight))
        for fwd in self._rx_inflight:
            if fwd.tlp is not None:
                fwd.tlp.release_fc()
        self._rx_inflight.clear()
        self._outstanding.clear()

    def outstanding(self):
        """Tags of non-posted requests the DUT has not completed."""
        return sorted(self._outstanding)

    def interrupts(self, address, data):
        """How many Memory Writes of DATA to ADDRESS the DUT sent
        (Testbench.wait_interrupt)."""
        return sum(1 for w in self.writes if w.address == address and w.data == data)

    async def cfg_read(self, reg):
        """A configuration read through the root complex (Testbench.flush
        uses it to make sure nothing hangs either stream)."""
        if self._rc is None:
            raise RcAdapterError("cfg_read needs the root complex: use attach(rc)")
        return await self._rc.config_read_dword(self.pcie_id, reg)
