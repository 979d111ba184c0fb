# Two commands on a fresh machine with Python 3.11:  make run   |   make test
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat setup.cfg pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: run test bench clean

$(STAMP): setup.cfg pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	rm -f $(VENV)/.installed-* && touch $(STAMP)

run: $(STAMP)          ## install, then process the bundled samples into outputs/
	$(BIN)/plans run

test: $(STAMP)         ## install, then run the whole test suite
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) && find outputs -mindepth 1 ! -name .gitkeep -delete
