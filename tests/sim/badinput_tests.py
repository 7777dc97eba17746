# SPDX-License-Identifier: MIT
"""Bad input: every case asserts the device's response, what it logged and
that its state is otherwise untouched (docs/design.md 2-4; README
"Reliability" lists every case).

Each test takes a snapshot of the device's observable state (config space,
BAR0 registers, sampled MSI-X / IMS entries, the PBA) through ordinary
reads, then sends bad input case by case: the response is asserted here
from design.md (UR / CA / dropped, independently of the model), and after
every case the DWs the case aimed at are read back and compared with the
snapshot; at the end of a test the whole snapshot is compared again.  The
scoreboard checks every completion and Error Message against the reference
model on top.

Each case also reads back what it logged (design.md 2 "Errors"): the Status
and Device Status error bits, the AER Uncorrectable and Correctable Error
Status and, for an error that is logged, the First Error Pointer and Header
Log DW0, all asserted as literals here; then it clears them (RW1C) for the
next case.  With the reset masks and enables an error sends no message;
test_error_reporting enables reporting and asserts the messages.

Two slots are left pending behind a mask (an MSI-X and an IMS entry) for
the whole test: bad input must neither lose nor duplicate them; at the
end they are unmasked and each must send exactly one message.

A reset in the middle of traffic (test_reset_mid_traffic) cuts TLPs on rx
and tx and drops pending interrupts by design; after it every register
and table entry must read its reset value and the device must work again.
How the checkers treat what a reset cuts is described in README
"Reliability".
"""

import functools
import random
from dataclasses import dataclass

import cocotb
from cocotb.triggers import ClockCycles, RisingEdge
from cocotbext.pcie.core.tlp import CplStatus
from cocotbext.pcie.core.utils import PcieId

from model import regs as R
from model import tlp as T
from model.params import IMS, MSIX, Slot
from tb.coverage import Coverage
from tb.driver import Driver
from tb.pause import random_pause, stress_generators
from tb.random_traffic import RandomTraffic
from tb.testbench import Testbench
from tests.configs import current_config, current_params, current_sim, record_summary

PARAMS = current_params()
HAS_MSI = PARAMS["MSI_VECTORS"] > 0
HAS_MSIX = PARAMS["MSIX_TABLE_SIZE"] > 0
HAS_IMS = PARAMS["IMS_SIZE"] > 0
# End-End TLP Prefixes (one) and a PASID capability (design.md 2, 3)
HAS_PASID = bool(PARAMS["PASID_CAP"])
PASID_CTL = 0x14E           # PASID Control, in the DW at 0x14C (bit 16: PASID Enable)
BAR = 0x0000_0004_0000_0000
BUS, DEV = 0x3A, 0x05
UR, CA, SC = CplStatus.UR, CplStatus.CA, CplStatus.SC
DROP = "dropped"

# BAR0 map (design.md 4)
MSIX_TABLE, MSIX_PBA, IMS_TABLE = 0x10000, 0x18000, 0x80000
REG_SCRATCH, REG_IMS_CTRL = 0x008, 0x02C
RO_REGS = (0x000, 0x004, 0x00C, 0x010, 0x014, 0x020, 0x024, 0x028)

# Config space RW bits (design.md 3), by DW offset; others are RO
# (Command: MSE, BME, Parity Error Response, SERR# Enable, Interrupt
# Disable, PCIe 7.5.1.1.3)
CFG_RW = {0x04: 0x0546, 0x0C: 0xFF, 0x10: 0xFFF00000, 0x14: 0xFFFFFFFF, 0x3C: 0xFF,
          0x48: 0x78FF, 0x50: 0x00CB}
if HAS_MSI:
    CFG_RW.update({0x80: 0x00710000, 0x84: 0xFFFFFFFC, 0x88: 0xFFFFFFFF, 0x8C: 0xFFFF,
                   0x90: (1 << PARAMS["MSI_VECTORS"]) - 1})
if HAS_MSIX:
    CFG_RW[0xA0] = 0xC0000000
# PMCSR PowerState (PCIe 7.5.2.2), in the Power Management capability at 0xC4
CFG_RW[0xC4] = 0x00000003
# Table entry RW bits (design.md 4)
ENTRY_RW = {MSIX: (0xFFFFFFFC, 0xFFFFFFFF, 0xFFFFFFFF, 0x00000001),
            # (CTRL: MASK; PASID_EN and PASID only with PASID)
            IMS: (0xFFFFFFFC, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFF009 if HAS_PASID else 0x00000001)}

# Error registers (design.md 3): Status is bits 31:16 of 0x04, Device
# Status bits 31:16 of 0x48; AER Uncorrectable Error Status 0x104, Mask
# 0x108, Severity 0x10C, Correctable Error Status 0x110, Mask 0x114, First
# Error Pointer 0x118 [4:0] (bit 11 TLP Prefix Log Present), Header Log
# 0x11C..0x128, TLP Prefix Log 0x138 (with End-End TLP Prefixes).
AER_UNCOR, AER_UNCOR_MASK, AER_UNCOR_SEV = 0x104, 0x108, 0x10C
AER_COR, AER_COR_MASK, AER_FEP, AER_HEADER = 0x110, 0x114, 0x118, 0x11C
AER_PREFIX_LOG, PREFIX_LOG_PRESENT = 0x138, 1 << 11


@dataclass(frozen=True)
class Logged:
    """What one TLP logs (design.md 2 "Errors"): the RW1C bits of Status and
    Device Status, the AER Uncorrectable / Correctable Error Status; ``fep``:
    the First Error Pointer when it logs its header (Header Log DW0 is then
    the TLP's first DW after its prefixes), None when it logs none."""

    status: int
    dev_status: int
    uncor: int
    cor: int
    fep: int | None = None

    def __or__(self, other):                       # two effects of one TLP
        return Logged(self.status | other.status, self.dev_status | other.dev_status,
                      self.uncor | other.uncor, self.cor | other.cor,
                      self.fep if self.fep is not None else other.fep)


# With the reset masks (Advisory Non-Fatal masked, no uncorrectable error
# masked) and severities (Malformed TLP Fatal, the rest Non-Fatal):
NOTHING = Logged(0x0000, 0x0, 0x00000000, 0x0000)
# advisory (PCIe 6.2.3.2.4): CED (+URD), Advisory Non-Fatal, masked: stop
UR_CPL = Logged(0x0000, 0x9, 0x00000000, 0x2000)           # UR completed
CA_CPL = Logged(0x0800, 0x1, 0x00000000, 0x2000)           # CA completed; Signaled Target Abort
POISONED = Logged(0x8000, 0x1, 0x00000000, 0x2000)         # Detected Parity Error
UNEXPECTED_CPL = Logged(0x0000, 0x1, 0x00000000, 0x2000)
# not advisory: NFED / FED (+URD), the error's status bit, logged
UR_POSTED = Logged(0x0000, 0xA, 0x00100000, 0x0000, fep=20)
CA_POSTED = Logged(0x0800, 0x2, 0x00008000, 0x0000, fep=15)
MALFORMED = Logged(0x0000, 0x4, 0x00040000, 0x0000, fep=18)
PARITY = Logged(0x8000, 0x0, 0x00000000, 0x0000)           # poisoned, with another error


def is_prefix(dw):
    return dw >> 29 == 0b100


def header_dw0(dws):
    """Header Log DW0 of a logged TLP (PCIe 6.2.4.4): a function with
    End-End prefix support logs a prefix in DW0 in the TLP Prefix Log and
    its header from the DW after it (a second prefix, "the first overflow
    End-End TLP Prefix", included); one without logs "the first four DWs of
    the TLP (End-End TLP Prefixes followed by ... the TLP Header)". 0 for a
    DW that never arrived."""
    k = 1 if HAS_PASID and dws and is_prefix(dws[0]) else 0
    return dws[k] if k < len(dws) else 0


