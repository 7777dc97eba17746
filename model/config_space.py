# SPDX-License-Identifier: MIT
"""Configuration space of function 0 (design.md section 3) as register tables.

Type 0 header, PCI Express capability (0x40), MSI capability (0x80, when
MSI_VECTORS > 0) and MSI-X capability (0xA0, when MSIX_TABLE_SIZE > 0).
Offsets 0x100-0xFFF (extended space) read 0 and ignore writes.
"""

from __future__ import annotations

from typing import Callable

from .params import Params
from .regfile import Reg, RegFile

VENDOR_ID = 0x1234
DEVICE_ID = 0x1135
REVISION_ID = 0x01
CLASS_CODE = 0x088000
SUBSYS_VENDOR_ID = 0x1234
SUBSYS_ID = 0x0001

PCIE_CAP = 0x40
MSI_CAP = 0x80
MSIX_CAP = 0xA0

CMD_MSE = 1 << 1
CMD_BME = 1 << 2
CMD_INTX_DISABLE = 1 << 10
STATUS_CAP_LIST = 1 << 4

BAR0_SIZE = 1 << 20  # 1 MiB
BAR0_MASK = (0xFFFFFFFF & ~(BAR0_SIZE - 1))  # bits 31:20 RW
BAR0_TYPE = 0b100  # bits 2:1 = 10b (64-bit), bit 0 = 0 memory, bit 3 = 0

MSIX_TABLE_OFFSET = 0x00010000
MSIX_PBA_OFFSET = 0x00018000

# Bits of the DW at MSI_CAP (Message Control is the upper half)
MSI_ENABLE = 1 << 16
MSI_MMC_SHIFT = 17
MSI_MME_SHIFT = 20
MSI_64BIT = 1 << 23
MSI_PVM = 1 << 24
# Bits of the DW at MSIX_CAP
MSIX_FUNCTION_MASK = 1 << 30
MSIX_ENABLE = 1 << 31


def _cap_header(cap_id: int, next_ptr: int, upper: int = 0) -> int:
    return upper << 16 | next_ptr << 8 | cap_id


def capability_chain(params: Params) -> list[int]:
    """Offsets of the present capabilities in list order."""
    chain = [PCIE_CAP]
    if params.msi_vectors:
        chain.append(MSI_CAP)
    if params.msix_table_size:
        chain.append(MSIX_CAP)
    return chain


