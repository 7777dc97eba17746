# SPDX-License-Identifier: MIT
"""The device's register map: the one description every other copy is
generated from.

``scripts/regmap.py`` turns these tables into

* ``hdl/ims_regmap.vh``: localparams the RTL decodes by (included inside
  the modules that need them),
* ``model/regs.py``: the Python constants model/ and tb/ import,
* the register tables of README.md and docs/design.md (between
  ``<!-- regmap:NAME -->`` and ``<!-- /regmap -->`` markers),

and ``tests/test_regmap.py`` fails when any generated file is stale
(``make regmap`` writes them). Edit a register here and nowhere else.

Deliberately *not* generated from here: the bad-input suite
(tests/sim/badinput_tests.py), the model's spec tests
(tests/test_model_*.py) and the RootComplex bring-up check
(tests/sim/rootcomplex_tests.py) write offsets and values as literals, so
that a wrong entry in this table is caught rather than copied.

Each register: byte offset, width in bits (32 unless a 16- or 8-bit
register; its values are then the register's own, not the DW's),
identifier (constants are named after it),
title (as the docs name it), access, for a constant register its value
(``value``) or for a RW one the writable bits (``rw``) and reset value,
the documentation text (design.md; ``summary`` for the README where
shorter), named fields (name, lsb, width), and the specification section
for the subtle ones. Values that depend on the parameters are described in
the text and computed where they are used.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    name: str
    lsb: int
    width: int = 1

    @property
    def mask(self) -> int:
        return ((1 << self.width) - 1) << self.lsb


@dataclass(frozen=True)
class Reg:
    offset: int
    name: str
    title: str
    access: str
    doc: str
    summary: str = ""
    fields: tuple[Field, ...] = ()
    value: int | None = None    # constant value (RO registers that never change)
    rw: int | None = None       # writable bits
    w1c: int | None = None      # write-1-to-clear bits (hardware sets them)
    reset: int | None = None    # reset value of a RW register
    spec: str = ""
    width: int = 32             # bits; value, rw and reset are the register's own

    @property
    def brief(self) -> str:
        return self.summary or self.doc


@dataclass(frozen=True)
class Region:
    base: int
    size: int
    name: str
    doc: str
    summary: str = ""

    @property
    def end(self) -> int:
        return self.base + self.size


@dataclass(frozen=True)
class Const:
    name: str
    value: int
    width: int
    doc: str


# ---------------------------------------------------------------------------
# BAR0 (design.md 4)

BAR0_SIZE = 1 << 20
ENTRY_SIZE = 16

MSIX_TABLE_BASE = 0x10000
MSIX_PBA_BASE = 0x18000
IMS_TABLE_BASE = 0x80000

BAR0_REGIONS = (
    Region(0x00000, 0x01000, "DEV_REGS", "device registers"),
    Region(MSIX_TABLE_BASE, 0x08000, "MSIX_TABLE", "MSI-X table, 16 B per entry",
           "MSI-X table, 16 bytes per entry"),
    Region(MSIX_PBA_BASE, 0x00100, "MSIX_PBA", "MSI-X PBA, one bit per entry, QW-granular; RO",
           "MSI-X PBA (read-only)"),
    Region(IMS_TABLE_BASE, 0x80000, "IMS_TABLE", "IMS table, 16 B per entry",
           "IMS table, 16 bytes per entry"),
)

DEVICE_REGS = (
    Reg(0x000, "ID", "ID", "RO", '0x494D5345 ("IMSE")', value=0x494D5345),
    Reg(0x004, "VERSION", "VERSION", "RO", "0x00010000 (1.0)", "0x00010000",
        value=0x00010000),
    Reg(0x008, "SCRATCH", "SCRATCH", "RW", "0", "free for software", rw=0xFFFFFFFF, reset=0),
    Reg(0x00C, "DATA_WIDTH", "DATA_WIDTH", "RO", "DATA_WIDTH parameter",
        "stream width in bits"),
    Reg(0x010, "MSI_VECTORS", "MSI_VECTORS", "RO", "MSI_VECTORS parameter", "parameter"),
    Reg(0x014, "MSIX_TABLE_SIZE", "MSIX_TABLE_SIZE", "RO", "MSIX_TABLE_SIZE parameter",
        "parameter"),
    Reg(0x020, "IMS_SIZE", "IMS_SIZE", "RO", "IMS_SIZE parameter (entries)", "IMS entries"),
    Reg(0x024, "IMS_OFFSET", "IMS_OFFSET", "RO", f"0x{IMS_TABLE_BASE:08X} when IMS_SIZE>0, else 0",
        f"BAR0 offset of IMS entry 0 (0x{IMS_TABLE_BASE:X}; 0 without IMS)"),
    Reg(0x028, "IMS_LAYOUT", "IMS_LAYOUT", "RO",
        "[7:0] entry stride in bytes = 16, [15:8] layout version = 2, [16] PASID "
        "supported = PASID_CAP (0 when IMS_SIZE = 0: whole register 0)",
        "[7:0] entry stride 16, [15:8] layout version 2, [16] PASID supported",
        fields=(Field("STRIDE", 0, 8), Field("VERSION", 8, 8), Field("PASID", 16))),
    Reg(0x02C, "IMS_CTRL", "IMS_CTRL", "RW",
        "[0] IMS Enable (the IMS store's enable), other bits RO 0; reset 0. "
        "RO 0 when IMS_SIZE = 0", "[0] IMS Enable",
        fields=(Field("ENABLE", 0),), rw=0x1, reset=0),
    Reg(0x030, "DROP_RANGE", "DROP_RANGE", "RO, write clears",
        "irq requests dropped because irq_index was out of range; saturates at 0xFFFFFFFF",
        "requests dropped: index out of range"),
    Reg(0x034, "DROP_DISABLED", "DROP_DISABLED", "RO, write clears",
        "irq requests dropped because no store was enabled",
        "requests dropped: no store enabled"),
    Reg(0x038, "MSG_SENT", "MSG_SENT", "RO, write clears", "interrupt messages sent",
        "messages sent"),
)

IMS_ENTRY_STRIDE = 16
# Version 2: CTRL as Linux's IMS array interrupt chip programs it
# (struct ims_slot: address_lo, address_hi, data, ctrl; PASID enable bit 3);
# version 1 had PASID_EN at bit 2
IMS_LAYOUT_VERSION = 2

# Entries of the MSI-X table (PCIe 7.7.2) and of the IMS table
# (device-defined, layout version 2): the same four DWs
MSIX_ENTRY = (
    Reg(0x0, "ADDR_LO", "Message Address", "RW", "bits 31:2 RW, 1:0 RO 0",
        rw=0xFFFFFFFC, reset=0),
    Reg(0x4, "ADDR_HI", "Message Upper Address", "RW", "RW", rw=0xFFFFFFFF, reset=0),
    Reg(0x8, "DATA", "Message Data", "RW", "RW", rw=0xFFFFFFFF, reset=0),
    Reg(0xC, "CTRL", "Vector Control", "RW", "bit 0 Mask RW, reset 1; 31:1 RO 0",
        "[0] Mask (reset 1)", fields=(Field("MASK", 0),), rw=0x1, reset=0x1,
        spec="PCIe 7.7.2"),
)

IMS_ENTRY = (
    Reg(0x0, "ADDR_LO", "ADDR_LO", "RW", "bits 31:2 RW, 1:0 RO 0", rw=0xFFFFFFFC, reset=0),
    Reg(0x4, "ADDR_HI", "ADDR_HI", "RW", "RW", rw=0xFFFFFFFF, reset=0),
    Reg(0x8, "DATA", "DATA", "RW", "RW", rw=0xFFFFFFFF, reset=0),
    Reg(0xC, "CTRL", "CTRL", "RW",
        "bit 0 MASK RW (reset 1); bit 1 PENDING RO; bit 2 RO 0; bit 3 PASID_EN RW "
        "(reset 0); bits 11:4 RO 0; bits 31:12 PASID RW (reset 0). With PASID_CAP = 0, "
        "PASID_EN and PASID are RO 0",
        "[0] MASK (reset 1), [1] PENDING (RO), [3] PASID_EN, [31:12] PASID",
        fields=(Field("MASK", 0), Field("PENDING", 1), Field("PASID_EN", 3),
                Field("PASID", 12, 20)),
        rw=0xFFFFF009, reset=0x1),
)


# ---------------------------------------------------------------------------
# Configuration space of function 0 (design.md 3)

VENDOR_ID = 0x1234
DEVICE_ID = 0x1135
REVISION_ID = 0x01
CLASS_CODE = 0x088000
SUBSYS_VENDOR_ID = 0x1234
SUBSYS_ID = 0x0001

CAP_ID_PCIE = 0x10
CAP_ID_MSI = 0x05
CAP_ID_MSIX = 0x11
CAP_ID_PM = 0x01

# Capabilities, in list order (each present one points to the next present)
# (doc: "title: what and when", as the README lists it)
CAPS = (
    Const("CAP_PCIE", 0x40, 8, "PCI Express capability: v2, endpoint, 2.5 GT/s x1"),
    Const("CAP_MSI", 0x80, 8, "MSI capability: when MSI_VECTORS > 0"),
    Const("CAP_MSIX", 0xA0, 8, f"MSI-X capability: when MSIX_TABLE_SIZE > 0; table BIR 0 "
          f"offset 0x{MSIX_TABLE_BASE:X}, PBA BIR 0 offset 0x{MSIX_PBA_BASE:X}"),
    Const("CAP_PM", 0xC0, 8, "Power Management capability: version 3, D0 and D3hot, no PME, "
          "No_Soft_Reset"),
)
# Extended capabilities (0x100 up), in list order
EXT_CAPS = (
    Const("ECAP_AER", 0x100, 12, "Advanced Error Reporting: version 2, the errors of design.md 2"),
    Const("ECAP_PASID", 0x148, 12, "PASID: when PASID_CAP = 1; Max PASID Width 20, "
          "no Execute or Privileged Mode"),
)
ECAP_ID_AER = 0x0001
ECAP_ID_PASID = 0x001B

CFG_HEADER = (
    Reg(0x00, "ID", "Vendor ID / Device ID", "RO", "0x1234 / 0x1135, RO",
        value=DEVICE_ID << 16 | VENDOR_ID),
    Reg(0x04, "COMMAND", "Command", "RW",
        "bit 1 Memory Space Enable RW, bit 2 Bus Master Enable RW, bit 6 Parity Error "
        "Response RW, bit 8 SERR# Enable RW, bit 10 Interrupt Disable RW, others RO 0; "
        "reset 0",
        "MSE (1), BME (2), Parity Error Response (6), SERR# Enable (8), Interrupt Disable "
        "(10) RW",
        fields=(Field("MEMORY_SPACE", 1), Field("BUS_MASTER", 2),
                Field("PARITY_ERROR_RESPONSE", 6), Field("SERR_ENABLE", 8),
                Field("INTX_DISABLE", 10)),
        rw=0x0546, reset=0, spec="PCIe 7.5.1.1.3", width=16),
    Reg(0x06, "STATUS", "Status", "RW1C",
        "bit 4 Capabilities List = 1 RO; RW1C: bit 11 Signaled Target Abort (the function "
        "completed a request with Completer Abort), bit 14 Signaled System Error (it sent "
        "ERR_FATAL/ERR_NONFATAL with SERR# Enable set), bit 15 Detected Parity Error (it "
        "received a poisoned TLP); others RO 0; reset 0x0010",
        "Capabilities List (4) = 1; Signaled Target Abort (11), Signaled System Error (14), "
        "Detected Parity Error (15) RW1C",
        fields=(Field("CAP_LIST", 4), Field("SIGNALED_TARGET_ABORT", 11),
                Field("SIGNALED_SYSTEM_ERROR", 14), Field("DETECTED_PARITY_ERROR", 15)),
        w1c=0xC800, reset=0x0010, spec="PCIe 7.5.1.1.4", width=16),
    Reg(0x08, "CLASS", "Revision ID / Class Code", "RO", "0x01 / 0x088000, RO",
        value=CLASS_CODE << 8 | REVISION_ID),
    Reg(0x0C, "HEADER", "Cache Line Size", "RW",
        "RW (8 bits), reset 0 (PCIe: RW, no effect); Latency Timer, Header Type "
        "(0x00), BIST: 0, RO", "RW", rw=0xFF, reset=0, spec="PCIe 7.5.1.1.7", width=8),
    Reg(0x10, "BAR0", "BAR0", "RW",
        "bits 31:20 RW, 19:4 RO 0, bit 3 prefetchable 0, bits 2:1 = 10b (64-bit), "
        "bit 0 = 0; reset 0x00000004. Size 1 MiB", "64-bit memory BAR, 1 MiB",
        rw=0xFFFFFFFF & ~(BAR0_SIZE - 1), reset=0x00000004, spec="PCI LB 6.2.5.1"),
    Reg(0x14, "BAR1", "BAR1", "RW", "upper 32 bits of BAR0, all RW, reset 0",
        "upper 32 bits of BAR0", rw=0xFFFFFFFF, reset=0),
    Reg(0x18, "BAR2_5", "BAR2..BAR5 (0x18..0x24)", "RO", "0, RO", value=0),
    Reg(0x2C, "SUBSYSTEM", "Subsystem Vendor ID / Subsystem ID", "RO",
        "0x1234 / 0x0001, RO", value=SUBSYS_ID << 16 | SUBSYS_VENDOR_ID),
    Reg(0x34, "CAP_PTR", "Capabilities Pointer", "RO", "0x40, RO", value=0x40),
    Reg(0x3C, "INTERRUPT", "Interrupt Line / Pin", "RW",
        "Interrupt Line RW (8 bits), reset 0; Interrupt Pin 0 (no INTx), RO",
        "RW / 0 (no INTx)", rw=0xFF, reset=0, width=16),
)

PCIE_CAP_REGS = (
    Reg(0x40, "PCIE", "Cap ID 0x10, Next, PCIe Capabilities 0x0002 (version 2, "
        "Device/Port Type 0000b)", "RO", "RO"),
    Reg(0x44, "DEV_CAP", "Device Capabilities", "RO",
        "0x10008000 (MPS 128 B, Role-Based Error Reporting, Function Level Reset "
        "Capability), RO", fields=(Field("RBER", 15), Field("FLR", 28)), value=0x10008000,
        spec="PCIe 7.5.3.3"),
    Reg(0x48, "DEV_CTL", "Device Control", "RW",
        "RW mask 0x78FF, reset 0x2810; bits 8, 9, 10 RO 0. Bits 3:0 (Correctable, "
        "Non-Fatal, Fatal, Unsupported Request Reporting Enable) enable the error messages. "
        "Bit 15 Initiate Function Level Reset: a write of 1 starts an FLR, reads 0",
        fields=(Field("CERE", 0), Field("NFERE", 1), Field("FERE", 2), Field("URRE", 3),
                Field("MPS", 5, 3), Field("INITIATE_FLR", 15)),
        rw=0x78FF, reset=0x2810, spec="PCIe 7.5.3.4, 6.2.5", width=16),
    Reg(0x4A, "DEV_STATUS", "Device Status", "RW1C",
        "RW1C: bit 0 Correctable Error Detected, bit 1 Non-Fatal Error Detected, bit 2 "
        "Fatal Error Detected, bit 3 Unsupported Request Detected (set whatever the "
        "masks and enables say); others RO 0; reset 0",
        "CED (0), NFED (1), FED (2), URD (3) RW1C",
        fields=(Field("CED", 0), Field("NFED", 1), Field("FED", 2), Field("URD", 3)),
        w1c=0x000F, reset=0, spec="PCIe 7.5.3.5", width=16),
    Reg(0x4C, "LINK_CAP", "Link Capabilities", "RO",
        "0x00400011 (2.5 GT/s, x1, ASPM Optionality Compliance), RO",
        fields=(Field("MAX_SPEED", 0, 4), Field("MAX_WIDTH", 4, 6),
                Field("ASPM_OPTIONALITY", 22)),
        value=0x00400011, spec="PCIe 7.5.3.6: ASPM Optionality Compliance must be 1b"),
    Reg(0x50, "LINK_CTL", "Link Control", "RW", "RW mask 0x00CB, reset 0",
        rw=0x00CB, reset=0, width=16),
    Reg(0x52, "LINK_STATUS", "Link Status", "RO", "0x0011 (2.5 GT/s, x1), RO", value=0x0011,
        width=16),
    Reg(0x54, "SLOT_ROOT", "Slot and Root registers (0x54..0x60)", "RO", "0, RO", value=0),
    Reg(0x64, "DEV_CAP2", "Device Capabilities 2", "RO",
        "bit 20 Extended Fmt Field Supported = 1 (the 3-bit Fmt field: a TLP prefix the "
        "function does not support is a Malformed TLP); with PASID_CAP also bit 21 End-End "
        "TLP Prefix Supported and bits 23:22 Max End-End TLP Prefixes = 01b (one): "
        "0x00700000, without 0x00100000; RO",
        fields=(Field("EXT_FMT", 20), Field("E2E_PREFIX", 21), Field("MAX_E2E_PREFIXES", 22, 2)),
        spec="PCIe 7.5.3.15, 2.2.10"),
    Reg(0x68, "DEV_CTL2", "Device Control 2 / Status 2", "RO",
        "0, RO. End-End TLP Prefix Blocking (bit 15) is RsvdP: PCIe 7.5.3.16 makes it "
        "applicable to Root Ports and Switch Ports only",
        value=0, spec="PCIe 7.5.3.16"),
    Reg(0x6C, "LINK_CAP2", "Link Capabilities 2", "RO", "0x00000002 (2.5 GT/s supported), RO",
        value=0x00000002),
    Reg(0x70, "LINK_CTL2", "Link Control 2 / Status 2", "RO", "0x00000001, RO",
        value=0x00000001),
    Reg(0x74, "SLOT2", "Slot/Link 2 (rest, 0x74..0x7B)", "RO", "0, RO", value=0),
)

MSI_CAP_REGS = (
    Reg(0x80, "MSI", "Cap ID 0x05, Next", "RO", "RO"),
    Reg(0x82, "MSI_CTL", "Message Control", "RW",
        "bit 0 MSI Enable RW; 3:1 Multiple Message Capable = log2(MSI_VECTORS) RO; 6:4 "
        "Multiple Message Enable RW, a written value above MMC is stored as MMC; bit 7 "
        "64-bit capable = 1; bit 8 Per-Vector Masking capable = 1; 15:9 RO 0. Reset 0 "
        "(RW bits)",
        fields=(Field("ENABLE", 0), Field("MMC", 1, 3), Field("MME", 4, 3),
                Field("64BIT", 7), Field("PVM", 8)),
        rw=0x0071, reset=0, spec="PCI LB 6.8.1.3", width=16),
    Reg(0x84, "MSI_ADDR", "Message Address", "RW", "bits 31:2 RW, 1:0 RO 0",
        rw=0xFFFFFFFC, reset=0),
    Reg(0x88, "MSI_ADDR_HI", "Message Upper Address", "RW", "RW", rw=0xFFFFFFFF, reset=0),
    Reg(0x8C, "MSI_DATA", "Message Data", "RW", "bits 15:0 RW, 31:16 RO 0",
        rw=0x0000FFFF, reset=0),
    Reg(0x90, "MSI_MASK", "Mask Bits", "RW",
        "bits MSI_VECTORS-1:0 RW, others RO 0; reset 0", reset=0),
    Reg(0x94, "MSI_PENDING", "Pending Bits", "RO", "RO, bit i = vector i pending"),
)

MSIX_CAP_REGS = (
    Reg(0xA0, "MSIX", "Cap ID 0x11, Next", "RO", "RO"),
    Reg(0xA2, "MSIX_CTL", "Message Control", "RW",
        "10:0 Table Size = MSIX_TABLE_SIZE-1 RO; 14 Function Mask RW; 15 MSI-X Enable "
        "RW; reset 0",
        fields=(Field("TABLE_SIZE", 0, 11), Field("FUNCTION_MASK", 14), Field("ENABLE", 15)),
        rw=0xC000, reset=0, width=16),
    Reg(0xA4, "MSIX_TABLE", "Table Offset / BIR", "RO", f"0x{MSIX_TABLE_BASE:08X} (BIR 0), RO",
        value=MSIX_TABLE_BASE),
    Reg(0xA8, "MSIX_PBA", "PBA Offset / BIR", "RO", f"0x{MSIX_PBA_BASE:08X} (BIR 0), RO",
        value=MSIX_PBA_BASE),
)

# PCI Power Management capability (PCIe 7.5.2; required of every function
# that is not a VF). D0 and D3hot only (PMC D1/D2 Support 0), no PME.
PM_CAP_REGS = (
    Reg(0xC0, "PM", "Cap ID 0x01, Next, Power Management Capabilities", "RO",
        "PMC 0x0003: Version 011b, PME Clock 0, Immediate_Readiness_on_Return_to_D0 0, DSI 0, "
        "Aux_Current 000b, D1/D2 Support 0, PME_Support 00000b; RO", spec="PCIe 7.5.2.1"),
    Reg(0xC4, "PMCSR", "Power Management Control/Status", "RW",
        "PowerState [1:0] RW: 00b D0, 11b D3hot (a write of 01b or 10b, unsupported, is "
        "discarded: no state change); No_Soft_Reset [3] RO 1 (D3hot to D0 keeps all "
        "state); PME_En [8], Data_Select, Data_Scale, PME_Status [15], Data: RO 0; reset "
        "0x00000008 (D0)",
        "PowerState [1:0] RW (D0, D3hot), No_Soft_Reset [3] = 1",
        fields=(Field("POWER_STATE", 0, 2), Field("NO_SOFT_RESET", 3)),
        rw=0x3, reset=0x8, spec="PCIe 7.5.2.2"),
)

# Advanced Error Reporting Extended Capability (PCIe 7.8.4), the first and
# only extended capability. The errors this function detects (design.md 2):
# each has a status, mask and severity bit; the others are RsvdZ/RsvdP 0.
UNCOR_ERRORS = (Field("POISONED_TLP", 12), Field("COMPLETER_ABORT", 15),
                Field("UNEXPECTED_COMPLETION", 16), Field("MALFORMED_TLP", 18),
                Field("UNSUPPORTED_REQUEST", 20))
UNCOR_ERROR_BITS = sum(f.mask for f in UNCOR_ERRORS)
# TLP Prefix Blocked: detected only by the egress port of a routing element,
# never by an endpoint, but its mask (and severity) must be implemented by a
# function with End-End TLP Prefix Supported (PCIe 7.8.4.3, Table 6-5 note)
PREFIX_BLOCKED = Field("TLP_PREFIX_BLOCKED", 25)
COR_ERRORS = (Field("ADVISORY_NON_FATAL", 13),)
COR_ERROR_BITS = sum(f.mask for f in COR_ERRORS)

AER_CAP_REGS = (
    Reg(0x100, "AER", "Extended Capability header", "RO",
        "Capability ID 0x0001 (AER), Version 2h, Next 0x148 (PASID) with PASID_CAP, else "
        "0x000; RO", value=0x00020001,
        spec="PCIe 7.8.4.1"),
    Reg(0x104, "AER_UNCOR_STATUS", "Uncorrectable Error Status", "RW1CS",
        "bits 12 Poisoned TLP Received, 15 Completer Abort, 16 Unexpected Completion, "
        "18 Malformed TLP, 20 Unsupported Request: RW1CS; others RsvdZ 0; reset 0",
        "Poisoned TLP (12), CA (15), UC (16), Malformed (18), UR (20) RW1CS",
        fields=UNCOR_ERRORS, w1c=UNCOR_ERROR_BITS, reset=0, spec="PCIe 7.8.4.2"),
    Reg(0x108, "AER_UNCOR_MASK", "Uncorrectable Error Mask", "RWS",
        "the bits of the status register and, with PASID_CAP, bit 25 TLP Prefix Blocked "
        "Error Mask: RWS, reset 0; others RsvdP 0",
        "same bits (+ 25 with PASID_CAP) RWS, reset 0", fields=UNCOR_ERRORS + (PREFIX_BLOCKED,),
        rw=UNCOR_ERROR_BITS | PREFIX_BLOCKED.mask, reset=0,
        spec="PCIe 7.8.4.3"),
    Reg(0x10C, "AER_UNCOR_SEVERITY", "Uncorrectable Error Severity", "RWS",
        "the bits of the status register and, with PASID_CAP, bit 25 TLP Prefix Blocked "
        "Error Severity: RWS (1 = Fatal); reset 0x00040000 (Malformed TLP Fatal, the "
        "others Non-Fatal); others RsvdP 0",
        "same bits (+ 25 with PASID_CAP) RWS, reset 0x00040000 (Malformed TLP Fatal)",
        fields=UNCOR_ERRORS + (PREFIX_BLOCKED,), rw=UNCOR_ERROR_BITS | PREFIX_BLOCKED.mask,
        reset=0x00040000, spec="PCIe 7.8.4.4"),
    Reg(0x110, "AER_COR_STATUS", "Correctable Error Status", "RW1CS",
        "bit 13 Advisory Non-Fatal Error RW1CS; others RsvdZ 0; reset 0",
        "Advisory Non-Fatal (13) RW1CS", fields=COR_ERRORS, w1c=COR_ERROR_BITS, reset=0,
        spec="PCIe 7.8.4.5"),
    Reg(0x114, "AER_COR_MASK", "Correctable Error Mask", "RWS",
        "bit 13 Advisory Non-Fatal Error Mask RWS, reset 1; others RsvdP 0",
        "Advisory Non-Fatal mask (13) RWS, reset 1", fields=COR_ERRORS,
        rw=COR_ERROR_BITS, reset=COR_ERROR_BITS, spec="PCIe 7.8.4.6"),
    Reg(0x118, "AER_CAP_CTL", "Advanced Error Capabilities and Control", "ROS",
        "First Error Pointer [4:0] ROS (the status bit of the first unmasked "
        "uncorrectable error logged); bit 11 TLP Prefix Log Present ROS (with PASID_CAP: "
        "the first error's TLP had an End-End prefix, now in the TLP Prefix Log); ECRC, "
        "Multiple Header Recording and Completion Timeout Prefix/Header Log: not "
        "supported, RO 0; reset 0",
        "First Error Pointer [4:0], TLP Prefix Log Present (11) ROS",
        fields=(Field("FIRST_ERROR_POINTER", 0, 5), Field("TLP_PREFIX_LOG_PRESENT", 11)),
        reset=0, spec="PCIe 7.8.4.7"),
    Reg(0x11C, "AER_HEADER_LOG", "Header Log (0x11C..0x128)", "ROS",
        "4 DWs: the header of the TLP of the first unmasked uncorrectable error, DW0 at "
        "0x11C, each DW as the header figures show it (byte 0 in bits 31:24); DW3 of a "
        "3-DW header and DWs that never arrived are 0; reset 0",
        "header of the first error's TLP", reset=0, spec="PCIe 7.8.4.8"),
    Reg(0x12C, "AER_ROOT", "Root Error Command / Status, Error Source ID (0x12C..0x137)",
        "RO", "not present in an endpoint: 0, RO", value=0),
    Reg(0x138, "AER_PREFIX_LOG", "TLP Prefix Log (0x138..0x144)", "ROS",
        "with PASID_CAP: DW0 (0x138) the End-End TLP Prefix of the first error's TLP when "
        "TLP Prefix Log Present is set, else 0; 0x13C..0x147 0 (one prefix at most); "
        "reset 0. Without PASID_CAP the capability ends at 0x137",
        "End-End prefix of the first error's TLP", reset=0, spec="PCIe 7.8.4.12"),
)
AER_HEADER_LOG_DWS = 4
AER_PREFIX_LOG_DWS = 4

# PASID Extended Capability (PCIe 7.8.8), present when PASID_CAP = 1, the
# last extended capability (AER's Next points here). PASID Enable gates
# every PASID-tagged message (design.md 5).
PASID_CAP_REGS = (
    Reg(0x148, "PASID", "Extended Capability header", "RO",
        "Capability ID 0x001B (PASID), Version 1h, Next 0x000; RO", value=0x0001001B,
        spec="PCIe 7.8.8.1"),
    Reg(0x14C, "PASID_CAP", "PASID Capability", "RO",
        "bit 1 Execute Permission Supported 0, bit 2 Privileged Mode Supported 0, "
        "bits 12:8 Max PASID Width = 20 (0x14); RO: 0x1400",
        fields=(Field("MAX_WIDTH", 8, 5),), value=0x1400, spec="PCIe 7.8.8.2", width=16),
    Reg(0x14E, "PASID_CTL", "PASID Control", "RW",
        "bit 0 PASID Enable RW, reset 0 (also by FLR); bits 1 Execute Permission Enable "
        "and 2 Privileged Mode Enable RO 0 (not supported); others RsvdP 0",
        "[0] PASID Enable RW", fields=(Field("ENABLE", 0),), rw=0x1, reset=0,
        spec="PCIe 7.8.8.3", width=16),
)
PASID_MAX_WIDTH = 20

# Error Messages (PCIe 2.2.8.3, Table 2-21): Msg, routed to the Root Complex
ERROR_MESSAGES = (
    Const("MSG_ERR_COR", 0x30, 8, "Message Code ERR_COR"),
    Const("MSG_ERR_NONFATAL", 0x31, 8, "Message Code ERR_NONFATAL"),
    Const("MSG_ERR_FATAL", 0x33, 8, "Message Code ERR_FATAL"),
)

CONFIG_SPACE = CFG_HEADER + PCIE_CAP_REGS + MSI_CAP_REGS + MSIX_CAP_REGS + PM_CAP_REGS \
    + AER_CAP_REGS + PASID_CAP_REGS

# Constants that are fields of registers above whose other fields vary
CONSTANTS = (
    Const("VENDOR_ID", VENDOR_ID, 16, "Vendor ID"),
    Const("DEVICE_ID", DEVICE_ID, 16, "Device ID"),
    Const("REVISION_ID", REVISION_ID, 8, "Revision ID"),
    Const("CLASS_CODE", CLASS_CODE, 24, "Class Code"),
    Const("SUBSYS_VENDOR_ID", SUBSYS_VENDOR_ID, 16, "Subsystem Vendor ID"),
    Const("SUBSYS_ID", SUBSYS_ID, 16, "Subsystem ID"),
    Const("CAP_ID_PCIE", CAP_ID_PCIE, 8, "Capability ID: PCI Express"),
    Const("CAP_ID_MSI", CAP_ID_MSI, 8, "Capability ID: MSI"),
    Const("CAP_ID_MSIX", CAP_ID_MSIX, 8, "Capability ID: MSI-X"),
    Const("CAP_ID_PM", CAP_ID_PM, 8, "Capability ID: PCI Power Management"),
    Const("ECAP_ID_AER", ECAP_ID_AER, 16, "Extended Capability ID: Advanced Error Reporting"),
    Const("ECAP_ID_PASID", ECAP_ID_PASID, 16, "Extended Capability ID: PASID"),
    Const("PASID_MAX_WIDTH", PASID_MAX_WIDTH, 5, "PASID Capability Max PASID Width"),
    Const("DEV_CAP2_VALUE_PASID", 0x00700000, 32,
          "Device Capabilities 2 with PASID_CAP: Extended Fmt, End-End TLP Prefix "
          "Supported, Max End-End TLP Prefixes 1"),
    Const("DEV_CAP2_VALUE_NO_PASID", 0x00100000, 32,
          "Device Capabilities 2 without PASID_CAP: Extended Fmt Field Supported"),
    Const("TLP_PREFIX_PASID", 0x91, 8,
          "first byte of a PASID End-End TLP Prefix: Fmt 100b, Type 1 0001b (PCIe 6.20)"),
    Const("PM_CAPABILITIES", 0x0003, 16,
          "Power Management Capabilities (PMC): version 011b, nothing else supported"),
    Const("PM_D0", 0b00, 2, "PMCSR PowerState D0"),
    Const("PM_D3HOT", 0b11, 2, "PMCSR PowerState D3hot"),
    Const("PCIE_CAPABILITIES", 0x0002, 16,
          "PCI Express Capabilities register: version 2, Device/Port Type 0000b (endpoint)"),
    Const("IMS_ENTRY_STRIDE", IMS_ENTRY_STRIDE, 8, "IMS_LAYOUT stride"),
    Const("IMS_LAYOUT_VERSION", IMS_LAYOUT_VERSION, 8, "IMS_LAYOUT version"),
)

# The description agrees with itself: values fit their registers, each capability block starts at its
# capability's offset, the list starts at the first one
assert [b[0].offset for b in (PCIE_CAP_REGS, MSI_CAP_REGS, MSIX_CAP_REGS, PM_CAP_REGS)] \
    == [c.value for c in CAPS]
assert CFG_HEADER[[r.name for r in CFG_HEADER].index("CAP_PTR")].value == CAPS[0].value
assert [AER_CAP_REGS[0].offset, PASID_CAP_REGS[0].offset] == [c.value for c in EXT_CAPS]
for _r in DEVICE_REGS + MSIX_ENTRY + IMS_ENTRY + CONFIG_SPACE:
    assert all(v is None or v < 1 << _r.width for v in (_r.value, _r.rw, _r.w1c, _r.reset)), _r.name
    assert not (_r.rw or 0) & (_r.w1c or 0), _r.name
    assert all(f.lsb + f.width <= _r.width for f in _r.fields), _r.name
