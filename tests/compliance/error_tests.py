# SPDX-License-Identifier: MIT
"""Compliance suite, errors: erroneous TLPs sent through the adapter (raw
DWs, tb/rc_adapter.py ``send_raw``) to the enumerated device, and what it
logs and signals, read back over configuration requests through
cocotbext-pcie's RootComplex. Nothing of this project's reference model is
involved: the expectations come from the PCI Express Base Specification
(r6.x):

* the error of each TLP (2.2.8.3, 2.3.1, 2.3.2, 2.7.2.2, 6.2.3.2.3 for
  precedence) and whether it is an advisory non-fatal case (6.2.3.2.4);
* the sequence of Figure 6-2 (6.2.5): Device Status bits 0-3 (7.5.3.5),
  the AER status bits, First Error Pointer and Header Log (7.8.4), the
  Status bits (7.5.1.1.4) and the Error Message (ERR_COR 30h,
  ERR_NONFATAL 31h, ERR_FATAL 33h, 2.2.8.3) as Device Control's enables
  (7.5.3.4), SERR# Enable (7.5.1.1.3), the masks and the severity allow;
* that every RW1C / RW1CS bit keeps on a write of 0 and clears on a write
  of 1, bit by bit;
* that a function in D3hot logs and reports the errors received TLPs
  cause as in D0 (5.3.1.4).

Each case starts from a clean device (every error status bit clear, so
the First Error Pointer is not valid, 7.8.4.7) and leaves it clean: the
clearing is itself checked. After the erroneous TLP one configuration
read goes through the same path; once its completion is back, the
device has handled the TLP (it takes requests in order) and any Error
Message of it has arrived.
"""

from __future__ import annotations

import dataclasses
import itertools

import cocotb
from cocotb.triggers import ClockCycles

from tests.compliance import spec_registers as S
from tests.configs import current_config, current_sim
from tests.compliance.config_tests import (EXTENDED_START, capability_list,
                                           extended_capability_list, start)

MIB = 1 << 20
UR, CA = 0b001, 0b100               # Completion Status (2.2.9)
ANF = 1 << S.AER_ANF_BIT
ROOT_ID = 0x0000                    # requests come from the root complex, 00:00.0
SCRATCH_FREE = 0x200                # BAR0 offsets written by the tests: unmapped device registers
DONE_CYCLES = 64                    # after the sync read: late Messages would arrive here


# ---------------------------------------------------------------- TLP headers
# DWs as the header figures show them (2.2.1): DW0 Fmt[31:29] Type[28:24]
# EP[14] Length[9:0]; requests DW1 Requester ID[31:16] Tag[15:8] Last/First
# DW BE[7:0]; payload DWs follow the header.

def dw0(fmt, typ, length, ep=False):
    return fmt << 29 | typ << 24 | int(ep) << 14 | (length & 0x3FF)


def req_dw1(tag, first_be=0xF, last_be=0x0):
    return ROOT_ID << 16 | tag << 8 | last_be << 4 | first_be


def mem_read(addr, tag, length=1):
    last = 0xF if length > 1 else 0x0
    if addr >> 32:
        return [dw0(0b001, 0b00000, length), req_dw1(tag, 0xF, last), addr >> 32,
                addr & ~3 & 0xFFFFFFFF]
    return [dw0(0b000, 0b00000, length), req_dw1(tag, 0xF, last), addr & ~3]


def mem_write(addr, tag, data, length=None, ep=False):
    """A 3DW MWr; ``length`` other than len(data) makes it malformed (2.2.7)."""
    length = len(data) if length is None else length
    last = 0xF if length > 1 else 0x0
    return [dw0(0b010, 0b00000, length, ep), req_dw1(tag, 0xF, last), addr & ~3] + list(data)


def cfg0(dev_id, function, reg, tag, write=None, length=1, ep=False):
    """CfgRd0 / CfgWr0 (2.2.7.3): DW2 Bus[31:24] Device[23:19] Function[18:16] Register[11:2]."""
    dw2 = dev_id.bus << 24 | dev_id.device << 19 | function << 16 | (reg & 0xFFC)
    fmt = 0b010 if write is not None else 0b000
    payload = [write] if write is not None else []
    return [dw0(fmt, 0b00100, length, ep), req_dw1(tag), dw2] + payload


def completion(dev_id, tag):
    """A Cpl (Type 01010b, SC, Byte Count 4) addressed to the device (2.2.9)."""
    return [dw0(0b000, 0b01010, 0), ROOT_ID << 16 | 4, int(dev_id) << 16 | tag << 8]


# ---------------------------------------------------------------- the error cases