def prefix_logged(dws):
    """The TLP Prefix Log's DW0 of a logged TLP, None when TLP Prefix Log
    Present must be clear: only an End-End prefix (Type 1xxxxb) is logged,
    only by a function that supports them (6.2.4.4)."""
    if HAS_PASID and dws and is_prefix(dws[0]) and dws[0] >> 28 & 1:
        return dws[0]
    return None


def be_mask(be):
    return sum(0xFF << (8 * i) for i in range(4) if be >> i & 1)


def fmt_type_name(fmt, typ):
    return f"Fmt {fmt:03b}b Type {typ:05b}b"


def expected_for_type(fmt, typ):
    """design.md 2 for a TLP of this Fmt/Type (DW count right, Length 1, CAS
    2) that is not one of the four the device performs (MRd, MWr, CfgRd0,
    CfgWr0 in 3DW): (response, what it logs)."""
    data = bool(fmt & 2)
    if typ & 0b11000 == 0b10000:
        return DROP, NOTHING                     # Msg/MsgD (code 0x0F: not Vendor Type 0)
    if typ in (0b01010, 0b01011):
        return DROP, UNEXPECTED_CPL              # Cpl/CplD/CplLk/CplDLk
    if typ in (0b00010, 0b00100, 0b00101) and fmt & 1:
        return DROP, MALFORMED                   # IO / config request in a 4DW format
    if not data:
        return UR, UR_CPL                        # every type without data: non-posted
    if typ in (0b00010, 0b00100, 0b00101, 0b01100, 0b01101, 0b01110):
        return UR, UR_CPL                        # IOWr, CfgWr1, AtomicOps
    return DROP, UR_POSTED                       # any other type with data


class Bench:
    """Testbench, driver, a snapshot of the state and the pending sentinels."""

    def __init__(self, dut, tb, drv, rng):
        self.dut, self.tb, self.drv, self.h, self.rng = dut, tb, drv, tb.host, rng
        self.bar = drv.bar
        self.snap = {}
        self.cases = 0
        self.sentinels = []           # (Slot, pair)

    # ---------------------------------------------------------------- state
    async def cfg(self, reg):
        cpl = await self.h.cfg_read(reg)
        assert cpl.status == SC, f"config read 0x{reg:03x}: {cpl}"
        return cpl.value

    async def bar_qw(self, off):
        cpl = await self.h.mem_read(self.bar + off, length=2)
        assert cpl.status == SC and len(cpl.data) == 2, f"BAR0 read 0x{off:05x}: {cpl}"
        return cpl.data

    def locations(self):
        """(kind, offset) of every DW the snapshot covers."""
        locs = [("cfg", r) for r in range(0, 0x100, 4)]
        locs += [("bar", r) for r in range(0, 0x40, 4)]
        for base, size in ((MSIX_TABLE, PARAMS["MSIX_TABLE_SIZE"]),
                           (IMS_TABLE, PARAMS["IMS_SIZE"])):
            for i in sorted({0, 1, max(size - 2, 0), max(size - 1, 0), size, size + 1}):
                locs += [("bar", base + 16 * i + 4 * w) for w in range(4)]
        locs += [("bar", MSIX_PBA + 4 * k) for k in (0, 1, 2, 3, 62, 63)]
        return locs

    async def read(self, kind, off):
        if kind == "cfg":
            return await self.cfg(off)
        lo, hi = await self.bar_qw(off & ~7)
        return hi if off & 4 else lo

    async def snapshot(self):
        snap = {}
        for kind, off in self.locations():
            if (kind, off) in snap:
                continue
            if kind == "bar" and off % 8 == 0:
                lo, hi = await self.bar_qw(off)
                snap[(kind, off)], snap[(kind, off + 4)] = lo, hi
            else:
                snap[(kind, off)] = await self.read(kind, off)
        return snap

    async def take_snapshot(self):
        self.snap = await self.snapshot()

    async def check_snapshot(self, what):
        now = await self.snapshot()
        diff = [f"{k} 0x{o:05x}: 0x{self.snap[(k, o)]:08x} -> 0x{now[(k, o)]:08x}"
                for (k, o) in sorted(self.snap) if now.get((k, o)) != self.snap[(k, o)]]
        assert not diff, f"{what}: device state changed:\n  " + "\n  ".join(diff)

    async def untouched(self, what, targets=()):
        """Read back the DWs a case aimed at (and SCRATCH, Command)."""
        targets = list(targets) + [("bar", REG_SCRATCH), ("cfg", R.CFG_COMMAND)]
        for kind, off in targets:
            off &= ~3
            want = self.snap.get((kind, off))
            if want is None:
                continue
            got = await self.read(kind, off)
            assert got == want, (f"{what}: {kind} 0x{off:05x} changed from 0x{want:08x} "
                                 f"to 0x{got:08x}")

    def expect(self, kind, off, value):
        """An intended change: the snapshot follows it."""
        self.snap[(kind, off & ~3)] = value

    # ---------------------------------------------------------------- cases
    async def send(self, what, dws, want, targets=(), logged=NOTHING):
        """Send one bad TLP; assert the response, what it logged (then clear
        it) and untouched state."""
        sent = await self.respond(what, dws, want)
        await self.check_logged(what, sent, logged)
        await self.untouched(what, targets)

    async def respond(self, what, dws, want):
        """Send one TLP and assert its response (a completion status, or DROP:
        none); returns its DWs as sent (the host sets a request's tag)."""
        self.cases += 1
        self.dut._log.debug("case %d: %s", self.cases, what)
        if want == DROP:
            await self.h.send_raw(dws)
            # the reads that follow it show the device handled the TLP and
            # no completion came for it
            return list(dws)
        else:
            cpl = await self.h.request_raw(dws)
            assert cpl.status == want, (f"{what}: expected {CplStatus(want).name}, got {cpl}"
                                        f"\n  request {T.describe(dws)}")
            if want != SC:
                assert not cpl.data, f"{what}: a {CplStatus(want).name} carries data: {cpl}"
            return cpl.request

    async def check_logged(self, what, dws, want):
        """Read the error registers, assert ``want`` (a Logged), clear them."""
        got = Logged(await self.cfg(0x04) >> 16 & 0xC800, await self.cfg(0x48) >> 16 & 0xF,
                     await self.cfg(AER_UNCOR), await self.cfg(AER_COR))
        cap_ctl = await self.cfg(AER_FEP) if want.fep is not None else 0
        if want.fep is not None:
            got = Logged(got.status, got.dev_status, got.uncor, got.cor, cap_ctl & 0x1F)
        assert got == want, (f"{what}: logged {got}, expected {want}"
                             f"\n  request {T.describe(dws)}")
        if want.fep is not None:
            hdr = await self.cfg(AER_HEADER)
            assert hdr == header_dw0(dws), (f"{what}: Header Log DW0 0x{hdr:08x}, expected "
                                            f"0x{header_dw0(dws):08x} (its header DW0)")
            pfx = prefix_logged(dws)
            present = bool(cap_ctl & PREFIX_LOG_PRESENT)
            assert present == (pfx is not None), (
                f"{what}: TLP Prefix Log Present is {int(present)}, expected "
                f"{int(pfx is not None)}\n  request {T.describe(dws)}")
            if HAS_PASID:
                log = await self.cfg(AER_PREFIX_LOG)
                assert log == (pfx or 0), (f"{what}: TLP Prefix Log 0x{log:08x}, expected "
                                           f"0x{pfx or 0:08x}")
        await self.clear_logged(want)

    async def clear_logged(self, bits):
        """RW1C: write ones to the bits of ``bits`` (a Logged); the Command
        and Device Control halves are not written (byte enables 1100b)."""
        h = self.h
        if bits.status:
            await h.cfg_write32(0x04, bits.status << 16, be=0xC)
        if bits.dev_status:
            await h.cfg_write32(0x48, bits.dev_status << 16, be=0xC)
        if bits.uncor:
            await h.cfg_write32(AER_UNCOR, bits.uncor)
        if bits.cor:
            await h.cfg_write32(AER_COR, bits.cor)

    def mem(self, off, data=None, length=None, fbe=0xF, lbe=None, ep=0, td=0, fmt4=True):
        addr = self.bar + off
        n = length if length is not None else (len(data) if data else 1)
        if lbe is None:
            lbe = 0 if n == 1 else 0xF
        fmt = (T.FMT_4DW_DATA if fmt4 else T.FMT_3DW_DATA) if data is not None else \
            (T.FMT_4DW if fmt4 else T.FMT_3DW)
        return T.build_request(fmt, T.TYPE_MEM, address=addr, length=n & 0x3FF, data=data,
                               first_be=fbe, last_be=lbe, ep=ep, td=td)

    def cfgreq(self, reg, data=None, fn=0, type1=False, be=0xF, length=1, bus=BUS, dev=DEV,
               **kw):
        return T.build_cfg(data is not None, bus=bus, device=dev, function=fn, register=reg,
                           first_be=be, data=data, type1=type1, length=length, **kw)

    # ---------------------------------------------------------------- sentinels
    async def arm_sentinels(self):
        """An MSI-X and an IMS entry, programmed, masked, with a request pending."""
        h, drv, tb = self.h, self.drv, self.tb
        if HAS_MSIX:
            i = PARAMS["MSIX_TABLE_SIZE"] - 1
            (v,) = await drv.msix_enable([(i, *h.alloc_pair(high=True))])
            await tb.irq.request(0, i)
            self.sentinels.append((Slot(MSIX, i), v.pair))
        if HAS_IMS:
            i = PARAMS["IMS_SIZE"] - 1
            await drv.ims_enable()
            v = await drv.ims_write_msg(i, *h.alloc_pair(), pasid=0x1234)
            await tb.irq.request(1, i)
            self.sentinels.append((Slot(IMS, i), v.pair))
        await tb.flush()
        for slot, pair in self.sentinels:
            assert h.interrupts(*pair) == 0, f"{slot} sent while masked"

    async def release_sentinels(self):
        """Unmask the sentinels: exactly one message each."""
        for slot, pair in self.sentinels:
            if slot.store == MSIX:
                await self.drv.msix_unmask(slot.index)
            else:
                await self.drv.ims_unmask(slot.index)
            await self.tb.wait_interrupt(*pair, 1)
        await self.tb.flush(settle=100)
        for slot, pair in self.sentinels:
            n = self.h.interrupts(*pair)
            assert n == 1, f"{slot}: {n} messages for one pending request across the bad input"


