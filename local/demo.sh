#!/usr/bin/env bash
# The quick start: installs what is missing (npm packages, the moto emulator), then runs the local
# demo of the whole recovery story. No AWS account needed.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci --no-audit --no-fund
python3 -c "import moto, cfnlint" 2>/dev/null || { python3 -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt; command -v pyenv >/dev/null 2>&1 && pyenv rehash || true; }
# The AWS SDK warns that Node 20 support ends in 2027; the demo's output is for people.
NODE_NO_WARNINGS=1 exec npx ts-node --transpile-only local/demo.ts "$@"
