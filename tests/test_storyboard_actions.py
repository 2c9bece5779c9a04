"""The storyboard's actions on the state (save, remove, move, step, open a file or the dataset's
own storyboard), the hub's dispatch of them, the panel they are drawn in, and the storyboard of a
dataset folder (good, bad, missing)."""

from __future__ import annotations

import base64
import json
import logging
import random
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from fixtures_data import load_seed

from callbacks import story_actions as story
from callbacks.hub import HUB_OUTPUTS, Trigger, hub_update, state_from_url
from callbacks.storyboard import render_storyboard, storyboard_download
from components import ids
from components.storyboard import bar_text, position_text, storyboard_panel, view_list
from data.engine.model import load_dataset
from data.engine.state import MAX_STORY_LENGTH, FilterState, parse_query
from data.engine.storyboard import Storyboard, StoryView, decode, encode
from data.io.paths import DEFAULT_DATASET
from data.io.storyboards import read_storyboard
from server.registry import DatasetRegistry


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> DatasetRegistry:
    return DatasetRegistry(load_seed(), tmp_path_factory.mktemp("uploads"))


@pytest.fixture(scope="module")
def parse(registry: DatasetRegistry) -> story.Parse:
    return lambda query: state_from_url(query, registry)


def board_of(state: FilterState) -> Storyboard:
    return decode(state.story)


def titles(state: FilterState) -> list[str]:
    return [v.title for v in board_of(state).views]


def incompressible(seed: int) -> str:
    """A note of 990 random-looking characters: it does not deflate, so a few outgrow the address."""
    return base64.b64encode(random.Random(seed).randbytes(750)).decode()[:990]


def three_views() -> FilterState:
    """A presenter's state after saving three views with different filters."""
    state = FilterState(country=("DE",), present=True, theme="dark", lang="de")
    for title, changes in (("Germany", {}), ("Photonics", {"country": (), "ket": ("photonics",)}),
                           ("Since 2015", {"ket": (), "year_from": 2015})):
        state = story.save_view(replace(state, **changes), title, f"about {title}").state
    return state


# --- pure actions ----------------------------------------------------------------------------


def test_a_saved_view_keeps_the_filters_and_view_but_not_the_presenters_own_parameters() -> None:
    state = FilterState(country=("DE",), ket=("photonics",), sort="-start", zoom=4.0, centre=(50.0, 10.0),
                        present=True, theme="dark", lang="fr", dataset="abc", step=3)
    result = story.save_view(state, "  Photonics   in Germany ", " A note. ")
    view = board_of(result.state).views[0]
    assert (view.title, view.note) == ("Photonics in Germany", "A note.")
    assert dict(p.split("=") for p in view.query.split("&")) == {
        "country": "DE", "ket": "photonics", "sort": "-start", "zoom": "4", "centre": "50,10",
        "dataset": "abc"}
    assert result.state.step == 1 and result.tone == "success"
    assert (result.state.present, result.state.theme, result.state.lang) == (True, "dark", "fr")


def test_saving_appends_views_in_order_and_an_untitled_view_is_numbered() -> None:
    state = three_views()
    assert titles(state) == ["Germany", "Photonics", "Since 2015"]
    # An untitled view is numbered in the presenter's language (the state's lang is "de").
    assert titles(story.save_view(state, "", None).state)[-1] == "Ansicht 4"
    assert titles(story.save_view(replace(state, lang="en"), "", None).state)[-1] == "View 4"
    assert story.save_view(state, "x", "").state.step == 4


def test_a_save_that_would_not_fit_in_the_address_is_refused_and_says_to_download() -> None:
    state = FilterState()
    refused = None
    for i in range(12):
        note = incompressible(i)
        result = story.save_view(state, f"View {i}", note)
        if result.state == state:
            refused = result
            break
        state = result.state
    assert refused is not None and len(state.story) <= MAX_STORY_LENGTH
    assert "Download the storyboard as a file" in refused.status and refused.tone == "warning"


def test_removing_a_view_keeps_the_view_shown_and_removing_the_last_one_ends_the_storyboard() -> None:
    state = replace(three_views(), step=3)
    after = story.remove_view(state, 0).state
    assert titles(after) == ["Photonics", "Since 2015"] and after.step == 2
    assert story.remove_view(state, 2).state.step is None
    alone = story.save_view(FilterState(), "Only", "").state
    assert (story.remove_view(alone, 0).state.story, story.remove_view(alone, 0).state.step) == ("", None)
    assert story.remove_view(state, 7).state == state


