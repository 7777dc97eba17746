"""RcAdapter stands in for tb.host inside a Testbench (tb/rc_adapter.py):
everything the Testbench asks of its host must exist on the adapter, or a
RootComplex test fails with an AttributeError only when it reaches that
call. Read from the source, so no simulator is needed."""

import ast
import inspect

from tb import host, rc_adapter, testbench


def _host_uses(module):
    """Names the module reads off ``self.host``."""
    names = set()
    for node in ast.walk(ast.parse(inspect.getsource(module))):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute)
                and node.value.attr == "host" and isinstance(node.value.value, ast.Name)
                and node.value.value.id == "self"):
            names.add(node.attr)
    return names


def _provides(cls):
    """Methods and properties of ``cls`` and attributes its __init__ sets."""
    names = {n for n in dir(cls) if not n.startswith("__")}
    init = ast.parse(inspect.getsource(cls.__init__).lstrip())
    for node in ast.walk(init):
        if (isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store)
                and isinstance(node.value, ast.Name) and node.value.id == "self"):
            names.add(node.attr)
    return names


def test_testbench_uses_host():
    uses = _host_uses(testbench)
    # the reader works: these are the calls Testbench is known to make
    assert {"handle_rx", "handle_tx", "reset", "errors", "outstanding"} <= uses


def test_rc_adapter_offers_what_testbench_uses():
    missing = _host_uses(testbench) - _provides(rc_adapter.RcAdapter)
    assert not missing, f"RcAdapter lacks what Testbench calls on its host: {sorted(missing)}"


def test_host_offers_what_testbench_uses():
    missing = _host_uses(testbench) - _provides(host.Host)
    assert not missing, f"Host lacks what Testbench calls on it: {sorted(missing)}"
