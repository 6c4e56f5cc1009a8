"""`axiomatic kb ...`: add, browse, search, graph, export, serve, check and re-verify the knowledge base.

Commands that only read open the file read-only: they never wait for, or take, the write lock."""

from __future__ import annotations

import functools
import json
import re
import sys
from pathlib import Path

import click

from .. import ops
from ..errors import BadInput
from ..kb import KnowledgeBase, retrieve
from ..kb import graph as kbgraph
from ..kb.lean_export import export as export_lean
from ..lean import get_backend
from ..verify import Rejected, Verified, verify
from .common import emit_json, handle_errors, json_option, main, make_config, say
from .lean_cmds import read_lean_file

LEAN_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_']*(\.[A-Za-z_][A-Za-z0-9_']*)*$")


def kb_option(fn):
    @click.option("--kb", "kb_path", type=click.Path(path_type=Path), default=None,
                  help="Knowledge-base file (default: $AXIOMATIC_KB or the user directory).")
    @functools.wraps(fn)
    def wrapper(*args, kb_path=None, **kwargs):
        return fn(*args, kb_path=kb_path, **kwargs)

    return wrapper


def open_kb(kb_path: Path | None, *, readonly: bool = False) -> KnowledgeBase:
    return ops.open_kb(kb_path, readonly=readonly, config=make_config())


@main.group()
def kb() -> None:
    """The knowledge base of verified results."""


@kb.command("add")
@click.option("--name", required=True, help="A Lean identifier for the result.")
@click.option("--statement", required=True)
@click.option("--proof", required=True)
@click.option("--informal", default="", help="The statement in words.")
@click.option("--tag", "tags", multiple=True)
@click.option("--context", "context_file", type=click.Path(path_type=Path), default=None)
@kb_option
@json_option
@handle_errors
def kb_add(name, statement, proof, informal, tags, context_file, kb_path, as_json):
    """Verify a proof and, if the kernel accepts it, store it. Exit 1 if rejected."""
    if not LEAN_NAME.match(name):
        raise BadInput(f"{name!r} is not a Lean identifier")
    context = read_lean_file(context_file) if context_file else ""
    with open_kb(kb_path) as base:  # open first: a foreign file is reported before any Lean work
        if base.get(name) is not None:
            raise BadInput(f"{name!r} is already in the knowledge base")
        # the proof may use earlier results by name: they enter as trusted (verified) context
        known = [n for n in base.names() if re.search(rf"(?<![\w.]){re.escape(n)}(?![\w'])", proof + " " + statement)]
        from ..kb import lean_context_for

        full_context = "\n".join(p for p in (lean_context_for(base, known), context) if p.strip())
        verdict = verify(statement, proof, full_context, name, backend=get_backend(make_config()))
        if not isinstance(verdict, Verified):
            # rejected: exit 1; no verdict at all (Lean timed out or crashed): exit 3, nothing stored either way
            payload = {"added": False, "name": name, "verdict": verdict.verdict, "reason": verdict.reason,
                       "family": verdict.family}
            emit_json(payload) if as_json else say(f"{verdict.verdict}: {verdict.reason}")
            sys.exit(1 if isinstance(verdict, Rejected) else 3)
        item = base.add_theorem(verdict, name=name, informal=informal, tags=tags, source="user", context=context)
        payload = {"added": True, "name": name, "verdict": "verified", "uses": list(item.uses),
                   "axioms": list(item.axioms)}
        emit_json(payload) if as_json else say(f"added {name}")


@kb.command("list")
@click.option("--kind", type=click.Choice(["theorem", "definition"]), default=None)
@kb_option
@json_option
@handle_errors
def kb_list(kind, kb_path, as_json):
    """List the items."""
    with open_kb(kb_path, readonly=True) as base:
        items = base.items(kind=kind)
    if as_json:
        emit_json([{"name": i.name, "kind": i.kind, "statement": i.statement, "source": i.source,
                    "verified": i.verified} for i in items])
    else:
        for i in items:
            click.echo(f"{i.name:32} {i.kind:10} {i.statement}")


