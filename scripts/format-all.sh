#!/usr/bin/env bash
# Formats the whole repository with Biome and applies its safe lint fixes (biome.json).
# Run once by the lead after merging every branch of a round (reformatting on a branch would
# conflict with the others), then check that `npm run typecheck` and `npx biome check .` pass
# and commit the result alone ("Format with Biome"). Afterwards `npm test` keeps it so.
set -euo pipefail
cd "$(dirname "$0")/.."
# Twice: a safe fix can leave code the formatter then wraps differently; the second pass settles it.
npx biome check --write . || true
npx biome check --write .
npx biome check .
