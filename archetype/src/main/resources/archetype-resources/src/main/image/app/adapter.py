"""Adapter of the ${artifactId} template, loaded by the Molecule runtime through ADAPTER_MODULE=adapter.

The runtime imports this module and logs what describe() returns. Which provider
serves which model is data, the ``providers:`` list of a registry file; the first
of these that exists is used:

1. /opt/adapter/config.yaml            (provisioner-managed)
2. config.yaml next to this file      (shipped in the image: /app/config.yaml)
3. $WORKSPACE_CONFIG_PATH/config.yaml (per-workspace overrides)
"""

import os
import pathlib

import yaml

TEMPLATE = "${artifactId}"
REQUIRED = ("name", "models", "base_url")


class ConfigError(Exception):
    """No usable provider registry; the message names the file and what is wrong."""


def registry_paths(env):
    paths = [pathlib.Path("/opt/adapter/config.yaml"), pathlib.Path(__file__).resolve().parent / "config.yaml"]
    if env.get("WORKSPACE_CONFIG_PATH"):
        paths.append(pathlib.Path(env["WORKSPACE_CONFIG_PATH"]) / "config.yaml")
    return paths


def read_registry(paths):
    """(path, registry) of the first file of paths that exists, checked entry by entry."""
    for path in paths:
        if path.is_file():
            break
    else:
        raise ConfigError("no provider registry; looked for " + ", ".join(str(p) for p in paths))
    try:
        registry = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        raise ConfigError("%s is not valid YAML: %s" % (path, error)) from error
    providers = registry.get("providers")
    if not isinstance(providers, list) or not providers:
        raise ConfigError("%s has no 'providers:' list" % path)
    for number, provider in enumerate(providers, 1):
        absent = [key for key in REQUIRED if key not in provider]
        if absent:
            raise ConfigError("%s: provider %d lacks %s" % (path, number, ", ".join(absent)))
    return path, registry


def provider_for(registry, model):
    """The first provider one of whose model prefixes starts model."""
    for provider in registry["providers"]:
        if any(model.startswith(prefix) for prefix in provider["models"]):
            return provider
    names = ", ".join(provider["name"] for provider in registry["providers"])
    raise ConfigError("no provider serves model '%s' (providers: %s)" % (model, names))


def describe(env=None):
    """One line for the boot log: template, model, provider and registry (never a key)."""
    env = os.environ if env is None else env
    path, registry = read_registry(registry_paths(env))
    model = env.get("MODEL") or registry.get("default_model", "")
    provider = provider_for(registry, model)
    return "%s model=%s provider=%s registry=%s" % (TEMPLATE, model, provider["name"], path)
