"""The quick formal task (issue 11) inside `make test`.

scripts/formal.py --quick: the SymbiYosys tasks quick64 (bmc of every
property of formal/ims_formal_top.v at DATA_WIDTH 64, MSI 4, MSI-X 8,
IMS 8), store_quick and msi_quick (the interrupt rules on real messages:
formal/ims_store_formal.v, formal/ims_msi_formal.v), framer64 (the tx
stream rules proven on the framer alone: formal/ims_framer_formal.v) and
the quick broken variants, each of which must be caught. The full set is
`make formal`. The tools come from the `formal` extra, which `make test`
installs: when they are missing this test fails and says so (no skip).
"""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_formal_quick():
    res = subprocess.run([sys.executable, str(ROOT / "scripts" / "formal.py"), "--quick"],
                         cwd=ROOT, capture_output=True, text=True, timeout=600)
    output = (res.stdout + res.stderr).strip()
    assert res.returncode == 0, f"scripts/formal.py --quick failed:\n{output}"
    for task in ("quick64", "store_quick", "msi_quick", "framer64"):
        assert f"PASS    {task}" in res.stdout, output
    assert "caught " in res.stdout and "NOT caught" not in res.stdout, output


def _formal_script():
    """scripts/formal.py as a module (scripts/ is not a package)."""
    import importlib.util
    spec = importlib.util.spec_from_file_location("formal_script", ROOT / "scripts" / "formal.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module      # (its dataclass looks itself up there)
    spec.loader.exec_module(module)
    return module


def test_mutations_apply():
    """Every broken variant of `make formal` still applies to today's hdl/
    (its text occurs exactly once) and names a task and a property that
    exist, so `make formal` cannot stop on a variant whose line was
    rewritten (as tx_last_late's once did) without make test saying so.
    Instant; the variants themselves run in make formal."""
    formal = _formal_script()
    problems = []
    for m in formal.MUTATIONS:
        count = (ROOT / "hdl" / m.file).read_text().count(m.old)
        if count != 1:
            problems.append(f"{m.name}: its text occurs {count} times in hdl/{m.file}: {m.old!r}")
        try:
            template = formal.template_of(m.task)
        except SystemExit as e:
            problems.append(f"{m.name}: {e}")
            continue
        # the property's label, in the task's harness or in an hdl/ FORMAL block
        label = m.catches.rsplit(".", 1)[-1] + ":"
        sources = [formal.SBY_TEMPLATES[template]] + sorted((ROOT / "hdl").glob("*.v"))
        if not any(label in p.read_text() for p in sources):
            problems.append(f"{m.name}: no property labelled {label!r} in {template.name}'s harness or hdl/")
    assert not problems, "\n".join(problems)
