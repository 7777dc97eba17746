# SPDX-License-Identifier: MIT
"""Endpoint shell: enumeration, config space, BAR0 registers, request
decoding and every unsupported-request case of docs/design.md §2.

Every completion and every TLP the device sends is checked by the
scoreboard against the reference model; the explicit asserts here restate
the few values an OS relies on (IDs, BAR size, capability chain) from
design.md independently of the model. Each scenario runs plain and under
stress (rx gaps + tx backpressure), and ends with a read that must
complete (Testbench.finish).
"""

import functools
import random

import cocotb
from cocotbext.pcie.core.tlp import CplStatus
from cocotbext.pcie.core.utils import PcieId

from model import regs as R
from model import tlp as T
from tb.pause import stress_generators
from tb.testbench import Testbench
from tests.configs import current_config, current_params, record_summary

STRESS = ["none", "pattern", "random"]
BAR_HIGH = 0x0000_0004_0000_0000      # above 4 GiB: 4DW requests
BAR_LOW = 0xC010_0000                 # below 4 GiB: 3DW requests
BAR0_SIZE = 1 << 20


async def make_tb(dut, stress="none", seed=1, name=None):
    params = current_params()
    rx_p, tx_p, irq_p = stress_generators(stress, seed)
    tb = Testbench(dut, params, rx_pause=rx_p, tx_pause=tx_p, irq_pause=irq_p,
                   name=name, record=record_summary)
    dut._log.info("config %s %s, stress %s", current_config(), params, stress)
    await tb.start()
    return tb


def expected_caps(params):
    caps = [(0x40, R.CAP_ID_PCIE)]
    if params["MSI_VECTORS"]:
        caps.append((0x80, R.CAP_ID_MSI))
    if params["MSIX_TABLE_SIZE"]:
        caps.append((0xA0, R.CAP_ID_MSIX))
    caps.append((0xC0, R.CAP_ID_PM))
    return caps


async def enumerate_dev(tb, bar=BAR_HIGH, bus=1, device=0):
    info = await tb.host.enumerate(bus=bus, device=device, bar0_base=bar)
    assert (info.vendor_id, info.device_id) == (0x1234, 0x1135), info
    assert info.class_code == 0x088000 and info.revision == 0x01, info
    assert info.header_type == 0, info
    assert info.caps == expected_caps(tb.params), (
        f"capability list {[(hex(o), hex(c)) for o, c in info.caps]}")
    assert info.bar0_size == BAR0_SIZE and info.bar0_64bit and not info.bar0_prefetchable, info
    return info


def done(tb, name):
    return tb.finish(name)


# --------------------------------------------------------------------------
# enumeration


@cocotb.test()
@cocotb.parametrize(stress=STRESS, bar=["high", "low"])
async def test_enumeration(dut, stress, bar):
    """Enumerate as an OS does: IDs, capability walk, BAR sizing, assign, enable."""
    tb = await make_tb(dut, stress, name=f"test_enumeration/{stress}/{bar}")
    base = BAR_HIGH if bar == "high" else BAR_LOW
    info = await enumerate_dev(tb, base, bus=3, device=5)

    # the PCI Express capability: version 2, endpoint
    pcie = await tb.host.cfg_read32(0x40)
    assert (pcie >> 16) & 0xF == 2 and (pcie >> 20) & 0xF == 0, f"PCIe cap {pcie:#x}"
    cmd = await tb.host.cfg_read32(0x04)
    mse_bme = R.CFG_COMMAND_MEMORY_SPACE | R.CFG_COMMAND_BUS_MASTER
    assert cmd & mse_bme == mse_bme, f"command {cmd:#x}"
    assert (cmd >> 16) & 0x10, "Status.Capabilities List"
    # BAR reads back the assigned base
    lo = await tb.host.cfg_read32(0x10)
    hi = await tb.host.cfg_read32(0x14)
    assert ((hi << 32) | (lo & ~0xF)) == base and lo & 0xF == 0x4, f"BAR {hi:#x}:{lo:#x}"

    # BAR0 reachable; completer ID is the captured 03:05.0
    cpl = await tb.host.mem_read(base + R.REG_ID)
    assert cpl.status == CplStatus.SC and cpl.value == 0x494D5345, cpl
    assert cpl.completer_id == PcieId(3, 5, 0), cpl
    assert info.bar0_base == base
    await done(tb, f"test_enumeration/{stress}/{bar}")