def stress(rng):
    """rx gaps and tx backpressure under every case (moderate: the suite is
    about the response, the random test about load)."""
    return (random_pause(rng.getrandbits(32), 0.25),
            random_pause(rng.getrandbits(32), 0.35, max_run=8), None)


async def setup(dut, name):
    rng = random.Random(cocotb.RANDOM_SEED)
    rx_p, tx_p, irq_p = stress(rng)
    tb = Testbench(dut, PARAMS, rx_pause=rx_p, tx_pause=tx_p, irq_pause=irq_p, name=name,
                   record=record_summary)
    cov = Coverage(tb.model).attach(tb)
    dut._log.info("config %s %s, seed %d", current_config(), PARAMS, cocotb.RANDOM_SEED)
    await tb.start()
    info = await tb.host.enumerate(bus=BUS, device=DEV, bar0_base=BAR)
    drv = await Driver(tb.host, info).probe()
    b = Bench(dut, tb, drv, rng)
    b.cov = cov
    await b.arm_sentinels()
    await b.take_snapshot()
    return b


async def finish(b, name):
    await b.check_snapshot(f"{name}, end of test")
    await b.release_sentinels()
    summary = await b.tb.finish(name)
    record_summary(name, cases=b.cases, **summary)


def bench_test(body):
    """Register ``async def test_x(b)`` as the cocotb test ``test_x``: setup,
    ``body(bench)``, finish; coverage is saved even on failure."""
    name = body.__name__

    @functools.wraps(body)
    async def test(dut):
        b = await setup(dut, name)
        try:
            await body(b)
            await finish(b, name)
        finally:
            b.cov.save(sim=current_sim(), config=current_config())

    return cocotb.test()(test)


# --------------------------------------------------------------------------
# Unsupported TLP types


@bench_test
async def test_unsupported_types(b):
    """Every Fmt/Type the device does not perform: UR if non-posted,
    dropped if posted (UR, Unexpected Completion or nothing logged), config
    and I/O in a 4DW format and reserved Fmt malformed; nothing changes."""
    performed = {(0b000, 0), (0b001, 0), (0b010, 0), (0b011, 0), (0b000, 0b00100),
                 (0b010, 0b00100)}
    target = [("bar", REG_SCRATCH)]
    for fmt in range(4):
        for typ in range(32):
            if (fmt, typ) in performed:
                continue
            want, logged = expected_for_type(fmt, typ)
            data = [0xBAD00000 | fmt << 8 | typ] if fmt & 2 else None
            n = 2 if typ == 0b01110 else 1           # CAS carries two operands
            if data:
                data = data * n
            dws = T.build_request(fmt, typ, address=b.bar + REG_SCRATCH, length=n,
                                  data=data)
            if typ in (0b00100, 0b00101):             # config: a config DW2 (4DW: + DW3)
                dws = b.cfgreq(0x0C, data, type1=typ == 0b00101, four_dw=bool(fmt & 1))
            await b.send(fmt_type_name(fmt, typ), dws, want, target, logged)
    # Fmt 101b-111b (Fmt 100b is a prefix): no request header at all
    for fmt in (0b101, 0b110, 0b111):
        dws = [fmt << 29 | 1, 0x0000000F, b.bar & 0xFFFFFFFF, REG_SCRATCH, 0xBAD]
        await b.send(f"reserved Fmt {fmt:03b}b", dws, DROP, target, MALFORMED)
    # Vendor_Defined Type 0 (Message Code 0x7E) is a UR, Type 1 (0x7F) ignored
    # (PCIe 2.2.8.6)
    await b.send("Msg Vendor_Defined Type 0", [0x30000000, 0x0000007E, 0, 0], DROP, target,
                 UR_POSTED)
    await b.send("MsgD Vendor_Defined Type 0", [0x70000001, 0x0000007E, 0, 0, 0xBAD], DROP,
                 target, UR_POSTED)
    await b.send("Msg Vendor_Defined Type 1", [0x34000000, 0x0000007F, 0, 0], DROP, target)


# --------------------------------------------------------------------------
# Configuration requests


