"""The Python standard library the browser downloads, trimmed to what the book's Python uses.

Pyodide's ``python_stdlib.zip`` holds the whole standard library (2.5 MB compressed). The live
calculators need a small part of it: what Pyodide imports to start, and what the course
package's live modules import, each with everything those modules import in turn. The closure
is found statically, from the sources in the zip (every ``import`` statement, at any depth,
including those inside functions and ``try`` blocks, so it errs on the side of keeping a
module), and written as a smaller zip in the built site under the same name, so that
``loadPyodide`` finds it where it looks for the standard library.

:func:`closure` works on any standard library's sources (a mapping of module name to source
text), so the same selection can be tried in CPython (``tests/test_reader_stdlib.py`` imports
every live calculator from a zip of CPython's own library trimmed by the same rules).
"""

from __future__ import annotations

import ast
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path, PurePosixPath

#: Pyodide's own Python packages (in the zip), all of which it may import while starting.
PYODIDE_PACKAGES = ("_pyodide", "pyodide")
#: Modules the interpreter loads by name rather than by an import statement: at start-up
#: (``site``, the file system's codecs), or from C (``datetime.strptime`` imports ``_strptime``;
#: ``sysconfig`` names its data module at run time; Pyodide's core imports ``codeop`` as it
#: starts; zipfile reads names in cp437).
IMPLICIT = ("site", "sitecustomize", "os", "stat", "io", "abc", "codecs", "copyreg",
            "_collections_abc", "_sitebuiltins", "_strptime", "linecache", "traceback",
            "warnings", "encodings", "encodings.aliases", "encodings.utf_8",
            "encodings.utf_8_sig", "encodings.latin_1", "encodings.ascii", "encodings.utf_16",
            "encodings.utf_32", "encodings.unicode_escape", "encodings.raw_unicode_escape",
            "encodings.idna", "encodings.cp437", "sysconfig",
            "_sysconfigdata__emscripten_wasm32-emscripten", "codeop")
#: Modules that the standard library imports inside a function on a path the book's Python
#: takes: ``pyodide.unpackArchive`` (the course package's zip) calls ``shutil.unpack_archive``,
#: which imports ``zipfile`` when it runs.
LAZY = ("zipfile",)
#: Parts of Pyodide's packages for what the book never does in the page: a REPL, sockets under
#: Node, HTTP from Python.
PYODIDE_UNUSED = ("pyodide.console", "pyodide._nodesock_transport", "pyodide.http",
                  "pyodide.http._exceptions", "pyodide.http._pyfetch", "pyodide.http.pyxhr",
                  "_pyodide.docs_argspec", "_pyodide._core_docs")


def module_name(path: str) -> tuple[str, bool] | None:
    """``re/_parser.py`` -> ``("re._parser", False)``; ``re/__init__.py`` -> ``("re", True)``."""
    posix = PurePosixPath(path)
    if posix.suffix != ".py" or posix.parts[0] in ("site-packages", "test", "tests"):
        return None
    parts = list(posix.with_suffix("").parts)
    if parts[-1] == "__init__":
        return ".".join(parts[:-1]), True
    return ".".join(parts), False


def _statements(tree: ast.AST, nested: bool):
    """The import statements of a module: all of them, or (``nested=False``) those that run
    when it is imported (at its top level, in ``if``/``try``/``with`` blocks, not in a function
    or class body)."""
    if nested:
        yield from ast.walk(tree)
        return
    todo = list(ast.iter_child_nodes(tree))
    while todo:
        node = todo.pop()
        if isinstance(node, ast.If) and "__main__" in ast.unparse(node.test):
            continue  # a module run as a script (heapq's doctest)
        yield node
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef,
                                 ast.Lambda)):
            todo.extend(ast.iter_child_nodes(node))


_BLOCK = re.compile(r"(async\s+def|def|class)\b|if\s+__name__\s*==")
_IMPORT = re.compile(r"(import|from)\s+[\w.]")


def _import_lines(source: str, nested: bool) -> list[str]:
    """The import statements of a module this Python cannot parse, each as a line of its own:
    read line by line, with ``def``/``class`` bodies (and ``if __name__ == ...`` blocks) left
    out unless ``nested``."""
    lines = source.splitlines()
    found: list[str] = []
    skip_below: int | None = None  # the indent of the block being left out
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        indent = len(line) - len(line.lstrip())
        i += 1
        if not stripped or stripped.startswith("#"):
            continue
        if skip_below is not None:
            if indent > skip_below:
                continue
            skip_below = None
        if not nested and _BLOCK.match(stripped):
            skip_below = indent
            continue
        if _IMPORT.match(stripped):
            statement = stripped
            while "(" in statement and ")" not in statement and i < len(lines):
                statement += " " + lines[i].strip()
                i += 1
            statement = statement.split(";")[0].split("#")[0].strip()
            try:
                ast.parse(statement)
            except SyntaxError:
                continue
            found.append(statement)
    return found


