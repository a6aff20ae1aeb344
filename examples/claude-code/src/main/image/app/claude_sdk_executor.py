"""Executor of the claude-code template: turns one agent turn into a Claude CLI invocation."""

import os
import shutil
import subprocess

import adapter

PERMISSION_MODE = "bypassPermissions"


def command(prompt, model, session_id=None, cli="claude"):
    """The argv of one non-interactive turn; the prompt is an argument, never shell text."""
    if not prompt:
        raise ValueError("empty prompt")
    argv = [cli, "--print", "--model", model, "--permission-mode", PERMISSION_MODE, "--output-format", "json"]
    if session_id:
        argv += ["--resume", session_id]
    return argv + ["--", prompt]


def run_turn(prompt, env=None, session_id=None, timeout=900):
    env = dict(os.environ if env is None else env)
    source, config = adapter.load_registry(adapter.config_paths(env))
    model = env.get("MODEL") or config.get("default_model")
    env.update(adapter.provider_environment(adapter.pick_provider(config, model), env))
    cli = shutil.which("claude", path=env.get("PATH"))
    if cli is None:
        raise FileNotFoundError("the claude CLI is not on PATH; the image must install @anthropic-ai/claude-code")
    return subprocess.run(
        command(prompt, model, session_id, cli), env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