@dataclasses.dataclass(frozen=True)
class Case:
    name: str
    error: str              # name in S.AER_UNCORRECTABLE
    build: object           # (Device, tag, serial) -> DWs
    nonposted: bool         # carries a tag whose completion is watched
    completion: int | None  # expected Completion Status; None: never completed
    advisory: bool          # an advisory case when Non-Fatal (6.2.3.2.4)
    status: int             # Status register bits it sets whatever else (7.5.1.1.4)
    section: str
    # only for a function with (True) / without (False) End-End TLP Prefix
    # Supported (Device Capabilities 2 bit 21); None: any
    e2e: bool | None = None


def _outside(dev, n):
    return dev.bar0 + MIB + 4 * (n % 256)


def _inside(dev, n):
    return dev.bar0 + SCRATCH_FREE + 16 * (n % 32)


CASES = (
    Case("MRd outside BAR0", "Unsupported Request",
         lambda d, t, n: mem_read(_outside(d, n), t), True, UR, True, 0,
         "2.3.1: UR, completed; advisory 6.2.3.2.4.1"),
    Case("4DW MRd above 4 GiB outside BAR0", "Unsupported Request",
         lambda d, t, n: mem_read((1 << 40) + 4 * n, t), True, UR, True, 0,
         "2.3.1: UR, completed; advisory 6.2.3.2.4.1; a 4-DW header in the log"),
    Case("CfgRd0 to function 1", "Unsupported Request",
         lambda d, t, n: cfg0(d.id, 1, 0x00, t), True, UR, True, 0,
         "2.3.1, 7.5.1: a single-function device, UR; advisory 6.2.3.2.4.1"),
    Case("poisoned CfgWr0", "Unsupported Request",
         lambda d, t, n: cfg0(d.id, 0, 0x0C, t, write=n & 0xFF, ep=True), True, UR, True,
         S.STATUS_DETECTED_PARITY_ERROR,
         "2.7.2.2: not performed, UR (precedence over Poisoned, 6.2.3.2.3); "
         "Detected Parity Error 7.5.1.1.4"),
    Case("MWr outside BAR0", "Unsupported Request",
         lambda d, t, n: mem_write(_outside(d, n), t, [n]), False, None, False, 0,
         "2.3.1: UR, posted: not an advisory case"),
    Case("MRd in BAR0, Length 3", "Completer Abort",
         lambda d, t, n: mem_read(_inside(d, n), t, length=3), True, CA, True,
         S.STATUS_SIGNALED_TARGET_ABORT,
         "2.3.1: CA, completed; advisory 6.2.3.2.4.1; Signaled Target Abort 7.5.1.1.4"),
    Case("MWr in BAR0, Length 3", "Completer Abort",
         lambda d, t, n: mem_write(_inside(d, n), t, [n, n + 1, n + 2]), False, None, False,
         S.STATUS_SIGNALED_TARGET_ABORT,
         "2.3.1: CA, posted: not advisory; Signaled Target Abort 7.5.1.1.4"),
    Case("Completion nobody asked for", "Unexpected Completion",
         lambda d, t, n: completion(d.id, t), False, None, True, 0,
         "2.3.2: Unexpected Completion; advisory 6.2.3.2.4.5"),
    Case("poisoned MWr to BAR0", "Poisoned TLP Received",
         lambda d, t, n: mem_write(_inside(d, n), t, [n], ep=True), False, None, True,
         S.STATUS_DETECTED_PARITY_ERROR,
         "2.7.2.2: Poisoned TLP Received; advisory 6.2.3.2.4.3; Detected Parity Error"),
    Case("CfgRd0 with Length 2", "Malformed TLP",
         lambda d, t, n: cfg0(d.id, 0, 0x00, t, length=2), True, None, False, 0,
         "2.2.7.3: configuration requests have Length 1; malformed, not completed (2.3)"),
    Case("MWr with Length 2 and one payload DW", "Malformed TLP",
         lambda d, t, n: mem_write(_inside(d, n) & ~7, t, [n], length=2), False, None, False, 0,
         "2.2.7: Length disagrees with the payload; malformed"),
)