@bench_test
async def test_config_requests(b):
    """Config requests to other functions, Type 1 (UR), bad Length and 4DW
    (malformed), poisoned writes (UR), extended space; writes to read-only
    config fields."""
    rng = b.rng
    tgt = [("cfg", 0x0C), ("cfg", 0x3C)]
    for fn in range(1, 8):
        await b.send(f"CfgRd0 to function {fn}", b.cfgreq(0x00, fn=fn), UR, (), UR_CPL)
        await b.send(f"CfgWr0 to function {fn}",
                     b.cfgreq(0x3C, 0x5A, fn=fn, bus=0x77, dev=0x1F), UR, tgt, UR_CPL)
    for t1 in (dict(), dict(bus=0x77, dev=3)):
        await b.send("CfgRd1", b.cfgreq(0x00, type1=True, **t1), UR, (), UR_CPL)
        await b.send("CfgWr1", b.cfgreq(0x0C, 0x5A, type1=True, **t1), UR, tgt, UR_CPL)
    for n in (0, 2, 3):
        await b.send(f"CfgRd0 Length {n or 1024}", b.cfgreq(0x00, length=n), DROP, (),
                     MALFORMED)
        wr = b.cfgreq(0x0C, 0x5A, length=n)
        wr += [0x5A] * ((n or 1024) - 1)
        await b.send(f"CfgWr0 Length {n or 1024}", wr, DROP, tgt, MALFORMED)
    await b.send("CfgRd0 4DW", b.cfgreq(0x0C, four_dw=True), DROP, (), MALFORMED)
    await b.send("CfgWr0 4DW", b.cfgreq(0x0C, 0x5A, four_dw=True), DROP, tgt, MALFORMED)
    await b.send("CfgWr0 4DW to function 3", b.cfgreq(0x0C, 0x5A, fn=3, four_dw=True), DROP,
                 tgt, MALFORMED)                     # Malformed before UR (PCIe 6.2.3.2.3)
    await b.send("poisoned CfgWr0", b.cfgreq(0x3C, 0x5A, bus=0x77, dev=0x1F, ep=1), UR, tgt,
                 UR_CPL | PARITY)
    cpl = await b.h.cfg_read(0x00)
    assert cpl.completer_id == PcieId(BUS, DEV, 0), \
        f"a bad config write captured Bus/Device: {cpl}"
    # extended space: the AER capability header at 0x100; the Root Error
    # registers at its end and everything after it read 0 and ignore writes
    await b.send("CfgWr0 AER header", b.cfgreq(0x100, 0xFFFFFFFF), SC)
    cpl = await b.h.request_raw(b.cfgreq(0x100))
    # (Next: the PASID capability at 0x148 when the build has one)
    aer = 0x14820001 if HAS_PASID else 0x00020001
    assert cpl.status == SC and cpl.value == aer, f"AER header reads {cpl}"
    for reg in (0x12C, 0x134, 0x138, 0x400, 0xFFC):
        await b.send(f"CfgWr0 extended 0x{reg:03x}", b.cfgreq(reg, 0xFFFFFFFF), SC)
        cpl = await b.h.request_raw(b.cfgreq(reg))
        assert cpl.status == SC and cpl.value == 0, f"extended 0x{reg:03x} reads {cpl}"
    # read-only fields: flip every RO bit of every DW, keep the RW bits
    for reg in range(0, 0x100, 4):
        cur = b.snap[("cfg", reg)]
        rw = CFG_RW.get(reg, 0)
        val = (cur & rw) | (~cur & ~rw & 0xFFFFFFFF)
        if reg == 0x48:
            val &= ~0x8000      # Initiate FLR is no RO bit: a 1 starts an FLR (design.md 3)
        be = 0xF if reg % 8 == 0 else rng.randrange(1, 16)
        await b.send(f"RO bits of config 0x{reg:02x}, BE {be:04b}b",
                     b.cfgreq(reg, val, be=be), SC, [("cfg", reg)])


# --------------------------------------------------------------------------
# BAR0: tables, PBA, registers


def table_targets(b):
    """(name, BAR0 offset of a DW) for each table window the test pokes."""
    out = []
    for store, base, size in ((MSIX, MSIX_TABLE, PARAMS["MSIX_TABLE_SIZE"]),
                              (IMS, IMS_TABLE, PARAMS["IMS_SIZE"])):
        for i in sorted({0, max(size - 2, 0)}):
            out.append((f"{store} entry {i}", base + 16 * i, store))
    out.append(("PBA", MSIX_PBA, "pba"))
    return out


