# SPDX-License-Identifier: MIT
"""Software model of a device driver: programs MSI, MSI-X and IMS the way
Linux does (drivers/pci/msi/msi.c), through :class:`tb.host.Host`.

Everything is discovered from the device as a driver would: capabilities
from the enumeration, the MSI-X table/PBA from the capability's Offset/BIR
registers, the IMS table from the BAR0 registers IMS_OFFSET/IMS_SIZE/
IMS_LAYOUT.

Sequences:

* MSI-X (msix_capability_init): set MSI-X Enable with Function Mask, mask
  every entry, write each entry's ADDRESS/DATA while masked and read back
  to flush, clear Function Mask; ``unmask`` clears the entry's mask bit and
  reads back.
* MSI (msi_capability_init): mask all vectors, write ADDRESS/DATA and
  Multiple Message Enable, set MSI Enable and Command.INTx Disable, unmask.
* IMS (the device-defined store, layout version 2): like MSI-X entries,
  with the PASID fields in the entry's CTRL word; IMS_CTRL.Enable on.
* PASID (pci_enable_pasid): the PASID Extended Capability is found in the
  extended list; the first entry programmed with a PASID sets PASID
  Enable, as the IOMMU driver does before it hands out a PASID. A device
  without PASID (IMS_LAYOUT bit 16 clear) gets its entries without one.
"""

import dataclasses

from model import regs as R

# Registers of the MSI and MSI-X capabilities, relative to the capability
# (the driver finds the capability in the list, as Linux does)
MSI_ADDR_LO = R.CFG_MSI_ADDR - R.CAP_MSI
MSI_ADDR_HI = R.CFG_MSI_ADDR_HI - R.CAP_MSI
MSI_DATA = R.CFG_MSI_DATA - R.CAP_MSI
MSI_MASK = R.CFG_MSI_MASK - R.CAP_MSI
MSI_PENDING = R.CFG_MSI_PENDING - R.CAP_MSI
MSIX_TABLE = R.CFG_MSIX_TABLE - R.CAP_MSIX
MSIX_PBA = R.CFG_MSIX_PBA - R.CAP_MSIX


@dataclasses.dataclass
class Vector:
    """One programmed interrupt: where it lives and the pair it sends."""
    store: str          # "msi", "msix", "ims"
    index: int
    address: int
    data: int           # DATA as the device sends it (MSI: with the vector bits)
    pasid: int | None = None

    @property
    def pair(self):
        return (self.address, self.data)


