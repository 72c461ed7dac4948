"""The site's third-party browser assets: npm packages fetched at build time, pinned, verified.

Every file a page loads comes from the site itself, so the book works offline. The files come
from the npm registry as the packages' published tarballs, pinned by version and by the
registry's own integrity hash (``dist.integrity``, SHA-512). No Node is needed: this module
downloads a tarball with the standard library, checks its hash, and unpacks the files the site
uses into a cache outside git (``$EC2VL_ASSET_CACHE``, default ``~/.cache/ec2vslambda-book``).
A later build uses the cache, and works without the network.

To update a package: change its version and integrity below (``npm view NAME@VERSION
dist.integrity`` prints it), build, and run the browser tests.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import shutil
import tarfile
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

REGISTRY = "https://registry.npmjs.org"
#: The modification time npm gives every file in a published tarball (1985-10-26 08:15 UTC). The
#: site's copies of pinned, immutable files keep it, so that a server which sends only
#: Last-Modified (``python -m http.server``) still lets browsers cache them for years instead of
#: asking again on every page.
NPM_MTIME = 499162500


class AssetError(RuntimeError):
    """An asset could not be fetched or failed its integrity check."""


@dataclass(frozen=True)
class NpmPackage:
    name: str
    version: str
    integrity: str  # the registry's dist.integrity: "sha512-<base64>"
    keep: tuple[str, ...]  # paths inside the tarball's package/ folder (a folder keeps all)
    licence: str
    executable: tuple[str, ...] = ()  # kept files to mark executable (a program, not a page's)

    @property
    def tarball_url(self) -> str:
        base = self.name.rsplit("/", 1)[-1]
        return f"{REGISTRY}/{self.name}/-/{base}-{self.version}.tgz"

    @property
    def label(self) -> str:
        return f"{self.name}@{self.version}"


PYODIDE = NpmPackage(
    "pyodide", "314.0.8",
    "sha512-74Wq1kXOC+CCEzAfxuRAO701nAcCMLjf8NrwvWpu8S41dVMXwXmLQ05dYB+F4e46AdnGo0oq7YHSVUpHsoarLQ==",
    keep=("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip",
          "pyodide-lock.json", "package.json", "README.md"),
    licence="MPL-2.0")
CHARTJS = NpmPackage(
    "chart.js", "4.6.1",
    "sha512-hJyniucsFmq//EvXYvJ6c6mahPoI3kaxdjVH8awTaJ/fDNWeSqqqArixMJWkWNN6fcYvPU3HneSANFNYtRi61g==",
    keep=("dist/chart.umd.min.js", "LICENSE.md", "package.json"), licence="MIT")
MATHJAX = NpmPackage(
    "mathjax", "3.2.2",
    "sha512-Bt+SSVU8eBG27zChVewOicYs7Xsdt40qm4+UpHyX7k0/O9NliPc+x77k1/FEsPsjKPZGJvtRZM1vO+geW0OhGw==",
    # the combined TeX+MathML -> CHTML component, its fonts and what it loads on demand
    keep=("es5/tex-mml-chtml.js", "es5/output/chtml/fonts/woff-v2", "es5/input/tex/extensions",
          "es5/ui", "es5/a11y", "es5/sre", "LICENSE", "package.json"),
    licence="Apache-2.0")
PACKAGES = (PYODIDE, CHARTJS, MATHJAX)
#: Not shipped with the site: the accessibility rules the browser tests run on every page
#: (tests/test_accessibility_browser.py). The build fetches it with the others, so that the
#: tests, which may not reach the network, find it in the cache.
AXE_CORE = NpmPackage(
    "axe-core", "4.14.1",
    "sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ==",
    keep=("axe.min.js", "LICENSE", "package.json"), licence="MPL-2.0")


def cache_dir() -> Path:
    configured = os.environ.get("EC2VL_ASSET_CACHE")
    if configured:
        return Path(configured).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "ec2vslambda-book"


def sri(data: bytes) -> str:
    """The Subresource-Integrity form of a SHA-512 digest, as npm records it."""
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode("ascii")


def _download(package: NpmPackage, timeout_s: float = 120.0) -> bytes:
    try:
        with urllib.request.urlopen(package.tarball_url, timeout=timeout_s) as response:
            return response.read()
    except (urllib.error.URLError, OSError) as error:
        raise AssetError(
            f"could not download {package.label} from {package.tarball_url} ({error}). The "
            "first build fetches the site's browser assets from the npm registry once and "
            f"caches them in {cache_dir()}; connect to the internet (or copy that folder from a "
            "machine that has built the book) and build again.") from None


def _wanted(member: str, keep: tuple[str, ...]) -> str | None:
    path = PurePosixPath(member)
    if not path.parts or path.parts[0] != "package":
        return None
    inner = PurePosixPath(*path.parts[1:])
    text = str(inner)
    if ".." in inner.parts:
        return None
    return text if any(text == k or text.startswith(k.rstrip("/") + "/") for k in keep) else None


def ensure(package: NpmPackage) -> Path:
    """The folder holding ``package``'s kept files, fetching and verifying it if needed."""
    target = cache_dir() / "npm" / f"{package.name.replace('/', '__')}-{package.version}"
    stamp = target / ".integrity"
    if stamp.is_file() and stamp.read_text(encoding="ascii").strip() == package.integrity:
        return target
    data = _download(package)
    if (found := sri(data)) != package.integrity:
        raise AssetError(f"{package.label} from {package.tarball_url} failed its integrity "
                         f"check: expected {package.integrity}, got {found}. Nothing was "
                         "unpacked; check the pin in _ext/live_calculators/assets.py.")
    staging = target.with_name(target.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        for member in archive.getmembers():
            inner = _wanted(member.name, package.keep)
            if inner is None or not member.isfile():
                continue
            out = staging / inner
            out.parent.mkdir(parents=True, exist_ok=True)
            source = archive.extractfile(member)
            assert source is not None
            out.write_bytes(source.read())
            if inner in package.executable:
                out.chmod(0o755)
    missing = [k for k in package.keep if not (staging / k).exists()]
    if missing:
        raise AssetError(f"{package.label} has no {', '.join(missing)}; check the pin in "
                         "_ext/live_calculators/assets.py")
    (staging / ".integrity").write_text(package.integrity + "\n", encoding="ascii")
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)
    return target


def mark_immutable(path: Path) -> None:
    """Give a file whose content never changes under its name npm's old timestamp."""
    os.utime(path, (NPM_MTIME, NPM_MTIME))


def copy_tree(source: Path, destination: Path) -> int:
    """Copy ``source`` into ``destination`` (files only, no dot-files), marked immutable;
    return bytes copied."""
    copied = 0
    for path in sorted(source.rglob("*")):
        if path.is_dir() or path.name.startswith("."):
            continue
        out = destination / path.relative_to(source)
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, out)
        mark_immutable(out)
        copied += path.stat().st_size
    return copied
