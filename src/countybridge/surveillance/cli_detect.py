"""`countybridge surveillance detect`: run a detection method over a `series,period,count` CSV file.

    countybridge surveillance detect --method farrington-flexible --input counts.csv --output signals.csv

Input: one row per series and period; `series` names one county × disease series, `period` is an ISO week
label (2024-W05) or a whole-number index, consecutive and in order within each series (rows of different
series may interleave); `count` a whole number ≥ 0. Output: the input rows in the same order with
`upperbound` (empty where the method gives no bound) and `alarm` (1/0) added. All-or-nothing: any bad row
stops the run with a message naming it (Chinese and English) and no output file is written (the output
goes to a temporary file that is renamed only once complete).

Defaults are R `surveillance`'s: alpha 0.05 for the Farrington methods (farringtonFlexible), 0.001 for EARS
(earsC), CUSUM with Rossi's transformation starting after 52 periods, CIDARS weekly at the 80th percentile.
"""

from __future__ import annotations

import csv
import math
import os
import re
import tempfile
from collections import defaultdict
from pathlib import Path

import numpy as np

from .detection import (
    DetectionInputError,
    cidars_weekly,
    cusum_rossi,
    ears_c,
    farrington,
    farrington_flexible,
    iso_week_periods,
)


def _given(options: dict, name: str, default: float) -> float:
    value = options.get(name)
    return default if value is None else value


METHODS = {
    "farrington-flexible": lambda c, o: farrington_flexible(c, alpha=_given(o, "alpha", 0.05)),
    "farrington": lambda c, o: farrington(c, alpha=_given(o, "alpha", 0.05)),
    "ears-c1": lambda c, o: ears_c(c, method="C1", alpha=_given(o, "alpha", 0.001)),
    "ears-c2": lambda c, o: ears_c(c, method="C2", alpha=_given(o, "alpha", 0.001)),
    "ears-c3": lambda c, o: ears_c(c, method="C3", alpha=_given(o, "alpha", 0.001)),
    "cusum": lambda c, o: cusum_rossi(c, start=52),
    "cidars-percentile": lambda c, o: cidars_weekly(c, percentile=_given(o, "percentile", 80.0)),
}
USES_ALPHA = {"farrington-flexible", "farrington", "ears-c1", "ears-c2", "ears-c3"}
USES_PERCENTILE = {"cidars-percentile"}
COLUMNS = ("series", "period", "count")
_INTEGER = re.compile(r"^[+-]?\d+$")


class DetectInputError(Exception):
    """A problem with the command's input; the message is bilingual."""

    def __init__(self, message_zh: str, message_en: str):
        super().__init__(f"{message_zh} / {message_en}")


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "detect", help="run an outbreak detection method over series,period,count rows (CSV)"
    )
    p.add_argument("--method", required=True, choices=sorted(METHODS))
    p.add_argument("--alpha", type=float, help="Farrington: 0.05 (default); EARS: 0.001 (default)")
    p.add_argument("--percentile", type=float, help="CIDARS weekly percentile (default 80)")
    p.add_argument("--input", required=True, help="CSV with columns series,period,count")
    p.add_argument("--output", required=True, help="CSV written: the input rows plus upperbound,alarm")


def _read(path: Path) -> tuple[list[dict], list[str]]:
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as exc:
        raise DetectInputError(
            f"无法读取输入文件 {path}: {exc}", f"Cannot read the input file {path}: {exc}"
        ) from None
    with handle:
        try:
            reader = csv.DictReader(handle)
            header = [h.strip() for h in (reader.fieldnames or [])]
            reader.fieldnames = header
            missing = [c for c in COLUMNS if c not in header]
            if missing:
                raise DetectInputError(
                    f"输入缺少列: {', '.join(missing)}(需要 series,period,count)",
                    f"The input lacks column(s): {', '.join(missing)} (series,period,count are needed)",
                )
            rows = list(reader)
        except (csv.Error, UnicodeDecodeError) as exc:
            raise DetectInputError(
                f"输入不是有效的 UTF-8 CSV: {exc}", f"The input is not valid UTF-8 CSV: {exc}"
            ) from None
    if not rows:
        raise DetectInputError("输入没有数据行", "The input has no data rows")
    return rows, header


def _count(value, line: int) -> float:
    text = (value or "").strip()
    try:
        number = float(text)
    except ValueError:
        raise DetectInputError(
            f"第{line}行: 病例数不是数字: {text!r}", f"Line {line}: the count is not a number: {text!r}"
        ) from None
    if not math.isfinite(number) or number != math.floor(number):
        raise DetectInputError(
            f"第{line}行: 病例数应为整数: {text!r}",
            f"Line {line}: the count must be a whole number: {text!r}",
        )
    if number < 0:
        raise DetectInputError(
            f"第{line}行: 病例数不能为负数: {text!r}", f"Line {line}: the count cannot be negative: {text!r}"
        )
    return number


