"""The collaboration network: who works with whom in the selected projects.

Nodes are countries or organisations (``FilterState.net``, one of ``NET_KINDS``); a link joins two
nodes that take part in the same project, weighted by the number of projects they share. A
project names each of its nodes once (a body in two roles, a country through two partners), so a
project of three countries adds one to each of their three links and a project of one country
adds none.

At a million participations the pairs are never listed project by project: the selected
(project, node) entries are an incidence matrix B (projects x nodes) and B^T B holds every count
at once (the diagonal: each node's projects; off the diagonal: projects shared), one matrix
product over at most ``NODE_LIMIT`` columns. Organisations are cut to the ``NODE_LIMIT`` with
most projects before pairing; countries too, where a selection has more. Of the links among
those nodes the ``EDGE_LIMIT`` strongest are drawn, and ``Network`` says what was cut, so the
view can state it. Positions come from networkx's spring layout, seeded, so the same selection
always draws the same picture. Results are remembered per dataset and filters.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass

import networkx as nx
import numpy as np
import numpy.typing as npt
import pandas as pd

from data.engine.arrays import distinct
from data.engine.masks import project_mask
from data.engine.memo import per_dataset
from data.engine.model import BoolArray, Dataset, IntArray
from data.engine.queries import organisation_label
from data.engine.state import NET_KINDS, FilterState
from data.io.countries import country_name

log = logging.getLogger(__name__)

EDGE_LIMIT = 150
"""At most this many links are drawn, the strongest first."""
NODE_LIMIT = 50
"""At most this many nodes are paired and drawn, those with most projects first."""
BLAS_BLOCK_WORK = 262_144
"""Rows x nodes x nodes of one matrix product: OpenBLAS multiplies on the calling thread below
this (its SMP_THRESHOLD_MIN x GEMM_MULTITHREAD_THRESHOLD) and wakes a thread per core above it.
Dash serves callbacks from several threads; on a busy two-core machine one product of 50,000
projects took 1.8 s with BLAS's threads and 10 ms without, so the product runs in blocks."""
LAYOUT_SEED = 1
LAYOUT_ITERATIONS = 60
EDGE_COLUMNS = ["source", "target", "weight"]
NODE_COLUMNS = ["id", "label", "name", "weight", "degree", "strength", "x", "y"]
MAX_LABEL = 24
"""An organisation's label on the chart is cut to this many characters (its hover says all)."""


@dataclass(frozen=True, eq=False)
class Network:
    """The network of one selection and node kind, before labels (which depend on the language).

    ``edges``: source, target (node ids, source < target), weight (projects shared), the
    strongest first. ``nodes``: id, weight (projects in the selection), degree (nodes linked to
    it, over every link among the drawn nodes), strength (projects shared over those links), x,
    y (layout), code (the node's index in its kind's ids: ``node_labels`` names it), most
    projects first."""

    kind: str
    edges: pd.DataFrame
    nodes: pd.DataFrame
    projects: int
    """Projects in the selection."""
    linking: int
    """Of those, projects with two nodes or more."""
    lone: int
    """Of those, projects with one node: they add no link. The rest have no node at all (no
    partner named, or only partners whose country is not known)."""
    nodes_total: int
    """Nodes taking part in the selection, before the cut to ``NODE_LIMIT``."""
    links_total: int
    """Links among the drawn nodes, before the cut to ``EDGE_LIMIT``."""
    unplaced: int
    """What takes part but can be no node of this kind: for countries, organisations of the
    selection whose country is not known; for organisations, countries a source names for a
    project without naming an organisation there."""

    @property
    def nodes_cut(self) -> bool:
        """True when fewer nodes are drawn than take part."""
        return self.nodes_total > len(self.nodes)

    @property
    def links_cut(self) -> bool:
        """True when fewer links are drawn than join the drawn nodes."""
        return self.links_total > len(self.edges)


# --- the (project, node) entries of each kind, indexed once per dataset ---------------------


@dataclass(frozen=True, eq=False)
class Entries:
    """Distinct (project position, node code) pairs of one node kind, and each code's id."""

    pos: IntArray
    node: IntArray
    ids: npt.NDArray[np.object_]


