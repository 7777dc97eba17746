# SPDX-License-Identifier: MIT
"""Configuration space of function 0 (design.md section 3) as register tables.

Type 0 header, PCI Express capability, MSI capability (when MSI_VECTORS >
0), MSI-X capability (when MSIX_TABLE_SIZE > 0), Power Management capability; offsets, access and
reset values from the register map (model/regmap.py, as model/regs.py).
Extended space: the Advanced Error Reporting capability at 0x100 (to 0x147
with PASID_CAP, its TLP Prefix Log included, else to 0x137), the PASID
capability at 0x148 (PASID_CAP); the rest of 0x100-0xFFF reads 0 and
ignores writes.
"""

from __future__ import annotations

from collections.abc import Callable

from . import regs as R
from .params import Params
from .regfile import Reg, RegFile

# Bits of the DWs at CAP_MSI / CAP_MSIX (Message Control is the upper half)
MSI_ENABLE = R.CFG_MSI_CTL_ENABLE << 16
MSI_MMC_SHIFT = 16 + R.CFG_MSI_CTL_MMC_SHIFT
MSI_MME_SHIFT = 16 + R.CFG_MSI_CTL_MME_SHIFT
MSI_64BIT = R.CFG_MSI_CTL_64BIT << 16
MSI_PVM = R.CFG_MSI_CTL_PVM << 16
MSI_MME_RW = R.CFG_MSI_CTL_MME << 16
MSIX_FUNCTION_MASK = R.CFG_MSIX_CTL_FUNCTION_MASK << 16
MSIX_ENABLE = R.CFG_MSIX_CTL_ENABLE << 16


def _cap_header(cap_id: int, next_ptr: int, upper: int = 0) -> int:
    return upper << 16 | next_ptr << 8 | cap_id


def capability_chain(params: Params) -> list[int]:
    """Offsets of the present capabilities in list order."""
    chain = [R.CAP_PCIE]
    if params.msi_vectors:
        chain.append(R.CAP_MSI)
    if params.msix_table_size:
        chain.append(R.CAP_MSIX)
    chain.append(R.CAP_PM)      # every function that is not a VF (PCIe 7.5.2)
    return chain


