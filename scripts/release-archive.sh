#!/usr/bin/env bash
# Builds the release archive for the host platform into dist/ and writes its sha256 into the
# matching platform entry of krew/promop.yaml.
#
# Test the result with krew:
#   kubectl krew install --manifest=krew/promop.yaml --archive=dist/kubectl-promop-<version>-<os>-<arch>.tar.gz
set -euo pipefail
cd "$(dirname "$0")/.."

version="v$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n1)"
case "$(uname -s)" in
  Linux) os=linux ;;
  Darwin) os=darwin ;;
  MINGW*|MSYS*|CYGWIN*) os=windows ;;
  *) echo "unsupported OS $(uname -s)" >&2; exit 2 ;;
esac
case "$(uname -m)" in
  x86_64|amd64) arch=amd64 ;;
  aarch64|arm64) arch=arm64 ;;
  *) echo "unsupported architecture $(uname -m)" >&2; exit 2 ;;
esac
bin=kubectl-promop
[ "$os" = windows ] && bin=kubectl-promop.exe

cargo build --release --locked --bin kubectl-promop
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
cp "target/release/$bin" LICENSE README.md "$stage/"
files=("$bin" LICENSE README.md)
# kubectl's completion helper (a shell script), for the platforms whose entry lists it.
if [ "$os" != windows ]; then
  cp completion/kubectl_complete-promop "$stage/"
  files+=(kubectl_complete-promop)
fi
mkdir -p dist
archive="dist/kubectl-promop-$version-$os-$arch.tar.gz"
tar -C "$stage" -czf "$archive" "${files[@]}"
if command -v sha256sum >/dev/null 2>&1; then
  sum=$(sha256sum "$archive" | cut -d' ' -f1)
else
  sum=$(shasum -a 256 "$archive" | cut -d' ' -f1)   # macOS
fi

# Replace the sha256 on the line after this platform's uri.
python3 - "$os" "$arch" "$version" "$sum" <<'PY'
import re, sys
os_, arch, version, digest = sys.argv[1:]
path = "krew/promop.yaml"
text = open(path).read()
pattern = re.compile(
    r"(    uri: \S*/kubectl-promop-)v[^-]+(-%s-%s\.tar\.gz\n    sha256: )\"[0-9a-f]*\"" % (os_, arch))
text, count = pattern.subn(lambda m: '%s%s%s"%s"' % (m.group(1), version, m.group(2), digest), text)
if count != 1:
    sys.exit("no platform entry for %s/%s in %s" % (os_, arch, path))
# krew compares spec.version with the installed one: it follows the archive.
text, count = re.subn(r"(?m)^(  version: )v\S+$", lambda m: m.group(1) + version, text)
if count != 1:
    sys.exit("no spec.version in %s" % path)
open(path, "w").write(text)
PY
echo "$archive"
echo "sha256 $sum written to krew/promop.yaml ($os/$arch)"
