#!/usr/bin/env bash
# npm test — everything: type check, unit and integration tests against a real PostgreSQL the suite starts
# itself, and end-to-end tests in Chromium against the sandbox.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-chromium.sh
echo "▶ typecheck"
npx tsc --noEmit
echo "▶ vitest (unit, integration, end-to-end)"
npx vitest run "$@"
