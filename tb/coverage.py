# SPDX-License-Identifier: MIT
"""Functional coverage of the interrupt semantics and of bad input.

Plain Python (no cocotb import at module level), fed by the scoreboard's
listener events (``tb.scoreboard.Scoreboard.listeners``) and by one
per-cycle sampler (tx backpressure, resets).  Every bin is defined in
:data:`BINS`, here and nowhere else:

* ``irq/<store>/<mask>/<pending>/<enable>/<bme>/<tx>``: an irq request for a
  slot, crossed with the state it met: slot masked or not, already pending
  (the request merges) or idle, the store enabled for sending or not
  (MSI-X: Enable set and Function Mask clear), Bus Master Enable, and tx
  under backpressure (tx_tready low) in that cycle.  A request to a
  disabled MSI or IMS store is dropped (it still meets the slot's mask and
  pending state: the drop must not disturb them); one to MSI-X with the
  Function Mask set is held.  Only requests whose routing state was stable
  (no configuration or BAR write within the write-latency window) count.
* ``drop/...``: requests dropped for range, or with no store enabled.
* ``message/<store>/<3dw|4dw>/<single|merged>``, ``pasid/<on|off>``: the
  messages the scoreboard checked.
* ``release/<store>/<gate>``: a message for a slot that had been pending
  while that gate was closed (mask, store enable, Function Mask, PASID
  Enable for a PASID-tagged IMS entry, BME):
  the held request was delivered once the gate opened.
* ``bad/...``: bad input on rx, classified from the TLP and the model's
  state (unsupported types, config to other functions / Type 1 / bad
  Length / 4DW / poisoned, accesses outside BAR0 or with Memory Space
  Enable clear, misaligned / partial / oversize / beyond-the-table
  accesses to the MSI-X table, PBA and IMS table, writes to read-only
  fields, poisoned writes, TLPs whose DW count disagrees with the header).
* ``error/...``: the error an rx TLP logged (design.md 2 "Errors"): its
  class (UR and CA split into completed and posted), whether it was
  advisory, logged in the Header Log, masked; ``errmsg/...``: the Error
  Messages the scoreboard checked, by Message Code.
* ``reset/...``: a reset asserted while a TLP was half way on rx or tx,
  while slots were pending, or while irq_valid was high.

A simulation run saves its hits to ``$IMS_RUN_DIR/coverage.json``
(:meth:`Coverage.save`; several tests of one run add up).  After a
regression, ``python -m tb.coverage_report --since EPOCH`` merges the runs
started since then, prints the report and exits 1 listing every bin not
reached (tb/coverage_report.py).
"""

from __future__ import annotations

import json
import os
from collections import Counter
from itertools import product
from pathlib import Path

from model import tlp
from model.engine import DROP_DISABLED, DROP_RANGE, route, store_enabled
from model.params import IMS, MSI, MSIX, Slot
from model.regfile import be_mask
from model.stores import ImsStore, MsixStore

# ---------------------------------------------------------------------------
# The bins (the one place they are defined)

STORES = (MSI, MSIX, IMS)
IRQ_DIMS = (
    STORES,
    ("unmasked", "masked"),
    ("idle", "pending"),
    ("enabled", "disabled"),
    ("bme", "nobme"),
    ("tready", "backpressure"),
)
GATES = {MSI: ("mask", "enable", "bme"),
         MSIX: ("mask", "enable", "function_mask", "bme"),
         IMS: ("mask", "enable", "pasid", "bme")}
