"""Web pages benchmark and screenshots: how long `kb serve` takes to answer each page for generated libraries of
growing size (server side, in one run, side by side), how long Chromium takes to show the graph, and PNG
screenshots of the graph and of an item page for readers of the repository.

    python bench/web_pages.py [--sizes 500,2000,5000] [--out bench/results] [--no-lean]

The item-page screenshot is of a real library: the starter library seeded with `kb seed`, a definition with
two theorems about it checked by the trusted verifier, one more proved by the prover (its failed candidates
recorded), and one round of `grow` (without a model). `--no-lean` skips it (and its screenshots).
"""

from __future__ import annotations

import argparse
import datetime
import json
import platform
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from axiomatic.kb import KnowledgeBase, lean_context_for  # noqa: E402
from axiomatic.kb.web import KnowledgeBaseApp  # noqa: E402
from tests.chromium import Browser, find_chromium  # noqa: E402
from tests.kb.web_library import generate  # noqa: E402
from tests.kb.web_serve import serving  # noqa: E402
from _results import write_results  # noqa: E402  (bench/_results.py)

PAGES = ("/", "/graph", "/graph.json", "/items", "/frontier", "/history", "/search?q=lemma_42")
REPEAT = 5
CONTEXT = "/-- Doubling a natural number. -/\ndef dbl (n : Nat) : Nat := n + n\n"


def server_times(path: Path, made: dict) -> dict:
    """Median seconds per page (the WSGI app called directly: no network, one request at a time)."""
    app = KnowledgeBaseApp(path)
    pages = list(PAGES) + [f"/item/{made['theorem'][len(made['theorem']) // 2]}"]
    out = {}
    for page in pages:
        p, _, q = page.partition("?")
        times, size = [], 0
        for _ in range(REPEAT):
            started = time.perf_counter()
            status = {}
            body = b"".join(app({"REQUEST_METHOD": "GET", "PATH_INFO": p, "QUERY_STRING": q},
                                lambda s, h, status=status: status.setdefault("s", s)))
            times.append(time.perf_counter() - started)
            size = len(body)
            assert status["s"].startswith("200"), (page, status)
        out[page if not page.startswith("/item/") else "/item/<a theorem>"] = {
            "seconds": round(statistics.median(times), 4), "bytes": size}
    return out


def browser_graph(url: str, browser: Browser, shots: Path | None, name: str) -> dict:
    started = time.perf_counter()
    browser.goto(url + "/graph")
    browser.wait_for("window.axGraph")
    seconds = time.perf_counter() - started
    drawn = browser.evaluate("document.querySelectorAll('#graph .node').length")
    if shots:
        browser.screenshot(shots / f"{name}.png")
    return {"seconds_to_interactive": round(seconds, 3), "nodes_drawn": drawn}


