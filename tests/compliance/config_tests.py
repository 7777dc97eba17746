# SPDX-License-Identifier: MIT
"""Compliance suite, configuration space: the device against the
specification's register tables (tests/compliance/spec_registers.py),
through cocotbext-pcie's RootComplex, with nothing of this project's
reference model or host model in between (the adapter tb/rc_adapter.py
only frames TLPs).

* the capability list: IDs known, DW-aligned pointers inside 40h-FFh, no
  loop, no overlap, and the extended list at 100h well formed, holding the
  Advanced Error Reporting capability (7.8.4) at 100h and, exactly when
  Device Capabilities 2 advertises End-End TLP Prefix Supported, the PASID
  capability (7.8.9), and nothing else, no two overlapping;
* every field of the header and of each capability (the extended ones too):
  its reset value where
  the specification gives one, a value it must have, and its attribute,
  by writes of all-ones and all-zeros with every one of the 15 byte-enable
  patterns, each followed by a read; where a structure depends on what the
  function advertises (the AER TLP Prefix Log on End-End TLP Prefix
  Supported, the PASID Control enables on the PASID Capability register),
  the fields are those of what the device advertises;
* MSI Mask Bits: RW for the implemented vectors, reserved above;
* Device Capabilities 2's End-End TLP Prefix fields consistent (7.5.3.15);
* PASID Enable: RW, default 0, cleared by a Function Level Reset (6.6.2);
* and, first, the whole space after enumeration dumped in ``lspci -xxxx``
  format (config.lspci in the run folder) for Linux's own decoder, pciutils'
  ``lspci -F`` (tests/test_sim_compliance.py, ``make lspci``).
"""

import os
from pathlib import Path

import cocotb
from cocotb.clock import Clock
from cocotb.triggers import ClockCycles
from cocotbext.pcie.core import RootComplex
from cocotbext.pcie.core.tlp import Tlp, TlpType
from cocotbext.pcie.core.utils import PcieId

from tb.lspci import CONFIG_BYTES, dump_text
from tb.rc_adapter import RcAdapter
from tests.compliance import spec_registers as S
from tests.configs import current_sim

EXTENDED_START = 0x100
CONFIG_END = 0x1000
#: every First DW Byte Enable pattern; Icarus (about ten times slower) the
#: single bytes, the halves and all four
BE_PATTERNS = range(1, 16) if current_sim() != "icarus" else (0x1, 0x2, 0x4, 0x8, 0x3, 0xC, 0xF)
DUMP_BATCH = 8


class Config:
    """Config reads and writes with any First DW Byte Enables."""

    def __init__(self, rc, dev_id):
        self.rc, self.dev_id = rc, dev_id

    async def read(self, offset):
        return await self.rc.config_read_dword(self.dev_id, offset)

    async def write(self, offset, value, be=0xF):
        req = Tlp()
        req.fmt_type = TlpType.CFG_WRITE_1
        req.requester_id = PcieId(0, 0, 0)
        req.completer_id = self.dev_id
        req.set_addr_be_data(offset, value.to_bytes(4, "little"))
        req.first_be = be
        await self.rc.perform_nonposted_operation(req)


def byte_mask(be):
    return sum(0xFF << (8 * b) for b in range(4) if be >> b & 1)


async def start(dut):
    cocotb.start_soon(Clock(dut.clk, 4, unit="ns").start())
    for name in ("irq_valid", "irq_src", "irq_index"):
        getattr(dut, name).value = 0
    rc = RootComplex()
    ep = RcAdapter(dut)
    ep.attach(rc)
    dut.rst.value = 1
    await ClockCycles(dut.clk, 8)
    dut.rst.value = 0
    await ep.wait_ready()
    await rc.enumerate()
    dev = rc.find_device(ep.pcie_id)
    assert dev is not None, f"enumeration did not find the function at {ep.pcie_id}"
    return rc, ep, Config(rc, ep.pcie_id)


