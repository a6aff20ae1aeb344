#!/bin/bash
# Creates the claude directories; must stop on failure.
set -euo pipefail
mkdir -p "${HOME}/.claude"
