# SPDX-License-Identifier: MIT
"""The device under a host model nobody here wrote: cocotbext-pcie's RootComplex.

The RootComplex enumerates the device through tb.rc_adapter (its config
space answers from the RTL), configures MSI-X or MSI with its own
``alloc_irq_vectors``, and IMS entries are allocated through BAR0 by
tb.ims_domain the way a Linux per-device MSI domain does. The project's
Testbench stays attached: its monitors feed the scoreboard every TLP in
both directions, and at the end the scoreboard must be quiescent and have
checked exactly as many messages as the RootComplex received.

What the RootComplex got is counted per vector by tb.rc_interrupts, which
also turns cocotbext-pcie's warnings (its only reaction to a wrong
interrupt write) into failures: every test asserts that each expected
vector arrived, as often as expected, and nothing else did.

Each test runs with and without random pauses on both streams; their seed
is cocotb's, so ``SEED=`` replays a run.
"""

import collections
import logging
import random

import cocotb
from cocotb.triggers import ClockCycles
from cocotbext.pcie.core import RootComplex
from cocotbext.pcie.core.caps import PciCapId
from cocotbext.pcie.core.tlp import Tlp, TlpType

from tb.framing import TlpTransaction, tlp_to_dws
from tb.ims_domain import ImsDomain
from tb.rc_adapter import RcAdapter, RcAdapterError
from tb.rc_interrupts import RcInterruptError, RcInterrupts
from tb.testbench import Testbench
from tests.configs import current_config, current_params, record_summary

PARAMS = current_params()
HAS_MSI = PARAMS["MSI_VECTORS"] > 0
HAS_MSIX = PARAMS["MSIX_TABLE_SIZE"] > 0
HAS_IMS = PARAMS["IMS_SIZE"] > 0
FN_VECTORS = PARAMS["MSIX_TABLE_SIZE"] or PARAMS["MSI_VECTORS"]   # what alloc_irq_vectors gets
BACKPRESSURE = [False, True]
QUIET = 200                 # cycles to wait for an interrupt that must not come
BAR0_SIZE = 1 << 20
ENUM_TIMEOUT_NS = 20_000    # per config read of the enumeration (pauses make them slower)


class Env:
    """Testbench + RootComplex + adapter + interrupt counter for one test."""

    def __init__(self, tb, rc, ep, ints):
        self.tb, self.rc, self.ep, self.ints = tb, rc, ep, ints
        self.dev = None             # cocotbext PciDevice of the function

    @property
    def clk(self):
        return self.tb.dut.clk


async def setup(dut, backpressure, enable=True):
    """Testbench with the RootComplex as host; enumerated; with ``enable``
    memory decoding and bus mastering on (pci_enable_device, pci_set_master)."""
    logging.getLogger("cocotb.pcie").setLevel(logging.WARNING)   # RC logs every TLP at INFO
    tb = Testbench(dut, PARAMS, record=record_summary)
    rc = RootComplex()
    ep = RcAdapter(dut, testbench=tb)
    ep.attach(rc)
    ints = RcInterrupts(rc, dut.clk)
    env = Env(tb, rc, ep, ints)
    if backpressure:
        ep.set_backpressure(cocotb.RANDOM_SEED)
    dut._log.info("config %s %s, backpressure %s (seed %d)", current_config(), PARAMS,
                  backpressure, cocotb.RANDOM_SEED)
    await tb.start()
    await rc.enumerate(timeout=ENUM_TIMEOUT_NS)
    env.dev = rc.find_device(ep.pcie_id)
    assert env.dev is not None, f"enumeration did not find the device at {ep.pcie_id}"
    if enable:
        await env.dev.enable_device()
        await env.dev.set_master()
    return env


