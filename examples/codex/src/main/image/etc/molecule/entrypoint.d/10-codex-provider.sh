#!/bin/bash
# codex hook: render ~/.codex/config.toml from the provider registry for $MODEL.
# A registry problem is reported and boot goes on: codex then runs with its defaults.
set -u

codex_home="${CODEX_HOME:-${HOME:-/home/agent}/.codex}"
if ! python3 -m provider_config render "$codex_home"; then
  echo "codex-provider: config.toml not rendered; fix config.yaml's providers: list" >&2
fi
