# SPDX-License-Identifier: MIT
"""A minimal host that talks to a :class:`~model.device.DeviceModel` through
TLPs (for unit tests of the model and the scoreboard).

It only builds requests and decodes completions; it asserts nothing about
their content, so the tests keep doing the checking.
"""

from __future__ import annotations

from . import tlp
from .config_space import MSI_CAP, MSIX_CAP

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
    def cfg_read(self, reg: int, **kw) -> tlp.Completion:
        kw.setdefault("bus", self.bus)
        kw.setdefault("device", self.device)
        return self.send(tlp.build_cfg(False, register=reg, tag=self._tag(),
                                       requester_id=HOST_ID, **kw))

    def cfg_write(self, reg: int, value: int, first_be: int = 0xF, **kw) -> tlp.Completion:
        kw.setdefault("bus", self.bus)
        kw.setdefault("device", self.device)
        return self.send(tlp.build_cfg(True, register=reg, data=value, first_be=first_be,
                                       tag=self._tag(), requester_id=HOST_ID, **kw))

    def cfg_rd(self, reg: int) -> int:
        """Data of a successful CfgRd0."""
        c = self.cfg_read(reg)
        assert c.status == tlp.CPL_SC and c.data, f"CfgRd0 0x{reg:x}: {c}"
        return c.data[0]

    # Memory (BAR0-relative) -----------------------------------------------
    def mem_read(self, offset: int, **kw) -> tlp.Completion:
        return self.send(tlp.mem_read(self.bar0 + offset, tag=self._tag(), **kw))

    def mem_write(self, offset: int, data, **kw) -> None:
        self.send(tlp.mem_write(self.bar0 + offset, data, tag=self._tag(), **kw))

    def rd(self, offset: int) -> int:
        c = self.mem_read(offset)
        assert c.status == tlp.CPL_SC and c.data, f"MRd BAR0+0x{offset:x}: {c}"
        return c.data[0]

    # Bring-up ---------------------------------------------------------------
    def enumerate(self, bus: int = 1, device: int = 0, bme: bool = True) -> None:
        """Assign BAR0, capture bus/device, set Memory Space (and Bus Master) Enable."""
        self.bus, self.device = bus, device
        self.cfg_write(0x10, self.bar0 & 0xFFFFFFFF)
        self.cfg_write(0x14, self.bar0 >> 32)
        self.cfg_write(0x04, 0x2 | (0x4 if bme else 0))

    def set_bme(self, on: bool) -> None:
        self.cfg_write(0x04, 0x2 | (0x4 if on else 0))

    def msi_setup(self, address: int, data: int, mme: int = 0, enable: bool = True,
                  mask: int = 0) -> None:
        self.cfg_write(MSI_CAP + 0x4, address & 0xFFFFFFFF)
        self.cfg_write(MSI_CAP + 0x8, address >> 32)
        self.cfg_write(MSI_CAP + 0xC, data)
        self.cfg_write(MSI_CAP + 0x10, mask)
        self.cfg_write(MSI_CAP, (mme << 4 | int(enable)) << 16, first_be=0b0100)

    def msix_control(self, enable: bool = True, function_mask: bool = False) -> None:
        self.cfg_write(MSIX_CAP, (int(enable) << 31) | (int(function_mask) << 30),
                       first_be=0b1000)

    def msix_entry(self, i: int, address: int, data: int, masked: bool = False) -> None:
        base = 0x10000 + 16 * i
        self.mem_write(base, [address & 0xFFFFFFFF, address >> 32])
        self.mem_write(base + 8, [data, int(masked)])

    def ims_enable(self, on: bool = True) -> None:
        self.mem_write(0x02C, int(on))

    def ims_entry(self, i: int, address: int, data: int, masked: bool = False,
                  pasid: int | None = None) -> None:
        base = 0x80000 + 16 * i
        ctrl = int(masked) | ((4 | pasid << 12) if pasid is not None else 0)
        self.mem_write(base, [address & 0xFFFFFFFF, address >> 32])
        self.mem_write(base + 8, [data, ctrl])
