"""The filter state, its query-string form and the masks it selects, on the tiny dataset.

Tiny dataset (see ``fixtures_data.tiny_tables``):
  alpha 2010-01-01..2012-12-31 DE FR photonics/health prog-a
  beta  2012-06 + 24 months (derived end 2014-05-31) DE UA nanotechnology+photonics/digital prog-b
  gamma 2015, open-ended; IT DE (country only); no KET, no sector, no programme
  delta no dates; nothing else
  epsilon ends 2008, no start; GR; KETs unspecified; prog-a
"""

from __future__ import annotations

import numpy as np
import pytest
from fixtures_data import load_tiny

from data.engine.masks import period_masks, project_mask, select
from data.engine.model import Dataset
from data.engine.state import MAX_QUERY_LENGTH, FilterState, Notice, parse_query


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    return load_tiny(tmp_path_factory.mktemp("tiny"))


def ids(dataset: Dataset, mask: np.ndarray) -> set[str]:
    """Project ids where the mask is True."""
    return set(dataset.projects["project_id"][mask])


def parsed(query: str, dataset: Dataset) -> FilterState:
    """Parse a query that must be fully understood."""
    state, notices = parse_query(query, dataset)
    assert notices == [], [str(n) for n in notices]
    return state


# --- the query string ------------------------------------------------------------------------

ROUND_TRIP_STATES = [
    FilterState(),
    FilterState(country=("DE", "FR")),
    FilterState(ket=("nanotechnology", "photonics"), sector=("digital",)),
    FilterState(programme=("not-stated", "prog-a")),
    FilterState(ket=("not-stated",), sector=("not-stated",)),
    FilterState(year_from=2010, year_to=2012),
    FilterState(year_from=2013),
    FilterState(year_to=2009),
    FilterState(year_from=2012, year_to=2012),
    FilterState(project="beta"),
    FilterState(q="nano light"),
    FilterState(q="Ελλάδα café & co+op, 100% = ?#"),
    FilterState(map="partners"),
    FilterState(country=("GR", "UA"), ket=("photonics",), sector=("health",), programme=("prog-b",),
                year_from=2011, year_to=2014, project="alpha", q="réseau nord", map="partners"),
]


@pytest.mark.parametrize("state", ROUND_TRIP_STATES, ids=lambda s: s.to_query() or "default")
def test_state_survives_the_round_trip_through_its_query_string(state: FilterState, tiny: Dataset) -> None:
    assert parsed(state.to_query(), tiny) == state


def test_query_string_is_canonical_and_leaves_defaults_out() -> None:
    assert FilterState().to_query() == ""
    # map=projects is the default view, so it is not written.
    assert FilterState(map="projects").to_query() == ""
    state = FilterState(country=("DE", "FR"), ket=("photonics",), year_from=2010, year_to=2012,
                        project="alpha", q="a b", map="partners")
    assert state.to_query() == (
        "country=DE,FR&ket=photonics&from=2010&to=2012&project=alpha&q=a+b&map=partners"
    )


def test_parse_accepts_a_leading_question_mark_and_a_parsed_multidict(tiny: Dataset) -> None:
    expected = FilterState(country=("DE", "FR"), year_from=2010)
    assert parsed("?country=DE,FR&from=2010", tiny) == expected
    # Flask's request.args.to_dict(flat=False) gives lists of values, repeated parameters included.
    state, notices = parse_query({"country": ["DE", "FR"], "from": ["2010"]}, tiny)
    assert (state, notices) == (expected, [])


def test_repeated_parameter_is_the_same_as_comma_separated_values(tiny: Dataset) -> None:
    assert parsed("country=FR&country=IT", tiny) == parsed("country=FR,IT", tiny)


def test_values_are_canonicalised_sorted_and_deduplicated(tiny: Dataset) -> None:
    state = parsed("country=fr,DE,de&ket=Photonics,photonics&project=BETA&map=Partners", tiny)
    assert state.country == ("DE", "FR")
    assert state.ket == ("photonics",)
    assert state.project == "beta"
    assert state.map == "partners"


def test_q_whitespace_is_folded(tiny: Dataset) -> None:
    assert parsed("q=%20%20nano%20%20%20light%20", tiny).q == "nano light"


def test_country_names_and_eu_codes_in_the_url_are_normalised(tiny: Dataset) -> None:
    assert parsed("country=EL,Alemania,uk,Italia", tiny).country == ("DE", "GB", "GR", "IT")


# --- invalid values become notices and are ignored -------------------------------------------