@cocotb.test()
@cocotb.parametrize(stress=["none", "random"])
async def test_first_requests_before_capture(dut, stress):
    """Config reads before any config write complete with Completer ID 0."""
    tb = await make_tb(dut, stress)
    tb.host.target = PcieId(7, 9, 0)
    for reg in (0x00, 0x08, 0x34):
        cpl = await tb.host.cfg_read(reg)
        assert cpl.status == CplStatus.SC, cpl
        assert cpl.completer_id == PcieId(0, 0, 0), cpl
    await tb.host.cfg_write32(0x0C, 0x10, be=0x1)
    cpl = await tb.host.cfg_read(0x00)
    assert cpl.completer_id == PcieId(7, 9, 0), cpl
    await done(tb, f"test_first_requests_before_capture/{stress}")


@cocotb.test()
@cocotb.parametrize(stress=["none", "random"])
async def test_bus_device_capture(dut, stress):
    """Bus/Device captured from CfgWr0 (all bits), not from UR'd writes."""
    tb = await make_tb(dut, stress)
    await enumerate_dev(tb, bus=0x5A, device=0x13)
    cpl = await tb.host.mem_read(BAR_HIGH + R.REG_VERSION)
    assert cpl.completer_id == PcieId(0x5A, 0x13, 0), cpl

    # new numbers from a later CfgWr0 (e.g. a bus renumbering)
    tb.host.target = PcieId(0xA5, 0x0C, 0)
    await tb.host.cfg_write32(0x3C, 0x0B, be=0x1)
    cpl = await tb.host.cfg_read(0x00)
    assert cpl.completer_id == PcieId(0xA5, 0x0C, 0), cpl

    # a CfgWr0 to function 3 is UR and captures nothing
    cpl = await tb.host.cfg_write(0x3C, 0x22, be=0x1, bus=0xFF, device=0x1F, function=3)
    assert cpl.status == CplStatus.UR, cpl
    cpl = await tb.host.cfg_read(0x3C)
    assert cpl.completer_id == PcieId(0xA5, 0x0C, 0), cpl
    assert cpl.value & 0xFF == 0x0B, cpl
    await done(tb, f"test_bus_device_capture/{stress}")


# --------------------------------------------------------------------------
# config space: RO/RW/reserved bits


@cocotb.test()
@cocotb.parametrize(stress=STRESS)
async def test_config_write_all(dut, stress):
    """Write all-ones, then zeros, then a pattern to every config DW and read
    back; RO/reserved bits keep their values (the scoreboard compares every
    read with the model)."""
    tb = await make_tb(dut, stress)
    await enumerate_dev(tb)
    h = tb.host
    # and the AER capability (0x100-0x137), space after it (reads 0)
    regs = list(range(0x00, 0x100, 4)) + list(range(0x100, 0x13C, 4)) + [0x400, 0xFFC]
    for pattern in (0xFFFFFFFF, 0x00000000, 0xA5A55A5A):
        for reg in regs:
            await h.cfg_write32(reg, pattern)
            await h.cfg_read(reg)
    # read-only identity survived
    assert await h.cfg_read32(0x00) == 0x11351234
    assert await h.cfg_read32(0x34) & 0xFF == 0x40
    # BAR sizing result: bits 31:20 RW, 64-bit memory type
    await h.cfg_write32(0x10, 0xFFFFFFFF)
    assert await h.cfg_read32(0x10) == 0xFFF00004
    await h.cfg_write32(0x14, 0xFFFFFFFF)
    assert await h.cfg_read32(0x14) == 0xFFFFFFFF
    # put the device back where the host expects it, memory enabled
    await h.cfg_write32(0x10, BAR_HIGH & 0xFFFFFFFF)
    await h.cfg_write32(0x14, BAR_HIGH >> 32)
    await h.cfg_write32(R.CFG_COMMAND, R.CFG_COMMAND_MEMORY_SPACE | R.CFG_COMMAND_BUS_MASTER)
    await done(tb, f"test_config_write_all/{stress}")


