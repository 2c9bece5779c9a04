"""Panels are pure functions from query results to Dash components: checked on the text they
carry, without a browser."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from dash.development.base_component import Component
from fixtures_data import DOC_ID, load_seed, load_tiny, tiny_tables

from components import panels
from data.engine import queries
from data.engine.model import Dataset


def text(node: Any) -> str:
    """All text under a component, as a reader sees it (tags dropped)."""
    if isinstance(node, Component):
        return text(getattr(node, "children", None))
    if isinstance(node, list | tuple):
        return "".join(text(child) for child in node)
    return "" if node is None else str(node)


def find(node: Any, predicate: Any) -> list[Component]:
    """Every component under ``node`` (itself included) for which ``predicate`` holds."""
    found: list[Component] = []
    if isinstance(node, Component):
        if predicate(node):
            found.append(node)
        found += find(getattr(node, "children", None), predicate)
    elif isinstance(node, list | tuple):
        for child in node:
            found += find(child, predicate)
    return found


def figures(panel: list) -> dict[str, str]:
    """Headline figure id -> 'value label', as the page shows it."""
    blocks = find(panel, lambda c: getattr(c, "className", None) == "headline-figure")
    return {block.children[0].id: f"{text(block.children[0])} {text(block.children[1])}"
            for block in blocks}


def only(dataset: Dataset, *project_ids: str) -> np.ndarray:
    return dataset.projects["project_id"].isin(project_ids).to_numpy()


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    return load_tiny(tmp_path_factory.mktemp("tiny"))


# --- headline --------------------------------------------------------------------------------


def test_headline_without_a_country_filter_says_what_its_counts_cover(tiny: Dataset) -> None:
    shown = figures(panels.headline_panel(queries.headline(tiny, np.ones(tiny.size, dtype=bool))))
    assert shown["headline-organisations"] == "4 organisations in these projects"
    assert shown["headline-countries"] == "5 countries taking part in these projects"
    assert "headline-organisations-in-countries" not in shown


def test_headline_with_a_country_filter_shows_organisations_in_the_projects_and_in_the_country(
    tiny: Dataset,
) -> None:
    h = queries.headline(tiny, only(tiny, "alpha", "beta", "gamma"), countries=("DE",))
    shown = figures(panels.headline_panel(h))
    assert shown["headline-organisations"] == "3 organisations in these projects"
    assert shown["headline-organisations-in-countries"] == "1 of them in Germany"
    assert shown["headline-countries"] == "4 countries taking part in these projects"


@pytest.mark.parametrize(("countries", "said"), [
    (("DE", "FR"), "of them in Germany and France"),
    (("DE", "FR", "IT"), "of them in Germany, France and Italy"),
    (("DE", "FR", "IT", "UA"), "of them in the 4 selected countries"),
])
def test_headline_names_up_to_three_filtered_countries(
    tiny: Dataset, countries: tuple[str, ...], said: str
) -> None:
    h = queries.headline(tiny, np.ones(tiny.size, dtype=bool), countries=countries)
    assert figures(panels.headline_panel(h))["headline-organisations-in-countries"].endswith(said)


# --- detail panel: partners --------------------------------------------------------------------


def partner_items(body: list) -> list[str]:
    """The partner list of a detail panel, one string per listed partner."""
    heading = next(i for i, c in enumerate(body) if text(c) == "Partners")
    return [text(item) for item in body[heading + 1].children]


@pytest.fixture(scope="module")
def unnamed(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    tables = tiny_tables()
    tables["organisations"].append({"organisation_id": "cordis-999888", "external_id": "999888",
                                    "source": DOC_ID, "quote": "Tiny document."})
    tables["participations"] += [
        {"project_id": "alpha", "organisation_id": "sudcluster", "role": "third-party",
         "source": DOC_ID, "quote": "Sudcluster"},
        {"project_id": "alpha", "organisation_id": "cordis-999888", "role": "other",
         "role_stated": "internationalCooperationPartner", "source": DOC_ID, "quote": "Tiny document."},
    ]
    return load_tiny(tmp_path_factory.mktemp("unnamed"), tables)


def test_detail_lists_an_unnamed_partner_by_its_id_and_a_body_in_two_roles_once(unnamed: Dataset) -> None:
    items = partner_items(panels.detail_panel(queries.project_detail(unnamed, "alpha")))
    assert items == [
        "Nordcluster — Germany (country: [2]) — Coordinator · leads WP1, WP2 [1]",
        "Sudcluster — France (country: [2]) — Partner; Third party [1]",
        "Somewhere Lab — country not stated — role not stated [1]",
        "name not stated (id 999888) — country not stated — internationalCooperationPartner [1]",
    ]


def test_detail_labels_countries_named_without_organisations_by_the_roles_vocabulary(
    tiny: Dataset,
) -> None:
    body = panels.detail_panel(queries.project_detail(tiny, "beta"))
    heading = next(i for i, c in enumerate(body) if text(c) == "Countries named without organisations")
    assert [text(item) for item in body[heading + 1].children] == ["Associated partner: Ukraine [1]"]


def test_no_seed_partner_is_listed_with_an_empty_name_or_role() -> None:
    seed = load_seed()
    for project_id in seed.projects["project_id"]:
        body = panels.detail_panel(queries.project_detail(seed, project_id))
        for item in find(body, lambda c: type(c).__name__ == "Li"):
            strong = find(item, lambda c: type(c).__name__ == "Strong")
            if strong:
                assert text(strong[0]).strip(), project_id
        assert " —  " not in text(body) and "— [" not in text(body), project_id


def test_every_role_of_the_roles_vocabulary_is_labelled_in_the_detail_panel(tmp_path: Any) -> None:
    import csv

    from data.io.paths import TAXONOMY_DIR

    with (TAXONOMY_DIR / "roles.csv").open(encoding="utf-8") as handle:
        roles = {row["role_id"]: row["label"] for row in csv.DictReader(handle)}
    assert "third-party" in roles
    tables = tiny_tables()
    tables["organisations"] += [{"organisation_id": f"org-{role}", "name": f"Org {role}", "source": DOC_ID,
                                 "quote": "Tiny document."} for role in roles]
    tables["participations"] += [
        {"project_id": "gamma", "organisation_id": f"org-{role}", "role": role, "source": DOC_ID,
         "quote": "Tiny document.", **({"role_stated": "observer"} if role == "other" else {})}
        for role in roles]
    dataset = load_tiny(tmp_path, tables)
    items = partner_items(panels.detail_panel(queries.project_detail(dataset, "gamma")))
    shown = {item.split(" — ")[0].removeprefix("Org "): item.split(" — ")[2].removesuffix(" [1]")
             for item in items}
    # 'other' shows the source's own word; every other role its label in the vocabulary.
    assert shown == {**roles, "other": "observer"}