class Driver:
    def __init__(self, host, info):
        """``info``: the :class:`tb.host.EnumInfo` of an enumerated device."""
        self.host = host
        self.info = info
        self.bar = info.bar0_base
        self.msi_cap = info.cap(R.CAP_ID_MSI)
        self.msix_cap = info.cap(R.CAP_ID_MSIX)
        self.msix_size = 0
        self.msix_table = None
        self.msix_pba = None
        self.ims_size = 0
        self.ims_table = None
        self.msi_mmc = 0
        self.msi_mme = 0
        self.pasid_cap = None       # offset of the PASID Extended Capability
        self.pasid_supported = False
        self.pasid_enabled = False

    # ------------------------------------------------------------------ discovery
    async def probe(self):
        """Read the stores' geometry from the device."""
        h = self.host
        if self.msix_cap is not None:
            ctrl = (await h.cfg_read32(self.msix_cap)) >> 16
            self.msix_size = (ctrl & R.CFG_MSIX_CTL_TABLE_SIZE) + 1
            tbl = await h.cfg_read32(self.msix_cap + MSIX_TABLE)
            pba = await h.cfg_read32(self.msix_cap + MSIX_PBA)
            assert tbl & 7 == 0 and pba & 7 == 0, "MSI-X table/PBA not in BAR0"
            self.msix_table = self.bar + (tbl & ~7)
            self.msix_pba = self.bar + (pba & ~7)
        if self.msi_cap is not None:
            ctrl = (await h.cfg_read32(self.msi_cap)) >> 16
            self.msi_mmc = (ctrl & R.CFG_MSI_CTL_MMC) >> R.CFG_MSI_CTL_MMC_SHIFT
            assert ctrl & R.CFG_MSI_CTL_64BIT, "MSI capability is not 64-bit capable"
        self.ims_size = await h.read32(self.bar + R.REG_IMS_SIZE)
        if self.ims_size:
            layout = await h.read32(self.bar + R.REG_IMS_LAYOUT)
            stride = (layout & R.REG_IMS_LAYOUT_STRIDE) >> R.REG_IMS_LAYOUT_STRIDE_SHIFT
            version = (layout & R.REG_IMS_LAYOUT_VERSION) >> R.REG_IMS_LAYOUT_VERSION_SHIFT
            assert stride == R.IMS_ENTRY_STRIDE and version == R.IMS_LAYOUT_VERSION, \
                f"IMS_LAYOUT {layout:#x}: unknown layout"
            self.ims_table = self.bar + await h.read32(self.bar + R.REG_IMS_OFFSET)
            self.pasid_supported = bool(layout & R.REG_IMS_LAYOUT_PASID)
        self.pasid_cap = await self.find_ext_cap(R.ECAP_ID_PASID)
        assert self.pasid_supported <= (self.pasid_cap is not None), \
            "IMS_LAYOUT says PASID is supported, but there is no PASID capability"
        return self

    async def find_ext_cap(self, cap_id):
        """pci_find_ext_capability: walk the extended list from 0x100."""
        ptr, seen = 0x100, set()
        while ptr and ptr not in seen:
            seen.add(ptr)
            hdr = await self.host.cfg_read32(ptr)
            if hdr & 0xFFFF == cap_id:
                return ptr
            ptr = hdr >> 20 & 0xFFC
        return None

    # ------------------------------------------------------------------ PASID
    async def pasid_enable(self, on=True):
        """pci_enable_pasid / pci_disable_pasid: PASID Control (the upper
        half of the capability's DW 1)."""
        assert self.pasid_cap is not None, "device has no PASID capability"
        await self.host.cfg_write32(self.pasid_cap + 4, int(on) << 16, be=0xC)
        self.pasid_enabled = on

    # ------------------------------------------------------------------ MSI-X
    def msix_entry(self, index):
        return self.msix_table + R.ENTRY_SIZE * index

    async def msix_set_ctrl(self, clear=0, set_=0):
        """pci_msix_clear_and_set_ctrl: read-modify-write Message Control."""
        h = self.host
        dw = await h.cfg_read32(self.msix_cap)
        ctrl = ((dw >> 16) & ~clear | set_) & 0xFFFF
        await h.cfg_write32(self.msix_cap, ctrl << 16, be=0xC)

    async def msix_enable(self, vectors):
        """msix_capability_init for (index, address, data) triples; entries
        stay masked (``unmask`` them as request_irq would)."""
        h = self.host
        await self.msix_set_ctrl(0, R.CFG_MSIX_CTL_FUNCTION_MASK | R.CFG_MSIX_CTL_ENABLE)
        out = []
        for index, address, data in vectors:
            out.append(await self.msix_write_msg(index, address, data))
        await self.msix_set_ctrl(R.CFG_MSIX_CTL_FUNCTION_MASK, 0)
        await h.cfg_read32(R.CFG_COMMAND)
        return out

    async def msix_write_msg(self, index, address, data):
        """__pci_write_msi_msg for MSI-X: mask, write, (restore), flush."""
        h = self.host
        e = self.msix_entry(index)
        ctrl = await h.read32(e + R.ENTRY_CTRL)
        if not ctrl & R.MSIX_ENTRY_CTRL_MASK:
            await h.write32(e + R.ENTRY_CTRL, ctrl | R.MSIX_ENTRY_CTRL_MASK)
        await h.write32(e + R.ENTRY_ADDR_LO, address & 0xFFFFFFFF)
        await h.write32(e + R.ENTRY_ADDR_HI, address >> 32)
        await h.write32(e + R.ENTRY_DATA, data)
        if not ctrl & R.MSIX_ENTRY_CTRL_MASK:
            await h.write32(e + R.ENTRY_CTRL, ctrl)
        await h.read32(e + R.ENTRY_DATA)          # flush
        return Vector("msix", index, address, data)

    async def msix_mask(self, index, masked=True):
        h = self.host
        e = self.msix_entry(index)
        await h.write32(e + R.ENTRY_CTRL, R.MSIX_ENTRY_CTRL_MASK if masked else 0)
        await h.read32(e + R.ENTRY_CTRL)          # flush

    async def msix_unmask(self, index):
        await self.msix_mask(index, False)

    async def msix_pending(self, index):
        qw = await self.host.read64(self.msix_pba + 8 * (index // 64))
        return bool((qw >> (index % 64)) & 1)

    # ------------------------------------------------------------------ MSI
    async def msi_enable(self, address, data, nvec=1):
        """msi_capability_init: ``nvec`` (power of two) vectors sharing one
        ADDRESS and DATA base; returns a Vector per allocated vector."""
        h = self.host
        cap = self.msi_cap
        mme = max(nvec - 1, 0).bit_length()
        assert 1 << mme == nvec, "nvec must be a power of two"
        mme = min(mme, self.msi_mmc)
        await h.cfg_write32(cap + MSI_MASK, (1 << (1 << mme)) - 1)   # mask all allocated
        dw = await h.cfg_read32(cap)
        ctrl = ((dw >> 16) & ~(7 << 4)) | (mme << 4)
        await h.cfg_write32(cap, ctrl << 16, be=0xC)
        await h.cfg_write32(cap + MSI_ADDR_LO, address & 0xFFFFFFFC)
        await h.cfg_write32(cap + MSI_ADDR_HI, address >> 32)
        await h.cfg_write32(cap + MSI_DATA, data & 0xFFFF, be=0x3)
        await h.cfg_write32(cap, (ctrl | R.CFG_MSI_CTL_ENABLE) << 16, be=0xC)
        cmd = await h.cfg_read32(R.CFG_COMMAND)
        await h.cfg_write32(R.CFG_COMMAND, (cmd | R.CFG_COMMAND_INTX_DISABLE) & 0xFFFF, be=0x3)
        self.msi_mme = mme
        n = 1 << mme
        base = data & 0xFFFF & ~(n - 1)
        return [Vector("msi", v, address, base | v) for v in range(n)]

    async def msi_set_enable(self, on):
        """Read-modify-write MSI Enable in Message Control (and read back)."""
        h = self.host
        ctrl = (await h.cfg_read32(self.msi_cap)) >> 16
        ctrl = (ctrl | R.CFG_MSI_CTL_ENABLE) if on else (ctrl & ~R.CFG_MSI_CTL_ENABLE)
        await h.cfg_write32(self.msi_cap, (ctrl & 0xFFFF) << 16, be=0xC)
        await h.cfg_read32(self.msi_cap)

    async def msi_set_mask(self, mask):
        await self.host.cfg_write32(self.msi_cap + MSI_MASK, mask)
        await self.host.cfg_read32(self.msi_cap + MSI_MASK)

    async def msi_pending_bits(self):
        return await self.host.cfg_read32(self.msi_cap + MSI_PENDING)

    # ------------------------------------------------------------------ IMS
    def ims_entry(self, index):
        return self.ims_table + R.ENTRY_SIZE * index

    async def ims_enable(self, on=True):
        await self.host.write32(self.bar + R.REG_IMS_CTRL, 1 if on else 0)
        await self.host.read32(self.bar + R.REG_IMS_CTRL)

    async def ims_write_msg(self, index, address, data, pasid=None):
        """Program an IMS entry while masked; it stays masked."""
        h = self.host
        e = self.ims_entry(index)
        await h.write32(e + R.ENTRY_CTRL, R.IMS_ENTRY_CTRL_MASK)
        await h.write32(e + R.ENTRY_ADDR_LO, address & 0xFFFFFFFF)
        await h.write32(e + R.ENTRY_ADDR_HI, address >> 32)
        await h.write32(e + R.ENTRY_DATA, data)
        ctrl = R.IMS_ENTRY_CTRL_MASK
        if not self.pasid_supported:
            pasid = None
        elif pasid is not None and not self.pasid_enabled:
            await self.pasid_enable()
        if pasid is not None:
            ctrl |= R.IMS_ENTRY_CTRL_PASID_EN | ((pasid << R.IMS_ENTRY_CTRL_PASID_SHIFT)
                                                 & R.IMS_ENTRY_CTRL_PASID)
        await h.write32(e + R.ENTRY_CTRL, ctrl)
        await h.read32(e + R.ENTRY_DATA)          # flush
        return Vector("ims", index, address, data, pasid)

    async def ims_mask(self, index, masked=True):
        h = self.host
        e = self.ims_entry(index)
        ctrl = await h.read32(e + R.ENTRY_CTRL)
        ctrl = ((ctrl & ~(R.IMS_ENTRY_CTRL_MASK | R.IMS_ENTRY_CTRL_PENDING))
                | (R.IMS_ENTRY_CTRL_MASK if masked else 0))
        await h.write32(e + R.ENTRY_CTRL, ctrl)
        await h.read32(e + R.ENTRY_CTRL)

    async def ims_unmask(self, index):
        await self.ims_mask(index, False)

    async def ims_pending(self, index):
        return bool(await self.host.read32(self.ims_entry(index) + R.ENTRY_CTRL) & R.IMS_ENTRY_CTRL_PENDING)

    # ------------------------------------------------------------------ pending state
    async def pending_slots(self, ims_indices=()):
        """Slots the device reports pending, as {(store, index)}: the whole
        MSI-X PBA, the MSI Pending Bits, and CTRL.PENDING of the IMS entries
        in ``ims_indices`` (reading a whole large IMS table is slow)."""
        h = self.host
        out = set()
        if self.msix_size:
            for q in range((self.msix_size + 63) // 64):
                qw = await h.read64(self.msix_pba + 8 * q)
                out |= {("msix", 64 * q + b) for b in range(64) if qw >> b & 1}
        if self.msi_cap is not None:
            bits = await self.msi_pending_bits()
            out |= {("msi", b) for b in range(32) if bits >> b & 1}
        for i in sorted(set(ims_indices)):
            if await self.ims_pending(i):
                out.add(("ims", i))
        return out

    # ------------------------------------------------------------------ counters
    async def counters(self):
        h = self.host
        return {"drop_range": await h.read32(self.bar + R.REG_DROP_RANGE),
                "drop_disabled": await h.read32(self.bar + R.REG_DROP_DISABLED),
                "msg_sent": await h.read32(self.bar + R.REG_MSG_SENT)}

    async def clear_counters(self):
        for reg in (R.REG_DROP_RANGE, R.REG_DROP_DISABLED, R.REG_MSG_SENT):
            await self.host.write32(self.bar + reg, 0)
