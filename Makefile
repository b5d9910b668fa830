# netdocs — run `make help` for the targets. Everything sets up its own .venv first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.DEFAULT_GOAL := help
.PHONY: help setup publish pdf-tools test check format docs bench clean

help: ## List the targets, one line each
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-9s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@echo "Setting up $(VENV) (first run, or pyproject.toml changed)..."
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@( $(BIN)/python -m pip install --disable-pip-version-check --upgrade pip \
	  && $(BIN)/python -m pip install --disable-pip-version-check -e '.[dev]' ) \
	  > $(VENV)/install.log 2>&1 \
	  || { tail -30 $(VENV)/install.log; \
	       echo "error: installing netdocs into $(VENV) failed; full log: $(VENV)/install.log"; \
	       exit 1; }
	@touch $(STAMP)
	@echo "Installed netdocs into $(VENV) (log: $(VENV)/install.log)."

setup: $(STAMP) ## Create .venv and install netdocs into it (done by every target)

publish: $(STAMP) pdf-tools ## Build the whole edition from the bundled project into outputs/
	@$(BIN)/netdocs publish

PDF_PACKAGES := libreoffice-writer-nogui python3-uno fonts-crosextra-carlito \
  fonts-symbola fonts-wqy-microhei fonts-dejavu-core
# LibreOffice, and fonts for what the templates' Carlito lacks: emoji and symbols (Symbola),
# Chinese/Japanese (WenQuanYi Micro Hei), Arabic and the rest of Latin/Greek/Cyrillic (DejaVu).
HAVE_PDF_TOOLS := command -v soffice >/dev/null 2>&1 && /usr/bin/python3 -c "import uno" \
  >/dev/null 2>&1 && fc-list :charset=1f331 | grep -q . && fc-list :lang=zh | grep -q . \
  && fc-list :lang=ar | grep -q .

pdf-tools: ## Install LibreOffice and fonts for PDFs when missing (needs root and apt-get; else explains)
	@if $(HAVE_PDF_TOOLS); then \
	  :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "Installing LibreOffice and fonts for the PDFs ($(PDF_PACKAGES))..."; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    --no-install-recommends $(PDF_PACKAGES) \
	    >/dev/null) || echo "warning: could not install LibreOffice; publishing without PDFs"; \
	else \
	  echo "note: PDFs need LibreOffice and fonts: sudo apt-get install --no-install-recommends" \
	       "$(PDF_PACKAGES) (publishing the other formats meanwhile)"; \
	fi

test: $(STAMP) ## Run the whole test suite (one worker per CPU core)
	@$(BIN)/python -m pytest -q -n auto

check: $(STAMP) ## Lint (ruff) and type-check (mypy) the code
	@$(BIN)/ruff check pipeline tests bench
	@$(BIN)/ruff format --check pipeline tests bench
	@$(BIN)/mypy pipeline

format: $(STAMP) ## Format the code with ruff
	@$(BIN)/ruff format pipeline tests bench
	@$(BIN)/ruff check --fix pipeline tests bench

docs: $(STAMP) ## Regenerate the README's command reference from --help
	@$(BIN)/python -m pipeline.docs --write README.md

bench: $(STAMP) ## Run the benchmarks in bench/ (slow; prints figures and ratios)
	@$(BIN)/python bench/run.py

clean: ## Remove the virtual environment, caches and generated outputs
	rm -rf $(VENV) .netdocs .pytest_cache .mypy_cache .ruff_cache bench/.data
	find outputs -mindepth 1 ! -name README.md -exec rm -rf {} +