TABLES = ("msix", "pba", "ims")
BAD = (
    # unsupported types (design.md 2)
    "type/io", "type/mrdlk", "type/atomic", "type/unknown_np", "type/msg", "type/cpl",
    "type/unknown_posted", "type/reserved_fmt",
    # configuration requests the function does not perform
    "cfg/function", "cfg/type1", "cfg/length", "cfg/4dw", "cfg/poisoned",
    # memory requests BAR0 does not claim
    "mem/outside_bar/rd", "mem/outside_bar/wr", "mem/mse_clear/rd", "mem/mse_clear/wr",
    # table accesses
    *[f"{t}/{k}/{d}" for t in TABLES for k in ("misaligned", "partial", "oversize", "beyond")
      for d in ("rd", "wr")],
    # writes to read-only fields
    "ro/config", "ro/regs", "ro/msix", "ro/pba", "ro/ims",
    # poisoned memory writes
    "poisoned/regs", "poisoned/msix", "poisoned/ims",
    # DW count against the header
    "malformed/np/short", "malformed/np/long", "malformed/posted/short",
    "malformed/posted/long", "malformed/truncated_header", "malformed/no_header",
    # TLP prefixes (design.md 2 "TLP prefixes"): Malformed, UR or taken
    "prefix/local", "prefix/two", "prefix/unsupported_type", "prefix/pasid_disabled",
    "prefix/pasid_not_memory", "prefix/pasid_memory", "prefix/not_supported",
)
RESET = ("rx_mid_tlp", "tx_mid_tlp", "pending", "irq_valid")
ERROR_CLASSES = ("ur/completed", "ur/posted", "ca/completed", "ca/posted", "uc", "poisoned",
                 "malformed")
ERROR_HANDLING = ("advisory", "advisory_masked", "uncorrectable", "uncorrectable_masked",
                  "logged")

BINS: dict[str, list[str]] = {
    "irq": ["irq/" + "/".join(c) for c in product(*IRQ_DIMS)],
    "drop": ["drop/range/msi", "drop/range/msix", "drop/range/ims",
             "drop/disabled/function", "drop/disabled/ims"],
    "message": [f"message/{s}/{h}/{m}" for s in STORES for h in ("3dw", "4dw")
                for m in ("single", "merged")] + ["pasid/on", "pasid/off"],
    "release": [f"release/{s}/{g}" for s in STORES for g in GATES[s]],
    "bad": ["bad/" + b for b in BAD],
    "reset": ["reset/" + r for r in RESET],
    "error": (["error/" + c for c in ERROR_CLASSES] + ["error/" + h for h in ERROR_HANDLING]
              + [f"errmsg/{n}" for n in ("ERR_COR", "ERR_NONFATAL", "ERR_FATAL")]),
}
ALL_BINS: frozenset[str] = frozenset(b for group in BINS.values() for b in group)
GROUP_OF = {b: g for g, bins in BINS.items() for b in bins}

FILE_NAME = "coverage.json"

# BAR0 windows (design.md 4)
_MSIX_TABLE = (0x10000, 0x18000)
_MSIX_PBA = (0x18000, 0x18100)
_IMS_TABLE = (0x80000, 0x100000)
_REGS = (0x00000, 0x01000)


def _region(offset: int) -> str | None:
    for name, (lo, hi) in (("regs", _REGS), ("msix", _MSIX_TABLE), ("pba", _MSIX_PBA),
                           ("ims", _IMS_TABLE)):
        if lo <= offset < hi:
            return name
    return None


# ---------------------------------------------------------------------------
# Collector