@pytest.mark.parametrize(
    ("query", "param", "value"),
    [
        ("country=Narnia", "country", "Narnia"),
        ("ket=quantum", "ket", "quantum"),
        ("sector=space", "sector", "space"),
        ("programme=horizon", "programme", "horizon"),
        ("from=abc", "from", "abc"),
        ("to=12.5", "to", "12.5"),
        ("from=99999", "from", "99999"),
        ("from=1949", "from", "1949"),
        ("to=2101", "to", "2101"),
        ("from=-2010", "from", "-2010"),
        ("project=omega", "project", "omega"),
        ("project=../../etc", "project", "../../etc"),
        ("map=bubbles", "map", "bubbles"),
        ("colour=red", "colour", "red"),
    ],
)
def test_a_value_not_understood_becomes_a_notice_and_is_ignored(
    tiny: Dataset, query: str, param: str, value: str
) -> None:
    state, notices = parse_query(query, tiny)
    assert [(n.param, n.value) for n in notices] == [(param, value)]
    # Ignored means no restriction at all: the state is the default one.
    assert state == FilterState()


def test_good_values_beside_a_bad_one_are_kept(tiny: Dataset) -> None:
    state, notices = parse_query("country=DE,Narnia,FR&ket=photonics,quantum", tiny)
    assert state == FilterState(country=("DE", "FR"), ket=("photonics",))
    assert {(n.param, n.value) for n in notices} == {("country", "Narnia"), ("ket", "quantum")}


def test_from_after_to_is_swapped_with_a_notice(tiny: Dataset) -> None:
    state, notices = parse_query("from=2015&to=2010", tiny)
    assert (state.year_from, state.year_to) == (2010, 2015)
    assert len(notices) == 1
    assert "swapped" in notices[0].message


def test_year_bounds_are_accepted_at_their_limits(tiny: Dataset) -> None:
    state = parsed("from=1950&to=2100", tiny)
    assert (state.year_from, state.year_to) == (1950, 2100)


def test_a_too_long_q_is_cut_with_a_notice(tiny: Dataset) -> None:
    state, notices = parse_query("q=" + "x" * (MAX_QUERY_LENGTH + 50), tiny)
    assert state.q == "x" * MAX_QUERY_LENGTH
    assert [n.param for n in notices] == ["q"]


def test_empty_values_in_a_query_string_are_no_filter(tiny: Dataset) -> None:
    assert parsed("country=&ket=,,&from=&q=", tiny) == FilterState()


def test_a_superscript_digit_year_becomes_a_notice_not_an_exception(tiny: Dataset) -> None:
    state, notices = parse_query("from=%C2%B2", tiny)
    assert state == FilterState()
    assert [n.param for n in notices] == ["from"]


def test_notice_text_says_parameter_value_and_why() -> None:
    assert str(Notice("ket", "quantum", "not a known ket")) == "ket='quantum' ignored: not a known ket"


# --- the state object ------------------------------------------------------------------------


def test_toggle_adds_and_removes_a_value_keeping_order_canonical() -> None:
    state = FilterState(country=("FR",)).toggle("country", "DE")
    assert state.country == ("DE", "FR")
    assert state.toggle("country", "FR").country == ("DE",)


def test_dict_form_round_trips_for_the_store() -> None:
    state = ROUND_TRIP_STATES[-1]
    assert FilterState.from_dict(state.to_dict()) == state
    # A dcc.Store gives lists back, not tuples; the state must still compare (and hash) equal.
    as_json = {**state.to_dict(), "country": list(state.country)}
    assert FilterState.from_dict(as_json) == state
    assert hash(FilterState.from_dict(as_json)) == hash(state)
    assert FilterState.from_dict(None) == FilterState()


def test_is_default_ignores_the_map_metric() -> None:
    assert FilterState(map="partners").is_default
    assert not FilterState(q="x").is_default


# --- the masks -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"alpha", "beta", "gamma", "delta", "epsilon"}),
        ("country=FR", {"alpha"}),
        # Comma is OR within a parameter...
        ("country=FR,IT", {"alpha", "gamma"}),
        ("country=DE", {"alpha", "beta", "gamma"}),  # via an organisation or named as a country
        ("country=UA", {"beta"}),
        ("ket=photonics,unspecified", {"alpha", "beta", "epsilon"}),
        # ... and parameters are AND-ed.
        ("country=DE&ket=nanotechnology", {"beta"}),
        ("country=FR&ket=nanotechnology", set()),
        ("country=DE&sector=health&programme=prog-a", {"alpha"}),
        # 'not-stated' finds projects the sources tag with nothing: they are never dropped.
        ("ket=not-stated", {"gamma", "delta"}),
        ("sector=not-stated", {"gamma", "delta", "epsilon"}),
        ("programme=not-stated", {"gamma", "delta"}),
        # The open project is a focus, not a filter: it keeps what the other filters keep.
        ("project=beta", {"alpha", "beta", "gamma", "delta", "epsilon"}),
        ("project=beta&country=FR", {"alpha"}),  # as country=FR alone
        # Search looks at acronyms, titles, programmes and partner names; every word must match.
        ("q=nordcluster", {"alpha", "beta"}),
        ("q=LIGHT%20alpha", {"alpha"}),
        ("q=light%20beta", set()),
        ("q=programme%20nano", {"beta"}),  # programme names are searched too
    ],
)
def test_project_mask_keeps_the_projects_passing_every_filter(
    tiny: Dataset, query: str, expected: set[str]
) -> None:
    assert ids(tiny, project_mask(tiny, parsed(query, tiny))) == expected


