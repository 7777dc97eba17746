# SPDX-License-Identifier: MIT
"""Cycle counter: the time base every monitor stamps its events with.

Cycle n is the clock period that ends with the n-th rising edge after
:meth:`CycleCounter.start`. A handshake "in cycle n" is one whose signals
are high when sampled at that edge (the values the DUT saw at the edge).

Monitors register a *sampler* (a plain function, no awaiting) with the
counter. The counter's single coroutine increments the count at each rising
edge and then calls every sampler in registration order with the new count,
so all monitors agree on the cycle number without depending on the order in
which cocotb resumes coroutines waiting for the same edge.
"""

import cocotb
from cocotb.triggers import RisingEdge


class CycleCounter:
    def __init__(self, clock):
        self.clock = clock
        self.cycle = 0
        self._samplers = []
        self._task = None

    def add_sampler(self, fn):
        """Call ``fn(cycle)`` at every rising edge, after the count moved."""
        self._samplers.append(fn)

    def start(self):
        if self._task is None:
            self._task = cocotb.start_soon(self._run())
        return self._task

    def stop(self):
        if self._task is not None:
            self._task.cancel()
            self._task = None

    async def _run(self):
        edge = RisingEdge(self.clock)
        while True:
            await edge
            self.cycle += 1
            for fn in self._samplers:
                fn(self.cycle)