@bench_test
async def test_table_accesses(b):
    """Misaligned, oversize, partial and beyond-the-end accesses to the
    MSI-X table, PBA and IMS table; poisoned writes; writes to read-only
    fields of tables and device registers."""
    rng = b.rng
    for what, off, kind in table_targets(b):
        entry = [("bar", off + 4 * w) for w in range(4)]
        # misaligned QW (DW 1 and DW 3 of an entry: the latter crosses it)
        for k in (1, 3):
            o = off + 4 * k
            await b.send(f"{what}: MRd Length 2 at +0x{4 * k:x}", b.mem(o, length=2), CA, (),
                         CA_CPL)
            await b.send(f"{what}: MWr Length 2 at +0x{4 * k:x}",
                         b.mem(o, [0xBAD1, 0xBAD2]), DROP, entry, CA_POSTED)
        # oversize
        for n in (3, 16, 0):
            await b.send(f"{what}: MRd Length {n or 1024}", b.mem(off, length=n), CA, (),
                         CA_CPL)
        for n in (3, 4):
            await b.send(f"{what}: MWr Length {n}", b.mem(off, [0xBAD3] * n), DROP, entry,
                         CA_POSTED)
        if off % 0x10000 == 0:
            await b.send(f"{what}: MWr Length 1024",
                         b.mem(off, [0xBAD4] * 1024, length=0), DROP, entry, CA_POSTED)
        # poisoned: Poisoned TLP Received; with a bad Length the CA wins
        # (PCIe 6.2.3.2.3), Detected Parity Error either way
        await b.send(f"{what}: poisoned MWr", b.mem(off + 8, [0xBAD5], ep=1), DROP, entry,
                     POISONED)
        await b.send(f"{what}: poisoned MWr QW", b.mem(off, [0xBAD6, 0xBAD7], ep=1), DROP,
                     entry, POISONED)
        await b.send(f"{what}: poisoned MWr Length 3", b.mem(off, [0xBAD6] * 3, ep=1), DROP,
                     entry, CA_POSTED | PARITY)
        # zero-length write (no byte enabled) and partial reads
        await b.send(f"{what}: MWr First BE 0000b", b.mem(off + 8, [0xBAD8], fbe=0), DROP,
                     entry)
        for fbe in (0b0110, 0b0000):
            await b.send(f"{what}: MRd First BE {fbe:04b}b", b.mem(off, fbe=fbe), SC)
        await b.send(f"{what}: MRd QW BE 1110b/0111b", b.mem(off, length=2, fbe=0xE, lbe=0x7),
                     SC)
        # partial and RO writes: every DW, random byte enables
        for w in range(4):
            o = off + 4 * w
            if kind == "pba":
                rw = 0
            else:
                idx = (off - (MSIX_TABLE if kind == MSIX else IMS_TABLE)) // 16
                size = PARAMS["MSIX_TABLE_SIZE"] if kind == MSIX else PARAMS["IMS_SIZE"]
                rw = ENTRY_RW[kind][w] if idx < size else 0
            if kind != "pba" and Slot(kind, idx) in [s for s, _ in b.sentinels]:
                continue                                 # the sentinel keeps its pair and mask
            for _ in range(2):
                be = rng.randrange(16)
                val = rng.getrandbits(32)
                cur = b.snap[("bar", o)]
                m = be_mask(be)
                new = (cur & ~(m & rw)) | (val & m & rw)
                if kind == IMS and w == 3:
                    new = (new & ~2) | (cur & 2)         # PENDING is RO
                b.expect("bar", o, new)
                await b.send(f"{what}: MWr +0x{4 * w:x} BE {be:04b}b", b.mem(o, [val], fbe=be),
                             DROP, [("bar", o)])
            # every RO bit flipped, RW bits kept
            cur = b.snap[("bar", o)]
            await b.send(f"{what}: RO bits of +0x{4 * w:x}",
                         b.mem(o, [(cur & rw) | (~cur & ~rw & 0xFFFFFFFF)]), DROP, [("bar", o)])
    # beyond the end of each table (and the windows of an absent store)
    for store, base, size in ((MSIX, MSIX_TABLE, PARAMS["MSIX_TABLE_SIZE"]),
                              (IMS, IMS_TABLE, PARAMS["IMS_SIZE"])):
        window = (0x18000 - MSIX_TABLE) // 16 if store == MSIX else (1 << 19) // 16
        for i in sorted({size, size + 1, window - 1} - set(range(size)) if size < window
                        else set()):
            o = base + 16 * i
            for w in range(4):
                await b.send(f"{store} entry {i} (beyond {size}): MWr +0x{4 * w:x}",
                             b.mem(o + 4 * w, [0xFFFFFFFF]), DROP)
                cpl = await b.h.mem_read(b.bar + o + 4 * w)
                assert cpl.status == SC and cpl.value == 0, f"{store} entry {i} reads {cpl}"
            await b.send(f"{store} entry {i} (beyond): MRd QW", b.mem(o, length=2), SC)
    pba_qws = (PARAMS["MSIX_TABLE_SIZE"] + 63) // 64
    for qw in sorted({pba_qws, 31} - set(range(pba_qws))):
        await b.send(f"PBA QW {qw} (beyond): MWr",
                     b.mem(MSIX_PBA + 8 * qw, [0xFFFFFFFF, 0xFFFFFFFF]), DROP)
        await b.send(f"PBA QW {qw} (beyond): MRd", b.mem(MSIX_PBA + 8 * qw, length=2), SC)
    # read-only device registers and IMS_CTRL's RO bits
    for reg in RO_REGS + (REG_IMS_CTRL,):
        cur = b.snap[("bar", reg)]
        rw = 1 if reg == REG_IMS_CTRL and HAS_IMS else 0
        await b.send(f"RO register 0x{reg:03x}",
                     b.mem(reg, [(cur & rw) | (~cur & ~rw & 0xFFFFFFFF)]), DROP,
                     [("bar", reg)])
    await b.send("RO registers as a QW", b.mem(0x020, [0xFFFFFFFF, 0xFFFFFFFF]), DROP,
                 [("bar", 0x020), ("bar", 0x024)])
    await b.send("poisoned MWr to SCRATCH", b.mem(REG_SCRATCH, [0xBAD9], ep=1), DROP, (),
                 POISONED)
    await b.send("poisoned MWr to IMS_CTRL", b.mem(REG_IMS_CTRL, [0], ep=1), DROP,
                 [("bar", REG_IMS_CTRL)], POISONED)
    # outside BAR0: below, above, other upper 32 bits, a 3DW alias of its low half
    base = b.bar
    for what, addr in (("below BAR0", base - 4), ("above BAR0", base + (1 << 20)),
                       ("upper address differs", base + (1 << 32) + REG_SCRATCH),
                       ("top address bit differs", base ^ (1 << 63))):
        await b.send(f"MRd {what}", T.build_request(T.FMT_4DW, T.TYPE_MEM, address=addr),
                     UR, (), UR_CPL)
        await b.send(f"MWr {what}", T.build_request(T.FMT_4DW_DATA, T.TYPE_MEM,
                                                    address=addr, data=[0xBADA]), DROP, (),
                     UR_POSTED)
    await b.send("poisoned MWr outside BAR0", T.build_request(
        T.FMT_4DW_DATA, T.TYPE_MEM, address=base - 4, data=[0xBADA], ep=1), DROP, (),
        UR_POSTED | PARITY)                             # UR before Poisoned (6.2.3.2.3)
    alias = (base + REG_SCRATCH) & 0xFFFFFFFF
    await b.send("MRd 3DW alias of BAR0",
                 T.build_request(T.FMT_3DW, T.TYPE_MEM, address=alias), UR, (), UR_CPL)
    await b.send("MWr 3DW alias of BAR0",
                 T.build_request(T.FMT_3DW_DATA, T.TYPE_MEM, address=alias, data=[0xBADB]),
                 DROP, (), UR_POSTED)


# --------------------------------------------------------------------------
# Malformed: DW count against the header


@bench_test
async def test_length_mismatch(b):
    """TLPs whose DWs on the stream disagree with Length (and TD), truncated
    headers: malformed, posted or not: dropped, never completed, logged as
    Malformed TLP (Fatal by default)."""
    s = [("bar", REG_SCRATCH)]
    e = [("bar", MSIX_TABLE + 8)] if HAS_MSIX else []
    cases = [
        ("MWr Length 1, no payload", b.mem(REG_SCRATCH, [1])[:4], DROP),
        ("MWr Length 1, 2 payload DWs", b.mem(REG_SCRATCH, [1, 2], length=1), DROP),
        ("MWr Length 1, 300 payload DWs", b.mem(REG_SCRATCH, [3] * 300, length=1), DROP),
        # 4096 DWs too many: a 12-bit DW count would wrap to Length 1's
        # (the deframer's count saturates instead)
        ("MWr Length 1, 4097 payload DWs", b.mem(REG_SCRATCH, [3] * 4097, length=1), DROP),
        ("MWr Length 2, 1 payload DW", b.mem(REG_SCRATCH, [4], length=2), DROP),
        ("MWr Length 2, 3 payload DWs", b.mem(REG_SCRATCH, [5, 6, 7], length=2), DROP),
        ("MWr to a table entry, Length 2, 1 DW", b.mem(MSIX_TABLE + 8, [8], length=2), DROP),
        ("MWr TD set, no digest", b.mem(REG_SCRATCH, [9], td=1), DROP),
        ("MWr TD clear, Length 1 and a digest DW", b.mem(REG_SCRATCH, [10, 0xD16E57],
                                                         length=1), DROP),
        ("MWr 3DW header, 4DW worth of DWs", b.mem(REG_SCRATCH, [11, 12], length=1,
                                                   fmt4=False), DROP),
        ("MRd with 1 extra DW", b.mem(0x000) + [0], DROP),
        ("MRd with 5 extra DWs", b.mem(0x000) + [0] * 5, DROP),
        ("MRd TD set, no digest", b.mem(0x000, td=1), DROP),
        ("MRd header cut after DW1", b.mem(0x000)[:2], DROP),
        ("MRd 4DW header cut after DW2", b.mem(0x000)[:3], DROP),
        ("CfgRd0 with 1 extra DW", b.cfgreq(0x00) + [0], DROP),
        ("CfgWr0 without its payload", b.cfgreq(0x3C, 0x5A)[:3], DROP),
        ("CfgWr0 with 2 payload DWs", b.cfgreq(0x3C, 0x5A) + [0x5A], DROP),
        ("IORd with 1 extra DW", T.build_request(T.FMT_3DW, T.TYPE_IO, address=0x10) + [0], DROP),
        ("Msg with a payload DW", T.build_request(T.FMT_4DW, 0b10000) + [0], DROP),
    ]
    for what, dws, want in cases:
        assert want == DROP
        await b.send(what, dws, want, s + e + [("cfg", 0x3C)], MALFORMED)