@cocotb.test()
async def test_config_dump(dut):
    """All 4096 bytes after enumeration, as lspci -xxxx prints them."""
    rc, ep, cfg = await start(dut)
    data = bytearray()
    # several reads in flight (the RootComplex tags them): the device takes
    # one at a time, the host's work overlaps the simulation
    for base in range(0, CONFIG_BYTES, 4 * DUMP_BATCH):
        reads = [cocotb.start_soon(cfg.read(off)) for off in range(base, base + 4 * DUMP_BATCH, 4)]
        for r in reads:
            data += (await r).to_bytes(4, "little")
    path = Path(os.environ["IMS_RUN_DIR"]) / "config.lspci"
    dev = ep.pcie_id
    path.write_text(dump_text(bytes(data), dev.bus, dev.device, dev.function))
    dut._log.info("configuration space dump: %s", path)


async def capability_list(cfg):
    """[(offset, ID)] walking from the Capabilities Pointer (7.5.1.1.11,
    7.5.3): pointers DW-aligned (bits 1:0 are reserved, 00b) in 40h..FCh,
    no loop, no overlap of the known structures."""
    caps, seen = [], set()
    ptr = (await cfg.read(0x34)) & 0xFF
    while ptr:
        assert ptr & 3 == 0, f"capability pointer {ptr:#x} is not DW-aligned"
        assert 0x40 <= ptr <= 0xFC, f"capability pointer {ptr:#x} outside 40h-FCh"
        assert ptr not in seen, f"capability list loops at {ptr:#x}"
        seen.add(ptr)
        hdr = await cfg.read(ptr)
        cap_id = hdr & 0xFF
        assert cap_id in S.CAPABILITIES, f"capability at {ptr:#x} has unknown ID {cap_id:#04x}"
        caps.append((ptr, cap_id))
        ptr = (hdr >> 8) & 0xFF
    spans = sorted((off, off + S.CAPABILITIES[cid][1], S.CAPABILITIES[cid][0])
                   for off, cid in caps)
    for (a0, a1, an), (b0, _, bn) in zip(spans, spans[1:]):
        assert a1 <= b0, f"{an} capability at {a0:#x} ({a1 - a0} bytes) overlaps {bn} at {b0:#x}"
    assert spans[-1][1] <= 0x100 if spans else True, "a capability runs past FFh"
    return caps


async def extended_capability_list(cfg):
    """The extended list from 100h (7.6.2): no capabilities is a header
    of ID 0000h, version 0h, next 000h; else DW-aligned next pointers
    inside 100h-FFCh, no loop."""
    caps, seen, ptr = [], set(), EXTENDED_START
    while True:
        hdr = await cfg.read(ptr)
        if ptr == EXTENDED_START and hdr == 0:
            return caps
        assert ptr not in seen, f"extended capability list loops at {ptr:#x}"
        seen.add(ptr)
        assert hdr & 0xFFFF in S.EXTENDED_CAPABILITY_NAMES, \
            f"extended capability at {ptr:#x} has unknown ID {hdr & 0xFFFF:#06x}"
        caps.append((ptr, hdr & 0xFFFF, (hdr >> 16) & 0xF))
        nxt = hdr >> 20
        if nxt == 0:
            return caps
        assert nxt & 3 == 0 and EXTENDED_START <= nxt < CONFIG_END, \
            f"extended capability at {ptr:#x} points at {nxt:#x}"
        ptr = nxt


async def device_capabilities_2(cfg, caps):
    """Device Capabilities 2 (PCI Express capability + 24h, 7.5.3.15); 0
    without a PCI Express capability. ``caps``: capability ID -> offset."""
    if S.PCIE_CAP_ID not in caps:
        return 0
    return await cfg.read(caps[S.PCIE_CAP_ID] + S.DEVICE_CAPABILITIES_2)


async def extended_structures(cfg, caps, ext):
    """The specification's extended structures (ID -> (name, length,
    fields)) for what this function advertises, read from it: Device
    Capabilities 2 (PCI Express capability + 24h) and, when it has a PASID
    capability, its PASID Capability register. ``caps``: capability ID ->
    offset; ``ext``: the extended list."""
    devcap2 = await device_capabilities_2(cfg, caps)
    pasid = {cid: off for off, cid, _ in ext}.get(S.PASID_CAP_ID)
    pasid_capability = 0
    if pasid is not None:
        pasid_capability = (await cfg.read(pasid + S.PASID_CAPABILITY)) & 0xFFFF
    return S.extended_capabilities(devcap2, pasid_capability)