def test_moving_a_view_swaps_it_with_its_neighbour_and_the_view_shown_moves_with_it() -> None:
    state = replace(three_views(), step=1)
    down = story.move_view(state, 0, 1).state
    assert titles(down) == ["Photonics", "Germany", "Since 2015"] and down.step == 2
    up = story.move_view(down, 2, -1).state
    assert titles(up) == ["Photonics", "Since 2015", "Germany"] and up.step == 3
    assert story.move_view(state, 0, -1).state == state
    assert story.move_view(state, 2, 1).state == state


def test_stepping_applies_the_views_query_and_keeps_the_presenters_parameters(parse: story.Parse) -> None:
    state = replace(three_views(), step=None, country=("FR",))
    first = story.step(state, 1, parse).state
    assert (first.step, first.country, first.ket) == (1, ("DE",), ())
    second = story.step(first, 1, parse).state
    assert (second.step, second.country, second.ket) == (2, (), ("photonics",))
    assert (second.present, second.theme, second.lang, second.story) == (True, "dark", "de", state.story)
    assert story.step(second, -1, parse).state == first
    shown = story.show_view(state, 3, parse).state
    assert (shown.step, shown.year_from) == (3, 2015)


def test_stepping_past_either_end_or_to_a_view_not_there_leaves_the_state(parse: story.Parse) -> None:
    state = three_views()
    last = story.show_view(state, 3, parse).state
    assert story.step(last, 1, parse).state == last
    first = story.show_view(state, 1, parse).state
    assert story.step(first, -1, parse).state == first
    assert story.show_view(state, 4, parse).state == state
    assert story.show_view(state, 0, parse).state == state
    beyond = replace(state, step=9)  # ?step=9 of a three-view storyboard: Next starts at 1
    assert story.step(beyond, 1, parse).state.step == 1


def test_a_views_values_that_do_not_apply_are_noticed_when_it_is_shown(parse: story.Parse) -> None:
    odd = StoryView(title="Odd", query="country=Atlantis&ket=nanotechnology&dataset=gone")
    board = Storyboard(views=(odd,))
    result = story.show_view(FilterState(story=encode(board)), 1, parse)
    assert result.state.ket == ("nanotechnology",) and result.state.country == ()
    assert {n.param for n in result.notices} == {"country", "dataset"}


@pytest.mark.parametrize("action", [
    lambda s, p: story.step(s, 1, p), lambda s, p: story.remove_view(s, 0),
    lambda s, p: story.move_view(s, 0, 1), lambda s, p: story.show_view(s, 1, p),
])
def test_a_storyboard_token_that_cannot_be_read_is_said_and_nothing_breaks(
    action: Any, parse: story.Parse
) -> None:
    state = FilterState(story="not-a-token", country=("DE",))
    result = action(state, parse)
    assert result.state == state and result.tone == "danger" and "could not be read" in result.status


def test_saving_over_an_unreadable_token_starts_a_new_storyboard_and_says_so() -> None:
    result = story.save_view(FilterState(story="garbage"), "First", "")
    assert titles(result.state) == ["First"] and "could not be read" in result.status


def data_uri(content: str | bytes) -> str:
    raw = content.encode() if isinstance(content, str) else content
    return "data:application/json;base64," + base64.b64encode(raw).decode()


def test_an_uploaded_storyboard_replaces_the_current_one_and_shows_its_first_view(parse: story.Parse) -> None:
    board = Storyboard(title="Mine", views=(StoryView(title="Nano", query="ket=nanotechnology"),
                                            StoryView(title="All")))
    state = replace(three_views(), step=2)
    result = story.upload_storyboard(state, data_uri(board.to_json()), "mine.json", parse)
    assert board_of(result.state) == board
    assert (result.state.step, result.state.ket, result.state.present) == (1, ("nanotechnology",), True)
    assert "Mine" in result.status and result.tone == "success"


@pytest.mark.parametrize(("content", "field"), [
    ('{"views": [{"title": 5}]}', "views[0].title"),
    ('{"views": [{"query": "", "extra": 1}]}', "views[0].extra"),
    ("{oops", "storyboard: not JSON"),
    (b"\xff\xfe\x00garbage", "storyboard: not JSON"),
])
def test_a_bad_uploaded_file_is_refused_naming_the_field(content: str | bytes, field: str,
                                                         parse: story.Parse) -> None:
    state = three_views()
    result = story.upload_storyboard(state, data_uri(content), "bad.json", parse)
    assert result.state == state and result.tone == "danger"
    # The presenter's state is in German: the message is too, the field named as it is.
    assert result.status.startswith("bad.json ist kein Storyboard") and field in result.status


