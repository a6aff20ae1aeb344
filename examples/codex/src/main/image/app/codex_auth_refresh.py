"""One check of codex's ChatGPT-subscription OAuth credential ($CODEX_HOME/auth.json).

Exit status (the watchdog and its smoke check rely on it):
  0  fresh, or refreshed and rewritten atomically
  1  skip: no auth.json (API-key and other providers have none)
  2  refresh needed but failed (auth.json left untouched)

A refresh is due when the access token expires within REFRESH_BEFORE_EXPIRY
or the last refresh is older than REFRESH_MAX_AGE. Tokens are never printed.
"""

import base64
import datetime
import json
import os
import pathlib
import sys
import urllib.error
import urllib.parse
import urllib.request

TOKEN_URL = "https://auth.openai.com/oauth/token"
CLIENT_ID = "app_EMoamEEZ73f0CkXaXp7hrann"
REFRESH_BEFORE_EXPIRY = datetime.timedelta(hours=4)
REFRESH_MAX_AGE = datetime.timedelta(days=7)


def jwt_expiry(token):
    try:
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        return datetime.datetime.fromtimestamp(int(claims["exp"]), datetime.timezone.utc)
    except (IndexError, KeyError, ValueError, TypeError):
        return None


def parse_time(value):
    try:
        return datetime.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None


def refresh_due(auth, now):
    tokens = auth.get("tokens") or {}
    expiry = jwt_expiry(tokens.get("access_token", ""))
    last = parse_time(auth.get("last_refresh", ""))
    if expiry is None or expiry - now < REFRESH_BEFORE_EXPIRY:
        return "access token expires soon or is unreadable"
    if last is None or now - last > REFRESH_MAX_AGE:
        return "last refresh is older than 7 days"
    return None


def refresh(auth, url):
    body = urllib.parse.urlencode(
        {"grant_type": "refresh_token", "client_id": CLIENT_ID, "refresh_token": auth["tokens"]["refresh_token"]}
    ).encode("ascii")
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/x-www-form-urlencoded"})
    with urllib.request.urlopen(request, timeout=30) as response:
        answer = json.load(response)
    tokens = dict(auth["tokens"])
    for key in ("id_token", "access_token", "refresh_token"):
        if answer.get(key):
            tokens[key] = answer[key]
    updated = dict(auth, tokens=tokens)
    updated["last_refresh"] = datetime.datetime.now(datetime.timezone.utc).isoformat().replace("+00:00", "Z")
    return updated


def write_atomically(path, auth):
    partial = path.with_name("." + path.name + ".part")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(auth, out, indent=2)
    os.replace(partial, path)


def once(env, now=None):
    now = now or datetime.datetime.now(datetime.timezone.utc)
    path = pathlib.Path(env.get("CODEX_HOME") or pathlib.Path.home() / ".codex") / "auth.json"
    if not path.is_file():
        print("codex-auth-refresh: skip:no_auth_json (%s)" % path)
        return 1
    try:
        auth = json.loads(path.read_text(encoding="utf-8"))
    except ValueError:
        print("codex-auth-refresh: %s is not JSON; leaving it alone" % path, file=sys.stderr)
        return 2
    reason = refresh_due(auth, now)
    if reason is None:
        print("codex-auth-refresh: fresh")
        return 0
    if not (auth.get("tokens") or {}).get("refresh_token"):
        print("codex-auth-refresh: %s, but auth.json has no refresh token" % reason, file=sys.stderr)
        return 2
    try:
        write_atomically(path, refresh(auth, env.get("CODEX_AUTH_TOKEN_URL") or TOKEN_URL))
    except (urllib.error.URLError, OSError, ValueError) as error:
        print("codex-auth-refresh: %s; refresh failed (%s)" % (reason, type(error).__name__), file=sys.stderr)
        return 2
    print("codex-auth-refresh: refreshed (%s)" % reason)
    return 0


if __name__ == "__main__":
    sys.exit(once(os.environ))