@kb.command("show")
@click.argument("name")
@kb_option
@json_option
@handle_errors
def kb_show(name, kb_path, as_json):
    """Statement, proof, informal text, uses, used-by and provenance of NAME."""
    answer = ops.kb_show({"name": name}, kb_path=kb_path, config=make_config())
    item, payload = answer.value, answer.document
    used_by = payload["used_by"]
    if as_json:
        emit_json(payload)
        return
    click.echo(f"{item.kind} {item.name} : {item.statement}")
    if item.proof:
        click.echo(f":= {item.proof}")
    if item.informal:
        click.echo(f"-- {item.informal}")
    click.echo(f"uses: {', '.join(payload['uses']) or '-'}")
    click.echo(f"used by: {', '.join(used_by) or '-'}")
    click.echo(f"source: {item.source}, verified: {item.verified} ({item.backend}, Lean {item.lean_version}), "
               f"created {item.created}")


@kb.command("search")
@click.argument("query")
@click.option("--limit", default=10, show_default=True)
@kb_option
@json_option
@handle_errors
def kb_search(query, limit, kb_path, as_json):
    """Rank items by relevance to QUERY (words or a Lean goal)."""
    answer = ops.kb_search({"query": query, "limit": limit}, kb_path=kb_path, config=make_config())
    if as_json:
        emit_json(answer.document)
    else:
        for hit in answer.document:
            click.echo(f"{hit['score']:6.3f}  {hit['name']:32} {hit['statement']}")
    sys.exit(answer.exit_code)


@kb.command("graph")
@click.argument("name", required=False)
@click.option("--format", "fmt", type=click.Choice(["dot", "graphml", "json"]), default="dot", show_default=True)
@click.option("--external", is_flag=True, help="Include the core constants items use.")
@kb_option
@json_option
@handle_errors
def kb_graph(name, fmt, external, kb_path, as_json):
    """The dependency graph (of NAME and what it uses transitively, or of everything)."""
    answer = ops.kb_graph({"name": name, "external": external, "format": "json" if as_json else fmt},
                          kb_path=kb_path, config=make_config())
    if as_json:
        emit_json(answer.document)
    else:
        click.echo(answer.document)


@kb.command("stats")
@kb_option
@json_option
@handle_errors
def kb_stats(kb_path, as_json):
    """Size, most reused lemmas, items nothing uses."""
    with open_kb(kb_path, readonly=True) as base:
        g = kbgraph.build(base)
        payload = {"items": g.number_of_nodes(), "edges": g.number_of_edges(),
                   "most_reused": kbgraph.most_reused(g), "unused": kbgraph.unused(g),
                   "attempts": len(base.attempts()), "conjectures": len(base.conjectures()),
                   "schema": base.schema_version()}
    if as_json:
        emit_json(payload)
    else:
        for k, v in payload.items():
            click.echo(f"{k:12} {v}")


@kb.command("export-lean")
@click.argument("directory", type=click.Path(path_type=Path), required=False)
@click.option("--no-verify", is_flag=True, help="Write the file without re-checking it.")
@kb_option
@json_option
@handle_errors
def kb_export_lean(directory, no_verify, kb_path, as_json):
    """Write the knowledge base as Lean (dependency order) to DIRECTORY/KnowledgeBase.lean and re-verify it.

    DIRECTORY defaults to knowledge_base/lean in a source checkout, else $AXIOMATIC_HOME/lean."""
    directory = directory or make_config().lean_export_dir
    with open_kb(kb_path, readonly=True) as base:
        result = export_lean(base, directory, None if no_verify else get_backend(make_config()), verify=not no_verify)
    payload = {"path": str(result.path), "items": result.items, "ok": result.ok,
               "messages": [m.to_json() for m in result.check.errors] if result.check else []}
    if as_json:
        emit_json(payload)
    else:
        say(f"wrote {result.path} ({result.items} items): {'verified' if result.ok else 'FAILED to verify'}")
        for m in payload["messages"]:
            say(f"  {result.path}:{m['line']}:{m['column']}: {m['text']}")
    sys.exit(0 if result.ok else 1)


@kb.command("seed")
@click.option("--file", "starter", type=click.Path(path_type=Path), default=None,
              help="A JSONL library (default: the starter library shipped with axiomatic).")