@per_dataset(1, index=True)
def _org_entries(dataset: Dataset) -> Entries:
    """Each (project, organisation) once: a body named in two roles of a project is one node of it."""
    n_orgs = max(1, len(dataset.organisations))
    known = dataset.participation_org >= 0
    key = distinct(dataset.participation_pos[known] * n_orgs + dataset.participation_org[known])
    return Entries(pos=key // n_orgs, node=key % n_orgs,
                   ids=dataset.organisations["organisation_id"].to_numpy(dtype=object))


@per_dataset(1, index=True)
def _country_only_entries(dataset: Dataset) -> IntArray:
    """Project positions, one per (project, country) a source names without naming any
    organisation of that country in the project: no organisation node can stand for them."""
    index = dataset.country_index
    n = max(1, len(index.codes))
    frame = dataset.project_countries
    named = frame.loc[(frame["via"] == "country").to_numpy(dtype=bool), ["pos", "country"]]
    country = pd.Index(index.codes).get_indexer(pd.Index(named["country"].to_numpy(dtype=object)))
    named_keys = distinct(named["pos"].to_numpy(dtype=np.int64) * n + country)
    # Integer keys of the (project, country) pairs some organisation stands for.
    orgs = _org_entries(dataset)
    org_country = index.org_country[orgs.node]
    placed = org_country >= 0
    via_org = orgs.pos[placed] * n + org_country[placed]
    only: IntArray = named_keys[~np.isin(named_keys, via_org)] // n
    return only


def entries(dataset: Dataset, kind: str) -> Entries:
    """The (project, node) pairs of ``kind`` ('country' or 'org')."""
    if kind == "org":
        return _org_entries(dataset)
    index = dataset.country_index
    return Entries(pos=index.pos, node=index.country, ids=index.codes)


def warm(dataset: Dataset) -> None:
    """Build the indexes the first network of organisations needs (a sort of every
    participation), so the first person to switch to organisations does not wait for it."""
    _org_entries(dataset)
    _country_only_entries(dataset)
    _unknown_country_entries(dataset)


@per_dataset(1, index=True)
def _unknown_country_entries(dataset: Dataset) -> Entries:
    """The (project, organisation) pairs of organisations whose country is not known."""
    orgs = _org_entries(dataset)
    unknown = dataset.country_index.org_country[orgs.node] < 0
    return Entries(pos=orgs.pos[unknown], node=orgs.node[unknown], ids=orgs.ids)


def _unplaced(dataset: Dataset, kind: str, mask: BoolArray) -> int:
    if kind == "org":
        return int(mask[_country_only_entries(dataset)].sum())
    unknown = _unknown_country_entries(dataset)
    return len(distinct(unknown.node[mask[unknown.pos]]))


# --- counting --------------------------------------------------------------------------------


