# vnetdrift — developer entry points. `make run` and `make test` are the two
# set-up commands of the README's quick start.
GO          ?= go
STATICCHECK ?= $(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2
BIN         ?= bin/vnetdrift
FUZZTIME    ?= 10s
VERSION     ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS     := -s -w -X github.com/vnetdrift/vnetdrift/cli.Version=$(VERSION)


.PHONY: all build test unit lint fuzz fuzz-short run dev bench bench-events clean package

all: build

build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) .

## test: lint, the race-enabled unit and integration tests, and a short run of every fuzz target.
test: lint unit fuzz-short

unit:
	$(GO) test -race -count=1 ./...

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt needed on:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(STATICCHECK) ./...

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

## bench: benchmarks; results are recorded in docs/PERFORMANCE.md.
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./detector/ ./estate/ ./bench/...

## bench-events: only the event pipeline's benchmarks (docs/PERFORMANCE.md, "Event pipeline"); ~2 minutes.
bench-events:
	$(GO) test -run '^$$' -bench 'EventBurst|SingleChange|ServeStartup' ./bench/

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
