"""`countybridge surveillance detect`: output equal to the library's, R's default parameters, and bad input
refused with a bilingual message naming the row and no output file written."""

import csv
from io import StringIO

import numpy as np
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from countybridge.surveillance.detection import (
    cidars_weekly,
    cusum_rossi,
    ears_c,
    farrington,
    farrington_flexible,
)

from .reference import load


def write_counts(path, rows, header=("series", "period", "count")):
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def read_output(path):
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def salm():
    ref = load("salmNewport")
    return ref["series"][:4], ref["iso_week"], ref["observed"][:4]


@pytest.fixture
def counts_csv(tmp_path, salm):
    names, weeks, observed = salm
    rows = [
        (name, week, int(c))
        for name, row in zip(names, observed, strict=True)
        for week, c in zip(weeks, row, strict=True)
    ]
    path = tmp_path / "counts.csv"
    write_counts(path, rows)
    return path


def detect(*args):
    out = StringIO()
    call_command("surveillance", "detect", *args, stdout=out)
    return out.getvalue()


def grid(rows, column, n_series):
    values = [float(r[column]) if r[column] else np.nan for r in rows]
    return np.array(values).reshape(n_series, -1)


@pytest.mark.parametrize(
    "method, expected",
    [
        ("farrington-flexible", lambda c: farrington_flexible(c, alpha=0.05)),
        ("farrington", lambda c: farrington(c, alpha=0.05)),
        ("ears-c1", lambda c: ears_c(c, method="C1", alpha=0.001)),
        ("ears-c2", lambda c: ears_c(c, method="C2", alpha=0.001)),
        ("ears-c3", lambda c: ears_c(c, method="C3", alpha=0.001)),
        ("cusum", lambda c: cusum_rossi(c, start=52)),
        ("cidars-percentile", lambda c: cidars_weekly(c, percentile=80)),
    ],
)
def test_detect_writes_the_library_result_with_default_parameters(
    tmp_path, counts_csv, salm, method, expected
):
    out = tmp_path / "signals.csv"
    message = detect("--method", method, "--input", str(counts_csv), "--output", str(out))
    rows = read_output(out)
    names, weeks, observed = salm
    assert list(rows[0]) == ["series", "period", "count", "upperbound", "alarm"]
    assert [r["series"] for r in rows[:: len(weeks)]] == names and rows[1]["period"] == weeks[1]
    result = expected(observed)
    np.testing.assert_array_equal(grid(rows, "upperbound", len(names)), result.upperbound)
    np.testing.assert_array_equal(grid(rows, "alarm", len(names)) == 1, result.alarm)
    assert f"{int(result.alarm.sum())} alarms" in message
    assert sorted(p.name for p in tmp_path.iterdir()) == ["counts.csv", "signals.csv"]  # no temporary left


def test_alpha_and_percentile_are_passed(tmp_path, counts_csv, salm):
    _, _, observed = salm
    out = tmp_path / "a.csv"
    detect(
        "--method", "farrington-flexible", "--alpha", "0.01", "--input", str(counts_csv), "--output", str(out)
    )
    got = grid(read_output(out), "upperbound", len(observed))
    np.testing.assert_array_equal(got, farrington_flexible(observed, alpha=0.01).upperbound)
    assert not np.array_equal(got, farrington_flexible(observed).upperbound, equal_nan=True)
    detect(
        "--method",
        "cidars-percentile",
        "--percentile",
        "90",
        "--input",
        str(counts_csv),
        "--output",
        str(out),
    )
    got = grid(read_output(out), "upperbound", len(observed))
    np.testing.assert_array_equal(got, cidars_weekly(observed, percentile=90).upperbound)


def test_interleaved_rows_integer_periods_and_unequal_lengths(tmp_path):
    rng = np.random.default_rng(5)
    a = rng.poisson(4, 230)
    b = rng.poisson(9, 260)
    rows = []
    for t in range(260):  # rows of the two series interleave; output keeps the input order
        rows.append(("b", t + 1, int(b[t])))
        if t < 230:
            rows.append(("a", t + 1, int(a[t])))
    path, out = tmp_path / "in.csv", tmp_path / "out.csv"
    write_counts(path, rows)
    detect("--method", "ears-c2", "--input", str(path), "--output", str(out))
    got = read_output(out)
    assert [(r["series"], r["period"]) for r in got] == [(s, str(p)) for s, p, _ in rows]
    ub_a = np.array([float(r["upperbound"] or "nan") for r in got if r["series"] == "a"])
    ub_b = np.array([float(r["upperbound"] or "nan") for r in got if r["series"] == "b"])
    np.testing.assert_array_equal(ub_a, ears_c(a, method="C2").upperbound)
    np.testing.assert_array_equal(ub_b, ears_c(b, method="C2").upperbound)


def bad(tmp_path, rows, *extra, header=("series", "period", "count"), method="farrington-flexible"):
    path, out = tmp_path / "in.csv", tmp_path / "out.csv"
    write_counts(path, rows, header)
    with pytest.raises(CommandError) as caught:
        detect("--method", method, *extra, "--input", str(path), "--output", str(out))
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["in.csv"]  # no temporary file left behind
    message = str(caught.value)
    zh, en = message.split(" / ", 1)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in zh)  # Chinese first, then English
    assert any(ch.isascii() and ch.isalpha() for ch in en)
    return message


GOOD = [("x", f"2024-W{w:02d}", 1) for w in range(1, 11)]


def test_missing_column(tmp_path):
    message = bad(tmp_path, [(r[0], r[1]) for r in GOOD], header=("series", "period"))
    assert "count" in message and "缺少列" in message


def test_non_numeric_count_names_the_row(tmp_path):
    rows = list(GOOD)
    rows[3] = ("x", "2024-W04", "many")
    message = bad(tmp_path, rows)
    assert "第5行" in message and "Line 5" in message and "not a number" in message


@pytest.mark.parametrize("value, words", [("-2", "negative"), ("1.5", "whole number"), ("", "not a number")])
def test_bad_counts(tmp_path, value, words):
    rows = list(GOOD)
    rows[6] = ("x", "2024-W07", value)
    message = bad(tmp_path, rows)
    assert "Line 8" in message and words in message


def test_periods_out_of_order_names_the_row(tmp_path):
    rows = list(GOOD)
    rows[4], rows[5] = rows[5], rows[4]
    message = bad(tmp_path, rows)
    assert "Line 6" in message and "consecutive" in message and "第6行" in message


def test_integer_period_gap_and_bad_week_label(tmp_path):
    rows = [("x", p, 1) for p in (1, 2, 3, 5, 6)]
    message = bad(tmp_path, rows)
    assert "Line 5" in message and "does not directly follow" in message
    rows = list(GOOD)
    rows[2] = ("x", "March", 1)
    message = bad(tmp_path, rows)
    assert "Line 4" in message and "ISO week" in message


def test_options_not_used_by_the_method_and_bad_alpha(tmp_path):
    message = bad(tmp_path, GOOD, "--percentile", "90", method="ears-c1")
    assert "--percentile" in message
    message = bad(tmp_path, GOOD, "--alpha", "1.5")
    assert "alpha" in message


def test_existing_output_is_left_alone_on_bad_input(tmp_path):
    path, out = tmp_path / "in.csv", tmp_path / "out.csv"
    out.write_text("previous run\n")
    write_counts(path, [("x", "2024-W01", "?")])
    with pytest.raises(CommandError):
        detect("--method", "cusum", "--input", str(path), "--output", str(out))
    assert out.read_text() == "previous run\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", "out.csv"]
