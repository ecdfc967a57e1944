#!/usr/bin/env bash
# Reproduces the README's performance table from a fresh clone:
# fetches the corpora (once), builds the release binary, runs the benchmark.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/bench-corpus.sh
cargo build --release --features bench
./target/release/dossier bench --cache "${DOSSIER_BENCH_CACHE:-.bench-cache}" --json bench-results.json "$@"