#: more requests the specification makes errors, each under a few settings
PASID_PREFIX = 0x91000000           # End-End TLP prefix, PASID (6.20)
MORE_CASES = (
    Case("IORd", "Unsupported Request",
         lambda d, t, n: [dw0(0b000, 0b00010, 1), req_dw1(t), 0x1000 + 4 * n], True, UR, True, 0,
         "2.3.1: a function without I/O space: UR, completed; advisory 6.2.3.2.4.1"),
    Case("MRdLk", "Unsupported Request",
         lambda d, t, n: [dw0(0b000, 0b00001, 1), req_dw1(t), _inside(d, n)], True, UR, True, 0,
         "2.3.1: an Endpoint does not support locked requests: UR (in a CplLk, 2.2.9)"),
    Case("CfgRd1", "Unsupported Request",
         lambda d, t, n: [dw0(0b000, 0b00101, 1), req_dw1(t), d.id.bus << 24 | 4 * n], True,
         UR, True, 0, "2.3.1: Type 1 configuration requests are for bridges: UR"),
    Case("Vendor_Defined Type 0 Message", "Unsupported Request",
         lambda d, t, n: [dw0(0b001, 0b10100, 0), ROOT_ID << 16 | t << 8 | 0x7E, 0, n], False,
         None, False, 0, "2.2.8.6: a Type 0 VDM the function does not support is a UR"),
    Case("poisoned MWr outside BAR0", "Unsupported Request",
         lambda d, t, n: mem_write(_outside(d, n), t, [n], ep=True), False, None, False,
         S.STATUS_DETECTED_PARITY_ERROR,
         "2.3.1, 6.2.3.2.3: UR before Poisoned; Detected Parity Error 7.5.1.1.4"),
    Case("MWr outside BAR0 behind a PASID prefix", "Unsupported Request",
         lambda d, t, n: [PASID_PREFIX | n] + mem_write(_outside(d, n), t, [n]), False, None,
         False, 0, "6.2.4.4: the prefix in the TLP Prefix Log, the header in the Header Log; "
         "6.20.2.2: a PASID while PASID Enable is clear is a UR too", e2e=True),
    Case("MWr behind a PASID prefix, no End-End prefix support", "Malformed TLP",
         lambda d, t, n: [PASID_PREFIX | n] + mem_write(_inside(d, n), t, [n]), False, None,
         False, 0, "2.2.10.4: an End-End prefix to a receiver without support is Malformed; "
         "6.2.4.4: the Header Log holds the TLP's first four DWs, the prefix first",
         e2e=False),
    Case("4DW CfgRd0", "Malformed TLP",
         lambda d, t, n: [dw0(0b001, 0b00100, 1), req_dw1(t), 0, 4 * n], True, None, False, 0,
         "2.2.7.3: configuration requests use the 3-DW header"),
    Case("MWr with Length 1 and two payload DWs", "Malformed TLP",
         lambda d, t, n: mem_write(_inside(d, n), t, [n, n], length=1), False, None, False, 0,
         "2.2.7: Length disagrees with the payload"),
    Case("MWr with TD set and no TLP Digest", "Malformed TLP",
         lambda d, t, n: _with_td(mem_write(_inside(d, n), t, [n])), False, None, False, 0,
         "2.2.3: TD does not match the TLP's size"),
    Case("reserved Fmt 101b", "Malformed TLP",
         # three DWs: whatever header size the receiver assumes, the log is the same
         lambda d, t, n: [0b101 << 29 | 1, req_dw1(t), _inside(d, n)], False, None, False, 0,
         "2.2.1: a reserved Fmt"),
    Case("one-DW TLP", "Malformed TLP",
         lambda d, t, n: [dw0(0b010, 0b00000, 1) | (n & 0xF) << 10], False, None, False, 0,
         "2.2.1: shorter than any header (the Header Log has the DWs that arrived)"),
)
MORE_SETTINGS = ("reset values", "SERR# Enable only", "ANF unmasked, all enables",
                 "severity flipped, Fatal and Non-Fatal Enables")
CASE = {c.name: c for c in CASES + MORE_CASES}


def _with_td(dws):
    return [dws[0] | 1 << 15] + dws[1:]


# ---------------------------------------------------------------- settings and the oracle

UNCOR_SEVERITY_RESET = sum(sev << bit for _, bit, sev in S.AER_UNCORRECTABLE)
COR_MASK_RESET = ANF                # 7.8.4.6: Advisory Non-Fatal Error Mask default 1b
#: the RW1C bits of Status (7.5.1.1.4: Master Data Parity Error 8, Signaled
#: Target Abort 11, Received Target / Master Abort 12, 13, Signaled System
#: Error 14, Detected Parity Error 15) and Device Status (7.5.3.5: 3:0)
STATUS_RW1C = 0xF900
DEVSTA_RW1C = 0x000F
DEVCTL_ENABLES = (S.DEVCTL_CORRECTABLE_ENABLE | S.DEVCTL_NONFATAL_ENABLE
                  | S.DEVCTL_FATAL_ENABLE | S.DEVCTL_UR_ENABLE)


@dataclasses.dataclass(frozen=True)
class Setting:
    """What software set before the error: Device Control bits 3:0, SERR#
    Enable, the ANF mask, the error's own mask bit and its severity."""
    name: str
    devctl: int = 0
    serr: bool = False
    anf_masked: bool = True         # reset value (7.8.4.6)
    masked: bool = False
    flip_severity: bool = False
    d3hot: bool = False             # PowerState D3hot while the TLP arrives