@bench_test
async def test_prefix_without_header(b):
    """A packet that is only TLP prefixes, or a lone DW0, has no DW1: no
    Requester ID or Tag to complete to.
    It is malformed and dropped (a completion to requester 0, tag 0 could
    complete some other function's request at the root complex)."""
    s = [("bar", REG_SCRATCH)]
    await b.send("a PASID prefix and no header", [0x91000042], DROP, s, MALFORMED)
    await b.send("a lone DW0 of a memory read", [0x00000001], DROP, s, MALFORMED)
    await b.send("a prefix and a lone DW0 of a CfgRd0", [0x91000042, 0x04000001], DROP, s,
                 MALFORMED)
    # One End-End prefix is supported (Max End-End TLP Prefixes 1): behind
    # two, even a good request is malformed, discarded without a
    # completion (PCIe 2.2.10.4). The first goes to the TLP Prefix Log, the
    # second, "the first overflow End-End TLP Prefix", to Header Log DW0
    # (6.2.4.4). Without prefix support every prefix makes it malformed.
    await b.send("two prefixes and no header", [0x91000042, 0x91000043], DROP, s, MALFORMED)
    pfx = [0x91000042, 0x91000043]
    await b.send("two prefixes in front of a MRd", pfx + b.mem(0x000), DROP, s, MALFORMED)
    await b.send("two prefixes in front of a MWr", pfx + b.mem(REG_SCRATCH, [0x77]), DROP, s,
                 MALFORMED)


@bench_test
async def test_prefix_rules(b):
    """TLP prefixes on otherwise good requests (PCIe 2.2.10, 6.20; design.md
    2). With End-End prefix support: a Local prefix (unsupported type) is
    Malformed (2.2.10.2); an unsupported End-End type (Vendor-Defined E0)
    makes a request an Unsupported Request (2.2.10.4); so does a PASID
    while PASID Enable is clear (6.20.2.2) or on a configuration request
    (6.20: only memory requests carry one); a PASID on a memory request
    with PASID Enable set is handled as without. Without support, any
    prefix is Malformed (2.2.10.4). Every logged case checks the Header Log
    and the TLP Prefix Log (check_logged)."""
    h = b.h
    s = [("bar", REG_SCRATCH)]
    pasid, vendor, local = 0x91000042, 0x9E000007, 0x81000000
    if not HAS_PASID:
        await b.send("PASID prefix on a MRd", [pasid] + b.mem(0x000), DROP, s, MALFORMED)
        await b.send("PASID prefix on a MWr", [pasid] + b.mem(REG_SCRATCH, [0x77]), DROP, s,
                     MALFORMED)
        await b.send("Vendor E0 prefix on a CfgRd0", [vendor] + b.cfgreq(0x00), DROP, s,
                     MALFORMED)
        return
    await b.send("Local prefix on a MRd", [local] + b.mem(0x000), DROP, s, MALFORMED)
    await b.send("Local prefix on a MWr", [local] + b.mem(REG_SCRATCH, [0x77]), DROP, s,
                 MALFORMED)
    await b.send("Vendor E0 prefix on a MRd", [vendor] + b.mem(0x000), UR, s, UR_CPL)
    await b.send("Vendor E0 prefix on a MWr", [vendor] + b.mem(REG_SCRATCH, [0x77]), DROP, s,
                 UR_POSTED)
    await b.send("PASID prefix on a CfgRd0", [pasid] + b.cfgreq(0x00), UR, s, UR_CPL)
    await b.send("PASID prefix on a Msg", [pasid, 0x30000000, 0x0000007F, 0, 0], DROP, s,
                 UR_POSTED)
    # PASID Enable clear (the sentinels' IMS entry set it): UR
    await h.cfg_write32(PASID_CTL & ~3, 0, be=0xC)
    await b.send("PASID prefix on a MRd, PASID disabled", [pasid] + b.mem(0x000), UR, s,
                 UR_CPL)
    await b.send("PASID prefix on a MWr, PASID disabled",
                 [pasid] + b.mem(REG_SCRATCH, [0x77]), DROP, s, UR_POSTED)
    await h.cfg_write32(PASID_CTL & ~3, 1 << 16, be=0xC)
    # PASID Enable set: handled as without the prefix
    cpl = await h.request_raw([pasid] + b.mem(0x000))
    assert cpl.status == SC and cpl.value == 0x494D5345, f"MRd with a PASID: {cpl}"
    await h.send_raw([pasid] + b.mem(REG_SCRATCH, [0x77]))
    assert await h.read32(b.bar + REG_SCRATCH) == 0x77, "MWr with a PASID was not performed"
    b.expect("bar", REG_SCRATCH, 0x77)


# --------------------------------------------------------------------------
# Memory Space Enable clear


@bench_test
async def test_memory_space_disabled(b):
    """With Memory Space Enable clear every MRd is UR and every MWr dropped
    (a posted UR), in every region; interrupts keep working (Bus Master
    Enable)."""
    h = b.h
    live = None
    if HAS_MSIX:
        (live,) = await b.drv.msix_enable([(0, *h.alloc_pair())])
        await b.drv.msix_unmask(0)
    elif HAS_MSI:
        (live, *_) = await b.drv.msi_enable(0xFEE0_4000, 0x0051, 1)
        h.register_pair(*live.pair)
        await b.drv.msi_set_mask(0)
    await b.take_snapshot()
    cmd = b.snap[("cfg", R.CFG_COMMAND)] & 0xFFFF
    assert cmd & R.CFG_COMMAND_BUS_MASTER, f"Command 0x{cmd:04x}: Bus Master Enable clear"
    await h.cfg_write32(R.CFG_COMMAND, cmd & ~R.CFG_COMMAND_MEMORY_SPACE, be=0x3)
    b.expect("cfg", R.CFG_COMMAND, b.snap[("cfg", R.CFG_COMMAND)] & ~R.CFG_COMMAND_MEMORY_SPACE)
    offs = [0x000, REG_SCRATCH, REG_IMS_CTRL, 0x038, MSIX_TABLE, MSIX_TABLE + 12, MSIX_PBA,
            IMS_TABLE, IMS_TABLE + 12, 0xFFFFC]
    sent = 0
    for off in offs:
        for fmt4 in (True, False):
            bar = b.bar if fmt4 else 0xC010_0000
            # (no untouched(): BAR0 cannot be read back while MSE is clear)
            cases = [
                ("MRd", T.build_request(T.FMT_4DW if fmt4 else T.FMT_3DW, T.TYPE_MEM,
                                        address=bar + off), UR, UR_CPL),
                ("MWr", T.build_request(T.FMT_4DW_DATA if fmt4 else T.FMT_3DW_DATA,
                                        T.TYPE_MEM, address=bar + off, data=[0]), DROP,
                 UR_POSTED),
                ("MWr QW", T.build_request(T.FMT_4DW_DATA, T.TYPE_MEM, address=b.bar + off,
                                           data=[0xFFFFFFFF, 0], length=2, last_be=0xF),
                 DROP, UR_POSTED)]
            for kind, dws, want, logged in cases:
                what = f"{kind} 0x{off:05x} with MSE clear"
                await b.check_logged(what, await b.respond(what, dws, want), logged)
        if live is not None:
            await b.tb.irq.request(0, live.index)
            sent += 1
            await b.tb.wait_interrupt(*live.pair, sent)
    await h.cfg_write32(R.CFG_COMMAND, cmd, be=0x3)
    b.expect("cfg", R.CFG_COMMAND, b.snap[("cfg", R.CFG_COMMAND)] | R.CFG_COMMAND_MEMORY_SPACE)
    b.expect("bar", 0x038, b.snap[("bar", 0x038)] + sent)      # MSG_SENT


# --------------------------------------------------------------------------
# Error reporting: Error Messages, SERR#, masks, First Error Pointer, D3hot


