#!/usr/bin/env bash
# Offline syntax check of every .bicep file in the repository with the
# tree-sitter Bicep grammar (npm tree-sitter-bicep, WASM through
# web-tree-sitter: no native build, no Bicep compiler, no network beyond the
# npm registry). Fails, printing file:line:col, on any syntax error, missing
# token or missing referenced file. Not a compiler: types, scopes and the ARM
# JSON are only checked by `az bicep build` in an Azure-connected pipeline
# (docs/DEPLOY.md).
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== bicepcheck: npm dependencies (tools/bicepcheck)"
npm ci --prefix tools/bicepcheck --ignore-scripts --no-audit --no-fund

mapfile -t files < <(find . -name '*.bicep' -not -path '*/node_modules/*' -not -path './.git/*' | sort)
if [ "${#files[@]}" -eq 0 ]; then
	echo "bicepcheck: no .bicep file found" >&2
	exit 1
fi
echo "== bicepcheck: ${#files[@]} file(s)"
node tools/bicepcheck/check.mjs "${files[@]}"