async def finish(env, name):
    """Scoreboard quiescent, adapter clean, and the RootComplex received
    exactly the messages the scoreboard checked."""
    try:
        await env.tb.finish(name)
        env.ints.check()
        sb = env.tb.scoreboard
        assert sb.messages_checked == env.ints.total, (
            f"scoreboard checked {sb.messages_checked} messages, the RootComplex received "
            f"{env.ints.total}")
        assert len(env.ep.writes) == env.ints.total, (
            f"the device sent {len(env.ep.writes)} writes, the RootComplex received "
            f"{env.ints.total}")
        for w in env.ep.writes:
            assert w.requester_id == env.ep.pcie_id, f"{w}: requester ID is not {env.ep.pcie_id}"
        record_summary(name, rc_interrupts=env.ints.total)
    finally:
        env.ints.close()


async def fire(env, src, index):
    """One request on the irq port, returns once accepted."""
    await env.tb.irq.request(src, index)


async def quiet(env, counts):
    """Nothing beyond ``counts`` arrives for QUIET cycles."""
    await ClockCycles(env.clk, QUIET)
    env.ints.expect(counts)


# --------------------------------------------------------------------------
# enumeration


@cocotb.test()
@cocotb.parametrize(backpressure=BACKPRESSURE)
async def test_enumerate(dut, backpressure):
    """enumerate() finds the function, sizes and assigns BAR0 (64-bit,
    1 MiB), walks the capabilities; the BAR decodes once enabled."""
    env = await setup(dut, backpressure, enable=False)
    dev = env.dev
    assert (dev.vendor_id, dev.device_id) == (0x1234, 0x1135)
    assert (dev.class_code, dev.revision_id) == (0x088000, 0x01)
    assert (dev.subsystem_vendor_id, dev.subsystem_id) == (0x1234, 0x0001)
    assert dev.header_type == 0 and not dev.multifunction
    assert dev.bar_size[0] == BAR0_SIZE, f"BAR0 size {dev.bar_size}"
    assert dev.bar[0] & 0xF == 0x4, f"BAR0 {dev.bar[0]:#x} is not a 64-bit memory BAR"
    base = dev.bar_addr[0]
    assert base and base % BAR0_SIZE == 0, f"BAR0 at {base:#x}"
    assert all(not s for s in dev.bar_size[2:]), f"BAR2..5 {dev.bar_size}"
    lo = await dev.config_read_dword(0x10)
    hi = await dev.config_read_dword(0x14)
    assert (hi << 32 | lo & ~0xF) == base, f"BAR0/1 read back {hi:#x}:{lo:#x}, assigned {base:#x}"

    caps = dict(dev.capabilities)
    assert caps.get(PciCapId.EXP) == 0x40, dev.capabilities
    assert (PciCapId.MSI in caps) == HAS_MSI, dev.capabilities
    assert (PciCapId.MSIX in caps) == HAS_MSIX, dev.capabilities
    # Advanced Error Reporting at 0x100, then PASID (ID 0x001B) at 0x148 when
    # the build has it (design.md 3)
    want_ext = [(0x0001, 0x100)] + ([(0x001B, 0x148)] if PARAMS["PASID_CAP"] else [])
    assert dev.ext_capabilities == want_ext, dev.ext_capabilities
    assert dev.pcie_type() == 0x0, f"PCIe device/port type {dev.pcie_type()}"

    # pci_enable_device + pci_set_master; then BAR0 answers
    await dev.enable_device()
    await dev.set_master()
    cmd = await dev.config_read_word(0x04)
    assert cmd & 0x6 == 0x6, f"Command {cmd:#x}: memory space / bus master not enabled"
    bar = dev.bar_window[0]
    assert await bar.read_dword(0x000) == 0x494D5345       # ID "IMSE"
    assert await bar.read_dword(0x010) == PARAMS["MSI_VECTORS"]
    assert await bar.read_dword(0x014) == PARAMS["MSIX_TABLE_SIZE"]
    assert await bar.read_dword(0x020) == PARAMS["IMS_SIZE"]
    await bar.write_dword(0x008, 0x5A5AC3C3)               # SCRATCH
    assert await bar.read_dword(0x008) == 0x5A5AC3C3
    assert await bar.read_qword(0x000) == 0x00010000_494D5345
    env.ints.expect({})
    await finish(env, f"test_enumerate/backpressure={backpressure}")


