#!/usr/bin/env bash
# The terminal UI's end-to-end test (test/ui/e2e.test.ts) drives the trainer in a
# pseudo-terminal with tmux. Installs tmux when it is missing; does nothing otherwise.
set -euo pipefail
if command -v tmux >/dev/null 2>&1; then exit 0; fi
SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi
echo "ci: installing tmux for the terminal UI end-to-end test"
$SUDO apt-get update
$SUDO apt-get install -y tmux