SETTINGS = (
    Setting("reset values"),
    Setting("all reporting enables", devctl=DEVCTL_ENABLES),
    Setting("Correctable Reporting Enable only", devctl=S.DEVCTL_CORRECTABLE_ENABLE),
    Setting("Non-Fatal Reporting Enable only", devctl=S.DEVCTL_NONFATAL_ENABLE),
    Setting("Fatal Reporting Enable only", devctl=S.DEVCTL_FATAL_ENABLE),
    Setting("UR Reporting Enable only", devctl=S.DEVCTL_UR_ENABLE),
    Setting("SERR# Enable only", serr=True),
    Setting("ANF unmasked, all enables", devctl=DEVCTL_ENABLES, anf_masked=False),
    Setting("ANF unmasked, Correctable Enable only", devctl=S.DEVCTL_CORRECTABLE_ENABLE,
            anf_masked=False),
    Setting("ANF unmasked, Correctable and UR Enables",
            devctl=S.DEVCTL_CORRECTABLE_ENABLE | S.DEVCTL_UR_ENABLE, anf_masked=False),
    Setting("error masked, ANF unmasked, all enables", devctl=DEVCTL_ENABLES,
            anf_masked=False, masked=True),
    Setting("severity flipped, ANF unmasked, all enables", devctl=DEVCTL_ENABLES,
            anf_masked=False, flip_severity=True),
    Setting("severity flipped, SERR# Enable only", serr=True, flip_severity=True),
    Setting("severity flipped, Fatal and Non-Fatal Enables",
            devctl=S.DEVCTL_FATAL_ENABLE | S.DEVCTL_NONFATAL_ENABLE, flip_severity=True),
)


#: The whole matrix runs once, on Verilator's default configuration: the
#: logging rules do not depend on the parameters. Elsewhere (the other
#: configurations, where what changes is the BAR0 decode behind the errors,
#: and Icarus, about ten times slower) every case runs under two settings:
#: one advisory branch of Figure 6-2 with its ERR_COR, one uncorrectable
#: branch with ERR_NONFATAL/ERR_FATAL (make test stays within 10 minutes).
LIGHT_SETTINGS = ("ANF unmasked, all enables", "SERR# Enable only")


def full_matrix():
    return current_sim() == "verilator" and current_config() == "default"


@dataclasses.dataclass
class Expect:
    devsta: int = 0
    uncor: int = 0
    cor: int = 0
    logged: bool = False
    message: int | None = None
    status: int = 0


def expected(case, setting):
    """What the function logs and sends, by PCIe 6.2.5 Figure 6-2 and the
    advisory non-fatal rules of 6.2.3.2.4. D3hot changes nothing here: an
    error caused by a received TLP in D1/D2/D3hot, with reporting enabled,
    sends its Error Message (PCIe 5.3.1.4, the Link is brought to L0 for
    it)."""
    bit = S.AER_UNCOR_BITS[case.error]
    fatal = bool(UNCOR_SEVERITY_RESET >> bit & 1) != setting.flip_severity
    ur = case.error == "Unsupported Request"
    e = Expect(status=case.status)
    # 7.5.3.5: Unsupported Request Detected whatever masks and enables say
    e.devsta |= S.DEVSTA_UR if ur else 0
    if case.advisory and not fatal:
        # 6.2.3.2.4: reported as a correctable error
        e.devsta |= S.DEVSTA_CORRECTABLE
        e.cor |= ANF
        if setting.anf_masked:
            return e
        e.uncor |= 1 << bit
        e.logged = not setting.masked
        # a UR's ERR_COR also needs UR Reporting Enable (6.2.3.2.4, 7.5.3.4)
        if setting.devctl & S.DEVCTL_CORRECTABLE_ENABLE and \
                (not ur or setting.devctl & S.DEVCTL_UR_ENABLE):
            e.message = S.ERR_COR
        return e
    e.devsta |= S.DEVSTA_FATAL if fatal else S.DEVSTA_NONFATAL
    e.uncor |= 1 << bit
    if setting.masked:
        return e
    e.logged = True
    if ur and not (setting.devctl & S.DEVCTL_UR_ENABLE or setting.serr):
        return e
    if fatal and (setting.serr or setting.devctl & S.DEVCTL_FATAL_ENABLE):
        e.message = S.ERR_FATAL
    elif not fatal and (setting.serr or setting.devctl & S.DEVCTL_NONFATAL_ENABLE):
        e.message = S.ERR_NONFATAL
    if e.message is not None and setting.serr:
        e.status |= S.STATUS_SIGNALED_SYSTEM_ERROR      # 7.5.1.1.4: when it sends one
    return e


# ---------------------------------------------------------------- the device

@dataclasses.dataclass
class Snapshot:
    status: int
    devsta: int
    uncor: int
    cor: int
    fep: int
    header: list
    prefix_present: bool = False     # TLP Prefix Log Present (7.8.4.7)
    prefix_log: int = 0              # TLP Prefix Log DW0 (7.8.4.12)

    def clean(self):
        """No error status bit set (so the First Error Pointer is not valid)."""
        return not (self.status & STATUS_RW1C or self.devsta & DEVSTA_RW1C or self.uncor
                    or self.cor)

    def summary(self):
        return (f"Status {self.status:#06x}, Device Status {self.devsta:#06x}, "
                f"Uncorrectable {self.uncor:#010x}, Correctable {self.cor:#010x}, "
                f"First Error Pointer {self.fep}, Header Log "
                + " ".join(f"{h:08x}" for h in self.header))


