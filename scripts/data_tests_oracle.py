#!/usr/bin/env python3
"""Runs the data tests of the jaffle_shop sample in DuckDB and records the
failing-row count of each in crates/core/tests/fixtures/data_tests.json.

The Rust test `dump_oracle_sql` (crates/core/tests/data_tests.rs) writes
the sample's build plan and the SQL of its tests, including extra tests
that fail on the sample data. This script builds the sample in an
in-memory DuckDB from that plan and runs each test's SQL. It checks the
count of every extra test against a query written here by hand, so the
fixture records counts that two different queries agree on:

    python3 -m venv /tmp/duck144 && /tmp/duck144/bin/pip install duckdb==1.4.4
    /tmp/duck144/bin/python scripts/data_tests_oracle.py

The Rust test `fixture_matches_duckdb` compares the fixture with the SQL
the compiler writes and with the expected counts; it needs no DuckDB.
"""

import json
import os
import subprocess
import sys
import tempfile

import duckdb

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAMPLE = os.path.join(ROOT, "sample", "jaffle_shop")
FIXTURE = os.path.join(ROOT, "crates", "core", "tests", "fixtures", "data_tests.json")

# Failing rows of the extra tests, counted by hand-written queries on the
# source tables. Every test not listed here must have no failing rows.
REFERENCE = {
    # One status value, `returned`, is not accepted.
    "status_without_returned": """
        SELECT count(DISTINCT status) FROM raw_orders
        WHERE status NOT IN ('placed', 'shipped', 'completed', 'return_pending')""",
    # Only `shipped` is accepted as written; `upper('placed')` is `PLACED`.
    "status_as_sql": """
        SELECT count(DISTINCT status) FROM raw_orders WHERE status <> 'shipped'""",
    "small_coupons": """
        SELECT count(*) FROM raw_payments
        WHERE payment_method = 'coupon' AND amount / 100 >= 10""",
    "one_payment_per_order": """
        SELECT count(*) FROM (
            SELECT order_id FROM raw_payments GROUP BY order_id HAVING count(*) > 1)""",
    "one_payment_per_method": """
        SELECT count(*) FROM (
            SELECT order_id, payment_method FROM raw_payments
            GROUP BY order_id, payment_method HAVING count(*) > 1)""",
    "customers_have_orders": """
        SELECT count(*) FROM raw_customers c
        WHERE c.id NOT IN (SELECT user_id FROM raw_orders)""",
    "at_most_50_customers": """
        SELECT CASE WHEN count(*) > 50 THEN 1 ELSE 0 END FROM raw_customers""",
    "customers_ordered": """
        SELECT count(*) FROM raw_customers c
        WHERE c.id NOT IN (SELECT user_id FROM raw_orders)""",
}


def dump_sql(path):
    """Runs the Rust test that writes the plan and the test SQL to `path`."""
    subprocess.run(
        ["cargo", "test", "-q", "-p", "rocky-core", "--test", "data_tests",
         "dump_oracle_sql", "--", "--ignored", "--exact"],
        cwd=ROOT,
        env={**os.environ, "DATA_TESTS_DUMP": path},
        check=True,
    )
    with open(path) as f:
        return json.load(f)


def main():
    with tempfile.TemporaryDirectory() as folder:
        dump = dump_sql(os.path.join(folder, "dump.json"))
    # The plan reads CSV files by their path relative to the project.
    os.chdir(SAMPLE)
    connection = duckdb.connect()
    for statement in dump["plan"]:
        connection.execute(statement)
    problems = []
    recorded = []
    for test in dump["tests"]:
        failing = len(connection.execute(test["sql"]).fetchall())
        want = connection.execute(REFERENCE[test["name"]]).fetchone()[0] if test["name"] in REFERENCE else 0
        if failing != want:
            problems.append(f"{test['name']}: {failing} failing rows, the reference counts {want}")
        recorded.append({
            "name": test["name"],
            "model": test["model"],
            "kind": test["kind"],
            "severity": test["severity"],
            "sql": test["sql"],
            "failing_rows": failing,
        })
    missing = set(REFERENCE) - {test["name"] for test in dump["tests"]}
    problems.extend(f"{name}: no such test in the dump" for name in sorted(missing))
    with open(FIXTURE, "w") as f:
        json.dump({"duckdb": duckdb.__version__, "tests": recorded}, f, indent=1)
        f.write("\n")
    print("\n".join(problems) or f"{len(recorded)} tests recorded in {os.path.relpath(FIXTURE, ROOT)}")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
