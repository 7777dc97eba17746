# SPDX-License-Identifier: MIT
"""IMS interrupts from a cocotbext-pcie RootComplex, as Linux gives them.

Linux reaches a device-defined Interrupt Message Store through a
per-device MSI domain (``pci_create_ims_domain()``): the driver supplies an
irq_chip that can write a message into a store entry and mask/unmask it;
the core allocates an interrupt (``msi_domain_alloc_irq_at()``), composes
its message from the parent (platform) domain, writes it into the entry
while the entry is masked (``irq_write_msi_msg``, at activation), and
unmasks it when the interrupt is started (``request_irq()`` ->
``irq_unmask``). :class:`ImsDomain` does the same against this device's
IMS table (docs/design.md section 4), with the RootComplex's MSI region as
the parent domain: each interrupt gets a fresh ``MsiVector`` from
``rc.msi_alloc_vectors()``, so its messages arrive at the RootComplex
like MSI/MSI-X ones (``vector.event``, ``vector.cb``).

Everything is discovered through BAR0 as a driver would: IMS_SIZE,
IMS_OFFSET and IMS_LAYOUT (stride 16, layout version 2), and IMS_CTRL's
enable bit is set when the domain is created. A PASID comes from the
IOMMU (an SVA bind), which first enables PASID in the function's PASID
Extended Capability (``pci_enable_pasid()``: only when Device
Capabilities 2 says End-End TLP Prefixes are supported): :meth:`enable_pasid`.
"""

import dataclasses

from cocotbext.pcie.core.caps import PciCapId, PciExtCapId

from model import regs as R


@dataclasses.dataclass
class ImsIrq:
    """One IMS interrupt: its entry, the RootComplex vector it sends, its PASID."""
    index: int
    vector: object          # cocotbext.pcie.core.msi.MsiVector
    pasid: int | None = None
    ctrl: int = R.IMS_ENTRY_CTRL_MASK   # the entry's CTRL as last written (driver's shadow)

    @property
    def address(self):
        return self.vector.addr

    @property
    def data(self):
        return self.vector.data

    @property
    def event(self):
        return self.vector.event

    @property
    def masked(self):
        return bool(self.ctrl & R.IMS_ENTRY_CTRL_MASK)


