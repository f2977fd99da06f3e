#!/usr/bin/env bash
# Installs what the cohort report tests need (called by .ci/run): Debian's chromium, in
# which test/cohort renders the HTML report headless and takes a screenshot.
# Idempotent: when /usr/bin/chromium runs, nothing is installed. Output of apt goes to a
# log that is shown when a step fails.
set -euo pipefail

say() { echo "cohort-packages: $*" >&2; }

if [ -x /usr/bin/chromium ] && /usr/bin/chromium --version >/dev/null 2>&1; then
  say "chromium present: $(/usr/bin/chromium --version 2>/dev/null)"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { say "error: not root and no sudo; install chromium by hand"; exit 1; }
  SUDO="sudo"
fi

LOG="$(mktemp -t cohort-packages.XXXXXX.log)"
run() {
  local label="$1"; shift
  if ! "$@" >>"$LOG" 2>&1; then
    say "error: $label failed; last lines of $LOG:"
    tail -n 40 "$LOG" >&2
    exit 1
  fi
}

start=$(date +%s)
say "installing Debian's chromium (headless HTML report tests)"
export DEBIAN_FRONTEND=noninteractive
run "apt-get update" $SUDO apt-get update
run "apt-get install chromium" $SUDO apt-get install -y --no-install-recommends chromium fonts-dejavu-core
say "ready in $(($(date +%s) - start))s: $(/usr/bin/chromium --version 2>/dev/null)"
rm -f "$LOG"
