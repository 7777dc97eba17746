# SPDX-License-Identifier: MIT
"""One constrained-random run (not a test module: no cocotb tests here).

``run_random`` sets the device up (random bus, device and BAR0 base), runs
tb.random_traffic.RandomTraffic, drains, and requires: every pending
request delivered (nothing lost), the device's pending bits clear, every
message the host received checked by the scoreboard.  The scoreboard
checks every completion and every message against the model (timing
windows of design.md 5).  Shared by random_tests.py (the regression) and
soak_tests.py (the soak).
"""

import random
import time

import cocotb

from tb.coverage import Coverage
from tb.driver import Driver
from tb.random_traffic import RandomTraffic
from tb.testbench import Testbench
from tests.configs import current_config, current_params, current_sim, record_summary

PARAMS = current_params()


#: the run's seed (COCOTB_RANDOM_SEED; cocotb derives each test's seed from it
#: and the test name): what SEED=<n> replays
RUN_SEED = cocotb.RANDOM_SEED


def seed_info(name):
    """(run seed, this test's random.Random, replay command)."""
    sim = current_sim() or "icarus"
    replay = (f"make sim SIM={sim} CONFIG={current_config()} SEED={RUN_SEED}  (or: SIM={sim} "
              f"CONFIG={current_config()} SEED={RUN_SEED} .venv/bin/python -m pytest "
              f"tests/test_sim_random.py)")
    return RUN_SEED, random.Random(cocotb.RANDOM_SEED), replay


async def run_random(dut, name, phases, cycles, closure=0, hot=8, coverage=True,
                     soft_weight=1.0, until_messages=None, soak=False):
    """Set up, run the agents (``phases`` phases, or until ``until_messages``
    messages were checked), drain and check that nothing was lost."""
    t0 = time.monotonic()
    seed, rng, replay = seed_info(name)
    dut._log.info("%s: seed %d; replay: %s", name, seed, replay)
    tb = Testbench(dut, PARAMS, name=name, record=record_summary)
    cov = Coverage(tb.model).attach(tb) if coverage else None
    await tb.start()
    bar = rng.choice((0x0000_0004_0000_0000, 0xC010_0000, 0xFFF0_0000_0000_0000))
    info = await tb.host.enumerate(bus=rng.randrange(256), device=rng.randrange(32),
                                   bar0_base=bar)
    drv = await Driver(tb.host, info).probe()
    traffic = RandomTraffic(tb, drv, rng, cov, hot=hot, soft_weight=soft_weight, soak=soak)
    until = None
    if until_messages is not None:
        until = lambda: tb.scoreboard.messages_checked >= until_messages   # noqa: E731
    try:
        await traffic.program_all()
        await traffic.run_phases(phases, cycles, closure=closure, until=until)
        device_pending = await traffic.drain()
        sb = tb.scoreboard
        sb.check_quiescent(device_pending=device_pending)
        assert not sb.expected_pending(), (
            f"requests still pending after every gate was opened: "
            f"{sorted(map(str, sb.expected_pending()))}")
        assert not device_pending, \
            f"device still reports pending: {sorted(map(str, device_pending))}"
        assert sb.messages_checked == len(tb.host.writes), (
            f"host received {len(tb.host.writes)} interrupt writes, scoreboard checked "
            f"{sb.messages_checked}")
        summary = await tb.finish(name)
    except AssertionError as exc:
        raise AssertionError(f"{exc}\n  seed {seed}; replay: {replay}") from exc
    finally:
        if cov is not None:
            cov.save(sim=current_sim(), config=current_config())
    o = tb.scoreboard.irq_outcomes
    figures = dict(summary, irq_requests=traffic.irqs, directed_phases=traffic.directed,
                   irq_to_slot=o["accepted"],
                   drop_range=o["drop_range"], drop_disabled=o["drop_disabled"],
                   ambiguous=o["ambiguous"], seed=seed,
                   wall_seconds=round(time.monotonic() - t0, 2))
    record_summary(name, **figures)
    dut._log.info("%s: %s; software ops %s", name, tb.scoreboard.summary(),
                  dict(sorted(traffic.ops.items())))
    if cov is not None:
        dut._log.info("coverage of this run: %d/%d irq bins, %d bins missing overall",
                      sum(1 for b in cov.hits if b.startswith("irq/")),
                      len([b for b in cov.hits]), len(cov.missing()))
    return tb, traffic
