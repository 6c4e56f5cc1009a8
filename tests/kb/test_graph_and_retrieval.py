"""The dependency graph, its exports, Lean export order, and retrieval ranking (no Lean)."""

from __future__ import annotations

import json

from axiomatic.kb import graph, lean_context_for, retrieve
from axiomatic.kb.lean_export import to_lean

from .conftest import verified


def _library(kb):
    kb.add_theorem(verified("∀ xs : List Nat, xs.reverse.length = xs.length", uses=("List.length",)),
                   name="rev_len", informal="reversing keeps the length")
    kb.add_theorem(verified("∀ xs ys : List Nat, (xs ++ ys).length = xs.length + ys.length", uses=("List.length",)),
                   name="app_len", informal="length of a concatenation")
    kb.add_theorem(verified("∀ xs ys : List Nat, (xs.reverse ++ ys).length = xs.length + ys.length",
                            "by intro xs ys; rw [app_len, rev_len]", uses=("app_len", "rev_len", "Eq.mpr")),
                   name="rev_app_len")
    kb.add_theorem(verified("∀ xs : List Nat, (xs.reverse ++ xs).length = 2 * xs.length",
                            "by intro xs; rw [rev_app_len]; omega", uses=("rev_app_len",)), name="double_len")
    kb.add_theorem(verified("∀ a b : Nat, a + b = b + a", "Nat.add_comm", uses=("Nat.add_comm",)), name="add_comm'")


def test_uses_and_used_by_transitively(kb):
    _library(kb)
    g = graph.build(kb)
    assert graph.uses(g, "double_len") == ["rev_app_len"]
    assert graph.uses(g, "double_len", transitive=True) == ["app_len", "rev_app_len", "rev_len"]
    assert graph.used_by(g, "rev_len", transitive=True) == ["double_len", "rev_app_len"]
    assert graph.most_reused(g)[0][1] == 1
    assert graph.unused(g) == ["add_comm'", "double_len"]


def test_dependency_order_puts_lemmas_before_their_users(kb):
    _library(kb)
    order = graph.dependency_order(graph.build(kb))
    assert order.index("rev_len") < order.index("rev_app_len") < order.index("double_len")
    source = to_lean(kb)
    assert source.index("theorem rev_len") < source.index("theorem rev_app_len") < source.index("theorem double_len")
    ctx = lean_context_for(kb, ["rev_app_len"])
    assert "theorem app_len" in ctx and "theorem rev_len" in ctx and "double_len" not in ctx


def test_exports_in_three_formats(kb):
    _library(kb)
    g = graph.build(kb)
    dot = graph.export(g, "dot")
    assert '"double_len" -> "rev_app_len";' in dot
    data = json.loads(graph.export(g, "json"))
    assert {n["id"] for n in data["nodes"]} == {"rev_len", "app_len", "rev_app_len", "double_len", "add_comm'"}
    assert "<graphml" in graph.export(g, "graphml")
    external = graph.build(kb, include_external=True)
    assert "List.length" in external and external.nodes["List.length"]["kind"] == "external"


def test_retrieval_ranks_by_shared_symbols_and_words(kb):
    _library(kb)
    ranked = retrieve(kb, "∀ xs ys : List Nat, (ys ++ xs.reverse).length = ys.length + xs.length", k=3)
    names = [i.name for i, _ in ranked]
    assert names[0] in ("rev_app_len", "app_len") and "add_comm'" not in names
    assert [i.name for i, _ in retrieve(kb, "commutativity of addition a + b = b + a", k=1)] == ["add_comm'"]
    assert retrieve(kb, "", k=3) == []


def test_search_is_safe_against_fts_syntax(kb):
    _library(kb)
    # FTS syntax in the query is quoted away: this is a plain word search, not an error
    assert {i.name for i in kb.search('length" OR * NEAR(')} >= {"app_len", "rev_len"}
    assert [i.name for i in kb.search("concatenation")] == ["app_len"]
