#!/usr/bin/env python3
"""Times sqlglot's column lineage against Rocky's compile on one project.

    python3 scripts/compare_sqlglot.py PROJECT_DIR [--rocky target/release/rocky]

PROJECT_DIR is a Rocky project, such as one `rocky generate` writes. The
script reads every model's output columns from `rocky compile --format
json`, reads the source tables' columns from their CREATE TABLE
statements with sqlglot, and gives sqlglot that schema, so `*` expands.
Then it calls `sqlglot.lineage.lineage` for every output column of every
model, each model's SQL parsed once and handed over as a tree, which is
sqlglot's fastest use. Rocky's time is the compile time that
`rocky compile --verbose` reports; that compile computes the lineage of
every column and also type-checks the project. The script prints both
times and their ratio. It needs sqlglot installed (`pip install sqlglot`).
"""

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import sqlglot
from sqlglot import exp
from sqlglot.lineage import lineage


def rocky_compile(rocky, project):
    """Returns (compile seconds, compile JSON) from two runs of the CLI."""
    verbose = subprocess.run(
        [rocky, "compile", str(project), "--verbose"],
        capture_output=True, text=True, check=False,
    )
    seconds = None
    for line in verbose.stderr.splitlines():
        if "compiled in " in line:
            seconds = float(line.rsplit("compiled in ", 1)[1].split(" ms")[0]) / 1000
    if seconds is None:
        sys.exit(f"rocky compile printed no timing:\n{verbose.stderr}")
    result = subprocess.run(
        [rocky, "compile", str(project), "--format", "json"],
        capture_output=True, text=True, check=False,
    )
    return seconds, json.loads(result.stdout)


def source_schema(project):
    """Reads each source table's columns from sources/*.sql."""
    schema = {}
    for path in sorted((project / "sources").glob("*.sql")):
        for statement in sqlglot.parse(path.read_text(), read="duckdb"):
            if not isinstance(statement, exp.Create):
                continue
            table = statement.this
            name = table.this.name
            schema[name] = {
                column.name: column.args["kind"].sql("duckdb")
                for column in table.expressions
                if isinstance(column, exp.ColumnDef)
            }
    return schema


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("--rocky", default="target/release/rocky")
    args = parser.parse_args()

    rocky_seconds, compiled = rocky_compile(args.rocky, args.project)
    schema = source_schema(args.project)
    for model in compiled["models"]:
        schema[model["name"]] = {c["name"]: c["type"] for c in model["columns"]}

    columns = 0
    failures = 0
    started = time.perf_counter()
    for model in compiled["models"]:
        sql = (args.project / "models" / f"{model['name']}.sql").read_text()
        tree = sqlglot.parse_one(sql, read="duckdb")
        for column in model["columns"]:
            columns += 1
            try:
                lineage(column["name"], tree, schema=schema, dialect="duckdb")
            except Exception:  # sqlglot raises many kinds; each one is counted
                failures += 1
    sqlglot_seconds = time.perf_counter() - started

    print(f"project: {args.project} ({len(compiled['models'])} models, {columns} output columns)")
    print(f"sqlglot {sqlglot.__version__} lineage of every column: {sqlglot_seconds:.2f} s"
          f" ({failures} columns failed)")
    print(f"rocky compile (lineage of every column, and type checks): {rocky_seconds * 1000:.1f} ms")
    print(f"sqlglot / rocky: {sqlglot_seconds / rocky_seconds:.0f}x")


if __name__ == "__main__":
    main()
