"""The collaboration network's render function and its wiring.

``render_network`` is pure, ``(dataset, state) -> outputs``, like the views of
``callbacks/views.py``; ``register`` wires it to the state the views redraw from (without the
map's zoom and centre). The network itself is remembered per dataset and filters
(``data.engine.network.network``), so a change of theme or language lays nothing out again.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from dash import Dash, Input, Output
from dash.exceptions import PreventUpdate

from callbacks.interactions import ORG_FILTER
from callbacks.views import disclosure_inputs, only_open
from components import ids
from components.network_figure import network_figure
from components.network_view import network_label, network_note, network_table
from data.engine import network as net
from data.engine.memo import per_dataset
from data.engine.model import Dataset
from data.engine.state import FilterState
from server.registry import DatasetRegistry

NETWORK_OUTPUTS = {
    "figure": Output(ids.NETWORK, "figure"),
    "note": Output(ids.NETWORK_NOTE, "children"),
    "table": Output(ids.NETWORK_TABLE, "children"),
    "label": Output(ids.NETWORK_FIGURE, "aria-label"),
}
"""The chart, what it draws and cut, its tables and its accessible name: one request."""


def clickable(kind: str) -> bool:
    """Whether a node of ``kind`` filters when clicked: countries always, organisations once
    the state has an organisation filter (``org=``)."""
    return kind == "country" or (kind == "org" and ORG_FILTER)


def render_network(dataset: Dataset, state: FilterState) -> dict[str, Any]:
    """The network of the selection with the state's node kind (``net``), its note, tables
    and name. Remembered per dataset for what it draws (not the table's sort, the map's view or
    the storyboard): the drawing is the same, and building it costs more than sending it."""
    return _render(dataset, replace(state.without_map_views, sort="", story="", step=None))


@per_dataset(32)
def _render(dataset: Dataset, state: FilterState) -> dict[str, Any]:
    found = net.network(dataset, state.filters, state.net)
    nodes = net.nodes(dataset, state)
    edges = found.edges
    click = clickable(found.kind)
    return {"figure": network_figure(nodes, edges, state, found.kind, click),
            "note": network_note(found, click, state.lang),
            "table": network_table(nodes, edges, state, found.kind, click),
            "label": network_label(found, state.lang)}


def register(app: Dash, registry: DatasetRegistry) -> None:
    """Register the network's render callback."""

    lazy = {"table": ids.NETWORK_TABLE}

    @app.callback(output=NETWORK_OUTPUTS,
                  inputs=[Input(ids.NETWORK_FILTERS, "data"), *disclosure_inputs(lazy)],
                  prevent_initial_call=True)
    def network_view(data: dict[str, Any] | None, *opened: Any) -> dict[str, Any]:
        if data is None:
            # Its table opened before the card was ever on screen: the state arrives with it.
            raise PreventUpdate
        state = FilterState.from_dict(data)
        out = render_network(registry.resolve(state.dataset), state)
        return only_open(out, lazy, opened)
