"""TEST STAND-IN for the Molecule workspace runtime, built by the plugin's pip-npm-layers IT."""

__version__ = "1.0.0"


def main():
    print("molecule-runtime stand-in " + __version__)
