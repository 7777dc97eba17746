# SPDX-License-Identifier: MIT
"""Device registers at BAR0 + 0x000 (design.md 4) as a register table.

Offsets, access and reset values come from the register map
(model/regmap.py, as the constants of model/regs.py); what depends on the
parameters is filled in here.
"""

from __future__ import annotations

from . import regs as R
from .params import Params
from .regfile import Reg, RegFile

COUNTERS = {"drop_range": R.REG_DROP_RANGE, "drop_disabled": R.REG_DROP_DISABLED,
            "msg_sent": R.REG_MSG_SENT}
COUNTER_MAX = 0xFFFFFFFF

WINDOW = R.BAR0_DEV_REGS_END  # the device registers occupy BAR0 0x00000-0x00FFF


def build_registers(params: Params) -> dict[int, Reg]:
    ims = params.ims_size > 0
    layout = ((R.REG_IMS_LAYOUT_PASID if params.pasid_cap else 0)
              | R.IMS_LAYOUT_VERSION << R.REG_IMS_LAYOUT_VERSION_SHIFT
              | R.IMS_ENTRY_STRIDE << R.REG_IMS_LAYOUT_STRIDE_SHIFT) if ims else 0
    return {
        R.REG_ID: Reg("ID", R.REG_ID_VALUE),
        R.REG_VERSION: Reg("VERSION", R.REG_VERSION_VALUE),
        R.REG_SCRATCH: Reg("SCRATCH", R.REG_SCRATCH_RESET, rw=R.REG_SCRATCH_RW),
        R.REG_DATA_WIDTH: Reg("DATA_WIDTH", params.data_width),
        R.REG_MSI_VECTORS: Reg("MSI_VECTORS", params.msi_vectors),
        R.REG_MSIX_TABLE_SIZE: Reg("MSIX_TABLE_SIZE", params.msix_table_size),
        R.REG_IMS_SIZE: Reg("IMS_SIZE", params.ims_size),
        R.REG_IMS_OFFSET: Reg("IMS_OFFSET", R.BAR0_IMS_TABLE if ims else 0),
        R.REG_IMS_LAYOUT: Reg("IMS_LAYOUT", layout),
        # Without an IMS table there is nothing to enable: RO 0 (design.md 4)
        R.REG_IMS_CTRL: Reg("IMS_CTRL", R.REG_IMS_CTRL_RESET,
                            rw=R.REG_IMS_CTRL_RW if ims else 0),
        R.REG_DROP_RANGE: Reg("DROP_RANGE", 0, write_clears=True),
        R.REG_DROP_DISABLED: Reg("DROP_DISABLED", 0, write_clears=True),
        R.REG_MSG_SENT: Reg("MSG_SENT", 0, write_clears=True),
    }


class DeviceRegs(RegFile):
    def __init__(self, params: Params):
        super().__init__(build_registers(params))

    @property
    def ims_enable(self) -> bool:
        return bool(self.get(R.REG_IMS_CTRL) & R.REG_IMS_CTRL_ENABLE)

    def count(self, name: str) -> None:
        """One counted event; counters saturate (design.md 4)."""
        off = COUNTERS[name]
        self.set(off, min(self.get(off) + 1, COUNTER_MAX))

    def counter(self, name: str) -> int:
        return self.get(COUNTERS[name])