def field_dwords(base, fields, where):
    """(address, its fields, where) for each DW that ``fields`` occupy."""
    by_dw = {}
    for f in fields:
        by_dw.setdefault(f.offset, []).append(f)
    return [(base + off, fs, where) for off, fs in sorted(by_dw.items())]


async def check_dwords(log, cfg, dwords):
    """check_dword on every DW of ``dwords`` at once, errors in address order.

    The DWs are independent registers, so their request sequences may
    interleave: with many requests in flight the device is never idle
    between them, and the run takes three quarters of the cycles (and of the
    time: each cycle costs the same Python) of one request at a time."""
    tasks = [cocotb.start_soon(check_dword(log, cfg, *dw)) for dw in dwords]
    return [e for t in tasks for e in await t]


async def check_dword(log, cfg, addr, fs, where):
    """Reset values, required values and attributes of the fields ``fs`` of
    the DW at ``addr``, by writes with every byte-enable pattern, each
    followed by a read."""
    errors = []
    reset = await cfg.read(addr)
    for f in fs:
        v = (reset & f.mask) >> f.lsb
        if f.must is not None and v != f.must:
            errors.append(f"{where} {f.name} ({addr:#05x}[{f.lsb + f.width - 1}:{f.lsb}]) "
                          f"is {v:#x}, must be {f.must:#x} (PCIe {f.section})")
        elif f.reset is not None and f.access in ("RW", "RWL", "RW1C", "RsvdP", "RsvdZ", "RO") \
                and v != f.reset:
            errors.append(f"{where} {f.name} resets to {v:#x}, the specification says "
                          f"{f.reset:#x} (PCIe {f.section})")
    rw = sum(f.mask for f in fs if f.access == "RW")
    optional = [f for f in fs if f.access == "RW0"]
    # a field whose write of 1 is an action (an FLR) only ever gets 0s
    act = sum(f.mask for f in fs if f.access == "RWA")
    # An optional field is RW or hardwired to 0: which one, from an
    # all-ones write with every byte enabled
    await cfg.write(addr, 0xFFFFFFFF & ~act)
    ones = await cfg.read(addr)
    for f in optional:
        got = ones & f.mask
        if got == f.mask:
            rw |= f.mask
            v = (reset & f.mask) >> f.lsb
            if f.reset is not None and v != f.reset:
                errors.append(f"{where} {f.name} resets to {v:#x}, the specification "
                              f"says {f.reset:#x} (PCIe {f.section})")
        elif got or reset & f.mask:
            errors.append(f"{where} {f.name} ({addr:#05x}) is neither RW nor hardwired "
                          f"to 0: wrote all-ones, read {got >> f.lsb:#x} (PCIe {f.section})")
    legal_only = sum(f.mask for f in fs if f.access == "RWL")
    fixed = 0xFFFFFFFF & ~rw & ~legal_only
    rw1c = sum(f.mask for f in fs if f.access == "RW1C")
    # RW1C bits: writing 1 clears, so a set one may go to 0; none may set
    if (ones ^ reset) & fixed & ~(rw1c & reset):
        bad = (ones ^ reset) & fixed & ~(rw1c & reset)
        names = ([f.name for f in fs if f.mask & bad]
                 or [f"bits {bad:#010x} outside every field"])
        errors.append(f"{where} {addr:#05x}: writing all-ones changed read-only "
                      f"{', '.join(names)}: {reset:#010x} -> {ones:#010x}")
    before = ones
    patterns = [(v, be) for v in (0xFFFFFFFF, 0x00000000) for be in BE_PATTERNS]
    for value, be in patterns + [(0xA5A5A5A5, 0xF), (0x5A5A5A5A, 0xF)]:
        value &= ~act
        await cfg.write(addr, value, be)
        after = await cfg.read(addr)
        en = byte_mask(be)
        want_rw = (before & rw & ~en) | (value & rw & en)
        if after & rw != want_rw:
            bad = (after ^ want_rw) & rw
            names = [f.name for f in fs if f.mask & bad] or [f"bits {bad:#010x}"]
            errors.append(f"{where} {addr:#05x}: write {value:#010x} BE {be:04b}: "
                          f"RW field(s) {', '.join(names)} read {after:#010x}")
        changed = (after ^ before) & fixed
        cleared_ok = changed & rw1c & before & (value & en)
        if changed & ~cleared_ok:
            names = [f.name for f in fs if f.mask & changed & ~cleared_ok] \
                or [f"bits {changed:#010x} outside every field"]
            errors.append(f"{where} {addr:#05x}: write {value:#010x} BE {be:04b} "
                          f"changed read-only {', '.join(names)}: {before:#010x} -> "
                          f"{after:#010x}")
        before = after
    log.info("%s %#05x: RW %#010x checked with %d writes", where, addr, rw,
             len(patterns) + 3)
    return errors


