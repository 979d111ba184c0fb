# Two commands on a fresh machine with Python 3.11:  make run   |   make test
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat setup.cfg pyproject.toml | cksum | cut -d' ' -f1)

# LibreOffice converts .doc/.wps/.rtf/.odt (pipeline/ingest/convert.py): installed from Debian's packages when
# missing and we are root (as CI is); a no-op when `soffice` is there. OCR needs nothing outside the venv.
SYSTEM_PACKAGES := libreoffice-writer-nogui

.PHONY: run test bench clean system

$(STAMP): setup.cfg pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	rm -f $(VENV)/.installed-* && touch $(STAMP)

system:                ## LibreOffice for legacy office formats, when missing (Debian, as root)
	@command -v soffice >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing $(SYSTEM_PACKAGES) (for .doc/.wps/.rtf/.odt)"; \
	    DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(SYSTEM_PACKAGES) >/dev/null; \
	  else \
	    echo "note: LibreOffice is missing (apt-get install $(SYSTEM_PACKAGES)): .doc/.wps/.rtf/.odt cannot be read" >&2; \
	  fi; }

run: $(STAMP) system   ## install, then process the bundled samples into outputs/
	$(BIN)/plans run

test: $(STAMP) system  ## install, then run the whole test suite
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) && find outputs -mindepth 1 ! -name .gitkeep -delete
