# SPDX-License-Identifier: MIT
"""Configuration registers of a PCI Express endpoint function, field by
field, as the PCI Express Base Specification (r6.x) defines them: the
compliance suite's oracle.

Written from the specification's register tables, not from this project's
register map or reference model (tests/test_compliance_independent.py
checks that nothing here imports model/). Device-specific values (IDs,
sizes) are not checked here; what the specification fixes is:

* the attribute of every field: ``RO`` (read-only; includes HwInit, whose
  value the device chooses), ``RW``, ``RW1C``, ``RsvdP`` / ``RsvdZ``
  (reserved: reads 0 in this device, writes have no effect), ``RW0``
  (RW when the function supports the feature, else permitted to be
  hardwired to 0: either is accepted, but it must be one of the two),
  ``RWL`` (RW for the values software is permitted to write only; the
  suite writes those in a check of its own);
* the reset (default) value where the specification gives one (``None``:
  implementation specific);
* a value the field must have (``must``), e.g. Capabilities List = 1.

Offsets are within the register's structure: the Type 0 header (base 0)
or a capability (base = where the capability list points). A field is
(name, dword offset, lsb, width, attribute, reset, must, section).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    name: str
    offset: int         # byte offset of the DW holding the field, in its structure
    lsb: int            # bit in that DW
    width: int
    attr: str           # RO RW RW1C RsvdP RsvdZ RW0 RWL
    reset: int | None = None
    must: int | None = None
    section: str = ""

    @property
    def mask(self) -> int:
        return ((1 << self.width) - 1) << self.lsb


F = Field

# Type 0 configuration space header (PCIe 7.5.1)
HEADER = (
    F("Vendor ID", 0x00, 0, 16, "RO", section="7.5.1.1.1"),
    F("Device ID", 0x00, 16, 16, "RO", section="7.5.1.1.2"),
    # Command (7.5.1.1.3)
    F("I/O Space Enable", 0x04, 0, 1, "RW0", 0, section="7.5.1.1.3"),
    F("Memory Space Enable", 0x04, 1, 1, "RW", 0, section="7.5.1.1.3"),
    F("Bus Master Enable", 0x04, 2, 1, "RW", 0, section="7.5.1.1.3"),
    F("Special Cycle Enable", 0x04, 3, 1, "RO", 0, 0, "7.5.1.1.3"),
    F("Memory Write and Invalidate", 0x04, 4, 1, "RO", 0, 0, "7.5.1.1.3"),
    F("VGA Palette Snoop", 0x04, 5, 1, "RO", 0, 0, "7.5.1.1.3"),
    F("Parity Error Response", 0x04, 6, 1, "RW", 0, section="7.5.1.1.3"),
    F("IDSEL Stepping/Wait Cycle Control", 0x04, 7, 1, "RO", 0, 0, "7.5.1.1.3"),
    F("SERR# Enable", 0x04, 8, 1, "RW", 0, section="7.5.1.1.3"),
    F("Fast Back-to-Back Transactions Enable", 0x04, 9, 1, "RO", 0, 0, "7.5.1.1.3"),
    F("Interrupt Disable", 0x04, 10, 1, "RW0", 0, section="7.5.1.1.3"),
    F("Command reserved", 0x04, 11, 5, "RsvdP", 0, section="7.5.1.1.3"),
    # Status (7.5.1.1.4)
    F("Immediate Readiness", 0x04, 16, 1, "RO", section="7.5.1.1.4"),
    F("Status reserved 2:1", 0x04, 17, 2, "RsvdZ", 0, section="7.5.1.1.4"),
    F("Interrupt Status", 0x04, 19, 1, "RO", 0, section="7.5.1.1.4"),
    F("Capabilities List", 0x04, 20, 1, "RO", 1, 1, "7.5.1.1.4: hardwired to 1b"),
    F("66 MHz Capable", 0x04, 21, 1, "RO", 0, 0, "7.5.1.1.4"),
    F("Status reserved 6", 0x04, 22, 1, "RsvdZ", 0, section="7.5.1.1.4"),
    F("Fast Back-to-Back Transactions Capable", 0x04, 23, 1, "RO", 0, 0, "7.5.1.1.4"),
    F("Master Data Parity Error", 0x04, 24, 1, "RW1C", 0, section="7.5.1.1.4"),
    F("DEVSEL Timing", 0x04, 25, 2, "RO", 0, 0, "7.5.1.1.4"),
    F("Signaled Target Abort", 0x04, 27, 1, "RW1C", 0, section="7.5.1.1.4"),
    F("Received Target Abort", 0x04, 28, 1, "RW1C", 0, section="7.5.1.1.4"),
    F("Received Master Abort", 0x04, 29, 1, "RW1C", 0, section="7.5.1.1.4"),
    F("Signaled System Error", 0x04, 30, 1, "RW1C", 0, section="7.5.1.1.4"),
    F("Detected Parity Error", 0x04, 31, 1, "RW1C", 0, section="7.5.1.1.4"),
    F("Revision ID", 0x08, 0, 8, "RO", section="7.5.1.1.5"),
    F("Class Code", 0x08, 8, 24, "RO", section="7.5.1.1.6"),
    F("Cache Line Size", 0x0C, 0, 8, "RW", 0, section="7.5.1.1.7: RW, no effect"),
    F("Latency Timer", 0x0C, 8, 8, "RO", 0, 0, "7.5.1.1.8: hardwired to 00h"),
    F("Header Type (layout)", 0x0C, 16, 7, "RO", 0, 0, "7.5.1.1.9: Type 0"),
    F("Multi-Function Device", 0x0C, 23, 1, "RO", 0, 0, "7.5.1.1.9: a single function"),
    F("BIST", 0x0C, 24, 8, "RO", 0, section="7.5.1.1.10: 0 when BIST is not supported"),
    F("Cardbus CIS Pointer", 0x28, 0, 32, "RO", 0, section="7.5.1.2.2"),
    F("Subsystem Vendor ID", 0x2C, 0, 16, "RO", section="7.5.1.2.3"),
    F("Subsystem ID", 0x2C, 16, 16, "RO", section="7.5.1.2.3"),
    F("Expansion ROM Base Address", 0x30, 0, 32, "RO", 0,
      section="7.5.1.2.4: hardwired to 0 without an expansion ROM"),
    F("Capabilities Pointer", 0x34, 0, 8, "RO", section="7.5.1.1.11"),
    F("Header reserved 0x34", 0x34, 8, 24, "RsvdP", 0, section="7.5.1.2"),
    F("Header reserved 0x38", 0x38, 0, 32, "RsvdP", 0, section="7.5.1.2"),
    F("Interrupt Line", 0x3C, 0, 8, "RW", section="7.5.1.1.13"),
    F("Interrupt Pin", 0x3C, 8, 8, "RO", section="7.5.1.1.14"),
    F("Min_Gnt", 0x3C, 16, 8, "RO", 0, 0, "7.5.1.2.5: hardwired to 00h"),
    F("Max_Lat", 0x3C, 24, 8, "RO", 0, 0, "7.5.1.2.6: hardwired to 00h"),
)

# PCI Express Capability structure (PCIe 7.5.3), an Endpoint's registers.
PCIE_CAP_ID = 0x10
PCIE_CAP_LENGTH = 0x3C
PCIE_CAP = (
    F("Capability ID", 0x00, 0, 8, "RO", PCIE_CAP_ID, PCIE_CAP_ID, "7.5.3.1"),
    F("Capability Version", 0x00, 16, 4, "RO", 2, 2, "7.5.3.2: 2h"),
    F("Device/Port Type", 0x00, 20, 4, "RO", 0, 0, "7.5.3.2: 0000b PCI Express Endpoint"),
    F("Slot Implemented", 0x00, 24, 1, "RO", 0, 0, "7.5.3.2: Endpoints hardwire 0"),
    F("Device Capabilities", 0x04, 0, 32, "RO", section="7.5.3.3"),
    # Device Control (7.5.3.4)
    F("Correctable Error Reporting Enable", 0x08, 0, 1, "RW", 0, section="7.5.3.4"),
    F("Non-Fatal Error Reporting Enable", 0x08, 1, 1, "RW", 0, section="7.5.3.4"),
    F("Fatal Error Reporting Enable", 0x08, 2, 1, "RW", 0, section="7.5.3.4"),
    F("Unsupported Request Reporting Enable", 0x08, 3, 1, "RW", 0, section="7.5.3.4"),
    F("Enable Relaxed Ordering", 0x08, 4, 1, "RW0", 1, section="7.5.3.4: default 1b"),
    F("Max_Payload_Size", 0x08, 5, 3, "RW", 0, section="7.5.3.4: default 000b"),
    F("Extended Tag Field Enable", 0x08, 8, 1, "RW0", section="7.5.3.4"),
    F("Phantom Functions Enable", 0x08, 9, 1, "RW0", 0, section="7.5.3.4"),
    F("Aux Power PM Enable", 0x08, 10, 1, "RW0", 0, section="7.5.3.4"),
    F("Enable No Snoop", 0x08, 11, 1, "RW0", 1, section="7.5.3.4: default 1b"),
    F("Max_Read_Request_Size", 0x08, 12, 3, "RW", 0b010, section="7.5.3.4: default 010b"),
    # Device Status (7.5.3.5)
    F("Correctable Error Detected", 0x08, 16, 1, "RW1C", 0, section="7.5.3.5"),
    F("Non-Fatal Error Detected", 0x08, 17, 1, "RW1C", 0, section="7.5.3.5"),
    F("Fatal Error Detected", 0x08, 18, 1, "RW1C", 0, section="7.5.3.5"),
    F("Unsupported Request Detected", 0x08, 19, 1, "RW1C", 0, section="7.5.3.5"),
    F("AUX Power Detected", 0x08, 20, 1, "RO", section="7.5.3.5"),
    F("Transactions Pending", 0x08, 21, 1, "RO", section="7.5.3.5"),
    F("Link Capabilities", 0x0C, 0, 22, "RO", section="7.5.3.6"),
    F("ASPM Optionality Compliance", 0x0C, 22, 1, "RO", 1, 1,
      "7.5.3.6: must be set to 1b in all Functions"),
    # Link Control (7.5.3.7): the fields an Endpoint has
    F("ASPM Control", 0x10, 0, 2, "RW0", 0, section="7.5.3.7"),
    F("Read Completion Boundary", 0x10, 3, 1, "RW0", 0, section="7.5.3.7"),
    F("Common Clock Configuration", 0x10, 6, 1, "RW", 0, section="7.5.3.7"),
    F("Extended Synch", 0x10, 7, 1, "RW", 0, section="7.5.3.7"),
    F("Link Status (Endpoint: RO)", 0x10, 16, 16, "RO", section="7.5.3.8"),
    F("Slot and Root registers", 0x14, 0, 32, "RO", 0,
      section="7.5.3.9-7.5.3.14: not implemented by an Endpoint without a slot"),
    F("Device Capabilities 2", 0x24, 0, 32, "RO", section="7.5.3.15"),
    F("Link Capabilities 2", 0x2C, 0, 32, "RO", section="7.5.3.18"),
)

# MSI Capability structure (PCIe 7.7.1), the 64-bit, per-vector-masking form
MSI_CAP_ID = 0x05
MSI_CAP_LENGTH = 0x18
MSI_CAP = (
    F("Capability ID", 0x00, 0, 8, "RO", MSI_CAP_ID, MSI_CAP_ID, "7.7.1.1"),
    F("MSI Enable", 0x00, 16, 1, "RW", 0, section="7.7.1.2: default 0b"),
    F("Multiple Message Capable", 0x00, 17, 3, "RO", section="7.7.1.2"),
    # software must not write more than Multiple Message Capable (7.7.1.2)
    F("Multiple Message Enable", 0x00, 20, 3, "RWL", 0, section="7.7.1.2: default 000b"),
    F("64 bit address capable", 0x00, 23, 1, "RO", section="7.7.1.2"),
    F("Per-Vector Masking Capable", 0x00, 24, 1, "RO", section="7.7.1.2"),
    F("Message Control reserved", 0x00, 27, 5, "RsvdP", 0, section="7.7.1.2"),
    F("Message Address reserved 1:0", 0x04, 0, 2, "RsvdP", 0, section="7.7.1.3"),
    F("Message Address", 0x04, 2, 30, "RW", section="7.7.1.3"),
    F("Message Upper Address", 0x08, 0, 32, "RW", section="7.7.1.4"),
    F("Message Data", 0x0C, 0, 16, "RW", section="7.7.1.5"),
)
# Mask Bits (7.7.1.7): RW for the implemented vectors, RsvdP above; default
# 0. Pending Bits (7.7.1.8): RO. Checked per vector count by the suite.
MSI_MASK_OFFSET, MSI_PENDING_OFFSET = 0x10, 0x14

# MSI-X Capability structure (PCIe 7.7.2)
MSIX_CAP_ID = 0x11
MSIX_CAP_LENGTH = 0x0C
MSIX_CAP = (
    F("Capability ID", 0x00, 0, 8, "RO", MSIX_CAP_ID, MSIX_CAP_ID, "7.7.2.1"),
    F("Table Size", 0x00, 16, 11, "RO", section="7.7.2.2"),
    F("Message Control reserved", 0x00, 27, 3, "RsvdP", 0, section="7.7.2.2"),
    F("Function Mask", 0x00, 30, 1, "RW", 0, section="7.7.2.2: default 0b"),
    F("MSI-X Enable", 0x00, 31, 1, "RW", 0, section="7.7.2.2: default 0b"),
    F("Table Offset/Table BIR", 0x04, 0, 32, "RO", section="7.7.2.3"),
    F("PBA Offset/PBA BIR", 0x08, 0, 32, "RO", section="7.7.2.4"),
)

# PCI Power Management Capability structure (PCIe 7.5.2): required of every
# function that is not a VF
PM_CAP_ID = 0x01
PM_CAP_LENGTH = 0x08
PM_CAP = (
    F("Capability ID", 0x00, 0, 8, "RO", PM_CAP_ID, PM_CAP_ID, "7.5.2.1"),
    F("Version", 0x00, 16, 3, "RO", 0b011, 0b011, "7.5.2.1: must be 011b"),
    F("PME Clock", 0x00, 19, 1, "RO", 0, 0, "7.5.2.1: does not apply to PCIe, 0b"),
    F("PM Capabilities (rest)", 0x00, 20, 12, "RO", section="7.5.2.1"),
    # PowerState: RW for the supported states; a write of an unsupported
    # one is discarded (7.5.2.2), so the suite writes D0 and D3hot only
    F("PowerState", 0x04, 0, 2, "RWL", 0b00, section="7.5.2.2: default 00b (D0)"),
    F("PMCSR reserved 2", 0x04, 2, 1, "RsvdP", 0, section="7.5.2.2"),
    F("No_Soft_Reset", 0x04, 3, 1, "RO", section="7.5.2.2"),
    F("PMCSR reserved 7:4", 0x04, 4, 4, "RsvdP", 0, section="7.5.2.2"),
    F("PME_En", 0x04, 8, 1, "RW0", 0, section="7.5.2.2: hardwired 0 without PME"),
    F("Data_Select", 0x04, 9, 4, "RW0", 0, section="7.5.2.2: 0 without the Data register"),
    F("Data_Scale", 0x04, 13, 2, "RO", 0, section="7.5.2.2"),
    F("PME_Status", 0x04, 15, 1, "RW1C", 0, section="7.5.2.2: 0 without PME"),
    F("PMCSR reserved 21:16", 0x04, 16, 6, "RsvdP", 0, section="7.5.2.2"),
    F("Undefined / B2/B3 support", 0x04, 22, 2, "RO", 0, section="7.5.2.2"),
    F("Data", 0x04, 24, 8, "RO", 0, section="7.5.2.3"),
)
PM_D0, PM_D3HOT = 0b00, 0b11

#: capability ID -> (name, length in bytes, fields)
CAPABILITIES = {
    PCIE_CAP_ID: ("PCI Express", PCIE_CAP_LENGTH, PCIE_CAP),
    MSI_CAP_ID: ("MSI", MSI_CAP_LENGTH, MSI_CAP),
    MSIX_CAP_ID: ("MSI-X", MSIX_CAP_LENGTH, MSIX_CAP),
    PM_CAP_ID: ("Power Management", PM_CAP_LENGTH, PM_CAP),
}
