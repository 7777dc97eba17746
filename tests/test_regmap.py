# SPDX-License-Identifier: MIT
"""The generated copies of the register map (scripts/regmap.py) are current."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _generator():
    spec = importlib.util.spec_from_file_location("regmap_gen", ROOT / "scripts" / "regmap.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_generated_files_are_current():
    gen = _generator()
    stale = [str(p.relative_to(ROOT)) for p, text in gen.outputs().items()
             if not p.exists() or p.read_text() != text]
    assert not stale, f"stale register map copies (run `make regmap`): {', '.join(stale)}"


def test_a_changed_table_is_seen_as_stale(tmp_path, monkeypatch):
    """The check can fail: an edited register changes the outputs."""
    gen = _generator()
    before = gen.outputs()
    regs = list(gen.rm.DEVICE_REGS)
    regs[0] = gen.rm.Reg(0x000, "ID", "ID", "RO", "changed", value=0x12345678)
    monkeypatch.setattr(gen.rm, "DEVICE_REGS", tuple(regs))
    monkeypatch.setattr(gen, "BLOCKS", (("REG", gen.rm.DEVICE_REGS, 12),) + gen.BLOCKS[1:])
    after = gen.outputs()
    assert after[gen.VH] != before[gen.VH] and after[gen.PY] != before[gen.PY]
    assert any(after[d] != before[d] for d in gen.DOCS)
