# SPDX-License-Identifier: MIT
"""Configuration registers of a PCI Express endpoint function, field by
field, as the PCI Express Base Specification (r6.x) defines them: the
compliance suite's oracle.

Written from the specification's register tables, not from this project's
register map or reference model (tests/test_compliance_independent.py
checks that nothing here imports model/). Device-specific values (IDs,
sizes) are not checked here; what the specification fixes is:

* the attribute of every field: ``RO`` (read-only; includes HwInit, whose
  value the device chooses), ``RW``, ``RW1C``, their sticky forms
  ``ROS`` / ``RWS`` / ``RW1CS`` (the same to software; only a fundamental
  reset resets them, which is this device's ``rst``), ``RsvdP`` / ``RsvdZ``
  (reserved: reads 0 in this device, writes have no effect), ``RW0``
  (RW when the function supports the feature, else permitted to be
  hardwired to 0: either is accepted, but it must be one of the two),
  ``RWL`` (RW for the values software is permitted to write only; the
  suite writes those in a check of its own), ``RWA`` (a write of 1 is an
  action, e.g. Initiate Function Level Reset, and the field reads 0: the
  generic check writes only 0 to it);
* the reset (default) value where the specification gives one (``None``:
  implementation specific);
* a value the field must have (``must``), e.g. Capabilities List = 1.

Where the specification makes a structure depend on what the function
advertises (the AER capability's TLP Prefix Log on Device Capabilities 2
End-End TLP Prefix Supported, the PASID Control enables on the PASID
Capability register), a function builds its fields from the values the
suite reads from the device (``extended_capabilities``), never from this
project's parameters.

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
    attr: str           # RO RW RW1C ROS RWS RW1CS RsvdP RsvdZ RW0 RWL RWA
    reset: int | None = None
    must: int | None = None
    section: str = ""

    @property
    def mask(self) -> int:
        return ((1 << self.width) - 1) << self.lsb

    @property
    def access(self) -> str:
        """The attribute as software sees it: a sticky one (7.4: ROS, RWS,
        RW1CS) behaves as RO, RW, RW1C between fundamental resets."""
        return STICKY.get(self.attr, self.attr)


STICKY = {"ROS": "RO", "RWS": "RW", "RW1CS": "RW1C"}


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
    F("Signaled Target Abort", 0x04, 27, 1, "RW1C", 0,
      section="7.5.1.1.4: set when the function completes a request with Completer Abort"),
    F("Received Target Abort", 0x04, 28, 1, "RW1C", 0, section="7.5.1.1.4"),
    F("Received Master Abort", 0x04, 29, 1, "RW1C", 0, section="7.5.1.1.4"),
    F("Signaled System Error", 0x04, 30, 1, "RW1C", 0,
      section="7.5.1.1.4: set when it sends ERR_FATAL/ERR_NONFATAL with SERR# Enable set"),
    F("Detected Parity Error", 0x04, 31, 1, "RW1C", 0,
      section="7.5.1.1.4: set whenever it receives a Poisoned TLP"),
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
    F("Correctable Error Reporting Enable", 0x08, 0, 1, "RW", 0,
      section="7.5.3.4, 6.2.5: enables the Error Messages"),
    F("Non-Fatal Error Reporting Enable", 0x08, 1, 1, "RW", 0,
      section="7.5.3.4, 6.2.5: enables the Error Messages"),
    F("Fatal Error Reporting Enable", 0x08, 2, 1, "RW", 0,
      section="7.5.3.4, 6.2.5: enables the Error Messages"),
    F("Unsupported Request Reporting Enable", 0x08, 3, 1, "RW", 0,
      section="7.5.3.4, 6.2.5: enables the Error Messages"),
    F("Enable Relaxed Ordering", 0x08, 4, 1, "RW0", 1, section="7.5.3.4: default 1b"),
    F("Max_Payload_Size", 0x08, 5, 3, "RW", 0, section="7.5.3.4: default 000b"),
    F("Extended Tag Field Enable", 0x08, 8, 1, "RW0", section="7.5.3.4"),
    F("Phantom Functions Enable", 0x08, 9, 1, "RW0", 0, section="7.5.3.4"),
    F("Aux Power PM Enable", 0x08, 10, 1, "RW0", 0, section="7.5.3.4"),
    F("Enable No Snoop", 0x08, 11, 1, "RW0", 1, section="7.5.3.4: default 1b"),
    F("Max_Read_Request_Size", 0x08, 12, 3, "RW", 0b010, section="7.5.3.4: default 010b"),
    # a write of 1 starts a Function Level Reset when Device Capabilities
    # says FLR is supported, and the bit always reads 0 (else RsvdP/0)
    F("Initiate Function Level Reset", 0x08, 15, 1, "RWA", 0, 0,
      "7.5.3.4: reads 0b; 6.6.2"),
    # Device Status (7.5.3.5)
    F("Correctable Error Detected", 0x08, 16, 1, "RW1C", 0,
      section="7.5.3.5: set whatever the masks and enables say"),
    F("Non-Fatal Error Detected", 0x08, 17, 1, "RW1C", 0,
      section="7.5.3.5: set whatever the masks and enables say"),
    F("Fatal Error Detected", 0x08, 18, 1, "RW1C", 0,
      section="7.5.3.5: set whatever the masks and enables say"),
    F("Unsupported Request Detected", 0x08, 19, 1, "RW1C", 0,
      section="7.5.3.5: set whatever the masks and enables say"),
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
    # Device Capabilities 2 (7.5.3.15): all RO/HwInit; the End-End TLP
    # Prefix fields depend on each other (devcap2_problems below)
    F("Device Capabilities 2 bits 19:0", 0x24, 0, 20, "RO", section="7.5.3.15"),
    F("Extended Fmt Field Supported", 0x24, 20, 1, "RO",
      section="7.5.3.15: must be Set when End-End TLP Prefix Supported is Set"),
    F("End-End TLP Prefix Supported", 0x24, 21, 1, "RO", section="7.5.3.15: HwInit"),
    F("Max End-End TLP Prefixes", 0x24, 22, 2, "RO",
      section="7.5.3.15: HwInit; RsvdP when End-End TLP Prefix Supported is Clear"),
    F("Device Capabilities 2 bits 31:24", 0x24, 24, 8, "RO", section="7.5.3.15"),
    # Device Control 2 (7.5.3.16), an Endpoint's: the enables of optional
    # features are RW, or hardwired to 0 when the feature is not
    # supported; the routing elements' controls are hardwired 0 / RsvdP
    F("Completion Timeout Value", 0x28, 0, 4, "RW0", 0,
      section="7.5.3.16: default 0000b; hardwired 0000b without programmable ranges"),
    F("Completion Timeout Disable", 0x28, 4, 1, "RW0", 0, section="7.5.3.16: default 0b"),
    F("ARI Forwarding Enable", 0x28, 5, 1, "RO", 0, 0,
      "7.5.3.16: Switch Downstream Ports and Root Ports only, else hardwired 0b"),
    F("AtomicOp Requester Enable", 0x28, 6, 1, "RW0", 0, section="7.5.3.16: default 0b"),
    F("AtomicOp Egress Blocking", 0x28, 7, 1, "RO", 0, 0,
      "7.5.3.16: routing elements only, else hardwired 0b"),
    F("IDO Request Enable", 0x28, 8, 1, "RW0", 0, section="7.5.3.16: default 0b"),
    F("IDO Completion Enable", 0x28, 9, 1, "RW0", 0, section="7.5.3.16: default 0b"),
    F("LTR Mechanism Enable", 0x28, 10, 1, "RW0", 0, section="7.5.3.16: default 0b"),
    F("Emergency Power Reduction Request", 0x28, 11, 1, "RW0", 0,
      section="7.5.3.16: default 0b"),
    F("10-Bit Tag Requester Enable", 0x28, 12, 1, "RW0", 0, section="7.5.3.16: default 0b"),
    F("OBFF Enable", 0x28, 13, 2, "RW0", 0, section="7.5.3.16: default 00b"),
    # "applicable to Root Ports and Switch Ports where the End-End TLP
    # Prefix Supported bit is Set. This bit is not applicable and is RsvdP
    # in all other cases": RsvdP in an Endpoint, whatever Device
    # Capabilities 2 says
    F("End-End TLP Prefix Blocking", 0x28, 15, 1, "RsvdP", 0,
      section="7.5.3.16: RsvdP but in Root Ports and Switch Ports"),
    F("Device Status 2", 0x28, 16, 16, "RsvdZ", 0, section="7.5.3.17"),
    F("Link Capabilities 2", 0x2C, 0, 32, "RO", section="7.5.3.18"),
)

# Device Capabilities 2 (7.5.3.15): the End-End TLP Prefix fields, offsets
# in the PCI Express capability
DEVICE_CAPABILITIES_2 = 0x24
DEVCAP2_EXT_FMT_BIT = 20                    # Extended Fmt Field Supported
DEVCAP2_E2E_PREFIX_BIT = 21                 # End-End TLP Prefix Supported
DEVCAP2_MAX_E2E_PREFIXES_LSB = 22           # Max End-End TLP Prefixes, 2 bits


def end_end_prefix_supported(devcap2: int) -> bool:
    """Device Capabilities 2 bit 21 (7.5.3.15): the function receives (and
    may send) TLPs with End-End TLP Prefixes."""
    return bool(devcap2 >> DEVCAP2_E2E_PREFIX_BIT & 1)


def max_end_end_prefixes(devcap2: int) -> int:
    """How many End-End TLP Prefixes a TLP may carry to the function
    (7.5.3.15: 01b 1, 10b 2, 11b 3, 00b 4); 0 without End-End TLP Prefix
    support."""
    if not end_end_prefix_supported(devcap2):
        return 0
    return (devcap2 >> DEVCAP2_MAX_E2E_PREFIXES_LSB & 3) or 4


def devcap2_problems(devcap2: int) -> list[str]:
    """Where the End-End TLP Prefix fields of Device Capabilities 2
    contradict each other (7.5.3.15)."""
    problems = []
    ext_fmt = devcap2 >> DEVCAP2_EXT_FMT_BIT & 1
    max_field = devcap2 >> DEVCAP2_MAX_E2E_PREFIXES_LSB & 3
    if end_end_prefix_supported(devcap2) and not ext_fmt:
        problems.append(
            f"Device Capabilities 2 {devcap2:#010x}: End-End TLP Prefix Supported (bit 21) "
            f"is Set, Extended Fmt Field Supported (bit 20) is Clear (PCIe 7.5.3.15: "
            f"Extended Fmt \"Must be Set for Functions that support End-End TLP Prefixes\")")
    if not end_end_prefix_supported(devcap2) and max_field:
        problems.append(
            f"Device Capabilities 2 {devcap2:#010x}: Max End-End TLP Prefixes (bits 23:22) "
            f"is {max_field:02b}b with End-End TLP Prefix Supported Clear: the field is "
            f"RsvdP then and reads 0 (PCIe 7.5.3.15)")
    return problems

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

# Advanced Error Reporting Extended Capability (PCIe 7.8.4), version 2h, the
# registers of a function that is not a Root Port or RCEC. The specification
# lets a function hardwire to 0 the status bit of an error it does not
# implement (and its mask and severity bits); the implemented errors are
# those design.md section 2 names, the others are checked to read 0 and
# ignore writes. What the capability holds beyond that depends on what the
# function advertises in Device Capabilities 2 (7.5.3.15), read from the
# device (aer_fields): with End-End TLP Prefix Supported, the TLP Prefix Log
# (38h-47h, 7.8.4.12), TLP Prefix Log Present (7.8.4.7) and TLP Prefix
# Blocked (bit 25 of the mask and severity, 7.8.4.3, 7.8.4.4).
AER_CAP_ID = 0x0001
AER_CAP_VERSION = 0x2
AER_CAP_LENGTH = 0x38       # through Error Source ID (34h): the root registers read 0
#: with End-End TLP Prefix Supported: through the TLP Prefix Log (38h-47h)
AER_CAP_LENGTH_PREFIX_LOG = 0x48

#: (name, bit, default severity 1 = Fatal) of the uncorrectable errors this
#: function implements: bits of 7.8.4.2 (status), 7.8.4.3 (mask), 7.8.4.4
#: (severity; the defaults of that table)
AER_UNCORRECTABLE = (
    ("Poisoned TLP Received", 12, 0),
    ("Completer Abort", 15, 0),
    ("Unexpected Completion", 16, 0),
    ("Malformed TLP", 18, 1),
    ("Unsupported Request", 20, 0),
)
AER_UNCOR_BITS = {name: bit for name, bit, _ in AER_UNCORRECTABLE}
#: TLP Prefix Blocked Error (7.8.4.2-7.8.4.4; default severity 0b, Non-Fatal):
#: detected by the egress port of a routing element whose End-End TLP Prefix
#: Blocking is set (2.2.10.4, 7.5.3.16), never by an Endpoint, so its status
#: bit stays 0; its mask and severity are RWS in a function that supports
#: End-End TLP Prefixes (design.md section 3; the specification marks the
#: error Optional)
AER_TLP_PREFIX_BLOCKED_BIT = 25
#: Advisory Non-Fatal Error: Correctable Error Status/Mask bit 13 (7.8.4.5, 7.8.4.6)
AER_ANF_BIT = 13
#: Advanced Error Capabilities and Control bit 11 (7.8.4.7)
AER_TLP_PREFIX_LOG_PRESENT_BIT = 11


def _aer_bits(register, offset, implemented, attr, reset_of, other, section):
    """Fields of one AER bit register: each implemented bit with ``attr``
    and its reset, each run of the other bits hardwired 0 (``other``)."""
    fields, run = [], None
    for bit in range(33):
        if bit < 32 and bit not in implemented:
            run = bit if run is None else run
            continue
        if run is not None:
            fields.append(F(f"{register} bits {bit - 1}:{run} (not implemented)", offset, run,
                            bit - run, other, 0, 0, f"{section}: hardwired 0 when not implemented"))
            run = None
        if bit < 32:
            fields.append(F(implemented[bit], offset, bit, 1, attr, reset_of(bit), section=section))
    return tuple(fields)


_UNCOR = {bit: name for name, bit, _ in AER_UNCORRECTABLE}
_SEVERITY = {bit: sev for _, bit, sev in AER_UNCORRECTABLE}
_PREFIX_BLOCKED = {AER_TLP_PREFIX_BLOCKED_BIT: "TLP Prefix Blocked Error"}


def aer_fields(end_end_prefix: bool) -> tuple[Field, ...]:
    """The AER capability's fields in a function whose Device Capabilities 2
    End-End TLP Prefix Supported bit is ``end_end_prefix``."""
    uncor = dict(_UNCOR)
    if end_end_prefix:
        uncor.update(_PREFIX_BLOCKED)
    severity = {**_SEVERITY, AER_TLP_PREFIX_BLOCKED_BIT: 0}
    status_note = "7.8.4.2: default 0b" + (
        "; TLP Prefix Blocked never set in an Endpoint" if end_end_prefix else "")
    fields = (
        F("PCI Express Extended Capability ID", 0x00, 0, 16, "RO", AER_CAP_ID, AER_CAP_ID,
          "7.8.4.1"),
        F("Capability Version", 0x00, 16, 4, "RO", AER_CAP_VERSION, AER_CAP_VERSION,
          "7.8.4.1: 2h"),
        F("Next Capability Offset", 0x00, 20, 12, "RO", section="7.8.4.1"),
    ) + _aer_bits("Uncorrectable Error Status", 0x04,
                  {b: f"{n} Status" for b, n in uncor.items()}, "RW1CS", lambda b: 0,
                  "RsvdZ", status_note) \
      + _aer_bits("Uncorrectable Error Mask", 0x08,
                  {b: f"{n} Mask" for b, n in uncor.items()}, "RWS", lambda b: 0,
                  "RsvdP", "7.8.4.3: default 0b") \
      + _aer_bits("Uncorrectable Error Severity", 0x0C,
                  {b: f"{n} Severity" for b, n in uncor.items()}, "RWS", severity.get,
                  "RsvdP", "7.8.4.4: default 1b for Malformed TLP, 0b for the others") \
      + _aer_bits("Correctable Error Status", 0x10,
                  {AER_ANF_BIT: "Advisory Non-Fatal Error Status"}, "RW1CS", lambda b: 0,
                  "RsvdZ", "7.8.4.5: default 0b") \
      + _aer_bits("Correctable Error Mask", 0x14,
                  {AER_ANF_BIT: "Advisory Non-Fatal Error Mask"}, "RWS", lambda b: 1,
                  "RsvdP", "7.8.4.6: default 1b") + (
        # Advanced Error Capabilities and Control (7.8.4.7)
        F("First Error Pointer", 0x18, 0, 5, "ROS", 0, section="7.8.4.7"),
        # without ECRC, Multiple Header Recording and the Completion Timeout
        # log (design.md: not supported) their capable bits are 0 and their
        # enables are hardwired 0 (7.8.4.7: RO when not capable)
        F("ECRC Generation Capable", 0x18, 5, 1, "RO", 0, section="7.8.4.7"),
        F("ECRC Generation Enable", 0x18, 6, 1, "RW0", 0, section="7.8.4.7: RWS when capable"),
        F("ECRC Check Capable", 0x18, 7, 1, "RO", 0, section="7.8.4.7"),
        F("ECRC Check Enable", 0x18, 8, 1, "RW0", 0, section="7.8.4.7: RWS when capable"),
        F("Multiple Header Recording Capable", 0x18, 9, 1, "RO", 0, section="7.8.4.7"),
        F("Multiple Header Recording Enable", 0x18, 10, 1, "RW0", 0,
          section="7.8.4.7: RWS when capable"),
        # ROS, default 0b; "RsvdP if the End-End TLP Prefix Supported bit
        # is Clear"
        F("TLP Prefix Log Present", 0x18, AER_TLP_PREFIX_LOG_PRESENT_BIT, 1,
          "ROS" if end_end_prefix else "RsvdP", 0,
          section="7.8.4.7: ROS, default 0b; RsvdP without End-End TLP Prefix Supported"),
        F("Completion Timeout Prefix/Header Log Capable", 0x18, 12, 1, "RO", 0,
          section="7.8.4.7"),
        # bits 31:13: Flit Mode logging (Logged TLP Size, Logged TLP was
        # Flit Mode; 0 in Non-Flit Mode) and RsvdP
        F("Capabilities and Control 31:13", 0x18, 13, 19, "RO", 0, section="7.8.4.7"),
        # Header Log (7.8.4.8): ROS, the header of the first error logged
        F("Header Log DW0", 0x1C, 0, 32, "ROS", 0, section="7.8.4.8: default 0"),
        F("Header Log DW1", 0x20, 0, 32, "ROS", 0, section="7.8.4.8: default 0"),
        F("Header Log DW2", 0x24, 0, 32, "ROS", 0, section="7.8.4.8: default 0"),
        F("Header Log DW3", 0x28, 0, 32, "ROS", 0, section="7.8.4.8: default 0"),
        # Root Error Command / Status, Error Source Identification: Root
        # Ports and RCECs only (7.8.4.9-7.8.4.11); absent in this endpoint,
        # read 0
        F("Root Error Command (absent)", 0x2C, 0, 32, "RO", 0, 0, "7.8.4.9: Root Ports only"),
        F("Root Error Status (absent)", 0x30, 0, 32, "RO", 0, 0, "7.8.4.10: Root Ports only"),
        F("Error Source Identification (absent)", 0x34, 0, 32, "RO", 0, 0,
          "7.8.4.11: Root Ports only"),
    )
    if end_end_prefix:
        # TLP Prefix Log (7.8.4.12): present when End-End TLP Prefix
        # Supported is Set; ROS, the End-End TLP Prefixes of the first
        # error's TLP (first prefix in the first DW, unused DWs 0), default 0
        fields += tuple(
            F(f"TLP Prefix Log DW{k}", AER_TLP_PREFIX_LOG + 4 * k, 0, 32, "ROS", 0,
              section="7.8.4.12: default 0") for k in range(4))
    return fields


def aer_length(end_end_prefix: bool) -> int:
    """Bytes of the AER capability (Figure 7-123 of 7.8.4): through the TLP
    Prefix Log (47h) when End-End TLP Prefix Supported is Set, else through
    Error Source Identification (37h)."""
    return AER_CAP_LENGTH_PREFIX_LOG if end_end_prefix else AER_CAP_LENGTH


# Process Address Space ID (PASID) Extended Capability (PCIe r6.x 7.8.9; r5
# 7.8.8), version 1h: its presence says the function supports sending and
# receiving TLPs with a PASID (6.20). 16-bit PASID Capability (04h) and
# PASID Control (06h) registers share the DW at 04h.
PASID_CAP_ID = 0x001B
PASID_CAP_VERSION = 0x1
PASID_CAP_LENGTH = 0x08
PASID_CAPABILITY = 0x04                     # 16-bit register at 04h (7.8.9.2)
PASID_CONTROL = 0x06                        # 16-bit register at 06h (7.8.9.3)
PASID_EXEC_SUPPORTED = 1 << 1               # PASID Capability bits
PASID_PRIV_SUPPORTED = 1 << 2
PASID_MAX_WIDTH_LSB = 8                     # Max PASID Width, bits 12:8
PASID_MAX_WIDTH_LIMIT = 20                  # "must be between 0 and 20 (inclusive)"
PASID_ENABLE = 1 << 0                       # PASID Control bits
PASID_EXEC_ENABLE = 1 << 1
PASID_PRIV_ENABLE = 1 << 2


def pasid_max_width(capability: int) -> int:
    """Max PASID Width (7.8.9.2) of a PASID Capability register value."""
    return capability >> PASID_MAX_WIDTH_LSB & 0x1F


def pasid_fields(capability: int) -> tuple[Field, ...]:
    """The PASID capability's fields, given the PASID Capability register
    the function advertises (16 bits): Execute Permission Enable and
    Privileged Mode Enable are RW when the function supports the feature,
    RsvdP when not (7.8.9.3)."""
    def enable(name, bit, supported, feature):
        if capability & supported:
            return F(name, 0x04, 16 + bit, 1, "RW", 0, section="7.8.9.3: default 0b")
        return F(name, 0x04, 16 + bit, 1, "RsvdP", 0,
                 section=f"7.8.9.3: RsvdP when {feature} Supported is Clear")
    return (
        F("PCI Express Extended Capability ID", 0x00, 0, 16, "RO", PASID_CAP_ID, PASID_CAP_ID,
          "7.8.9.1: 001Bh"),
        F("Capability Version", 0x00, 16, 4, "RO", PASID_CAP_VERSION, PASID_CAP_VERSION,
          "7.8.9.1: 1h"),
        F("Next Capability Offset", 0x00, 20, 12, "RO", section="7.8.9.1"),
        # PASID Capability (7.8.9.2)
        F("PASID Capability bit 0", 0x04, 0, 1, "RsvdP", 0, section="7.8.9.2"),
        F("Execute Permission Supported", 0x04, 1, 1, "RO", section="7.8.9.2"),
        F("Privileged Mode Supported", 0x04, 2, 1, "RO", section="7.8.9.2"),
        F("PASID Capability bits 7:3", 0x04, 3, 5, "RsvdP", 0, section="7.8.9.2"),
        F("Max PASID Width", 0x04, 8, 5, "RO", section="7.8.9.2: 0 to 20"),
        F("PASID Capability bits 15:13", 0x04, 13, 3, "RsvdP", 0, section="7.8.9.2"),
        # PASID Control (7.8.9.3)
        F("PASID Enable", 0x04, 16, 1, "RW", 0, section="7.8.9.3: default 0b"),
        enable("Execute Permission Enable", 1, PASID_EXEC_SUPPORTED, "Execute Permission"),
        enable("Privileged Mode Enable", 2, PASID_PRIV_SUPPORTED, "Privileged Mode"),
        F("PASID Control bits 15:3", 0x04, 19, 13, "RsvdP", 0, section="7.8.9.3"),
    )


# Configuration registers that log errors (PCIe 6.2.5, Figure 6-2): where
# they are, in the Type 0 header and the PCI Express capability
COMMAND = 0x04
SERR_ENABLE = 1 << 8                        # Command bit 8 (7.5.1.1.3)
STATUS = 0x06                               # 16-bit register at 06h (7.5.1.1.4)
#: Status bits (of the 16-bit register) a function sets on its errors
STATUS_SIGNALED_TARGET_ABORT = 1 << 11      # it completed a request with CA
STATUS_SIGNALED_SYSTEM_ERROR = 1 << 14      # it sent ERR_FATAL/NONFATAL, SERR# Enable set
STATUS_DETECTED_PARITY_ERROR = 1 << 15      # it received a Poisoned TLP
DEVICE_CONTROL = 0x08                       # in the PCI Express capability (7.5.3.4)
DEVCTL_CORRECTABLE_ENABLE = 1 << 0
DEVCTL_NONFATAL_ENABLE = 1 << 1
DEVCTL_FATAL_ENABLE = 1 << 2
DEVCTL_UR_ENABLE = 1 << 3
DEVICE_STATUS = 0x0A                        # 16-bit, in the PCI Express capability (7.5.3.5)
DEVSTA_CORRECTABLE = 1 << 0
DEVSTA_NONFATAL = 1 << 1
DEVSTA_FATAL = 1 << 2
DEVSTA_UR = 1 << 3
# AER registers, offsets in the capability (7.8.4)
AER_UNCOR_STATUS, AER_UNCOR_MASK, AER_UNCOR_SEVERITY = 0x04, 0x08, 0x0C
AER_COR_STATUS, AER_COR_MASK, AER_CAP_CONTROL, AER_HEADER_LOG = 0x10, 0x14, 0x18, 0x1C
AER_TLP_PREFIX_LOG = 0x38                   # 4 DWs, with End-End TLP Prefixes (7.8.4.12)

# Error Messages (2.2.8.3): Msg, Fmt 001b, Type 10000b (routed to the Root
# Complex), Message Code
MSG_FMT_TYPE = 0b001_10000
ERR_COR, ERR_NONFATAL, ERR_FATAL = 0x30, 0x31, 0x33

#: extended capability ID -> name: the ones the suite knows
EXTENDED_CAPABILITY_NAMES = {
    AER_CAP_ID: "Advanced Error Reporting",
    PASID_CAP_ID: "Process Address Space ID (PASID)",
}


def extended_capabilities(devcap2: int, pasid_capability: int = 0) -> dict:
    """extended capability ID -> (name, length in bytes, fields), for a
    function that advertises Device Capabilities 2 ``devcap2`` (the PCI
    Express capability at 24h) and, if it has a PASID capability, the PASID
    Capability register ``pasid_capability``: what the specification makes
    of those structures depends on them."""
    e2e = end_end_prefix_supported(devcap2)
    return {
        AER_CAP_ID: (EXTENDED_CAPABILITY_NAMES[AER_CAP_ID], aer_length(e2e), aer_fields(e2e)),
        PASID_CAP_ID: (EXTENDED_CAPABILITY_NAMES[PASID_CAP_ID], PASID_CAP_LENGTH,
                       pasid_fields(pasid_capability)),
    }

#: capability ID -> (name, length in bytes, fields)
CAPABILITIES = {
    PCIE_CAP_ID: ("PCI Express", PCIE_CAP_LENGTH, PCIE_CAP),
    MSI_CAP_ID: ("MSI", MSI_CAP_LENGTH, MSI_CAP),
    MSIX_CAP_ID: ("MSI-X", MSIX_CAP_LENGTH, MSIX_CAP),
    PM_CAP_ID: ("Power Management", PM_CAP_LENGTH, PM_CAP),
}
