"""Provider registry of the codex template and its rendering into codex's config.toml.

    python3 -m provider_config render <codex-home>

writes <codex-home>/config.toml for $MODEL (default: the registry's
default_model) from the first registry found among /opt/adapter/config.yaml,
/app/config.yaml and $WORKSPACE_CONFIG_PATH/config.yaml, plus the molecule
MCP server block whose CONFIGS_DIR is the directory holding .auth_token.
"""

import json
import os
import pathlib
import sys

import yaml

HERE = pathlib.Path(__file__).resolve().parent


class ConfigError(Exception):
    """The registry or the environment cannot produce a config; the message names what to fix."""


def registry(env):
    paths = [pathlib.Path("/opt/adapter/config.yaml"), HERE / "config.yaml"]
    if env.get("WORKSPACE_CONFIG_PATH"):
        paths.append(pathlib.Path(env["WORKSPACE_CONFIG_PATH"]) / "config.yaml")
    for path in paths:
        if path.is_file():
            try:
                config = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            except yaml.YAMLError as error:
                raise ConfigError("%s is not valid YAML: %s" % (path, error)) from error
            if not isinstance(config.get("providers"), list) or not config["providers"]:
                raise ConfigError("%s has no 'providers:' list" % path)
            return config
    raise ConfigError("no config.yaml found in %s" % ", ".join(str(p) for p in paths))


def pick(config, model):
    for provider in config["providers"]:
        if any(model.startswith(prefix) for prefix in provider["models"]):
            return provider
    raise ConfigError("no provider serves model '%s'" % model)


def toml_string(value):
    # A JSON string literal is a valid TOML basic string for the characters used here.
    return json.dumps(str(value), ensure_ascii=True)


def render(env):
    config = registry(env)
    model = env.get("MODEL") or config.get("default_model")
    if not model:
        raise ConfigError("MODEL is unset and the registry has no default_model")
    provider = pick(config, model)
    configs_dir = env.get("CONFIGS_DIR") or "/configs"
    lines = [
        "# Written at boot by provider_config.py from config.yaml; edits are overwritten.",
        "model = %s" % toml_string(model),
        "model_provider = %s" % toml_string(provider["name"]),
        "",
        "[model_providers.%s]" % provider["name"],
        "name = %s" % toml_string(provider["name"]),
        "base_url = %s" % toml_string(provider["base_url"]),
        "env_key = %s" % toml_string(provider["env_key"]),
        "wire_api = %s" % toml_string(provider.get("wire_api", "responses")),
        "",
        "[mcp_servers.molecule]",
        'command = "molecule-runtime"',
        'args = ["mcp"]',
        "",
        "[mcp_servers.molecule.env]",
        "CONFIGS_DIR = %s" % toml_string(configs_dir),
        "",
    ]
    return "\n".join(lines)


def write(codex_home, text):
    codex_home.mkdir(parents=True, exist_ok=True)
    target = codex_home / "config.toml"
    partial = codex_home / ".config.toml.part"
    partial.write_text(text, encoding="utf-8")
    os.chmod(partial, 0o600)
    os.replace(partial, target)
    return target


def main(argv):
    if len(argv) != 2 or argv[0] != "render":
        print("usage: python3 -m provider_config render <codex-home>", file=sys.stderr)
        return 2
    try:
        target = write(pathlib.Path(argv[1]), render(os.environ))
    except ConfigError as error:
        print("provider_config: %s" % error, file=sys.stderr)
        return 1
    print("provider_config: wrote %s" % target)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
