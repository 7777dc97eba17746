"""tb.coverage without a simulator: bins, classification of bad input,
sampling through the scoreboard's listeners; tb.coverage_report: merging
and the report that fails on a bin not reached."""

import io
import json

import pytest

from model import DeviceModel, Slot, tlp
from model.host import ModelHost
from tb import coverage as C
from tb import coverage_report as R
from tb.scoreboard import Scoreboard

BAR0 = 0xF000_0000


class Bench:
    """Host -> scoreboard (with a Coverage listener) and a stand-in device."""

    def __init__(self, msi=4, msix=64, ims=256):
        self.dut = DeviceModel(msi, msix, ims)
        self.sb = Scoreboard(DeviceModel(msi, msix, ims))
        self.cov = C.Coverage(self.sb.model)
        self.sb.listeners.append(self.cov.on_event)
        self.cycle = 100
        self.host = ModelHost(self.dut, bar0=BAR0, sink=self.send)
        self.host.enumerate(bus=3, device=1)

    def send(self, dws):
        self.cycle += 1
        self.sb.rx_request(self.cycle, dws)
        cpl = self.dut.request(dws)
        if cpl is not None:
            self.cycle += 3
            self.sb.tx_tlp(self.cycle, cpl)
        for msg in self.dut.last_messages:
            self.cycle += 1
            self.sb.tx_tlp(self.cycle, msg)
        return cpl

    def wait(self, n=20):
        self.cycle += n

    def irq(self, src, index):
        self.cycle += 1
        self.sb.irq_accepted(self.cycle, src, index)
        self.dut.irq(src, index)

    def message(self, slot):
        self.cycle += 2
        self.sb.tx_tlp(self.cycle, self.dut.take(slot).dws())

    def bad(self, dws):
        """Bins ``dws`` hits (bad/ prefix removed)."""
        before = dict(self.cov.hits)
        self.send(dws)
        return sorted(b[4:] for b, n in self.cov.hits.items()
                      if b.startswith("bad/") and n != before.get(b, 0))


def test_bins_are_unique_and_complete():
    names = [b for group in C.BINS.values() for b in group]
    assert len(names) == len(set(names)) == len(C.ALL_BINS)
    assert len(C.BINS["irq"]) == 3 * 2 * 2 * 2 * 2 * 2
    with pytest.raises(KeyError, match="unknown coverage bin"):
        C.Coverage(DeviceModel(4, 64, 256)).hit("irq/msix/typo")


def test_irq_cross_and_release():
    b = Bench()
    h = b.host
    h.msix_control(enable=True, function_mask=True)
    h.msix_entry(5, 0xFEE0_1000, 0x31)
    b.wait()
    b.irq(0, 5)                                  # held by the Function Mask
    b.irq(0, 5)                                  # merges
    assert b.cov.hits["irq/msix/unmasked/idle/disabled/bme/tready"] == 1
    assert b.cov.hits["irq/msix/unmasked/pending/disabled/bme/tready"] == 1
    h.msix_control(enable=True, function_mask=False)
    b.wait()
    b.message(Slot("msix", 5))
    assert b.cov.hits["release/msix/function_mask"] == 1
    assert b.cov.hits["message/msix/3dw/merged"] == 1
    b.irq(1, 3)                                  # IMS not enabled: dropped
    assert b.cov.hits["drop/disabled/ims"] == 1
    assert b.cov.hits["irq/ims/masked/idle/disabled/bme/tready"] == 1
    b.irq(0, 64)                                 # MSI-X has 64 entries
    assert b.cov.hits["drop/range/msix"] == 1


def test_requests_near_a_write_are_not_sampled():
    b = Bench()
    b.host.msix_control(enable=True)
    b.host.msix_entry(1, 0xFEE0_1000, 0x31)
    b.irq(0, 1)                                  # right after the write: either state
    assert not any(k.startswith("irq/") for k in b.cov.hits)


