"""The collaboration network on a small hand-checked dataset, built in code.

    P1  de-one (DE), fr-one (FR), it-one (IT)
    P2  de-one (DE, named twice: coordinator and partner), fr-one (FR)
    P3  fr-one, fr-two (both FR)
    P4  nowhere (no country) and Spain named as a country only

Countries: DE–FR 2 (P1, P2), DE–IT 1, FR–IT 1; P3 is one country and adds no link, nor does P4
(Spain alone); nowhere cannot be placed. Organisations: de-one–fr-one 2, de-one–it-one 1,
fr-one–it-one 1, fr-one–fr-two 1; P4's Spain names no organisation.
"""

from __future__ import annotations

import itertools
from collections import Counter

import networkx as nx
import numpy as np
import pytest
from dash import dcc, html
from fixtures_data import load_seed, load_tiny

from callbacks import interactions as act
from callbacks.hub import Trigger, next_state
from callbacks.network import render_network
from components import ids
from components.network_figure import network_figure
from components.network_view import markdown_text, network_note, network_table
from data.engine import network as net
from data.engine.masks import project_mask
from data.engine.model import Dataset
from data.engine.state import FilterState, parse_query

EXT = "ext-1"


def _source(**cells: str) -> dict[str, str]:
    return {"source": EXT, "quote": "Not checked: external.", **cells}


def hand_tables() -> dict[str, list[dict[str, str]]]:
    """The four projects of the module's docstring."""
    orgs = [("de-one", "DE One", "DE"), ("fr-one", "FR One", "FR"), ("fr-two", "FR Two", "FR"),
            ("it-one", "IT One", "IT"), ("nowhere", "Nowhere Ltd", "")]
    parts = [("p1", "de-one", "partner"), ("p1", "fr-one", "partner"), ("p1", "it-one", "partner"),
             ("p2", "de-one", "coordinator"), ("p2", "de-one", "partner"), ("p2", "fr-one", "partner"),
             ("p3", "fr-one", "partner"), ("p3", "fr-two", "partner"), ("p4", "nowhere", "partner")]
    return {
        "sources": [{"source_id": EXT, "kind": "external", "title": "Hand-made", "url": "https://example.org"}],
        "projects": [_source(project_id=p, acronym=p.upper(), title=f"Project {p}", kind="project",
                             start_date="2020-01-01", end_date="2021-12-31")
                     for p in ("p1", "p2", "p3", "p4")],
        "organisations": [_source(organisation_id=o, name=n, country=c,
                                  **({"country_source": EXT, "country_quote": "stated"} if c else {}))
                          for o, n, c in orgs],
        "participations": [_source(project_id=p, organisation_id=o, role=r) for p, o, r in parts],
        "project_countries": [_source(project_id="p4", country="ES", role="partner")],
    }


