"""Shared test fixtures. Keep each one small and self-contained; other helpers add theirs here."""

from __future__ import annotations

import ipaddress
import os
import shutil
import socket
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

import pytest

from tests import site_check

# --- network guard --------------------------------------------------------------------------
# The book promises that nothing talks to any host but this machine. Every test runs with
# connect() refusing non-loopback addresses; an attempt also fails the run at the end, even if the
# code under test swallowed the error. Local Unix sockets and pipes (Chromium's, the kernels')
# are untouched.

_LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}


def _is_local(address: object) -> bool:
    if isinstance(address, (str, bytes)):  # AF_UNIX path
        return True
    if not isinstance(address, tuple) or not address:
        return False
    host = address[0]
    if isinstance(host, bytes):
        host = host.decode()
    if host in _LOCAL_NAMES:
        return True
    try:
        ip = ipaddress.ip_address(host.split("%")[0])
    except ValueError:
        return False  # an unresolved name that is not localhost
    mapped = getattr(ip, "ipv4_mapped", None)
    return ip.is_loopback or bool(mapped and mapped.is_loopback)


class NetworkBlocked(RuntimeError):
    """A test tried to connect to a host other than this machine."""


@pytest.fixture(scope="session", autouse=True)
def _only_loopback_network():
    attempts: list[str] = []
    connect, connect_ex = socket.socket.connect, socket.socket.connect_ex
    create_connection = socket.create_connection

    def refuse(address: object) -> None:
        attempts.append(repr(address))
        raise NetworkBlocked(f"tests may only connect to loopback; tried {address!r}")

    def guarded_connect(self, address):
        if self.family != socket.AF_UNIX and not _is_local(address):
            refuse(address)
        return connect(self, address)

    def guarded_connect_ex(self, address):
        if self.family != socket.AF_UNIX and not _is_local(address):
            refuse(address)
        return connect_ex(self, address)

    def guarded_create_connection(address, *args, **kwargs):
        if not _is_local(address):  # before any DNS lookup of the name
            refuse(address)
        return create_connection(address, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socket.socket, "connect", guarded_connect)
        patch.setattr(socket.socket, "connect_ex", guarded_connect_ex)
        patch.setattr(socket, "create_connection", guarded_create_connection)
        yield attempts
    if attempts:
        pytest.fail(f"the test run tried to reach the network: {', '.join(attempts)}",
                    pytrace=False)


# --- a private S3/SQS on loopback -----------------------------------------------------------

@pytest.fixture(scope="module")
def local_aws_server():
    """moto's S3/SQS server on 127.0.0.1, with boto3's environment pointed at it (per module)."""
    from ec2vslambda.localaws import local_aws

    with local_aws() as server:
        yield server


# --- the built site in Chromium (tests/test_site_browser.py, tests/test_live_browser.py) ------

BOOK_ROOT = Path(__file__).resolve().parent.parent
HTML_DIR = Path(os.environ.get("BOOK_HTML_DIR") or BOOK_ROOT / "_build" / "html")
SCREENSHOTS = BOOK_ROOT / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 1280, "height": 800}


def _unavailable(reason: str):
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (REQUIRE_BROWSER=1: the browser tests must run)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def site_url():
    """The built site, served on 127.0.0.1 and a free port for the whole session."""
    if not (HTML_DIR / "index.html").exists():
        _unavailable(f"no built site at {HTML_DIR}: build the book first (`make test` does; or "
                     "set BOOK_HTML_DIR to a built _build/html)")
    # the book's own server (tools/serve.py), compressed as `make serve` and a static host are
    from tools import serve

    with tempfile.TemporaryDirectory(prefix="site-cache-") as cache:
        server = serve.make_server(HTML_DIR, cache_dir=Path(cache), quiet=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        yield f"http://127.0.0.1:{server.server_address[1]}/"
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def browser():
    chromium = shutil.which("chromium")
    if not chromium:
        _unavailable("Chromium is not installed: `apt-get install -y chromium` (Debian package; "
                     "never `playwright install`)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - playwright is pinned in requirements.txt
        _unavailable("the playwright Python package is not installed (requirements.txt)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class Visit:
    docname: str
    url: str
    status: int | None
    title: str
    facts: site_check.PageFacts
    missing: list[str] = field(default_factory=list)  # local requests that failed
    external_blocked: int = 0
    screenshot: Path | None = None


@pytest.fixture(scope="session")
def visit(browser, site_url):
    """visit(docname) -> Visit; each page is loaded once per session, whatever asks first."""
    cache: dict[str, Visit] = {}

    def load(docname: str) -> Visit:
        if docname in cache:
            return cache[docname]
        url = urljoin(site_url, site_check.html_name(docname))
        context = browser.new_context(viewport=VIEWPORT)
        page = context.new_page()
        missing: list[str] = []
        blocked = [0]

        def route(route):
            if site_check.is_local(route.request.url, site_url):
                route.continue_()
            else:  # a CDN: unreachable offline, and not this site's business
                blocked[0] += 1
                route.abort()

        page.route("**/*", route)
        page.on("response", lambda r: r.status >= 400 and site_check.is_local(r.url, site_url)
                and missing.append(f"HTTP {r.status}: {r.url}"))
        page.on("requestfailed", lambda r: site_check.is_local(r.url, site_url)
                and missing.append(f"failed ({r.failure}): {r.url}"))
        response = page.goto(url, wait_until="load", timeout=30_000)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shot = SCREENSHOTS / (docname.replace("/", "__") + ".png")
        page.screenshot(path=str(shot))
        cache[docname] = Visit(docname=docname, url=url,
                               status=response.status if response else None, title=page.title(),
                               facts=site_check.page_facts(page.content()), missing=missing,
                               external_blocked=blocked[0], screenshot=shot)
        context.close()
        return cache[docname]

    return load


