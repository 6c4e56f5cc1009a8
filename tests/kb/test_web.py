"""`kb serve` in a real headless browser: search, an item page with links both ways, the graph."""

from __future__ import annotations

import shutil
import subprocess
import threading

import pytest

from axiomatic.kb.web import make_server

from .conftest import verified

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture
def site(kb):
    kb.add_theorem(verified("∀ xs : List Nat, xs.reverse.length = xs.length", "by simp"), name="rev_len",
                   informal="reversing keeps the length")
    kb.add_theorem(verified("∀ xs : List Nat, (xs.reverse ++ xs).length = 2 * xs.length",
                            "by intro xs; simp [rev_len]; omega", uses=("rev_len",)), name="double_len")
    server = make_server(kb.path, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def dom(url: str, tmp_path) -> str:
    out = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", url],
        capture_output=True, text=True, timeout=90,
    )
    assert out.returncode == 0, out.stderr[-1000:]
    return out.stdout


@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")
def test_pages_render_in_a_real_browser(site, tmp_path):
    home = dom(site + "/", tmp_path)
    assert "double_len" in home and "rev_len" in home
    found = dom(site + "/?q=reversing+length", tmp_path)
    assert "rev_len" in found and "nothing found" not in found
    item = dom(site + "/item/double_len", tmp_path)
    assert 'href="/item/rev_len"' in item and "simp [rev_len]" in item
    used = dom(site + "/item/rev_len", tmp_path)
    assert 'id="used-by"' in used and 'href="/item/double_len"' in used
    graph = dom(site + "/graph", tmp_path)
    assert "<svg" in graph and "double_len" in graph and "<line" in graph
    missing = dom(site + "/?q=zzzzqqq", tmp_path)
    assert "nothing found" in missing
