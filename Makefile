# The two commands of the README: `make run` and `make test`.
GO      ?= go
BIN     := bin/pathavana
VERSION ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -s -w -X pathavana/internal/cli.version=$(VERSION)

.PHONY: run build test test-go fuzz bench vet clean

run: build ## Run the whole product on the embedded default at http://localhost:8080
	./$(BIN) serve

build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/pathavana

test: ## Run every test; uses PostgreSQL and Redis on loopback when they are there
	./scripts/test.sh

test-go: ## Go tests only, no services (SQLite and in-process cache)
	$(GO) test ./...

fuzz: ## Run each fuzz target briefly (FUZZTIME=10s)
	./scripts/fuzz.sh

bench: ## Go benchmarks
	$(GO) test -run '^$$' -bench . -benchmem ./...

vet:
	$(GO) vet ./...

clean:
	rm -rf bin