# --------------------------------------------------------------------------
# MSI-X / MSI through alloc_irq_vectors


@cocotb.skipif(not (HAS_MSI or HAS_MSIX), reason="no MSI or MSI-X capability")
@cocotb.test()
@cocotb.parametrize(backpressure=BACKPRESSURE)
async def test_irq_vectors(dut, backpressure):
    """alloc_irq_vectors() sets up MSI-X (or MSI with multiple messages);
    request k on the irq port arrives as the function's vector k."""
    env = await setup(dut, backpressure)
    dev, ints = env.dev, env.ints
    nvec = await dev.alloc_irq_vectors(1, 2048)
    assert nvec == FN_VECTORS, f"alloc_irq_vectors gave {nvec}, want {FN_VECTORS}"
    if HAS_MSIX:
        assert dev.msix_enabled and not dev.msi_enabled
        ctrl = await dev.capability_read_word(PciCapId.MSIX, 2)
        assert ctrl & 0x8000 and not ctrl & 0x4000, f"MSI-X Message Control {ctrl:#x}"
    else:
        assert dev.msi_enabled and not dev.msix_enabled
        ctrl = await dev.capability_read_word(PciCapId.MSI, 2)
        mme = (ctrl >> 4) & 7
        assert ctrl & 1 and 1 << mme == nvec, f"MSI Message Control {ctrl:#x}: MME {mme}"

    vecs = dev.msi_vectors[:nvec]
    numbers = [v.data for v in vecs]
    assert len(set(numbers)) == nvec
    # every vector of a small table, 64 of a big one (first and last included)
    rng = random.Random(cocotb.RANDOM_SEED)
    chosen = list(range(nvec)) if nvec <= 64 else sorted(
        {0, nvec - 1} | set(rng.sample(range(1, nvec - 1), 62)))
    # request_irq(): cocotbext-pcie calls the handler for every message
    handled = collections.Counter()
    for k in chosen:
        async def handler(k=k):
            handled[k] += 1
        dev.request_irq(k, handler)

    # one at a time: each request is one message to its own vector
    want = collections.Counter()
    for k in chosen:
        vecs[k].event.clear()
        await fire(env, 0, k)
        want[numbers[k]] += 1
        await ints.wait(want)
        assert vecs[k].event.is_set(), f"vector {k}: the RootComplex's event is not set"
        ints.expect(want)

    # all at once, back to back, highest first
    for k in reversed(chosen):
        env.tb.irq.send_nowait(0, k)
        want[numbers[k]] += 1
    await env.tb.irq.wait()
    await ints.wait(want, cycles=200 * len(chosen))
    await quiet(env, want)
    assert handled == collections.Counter({k: 2 for k in chosen}), handled
    await finish(env, f"test_irq_vectors/backpressure={backpressure}")


# --------------------------------------------------------------------------
# IMS through a per-device MSI domain


