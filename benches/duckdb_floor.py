#!/usr/bin/env python3
"""The analytic floor for docs/benchmarks.md: the same questions as `benches/lists.rs`,
answered by DuckDB (an in-process columnar engine) over a copy of the same data.

    FORSAT_BENCH_N=1000000 FORSAT_BENCH_KEEP=1 cargo bench --bench lists   # prints "kept FILE"
    python3 -m venv .venv && .venv/bin/pip install duckdb
    .venv/bin/python benches/duckdb_floor.py FILE [RUNS]

The columns the questions read are copied from the SQLite file into DuckDB tables
(through a CSV, not timed); each question then runs once to warm up and RUNS times
(default 3), and the median is printed in milliseconds.
"""

import csv
import os
import sqlite3
import statistics
import sys
import tempfile
import time

import duckdb

COLUMNS = (
    "id, identity_id, stage_id, source_id, type_id, assigned_user_id, created_by, campaign_id, "
    "win_reason_id, loss_reason_id, estimated_amount, probability, close_date, won_on, lost_on, created_at"
)


def copy(src: sqlite3.Connection, con: duckdb.DuckDBPyConnection, table: str, select: str, types: str) -> None:
    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False, newline="") as f:
        w = csv.writer(f)
        for row in src.execute(select):
            w.writerow(["" if v is None else v for v in row])
        path = f.name
    con.execute(f"CREATE TABLE {table} AS SELECT * FROM read_csv('{path}', header = false, columns = {types}, nullstr = '')")
    os.unlink(path)


