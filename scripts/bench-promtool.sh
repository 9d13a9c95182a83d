#!/usr/bin/env bash
# `validate` against `promtool check rules` on the same rule groups, side by side with farm-bench:
# kube-prometheus's PrometheusRules (KUBE_PROMETHEUS_DIR, its manifests/) repeated COPIES times
# under new names, beside one Prometheus selecting them; promtool gets each copy's groups as a
# rule file. BIN overrides the binary; PROMTOOL the peer.
set -euo pipefail

cd "$(dirname "$0")/.."
manifests="${KUBE_PROMETHEUS_DIR:?set KUBE_PROMETHEUS_DIR to kube-prometheus manifests/}"
bin="${BIN:-$PWD/target/release/kubectl-promop}"
promtool="${PROMTOOL:-promtool}"
copies="${COPIES:-40}"
[ -n "${BIN:-}" ] || cargo build --release --quiet --bin kubectl-promop
dir="${OUT:-/tmp/promop-promtool}"
rm -rf "$dir" && mkdir -p "$dir/objects" "$dir/rules"

# One file of every PrometheusRule, and the groups alone (what promtool reads).
for f in "$manifests"/*-prometheusRule.yaml; do echo "---"; cat "$f"; done >"$dir/all-rules.yaml"
"$bin" render rules prometheus k8s -f "$manifests" -o yaml 2>/dev/null >"$dir/configmap.yaml"
printf 'apiVersion: monitoring.coreos.com/v1\nkind: Prometheus\nmetadata:\n  name: k8s\n  namespace: monitoring\nspec:\n  ruleSelector: {}\n' >"$dir/objects/prometheus.yaml"
for ((i = 0; i < copies; i++)); do
    sed -E "s/^  name: (.*)$/  name: \1-copy-$i/" "$dir/all-rules.yaml" >"$dir/objects/rules-$i.yaml"
done
python3 - "$dir" "$copies" <<'PY'
import sys, yaml
out, copies = sys.argv[1], int(sys.argv[2])
config_map = yaml.safe_load(open(f"{out}/configmap.yaml"))
for name, text in config_map["data"].items():
    for i in range(copies):
        open(f"{out}/rules/{i}-{name}", "w").write(text)
PY
rules=$("$bin" render rules prometheus k8s -f "$dir/objects" 2>/dev/null | grep -o -m1 "[0-9]* rule(s)")
echo "$copies copies: $(ls "$dir"/rules | wc -l) rule files for promtool, $rules"

farm-bench -n "${RUNS:-5}" --timeout 300 \
    --vs "sh -c 'exec $promtool check rules $dir/rules/* >/dev/null 2>&1'" \
    -- sh -c "exec $bin validate -f $dir/objects >/dev/null 2>&1"