@kb_option
@json_option
@handle_errors
def kb_seed(starter, kb_path, as_json):
    """Verify the starter library in one Lean run and add what passes."""
    from ..kb.starter import STARTER_LIBRARY, seed

    path = starter or STARTER_LIBRARY
    with open_kb(kb_path) as base:
        report = seed(base, path, get_backend(make_config()))
    if as_json:
        emit_json(report)
    else:
        say(f"added {len(report['added'])}, already present {len(report['present'])}, "
            f"rejected {len(report['rejected'])}")
        for r in report["rejected"]:
            say(f"  rejected {r['name']}: {r['reason']}")
    sys.exit(0 if not report["rejected"] else 1)


@kb.command("import-leandojo")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--split", default="random", show_default=True)
@kb_option
@json_option
@handle_errors
def kb_import_leandojo(path, split, kb_path, as_json):
    """Load theorems and premises from a LeanDojo-traced benchmark directory (stored as unverified)."""
    from ..kb.leandojo import import_dataset

    with open_kb(kb_path) as base:
        report = import_dataset(base, path, split=split)
    if as_json:
        emit_json(report)
        return
    say(f"imported {report['premises']} premises, {report['theorems']} theorems (unverified)")
    for kept in report["kept_verified"]:
        say(f"kept the verified {kept['name']}; the imported version is stored beside it as {kept['stored_as']}")


@kb.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8765, show_default=True, help="0 picks a free port (reported on start).")
@kb_option
@json_option
@handle_errors
def kb_serve(host, port, kb_path, as_json):
    """Local web pages: the dependency graph, a page per item, the frontier, the conjecturer's rounds, search;
    each also as JSON (add .json to the path). Runs until Ctrl-C; with --json, one line {"url": ...} on stdout
    once it listens. --port 0 picks a free port."""
    from ..kb.web import make_server, run

    path = kb_path or make_config().knowledge_base
    open_kb(path, readonly=True).close()  # refuse a foreign or corrupt file before starting
    try:
        server = make_server(path, host, port)
    except OSError as e:
        raise BadInput(f"cannot serve on {host}:{port}: {e.strerror or e}") from None
    url = f"http://{host}:{server.server_port}/"
    if as_json:
        click.echo(json.dumps({"url": url, "knowledge_base": str(path)}), nl=True)
        sys.stdout.flush()
    say(f"serving {path} on {url} (Ctrl-C to stop)")
    run(server)


@kb.command("doctor")
@kb_option
@json_option
@handle_errors
def kb_doctor(kb_path, as_json):
    """Check the knowledge-base file without changing it: SQLite's full integrity check, foreign keys, schema
    version, every item's content hash. Exit 0 healthy, 1 problems found, 2 not a knowledge base."""
    from ..kb.doctor import examine

    health = examine(kb_path or make_config().knowledge_base)
    if as_json:
        emit_json(health.to_json())
    else:
        click.echo(f"{health.path}: {'ok' if health.ok else 'PROBLEMS'} ({health.items} items, schema "
                   f"{', '.join(health.schema) or '-'})")
        for p in health.problems:
            click.echo(f"problem: {p}")
        for n in health.notes:
            click.echo(f"note: {n}")
    sys.exit(0 if health.ok else 1)


@kb.command("verify")
@click.argument("names", nargs=-1)
@click.option("--timeout", type=float, default=None, help="Wall-clock limit per Lean run, in seconds.")
@kb_option
@json_option
@handle_errors
def kb_verify(names, timeout, kb_path, as_json):
    """Re-check the stored proofs (all, or NAMES) against the kernel, batched, and report drift: results that
    no longer verify, content whose hash does not match. Read-only. Exit 0 no drift, 1 drift, 3 inconclusive
    (a timeout or crash: never counted either way)."""
    from ..kb.recheck import recheck

    with open_kb(kb_path, readonly=True) as base:
        report = recheck(base, get_backend(make_config()), names, timeout=timeout)
    if as_json:
        emit_json(report.to_json())
    else:
        say(f"re-verified {len(report.verified)}, drift {len(report.drift)}, inconclusive "
            f"{len(report.inconclusive)}, unverified (skipped) {len(report.skipped)} ({report.seconds:.1f} s)")
        for f in (*report.drift, *report.inconclusive):
            click.echo(f"{f.problem}: {f.name}: {f.reason}")
    sys.exit(1 if report.drift else 3 if report.inconclusive else 0)
