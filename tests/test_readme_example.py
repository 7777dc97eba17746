"""The README's cocotbext-pcie example is examples/rootcomplex_example.py,
verbatim (tests/test_sim_rootcomplex.py runs that file), so it cannot rot."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECTION = "## Using the device in a cocotbext-pcie testbench"


def test_readme_quotes_the_example():
    readme = (ROOT / "README.md").read_text()
    assert SECTION in readme, f"README has no section {SECTION!r}"
    section = readme.split(SECTION, 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, re.S)
    assert blocks, "the section quotes no python code"
    example = (ROOT / "examples" / "rootcomplex_example.py").read_text()
    assert blocks[0] == example, (
        "README's example differs from examples/rootcomplex_example.py; paste the file "
        "into the README again")