class Coverage:
    """Counts hits of :data:`BINS` for one simulation (or one unit test).

    ``attach(tb)`` wires it to a :class:`tb.testbench.Testbench`; ``hit``
    adds a bin by name (an unknown name raises, so tests cannot drift from
    the bin list).
    """

    RING = 1 << 14  # cycles of tx_tready history kept

    def __init__(self, model):
        self.model = model
        self.params = model.params
        self.hits: Counter = Counter()
        self._held: dict[Slot, set[str]] = {}
        self._last_g = None
        self._tready = bytearray(self.RING)
        self._tready_cycle = -1
        self._tb = None
        self._rst = True
        self._prev = (False, False, False)

    # -- wiring ---------------------------------------------------------
    def attach(self, tb) -> Coverage:
        self._tb = tb
        tb.scoreboard.listeners.append(self.on_event)
        tb.counter.add_sampler(self._sample)
        return self

    def hit(self, name: str, n: int = 1) -> None:
        if name not in ALL_BINS:
            raise KeyError(f"unknown coverage bin {name!r}")
        self.hits[name] += n

    # -- per-cycle sampler: tx backpressure and resets --------------------
    def _sample(self, cycle: int) -> None:
        tb = self._tb
        dut = tb.dut
        try:
            rst = int(dut.rst.value)
        except ValueError:
            rst = 1
        if rst:
            if not self._rst:
                rx_open, tx_open, irq_valid = self._prev
                if rx_open:
                    self.hit("reset/rx_mid_tlp")
                if tx_open:
                    self.hit("reset/tx_mid_tlp")
                if irq_valid:
                    self.hit("reset/irq_valid")
                if tb.scoreboard.expected_pending():
                    self.hit("reset/pending")
            self._rst = True
            return
        self._rst = False
        try:
            ready = int(dut.tx_tready.value)
            irq_valid = bool(int(dut.irq_valid.value))
        except ValueError:
            ready, irq_valid = 1, False
        self._tready[cycle % self.RING] = ready
        self._tready_cycle = cycle
        # the monitors sampled this cycle before us
        self._prev = (tb.rx_monitor.open_first_cycle is not None,
                      tb.tx_monitor.open_first_cycle is not None, irq_valid)

    def _backpressure(self, cycle: int) -> str | None:
        if self._tb is None:
            return "tready"  # unit tests without a simulator
        if cycle == self._tb.counter.cycle and cycle > self._tready_cycle:
            # delivered in the cycle itself, before this cycle's sample
            try:
                return "tready" if int(self._tb.dut.tx_tready.value) else "backpressure"
            except ValueError:
                return None
        if not 0 <= self._tready_cycle - cycle < self.RING - 1:
            return None
        return "tready" if self._tready[cycle % self.RING] else "backpressure"

    # -- scoreboard events ---------------------------------------------
    def on_event(self, event: str, **info) -> None:
        if event == "irq":
            self._on_irq(**info)
        elif event == "message":
            self._on_message(**info)
        elif event == "rx":
            self._on_rx(**info)
        elif event == "error_message":
            self.hit("errmsg/" + tlp.MESSAGE_CODE_NAMES[info["code"]])
        elif event == "reset":
            self._held.clear()
            self._last_g = None

    def _gates(self, g, slot: Slot, st) -> set[str]:
        closed = set()
        if st.masked:
            closed.add("mask")
        if slot.store == MSI and not g.msi_enable:
            closed.add("enable")
        if slot.store == MSIX:
            if not g.msix_enable:
                closed.add("enable")
            if g.function_mask:
                closed.add("function_mask")
        if slot.store == IMS and not g.ims_enable:
            closed.add("enable")
        if slot.store == IMS and st.pasid_en and not g.pasid_enable:
            closed.add("pasid")
        if not g.bme:
            closed.add("bme")
        return closed

    def _irq_bin(self, g, slot: Slot, bp: str) -> str:
        st = self.model.slot_state(slot)
        pending = self.model.engine.pending(slot)
        return "/".join(("irq", slot.store, "masked" if st.masked else "unmasked",
                         "pending" if pending else "idle",
                         "enabled" if store_enabled(g, slot.store) else "disabled",
                         "bme" if g.bme else "nobme", bp))

    def _on_irq(self, cycle, src, index, stable, **_):
        m = self.model
        p = self.params
        g = m.global_state()
        where = route(p, g, src, index)
        if isinstance(where, Slot):
            gates = self._gates(g, where, m.slot_state(where))
            if gates:
                self._held.setdefault(where, set()).update(gates)
        if not stable:
            return
        bp = self._backpressure(cycle)
        if where == DROP_RANGE:
            store = IMS if src else (MSIX if p.msix_table_size and g.msix_enable else MSI)
            self.hit(f"drop/range/{store}")
            return
        if where == DROP_DISABLED:
            self.hit("drop/disabled/" + ("ims" if src else "function"))
            slots = []
            if src and index < p.ims_size:
                slots.append(Slot(IMS, index))
            if not src and index < p.msix_table_size:
                slots.append(Slot(MSIX, index))
            if not src and index < p.msi_vectors:
                slots.append(Slot(MSI, index))
            if bp is not None:
                for s in slots:
                    self.hit(self._irq_bin(g, s, bp))
            return
        if bp is not None:
            self.hit(self._irq_bin(g, where, bp))

    def _on_message(self, cycle, slot, merged, dws, **_):
        r = tlp.parse_request(dws)
        self.hit(f"message/{slot.store}/{'4dw' if r.is_4dw else '3dw'}/"
                 + ("merged" if merged > 1 else "single"))
        if slot.store == IMS:
            self.hit("pasid/on" if r.prefixes else "pasid/off")
        for gate in sorted(self._held.pop(slot, ())):
            self.hit(f"release/{slot.store}/{gate}")

    def _on_rx(self, cycle, dws, completion, **_):
        m = self.model
        g = m.global_state()
        # pending slots that a write just gated (e.g. a store disabled)
        if g != self._last_g:
            for s in m.engine.pending_slots():
                gates = self._gates(g, s, m.slot_state(s))
                if gates:
                    self._held.setdefault(s, set()).update(gates)
        else:
            for s in m.last_touched:
                if m.engine.pending(s):
                    gates = self._gates(g, s, m.slot_state(s))
                    if gates:
                        self._held.setdefault(s, set()).update(gates)
        self._last_g = g
        for b in classify(m, dws, completion):
            self.hit("bad/" + b)
        out = m.last_outcome
        if out is not None:
            kind = out.error + (("/completed" if out.completed else "/posted")
                                if out.error in ("ur", "ca") else "")
            self.hit("error/" + kind)
            masked = out.masked
            if out.advisory:
                self.hit("error/advisory_masked" if masked else "error/advisory")
            else:
                self.hit("error/uncorrectable_masked" if masked else "error/uncorrectable")
            if out.logged:
                self.hit("error/logged")

    # -- results ----------------------------------------------------------
    def save(self, run_dir: str | os.PathLike | None = None, **meta) -> Path | None:
        """Add the hits to ``<run_dir>/coverage.json`` (default $IMS_RUN_DIR)."""
        run_dir = run_dir or os.environ.get("IMS_RUN_DIR")
        if not run_dir:
            return None
        path = Path(run_dir) / FILE_NAME
        try:
            data = json.loads(path.read_text())
        except (OSError, ValueError):
            data = {"hits": {}}
        hits = Counter(data.get("hits", {}))
        hits.update(self.hits)
        data["hits"] = dict(sorted(hits.items()))
        data.update(meta)
        tmp = path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(data, indent=1, sort_keys=True))
        tmp.replace(path)
        return path

    def missing(self, group: str | None = None) -> list[str]:
        bins = BINS[group] if group else sorted(ALL_BINS)
        return [b for b in bins if not self.hits.get(b)]