def msi_capability(dut, caps):
    """The offset of the MSI capability, None when absent."""
    if S.MSI_CAP_ID not in caps:
        dut._log.info("no MSI capability: nothing to check")
    return caps.get(S.MSI_CAP_ID)


def hexlist(ext):
    return [(hex(o), hex(c), v) for o, c, v in ext]


async def check_capability_lists(dut, cfg, caps):
    """The capability and extended capability lists are well formed (the
    capability list itself was walked and checked by capability_list)."""
    assert S.PCIE_CAP_ID in caps, "no PCI Express capability (required, 7.5.3)"
    ext = await extended_capability_list(cfg)
    devcap2 = await device_capabilities_2(cfg, caps)
    e2e = S.end_end_prefix_supported(devcap2)
    dut._log.info("capabilities %s, extended %s, Device Capabilities 2 %#010x",
                  [(hex(o), hex(c)) for c, o in caps.items()], hexlist(ext), devcap2)
    # design.md 3: AER at 100h, first
    aer = (EXTENDED_START, S.AER_CAP_ID, S.AER_CAP_VERSION)
    assert ext[:1] == [aer], (f"extended capabilities {hexlist(ext)}: expected AER (ID 0001h, "
                              f"version 2h) at 100h (7.8.4.1)")
    # The PASID capability (7.8.9): a function sends and receives TLPs with
    # a PASID (its PASID TLP Prefix is an End-End TLP Prefix, 6.20) only
    # when it has one, and receives End-End TLP Prefixes only with
    # End-End TLP Prefix Supported (7.5.3.15; else such a TLP is Malformed,
    # 2.2.10.2), so a PASID capability requires that bit. The reverse is
    # this device's: the one End-End TLP Prefix it supports is the PASID
    # (design.md 2, 3), so "should have PASID" is read from Device
    # Capabilities 2 bit 21, not from the project's parameters. The list
    # then ends (Next 000h, 7.6.2): nothing else in it.
    rest = [(c, v) for _, c, v in ext[1:]]
    if e2e:
        assert rest == [(S.PASID_CAP_ID, S.PASID_CAP_VERSION)], (
            f"extended capabilities {hexlist(ext)}: Device Capabilities 2 {devcap2:#010x} "
            f"advertises End-End TLP Prefix Supported, so after AER the list must hold the "
            f"PASID capability (ID 001Bh, version 1h, 7.8.9.1) and end there (Next 000h)")
    else:
        assert not rest, (
            f"extended capabilities {hexlist(ext)}: expected AER only, Next 000h (7.8.4.1)"
            + (": a PASID capability needs End-End TLP Prefix Supported, which Device "
               f"Capabilities 2 {devcap2:#010x} does not advertise (7.5.3.15, 6.20)"
               if S.PASID_CAP_ID in [c for c, _ in rest] else ""))
    # no two structures overlap, with their lengths as the device's
    # advertised features make them (AER: 48h bytes with the TLP Prefix Log)
    structures = await extended_structures(cfg, caps, ext)
    spans = sorted((off, off + structures[cid][1], structures[cid][0]) for off, cid, _ in ext)
    for (a0, a1, an), (b0, _, bn) in zip(spans, spans[1:]):
        assert a1 <= b0, (f"{an} capability at {a0:#x} ({a1 - a0:#x} bytes) overlaps {bn} "
                          f"at {b0:#x}")
    assert not spans or spans[-1][1] <= CONFIG_END, "an extended capability runs past FFFh"


