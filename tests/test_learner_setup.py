"""The learner's one-command install, and a Makefile without POSIX-only commands.

``make wheel-check`` (tools/check_wheel.py) installs requirements-learner.txt for real and runs
every notebook with it; these tests check, in a second, what that file and the Makefile must
say.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import check_wheel  # noqa: E402
import colab_setup  # noqa: E402

LEARNER = ROOT / "requirements-learner.txt"


def pins(path: Path) -> dict[str, str]:
    """``name==version`` lines of a requirements file, by lower-case bare name."""
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" in line:
            name, version = line.split("==", 1)
            found[name.split("[", 1)[0].strip().lower()] = version.strip()
    return found


def test_the_learner_pins_are_the_books_pins():
    learner, book = pins(LEARNER), pins(ROOT / "requirements.txt")
    assert learner, "requirements-learner.txt pins nothing"
    different = {n: (v, book.get(n)) for n, v in learner.items() if book.get(n) != v}
    assert not different, f"pinned differently from requirements.txt: {different}"


def test_the_learner_file_installs_the_course_with_every_extra_a_notebook_needs():
    lines = [line.strip() for line in LEARNER.read_text(encoding="utf-8").splitlines()]
    local = [line for line in lines if check_wheel.LOCAL_PACKAGE.match(line)]
    assert len(local) == 1, "one line installs the course folder, e.g. .[labs,trace]"
    extras = set(re.findall(r"[\w]+", local[0]))
    needed = {e for p in colab_setup.notebooks()
              for e in colab_setup.extras_needed(nbformat.read(p, as_version=4))}
    assert needed <= extras, f"notebooks need extras {sorted(needed - extras)} it does not install"
    assert "jupyterlab" in pins(LEARNER) and "ipykernel" in pins(LEARNER)


def test_the_learner_file_holds_nothing_of_the_books_build_or_tests():
    learner = pins(LEARNER)
    for name in ("jupyter-book", "myst-nb", "sphinx", "pytest", "playwright", "nbval", "ruff",
                 "cfn-lint", "nbdime"):
        assert name not in learner, f"{name} is for authors, not learners"


def test_the_wheel_check_puts_the_wheel_where_the_course_folder_was(tmp_path):
    wheel = tmp_path / "ec2vslambda-0.1.0-py3-none-any.whl"
    text = check_wheel.learner_requirements(wheel)
    assert f"{wheel}[labs,trace]" in text.splitlines()
    assert text.count("==") == LEARNER.read_text(encoding="utf-8").count("==")
    broken = tmp_path / "r.txt"
    broken.write_text("numpy==1\n")
    with pytest.raises(SystemExit, match="expected one line installing the course folder"):
        check_wheel.learner_requirements(wheel, broken)


# --- the Makefile runs without POSIX-only commands -----------------------------------------------

MAKEFILE = (ROOT / "Makefile").read_text(encoding="utf-8")


def _recipes() -> list[str]:
    return [line for line in MAKEFILE.splitlines() if line.startswith("\t")]


def test_the_makefile_names_the_venv_folder_only_where_it_chooses_it():
    assert ".venv/bin" not in "\n".join(_recipes())
    assert re.search(r"ifeq \(\$\(OS\),Windows_NT\)\nPYTHON \?= python\nPY +:= "
                     r"\$\(VENV\)\\Scripts\\python\.exe", MAKEFILE)


@pytest.mark.parametrize("posix_only", [r"\bdate \+", r"\bawk ", r"\btouch ", r"\brm -rf\b",
                                        r"\btest -f\b", r"\$\$\("])
def test_the_makefile_recipes_use_no_posix_only_commands(posix_only):
    offending = [line.strip() for line in _recipes() if re.search(posix_only, line)]
    assert not offending, f"{posix_only!r} does not exist on native Windows: {offending}"


def test_make_picks_the_scripts_folder_on_windows():
    made = subprocess.run(["make", "-n", "OS=Windows_NT", "lint", "book"], cwd=ROOT,
                          capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    assert ".venv\\Scripts\\python.exe -m ruff check ." in made.stdout
    assert ".venv\\Scripts\\jupyter-book.exe build --all -W -n" in made.stdout
    assert ".venv/bin" not in made.stdout


def test_timed_prints_the_stage_and_keeps_the_commands_status():
    ok = subprocess.run([sys.executable, "tools/timed.py", "a stage", sys.executable, "-c",
                         "print('hi')"], cwd=ROOT, capture_output=True, text=True)
    assert ok.returncode == 0
    assert re.fullmatch(r"== a stage\nhi\n== a stage: \d+\.\d s\n", ok.stdout)
    failed = subprocess.run([sys.executable, "tools/timed.py", "broken", sys.executable, "-c",
                             "raise SystemExit(3)"], cwd=ROOT, capture_output=True, text=True)
    assert failed.returncode == 3 and failed.stdout == "== broken\n"
