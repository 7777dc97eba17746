# SPDX-License-Identifier: MIT
"""Reliability soak (run by scripts/soak.py / ``make soak``, not by the
regression): the constrained-random traffic of tb.random_traffic with the
gates mostly open, so messages keep flowing, until ``IMS_SOAK_MESSAGES``
messages were checked by the scoreboard; then the usual drain and
nothing-lost checks.

The run is cut into ``IMS_SOAK_SEGMENTS`` segments, each a cocotb test that
starts from reset with its own seed: a mismatch fails its segment (the
scoreboard stops at the first one) and the next segment carries on, so
the soak counts mismatching segments instead of stopping.
"""

import os

import cocotb

from tests.sim.random_run import run_random

SEGMENTS = int(os.environ.get("IMS_SOAK_SEGMENTS", "1"))
MESSAGES = int(os.environ.get("IMS_SOAK_MESSAGES", "20000"))


@cocotb.test()
@cocotb.parametrize(segment=list(range(SEGMENTS)))
async def test_soak(dut, segment):
    """One segment: random traffic until MESSAGES messages were checked."""
    await run_random(dut, f"test_soak/{segment}", phases=0, cycles=4000, hot=32,
                     coverage=False, soft_weight=0.5, until_messages=MESSAGES, soak=True)