@cocotb.test()
@cocotb.parametrize(stress=["none", "random"])
async def test_config_byte_enables(dut, stress):
    """Partial config writes (every First BE) on every RW register."""
    tb = await make_tb(dut, stress)
    await enumerate_dev(tb)
    h = tb.host
    rng = random.Random(7)
    regs = [0x04, 0x0C, 0x10, 0x14, 0x3C, 0x48, 0x50]
    if tb.params["MSI_VECTORS"]:
        regs += [0x80, 0x84, 0x88, 0x8C, 0x90]
    if tb.params["MSIX_TABLE_SIZE"]:
        regs += [0xA0]
    for reg in regs:
        for be in range(16):
            await h.cfg_write(reg, rng.getrandbits(32), be=be)
            await h.cfg_read(reg)
    # restore decoding
    await h.cfg_write32(0x10, BAR_HIGH & 0xFFFFFFFF)
    await h.cfg_write32(0x14, BAR_HIGH >> 32)
    await h.cfg_write32(R.CFG_COMMAND, R.CFG_COMMAND_MEMORY_SPACE | R.CFG_COMMAND_BUS_MASTER)
    # 8/16-bit accessors as a driver uses them
    await h.cfg_write8(0x0C, 0x10)
    assert await h.cfg_read8(0x0C) == 0x10
    await h.cfg_write16(0x3C, 0x0A)
    assert await h.cfg_read16(0x3C) == 0x0A
    await done(tb, f"test_config_byte_enables/{stress}")


# --------------------------------------------------------------------------
# BAR0 registers


