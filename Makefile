# Vouch: `make serve` and `make test` are the two commands a new machine needs.
SHELL := /bin/bash
SWIFT ?= swift
APT_PACKAGES := libssl-dev libsqlite3-dev libqrencode-dev zlib1g-dev pkg-config zbar-tools wrk chromium node-qrcode-generator nginx-light postgresql faketime
PYTHON ?= python3
VENV := .venv
SECONDS ?= 60
CONFIG ?= debug

.PHONY: all deps venv build release test unit-test fuzz serve bench bench-paint load clean contract

all: build

## deps: install the missing Debian packages (as root, or through sudo).
deps:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if ! $(PYTHON) -c 'import venv, ensurepip' >/dev/null 2>&1; then missing="$$missing python3-venv"; fi; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

## venv: the pinned Python helpers the tests call (python-cwt, pycose, zxing-cpp).
venv: $(VENV)/.installed
$(VENV)/.installed: requirements-test.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check -r requirements-test.txt
	touch $@

build: deps
	$(SWIFT) build -c $(CONFIG)

release: deps
	$(SWIFT) build -c release --product vouch

## test: every test (unit, vectors, interop, QR decoding) and a bounded fuzz run.
test: deps venv
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	$(MAKE) contract
	$(MAKE) fuzz SECONDS=$(SECONDS)

## contract: schemathesis --checks all, every phase (stateful too), against a live `vouch serve`; 0 failures.
contract: deps venv
	$(SWIFT) build --product vouch
	$(PYTHON) Tests/Contract/contract.py $$($(SWIFT) build --show-bin-path)/vouch $(CURDIR)

## fuzz: libFuzzer over the VCH1/CBOR/COSE decoders for SECONDS seconds; a crash fails.
fuzz: deps
	cd Fuzz && $(SWIFT) build -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
	mkdir -p Fuzz/corpus
	cp -n Fuzz/seeds/* Fuzz/corpus/ 2>/dev/null || true
	Fuzz/.build/release/VouchFuzz -max_total_time=$(SECONDS) -max_len=4200 -print_final_stats=1 Fuzz/corpus

## serve: build and run the service on 127.0.0.1:8080 (dev keys on first start).
serve: deps release
	.build/release/vouch serve

## load: wrk on loopback against /v1/verify and issuance, next to in-process rates of the same run; then
## durable issuance on 3 nodes sharing a throwaway PostgreSQL vs 1 node on SQLite (needs root for initdb).
load: deps venv release
	$(PYTHON) Benchmarks/load/load.py .build/release/vouch $(CURDIR) $(or $(LOAD_SECONDS),10) $(or $(LOAD_ROUNDS),3)
	$(VENV)/bin/python Benchmarks/load/scaleout_load.py .build/release/vouch $(CURDIR) $(or $(LOAD_SECONDS),10) $(or $(LOAD_ROUNDS),3)

## bench: benchmarks as ratios against raw OpenSSL/libqrencode/SHA-256 (see Benchmarks/README.md).
bench: deps
	rm -rf Benchmarks/.build/results Benchmarks/.build/bench-fixtures
	mkdir -p Benchmarks/.build/results
	cd Benchmarks && $(SWIFT) package --allow-writing-to-package-directory benchmark --format jmh --path .build/results --no-progress
	if [ -x $(VENV)/bin/python ]; then $(VENV)/bin/python Benchmarks/python/cwt_verify.py; \
	else echo "bench: no $(VENV), python-cwt comparison skipped (make venv)"; fi
	$(PYTHON) Benchmarks/ratios.py --out Benchmarks/.build/results/ratios.md
	cd Benchmarks && $(SWIFT) build -c release --product Profile \
		&& .build/release/Profile paired 3000 > .build/results/paired.txt && cat .build/results/paired.txt
	$(MAKE) bench-paint

## bench-paint: the wallet page's re-sign timer to painted QR in headless Chromium, unthrottled and at 4x (10 minutes).
bench-paint: deps
	$(SWIFT) build --product vouch
	mkdir -p Benchmarks/.build/results
	$(PYTHON) Benchmarks/browser/wallet_paint.py $$($(SWIFT) build --show-bin-path)/vouch $(CURDIR) \
	    --resigns $(or $(PAINT_RESIGNS),30) --out Benchmarks/.build/results/wallet_paint.md

clean:
	rm -rf .build Fuzz/.build Benchmarks/.build $(VENV)