@pytest.fixture(scope="module")
def hand(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    return load_tiny(tmp_path_factory.mktemp("network"), hand_tables())


def links(frame) -> dict[tuple[str, str], int]:
    return {(s, t): int(w) for s, t, w in zip(frame["source"], frame["target"], frame["weight"], strict=True)}


def test_country_links_count_the_projects_two_countries_share(hand: Dataset) -> None:
    assert links(net.edges(hand, FilterState())) == {("DE", "FR"): 2, ("DE", "IT"): 1, ("FR", "IT"): 1}


def test_country_links_have_no_self_loop_and_the_strongest_comes_first(hand: Dataset) -> None:
    found = net.edges(hand, FilterState())
    assert (found["source"] < found["target"]).all()
    assert list(found["weight"]) == sorted(found["weight"], reverse=True)


def test_country_nodes_weigh_their_projects_and_a_country_alone_is_still_drawn(hand: Dataset) -> None:
    nodes = net.nodes(hand, FilterState()).set_index("id")
    assert nodes["weight"].to_dict() == {"FR": 3, "DE": 2, "ES": 1, "IT": 1}
    assert nodes.loc["FR", "name"] == "France"
    assert nodes.loc["ES", "degree"] == 0 and nodes.loc["FR", "degree"] == 2
    assert nodes.loc["FR", "strength"] == 3  # DE–FR 2 + FR–IT 1


def test_what_adds_no_link_and_what_cannot_be_placed_is_counted(hand: Dataset) -> None:
    found = net.network(hand, FilterState(), "country")
    # P1, P2 join two countries or more; P3 (France) and P4 (Spain) one each.
    assert (found.projects, found.linking, found.lone) == (4, 2, 2)
    assert found.unplaced == 1  # Nowhere Ltd has no country
    assert (found.nodes_total, found.links_total, found.nodes_cut, found.links_cut) == (4, 3, False, False)
    note = network_note(found, True, "en")
    assert "All 3 links are drawn" in note
    assert "2 projects have partners in one country only" in note
    assert "1 organisation has no known country and is not drawn" in note


def test_a_country_filter_keeps_its_projects_with_every_partner_country(hand: Dataset) -> None:
    assert links(net.edges(hand, FilterState(country=("IT",)))) == {
        ("DE", "FR"): 1, ("DE", "IT"): 1, ("FR", "IT"): 1}
    assert set(net.nodes(hand, FilterState(country=("IT",)))["id"]) == {"DE", "FR", "IT"}


def test_opening_a_project_keeps_the_network_of_the_selection(hand: Dataset) -> None:
    assert links(net.edges(hand, FilterState(project="p3"))) == links(net.edges(hand, FilterState()))


def test_organisation_links_count_each_body_once_per_project(hand: Dataset) -> None:
    state = FilterState(net="org")
    assert links(net.edges(hand, state)) == {
        ("de-one", "fr-one"): 2, ("de-one", "it-one"): 1, ("fr-one", "it-one"): 1, ("fr-one", "fr-two"): 1}
    nodes = net.nodes(hand, state).set_index("id")
    assert nodes["weight"].to_dict() == {"fr-one": 3, "de-one": 2, "fr-two": 1, "it-one": 1, "nowhere": 1}
    assert nodes.loc["de-one", "name"] == "DE One"
    found = net.network(hand, state.filters, "org")
    assert found.unplaced == 1  # Spain, named for P4 without an organisation
    assert "1 country is named for a project without an organisation" in network_note(found, False, "en")


def test_the_cut_keeps_the_strongest_links_and_the_biggest_nodes_and_says_so(
        hand: Dataset, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(net, "EDGE_LIMIT", 2)
    monkeypatch.setattr(net, "NODE_LIMIT", 3)
    mask = project_mask(hand, FilterState())
    found = net.build_network(hand, mask, "org")
    # The three organisations with most projects: fr-one 3, de-one 2, then fr-two before it-one
    # and nowhere (1 each, in the organisations' order).
    assert list(found.nodes["id"]) == ["fr-one", "de-one", "fr-two"]
    assert links(found.edges) == {("de-one", "fr-one"): 2, ("fr-one", "fr-two"): 1}
    assert (found.nodes_total, found.links_total) == (5, 2)
    assert "Of 5 organisations, the 3 with most projects are drawn." in network_note(found, False, "en")
    # Of the countries, all four are drawn; of their three links, the two strongest (ties: the
    # link of the bigger nodes first: France before Germany).
    monkeypatch.setattr(net, "NODE_LIMIT", 4)
    country = net.build_network(hand, mask, "country")
    assert links(country.edges) == {("DE", "FR"): 2, ("FR", "IT"): 1}
    assert country.links_total == 3 and country.links_cut and not country.nodes_cut
    note = network_note(country, True, "en")
    assert "The 2 strongest of 3 links are drawn; each link: projects shared." in note
    assert "with most projects" not in note


def test_co_occurrence_matches_counting_every_pair_project_by_project() -> None:
    rng = np.random.default_rng(7)
    projects, nodes = 400, 12
    pairs = {(int(p), int(n)) for p, n in zip(rng.integers(0, projects, 3000), rng.integers(0, nodes, 3000),
                                              strict=True)}
    pos = np.array([p for p, _ in sorted(pairs)], dtype=np.int64)
    node = np.array([n for _, n in sorted(pairs)], dtype=np.int64)
    expected: Counter[tuple[int, int]] = Counter()
    by_project: dict[int, list[int]] = {}
    for p, n in sorted(pairs):
        by_project.setdefault(p, []).append(n)
    for members in by_project.values():
        expected.update(itertools.combinations(sorted(members), 2))
    counts = net.co_occurrence(pos, node, nodes, projects)
    assert {(i, j): int(counts[i, j]) for i in range(nodes) for j in range(i + 1, nodes) if counts[i, j]} \
        == dict(expected)
    assert (counts == counts.T).all()
    assert list(np.diag(counts)) == [int((node == n).sum()) for n in range(nodes)]


def test_a_project_of_many_partners_is_bounded_by_the_node_cut(
        tmp_path: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    tables = hand_tables()
    many = [f"org-{i:02d}" for i in range(60)]
    tables["organisations"] += [_source(organisation_id=o, name=o, country="DE") for o in many]
    tables["participations"] += [_source(project_id="p1", organisation_id=o, role="partner") for o in many]
    dataset = load_tiny(tmp_path, tables)  # type: ignore[arg-type]
    found = net.network(dataset, FilterState(), "org")
    assert len(found.nodes) == net.NODE_LIMIT and found.nodes_total == 65
    # 60 + 3 partners of P1 make 1,953 pairs; only those among the drawn nodes are counted.
    assert found.links_total <= net.NODE_LIMIT * (net.NODE_LIMIT - 1) // 2
    assert len(found.edges) == net.EDGE_LIMIT and found.links_cut


def test_the_same_selection_is_laid_out_the_same_way(hand: Dataset) -> None:
    mask = project_mask(hand, FilterState())
    first, second = net.build_network(hand, mask, "country"), net.build_network(hand, mask, "country")
    assert first.nodes[["x", "y"]].equals(second.nodes[["x", "y"]])
    assert first.nodes["x"].between(-1, 1).all() and first.nodes["y"].between(-1, 1).all()


def test_an_unknown_node_kind_is_refused(hand: Dataset) -> None:
    with pytest.raises(ValueError, match="unknown node kind"):
        net.build_network(hand, project_mask(hand, FilterState()), "planet")


# --- the figure, the note and the tables ----------------------------------------------------


def test_the_figure_draws_every_link_between_its_nodes_and_each_node_once(hand: Dataset) -> None:
    state = FilterState(country=("DE",))
    nodes, edges = net.nodes(hand, state), net.edges(hand, state)
    fig = network_figure(nodes, edges, state, "country").to_dict()
    lines = [t for t in fig["data"] if t.get("mode") == "lines"]
    segments = sum(sum(1 for v in t["x"] if v is None) for t in lines)
    assert segments == len(edges) == 3  # DE takes part in P1 and P2: DE–FR, DE–IT, FR–IT
    markers = [t for t in fig["data"] if t.get("mode") == "markers+text"]
    assert len(markers) == 1
    assert [c[0] for c in markers[0]["customdata"]] == list(nodes["id"])
    # The selected country is outlined.
    widths = dict(zip(nodes["id"], markers[0]["marker"]["line"]["width"], strict=True))
    assert widths["DE"] > widths["FR"]
    middles = next(t for t in fig["data"] if t.get("mode") == "markers")
    assert any("Germany – France: 2 projects shared" in text for text in middles["hovertext"])


def test_link_widths_grow_with_the_projects_shared(hand: Dataset) -> None:
    fig = network_figure(net.nodes(hand, FilterState()), net.edges(hand, FilterState()), FilterState(),
                         "country").to_dict()
    widths = {t["line"]["width"]: sum(1 for v in t["x"] if v is None)
              for t in fig["data"] if t.get("mode") == "lines"}
    # DE–FR (2) in the widest class; DE–IT and FR–IT (1) in a thinner one.
    assert widths[max(widths)] == 1 and sum(widths.values()) == 3


def test_an_empty_selection_draws_a_message_not_an_error(hand: Dataset) -> None:
    state = FilterState(country=("PT",))
    out = render_network(hand, state)
    fig = out["figure"].to_dict()
    assert fig["layout"]["annotations"][0]["text"] == "No partner to draw for this selection."
    assert "0 projects" in out["label"]


def button_ids(node) -> list:
    """The ids of every button under ``node`` (a component or a list of them)."""
    if isinstance(node, list | tuple):
        return [i for child in node for i in button_ids(child)]
    if not hasattr(node, "children"):
        return []
    return ([node.id] if isinstance(node, html.Button) else []) + button_ids(node.children)


def test_the_table_lists_the_drawn_links_and_a_button_per_country(hand: Dataset) -> None:
    state = FilterState()
    tables = network_table(net.nodes(hand, state), net.edges(hand, state), state, "country", True)
    links_text = next(t.children for t in tables if isinstance(t, dcc.Markdown))
    # Equal links in the order of their nodes' projects: France (3) before Germany (2).
    assert links_text.splitlines()[2:] == ["| Germany – France | 2 |", "| France – Italy | 1 |",
                                           "| Germany – Italy | 1 |"]
    assert button_ids(tables) == [ids.network_node_id("country", c) for c in ("FR", "DE", "ES", "IT")]
    org_state = FilterState(net="org")
    org_tables = network_table(net.nodes(hand, org_state), net.edges(hand, org_state), org_state, "org",
                               False)
    assert button_ids(org_tables) == []
    assert "FR One: 3 projects, linked to 3 others" in str(org_tables)


def test_a_name_in_the_links_table_is_text_not_markdown() -> None:
    assert markdown_text("A|B [x](javascript:y) *z*") == "A\\|B \\[x\\]\\(javascript:y\\) \\*z\\*"


def test_the_note_and_label_speak_the_pages_language(hand: Dataset) -> None:
    out = render_network(hand, FilterState(lang="de"))
    assert "4 Projekte" in out["label"]
    assert "Frankreich" in str(out["table"])


# --- clicks and the URL ---------------------------------------------------------------------


def test_clicking_a_country_node_toggles_the_country_filter() -> None:
    event = {"points": [{"customdata": ["DE", "country"]}]}
    state = act.on_network_click(FilterState(), event)
    assert state.country == ("DE",)
    assert act.on_network_click(state, event).country == ()
    hub = next_state(Trigger(ids.NETWORK, "clickData", event), FilterState(), (2000, 2030))
    assert hub.country == ("DE",)


def test_a_link_or_an_odd_click_filters_nothing() -> None:
    for event in ({"points": [{"customdata": ["DE", "link", "FR"]}]}, {"points": []}, None, "x",
                  {"points": [{"customdata": ["<script>", "country"]}]}):
        assert act.on_network_click(FilterState(), event) == FilterState()


def test_an_organisation_node_filters_only_once_the_state_has_an_organisation_filter() -> None:
    state = act.on_network_node(FilterState(), "org", "de-one")
    if act.ORG_FILTER:
        assert "de-one" in state.org  # type: ignore[attr-defined]
    else:
        assert state == FilterState()


def test_a_node_button_of_the_table_filters_through_the_hub() -> None:
    trigger = Trigger(ids.network_node_id("country", "FR"), "n_clicks", 1)
    assert next_state(trigger, FilterState(), (2000, 2030)).country == ("FR",)


def test_the_node_kind_switch_round_trips_through_the_url(hand: Dataset) -> None:
    state = next_state(Trigger(ids.NETWORK_KIND, "value", "org"), FilterState(country=("DE",)), (2000, 2030))
    assert state == FilterState(country=("DE",), net="org")
    assert state.to_query() == "country=DE&net=org"
    assert parse_query(state.to_query(), hand)[0] == state
    assert FilterState.from_dict(state.to_dict()) == state
    assert act.on_network_kind(state, "planet") == state
    assert state.filters == FilterState(country=("DE",))
    assert act.on_reset(state).net == "org"


def test_an_unknown_node_kind_in_the_url_is_noticed_and_countries_shown(hand: Dataset) -> None:
    state, notices = parse_query("net=planets", hand)
    assert state.net == "country"
    assert [n.param for n in notices] == ["net"]
    assert FilterState.from_dict({"net": ["org"]}).net == "country"


def test_the_seed_network_draws_for_both_kinds() -> None:
    seed = load_seed()
    for kind in ("country", "org"):
        out = render_network(seed, FilterState(net=kind))
        fig = out["figure"].to_dict()
        assert any(t.get("mode") == "markers+text" for t in fig["data"])
        assert out["note"]


def test_groups_that_share_no_link_are_laid_out_apart(hand: Dataset) -> None:
    nodes = net.nodes(hand, FilterState(net="org")).set_index("id")
    # Two groups: the four linked organisations (left cell, the bigger first) and Nowhere Ltd.
    assert (nodes.drop(index="nowhere")["x"] < 0).all()
    assert nodes.loc["nowhere", "x"] > 0


def test_a_node_without_links_sits_at_the_centre_of_its_cell_as_the_spring_layout_puts_it(
        hand: Dataset) -> None:
    nodes = net.nodes(hand, FilterState(net="org")).set_index("id")
    # Two groups side by side: the second cell is centred at x = 0.5, y = 0 (a grid of 2 x 1).
    assert (nodes.loc["nowhere", "x"], nodes.loc["nowhere", "y"]) == (0.5, 0.0)
    alone = nx.Graph()
    alone.add_node("a")
    spring = nx.spring_layout(alone, seed=net.LAYOUT_SEED, iterations=net.LAYOUT_ITERATIONS,
                              method="force")
    assert tuple(spring["a"]) == (0.0, 0.0)
