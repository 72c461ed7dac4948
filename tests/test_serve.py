"""``make serve``'s server (``tools/serve.py``): compressed like a static host, on loopback."""

from __future__ import annotations

import gzip
import http.client
import threading

import brotli
import pytest

from tools import serve


@pytest.fixture()
def site(tmp_path):
    root = tmp_path / "html"
    (root / "_live").mkdir(parents=True)
    (root / "index.html").write_text("<p>" + "hello " * 400 + "</p>", encoding="utf-8")
    (root / "_live" / "runtime.wasm").write_bytes(b"\0asm" + bytes(range(256)) * 40)
    (root / "_live" / "bundle.zip").write_bytes(b"PK" + bytes(5000))
    (root / "small.css").write_text("p{}", encoding="utf-8")
    server = serve.make_server(root, cache_dir=tmp_path / "cache", quiet=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield root, server.server_address[1], tmp_path / "cache"
    server.shutdown()
    server.server_close()


def _get(port: int, path: str, **headers):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response, body


def test_text_and_wasm_go_out_compressed_and_decode_to_the_file(site):
    root, port, cache = site
    response, body = _get(port, "/", **{"Accept-Encoding": "gzip, deflate, br"})
    assert response.status == 200 and response.getheader("Content-Encoding") == "br"
    assert brotli.decompress(body) == (root / "index.html").read_bytes()
    assert response.getheader("Vary") == "Accept-Encoding"
    response, body = _get(port, "/_live/runtime.wasm", **{"Accept-Encoding": "gzip"})
    assert response.getheader("Content-Encoding") == "gzip"
    assert response.getheader("Content-Type") == "application/wasm"
    assert gzip.decompress(body) == (root / "_live" / "runtime.wasm").read_bytes()
    assert len(body) < (root / "_live" / "runtime.wasm").stat().st_size
    assert len(list(cache.iterdir())) == 2  # one compressed copy per file and encoding


def test_compressed_files_zips_and_tiny_files_go_out_as_they_are(site):
    root, port, _cache = site
    for path in ("/_live/bundle.zip", "/small.css"):
        response, body = _get(port, path, **{"Accept-Encoding": "gzip, br"})
        assert response.getheader("Content-Encoding") is None
        assert body == (root / path.lstrip("/")).read_bytes()
    response, body = _get(port, "/index.html")  # a client that accepts no encoding
    assert response.getheader("Content-Encoding") is None
    assert body == (root / "index.html").read_bytes()


def test_a_refused_encoding_is_not_sent():
    assert serve.accepted("gzip;q=0, br") == ["br"]
    assert serve.accepted("identity") == []
    assert serve.accepted(None) == []


def test_revalidation_answers_not_modified(site):
    _root, port, _cache = site
    first, _body = _get(port, "/", **{"Accept-Encoding": "gzip"})
    etag = first.getheader("ETag")
    again, body = _get(port, "/", **{"Accept-Encoding": "gzip", "If-None-Match": etag})
    assert again.status == 304 and body == b""
    since, _body = _get(port, "/", **{"If-Modified-Since": first.getheader("Last-Modified")})
    assert since.status == 304
    changed, _body = _get(port, "/", **{"Accept-Encoding": "br", "If-None-Match": etag})
    assert changed.status == 200, "another encoding is another representation"


def test_a_rebuilt_file_is_compressed_again(site):
    root, port, _cache = site
    _get(port, "/", **{"Accept-Encoding": "gzip"})
    (root / "index.html").write_text("<p>" + "changed " * 300 + "</p>", encoding="utf-8")
    _response, body = _get(port, "/", **{"Accept-Encoding": "gzip"})
    assert gzip.decompress(body) == (root / "index.html").read_bytes()


def test_it_listens_on_loopback_unless_told_otherwise(tmp_path):
    (tmp_path / "index.html").write_text("x", encoding="utf-8")
    server = serve.make_server(tmp_path, cache_dir=tmp_path / "c", quiet=True)
    try:
        assert server.server_address[0] == "127.0.0.1"
    finally:
        server.server_close()
    assert serve.main(["--directory", str(tmp_path / "missing")]) == 1
