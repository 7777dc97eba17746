# SPDX-License-Identifier: MIT
"""What a cocotbext-pcie RootComplex received as interrupts, strictly.

The RootComplex handles a device's Memory Write in its memory space: a
write to its MSI region sets the ``MsiVector.event`` of the vector whose
number is DATA. Anything wrong (an unknown vector, an address outside
every region) only produces a *warning* in its log, and an event says
that a vector fired, not how often. :class:`RcInterrupts` makes that
strict:

* it wraps the RootComplex's Memory Write handlers and counts every
  write per MSI vector number (``counts``); a write that is not exactly
  one DW with all bytes enabled to the MSI region's address with the
  number of an allocated vector is an error;
* a logging handler on ``cocotb.pcie`` turns every warning of
  cocotbext-pcie into an error, except the expected ones of an
  enumeration (probing empty slots of the root bus);
* :meth:`check` raises on errors; :meth:`expect` asserts the exact
  per-vector counts; :meth:`wait` waits for counts and fails early.

Call :meth:`close` at the end of a test (it removes the log handler).
"""

import collections
import logging

from cocotb.triggers import RisingEdge
from cocotbext.pcie.core.tlp import TlpType


class RcInterruptError(AssertionError):
    """The root complex received something other than the expected interrupts."""


class _WarningTrap(logging.Handler):
    def __init__(self, owner):
        super().__init__(logging.WARNING)
        self.owner = owner

    def emit(self, record):
        self.owner._on_warning(record)


def _enumeration_probe(record):
    """cocotbext-pcie's enumeration reads every device number of the root
    bus; empty ones cannot be routed and are logged as a warning."""
    if not str(record.msg).startswith("Failed to route config type"):
        return False
    tlp = record.args[0] if isinstance(record.args, tuple) and record.args else None
    return tlp is not None and tlp.completer_id.bus == 0


class RcInterrupts:
    LOGGER = "cocotb.pcie"

    def __init__(self, rc, clock, log=None):
        self.rc = rc
        self.clock = clock
        self.log = log or logging.getLogger("cocotb.tb.rc_interrupts")
        self.counts = collections.Counter()     # MSI vector number -> writes received
        self.received = []                      # vector numbers in arrival order
        self.errors = []
        self.warnings_allowed = 0

        region = rc.msi_region
        self.msi_address = region.get_absolute_address(0)
        for fmt_type in (TlpType.MEM_WRITE, TlpType.MEM_WRITE_64):
            orig = rc.rx_tlp_handler[fmt_type]
            rc.register_rx_tlp_handler(fmt_type, self._wrap(orig))

        logger = logging.getLogger(self.LOGGER)
        for h in [h for h in logger.handlers if isinstance(h, _WarningTrap)]:
            logger.removeHandler(h)     # left over by a test that failed before close()
        self._trap = _WarningTrap(self)
        logger.addHandler(self._trap)

    def close(self):
        logging.getLogger(self.LOGGER).removeHandler(self._trap)

    # ------------------------------------------------------------------ hooks
    def _wrap(self, orig):
        async def handler(tlp):
            self._on_write(tlp)
            await orig(tlp)
        return handler

    def _on_write(self, tlp):
        data = bytes(tlp.get_data())
        number = int.from_bytes(data[:4], "little") if len(data) >= 4 else None
        what = (f"address {tlp.address:#x}, length {tlp.length}, first BE {tlp.first_be:#x}, "
                f"data {data.hex()}")
        if tlp.address != self.msi_address:
            self._fail(f"write outside the MSI region ({self.msi_address:#x}): {what}")
        elif tlp.length != 1 or tlp.first_be != 0xF or tlp.last_be != 0:
            self._fail(f"MSI write is not one whole DW: {what}")
        elif number not in self.rc.msi_region.msi_vectors:
            self._fail(f"MSI write with a vector number that was never allocated: {what}")
        else:
            self.counts[number] += 1
            self.received.append(number)

    def _on_warning(self, record):
        if _enumeration_probe(record):
            self.warnings_allowed += 1
            return
        self.errors.append(f"cocotbext-pcie warning ({record.name}): {record.getMessage()}")

    def _fail(self, msg):
        self.errors.append(msg)
        self.log.error("%s", msg)

    # ------------------------------------------------------------------ checks
    @property
    def total(self):
        return len(self.received)

    def check(self):
        if self.errors:
            raise RcInterruptError(f"{len(self.errors)} problem(s) at the root complex:\n  "
                                   + "\n  ".join(self.errors))

    def expect(self, counts):
        """Exactly these vectors arrived, this many times each ({number: count})."""
        self.check()
        want = collections.Counter({k: v for k, v in counts.items() if v})
        if self.counts != want:
            missing = {k: (self.counts[k], v) for k, v in want.items() if self.counts[k] != v}
            extra = {k: v for k, v in self.counts.items() if k not in want}
            raise RcInterruptError(f"interrupts at the root complex differ: "
                                   f"(got, want) per vector {missing}; unexpected {extra}")

    async def wait(self, counts, cycles=2000):
        """Wait until each vector in ``counts`` arrived at least that often."""
        for _ in range(cycles):
            self.check()
            if all(self.counts[k] >= v for k, v in counts.items()):
                return
            await RisingEdge(self.clock)
        self.check()
        late = {k: (self.counts[k], v) for k, v in counts.items() if self.counts[k] < v}
        raise RcInterruptError(f"timed out after {cycles} cycles; (got, want) per vector: {late}")
