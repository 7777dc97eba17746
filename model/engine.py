# SPDX-License-Identifier: MIT
"""The interrupt rules (CONTRACT.md "Interrupt semantics", design.md 5).

The rules are pure functions of a :class:`GlobalState` (the function-wide
bits that gate interrupts) and a slot's :class:`~model.stores.SlotState`,
so the scoreboard can apply them to older states too (host writes reach
the RTL up to 8 cycles after the model sees them).  :class:`Engine` applies
them to the live stores.

Which eligible slot goes first (round robin) is deliberately not modelled:
the scoreboard accepts any eligible slot.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import tlp
from .params import IMS, MSI, MSIX, Params, Slot
from .stores import SlotState

ACCEPTED = "accepted"
DROP_RANGE = "drop_range"
DROP_DISABLED = "drop_disabled"


@dataclass(frozen=True)
class GlobalState:
    """Function-wide state the interrupt rules read."""

    bme: bool = False
    msi_enable: bool = False
    mme: int = 0
    msix_enable: bool = False
    function_mask: bool = False
    ims_enable: bool = False
    pasid_enable: bool = False
    d3hot: bool = False
    bus: int = 0
    device: int = 0

    @property
    def requester_id(self) -> int:
        """{Bus, Device, Function 0} (PCIe 2.2.6.2)."""
        return self.bus << 8 | self.device << 3


def route(params: Params, g: GlobalState, src: int, index: int) -> Slot | str:
    """Where an irq request goes: a Slot, DROP_RANGE or DROP_DISABLED."""
    if src:
        if params.ims_size and g.ims_enable:
            return Slot(IMS, index) if index < params.ims_size else DROP_RANGE
        return DROP_DISABLED
    if params.msix_table_size and g.msix_enable:
        return Slot(MSIX, index) if index < params.msix_table_size else DROP_RANGE
    if params.msi_vectors and g.msi_enable:
        # Only the 2**MME allocated vectors are in range (PCI LB 6.8.1.3).
        return Slot(MSI, index) if index < 1 << g.mme else DROP_RANGE
    return DROP_DISABLED


def store_enabled(g: GlobalState, store: str) -> bool:
    """May this store send?

    PCIe 7.7.1.2 (MSI Enable): "If Set and the MSI-X Enable bit in the MSI-X
    Message Control register is Clear, the Function is permitted to use MSI
    to request service"; 7.7.2.2 (MSI-X Enable) likewise with the roles
    swapped. So with both Enables set neither mechanism may send; their
    pending slots stay pending. MSI-X also needs the Function Mask clear
    (7.7.2.2). IMS is device-specific and gated by IMS_CTRL.Enable alone."""
    if store == MSI:
        return g.msi_enable and not g.msix_enable
    if store == MSIX:
        return g.msix_enable and not g.msi_enable and not g.function_mask
    return g.ims_enable


def why_not_eligible(g: GlobalState, slot: Slot, s: SlotState) -> str | None:
    """None when a pending slot in this state may be sent, else the reason."""
    if s.masked:
        return f"{slot} is masked"
    if slot.store == IMS and s.pasid_en and not g.pasid_enable:
        # PCIe 6.20.1: "A Function is not permitted to send and receive TLPs
        # with a PASID unless PASID Enable is Set"; the slot waits (design.md 5)
        return f"{slot} is PASID-tagged and PASID Enable is clear"
    if slot.store == MSI and not g.msi_enable:
        return "MSI Enable is clear"
    if slot.store == MSI and g.msix_enable:
        return "MSI-X Enable is set too (PCIe 7.7.1.2)"
    if slot.store == MSIX and not g.msix_enable:
        return "MSI-X Enable is clear"
    if slot.store == MSIX and g.msi_enable:
        return "MSI Enable is set too (PCIe 7.7.2.2)"
    if slot.store == MSIX and g.function_mask:
        return "the MSI-X Function Mask is set"
    if slot.store == IMS and not g.ims_enable:
        return "IMS_CTRL.Enable is clear"
    if not g.bme:
        return "Bus Master Enable is clear"
    if g.d3hot:
        # PCIe 5.3.1.4.1: a Function in D3hot "must not initiate any
        # Requests other than PME Messages"
        return "the function is in D3hot"
    return None


def message_data(g: GlobalState, slot: Slot, s: SlotState) -> int:
    """DATA of the message.  MSI: {16'h0, Message Data with bits MME-1:0
    replaced by the vector number} (PCI LB 6.8.3.4 / PCIe 7.7.1: the
    function modifies the low MME bits of Message Data)."""
    if slot.store != MSI:
        return s.data
    low = (1 << g.mme) - 1
    return (s.data & 0xFFFF & ~low) | (slot.index & low)


@dataclass(frozen=True)
class Message:
    """An interrupt message as the device must send it."""

    slot: Slot
    address: int
    data: int
    pasid: int | None
    requester_id: int

    def dws(self) -> list[int]:
        return tlp.build_mem_write(requester_id=self.requester_id,
                                   address=self.address, data=self.data,
                                   pasid=self.pasid)

    def __str__(self) -> str:
        p = f" PASID 0x{self.pasid:05x}" if self.pasid is not None else ""
        return f"{self.slot}: 0x{self.address:016x} <- 0x{self.data:08x}{p}"


def make_message(g: GlobalState, slot: Slot, s: SlotState) -> Message:
    pasid = s.pasid if slot.store == IMS and s.pasid_en else None
    return Message(slot, s.address, message_data(g, slot, s), pasid, g.requester_id)


class Engine:
    """Applies the rules to the live stores and counts events."""

    def __init__(self, params: Params, stores: dict, regs, state_fn):
        self.params = params
        self.stores = stores  # store name -> Store
        self.regs = regs  # DeviceRegs: the counters
        self.state = state_fn  # () -> GlobalState

    def accept(self, src: int, index: int) -> str:
        """An accepted irq request (irq_valid && irq_ready): set pending, or
        drop and count (design.md 5)."""
        where = route(self.params, self.state(), src, index)
        if isinstance(where, str):  # DROP_RANGE or DROP_DISABLED
            self.regs.count(where)
            return where
        self.stores[where.store].pending[where.index] = 1
        return ACCEPTED

    def slot_state(self, slot: Slot) -> SlotState:
        return self.stores[slot.store].slot_state(slot.index)

    def pending(self, slot: Slot) -> bool:
        return bool(self.stores[slot.store].pending[slot.index])

    def eligible(self, slot: Slot) -> bool:
        return self.pending(slot) and \
            why_not_eligible(self.state(), slot, self.slot_state(slot)) is None

    def pending_slots(self) -> list[Slot]:
        return [Slot(name, i) for name, st in self.stores.items()
                for i in st.pending_slots()]

    def eligible_slots(self) -> list[Slot]:
        return [s for s in self.pending_slots() if self.eligible(s)]

    def take(self, slot: Slot) -> Message:
        """Take an eligible slot for sending: capture ADDRESS/DATA (and PASID)
        at once, clear pending, count MSG_SENT."""
        if not self.eligible(slot):
            raise ValueError(f"{slot} is not eligible")
        msg = make_message(self.state(), slot, self.slot_state(slot))
        self.stores[slot.store].pending[slot.index] = 0
        self.regs.count("msg_sent")
        return msg
