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

.PHONY: help install dossier dossiers clauses serve test lint bench bench-serve pdf-deps browser-deps clean

help: ## Toon deze hulp
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $(STAMP)

install: $(STAMP) ## Maak .venv en installeer dossier met testafhankelijkheden

dossier: $(STAMP) ## Maak het dossier van INTAKE (standaard het hoofdvoorbeeld) in output/
	$(BIN)/dossier build $(INTAKE) -o $(OUTPUT)

dossiers: $(STAMP) ## Maak de dossiers van alle voorbeelden in examples/ (FORMATS=docx,pdf,md,html)
	$(BIN)/dossier build examples/*.json -o $(OUTPUT) --format $(FORMATS)

clauses: $(STAMP) ## Exporteer alle inkoopclausules naar output/inkoopclausules.docx
	$(BIN)/dossier clauses export -o $(OUTPUT)/inkoopclausules.docx

serve: $(STAMP) ## Open het intakeformulier in de browser voor de intakes in SERVE_MAP (standaard examples/)
	$(BIN)/dossier serve $(SERVE_MAP) --port $(PORT)

test: $(STAMP) ## Draai alle tests
	$(BIN)/python -m pytest

lint: $(STAMP) ## Controleer de code met ruff
	$(BIN)/ruff check dossier tests tools

bench: $(STAMP) ## Meet de snelheid (schrijft output/bench.json)
	$(BIN)/python tools/bench.py

bench-serve: $(STAMP) ## Meet de directe controle van dossier serve (schrijft output/bench-serve.json)
	$(BIN)/python tools/bench_serve.py

pdf-deps: ## Installeer LibreOffice en lettertypen voor PDF-uitvoer (Debian/Ubuntu, als root)
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		libreoffice-writer-nogui fonts-crosextra-carlito fonts-crosextra-caladea fonts-noto-color-emoji poppler-utils

browser-deps: ## Installeer Chromium voor de browsertests van dossier serve (Debian/Ubuntu, als root)
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium

clean: ## Verwijder output/ en .venv
	rm -rf $(OUTPUT) $(VENV)
