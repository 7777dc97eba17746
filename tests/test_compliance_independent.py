"""The compliance suite (tests/compliance/) is independent of the reference
model: neither it nor any project module it imports, however indirectly,
imports model/ (issue 9: a check that does not ask the model)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("model", "tb", "tests")


def project_imports(path: Path) -> set[str]:
    """Dotted names of the project modules ``path`` imports."""
    tree = ast.parse(path.read_text(), str(path))
    pkg = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = pkg.split(".")[: len(pkg.split(".")) - node.level + 1]
                base = ".".join(up + ([base] if base else []))
            names.add(base)
            names |= {f"{base}.{a.name}" for a in node.names}
    return {n for n in names if n.split(".")[0] in PACKAGES}


def module_file(name: str) -> Path | None:
    p = ROOT.joinpath(*name.split("."))
    for cand in (p.with_suffix(".py"), p / "__init__.py"):
        if cand.is_file():
            return cand
    return None


def reached_from(start: list[Path]) -> dict[str, str]:
    """Every project module reachable by imports: name -> who imported it."""
    seen, todo = {}, [(p, "") for p in start]
    while todo:
        path, by = todo.pop()
        for name in project_imports(path):
            f = module_file(name)
            if f is None or name in seen:
                continue
            seen[name] = str(path.relative_to(ROOT))
            todo.append((f, name))
    return seen


def test_compliance_suite_does_not_import_the_model():
    suite = sorted((ROOT / "tests" / "compliance").glob("*.py"))
    assert suite, "no compliance suite found"
    reached = reached_from(suite)
    bad = {n: by for n, by in reached.items() if n == "model" or n.startswith("model.")}
    assert not bad, f"the compliance suite reaches the model: {bad}"


def test_the_check_can_fail(tmp_path):
    """A module that imports the model through tb is seen."""
    reached = reached_from([ROOT / "tb" / "testbench.py"])
    assert any(n.startswith("model") for n in reached), reached
