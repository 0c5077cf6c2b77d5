"""Kulldorff's space-time permutation scan statistic (Kulldorff, Heffernan, Hartman, Assunção & Mostashari
2005, PLoS Med 2(3): e59), as SaTScan's "space-time permutation" model computes it. Pure numpy, no Django.

Data: case counts c_zd by location z (rows) × period d (columns: days or weeks), and one point per location
(lon/lat in degrees, great-circle distances in km; or planar x/y already in km).

- Expected count of a cell: μ_zd = C_z · C_d / C (C_z: cases at z over the study period, C_d: cases on
  d at all locations, C: all cases). For a cylinder A = circle Z × window D it is
  μ_A = Σ_{z∈Z, d∈D} μ_zd = C_Z · C_D / C.
- Cylinders: for every location as centre, the circles holding the locations within each distinct
  distance of it (the k nearest; locations at the same distance enter together), as long as the circle's
  cases over the whole study period are at most `max_case_share` of C and, if given, its radius is at most
  `max_radius_km`; crossed with every time window of 1 … `max_window` periods (SaTScan's default: half of
  the periods). Prospective analyses (daily surveillance) use only windows ending at the last period;
  retrospective ones use all windows in the study period.
- Statistic: for c_A > μ_A (high rates only, as SaTScan scans for), the Poisson generalised likelihood
  ratio of the paper, log LLR = c ln(c/μ) + (C − c) ln((C − c)/(C − μ)); 0 otherwise. The most likely
  cluster maximises it.
- Inference: `replicas` (default 999) Monte Carlo data sets made by randomly permuting the cases' periods
  while each case keeps its location, which keeps every location's and every period's total. Each cluster's
  p-value is rank-based as SaTScan's, p = (1 + #{replicas whose maximum LLR ≥ the cluster's LLR})/(R + 1);
  secondary clusters are compared with the same distribution of replica maxima (SaTScan's conservative
  choice). Prospective analyses also get the recurrence interval 1/p, in periods: how often a cluster this
  strong would arise by chance if the analysis is repeated every period (SaTScan's figure, without its
  adjustment for earlier analyses).
- Secondary clusters: in decreasing LLR, each the best cylinder sharing no location with a cluster already
  reported (SaTScan's default "no geographical overlap"), up to `max_clusters`.
- Platform rule (not in the paper): a disease with fewer than `min_cases` cases in the study period is not
  scanned (status SCAN_TOO_FEW_CASES); no replica is run. With no cylinder above its expectation the status
  is SCAN_NO_EXCESS.

Platform use (facts: surveillance.md § 2.1, second stage on a CIDARS signal): the county's townships ×
the last 372 days, `prospective=True, max_window=7, max_case_share=0.5, replicas=999`, and a signal is
"spatially confirmed" when the most likely cluster has p < 0.05.

Vectorised as follows. The circles of a centre are prefixes of its neighbour list sorted by distance, so
the counts of all circles are differences of one cumulative sum along the concatenated neighbour lists.
With few windows (prospective) each window's per-location counts (from prefix sums over periods) are
summed over circles; with many (retrospective) the per-location prefix sums over periods are summed over
circles once and each window is a difference of two of them. The replicas' periods are drawn with
`numpy.random.Generator.permuted` row by row (so the tables do not depend on the chunking), binned into
tables with one `bincount`, and scanned in chunks of replicas × windows of about `block_elements` values.
The LLR is evaluated exactly as g[c] − c·a − b with the table g[c] = c ln c + (C − c) ln(C − c) and
per-cylinder constants a = ln μ − ln(C − μ), b = C ln(C − μ); c > μ is tested in integers
(c·C > C_Z·C_D).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ._common import DetectionInputError, check_count_values

# Status of a scan.
SCAN_OK = "ok"
SCAN_TOO_FEW_CASES = "too_few_cases"
SCAN_NO_EXCESS = "no_excess"

EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG)
DEFAULT_SEED = 12345678  # SaTScan's default random number seed
GEOMETRIES = ("lonlat", "cartesian")
_CACHED_CYLINDERS = 1 << 22
# Distances are compared after rounding to a millimetre, so points equally far from a centre tie exactly.
_DISTANCE_DECIMALS = 6


@dataclass(frozen=True)
class SpaceTimeCluster:
    """One cluster: the locations (row indices, nearest to the centre first) and periods start … end."""

    centre: int
    locations: tuple[int, ...]
    radius_km: float
    start: int
    end: int
    observed: int
    expected: float
    llr: float
    relative_risk: float  # (c/μ) / ((C − c)/(C − μ)), SaTScan's; infinite when every case is inside
    p_value: float | None
    recurrence_interval: float | None  # prospective only: 1/p, in periods

    @property
    def observed_over_expected(self) -> float:
        return self.observed / self.expected


@dataclass(frozen=True)
class SpaceTimeScanResult:
    """A scan's outcome: `status` (SCAN_OK, SCAN_TOO_FEW_CASES, SCAN_NO_EXCESS) with a message in Chinese
    and English, the clusters (most likely first, then secondary ones by LLR) and the replicas' maxima."""

    status: str
    message_zh: str
    message_en: str
    total_cases: int
    prospective: bool
    max_window: int
    replicas: int
    seed: int
    n_circles: int
    n_windows: int
    clusters: tuple[SpaceTimeCluster, ...]
    replica_llr: np.ndarray  # the maximum LLR of every replica (empty when no replica was run)

    @property
    def most_likely(self) -> SpaceTimeCluster | None:
        return self.clusters[0] if self.clusters else None

    def critical_value(self, alpha: float = 0.05) -> float | None:
        """SaTScan's Monte Carlo critical value: the LLR a cluster must exceed for p ≤ alpha, i.e. the
        ⌊alpha·(R + 1)⌋-th largest replica maximum (None when there are too few replicas for alpha)."""
        k = int(math.floor(alpha * (self.replicas + 1) + 1e-9))
        if self.replica_llr.size == 0 or k < 1:
            return None
        return float(np.sort(self.replica_llr)[::-1][k - 1])