@cocotb.test()
@cocotb.parametrize(stress=STRESS, bar=["high", "low"])
async def test_bar_registers(dut, stress, bar):
    """Device registers at BAR0: values, byte-enabled writes, 1/2-DW accesses."""
    tb = await make_tb(dut, stress)
    base = BAR_HIGH if bar == "high" else BAR_LOW
    await enumerate_dev(tb, base)
    h = tb.host
    p = tb.params

    assert await h.read32(base + R.REG_ID) == 0x494D5345
    assert await h.read32(base + R.REG_VERSION) == 0x00010000
    assert await h.read32(base + R.REG_SCRATCH) == 0
    assert await h.read32(base + R.REG_DATA_WIDTH) == p["DATA_WIDTH"]
    assert await h.read32(base + R.REG_MSI_VECTORS) == p["MSI_VECTORS"]
    assert await h.read32(base + R.REG_MSIX_TABLE_SIZE) == p["MSIX_TABLE_SIZE"]
    assert await h.read32(base + R.REG_IMS_SIZE) == p["IMS_SIZE"]
    assert await h.read32(base + R.REG_IMS_OFFSET) == (0x80000 if p["IMS_SIZE"] else 0)
    # stride 16, layout version 2, bit 16: PASID supported (PASID_CAP)
    layout = 0x00000210 | (0x00010000 if p.get("PASID_CAP", 1) else 0)
    assert await h.read32(base + R.REG_IMS_LAYOUT) == (layout if p["IMS_SIZE"] else 0)
    assert await h.read32(base + R.REG_IMS_CTRL) == 0
    await h.write32(base + R.REG_IMS_CTRL, 0xFFFFFFFF)      # only Enable is RW, and only with IMS
    enabled = 1 if p["IMS_SIZE"] else 0
    assert await h.read32(base + R.REG_IMS_CTRL) == enabled
    # byte enables: Enable is bit 0, in byte 0; a write without byte 0 keeps it
    await h.write32(base + R.REG_IMS_CTRL, 0x00000000, be=0b1110)
    assert await h.read32(base + R.REG_IMS_CTRL) == enabled, "IMS_CTRL written without byte 0"
    await h.write32(base + R.REG_IMS_CTRL, 0xFFFFFFFE, be=0b0001)
    assert await h.read32(base + R.REG_IMS_CTRL) == 0, "IMS_CTRL byte 0 written with 0"
    await h.write32(base + R.REG_IMS_CTRL, 0xFFFFFFFF, be=0b1110)
    assert await h.read32(base + R.REG_IMS_CTRL) == 0, "IMS_CTRL written without byte 0"
    await h.write32(base + R.REG_IMS_CTRL, 0)

    # SCRATCH: full and byte-enabled writes
    await h.write32(base + R.REG_SCRATCH, 0x11223344)
    assert await h.read32(base + R.REG_SCRATCH) == 0x11223344
    await h.write32(base + R.REG_SCRATCH, 0xAABBCCDD, be=0b0101)
    assert await h.read32(base + R.REG_SCRATCH) == 0x11BB33DD
    for be in range(16):
        await h.write32(base + R.REG_SCRATCH, 0x01020304 * (be + 1), be=be)
        await h.read32(base + R.REG_SCRATCH)
    # RO registers ignore writes
    await h.write32(base + R.REG_ID, 0)
    await h.write32(base + R.REG_VERSION, 0xFFFFFFFF)
    assert await h.read32(base + R.REG_ID) == 0x494D5345

    # 2-DW (QW-aligned) accesses
    assert await h.read64(base + R.REG_ID) == (0x00010000 << 32) | 0x494D5345
    await h.write64(base + R.REG_SCRATCH, 0xFFFF_FFFF_CAFE_F00D)   # DW 0x00C is RO
    assert await h.read64(base + R.REG_SCRATCH) == (p["DATA_WIDTH"] << 32) | 0xCAFEF00D
    await h.mem_write(base + R.REG_SCRATCH, [0x12345678, 0], first_be=0b1000, last_be=0b0001)
    await h.read32(base + R.REG_SCRATCH)

    # sub-DW reads: byte count / lower address from the byte enables
    for fbe in (0b0001, 0b0010, 0b0100, 0b1000, 0b0110, 0b1100, 0b0011, 0b0000):
        await h.mem_read(base + R.REG_ID, first_be=fbe)
    for fbe, lbe in ((0b1000, 0b0001), (0b1110, 0b0011), (0b1111, 0b0111)):
        await h.mem_read(base + R.REG_ID, length=2, first_be=fbe, last_be=lbe)

    # unmapped offsets read 0, writes ignored
    for off in (0x03C, 0x040, 0xFFC, 0x1000, 0x8000, 0x7FFF8, 0xFFFFC):
        await h.write32(base + off, 0xFFFFFFFF)
        await h.mem_read(base + off)
    await done(tb, f"test_bar_registers/{stress}/{bar}")


@cocotb.test()
@cocotb.parametrize(stress=["none", "random"])
async def test_pipelined_reads(dut, stress):
    """Many outstanding requests at once: tags, order, back-to-back TLPs."""
    tb = await make_tb(dut, stress)
    await enumerate_dev(tb)
    h = tb.host
    await h.write32(BAR_HIGH + R.REG_SCRATCH, 0x5EED5EED)
    reqs = []
    for k in range(40):
        if k % 3 == 0:
            reqs.append(cocotb.start_soon(h.cfg_read(4 * (k % 20))))
        elif k % 3 == 1:
            reqs.append(cocotb.start_soon(h.mem_read(BAR_HIGH + 4 * (k % 12))))
        else:
            reqs.append(cocotb.start_soon(h.mem_read(BAR_HIGH, length=2)))
    for r in reqs:
        cpl = await r
        assert cpl.status == CplStatus.SC, cpl
    await done(tb, f"test_pipelined_reads/{stress}")


