"""Demo-data generation time (pure generator, no database) at growing scale, for benchmark data sets."""

import time

from countybridge.core import regions_data
from countybridge.core.demo.generator import RegionInfo, generate


def _counties() -> list[RegionInfo]:
    rows = [r for r in regions_data.DIVISIONS if r[5]]
    return [
        RegionInfo(code, zh, pop, seat[0], seat[1], [(f"{code}{i:03d}", f"测试{i}镇") for i in range(1, 13)])
        for code, zh, _en, _kind, pop, _cc, seat, _terrain, _map in rows
    ]


def run(smoke: bool = False) -> None:
    counties = _counties()
    for scale in [0.5, 1] if smoke else [1, 5, 20]:
        start = time.perf_counter()
        data = generate(counties, seed=1, scale=scale)
        seconds = time.perf_counter() - start
        print(
            f"scale={scale} organisations={len(data.organisations)} people={len(data.people)} seconds={seconds:.2f}"
        )