@cocotb.test()
async def test_register_attributes(dut):
    """Every field of the header and of each capability: reset value,
    required value, attribute."""
    rc, ep, cfg = await start(dut)
    dwords = field_dwords(0, S.HEADER, "header")
    caps = await capability_list(cfg)
    for off, cid in caps:
        name, _, fields = S.CAPABILITIES[cid]
        dwords += field_dwords(off, fields, f"{name} capability")
    ext = await extended_capability_list(cfg)
    # the fields the device's advertised features call for (its Device
    # Capabilities 2, PASID Capability)
    structures = await extended_structures(cfg, {cid: off for off, cid in caps}, ext)
    for off, cid, _ in ext:
        name, _, fields = structures[cid]
        dwords += field_dwords(off, fields, f"{name} capability")
    errors = await check_dwords(dut._log, cfg, dwords)
    assert not errors, f"{len(errors)} violations:\n  " + "\n  ".join(errors)


async def check_bars(dut, cfg, caps):   # (every check takes the capability map)
    """Base Address Registers (7.5.1.2.1): a memory BAR's bit 0 is 0, bits
    2:1 are 00b (32-bit) or 10b (64-bit), and an all-ones write reads back
    the size: RW bits contiguous from bit 31 down; a 64-bit BAR takes the
    next BAR as its upper half; an unimplemented BAR reads 0."""
    bar = 0
    while bar < 6:
        addr = 0x10 + 4 * bar
        orig = await cfg.read(addr)
        await cfg.write(addr, 0xFFFFFFFF)
        size = await cfg.read(addr)
        await cfg.write(addr, orig)
        if size == 0:
            bar += 1
            continue
        assert size & 1 == 0, f"BAR{bar} is an I/O BAR; the device has memory BARs only"
        kind = (size >> 1) & 3
        assert kind in (0b00, 0b10), f"BAR{bar} type {kind:02b} is reserved (7.5.1.2.1)"
        assert orig & 0xF == size & 0xF, f"BAR{bar} type bits change on a write"
        mask = size & ~0xF
        assert mask and (-mask & 0xFFFFFFFF) & ((-mask & 0xFFFFFFFF) - 1) == 0, (
            f"BAR{bar} all-ones reads {size:#010x}: the RW bits are not contiguous from "
            f"bit 31 (7.5.1.2.1)")
        if kind == 0b10:
            assert bar < 5, "a 64-bit BAR in BAR5 has no upper half"
            hi = 0x10 + 4 * (bar + 1)
            orig_hi = await cfg.read(hi)
            await cfg.write(hi, 0xFFFFFFFF)
            assert await cfg.read(hi) == 0xFFFFFFFF, (
                f"BAR{bar + 1}, the upper half of 64-bit BAR{bar}, is not all RW "
                f"(a BAR of 4 GiB or less)")
            await cfg.write(hi, orig_hi)
            bar += 2
        else:
            bar += 1


async def check_power_management(dut, cfg, caps):
    """The Power Management capability (7.5.2) is present; PowerState takes
    D0 and D3hot and the D1/D2 the PMC says are supported, discards a write
    of an unsupported state (7.5.2.2), and configuration requests are still
    taken in D3hot (5.3.1.4.1)."""
    assert S.PM_CAP_ID in caps, "no Power Management capability (required, 7.5.2)"
    base = caps[S.PM_CAP_ID]
    pmc = (await cfg.read(base)) >> 16
    supported = {S.PM_D0, S.PM_D3HOT} | ({0b01} if pmc >> 9 & 1 else set()) \
        | ({0b10} if pmc >> 10 & 1 else set())
    pmcsr = base + 4
    vendor = await cfg.read(0x00)
    for state in (S.PM_D3HOT, 0b01, 0b10, S.PM_D0):
        before = (await cfg.read(pmcsr)) & 3
        await cfg.write(pmcsr, state, be=0b0001)
        got = (await cfg.read(pmcsr)) & 3
        want = state if state in supported else before
        assert got == want, (f"PowerState {state:02b} written in {before:02b}: reads "
                             f"{got:02b}, expected {want:02b} (7.5.2.2)")
        assert await cfg.read(0x00) == vendor, "configuration reads changed in a power state"


