#!/bin/sh
# azd prepackage hook of the vnetdrift service (azure.yaml): build
# dist/vnetdrift-functionapp.zip with `make package`, with the baseline the
# deployment reads.
#
# VNETDRIFT_BASELINE (azd env, default baseline.yaml) is what the app reads:
#   - an https:// blob URL: the baseline is read from storage at run time and
#     not packaged;
#   - baseline.yaml: the package must contain it, so VNETDRIFT_BASELINE_FILE
#     (azd env; a path relative to the repository root) names the file to
#     package. Without it the package would start with no baseline, so this
#     hook fails instead.
set -eu
cd "$(dirname "$0")/../.."

baseline="${VNETDRIFT_BASELINE:-baseline.yaml}"
case "$baseline" in
https://*)
	exec make package
	;;
baseline.yaml) ;;
*)
	echo "prepackage: VNETDRIFT_BASELINE=$baseline: want baseline.yaml (the packaged file) or an https:// blob URL" >&2
	exit 1
	;;
esac
if [ -z "${VNETDRIFT_BASELINE_FILE:-}" ]; then
	echo "prepackage: no baseline to package: azd env set VNETDRIFT_BASELINE_FILE <path> (or set VNETDRIFT_BASELINE to a blob URL); see docs/DEPLOY.md" >&2
	exit 1
fi
if [ ! -f "$VNETDRIFT_BASELINE_FILE" ]; then
	echo "prepackage: VNETDRIFT_BASELINE_FILE=$VNETDRIFT_BASELINE_FILE: no such file (paths are relative to the repository root)" >&2
	exit 1
fi
exec make package BASELINE="$VNETDRIFT_BASELINE_FILE"
