#!/usr/bin/env bash
# Lints every template `cdk synth` produces with cfn-lint (pip install -r requirements-dev.txt).
# Fails on errors; warnings are printed but do not fail.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
npx cdk synth -q --output "$out" >/dev/null
shopt -s nullglob
templates=("$out"/*.template.json)
[ ${#templates[@]} -gt 0 ] || { echo "cfn-lint: cdk synth produced no templates" >&2; exit 1; }
# E = errors fail the run; W/I are reported only.
status=0
cfn-lint --format parseable --include-checks I -- "${templates[@]}" > "$out/lint.txt" || status=$?
sed "s|$out/||" "$out/lint.txt"
errors=$(grep -c ':E[0-9]' "$out/lint.txt" || true)
echo "cfn-lint: ${#templates[@]} templates, $errors errors"
# cfn-lint exits 2 for errors, 4 for warnings, 8 for informational (bit flags).
if [ $((status & 2)) -ne 0 ] || [ $((status & 1)) -ne 0 ]; then exit 1; fi