def expected_counts(counts) -> np.ndarray:
    """μ_zd = C_z · C_d / C for a locations × periods count table (all zero when there is no case)."""
    x = _as_table(counts).astype(np.float64)
    total = x.sum()
    if total == 0:
        return np.zeros_like(x)
    return np.outer(x.sum(axis=1), x.sum(axis=0)) / total


def poisson_llr(observed: float, expected: float, total: float) -> float:
    """log GLR of a cylinder: c ln(c/μ) + (C − c) ln((C − c)/(C − μ)) when c > μ, else 0."""
    c, mu, n = float(observed), float(expected), float(total)
    if not c > mu:
        return 0.0
    inside = c * math.log(c / mu)
    outside = (n - c) * math.log((n - c) / (n - mu)) if n > c else 0.0
    return inside + outside


def permuted_tables(counts, replicas: int, seed: int = DEFAULT_SEED) -> np.ndarray:
    """The replica tables (replicas × locations × periods) the scan draws with this seed: the cases' periods
    permuted at random among the cases, each case keeping its location."""
    x = _as_table(counts)
    case_loc, case_day = _case_lists(x)
    rng = np.random.default_rng(seed)
    days = _permuted_days(case_day, rng, int(replicas))
    L, T = x.shape
    return _tables(case_loc, days, L, T, 0, T).transpose(0, 2, 1).copy()