class ImsDomain:
    """Per-device MSI domain for the IMS table of one enumerated function.

    ``rc``: the RootComplex; ``dev``: its ``PciDevice`` for the function
    (``rc.find_device(...)``), enumerated, memory decoding enabled.
    """

    def __init__(self, rc, dev, bar=0):
        self.rc = rc
        self.dev = dev
        self.bar = dev.bar_window[bar]
        self.size = 0
        self.table = None
        self.pasid_supported = False
        self.pasid_cap = None       # PASID Extended Capability offset
        self.pasid_enabled = False
        self.irqs = {}              # index -> ImsIrq

    async def create(self):
        """pci_create_ims_domain(): find the table, enable the store."""
        self.size = await self.bar.read_dword(R.REG_IMS_SIZE)
        assert self.size, "device has no IMS table (IMS_SIZE reads 0)"
        layout = await self.bar.read_dword(R.REG_IMS_LAYOUT)
        stride = (layout & R.REG_IMS_LAYOUT_STRIDE) >> R.REG_IMS_LAYOUT_STRIDE_SHIFT
        version = (layout & R.REG_IMS_LAYOUT_VERSION) >> R.REG_IMS_LAYOUT_VERSION_SHIFT
        assert stride == R.IMS_ENTRY_STRIDE and version == R.IMS_LAYOUT_VERSION, \
            f"IMS_LAYOUT {layout:#x}: not the layout this domain knows (stride 16, version 2)"
        self.pasid_supported = bool(layout & R.REG_IMS_LAYOUT_PASID)
        # (the RootComplex walked the extended list when it enumerated)
        self.pasid_cap = self.dev.get_capability_offset(PciExtCapId.PASID)
        self.table = await self.bar.read_dword(R.REG_IMS_OFFSET)
        await self.bar.write_dword(R.REG_IMS_CTRL, R.REG_IMS_CTRL_ENABLE)
        assert await self.bar.read_dword(R.REG_IMS_CTRL) & R.REG_IMS_CTRL_ENABLE, \
            "IMS_CTRL.Enable did not stick"
        return self

    async def enable_pasid(self, on=True):
        """pci_enable_pasid() / pci_disable_pasid(): PASID Control's PASID
        Enable (capability + 6); enabling needs End-End TLP Prefix
        Supported in Device Capabilities 2 (PCIe cap + 0x24, bit 21)."""
        assert self.pasid_cap is not None, "function has no PASID capability"
        if on:
            pcie = self.dev.get_capability_offset(PciCapId.EXP)
            devcap2 = await self.dev.config_read_dword(pcie + R.CFG_DEV_CAP2 - R.CFG_PCIE)
            assert devcap2 & R.CFG_DEV_CAP2_E2E_PREFIX, \
                "Device Capabilities 2: no End-End TLP Prefix support, PASID cannot be enabled"
        await self.dev.config_write_word(self.pasid_cap + 6, int(on))
        ctl = await self.dev.config_read_word(self.pasid_cap + 6)
        assert ctl & 1 == int(on), f"PASID Control reads {ctl:#x} after writing {int(on)}"
        self.pasid_enabled = on

    def entry(self, index):
        return self.table + R.ENTRY_SIZE * index

    # ------------------------------------------------------------------ irq_chip
    async def _write_ctrl(self, irq, ctrl):
        irq.ctrl = ctrl & ~R.IMS_ENTRY_CTRL_PENDING
        await self.bar.write_dword(self.entry(irq.index) + R.ENTRY_CTRL, irq.ctrl)
        await self.bar.read_dword(self.entry(irq.index) + R.ENTRY_CTRL)     # flush posted writes

    async def mask(self, irq):
        await self._write_ctrl(irq, irq.ctrl | R.IMS_ENTRY_CTRL_MASK)

    async def unmask(self, irq):
        await self._write_ctrl(irq, irq.ctrl & ~R.IMS_ENTRY_CTRL_MASK)

    async def write_msg(self, irq):
        """irq_write_msi_msg: the entry is masked while ADDRESS/DATA change."""
        e = self.entry(irq.index)
        ctrl = R.IMS_ENTRY_CTRL_MASK
        if irq.pasid is not None:
            assert self.pasid_supported, "IMS_LAYOUT says PASID is not supported"
            assert self.pasid_cap is not None, "IMS_LAYOUT has PASID, the function no capability"
            ctrl |= R.IMS_ENTRY_CTRL_PASID_EN | ((irq.pasid << R.IMS_ENTRY_CTRL_PASID_SHIFT)
                                                 & R.IMS_ENTRY_CTRL_PASID)
        await self.bar.write_dword(e + R.ENTRY_CTRL, ctrl)
        irq.ctrl = ctrl
        await self.bar.write_dword(e + R.ENTRY_ADDR_LO, irq.address & 0xFFFFFFFC)
        await self.bar.write_dword(e + R.ENTRY_ADDR_HI, irq.address >> 32)
        await self.bar.write_dword(e + R.ENTRY_DATA, irq.data)
        await self.bar.read_dword(e + R.ENTRY_DATA)                         # flush

    async def pending(self, irq):
        return bool(await self.bar.read_dword(self.entry(irq.index) + R.ENTRY_CTRL)
                    & R.IMS_ENTRY_CTRL_PENDING)

    # ------------------------------------------------------------------ domain
    async def alloc_irq(self, index=None, pasid=None):
        """msi_domain_alloc_irq_at(): a free entry (or ``index``), a new
        RootComplex vector, the message written while masked. The interrupt
        stays masked until :meth:`request_irq`."""
        if index is None:
            index = next((i for i in range(self.size) if i not in self.irqs), None)
            assert index is not None, f"all {self.size} IMS entries are in use"
        assert 0 <= index < self.size and index not in self.irqs, f"IMS entry {index} not free"
        # a PASID comes from an SVA bind, which enables PASID first; a tagged
        # entry would otherwise wait (design.md 5) and never interrupt
        assert pasid is None or self.pasid_enabled, \
            "alloc_irq with a PASID while PASID is disabled: call enable_pasid() first"
        (vector,) = self.rc.msi_alloc_vectors(1)
        irq = ImsIrq(index, vector, pasid)
        self.irqs[index] = irq
        await self.write_msg(irq)
        return irq

    async def request_irq(self, irq, handler=None):
        """request_irq(): optional handler (a coroutine function, as
        cocotbext-pcie's ``MsiVector.cb``), then unmask."""
        if handler is not None:
            irq.vector.cb.append(handler)
        await self.unmask(irq)

    async def free_irq(self, irq):
        """free_irq() + msi_domain_free_irqs(): mask, forget the entry."""
        await self.mask(irq)
        irq.vector.cb.clear()
        del self.irqs[irq.index]
