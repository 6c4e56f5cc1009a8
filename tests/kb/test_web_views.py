"""The web pages' data (`axiomatic.kb.views`): kernel and textual dependencies, the layered layout, filters and
neighbourhoods, folding, the frontier ranking, the conjecturer's rounds, Lean-aware search, the highlighter."""

from __future__ import annotations

import sqlite3

import pytest

from axiomatic.errors import BadInput
from axiomatic.kb import KnowledgeBase
from axiomatic.kb.store import Item, content_hash
from axiomatic.kb.views import GraphQuery, frontier, graph_view, grow_history, item_view, search
from axiomatic.kb.views.items import context_declarations
from axiomatic.kb.views.layout import NODE_H, NODE_W, UNCONNECTED
from axiomatic.kb.web.highlight import highlight

from .conftest import verified
from .web_library import generate


@pytest.fixture
def chain(kb):
    """base <- mid (kernel) <- top (kernel mid, textual base: named in a simp set the term does not need)."""
    kb.add_theorem(verified("∀ n : Nat, n + 0 = n", "fun n => rfl"), name="base")
    kb.add_theorem(verified("∀ n : Nat, 0 + n + 0 = n", "by intro n; rw [base]; omega", uses=("base", "Nat.add")),
                   name="mid")
    kb.add_theorem(verified("∀ n : Nat, (0 + n + 0) + 0 = n", "by intro n; (try simp only [base]); exact mid n",
                            uses=("mid",)), name="top")
    return kb


def test_kernel_and_textual_dependencies_are_told_apart(chain):
    kinds = {(r["src"], r["dst"]): r["kernel"] for r in chain.db.query("select src, dst, kernel from edges")}
    assert kinds[("mid", "base")] == 1 and kinds[("top", "mid")] == 1
    assert kinds[("top", "base")] == 0  # only in the simp set of the text
    top = item_view(chain, "top")
    assert [(d.name, d.kind) for d in top.uses if d.internal] == [("mid", "kernel"), ("base", "text")]
    base = item_view(chain, "base")
    assert {(d.name, d.kind) for d in base.used_by} == {("mid", "kernel"), ("top", "text")}
    assert [d.name for d in item_view(chain, "mid").uses if not d.internal] == ["Nat.add"]
    edges = {(e.src, e.dst): e.kind for e in graph_view(chain, GraphQuery()).edges}
    assert edges == {("mid", "base"): "kernel", ("top", "mid"): "kernel", ("top", "base"): "text"}


def test_a_proved_conjecture_is_its_theorem_linked_to_what_it_was_built_from(chain):
    chain.add_theorem(verified("∀ n : Nat, n + 0 + 0 = n", "by omega"), name="conj_base_1", source="conjecturer")
    chain.record_conjecture("∀ n : Nat, n + 0 + 0 = n", status="proved", rule="stack", parents=["base", "mid"],
                            theorem="conj_base_1")
    chain.record_conjecture("∀ n : Nat, n + 1 = n", status="disproved", rule="shift", parents=["base"])
    view = graph_view(chain, GraphQuery())
    status = {d.node.id: d.node.status for d in view.nodes}
    assert status["conj_base_1"] == "conjecture-proved" and status["conjecture:2"] == "conjecture-refuted"
    assert "conjecture:1" not in status
    parents = {(e.src, e.dst) for e in view.edges if e.kind == "parent"}
    assert parents == {("conj_base_1", "base"), ("conj_base_1", "mid"), ("conjecture:2", "base")}


def test_the_migration_classifies_old_edges_it_can(tmp_path):
    path = tmp_path / "old.sqlite"
    with KnowledgeBase(path) as kb:
        kb.add_theorem(verified("∀ n : Nat, n + 0 = n", "fun n => rfl"), name="a")
        kb.add_theorem(verified("∀ n : Nat, n = n", "by simp [a]", uses=("Nat.add_zero", "a")), name="b")
    conn = sqlite3.connect(path)  # back to the schema before m004, as an older axiomatic left it
    with conn:
        conn.execute("alter table edges drop column kernel")
        conn.execute("delete from _migrations where name = 'm004_edge_kernel'")
    conn.close()
    with KnowledgeBase(path) as kb:
        kinds = {r["dst"]: r["kernel"] for r in kb.db.query("select dst, kernel from edges where src = 'b'")}
        assert kinds == {"Nat.add_zero": 1, "a": None}  # `a` is named in the text: kernel or text, unknown
        assert [d.kind for d in item_view(kb, "b").uses if d.internal] == ["unknown"]