# --------------------------------------------------------------------------
# unsupported requests (design.md §2)


async def expect_status(h, dws, status, what):
    cpl = await h.request_raw(dws)
    assert cpl.status == status, f"{what}: expected {CplStatus(status).name}, got {cpl}"
    assert not cpl.data, f"{what}: UR/CA completion carries data: {cpl}"
    return cpl


async def expect_discarded(h, dws, what):
    """A malformed non-posted request: discarded, never completed (design.md
    2); the config read after it shows the device went on (a completion for
    it would fail the scoreboard and the host)."""
    await h.send_raw(dws)
    cpl = await h.cfg_read(0x00)
    assert cpl.status == CplStatus.SC, f"after {what}: {cpl}"


@cocotb.test()
@cocotb.parametrize(stress=STRESS)
async def test_unsupported_nonposted(dut, stress):
    """Every non-posted case that must complete with UR or CA, and the
    malformed ones that must not be completed at all."""
    tb = await make_tb(dut, stress)
    await enumerate_dev(tb, bus=2, device=1)
    h = tb.host
    base = BAR_HIGH
    UR, CA = CplStatus.UR, CplStatus.CA

    # config to function != 0, Type 1, Length != 1
    cfg = functools.partial(T.build_cfg, bus=2, device=1)     # to 02:01.<function>
    for fn in range(1, 8):
        await expect_status(h, cfg(False, function=fn), UR, f"CfgRd0 fn {fn}")
        await expect_status(h, cfg(True, function=fn, register=0x0C, data=0xFF), UR,
                            f"CfgWr0 fn {fn}")
    await expect_status(h, cfg(False, type1=True), UR, "CfgRd1")
    await expect_status(h, cfg(True, type1=True, register=0x0C, data=0xFF), UR, "CfgWr1")
    # config with Length != 1 or in a 4DW format: malformed (design.md 2)
    await expect_discarded(h, cfg(False, length=2), "CfgRd0 Length 2")
    await expect_discarded(h, cfg(True, register=0x0C, length=2, data=[1, 2]),
                           "CfgWr0 Length 2")
    await expect_discarded(h, cfg(False, four_dw=True), "CfgRd0 4DW")
    await expect_discarded(h, cfg(True, register=0x0C, four_dw=True, data=0xFF), "CfgWr0 4DW")
    await expect_discarded(h, cfg(False, type1=True, four_dw=True), "CfgRd1 4DW")
    # poisoned CfgWr0 (PCIe 2.7.2.2): UR, not performed, no capture
    await expect_status(h, T.build_cfg(True, bus=0x77, device=3, register=0x3C, ep=1, data=0x5A),
                        UR, "poisoned CfgWr0")
    cpl = await h.cfg_read(0x3C)
    assert cpl.completer_id == PcieId(2, 1, 0), f"poisoned CfgWr0 captured Bus/Device: {cpl}"
    assert cpl.value & 0xFF != 0x5A, f"poisoned CfgWr0 was performed: {cpl}"

    # TLP Digest: counted in the DW count (design.md §2)
    mrd_digest = T.build_request(T.FMT_4DW, T.TYPE_MEM, td=1, address=base + R.REG_ID)
    cpl = await h.request_raw(mrd_digest + [0x12345678])
    assert cpl.status == CplStatus.SC and cpl.value == 0x494D5345, f"MRd with digest: {cpl}"
    await expect_discarded(h, mrd_digest, "MRd with TD set but no digest DW")
    await expect_discarded(h, cfg(False, td=1), "CfgRd0 with TD set but no digest DW")

    # I/O, locked reads, atomics
    req = T.build_request
    await expect_discarded(h, req(T.FMT_4DW, T.TYPE_IO, address=0x1000), "IORd 4DW")
    await expect_status(h, req(T.FMT_3DW, T.TYPE_IO, address=0x1000), UR, "IORd")
    await expect_status(h, req(T.FMT_3DW_DATA, T.TYPE_IO, address=0x1000, data=[0x1]), UR,
                        "IOWr")
    await expect_status(h, req(T.FMT_4DW, T.TYPE_MEM_LOCKED, address=base + R.REG_ID), UR,
                        "MRdLk 4DW")
    await expect_status(h, req(T.FMT_3DW, T.TYPE_MEM_LOCKED, address=0x1000), UR, "MRdLk 3DW")
    atomic = functools.partial(req, T.FMT_4DW_DATA, address=base + 8)
    await expect_status(h, atomic(T.TYPE_FETCH_ADD, data=[1]), UR, "FetchAdd 32")
    await expect_status(h, atomic(T.TYPE_FETCH_ADD, data=[1, 0]), UR, "FetchAdd 64")
    await expect_status(h, atomic(T.TYPE_SWAP, data=[1]), UR, "Swap 32")
    await expect_status(h, atomic(T.TYPE_CAS, data=[1, 2]), UR, "CAS 32")
    await expect_status(h, atomic(T.TYPE_CAS, data=[1, 2, 3, 4]), UR, "CAS 64")
    await expect_status(h, req(T.FMT_3DW_DATA, T.TYPE_FETCH_ADD, address=0x100, data=[1]), UR,
                        "FetchAdd 3DW")

    # MRd outside BAR0 (below, above, 3DW aliasing the low 32 bits, upper bits differ)
    for addr in (base - 4, base + BAR0_SIZE, base + BAR0_SIZE + R.REG_ID, base + (1 << 32),
                 base ^ (1 << 63)):
        await expect_status(h, T.mem_read(addr, force_4dw=True), UR, f"MRd {addr:#x}")
    await expect_status(h, T.mem_read(base & 0xFFFFFFFF), UR, "MRd 3DW alias")

    # Length > 2 or unaligned Length 2 inside BAR0: CA
    await expect_status(h, T.mem_read(base, length=3), CA, "MRd Length 3")
    await expect_status(h, T.mem_read(base, length=16), CA, "MRd Length 16")
    await expect_status(h, T.mem_read(base, length=0), CA, "MRd Length 1024")
    await expect_status(h, T.mem_read(base + 4, length=2), CA, "MRd Length 2 unaligned")

    # unknown non-posted types (Fmt 000b/001b)
    F3, F4 = T.FMT_3DW, T.FMT_4DW
    for fmt, typ in ((F3, 0b00011), (F3, 0b00110), (F3, 0b00111), (F3, 0b01000), (F3, 0b01111),
                     (F4, 0b00011), (F4, 0b11011), (F3, 0b11111)):
        await expect_status(h, req(fmt, typ, address=base), UR, f"Fmt {fmt:03b} Type {typ:05b}")

    # malformed: DW count on the stream disagrees with the header
    await expect_discarded(h, T.mem_read(base) + [0], "MRd with an extra DW")
    await expect_discarded(h, cfg(True, register=0x0C)[:3], "CfgWr0 without its data DW")

    # TC and Attr are copied (scoreboard checks the fields)
    await expect_status(h, req(T.FMT_3DW, T.TYPE_IO, address=0x10, tc=5, attr=0b111), UR,
                        "IORd TC5 Attr 111")
    cpl = await h.request_raw(T.mem_read(base, tc=3, attr=0b101))
    assert cpl.status == CplStatus.SC, cpl

    # MRd while Memory Space Enable is clear
    await h.cfg_write32(R.CFG_COMMAND, R.CFG_COMMAND_BUS_MASTER, be=0x3)
    await expect_status(h, T.mem_read(base + R.REG_ID), UR, "MRd with MSE clear")
    await h.cfg_write32(R.CFG_COMMAND, R.CFG_COMMAND_MEMORY_SPACE | R.CFG_COMMAND_BUS_MASTER, be=0x3)
    assert await h.read32(base + R.REG_ID) == 0x494D5345
    await done(tb, f"test_unsupported_nonposted/{stress}")