def build_registers(params: Params) -> dict[int, Reg]:
    chain = capability_chain(params)
    nxt = {c: (chain[i + 1] if i + 1 < len(chain) else 0) for i, c in enumerate(chain)}
    regs = {
        0x00: Reg("Vendor ID / Device ID", DEVICE_ID << 16 | VENDOR_ID),
        0x04: Reg("Command / Status", STATUS_CAP_LIST << 16,
                  rw=CMD_MSE | CMD_BME | CMD_INTX_DISABLE),
        0x08: Reg("Revision ID / Class Code", CLASS_CODE << 8 | REVISION_ID),
        # Cache Line Size is RW with no effect in PCIe (7.5.1.1.7);
        # Latency Timer, Header Type 00h (Type 0, single function), BIST: 0.
        0x0C: Reg("Cache Line Size / Latency / Header Type / BIST", 0, rw=0xFF),
        # A 64-bit BAR: software writes all-ones and reads back the size
        # mask (PCI LB 6.2.5.1): 0xFFF00004 for 1 MiB.
        0x10: Reg("BAR0", BAR0_TYPE, rw=BAR0_MASK),
        0x14: Reg("BAR1", 0, rw=0xFFFFFFFF),
        0x2C: Reg("Subsystem Vendor ID / Subsystem ID",
                  SUBSYS_ID << 16 | SUBSYS_VENDOR_ID),
        0x34: Reg("Capabilities Pointer", chain[0]),
        0x3C: Reg("Interrupt Line / Pin", 0, rw=0xFF),
        # PCI Express capability, version 2, Device/Port Type 0000b (endpoint)
        0x40: Reg("PCIe Capability header", _cap_header(0x10, nxt[PCIE_CAP], 0x0002)),
        0x44: Reg("Device Capabilities", 0x00008000),
        0x48: Reg("Device Control / Status", 0x2810, rw=0x78FF),
        0x4C: Reg("Link Capabilities", 0x00000011),
        0x50: Reg("Link Control / Status", 0x0011 << 16, rw=0x00CB),
        0x6C: Reg("Link Capabilities 2", 0x00000002),
        0x70: Reg("Link Control 2 / Status 2", 0x00000001),
    }
    if params.msi_vectors:
        mmc = params.mmc

        def clamp_mme(old: int, new: int) -> int:
            # design.md 3: a written MME above MMC is stored as MMC
            # (PCI LB 6.8.1.3 leaves values above MMC undefined).
            mme = (new >> MSI_MME_SHIFT) & 7
            if mme > mmc:
                new = (new & ~(7 << MSI_MME_SHIFT)) | mmc << MSI_MME_SHIFT
            return new

        mc = mmc << MSI_MMC_SHIFT | MSI_64BIT | MSI_PVM
        regs.update({
            MSI_CAP: Reg("MSI Capability header / Message Control",
                         _cap_header(0x05, nxt[MSI_CAP]) | mc,
                         rw=MSI_ENABLE | 7 << MSI_MME_SHIFT, write_hook=clamp_mme),
            MSI_CAP + 0x4: Reg("MSI Message Address", 0, rw=0xFFFFFFFC),
            MSI_CAP + 0x8: Reg("MSI Message Upper Address", 0, rw=0xFFFFFFFF),
            MSI_CAP + 0xC: Reg("MSI Message Data", 0, rw=0x0000FFFF),
            MSI_CAP + 0x10: Reg("MSI Mask Bits", 0, rw=(1 << params.msi_vectors) - 1),
            MSI_CAP + 0x14: Reg("MSI Pending Bits", 0),  # value from the store
        })
    if params.msix_table_size:
        regs.update({
            MSIX_CAP: Reg("MSI-X Capability header / Message Control",
                          _cap_header(0x11, nxt[MSIX_CAP], params.msix_table_size - 1),
                          rw=MSIX_FUNCTION_MASK | MSIX_ENABLE),
            MSIX_CAP + 0x4: Reg("MSI-X Table Offset / BIR", MSIX_TABLE_OFFSET),
            MSIX_CAP + 0x8: Reg("MSI-X PBA Offset / BIR", MSIX_PBA_OFFSET),
        })
    return regs


class ConfigSpace:
    """Function 0's configuration space; ``read``/``write`` take byte offsets."""

    def __init__(self, params: Params,
                 msi_pending: Callable[[], int] | None = None):
        self.params = params
        hooks = {}
        if params.msi_vectors and msi_pending is not None:
            hooks[MSI_CAP + 0x14] = lambda _v: msi_pending()
        self.regs = RegFile(build_registers(params), hooks)

    def reset(self) -> None:
        self.regs.reset()

    def read(self, offset: int) -> int:
        if offset >= 0x100:  # no extended capabilities (design.md 2)
            return 0
        return self.regs.read(offset & ~3)

    def write(self, offset: int, value: int, be: int = 0xF) -> bool:
        if offset >= 0x100:
            return False
        return self.regs.write(offset & ~3, value, be)

    def _get(self, off: int) -> int:
        return self.regs.get(off) if off in self.regs else 0

    # Decoded fields -----------------------------------------------------
    @property
    def command(self) -> int:
        return self._get(0x04) & 0xFFFF

    @property
    def memory_space_enable(self) -> bool:
        return bool(self.command & CMD_MSE)

    @property
    def bus_master_enable(self) -> bool:
        return bool(self.command & CMD_BME)

    @property
    def bar0_base(self) -> int:
        """{BAR1, BAR0[31:20], 20'h0} (design.md 2)."""
        return self._get(0x14) << 32 | (self._get(0x10) & BAR0_MASK)

    @property
    def msi_enable(self) -> bool:
        return bool(self._get(MSI_CAP) & MSI_ENABLE)

    @property
    def msi_mme(self) -> int:
        return (self._get(MSI_CAP) >> MSI_MME_SHIFT) & 7

    @property
    def msi_address(self) -> int:
        return self._get(MSI_CAP + 0x8) << 32 | self._get(MSI_CAP + 0x4)

    @property
    def msi_data(self) -> int:
        return self._get(MSI_CAP + 0xC) & 0xFFFF

    @property
    def msi_mask_bits(self) -> int:
        return self._get(MSI_CAP + 0x10)

    @property
    def msix_enable(self) -> bool:
        return bool(self._get(MSIX_CAP) & MSIX_ENABLE)

    @property
    def msix_function_mask(self) -> bool:
        return bool(self._get(MSIX_CAP) & MSIX_FUNCTION_MASK)
