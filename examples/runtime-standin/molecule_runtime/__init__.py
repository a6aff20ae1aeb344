"""TEST STAND-IN for the Molecule workspace runtime (``molecule-ai-workspace-runtime``).

The real runtime is published on PyPI, which this repository's CI cannot
reach. This stand-in has the same distribution name and console script so the
examples can be built and booted end to end: ``molecule-runtime`` imports the
template's adapter (``ADAPTER_MODULE``), asks it to describe itself, and then
idles as the container's workload. It is not the real runtime.
"""

import importlib
import os
import signal
import sys
import time

__version__ = "0.0.0"


def main(argv=None):
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["--version"]:
        print("molecule-runtime " + __version__ + " (test stand-in)")
        return 0
    name = os.environ.get("ADAPTER_MODULE")
    if not name:
        print("molecule-runtime: ADAPTER_MODULE is not set", file=sys.stderr)
        return 2
    adapter = importlib.import_module(name)
    describe = getattr(adapter, "describe", None)
    summary = describe() if callable(describe) else name
    print("molecule-runtime " + __version__ + " (test stand-in) loaded adapter " + str(summary), flush=True)
    if args[:1] == ["--check"]:
        return 0
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    while True:
        time.sleep(3600)