@pytest.mark.parametrize(
    ("year_from", "year_to", "kept", "undetermined"),
    [
        # alpha ends 2012-12-31 and beta starts 2012-06: both meet 2012.
        (2012, 2012, {"alpha", "beta"}, {"delta"}),
        # 2013 starts the day after alpha ends: alpha is out. gamma (2015, no end) starts inside.
        (2013, None, {"beta", "gamma"}, {"delta"}),
        # alpha starts on 2010-01-01, the first day of 'to=2010'.
        (None, 2010, {"alpha", "epsilon"}, {"delta"}),
        (None, 2009, {"epsilon"}, {"delta"}),
        # beta's end is derived from its 24 months (2014-05-31), so it still meets 2014.
        (2014, 2014, {"beta"}, {"delta"}),
        # gamma started before 2016 and states no end: the sources cannot say, so it is
        # neither kept nor claimed to be outside.
        (2016, 2020, set(), {"gamma", "delta"}),
        (2008, 2008, {"epsilon"}, {"delta"}),
    ],
)
def test_period_keeps_overlapping_projects_and_calls_the_unknown_undetermined(
    tiny: Dataset, year_from: int | None, year_to: int | None, kept: set[str], undetermined: set[str]
) -> None:
    overlaps, unknown = period_masks(tiny, year_from, year_to)
    assert ids(tiny, overlaps) == kept
    assert ids(tiny, unknown) == undetermined
    assert not (overlaps & unknown).any()
    state = FilterState(year_from=year_from, year_to=year_to)
    assert ids(tiny, project_mask(tiny, state)) == kept


def test_project_mask_can_ignore_named_dimensions(tiny: Dataset) -> None:
    state = FilterState(country=("FR",), ket=("nanotechnology",), year_from=2013, project="beta", q="beta")
    assert ids(tiny, project_mask(tiny, state)) == set()
    assert ids(tiny, project_mask(tiny, state, ignore=("country",))) == {"beta"}
    assert ids(tiny, project_mask(tiny, state, ignore=("ket", "period", "project", "q"))) == {"alpha"}
    everything = ("country", "ket", "sector", "programme", "period", "project", "q")
    assert project_mask(tiny, state, ignore=everything).all()


def test_select_gives_each_view_the_context_of_its_own_selection(tiny: Dataset) -> None:
    s = select(tiny, FilterState(country=("FR",), ket=("nanotechnology",)))
    assert ids(tiny, s.matching) == set()
    assert ids(tiny, s.map_context) == {"beta"}  # every filter but country
    assert ids(tiny, s.matrix_context) == {"alpha"}  # every filter but KET and sector
    assert ids(tiny, s.listed) == set()
    assert not s.period_undetermined.any()  # no period, so nothing is undetermined


def test_select_counts_the_same_projects_whether_a_project_is_open_or_not(tiny: Dataset) -> None:
    open_, closed = (select(tiny, FilterState(country=("DE",), project=p, year_from=2013))
                     for p in ("alpha", None))
    # alpha ended in 2012: open, it is marked where it is drawn, and counted nowhere it is not.
    assert ids(tiny, open_.matching) == ids(tiny, closed.matching) == {"beta", "gamma"}
    assert ids(tiny, open_.listed) == {"beta", "gamma"}
    assert ids(tiny, open_.timeline_context) == {"alpha", "beta", "gamma"}  # every filter but period
    for name in ("map_context", "matrix_context", "period_undetermined"):
        assert ids(tiny, getattr(open_, name)) == ids(tiny, getattr(closed, name)), name


def test_select_counts_undetermined_projects_among_those_passing_other_filters(tiny: Dataset) -> None:
    s = select(tiny, FilterState(ket=("not-stated",), year_from=2016))
    assert ids(tiny, s.matching) == set()
    assert ids(tiny, s.period_undetermined) == {"gamma", "delta"}
    # A project failing another filter is not counted as undetermined.
    s = select(tiny, FilterState(ket=("photonics",), year_from=2016))
    assert ids(tiny, s.period_undetermined) == set()
