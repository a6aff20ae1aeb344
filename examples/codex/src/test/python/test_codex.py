"""Adapter unit tests of the codex template (run by `mvn test` through the template parent)."""

import base64
import contextlib
import datetime
import http.server
import io
import json
import os
import pathlib
import stat
import tempfile
import threading
import tomllib
import unittest

import adapter
import codex_auth_refresh
import executor
import provider_config

NOW = datetime.datetime(2026, 6, 1, tzinfo=datetime.timezone.utc)


def jwt(expiry):
    claims = base64.urlsafe_b64encode(json.dumps({"exp": int(expiry.timestamp())}).encode()).rstrip(b"=").decode()
    return "header." + claims + ".signature"


class ProviderTomlTest(unittest.TestCase):
    def test_renders_parseable_toml_for_the_model_and_configs_dir(self):
        text = provider_config.render({"MODEL": "MiniMax-M2", "CONFIGS_DIR": "/configs"})
        config = tomllib.loads(text)
        self.assertEqual(config["model_provider"], "minimax")
        self.assertEqual(config["model_providers"]["minimax"]["env_key"], "MINIMAX_API_KEY")
        self.assertEqual(config["mcp_servers"]["molecule"]["env"]["CONFIGS_DIR"], "/configs")

    def test_default_model_comes_from_the_registry(self):
        self.assertEqual(tomllib.loads(provider_config.render({}))["model"], "gpt-5.5")

    def test_written_file_is_private_and_replaced_whole(self):
        with tempfile.TemporaryDirectory() as tmp:
            target = provider_config.write(pathlib.Path(tmp) / ".codex", "model = \"x\"\n")
            self.assertEqual(stat.S_IMODE(target.stat().st_mode), 0o600)
            self.assertEqual(os.listdir(target.parent), ["config.toml"])

    def test_unknown_model_is_an_error_naming_it(self):
        with self.assertRaisesRegex(provider_config.ConfigError, "no provider serves model 'llama-3'"):
            provider_config.render({"MODEL": "llama-3"})

    def test_adapter_describes_itself_as_codex(self):
        self.assertEqual(adapter.describe({"MODEL": "gpt-5.5"}), "codex model=gpt-5.5 provider=openai")

    def test_executor_passes_the_prompt_as_one_argument(self):
        self.assertEqual(executor.command("a; b", "gpt-5.5")[-2:], ["--", "a; b"])


class TokenEndpoint(http.server.BaseHTTPRequestHandler):
    status = 200
    bodies = []

    def do_POST(self):
        TokenEndpoint.bodies.append(self.rfile.read(int(self.headers["Content-Length"])).decode())
        self.send_response(TokenEndpoint.status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(json.dumps({"access_token": "new-access", "refresh_token": "new-refresh"}).encode())

    def log_message(self, *args):
        pass


class AuthRefreshTest(unittest.TestCase):
    def setUp(self):
        self.home = pathlib.Path(tempfile.mkdtemp())
        self.server = http.server.HTTPServer(("127.0.0.1", 0), TokenEndpoint)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        TokenEndpoint.status, TokenEndpoint.bodies = 200, []
        self.env = {"CODEX_HOME": str(self.home), "CODEX_AUTH_TOKEN_URL": "http://127.0.0.1:%d/" % self.server.server_port}

    def tearDown(self):
        self.server.shutdown()

    def plant(self, expiry, last_refresh):
        auth = {
            "auth_mode": "chatgpt",
            "tokens": {"access_token": jwt(expiry), "refresh_token": "old-refresh-secret", "id_token": "id"},
            "last_refresh": last_refresh.isoformat(),
        }
        (self.home / "auth.json").write_text(json.dumps(auth))

    def run_once(self):
        out = io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            rc = codex_auth_refresh.once(self.env, NOW)
        return rc, out.getvalue()

    def test_absent_auth_json_is_the_skip_status_1(self):
        rc, output = self.run_once()
        self.assertEqual(rc, 1)
        self.assertIn("skip:no_auth_json", output)

    def test_fresh_credential_is_left_alone(self):
        self.plant(NOW + datetime.timedelta(days=2), NOW - datetime.timedelta(days=1))
        self.assertEqual(self.run_once()[0], 0)
        self.assertEqual(TokenEndpoint.bodies, [])

    def test_expiring_token_is_refreshed_atomically_and_privately(self):
        self.plant(NOW + datetime.timedelta(hours=1), NOW - datetime.timedelta(days=1))
        rc, output = self.run_once()
        self.assertEqual(rc, 0)
        self.assertIn("grant_type=refresh_token", TokenEndpoint.bodies[0])
        auth = json.loads((self.home / "auth.json").read_text())
        self.assertEqual(auth["tokens"]["access_token"], "new-access")
        self.assertEqual(auth["tokens"]["id_token"], "id")
        self.assertEqual(stat.S_IMODE((self.home / "auth.json").stat().st_mode), 0o600)
        self.assertNotIn("new-access", output)
        self.assertNotIn("old-refresh-secret", output)

    def test_old_last_refresh_triggers_a_refresh(self):
        self.plant(NOW + datetime.timedelta(days=2), NOW - datetime.timedelta(days=8))
        self.assertEqual(self.run_once()[0], 0)
        self.assertEqual(len(TokenEndpoint.bodies), 1)

    def test_failed_refresh_is_status_2_and_keeps_the_file(self):
        self.plant(NOW + datetime.timedelta(hours=1), NOW)
        before = (self.home / "auth.json").read_text()
        TokenEndpoint.status = 500
        rc, output = self.run_once()
        self.assertEqual(rc, 2)
        self.assertEqual((self.home / "auth.json").read_text(), before)
        self.assertNotIn("old-refresh-secret", output)


if __name__ == "__main__":
    unittest.main()
