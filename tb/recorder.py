# SPDX-License-Identifier: MIT
"""Keeps every rx/tx/irq transaction the monitors report, with their cycle
stamps, and measures how densely a run of messages left on tx.

Used by the benchmark (tests/sim/bench_interrupts.py) for its figures and by
the store tests for the back-to-back property (issue 3: with tx_tready high
and many slots pending, no idle cycle between TLPs).
"""

from dataclasses import dataclass


def is_message(dws):
    """A Memory Write TLP (after an optional PASID prefix)."""
    dw0 = dws[1] if (dws[0] >> 29) == 0b100 else dws[0]
    return (dw0 >> 24) & 0x1F == 0 and (dw0 >> 30) & 1


def nbeats(txn):
    return txn.beats if isinstance(txn.beats, int) else len(txn.beats)


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
        busy = sum(nbeats(t) for t in in_window)
        return Drain(messages=len(msgs), first_cycle=first, cycles=window,
                     busy_cycles=busy, other_tlps=len(in_window) - len(msgs),
                     beats_per_msg=nbeats(msgs[0]))


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
