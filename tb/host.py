# SPDX-License-Identifier: MIT
"""Host (root complex) model: the requester on rx, the completer of the
device's writes on tx.

* Requests: configuration (CfgRd0/CfgWr0, and Type 1 for negative tests),
  memory reads/writes with 32- or 64-bit addresses, 1 or 2 DWs, byte
  enables; raw DW lists for bad-input tests.
* Tags: 8-bit, handed out round robin, never one that is outstanding.
* Completions are matched by tag. A request waits first until the device
  accepted its last beat on rx (``accept_timeout`` cycles), then for its
  completion (``timeout`` cycles); either missing fails with a message that
  names the request.
* Interrupt messages (Memory Writes from the device) are recorded per
  (ADDRESS, DATA) pair. Pairs the host handed out are in ``pairs``; with
  ``strict`` an unknown pair fails at once (like cocotbext-pcie's
  MsiRegion). Whether a message *should* have been sent is the
  scoreboard's business, not the host's.
* Error Messages (Msg ERR_COR/ERR_NONFATAL/ERR_FATAL) are recorded in
  ``error_messages``; any other message fails at once.
* :meth:`Host.enumerate` does what an OS does at boot.

The host only drives rx (through the rx source) and listens to the
monitors through :meth:`handle_rx` / :meth:`handle_tx` callbacks.
"""

import collections
import dataclasses
import logging
import struct

from cocotb.triggers import ClockCycles, Event, First
from cocotbext.pcie.core.tlp import CplStatus, Tlp, TlpType
from cocotbext.pcie.core.utils import PcieId

from model import regs as R
from model import tlp as T

from .framing import format_dws, tlp_to_dws
from .stream import dw_frame


class HostError(AssertionError):
    """The device did not answer as the host requires (missing completion,
    unexpected TLP, unknown interrupt write)."""


def _le(value):
    """Register value -> payload bytes (memory order)."""
    return struct.pack("<L", value & 0xFFFFFFFF)


@dataclasses.dataclass
class Completion:
    """A completion the host received for one of its requests."""
    status: int                 # CplStatus value
    data: list                  # payload DWs (register values)
    tlp: Tlp                    # decoded completion
    request: list               # the request's DWs
    cycle: int                  # first cycle the completion was visible on tx

    @property
    def value(self):
        """First data DW; asserts the completion succeeded with data."""
        assert self.status == CplStatus.SC, f"completion status {CplStatus(self.status).name}: {self}"
        assert self.data, f"successful completion carries no data: {self}"
        return self.data[0]

    @property
    def completer_id(self):
        return self.tlp.completer_id

    def __repr__(self):
        try:
            st = CplStatus(self.status).name
        except ValueError:
            st = str(self.status)
        return (f"Completion({st}, data={format_dws(self.data)}, tag={self.tlp.tag}, "
                f"completer={self.tlp.completer_id}, byte_count={self.tlp.byte_count}, "
                f"lower_address={self.tlp.lower_address:#x}, cycle={self.cycle})")


@dataclasses.dataclass
class InterruptWrite:
    """A Memory Write from the device (an interrupt message)."""
    address: int
    data: int
    prefixes: list
    requester_id: PcieId
    cycle: int


@dataclasses.dataclass
class ErrorMessage:
    """An Error Message from the device (design.md 2)."""
    name: str                   # "ERR_COR", "ERR_NONFATAL", "ERR_FATAL"
    requester_id: PcieId
    cycle: int


ERROR_MESSAGE_CODES = (T.MSG_ERR_COR, T.MSG_ERR_NONFATAL, T.MSG_ERR_FATAL)


@dataclasses.dataclass
class EnumInfo:
    vendor_id: int
    device_id: int
    class_code: int
    revision: int
    header_type: int
    caps: list                  # [(offset, cap_id)] in list order
    bar0_size: int
    bar0_64bit: bool
    bar0_prefetchable: bool
    bar0_base: int
    bus: int
    device: int

    def cap(self, cap_id):
        """Offset of the first capability with ``cap_id``, or None."""
        for off, cid in self.caps:
            if cid == cap_id:
                return off
        return None


class _Sent:
    def __init__(self, dws, tag=None):
        self.dws = list(dws)
        self.tag = tag
        self.accepted = Event()
        self.accept_cycle = None
        self.completed = Event()
        self.completion = None


#: the host's Requester ID unless told otherwise (the Root Complex, 00:00.0)
ROOT_ID = PcieId(0, 0, 0)


