"""Adapter of the claude-code template, loaded by the runtime through ADAPTER_MODULE=adapter.

It reads the provider registry (``providers:`` in config.yaml), chooses the
provider serving $MODEL and exports what the Claude CLI needs to reach it.
The registry is looked up, first match wins, in:

1. /opt/adapter/config.yaml            (provisioner-managed)
2. config.yaml next to this file      (shipped in the image: /app/config.yaml)
3. $WORKSPACE_CONFIG_PATH/config.yaml (per-workspace overrides)

and falls back to the built-in Anthropic provider when none exists.
"""

import os
import pathlib

import yaml

BUILTIN_PROVIDERS = [
    {
        "name": "anthropic",
        "models": ["claude-"],
        "base_url": "https://api.anthropic.com",
        "auth_env": "ANTHROPIC_API_KEY",
    }
]


class ConfigError(Exception):
    """The provider registry is present but unusable; the message names the file."""


def config_paths(env=None):
    env = os.environ if env is None else env
    paths = [pathlib.Path("/opt/adapter/config.yaml"), pathlib.Path(__file__).resolve().parent / "config.yaml"]
    if env.get("WORKSPACE_CONFIG_PATH"):
        paths.append(pathlib.Path(env["WORKSPACE_CONFIG_PATH"]) / "config.yaml")
    return paths


def load_registry(paths):
    """Returns (source, config dict) of the first existing registry file, or the built-in one."""
    for path in paths:
        if not path.is_file():
            continue
        try:
            config = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as error:
            raise ConfigError("%s is not valid YAML: %s" % (path, error)) from error
        providers = config.get("providers")
        if not isinstance(providers, list) or not providers:
            raise ConfigError("%s has no 'providers:' list" % path)
        for index, provider in enumerate(providers, 1):
            missing = [key for key in ("name", "models", "base_url") if key not in provider]
            if missing:
                raise ConfigError("%s: provider #%d lacks %s" % (path, index, ", ".join(missing)))
        return str(path), config
    return "built-in", {"providers": BUILTIN_PROVIDERS}


def pick_provider(config, model):
    for provider in config["providers"]:
        if any(model.startswith(prefix) for prefix in provider["models"]):
            return provider
    names = ", ".join(p["name"] for p in config["providers"])
    raise ConfigError("no provider serves model '%s' (providers: %s)" % (model, names))


def provider_environment(provider, env):
    """The variables the Claude CLI needs; an operator-set ANTHROPIC_BASE_URL wins."""
    result = {"ANTHROPIC_BASE_URL": env.get("ANTHROPIC_BASE_URL") or provider["base_url"]}
    auth_env = provider.get("auth_env")
    if auth_env and auth_env != "ANTHROPIC_API_KEY" and env.get(auth_env):
        result["ANTHROPIC_AUTH_TOKEN"] = env[auth_env]
    return result


def describe(env=None):
    """One line for the boot log: which registry and provider were chosen (never a key)."""
    env = os.environ if env is None else env
    source, config = load_registry(config_paths(env))
    model = env.get("MODEL") or config.get("default_model") or "claude-sonnet-4-5"
    provider = pick_provider(config, model)
    return "claude-code model=%s provider=%s registry=%s" % (model, provider["name"], source)
