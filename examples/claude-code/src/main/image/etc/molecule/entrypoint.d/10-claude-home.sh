#!/bin/bash
# claude-code hook: the Claude CLI keeps sessions and settings under ~/.claude.
# Create the well-known directories and an informational settings stub, and
# make sure the tree is agent's even when an earlier boot left it root-owned.
set -u

claude_home="${HOME:-/home/agent}/.claude"
mkdir -p "$claude_home/sessions" "$claude_home/session-env"
if [ ! -f "$claude_home/settings.json" ]; then
  cat > "$claude_home/settings.json" <<'JSON'
{
  "permissions": {"defaultMode": "bypassPermissions"},
  "_note": "Informational: claude_sdk_executor.py passes --permission-mode bypassPermissions on every turn."
}
JSON
fi
if [ -n "$(find "$claude_home" ! -user "$(id -u)" -print -quit 2>/dev/null)" ]; then
  sudo -n chown -R "$(id -u):$(id -g)" "$claude_home" || echo "claude-home: cannot take ownership of $claude_home" >&2
fi