def build_registers(params: Params) -> dict[int, Reg]:
    chain = capability_chain(params)
    nxt = {c: (chain[i + 1] if i + 1 < len(chain) else 0) for i, c in enumerate(chain)}
    regs = {
        R.CFG_ID: Reg("Vendor ID / Device ID", R.CFG_ID_VALUE),
        # Status bits 11, 14, 15 are RW1C (PCIe 7.5.1.1.4); the error
        # logging (model/errors.py) sets them.
        R.CFG_COMMAND: Reg("Command / Status", R.CFG_STATUS_RESET << 16 | R.CFG_COMMAND_RESET,
                           rw=R.CFG_COMMAND_RW, w1c=R.CFG_STATUS_W1C << 16),
        R.CFG_CLASS: Reg("Revision ID / Class Code", R.CFG_CLASS_VALUE),
        # Cache Line Size is RW with no effect in PCIe (7.5.1.1.7);
        # Latency Timer, Header Type 00h (Type 0, single function), BIST: 0.
        R.CFG_HEADER: Reg("Cache Line Size / Latency / Header Type / BIST",
                          R.CFG_HEADER_RESET, rw=R.CFG_HEADER_RW),
        # A 64-bit BAR: software writes all-ones and reads back the size
        # mask (PCI LB 6.2.5.1): 0xFFF00004 for 1 MiB.
        R.CFG_BAR0: Reg("BAR0", R.CFG_BAR0_RESET, rw=R.CFG_BAR0_RW),
        R.CFG_BAR1: Reg("BAR1", R.CFG_BAR1_RESET, rw=R.CFG_BAR1_RW),
        R.CFG_SUBSYSTEM: Reg("Subsystem Vendor ID / Subsystem ID", R.CFG_SUBSYSTEM_VALUE),
        R.CFG_CAP_PTR: Reg("Capabilities Pointer", chain[0]),
        R.CFG_INTERRUPT: Reg("Interrupt Line / Pin", R.CFG_INTERRUPT_RESET,
                             rw=R.CFG_INTERRUPT_RW),
        # PCI Express capability, version 2, Device/Port Type 0000b (endpoint)
        R.CFG_PCIE: Reg("PCIe Capability header",
                        _cap_header(R.CAP_ID_PCIE, nxt[R.CAP_PCIE], R.PCIE_CAPABILITIES)),
        R.CFG_DEV_CAP: Reg("Device Capabilities", R.CFG_DEV_CAP_VALUE),
        # Device Status bits 3:0 are RW1C (PCIe 7.5.3.5)
        R.CFG_DEV_CTL: Reg("Device Control / Status", R.CFG_DEV_STATUS_RESET << 16
                           | R.CFG_DEV_CTL_RESET, rw=R.CFG_DEV_CTL_RW,
                           w1c=R.CFG_DEV_STATUS_W1C << 16),
        R.CFG_LINK_CAP: Reg("Link Capabilities", R.CFG_LINK_CAP_VALUE),
        R.CFG_LINK_CTL: Reg("Link Control / Status", R.CFG_LINK_STATUS_VALUE << 16
                            | R.CFG_LINK_CTL_RESET, rw=R.CFG_LINK_CTL_RW),
        # Extended Fmt Field Supported; with PASID_CAP one End-End TLP
        # Prefix (PCIe 7.5.3.15); Device Control 2 reads 0: End-End TLP
        # Prefix Blocking is RsvdP in an endpoint (7.5.3.16)
        R.CFG_DEV_CAP2: Reg("Device Capabilities 2", R.DEV_CAP2_VALUE_PASID if params.pasid_cap
                            else R.DEV_CAP2_VALUE_NO_PASID),
        R.CFG_DEV_CTL2: Reg("Device Control 2 / Status 2", R.CFG_DEV_CTL2_VALUE),
        R.CFG_LINK_CAP2: Reg("Link Capabilities 2", R.CFG_LINK_CAP2_VALUE),
        R.CFG_LINK_CTL2: Reg("Link Control 2 / Status 2", R.CFG_LINK_CTL2_VALUE),
    }
    if params.msi_vectors:
        mmc = params.mmc

        def clamp_mme(old: int, new: int) -> int:
            # design.md 3: a written MME above MMC is stored as MMC
            # (PCI LB 6.8.1.3 leaves values above MMC undefined).
            mme = (new >> MSI_MME_SHIFT) & 7
            if mme > mmc:
                new = (new & ~(7 << MSI_MME_SHIFT)) | mmc << MSI_MME_SHIFT
            return new

        mc = mmc << MSI_MMC_SHIFT | MSI_64BIT | MSI_PVM
        regs.update({
            R.CFG_MSI: Reg("MSI Capability header / Message Control",
                           _cap_header(R.CAP_ID_MSI, nxt[R.CAP_MSI]) | mc,
                           rw=R.CFG_MSI_CTL_RW << 16, write_hook=clamp_mme),
            R.CFG_MSI_ADDR: Reg("MSI Message Address", R.CFG_MSI_ADDR_RESET,
                                rw=R.CFG_MSI_ADDR_RW),
            R.CFG_MSI_ADDR_HI: Reg("MSI Message Upper Address", R.CFG_MSI_ADDR_HI_RESET,
                                   rw=R.CFG_MSI_ADDR_HI_RW),
            R.CFG_MSI_DATA: Reg("MSI Message Data", R.CFG_MSI_DATA_RESET, rw=R.CFG_MSI_DATA_RW),
            R.CFG_MSI_MASK: Reg("MSI Mask Bits", R.CFG_MSI_MASK_RESET,
                                rw=(1 << params.msi_vectors) - 1),
            R.CFG_MSI_PENDING: Reg("MSI Pending Bits", 0),  # value from the store
        })
    if params.msix_table_size:
        regs.update({
            R.CFG_MSIX: Reg("MSI-X Capability header / Message Control",
                            _cap_header(R.CAP_ID_MSIX, nxt[R.CAP_MSIX],
                                        params.msix_table_size - 1),
                            rw=R.CFG_MSIX_CTL_RW << 16),
            R.CFG_MSIX_TABLE: Reg("MSI-X Table Offset / BIR", R.CFG_MSIX_TABLE_VALUE),
            R.CFG_MSIX_PBA: Reg("MSI-X PBA Offset / BIR", R.CFG_MSIX_PBA_VALUE),
        })
    def keep_supported_state(old: int, new: int) -> int:
        # PCIe 7.5.2.2: a write of an unsupported PowerState (D1, D2 here)
        # completes normally, the data is discarded, the state stays
        if (new & R.CFG_PMCSR_POWER_STATE) not in (R.PM_D0, R.PM_D3HOT):
            return old
        return new

    regs.update({
        R.CFG_PM: Reg("Power Management Capability header / PMC",
                      _cap_header(R.CAP_ID_PM, nxt[R.CAP_PM], R.PM_CAPABILITIES)),
        R.CFG_PMCSR: Reg("PMCSR", R.CFG_PMCSR_RESET, rw=R.CFG_PMCSR_RW,
                         write_hook=keep_supported_state),
    })
    regs.update(_aer_registers(params.pasid_cap))
    if params.pasid_cap:
        # PASID Extended Capability (PCIe 7.8.8), the last extended one;
        # PASID Control (the upper half of 0x14C): PASID Enable RW
        regs.update({
            R.CFG_PASID: Reg("PASID Extended Capability header", R.CFG_PASID_VALUE),
            R.CFG_PASID_CAP: Reg("PASID Capability / Control", R.CFG_PASID_CAP_VALUE,
                                 rw=R.CFG_PASID_CTL_RW << 16),
        })
    return regs


