#!/usr/bin/env bash
# Times `kubectl-promop --help` (release build) against `kubectl version --client` in one run
# and prints both and their ratio. Target: --help under 10 ms.
# Uses hyperfine when installed (apt-get install hyperfine), else a loop timed with date.
set -euo pipefail

cd "$(dirname "$0")/.."
runs="${RUNS:-50}"
cargo build --release --quiet --bin kubectl-promop
plugin="$PWD/target/release/kubectl-promop"
command -v kubectl >/dev/null || { echo "kubectl not found on PATH" >&2; exit 2; }

# Mean wall time in milliseconds of running "$@" $runs times.
mean_ms() {
    if command -v hyperfine >/dev/null; then
        local json
        json="$(mktemp)"
        hyperfine --shell=none --warmup 5 --runs "$runs" --export-json "$json" "$*" >/dev/null
        python3 -c 'import json,sys; print("%.2f" % (json.load(open(sys.argv[1]))["results"][0]["mean"]*1000))' "$json"
        rm -f "$json"
    else
        local start end
        for _ in 1 2 3; do "$@" >/dev/null 2>&1 || true; done
        start=$(date +%s%N)
        for ((i = 0; i < runs; i++)); do "$@" >/dev/null 2>&1 || true; done
        end=$(date +%s%N)
        awk -v t=$((end - start)) -v n="$runs" 'BEGIN { printf "%.2f\n", t / n / 1e6 }'
    fi
}

plugin_ms="$(mean_ms "$plugin" --help)"
kubectl_ms="$(mean_ms kubectl version --client)"
tool="$(command -v hyperfine >/dev/null && echo hyperfine || echo date-loop)"
echo "kubectl-promop --help:     ${plugin_ms} ms (mean of $runs, $tool)"
echo "kubectl version --client:  ${kubectl_ms} ms (mean of $runs, $tool)"
awk -v p="$plugin_ms" -v k="$kubectl_ms" 'BEGIN { printf "ratio plugin/kubectl:      %.2f\n", p / k }'
awk -v p="$plugin_ms" 'BEGIN { if (p < 10) print "target (< 10 ms): met"; else print "target (< 10 ms): MISSED" }'
