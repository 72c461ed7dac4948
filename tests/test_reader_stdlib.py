"""The trimmed standard library (``_ext/reader/stdlib.py``) holds what the live calculators use.

The zip the browser downloads is Pyodide's (Python 3.14) library, which this machine's CPython
cannot import. So the same selection is made from CPython's own library, zipped the same way,
and every live calculator is imported and run from it in a fresh interpreter that has nothing
else of the standard library on its path (beyond the modules the interpreter loaded before the
test could change the path, and its compiled extension modules). Then the modules that run
needed must all be in the zip the site ships. The browser tests run the shipped zip for real.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "_ext"))

from reader import stdlib  # noqa: E402

from ec2vslambda import live  # noqa: E402

LIVE_MODULES = [f"ec2vslambda.live.{m}" for m in live.MODULES.values()]

RUN = r"""
import sys
startup = set(sys.modules)
zip_path, dynload, root = sys.argv[1:4]
sys.path[:] = [zip_path, dynload, root]
import zlib  # a compiled module (lib-dynload): zipimport needs it to read the zip
from ec2vslambda import live
for name in live.names():
    live.compute(name, {})
loaded = {}
for name, module in sorted(sys.modules.items()):
    if name in startup or name.startswith("ec2vslambda") or module is None:
        continue
    if getattr(module, "__name__", name) != name:
        continue  # an alias (collections.abc is the frozen _collections_abc)
    origin = getattr(getattr(module, "__spec__", None), "origin", None)
    frozen = origin in ("frozen", "built-in") or getattr(module, "__loader__", None) is None
    loaded[name] = "built-in" if frozen or not getattr(module, "__file__", None) \
        else module.__file__
print(repr(loaded))
"""


@pytest.fixture(scope="module")
def cpython_zip(tmp_path_factory) -> Path:
    lib = Path(zipfile.__file__).parent  # CPython's own Lib folder
    sources = stdlib.directory_sources(lib)
    keep = stdlib.selection(sources, stdlib.package_roots(ROOT / "ec2vslambda", LIVE_MODULES),
                            pyodide=False)
    path = tmp_path_factory.mktemp("stdlib") / "python_stdlib.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(keep):
            source, is_package = sources[name]
            archive.writestr(name.replace(".", "/") + ("/__init__.py" if is_package else ".py"),
                             source)
    return path


@pytest.fixture(scope="module")
def loaded(cpython_zip) -> dict[str, str]:
    import zlib  # compiled modules live beside it (lib-dynload)

    dynload = str(Path(zlib.__file__).parent)
    done = subprocess.run([sys.executable, "-I", "-S", "-c", RUN, str(cpython_zip), dynload,
                           str(ROOT)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"a live calculator failed from the trimmed library:\n" \
                                 f"{done.stderr[-3000:]}"
    return ast.literal_eval(done.stdout)


def test_every_live_calculator_runs_from_the_trimmed_library_alone(loaded, cpython_zip):
    # CPython imports the ``encodings`` package before the path can be switched to the zip, so a
    # codec it loads later (``utf-8-sig``, for a CSV that starts with a byte-order mark) comes
    # from the package's own folder; it is enough that the zip holds it too, as Pyodide's does
    with zipfile.ZipFile(cpython_zip) as archive:
        zipped = {n[0] for f in archive.namelist() if (n := stdlib.module_name(f))}
    outside = {name: where for name, where in loaded.items()
               if where != "built-in" and str(cpython_zip) not in where
               and "lib-dynload" not in where
               and not (name.startswith("encodings.") and name in zipped)}
    assert not outside, f"imported from outside the trimmed zip: {outside}"
    assert any(str(cpython_zip) in where for where in loaded.values())


def test_the_shipped_library_holds_what_the_package_imports(loaded, cpython_zip):
    """Each standard module the course package imports itself (what the two Pythons share;
    what those modules import in turn differs between 3.11 and 3.14) is in the shipped zip."""
    shipped = ROOT / "_build" / "html" / "_live" / "pyodide" / "python_stdlib.zip"
    if not shipped.exists():
        pytest.skip("no built site: `make book` writes the trimmed zip")
    sys.path.insert(0, str(ROOT / "_ext"))
    from live_calculators import assets

    full = assets.cache_dir() / "npm" / f"pyodide-{assets.PYODIDE.version}" / \
        "python_stdlib.zip"
    with zipfile.ZipFile(shipped) as archive:
        kept = {n[0] for f in archive.namelist() if (n := stdlib.module_name(f))}
    with zipfile.ZipFile(full) as archive:
        available = {n[0] for f in archive.namelist() if (n := stdlib.module_name(f))}
    direct = set(stdlib.package_roots(ROOT / "ec2vslambda", LIVE_MODULES))
    from_zip = {name for name, where in loaded.items() if str(cpython_zip) in where}
    missing = sorted(name for name in from_zip & direct if name in available
                     and name not in kept)
    assert not missing, f"the site's standard library lacks {missing}"
    assert len(kept) < len(available) / 2, "the shipped library is not trimmed"


def test_imports_are_read_at_any_depth_or_only_at_import_time():
    source = ("import a\nif True:\n    from .b import c\ndef f():\n    import d\n"
              "if __name__ == '__main__':\n    import e\n")
    assert stdlib.imports_of(source, "p.m", False) == {"a", "p.b", "p.b.c", "d", "e"}
    assert stdlib.imports_of(source, "p.m", False, nested=False) == {"a", "p.b", "p.b.c"}
    newer = "import a\ndef f[T](x: T) -> T:\n    import d\n    return x\ntype X = int\n"
    assert stdlib.imports_of(newer, "m", False, nested=False) == {"a"}
    assert stdlib.imports_of(newer, "m", False) == {"a", "d"}


def test_closure_keeps_parents_and_follows_imports():
    sources = {"a": ("import b.c", False), "b": ("", True), "b.c": ("import d", False),
               "d": ("", False), "e": ("import a", False)}
    assert stdlib.closure(["a"], sources) == {"a", "b", "b.c", "d"}
