#!/bin/bash
# codex hook: start the OAuth refresh watchdog when a subscription credential exists.
set -u

codex_home="${CODEX_HOME:-${HOME:-/home/agent}/.codex}"
if [ -f "$codex_home/auth.json" ]; then
  nohup /usr/local/bin/codex-auth-refresh > "$codex_home/auth-refresh.log" 2>&1 &
  echo "codex-auth-watchdog: started (pid $!)"
else
  echo "codex-auth-watchdog: no auth.json; API-key mode, watchdog not started"
fi