# ---------------------------------------------------------------------------
# Bad-input classification of one rx TLP (after the model applied it)


def _ro_bits(rw: int, value: int, after: int, be: int) -> bool:
    """A write tried to change bits that are not RW."""
    return bool((value ^ after) & be_mask(be) & ~rw & 0xFFFFFFFF)


def _prefix_bins(m, dws: list[int]) -> list[str]:
    """The prefix bin of an rx TLP with prefixes in front (none without)."""
    pfx = []
    for dw in dws:
        if dw >> 29 != tlp.FMT_PREFIX:
            break
        pfx.append(dw)
    if not pfx:
        return []
    if not m.params.pasid_cap:
        return ["prefix/not_supported"]
    if not pfx[0] & tlp.PREFIX_END_END:
        return ["prefix/local"]
    if len(pfx) > 1:
        return ["prefix/two"]
    if pfx[0] & tlp.PASID_PREFIX_MASK != tlp.PASID_PREFIX:
        return ["prefix/unsupported_type"]
    if not m.cfg.pasid_enable:
        return ["prefix/pasid_disabled"]
    r = m.last_tlp
    memory = r is not None and (r.type == tlp.TYPE_MEM or (
        r.has_data and r.type in tlp.ATOMIC_TYPES))
    return ["prefix/pasid_memory" if memory else "prefix/pasid_not_memory"]


def classify(m, dws: list[int], completion) -> list[str]:
    """Bad-input bins (without the ``bad/`` prefix) one rx TLP falls in."""
    return _prefix_bins(m, dws) + _classify(m, dws, completion)


