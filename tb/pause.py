# SPDX-License-Identifier: MIT
"""Pause generators for cocotbext-axi agents and the irq driver.

A pause generator yields one bool per clock cycle: True = pause (source:
no tvalid / no irq_valid; sink: tready low). Use with
``agent.set_pause_generator(gen)``, as verilog-pcie's tests do.
"""

import itertools
import random


def cycle_pause(pattern=(1, 1, 1, 0)):
    """Repeat a fixed pattern forever (verilog-pcie's classic [1, 1, 1, 0])."""
    return itertools.cycle([bool(x) for x in pattern])


def random_pause(seed, probability=0.5, max_run=None):
    """Pause each cycle with ``probability``; seeded so reruns match.
    ``max_run`` caps consecutive paused cycles (None: no cap)."""
    rng = random.Random(seed)
    run = 0
    while True:
        p = rng.random() < probability
        if p and max_run is not None and run >= max_run:
            p = False
        run = run + 1 if p else 0
        yield p


def burst_pause(seed, max_on=20, max_off=20):
    """Alternating random-length runs of pause and no pause."""
    rng = random.Random(seed)
    while True:
        for _ in range(rng.randint(1, max_off)):
            yield True
        for _ in range(rng.randint(1, max_on)):
            yield False


def pause_profile(rng, kind):
    """A random pause generator (or None) for one phase of random traffic
    on ``kind`` ("rx", "tx" or "irq"), drawn from ``rng``; returns
    (generator, description for the log)."""
    pick = rng.random()
    if pick < 0.2:
        return None, "none"
    seed = rng.getrandbits(32)
    if pick < 0.7:
        p = rng.choice((0.1, 0.3, 0.5, 0.7, 0.9 if kind == "tx" else 0.6))
        run = rng.choice((None, 4, 40))
        return random_pause(seed, p, max_run=run), f"random {p}/{run}"
    if kind == "tx":
        return burst_pause(seed, max_on=rng.choice((5, 20)), max_off=rng.choice((10, 80))), "burst"
    return burst_pause(seed), "burst"


# Named stress profiles, used by tests via @cocotb.parametrize(stress=...).
STRESS_PROFILES = ("none", "pattern", "random")


def stress_generators(profile, seed=1):
    """(rx_pause, tx_pause, irq_pause) generators for a named profile."""
    if profile in (None, "none"):
        return None, None, None
    if profile == "pattern":
        return cycle_pause((1, 1, 1, 0)), cycle_pause((0, 1, 1, 0, 1)), cycle_pause((1, 0, 0))
    if profile == "random":
        return (random_pause(seed, 0.4), random_pause(seed + 1, 0.6, max_run=40),
                random_pause(seed + 2, 0.3))
    if profile == "burst":
        return burst_pause(seed), burst_pause(seed + 1, max_on=10, max_off=60), burst_pause(seed + 2)
    raise ValueError(f"unknown stress profile {profile!r}")
