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