async def check_msi_multiple_message_enable(dut, cfg, caps):
    """Multiple Message Enable (7.7.1.2) takes every value up to Multiple
    Message Capable; it resets to 000b."""
    base = msi_capability(dut, caps)
    if base is None:
        return
    dw = await cfg.read(base)
    mmc = (dw >> 17) & 7
    assert (dw >> 20) & 7 == 0, "Multiple Message Enable does not reset to 000b"
    for mme in range(mmc + 1):
        await cfg.write(base, mme << 20, be=0b0100)
        got = ((await cfg.read(base)) >> 20) & 7
        assert got == mme, f"Multiple Message Enable {mme} written, {got} read (MMC {mmc})"


async def check_msi_mask_bits(dut, cfg, caps):
    """MSI Mask Bits (7.7.1.7): one RW bit per vector the function is
    capable of (Multiple Message Capable), the bits above reserved (0);
    default 0."""
    base = msi_capability(dut, caps)
    if base is None:
        return
    ctrl = (await cfg.read(base)) >> 16
    if not ctrl >> 8 & 1:
        dut._log.info("MSI without per-vector masking: no Mask Bits")
        return
    vectors = 1 << ((ctrl >> 1) & 7)
    implemented = (1 << vectors) - 1
    addr = base + S.MSI_MASK_OFFSET
    assert await cfg.read(addr) == 0, "Mask Bits do not reset to 0 (7.7.1.7)"
    for be in BE_PATTERNS:
        await cfg.write(addr, 0xFFFFFFFF, be)
        got = await cfg.read(addr)
        assert got == implemented & byte_mask(be), (
            f"Mask Bits after all-ones BE {be:04b}: {got:#010x}, expected "
            f"{implemented & byte_mask(be):#010x} ({vectors} vectors)")
        await cfg.write(addr, 0)


async def check_end_end_prefixes(dut, cfg, caps):
    """Device Capabilities 2 (7.5.3.15): End-End TLP Prefix Supported
    requires Extended Fmt Field Supported ("Must be Set for Functions that
    support End-End TLP Prefixes"); Max End-End TLP Prefixes is RsvdP (0)
    without it, and with it any value says 1 to 4 prefixes."""
    devcap2 = await device_capabilities_2(cfg, caps)
    problems = S.devcap2_problems(devcap2)
    assert not problems, "; ".join(problems)
    dut._log.info("Device Capabilities 2 %#010x: End-End TLP Prefixes %s, at most %d",
                  devcap2, "supported" if S.end_end_prefix_supported(devcap2) else "not supported",
                  S.max_end_end_prefixes(devcap2))


HEADER_SETTINGS = ((0x04, 0b0011), (0x0C, 0b0001), (0x10, 0xF), (0x14, 0xF), (0x18, 0xF),
                   (0x1C, 0xF), (0x20, 0xF), (0x24, 0xF), (0x3C, 0b0001))
FLR_CAPABLE = 1 << 28           # Device Capabilities (7.5.3.3): Function Level Reset Capability
INITIATE_FLR = 1 << 15          # Device Control (7.5.3.4)