@cocotb.skipif(not HAS_IMS, reason="no IMS table")
@cocotb.test()
@cocotb.parametrize(backpressure=BACKPRESSURE)
async def test_ims_domain(dut, backpressure):
    """IMS entries allocated as Linux's per-device MSI domain does (message
    written while masked, then unmasked): requests on irq_src 1 arrive as
    the entries' vectors, PASID entries behind a PASID prefix; a masked
    entry holds its message until unmasked; a PASID entry holds it while
    PASID is disabled (pci_disable_pasid) and sends it, with its PASID,
    once PASID is enabled again; a freed entry sends nothing."""
    env = await setup(dut, backpressure)
    dev, ints, ep = env.dev, env.ints, env.ep
    rng = random.Random(cocotb.RANDOM_SEED)
    if HAS_MSI or HAS_MSIX:
        await dev.alloc_irq_vectors(1, 2048)    # a driver sets up its own vectors first
    ims = await ImsDomain(env.rc, dev).create()
    assert ims.size == PARAMS["IMS_SIZE"]
    assert ims.pasid_supported == bool(PARAMS["PASID_CAP"]) == (ims.pasid_cap is not None)
    if ims.pasid_supported:
        await ims.enable_pasid()                # the IOMMU's SVA bind, before any PASID
    picks = sorted({0, ims.size - 1} | {rng.randrange(ims.size) for _ in range(6)})
    irqs = []
    for n, i in enumerate(picks):
        pasid = rng.getrandbits(20) if n % 2 and ims.pasid_supported else None
        irqs.append(await ims.alloc_irq(index=i, pasid=pasid))
    want = collections.Counter()

    # masked after allocation: a request stays pending, nothing arrives
    await fire(env, 1, irqs[0].index)
    await quiet(env, want)
    assert await ims.pending(irqs[0])

    for irq in irqs:
        await ims.request_irq(irq)
    want[irqs[0].data] += 1                      # the held request, on unmask
    await ints.wait(want)

    for irq in irqs:
        await fire(env, 1, irq.index)
        want[irq.data] += 1
        await ints.wait(want)
        ints.expect(want)
        w = ep.writes[-1]
        assert (w.address, w.data, w.pasid) == (irq.address, irq.data, irq.pasid), (w, irq)

    # mask: two requests merge into one message on unmask
    irq = irqs[-1]
    await ims.mask(irq)
    await fire(env, 1, irq.index)
    await fire(env, 1, irq.index)
    await quiet(env, want)
    await ims.unmask(irq)
    want[irq.data] += 1
    await ints.wait(want)

    # PASID disabled: a PASID entry's request waits (PCIe 6.20.1), one
    # without a PASID goes; enabled again, the held one arrives with its PASID
    tagged = [q for q in irqs if q.pasid is not None]
    plain = [q for q in irqs if q.pasid is None]
    if tagged:
        await ims.enable_pasid(False)
        await fire(env, 1, tagged[0].index)
        await fire(env, 1, plain[0].index)
        want[plain[0].data] += 1
        await ints.wait(want)
        await quiet(env, want)
        assert await ims.pending(tagged[0]), "a PASID entry sent or lost its request"
        await ims.enable_pasid(True)
        want[tagged[0].data] += 1
        await ints.wait(want)
        w = ep.writes[-1]
        assert (w.address, w.data, w.pasid) == (tagged[0].address, tagged[0].data,
                                                tagged[0].pasid), (w, tagged[0])

    # free one entry, reuse it with a new vector: only the new one fires
    old = irqs[1 % len(irqs)]
    await ims.free_irq(old)
    await fire(env, 1, old.index)
    await quiet(env, want)
    new = await ims.alloc_irq(index=old.index)
    assert new.data != old.data
    await ims.request_irq(new)
    want[new.data] += 1                          # the request held while freed
    await ints.wait(want)
    await fire(env, 1, new.index)
    want[new.data] += 1
    await ints.wait(want)
    await quiet(env, want)
    await finish(env, f"test_ims_domain/backpressure={backpressure}")


# --------------------------------------------------------------------------
# everything at once


