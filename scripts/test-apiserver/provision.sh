#!/usr/bin/env bash
# Provisions a real kube-apiserver and etcd for the live-mode tests (no Docker needed).
#
# Everything comes from Debian's package registry (shared/test-apiserver.md):
#   etcd-server, golang-go and Debian's reflect2 from apt; kube-apiserver built from
#   Debian's `kubernetes` source package (1.20), with the one generated file the
#   tarball lacks (openapi) generated here, the vendored reflect2 swapped for
#   Debian's 1.0.2 (1.0.1 crashes under Go >= 1.18), and one line of the vendored
#   OpenAPI validator fixed: under Go >= 1.18 it takes dynamically made zero values
#   ("", 0) for null, so a CR with `prefix: ""` or `weight: 0` would be rejected
#   ("must be of type string: null"); upstream go-openapi checks `data == nil` only.
#
# Idempotent: the binary is cached outside the repository, in
#   ${ICA_APISERVER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ica-trainer}/kube-apiserver-<version>+ica.<rev>/
# next to a symlink to etcd, so that directory works as KUBEBUILDER_ASSETS. A second
# run finds it and returns in well under a second. When KUBEBUILDER_ASSETS already
# holds kube-apiserver and etcd (envtest binaries), nothing is installed or built.
#
# Prints the assets directory on its last line (stdout); progress goes to stderr.
# Options: --quiet (progress lines only, no tool output; the default is the same,
# tool output always goes to the log file and is shown when a step fails).
set -euo pipefail

# Bump when the build changes (patches, flags): a new directory, so stale binaries are not reused.
BUILD_REV=2
CACHE="${ICA_APISERVER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ica-trainer}"
POINTER="$CACHE/current-assets"
LOG="$CACHE/provision.log"
START=$(date +%s)

say() { echo "provision: $*" >&2; }
die() { say "error: $*"; exit 1; }
elapsed() { echo "$(($(date +%s) - START))s"; }

# run LABEL CMD... : runs a step with its output in the log; shows the tail when it fails.
run() {
  local label="$1"; shift
  if ! "$@" >>"$LOG" 2>&1; then
    say "error: $label failed; last lines of $LOG:"
    tail -n 40 "$LOG" >&2
    exit 1
  fi
}

assets_ok() { [ -n "${1:-}" ] && [ -x "$1/kube-apiserver" ] && [ -x "$1/etcd" ]; }

# 0. envtest binaries supplied by the user.
if [ -n "${KUBEBUILDER_ASSETS:-}" ]; then
  if assets_ok "$KUBEBUILDER_ASSETS"; then
    say "using KUBEBUILDER_ASSETS=$KUBEBUILDER_ASSETS (kube-apiserver and etcd found; nothing to build)"
    echo "$KUBEBUILDER_ASSETS"
    exit 0
  fi
  say "KUBEBUILDER_ASSETS=$KUBEBUILDER_ASSETS lacks kube-apiserver or etcd; provisioning our own"
fi

# 1. Warm cache: nothing to do.
if [ -f "$POINTER" ]; then
  cached="$(cat "$POINTER")"
  if [[ "$cached" == *"+ica.$BUILD_REV" ]] && assets_ok "$cached"; then
    say "cached: $cached"
    echo "$cached"
    exit 0
  fi
fi

mkdir -p "$CACHE"
: >"$LOG"
say "log: $LOG"

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || die "not root and no sudo: run as root to install Debian packages"
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive

# 2. Debian packages.
PKGS=(etcd-server golang-go golang-github-modern-go-reflect2-dev)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
UPDATED=0
if [ ${#missing[@]} -gt 0 ]; then
  say "apt-get update ($(elapsed))"
  run "apt-get update" $SUDO apt-get update -q
  UPDATED=1
  say "installing ${missing[*]} ($(elapsed))"
  run "apt-get install" $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
ETCD="$(command -v etcd || true)"
[ -n "$ETCD" ] || ETCD=/usr/bin/etcd
[ -x "$ETCD" ] || die "etcd not found after installing etcd-server"
GO="$(command -v go || true)"
[ -n "$GO" ] || GO=/usr/lib/go/bin/go
[ -x "$GO" ] || die "go not found after installing golang-go"
REFLECT2=/usr/share/gocode/src/github.com/modern-go/reflect2
[ -d "$REFLECT2" ] || die "$REFLECT2 missing (golang-github-modern-go-reflect2-dev)"

# 3. A deb-src entry for Debian main, so that `apt-get source kubernetes` works.
if ! apt-cache showsrc kubernetes >/dev/null 2>&1 || [ -z "$(apt-cache showsrc kubernetes 2>/dev/null)" ]; then
  SRC_FILE=/etc/apt/sources.list.d/ica-trainer-deb-src.sources
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    # The first stanza (Debian main), with Types: deb-src.
    stanza="$(awk 'BEGIN{RS=""; FS="\n"} NR==1{print; exit}' /etc/apt/sources.list.d/debian.sources |
      grep -v '^#' | sed -E 's/^Types:.*/Types: deb-src/')"
  else
    codename="$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")"
    stanza="Types: deb-src
URIs: http://deb.debian.org/debian
Suites: $codename
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg"
  fi
  say "adding a deb-src entry: $SRC_FILE"
  printf '%s\n' "$stanza" | $SUDO tee "$SRC_FILE" >/dev/null
  UPDATED=0
fi
if [ "$UPDATED" -eq 0 ] && [ -z "$(apt-cache showsrc kubernetes 2>/dev/null)" ]; then
  say "apt-get update ($(elapsed))"
  run "apt-get update" $SUDO apt-get update -q