@bench_test
async def test_error_reporting(b):
    """With reporting enabled every error class sends its Error Message
    (after its completion, checked by the scoreboard and counted here);
    URs need UR Reporting Enable or SERR# Enable; SERR# Enable alone reports
    uncorrectable errors and sets Signaled System Error; a Fatal severity
    makes a completed UR not advisory; a masked error sends nothing and logs
    no header; the First Error Pointer keeps the first header until its
    bit is cleared; neither Bus Master Enable nor D3hot gates messages."""
    h = b.h
    cmd = b.snap[("cfg", 0x04)] & 0xFFFF
    devctl = b.snap[("cfg", 0x48)] & 0xFFFF
    outside = b.bar - 0x1000
    ur_rd = T.build_request(T.FMT_4DW, T.TYPE_MEM, address=outside, tag=1)
    ur_wr = T.build_request(T.FMT_4DW_DATA, T.TYPE_MEM, address=outside, data=[0xBAD])
    ca_rd = b.mem(0x000, length=3)
    ca_wr = b.mem(REG_SCRATCH, [1, 2, 3])
    poisoned = b.mem(REG_SCRATCH, [0xBAD], ep=1)
    cpl = [0x0A000000, 0x01000004, 0x00000000]             # Cpl from 01:00.0, tag 0
    malformed = b.mem(0x000) + [0]

    async def case(what, dws, want, logged, *messages):
        """One TLP: response, what it logged, the Error Messages it sent;
        returns its DWs as sent."""
        before = len(h.error_messages)
        sent = await b.respond(what, dws, want)
        await b.check_logged(what, sent, logged)   # its reads follow the message
        got = h.error_messages[before:]
        assert [m.name for m in got] == list(messages), (
            f"{what}: Error Messages {[m.name for m in got]}, expected {list(messages)}")
        assert all(m.requester_id == PcieId(BUS, DEV, 0) for m in got), f"{what}: {got}"
        return sent

    async def header_log(what, want):
        """The whole Header Log (ROS: it stays after the status is cleared)."""
        got = [await b.cfg(AER_HEADER + 4 * k) for k in range(4)]
        assert got == want, (f"{what}: Header Log {[f'0x{d:08x}' for d in got]}, expected "
                             f"{[f'0x{d:08x}' for d in want]}")

    # Advisory Non-Fatal unmasked; CERE, NFERE, FERE, URRE
    await h.cfg_write32(AER_COR_MASK, 0)
    await h.cfg_write32(0x48, devctl | 0xF, be=0x3)
    await case("UR completed", ur_rd, UR, Logged(0, 0x9, 0x100000, 0x2000, 20), "ERR_COR")
    await case("CA completed", ca_rd, CA, Logged(0x0800, 0x1, 0x8000, 0x2000, 15), "ERR_COR")
    cfgrd1 = await case("CfgRd1", b.cfgreq(0x00, type1=True), UR,
                        Logged(0, 0x9, 0x100000, 0x2000, 20), "ERR_COR")
    await header_log("CfgRd1", cfgrd1[:3] + [0])            # 3DW header: DW3 is 0
    await case("UR posted", ur_wr, DROP, Logged(0, 0xA, 0x100000, 0, 20), "ERR_NONFATAL")
    await header_log("UR posted", ur_wr[:4])                # 4DW header, not the payload
    ur_wr3 = T.build_request(T.FMT_3DW_DATA, T.TYPE_MEM, address=0x1000, data=[0xBAD])
    await case("UR posted 3DW", ur_wr3, DROP, Logged(0, 0xA, 0x100000, 0, 20),
               "ERR_NONFATAL")
    await header_log("UR posted 3DW", ur_wr3[:3] + [0])     # the payload is not DW3
    await case("CA posted", ca_wr, DROP, Logged(0x0800, 0x2, 0x8000, 0, 15), "ERR_NONFATAL")
    await case("poisoned MWr", poisoned, DROP, Logged(0x8000, 0x1, 0x1000, 0x2000, 12),
               "ERR_COR")
    await case("Unexpected Completion", cpl, DROP, Logged(0, 0x1, 0x10000, 0x2000, 16),
               "ERR_COR")
    await case("malformed MRd", malformed, DROP, Logged(0, 0x4, 0x40000, 0, 18), "ERR_FATAL")
    cut = b.mem(0x000)[:2]
    await case("MRd header cut after DW1", cut, DROP, Logged(0, 0x4, 0x40000, 0, 18),
               "ERR_FATAL")
    await header_log("MRd header cut after DW1", cut + [0, 0])   # DWs never arrived: 0
    pfx = [0x91000042] + b.mem(0x000)[:3]                          # one prefix, header cut
    await case("prefix and a cut 4DW MRd", pfx, DROP, Logged(0, 0x4, 0x40000, 0, 18),
               "ERR_FATAL")
    # (after the prefix; without prefix support the first four DWs, 6.2.4.4)
    await header_log("prefix and a cut 4DW MRd", pfx[1:] + [0] if HAS_PASID else pfx[:4])
    for fmt in (0b101, 0b110):                     # reserved: no header size, 4 DWs
        rsv = [fmt << 29 | 1, 0x0000000F, 0x00001000, 0x00002000, 0xBAD]
        await case(f"reserved Fmt {fmt:03b}b", rsv, DROP, Logged(0, 0x4, 0x40000, 0, 18),
                   "ERR_FATAL")
        await header_log(f"reserved Fmt {fmt:03b}b", rsv[:4])
    # without UR Reporting Enable a UR sends nothing (SERR# Enable clear)
    await h.cfg_write32(0x48, devctl | 0x7, be=0x3)
    await case("UR completed, URRE clear", ur_rd, UR, Logged(0, 0x9, 0x100000, 0x2000, 20))
    await case("UR posted, URRE clear", ur_wr, DROP, Logged(0, 0xA, 0x100000, 0, 20))
    # SERR# Enable alone: ERR_NONFATAL / ERR_FATAL and Signaled System Error,
    # never ERR_COR
    await h.cfg_write32(0x48, devctl, be=0x3)
    await h.cfg_write32(0x04, cmd | 0x100, be=0x3)
    await case("UR posted, SERR#", ur_wr, DROP, Logged(0x4000, 0xA, 0x100000, 0, 20),
               "ERR_NONFATAL")
    await case("malformed, SERR#", malformed, DROP, Logged(0x4000, 0x4, 0x40000, 0, 18),
               "ERR_FATAL")
    await case("UR completed, SERR#", ur_rd, UR, Logged(0, 0x9, 0x100000, 0x2000, 20))
    # Bus Master Enable does not gate Error Messages (PCIe 7.5.1.1.3)
    await h.cfg_write32(0x04, (cmd | 0x100) & ~0x4, be=0x3)
    await case("UR posted, BME clear", ur_wr, DROP, Logged(0x4000, 0xA, 0x100000, 0, 20),
               "ERR_NONFATAL")
    await h.cfg_write32(0x04, cmd | 0x100, be=0x3)
    # UR Fatal: a completed UR is no longer advisory
    await h.cfg_write32(AER_UNCOR_SEV, 0x00140000)
    await case("UR completed, Fatal", ur_rd, UR, Logged(0x4000, 0xC, 0x100000, 0, 20),
               "ERR_FATAL")
    await h.cfg_write32(AER_UNCOR_SEV, 0x00040000)
    # UR masked: status bits only, no header, no message
    await h.cfg_write32(AER_UNCOR_MASK, 0x00100000)
    await case("UR posted, masked", ur_wr, DROP, Logged(0, 0xA, 0x100000, 0))
    await h.cfg_write32(AER_UNCOR_MASK, 0)
    # two errors before software clears: the first one's header stays
    before = len(h.error_messages)
    first = await b.respond("UR posted (first)", ur_wr, DROP)
    await b.respond("CA posted (second)", ca_wr, DROP)
    await b.check_logged("two errors", first, Logged(0x4800, 0xA, 0x108000, 0, 20))
    assert [m.name for m in h.error_messages[before:]] == ["ERR_NONFATAL"] * 2
    # D3hot: a received TLP's error is reported as in D0 (PCIe 5.3.1.4)
    await h.cfg_write32(0xC4, 0x3, be=0x1)
    await case("MWr to BAR0 in D3hot", b.mem(REG_SCRATCH, [0xBAD]), DROP,
               Logged(0x4000, 0xA, 0x100000, 0, 20), "ERR_NONFATAL")
    await h.cfg_write32(0xC4, 0x0, be=0x1)
    # back to the reset masks and enables (the snapshot has Command, Device Control)
    await h.cfg_write32(0x04, cmd, be=0x3)
    await h.cfg_write32(AER_COR_MASK, 0x2000)
    await b.untouched("error reporting")