class Device:
    """The enumerated function: where its registers are, how to read them."""

    def __init__(self, dut, rc, ep, cfg):
        self.dut, self.rc, self.ep, self.cfg = dut, rc, ep, cfg
        self.id = ep.pcie_id
        self.serial = itertools.count(1)

    async def locate(self):
        caps = {cid: off for off, cid in await capability_list(self.cfg)}
        self.pcie = caps[S.PCIE_CAP_ID]
        self.pm = caps.get(S.PM_CAP_ID)
        ext = {cid: off for off, cid, _ in await extended_capability_list(self.cfg)}
        if S.AER_CAP_ID not in ext:
            # keep going at 100h (design.md 3), so every check reports what it sees
            self.dut._log.error("no AER capability in the extended list %s", ext)
        self.aer = ext.get(S.AER_CAP_ID, EXTENDED_START)
        bar_lo = await self.cfg.read(0x10)
        bar_hi = await self.cfg.read(0x14)
        self.bar0 = bar_hi << 32 | (bar_lo & ~0xF)
        assert self.bar0, "enumeration did not assign BAR0"
        self.command = (await self.cfg.read(S.COMMAND)) & 0xFFFF
        self.devctl = (await self.cfg.read(self.pcie + S.DEVICE_CONTROL)) & 0xFF
        devcap2 = await self.cfg.read(self.pcie + S.DEVICE_CAPABILITIES_2)
        self.e2e = S.end_end_prefix_supported(devcap2)

    async def read_many(self, offsets):
        reads = [cocotb.start_soon(self.cfg.read(o)) for o in offsets]
        return [await r for r in reads]

    async def snapshot(self):
        a = self.aer
        cmdsta, devcs, uncor, cor, capctl, *hdr = await self.read_many(
            [S.COMMAND, self.pcie + S.DEVICE_CONTROL, a + S.AER_UNCOR_STATUS,
             a + S.AER_COR_STATUS, a + S.AER_CAP_CONTROL]
            + [a + S.AER_HEADER_LOG + 4 * k for k in range(4)])
        pfx = (await self.cfg.read(a + S.AER_TLP_PREFIX_LOG)) if self.e2e else 0
        return Snapshot(cmdsta >> 16, devcs >> 16, uncor, cor, capctl & 0x1F, hdr,
                        bool(capctl >> S.AER_TLP_PREFIX_LOG_PRESENT_BIT & 1), pfx)

    async def sync(self):
        """A configuration read: the device takes requests in order, so when
        it completes, the TLPs before it are handled and their Messages sent."""
        await self.cfg.read(0x00)
        await ClockCycles(self.dut.clk, DONE_CYCLES)

    # --- writes of one register without touching its neighbours in the DW
    async def write_status(self, value):
        await self.cfg.write(S.COMMAND, value << 16, be=0b1100)

    async def write_devsta(self, value):
        await self.cfg.write(self.pcie + S.DEVICE_CONTROL, value << 16, be=0b1100)

    async def write_many(self, writes):
        """Configuration writes (offset, value, be) in flight together: they
        go to different registers, and the device takes them in order."""
        for w in [cocotb.start_soon(self.cfg.write(*w)) for w in writes]:
            await w

    def command_write(self, serr):
        """The Command register with Memory Space Enable and ``serr``; the
        rest as enumeration left it (read once in locate)."""
        cmd = (self.command & ~S.SERR_ENABLE) | (S.SERR_ENABLE if serr else 0) | 0x2
        return (S.COMMAND, cmd, 0b0011)

    def devctl_write(self, enables):
        """Device Control bits 7:0 with the reporting enables ``enables``."""
        return (self.pcie + S.DEVICE_CONTROL, (self.devctl & ~0xF) | enables, 0b0001)

    async def apply(self, case, setting):
        bit = S.AER_UNCOR_BITS[case.error]
        await self.write_many([
            self.command_write(setting.serr), self.devctl_write(setting.devctl),
            (self.aer + S.AER_UNCOR_MASK, (1 << bit) if setting.masked else 0, 0xF),
            (self.aer + S.AER_UNCOR_SEVERITY,
             UNCOR_SEVERITY_RESET ^ ((1 << bit) if setting.flip_severity else 0), 0xF),
            (self.aer + S.AER_COR_MASK, ANF if setting.anf_masked else 0, 0xF)]
            + ([(self.pm + 4, S.PM_D3HOT, 0b0001)] if setting.d3hot else []))

    async def send(self, case):
        """The case's TLP; returns (Header Log DWs, the End-End prefix the
        TLP Prefix Log must hold or None, completions)."""
        n = next(self.serial)
        tag = 0x80 + n % 0x80
        dws = case.build(self, tag, n)
        await self.ep.send_raw(dws, tag=tag if case.nonposted else None)
        await self.sync()
        cpls = self.ep.take_raw_completions(tag) if case.nonposted else []
        # 6.2.4.4: a function with End-End prefix support logs the prefix in
        # the TLP Prefix Log and the header after it in the Header Log; one
        # without logs "the first four DWs of the TLP (End-End TLP Prefixes
        # followed by as much of the TLP Header as will fit)". 0 for a 3-DW
        # header's fourth and for DWs that never came.
        prefixed = bool(dws) and dws[0] >> 29 == 0b100
        prefix = dws[0] if self.e2e and prefixed and dws[0] >> 28 & 1 else None
        hdr = dws[1:] if self.e2e and prefixed else list(dws)
        hdr_len = 4 if hdr and hdr[0] >> 29 & 0b101 else 3
        hdr = hdr[:hdr_len]
        return hdr + [0] * (4 - len(hdr)), prefix, cpls

    async def clear_and_check(self, snap, where):
        """Every set RW1C bit: a write of 0 keeps it, a write of 1 clears it
        and nothing else (7.4: RW1C, RW1CS). Returns violations."""
        errors = []
        regs = (("Status", self.write_status, "status", S.COMMAND, 16, STATUS_RW1C),
                ("Device Status", self.write_devsta, "devsta", self.pcie + S.DEVICE_CONTROL, 16,
                 DEVSTA_RW1C),
                ("Uncorrectable Error Status",
                 lambda v: self.cfg.write(self.aer + S.AER_UNCOR_STATUS, v), "uncor",
                 self.aer + S.AER_UNCOR_STATUS, 0, 0xFFFFFFFF),
                ("Correctable Error Status",
                 lambda v: self.cfg.write(self.aer + S.AER_COR_STATUS, v), "cor",
                 self.aer + S.AER_COR_STATUS, 0, 0xFFFFFFFF))
        for name, write, attr, addr, shift, mask in regs:
            value = getattr(snap, attr) & mask
            if not value:
                continue

            async def read(addr=addr, shift=shift, mask=mask):
                return ((await self.cfg.read(addr)) >> shift) & mask
            await write(0)
            if (got := await read()) != value:
                errors.append(f"{where}: {name} {value:#x}, after writing 0 {got:#x} "
                              f"(RW1C: a 0 has no effect)")
            left = value
            for b in range(32):
                if value >> b & 1:
                    await write(1 << b)
                    left &= ~(1 << b)
                    if (got := await read()) != left:
                        errors.append(f"{where}: {name} after writing 1 to bit {b}: {got:#x}, "
                                      f"expected {left:#x} (RW1C)")
                        break
        return errors

    async def force_clean(self):
        """All error status bits cleared, whatever they were."""
        await self.write_many([(S.COMMAND, 0xFFFF << 16, 0b1100),
                               (self.pcie + S.DEVICE_CONTROL, 0xFFFF << 16, 0b1100),
                               (self.aer + S.AER_UNCOR_STATUS, 0xFFFFFFFF, 0xF),
                               (self.aer + S.AER_COR_STATUS, 0xFFFFFFFF, 0xF)])

    async def restore(self):
        """D0; masks, severity and enables back to their reset values."""
        await self.write_many(
            ([(self.pm + 4, S.PM_D0, 0b0001)] if self.pm is not None else [])
            + [self.command_write(False), self.devctl_write(0),
               (self.aer + S.AER_UNCOR_MASK, 0, 0xF),
               (self.aer + S.AER_UNCOR_SEVERITY, UNCOR_SEVERITY_RESET, 0xF),
               (self.aer + S.AER_COR_MASK, COR_MASK_RESET, 0xF)])


