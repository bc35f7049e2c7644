# dossier: ethiekdossiers volgens de Interprovinciale Gids Digitale Ethiek.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
INTAKE ?= examples/casus3-bezoekersdata.json
OUTPUT ?= output
FORMATS ?= docx
SERVE_MAP ?= examples
PORT ?= 8765

.PHONY: help install dossier dossiers validate check clauses templates serve test lint bench bench-serve pdf-deps test-deps clean

help: ## Toon deze hulp
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { \
		echo "dossier heeft Python 3.11 of nieuwer nodig; '$(PYTHON)' is dat niet. Kies er een met: make PYTHON=python3.12 ..." >&2; exit 1; }
	@$(PYTHON) -m venv $(VENV) || { \
		echo "'$(PYTHON) -m venv' mislukte; op Debian/Ubuntu installeert 'apt-get install python3-venv' wat ontbreekt." >&2; exit 1; }
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $(STAMP)

install: $(STAMP) ## Maak .venv en installeer dossier met testafhankelijkheden

dossier: $(STAMP) ## Maak het dossier van INTAKE (standaard het hoofdvoorbeeld) in output/
	$(BIN)/dossier build $(INTAKE) -o $(OUTPUT)

dossiers: $(STAMP) ## Maak de dossiers van alle voorbeelden in examples/ (FORMATS=docx,pdf,md,html)
	$(BIN)/dossier build examples/*.json -o $(OUTPUT) --format $(FORMATS)

validate: $(STAMP) ## Controleer INTAKE tegen het schema (standaard het hoofdvoorbeeld)
	$(BIN)/dossier validate $(INTAKE)

check: $(STAMP) ## Toon wat voor INTAKE van toepassing is, met redenen, en de open punten
	@$(BIN)/dossier check $(INTAKE) || test $$? -eq 3  # 3: open punten, die staan in de uitvoer

clauses: $(STAMP) ## Exporteer alle inkoopclausules naar output/inkoopclausules.docx
	$(BIN)/dossier clauses export -o $(OUTPUT)/inkoopclausules.docx

serve: $(STAMP) ## Open het intakeformulier in de browser voor de intakes in SERVE_MAP (standaard examples/)
	$(BIN)/dossier serve $(SERVE_MAP) --port $(PORT)

templates: $(STAMP) ## Controleer de Word-sjablonen en ververs hun tekstweergave (na een bewerking in Word of LibreOffice)
	$(BIN)/python tools/dump_templates.py

test: $(STAMP) ## Draai alle tests (nodig: LibreOffice, poppler en lettertypen; zie make test-deps)
	@missing=""; for tool in soffice pdftotext pdfinfo; do command -v $$tool >/dev/null || missing="$$missing $$tool"; done; \
	if [ -n "$$missing" ]; then echo "make test heeft LibreOffice en poppler nodig; ontbreekt:$$missing." \
		"Installeer ze met 'make test-deps' (Debian/Ubuntu, als root)." >&2; exit 1; fi
	$(BIN)/python -m pytest

lint: $(STAMP) ## Controleer de code met ruff en mypy --strict
	$(BIN)/ruff check dossier tests tools
	$(BIN)/mypy --strict dossier

bench: $(STAMP) ## Meet de snelheid, met nice (schrijft output/bench.json)
	nice -n 10 $(BIN)/python tools/bench.py

bench-serve: $(STAMP) ## Meet de directe controle van dossier serve (schrijft output/bench-serve.json)
	$(BIN)/python tools/bench_serve.py

pdf-deps: ## Installeer LibreOffice, poppler en lettertypen voor PDF-uitvoer (Debian/Ubuntu, als root)
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		libreoffice-writer-nogui fonts-crosextra-carlito fonts-crosextra-caladea fonts-noto-color-emoji poppler-utils

test-deps: pdf-deps ## Installeer wat de tests nodig hebben: pdf-deps en Chromium (Debian/Ubuntu, als root)
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium

clean: ## Verwijder output/ en .venv
	rm -rf $(OUTPUT) $(VENV)
