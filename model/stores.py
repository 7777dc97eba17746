# SPDX-License-Identifier: MIT
"""Interrupt Message Stores: where each slot's ADDRESS/DATA/mask live.

Three stores, one interface (CONTRACT.md "The idea it embodies"):

* :class:`MsiStore` - MSI vectors; ADDRESS/DATA/Mask Bits in the MSI
  capability of config space (design.md 3), per-vector pending bits.
* :class:`MsixStore` - the MSI-X table and PBA in BAR0 (design.md 4,
  PCIe 7.7.2).
* :class:`ImsStore` - the device-defined IMS table in BAR0 (layout v1, with
  PASID fields in CTRL).

Every store answers ``slot_state(i)`` with a :class:`SlotState` and keeps a
pending bit per slot.  The MSI-X and IMS tables are register tables
(one :class:`~model.regfile.Reg` per entry DW) over flat storage.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass

from . import regmap
from . import regs as R
from .config_space import ConfigSpace
from .params import IMS, MSI, MSIX, Slot
from .regfile import Reg, apply_write

ENTRY_BYTES = 16


@dataclass(frozen=True)
class SlotState:
    """What software programmed into a slot (pending is kept separately)."""

    address: int  # 64-bit, low 2 bits 0
    data: int  # stored DATA (for MSI: the 16-bit Message Data register)
    masked: bool
    pasid_en: bool = False
    pasid: int = 0


@dataclass(frozen=True)
class ReadField:
    """Bits of a read DW whose value depends on interrupt activity (or is
    undefined), for the scoreboard's tolerance.  kind: "pending" (key is a
    Slot), "counter" (key is the counter name), "undefined"."""

    dw: int
    mask: int
    kind: str
    key: object = None


class Store:
    name = ""

    def __init__(self, size: int):
        self.size = size
        self.pending = bytearray(size)

    def reset(self) -> None:
        self.pending = bytearray(self.size)

    def slot(self, index: int) -> Slot:
        return Slot(self.name, index)

    def slot_state(self, index: int) -> SlotState:  # pragma: no cover - abstract
        raise NotImplementedError

    def reset_slot_state(self, index: int) -> SlotState:  # pragma: no cover
        raise NotImplementedError

    def pending_slots(self) -> list[int]:
        return [i for i, p in enumerate(self.pending) if p]


class MsiStore(Store):
    """MSI vectors: one ADDRESS/DATA pair for all vectors (PCI LB 6.8.1),
    per-vector Mask Bits and Pending Bits (per-vector masking capable)."""

    name = MSI

    def __init__(self, size: int, cfg: ConfigSpace | None = None):
        super().__init__(size)
        self.cfg = cfg

    def pending_bits(self) -> int:
        v = 0
        for i, p in enumerate(self.pending):
            v |= p << i
        return v

    def slot_state(self, index: int) -> SlotState:
        c = self.cfg
        assert c is not None  # DeviceModel sets it once the config space exists
        return SlotState(address=c.msi_address, data=c.msi_data,
                         masked=bool(c.msi_mask_bits >> index & 1))

    def reset_slot_state(self, index: int) -> SlotState:
        # Mask Bits reset to 0 (design.md 3; PCI LB 6.8.1.7)
        return SlotState(address=0, data=0, masked=False)


# DW of an entry (the ENTRY_SIZE = 16-byte entries of both tables)
ADDR_LO, ADDR_HI, DATA, CTRL = (R.ENTRY_ADDR_LO // 4, R.ENTRY_ADDR_HI // 4, R.ENTRY_DATA // 4,
                                R.ENTRY_CTRL // 4)


def entry_regs(layout) -> tuple[Reg, ...]:
    """The four DWs of a table entry, from its layout in the register map."""
    assert [r.offset // 4 for r in layout] == [ADDR_LO, ADDR_HI, DATA, CTRL]
    return tuple(Reg(r.title, r.reset, rw=r.rw) for r in layout)


class TableStore(Store):
    """A table of 16-byte entries {addr lo, addr hi, data, control}."""

    ENTRY: tuple[Reg, ...] = ()

    def __init__(self, size: int):
        super().__init__(size)
        self._reset_entry = [r.reset for r in self.ENTRY]
        self.words = array("I", self._reset_entry * size)

    def reset(self) -> None:
        super().reset()
        self.words = array("I", self._reset_entry * self.size)

    def entry(self, index: int) -> list[int]:
        return list(self.words[4 * index:4 * index + 4])

    def read_dw(self, offset: int) -> int:
        """Read the DW at byte ``offset`` of the table window."""
        i, w = divmod(offset // 4, 4)
        if i >= self.size:
            return 0
        return self._read_word(i, w)

    def _read_word(self, i: int, w: int) -> int:
        return self.words[4 * i + w]

    def write_dw(self, offset: int, value: int, be: int = 0xF) -> int | None:
        """Write the DW at byte ``offset``; the entry index when it changed."""
        i, w = divmod(offset // 4, 4)
        if i >= self.size:
            return None
        old = self.words[4 * i + w]
        new = apply_write(self.ENTRY[w], old, value, be)
        self.words[4 * i + w] = new
        return i if new != old else None

    def read_fields(self, offset: int, dw: int) -> list[ReadField]:
        return []

    def _addr(self, i: int) -> int:
        return self.words[4 * i + ADDR_HI] << 32 | self.words[4 * i + ADDR_LO]


class MsixStore(TableStore):
    """MSI-X table (PCIe 7.7.2): Vector Control bit 0 Mask resets to 1;
    Message Address bits 1:0 are 0.  Address/data reset 0 (design.md 4;
    the spec leaves them undefined)."""

    name = MSIX
    ENTRY = entry_regs(regmap.MSIX_ENTRY)

    def slot_state(self, index: int) -> SlotState:
        return SlotState(address=self._addr(index), data=self.words[4 * index + DATA],
                         masked=bool(self.words[4 * index + CTRL] & R.MSIX_ENTRY_CTRL_MASK))

    def reset_slot_state(self, index: int) -> SlotState:
        return SlotState(address=0, data=0, masked=True)

    def pba_read(self, offset: int) -> int:
        """DW at byte ``offset`` of the PBA: bit i of the PBA is entry i's
        pending bit (QW at PBA + 8*(i/64), design.md 4).  RO."""
        base = (offset // 4) * 32
        v = 0
        for b in range(32):
            i = base + b
            if i >= self.size:
                break
            v |= self.pending[i] << b
        return v

    def pba_fields(self, offset: int, dw: int) -> list[ReadField]:
        base = (offset // 4) * 32
        return [ReadField(dw, 1 << b, "pending", Slot(MSIX, base + b))
                for b in range(32) if base + b < self.size]




class ImsStore(TableStore):
    """IMS table, layout version 2 (design.md 4): CTRL bit 0 MASK (reset 1),
    bit 1 PENDING (RO), bit 3 PASID_EN, bits 31:12 PASID."""

    name = IMS
    ENTRY = entry_regs(regmap.IMS_ENTRY)

    def __init__(self, size: int, pasid: bool = True):
        if not pasid:
            # PASID_CAP = 0: PASID_EN and PASID are RO 0 (design.md 4)
            ctrl = self.ENTRY[CTRL]
            self.ENTRY = self.ENTRY[:CTRL] + (
                Reg(ctrl.name, ctrl.reset,
                    rw=ctrl.rw & ~(R.IMS_ENTRY_CTRL_PASID_EN | R.IMS_ENTRY_CTRL_PASID)),)
        super().__init__(size)

    def _read_word(self, i: int, w: int) -> int:
        v = self.words[4 * i + w]
        if w == CTRL:
            v |= R.IMS_ENTRY_CTRL_PENDING if self.pending[i] else 0
        return v

    def read_fields(self, offset: int, dw: int) -> list[ReadField]:
        i, w = divmod(offset // 4, 4)
        if w == CTRL and i < self.size:
            return [ReadField(dw, R.IMS_ENTRY_CTRL_PENDING, "pending", Slot(IMS, i))]
        return []

    def slot_state(self, index: int) -> SlotState:
        ctrl = self.words[4 * index + CTRL]
        return SlotState(address=self._addr(index), data=self.words[4 * index + DATA],
                         masked=bool(ctrl & R.IMS_ENTRY_CTRL_MASK),
                         pasid_en=bool(ctrl & R.IMS_ENTRY_CTRL_PASID_EN),
                         pasid=(ctrl & R.IMS_ENTRY_CTRL_PASID) >> R.IMS_ENTRY_CTRL_PASID_SHIFT)

    def reset_slot_state(self, index: int) -> SlotState:
        return SlotState(address=0, data=0, masked=True)
