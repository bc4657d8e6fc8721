# Two commands on a fresh machine:
#   make demo   set everything up, build the demo issuer and serve it on http://127.0.0.1:8000/
#   make test   install the test dependencies and run every test (Python and JavaScript)

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
JS     := verifier-js
JS_SRC := $(shell find $(JS)/src builder/credpub/data/contexts builder/credpub/data/locale -type f 2>/dev/null) $(JS)/build.mjs
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo test setup bundle chromium bench clean catalogues golden screenshots

demo: setup
	$(BIN)/credpub demo

setup: $(VENV)/.installed bundle

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

$(JS)/node_modules/.package-lock.json: $(JS)/package-lock.json
	cd $(JS) && npm ci --no-audit --no-fund

bundle: $(JS)/dist/credpub.js

$(JS)/dist/credpub.js: $(JS)/node_modules/.package-lock.json $(JS_SRC)
	cd $(JS) && npm run build

# Browser tests drive Debian's Chromium (Playwright cannot download browsers here).
# zbar-tools: zbarimg reads the claim page's wallet QR code from a screenshot (tests/browser/test_wallet_browser.py).
chromium:
	@command -v chromium >/dev/null || ($(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium >/dev/null)
	@command -v zbarimg >/dev/null || ($(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq zbar-tools >/dev/null)

tests/browser/node_modules/.package-lock.json: tests/browser/package-lock.json
	npm ci --prefix tests/browser --no-audit --no-fund

test: setup chromium tests/browser/node_modules/.package-lock.json
	cd $(JS) && npm test
	$(BIN)/python -m pytest

# After changing a text in a template, an email, Python or verifier-js: refresh every catalogue
# (new messages appear untranslated, unused ones go, "#:" says where each is used), then translate
# the new ones. tests/test_i18n.py fails until every catalogue is complete and current.
catalogues: $(VENV)/.installed
	@mkdir -p build
	$(BIN)/pybabel -q extract -F babel.cfg -k _ -k parts --add-location=file --sort-by-file --no-wrap -o build/credpub.pot .
	for po in builder/credpub/data/locale/*.po; do lang=$$(basename $$po .po); [ $$lang = en ] || \
	  $(BIN)/pybabel -q update -i build/credpub.pot -o $$po -l $$lang -N --ignore-obsolete --no-wrap || exit 1; done

# The whole-site golden (tests/golden/issuer/site): regenerate after an intended change, then
# review `git diff tests/golden/issuer/site`.
golden: $(VENV)/.installed
	$(BIN)/python -m tests.golden.issuer

# The README's pictures (docs/screenshots/): the demo's claim, share and verify pages at desktop
# and phone width, photographed offline in headless Chromium. Review them after a change to a page.
screenshots: setup chromium
	$(BIN)/python docs/make_screenshots.py

bench: setup
	$(BIN)/python bench/bench_build.py 1000 10000

clean:
	rm -rf site $(VENV) $(JS)/node_modules $(JS)/dist
