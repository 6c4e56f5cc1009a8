"""The web pages in a real headless Chromium (driven over the DevTools protocol), served by a real
`axiomatic kb serve` process: the graph of a 500-item library, click-through, an item page whose Lean block the
trusted verifier accepts on its own, a conjecture that turns from open to proved."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request

import pytest

from axiomatic.conjecture.engine import Conjecture, prove_conjectures
from axiomatic.kb import KnowledgeBase, lean_context_for
from axiomatic.verify import Obligation, Verified, verify_batch

from ..chromium import Browser, find_chromium
from ..conftest import run_cli
from .web_library import generate
from .web_serve import serving

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(find_chromium() is None,
                       reason="chromium is not installed (apt-get install chromium; bin/test installs it in CI)"),
]

READABLE_PX = 10  # the height a label needs on screen to be read


@pytest.fixture(scope="module")
def browser():
    with Browser(1280, 800) as b:
        yield b


@pytest.fixture(scope="module")
def library_site(tmp_path_factory):
    path = tmp_path_factory.mktemp("library") / "kb.sqlite"
    with KnowledgeBase(path) as kb:
        made = generate(kb, 500)
    with serving(path) as url:
        yield url, made


def node_rects(browser: Browser) -> dict:
    return browser.evaluate("""(() => {
      const pane = document.getElementById('graph').getBoundingClientRect();
      const out = {};
      for (const n of document.querySelectorAll('#graph .node')) {
        const r = n.querySelector('rect').getBoundingClientRect(), t = n.querySelector('text').getBoundingClientRect();
        out[n.dataset.id] = {left: r.left, top: r.top, right: r.right, bottom: r.bottom, text: t.height,
          inside: r.left >= pane.left - 0.5 && r.right <= pane.right + 0.5 && r.top >= pane.top - 0.5
                  && r.bottom <= pane.bottom + 0.5};
      }
      return out;
    })()""")


def test_the_graph_of_500_items_fits_the_window_and_every_node_can_be_zoomed_to(browser, library_site, tmp_path):
    url, _ = library_site
    browser.goto(url + "/graph")
    browser.wait_for("window.axGraph")
    expected = json.loads(urllib.request.urlopen(url + "/graph.json", timeout=30).read())
    rects = node_rects(browser)
    assert len(rects) == expected["drawn"] == 530
    assert [n for n, r in rects.items() if not r["inside"]] == []  # the whole drawing on screen at first
    page = browser.evaluate("""(() => { const p = document.getElementById('graph').getBoundingClientRect();
      return {right: p.right, bottom: p.bottom, w: innerWidth, h: innerHeight,
              sw: document.documentElement.scrollWidth, sh: document.documentElement.scrollHeight}; })()""")
    assert page["right"] <= page["w"] and page["bottom"] <= page["h"]
    assert page["sw"] <= page["w"] and page["sh"] <= page["h"]  # nothing off to the side to scroll to

    legend = browser.evaluate("""[...document.querySelectorAll('#legend li[data-status]')].map(li => {
      const node = document.querySelector('#graph .node.s-' + li.dataset.status + ' rect');
      const box = li.getBoundingClientRect();
      return {status: li.dataset.status, label: li.querySelector('.label').textContent,
              n: Number(li.querySelector('.n').textContent), swatch: getComputedStyle(li.querySelector('rect')).fill,
              node: node ? getComputedStyle(node).fill : null, visible: box.height > 0 && box.bottom <= innerHeight};
    })""")
    assert [entry["status"] for entry in legend] == list(expected["status_counts"])
    for entry in legend:
        assert entry["visible"] and entry["n"] == expected["status_counts"][entry["status"]]
        assert entry["swatch"] == entry["node"]  # the legend's colour is the nodes' colour
    assert len({entry["swatch"] for entry in legend}) == 6

    # every node: zoomed to, it lies inside the pane and its label is readable
    report = browser.evaluate(f"""(() => {{
      const pane = document.getElementById('graph').getBoundingClientRect(), bad = [];
      let smallest = Infinity;
      for (const n of document.querySelectorAll('#graph .node')) {{
        axGraph.zoomTo(n.dataset.id);
        const r = n.querySelector('rect').getBoundingClientRect(), t = n.querySelector('text').getBoundingClientRect();
        smallest = Math.min(smallest, t.height);
        if (r.left < pane.left || r.right > pane.right || r.top < pane.top || r.bottom > pane.bottom
            || t.height < {READABLE_PX}) bad.push(n.dataset.id);
      }}
      axGraph.fit();
      return {{bad, smallest}};
    }})()""")
    assert report["bad"] == [] and report["smallest"] >= READABLE_PX
    browser.screenshot(tmp_path / "graph.png")


def test_wheel_zooms_around_the_pointer_and_drag_pans(browser, library_site):
    url, _ = library_site
    browser.goto(url + "/graph")
    browser.wait_for("window.axGraph")
    rects = node_rects(browser)
    corner = min(rects, key=lambda n: rects[n]["left"] + rects[n]["top"])  # the hardest to reach: top left
    r = rects[corner]
    x, y = (r["left"] + r["right"]) / 2, (r["top"] + r["bottom"]) / 2
    steps = 0
    while node_rects(browser)[corner]["text"] < READABLE_PX + 4:
        browser.wheel(x, y, -120)
        steps += 1
        assert steps <= 25, "the wheel does not zoom in far enough to read a label"
    after = node_rects(browser)[corner]
    assert after["left"] <= x <= after["right"] and after["top"] <= y <= after["bottom"]  # still under the pointer
    before = browser.evaluate("axGraph.viewBox()")
    browser.drag(640, 500, 840, 450)
    moved = browser.evaluate("axGraph.viewBox()")
    scale = before["w"] / browser.evaluate("document.getElementById('graph').clientWidth")
    assert moved["x"] == pytest.approx(before["x"] - 200 * scale, rel=0.05)
    assert moved["y"] == pytest.approx(before["y"] + 50 * scale, rel=0.05)
    assert browser.evaluate("location.pathname") == "/graph"  # a drag that ends on a node does not open it


def test_clicking_a_node_opens_its_page(browser, library_site):
    url, made = library_site
    target = made["theorem"][200]
    browser.goto(url + "/graph")
    browser.wait_for("window.axGraph")
    assert browser.evaluate(f"axGraph.zoomTo({json.dumps(target)})")
    r = node_rects(browser)[target]
    browser.click((r["left"] + r["right"]) / 2, (r["top"] + r["bottom"]) / 2)
    browser.wait_for(f"location.pathname === {json.dumps('/item/' + urllib.parse.quote(target, safe=''))}")
    browser.wait_for("document.readyState === 'complete'")
    assert browser.evaluate("document.querySelector('h1').textContent") == target


def test_the_neighbourhood_view_keeps_thousands_readable(browser, library_site):
    url, made = library_site
    focus = made["theorem"][150]
    browser.goto(url + "/graph?" + urllib.parse.urlencode({"focus": focus, "depth": 1}))
    browser.wait_for("window.axGraph")
    rects = node_rects(browser)
    assert focus in rects and len(rects) < 40
    assert min(r["text"] for r in rects.values()) >= READABLE_PX  # a small neighbourhood is readable as drawn
    browser.goto(url + "/graph?limit=60")
    browser.wait_for("window.axGraph")
    folded = browser.evaluate("[...document.querySelectorAll('#graph .node.folded')].map(n => n.getAttribute('href'))")
    assert folded and all("layer=" in href for href in folded)


# -- real proofs: the Lean kernel judges the page's Lean block --------------------------------------------------

CONTEXT = "/-- Doubling a natural number. -/\ndef dbl (n : Nat) : Nat := n + n\n"
DBL_EQ = ("dbl_eq", "∀ n : Nat, dbl n = 2 * n", "by intro n; unfold dbl; omega")
ZERO_ADD = ("zero_add_x", "∀ m : Nat, 0 + m = m", "by intro m; omega")
DBL_ADD = ("dbl_add_dbl", "∀ n : Nat, dbl n + dbl n = 4 * n",
           "by intro n; (try simp only [zero_add_x]); rw [dbl_eq n]; omega")
CONJECTURE = "∀ a b : Nat, a + b + 0 = b + a"


@pytest.fixture(scope="module")
def proven_site(tmp_path_factory, backend):
    """Three results the trusted verifier accepted: `dbl_eq` about the context's `dbl`, `dbl_add_dbl` using it
    in its proof term and naming `zero_add_x` only in a `simp only` set that does nothing."""
    path = tmp_path_factory.mktemp("proven") / "kb.sqlite"
    with KnowledgeBase(path) as kb:
        first = verify_batch([Obligation(s, p, CONTEXT, n) for n, s, p in (DBL_EQ, ZERO_ADD)], backend=backend)
        assert all(isinstance(v, Verified) for v in first), first
        for (name, _, _), v in zip((DBL_EQ, ZERO_ADD), first):
            kb.add_theorem(v, name=name, context=CONTEXT, source="user", informal=f"{name}, proved for the test")
        full = CONTEXT + "\n" + lean_context_for(kb, ["dbl_eq", "zero_add_x"], already=CONTEXT)
        [second] = verify_batch([Obligation(DBL_ADD[1], DBL_ADD[2], full, DBL_ADD[0])], backend=backend)
        assert isinstance(second, Verified), second
        kb.add_theorem(second, name=DBL_ADD[0], context=CONTEXT, source="prover",
                       informal="Twice a double is four times the number.")
        kb.record_conjecture(CONJECTURE, status="open", rule="by hand", parents=["zero_add_x"])
    with serving(path) as url:
        yield url, path


@pytest.mark.lean
def test_an_item_page_shows_its_definitions_and_a_lean_block_the_verifier_accepts(browser, proven_site, tmp_path,
                                                                                  backend):
    url, _ = proven_site
    browser.goto(url + "/item/dbl_add_dbl")
    page = browser.evaluate("""(() => ({
      about: [...document.querySelectorAll('#context .decl')].map(d => [d.dataset.name, d.textContent.trim()]),
      kernel: [...document.querySelectorAll('#uses-kernel a.dep')].map(a => a.textContent),
      text: [...document.querySelectorAll('#uses-text a.dep')].map(a => a.textContent),
      statementLinks: [...document.querySelectorAll('#statement a')].map(a => a.getAttribute('href')),
      block: document.getElementById('lean-block').textContent,
      provenance: document.getElementById('provenance').textContent,
    }))()""")
    assert page["about"][0][0] == "dbl" and "def dbl (n : Nat) : Nat := n + n" in page["about"][0][1]
    assert page["kernel"] == ["dbl_eq"] and page["text"] == ["zero_add_x"]
    assert page["statementLinks"] == ["#decl-dbl", "#decl-dbl"]  # `dbl` in the statement leads to its definition
    assert f"Lean {backend.lean_version} ({backend.name})" in page["provenance"]
    browser.screenshot(tmp_path / "item.png", full_page=True)

    block = tmp_path / "block.lean"
    block.write_text(page["block"], encoding="utf-8")
    # the block alone is the context; its last theorem, named as the proof, must be exactly the statement
    result = run_cli("verify", "--statement", DBL_ADD[1], "--proof", "dbl_add_dbl", "--context", str(block),
                     "--json")
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout)["verdict"] == "verified"

    browser.goto(url + "/item/zero_add_x")
    used = browser.evaluate("""[[...document.querySelectorAll('#used-by a.dep')].map(a => a.textContent),
                                [...document.querySelectorAll('#used-by-text a.dep')].map(a => a.textContent)]""")
    assert used == [[], ["dbl_add_dbl"]]  # named in a proof's text, not needed by its term


@pytest.mark.lean
def test_a_conjecture_shows_as_open_then_as_proved(browser, proven_site, backend):
    url, path = proven_site
    with KnowledgeBase(path) as kb:
        [row] = kb.conjectures()
    node = f"conjecture:{row['id']}"
    browser.goto(f"{url}/conjecture/{row['id']}")
    assert browser.evaluate("document.getElementById('conjecture-status').dataset.status") == "open"
    browser.goto(url + "/graph")
    browser.wait_for("window.axGraph")
    assert browser.evaluate(f"""[...document.querySelectorAll('#graph .node')]
        .filter(n => n.dataset.id === {json.dumps(node)}).map(n => n.dataset.status)""") == ["conjecture-open"]
    assert browser.evaluate(f"""document.querySelector('#graph .edge-parent[data-src="{node}"]').dataset.dst""") \
        == "zero_add_x"
    browser.goto(url + "/frontier")
    assert browser.evaluate(f"!!document.querySelector('#frontier tr[data-id=\"{node}\"]')")

    # the conjecturer's proving step (what `grow` runs after proposing), on this one conjecture
    with KnowledgeBase(path) as kb:
        [done] = prove_conjectures(kb, backend, [Conjecture(row["statement"], row["rule"], tuple(row["parents"]))])
    assert done.status == "proved" and done.theorem

    browser.goto(f"{url}/conjecture/{row['id']}")
    assert browser.evaluate("document.getElementById('conjecture-status').dataset.status") == "proved"
    browser.evaluate("document.querySelector('#theorem a').click()")
    browser.wait_for(f"location.pathname === '/item/{done.theorem}'")
    browser.wait_for("document.readyState === 'complete'")
    assert browser.evaluate("document.querySelector('.meta .badge').textContent") == "conjecture, proved"
    browser.goto(url + "/graph")
    browser.wait_for("window.axGraph")
    statuses = browser.evaluate("Object.fromEntries([...document.querySelectorAll('#graph .node')]"
                                ".map(n => [n.dataset.id, n.dataset.status]))")
    assert statuses[done.theorem] == "conjecture-proved" and node not in statuses
    browser.goto(url + "/frontier")
    assert not browser.evaluate(f"!!document.querySelector('#frontier tr[data-id=\"{node}\"]')")
    history = json.loads(urllib.request.urlopen(url + "/history.json", timeout=30).read())["rounds"]
    assert [(r["recorded"], r["proved"]) for r in history] == [(1, 1)]