def test_an_item_page_shows_the_definitions_its_statement_is_about(kb):
    context = ("/-- doubling -/\ndef dbl (n : Nat) : Nat := n + n\n\n"
               "def unrelated : Nat := 3\n@[simp] theorem helper : unrelated = 3 := rfl\n")
    kb.add_theorem(verified("∀ n : Nat, dbl n = 2 * n", "by intro n; unfold dbl; omega"), name="dbl_eq",
                   context=context)
    view = item_view(kb, "dbl_eq")
    assert [(d.keyword, d.name, d.about) for d in view.context] == [
        ("def", "dbl", True), ("def", "unrelated", False), ("theorem", "helper", False)]
    assert view.context[0].text.startswith("/-- doubling -/")
    assert "def dbl" in view.lean and view.lean.index("def dbl") < view.lean.index("theorem dbl_eq")
    assert context_declarations("", "True") == ()


def test_provenance_and_failed_attempts_come_from_the_attempts_table(kb):
    statement = "∀ n : Nat, n * 1 = n"
    kb.record_attempt(target=statement, candidate="by rfl", outcome="rejected", error="Lean rejected the proof: x",
                      origin="portfolio")
    kb.record_attempt(target=statement, candidate="by simp", outcome="verified", origin="llm", model="local/qwen")
    kb.add_theorem(verified(statement, "by simp"), name="mul_one_x", source="prover")
    view = item_view(kb, "mul_one_x")
    assert (view.provenance.stage, view.provenance.model) == ("llm", "local/qwen")
    assert [(a.candidate, a.error) for a in view.failed] == [("by rfl", "Lean rejected the proof: x")]
    assert view.failed_total == 1


def test_an_imported_item_offers_no_lean_block_and_its_users_say_what_is_missing(kb):
    kb.add_unverified(Item(name="imp", kind="theorem", statement="∀ n : Nat, n = n", source="import",
                           created="2026-01-01", content_hash=content_hash("theorem", "x", "")))
    kb.add_theorem(verified("True", "by have := imp; trivial", uses=("imp",)), name="user_of_imp")
    assert item_view(kb, "imp").lean == "" and "never checked" in item_view(kb, "imp").lean_note
    assert "imp" in item_view(kb, "user_of_imp").lean_note


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    path = tmp_path_factory.mktemp("library") / "kb.sqlite"
    with KnowledgeBase(path) as kb:
        made = generate(kb, 500)
    base = KnowledgeBase(path)
    yield base, made
    base.close()


def test_the_layered_layout_puts_what_is_used_below_and_nothing_overlaps(library):
    kb, _ = library
    view = graph_view(kb, GraphQuery())
    assert len(view.nodes) == view.selected == view.total == 530 and not view.folded
    at = {d.node.id: d for d in view.nodes}
    for e in view.edges:
        if at[e.src].layer != UNCONNECTED:
            assert at[e.src].layer > at[e.dst].layer and at[e.src].y < at[e.dst].y, e
    boxes = sorted((d.y, d.x) for d in view.nodes)
    for (y1, x1), (y2, x2) in zip(boxes, boxes[1:]):
        assert y1 != y2 or x2 - x1 >= NODE_W  # same row: side by side
    assert all(NODE_W / 2 <= d.x <= view.width - NODE_W / 2 and NODE_H / 2 <= d.y <= view.height - NODE_H / 2
               for d in view.nodes)
    assert 1.2 < view.width / view.height < 2.6  # a landscape picture, not one long row