@cocotb.test()
@cocotb.parametrize(stress=STRESS)
async def test_dropped_posted(dut, stress):
    """Posted requests the device must drop: no completion, no state change."""
    tb = await make_tb(dut, stress)
    await enumerate_dev(tb)
    h = tb.host
    base = BAR_HIGH
    scratch = base + R.REG_SCRATCH
    await h.write32(scratch, 0x600DF00D)

    mwr = functools.partial(T.build_request, T.FMT_4DW_DATA, T.TYPE_MEM)
    drops = [
        ("MWr above BAR0", T.mem_write(scratch + BAR0_SIZE, 1)),
        ("MWr below BAR0", T.mem_write(base - 4, 1)),
        ("MWr upper address differs", T.mem_write(scratch + (1 << 32), 2)),
        ("MWr 3DW alias of BAR0", T.mem_write(scratch & 0xFFFFFFFF, 3)),
        ("MWr Length 3", T.mem_write(scratch, [4, 5, 6])),
        ("MWr Length 2 unaligned", T.mem_write(scratch + 4, [7, 8])),
        ("MWr poisoned", T.mem_write(scratch, 9, ep=1)),
        ("MWr short payload", mwr(address=scratch, length=2, last_be=0xF, data=[10])),
        ("MWr long payload", T.mem_write(scratch, 11) + [12]),
        ("MWr header only", mwr(address=scratch)),
        ("Msg", T.build_request(T.FMT_4DW, 0b10000)),
        ("MsgD", T.build_request(T.FMT_4DW_DATA, 0b10100, data=[13])),
        ("Cpl", [0x0A000000, 0x00000004, 0x00000000]),
        ("CplD", [0x4A000001, 0x00000004, 0x00000000, 14]),
        ("CplLk", [0x0B000000, 0x00002004, 0x00000000]),
        ("CplDLk", [0x4B000001, 0x00000004, 0x00000000, 17]),
        ("MWr with TD set but no digest DW", mwr(td=1, address=scratch, data=[18])),
        ("unknown type with data", T.build_request(T.FMT_3DW_DATA, 0b00011, address=scratch,
                                                   data=[15])),
        ("unknown type with data 4DW", T.build_request(T.FMT_4DW_DATA, 0b11111, address=scratch,
                                                       data=[16])),
    ]
    for what, dws in drops:
        dut._log.info("posted, must be dropped: %s", what)
        await h.send_raw(dws)
        assert await h.read32(scratch) == 0x600DF00D, f"{what} changed SCRATCH"

    # MWr while Memory Space Enable is clear
    await h.cfg_write32(R.CFG_COMMAND, R.CFG_COMMAND_BUS_MASTER, be=0x3)
    await h.write32(scratch, 0xBAD0BAD0)
    await h.cfg_write32(R.CFG_COMMAND, R.CFG_COMMAND_MEMORY_SPACE | R.CFG_COMMAND_BUS_MASTER, be=0x3)
    assert await h.read32(scratch) == 0x600DF00D, "MWr with MSE clear changed SCRATCH"

    # MWr with a TLP Digest is well formed: performed
    await h.send_raw(mwr(td=1, address=scratch, data=[0x0D16E57]) + [0xC0FFEE])
    assert await h.read32(scratch) == 0x0D16E57, "MWr with a digest DW was not performed"

    # a PASID prefix in front of a good request: UR while PASID Enable is
    # clear (PCIe 6.20.2.2), handled as without it once set; a build
    # without PASID takes no prefix (Malformed: no completion, PCIe 2.2.10.4)
    req = [T.pasid_prefix(0x42)] + T.mem_read(base + R.REG_ID)
    if tb.params["PASID_CAP"]:
        cpl = await h.request_raw(req)
        assert cpl.status == CplStatus.UR, cpl
        await h.cfg_write32(R.CFG_PASID_CAP, R.CFG_PASID_CTL_ENABLE << 16, be=0xC)
        cpl = await h.request_raw(req)
        assert cpl.status == CplStatus.SC and cpl.value == 0x494D5345, cpl
        await h.send_raw([T.pasid_prefix(0x42)] + T.mem_write(scratch, 0x77))
        assert await h.read32(scratch) == 0x77
    else:
        await h.send_raw(req)
        await h.send_raw([T.pasid_prefix(0x42)] + T.mem_write(scratch, 0x77))
        assert await h.read32(scratch) == 0x0D16E57, "a MWr behind a prefix was performed"
    await done(tb, f"test_dropped_posted/{stress}")


