#!/usr/bin/env bash
# npm test — everything: type check, the production build, unit and integration tests against a real PostgreSQL
# the suite starts itself, and end-to-end tests in Chromium against the sandbox.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-chromium.sh
echo "▶ typecheck"
npx tsc --noEmit
# The dev server forgives what the production build refuses (a route's component importing a .server module):
# build into a throwaway directory so that mistake fails here, not at deploy.
echo "▶ production build"
build_dir="$(mktemp -d)"
trap 'rm -rf "$build_dir"' EXIT
PARLEY_BUILD_DIR="$build_dir" npx remix vite:build --logLevel warn --emptyOutDir
npx tsx scripts/warm-vite.ts
echo "▶ vitest (unit, integration, end-to-end)"
npx vitest run "$@"
