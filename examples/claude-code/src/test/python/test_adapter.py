"""Adapter unit tests of the claude-code template (run by `mvn test` through the template parent)."""

import pathlib
import tempfile
import unittest

import adapter
import claude_sdk_executor

IMAGE_CONFIG = pathlib.Path(adapter.__file__).resolve().parent / "config.yaml"


class RegistryTest(unittest.TestCase):
    def test_shipped_registry_routes_each_model_family(self):
        source, config = adapter.load_registry([IMAGE_CONFIG])
        self.assertEqual(source, str(IMAGE_CONFIG))
        self.assertEqual(adapter.pick_provider(config, "claude-opus-4-1")["name"], "anthropic")
        self.assertEqual(adapter.pick_provider(config, "MiniMax-M2")["name"], "minimax")
        self.assertEqual(adapter.pick_provider(config, "glm-4.6")["name"], "glm")

    def test_first_existing_file_wins_and_missing_files_fall_back_to_builtin(self):
        with tempfile.TemporaryDirectory() as tmp:
            override = pathlib.Path(tmp) / "config.yaml"
            override.write_text("providers:\n  - {name: local, models: [claude-], base_url: http://127.0.0.1:9}\n")
            source, config = adapter.load_registry([pathlib.Path(tmp) / "absent.yaml", override, IMAGE_CONFIG])
            self.assertEqual(source, str(override))
            self.assertEqual(adapter.pick_provider(config, "claude-x")["base_url"], "http://127.0.0.1:9")
            source, _ = adapter.load_registry([pathlib.Path(tmp) / "absent.yaml"])
            self.assertEqual(source, "built-in")

    def test_broken_registry_names_the_file(self):
        with tempfile.TemporaryDirectory() as tmp:
            broken = pathlib.Path(tmp) / "config.yaml"
            broken.write_text("providers:\n  - {name: x, models: [a-]}\n")
            with self.assertRaisesRegex(adapter.ConfigError, "config.yaml: provider #1 lacks base_url"):
                adapter.load_registry([broken])

    def test_unknown_model_lists_the_providers(self):
        _, config = adapter.load_registry([IMAGE_CONFIG])
        with self.assertRaisesRegex(adapter.ConfigError, "no provider serves model 'gpt-5'.*anthropic"):
            adapter.pick_provider(config, "gpt-5")

    def test_operator_base_url_wins_and_provider_key_becomes_auth_token(self):
        provider = {"name": "minimax", "models": ["MiniMax-"], "base_url": "https://m", "auth_env": "MINIMAX_API_KEY"}
        env = adapter.provider_environment(provider, {"MINIMAX_API_KEY": "k-value"})
        self.assertEqual(env, {"ANTHROPIC_BASE_URL": "https://m", "ANTHROPIC_AUTH_TOKEN": "k-value"})
        env = adapter.provider_environment(provider, {"ANTHROPIC_BASE_URL": "https://regional"})
        self.assertEqual(env, {"ANTHROPIC_BASE_URL": "https://regional"})

    def test_describe_names_model_and_provider_but_no_key(self):
        line = adapter.describe({"MODEL": "MiniMax-M2", "MINIMAX_API_KEY": "secret-value"})
        self.assertIn("provider=minimax", line)
        self.assertNotIn("secret-value", line)


class ExecutorTest(unittest.TestCase):
    def test_prompt_is_one_argument_after_the_option_terminator(self):
        argv = claude_sdk_executor.command("rm -rf / ; echo $HOME", "claude-x", session_id="s1")
        self.assertEqual(argv[-2:], ["--", "rm -rf / ; echo $HOME"])
        self.assertIn("bypassPermissions", argv)
        self.assertEqual(argv[argv.index("--resume") + 1], "s1")

    def test_empty_prompt_is_refused(self):
        with self.assertRaises(ValueError):
            claude_sdk_executor.command("", "claude-x")


if __name__ == "__main__":
    unittest.main()
