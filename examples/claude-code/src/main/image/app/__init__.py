"""claude-code workspace template: adapter package for the Molecule runtime."""
