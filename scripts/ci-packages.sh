#!/usr/bin/env bash
# Installs what the live-mode tests need on a brand-new machine (called by .ci/run):
# Debian's etcd-server and Go, and a kube-apiserver built from Debian's kubernetes
# source package, cached outside the repository (scripts/test-apiserver/provision.sh).
#
# Measured on a 2-core Debian 12 machine shared with other jobs: about 9 minutes on a
# clean cache (apt ~35 s, source and openapi generation ~30 s, the build the rest);
# under a second once cached. Tool output goes to a log file that is shown on failure.
set -euo pipefail
cd "$(dirname "$0")/.."

start=$(date +%s)
echo "ci-packages: test API server (kube-apiserver + etcd) for test/live"
assets="$(scripts/test-apiserver/provision.sh)"
echo "ci-packages: ready in $(($(date +%s) - start))s: $assets"
