"""Adapter unit tests, run by `./mvnw test` (the parent's python3 -m unittest over src/test/python)."""

import pathlib
import tempfile
import unittest

import adapter

SHIPPED = pathlib.Path(adapter.__file__).resolve().parent / "config.yaml"


class RegistryTest(unittest.TestCase):
    def test_the_shipped_registry_serves_its_default_model(self):
        path, registry = adapter.read_registry([SHIPPED])
        self.assertEqual(path, SHIPPED)
        self.assertTrue(adapter.provider_for(registry, registry["default_model"])["base_url"].startswith("https://"))

    def test_the_first_existing_file_wins(self):
        with tempfile.TemporaryDirectory() as tmp:
            override = pathlib.Path(tmp) / "config.yaml"
            override.write_text("providers:\n  - {name: local, models: [m-], base_url: http://127.0.0.1:9}\n")
            path, registry = adapter.read_registry([pathlib.Path(tmp) / "absent.yaml", override, SHIPPED])
            self.assertEqual(path, override)
            self.assertEqual(adapter.provider_for(registry, "m-1")["name"], "local")

    def test_a_broken_registry_names_the_file_and_the_entry(self):
        with tempfile.TemporaryDirectory() as tmp:
            broken = pathlib.Path(tmp) / "config.yaml"
            broken.write_text("providers:\n  - {name: x, models: [a-]}\n")
            with self.assertRaisesRegex(adapter.ConfigError, "config.yaml: provider 1 lacks base_url"):
                adapter.read_registry([broken])
            with self.assertRaisesRegex(adapter.ConfigError, "no provider registry; looked for"):
                adapter.read_registry([pathlib.Path(tmp) / "absent.yaml"])

    def test_an_unknown_model_lists_the_providers(self):
        _, registry = adapter.read_registry([SHIPPED])
        names = [provider["name"] for provider in registry["providers"]]
        with self.assertRaisesRegex(adapter.ConfigError, "no provider serves model 'unknown-1'.*" + names[0]):
            adapter.provider_for(registry, "unknown-1")

    def test_describe_names_template_and_provider_but_no_key(self):
        line = adapter.describe({"ANTHROPIC_API_KEY": "secret-value"})
        self.assertTrue(line.startswith(adapter.TEMPLATE + " model="))
        self.assertIn("registry=" + str(SHIPPED), line)
        self.assertNotIn("secret-value", line)


if __name__ == "__main__":
    unittest.main()