def spacetime_permutation_scan(
    counts,
    coordinates,
    *,
    geometry: str = "lonlat",
    prospective: bool = True,
    max_window: int | None = None,
    max_case_share: float = 0.5,
    max_radius_km: float | None = None,
    replicas: int = 999,
    seed: int = DEFAULT_SEED,
    min_cases: int = 10,
    max_clusters: int = 10,
    block_elements: int = 1 << 16,
) -> SpaceTimeScanResult:
    """Space-time permutation scan of a locations × periods case table (see the module docstring).

    - counts: whole, non-negative case counts, one row per location, one column per period (day or week);
    - coordinates: one (lon, lat) row per location in degrees (`geometry="lonlat"`, great-circle km) or
      one (x, y) row in km (`geometry="cartesian"`);
    - prospective: windows end at the last period (daily surveillance); else every window (retrospective);
    - max_window: longest window in periods (default half of the periods, SaTScan's 50 %);
    - max_case_share / max_radius_km: the largest circle, as a share of all cases (default 0.5) and
      optionally a radius;
    - replicas (default 999; 0 gives no p-value), seed (default SaTScan's 12345678);
    - min_cases: fewer cases in total → status SCAN_TOO_FEW_CASES, nothing scanned (platform rule);
    - max_clusters: most likely cluster plus secondary ones, at most this many;
    - block_elements: about how many cylinder values each vectorised step holds (memory and cache).
    """
    x = _as_table(counts)
    L, T = x.shape
    dist = _distances(coordinates, L, geometry)
    if max_window is None:
        max_window = max(1, T // 2)
    if not _is_whole(max_window) or not 1 <= max_window <= T:
        raise DetectionInputError(
            "scan_max_window",
            f"最大时间窗应为1至{T}个时期的整数: {max_window}",
            f"The maximum time window must be a whole number of 1 to {T} periods: {max_window}",
        )
    if not (_is_number(max_case_share) and 0.0 < max_case_share <= 1.0):
        raise DetectionInputError(
            "scan_max_case_share",
            f"最大空间聚集规模(病例占比)应在0(不含)与1之间: {max_case_share}",
            f"The maximum spatial cluster size (share of cases) must be in (0, 1]: {max_case_share}",
        )
    if max_radius_km is not None and not (_is_number(max_radius_km) and max_radius_km >= 0.0):
        raise DetectionInputError(
            "scan_max_radius",
            f"最大半径(公里)不能为负数: {max_radius_km}",
            f"The maximum radius (km) cannot be negative: {max_radius_km}",
        )
    for name, value, low in (
        ("replicas", replicas, 0),
        ("min_cases", min_cases, 0),
        ("max_clusters", max_clusters, 1),
        ("block_elements", block_elements, 1),
        ("seed", seed, 0),
    ):
        if not _is_whole(value) or value < low:
            raise DetectionInputError(
                "parameter_range",
                f"参数 {name} 应为不小于{low}的整数: {value}",
                f"Parameter {name} must be a whole number ≥ {low}: {value}",
            )
    max_window, replicas, min_cases = int(max_window), int(replicas), int(min_cases)
    total = int(x.sum())
    common = dict(
        total_cases=total,
        prospective=bool(prospective),
        max_window=max_window,
        seed=int(seed),
    )
    if total < max(min_cases, 1):
        return SpaceTimeScanResult(
            status=SCAN_TOO_FEW_CASES,
            message_zh=f"病例总数{total}少于时空扫描所需的{max(min_cases, 1)}例,未进行扫描",
            message_en=f"{total} cases, fewer than the {max(min_cases, 1)} a space-time scan needs: not scanned",
            replicas=0,
            n_circles=0,
            n_windows=0,
            clusters=(),
            replica_llr=np.zeros(0),
            **common,
        )

    circles = _circles(dist, x.sum(axis=1), total, max_case_share, max_radius_km)
    w_start, w_end = _windows(T, max_window, prospective)
    plan = _Plan(x, circles, w_start, w_end, total, block_elements)

    case_loc, case_day = _case_lists(x)
    best_llr, best_window, observed = plan.observed_best()
    clusters_raw = plan.select_clusters(best_llr, best_window, int(max_clusters))
    if not clusters_raw:
        return SpaceTimeScanResult(
            status=SCAN_NO_EXCESS,
            message_zh="没有观察病例数超过期望数的时空柱,未发现聚集",
            message_en="No space-time cylinder has more cases than expected: no cluster",
            replicas=0,
            n_circles=len(circles.pos),
            n_windows=len(w_start),
            clusters=(),
            replica_llr=np.zeros(0),
            **common,
        )

    rng = np.random.default_rng(int(seed))
    replica_llr = np.empty(replicas)
    for r0 in range(0, replicas, plan.replica_chunk):
        r1 = min(replicas, r0 + plan.replica_chunk)
        days = _permuted_days(case_day, rng, r1 - r0)
        replica_llr[r0:r1] = plan.replica_max(case_loc, days)

    clusters = []
    for circle, window, llr in clusters_raw:
        if replicas:
            # ties within rounding count as "at least as large" (conservative)
            rank = 1 + int(np.count_nonzero(replica_llr >= llr - 1e-9 * max(1.0, abs(llr))))
            p = rank / (replicas + 1)
        else:
            p = None
        clusters.append(plan.describe(circle, window, llr, observed, p, prospective))
    n_sig = sum(1 for c in clusters if c.p_value is not None and c.p_value < 0.05)
    return SpaceTimeScanResult(
        status=SCAN_OK,
        message_zh=f"完成时空扫描:{len(clusters)}个聚集,其中{n_sig}个 p<0.05({replicas}次蒙特卡洛重复)",
        message_en=f"Space-time scan done: {len(clusters)} clusters, {n_sig} with p < 0.05 "
        f"({replicas} Monte Carlo replicas)",
        replicas=replicas,
        n_circles=len(circles.pos),
        n_windows=len(w_start),
        clusters=tuple(clusters),
        replica_llr=replica_llr,
        **common,
    )


# ---------------------------------------------------------------------------------------------- input


def _is_number(value) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)


