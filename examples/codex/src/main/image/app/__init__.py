"""codex workspace template: adapter package for the Molecule runtime."""