def message_errors(dev, msgs, want, where):
    """Exactly the one expected Error Message, with the fields of 2.2.8.3."""
    errors = []
    codes = [m.code for m in msgs]
    if codes != ([want] if want is not None else []):
        names = {S.ERR_COR: "ERR_COR", S.ERR_NONFATAL: "ERR_NONFATAL", S.ERR_FATAL: "ERR_FATAL"}
        errors.append(f"{where}: Error Messages {[names.get(c, hex(c)) for c in codes]}, "
                      f"expected {[names[want]] if want is not None else []}")
    for m in msgs:
        # Fmt 001b Type 10000b, TC 0, Attr 0, TD/EP 0, Length 0; Requester
        # ID the function's, Tag 0; DW2 and DW3 reserved (0)
        want_dws = [S.MSG_FMT_TYPE << 24, int(dev.id) << 16 | m.code, 0, 0]
        if m.dws != want_dws:
            errors.append(f"{where}: Error Message DWs {[f'{d:08x}' for d in m.dws]}, "
                          f"expected {[f'{d:08x}' for d in want_dws]} (2.2.8.3)")
    return errors


async def run_case(dev, case, setting, check_rw1c=True):
    """One erroneous TLP on a clean device under ``setting``; the
    violations (a list of strings); the device is clean again afterwards."""
    where = f"{case.name} [{setting.name}]"
    want = expected(case, setting)
    await dev.apply(case, setting)
    before = await dev.snapshot()
    errors = []
    if not before.clean():
        errors.append(f"{where}: not clean before the TLP: {before.summary()}")
        await dev.force_clean()
        before = await dev.snapshot()
    first_msg = len(dev.ep.messages)
    header, prefix, cpls = await dev.send(case)
    msgs = dev.ep.messages[first_msg:]
    after = await dev.snapshot()
    if case.nonposted:
        statuses = [(c[1] >> 13) & 7 for c in cpls]
        if statuses != ([case.completion] if case.completion is not None else []):
            errors.append(f"{where}: completions with status {statuses}, expected "
                          f"{[case.completion] if case.completion is not None else 'none'}")
    bit = S.AER_UNCOR_BITS[case.error]
    checks = (("Status error bits", after.status & STATUS_RW1C, want.status, "7.5.1.1.4"),
              ("Device Status bits 3:0", after.devsta & DEVSTA_RW1C, want.devsta, "7.5.3.5"),
              ("Uncorrectable Error Status", after.uncor, want.uncor, "7.8.4.2"),
              ("Correctable Error Status", after.cor, want.cor, "7.8.4.5"))
    for name, got, exp, sec in checks:
        if got != exp:
            errors.append(f"{where}: {name} {got:#x}, expected {exp:#x} (PCIe {sec}, 6.2.5)")
    if want.logged:
        if after.fep != bit:
            errors.append(f"{where}: First Error Pointer {after.fep}, expected {bit} (7.8.4.7)")
        if after.header != header:
            errors.append(f"{where}: Header Log {[f'{h:08x}' for h in after.header]}, expected "
                          f"{[f'{h:08x}' for h in header]} (7.8.4.8)")
        if dev.e2e and (after.prefix_present, after.prefix_log) != (prefix is not None,
                                                                   prefix or 0):
            errors.append(f"{where}: TLP Prefix Log Present {int(after.prefix_present)}, "
                          f"TLP Prefix Log {after.prefix_log:08x}, expected "
                          f"{int(prefix is not None)}, {prefix or 0:08x} (7.8.4.7, 7.8.4.12)")
    elif (after.fep, after.header) != (before.fep, before.header):
        errors.append(f"{where}: not to be logged, but First Error Pointer/Header Log changed: "
                      f"{before.summary()} -> {after.summary()}")
    errors += message_errors(dev, msgs, want.message, where)
    if check_rw1c:
        errors += await dev.clear_and_check(after, where)
    await dev.force_clean()
    clean = await dev.snapshot()
    if not clean.clean():
        errors.append(f"{where}: writing 1s did not clear everything: {clean.summary()}")
    await dev.restore()
    return errors