# --------------------------------------------------------------------------
# Reset in the middle of traffic


async def reset_state_checks(b, traffic):
    """After a reset: config space at reset values (read before enumerating:
    Completer ID 0), then BAR0 registers, table entries and pending bits."""
    h, tb, p = b.h, b.tb, PARAMS
    for reg in range(0, 0x100, 4):
        cpl = await h.cfg_read(reg)
        want = b.reset_cfg[reg]
        assert cpl.status == SC and cpl.value == want, (
            f"after reset: config 0x{reg:02x} reads {cpl}, reset value 0x{want:08x}")
        assert cpl.completer_id == PcieId(0, 0, 0), f"Bus/Device survived the reset: {cpl}"
    info = await h.enumerate(bus=BUS, device=DEV, bar0_base=BAR)
    b.drv = drv = await Driver(h, info).probe()
    for reg, want in b.reset_regs.items():
        got = await h.read32(BAR + reg)
        assert got == want, f"after reset: BAR0 0x{reg:03x} reads 0x{got:08x}, reset 0x{want:08x}"
    # every entry software wrote or requested before the reset, and a few more
    touched = set(traffic.sh.entries) | traffic.requested
    checks = []
    if p["MSIX_TABLE_SIZE"]:
        idx = {s.index for s in touched if s.store == MSIX} | {0, 1, p["MSIX_TABLE_SIZE"] - 1}
        checks += [(MSIX, i) for i in sorted(idx)]
        for qw in range((p["MSIX_TABLE_SIZE"] + 63) // 64):
            assert await h.read64(drv.msix_pba + 8 * qw) == 0, "PBA not clear after reset"
    if p["IMS_SIZE"]:
        idx = {s.index for s in touched if s.store == IMS} | {0, p["IMS_SIZE"] - 1}
        checks += [(IMS, i) for i in sorted(idx)]
    for store, i in checks:
        e = drv.msix_entry(i) if store == MSIX else drv.ims_entry(i)
        lo = await h.read64(e)
        hi = await h.read64(e + 8)
        assert (lo, hi) == (0, 1 << 32), (
            f"after reset: {store} entry {i} reads 0x{hi:016x}_{lo:016x}, reset: masked, 0")
    if p["MSI_VECTORS"]:
        assert await h.cfg_read32(0x94) == 0, "MSI Pending Bits not clear after reset"
    await tb.flush()


async def works_again(b):
    """One interrupt per store after the reset."""
    h, drv, tb = b.h, b.drv, b.tb
    if HAS_MSIX:
        (v,) = await drv.msix_enable([(1, *h.alloc_pair(high=True))])
        await drv.msix_unmask(1)
        await tb.irq.request(0, 1)
        await tb.wait_interrupt(*v.pair, 1)
    elif HAS_MSI:
        vecs = await drv.msi_enable(0xFEE0_5000, 0x0061, 1)
        h.register_pair(*vecs[0].pair)
        await drv.msi_set_mask(0)
        await tb.irq.request(0, 0)
        await tb.wait_interrupt(*vecs[0].pair, 1)
    if HAS_IMS:
        await drv.ims_enable()
        v = await drv.ims_write_msg(0, *h.alloc_pair())
        await drv.ims_unmask(0)
        await tb.irq.request(1, 0)
        await tb.wait_interrupt(*v.pair, 1)


@cocotb.test()
async def test_reset_mid_traffic(dut):
    """Reset asserted while a TLP is half way on rx, while one is half way
    on tx, while slots are pending and while irq_valid is high (random
    traffic running); afterwards every register and table entry is at its
    reset value and the device works again."""
    name = "test_reset_mid_traffic"
    rng = random.Random(cocotb.RANDOM_SEED)
    tb = Testbench(dut, PARAMS, name=name, record=record_summary)
    cov = Coverage(tb.model).attach(tb)
    await tb.start()
    h = tb.host
    reset_cfg = {reg: await _cfg(h, reg) for reg in range(0, 0x100, 4)}
    info = await h.enumerate(bus=BUS, device=DEV, bar0_base=BAR)
    drv = await Driver(h, info).probe()
    b = Bench(dut, tb, drv, rng)
    b.cov = cov
    b.reset_cfg = reset_cfg
    b.reset_regs = {}
    for reg in range(0, 0x40, 4):
        if reg not in (0x030, 0x034, 0x038):
            b.reset_regs[reg] = await h.read32(BAR + reg)
    conditions = ["rx_mid_tlp", "tx_mid_tlp", "pending", "irq_valid"]
    try:
        for k, cond in enumerate(conditions):
            traffic = RandomTraffic(tb, b.drv, rng, cov)
            if cond == "pending":
                # Software keeps every store enabled and masks mostly set, so
                # requests become pending; a random regime may keep a store
                # disabled for the whole window (requests dropped, nothing
                # pending), which says nothing about reset.
                traffic.regime = traffic.new_regime(msi=1.0, msix=1.0, ims=1.0,
                                                    fm=0.0, unmask=0.1)
            await traffic.program_all()
            agents = [cocotb.start_soon(a()) for a in (traffic.irq_agent, traffic.table_agent,
                                                       traffic.config_agent)]
            tb.set_stress(*stress_generators("random", rng.getrandbits(16)))
            await ClockCycles(dut.clk, rng.randrange(300, 900))
            hit = await wait_for(tb, cond, 3000)
            dut._log.info("reset %d while %s (%s), cycle %d", k + 1, cond,
                          "found" if hit else "not found", tb.counter.cycle)
            traffic.stop = True
            for a in agents:
                a.cancel()
            dut.rst.value = 1                   # at the next edge
            tb.rx.clear()                       # TLPs queued behind the cut one
            await tb.reset()
            tb.set_stress()
            assert hit, f"reset {k + 1}: no cycle with {cond} within 3000 cycles"
            await reset_state_checks(b, traffic)
            await works_again(b)
        summary = await tb.finish(name)
        record_summary(name, resets=len(conditions), **summary)
    finally:
        cov.save(sim=current_sim(), config=current_config())


async def _cfg(h, reg):
    cpl = await h.cfg_read(reg)
    assert cpl.status == SC, cpl
    return cpl.value


async def wait_for(tb, cond, cycles):
    """Wait (at most ``cycles``) for a cycle where ``cond`` holds."""
    dut = tb.dut
    for _ in range(cycles):
        await RisingEdge(dut.clk)
        if cond == "rx_mid_tlp" and tb.rx_monitor.open_first_cycle is not None:
            return True
        if cond == "tx_mid_tlp" and tb.tx_monitor.open_first_cycle is not None:
            return True
        if cond == "pending" and tb.scoreboard.expected_pending():
            return True
        if cond == "irq_valid" and int(dut.irq_valid.value):
            return True
    return False
