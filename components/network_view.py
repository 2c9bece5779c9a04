"""The collaboration network's card: its node-kind switch, what it draws and cut, its name and
its table alternative.

The chart cannot be read by a screen reader nor reached with Tab, so a disclosure after it
holds the same data as tables (``components/a11y.py``'s pattern): the strongest links (A – B,
projects shared) and the nodes drawn, each node a button doing what a click on it does
(``ids.network_node_id``; the hub dispatches it to ``callbacks.interactions.on_network_node``).
Pure functions of the frames ``data.engine.network`` makes and the filter state.
"""

from __future__ import annotations

import re
from typing import Any

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from components import a11y, ids
from components.export_menu import chart_buttons
from components.network_figure import linked_text, projects_text
from data.engine.network import Network
from data.engine.state import NET_KINDS, FilterState
from data.io.i18n import N_, Translator, translator

KIND_LABELS = {"country": N_("countries"), "org": N_("organisations")}
"""The switch's words for ``NET_KINDS``."""


def _plural(n: int, _: Translator) -> str:
    return _.ngettext("{n} project", "{n} projects", n)


def kind_switch(lang: str = "en") -> html.Div:
    """The radio buttons choosing what the nodes are; the hub sets its value from the state."""
    _ = translator(lang)
    return html.Div([
        html.Span(_("Nodes") + " ", className="small me-1"),
        dbc.RadioItems(id=ids.NETWORK_KIND, inline=True, value="country",
                       options=[{"label": _(KIND_LABELS[k]), "value": k} for k in NET_KINDS]),
    ], className="d-flex align-items-center", role="group", **a11y.aria(label=_("Nodes of the network")))


def network_header(lang: str = "en") -> html.Div:
    """The card's heading controls: the node-kind switch and the chart's PNG/SVG buttons."""
    return html.Div([kind_switch(lang), chart_buttons(ids.NETWORK, lang)],
                    className="d-flex align-items-center flex-wrap gap-2")


def network_card_body(lang: str = "en") -> list[Any]:
    """The card's body: the graph in its named figure, what it draws, then its tables."""
    _ = translator(lang)
    return [a11y.chart(
        ids.NETWORK_FIGURE,
        dcc.Graph(id=ids.NETWORK, config={"displayModeBar": False}),
        html.Span(id=ids.NETWORK_NOTE),
        a11y.disclosure(_("Tables of the strongest links and of the nodes (keyboard: press a node to "
                          "filter by it)"), ids.NETWORK_TABLE),
        label=_("Network of partners who share projects"),
    )]


def network_label(net: Network, lang: str = "en") -> str:
    """The figure's accessible name in ``lang``: what its nodes are and the selection's size."""
    _ = translator(lang)
    if net.kind == "org":
        return _("Network of organisations that share projects: {projects} in the selection. Its "
                 "tables follow.", projects=_plural(net.projects, _))
    return _("Network of countries that share projects: {projects} in the selection. Its tables "
             "follow.", projects=_plural(net.projects, _))


def network_note(net: Network, clickable: bool, lang: str = "en") -> str:
    """What the chart draws, in ``lang``: how to read it, what was cut (the strongest links, the
    nodes with most projects), the projects that add no link, and what could not be placed."""
    _ = translator(lang)
    orgs = net.kind == "org"
    parts = [_("Circle: projects; line: projects the two share.")]
    if net.nodes_cut:
        counts = {"drawn": _.number(len(net.nodes)), "total": _.number(net.nodes_total)}
        parts.append(_("Of {total} organisations, the {drawn} with most projects are drawn.", **counts)
                     if orgs else
                     _("Of {total} countries, the {drawn} with most projects are drawn.", **counts))
    if net.links_cut:
        parts.append(_("The {drawn} strongest of {total} links are drawn; each link: projects shared.",
                       drawn=_.number(len(net.edges)), total=_.number(net.links_total)))
    elif net.links_total:
        parts.append(_.ngettext("{n} link is drawn; each link: projects shared.",
                                "All {n} links are drawn; each link: projects shared.", net.links_total))
    if net.lone and orgs:
        parts.append(_.ngettext("{n} project names one organisation only and adds no link.",
                                "{n} projects name one organisation only and add no link.", net.lone))
    elif net.lone:
        parts.append(_.ngettext("{n} project has partners in one country only and adds no link.",
                                "{n} projects have partners in one country only and add no link.", net.lone))
    bare = net.projects - net.linking - net.lone
    if bare:
        parts.append(_.ngettext("{n} project has no partner to draw.",
                                "{n} projects have no partner to draw.", bare))
    if net.unplaced and orgs:
        parts.append(_.ngettext(
            "{n} country is named for a project without an organisation and is not drawn.",
            "{n} countries are named for a project without an organisation and are not drawn.", net.unplaced))
    elif net.unplaced:
        parts.append(_.ngettext("{n} organisation has no known country and is not drawn.",
                                "{n} organisations have no known country and are not drawn.", net.unplaced))
    if clickable and len(net.nodes):
        parts.append(_("Click an organisation to filter by it.") if orgs else
                     _("Click a country to filter by it."))
    return " ".join(parts)


MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~&])")
"""Characters a name could use as Markdown: each is written escaped, so a name is only text."""


def markdown_text(text: str) -> str:
    """``text`` with every Markdown punctuation mark backslash-escaped (CommonMark allows any)."""
    return MARKDOWN_PUNCTUATION.sub(r"\\\1", text)


def network_table(nodes: pd.DataFrame, edges: pd.DataFrame, state: FilterState, kind: str,
                  clickable: bool) -> list[Any]:
    """The network as a table and a list: the links drawn, strongest first (A – B, projects
    shared), and the nodes drawn (name, projects, nodes linked), each a button filtering by it
    when ``clickable`` (pressed when selected). ``nodes``/``edges`` have the columns of
    ``data.engine.network.nodes`` and ``edges``. In the state's language.

    The links' table is one Markdown component: as HTML components its 150 rows cost the page
    ten times the bytes."""
    _ = translator(state.lang)
    if not len(nodes):
        return [html.P(_("No partner to draw for this selection."), className="small mb-0")]
    node_ids = nodes["id"].astype(str).tolist()
    names = dict(zip(node_ids, nodes["name"].astype(str).tolist(), strict=True))
    numbers: dict[int, str] = {}

    def number(n: int) -> str:
        if n not in numbers:
            numbers[n] = _.number(n)
        return numbers[n]

    parts: list[Any] = []
    if len(edges):
        rows = [f"| {markdown_text(names[s])} – {markdown_text(names[t])} | {number(w)} |"
                for s, t, w in zip(edges["source"].astype(str).tolist(), edges["target"].astype(str).tolist(),
                                   edges["weight"].astype(int).tolist(), strict=True)]
        # Outside the f-string: the message extractor does not see calls inside one.
        link, shared = markdown_text(_("Link")), markdown_text(_("Projects shared"))
        head = f"| {link} | {shared} |\n|---|---:|"
        parts += [html.P(_("The strongest links, as drawn: the two partners and the projects they share."),
                         className="small mb-1"),
                  dcc.Markdown("\n".join([head, *rows]), className="network-links mb-2")]
    selected = set(state.country) if kind == "country" else set()
    items = []
    weights, degrees = nodes["weight"].astype(int).tolist(), nodes["degree"].astype(int).tolist()
    for node, weight, degree in zip(node_ids, weights, degrees, strict=True):
        text = f"{names[node]}: {projects_text(state.lang, weight)}, {linked_text(state.lang, degree)}"
        if clickable:
            items.append(html.Li(html.Button(
                text, id=ids.network_node_id(kind, node), n_clicks=0, type="button",
                className="btn btn-link btn-sm p-0 text-start", title=_("Filter by {name}", name=names[node]),
                **a11y.aria(pressed="true" if node in selected else "false"))))
        else:
            items.append(html.Li(text))
    parts += [html.P(_("The nodes drawn, most projects first.")
                     + (" " + _("Press one to filter by it.") if clickable else ""), className="small mb-1"),
              html.Ul(items, className="network-nodes small mb-0")]
    return parts