async def setup(dut):
    rc, ep, cfg = await start(dut)
    dev = Device(dut, rc, ep, cfg)
    await dev.locate()
    await dev.force_clean()       # what enumeration may have logged
    await dev.restore()
    return dev


def report(dut, errors, runs):
    dut._log.info("%d cases run, %d violations", runs, len(errors))
    assert not errors, f"{len(errors)} violations in {runs} cases:\n  " + "\n  ".join(errors)


async def run_matrix(dut, dev, cases, settings):
    """Every case under every setting, then one report of all violations."""
    errors, runs = [], 0
    for case in cases:
        if case.e2e is not None and case.e2e != dev.e2e:
            continue
        for setting in settings:
            errors += await run_case(dev, case, setting)
            runs += 1
    report(dut, errors, runs)


# ---------------------------------------------------------------- tests

@cocotb.test()
async def test_error_logging(dut):
    """Every error class under every setting: Device Status, AER status,
    First Error Pointer, Header Log, Status bits, the Error Message, RW1C."""
    dev = await setup(dut)
    settings = [s for s in SETTINGS if full_matrix() or s.name in LIGHT_SETTINGS]
    await run_matrix(dut, dev, CASES, settings)


@cocotb.test()
async def test_more_errors(dut):
    """More requests the specification makes errors (other URs, malformed
    TLPs of other kinds, a prefixed TLP), under a few settings."""
    dev = await setup(dut)
    settings = [s for s in SETTINGS
                if s.name in (MORE_SETTINGS if full_matrix() else LIGHT_SETTINGS)]
    await run_matrix(dut, dev, MORE_CASES, settings)