@cocotb.test()
async def test_scoreboard_catches_errors(dut):
    """The checker can fail: completions the model did not predict (one
    nobody asked for, one with wrong data) raise ScoreboardError."""
    from tb.framing import tlp_to_dws
    from tb.scoreboard import ScoreboardError

    tb = await make_tb(dut)
    await enumerate_dev(tb)
    await tb.flush()
    sb = tb.scoreboard
    c = tb.counter.cycle + 1
    bogus = [0x4A000001, 0x01000004, 0x0000EE00, 0x494D5345]     # CplD, tag 0xEE
    try:
        sb.tx_tlp(c, bogus)
    except ScoreboardError as exc:
        dut._log.info("rejected unrequested completion: %s", exc)
    else:
        raise AssertionError("scoreboard accepted a completion nobody asked for")

    req = tb.host.mem_tlp(BAR_HIGH + R.REG_ID)
    req.tag = 0x33
    sb.rx_request(c + 1, tlp_to_dws(req))
    wrong = [0x4A000001, 0x01000004, 0x00003300, 0xDEADBEEF]    # ID should be 0x494D5345
    try:
        sb.tx_tlp(c + 20, wrong)
    except ScoreboardError as exc:
        dut._log.info("rejected wrong read data: %s", exc)
    else:
        raise AssertionError("scoreboard accepted wrong read data")