def test_filters_and_the_neighbourhood_of_an_item(library):
    kb, made = library
    view = graph_view(kb, GraphQuery(statuses=("conjecture-open",)))
    assert {d.node.status for d in view.nodes} == {"conjecture-open"} and len(view.nodes) == 20
    assert {d.node.source for d in graph_view(kb, GraphQuery(sources=("import",))).nodes} == {"import"}
    tagged = graph_view(kb, GraphQuery(tags=("List",))).nodes
    assert tagged and all("List" in d.node.tags for d in tagged)
    named = graph_view(kb, GraphQuery(name=r"lemma_1\d$")).nodes
    assert named and all(d.node.id.split("_")[-1].startswith("1") for d in named)
    g = kb_graph(kb)
    focus = max(made["theorem"], key=lambda n: g.degree(n))
    near = {d.node.id for d in graph_view(kb, GraphQuery(focus=focus, depth=1)).nodes}
    assert near == {focus} | set(g.successors(focus)) | set(g.predecessors(focus))
    down = {d.node.id for d in graph_view(kb, GraphQuery(focus=focus, depth=1, direction="uses")).nodes}
    assert down == {focus} | set(g.successors(focus))
    with pytest.raises(BadInput, match="no item named"):
        graph_view(kb, GraphQuery(focus="nothing_by_this_name"))
    with pytest.raises(BadInput, match="regular expression"):
        GraphQuery(name="(")


def kb_graph(kb):
    from axiomatic.kb.views import load_library

    return load_library(kb).graph()


def test_a_selection_over_the_limit_folds_crowded_layers(library):
    kb, made = library
    focus = made["theorem"][5]
    view = graph_view(kb, GraphQuery(limit=120, focus=focus, depth=50))
    assert len(view.nodes) <= 120 and view.folded
    assert focus in {d.node.id for d in view.nodes}
    assert len(view.nodes) + sum(f.count for f, _, _ in view.folded) == view.selected
    folded, _, _ = view.folded[0]
    opened = graph_view(kb, GraphQuery(limit=1000, focus=focus, depth=50, layer=folded.layer))
    assert set(folded.members) <= {d.node.id for d in opened.nodes}


def test_the_frontier_ranks_what_unlocks_most_first(kb):
    kb.add_theorem(verified("∀ n : Nat, n + 0 = n", "fun n => rfl"), name="proven")

    def imported(name, uses):
        kb.add_unverified(Item(name=name, kind="theorem", statement=f"{name} : True", source="import",
                               created="2026-01-01", content_hash=content_hash("theorem", name, ""), uses=uses))

    imported("u1", ("proven",))
    imported("u2", ("u1",))
    imported("u3", ("u1", "u2"))
    kb.record_conjecture("∀ n : Nat, 0 + n = n", status="open", rule="swap", parents=["proven"])
    kb.record_attempt(target="∀ n : Nat, n * 0 = 0 * n", candidate="by simp [proven]", outcome="rejected",
                      error="unsolved goals", origin="portfolio")
    kb.record_attempt(target="∀ n : Nat, n + 0 = n", candidate="by simp", outcome="rejected", origin="portfolio")
    kb.record_attempt(target="∀ n : Nat, n = n + 0 * 7", candidate="by omega", outcome="rejected",
                      origin="generalization")
    rows = {o.id: o for o in frontier(kb)}
    assert (rows["u1"].unlocks, rows["u1"].downstream, rows["u1"].ready) == (1, 2, True)
    assert (rows["u2"].unlocks, rows["u2"].downstream, rows["u2"].ready) == (0, 1, False)
    assert rows["u3"].unproven == ("u1", "u2")
    goals = [o for o in rows.values() if o.sort == "goal"]
    assert [(g.statement, g.depends_on, g.last_error) for g in goals] == [
        ("∀ n : Nat, n * 0 = 0 * n", ("proven",), "unsolved goals")]  # proven and generalisation targets left out
    order = [o.id for o in frontier(kb)]
    assert order[:2] == ["u1", "u2"] and order[-1] == "u3"
    assert "conjecture:1" in order


