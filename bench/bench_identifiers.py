"""Resident-ID validation throughput: our parse_resident_id (check character, birth date, address-code
warning) against python-stdnum's ric.validate (the peer it builds on), on the same numbers in one run."""

import datetime as dt
import random
import time

from stdnum import exceptions
from stdnum.cn import ric

from countybridge.core.identifiers import IdentifierError, make_resident_id, parse_resident_id


def _numbers(n: int) -> list[str]:
    rng = random.Random(1)
    codes = ["510185", "510181", "510129", "512081", "510131"]
    return [
        make_resident_id(
            rng.choice(codes),
            dt.date(1940, 1, 1) + dt.timedelta(days=rng.randrange(30000)),
            rng.randrange(1000),
        )
        for _ in range(n)
    ]


def _time(fn, numbers) -> float:
    start = time.perf_counter()
    for number in numbers:
        fn(number)
    return time.perf_counter() - start


def _peer(number):
    try:
        ric.validate(number)
    except exceptions.ValidationError:
        pass


def _ours(number):
    try:
        parse_resident_id(number)
    except IdentifierError:
        pass


def run(smoke: bool = False) -> None:
    numbers = _numbers(2_000 if smoke else 100_000)
    ours = min(_time(_ours, numbers) for _ in range(3))
    peer = min(_time(_peer, numbers) for _ in range(3))
    print(
        f"ids={len(numbers)} ours={ours:.3f}s ({len(numbers) / ours:,.0f}/s) "
        f"stdnum={peer:.3f}s ({len(numbers) / peer:,.0f}/s) ratio ours/stdnum={ours / peer:.2f}"
    )