@cocotb.test()
@cocotb.parametrize(stress=["none", "random"])
async def test_reset_restores_defaults(dut, stress):
    """A second reset after use: config space, captured Bus/Device and BAR0
    registers are back at their reset values."""
    tb = await make_tb(dut, stress)
    await enumerate_dev(tb, bus=9, device=4)
    h = tb.host
    await h.write32(BAR_HIGH + R.REG_SCRATCH, 0x12345678)
    await h.write32(BAR_HIGH + R.REG_IMS_CTRL, 1)
    await h.cfg_write32(0x3C, 0xFF, be=0x1)
    await tb.flush()
    await tb.reset()
    h.target = PcieId(9, 4, 0)
    for reg in range(0x00, 0x100, 4):
        cpl = await h.cfg_read(reg)
        assert cpl.completer_id == PcieId(0, 0, 0), f"Bus/Device survived reset: {cpl}"
    assert await h.cfg_read32(0x04) & 0xFFFF == 0, "Command not reset"
    assert await h.cfg_read32(0x10) == 0x00000004, "BAR0 not reset"
    assert await h.cfg_read32(0x14) == 0, "BAR1 not reset"
    await enumerate_dev(tb, bus=9, device=4)
    assert await h.read32(BAR_HIGH + R.REG_SCRATCH) == 0, "SCRATCH not reset"
    assert await h.read32(BAR_HIGH + R.REG_IMS_CTRL) == 0, "IMS_CTRL not reset"
    await done(tb, f"test_reset_restores_defaults/{stress}")