fi
VERSION="$(apt-cache showsrc kubernetes 2>/dev/null | awk '/^Version:/{print $2; exit}')"
[ -n "$VERSION" ] || die "Debian has no kubernetes source package here (apt-cache showsrc kubernetes is empty)"
ASSETS="$CACHE/kube-apiserver-$VERSION+ica.$BUILD_REV"

if assets_ok "$ASSETS"; then
  say "cached: $ASSETS"
  echo "$ASSETS" >"$POINTER"
  echo "$ASSETS"
  exit 0
fi

# 4. Kubernetes source.
WORK="$CACHE/build-$VERSION"
rm -rf "$WORK"
mkdir -p "$WORK/download" "$WORK/gopath/src/k8s.io/kubernetes"
say "downloading Debian's kubernetes $VERSION source (~34 MB) ($(elapsed))"
(cd "$WORK/download" && run "apt-get source" apt-get source --download-only -q "kubernetes=$VERSION")
ORIG="$(ls "$WORK"/download/kubernetes_*.orig.tar.* 2>/dev/null | head -n1 || true)"
[ -n "$ORIG" ] || die "no kubernetes orig tarball in $WORK/download"
say "unpacking $(basename "$ORIG") ($(elapsed))"
K8S="$WORK/gopath/src/k8s.io/kubernetes"
run "tar" tar -xf "$ORIG" -C "$K8S" --strip-components=1
[ -d "$K8S/cmd/kube-apiserver" ] && [ -d "$K8S/vendor" ] || die "the source tree lacks cmd/kube-apiserver or vendor/"

export GOPATH="$WORK/gopath" GO111MODULE=off GOFLAGS="" GOCACHE="$WORK/gocache" CGO_ENABLED=0
export PATH="$(dirname "$GO"):$PATH"

# 5. The vendored reflect2 1.0.1 segfaults under Go >= 1.18: use Debian's 1.0.2.
say "replacing vendored reflect2 with Debian's copy"
rm -rf "$K8S/vendor/github.com/modern-go/reflect2"
cp -r "$REFLECT2" "$K8S/vendor/github.com/modern-go/reflect2"
rm -f "$K8S/vendor/github.com/modern-go/reflect2/go.mod" "$K8S/vendor/github.com/modern-go/reflect2/go.sum"

# 5b. Go >= 1.18 makes reflect.DeepEqual(reflect.Zero(T), reflect.ValueOf(v)) true for
# dynamically created zero values, which this validator then reports as null.
TYPE_GO="$K8S/vendor/k8s.io/kube-openapi/pkg/validation/validate/type.go"
NULL_CHECK='if data == nil || reflect.DeepEqual(reflect.Zero(reflect.TypeOf(data)), reflect.ValueOf(data)) {'
grep -qF "$NULL_CHECK" "$TYPE_GO" || die "$TYPE_GO has no zero-value check to fix (a different Kubernetes version?)"
say "fixing the OpenAPI validator's zero-value check (empty strings are not null)"
sed -i "s/$(printf '%s' "$NULL_CHECK" | sed 's/[][\\.*^$/]/\\&/g')/if data == nil {/" "$TYPE_GO"
grep -qF 'if data == nil {' "$TYPE_GO" || die "could not fix $TYPE_GO"

# 6. Generate pkg/generated/openapi/zz_generated.openapi.go.
if [ ! -f "$K8S/pkg/generated/openapi/zz_generated.openapi.go" ]; then
  say "building openapi-gen ($(elapsed))"
  (cd "$K8S" && run "build openapi-gen" go build -o "$WORK/openapi-gen" ./vendor/k8s.io/kube-openapi/cmd/openapi-gen)
  inputs="$(cd "$K8S" && grep -R -l --include='*.go' '+k8s:openapi-gen=' pkg cmd plugin vendor/k8s.io 2>/dev/null |
    xargs -n1 dirname | sort -u |
    grep -v -e '^vendor/k8s.io/code-generator' -e '^vendor/k8s.io/sample-apiserver' |
    sed 's|^|k8s.io/kubernetes/|' | paste -sd, -)"
  [ -n "$inputs" ] || die "found no +k8s:openapi-gen packages"
  say "generating openapi definitions for $(echo "$inputs" | tr ',' '\n' | wc -l) packages ($(elapsed))"
  (cd "$K8S" && run "openapi-gen" "$WORK/openapi-gen" -i "$inputs" \
    -p k8s.io/kubernetes/pkg/generated/openapi -O zz_generated.openapi \
    -h vendor/k8s.io/code-generator/hack/boilerplate.go.txt -r "$WORK/openapi-report.txt")
  [ -f "$K8S/pkg/generated/openapi/zz_generated.openapi.go" ] || die "openapi-gen wrote no zz_generated.openapi.go"
fi

# 7. Build.
say "building kube-apiserver (a few minutes on 2 cores) ($(elapsed))"
TMP_ASSETS="$ASSETS.tmp"
rm -rf "$TMP_ASSETS"
mkdir -p "$TMP_ASSETS"
(cd "$K8S" && run "build kube-apiserver" go build -ldflags "-s -w" -o "$TMP_ASSETS/kube-apiserver" ./cmd/kube-apiserver)
ln -sf "$ETCD" "$TMP_ASSETS/etcd"
run "kube-apiserver --version" "$TMP_ASSETS/kube-apiserver" --version
rm -rf "$ASSETS"
mv "$TMP_ASSETS" "$ASSETS"
echo "$ASSETS" >"$POINTER"
# Builds of other versions or revisions are stale now.
for old in "$CACHE"/kube-apiserver-*; do
  [ "$old" = "$ASSETS" ] || rm -rf "$old"
done

# The source tree and build cache are not needed any more (~1.5 GB).
rm -rf "$WORK"
say "done in $(elapsed): $ASSETS"
echo "$ASSETS"
