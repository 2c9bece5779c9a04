"""Tags inferred by the rules in data/taxonomy/tagging_rules.csv: the shipped rules are valid and
cover the taxonomies; CORDIS's classifications (EuroSciVoc fields, programme parts, topics) are
read first and keywords fill in only where they tag nothing; each tag quotes its evidence;
curated tags win; a broken rules file is refused with file, line and field."""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd
import pytest

from data.importers.tagging import DEFAULT_RULES, RulesError, infer_tags, load_rules
from data.io.paths import TAXONOMY_DIR

HEADER = "rule_id,target,value,match,pattern,note\n"


def rules_file(tmp_path: Path, lines: str) -> Path:
    path = tmp_path / "rules.csv"
    path.write_text(HEADER + lines, encoding="utf-8")
    return path


def projects(*rows: dict[str, str]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    for column in ("project_id", "title", "summary", "topics"):
        if column not in frame:
            frame[column] = ""
    return frame.fillna("")


@pytest.fixture(scope="module")
def shipped() -> pd.DataFrame:
    return load_rules()


@pytest.fixture
def small(tmp_path: Path) -> pd.DataFrame:
    """A few rules of each kind, so these tests do not depend on the shipped rule set."""
    return load_rules(rules_file(tmp_path, (
        "nano-graphene,ket,nanotechnology,keyword,graphene,t\n"
        "nano-nanoparticle,ket,nanotechnology,keyword,nanoparticle,t\n"
        "nano-nanotechnology,ket,nanotechnology,keyword,nanotechnology,t\n"
        "pho-laser,ket,photonics,keyword,laser,t\n"
        "amt-additive,ket,advanced-manufacturing,keyword,additive manufacturing,t\n"
        "amt-3d,ket,advanced-manufacturing,keyword,3D printing,t\n"
        "ibt-bio-based,ket,industrial-biotechnology,keyword,bio-based,t\n"
        "nano-h2020,ket,nanotechnology,code_prefix,H2020-EU.2.1.2,t\n"
        "amt-fof,ket,advanced-manufacturing,code_prefix,FoF-,t\n"
        "hea-hospital,sector,health,keyword,hospital,t\n"
        "mob-automotive,sector,mobility-transport-automotive,keyword,automotive,t\n"
    )))


def tags_of(frame: pd.DataFrame, column: str) -> dict[str, list[str]]:
    return {p: sorted(g[column]) for p, g in frame.groupby("project_id")}


# --- the shipped rules ------------------------------------------------------------------------


def test_shipped_rules_validate_and_use_only_known_slugs(shipped: pd.DataFrame) -> None:
    kets = set(pd.read_csv(TAXONOMY_DIR / "kets.csv", dtype=str)["ket_id"])
    sectors = set(pd.read_csv(TAXONOMY_DIR / "sectors.csv", dtype=str)["sector_id"])
    assert set(shipped.loc[shipped["target"] == "ket", "value"]) <= kets
    assert set(shipped.loc[shipped["target"] == "sector", "value"]) <= sectors
    assert shipped["rule_id"].is_unique
    assert (shipped["note"].str.len() > 0).all()
    # Keywords plus the crosswalk from CORDIS's programme parts, topics and EuroSciVoc fields.
    assert 300 <= len(shipped) <= 600
    assert set(shipped["match"]) == {"keyword", "code_prefix", "legal_basis", "topic", "euroscivoc"}


def test_shipped_rules_cover_every_specific_ket_and_every_sector(shipped: pd.DataFrame) -> None:
    kets = set(pd.read_csv(TAXONOMY_DIR / "kets.csv", dtype=str)["ket_id"]) - {"unspecified"}
    sectors = set(pd.read_csv(TAXONOMY_DIR / "sectors.csv", dtype=str)["sector_id"])
    assert set(shipped.loc[shipped["target"] == "ket", "value"]) == kets
    assert set(shipped.loc[shipped["target"] == "sector", "value"]) == sectors


def test_shipped_rules_never_claim_unspecified_kets(shipped: pd.DataFrame) -> None:
    # 'unspecified' means a source speaks of KETs in general; no word can prove that.
    assert "unspecified" not in set(shipped["value"])


def test_shipped_rules_avoid_vague_words(shipped: pd.DataFrame) -> None:
    keywords = set(shipped.loc[shipped["match"] == "keyword", "pattern"].str.casefold())
    assert not keywords & {"light", "material", "materials", "construction", "vehicle", "defence",
                           "steel", "design", "chip", "energy", "technology", "innovation"}


def test_vague_text_infers_nothing_with_shipped_rules(shipped: pd.DataFrame) -> None:
    kets, sectors = infer_tags(projects({"project_id": "p", "title": "Light material solutions",
                                         "summary": "New construction of a vehicle for change."}),
                               shipped, "src")
    assert kets.empty and sectors.empty


def test_shipped_legal_basis_codes_map_to_the_documented_kets(shipped: pd.DataFrame) -> None:
    frame = projects(
        {"project_id": "nano", "topics": "H2020-EU.2.1.2.;H2020-EU.2.3.1."},
        {"project_id": "materials", "topics": "H2020-EU.2.1.3."},
        {"project_id": "biotech", "topics": "H2020-EU.2.1.4."},
        {"project_id": "manufacturing", "topics": "H2020-EU.2.1.5.1."},
        {"project_id": "he-materials", "topics": "HORIZON.2.4.4"},
        {"project_id": "he-manufacturing", "topics": "HORIZON.2.4.1"},
    )
    kets, _ = infer_tags(frame, shipped, "src")
    assert tags_of(kets, "ket") == {
        "nano": ["nanotechnology"], "materials": ["advanced-materials"],
        "biotech": ["industrial-biotechnology"], "manufacturing": ["advanced-manufacturing"],
        "he-materials": ["advanced-materials"], "he-manufacturing": ["advanced-manufacturing"],
    }


# --- keywords ---------------------------------------------------------------------------------


def test_keywords_infer_the_slug_and_quote_every_triggering_word_as_found(small: pd.DataFrame) -> None:
    kets, sectors = infer_tags(projects({
        "project_id": "p", "title": "Graphene for hospitals",
        "summary": "We make graphene and Nanoparticles in a hospital."}), small, "import-x")
    row = kets.iloc[0]
    assert (row["project_id"], row["ket"], row["origin"], row["source"]) == (
        "p", "nanotechnology", "inferred", "import-x")
    # One row per project and slug; each word once, first spelling kept, in text order.
    assert len(kets) == 1
    assert row["quote"] == "Graphene; Nanoparticles"
    assert row["rule"] == "nano-graphene; nano-nanoparticle"
    assert sectors[["sector", "quote", "rule"]].values.tolist() == [
        ["health", "hospitals; hospital", "hea-hospital"]]


def test_keywords_match_whole_words_only(small: pd.DataFrame) -> None:
    kets, _ = infer_tags(projects({"project_id": "p", "title": "Microlasers and lasering",
                                   "summary": "Paragraphenes, nanoparticleboard."}), small, "s")
    assert kets.empty


def test_keywords_find_plurals_and_hyphen_or_space_variants(small: pd.DataFrame) -> None:
    kets, _ = infer_tags(projects(
        {"project_id": "a", "summary": "Two nanotechnologies and lasers."},
        {"project_id": "b", "summary": "Additive-manufacturing and 3D-printing of biobased parts."},
        {"project_id": "c", "summary": "additive\n  manufacturing, laser-based."},
    ), small, "s")
    quotes = {(r.project_id, r.ket): r.quote for r in kets.itertuples()}
    assert quotes[("a", "nanotechnology")] == "nanotechnologies"
    assert quotes[("a", "photonics")] == "lasers"
    assert quotes[("b", "advanced-manufacturing")] == "Additive-manufacturing; 3D-printing"
    assert quotes[("b", "industrial-biotechnology")] == "biobased"
    # Whitespace inside a phrase is folded, and 'laser-based' still names a laser.
    assert quotes[("c", "advanced-manufacturing")] == "additive manufacturing"
    assert quotes[("c", "photonics")] == "laser"


def test_keywords_are_found_in_topics_too(small: pd.DataFrame) -> None:
    kets, _ = infer_tags(projects({"project_id": "p", "topics": "Graphene Flagship;FET"}), small, "s")
    assert kets[["ket", "quote"]].values.tolist() == [["nanotechnology", "Graphene"]]


# --- code prefixes ----------------------------------------------------------------------------


def test_code_prefix_matches_the_code_and_its_subcodes_but_not_a_longer_number(small: pd.DataFrame) -> None:
    kets, _ = infer_tags(projects(
        {"project_id": "a", "topics": "H2020-EU.2.1.2."},
        {"project_id": "b", "topics": "H2020-EU.3.4.;H2020-EU.2.1.2.1."},
        {"project_id": "c", "topics": "H2020-EU.2.1.20"},
        {"project_id": "d", "topics": "XH2020-EU.2.1.2"},
    ), small, "s")
    assert kets[["project_id", "ket", "quote", "rule"]].values.tolist() == [
        ["a", "nanotechnology", "H2020-EU.2.1.2.", "nano-h2020"],
        ["b", "nanotechnology", "H2020-EU.2.1.2.1.", "nano-h2020"],
    ]


def test_code_prefix_ending_in_a_dash_matches_any_topic_of_that_family(small: pd.DataFrame) -> None:
    kets, _ = infer_tags(projects({"project_id": "p", "topics": "NMBP-02-2016; FoF-01-2016"}), small, "s")
    assert kets[["ket", "quote"]].values.tolist() == [["advanced-manufacturing", "FoF-01-2016"]]


def test_code_prefix_is_looked_for_in_topics_not_in_the_text(small: pd.DataFrame) -> None:
    kets, _ = infer_tags(projects({"project_id": "p", "summary": "Funded under H2020-EU.2.1.2."}),
                         small, "s")
    assert kets.empty


def test_keyword_and_code_hits_for_one_slug_become_one_tag_per_kind_of_evidence(
        small: pd.DataFrame) -> None:
    kets, _ = infer_tags(projects({"project_id": "p", "summary": "3D printing lines",
                                   "topics": "FoF-05-2015"}), small, "s")
    # The code is the stronger evidence, so it comes first.
    assert kets[["ket", "evidence", "quote", "rule"]].values.tolist() == [
        ["advanced-manufacturing", "code", "FoF-05-2015", "amt-fof"],
        ["advanced-manufacturing", "keyword", "3D printing", "amt-3d"]]


# --- curated tags win -------------------------------------------------------------------------


def test_curated_tags_suppress_inference_of_that_kind_only(small: pd.DataFrame) -> None:
    frame = projects({"project_id": "p", "summary": "graphene in a hospital"},
                     {"project_id": "q", "summary": "graphene in a hospital"})
    curated = pd.DataFrame([{"project_id": "p", "ket": "photonics", "origin": "curated"}])
    kets, sectors = infer_tags(frame, small, "s", existing_kets=curated)
    assert list(kets["project_id"]) == ["q"]
    assert sorted(sectors["project_id"]) == ["p", "q"]


def test_tags_without_origin_count_as_curated_but_inferred_ones_do_not(small: pd.DataFrame) -> None:
    frame = projects({"project_id": "p", "summary": "graphene"}, {"project_id": "q", "summary": "graphene"})
    existing = pd.DataFrame([{"project_id": "p", "ket": "photonics", "origin": ""},
                             {"project_id": "q", "ket": "photonics", "origin": "inferred"}])
    kets, _ = infer_tags(frame, small, "s", existing_kets=existing)
    assert list(kets["project_id"]) == ["q"]


def test_results_have_exactly_the_normalized_columns(small: pd.DataFrame) -> None:
    kets, sectors = infer_tags(projects({"project_id": "p", "summary": "lasers for automotive"}),
                               small, "s")
    assert list(kets.columns) == ["project_id", "ket", "origin", "rule", "evidence", "source", "quote"]
    assert list(sectors.columns) == ["project_id", "sector", "origin", "rule", "evidence", "source",
                                     "quote"]
    empty_k, empty_s = infer_tags(projects({"project_id": "p", "summary": "nothing"}), small, "s")
    assert list(empty_k.columns) == list(kets.columns) and empty_k.empty and empty_s.empty


# --- the rules file is checked ----------------------------------------------------------------


def test_rules_file_problems_are_named_by_file_line_and_field(tmp_path: Path) -> None:
    path = rules_file(tmp_path, (
        "ok-rule,ket,photonics,keyword,laser,fine\n"               # line 2
        "bad-slug,ket,quantum,keyword,qubit,unknown KET\n"           # line 3
        "bad-target,technology,photonics,keyword,lidar,bad\n"        # line 4
        "bad-match,ket,photonics,regex,opt.*,bad\n"                  # line 5
        "ok-rule,sector,health,keyword,hospital,duplicate id\n"      # line 6
        "No Slug,sector,healthy,keyword,clinic,two problems\n"       # line 7
        "no-note,sector,health,keyword,patient,\n"                   # line 8
        "dup-pattern,ket,photonics,keyword,LASER,same as line 2\n"   # line 9
        "short,ket,photonics,keyword,x,too short\n"                  # line 10
    ))
    with pytest.raises(RulesError) as caught:
        load_rules(path)
    found = {(p.line, p.field) for p in caught.value.problems}
    # Both rows of a repeated rule id are named, each pointing at the other.
    assert found == {(3, "value"), (4, "target"), (5, "match"), (2, "rule_id"), (6, "rule_id"),
                     (7, "rule_id"), (7, "value"), (8, "note"), (9, "pattern"), (10, "pattern")}
    assert all(p.file == "rules.csv" for p in caught.value.problems)
    message = str(caught.value)
    assert "rules.csv, line 3, field 'value': refers to a ket_id that kets.csv does not have" in message
    assert "(value: 'quantum')" in message
    assert ("rules.csv, line 6, field 'rule_id': duplicate key (rule_id): another row has the same "
            "values (line 2)") in message
    assert "line 9, field 'pattern': same pattern and tag as rule ok-rule" in message
    assert "line 4, field 'target': must be one of ket, sector" in message


def test_rules_file_missing_a_column_is_refused_on_the_header_line(tmp_path: Path) -> None:
    path = tmp_path / "rules.csv"
    path.write_text("rule_id,target,value,pattern,note\nr,ket,photonics,laser,n\n", encoding="utf-8")
    with pytest.raises(RulesError) as caught:
        load_rules(path)
    assert [(p.line, p.field, p.message) for p in caught.value.problems] == [
        (1, "match", "required column is missing")]


def test_rules_file_that_does_not_exist_is_refused(tmp_path: Path) -> None:
    with pytest.raises(RulesError, match=r"nope\.csv: file is missing from"):
        load_rules(tmp_path / "nope.csv")


def test_default_rules_path_is_the_taxonomy_file() -> None:
    assert DEFAULT_RULES == TAXONOMY_DIR / "tagging_rules.csv"


# --- speed ------------------------------------------------------------------------------------


def test_ten_thousand_projects_are_tagged_in_a_few_seconds(shipped: pd.DataFrame) -> None:
    filler = ("the consortium of regional clusters will develop new services for small firms across "
              "europe and share good practice in innovation policy with public authorities ") * 8
    words = ["graphene", "lasers", "semiconductor", "hospital", "automotive", "additive manufacturing"]
    frame = pd.DataFrame({
        "project_id": [f"p{i}" for i in range(10_000)],
        "title": [f"Project {i}" for i in range(10_000)],
        "summary": [filler + (words[i % len(words)] if i % 3 == 0 else "") for i in range(10_000)],
        "topics": ["H2020-EU.2.1.2.;NMBP-02-2016" if i % 5 == 0 else "" for i in range(10_000)],
    })
    started = time.perf_counter()
    kets, sectors = infer_tags(frame, shipped, "s")
    elapsed = time.perf_counter() - started
    # Loose bound: about 1-2 s on a laptop; a Python loop over projects takes far longer.
    assert elapsed < 10, f"tagging 10,000 projects took {elapsed:.1f} s"
    assert len(kets) > 3000 and len(sectors) > 1000


# --- CORDIS's own classifications (the crosswalk) ---------------------------------------------


def classified(*rows: tuple[str, str, str, str]) -> pd.DataFrame:
    """Classification rows (project_id, scheme, code or path, title) as the importer writes them."""
    out = []
    for project_id, scheme, code, title in rows:
        path = code if scheme == "euroscivoc" else ""
        out.append({"project_id": project_id, "scheme": scheme, "code": code, "title": title,
                    "path": path, "source": f"{scheme}-file"})
    return pd.DataFrame(out)


@pytest.fixture
def crosswalk(tmp_path: Path) -> pd.DataFrame:
    return load_rules(rules_file(tmp_path, (
        "nano-esv,ket,nanotechnology,euroscivoc,/engineering and technology/nanotechnology,t\n"
        "am-lb,ket,advanced-materials,legal_basis,H2020-EU.2.1.3,t\n"
        "amt-topic,ket,advanced-manufacturing,topic,FOF-,t\n"
        "pho-laser,ket,photonics,keyword,laser,t\n"
        "hea-hospital,sector,health,keyword,hospital,t\n"
    )))


def test_euroscivoc_rule_finds_the_field_and_the_fields_below_it_only(crosswalk: pd.DataFrame) -> None:
    frame = projects({"project_id": "a"}, {"project_id": "b"}, {"project_id": "c"})
    kets, _ = infer_tags(frame, crosswalk, "s", classifications=classified(
        ("a", "euroscivoc", "/engineering and technology/nanotechnology", "nanotechnology"),
        ("b", "euroscivoc", "/engineering and technology/nanotechnology/nano-materials/graphene",
         "graphene"),
        ("c", "euroscivoc", "/engineering and technology/nanotechnologyx", "not a sub-field"),
    ))
    assert kets[["project_id", "ket", "evidence", "source"]].values.tolist() == [
        ["a", "nanotechnology", "euroscivoc", "euroscivoc-file"],
        ["b", "nanotechnology", "euroscivoc", "euroscivoc-file"]]
    assert kets["quote"].iloc[1] == ("EuroSciVoc: /engineering and technology/nanotechnology/"
                                     "nano-materials/graphene")


def test_legal_basis_and_topic_rules_read_their_own_scheme_with_titles_quoted(
        crosswalk: pd.DataFrame) -> None:
    frame = projects({"project_id": "a"}, {"project_id": "b"})
    kets, _ = infer_tags(frame, crosswalk, "s", classifications=classified(
        ("a", "legal-basis", "H2020-EU.2.1.3.", "Advanced materials"),
        ("a", "topic", "FOF-13-2016", ""),
        # A topic code that looks like a programme part is not read as one.
        ("b", "topic", "H2020-EU.2.1.3.", ""),
    ))
    assert kets[["project_id", "ket", "evidence", "quote"]].values.tolist() == [
        ["a", "advanced-materials", "legal-basis", "legal basis H2020-EU.2.1.3. Advanced materials"],
        ["a", "advanced-manufacturing", "topic", "topic FOF-13-2016"]]


def test_keywords_fill_in_only_where_no_classification_tags_that_kind(crosswalk: pd.DataFrame) -> None:
    frame = projects({"project_id": "a", "summary": "lasers in a hospital"},
                     {"project_id": "b", "summary": "lasers in a hospital"})
    kets, sectors = infer_tags(frame, crosswalk, "s", classifications=classified(
        ("a", "legal-basis", "H2020-EU.2.1.3.", "Advanced materials")))
    # a has a KET from its programme part, so 'lasers' adds none; its sector still comes from words.
    assert kets[["project_id", "ket", "evidence"]].values.tolist() == [
        ["a", "advanced-materials", "legal-basis"], ["b", "photonics", "keyword"]]
    assert sorted(sectors["project_id"]) == ["a", "b"]


def test_shipped_crosswalk_tags_horizon_europe_and_fp7_classifications(shipped: pd.DataFrame) -> None:
    frame = projects({"project_id": "he"}, {"project_id": "esv"})
    kets, _ = infer_tags(frame, shipped, "s", classifications=classified(
        ("he", "legal-basis", "HORIZON.2.4.4", "Advanced Materials"),
        ("esv", "euroscivoc", "/engineering and technology/nanotechnology/nano-materials",
         "nano-materials"),
    ))
    assert tags_of(kets, "ket") == {"he": ["advanced-materials"], "esv": ["nanotechnology"]}
