# SPDX-License-Identifier: MIT
"""Constrained-random traffic: load, races and backpressure (RandomTraffic).

Three independent agents run at once for a number of phases, each phase
with its own rx gap / tx backpressure / irq pause profile:

* irq: bursts of requests on every store, mostly on a small hot set of
  slots (so requests merge and meet every mask/enable state), some on any
  slot of a table, some out of range;
* table software (BAR0): mask/unmask MSI-X and IMS entries, rewrite entries
  (DW by DW, as QWs, Linux's masked sequence, byte-enabled pieces, and hot
  rewrites of unmasked entries), IMS PASID changes, IMS Enable toggles,
  writes with read-only bits set, counter clears, PBA / pending / counter /
  entry reads;
* config software: Bus Master Enable, MSI-X Enable and Function Mask, MSI
  Enable, Mask Bits, Multiple Message Enable, MSI ADDRESS/DATA rewrites,
  config reads.

With coverage, directed phases follow the random ones, each aimed at an
irq bin not reached yet.  Each slot's DATA names its store, index and a
generation number, and an entry is programmed before it is first
unmasked, so a message can only match the slot that sent it (the
scoreboard cannot tell apart slots that hold the same pair, e.g. entries
still at their reset ADDRESS 0 / DATA 0); the host knows every
(ADDRESS, DATA) pair software ever wrote, including the half-written ones
a DW-by-DW rewrite passes through, and fails on any other.  ``drain``
opens every gate (enables, masks, BME) and programs every slot still
pending.

Used by tests/sim/random_tests.py and tests/sim/soak_tests.py (through
tests/sim/random_run.py) and by badinput_tests' reset in the middle of
traffic.  Every choice comes from the ``random.Random`` it is given.
"""

import cocotb
from cocotb.triggers import ClockCycles, RisingEdge

from model import regs as R
from model.params import IMS, MSI, MSIX, Slot
from model.regfile import apply_write
from model.stores import ImsStore, MsixStore
from tb.pause import pause_profile, random_pause

COUNTERS = (R.REG_DROP_RANGE, R.REG_DROP_DISABLED, R.REG_MSG_SENT)
# Message Control bits as they sit in the DW at the capability
MSIX_ENABLE, MSIX_FM = R.CFG_MSIX_CTL_ENABLE << 16, R.CFG_MSIX_CTL_FUNCTION_MASK << 16
MSI_ENABLE = R.CFG_MSI_CTL_ENABLE << 16
STORE_CODE = {MSIX: 1, IMS: 2}
ENTRY_REGS = {MSIX: MsixStore.ENTRY, IMS: ImsStore.ENTRY}


class Shadow:
    """What software wrote into every slot it touched, and the pairs the host
    may see.  Table entries are kept as the four entry DWs, updated with
    the model's register definitions (RW bits, byte enables)."""

    def __init__(self, tb, drv, rng):
        self.tb = tb
        self.drv = drv
        self.host = tb.host
        self.rng = rng
        self.entries = {}             # Slot -> [lo, hi, data, ctrl]
        self.gen = 0
        self.msi = [0, 0, 0]          # address lo, address hi, data (16 bits)

    # -- pairs
    def fresh(self, slot):
        self.gen = (self.gen + 1) & 0x3FFF
        r = self.rng.random()
        if r < 0.45:
            addr = 0xFEE0_0000 | self.rng.getrandbits(12) << 4
        elif r < 0.9:
            addr = (0x0000_0042_0000_0000 | self.rng.getrandbits(16) << 16
                    | self.rng.getrandbits(14) << 2)
        else:
            addr = self.rng.getrandbits(64) & ~3     # opaque ADDRESS, any value
        data = STORE_CODE[slot.store] << 30 | (slot.index & 0xFFFF) << 14 | self.gen
        return addr, data

    def entry(self, slot):
        if slot not in self.entries:
            regs = ENTRY_REGS[slot.store]
            self.entries[slot] = [r.reset for r in regs]
        return self.entries[slot]

    def pair(self, slot):
        e = self.entry(slot)
        return (e[1] << 32 | e[0], e[2])

    def apply(self, slot, w, value, be=0xF):
        """Software writes entry DW ``w``: shadow it, register the new pair."""
        e = self.entry(slot)
        e[w] = apply_write(ENTRY_REGS[slot.store][w], e[w], value, be)
        self.host.register_pair(*self.pair(slot))

    def entry_addr(self, slot, w=0):
        base = self.drv.msix_entry(slot.index) if slot.store == MSIX else \
            self.drv.ims_entry(slot.index)
        return base + 4 * w

    def programmed(self, slot):
        return slot in self.entries and self.entries[slot][2] != 0

    # -- MSI: every vector's DATA under every Multiple Message Enable
    def msi_register(self):
        addr = self.msi[1] << 32 | self.msi[0]
        for mme in range(6):
            low = (1 << mme) - 1
            for v in range(max(self.tb.params["MSI_VECTORS"], 1)):
                self.host.register_pair(addr, (self.msi[2] & 0xFFFF & ~low) | (v & low))


