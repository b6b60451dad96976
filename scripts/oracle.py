#!/usr/bin/env python3
"""Fills a fixture of expressions with what DuckDB reports for each.

A fixture is JSON with the DuckDB version, a CREATE TABLE statement for a
table named `o`, and cases that each give an expression. For every case
this script asks DuckDB for `DESCRIBE SELECT <expr> FROM o` and writes back
the output column's name and type, or the error DuckDB raised:

    python3 -m venv /tmp/duckdb && /tmp/duckdb/bin/pip install duckdb==1.4.4
    /tmp/duckdb/bin/python scripts/oracle.py crates/core/tests/fixtures/types.json

The Rust tests in crates/core/tests/expressions.rs read the fixtures and
compare the compiler's answer with DuckDB's, so nothing here runs in CI.
"""

import json
import sys

import duckdb


def fill(path):
    with open(path) as f:
        fixture = json.load(f)
    connection = duckdb.connect()
    connection.execute(fixture["table"])
    fixture["duckdb"] = duckdb.__version__
    for case in fixture["cases"]:
        for key in ("name", "type", "error"):
            case.pop(key, None)
        try:
            described = connection.execute(f"DESCRIBE SELECT {case['expr']} FROM o").fetchall()
            case["name"], case["type"] = described[0][0], described[0][1]
        except duckdb.Error as error:
            case["error"] = str(error).split("\n")[0][:120]
    with open(path, "w") as f:
        json.dump(fixture, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    for path in sys.argv[1:]:
        fill(path)