@cocotb.test()
async def test_first_error_pointer(dut):
    """The First Error Pointer and Header Log keep the first unmasked error
    while its status bit is set (7.8.4.7: valid while it points at a set
    bit; no Multiple Header Recording): a second error sets its status bit
    only; clearing the second's bit changes nothing; clearing the first's
    lets the next error be logged. A masked error is never logged."""
    dev = await setup(dut)
    errors = []
    ur, ca = CASE["MWr outside BAR0"], CASE["MWr in BAR0, Length 3"]
    ur_bit, ca_bit = S.AER_UNCOR_BITS[ur.error], S.AER_UNCOR_BITS[ca.error]
    first, _, _ = await dev.send(ur)
    second, _, _ = await dev.send(ca)
    snap = await dev.snapshot()
    if (snap.fep, snap.header) != (ur_bit, first):
        errors.append(f"after UR then CA: {snap.summary()}; expected the UR's log (pointer "
                      f"{ur_bit}, header {[f'{h:08x}' for h in first]})")
    if snap.uncor != (1 << ur_bit | 1 << ca_bit):
        errors.append(f"after UR then CA: Uncorrectable Error Status {snap.uncor:#x}")
    await dev.cfg.write(dev.aer + S.AER_UNCOR_STATUS, 1 << ca_bit)
    snap = await dev.snapshot()
    if (snap.fep, snap.header, snap.uncor) != (ur_bit, first, 1 << ur_bit):
        errors.append(f"CA's bit cleared, UR's still set: {snap.summary()}; the log must stay")
    third, _, _ = await dev.send(ca)
    snap = await dev.snapshot()
    if (snap.fep, snap.header) != (ur_bit, first):
        errors.append(f"CA while the UR is logged: {snap.summary()}; the log must stay")
    await dev.cfg.write(dev.aer + S.AER_UNCOR_STATUS, 1 << ur_bit)
    fourth, _, _ = await dev.send(ur)
    snap = await dev.snapshot()
    if (snap.fep, snap.header) != (ur_bit, fourth):
        errors.append(f"UR after the first UR's bit was cleared: {snap.summary()}; expected it "
                      f"logged, header {[f'{h:08x}' for h in fourth]}")
    await dev.force_clean()
    # a masked error is not logged, and its status bit does not make the
    # pointer valid: the next unmasked error is logged. (The pointer still
    # holds the UR's bit, meaningless now that bit is clear, 7.8.4.7; a
    # masked UR would set the very bit it points at, so the masked error
    # here is a CA.)
    await dev.cfg.write(dev.aer + S.AER_UNCOR_MASK, 1 << ca_bit)
    await dev.send(ca)
    masked = await dev.snapshot()
    if masked.uncor != 1 << ca_bit or (masked.fep, masked.header) != (ur_bit, fourth):
        errors.append(f"masked CA: {masked.summary()}; expected its status bit set and the "
                      f"log untouched")
    fifth, _, _ = await dev.send(ur)
    snap = await dev.snapshot()
    if (snap.fep, snap.header) != (ur_bit, fifth):
        errors.append(f"UR after a masked CA: {snap.summary()}; expected it logged, header "
                      f"{[f'{h:08x}' for h in fifth]}")
    await dev.force_clean()
    await dev.restore()
    report(dut, errors, 6)


D3HOT_CASES = (
    CASE["MWr outside BAR0"], CASE["CfgRd0 to function 1"], CASE["CfgRd0 with Length 2"],
    # 5.3.1.4.1: a Memory Request in D3hot is an Unsupported Request
    Case("MRd inside BAR0 in D3hot", "Unsupported Request",
         lambda d, t, n: mem_read(_inside(d, n), t), True, UR, True, 0,
         "5.3.1.4.1: UR in D3hot, completed; advisory 6.2.3.2.4.1"),
    Case("MWr inside BAR0 in D3hot", "Unsupported Request",
         lambda d, t, n: mem_write(_inside(d, n), t, [n]), False, None, False, 0,
         "5.3.1.4.1: UR in D3hot, posted"),
)
D3HOT_SETTINGS = tuple(dataclasses.replace(s, name=s.name + ", D3hot", d3hot=True)
                       for s in SETTINGS if s.name in (
                           "all reporting enables", "SERR# Enable only",
                           "ANF unmasked, all enables",
                           "severity flipped, SERR# Enable only"))


@cocotb.test()
async def test_d3hot(dut):
    """In D3hot memory requests are URs (5.3.1.4.1), and a function logs
    and reports the errors that received TLPs cause as in D0: "If an error
    caused by a received TLP (e.g., an unsupported request) is detected
    while in D1, D2, or D3Hot, and reporting is enabled, ... an error
    message must be sent" (5.3.1.4)."""
    dev = await setup(dut)
    assert dev.pm is not None, "no Power Management capability (required, 7.5.2)"
    settings = [s for s in D3HOT_SETTINGS
                if full_matrix() or s.name.removesuffix(", D3hot") in LIGHT_SETTINGS]
    await run_matrix(dut, dev, D3HOT_CASES, settings)