def _aer_registers(prefixes: bool) -> dict[int, Reg]:
    """Advanced Error Reporting Extended Capability at 0x100 (design.md 3,
    PCIe 7.8.4).  The hardware-set bits (status, First Error Pointer, Header
    Log) are written by model/errors.py; to software the status bits are
    RW1C, the pointer and the log RO.  Sticky bits only matter against
    resets other than the fundamental one, which this device has not.

    With End-End TLP Prefix support (``prefixes``): Next is the PASID
    capability, the TLP Prefix Log is at 0x138 (7.8.4.12), and TLP Prefix
    Blocked (bit 25) has its mask and severity bits (Table 6-5 note: the
    mask is required of such a function; only an egress port detects it)."""
    uncor_rw = R.CFG_AER_UNCOR_MASK_RW if prefixes \
        else R.CFG_AER_UNCOR_MASK_RW & ~R.CFG_AER_UNCOR_MASK_TLP_PREFIX_BLOCKED
    header = R.CFG_AER_VALUE | (R.ECAP_PASID << 20 if prefixes else 0)
    regs = {
        R.CFG_AER: Reg("AER Extended Capability header", header),
        R.CFG_AER_UNCOR_STATUS: Reg("Uncorrectable Error Status", R.CFG_AER_UNCOR_STATUS_RESET,
                                    w1c=R.CFG_AER_UNCOR_STATUS_W1C),
        R.CFG_AER_UNCOR_MASK: Reg("Uncorrectable Error Mask", R.CFG_AER_UNCOR_MASK_RESET,
                                  rw=uncor_rw),
        R.CFG_AER_UNCOR_SEVERITY: Reg("Uncorrectable Error Severity",
                                      R.CFG_AER_UNCOR_SEVERITY_RESET, rw=uncor_rw),
        R.CFG_AER_COR_STATUS: Reg("Correctable Error Status", R.CFG_AER_COR_STATUS_RESET,
                                  w1c=R.CFG_AER_COR_STATUS_W1C),
        R.CFG_AER_COR_MASK: Reg("Correctable Error Mask", R.CFG_AER_COR_MASK_RESET,
                                rw=R.CFG_AER_COR_MASK_RW),
        R.CFG_AER_CAP_CTL: Reg("Advanced Error Capabilities and Control",
                               R.CFG_AER_CAP_CTL_RESET),
    }
    for k in range(4):
        regs[R.CFG_AER_HEADER_LOG + 4 * k] = Reg(f"Header Log DW{k}",
                                                 R.CFG_AER_HEADER_LOG_RESET)
    # 0x12C..0x137 (Root Error registers): not present in an endpoint, read 0
    if prefixes:
        # TLP Prefix Log: DW0 the logged prefix (model/errors.py), DW1-3
        # beyond Max End-End TLP Prefixes (1) read 0
        regs[R.CFG_AER_PREFIX_LOG] = Reg("TLP Prefix Log DW0", R.CFG_AER_PREFIX_LOG_RESET)
    return regs


