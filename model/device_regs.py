# SPDX-License-Identifier: MIT
"""Device registers at BAR0 + 0x000 (design.md 4) as a register table."""

from __future__ import annotations

from .params import Params
from .regfile import Reg, RegFile

ID = 0x000
VERSION = 0x004
SCRATCH = 0x008
DATA_WIDTH = 0x00C
MSI_VECTORS = 0x010
MSIX_TABLE_SIZE = 0x014
IMS_SIZE = 0x020
IMS_OFFSET = 0x024
IMS_LAYOUT = 0x028
IMS_CTRL = 0x02C
DROP_RANGE = 0x030
DROP_DISABLED = 0x034
MSG_SENT = 0x038

COUNTERS = {"drop_range": DROP_RANGE, "drop_disabled": DROP_DISABLED,
            "msg_sent": MSG_SENT}
COUNTER_MAX = 0xFFFFFFFF

ID_VALUE = 0x494D5345  # "IMSE"
VERSION_VALUE = 0x00010000
IMS_TABLE_OFFSET = 0x00080000
IMS_ENTRY_STRIDE = 16
IMS_LAYOUT_VERSION = 1
IMS_LAYOUT_PASID = 1 << 16
IMS_CTRL_ENABLE = 1 << 0

WINDOW = 0x1000  # the device registers occupy BAR0 0x00000-0x00FFF


def build_registers(params: Params) -> dict[int, Reg]:
    ims = params.ims_size > 0
    layout = (IMS_LAYOUT_PASID | IMS_LAYOUT_VERSION << 8 | IMS_ENTRY_STRIDE) if ims else 0
    return {
        ID: Reg("ID", ID_VALUE),
        VERSION: Reg("VERSION", VERSION_VALUE),
        SCRATCH: Reg("SCRATCH", 0, rw=0xFFFFFFFF),
        DATA_WIDTH: Reg("DATA_WIDTH", params.data_width),
        MSI_VECTORS: Reg("MSI_VECTORS", params.msi_vectors),
        MSIX_TABLE_SIZE: Reg("MSIX_TABLE_SIZE", params.msix_table_size),
        IMS_SIZE: Reg("IMS_SIZE", params.ims_size),
        IMS_OFFSET: Reg("IMS_OFFSET", IMS_TABLE_OFFSET if ims else 0),
        IMS_LAYOUT: Reg("IMS_LAYOUT", layout),
        # Without an IMS table there is nothing to enable: RO 0 (design.md 4)
        IMS_CTRL: Reg("IMS_CTRL", 0, rw=IMS_CTRL_ENABLE if ims else 0),
        DROP_RANGE: Reg("DROP_RANGE", 0, write_clears=True),
        DROP_DISABLED: Reg("DROP_DISABLED", 0, write_clears=True),
        MSG_SENT: Reg("MSG_SENT", 0, write_clears=True),
    }


class DeviceRegs(RegFile):
    def __init__(self, params: Params):
        super().__init__(build_registers(params))

    @property
    def ims_enable(self) -> bool:
        return bool(self.get(IMS_CTRL) & IMS_CTRL_ENABLE)

    def count(self, name: str) -> None:
        """One counted event; counters saturate (design.md 4)."""
        off = COUNTERS[name]
        self.set(off, min(self.get(off) + 1, COUNTER_MAX))

    def counter(self, name: str) -> int:
        return self.get(COUNTERS[name])