def _classify(m, dws: list[int], completion) -> list[str]:
    r = m.last_tlp
    if r is None:
        return ["malformed/no_header"]
    if r.fmt > tlp.FMT_4DW_DATA:
        return ["type/reserved_fmt"]
    out = []
    t = r.type
    data = r.has_data
    if r.truncated:
        out.append("malformed/truncated_header")
    elif not r.length_ok:
        kind = "posted" if r.is_posted else "np"    # malformed: never completed
        out.append(f"malformed/{kind}/" + ("short" if r.wire_dws < r.expected_dws else "long"))
    known_np = (tlp.TYPE_MEM, tlp.TYPE_MEM_LOCKED, tlp.TYPE_IO, tlp.TYPE_CFG0, tlp.TYPE_CFG1)
    atomics = tlp.ATOMIC_TYPES
    if r.is_message:
        out.append("type/msg")
    elif t in (tlp.TYPE_CPL, tlp.TYPE_CPL_LOCKED):
        out.append("type/cpl")
    elif t == tlp.TYPE_IO:
        out.append("type/io")
    elif t == tlp.TYPE_MEM_LOCKED and not data:
        out.append("type/mrdlk")
    elif t in atomics and data:
        out.append("type/atomic")
    elif data and t not in (tlp.TYPE_MEM, tlp.TYPE_CFG0, tlp.TYPE_CFG1):
        out.append("type/unknown_posted")
    elif not data and t not in known_np:
        out.append("type/unknown_np")
    elif t == tlp.TYPE_CFG1:
        out.append("cfg/type1")
    elif t == tlp.TYPE_CFG0:
        if r.is_4dw:
            out.append("cfg/4dw")
        elif r.function != 0:
            out.append("cfg/function")
        elif r.length_field != 1:
            out.append("cfg/length")
        elif data and r.ep:
            out.append("cfg/poisoned")
        elif data and r.length_ok and r.register < 0x100:
            reg = m.cfg.regs.regs.get(r.register)
            rw = reg.rw if reg is not None else 0
            if _ro_bits(rw, r.payload[0], m.cfg.read(r.register), r.first_be):
                out.append("ro/config")
        elif data and r.length_ok and r.first_be:
            out.append("ro/config")  # extended space: reads 0, ignores writes
    elif t == tlp.TYPE_MEM and r.length_ok:
        out += _classify_mem(m, r)
    return out


def _classify_mem(m, r) -> list[str]:
    out = []
    d = "wr" if r.has_data else "rd"
    base = m.cfg.bar0_base
    hit = base <= r.address < base + (1 << 20)
    off = r.address - base
    region = _region(off) if hit else None
    if r.has_data and r.ep:
        if region in ("regs", "msix", "ims"):
            out.append(f"poisoned/{region}")
        return out
    if not m.cfg.memory_space_enable:
        return [f"mem/mse_clear/{d}"]
    if not hit:
        return [f"mem/outside_bar/{d}"]
    n = r.length
    qw_ok = n == 1 or (n == 2 and off % 8 == 0)
    if region in TABLES:
        if n > 2:
            out.append(f"{region}/oversize/{d}")
        elif not qw_ok:
            out.append(f"{region}/misaligned/{d}")
        if r.first_be != 0xF or (n > 1 and r.last_be != 0xF):
            out.append(f"{region}/partial/{d}")
        p = m.params
        if region == "msix":
            beyond = (off - _MSIX_TABLE[0]) // 16 >= p.msix_table_size
        elif region == "ims":
            beyond = (off - _IMS_TABLE[0]) // 16 >= p.ims_size
        else:
            beyond = (off - _MSIX_PBA[0]) // 8 >= (p.msix_table_size + 63) // 64
        if beyond:
            out.append(f"{region}/beyond/{d}")
    if d == "wr" and qw_ok and region is not None:
        for k in range(n):
            o = off + 4 * k
            be = r.first_be if k == 0 else r.last_be
            if not be:
                continue
            value, after = r.payload[k], m.bar_read(o)
            if region == "regs":
                reg = m.regs.regs.get(o)
                ro = reg is not None and not reg.write_clears and \
                    _ro_bits(reg.rw, value, after, be)
            elif region == "pba":
                ro = _ro_bits(0, value, after, be)
            else:
                w = (o % 16) // 4
                entry = (MsixStore if region == "msix" else ImsStore).ENTRY[w]
                size = m.params.msix_table_size if region == "msix" else m.params.ims_size
                idx = (o - (_MSIX_TABLE[0] if region == "msix" else _IMS_TABLE[0])) // 16
                ro = idx < size and _ro_bits(entry.rw, value, after, be)
            if ro:
                out.append(f"ro/{region}")
    return out
