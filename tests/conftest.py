"""pytest set-up shared by every entry file.

* tests/sim/ holds cocotb modules: never collected by pytest.
* ``slow`` marks long runs (benchmarks); ``make sim`` leaves them out,
  ``make test`` runs them.
* ``--record-durations PATH`` (``make durations``) writes every item's
  duration (setup, call and teardown) in pytest-split's format, the file
  ``make test SHARD=k/N`` balances its slices by. pytest-split's own
  ``--store-durations`` reads the terminal reporter, which pytest-xdist's
  workers do not have; this records on the controller, which gets every
  worker's reports.
"""

import json

collect_ignore_glob = ["sim/*"]


def pytest_addoption(parser):
    parser.addoption("--record-durations", metavar="PATH", default=None,
                     help="write each item's duration to PATH (JSON, pytest-split format)")


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "slow: long simulation (benchmark); skipped by `make sim`"
    )
    path = config.getoption("--record-durations")
    if path and not hasattr(config, "workerinput"):      # the controller (or no xdist)
        config.pluginmanager.register(DurationRecorder(path), "duration_recorder")


class DurationRecorder:
    def __init__(self, path: str) -> None:
        self.path = path
        self.durations: dict[str, float] = {}

    def pytest_runtest_logreport(self, report):
        self.durations[report.nodeid] = self.durations.get(report.nodeid, 0.0) + report.duration

    def pytest_sessionfinish(self, session):
        with open(self.path, "w") as f:
            json.dump({k: round(v, 2) for k, v in sorted(self.durations.items())}, f,
                      indent=1, sort_keys=True)
            f.write("\n")
