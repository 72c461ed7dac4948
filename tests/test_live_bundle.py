"""The package bundle the browser unpacks (``_ext/live_calculators/bundle.py``) is enough.

The bundle holds only the modules the live calculators import. Unpacked into a folder, as the
worker does, it is the only copy of the package a fresh CPython can see (``-I -S``: no site
packages, no checkout on the path): every live calculator must compute its default result, and
answer a refused value with the reader's sentence, exactly as with the whole package. The
traffic samples, which the worker writes beside the package when a reader asks for one, are put
there as it would.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
import zipfile

from ec2vslambda import live
from ec2vslambda.live import adapter
from tests.conftest import BOOK_ROOT

sys.path.insert(0, str(BOOK_ROOT / "_ext"))

from live_calculators.bundle import browser_modules, bundle_bytes  # noqa: E402

RUN = r"""
import json, sys
sys.path.insert(0, sys.argv[1])
from ec2vslambda import live
from ec2vslambda.live import adapter
replies = {}
for name in live.names():
    replies[name] = [json.loads(adapter.compute_json(name, "{}")),
                     json.loads(adapter.compute_json(name, json.dumps(
                         {live.calculator(name).fields[0].key: "abc"})))]
outside = sorted(m.__file__ for m in list(sys.modules.values())
                 if m.__name__.startswith("ec2vslambda")
                 and not m.__file__.startswith(sys.argv[1]))
print(json.dumps({"replies": replies, "outside": outside}))
"""


def test_every_live_calculator_runs_from_the_bundle_alone(tmp_path):
    zipfile.ZipFile(io.BytesIO(bundle_bytes())).extractall(tmp_path)
    shutil.copytree(BOOK_ROOT / "data" / "traffic", tmp_path / "ec2vslambda" / "_data" / "traffic")
    done = subprocess.run([sys.executable, "-I", "-S", "-c", RUN, str(tmp_path)],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    found = json.loads(done.stdout)
    assert found["outside"] == [], "the package came from somewhere other than the bundle"
    for name in live.names():
        default, refused = found["replies"][name]
        assert default == json.loads(json.dumps({"result": live.compute(name)})), name
        key = live.calculator(name).fields[0].key
        assert refused == json.loads(json.dumps(adapter.reply(name, {key: "abc"}))), name


def test_the_bundle_leaves_out_what_the_browser_never_runs():
    names = set(zipfile.ZipFile(io.BytesIO(bundle_bytes())).namelist())
    modules = browser_modules()
    assert "ec2vslambda.live.adapter" in modules
    assert "ec2vslambda.traffic.report" in modules  # the workload report runs in the page
    # the command line, the local AWS stand-ins, the workshop's tools: never in a page
    assert not any(m.startswith(("ec2vslambda.cli", "ec2vslambda.localaws",
                                 "ec2vslambda.workshop", "ec2vslambda.widgets"))
                   for m in modules)
    assert "ec2vslambda/localaws.py" not in names and "ec2vslambda/cli.py" not in names
    for name in live.MODULES.values():
        assert f"ec2vslambda/live/{name}.py" in names