class ConfigSpace:
    """Function 0's configuration space; ``read``/``write`` take byte offsets."""

    def __init__(self, params: Params,
                 msi_pending: Callable[[], int] | None = None):
        self.params = params
        hooks = {}
        if params.msi_vectors and msi_pending is not None:
            hooks[R.CFG_MSI_PENDING] = lambda _v: msi_pending()
        self.regs = RegFile(build_registers(params), hooks)

    def reset(self) -> None:
        self.regs.reset()

    # Offsets 0x100-0xFFF outside the AER capability read 0 and ignore
    # writes (design.md 2); unlisted offsets of the register file do that.
    def read(self, offset: int) -> int:
        return self.regs.read(offset & 0xFFC)

    def write(self, offset: int, value: int, be: int = 0xF) -> bool:
        return self.regs.write(offset & 0xFFC, value, be)

    def _get(self, off: int) -> int:
        return self.regs.get(off) if off in self.regs else 0

    # Decoded fields -----------------------------------------------------
    @property
    def command(self) -> int:
        return self._get(R.CFG_COMMAND) & 0xFFFF

    @property
    def d3hot(self) -> bool:
        """PowerState D3hot (PCIe 5.3.1.4.1: only configuration and message
        requests are taken, no request is sent)."""
        return self._get(R.CFG_PMCSR) & R.CFG_PMCSR_POWER_STATE == R.PM_D3HOT

    @property
    def memory_space_enable(self) -> bool:
        """Memory Space Enable, and not in D3hot (where memory requests are
        Unsupported Requests, PCIe 5.3.1.4.1)."""
        return bool(self.command & R.CFG_COMMAND_MEMORY_SPACE) and not self.d3hot

    @property
    def bus_master_enable(self) -> bool:
        return bool(self.command & R.CFG_COMMAND_BUS_MASTER)

    @property
    def bar0_base(self) -> int:
        """{BAR1, BAR0[31:20], 20'h0} (design.md 2)."""
        return self._get(R.CFG_BAR1) << 32 | (self._get(R.CFG_BAR0) & R.CFG_BAR0_RW)

    @property
    def msi_enable(self) -> bool:
        return bool(self._get(R.CFG_MSI) & MSI_ENABLE)

    @property
    def msi_mme(self) -> int:
        return (self._get(R.CFG_MSI) & MSI_MME_RW) >> MSI_MME_SHIFT

    @property
    def msi_address(self) -> int:
        return self._get(R.CFG_MSI_ADDR_HI) << 32 | self._get(R.CFG_MSI_ADDR)

    @property
    def msi_data(self) -> int:
        return self._get(R.CFG_MSI_DATA) & R.CFG_MSI_DATA_RW

    @property
    def msi_mask_bits(self) -> int:
        return self._get(R.CFG_MSI_MASK)

    @property
    def msix_enable(self) -> bool:
        return bool(self._get(R.CFG_MSIX) & MSIX_ENABLE)

    @property
    def pasid_enable(self) -> bool:
        """PASID Control PASID Enable (PCIe 7.8.8.3); False without PASID_CAP."""
        return bool(self._get(R.CFG_PASID_CAP) >> 16 & R.CFG_PASID_CTL_ENABLE)

    @property
    def msix_function_mask(self) -> bool:
        return bool(self._get(R.CFG_MSIX) & MSIX_FUNCTION_MASK)