def co_occurrence(pos: IntArray, node: IntArray, size: int, n_projects: int) -> npt.NDArray[np.int64]:
    """The ``size`` x ``size`` matrix B^T B of distinct (project, node) pairs: on the diagonal
    each node's projects, elsewhere the projects two nodes share. ``node`` runs over 0..size-1,
    ``pos`` over 0..n_projects-1.

    One dense product over the projects that hold two nodes or more (at 50 columns a project
    costs 200 bytes, whatever its number of partners), taken in blocks of ``BLAS_BLOCK_WORK``:
    no sort, rows are numbered by a running count over project positions."""
    counts = np.zeros((size, size), dtype=np.int64)
    if not len(pos):
        return counts
    counts[np.diag_indices(size)] = np.bincount(node, minlength=size)
    per_project = np.bincount(pos, minlength=n_projects)
    several = per_project[pos] >= 2
    if not several.any():
        return counts
    kept = per_project >= 2
    row_of = np.cumsum(kept) - 1
    rows = int(row_of[-1]) + 1
    block = max(1, BLAS_BLOCK_WORK // (size * size))
    # Rows padded with zeros to whole blocks: one stacked product, each block on its own.
    incidence = np.zeros((-(-rows // block) * block, size), dtype=np.float32)
    # Through the flat view: a 1-D scatter is several times faster than a 2-D one.
    incidence.reshape(-1)[row_of[pos[several]] * size + node[several]] = 1
    blocks = incidence.reshape(-1, block, size)
    # Each block's float32 sums are exact (at most a block of ones); the total is kept in float64.
    shared = np.matmul(blocks.transpose(0, 2, 1), blocks).sum(axis=0, dtype=np.float64)
    off = ~np.eye(size, dtype=bool)
    counts[off] = np.rint(shared[off]).astype(np.int64)
    return counts


def _stretched(graph: nx.Graph) -> dict[str, tuple[float, float]]:
    """Seeded spring layout of a connected ``graph``, each axis stretched to -1..1 on its own:
    the card is wider than high, and a layout scaled by its larger side leaves half of it empty."""
    if graph.number_of_nodes() == 1:
        # Where the layout puts a node alone, without networkx's set-up (a node without links
        # is a group of its own, and a network has a dozen of them).
        return {str(node): (0.0, 0.0) for node in graph.nodes}
    positions = nx.spring_layout(graph, weight="weight", seed=LAYOUT_SEED, iterations=LAYOUT_ITERATIONS,
                                 method="force")
    xy = np.array([positions[node] for node in graph.nodes], dtype=float).reshape(-1, 2)
    low, high = xy.min(axis=0), xy.max(axis=0)
    half = np.where(high > low, (high - low) / 2, 1.0)
    xy = np.clip((xy - (high + low) / 2) / half, -1.0, 1.0)
    return {str(node): (float(x), float(y)) for node, (x, y) in zip(graph.nodes, xy, strict=True)}


def _layout(ids: list[str], edges: pd.DataFrame) -> dict[str, tuple[float, float]]:
    """Seeded spring layout: strongly linked nodes close together. Groups that share no link
    (separate consortia, a country alone) are laid out each in its own cell of a grid, biggest
    first: laid out together, repulsion throws them to the edges and crowds each group's labels."""
    graph = nx.Graph()
    graph.add_nodes_from(ids)
    if len(edges):
        strongest = float(edges["weight"].max())
        graph.add_weighted_edges_from(
            (s, t, w / strongest) for s, t, w in zip(edges["source"], edges["target"], edges["weight"],
                                                     strict=True))
    if not ids:
        return {}
    groups = sorted(nx.connected_components(graph), key=lambda group: (-len(group), min(group)))
    if len(groups) == 1:
        return _stretched(graph)
    columns = math.ceil(math.sqrt(len(groups)))
    rows = math.ceil(len(groups) / columns)
    found: dict[str, tuple[float, float]] = {}
    for index, group in enumerate(groups):
        row, column = divmod(index, columns)
        centre_x, centre_y = (2 * column + 1) / columns - 1, 1 - (2 * row + 1) / rows
        # 0.75 of the cell: a gap between the groups, room for their labels.
        for node, (x, y) in _stretched(graph.subgraph(group)).items():
            found[node] = (centre_x + 0.75 * x / columns, centre_y + 0.75 * y / rows)
    return found


def build_network(dataset: Dataset, mask: BoolArray, kind: str) -> Network:
    """The network of the projects in ``mask`` with nodes of ``kind`` (not remembered; the views
    ask ``network``)."""
    if kind not in NET_KINDS:
        raise ValueError(f"unknown node kind {kind!r}; one of {NET_KINDS}")
    found = entries(dataset, kind)
    if mask.all():  # the page's first view: no copy of every entry
        pos, node = found.pos, found.node
    else:
        keep = mask[found.pos]
        pos, node = found.pos[keep], found.node[keep]
    projects = int(mask.sum())
    per_project = np.bincount(pos, minlength=dataset.size)
    linking, lone = int((per_project >= 2).sum()), int((per_project == 1).sum())
    weights = np.bincount(node, minlength=len(found.ids))
    present = np.flatnonzero(weights)
    nodes_total = len(present)
    # Most projects first; among equals, the codes' order (countries: alphabetical).
    if len(present) > NODE_LIMIT:
        # Every node with at least the NODE_LIMIT-th most projects, then the stable order below.
        floor = np.partition(weights[present], len(present) - NODE_LIMIT)[len(present) - NODE_LIMIT]
        present = present[weights[present] >= floor]
    chosen = present[np.argsort(-weights[present], kind="stable")][:NODE_LIMIT]
    rank = np.full(len(found.ids), -1, dtype=np.int64)
    rank[chosen] = np.arange(len(chosen))
    in_chosen = rank[node] >= 0
    counts = co_occurrence(pos[in_chosen], rank[node[in_chosen]], len(chosen), dataset.size)

    upper_i, upper_j = np.triu_indices(len(chosen), k=1)
    shared = counts[upper_i, upper_j]
    linked = shared > 0
    upper_i, upper_j, shared = upper_i[linked], upper_j[linked], shared[linked]
    strongest = np.argsort(-shared, kind="stable")[:EDGE_LIMIT]
    ids = found.ids[chosen].astype(str)
    a, b = ids[upper_i[strongest]], ids[upper_j[strongest]]
    edges = pd.DataFrame({"source": np.where(a < b, a, b), "target": np.where(a < b, b, a),
                          "weight": shared[strongest].astype(np.int64)}, columns=EDGE_COLUMNS)

    every_link = np.zeros_like(counts)
    every_link[upper_i, upper_j] = shared
    every_link += every_link.T
    id_list = ids.tolist()
    layout = _layout(id_list, edges)
    nodes = pd.DataFrame({
        "id": id_list,
        "code": chosen,
        "weight": weights[chosen].astype(np.int64),
        "degree": (every_link > 0).sum(axis=1).astype(np.int64),
        "strength": every_link.sum(axis=1).astype(np.int64),
        "x": [layout[i][0] for i in id_list],
        "y": [layout[i][1] for i in id_list],
    })
    return Network(kind=kind, edges=edges, nodes=nodes, projects=projects, linking=linking, lone=lone,
                   nodes_total=nodes_total, links_total=len(shared),
                   unplaced=_unplaced(dataset, kind, mask))


@per_dataset(32)
def network(dataset: Dataset, filters: FilterState, kind: str) -> Network:
    """The network of the state's selection (every filter but the open project: opening a
    project keeps the network of its neighbours, as the table keeps its rows)."""
    mask = project_mask(dataset, filters, ignore=("project",))
    return build_network(dataset, mask, kind)


def _kind(state: FilterState, kind: str | None) -> str:
    return kind if kind is not None else state.net


def edges(dataset: Dataset, state: FilterState, kind: str | None = None) -> pd.DataFrame:
    """The drawn links of ``state``'s selection: source, target, weight (projects shared), the
    strongest first. ``kind`` defaults to the state's ``net``."""
    return network(dataset, state.filters, _kind(state, kind)).edges


def node_labels(
    dataset: Dataset, kind: str, codes: IntArray, lang: str = "en"
) -> tuple[list[str], list[str]]:
    """(label on the chart, full name) of each node code of ``kind``, in ``lang``: a country's
    code and name; an organisation's short name (else its name, cut) and its name."""
    if kind == "country":
        found = dataset.country_index.codes[codes].astype(str).tolist()
        return found, [country_name(c, lang) for c in found]
    # Only the drawn rows: converting a whole column of 280,000 names costs a tenth of a second.
    orgs = dataset.organisations.iloc[codes]
    names = [organisation_label(n, e, o, lang) for n, e, o in zip(
        orgs["name"].tolist(), orgs["external_id"].tolist(), orgs["organisation_id"].tolist(), strict=True)]
    labels = [str(s) if s else (n if len(n) <= MAX_LABEL else n[:MAX_LABEL - 1] + "…")
              for s, n in zip(orgs["short_name"].tolist(), names, strict=True)]
    return labels, names


def nodes(dataset: Dataset, state: FilterState, kind: str | None = None) -> pd.DataFrame:
    """The drawn nodes of ``state``'s selection: id, label (short, for the chart), name (in
    the state's language), weight (projects), degree, strength, x, y; most projects first."""
    found = network(dataset, state.filters, _kind(state, kind))
    frame = found.nodes
    labels, names = node_labels(dataset, found.kind, frame["code"].to_numpy(dtype=np.int64), state.lang)
    return pd.DataFrame({"id": frame["id"], "label": labels, "name": names, "weight": frame["weight"],
                         "degree": frame["degree"], "strength": frame["strength"], "x": frame["x"],
                         "y": frame["y"]}, columns=NODE_COLUMNS)
