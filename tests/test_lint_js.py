"""The JavaScript linter that ``make lint`` runs (``tools/lint_js.py``: Biome, a pinned binary).

``make lint`` runs before pytest in ``make test`` and fetches the binary into the asset cache
once; here the network is closed, so without that cache the linting tests are skipped.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import BOOK_ROOT

sys.path.insert(0, str(BOOK_ROOT / "tools"))
import lint_js  # noqa: E402


def test_every_javascript_file_in_git_is_linted():
    listed = subprocess.run(["git", "ls-files", "*.js", "*.mjs", "*.cjs"], cwd=BOOK_ROOT,
                            capture_output=True, text=True, check=True).stdout.split()
    linted = {str(p.relative_to(BOOK_ROOT)) for p in lint_js.project_files()}
    assert set(listed) <= linted
    assert "_ext/live_calculators/browser/worker.mjs" in linted
    assert "_ext/live_calculators/static/live/main.mjs" in linted
    assert not any(part in lint_js.SKIP for p in linted for part in p.split("/"))


def test_the_pin_covers_this_machine_and_names_its_package():
    package = lint_js.biome_package()
    assert package.name.startswith("@biomejs/cli-") and package.version == lint_js.VERSION
    assert package.integrity.startswith("sha512-") and package.executable == ("biome",)


@pytest.fixture(scope="module")
def biome_cached():
    from live_calculators import assets

    package = lint_js.biome_package()
    folder = assets.cache_dir() / "npm" / f"{package.name.replace('/', '__')}-{package.version}"
    if not (folder / "biome").is_file():
        pytest.skip(f"Biome is not in {folder}: run `make lint` once (it fetches it)")


def test_a_mistake_fails_the_lint_and_is_named(biome_cached, tmp_path):
    bad = tmp_path / "bad.mjs"
    bad.write_text("const unused = 1;\nexport function f(a) {\n  return a == notDeclared;\n}\n",
                   encoding="utf-8")
    result = lint_js.lint([bad])
    report = result.stdout + result.stderr
    assert result.returncode != 0
    for rule in ("noUnusedVariables", "noUndeclaredVariables", "noDoubleEquals"):
        assert rule in report, report


def test_clean_code_passes(biome_cached, tmp_path):
    good = tmp_path / "good.mjs"
    good.write_text("export function f(a) {\n  return a + 1;\n}\n", encoding="utf-8")
    result = lint_js.lint([good])
    assert result.returncode == 0, result.stdout + result.stderr
