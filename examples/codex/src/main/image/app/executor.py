"""Executor of the codex template: one agent turn as a non-interactive `codex exec`."""

import os
import shutil
import subprocess


def command(prompt, model, cli="codex"):
    if not prompt:
        raise ValueError("empty prompt")
    return [cli, "exec", "--model", model, "--skip-git-repo-check", "--", prompt]


def run_turn(prompt, model, env=None, timeout=900):
    env = dict(os.environ if env is None else env)
    cli = shutil.which("codex", path=env.get("PATH"))
    if cli is None:
        raise FileNotFoundError("the codex CLI is not on PATH; the image must install @openai/codex")
    return subprocess.run(command(prompt, model, cli), env=env, capture_output=True, text=True, timeout=timeout)