class RandomTraffic:
    """The three agents, their phases and the end-of-test drain."""

    def __init__(self, tb, drv, rng, coverage=None, hot=8, soft_weight=1.0, soak=False):
        self.tb = tb
        self.dut = tb.dut
        self.drv = drv
        self.h = tb.host
        self.rng = rng
        self.cov = coverage
        self.p = tb.params
        self.sh = Shadow(tb, drv, rng)
        self.soft_weight = soft_weight
        self.soak = soak
        self.stop = False
        self.requested = set()        # slots that saw an irq request
        self.ops = {}
        self.irqs = 0
        self.hot = {}
        for store, size in ((MSIX, self.p["MSIX_TABLE_SIZE"]), (IMS, self.p["IMS_SIZE"]),
                            (MSI, self.p["MSI_VECTORS"])):
            if size:
                picks = {0, size - 1}
                while len(picks) < min(hot, size):
                    picks.add(rng.randrange(size))
                self.hot[store] = sorted(picks)
        self.cmd = R.CFG_COMMAND_MEMORY_SPACE | R.CFG_COMMAND_BUS_MASTER
        self.msi_mme = 0
        self.hold = False
        self.parked = set()
        self.directed = 0
        self.regime = self.new_regime()

    def new_regime(self, **fixed):
        """Per phase: how likely each gate is open when software sets it, so
        every phase spends its time in a different mix of states (the soak:
        mostly open, so messages keep flowing)."""
        levels = (0.8, 0.95, 0.99) if self.soak else (0.1, 0.5, 0.9)
        pick = lambda: self.rng.choice(levels)     # noqa: E731
        regime = {"bme": pick(), "msix": pick(), "fm": 1 - pick(), "msi": pick(),
                  "ims": pick(), "unmask": pick(), "store": None, "anywhere": 0.1,
                  "bursts": (1, 1, 2, 4, 8, 16, 32), "gaps": (0, 1, 3, 10, 30, 100),
                  "repeat": False}
        if self.soak:
            regime.update(bursts=(32, 64), gaps=(0, 0, 1, 4), anywhere=0.02)
        regime.update(fixed)
        return regime

    def chance(self, gate):
        return self.rng.random() < self.regime[gate]

    def count(self, op):
        self.ops[op] = self.ops.get(op, 0) + 1

    # ------------------------------------------------------------ set-up
    async def program_all(self):
        """Program the hot slots and enable every store (entries unmasked)."""
        h, drv = self.h, self.drv
        if MSIX in self.hot:
            await drv.msix_set_ctrl(0, MSIX_FM >> 16 | MSIX_ENABLE >> 16)
            for i in self.hot[MSIX]:
                await self.rewrite(Slot(MSIX, i), "dw")
                await self.set_ctrl(Slot(MSIX, i), mask=False)
            await drv.msix_set_ctrl(MSIX_FM >> 16, 0)
        if IMS in self.hot:
            await h.write32(drv.bar + R.REG_IMS_CTRL, 1)
            if drv.pasid_cap is not None:
                await drv.pasid_enable()
            for i in self.hot[IMS]:
                await self.rewrite(Slot(IMS, i), "qw")
                await self.set_ctrl(Slot(IMS, i), mask=False)
        if MSI in self.hot:
            await self.msi_rewrite()
            await h.cfg_write32(R.CFG_MSI_MASK, 0)
            self.msi_mme = self.rng.randrange(drv.msi_mmc + 1)
            await h.cfg_write32(R.CFG_MSI, (MSI_ENABLE | self.msi_mme << 20), be=0xC)
        await h.cfg_write32(R.CFG_COMMAND, self.cmd, be=0x3)

    # ------------------------------------------------------------ table writes
    async def set_ctrl(self, slot, mask=None, junk=False):
        """Write an entry's control DW (MSI-X Vector Control / IMS CTRL).
        An entry is programmed before it is first unmasked: entries at reset
        all hold ADDRESS 0 / DATA 0, and a message from one of them could
        not be told from a message from another."""
        if mask is False and not self.sh.programmed(slot):
            await self.rewrite(slot, "qw")
        e = self.sh.entry(slot)
        ctrl = e[3]
        if mask is not None:
            ctrl = (ctrl & ~1) | int(mask)
        if slot.store == IMS and self.rng.random() < 0.3:
            ctrl = (ctrl & 1) | (self.rng.getrandbits(1) << 2) | (self.rng.getrandbits(20) << 12)
        if junk:
            # read-only bits set on purpose (MSI-X 31:1; IMS PENDING and 11:3)
            ro = 0xFFFFFFFE if slot.store == MSIX else 0x00000FFA
            ctrl |= self.rng.getrandbits(32) & ro
        self.sh.apply(slot, 3, ctrl)
        await self.h.write32(self.sh.entry_addr(slot, 3), ctrl)

    async def rewrite(self, slot, mode):
        """New ADDRESS/DATA for an entry (``mode``: dw, qw, linux, partial, hot)."""
        sh, h = self.sh, self.h
        addr, data = sh.fresh(slot)
        lo, hi = addr & 0xFFFFFFFF, addr >> 32
        if self.rng.random() < 0.2:
            lo |= self.rng.getrandbits(2)            # bits 1:0 are RO 0
        e = sh.entry(slot)
        if mode == "linux":
            masked = e[3] & 1
            if not masked:
                sh.apply(slot, 3, e[3] | 1)
                await h.write32(sh.entry_addr(slot, 3), e[3])
        if mode in ("dw", "linux", "hot"):
            order = [(0, lo), (1, hi), (2, data)]
            if mode == "hot":
                self.rng.shuffle(order)
            for w, v in order:
                sh.apply(slot, w, v)
                await h.write32(sh.entry_addr(slot, w), v)
        elif mode == "qw":
            sh.apply(slot, 0, lo)
            sh.apply(slot, 1, hi)
            await h.write64(sh.entry_addr(slot, 0), hi << 32 | lo)
            if self.rng.random() < 0.5:
                sh.apply(slot, 2, data)
                sh.apply(slot, 3, e[3])
                await h.write64(sh.entry_addr(slot, 2), e[3] << 32 | data)
            else:
                sh.apply(slot, 2, data)
                await h.write32(sh.entry_addr(slot, 2), data)
        elif mode == "partial":
            for w, v in ((0, lo), (1, hi), (2, data)):
                be_all = 0
                while be_all != 0xF:
                    be = self.rng.randrange(1, 16) & ~be_all or (0xF & ~be_all)
                    be_all |= be
                    sh.apply(slot, w, v, be)
                    await h.write32(sh.entry_addr(slot, w), v, be=be)
        if mode == "linux":
            await h.mem_read(sh.entry_addr(slot, 2))          # flush
            if not masked:
                sh.apply(slot, 3, e[3] & ~1)
                await h.write32(sh.entry_addr(slot, 3), e[3])

    async def msi_rewrite(self):
        """New MSI ADDRESS/DATA, DW by DW (a live MSI may send half-way)."""
        sh, h = self.sh, self.h
        addr, _ = sh.fresh(Slot(MSIX, 0))
        data = 0x4000 | self.rng.getrandbits(14)
        for k, (reg, v) in enumerate(((R.CFG_MSI_ADDR, addr & 0xFFFFFFFC), (R.CFG_MSI_ADDR_HI, addr >> 32),
                                      (R.CFG_MSI_DATA, data))):
            sh.msi[k] = v
            sh.msi_register()
            await h.cfg_write32(reg, v)

    # ------------------------------------------------------------ agents
    def pick_slot(self, store, anywhere=0.1):
        size = {MSIX: self.p["MSIX_TABLE_SIZE"], IMS: self.p["IMS_SIZE"],
                MSI: self.p["MSI_VECTORS"]}[store]
        if self.rng.random() < anywhere:
            return Slot(store, self.rng.randrange(size))
        return Slot(store, self.rng.choice(self.hot[store]))

    async def irq_agent(self):
        rng = self.rng
        srcs = []
        if MSIX in self.hot or MSI in self.hot:
            srcs.append(0)
        if IMS in self.hot:
            srcs.append(1)
        fn_stores = [s for s in (MSIX, MSI) if s in self.hot]
        while not self.stop:
            await self.checkpoint("irq")
            same = None
            for _ in range(rng.choice(self.regime["bursts"])):
                if same is not None:
                    self.tb.irq.send_nowait(*same)
                    self.irqs += 1
                    continue
                src = rng.choice(srcs)
                r = rng.random()
                if r < 0.08:
                    index = rng.choice((rng.getrandbits(16), 0xFFFF,
                                        self.p["IMS_SIZE"] if src else self.p["MSIX_TABLE_SIZE"],
                                        32, 1 << rng.randrange(6)))
                else:
                    store = IMS if src else rng.choice(fn_stores)
                    target = self.regime["store"]
                    if target and rng.random() < 0.7:
                        store, src = target, int(target == IMS)
                    slot = self.pick_slot(store, self.regime["anywhere"])
                    index = slot.index
                self.tb.irq.send_nowait(src, index)
                self.irqs += 1
                if self.regime["repeat"]:
                    same = (src, index)
                if src:
                    if index < self.p["IMS_SIZE"]:
                        self.requested.add(Slot(IMS, index))
                else:
                    for s in fn_stores:
                        size = self.p["MSIX_TABLE_SIZE"] if s == MSIX else self.p["MSI_VECTORS"]
                        if index < size:
                            self.requested.add(Slot(s, index))
            await self.tb.irq.wait()
            await ClockCycles(self.dut.clk, rng.choice(self.regime["gaps"]) + 1)

    async def table_agent(self):
        rng, h, drv = self.rng, self.h, self.drv
        stores = [s for s in (MSIX, IMS) if s in self.hot]
        while not self.stop:
            await self.checkpoint("table")
            r = rng.random()
            store = rng.choice(stores) if stores else None
            if store and r < 0.35:
                slot = self.pick_slot(store, anywhere=0.05)
                await self.set_ctrl(slot, mask=not self.chance("unmask"),
                                    junk=rng.random() < 0.15)
                self.count("mask write")
            elif store and r < 0.5:
                slot = self.pick_slot(store, anywhere=0.05)
                mode = rng.choice(("dw", "qw", "linux", "partial", "hot"))
                await self.rewrite(slot, mode)
                self.count(f"rewrite {mode}")
            elif r < 0.72:
                await self.random_bar_read(store)
                self.count("bar read")
            elif IMS in self.hot and r < 0.77:
                en = self.chance("ims")
                await h.write32(drv.bar + R.REG_IMS_CTRL, int(en) | (rng.getrandbits(31) << 1
                                                                    if rng.random() < 0.2 else 0))
                self.count("ims enable" if en else "ims disable")
            elif IMS in self.hot and drv.pasid_cap is not None and r < 0.79:
                # PASID-tagged entries wait while PASID Enable is clear and
                # are sent when it is set again (design.md 5)
                en = rng.random() < 0.7
                await drv.pasid_enable(en)
                self.count("pasid enable" if en else "pasid disable")
            elif r < 0.82:
                await h.write32(drv.bar + rng.choice(COUNTERS), rng.getrandbits(32),
                                be=rng.choice((0xF, 0x1, 0x0)))
                self.count("counter clear")
            elif r < 0.87:
                await h.write32(drv.bar + R.REG_SCRATCH, rng.getrandbits(32),
                                be=rng.randrange(16))
                self.count("scratch")
            else:
                await ClockCycles(self.dut.clk, rng.randrange(1, 60))
            if rng.random() < 0.3:
                await ClockCycles(self.dut.clk, int(rng.randrange(1, 40) / self.soft_weight))

    async def random_bar_read(self, store):
        rng, h, drv = self.rng, self.h, self.drv
        r = rng.random()
        if store == MSIX and r < 0.3:
            qw = rng.randrange((self.p["MSIX_TABLE_SIZE"] + 63) // 64)
            await h.mem_read(drv.msix_pba + 8 * qw, length=2)
        elif store is not None and r < 0.7:
            slot = self.pick_slot(store)
            w = rng.randrange(4)
            if rng.random() < 0.5:
                await h.mem_read(self.sh.entry_addr(slot, w & 2), length=2)
            else:
                await h.mem_read(self.sh.entry_addr(slot, w), first_be=rng.randrange(16))
        else:
            await h.mem_read(drv.bar + rng.choice(COUNTERS + (R.REG_IMS_CTRL, R.REG_SCRATCH)))

    async def config_agent(self):
        rng, h, drv = self.rng, self.h, self.drv
        while not self.stop:
            await self.checkpoint("config")
            r = rng.random()
            if r < 0.15:
                self.cmd = (R.CFG_COMMAND_MEMORY_SPACE
                            | (R.CFG_COMMAND_BUS_MASTER if self.chance("bme") else 0)
                            | (R.CFG_COMMAND_INTX_DISABLE if rng.random() < 0.5 else 0))
                await h.cfg_write32(R.CFG_COMMAND, self.cmd | 0xF8F0, be=0x3)  # RO junk
                self.count("bme on" if self.cmd & R.CFG_COMMAND_BUS_MASTER else "bme off")
            elif MSIX in self.hot and r < 0.35:
                fm = self.chance("fm")
                en = self.chance("msix")
                ctrl = (MSIX_ENABLE if en else 0) | (MSIX_FM if fm else 0)
                await h.cfg_write32(R.CFG_MSIX, ctrl | rng.getrandbits(11) << 16, be=0xC)
                self.count(f"msix {'on' if en else 'off'}{' fm' if fm else ''}")
            elif MSI in self.hot and r < 0.55:
                k = rng.random()
                if k < 0.3:
                    en = self.chance("msi")
                    # Multiple Message Enable never shrinks: with fewer vectors,
                    # a pending vector at or above 2**MME would send the same
                    # DATA as a lower one, and no checker could tell which of
                    # the two a message was.  Above MMC: stored as MMC.
                    mme = rng.randrange(self.msi_mme, drv.msi_mmc + 2)
                    self.msi_mme = min(mme, drv.msi_mmc)
                    await h.cfg_write32(R.CFG_MSI, (MSI_ENABLE if en else 0) | mme << 20
                                        | rng.getrandbits(3) << 17, be=0xC)
                    self.count("msi ctrl")
                elif k < 0.7:
                    mask = 0
                    for b in range(32):
                        mask |= (not self.chance("unmask")) << b
                    await h.cfg_write32(R.CFG_MSI_MASK, mask)
                    self.count("msi mask")
                elif k < 0.85:
                    await self.msi_rewrite()
                    self.count("msi rewrite")
                else:
                    await h.cfg_read(R.CFG_MSI_PENDING)
            elif r < 0.75:
                await h.cfg_read(rng.choice((0x00, 0x04, 0x10, 0x14, R.CFG_MSI, R.CFG_MSI_MASK,
                                             R.CFG_MSI_PENDING, R.CFG_MSIX, 0x48, 0x100)))
                self.count("cfg read")
            else:
                await ClockCycles(self.dut.clk, rng.randrange(1, 80))
            if rng.random() < 0.5:
                await ClockCycles(self.dut.clk, int(rng.randrange(1, 60) / self.soft_weight))

    # ------------------------------------------------------------ phases
    async def checkpoint(self, name):
        """Where an agent parks while a directed phase sets the device up."""
        self.parked.add(name)
        while self.hold and not self.stop:
            await RisingEdge(self.dut.clk)
        self.parked.discard(name)

    async def park_agents(self):
        self.hold = True
        while len(self.parked) < 3:
            await RisingEdge(self.dut.clk)
        await self.tb.irq.wait()

    async def run_phases(self, phases, cycles, closure=0, closure_cycles=300, until=None):
        """``phases`` random phases (with ``until``: as many as it takes until
        ``until()`` is true); then (with coverage) up to ``closure`` directed
        phases, each aimed at an irq bin not reached yet."""
        tb = self.tb
        agents = [cocotb.start_soon(self.irq_agent()), cocotb.start_soon(self.table_agent()),
                  cocotb.start_soon(self.config_agent())]
        k = 0
        while (k < phases) if until is None else not until():
            k += 1
            self.regime = self.new_regime()
            rx_p, rx_d = pause_profile(self.rng, "rx")
            tx_p, tx_d = pause_profile(self.rng, "tx")
            irq_p, irq_d = pause_profile(self.rng, "irq")
            if self.soak:
                irq_p, irq_d = None, "none"
                if self.rng.random() < 0.7:
                    p = self.rng.choice((0.05, 0.2, 0.4))
                    tx_p = random_pause(self.rng.getrandbits(32), p, max_run=8)
                    tx_d = f"random {p}"
            tb.set_stress(rx_p, tx_p, irq_p)
            self.dut._log.info("phase %d/%s: rx %s, tx %s, irq %s, gates open %s (cycle %d)",
                               k, phases if until is None else "-", rx_d, tx_d, irq_d,
                               self.regime, tb.counter.cycle)
            if until is None:
                await ClockCycles(self.dut.clk, cycles)
            else:
                for _ in range(max(1, cycles // 500)):
                    await ClockCycles(self.dut.clk, 500)
                    if until():
                        break
        self.directed = 0
        while self.cov is not None and self.directed < closure:
            missing = [b for b in self.cov.missing("irq") if b.split("/")[1] in self.hot]
            if not missing:
                break
            self.directed += 1
            await self.directed_phase(self.rng.choice(missing), closure_cycles)
        self.stop = True
        self.hold = False
        for a in agents:
            await a
        tb.set_stress()

    # ------------------------------------------------------------ directed phases
    async def set_bme(self, on):
        self.cmd = R.CFG_COMMAND_MEMORY_SPACE | (R.CFG_COMMAND_BUS_MASTER if on else 0)
        await self.h.cfg_write32(R.CFG_COMMAND, self.cmd, be=0x3)

    async def set_store(self, store, on):
        """Open or close a store's gate (MSI: MSI-X off so src 0 reaches MSI
        and MSI may send; MSI-X open: MSI Enable clear too, as each sends
        only while the other's Enable is clear, PCIe 7.7.1.2; MSI-X closed:
        Function Mask, or MSI-X and MSI Enable both clear)."""
        h = self.h
        msi_ctrl = lambda en: h.cfg_write32(R.CFG_MSI, (MSI_ENABLE if en else 0)   # noqa: E731
                                            | self.msi_mme << 20, be=0xC)
        if store == MSI:
            if MSIX in self.hot:
                await h.cfg_write32(R.CFG_MSIX, 0, be=0xC)
            await msi_ctrl(on)
        elif store == MSIX:
            if on and MSI in self.hot:
                await msi_ctrl(False)
            if on or self.rng.random() < 0.7:
                await h.cfg_write32(R.CFG_MSIX, MSIX_ENABLE | (0 if on else MSIX_FM), be=0xC)
            else:
                await h.cfg_write32(R.CFG_MSIX, 0, be=0xC)
                if MSI in self.hot:
                    await msi_ctrl(False)
        else:
            await h.write32(self.drv.bar + R.REG_IMS_CTRL, int(on))

    async def set_masks(self, store, masked):
        if store == MSI:
            await self.h.cfg_write32(R.CFG_MSI_MASK, 0xFFFFFFFF if masked else 0)
            return
        for i in self.hot[store]:
            await self.set_ctrl(Slot(store, i), mask=masked)

    async def directed_phase(self, target, cycles):
        """Set the device up for one irq bin (store, mask, pending, enable,
        BME), then let the agents run with the gates mostly held there."""
        _, store, mask, pending, enable, bme, _ = target.split("/")
        tb, clk = self.tb, self.dut.clk
        await self.park_agents()
        if store == MSI:
            self.msi_mme = self.drv.msi_mmc     # every vector allocated (it only grows)
        tb.set_stress(None, None, None)
        src = int(store == IMS)
        # open the gates: pending hot slots drain
        await self.set_bme(True)
        await self.set_store(store, True)
        await self.set_masks(store, False)
        await ClockCycles(clk, 100)
        if pending == "pending":
            # hot slots pending behind a closed Bus Master Enable
            await self.set_bme(False)
            for i in self.hot[store]:
                tb.irq.send_nowait(src, i)
            await tb.irq.wait()
        await self.set_masks(store, mask == "masked")
        await self.set_store(store, enable == "enabled")
        await self.set_bme(bme == "bme")
        await ClockCycles(clk, 16)          # past the write-latency window
        hold = lambda want: 0.97 if want else 0.03   # noqa: E731
        on = enable == "enabled"
        fixed = dict(store=store, bme=hold(bme == "bme"), unmask=hold(mask == "unmasked"))
        if store == MSI:
            fixed.update(msix=0.03, msi=hold(on))
        elif store == MSIX:
            fixed.update(msix=0.97, fm=hold(not on), msi=0.03)
        else:
            fixed.update(ims=hold(on))
        if pending == "idle":
            fixed.update(anywhere=0.3, bursts=(1, 1, 2), gaps=(10, 30, 60))
        else:
            fixed.update(anywhere=0.0, repeat=True, bursts=(2, 3, 4), gaps=(3, 10, 30))
        self.regime = self.new_regime(**fixed)
        tb.set_stress(random_pause(self.rng.getrandbits(32), 0.3),
                   random_pause(self.rng.getrandbits(32), 0.5), None)
        self.dut._log.info("directed phase %d: %s (cycle %d)", self.directed, target,
                           tb.counter.cycle)
        self.hold = False
        await ClockCycles(clk, cycles)

    async def drain(self):
        """Open every gate, program and unmask every pending slot, wait until
        every pending request became a message; returns the device's view
        of pending for every slot that ever saw a request."""
        tb, h, drv, sh = self.tb, self.h, self.drv, self.sh
        sb = tb.scoreboard
        await tb.irq.wait()
        self.cmd = R.CFG_COMMAND_MEMORY_SPACE | R.CFG_COMMAND_BUS_MASTER
        await h.cfg_write32(R.CFG_COMMAND, self.cmd, be=0x3)
        if MSI in self.hot:
            # MSI first, with MSI-X Enable clear: each sends only while the
            # other's Enable is clear (PCIe 7.7.1.2, 7.7.2.2)
            await h.cfg_write32(R.CFG_MSIX, 0, be=0xC)
            await h.cfg_write32(R.CFG_MSI_MASK, 0)
            await h.cfg_write32(R.CFG_MSI, MSI_ENABLE | 5 << 20, be=0xC)
            for _ in range(8):
                await tb.flush()
                if not any(s.store == MSI for s in sb.expected_pending()):
                    break
            if MSIX in self.hot:
                await h.cfg_write32(R.CFG_MSI, 5 << 20, be=0xC)     # MSI Enable clear
        if MSIX in self.hot:
            await h.cfg_write32(R.CFG_MSIX, MSIX_ENABLE, be=0xC)
        if IMS in self.hot:
            await h.write32(drv.bar + R.REG_IMS_CTRL, 1)
            if drv.pasid_cap is not None:
                await drv.pasid_enable()
                # slots parked while it was clear are released by a sweep
                # of the table, one entry a cycle (design.md 5)
                await ClockCycles(tb.dut.clk, self.p["IMS_SIZE"] + 16)
        for _ in range(8):
            await tb.flush()
            todo = sorted(s for s in sb.expected_pending() | sb.uncertain_slots() | self.requested
                          if s.store != MSI)
            opened = 0
            for slot in todo:
                e = sh.entry(slot)
                if not sh.programmed(slot):
                    await self.rewrite(slot, "qw")
                if e[3] & 1:
                    await self.set_ctrl(slot, mask=False)
                    opened += 1
            await tb.flush()
            if not sb.expected_pending() and not opened:
                break
        await tb.flush(settle=64)
        return await self.device_pending()

    async def device_pending(self):
        h, drv = self.h, self.drv
        pending = set()
        if MSIX in self.hot:
            for qw in range((self.p["MSIX_TABLE_SIZE"] + 63) // 64):
                v = await h.read64(drv.msix_pba + 8 * qw)
                pending |= {Slot(MSIX, 64 * qw + b) for b in range(64) if v >> b & 1}
        if MSI in self.hot:
            v = await h.cfg_read32(R.CFG_MSI_PENDING)
            pending |= {Slot(MSI, b) for b in range(32) if v >> b & 1}
        if IMS in self.hot:
            for slot in sorted(s for s in self.requested if s.store == IMS):
                if await h.read32(self.sh.entry_addr(slot, 3)) & 2:
                    pending.add(slot)
        return pending