def generated(sizes: list[int], out: Path, browser: Browser | None) -> dict:
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            path = Path(tmp) / f"kb{n}.sqlite"
            with KnowledgeBase(path) as kb:
                made = generate(kb, n)
                total = len(kb.items()) + len([c for c in kb.conjectures() if c["status"] in ("open", "disproved")])
            row = {"items": n, "graph_nodes": total, "server": server_times(path, made)}
            if browser is not None:
                with serving(path) as url:
                    row["browser"] = browser_graph(url, browser, out if n == sizes[0] else None,
                                                   "web_graph" if n == sizes[0] else "")
                    if n == sizes[0]:
                        focus = made["theorem"][len(made["theorem"]) // 2]
                        browser.evaluate(f"axGraph.zoomTo({json.dumps(focus)})")
                        browser.screenshot(out / "web_graph_zoomed.png")
                        browser.goto(f"{url}/graph?focus={focus}&depth=2")
                        browser.wait_for("window.axGraph")
                        browser.screenshot(out / "web_graph_neighbourhood.png")
            results[n] = row
            print(f"  {n} items: graph {row['server']['/graph']['seconds']} s server-side", file=sys.stderr)
    return results


def real_library(out: Path, browser: Browser) -> dict:
    """A library proved for real, and screenshots of its pages."""
    from axiomatic.cli.common import make_config
    from axiomatic.conjecture.engine import grow
    from axiomatic.kb.starter import seed
    from axiomatic.lean import get_backend
    from axiomatic.prover import Prover
    from axiomatic.verify import Obligation, Verified, verify_batch

    backend = get_backend(make_config())
    timings = {}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "kb.sqlite"
        with KnowledgeBase(path) as kb:
            started = time.perf_counter()
            seed(kb, ROOT / "knowledge_base" / "starter.jsonl", backend)
            first = verify_batch([
                Obligation("∀ n : Nat, dbl n = 2 * n", "by intro n; unfold dbl; omega", CONTEXT, "dbl_eq"),
                Obligation("∀ m : Nat, 0 + m = m", "by intro m; omega", CONTEXT, "zero_add_x")], backend=backend)
            assert all(isinstance(v, Verified) for v in first), first
            kb.add_theorem(first[0], name="dbl_eq", context=CONTEXT, informal="Doubling is multiplying by two.")
            kb.add_theorem(first[1], name="zero_add_x", context=CONTEXT, informal="Zero is a left unit.")
            full = CONTEXT + "\n" + lean_context_for(kb, ["dbl_eq", "zero_add_x"], already=CONTEXT)
            [second] = verify_batch([Obligation(
                "∀ n : Nat, dbl n + dbl n = 4 * n", "by intro n; (try simp only [zero_add_x]); rw [dbl_eq n]; omega",
                full, "dbl_add_dbl")], backend=backend)
            assert isinstance(second, Verified), second
            kb.add_theorem(second, name="dbl_add_dbl", context=CONTEXT, source="prover",
                           informal="Twice a double is four times the number.")
            proved = Prover(backend, kb=kb).prove("∀ n : Nat, dbl (n + 1) = dbl n + 2", context=CONTEXT,
                                                  name="dbl_succ", informal="Doubling a successor adds two.")
            timings["library_seconds"] = round(time.perf_counter() - started, 1)
            started = time.perf_counter()
            reports = grow(kb, backend, rounds=1, count=4)
            timings["grow_round_seconds"] = round(time.perf_counter() - started, 1)
            timings["grow"] = [r.to_json() for r in reports]
            timings["dbl_succ"] = proved.status
        with serving(path) as url:
            browser.goto(url + "/item/dbl_add_dbl")
            browser.screenshot(out / "web_item.png", full_page=True)
            browser.goto(url + "/item/dbl_succ")
            browser.screenshot(out / "web_item_attempts.png", full_page=True)
            browser.goto(url + "/history")
            browser.screenshot(out / "web_history.png", full_page=True)
            browser.goto(url + "/graph")
            browser.wait_for("window.axGraph")
            browser.screenshot(out / "web_graph_real.png")
            timings["real_graph"] = json.loads(urllib.request.urlopen(url + "/graph.json", timeout=60).read())[
                "status_counts"]
    return timings


def report(results: dict, real: dict | None, out: Path) -> None:
    sizes = sorted(results)
    lines = ["# Web pages (`kb serve`)", "",
             f"{datetime.date.today()}; {platform.python_version()}, {platform.machine()}; generated libraries "
             f"(tests/kb/web_library.py); server-side medians of {REPEAT} requests to the WSGI app, one run, "
             "all sizes side by side.", "",
             "| page | " + " | ".join(f"{n} items" for n in sizes) + f" | ratio {sizes[-1]}/{sizes[0]} |",
             "|---|" + "---|" * (len(sizes) + 1)]
    for page in results[sizes[0]]["server"]:
        cells = [f"{results[n]['server'][page]['seconds'] * 1000:.0f} ms, "
                 f"{results[n]['server'][page]['bytes'] / 1024:.0f} KB" for n in sizes]
        ratio = results[sizes[-1]]["server"][page]["seconds"] / max(1e-9, results[sizes[0]]["server"][page]["seconds"])
        lines.append(f"| `{page}` | " + " | ".join(cells) + f" | {ratio:.1f} |")
    if "browser" in results[sizes[0]]:
        lines += ["", "Chromium (headless, 1280×800), from navigation to the graph being interactive:", "",
                  "| items | nodes in the library | nodes drawn | seconds |", "|---|---|---|---|"]
        for n in sizes:
            b = results[n]["browser"]
            lines.append(f"| {n} | {results[n]['graph_nodes']} | {b['nodes_drawn']} | {b['seconds_to_interactive']} |")
        lines += ["", "Above the default limit (1000 nodes) crowded layers fold into \"+N more\" boxes, so the "
                  "drawing stops growing with the library (about 950 nodes drawn); what still grows is the server's "
                  "work over the whole library (loading and layering every node before folding), the `/graph` row "
                  "above. The first row includes the browser's warm-up (its first page of the run)."]
    lines += ["", "Screenshots: `web_graph.png` (500 generated items, fitted), `web_graph_zoomed.png`, "
              "`web_graph_neighbourhood.png` (depth 2 around one item)"]
    if real:
        lines[-1] += (", `web_item.png` (a real item: context definition, kernel and textual dependencies, Lean "
                      "block), `web_item_attempts.png` (proved by the prover, its failed candidates), "
                      "`web_history.png` (one real `grow` round), `web_graph_real.png`.")
        lines += ["", f"The real library (starter + 4 results) took {real['library_seconds']} s of Lean; one `grow` "
                  f"round (4 conjectures, no model) {real['grow_round_seconds']} s; its statuses: "
                  f"{real['real_graph']}."]
    else:
        lines[-1] += "."
    write_results(out, "web_pages", {"generated": results, "real": real}, "\n".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="500,2000,5000")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    parser.add_argument("--no-lean", action="store_true")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    args.out.mkdir(parents=True, exist_ok=True)
    if find_chromium() is None:
        print("chromium is not installed: server-side timings only, no screenshots", file=sys.stderr)
        report(generated(sizes, args.out, None), None, args.out)
        return
    with Browser(1280, 800) as browser:
        results = generated(sizes, args.out, browser)
        real = None if args.no_lean else real_library(args.out, browser)
    report(results, real, args.out)
    print(f"wrote {args.out / 'web_pages.md'}", file=sys.stderr)


if __name__ == "__main__":
    main()
