"""Lint every JavaScript file of the project with Biome, a pinned single binary from npm.

``make lint`` runs this after ruff. Biome's linter is one self-contained program published on
the npm registry as a package per platform (``@biomejs/cli-linux-x64`` and so on), so no Node
is needed: the tarball is fetched with the standard library, checked against the registry's
integrity hash and unpacked into the same cache as the site's browser assets
(``~/.cache/ec2vslambda-book``), exactly as ``_ext/live_calculators/assets.py`` fetches Pyodide.
A later run uses the cache and works offline.

The rules are Biome's recommended set plus undeclared variables (``biome.json``); a warning
fails the run as an error does.

To update Biome: change :data:`VERSION` and every integrity below (``npm view
@biomejs/cli-linux-x64@VERSION dist.integrity`` prints one), then run ``make lint``.

Usage: ``python tools/lint_js.py [FILE ...]`` (default: every ``*.js``/``*.mjs`` in git).
"""

from __future__ import annotations

import platform
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "_ext"))

from live_calculators.assets import AssetError, NpmPackage, ensure  # noqa: E402

VERSION = "2.6.9"
LICENCE = "MIT OR Apache-2.0"
#: (operating system, processor, C library) -> the registry's dist.integrity of that build
INTEGRITY = {
    ("linux", "x64", "glibc"): "sha512-uVrqS0HDjRzFlx88ZpfmlZvJ+xIwTU+110vunzrYvZQ5OqXl/1ugMTNvAs61hejH7jh7iequKJwagRVarrYcSQ==",  # noqa: E501
    ("linux", "arm64", "glibc"): "sha512-x73OpQSuQLuvNfzXWEjf0mK95NxlJQX4eG/jmuSrGWOz+/jcLUE4N/21yBu3n0X+wa8bJ3NsWNvmNacLnyc2CQ==",  # noqa: E501
    ("linux", "x64", "musl"): "sha512-o73Sk1hCbGOFOrDlxtpHGIubnLwMXscT32+ujMwUyq9o0f4onxO7OznzkFgcZGbwKy1R3ohroOkqZDXqj1u29g==",  # noqa: E501
    ("linux", "arm64", "musl"): "sha512-qoG0R5MhJ8VFozVFZQC42V3qCI1TInDhL/YcPPg0oTzfv3vuh0ZDXj+2nNahq8gboHUMv7MWpGjRDLhpQatJ+A==",  # noqa: E501
    ("darwin", "x64", ""): "sha512-RdjT3Z6dLlii0x6EroncTp9jg38FMx2R1aeaaU4BbZ4//3TJ2mA2R39KMIrZYxHdHXcfv9X2V5hwKkXhg08w/g==",  # noqa: E501
    ("darwin", "arm64", ""): "sha512-fO67s0SF+lKGhNPQ7jUXiz0yXGl/1Qm3XTIn/4Hd2Z2z3ewQMrotWIMVdIPxZAgLJdQtRLBOzgsTRzTl981yWA==",  # noqa: E501
}
SUFFIXES = (".js", ".mjs", ".cjs")
#: folders that hold no source of the project's own (built pages, environments, caches)
SKIP = {"_build", ".venv", "node_modules", "test-artifacts", ".git"}


def biome_package() -> NpmPackage:
    """The Biome build for this machine."""
    system = platform.system().lower()
    machine = {"x86_64": "x64", "amd64": "x64", "aarch64": "arm64", "arm64": "arm64"}.get(
        platform.machine().lower(), platform.machine().lower())
    libc = ""
    if system == "linux":
        libc = "glibc" if platform.libc_ver()[0] == "glibc" else "musl"
    key = (system, machine, libc)
    if key not in INTEGRITY:
        raise AssetError(f"no pinned Biome build for {system}/{machine} {libc}".rstrip()
                         + f"; pinned: {sorted(INTEGRITY)} (tools/lint_js.py)")
    suffix = f"-{libc}" if libc == "musl" else ""
    return NpmPackage(f"@biomejs/cli-{system}-{machine}{suffix}", VERSION, INTEGRITY[key],
                      keep=("biome", "package.json"), licence=LICENCE, executable=("biome",))


def project_files(root: Path = ROOT) -> list[Path]:
    """Every JavaScript file of the project: git's list in a checkout, else a walk that skips
    built and installed folders."""
    try:
        listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others",
                                 "--exclude-standard"], cwd=root, capture_output=True,
                                check=True).stdout.decode().split("\0")
        files = [root / name for name in listed if name.endswith(SUFFIXES)]
    except (OSError, subprocess.CalledProcessError):
        files = [p for p in root.rglob("*") if p.suffix in SUFFIXES
                 and not SKIP & set(p.relative_to(root).parts)]
    return sorted({p for p in files if p.is_file()})  # a file in a merge is listed per stage


def lint(files: list[Path], config: Path = ROOT / "biome.json") -> subprocess.CompletedProcess:
    """Run Biome's linter on ``files``; its report is in the result's stdout and stderr."""
    biome = ensure(biome_package()) / "biome"
    return subprocess.run([str(biome), "lint", "--error-on-warnings", "--colors=off",
                           f"--config-path={config}", *map(str, files)],
                          capture_output=True, text=True, cwd=ROOT)


def main(argv: list[str]) -> int:
    files = [Path(a).resolve() for a in argv] or project_files()
    if not files:
        print("lint_js: no JavaScript files to lint", file=sys.stderr)
        return 1
    try:
        result = lint(files)
    except AssetError as error:
        print(f"lint_js: {error}", file=sys.stderr)
        return 2
    sys.stdout.write(result.stdout)
    sys.stderr.write(result.stderr)
    names = ", ".join(str(p.relative_to(ROOT)) if p.is_relative_to(ROOT) else str(p)
                      for p in files)
    print(f"Biome {VERSION}: {len(files)} file(s) linted ({names})")
    return result.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
