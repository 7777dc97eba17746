"""pytest set-up shared by every entry file.

* tests/sim/ holds cocotb modules: never collected by pytest.
* ``slow`` marks long runs (benchmarks); ``make sim`` leaves them out,
  ``make test`` runs them.
"""

collect_ignore_glob = ["sim/*"]


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "slow: long simulation (benchmark); skipped by `make sim`"
    )
