"""`countybridge ems solve …`: text and JSON output, CSV instances with a sites file, bilingual errors."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

TINY = "6 5 2\n1 2 1\n2 3 1\n3 4 8\n4 5 1\n5 6 1\n"  # a path 1-2-3 … 4-5-6 with a long middle edge


def run(*args):
    out = StringIO()
    call_command("ems", "solve", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def tiny(tmp_path):
    path = tmp_path / "tiny.txt"
    path.write_text(TINY, encoding="utf-8")
    return path


def test_json_has_exactly_the_four_keys_and_one_based_sites(tiny):
    body = json.loads(run("pmedian", "--instance", str(tiny), "--json"))
    assert set(body) == {"objective", "sites", "gap", "seconds"}
    assert body["objective"] == 4 and body["sites"] == [2, 5] and body["gap"] == 0
    assert body["seconds"] >= 0


def test_text_output_each_model(tiny):
    assert "objective: 4" in run("pmedian", "--instance", str(tiny))
    assert "objective: 1" in run("pcenter", "--instance", str(tiny))
    assert "objective: 6" in run("mclp", "--instance", str(tiny), "--radius", "1")
    assert "objective: 2" in run("lscp", "--instance", str(tiny), "--radius", "1")
    out = run("mexclp", "--instance", str(tiny), "--radius", "1", "--p", "3", "--q", "0.5")
    assert "objective: 3.75" in out and "×2" in out


def test_fixed_sites_by_node_id(tiny):
    body = json.loads(run("pmedian", "--instance", str(tiny), "--fixed", "1", "--json"))
    assert 1 in body["sites"] and body["objective"] == 5


def test_csv_instance_with_sites_file(tmp_path):
    (tmp_path / "m.csv").write_text(
        "demand,weight,S1,S2,S3\nv1,10,1,9,9\nv2,1,9,1,9\nv3,1,9,9,1\n", encoding="utf-8"
    )
    (tmp_path / "s.csv").write_text("site,cost,fixed\nS1,5,0\nS2,1,0\nS3,1,1\n", encoding="utf-8")
    args = ["--instance", str(tmp_path / "m.csv"), "--sites", str(tmp_path / "s.csv"), "--json"]
    body = json.loads(run("pmedian", "--p", "2", *args))
    assert body["sites"] == ["S1", "S3"] and body["objective"] == 10 + 9 + 1
    body = json.loads(run("pmedian", "--p", "2", "--budget", "2", *args))
    assert body["sites"] == ["S2", "S3"] and body["objective"] == 90 + 1 + 1


def test_bad_input_is_a_bilingual_command_error(tmp_path, tiny):
    bad = tmp_path / "bad.txt"
    bad.write_text("3 2 1\n1 2 4\n", encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        run("pmedian", "--instance", str(bad))
    assert (
        "orlib_edge_count" in str(exc.value) and "条边" in str(exc.value) and "edge lines" in str(exc.value)
    )
    with pytest.raises(CommandError) as exc:
        run("mclp", "--instance", str(tiny))
    assert "--radius" in str(exc.value)
    with pytest.raises(CommandError) as exc:
        run("pmedian", "--instance", str(tiny), "--p", "9")
    assert "p_out_of_range" in str(exc.value)
