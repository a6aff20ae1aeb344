#!/usr/bin/env python3
"""Writes the TEST STAND-IN runtime wheel(s) into a wheelhouse, standard library only.

    python3 build_wheel.py <wheelhouse> <version>...

Each wheel is ``molecule_ai_workspace_runtime-<version>-py3-none-any.whl`` with
the package ``molecule_runtime`` from this directory, its ``__version__`` set,
and the ``molecule-runtime`` console script. Entries carry a fixed timestamp,
so the same version always gives the same bytes.
"""

import base64
import hashlib
import pathlib
import re
import sys
import zipfile

HERE = pathlib.Path(__file__).resolve().parent
PROJECT = "molecule_ai_workspace_runtime"
STAMP = (1980, 1, 1, 0, 0, 0)


def wheel_files(version):
    source = (HERE / "molecule_runtime" / "__init__.py").read_text(encoding="utf-8")
    source = re.sub(r'^__version__ = ".*"$', '__version__ = "%s"' % version, source, count=1, flags=re.M)
    info = "%s-%s.dist-info" % (PROJECT, version)
    return {
        "molecule_runtime/__init__.py": source,
        info + "/METADATA": "Metadata-Version: 2.1\nName: molecule-ai-workspace-runtime\nVersion: %s\n"
        "Summary: TEST STAND-IN for the Molecule workspace runtime; not the real package\n" % version,
        info + "/WHEEL": "Wheel-Version: 1.0\nGenerator: molecule-examples\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
        info + "/entry_points.txt": "[console_scripts]\nmolecule-runtime = molecule_runtime:main\n",
    }


def write(wheelhouse, version):
    if not re.fullmatch(r"[0-9]+(\.[0-9]+)*", version):
        raise SystemExit("build_wheel.py: '%s' is not a release version such as 1.0.0" % version)
    files = wheel_files(version)
    info = "%s-%s.dist-info" % (PROJECT, version)
    record = []
    for name, text in files.items():
        data = text.encode("utf-8")
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode("ascii")
        record.append("%s,sha256=%s,%d" % (name, digest, len(data)))
    record.append(info + "/RECORD,,")
    files[info + "/RECORD"] = "\n".join(record) + "\n"
    wheelhouse.mkdir(parents=True, exist_ok=True)
    target = wheelhouse / ("%s-%s-py3-none-any.whl" % (PROJECT, version))
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as wheel:
        for name, text in files.items():
            entry = zipfile.ZipInfo(name, STAMP)
            entry.external_attr = 0o644 << 16
            entry.compress_type = zipfile.ZIP_DEFLATED
            wheel.writestr(entry, text)
    return target


def main(argv):
    if len(argv) < 2:
        raise SystemExit(__doc__)
    wheelhouse = pathlib.Path(argv[0])
    for version in argv[1:]:
        print("stand-in runtime wheel: %s" % write(wheelhouse, version))


if __name__ == "__main__":
    main(sys.argv[1:])
