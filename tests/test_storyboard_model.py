"""Storyboards as files and URL tokens: the same JSON, bounded, with errors naming the field."""

from __future__ import annotations

import base64
import json
import zlib

import pytest

from data.engine import storyboard as sb


def board(n: int = 3) -> sb.Storyboard:
    views = [sb.StoryView(title=f"View {i}", note=f"Note {i} — café", query=f"country=DE&from={2000 + i}")
             for i in range(n)]
    return sb.Storyboard(title="Workshop", views=tuple(views))


def test_a_storyboard_round_trips_through_its_file_and_its_url_token() -> None:
    story = board()
    assert sb.from_json(story.to_json()) == story
    token = sb.encode(story)
    assert token.isascii() and "=" not in token and "+" not in token and "/" not in token
    assert sb.decode(token) == story
    assert json.loads(story.to_json())["format"] == "ket-storyboard"


def test_the_empty_storyboard_has_an_empty_token() -> None:
    assert sb.encode(sb.Storyboard()) == ""
    assert sb.decode("") == sb.Storyboard()


@pytest.mark.parametrize(("content", "field"), [
    ('{"views": [{"title": "' + "x" * 200 + '"}]}', "views[0].title"),
    ('{"views": [{"note": 5}]}', "views[0].note"),
    ('{"views": [{"query": "a", "colour": "red"}]}', "views[0].colour"),
    ('{"format": "other"}', "format"),
    ('{"views": ' + json.dumps([{}] * 51) + "}", "views"),
    ("[1, 2]", "storyboard"),
    ("{not json", "storyboard"),
])
def test_a_bad_storyboard_file_names_the_field(content: str, field: str) -> None:
    with pytest.raises(sb.StoryboardError) as error:
        sb.from_json(content)
    assert str(error.value).startswith(field + ":")


def test_a_token_that_inflates_past_the_bound_is_refused_without_inflating_it_all() -> None:
    bomb = zlib.compress(b" " * (50 * sb.MAX_FILE_BYTES), 9)
    token = base64.urlsafe_b64encode(bomb).decode().rstrip("=")
    with pytest.raises(sb.StoryboardError, match="larger than"):
        sb.decode(token)


@pytest.mark.parametrize("token", ["!!!", "abc", base64.urlsafe_b64encode(b"not zlib").decode()])
def test_a_token_that_is_not_a_storyboard_is_refused(token: str) -> None:
    with pytest.raises(sb.StoryboardError, match="story"):
        sb.decode(token)


def test_with_views_reorders_and_is_bounded() -> None:
    story = board(3)
    flipped = story.with_views(list(reversed(story.views)))
    assert [v.title for v in flipped.views] == ["View 2", "View 1", "View 0"]
    with pytest.raises(sb.StoryboardError, match="views"):
        story.with_views(list(story.views) * 20)