@cocotb.skipif(not (HAS_MSI or HAS_MSIX or HAS_IMS), reason="no interrupt store")
@cocotb.test()
@cocotb.parametrize(backpressure=BACKPRESSURE)
async def test_storm(dut, backpressure):
    """Random back-to-back requests to function vectors and IMS entries:
    every requested vector arrives, at most once per request, no other."""
    env = await setup(dut, backpressure)
    dev, ints = env.dev, env.ints
    rng = random.Random(cocotb.RANDOM_SEED + 1)
    targets = []            # (src, index, vector number)
    if HAS_MSI or HAS_MSIX:
        nvec = await dev.alloc_irq_vectors(1, 2048)
        for k in sorted(rng.sample(range(nvec), min(nvec, 8))):
            targets.append((0, k, dev.msi_vectors[k].data))
    if HAS_IMS:
        ims = await ImsDomain(env.rc, dev).create()
        if ims.pasid_supported:
            await ims.enable_pasid()
        for i in sorted(rng.sample(range(ims.size), min(ims.size, 8))):
            tagged = ims.pasid_supported and rng.random() < 0.5
            irq = await ims.alloc_irq(index=i, pasid=rng.getrandbits(20) if tagged else None)
            await ims.request_irq(irq)
            targets.append((1, i, irq.data))

    requests = collections.Counter()
    for _ in range(200):
        src, index, number = rng.choice(targets)
        env.tb.irq.send_nowait(src, index)
        requests[number] += 1
    await env.tb.irq.wait()
    await ints.wait({n: 1 for n in requests}, cycles=4000)
    await ClockCycles(env.clk, QUIET)
    ints.check()
    assert set(ints.counts) == set(requests), (
        f"vectors requested {sorted(requests)}, arrived {sorted(ints.counts)}")
    over = {n: (c, requests[n]) for n, c in ints.counts.items() if c > requests[n]}
    assert not over, f"more messages than requests (got, requested): {over}"
    dut._log.info("%d requests -> %d interrupts at the RootComplex", sum(requests.values()),
                  ints.total)
    await finish(env, f"test_storm/backpressure={backpressure}")


# --------------------------------------------------------------------------
# the checks themselves


@cocotb.skipif(not (HAS_MSI or HAS_MSIX), reason="no MSI or MSI-X capability")
@cocotb.test()
async def test_checks_fail(dut):
    """The checks catch what the RootComplex would only log: writes of an
    unallocated vector, writes outside its MSI region, a vector that
    arrives unexpectedly; and the adapter rejects TLPs it cannot pass on."""
    env = await setup(dut, False)
    dev, ints, ep = env.dev, env.ints, env.ep
    await dev.alloc_irq_vectors(1, 2048)
    vec = dev.msi_vectors[0]

    def mwr(address, data):
        tlp = Tlp()
        tlp.fmt_type = TlpType.MEM_WRITE
        tlp.requester_id = ep.pcie_id
        tlp.address = address
        tlp.first_be = 0xF
        tlp.set_data(data.to_bytes(4, "little"))
        return tlp

    async def inject(tlp, *expected):
        """Send ``tlp`` to the RootComplex as if the device had; expect these errors."""
        await ep.upstream_port.send(tlp)
        await ClockCycles(env.clk, 20)
        for text in expected:
            assert any(text in e for e in ints.errors), f"no error with {text!r}: {ints.errors}"
        try:
            ints.check()
        except RcInterruptError:
            pass
        else:
            assert not expected, "check() passed although errors were expected"
        ints.errors.clear()

    unallocated = max(env.rc.msi_region.msi_vectors) + 1
    await inject(mwr(vec.addr, unallocated), "never allocated", "cocotbext-pcie warning")
    await inject(mwr(0x1000_0000, vec.data), "outside the MSI region", "cocotbext-pcie warning")
    await inject(mwr(vec.addr, vec.data))        # a right write that nobody asked for ...
    try:
        ints.expect({})                          # ... is still unexpected
    except RcInterruptError:
        pass
    else:
        raise AssertionError("expect({}) passed with an interrupt received")
    ints.counts.clear()
    ints.received.clear()

    # the adapter: a prefix the RootComplex cannot take, a stray completion
    bad = [TlpTransaction([0x9E000000] + tlp_to_dws(mwr(vec.addr, vec.data)), 0, 0),
           TlpTransaction(tlp_to_dws(Tlp.create_completion_for_tlp(mwr(0, 0), ep.pcie_id)), 0, 0)]
    for txn in bad:
        try:
            ep.handle_tx(txn)
        except RcAdapterError:
            pass
        else:
            raise AssertionError(f"adapter passed on {txn}")
    assert len(ep.errors) == 2, ep.errors
    ep.errors.clear()
    await finish(env, "test_checks_fail")