def imports_of(source: str, name: str, is_package: bool, nested: bool = True) -> set[str]:
    """Every module ``source`` may import: absolute names, relative ones resolved, and for
    ``from X import y`` both ``X`` and ``X.y`` (``y`` may be a submodule). ``nested=False``
    leaves out imports inside functions and classes (run only when they are called)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:  # newer syntax than this Python reads (Pyodide's library is 3.14's)
        tree = ast.parse("\n".join(_import_lines(source, nested)))
    package = name if is_package else name.rpartition(".")[0]
    found: set[str] = set()
    for node in _statements(tree, nested):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".") if package else []
                base = base[:len(base) - (node.level - 1)] if node.level > 1 else base
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target:
                found.add(target)
            found.update(f"{target}.{alias.name}" if target else alias.name
                         for alias in node.names if alias.name != "*")
    return found


def closure(roots: Iterable[str], sources: Mapping[str, tuple[str, bool]],
            nested: Callable[[str], bool] = lambda name: True) -> set[str]:
    """The modules of ``sources`` (name -> (source, is package)) that ``roots`` need: the roots,
    everything they import, transitively, and every package above each of them. Imports inside
    functions count for the modules where ``nested(name)`` is true."""
    wanted: set[str] = set()
    todo = list(roots)
    while todo:
        name = todo.pop()
        candidates = [name]
        parts = name.split(".")
        candidates += [".".join(parts[:i]) for i in range(1, len(parts))]  # parent packages
        for candidate in candidates:
            if candidate in wanted or candidate not in sources:
                continue
            wanted.add(candidate)
            source, is_package = sources[candidate]
            todo.extend(imports_of(source, candidate, is_package, nested(candidate)))
    return wanted


def zip_sources(archive: zipfile.ZipFile) -> dict[str, tuple[str, bool]]:
    """Module name -> (source, is package) for every Python file of a standard library zip."""
    found = {}
    for info in archive.infolist():
        named = module_name(info.filename)
        if named is not None:
            found[named[0]] = (archive.read(info).decode("utf-8", "replace"), named[1])
    return found


def directory_sources(folder: Path) -> dict[str, tuple[str, bool]]:
    """The same mapping for a standard library on disk (CPython's ``Lib``)."""
    found = {}
    for path in sorted(Path(folder).rglob("*.py")):
        named = module_name(path.relative_to(folder).as_posix())
        if named is not None and "site-packages" not in path.parts:
            found[named[0]] = (path.read_text(encoding="utf-8", errors="replace"), named[1])
    return found


def package_roots(package: Path, live_modules: Iterable[str]) -> list[str]:
    """The course package's modules the browser runs: ``ec2vslambda.live`` and each live
    calculator module, with the package's own modules they import (found by :func:`closure`
    over the package's sources)."""
    root = Path(package)
    sources = {}
    for path in sorted(root.rglob("*.py")):
        named = module_name(path.relative_to(root.parent).as_posix())
        if named is not None:
            sources[named[0]] = (path.read_text(encoding="utf-8"), named[1])
    own = closure(["ec2vslambda.live", *live_modules], sources)
    needed: set[str] = set()
    for name in own:
        needed |= imports_of(sources[name][0], name, sources[name][1])
    return sorted(n for n in needed if not n.startswith("ec2vslambda"))


def selection(sources: Mapping[str, tuple[str, bool]], roots: Iterable[str],
              pyodide: bool = True) -> set[str]:
    """The modules to keep: ``roots`` (the package's imports), what the interpreter loads by
    itself, and (for Pyodide's library) Pyodide's own packages, closed over their imports."""
    start = list(roots) + [n for n in IMPLICIT + LAZY if n in sources]
    if pyodide:
        start += [n for n in sources if n.split(".")[0] in PYODIDE_PACKAGES
                  and n not in PYODIDE_UNUSED]
    return closure(start, sources, nested=lambda name: name.split(".")[0] in PYODIDE_PACKAGES)


def trimmed_zip(archive: zipfile.ZipFile, keep: set[str]) -> bytes:
    """A copy of a standard library zip holding only the modules in ``keep`` (and their
    package folders), in a fixed order with a fixed date, so the same input gives the same
    bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for info in sorted(archive.infolist(), key=lambda i: i.filename):
            named = module_name(info.filename)
            folder = info.filename.endswith("/")
            if folder:
                prefix = info.filename.rstrip("/").replace("/", ".")
                if not any(k == prefix or k.startswith(prefix + ".") for k in keep):
                    continue
            elif named is None or named[0] not in keep:
                continue
            entry = zipfile.ZipInfo(info.filename, date_time=(2026, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_STORED if folder else zipfile.ZIP_DEFLATED
            target.writestr(entry, archive.read(info), compresslevel=9)
    return out.getvalue()
