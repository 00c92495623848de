# One entry point. `make demo` and `make test` each install into .venv first, so both work on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The main job writes where the reference design's scripts look: data/ (log and dataset) and artifacts/ (model).
DEMO_USERS ?= 10000
DEMO_EPOCHS ?= 1
DEMO_USER ?= 8319
NEXTWATCH := $(BIN)/nextwatch

.PHONY: install demo test lint typecheck clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# torch first, pinned: the CPU build on this disk; an open range could pull a CUDA build.
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(NEXTWATCH) generate --users $(DEMO_USERS) --seed 7 --out data/playback_sessions.parquet --oracle data/oracle.parquet
	$(NEXTWATCH) describe data/playback_sessions.parquet --oracle data/oracle.parquet
	$(NEXTWATCH) prepare --input data/playback_sessions.parquet --out data --protocol temporal
	$(NEXTWATCH) train --data data --preset lstm_2 --objective dense --epochs $(DEMO_EPOCHS) --out artifacts
	$(NEXTWATCH) evaluate --checkpoint artifacts/lstm_2.pth --data data
	$(NEXTWATCH) recommend --checkpoint artifacts/lstm_2.pth --user $(DEMO_USER)

test: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy
	$(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

clean:
	rm -rf $(VENV) data artifacts
