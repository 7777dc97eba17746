# SPDX-License-Identifier: MIT
"""The README's picture of one interrupt's life (docs/interrupt_life.json
and docs/interrupt_life.svg) is what the simulation produces now:
tests/sim/wave_tests.py on Verilator, default configuration (its regular
build, the one the store tests use), seed fixed. ``make wave``
(scripts/wave.py) regenerates both files."""

import importlib.util
import json
from pathlib import Path

import pytest

from tb.wavedrom_trace import render_svg
from tests import simrun

ROOT = Path(__file__).resolve().parent.parent


def _script():
    spec = importlib.util.spec_from_file_location("wave_script", ROOT / "scripts" / "wave.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_picture_matches_simulation():
    gen = _script()
    if gen.SIM not in simrun.SIMS:
        pytest.skip(f"the picture is simulated on {gen.SIM} (SIM={','.join(simrun.SIMS)})")
    if gen.CONFIG not in simrun.configs(gen.CONFIG):
        pytest.skip(f"the picture is of configuration {gen.CONFIG} (CONFIG is set)")
    trace = gen.simulate()
    bad = gen.stale(gen.outputs(trace))
    if gen.JSON_OUT in bad and gen.JSON_OUT.exists():
        rows = gen.changed_rows(json.loads(gen.JSON_OUT.read_text()), trace)
        detail = f" (changed: {', '.join(map(str, rows))})" if rows else " (formatting)"
    else:
        detail = ""
    names = " and ".join(str(p.relative_to(ROOT)) for p in bad)
    assert not bad, (f"{names} {'differs' if len(bad) == 1 else 'differ'} from what "
                     f"tests/sim/wave_tests.py produces now{detail}: run `make wave` "
                     "and commit the files")


def test_svg_is_rendering_of_json():
    """The committed SVG is wavedrom's rendering of the committed JSON."""
    gen = _script()
    assert gen.SVG_OUT.read_text() == render_svg(gen.JSON_OUT.read_text()), (
        f"{gen.SVG_OUT.relative_to(ROOT)} is not the rendering of "
        f"{gen.JSON_OUT.relative_to(ROOT)}: run `make wave`")


def test_a_changed_trace_is_seen_as_stale():
    """The check can fail: one edited wave character makes both files stale."""
    gen = _script()
    trace = json.loads(gen.JSON_OUT.read_text())
    assert not gen.stale(gen.outputs(trace)), "the committed files do not round-trip"
    row = trace["signal"][0]
    assert row["name"] == "clk"
    edited = json.loads(json.dumps(trace))
    edited["signal"][0]["wave"] = row["wave"][:-1] + "0"
    assert set(gen.stale(gen.outputs(edited))) == {gen.JSON_OUT, gen.SVG_OUT}
    assert gen.changed_rows(trace, edited) == ["clk"]
