# SPDX-License-Identifier: MIT
"""The device: request handling (design.md 2), BAR0 decode (design.md 4)
and the interrupt engine (design.md 5) over config space and the stores.

Transactions in, predictions out::

    dev = DeviceModel(msi_vectors=4, msix_table_size=64, ims_size=256)
    cpl = dev.request(tlp_dws)     # expected completion DWs, or None
    dev.last_error                 # the error it logged ("ur", ...) or None
    dev.last_messages              # the ERR_* Msg TLPs it makes the device send
    dev.irq(src=0, index=3)        # "accepted" / "drop_range" / "drop_disabled"
    dev.eligible_slots()           # slots the engine may send now
    msg = dev.take(slot)           # the message it must send for that slot

The model applies a host write the moment it sees the request; the RTL
may take up to 8 cycles (design.md 5), which the scoreboard allows for.
"""

from __future__ import annotations

from . import device_regs as dr
from . import errors
from . import regs as R
from . import tlp
from .config_space import ConfigSpace
from .engine import Engine, GlobalState, Message
from .params import IMS, MSI, MSIX, Params, Slot
from .stores import ImsStore, MsiStore, MsixStore, ReadField, SlotState

MSIX_TABLE = (R.BAR0_MSIX_TABLE, R.BAR0_MSIX_TABLE_END)
MSIX_PBA = (R.BAR0_MSIX_PBA, R.BAR0_MSIX_PBA_END)
IMS_TABLE = (R.BAR0_IMS_TABLE, R.BAR0_IMS_TABLE_END)
MSI_CAP_END = R.CFG_MSI_PENDING + 4


