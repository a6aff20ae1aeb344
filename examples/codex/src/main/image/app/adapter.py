"""Adapter of the codex template, loaded by the runtime through ADAPTER_MODULE=adapter (PYTHONPATH=/app)."""

import os

import provider_config


class CodexAdapter:
    @staticmethod
    def name():
        return "codex"


def describe(env=None):
    """One line for the boot log: model and provider (never a key)."""
    env = os.environ if env is None else env
    config = provider_config.registry(env)
    model = env.get("MODEL") or config["default_model"]
    return "%s model=%s provider=%s" % (CodexAdapter.name(), model, provider_config.pick(config, model)["name"])