class Host:
    def __init__(self, source, clock, requester_id=ROOT_ID, log=None,
                 timeout=2000, accept_timeout=5000, strict=True):
        self.source = source
        self.clock = clock
        self.requester_id = PcieId(requester_id)
        self.log = log or logging.getLogger("cocotb.tb.host")
        self.timeout = timeout
        self.accept_timeout = accept_timeout
        self.strict = strict

        # device position the host addresses config requests to
        self.target = PcieId(0, 0, 0)

        self._next_tag = 0
        self._outstanding = {}           # tag -> _Sent
        self._tag_free = Event()
        self._tag_free.set()
        self._rx_inflight = collections.deque()

        self.pairs = set()               # (address, data) handed out for interrupts
        self.writes = []                 # InterruptWrite, in arrival order
        self.write_count = collections.Counter()
        self.unknown_writes = []
        self.error_messages = []         # ErrorMessage, in arrival order
        self.errors = []
        self.completions = 0

    # ------------------------------------------------------------------ wiring
    def handle_rx(self, txn):
        """rx monitor callback: the device accepted one of our TLPs."""
        if not self._rx_inflight:
            self._error(f"rx TLP accepted that the host did not send: {txn}")
            return
        sent = self._rx_inflight.popleft()
        if sent.dws != txn.dws:
            self._error(f"rx monitor saw {format_dws(txn.dws)}, host sent {format_dws(sent.dws)}")
        sent.accept_cycle = txn.accept_cycle
        sent.accepted.set()

    def handle_tx(self, txn):
        """tx monitor callback: a TLP from the device."""
        if T.is_msg(txn.dws):       # cocotbext-pcie does not decode messages
            self._handle_message(txn, T.parse_msg(txn.dws))
            return
        try:
            prefixes, tlp = txn.decode()
        except ValueError as exc:
            self._error(f"device sent an undecodable TLP: {exc}")
            return
        ft = (tlp.fmt, tlp.type)
        if ft in (TlpType.CPL.value, TlpType.CPL_DATA.value, TlpType.CPL_LOCKED.value):
            self._handle_completion(txn, tlp)
        elif ft in (TlpType.MEM_WRITE.value, TlpType.MEM_WRITE_64.value):
            self._handle_write(txn, prefixes, tlp)
        else:
            self._error(f"device sent a TLP the host does not expect: {tlp!r}")

    def _error(self, msg):
        self.errors.append(msg)
        self.log.error("%s", msg)
        raise HostError(msg)

    def _handle_completion(self, txn, tlp):
        if tlp.requester_id != self.requester_id:
            self._error(f"completion for requester {tlp.requester_id}, host is "
                        f"{self.requester_id}: {tlp!r}")
        sent = self._outstanding.pop(tlp.tag, None)
        if sent is None:
            self._error(f"completion with tag {tlp.tag} that is not outstanding: {tlp!r}")
            return
        self._tag_free.set()
        data = [struct.unpack_from("<L", tlp.data, k)[0] for k in range(0, len(tlp.data) - 3, 4)]
        sent.completion = Completion(int(tlp.status), data, tlp, sent.dws, txn.first_cycle)
        self.completions += 1
        sent.completed.set()

    def _handle_write(self, txn, prefixes, tlp):
        if tlp.length != 1 or len(tlp.data) != 4:
            self._error(f"interrupt write is not one DW: {tlp!r}")
            return
        data = struct.unpack("<L", bytes(tlp.data))[0]
        w = InterruptWrite(tlp.address, data, prefixes, tlp.requester_id, txn.first_cycle)
        self.writes.append(w)
        self.write_count[(w.address, w.data)] += 1
        if (w.address, w.data) not in self.pairs:
            self.unknown_writes.append(w)
            if self.strict:
                self._error(f"interrupt write to an (ADDRESS, DATA) the host never handed out: "
                            f"address={w.address:#x} data={w.data:#010x} cycle={w.cycle}")

    def _handle_message(self, txn, tlp):
        # Error Messages to the Root Complex (design.md 2); their content is
        # the scoreboard's to check, the host keeps them for the tests
        if tlp.code not in ERROR_MESSAGE_CODES:
            self._error(f"device sent a message that is not an Error Message: "
                        f"{T.describe(txn.dws)}")
            return
        self.error_messages.append(ErrorMessage(T.MESSAGE_CODE_NAMES[tlp.code],
                                                PcieId.from_int(tlp.requester_id), txn.first_cycle))

    def error_message_count(self, name=None):
        """Error Messages received (all, or those named
        ``name``: "ERR_COR", "ERR_NONFATAL", "ERR_FATAL")."""
        return sum(1 for m in self.error_messages if name is None or m.name == name)

    def reset(self):
        """Device reset: the device forgets its Bus/Device and any request
        in flight; requests still waiting are abandoned."""
        if self._outstanding or self._rx_inflight:
            self.log.warning("reset with requests in flight: tags %s, %d not accepted",
                             self.outstanding(), len(self._rx_inflight))
        self._outstanding.clear()
        self._rx_inflight.clear()
        self._tag_free.set()

    # ------------------------------------------------------------------ interrupt pairs
    def register_pair(self, address, data):
        """Record an (ADDRESS, DATA) pair handed out for interrupts."""
        self.pairs.add((address, data & 0xFFFFFFFF))
        return address, data

    def alloc_pair(self, high=False, cpu=None):
        """Hand out a fresh (ADDRESS, DATA) pair, x86 style: ADDRESS in the
        0xFEEx_xxxx window (or above 4 GiB with ``high``), DATA a vector."""
        n = len(self.pairs)
        cpu = (n % 255) if cpu is None else cpu
        if high:
            address = 0x0000_0042_0000_0000 | (cpu << 12) | ((n & 0xFF) << 4)
        else:
            address = 0xFEE0_0000 | (cpu << 12)
        data = 0x20 + n % 0xD0 | ((n // 0xD0) << 16)
        while (address, data) in self.pairs:
            data += 0x10000
        return self.register_pair(address, data)

    def interrupts(self, address, data):
        """How many writes of this pair arrived."""
        return self.write_count[(address, data & 0xFFFFFFFF)]

    # ------------------------------------------------------------------ tags
    async def _alloc_tag(self):
        while len(self._outstanding) >= 256:
            self._tag_free.clear()
            await self._tag_free.wait()
        while self._next_tag in self._outstanding:
            self._next_tag = (self._next_tag + 1) & 0xFF
        tag = self._next_tag
        self._next_tag = (self._next_tag + 1) & 0xFF
        return tag

    def outstanding(self):
        return sorted(self._outstanding)

    # ------------------------------------------------------------------ sending
    async def _send(self, sent):
        self._rx_inflight.append(sent)
        await self.source.send(dw_frame(sent.dws))

    async def _wait_accepted(self, sent, what):
        if not sent.accepted.is_set():
            await First(sent.accepted.wait(), ClockCycles(self.clock, self.accept_timeout))
        if not sent.accepted.is_set():
            raise HostError(f"{what}: device did not accept the request on rx within "
                            f"{self.accept_timeout} cycles: {format_dws(sent.dws)}")

    async def send_raw(self, dws, wait=True):
        """Send any DW list on rx (posted: no completion expected).
        With ``wait``, return once the device accepted its last beat."""
        sent = _Sent(dws)
        await self._send(sent)
        if wait:
            await self._wait_accepted(sent, "posted TLP")
        return sent

    async def request_raw(self, dws, timeout=None, set_tag=True):
        """Send a non-posted DW list and return its :class:`Completion`.
        The tag field (DW1[15:8] after any prefixes) is set to a free tag
        unless ``set_tag`` is False."""
        dws = list(dws)
        k = 0
        while k < len(dws) and (dws[k] >> 29) == 0b100:
            k += 1
        if set_tag:
            tag = await self._alloc_tag()
            if len(dws) > k + 1:
                dws[k + 1] = (dws[k + 1] & ~0xFF00) | (tag << 8)
            dws[k] &= ~((1 << 23) | (1 << 19))   # Tag[9:8] = 0: 8-bit tags only
        else:
            tag = (dws[k + 1] >> 8) & 0xFF
            if tag in self._outstanding:
                raise ValueError(f"tag {tag} is outstanding")
        sent = _Sent(dws, tag)
        self._outstanding[tag] = sent
        await self._send(sent)
        what = f"request {format_dws(dws)} (tag {tag})"
        await self._wait_accepted(sent, what)
        timeout = self.timeout if timeout is None else timeout
        if not sent.completed.is_set():
            await First(sent.completed.wait(), ClockCycles(self.clock, timeout))
        if not sent.completed.is_set():
            raise HostError(f"no completion for {what} within {timeout} cycles after it was "
                            f"accepted in cycle {sent.accept_cycle}")
        return sent.completion

    async def request(self, tlp, prefixes=(), timeout=None):
        """Send a non-posted Tlp (its tag is assigned here), return the Completion."""
        tlp.requester_id = self.requester_id
        return await self.request_raw(tlp_to_dws(tlp, prefixes), timeout=timeout)

    async def post(self, tlp, prefixes=(), wait=True):
        """Send a posted Tlp."""
        tlp.requester_id = self.requester_id
        return await self.send_raw(tlp_to_dws(tlp, prefixes), wait=wait)

    # ------------------------------------------------------------------ config
    def cfg_tlp(self, reg, write=False, value=0, be=0xF, bus=None, device=None, function=0,
                type1=False):
        tlp = Tlp()
        if type1:
            tlp.fmt_type = TlpType.CFG_WRITE_1 if write else TlpType.CFG_READ_1
        else:
            tlp.fmt_type = TlpType.CFG_WRITE_0 if write else TlpType.CFG_READ_0
        tlp.completer_id = PcieId(self.target.bus if bus is None else bus,
                                  self.target.device if device is None else device, function)
        tlp.address = reg & 0xFFC
        tlp.first_be = be & 0xF
        tlp.last_be = 0
        tlp.length = 1
        if write:
            tlp.data = bytearray(_le(value))
        return tlp

    async def cfg_read(self, reg, **kw):
        """CfgRd0 (or Type 1 with type1=True); returns the Completion."""
        return await self.request(self.cfg_tlp(reg, **kw))

    async def cfg_write(self, reg, value, be=0xF, **kw):
        """CfgWr0; returns the Completion."""
        return await self.request(self.cfg_tlp(reg, write=True, value=value, be=be, **kw))

    async def cfg_read32(self, reg, **kw):
        cpl = await self.cfg_read(reg, **kw)
        assert cpl.status == CplStatus.SC, f"config read {reg:#x} failed: {cpl}"
        return cpl.value

    async def cfg_write32(self, reg, value, be=0xF, **kw):
        cpl = await self.cfg_write(reg, value, be=be, **kw)
        assert cpl.status == CplStatus.SC, f"config write {reg:#x} failed: {cpl}"
        return cpl

    async def cfg_read16(self, reg):
        v = await self.cfg_read32(reg & ~3)
        return (v >> (8 * (reg & 2))) & 0xFFFF

    async def cfg_write16(self, reg, value):
        sh = reg & 2
        return await self.cfg_write32(reg & ~3, (value & 0xFFFF) << (8 * sh), be=0x3 << sh)

    async def cfg_read8(self, reg):
        v = await self.cfg_read32(reg & ~3)
        return (v >> (8 * (reg & 3))) & 0xFF

    async def cfg_write8(self, reg, value):
        sh = reg & 3
        return await self.cfg_write32(reg & ~3, (value & 0xFF) << (8 * sh), be=1 << sh)

    # ------------------------------------------------------------------ memory
    @staticmethod
    def mem_tlp(addr, write=False, data=(), length=None, first_be=0xF, last_be=None,
                addr64=None, tc=0, attr=0):
        """Memory request Tlp. ``data``: payload DWs (register values).
        ``addr64`` None: 4DW header only when the address needs it."""
        tlp = Tlp()
        if addr64 is None:
            addr64 = addr >= 1 << 32
        if write:
            tlp.fmt_type = TlpType.MEM_WRITE_64 if addr64 else TlpType.MEM_WRITE
            tlp.data = bytearray(b"".join(_le(d) for d in data))
            length = len(data) if length is None else length
        else:
            tlp.fmt_type = TlpType.MEM_READ_64 if addr64 else TlpType.MEM_READ
            length = 1 if length is None else length
        tlp.address = addr & ~3
        tlp.length = length
        tlp.first_be = first_be & 0xF
        if last_be is None:
            last_be = 0 if length == 1 else 0xF
        tlp.last_be = last_be & 0xF
        tlp.tc = tc
        tlp.attr = attr
        return tlp

    async def mem_read(self, addr, length=1, first_be=0xF, last_be=None, addr64=None,
                       timeout=None, **kw):
        """MRd of ``length`` DWs; returns the Completion (``timeout``: cycles
        to wait for it, as :meth:`request`)."""
        return await self.request(self.mem_tlp(addr, length=length, first_be=first_be,
                                               last_be=last_be, addr64=addr64, **kw),
                                  timeout=timeout)

    async def mem_write(self, addr, data, first_be=0xF, last_be=None, addr64=None, wait=True,
                        **kw):
        """MWr of the DWs in ``data`` (posted)."""
        if isinstance(data, int):
            data = [data]
        return await self.post(self.mem_tlp(addr, write=True, data=data, first_be=first_be,
                                            last_be=last_be, addr64=addr64, **kw), wait=wait)

    async def read32(self, addr, **kw):
        cpl = await self.mem_read(addr, **kw)
        assert cpl.status == CplStatus.SC, f"read {addr:#x} failed: {cpl}"
        return cpl.value

    async def read64(self, addr, **kw):
        cpl = await self.mem_read(addr, length=2, **kw)
        assert cpl.status == CplStatus.SC and len(cpl.data) == 2, f"read64 {addr:#x} failed: {cpl}"
        return cpl.data[0] | (cpl.data[1] << 32)

    async def write32(self, addr, value, be=0xF, **kw):
        return await self.mem_write(addr, [value], first_be=be, **kw)

    async def write64(self, addr, value, **kw):
        return await self.mem_write(addr, [value & 0xFFFFFFFF, value >> 32], **kw)

    # ------------------------------------------------------------------ enumeration
    async def enumerate(self, bus=1, device=0, bar0_base=0x0000_0004_0000_0000,
                        enable=True):
        """Enumerate the device as an OS does; returns :class:`EnumInfo`.

        Reads the IDs and header type, walks the capability list from 0x34,
        sizes BAR0/BAR1 with decoding disabled (write all-ones, read back,
        restore), assigns ``bar0_base`` and enables Memory Space and Bus
        Mastering. Config requests go to ``bus``/``device``; the device
        captures them from the first configuration write.
        """
        self.target = PcieId(bus, device, 0)
        id_reg = await self.cfg_read32(R.CFG_ID)
        vendor, dev_id = id_reg & 0xFFFF, id_reg >> 16
        assert vendor != 0xFFFF, "no device answered at function 0"
        class_rev = await self.cfg_read32(R.CFG_CLASS)
        header_type = (await self.cfg_read32(R.CFG_HEADER) >> 16) & 0xFF
        assert header_type & 0x7F == 0, f"header type {header_type:#x} is not Type 0"

        status = (await self.cfg_read32(R.CFG_COMMAND)) >> 16
        caps = []
        if status & (1 << 4):
            ptr = (await self.cfg_read32(R.CFG_CAP_PTR)) & 0xFC
            seen = set()
            while ptr:
                assert ptr >= 0x40, f"capability pointer {ptr:#x} points into the header"
                assert ptr not in seen, f"capability list loops at {ptr:#x}"
                seen.add(ptr)
                hdr = await self.cfg_read32(ptr)
                caps.append((ptr, hdr & 0xFF))
                ptr = (hdr >> 8) & 0xFC

        # size BAR0 (Linux __pci_read_base): decoding off while sizing
        cmd = (await self.cfg_read32(R.CFG_COMMAND)) & 0xFFFF
        await self.cfg_write32(R.CFG_COMMAND, cmd & ~(R.CFG_COMMAND_MEMORY_SPACE | 1), be=0x3)
        orig0 = await self.cfg_read32(R.CFG_BAR0)
        await self.cfg_write32(R.CFG_BAR0, 0xFFFFFFFF)
        sz0 = await self.cfg_read32(R.CFG_BAR0)
        await self.cfg_write32(R.CFG_BAR0, orig0)
        is_io = bool(orig0 & 1)
        assert not is_io, f"BAR0 {orig0:#x} is an I/O BAR"
        is64 = ((orig0 >> 1) & 0x3) == 0b10
        prefetch = bool(orig0 & 0x8)
        mask = sz0 & 0xFFFFFFF0
        if is64:
            orig1 = await self.cfg_read32(R.CFG_BAR1)
            await self.cfg_write32(R.CFG_BAR1, 0xFFFFFFFF)
            sz1 = await self.cfg_read32(R.CFG_BAR1)
            await self.cfg_write32(R.CFG_BAR1, orig1)
            mask |= sz1 << 32
            size = ((~mask) & ((1 << 64) - 1)) + 1 if mask else 0
        else:
            size = ((~mask) & 0xFFFFFFFF) + 1 if mask else 0

        if size:
            assert bar0_base % size == 0, f"BAR0 base {bar0_base:#x} not aligned to size {size:#x}"
            assert is64 or bar0_base < 1 << 32, "32-bit BAR cannot take an address above 4 GiB"
            await self.cfg_write32(R.CFG_BAR0, bar0_base & 0xFFFFFFFF)
            if is64:
                await self.cfg_write32(R.CFG_BAR1, bar0_base >> 32)
        if enable:
            cmd = (cmd | R.CFG_COMMAND_MEMORY_SPACE | R.CFG_COMMAND_BUS_MASTER) & 0xFFFF
        await self.cfg_write32(R.CFG_COMMAND, cmd, be=0x3)

        return EnumInfo(vendor_id=vendor, device_id=dev_id, class_code=class_rev >> 8,
                        revision=class_rev & 0xFF, header_type=header_type, caps=caps,
                        bar0_size=size, bar0_64bit=is64, bar0_prefetchable=prefetch,
                        bar0_base=bar0_base if size else 0, bus=bus, device=device)
