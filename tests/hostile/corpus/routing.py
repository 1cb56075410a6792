"""Routing server answers of the corpus: a real HTTP server on loopback that answers the OSRM
table service with what each case asks for (``{osrm}/<case>/table/v1/...``)."""

from __future__ import annotations

import json
import threading
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.hostile.corpus.cases import Case


def _matrix(rows: int, cols: int, value) -> list[list]:
    return [[value(i, j) for j in range(cols)] for i in range(rows)]


def _ok(rows: int, cols: int, distance=None, duration=None) -> dict:
    return {"code": "Ok",
            "distances": _matrix(rows, cols, distance or (lambda i, j: 1000.0 * (1 + abs(i - j)))),
            "durations": _matrix(rows, cols, duration or (lambda i, j: 60.0 * (1 + abs(i - j))))}


# case name -> (HTTP status, body maker(rows, cols) -> bytes)
ANSWERS: dict[str, tuple[int, Callable[[int, int], bytes]]] = {
    "valid": (200, lambda r, c: json.dumps(_ok(r, c)).encode()),
    "all-null": (200, lambda r, c: json.dumps(_ok(r, c, lambda i, j: None, lambda i, j: None)).encode()),
    "json-list": (200, lambda r, c: b"[[1, 2], [3, 4]]"),
    "json-string": (200, lambda r, c: b'"Ok"'),
    "strings": (200, lambda r, c: json.dumps(_ok(r, c, lambda i, j: "12")).encode()),
    "negative": (200, lambda r, c: json.dumps(_ok(r, c, lambda i, j: -1000.0)).encode()),
    "negative-duration": (200, lambda r, c: json.dumps(_ok(r, c, None, lambda i, j: -5)).encode()),
    "huge": (200, lambda r, c: json.dumps(_ok(r, c, lambda i, j: 1e308)).encode()),
    "nan": (200, lambda r, c: json.dumps(_ok(r, c, lambda i, j: float("nan"))).encode()),
    "booleans": (200, lambda r, c: json.dumps(_ok(r, c, lambda i, j: True)).encode()),
    "nested": (200, lambda r, c: json.dumps(_ok(r, c, lambda i, j: [1])).encode()),
    "short-rows": (200, lambda r, c: json.dumps(_ok(max(1, r - 1), c)).encode()),
    "ragged": (200, lambda r, c: json.dumps({**_ok(r, c), "durations": [[1.0]] * r}).encode()),
    "no-distances": (200, lambda r, c: json.dumps({"code": "Ok", "durations": _matrix(r, c, lambda i, j: 1.0)}).encode()),
    "distances-object": (200, lambda r, c: json.dumps({**_ok(r, c), "distances": {"a": 1}}).encode()),
    "code-error": (200, lambda r, c: json.dumps({"code": "TooBig", "message": "Too many table coordinates"}).encode()),
    "no-code": (200, lambda r, c: json.dumps({"distances": [], "durations": []}).encode()),
    "html": (200, lambda r, c: b"<html><body>Bienvenue</body></html>"),
    "empty": (200, lambda r, c: b""),
    "latin1": (200, lambda r, c: "réponse".encode("latin-1")),
    "http-500": (500, lambda r, c: b"Internal Server Error"),
    "http-404": (404, lambda r, c: b"not found"),
}


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        url = urllib.parse.urlsplit(self.path)
        name = url.path.strip("/").split("/")[0]
        query = urllib.parse.parse_qs(url.query)
        rows = len(query.get("sources", [""])[0].split(";"))
        cols = len(query.get("destinations", [""])[0].split(";"))
        status, body = ANSWERS.get(name, (404, lambda r, c: b""))
        data = body(rows, cols)
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *_args) -> None:
        pass


@contextmanager
def routing_server() -> Iterator[str]:
    """The base address of a fake OSRM server on loopback, for the time of the block."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


# A small territory (an EPCI of 9 communes of the Cher): one table request a side.
TERRITORY = ("--territory", "epci:241800457")


def routed(case_id: str, answer: str, code: int, *messages: str, extra_toml: str = "", files: dict | None = None) -> Case:
    toml = f'[travel]\nosrm_url = "{{osrm}}/{answer}"\ncache_dir = "{{tmp}}/cache"\n{extra_toml}'
    return Case(f"routing-{case_id}", "routing", ("territory", *TERRITORY, "--params", "{tmp}/p.toml"), code, messages,
                {"p.toml": toml.encode(), **(files or {})})


BAD = "p.toml:travel.osrm_url: « {osrm}/"
ROUTING_CASES = [
    routed("valid", "valid", 0, "Communes"),
    routed("all-null-falls-back", "all-null", 0, "Communes"),
    routed("json-list", "json-list", 2, "réponse inattendue : objet JSON attendu, reçu list"),
    routed("json-string", "json-string", 2, "réponse inattendue : objet JSON attendu, reçu str"),
    routed("strings", "strings", 2, "distances[0][0] = '12' (attendu : un nombre entre 0 et 5e+06)"),
    routed("negative", "negative", 2, "distances[0][0] = '-1000.0' (attendu : un nombre entre 0"),
    routed("negative-duration", "negative-duration", 2, "durations[0][0] = '-5'"),
    routed("huge", "huge", 2, "distances[0][0] = '1e+308'"),
    routed("nan", "nan", 2, "distances[0][0] = 'nan'"),
    routed("booleans", "booleans", 2, "distances[0][0] = 'True'"),
    routed("nested", "nested", 2, "distances[0][0] = '[1]'"),
    routed("short-rows", "short-rows", 2, "« distances » doit être une matrice"),
    routed("ragged", "ragged", 2, "« durations » doit être une matrice"),
    routed("no-distances", "no-distances", 2, "« distances » doit être une matrice"),
    routed("distances-object", "distances-object", 2, "« distances » doit être une matrice"),
    routed("code-error", "code-error", 2, "réponse TooBig Too many table coordinates"),
    routed("no-code", "no-code", 2, "réponse None"),
    routed("html", "html", 2, "réponse illisible : ce n'est pas du JSON"),
    routed("empty", "empty", 2, "réponse illisible : ce n'est pas du JSON"),
    routed("latin1", "latin1", 2, "réponse illisible : ce n'est pas du JSON"),
    routed("http-500", "http-500", 2, "le serveur répond « 500 Internal Server Error »"),
    routed("http-404", "http-404", 2, "le serveur répond « 404 Not Found »"),
    Case("routing-unreachable", "routing", ("territory", *TERRITORY, "--params", "{tmp}/p.toml"), 2,
         ("p.toml:travel.osrm_url: « http://127.0.0.1:9 » injoignable",),
         {"p.toml": b'[travel]\nosrm_url = "http://127.0.0.1:9"\ncache_dir = "{tmp}/cache"\n'}),
    routed("cache-unwritable", "valid", 0, "Attention : cache de distances non écrit", "Communes",
           extra_toml="", files={"cache": b"a file where the cache folder should be"}),
]
