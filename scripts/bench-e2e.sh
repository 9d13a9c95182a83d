#!/usr/bin/env bash
# The binary end to end from files, as a user runs it: writes a stack of 10,000 ServiceMonitors
# in 500 namespaces (with their Namespaces and one Prometheus selecting them all) and times
# `render`, `validate` and `explain prometheus` on it with farm-bench (whole process: start-up,
# reading, work, output; medians and peak memory). BIN overrides the binary.
set -euo pipefail

cd "$(dirname "$0")/.."
bin="${BIN:-$PWD/target/release/kubectl-promop}"
[ -n "${BIN:-}" ] || cargo build --release --quiet --bin kubectl-promop
dir="${OUT:-/tmp/promop-e2e}"
mkdir -p "$dir"
stack="$dir/stack.yaml"

{
    printf 'apiVersion: monitoring.coreos.com/v1\nkind: Prometheus\nmetadata:\n  name: k8s\n  namespace: monitoring\nspec:\n  serviceMonitorSelector:\n    matchLabels:\n      team: platform\n  serviceMonitorNamespaceSelector: {}\n'
    for ((n = 0; n < 500; n++)); do
        printf -- '---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-%03d\n' "$n"
    done
    for ((i = 0; i < 10000; i++)); do
        printf -- '---\napiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n  name: app-%05d\n  namespace: team-%03d\n  labels:\n    team: platform\nspec:\n  selector:\n    matchLabels:\n      app.kubernetes.io/name: app-%05d\n  endpoints:\n  - port: metrics\n    interval: 30s\n    scheme: https\n    tlsConfig:\n      insecureSkipVerify: true\n    relabelings:\n    - sourceLabels: [__meta_kubernetes_pod_node_name]\n      targetLabel: node\n    metricRelabelings:\n    - sourceLabels: [__name__]\n      regex: go_.*\n      action: drop\n' "$i" $((i % 500)) "$i"
    done
} >"$stack"
echo "stack: $stack ($(wc -c <"$stack") bytes)"

for command in "render -f $stack" "validate -f $stack" "explain prometheus k8s -n monitoring -f $stack"; do
    echo "== kubectl-promop $command"
    # shellcheck disable=SC2086
    farm-bench -n "${RUNS:-5}" --timeout 300 -- sh -c "exec $bin $command >/dev/null 2>&1"
done