class DeviceModel:
    def __init__(self, msi_vectors: int = 0, msix_table_size: int = 0,
                 ims_size: int = 0, data_width: int = 64, pasid_cap: bool = True):
        self.params = Params(msi_vectors, msix_table_size, ims_size, data_width,
                             bool(pasid_cap))
        self.msi = MsiStore(msi_vectors)
        self.cfg = ConfigSpace(self.params, msi_pending=self.msi.pending_bits)
        self.msi.cfg = self.cfg
        self.error_regs = errors.ErrorRegisters(self.cfg, prefixes=self.params.pasid_cap)
        self.msix = MsixStore(msix_table_size)
        self.ims = ImsStore(ims_size, pasid=self.params.pasid_cap)
        self.regs = dr.DeviceRegs(self.params)
        self.stores = {MSI: self.msi, MSIX: self.msix, IMS: self.ims}
        self.engine = Engine(self.params, self.stores, self.regs, self.global_state)
        self.reset()

    @classmethod
    def from_params(cls, p: dict) -> DeviceModel:
        """From a dict of HDL parameters (tests/configs.py)."""
        return cls(p.get("MSI_VECTORS", 0), p.get("MSIX_TABLE_SIZE", 0),
                   p.get("IMS_SIZE", 0), p.get("DATA_WIDTH", 64), p.get("PASID_CAP", 1))

    # ------------------------------------------------------------------
    def reset(self) -> None:
        self.cfg.reset()
        self.regs.reset()
        for s in self.stores.values():
            s.reset()
        self.bus = 0
        self.device = 0
        self._clear_last()

    def _clear_last(self) -> None:
        #: decoded rx TLP of the last request() (None if undecodable)
        self.last_tlp: tlp.Request | None = None
        #: how the last request was handled, e.g. "UR: MRd outside BAR0"
        self.last_note = ""
        #: slots whose ADDRESS/DATA/mask/PASID the last request may have changed
        self.last_touched: set[Slot] = set()
        #: the last request changed some device state
        self.last_changed = False
        #: counters the last request cleared
        self.last_cleared: set[str] = set()
        #: volatile bits of the last completion's payload (scoreboard tolerance)
        self.last_read_fields: list[ReadField] = []
        #: the error the last request logged (model/errors.py key) or None
        self.last_error: str | None = None
        #: what logging it did (advisory, logged, message), or None
        self.last_outcome: errors.Outcome | None = None
        #: Error Message TLPs the last request makes the function send, in order
        self.last_messages: list[list[int]] = []
        #: the last request started a Function Level Reset (applied at once)
        self.last_flr = False

    @property
    def completer_id(self) -> int:
        return self.bus << 8 | self.device << 3

    def global_state(self) -> GlobalState:
        c = self.cfg
        p = self.params
        return GlobalState(
            bme=c.bus_master_enable,
            msi_enable=bool(p.msi_vectors) and c.msi_enable,
            mme=c.msi_mme if p.msi_vectors else 0,
            msix_enable=bool(p.msix_table_size) and c.msix_enable,
            function_mask=bool(p.msix_table_size) and c.msix_function_mask,
            ims_enable=bool(p.ims_size) and self.regs.ims_enable,
            pasid_enable=self.cfg.pasid_enable,
            d3hot=c.d3hot, bus=self.bus, device=self.device)

    # ------------------------------------------------------------------
    # Interrupts
    def irq(self, src: int, index: int) -> str:
        """An accepted irq handshake; "accepted", "drop_range" or "drop_disabled"."""
        return self.engine.accept(src, index)

    def slot_state(self, slot: Slot) -> SlotState:
        return self.engine.slot_state(slot)

    def reset_slot_state(self, slot: Slot) -> SlotState:
        return self.stores[slot.store].reset_slot_state(slot.index)

    def slots(self, store: str) -> range:
        return range(self.params.size(store))

    def expected_pending(self) -> set[Slot]:
        return set(self.engine.pending_slots())

    def eligible_slots(self) -> list[Slot]:
        return self.engine.eligible_slots()

    def take(self, slot: Slot) -> Message:
        return self.engine.take(slot)

    def set_pending(self, slot: Slot, value: bool) -> None:
        self.stores[slot.store].pending[slot.index] = int(bool(value))

    def count(self, name: str) -> None:
        """Count one event on counter ``name`` (drop_range, drop_disabled, msg_sent)."""
        self.regs.count(name)

    @property
    def counters(self) -> dict[str, int]:
        return {n: self.regs.counter(n) for n in dr.COUNTERS}

    # ------------------------------------------------------------------
    # Register access by offset (no TLP)
    def config_read(self, offset: int) -> int:
        return self.cfg.read(offset)

    def config_write(self, offset: int, value: int, be: int = 0xF) -> None:
        if self.cfg.write(offset, value, be):
            self.last_changed = True
        if self.params.msi_vectors and R.CAP_MSI <= offset < MSI_CAP_END:
            self.last_touched.update(Slot(MSI, i) for i in range(self.params.msi_vectors))

    def bar_read(self, offset: int) -> int:
        """DW at byte ``offset`` of BAR0."""
        offset &= ~3
        if offset < dr.WINDOW:
            return self.regs.read(offset)
        if MSIX_TABLE[0] <= offset < MSIX_TABLE[1]:
            return self.msix.read_dw(offset - MSIX_TABLE[0])
        if MSIX_PBA[0] <= offset < MSIX_PBA[1]:
            return self.msix.pba_read(offset - MSIX_PBA[0])
        if IMS_TABLE[0] <= offset < IMS_TABLE[1]:
            return self.ims.read_dw(offset - IMS_TABLE[0])
        return 0

    def bar_read_fields(self, offset: int, dw: int) -> list[ReadField]:
        offset &= ~3
        for name, off in dr.COUNTERS.items():
            if offset == off:
                return [ReadField(dw, 0xFFFFFFFF, "counter", name)]
        if MSIX_PBA[0] <= offset < MSIX_PBA[1]:
            return self.msix.pba_fields(offset - MSIX_PBA[0], dw)
        if IMS_TABLE[0] <= offset < IMS_TABLE[1]:
            return self.ims.read_fields(offset - IMS_TABLE[0], dw)
        return []

    def bar_write(self, offset: int, value: int, be: int = 0xF) -> None:
        offset &= ~3
        touched = None
        if offset < dr.WINDOW:
            if self.regs.write(offset, value, be):
                self.last_changed = True
            for name, off in dr.COUNTERS.items():
                if offset == off and be:
                    self.last_cleared.add(name)
        elif MSIX_TABLE[0] <= offset < MSIX_TABLE[1]:
            touched = self.msix.write_dw(offset - MSIX_TABLE[0], value, be)
            if touched is not None:
                self.last_touched.add(Slot(MSIX, touched))
        elif IMS_TABLE[0] <= offset < IMS_TABLE[1]:
            touched = self.ims.write_dw(offset - IMS_TABLE[0], value, be)
            if touched is not None:
                self.last_touched.add(Slot(IMS, touched))
        # The PBA is RO; other offsets ignore writes.
        if touched is not None:
            self.last_changed = True

    # ------------------------------------------------------------------
    # Requests
    def bar0_hit(self, address: int) -> bool:
        base = self.cfg.bar0_base
        return base <= address < base + R.BAR0_SIZE

    def request(self, dws: list[int]) -> list[int] | None:
        """Apply one rx TLP; the expected completion DWs, or None when no
        completion is due (posted, dropped, or malformed).

        Afterwards ``last_error`` names the error it logged (model/errors.py
        keys, None for none) and ``last_messages`` holds the Error Message
        it makes the function send (0 or 1 TLPs, after the completion)."""
        self._clear_last()
        dws = list(dws)
        cpl = self._decode(dws)
        r, err = self.last_tlp, self.last_error
        if r is not None and err != errors.MALFORMED:
            self.error_regs.status_for_tlp(poisoned_with_data=r.has_data and bool(r.ep),
                                       completer_abort=err == errors.CA)
        if err is not None:
            # A UR or CA is "completed" exactly when the request gets a
            # completion: every erroneous non-posted request that is not
            # malformed is completed with it (design.md 2).
            out = self.error_regs.log_error(err, dws, completed=cpl is not None)
            self.last_outcome = out
            if out.message is not None:
                self.last_messages.append(tlp.build_error_message(
                    out.message, requester_id=self.completer_id))
        return cpl

    def _error(self, error: str, note: str) -> None:
        self.last_error = error
        self.last_note = note

    def _malformed(self, why: str) -> None:
        # Malformed TLPs are discarded, never completed (PCIe 2.3, 2.2.7;
        # design.md 2): not even a non-posted request gets a UR.
        self._error(errors.MALFORMED, f"malformed: {why}")
        return None

    def _decode(self, dws: list[int]) -> list[int] | None:
        try:
            r = tlp.parse_request(dws)
        except tlp.TlpError as e:
            self._malformed(str(e))
            return None
        self.last_tlp = r
        if r.prefixes:
            why = self._prefix_malformed(r.prefixes)
            if why:
                self._malformed(why)
                return None
        if r.wire_dws < 2:
            self._malformed("header without DW1")
            return None
        if r.fmt > tlp.FMT_4DW_DATA:
            self._malformed(f"reserved Fmt {r.fmt:03b}b")
            return None
        if not r.length_ok:
            self._malformed(f"{r.wire_dws} DWs, header says {r.expected_dws}")
            return None
        t = r.type
        if t in (tlp.TYPE_CFG0, tlp.TYPE_CFG1, tlp.TYPE_IO) and \
                (r.is_4dw or r.length_field != 1):
            # Configuration and I/O requests are 3DW with Length 1
            # (PCIe 2.2.7 rules for I/O and Configuration Requests).
            self._malformed(f"Type {t:05b}b in {r.header_dws}DW, Length {r.length}")
            return None
        if r.prefixes and t not in (tlp.TYPE_CPL, tlp.TYPE_CPL_LOCKED):
            why = self._prefix_unsupported(r)
            if why:
                return self._prefix_ur(r, why)
        if r.is_message:
            if r.message_code == tlp.MSG_VENDOR_DEFINED_TYPE0:
                # A receiver that does not implement Vendor_Defined Type 0
                # handles it as an Unsupported Request (PCIe 2.2.8.6).
                self._error(errors.UR, "UR (posted): Vendor_Defined Type 0 message")
            else:
                self.last_note = f"dropped: message code 0x{r.message_code:02x}"
            return None
        if t in (tlp.TYPE_CPL, tlp.TYPE_CPL_LOCKED):
            # This function never sends a non-posted request, so every
            # completion is unexpected (PCIe 2.3.2).  The design table
            # names Type 0101xb: CplLk/CplDLk are completions too.
            self._error(errors.UC, "dropped: Unexpected Completion")
            return None
        if r.has_data and t == tlp.TYPE_MEM:
            self._memory_write(r)
            return None
        if r.has_data and t not in tlp.NON_POSTED_WITH_DATA:
            self._error(errors.UR, f"UR (posted): Type {t:05b}b with data")
            return None
        # Non-posted from here: exactly one completion.
        if t == tlp.TYPE_CFG0:
            return self._config(r)
        if t == tlp.TYPE_MEM and not r.has_data:
            return self._memory_read(r)
        if t == tlp.TYPE_MEM_LOCKED and not r.has_data:
            # A completion for MRdLk is CplLk (PCIe 2.2.9 / Table 2-3:
            # "CplLk - Completion for Locked Memory Read without Data, used
            # only in error case"); an endpoint answers MRdLk with UR.
            return self._memory_completion(r, tlp.CPL_UR, "UR: MRdLk", locked=True)
        if t in tlp.ATOMIC_TYPES and r.has_data:
            return self._atomic_ur(r, f"UR: AtomicOp Type {t:05b}b")
        return self._ur(r, f"UR: Fmt {r.fmt:03b}b Type {t:05b}b")

    def _atomic_ur(self, r: tlp.Request, note: str) -> list[int]:
        # "For AtomicOp Completions, the Byte Count value must equal the
        # associated AtomicOp operand size in bytes" (PCIe 2.2.9); CAS
        # carries two operands (compare and swap) in its payload.
        self._error(errors.UR, note)
        size = r.length * 4 // (2 if r.type == tlp.TYPE_CAS else 1)
        return self._completion(r, tlp.CPL_UR, byte_count=size)

    # TLP prefixes (design.md 2 "TLP prefixes"; PCIe 2.2.10) ----------------
    def _prefix_malformed(self, prefixes: list[int]) -> str | None:
        """Why the prefixes make the TLP Malformed, or None."""
        if not self.params.pasid_cap:
            # Extended Fmt Field Supported, no End-End TLP Prefix support:
            # "It is an error to receive a TLP with an End-End TLP Prefix by
            # a Receiver that does not support End-End TLP Prefixes. A TLP
            # in violation of this rule is handled as a Malformed TLP"
            # (2.2.10.4); a Local prefix is of a type this function does not
            # support, Malformed with Extended Fmt set (2.2.10.2).
            return f"TLP prefix 0x{prefixes[0]:08x}: this function supports none"
        if not prefixes[0] & tlp.PREFIX_END_END:
            return f"Local TLP Prefix 0x{prefixes[0]:08x} of a type not supported (2.2.10.2)"
        if len(prefixes) > 1:
            # More End-End prefixes than Max End-End TLP Prefixes (1), or a
            # Local prefix after an End-End one (2.2.10.4, 2.2.10.2)
            return f"{len(prefixes)} TLP prefixes: Max End-End TLP Prefixes is 1"
        return None

    def _prefix_unsupported(self, r: tlp.Request) -> str | None:
        """Why the one End-End prefix makes the request an Unsupported
        Request, or None (the request is handled as without it)."""
        p = r.prefixes[0]
        if p & tlp.PASID_PREFIX_MASK != tlp.PASID_PREFIX:
            # "an unsupported End-End TLP Prefix type ... as an Unsupported
            # Request" (2.2.10.4)
            return f"End-End TLP Prefix 0x{p:08x} of a type not supported"
        if not self.cfg.pasid_enable:
            # 6.20.2.2: "Endpoints that support PASID must signal
            # Unsupported Request (UR) when they receive a TLP with a PASID
            # and the PASID Enable bit is Clear"
            return "PASID prefix while PASID Enable is clear"
        if not (r.type == tlp.TYPE_MEM or (r.type in tlp.ATOMIC_TYPES and r.has_data)):
            # 6.20: a PASID is permitted on memory requests (and ATS
            # messages this function does not take); "PASID is not
            # permitted on any other type of TLP" (design.md 2: UR)
            return f"PASID prefix on Fmt {r.fmt:03b}b Type {r.type:05b}b"
        return None

    def _prefix_ur(self, r: tlp.Request, why: str) -> list[int] | None:
        """The request as an Unsupported Request: completed with UR when
        non-posted, as the RTL completes each kind (Byte Count of the read
        or AtomicOp), dropped and logged when posted."""
        t = r.type
        if r.is_message or (r.has_data and t not in tlp.NON_POSTED_WITH_DATA):
            self._error(errors.UR, f"UR (posted): {why}")
            return None
        if t in (tlp.TYPE_MEM, tlp.TYPE_MEM_LOCKED) and not r.has_data:
            return self._memory_completion(r, tlp.CPL_UR, f"UR: {why}",
                                           locked=t == tlp.TYPE_MEM_LOCKED)
        if t in tlp.ATOMIC_TYPES and r.has_data:
            return self._atomic_ur(r, f"UR: {why}")
        return self._ur(r, f"UR: {why}")

    def _completion(self, r: tlp.Request, status: int, *, byte_count: int = 4,
                    lower_address: int = 0, data: list[int] | None = None,
                    locked: bool = False) -> list[int]:
        return tlp.build_completion(
            completer_id=self.completer_id, requester_id=r.requester_id, tag=r.tag,
            status=status, byte_count=byte_count, lower_address=lower_address,
            tc=r.tc, attr=r.attr, data=data, locked=locked)

    def _ur(self, r: tlp.Request, note: str) -> list[int]:
        # Completions other than for memory reads: Byte Count 4, Lower
        # Address 0 (PCIe 2.2.9).
        self._error(errors.UR, note)
        return self._completion(r, tlp.CPL_UR)

    def _config(self, r: tlp.Request) -> list[int]:
        write = r.has_data
        kind = "CfgWr0" if write else "CfgRd0"
        if r.function != 0:
            return self._ur(r, f"UR: {kind} to function {r.function}")
        if write and r.ep:
            # A poisoned Configuration Write is not performed and is
            # completed with UR (PCIe 2.7.2.2).
            return self._ur(r, "UR: poisoned CfgWr0")
        if not write:
            self.last_note = f"CfgRd0 0x{r.register:03x}"
            if self.params.msi_vectors and r.register == R.CFG_MSI_PENDING:
                self.last_read_fields = [
                    ReadField(0, 1 << i, "pending", Slot(MSI, i))
                    for i in range(self.params.msi_vectors)]
            return self._completion(r, tlp.CPL_SC, data=[self.cfg.read(r.register)])
        self.last_note = f"CfgWr0 0x{r.register:03x}"
        self.config_write(r.register, r.payload[0], r.first_be)
        if r.register == R.CFG_DEV_CTL and r.first_be & 0b0010 and \
                r.payload[0] & R.CFG_DEV_CTL_INITIATE_FLR:
            # Initiate Function Level Reset (design.md 3, PCIe 6.6.2): the
            # write completes as usual, then the function resets.
            self.function_level_reset()
            self.last_note += ": Initiate FLR"
        # Capture Bus and Device Number from every Type 0 config write this
        # function completes (PCIe 2.2.6.2); the completion of that write
        # already carries them (its Completer ID is the requested BDF).
        if (self.bus, self.device) != (r.bus, r.device):
            self.last_changed = True
        self.bus, self.device = r.bus, r.device
        return self._completion(r, tlp.CPL_SC)

    def function_level_reset(self) -> None:
        """FLR (design.md 3 "Function Level Reset", PCIe 6.6.2): the
        function's state back to reset but what PCIe 6.6.2 keeps: Link
        Control, Max_Payload_Size, the sticky AER registers and the captured
        Bus and Device Number.  The model applies it at the write; the RTL
        after the write's completion (the scoreboard allows for that)."""
        kept = {off: self.cfg.regs.get(off) for off in self.cfg.regs.regs
                if R.CFG_AER <= off < R.ECAP_PASID}     # AER, not PASID Control
        link_ctl = self.cfg.regs.get(R.CFG_LINK_CTL)
        mps = self.cfg.regs.get(R.CFG_DEV_CTL) & R.CFG_DEV_CTL_MPS
        self.cfg.reset()
        self.regs.reset()
        for st in self.stores.values():
            st.reset()
        for off, v in kept.items():
            self.cfg.regs.set(off, v)
        self.cfg.regs.set(R.CFG_LINK_CTL, link_ctl)
        dev_ctl = self.cfg.regs.get(R.CFG_DEV_CTL)
        self.cfg.regs.set(R.CFG_DEV_CTL, dev_ctl & ~R.CFG_DEV_CTL_MPS | mps)
        self.last_flr = True
        self.last_changed = True
        self.last_cleared.update(dr.COUNTERS)

    def _bar_access_ok(self, r: tlp.Request) -> bool:
        """Length 1, or Length 2 with the address QW aligned (design.md 2, 4)."""
        return r.length_field == 1 or (r.length_field == 2 and r.address % 8 == 0)

    def _memory_write(self, r: tlp.Request) -> None:
        # The order is the precedence of PCIe 6.2.3.2.3 as the design table
        # has it: UR before CA before Poisoned TLP Received.
        if not self.cfg.memory_space_enable:
            self._error(errors.UR, "UR (posted): MWr with Memory Space Enable clear or in D3hot")
        elif not self.bar0_hit(r.address):
            self._error(errors.UR, f"UR (posted): MWr to 0x{r.address:x} outside BAR0")
        elif not self._bar_access_ok(r):
            self._error(errors.CA, "CA (posted): MWr Length/alignment not supported")
        elif r.ep:
            # Not performed (PCIe 2.7.2.2); advisory by default (6.2.3.2.4.3)
            self._error(errors.POISONED, "dropped: poisoned MWr")
        else:
            off = r.address - self.cfg.bar0_base
            self.last_note = f"MWr BAR0+0x{off:05x}"
            for k in range(r.length_field):
                self.bar_write(off + 4 * k, r.payload[k], r.first_be if k == 0 else r.last_be)

    def _memory_completion(self, r: tlp.Request, status: int, note: str,
                           data: list[int] | None = None,
                           locked: bool = False) -> list[int]:
        # Memory read completions (SC, UR or CA; design.md 2): Byte Count =
        # the request's byte count (PCIe 2.2.9, 2.3.1.1, Table 2-38); Lower
        # Address = address[6:2] and the first enabled byte (Table 2-39).
        self.last_note = note
        if status != tlp.CPL_SC:
            self.last_error = errors.UR if status == tlp.CPL_UR else errors.CA
        bc = tlp.request_byte_count(r.length, r.first_be, r.last_be)
        la = (r.address & 0x7C) | tlp.lower_address_bits(r.first_be)
        return self._completion(r, status, byte_count=max(bc, 1), lower_address=la,
                                data=data, locked=locked)

    def _memory_read(self, r: tlp.Request) -> list[int]:
        if not self.cfg.memory_space_enable:
            return self._memory_completion(r, tlp.CPL_UR, "UR: MRd with Memory Space Enable "
                                           "clear or in D3hot")
        if not self.bar0_hit(r.address):
            return self._memory_completion(r, tlp.CPL_UR, f"UR: MRd 0x{r.address:x} outside BAR0")
        if not self._bar_access_ok(r):
            return self._memory_completion(r, tlp.CPL_CA,
                                           f"CA: MRd Length {r.length} at 0x{r.address:x}")
        off = r.address - self.cfg.bar0_base
        data = [self.bar_read(off + 4 * k) for k in range(r.length_field)]
        fields: list[ReadField] = []
        if r.length_field == 1 and r.first_be == 0:
            # Zero-length read: one DW whose content is not specified (PCIe 2.2.5).
            fields.append(ReadField(0, 0xFFFFFFFF, "undefined"))
        else:
            for k in range(r.length_field):
                fields += self.bar_read_fields(off + 4 * k, k)
        self.last_read_fields = fields
        return self._memory_completion(r, tlp.CPL_SC, f"MRd BAR0+0x{off:05x}", data=data)
