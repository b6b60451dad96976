"""Checks rocky import-dbt against a real dbt run of the same project.

Runs `dbt build` on a copy of the dbt project into one DuckDB file, and
`rocky import-dbt`, then `rocky build-sql`, into another, and compares
every table and view the dbt run made: the same rows (EXCEPT ALL both
ways) and the same column names and types. Prints one line per relation
and exits with 1 on any difference.

dbt is not a test dependency, so this runs by hand, in a virtual
environment with dbt installed. dbt-core 1.11 and later download a
parser binary while they install, which fails offline; 1.10 does not:

    python3 -m venv /tmp/dbt
    /tmp/dbt/bin/pip install "dbt-core>=1.9,<1.11" "dbt-duckdb>=1.9,<1.11" duckdb==1.4.4
    cargo build -p rocky-cli
    /tmp/dbt/bin/python scripts/dbt_oracle.py ../shared/corpus/dbt/jaffle_shop

The CLI is read from $CARGO_TARGET_DIR when it is set, as cargo builds it.
"""

import os
import shutil
import subprocess
import sys
import tempfile

import duckdb

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CLI = os.path.join(os.environ.get("CARGO_TARGET_DIR") or os.path.join(REPO, "target"), "debug", "rocky")
DBT = os.path.join(os.path.dirname(sys.executable), "dbt")


def run(command, cwd, env=None):
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)} failed with {result.returncode}:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: dbt_oracle.py DBT_PROJECT_DIR")
    source = os.path.abspath(sys.argv[1])
    work = tempfile.mkdtemp(prefix="rocky-dbt-oracle-")
    project = os.path.join(work, "dbt")
    shutil.copytree(source, project)
    with open(os.path.join(project, "dbt_project.yml")) as file:
        profile = next(line.split(":", 1)[1].strip().strip("'\"") for line in file if line.startswith("profile:"))
    profiles = os.path.join(work, "profiles")
    os.makedirs(profiles)
    with open(os.path.join(profiles, "profiles.yml"), "w") as file:
        file.write(f"{profile}:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n"
                   f"      path: {os.path.join(work, 'dbt.duckdb')}\n      threads: 1\n")
    env = dict(os.environ, DBT_SEND_ANONYMOUS_USAGE_STATS="false")
    run([DBT, "build", "--profiles-dir", profiles], project, env)

    rocky = os.path.join(work, "rocky")
    run([CLI, "import-dbt", source, rocky], work)
    script = run([CLI, "build-sql", "."], rocky)
    # The script reads the CSV files by paths relative to the project.
    os.chdir(rocky)
    built = duckdb.connect(os.path.join(work, "rocky.duckdb"))
    built.execute(script)
    built.close()
    os.chdir(work)

    # Views name the catalog they were made in, so each file is attached
    # under the name it had then.
    con = duckdb.connect()
    con.execute(f"ATTACH '{os.path.join(work, 'dbt.duckdb')}' AS dbt (READ_ONLY)")
    con.execute(f"ATTACH '{os.path.join(work, 'rocky.duckdb')}' AS rocky (READ_ONLY)")
    relations = con.execute(
        "SELECT table_schema, table_name FROM information_schema.tables "
        "WHERE table_catalog = 'dbt' ORDER BY table_name").fetchall()
    differences = 0
    for schema, name in relations:
        theirs, ours = f'dbt."{schema}"."{name}"', f'rocky.main."{name}"'
        columns = "SELECT column_name, data_type FROM information_schema.columns WHERE table_catalog = ? " \
                  "AND table_name = ? ORDER BY ordinal_position"
        expected = con.execute(columns, ["dbt", name]).fetchall()
        actual = con.execute(columns, ["rocky", name]).fetchall()
        if expected != actual:
            differences += 1
            print(f"{name}: columns differ: dbt {expected}, rocky {actual}")
            continue
        only_dbt = con.execute(f"SELECT count(*) FROM (SELECT * FROM {theirs} EXCEPT ALL SELECT * FROM {ours})").fetchone()[0]
        only_rocky = con.execute(f"SELECT count(*) FROM (SELECT * FROM {ours} EXCEPT ALL SELECT * FROM {theirs})").fetchone()[0]
        rows = con.execute(f"SELECT count(*) FROM {theirs}").fetchone()[0]
        if only_dbt or only_rocky:
            differences += 1
        print(f"{name}: {rows} rows, {only_dbt} only in dbt, {only_rocky} only in rocky, same columns and types")
    shutil.rmtree(work)
    sys.exit(1 if differences else 0)


if __name__ == "__main__":
    main()