def test_grow_rounds_are_read_off_the_conjectures_table(kb):
    rows = [  # (statement, status, reason, created, updated): two rounds of propose -> prove, then a third
        ("a", "abandoned", "does not elaborate: x", "2026-01-01T10:00:00+00:00", None),
        ("b", "disproved", "counterexample", "2026-01-01T10:00:00+00:00", None),
        ("c", "proved", "proved (portfolio)", "2026-01-01T10:00:00+00:00", "2026-01-01T10:00:09+00:00"),
        ("d", "open", "no proof found", "2026-01-01T10:00:01+00:00", "2026-01-01T10:00:09+00:00"),
        # round 2 kept everything it screened (no screened-out row to mark the start): told by the prover's update
        ("e", "proved", "proved (portfolio)", "2026-01-01T10:00:10+00:00", "2026-01-01T10:00:20+00:00"),
        # round 3: a screened-out row after a kept one
        ("f", "abandoned", "trivial (closed by rfl/decide)", "2026-01-01T10:00:21+00:00", None),
        ("g", "open", "", "2026-01-01T10:00:21+00:00", None),
    ]
    with kb.transaction():
        for statement, status, reason, created, updated in rows:
            kb.db["conjectures"].insert({"statement": statement, "status": status, "reason": reason, "rule": "r",
                                         "parents": "[]", "created": created, "updated": updated or created})
    history = grow_history(kb)
    assert [[p.statement for p in r.proposals] for r in history] == [["a", "b", "c", "d"], ["e"], ["f", "g"]]
    first = history[0].to_json()
    assert (first["recorded"], first["ill_typed"], first["refuted"], first["kept"], first["proved"]) == (4, 1, 1, 2, 1)
    assert history[2].to_json()["trivial"] == 1


def test_search_matches_identifiers_the_way_lean_reads_them(kb):
    kb.add_theorem(verified("∀ xs ys : List Nat, (xs ++ ys).length = xs.length + ys.length", "by simp"),
                   name="List.length_append_x", informal="the length of a concatenation")
    kb.add_theorem(verified("∀ xs : List Nat, List.length xs = xs.length", "by simp"), name="length_const")
    kb.add_theorem(verified("∀ n : Nat, n + 0 = n", "fun n => rfl"), name="add_zero_x",
                   informal="reversing nothing")
    kb.record_conjecture("∀ xs : List Nat, xs.reverse.length = xs.length", status="open", rule="r")
    ids = [h.id for h in search(kb, "length_append_x")]
    assert ids[0] == "List.length_append_x"
    hits = {h.id: h for h in search(kb, "List.length")}
    assert "constant" in hits["length_const"].matched and "field" in hits["List.length_append_x"].matched
    assert "constant" not in hits["List.length_append_x"].matched  # `(xs ++ ys).length` is field notation
    assert "add_zero_x" not in hits
    assert "conjecture:1" in hits
    assert [h.id for h in search(kb, "concatenation")] == ["List.length_append_x"]
    assert search(kb, "   ") == []


def test_the_highlighter_escapes_everything_and_links_known_names():
    html = highlight('theorem t : x = "<b>" := by simp [foo] -- <script>\n  sorry', {"foo": "/item/foo"})
    assert "<script>" not in html and "&lt;script&gt;" in html and "&lt;b&gt;" in html
    assert '<a class="tok-ref" href="/item/foo">foo</a>' in html
    assert '<span class="tok-command">theorem</span>' in html and '<span class="tok-warn">sorry</span>' in html
    assert '<span class="tok-tactic">simp</span>' in html


@pytest.mark.lean
def test_a_real_grow_round_reads_back_as_the_engine_reported_it(kb, backend):
    from axiomatic.conjecture.engine import grow
    from axiomatic.verify import Obligation, Verified, verify_batch

    seeds = [("nat_add_zero_x", "∀ n : Nat, n + 0 = n", "fun n => rfl"),
             ("list_length_append_x", "∀ xs ys : List Nat, (xs ++ ys).length = xs.length + ys.length", "by simp"),
             ("nat_le_add_right_x", "∀ a b : Nat, a ≤ a + b", "by omega")]
    verdicts = verify_batch([Obligation(s, p, name=n) for n, s, p in seeds], backend=backend)
    for (name, _, _), v in zip(seeds, verdicts):
        assert isinstance(v, Verified), v
        kb.add_theorem(v, name=name)
    [report] = grow(kb, backend, rounds=1, count=3)
    [round_] = grow_history(kb)
    read = round_.to_json()
    stats = report.filtered
    assert (read["ill_typed"], read["trivial"], read["refuted"]) == (stats["ill_typed"], stats["trivial"],
                                                                    stats["refuted"])
    assert read["kept"] > 0 and (read["kept"], read["proved"]) == (report.survivors, report.proved)
    assert {p.theorem for p in round_.proposals if p.theorem} <= set(report.new_theorems)