def _check_periods(name: str, labels: list[str], lines: list[int]) -> None:
    """ISO week labels consecutive (via periods.iso_week_periods), or whole numbers increasing by one."""
    if all(_INTEGER.match(label) for label in labels):
        values = [int(label) for label in labels]
        for i in range(1, len(values)):
            if values[i] != values[i - 1] + 1:
                raise DetectInputError(
                    f"第{lines[i]}行: 序列 {name} 的时期 {labels[i]} 不紧接在 {labels[i - 1]} 之后"
                    "(时期须按顺序且连续)",
                    f"Line {lines[i]}: period {labels[i]} of series {name} does not directly follow "
                    f"{labels[i - 1]} (periods must be in order and consecutive)",
                )
        return
    for i, label in enumerate(labels):  # name the first row whose label is not a week
        try:
            iso_week_periods([label])
        except DetectionInputError as exc:
            raise DetectInputError(
                f"第{lines[i]}行: {exc.message_zh}(时期应为 ISO 周次如 2024-W05 或整数序号)",
                f"Line {lines[i]}: {exc.message_en} (a period is an ISO week such as 2024-W05 or a whole number)",
            ) from None
    for i in range(1, len(labels)):
        try:
            iso_week_periods(labels[i - 1 : i + 1])
        except DetectionInputError as exc:
            raise DetectInputError(
                f"第{lines[i]}行: 序列 {name}: {exc.message_zh}(时期须按顺序且连续)",
                f"Line {lines[i]}: series {name}: {exc.message_en} (periods must be in order and consecutive)",
            ) from None


def detect(input_path, output_path, method: str, alpha: float | None = None, percentile: float | None = None):
    """Read, check, run and write; returns (rows, series, alarms). Raises DetectInputError on bad input."""
    if method not in METHODS:
        raise DetectInputError(f"未知方法: {method}", f"Unknown method: {method}")
    if alpha is not None and method not in USES_ALPHA:
        raise DetectInputError(f"方法 {method} 不使用 --alpha", f"Method {method} takes no --alpha")
    if percentile is not None and method not in USES_PERCENTILE:
        raise DetectInputError(f"方法 {method} 不使用 --percentile", f"Method {method} takes no --percentile")
    rows, header = _read(Path(input_path))
    by_series: dict[str, list[int]] = defaultdict(list)
    counts = np.empty(len(rows))
    for i, row in enumerate(rows):
        line = i + 2  # the header is line 1
        name = (row.get("series") or "").strip()
        if not name:
            raise DetectInputError(f"第{line}行: 序列名为空", f"Line {line}: the series name is empty")
        if not (row.get("period") or "").strip():
            raise DetectInputError(f"第{line}行: 时期为空", f"Line {line}: the period is empty")
        counts[i] = _count(row.get("count"), line)
        by_series[name].append(i)
    for name, idx in by_series.items():
        _check_periods(name, [rows[i]["period"].strip() for i in idx], [i + 2 for i in idx])
    upper = np.full(len(rows), np.nan)
    alarm = np.zeros(len(rows), dtype=bool)
    by_length: dict[int, list[list[int]]] = defaultdict(list)
    for idx in by_series.values():
        by_length[len(idx)].append(idx)
    options = {"alpha": alpha, "percentile": percentile}
    for groups in by_length.values():  # one batch per series length
        index = np.array(groups)
        try:
            result = METHODS[method](counts[index], options)
        except DetectionInputError as exc:
            raise DetectInputError(exc.message_zh, exc.message_en) from None
        upper[index] = result.upperbound
        alarm[index] = result.alarm
    _write(Path(output_path), rows, header, upper, alarm)
    return len(rows), len(by_series), int(alarm.sum())


def _write(path: Path, rows, header, upper, alarm) -> None:
    fields = [h for h in header if h not in ("upperbound", "alarm")] + ["upperbound", "alarm"]
    directory = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=fields, extrasaction="ignore")
            writer.writeheader()
            for row, ub, al in zip(rows, upper, alarm, strict=True):
                out = {k: row.get(k, "") for k in fields[:-2]}
                out["upperbound"] = "" if np.isnan(ub) else repr(float(ub))
                out["alarm"] = "1" if al else "0"
                writer.writerow(out)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def handle(command, *, method, input, output, alpha=None, percentile=None, **_):
    """The `detect` subcommand: `command` is the management Command (for stdout and CommandError)."""
    from django.core.management.base import CommandError

    try:
        n_rows, n_series, n_alarms = detect(input, output, method, alpha=alpha, percentile=percentile)
    except DetectInputError as exc:
        raise CommandError(str(exc)) from None
    except OSError as exc:
        raise CommandError(
            f"无法写入输出文件 {output}: {exc} / Cannot write the output file {output}: {exc}"
        ) from None
    command.stdout.write(
        f"{method}: {n_series} 个序列 {n_rows} 行, {n_alarms} 个信号 → {output}\n"
        f"{method}: {n_series} series, {n_rows} rows, {n_alarms} alarms → {output}"
    )