def _is_whole(value) -> bool:
    return _is_number(value) and math.isfinite(value) and int(value) == value


def _as_table(counts) -> np.ndarray:
    try:
        x = np.asarray(counts, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise DetectionInputError(
            "counts_not_numeric",
            "病例数必须是数值表(地点×时期,每行长度相同)",
            "Counts must be a numeric table (locations × periods, every row of the same length)",
        ) from exc
    if x.ndim != 2 or x.shape[0] == 0 or x.shape[1] == 0:
        raise DetectionInputError(
            "scan_counts_shape",
            f"时空扫描的病例数应为二维表(地点×时期),实为形状{x.shape}",
            f"Counts for a space-time scan must be a 2-D table (locations × periods), got shape {x.shape}",
        )
    check_count_values(x)
    if x.sum() > np.iinfo(np.int32).max:
        raise DetectionInputError("counts_too_large", "病例总数过大", "Too many cases in total")
    return x.astype(np.int64)


def _distances(coordinates, n_locations: int, geometry: str) -> np.ndarray:
    if geometry not in GEOMETRIES:
        raise DetectionInputError(
            "scan_geometry",
            f"坐标类型应为 lonlat(经纬度)或 cartesian(公里平面坐标): {geometry}",
            f"The geometry must be lonlat (degrees) or cartesian (km): {geometry}",
        )
    if coordinates is None:
        raise DetectionInputError(
            "coordinates_missing", "缺少地点坐标", "The locations' coordinates are missing"
        )
    try:
        xy = np.asarray(coordinates, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise DetectionInputError(
            "coordinates_missing",
            "地点坐标缺失或不是数值(每个地点需两个数)",
            "Coordinates are missing or not numeric (two numbers per location)",
        ) from exc
    if xy.ndim != 2 or xy.shape[1] != 2 or xy.shape[0] != n_locations:
        raise DetectionInputError(
            "coordinates_shape",
            f"坐标应为每个地点一行(共{n_locations}行)、每行两个数,实为形状{xy.shape}",
            f"Coordinates must be one row of two numbers per location ({n_locations} rows), got shape {xy.shape}",
        )
    missing = np.flatnonzero(~np.isfinite(xy).all(axis=1))
    if missing.size:
        rows = ", ".join(str(i) for i in missing[:10])
        raise DetectionInputError(
            "coordinates_missing",
            f"第 {rows} 个地点(从0起)缺少坐标",
            f"Coordinates are missing for location(s) {rows} (0-based)",
        )
    if geometry == "cartesian":
        diff = xy[:, np.newaxis, :] - xy[np.newaxis, :, :]
        return np.sqrt((diff**2).sum(axis=-1))
    lon, lat = xy[:, 0], xy[:, 1]
    if np.any(np.abs(lon) > 180) or np.any(np.abs(lat) > 90):
        raise DetectionInputError(
            "coordinates_range",
            "经度应在 −180 至 180 之间,纬度应在 −90 至 90 之间(第一列经度,第二列纬度)",
            "Longitudes must lie in −180 … 180 and latitudes in −90 … 90 (first column lon, second lat)",
        )
    return great_circle_km(
        xy[:, np.newaxis, 0], xy[:, np.newaxis, 1], xy[np.newaxis, :, 0], xy[np.newaxis, :, 1]
    )


def great_circle_km(lon1, lat1, lon2, lat2):
    """Haversine distance in km on a sphere of the mean Earth radius."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dlat, dlon = p2 - p1, np.radians(np.asarray(lon2) - np.asarray(lon1))
    h = np.sin(dlat / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


# ------------------------------------------------------------------------------------ cylinders


@dataclass(frozen=True)
class _Circles:
    nbr: np.ndarray  # concatenated neighbour lists (each centre's allowed prefix), nearest first
    seg_start: np.ndarray  # per circle: index in nbr where its centre's list starts
    pos: np.ndarray  # per circle: index in nbr of its farthest location (the circle is nbr[seg_start:pos+1])
    centre: np.ndarray
    radius: np.ndarray
    cases: np.ndarray  # C_Z over the study period


def _circles(dist, loc_cases, total, max_case_share, max_radius_km) -> _Circles:
    L = dist.shape[0]
    d = np.round(dist, _DISTANCE_DECIMALS)
    order = np.argsort(d, axis=1, kind="stable")
    ds = np.take_along_axis(d, order, axis=1)
    cz = np.cumsum(loc_cases[order], axis=1)
    # a circle ends at k only where the next location is farther (ties enter together)
    last_of_tie = np.ones((L, L), dtype=bool)
    last_of_tie[:, :-1] = ds[:, :-1] < ds[:, 1:]
    allowed = cz <= max_case_share * total * (1 + 1e-12)
    if max_radius_km is not None:
        allowed &= ds <= max_radius_km
    # both limits grow with k: each centre keeps a prefix of its list
    keep = np.cumprod(allowed, axis=1).astype(bool)
    length = keep.sum(axis=1)
    nbr_parts, seg_start, pos, centre, radius, cases = [], [], [], [], [], []
    offset = 0
    for i in range(L):
        k = int(length[i])
        if k == 0:
            continue
        valid = np.flatnonzero(last_of_tie[i, :k])  # circles without cases stay: simpler sums, LLR 0
        if valid.size == 0:
            continue
        nbr_parts.append(order[i, :k])
        pos.append(offset + valid)
        seg_start.append(np.full(valid.size, offset))
        centre.append(np.full(valid.size, i))
        radius.append(ds[i, valid])
        cases.append(cz[i, valid])
        offset += k
    if not pos:
        empty = np.zeros(0, dtype=np.int64)
        return _Circles(empty, empty, empty, empty, np.zeros(0), empty)
    return _Circles(
        nbr=np.concatenate(nbr_parts).astype(np.intp),
        seg_start=np.concatenate(seg_start).astype(np.intp),
        pos=np.concatenate(pos).astype(np.intp),
        centre=np.concatenate(centre).astype(np.intp),
        radius=np.concatenate(radius),
        cases=np.concatenate(cases).astype(np.int64),
    )


def _windows(T: int, max_window: int, prospective: bool) -> tuple[np.ndarray, np.ndarray]:
    lengths = np.arange(1, max_window + 1)
    if prospective:
        return T - lengths, np.full(max_window, T - 1)
    starts = np.concatenate([np.arange(0, T - w + 1) for w in lengths])
    ends = np.concatenate([np.arange(w - 1, T) for w in lengths])
    return starts, ends


def _case_lists(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each case's location and period (the pairing of the two is what the permutation randomises)."""
    L, T = x.shape
    case_loc = np.repeat(np.arange(L, dtype=np.int64), x.sum(axis=1))
    dtype = np.int16 if T < np.iinfo(np.int16).max else np.int32
    case_day = np.repeat(np.arange(T, dtype=dtype), x.sum(axis=0))
    return case_loc, case_day


def _permuted_days(case_day: np.ndarray, rng: np.random.Generator, n: int) -> np.ndarray:
    # permuted(axis=1) shuffles row after row with the same stream: the same rows whatever the chunking
    return rng.permuted(np.broadcast_to(case_day, (n, case_day.size)), axis=1)


def _tables(case_loc, days, L, T, first, last) -> np.ndarray:
    """replicas × periods[first:last] × locations tables from each replica's case periods."""
    n = days.shape[0]
    width = last - first
    inside = (days >= first) & (days < last)
    idx = (days.astype(np.int64) - first) * L + case_loc[np.newaxis, :]
    idx += (np.arange(n, dtype=np.int64) * (width * L))[:, np.newaxis]
    flat = np.bincount(idx[inside], minlength=n * width * L)
    return flat.reshape(n, width, L).astype(np.int32)


class _Plan:
    """The fixed part of a scan (cylinders, expected counts, LLR constants) and its chunked evaluation."""

    def __init__(self, x, circles: _Circles, w_start, w_end, total, block_elements):
        self.L, self.T = x.shape
        self.x = x
        self.circles = circles
        self.w_start, self.w_end = w_start, w_end
        self.total = total
        self.first = int(w_start.min())
        day_cases = x.sum(axis=0)
        day_prefix = np.concatenate([[0], np.cumsum(day_cases)])
        self.window_cases = day_prefix[w_end + 1] - day_prefix[w_start]  # C_D
        C = total
        c = np.arange(C + 1, dtype=np.float64)
        with np.errstate(divide="ignore", invalid="ignore"):
            xlogx = np.where(c > 0, c * np.log(c), 0.0)
        self.g = xlogx + xlogx[::-1]  # c ln c + (C − c) ln(C − c)
        E = max(1, circles.nbr.size)
        n_c = max(1, len(circles.pos))
        n_w = len(w_start)
        width = self.T - self.first + 1  # periods first … T−1, after a leading 0
        # few windows (prospective): sum each window per location, then over circles; many windows
        # (retrospective): sum each period prefix over circles once, then take windows as differences
        self.window_first = n_w <= width
        self._every_entry_a_circle = np.array_equal(circles.pos, np.arange(circles.nbr.size))
        self.window_block = max(1, min(n_w, block_elements // E))
        per_replica = max(width * (E + self.L), self.window_block * E, total)  # total: the permuted periods
        self.replica_chunk = max(1, min(block_elements // per_replica, 256))
        # the per-cylinder constants (20 bytes each) are kept up to _CACHED_CYLINDERS, else recomputed for
        # every block of every replica chunk (one logarithm per cylinder)
        self._constants = {} if n_w * n_c <= _CACHED_CYLINDERS else None

    def _block_constants(self, j0, j1):
        if self._constants is not None and (j0, j1) in self._constants:
            return self._constants[(j0, j1)]
        cz = self.circles.cases.astype(np.int64)[np.newaxis, :]
        cd = self.window_cases[j0:j1, np.newaxis].astype(np.int64)
        prod = cd * cz  # μ·C, exact
        cmin = (prod // self.total + 1).astype(np.int32)  # c > μ  ⇔  c ≥ ⌊μ⌋ + 1
        mu = prod / self.total
        rest = self.total - mu
        ok = (mu > 0) & (rest > 0)
        with np.errstate(divide="ignore", invalid="ignore"):
            a = np.where(ok, np.log(mu) - np.log(rest), 0.0)
            b = np.where(ok, self.total * np.log(rest), 0.0)
        if self._constants is not None:
            self._constants[(j0, j1)] = (cmin, a, b)
        return cmin, a, b

    def _blocks(self):
        n_w = len(self.w_start)
        for j0 in range(0, n_w, self.window_block):
            yield j0, min(n_w, j0 + self.window_block)

    def _spatial(self, per_location):
        """Sums over every circle: replicas × k × locations → replicas × k × circles (int32)."""
        n, k, _ = per_location.shape
        circles = self.circles
        # running sums along the concatenated neighbour lists, after a leading 0. In int32 they may wrap
        # past 2³¹ over many lists, but a difference within one list (a circle's count ≤ C) stays exact.
        cum = np.empty((n, k, circles.nbr.size + 1), dtype=np.int32)
        cum[:, :, 0] = 0
        np.cumsum(per_location[:, :, circles.nbr], axis=2, out=cum[:, :, 1:])
        if self._every_entry_a_circle:
            return cum[:, :, 1:] - cum[:, :, circles.seg_start]
        out = cum[:, :, circles.pos + 1]
        out -= cum[:, :, circles.seg_start]
        return out

    def _source(self, tables):
        """From replicas × periods × locations tables, what `_llr` takes: the locations' prefix sums over
        periods (replicas × periods+1 × locations) when there are few windows, else the circles' ones."""
        n, width, L = tables.shape
        prefix = np.zeros((n, width + 1, L), dtype=np.int32)
        np.cumsum(tables, axis=1, out=prefix[:, 1:, :])
        return prefix if self.window_first else self._spatial(prefix)

    def _llr(self, source, j0, j1):
        """LLR (0 unless c > μ) and count of every cylinder in windows j0:j1: replicas × windows × circles."""
        ws = self.w_start[j0:j1] - self.first
        we = self.w_end[j0:j1] - self.first
        counts = source[:, we + 1, :] - source[:, ws, :]
        if self.window_first:
            counts = self._spatial(counts)
        cmin, a, b = self._block_constants(j0, j1)
        llr = self.g[counts]
        llr -= np.multiply(counts, a)
        llr -= b
        llr *= counts >= cmin  # high clusters only: c > μ
        return llr, counts

    def observed_best(self):
        """Per circle: the best LLR over the windows, that window, and a function giving its count."""
        n_c = len(self.circles.pos)
        best = np.zeros(n_c)
        best_w = np.zeros(n_c, dtype=np.intp)
        if n_c == 0:
            return best, best_w, np.zeros(0, dtype=np.int64)
        source = self._source(self.x[:, self.first :].T[np.newaxis, :, :].astype(np.int32))
        observed = np.zeros(n_c, dtype=np.int64)
        for j0, j1 in self._blocks():
            llr, counts = self._llr(source, j0, j1)
            arg = llr[0].argmax(axis=0)
            val = llr[0][arg, np.arange(n_c)]
            better = val > best
            best[better] = val[better]
            best_w[better] = j0 + arg[better]
            observed[better] = counts[0, arg[better], np.flatnonzero(better)]
        return best, best_w, observed

    def replica_max(self, case_loc, days):
        out = np.zeros(days.shape[0])
        if len(self.circles.pos) == 0:
            return out
        source = self._source(_tables(case_loc, days, self.L, self.T, self.first, self.T))
        for j0, j1 in self._blocks():
            llr, _ = self._llr(source, j0, j1)
            np.maximum(out, llr.reshape(llr.shape[0], -1).max(axis=1), out=out)
        return out

    def select_clusters(self, best_llr, best_window, max_clusters):
        """Greedy: the best circle, then the best one sharing no location with those taken, and so on."""
        circles = self.circles
        chosen = []
        llr = best_llr.copy()
        used = np.zeros(self.L, dtype=bool)
        eps = 1e-9
        while len(chosen) < max_clusters:
            i = int(np.argmax(llr)) if llr.size else 0
            if not llr.size or llr[i] <= eps:
                break
            chosen.append((i, int(best_window[i]), float(best_llr[i])))
            locs = circles.nbr[circles.seg_start[i] : circles.pos[i] + 1]
            used[locs] = True
            # a circle overlaps when any location in its prefix is used
            used_cum = np.cumsum(used[circles.nbr])
            before = np.where(circles.seg_start > 0, used_cum[circles.seg_start - 1], 0)
            overlap = used_cum[circles.pos] - before > 0
            llr[overlap] = 0.0
        return chosen

    def describe(self, i, j, llr, observed, p, prospective) -> SpaceTimeCluster:
        circles = self.circles
        mu = float(circles.cases[i]) * float(self.window_cases[j]) / self.total
        c = int(observed[i])
        return SpaceTimeCluster(
            centre=int(circles.centre[i]),
            locations=tuple(int(z) for z in circles.nbr[circles.seg_start[i] : circles.pos[i] + 1]),
            radius_km=float(circles.radius[i]),
            start=int(self.w_start[j]),
            end=int(self.w_end[j]),
            observed=c,
            expected=mu,
            llr=llr,
            relative_risk=math.inf if c == self.total else (c / mu) / ((self.total - c) / (self.total - mu)),
            p_value=p,
            recurrence_interval=(1.0 / p) if (prospective and p is not None) else None,
        )