def main() -> None:
    path = sys.argv[1]
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    src = sqlite3.connect(path)
    con = duckdb.connect()
    copy(
        src,
        con,
        "opportunities",
        f"SELECT {COLUMNS} FROM opportunities",
        "{'id': 'INTEGER', 'identity_id': 'INTEGER', 'stage_id': 'INTEGER', 'source_id': 'INTEGER', 'type_id': 'INTEGER', "
        "'assigned_user_id': 'INTEGER', 'created_by': 'INTEGER', 'campaign_id': 'INTEGER', 'win_reason_id': 'INTEGER', "
        "'loss_reason_id': 'INTEGER', 'estimated_amount': 'BIGINT', 'probability': 'INTEGER', 'close_date': 'DATE', "
        "'won_on': 'DATE', 'lost_on': 'DATE', 'created_at': 'TIMESTAMPTZ'}",
    )
    copy(src, con, "stages", "SELECT id, kind, sort_order FROM stages", "{'id': 'INTEGER', 'kind': 'VARCHAR', 'sort_order': 'INTEGER'}")
    copy(
        src,
        con,
        "invoices",
        "SELECT opportunity_id, amount FROM financial_records WHERE kind = 'invoice' AND status = 'approved'",
        "{'opportunity_id': 'INTEGER', 'amount': 'BIGINT'}",
    )
    copy(src, con, "identities", "SELECT id, display_name FROM identities", "{'id': 'INTEGER', 'display_name': 'VARCHAR'}")
    copy(
        src,
        con,
        "stage_history",
        "SELECT id, opportunity_id, to_stage_id, changed_at FROM stage_history",
        "{'id': 'INTEGER', 'opportunity_id': 'INTEGER', 'to_stage_id': 'INTEGER', 'changed_at': 'TIMESTAMPTZ'}",
    )

    year = "created_at >= TIMESTAMPTZ '2025-12-31 20:30:00+00' AND created_at < TIMESTAMPTZ '2026-12-31 20:30:00+00'"
    jalali = "created_at >= TIMESTAMPTZ '2026-03-20 20:30:00+00' AND created_at < TIMESTAMPTZ '2027-03-20 20:30:00+00'"
    win_loss = (
        "SELECT o.{dim}, SUM(CASE WHEN s.kind = 'won' THEN 1 ELSE 0 END), SUM(CASE WHEN s.kind = 'lost' THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN s.kind = 'won' THEN o.estimated_amount ELSE 0 END), SUM(CASE WHEN s.kind = 'lost' THEN o.estimated_amount ELSE 0 END) "
        "FROM opportunities o JOIN stages s ON s.id = o.stage_id WHERE s.kind IN ('won', 'lost') {where} GROUP BY o.{dim}"
    )
    dims = ["win_reason_id", "loss_reason_id", "assigned_user_id", "type_id", "source_id"]
    totals = (
        "SELECT COUNT(*), SUM(estimated_amount), SUM(estimated_amount * probability) FROM opportunities o {where}",
        "SELECT SUM(i.amount) FROM invoices i JOIN opportunities o ON o.id = i.opportunity_id {where}",
    )

    def page(where: str, order: str, offset: int) -> list:
        return [
            f"SELECT o.*, d.display_name FROM opportunities o JOIN identities d ON d.id = o.identity_id {where} "
            f"ORDER BY {order}, o.id DESC LIMIT 50 OFFSET {offset}",
            *(t.format(where=where) for t in totals),
        ]

    def stage_history(where: str) -> str:
        return (
            "WITH h AS (SELECT h.opportunity_id, h.to_stage_id, h.changed_at, "
            "LEAD(h.changed_at) OVER (PARTITION BY h.opportunity_id ORDER BY h.changed_at, h.id) AS left_at, "
            "MAX(CASE WHEN s.kind <> 'lost' THEN s.sort_order END) OVER (PARTITION BY h.opportunity_id) AS furthest, "
            "MAX(CASE WHEN s.kind = 'won' THEN 1 ELSE 0 END) OVER (PARTITION BY h.opportunity_id) AS won "
            f"FROM stage_history h JOIN stages s ON s.id = h.to_stage_id {where}) "
            "SELECT h.to_stage_id, SUM(CASE WHEN s.kind = 'open' THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN s.kind = 'open' THEN CAST(COALESCE(left_at, TIMESTAMPTZ '2026-11-29 00:00:00+00') AS DATE) - CAST(changed_at AS DATE) END), "
            "COUNT(DISTINCT opportunity_id), COUNT(DISTINCT CASE WHEN furthest > s.sort_order THEN opportunity_id END), "
            "COUNT(DISTINCT CASE WHEN won = 1 THEN opportunity_id END) "
            "FROM h JOIN stages s ON s.id = h.to_stage_id GROUP BY h.to_stage_id"
        )

    def durations(where: str) -> str:
        return (
            "SELECT type_id, source_id, assigned_user_id, won_on IS NOT NULL, "
            "CASE WHEN won_on IS NOT NULL THEN won_on - CAST(created_at AS DATE) ELSE lost_on - CAST(created_at AS DATE) END, COUNT(*) "
            f"FROM opportunities WHERE (won_on IS NOT NULL OR lost_on IS NOT NULL) {where} GROUP BY 1, 2, 3, 4, 5"
        )

    questions = [
        ("stage history (time in stage, conversion)", [stage_history("")]),
        ("stage history, this year (Gregorian 2026)", [stage_history(f"WHERE h.opportunity_id IN (SELECT id FROM opportunities WHERE {year})")]),
        ("follow-up duration (average and median; by type, source, user)", [durations("")]),
        ("follow-up duration, this year (Gregorian 2026)", [durations(f"AND {year}")]),
        ("sales status chart (stages + sources)", ["SELECT stage_id, source_id, COUNT(*), SUM(estimated_amount) FROM opportunities GROUP BY 1, 2"]),
        ("sales status chart, this year (Gregorian 2026)", [f"SELECT stage_id, source_id, COUNT(*), SUM(estimated_amount) FROM opportunities WHERE {year} GROUP BY 1, 2"]),
        ("sales status chart, this year (Jalali 1405)", [f"SELECT stage_id, source_id, COUNT(*), SUM(estimated_amount) FROM opportunities WHERE {jalali} GROUP BY 1, 2"]),
        ("win / loss (totals; by reason, user, type, source)", [win_loss.format(dim=d, where="") for d in dims]),
        ("win / loss, this year (Gregorian 2026)", [win_loss.format(dim=d, where=f"AND o.{year}") for d in dims]),
        (
            "forecast (open pipeline by close month)",
            ["SELECT date_trunc('month', o.close_date), o.probability, COUNT(*), SUM(o.estimated_amount) FROM opportunities o "
             "JOIN stages s ON s.id = o.stage_id WHERE s.kind = 'open' GROUP BY 1, 2"],
        ),
        (
            "dashboard, this year (Gregorian 2026)",
            [
                f"SELECT stage_id, source_id, COUNT(*), SUM(estimated_amount) FROM opportunities WHERE {year} GROUP BY 1, 2",
                "SELECT COUNT(*), SUM(estimated_amount) FROM opportunities WHERE won_on BETWEEN DATE '2026-01-01' AND DATE '2026-12-31'",
                "SELECT COUNT(*), SUM(estimated_amount) FROM opportunities WHERE won_on BETWEEN DATE '2025-01-01' AND DATE '2025-12-31'",
                f"SELECT close_date, probability, COUNT(*), SUM(estimated_amount) FROM opportunities WHERE {year} AND won_on IS NULL AND lost_on IS NULL GROUP BY 1, 2",
                "SELECT id, close_date FROM opportunities WHERE close_date < DATE '2026-11-29' AND won_on IS NULL AND lost_on IS NULL ORDER BY close_date LIMIT 10",
                "SELECT COUNT(*) FROM opportunities WHERE close_date < DATE '2026-11-29' AND won_on IS NULL AND lost_on IS NULL",
            ],
        ),
        ("opportunity list, first page (50 rows + totals)", page("", "o.created_at DESC", 0)),
        (
            "opportunity list, open + one user + amount ≥ 100M, by amount (page + totals)",
            page(
                "WHERE o.stage_id IN (SELECT id FROM stages WHERE kind = 'open') AND o.assigned_user_id = (SELECT MIN(assigned_user_id) FROM opportunities) "
                "AND o.estimated_amount >= 1000000000000",
                "o.estimated_amount DESC",
                0,
            ),
        ),
        ("opportunity list, page 1,000 by amount (page + totals)", page("", "o.estimated_amount DESC", 49_950)),
        (
            "board, every column's count and sums",
            ["SELECT stage_id, COUNT(*), SUM(estimated_amount), SUM(estimated_amount * probability) FROM opportunities GROUP BY 1"],
        ),
        (
            "board as it opens (won and lost closed in the last 30 days)",
            ["SELECT stage_id, COUNT(*), SUM(estimated_amount), SUM(estimated_amount * probability) FROM opportunities "
             "WHERE (won_on IS NULL AND lost_on IS NULL) OR won_on >= DATE '2026-10-30' OR lost_on >= DATE '2026-10-30' GROUP BY 1"],
        ),
    ]
    print("| query | DuckDB |")
    print("|---|---|")
    for name, sqls in questions:
        def once() -> None:
            for sql in sqls:
                con.execute(sql).fetchall()

        once()
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            once()
            times.append(time.perf_counter() - t)
        print(f"| {name} | {statistics.median(times) * 1000:.2f} ms |")


if __name__ == "__main__":
    main()
