"""Child process of bench_report_intake: `python -m bench.report_intake_worker REPORTS THREADS`.

Each thread is one clinic system posting cards over the full request stack (token authentication, ninja,
validation, encryption, dedupe, audit) with its own database connection."""

from __future__ import annotations

import datetime as dt
import json
import sys
import threading
import time
import uuid

import django


def _cards(n: int) -> list[dict]:
    from django.utils import timezone

    from countybridge.core.identifiers import make_resident_id

    diagnosed = timezone.localtime() - dt.timedelta(hours=2)
    diseases = ["measles", "mumps", "hfmd", "influenza", "other_diarrhoea"]
    cards = []
    for i in range(n):
        cards.append(
            {
                "client_report_id": str(uuid.uuid4()),
                "patient_name": f"病例{i}",
                "id_type": "resident_id",
                "id_number": make_resident_id(
                    "510185", dt.date(1950, 1, 1) + dt.timedelta(days=i), 11 + 2 * (i % 400)
                ),
                "patient_origin": "county",
                "address": "简阳市射洪坝街道某某路1号",
                "population_group": "farmer",
                "case_classification": "clinical",
                "disease": diseases[i % len(diseases)],
                "onset_date": (diagnosed - dt.timedelta(days=2)).date().isoformat(),
                "diagnosed_at": diagnosed.strftime("%Y-%m-%dT%H:%M"),
                "reporting_doctor": "李医生",
            }
        )
    return cards


def _send(batches: list[list[dict]], secret: str) -> tuple[float, list[int]]:
    """Post every batch from its own thread at once; the wall time and every status code."""
    from django.db import connection
    from django.test import Client

    statuses: list[int] = []
    lock = threading.Lock()

    def worker(batch):
        client = Client()
        mine = []
        for card in batch:
            response = client.post("/api/surveillance/reports", json.dumps(card), content_type="application/json",
                                   HTTP_AUTHORIZATION=f"Bearer {secret}")  # fmt: skip
            mine.append(response.status_code)
        with lock:
            statuses.extend(mine)
        connection.close()

    threads = [threading.Thread(target=worker, args=(b,)) for b in batches]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - start, statuses


def main(n: int, n_threads: int) -> None:
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_regions", verbosity=0)
    from countybridge.core.models import Organisation, Region, User
    from countybridge.core.services.tokens import api_token_issue
    from countybridge.surveillance.models import CaseReport
    from countybridge.surveillance.services_catalogue import catalogue_load

    catalogue_load()
    admin = User.objects.create_user(username="bench-admin", password="x" * 16, role="city_admin")
    clinic = Organisation.objects.create(kind="primary_care", name="简阳市射洪坝社区卫生服务中心",
                                         region=Region.objects.get(code="510185"),
                                         primary_care_type="community_hc")  # fmt: skip
    _, secret = api_token_issue(actor=admin, organisation=clinic, name="bench HIS")
    cards = _cards(n)
    shares = [cards[i::n_threads] for i in range(n_threads)]

    seconds, statuses = _send(shares, secret)
    created = statuses.count(201)
    print(f"intake: {len(cards)} cards from {n_threads} concurrent clients in {seconds:.2f} s = "
          f"{len(cards) / seconds:.0f} reports/s; 201 created {created}, other {len(statuses) - created}")  # fmt: skip

    # the same batch resent by two senders at once (each thread's share twice, concurrently)
    seconds, statuses = _send(shares + shares, secret)
    stored = CaseReport.objects.count()
    print(f"resend x2 concurrently: {len(statuses)} posts in {seconds:.2f} s, statuses {sorted(set(statuses))}; "
          f"stored {stored} of {len(cards)} (lost {len(cards) - stored if stored < len(cards) else 0}, "
          f"duplicates {max(stored - len(cards), 0)})")  # fmt: skip
    if stored != len(cards) or created != len(cards) or set(statuses) != {200}:
        raise SystemExit("report intake lost or duplicated reports")


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))
