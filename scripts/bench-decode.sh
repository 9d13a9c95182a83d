#!/usr/bin/env bash
# Times `kubectl-promop decode-config` against the kubectl pipeline that does the same
# (`kubectl get secret -o jsonpath | base64 -d | gunzip`), in one run against the same loopback
# API server, and prints the ratio (target: <= 0.3).
#
# Usage: scripts/bench-decode.sh [RUNS]   (BIN=path/to/kubectl-promop to time another build)
set -euo pipefail

runs="${1:-20}"
cd "$(dirname "$0")/.."
command -v kubectl >/dev/null || { echo "kubectl is required" >&2; exit 2; }

cargo build --quiet --bin kubectl-promop
bin="${BIN:-target/debug/kubectl-promop}"

work="$(mktemp -d)"
server_pid=""
cleanup() {
    touch "$work/stop"
    if [ -n "$server_pid" ]; then wait "$server_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

BENCH_DIR="$work" cargo test --quiet --test live_decode -- --ignored --exact serve_for_bench \
    >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 600); do
    [ -f "$work/ready" ] && break
    sleep 0.5
done
[ -f "$work/ready" ] || { echo "the loopback server did not start:" >&2; cat "$work/server.log" >&2; exit 2; }
kubeconfig="$work/kubeconfig"

promop() { "$bin" decode-config prometheus k8s --show-secrets --kubeconfig "$kubeconfig"; }
pipeline() {
    kubectl --kubeconfig "$kubeconfig" -n shop get secret prometheus-k8s \
        -o jsonpath='{.data.prometheus\.yaml\.gz}' | base64 -d | gunzip
}

# Both must print the configuration the Secret holds.
cmp <(promop) "$work/config.yaml"
cmp <(pipeline) "$work/config.yaml"

# Warm-up (kubectl writes its discovery cache on the first run).
promop >/dev/null
pipeline >/dev/null

time_runs() {
    local start end
    start=$(date +%s%N)
    for _ in $(seq 1 "$runs"); do "$1" >/dev/null; done
    end=$(date +%s%N)
    echo $(( (end - start) / runs / 1000 ))
}

promop_us=$(time_runs promop)
pipeline_us=$(time_runs pipeline)
ratio=$(awk -v a="$promop_us" -v b="$pipeline_us" 'BEGIN { printf "%.3f", a / b }')
echo "config: $(wc -c <"$work/config.yaml") bytes, $runs runs each ($bin)"
echo "kubectl-promop decode-config:          ${promop_us} us/run"
echo "kubectl get | base64 -d | gunzip:      ${pipeline_us} us/run"
echo "ratio: ${ratio} (target <= 0.3)"