async def check_pasid(dut, cfg, caps):
    """PASID Control (7.8.9.3): PASID Enable resets to 0 and is RW (the
    other enables as the PASID Capability register says: RW when
    supported, else RsvdP); Max PASID Width at most 20 (7.8.9.2); a
    Function Level Reset clears PASID Enable (6.6.2: the function's
    registers but the sticky ones return to their defaults). Last of the
    checks: it restores what the FLR resets (the header's settings, Device
    Control), as enumeration left them."""
    ext = {cid: off for off, cid, _ in await extended_capability_list(cfg)}
    base = ext.get(S.PASID_CAP_ID)
    if base is None:
        dut._log.info("no PASID capability: nothing to check")
        return
    addr = base + S.PASID_CAPABILITY      # the DW: Capability, Control in bits 31:16
    dw = await cfg.read(addr)
    capability, control = dw & 0xFFFF, dw >> 16
    width = S.pasid_max_width(capability)
    assert width <= S.PASID_MAX_WIDTH_LIMIT, (
        f"Max PASID Width {width} (PASID Capability {capability:#06x}): must be 0 to 20 "
        f"(7.8.9.2)")
    assert control & S.PASID_ENABLE == 0, (
        f"PASID Enable resets to 1 (PASID Control {control:#06x}), default 0b (7.8.9.3)")
    # writes of PASID Control only (byte enables of bytes 2, 3)
    enables = S.PASID_ENABLE | S.PASID_EXEC_ENABLE | S.PASID_PRIV_ENABLE
    rw = S.PASID_ENABLE | (S.PASID_EXEC_ENABLE if capability & S.PASID_EXEC_SUPPORTED else 0) \
        | (S.PASID_PRIV_ENABLE if capability & S.PASID_PRIV_SUPPORTED else 0)
    for value in (S.PASID_ENABLE, enables, 0):
        await cfg.write(addr, value << 16, be=0b1100)
        got = (await cfg.read(addr)) >> 16
        assert got == value & rw, (
            f"PASID Control after writing {value:#06x}: {got:#06x}, expected {value & rw:#06x} "
            f"(7.8.9.3: PASID Enable RW; Execute Permission / Privileged Mode Enable RW when "
            f"supported, else RsvdP; PASID Capability {capability:#06x})")
    assert (await cfg.read(addr)) & 0xFFFF == capability, "PASID Capability changed on a write"
    pcie = caps[S.PCIE_CAP_ID]
    if not (await cfg.read(pcie + 0x04)) & FLR_CAPABLE:
        dut._log.info("no Function Level Reset: PASID Enable not checked across one")
        return
    saved = [(off, await cfg.read(off), be) for off, be in HEADER_SETTINGS]
    devctl = (await cfg.read(pcie + S.DEVICE_CONTROL)) & 0xFFFF & ~INITIATE_FLR
    await cfg.write(addr, S.PASID_ENABLE << 16, be=0b0100)
    assert (await cfg.read(addr)) >> 16 & S.PASID_ENABLE, "PASID Enable does not set"
    await cfg.write(pcie + S.DEVICE_CONTROL, devctl | INITIATE_FLR, be=0b0011)
    # (the function holds requests that arrive during the FLR and takes
    # them after it, design.md 3; PCIe 6.6.2 would let it discard them)
    after = (await cfg.read(addr)) >> 16
    for off, value, be in saved:
        await cfg.write(off, value, be)
    await cfg.write(pcie + S.DEVICE_CONTROL, devctl, be=0b0011)
    assert after & S.PASID_ENABLE == 0, (
        f"PASID Control after a Function Level Reset: {after:#06x}; PASID Enable (not "
        f"sticky) must return to its default 0b (6.6.2, 7.8.9.3)")
    dut._log.info("PASID Control: RW %#06x, reset 0, PASID Enable cleared by a Function "
                  "Level Reset", rw)


STRUCTURE_CHECKS = (check_capability_lists, check_bars, check_power_management,
                    check_msi_multiple_message_enable, check_msi_mask_bits,
                    check_end_end_prefixes, check_pasid)


@cocotb.test()
async def test_structure(dut):
    """The lists, the BARs, the Power Management states and the MSI
    registers the generic field check cannot write freely: each check on
    the one enumerated device (they leave it as they found it), every
    failure reported."""
    rc, ep, cfg = await start(dut)
    caps = {cid: off for off, cid in await capability_list(cfg)}
    failures = []
    for check in STRUCTURE_CHECKS:
        try:
            await check(dut, cfg, caps)
        except AssertionError as e:
            failures.append(f"{check.__name__}: {e}")
    assert not failures, "\n  ".join(["structure checks failed:"] + failures)
