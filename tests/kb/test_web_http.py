"""`axiomatic kb serve` over real HTTP: every page as HTML and as JSON from the same route, the Lean block as
text, clear errors, nothing outside the package's static files served, the store left unchanged."""

from __future__ import annotations

import json
import re
import socket
import sqlite3
import urllib.error
import urllib.parse
import urllib.request

import pytest

from axiomatic.kb import KnowledgeBase

from ..conftest import run_cli
from .conftest import verified
from .web_library import generate
from .web_serve import serving


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    path = tmp_path_factory.mktemp("site") / "kb.sqlite"
    with KnowledgeBase(path) as kb:
        made = generate(kb, 120)
        kb.add_theorem(verified("∀ n : Nat, n + 0 = n", "fun n => rfl"), name="base")
        kb.add_theorem(verified("∀ n : Nat, 0 + n + 0 = n", "by intro n; (try simp only [base]); omega"),
                       name="no_kernel_use", informal="<script>alert(1)</script> is text, not markup")
    with serving(path) as url:
        yield url, made, path


def get(url: str, accept: str = "text/html", method: str = "GET"):
    request = urllib.request.Request(url, headers={"Accept": accept}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as r:
            return r.status, r.headers.get("Content-Type", ""), r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type", ""), e.read().decode()


@pytest.mark.parametrize("path", ["/", "/graph", "/items", "/item/base", "/conjecture/1", "/frontier", "/history",
                                  "/search?q=lemma"])
def test_every_page_is_html_and_the_same_route_is_json(site, path):
    url, _, _ = site
    status, kind, html = get(url + path)
    assert status == 200 and kind.startswith("text/html") and "<main>" in html
    status, kind, body = get(url + path, accept="application/json")
    assert status == 200 and kind.startswith("application/json")
    by_header = json.loads(body)
    base, _, query = path.partition("?")
    status, _, body = get(url + (base.rstrip("/") or "") + ".json" + ("?" + query if query else "")
                          if base != "/" else url + "/.json")
    assert status == 200 and json.loads(body) == by_header


def test_json_documents_carry_the_data(site):
    url, made, _ = site
    graph = json.loads(get(url + "/graph.json")[2])
    assert graph["total"] == graph["drawn"] == len(graph["nodes"]) > 120
    assert {"x", "y", "layer", "status", "url"} <= set(graph["nodes"][0])
    item = json.loads(get(url + "/item/no_kernel_use.json")[2])
    assert [(u["name"], u["kind"]) for u in item["uses"] if u["internal"]] == [("base", "text")]
    assert item["lean"].rstrip().endswith(")") and "theorem base" in item["lean"]
    narrowed = json.loads(get(url + "/graph.json?" + urllib.parse.urlencode(
        {"focus": made["theorem"][10], "depth": 1, "direction": "uses"}))[2])
    assert narrowed["query"]["focus"] == made["theorem"][10] and narrowed["drawn"] < graph["drawn"]
    found = json.loads(get(url + "/search.json?q=" + urllib.parse.quote(made["theorem"][3]))[2])
    assert found["hits"][0]["id"] == made["theorem"][3] and "name" in found["hits"][0]["matched"]
    assert json.loads(get(url + "/history.json")[2])["rounds"]
    assert json.loads(get(url + "/frontier.json")[2])["open"]


def test_the_lean_block_as_text(site):
    url, _, _ = site
    status, kind, text = get(url + "/item/no_kernel_use.lean")
    assert status == 200 and kind.startswith("text/plain")
    assert text.index("theorem base") < text.index("theorem no_kernel_use")


def test_errors_are_clear_and_in_the_format_asked(site):
    url, _, _ = site
    status, _, html = get(url + "/item/no_such_item")
    assert status == 404 and "no item named" in html
    status, kind, body = get(url + "/item/no_such_item.json")
    assert status == 404 and kind.startswith("application/json")
    assert json.loads(body)["message"] == "no item named 'no_such_item'"
    status, _, body = get(url + "/graph.json?name=(")
    assert status == 400 and "regular expression" in json.loads(body)["message"]
    status, _, body = get(url + "/graph?depth=many", accept="application/json")
    assert status == 400 and "whole number" in json.loads(body)["message"]
    assert get(url + "/graph", method="POST")[0] == 405
    status, _, body = get(url + "/graph", method="HEAD")
    assert status == 200 and body == ""


@pytest.mark.parametrize("path", ["/static/../app.py", "/static/%2e%2e/app.py", "/static/app.py",
                                  "/static/nothing.css", "/static/graph.js/x"])
def test_only_the_packaged_static_files_are_served(site, path):
    url, _, _ = site
    assert get(url + path)[0] == 404


def test_static_assets_come_from_the_package_and_nothing_from_elsewhere(site):
    url, _, _ = site
    for path in ("/", "/graph", "/item/base"):
        html = get(url + path)[2]
        links = re.findall(r'(?<![\w-])(?:src|href|action)="([^"]*)"', html)
        assert links and all(link.startswith(("/", "#", "url(#")) and not link.startswith("//") for link in links)
    status, kind, js = get(url + "/static/graph.js")
    assert status == 200 and kind.startswith("text/javascript") and "viewBox" in js


def test_stored_text_is_escaped(site):
    url, _, _ = site
    html = get(url + "/item/no_kernel_use")[2]
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_serving_changes_nothing_in_the_store(site):
    url, _, path = site

    def dump() -> str:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return "\n".join(conn.iterdump())
        finally:
            conn.close()

    before = dump()
    for p in ("/", "/graph", "/frontier", "/history", "/search?q=x", "/item/base", "/conjecture/2", "/items"):
        assert get(url + p)[0] == 200
    assert dump() == before


def test_kb_serve_refuses_a_port_in_use_and_a_file_that_is_not_a_knowledge_base(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        result = run_cli("kb", "serve", "--kb", str(tmp_path / "kb.sqlite"), "--port", str(taken.getsockname()[1]),
                         timeout=120)
    assert result.returncode == 2 and "cannot serve on 127.0.0.1:" in result.stderr
    notes = tmp_path / "notes.txt"
    notes.write_text("not a database", encoding="utf-8")
    result = run_cli("kb", "serve", "--kb", str(notes), "--port", "0", timeout=120)
    assert result.returncode == 2 and "not an SQLite database" in result.stderr
    assert notes.read_text(encoding="utf-8") == "not a database"
