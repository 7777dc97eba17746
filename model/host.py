# SPDX-License-Identifier: MIT
"""A minimal host that talks to a :class:`~model.device.DeviceModel` through
TLPs (for unit tests of the model and the scoreboard).

It only builds requests and decodes completions; it asserts nothing about
their content, so the tests keep doing the checking.
"""

from __future__ import annotations

from . import regs as R
from . import tlp

HOST_ID = 0x0000  # requester ID of the host (root port)


class ModelHost:
    def __init__(self, dev, bar0: int = 0xF000_0000, sink=None):
        self.dev = dev
        self.bar0 = bar0
        self.tag = 0
        #: optional callable(dws) -> completion; default: dev.request
        self.sink = sink or dev.request
        self.bus = 1
        self.device = 0

    def _tag(self) -> int:
        self.tag = (self.tag + 1) & 0xFF
        return self.tag

    def send(self, dws: list[int]) -> tlp.Completion | None:
        cpl = self.sink(dws)
        return tlp.parse_completion(cpl) if cpl is not None else None

    # Configuration --------------------------------------------------------
    def cfg_read(self, reg: int, **kw) -> tlp.Completion | None:
        kw.setdefault("bus", self.bus)
        kw.setdefault("device", self.device)
        return self.send(tlp.build_cfg(False, register=reg, tag=self._tag(),
                                       requester_id=HOST_ID, **kw))

    def cfg_write(self, reg: int, value: int, first_be: int = 0xF, **kw) -> tlp.Completion | None:
        kw.setdefault("bus", self.bus)
        kw.setdefault("device", self.device)
        return self.send(tlp.build_cfg(True, register=reg, data=value, first_be=first_be,
                                       tag=self._tag(), requester_id=HOST_ID, **kw))

    def cfg_rd(self, reg: int) -> int:
        """Data of a successful CfgRd0."""
        c = self.cfg_read(reg)
        assert c is not None and c.status == tlp.CPL_SC and c.data, f"CfgRd0 0x{reg:x}: {c}"
        return c.data[0]

    # Memory (BAR0-relative) -----------------------------------------------
    def mem_read(self, offset: int, **kw) -> tlp.Completion | None:
        return self.send(tlp.mem_read(self.bar0 + offset, tag=self._tag(), **kw))

    def mem_write(self, offset: int, data, **kw) -> None:
        self.send(tlp.mem_write(self.bar0 + offset, data, tag=self._tag(), **kw))

    def rd(self, offset: int) -> int:
        c = self.mem_read(offset)
        assert c is not None and c.status == tlp.CPL_SC and c.data, f"MRd BAR0+0x{offset:x}: {c}"
        return c.data[0]

    # Bring-up ---------------------------------------------------------------
    def enumerate(self, bus: int = 1, device: int = 0, bme: bool = True) -> None:
        """Assign BAR0, capture bus/device, set Memory Space (and Bus Master) Enable."""
        self.bus, self.device = bus, device
        self.cfg_write(R.CFG_BAR0, self.bar0 & 0xFFFFFFFF)
        self.cfg_write(R.CFG_BAR1, self.bar0 >> 32)
        self.set_bme(bme)

    def set_bme(self, on: bool) -> None:
        self.cfg_write(R.CFG_COMMAND, R.CFG_COMMAND_MEMORY_SPACE
                       | (R.CFG_COMMAND_BUS_MASTER if on else 0))

    def msi_setup(self, address: int, data: int, mme: int = 0, enable: bool = True,
                  mask: int = 0) -> None:
        self.cfg_write(R.CFG_MSI_ADDR, address & 0xFFFFFFFF)
        self.cfg_write(R.CFG_MSI_ADDR_HI, address >> 32)
        self.cfg_write(R.CFG_MSI_DATA, data)
        self.cfg_write(R.CFG_MSI_MASK, mask)
        ctl = mme << R.CFG_MSI_CTL_MME_SHIFT | (R.CFG_MSI_CTL_ENABLE if enable else 0)
        self.cfg_write(R.CAP_MSI, ctl << 16, first_be=0b0100)   # Message Control: byte 2

    def msix_control(self, enable: bool = True, function_mask: bool = False) -> None:
        ctl = ((R.CFG_MSIX_CTL_ENABLE if enable else 0)
               | (R.CFG_MSIX_CTL_FUNCTION_MASK if function_mask else 0))
        self.cfg_write(R.CAP_MSIX, ctl << 16, first_be=0b1000)   # its byte 3

    def msix_entry(self, i: int, address: int, data: int, masked: bool = False) -> None:
        base = R.BAR0_MSIX_TABLE + R.ENTRY_SIZE * i
        self.mem_write(base + R.ENTRY_ADDR_LO, [address & 0xFFFFFFFF, address >> 32])
        self.mem_write(base + R.ENTRY_DATA, [data, R.MSIX_ENTRY_CTRL_MASK if masked else 0])

    def ims_enable(self, on: bool = True) -> None:
        self.mem_write(R.REG_IMS_CTRL, R.REG_IMS_CTRL_ENABLE if on else 0)

    def pasid_enable(self, on: bool = True) -> None:
        """PASID Control PASID Enable (the upper half of the DW at 0x14C)."""
        self.cfg_write(R.CFG_PASID_CAP, (R.CFG_PASID_CTL_ENABLE if on else 0) << 16,
                       first_be=0b1100)

    def ims_entry(self, i: int, address: int, data: int, masked: bool = False,
                  pasid: int | None = None) -> None:
        base = R.BAR0_IMS_TABLE + R.ENTRY_SIZE * i
        ctrl = R.IMS_ENTRY_CTRL_MASK if masked else 0
        if pasid is not None:
            ctrl |= R.IMS_ENTRY_CTRL_PASID_EN | pasid << R.IMS_ENTRY_CTRL_PASID_SHIFT
        self.mem_write(base + R.ENTRY_ADDR_LO, [address & 0xFFFFFFFF, address >> 32])
        self.mem_write(base + R.ENTRY_DATA, [data, ctrl])
