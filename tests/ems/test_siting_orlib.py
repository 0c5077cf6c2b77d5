"""OR-Library and CSV instance readers: parsing, the duplicate-edge rule and bilingual errors."""

import numpy as np
import pytest

from countybridge.ems.siting import SitingInputError
from countybridge.ems.siting.csvinstance import parse_csv, read_csv
from countybridge.ems.siting.orlib import parse_orlib, read_orlib


def test_orlib_shortest_paths_and_last_duplicate_edge_counts():
    text = "4 4 2\n1 2 5\n2 3 1\n1 2 2\n3 4 7\n"
    inst = parse_orlib(text, "tiny")
    assert (inst.nodes, inst.p) == (4, 2)
    assert (
        inst.edges[(0, 1)] == 2
    )  # listed 5 then 2: the last listing counts, even though larger would be kept
    assert inst.distances[0, 1] == 2
    assert inst.distances[0, 3] == 2 + 1 + 7
    assert np.allclose(inst.distances, inst.distances.T)


def test_orlib_last_listing_wins_even_when_larger():
    inst = parse_orlib("2 2 1\n1 2 1\n2 1 9\n")
    assert inst.distances[0, 1] == 9  # not the minimum of the two


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "orlib_empty"),
        ("3 1\n", "orlib_malformed"),
        ("3 2 1\n1 2 4\n", "orlib_edge_count"),
        ("3 1 1\n1 4 2\n", "orlib_malformed"),
        ("3 1 1\n1 2 x\n", "orlib_malformed"),
        ("3 1 1\n1 2 -3\n", "orlib_malformed"),
        ("3 1 5\n1 2 3\n", "orlib_malformed"),
    ],
)
def test_orlib_malformed(text, code):
    with pytest.raises(SitingInputError) as exc:
        parse_orlib(text)
    assert exc.value.code == code
    assert exc.value.message_zh and exc.value.message_en


def test_orlib_missing_file(tmp_path):
    with pytest.raises(SitingInputError) as exc:
        read_orlib(tmp_path / "nope.txt")
    assert exc.value.code == "file_unreadable"


MATRIX = "demand,weight,A,B,C\nd1,2,1,5,\nd2,1,4,inf,2\n"


def test_csv_matrix_and_sites(tmp_path):
    inst = parse_csv(MATRIX)
    assert inst.site_labels == ["A", "B", "C"] and inst.demand_labels == ["d1", "d2"]
    assert list(inst.weights) == [2, 1]
    assert inst.distances[0, 2] == np.inf and inst.distances[1, 1] == np.inf
    (tmp_path / "m.csv").write_text(MATRIX, encoding="utf-8")
    (tmp_path / "s.csv").write_text("site,cost,fixed,candidate\nA,3,1,1\nC,2,0,0\n", encoding="utf-8")
    full = read_csv(tmp_path / "m.csv", tmp_path / "s.csv")
    assert list(full.costs) == [3, 0, 2] and full.fixed == [0] and full.candidates == [0, 1]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "csv_empty"),
        ("id,w,A\nd1,1,2\n", "csv_header"),
        ("demand,weight,A,A\nd1,1,2,3\n", "csv_site_labels"),
        ("demand,weight,A\n", "csv_no_demand"),
        ("demand,weight,A,B\nd1,1,2\n", "csv_columns"),
        ("demand,weight,A\nd1,x,2\n", "csv_not_numeric"),
        ("demand,weight,A\nd1,1,-2\n", "csv_negative"),
        ("demand,weight,A\nd1,1,2\nd1,1,3\n", "csv_demand_labels"),
    ],
)
def test_csv_malformed(text, code):
    with pytest.raises(SitingInputError) as exc:
        parse_csv(text)
    assert exc.value.code == code
    assert exc.value.message_zh and exc.value.message_en


@pytest.mark.parametrize(
    ("sites", "code"),
    [
        ("name,cost\nA,1\n", "csv_sites_header"),
        ("site,cost\nZ,1\n", "csv_unknown_site"),
        ("site,fixed\nA,2\n", "csv_flag"),
        ("site,cost\nA,1\nA,2\n", "csv_duplicate_site"),
        ("site,candidate\nA,0\nB,0\nC,0\n", "candidates_empty"),
    ],
)
def test_csv_sites_malformed(sites, code):
    with pytest.raises(SitingInputError) as exc:
        parse_csv(MATRIX, sites)
    assert exc.value.code == code


def test_csv_error_names_the_line():
    with pytest.raises(SitingInputError) as exc:
        parse_csv("demand,weight,A\nd1,1,2\nd2,1,oops\n")
    assert "第 3 行" in exc.value.message_zh and "line 3" in exc.value.message_en
