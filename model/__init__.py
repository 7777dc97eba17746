# SPDX-License-Identifier: MIT
"""Reference model of ims_endpoint: plain Python, no cocotb.

It speaks for ../docs/design.md and the PCIe / PCI Local Bus specifications,
never for the RTL.  Transactions in, predictions out.
"""

from .device import DeviceModel
from .engine import (ACCEPTED, DROP_DISABLED, DROP_RANGE, GlobalState, Message,
                     message_data, route, why_not_eligible)
from .params import IMS, MSI, MSIX, Params, Slot
from .stores import ReadField, SlotState

__all__ = [
    "DeviceModel", "GlobalState", "Message", "Params", "Slot", "SlotState",
    "ReadField", "ACCEPTED", "DROP_RANGE", "DROP_DISABLED", "MSI", "MSIX", "IMS",
    "message_data", "route", "why_not_eligible",
]