def test_an_upload_that_is_too_large_or_not_a_data_uri_is_refused_before_it_is_read(
    parse: story.Parse,
) -> None:
    state = FilterState()
    huge = "data:application/json;base64," + "A" * (story.MAX_FILE_BYTES * 4 // 3 + 8)
    assert "larger than" in story.upload_storyboard(state, huge, "big.json", parse).status
    assert "not a file" in story.upload_storyboard(state, "hello", "x.json", parse).status
    assert story.upload_storyboard(state, None, None, parse).state == state


def test_an_uploaded_storyboard_too_long_for_the_address_is_refused(parse: story.Parse) -> None:
    notes = [incompressible(i) for i in range(20)]
    board = Storyboard(views=tuple(StoryView(title=str(i), note=n) for i, n in enumerate(notes)))
    assert len(encode(board)) > MAX_STORY_LENGTH
    result = story.upload_storyboard(FilterState(), data_uri(board.to_json()), "long.json", parse)
    assert result.state == FilterState() and "Split it" in result.status


# --- the hub ---------------------------------------------------------------------------------


def test_the_hub_saves_a_view_writes_the_address_and_empties_the_fields(registry: DatasetRegistry) -> None:
    stored = FilterState(country=("DE",)).to_dict()
    out = hub_update(registry, Trigger(ids.STORY_SAVE, "n_clicks", 1), "?country=DE", stored,
                     story_inputs=("Germany", "Partners there", None))
    state = FilterState.from_dict(out["state"])
    assert titles(state) == ["Germany"] and out["search"] == f"?{state.to_query()}"
    assert (out["story_title"], out["story_note"]) == ("", "")
    assert "Saved" in str(out["story_status"])


def test_the_hub_steps_with_the_panels_and_the_bars_buttons_and_shows_notices(
    registry: DatasetRegistry,
) -> None:
    board = Storyboard(views=(StoryView(title="A", query="country=DE"),
                              StoryView(title="B", query="ket=photonics&country=Narnia")))
    stored = FilterState(story=encode(board), theme="dark").to_dict()
    out = hub_update(registry, Trigger(ids.STORY_BAR_NEXT, "n_clicks", 1), "", stored)
    assert FilterState.from_dict(out["state"]).step == 1 and out["country"] == ["DE"]
    out = hub_update(registry, Trigger(ids.STORY_NEXT, "n_clicks", 2), "", out["state"])
    state = FilterState.from_dict(out["state"])
    assert (state.step, state.ket, state.theme) == (2, ("photonics",), "dark")
    assert "Narnia" in repr(out["notices"])
    out = hub_update(registry, Trigger(ids.story_action_id("show", 0), "n_clicks", 1), "", out["state"])
    assert FilterState.from_dict(out["state"]).step == 1


def test_a_recreated_list_button_is_not_a_click_and_a_refusal_only_says_why(
    registry: DatasetRegistry,
) -> None:
    stored = FilterState(story=encode(Storyboard(views=(StoryView(title="A"),)))).to_dict()
    untouched = hub_update(registry, Trigger(ids.story_action_id("remove", 0), "n_clicks", 0), "", stored)
    assert all(v is untouched["state"] for v in untouched.values())
    refused = hub_update(registry, Trigger(ids.STORY_UPLOAD, "contents", data_uri("[]")), "", stored,
                         story_inputs=("", "", "x.json"))
    assert refused["story_upload"] is None and "x.json" in str(refused["story_status"])
    assert refused["state"] is refused["search"]  # both no_update
    assert set(refused) == set(HUB_OUTPUTS)


# --- the panel -------------------------------------------------------------------------------


def test_the_panel_labels_its_fields_and_names_every_button() -> None:
    panel = json.dumps(storyboard_panel().to_plotly_json(), default=lambda c: c.to_plotly_json())
    for label in ("Title of this view", "Note for the audience", "Save this view",
                  "Download storyboard (JSON)"):
        assert label in panel
    listed = view_list(Storyboard(views=(StoryView(title="A", note="n"), StoryView(title="B"))), 2)
    items = listed.children
    names = [b.to_plotly_json()["props"]["aria-label"] for b in items[1].children[2].children]
    assert names == ["Show view 2: B", "Move up view 2: B", "Move down view 2: B", "Remove view 2: B"]
    assert [b.disabled for b in items[0].children[2].children] == [False, True, False, False]
    assert items[1].to_plotly_json()["props"]["aria-current"] == "step"


def test_the_position_and_the_step_bar_say_which_view_is_shown() -> None:
    board = Storyboard(views=(StoryView(title="A"), StoryView(title="B"), StoryView(title="C")))
    assert position_text(board, 2) == "View 2 of 3"
    assert bar_text(board, 2) == "2 of 3: B"
    assert "press Next" in position_text(board, None)


def test_the_panel_render_marks_a_view_changed_since_it_was_saved(registry: DatasetRegistry,
                                                                   parse: story.Parse) -> None:
    board = Storyboard(views=(StoryView(title="A", note="Look", query="country=DE"), StoryView(title="B")))
    shown = FilterState(country=("DE",), story=encode(board), step=1)
    out = render_storyboard(registry.default, shown, parse)
    assert (out["bar_hidden"], out["bar_text"], out["bar_note"]) == (False, "1 of 2: A", "Look")
    assert (out["prev_disabled"], out["next_disabled"]) == (True, False)
    assert "changed" not in json.dumps(out["list"].to_plotly_json(), default=str)
    moved = render_storyboard(registry.default, replace(shown, country=("FR",)), parse)
    assert "changed since saved" in json.dumps(moved["list"].to_plotly_json(), default=str)
    assert moved["bar_text"] == "1 of 2: A (changed)"
    assert render_storyboard(registry.default, FilterState(), parse)["bar_hidden"] is True
    broken = render_storyboard(registry.default, FilterState(story="zzz"), parse)
    assert "could not be read" in json.dumps(broken["list"].to_plotly_json(), default=str)


def test_the_download_is_the_storyboards_json_file() -> None:
    board = Storyboard(title="T", views=(StoryView(title="A", query="country=DE"),))
    file = storyboard_download(1, FilterState(story=encode(board)).to_dict())
    assert file["filename"] == "storyboard.json"
    assert json.loads(file["content"]) == json.loads(board.to_json())
    assert storyboard_download(1, FilterState().to_dict()) is storyboard_download(0, None)


# --- the dataset folder's storyboard ------------------------------------------------------------


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    copy = tmp_path / "dataset"
    shutil.copytree(DEFAULT_DATASET, copy)
    return copy


def test_the_seed_dataset_comes_with_a_storyboard_whose_views_all_apply() -> None:
    seed = load_dataset()
    assert seed.storyboard is not None and seed.storyboard_problem == ""
    assert 3 <= len(seed.storyboard.views) <= 4
    assert len(encode(seed.storyboard)) <= MAX_STORY_LENGTH
    for view in seed.storyboard.views:
        assert view.title and view.note
        assert parse_query(view.query, seed)[1] == []


def test_a_folder_without_a_storyboard_has_none(folder: Path) -> None:
    (folder / "storyboard.json").unlink()
    assert read_storyboard(folder) is None
    dataset = load_dataset(folder)
    assert (dataset.storyboard, dataset.storyboard_problem) == (None, "")


def test_a_bad_folder_storyboard_is_logged_and_reported_and_the_dataset_still_loads(
    folder: Path, caplog: pytest.LogCaptureFixture, parse: story.Parse
) -> None:
    (folder / "storyboard.json").write_text('{"views": [{"title": "A", "colour": "red"}]}', encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        dataset = load_dataset(folder)
    assert dataset.size == load_seed().size and dataset.storyboard is None
    assert dataset.storyboard_problem.startswith("storyboard.json: views[0].colour")
    assert "storyboard ignored" in caplog.text
    out = render_storyboard(dataset, FilterState(), parse)
    assert out["folder_hidden"] is False and "could not be read" in out["folder_text"]
    assert out["folder_disabled"] is True


def test_the_hub_opens_the_datasets_storyboard_at_its_first_view(registry: DatasetRegistry) -> None:
    out = hub_update(registry, Trigger(ids.STORY_FOLDER_OPEN, "n_clicks", 1), "", FilterState().to_dict())
    state = FilterState.from_dict(out["state"])
    assert board_of(state) == registry.default.storyboard and state.step == 1
    assert "the dataset's folder" in str(out["story_status"])