def test_bad_input_classification():
    b = Bench()
    bar = BAR0
    mem = tlp.mem_write
    assert b.bad(tlp.build_request(tlp.FMT_3DW, tlp.TYPE_IO, address=0x10)) == ["type/io"]
    assert b.bad(tlp.build_request(tlp.FMT_4DW_DATA, 0b10100, data=[1])) == ["type/msg"]
    assert b.bad(tlp.build_cfg(False, bus=3, device=1, function=2)) == ["cfg/function"]
    assert b.bad(tlp.build_cfg(True, bus=3, device=1, register=0x00, data=0)) == ["ro/config"]
    assert b.bad(mem(bar + 0x008, [1], ep=1)) == ["poisoned/regs"]
    assert b.bad(mem(bar + 0x000, [0])) == ["ro/regs"]
    assert b.bad(mem(bar + 0x10004, [1, 2])) == ["msix/misaligned/wr"]
    assert b.bad(tlp.mem_read(bar + 0x10000, length=3)) == ["msix/oversize/rd"]
    assert b.bad(tlp.mem_read(bar + 0x18000, first_be=0x3)) == ["pba/partial/rd"]
    assert b.bad(mem(bar + 0x18008, [1])) == ["pba/beyond/wr", "ro/pba"]
    assert b.bad(mem(bar + 0x8000C, [0x2])) == ["ro/ims"]          # PENDING is RO
    assert b.bad(mem(bar + 0x80000 + 16 * 256, [1])) == ["ims/beyond/wr"]
    assert b.bad(mem(bar + (1 << 20), [1])) == ["mem/outside_bar/wr"]
    long_wr = mem(bar + 0x008, [1, 2])
    long_wr[0] = long_wr[0] & ~0x3FF | 1                          # Length 1, 2 DWs
    assert b.bad(long_wr) == ["malformed/posted/long"]
    assert b.bad(tlp.mem_read(bar)[:2]) == ["malformed/truncated_header"]
    assert b.bad(tlp.mem_read(bar) + [0]) == ["malformed/np/long"]   # malformed: no completion
    assert b.bad([0x91000001]) == ["malformed/no_header", "prefix/pasid_disabled"]
    assert b.bad([0x81000000] + tlp.mem_read(bar)) == ["prefix/local"]
    assert b.bad([0x91000001, 0x91000002] + tlp.mem_read(bar)) == ["prefix/two"]
    assert b.bad([0x9E000000] + tlp.mem_read(bar)) == ["prefix/unsupported_type"]
    assert b.bad([0x91000001] + tlp.mem_read(bar)) == ["prefix/pasid_disabled"]
    b.host.pasid_enable()
    assert b.bad([0x91000001] + tlp.mem_read(bar)) == ["prefix/pasid_memory"]
    assert b.bad([0x91000001] + tlp.build_cfg(False, bus=3, device=1)) == \
        ["prefix/pasid_not_memory"]
    assert b.bad([0xA0000001, 0, 0]) == ["type/reserved_fmt"]
    assert b.bad(mem(bar + 0x008, [5])) == []                     # a good write: nothing
    b.host.cfg_write(0x04, 0x4, first_be=0x3)                      # Memory Space Enable off
    assert b.bad(tlp.mem_read(bar)) == ["mem/mse_clear/rd"]


def test_error_bins():
    b = Bench()
    h = b.host

    def hits(dws):
        before = dict(b.cov.hits)
        b.send(dws)
        return sorted(n for n, k in b.cov.hits.items()
                      if n.startswith(("error/", "errmsg/")) and k != before.get(n, 0))

    outside = BAR0 - 0x1000
    assert hits(tlp.mem_read(outside)) == ["error/advisory_masked", "error/ur/completed"]
    assert hits(tlp.mem_write(outside, 1)) == ["error/logged", "error/uncorrectable",
                                               "error/ur/posted"]
    h.cfg_write(0x114, 0)                               # unmask Advisory Non-Fatal
    h.cfg_write(0x48, 0x2810 | 0xF)                     # every reporting enable
    assert hits(tlp.mem_read(BAR0, length=3)) == ["errmsg/ERR_COR", "error/advisory",
                                                  "error/ca/completed"]
    assert hits(tlp.mem_write(BAR0, [1, 2, 3])) == ["errmsg/ERR_NONFATAL", "error/ca/posted",
                                                    "error/uncorrectable"]
    assert hits(tlp.mem_read(BAR0)[:2]) == ["errmsg/ERR_FATAL", "error/malformed",
                                            "error/uncorrectable"]
    h.cfg_write(0x108, 0x0001_1000)                     # mask UC and Poisoned
    assert hits(tlp.build_completion(completer_id=1, requester_id=0, tag=1)) == \
        ["errmsg/ERR_COR", "error/advisory", "error/uc"]
    h.cfg_write(0x10C, 0x0004_1000)                     # Poisoned Fatal: not advisory
    assert hits(tlp.mem_write(BAR0 + 8, 1, ep=1)) == ["error/poisoned",
                                                      "error/uncorrectable_masked"]
    assert hits(tlp.mem_read(BAR0)) == []


def _write_run(root, sim, config, module, started, hits):
    d = root / f"{sim}-{config}" / module
    d.mkdir(parents=True)
    (d / "run.json").write_text(json.dumps({"sim": sim, "config": config, "module": module,
                                            "started": started, "seed": 1}))
    cov = C.Coverage(DeviceModel(4, 64, 256))
    for name in hits:
        cov.hit(name)
    cov.save(d)
    cov.save(d)                                  # two tests of one run add up
    return d


def test_merge_counts_only_this_regression_and_fails_on_missing_bins(tmp_path):
    everything = sorted(C.ALL_BINS)
    _write_run(tmp_path, "icarus", "default", "old", 10.0, everything)
    _write_run(tmp_path, "icarus", "default", "random_tests", 100.0, everything[:-1])
    d = _write_run(tmp_path, "verilator", "default", "random_tests", 101.0, everything[-1:])
    assert json.loads((d / C.FILE_NAME).read_text())["hits"][everything[-1]] == 2

    runs = R.load_runs(tmp_path, since=50.0)
    assert len(runs) == 2
    out = io.StringIO()
    assert R.report(runs, ["icarus", "verilator"], out=out) == 0, out.getvalue()
    assert "100.0%" in out.getvalue()

    out = io.StringIO()
    runs = R.load_runs(tmp_path, since=100.5)    # the icarus run is too old now
    assert R.report(runs, ["icarus", "verilator"], out=out) == 1
    text = out.getvalue()
    assert "ERROR: no coverage from icarus" in text
    assert "bins not reached:" in text and everything[0] in text
