"""The graph view drawn as SVG: boxes coloured by status, edges styled by how they were recorded, a folded
"+N more" box per crowded layer, and layer bands. Pan and zoom are the page's script (static/graph.js)."""

from __future__ import annotations

import urllib.parse

from markupsafe import Markup, escape

from ..views.graph import GraphQuery, GraphView
from ..views.layout import UNCONNECTED

LABEL_CHARS = 24


def label(text: str) -> str:
    """A name that fits its box: long dotted names keep their last part (`…List.length_append`)."""
    return text if len(text) <= LABEL_CHARS else "…" + text[-(LABEL_CHARS - 1):]


def folded_url(query: GraphQuery, layer: int) -> str:
    params = [("source", s) for s in query.sources] + [("tag", t) for t in query.tags]
    params += [("status", s) for s in query.statuses]
    params += [(k, v) for k, v in (("name", query.name), ("focus", query.focus)) if v]
    if query.focus:
        params += [("depth", str(query.depth)), ("direction", query.direction)]
    params.append(("layer", str(layer)))
    return "/graph?" + urllib.parse.urlencode(params)


def render(view: GraphView) -> Markup:
    w, h = view.node_w, view.node_h
    out = [(f'<svg xmlns="http://www.w3.org/2000/svg" id="graph" class="graph" '
            f'viewBox="0 0 {view.width} {view.height}" data-width="{view.width}" data-height="{view.height}" '
            f'preserveAspectRatio="xMidYMid meet" role="img" aria-label="dependency graph">'),
           ('<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="5" markerHeight="5" '
            'orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" class="arrowhead"/></marker></defs>'),
           '<g id="viewport">', '<g class="bands">']
    for i, band in enumerate(view.bands):
        name = "not connected" if band.layer == UNCONNECTED else f"layer {band.layer}"
        out.append(f'<rect class="band band-{i % 2}" x="0" y="{band.top:.1f}" width="{view.width}" '
                   f'height="{band.bottom - band.top:.1f}"/><text class="band-label" x="6" '
                   f'y="{(band.top + band.bottom) / 2 + 4:.1f}">{escape(name)} ({band.count})</text>')
    out.append('</g><g class="edges">')
    pos = {d.node.id: (d.x, d.y) for d in view.nodes}
    for e in view.edges:
        (x1, y1), (x2, y2) = pos[e.src], pos[e.dst]
        if y1 < y2:  # user above what it uses: from the user's bottom to the dependency's top
            y1, y2 = y1 + h / 2, y2 - h / 2
        else:  # a cycle drawn within one layer
            y1, y2 = y1 - h / 2, y2 - h / 2
        bend = max(20.0, abs(y2 - y1) / 2)
        out.append(f'<path class="edge edge-{e.kind}" data-src="{escape(e.src)}" data-dst="{escape(e.dst)}" '
                   f'd="M{x1:.1f},{y1:.1f} C{x1:.1f},{y1 + bend:.1f} {x2:.1f},{y2 - bend:.1f} {x2:.1f},{y2:.1f}" '
                   f'marker-end="url(#arrow)"/>')
    out.append('</g><g class="nodes">')
    for d in view.nodes:
        n = d.node
        tip = n.id if n.kind != "conjecture" else "conjecture"
        focus = " focus" if n.id == view.query.focus else ""
        out.append(
            f'<a class="node s-{n.status}{focus}" href="{escape(n.url)}" data-id="{escape(n.id)}" '
            f'data-status="{n.status}" transform="translate({d.x - w / 2:.1f},{d.y - h / 2:.1f})">'
            f'<title>{escape(tip)}\n{escape(n.statement[:400])}</title>'
            f'<rect width="{w}" height="{h}" rx="{h / 2 if n.kind == "conjecture" else 4}"/>'
            f'<text x="{w / 2}" y="{h / 2 + 4}">{escape(label(n.label))}</text></a>')
    for f, x, y in view.folded:
        out.append(
            f'<a class="node folded" href="{escape(folded_url(view.query, f.layer))}" data-id="{escape(f.id)}" '
            f'transform="translate({x - w / 2:.1f},{y - h / 2:.1f})"><title>{f.count} more in this layer: '
            f'open them</title><rect width="{w}" height="{h}" rx="4"/>'
            f'<text x="{w / 2}" y="{h / 2 + 4}">+{f.count} more</text></a>')
    out.append("</g></g></svg>")
    return Markup("".join(out))
