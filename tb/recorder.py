# SPDX-License-Identifier: MIT
"""Keeps every rx/tx/irq transaction the monitors report, with their cycle
stamps, and measures how densely a run of messages left on tx.

Used by the benchmark (tests/sim/bench_interrupts.py) for its figures and by
the store tests for the back-to-back property (issue 3: with tx_tready high
and many slots pending, no idle cycle between TLPs).
"""

from dataclasses import dataclass

from .framing import dw_type, has_data, split_prefixes


def is_message(dws):
    """A Memory Write TLP (Type 0 with data; prefixes skipped)."""
    _, rest = split_prefixes(dws)
    return bool(rest) and dw_type(rest[0]) == 0 and has_data(rest[0])


class Recorder:
    """Chains itself into the monitors' callbacks of a tb.testbench.Testbench."""

    def __init__(self, tb):
        self.rx, self.tx, self.irq = [], [], []
        for monitor, store in ((tb.rx_monitor, self.rx), (tb.tx_monitor, self.tx),
                               (tb.irq_monitor, self.irq)):
            chained = monitor.callback

            def callback(txn, chained=chained, store=store):
                store.append(txn)
                chained(txn)
            monitor.callback = callback

    def messages_after(self, cycle):
        return [t for t in self.tx if t.first_cycle >= cycle and is_message(t.dws)]

    def drain(self, msgs):
        """How the tx stream was used from the first beat of ``msgs[0]`` to
        the last beat of ``msgs[-1]``."""
        first, last = msgs[0].first_cycle, msgs[-1].accept_cycle
        window = last - first + 1
        in_window = [t for t in self.tx if first <= t.first_cycle <= last]
        busy = sum(len(t.beats) for t in in_window)
        return Drain(messages=len(msgs), first_cycle=first, cycles=window,
                     busy_cycles=busy, other_tlps=len(in_window) - len(msgs),
                     beats_per_msg=len(msgs[0].beats))


@dataclass
class Drain:
    messages: int
    first_cycle: int
    cycles: int            # from the first message's first beat to the last's last
    busy_cycles: int       # cycles with a beat of some TLP (messages and completions)
    other_tlps: int        # completions that shared the window
    beats_per_msg: int

    @property
    def idle_cycles(self):
        return self.cycles - self.busy_cycles

    @property
    def msgs_per_cycle(self):
        """Messages per cycle not spent on other TLPs."""
        other_beats = self.busy_cycles - self.beats_per_msg * self.messages
        return round(self.messages / (self.cycles - other_beats), 4)

    @property
    def bus_limit(self):
        return round(1 / self.beats_per_msg, 4)
