# vnetdrift — developer entry points. `make run` and `make test` are the two
# set-up commands of the README's quick start.
GO          ?= go
STATICCHECK ?= $(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2
BIN         ?= bin/vnetdrift
FUZZTIME    ?= 10s
VERSION     ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS     := -s -w -X github.com/vnetdrift/vnetdrift/cli.Version=$(VERSION)


.PHONY: all build test unit lint fuzz fuzz-short run dev bench bench-events soak clean package

all: build

build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) .

## test: lint, the race-enabled unit and integration tests, and a short run of every fuzz target.
test: lint unit fuzz-short

unit:
	$(GO) test -race -count=1 ./...
	cd bench/opa && $(GO) test -count=1 ./...

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt needed on:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(STATICCHECK) ./...
	cd bench/opa && $(GO) vet ./... && $(STATICCHECK) ./...

## fuzz-short: every fuzz target for $(FUZZTIME) (CI); `make fuzz FUZZTIME=10m` for a long run.
fuzz-short fuzz:
	@set -e; for pkg in $$(grep -rl --include='*_test.go' '^func Fuzz' . | xargs -n1 dirname | sort -u); do \
	  for t in $$(grep -ho '^func Fuzz[A-Za-z0-9_]*' $$pkg/*_test.go | sed 's/^func //'); do \
	    echo "fuzz $$pkg $$t ($(FUZZTIME))"; \
	    $(GO) test -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) $$pkg; \
	  done; \
	done

## run: the whole event loop on the embedded example estate: the ARM + Event Grid emulator and `serve` in one
## process, a scripted series of real changes, each detection and resolution as it arrives; non-zero on a miss.
run:
	$(GO) run . demo

## dev: keep the emulator and `serve` running for experiments until Ctrl-C (prints the URLs and curl examples).
dev:
	$(GO) run . dev

## bench: measure everything and write docs/PERFORMANCE.md and docs/img/scan-scaling.svg (bench/perfreport;
## ~10 minutes on 2 cores). Overrides: BENCH_SIZES=1000,10000 (estate sizes, default 1000,10000,50000),
## BENCH_RUNS (scan runs, default 3), BENCH_COUNT (event benchmark runs, default 3), BENCH_FLAGS (more flags).
bench:
	$(GO) run ./bench/perfreport $(if $(BENCH_SIZES),-sizes $(BENCH_SIZES)) $(if $(BENCH_RUNS),-runs $(BENCH_RUNS)) $(if $(BENCH_COUNT),-count $(BENCH_COUNT)) $(BENCH_FLAGS)

## bench-events: only the event pipeline's benchmarks, printed, nothing written; ~1 minute.
## `make bench-events BENCH=.` runs every Go benchmark of detector/, estate/ and bench/ instead.
bench-events:
	$(GO) run ./bench/perfreport -gotest '$(or $(BENCH),EventBurst|SingleChange|ServeStartup)'

## soak: the full reliability run (1,000 events, 100 drifts, two serve instances sharing Azurite, 30 % ARM faults);
## needs Azurite and maildev: eval "$$(.ci/azurite.sh start >/dev/null; .ci/azurite.sh env)"; eval "$$(.ci/maildev.sh start)".
## The short version (200 events) runs in `make unit`.
soak:
	VNETDRIFT_SOAK=full $(GO) test -count=1 -timeout 30m -run '^TestSoak$$' -v ./e2e/

clean:
	rm -rf bin dist

## package: the Function App zip azd deploys (docs/DEPLOY.md): a linux/amd64, CGO-free, stripped
## binary at host.json's defaultExecutablePath, host.json, the function folders and, with
## BASELINE=file, that file as baseline.yaml.
PKG_BIN  ?= bin/linux-amd64/vnetdrift
PKG_ZIP  ?= dist/vnetdrift-functionapp.zip
BASELINE ?=

package:
	CGO_ENABLED=0 GOOS=linux GOARCH=amd64 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(PKG_BIN) .
	$(GO) run ./deploy/cmd/funcpkg -root . -bin $(PKG_BIN) -baseline '$(BASELINE)' -o $(PKG_ZIP)
