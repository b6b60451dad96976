#!/usr/bin/env python3
"""Times `dbt parse` against Rocky's compile on the same generated models.

    python3 scripts/compare_dbt_parse.py --models 1000 [--seed 1] [--runs 3]
        [--rocky target/release/rocky] [--dbt dbt] [--work DIR]

The script writes the project with `rocky generate DIR --models N --seed S`
and its dbt twin with `--dbt` (every model read a `ref`, every source read
a `source`). It then times, from the outside and as the median of --runs:

- `rocky compile DIR`: load, parse, resolve, type check and column lineage
  of every model;
- `dbt parse --no-partial-parse` in the twin: Jinja rendering, `ref` and
  `source` resolution and the DAG, with no type check and no lineage.

Both times include starting the process. It prints them and their ratio.
dbt comes from `pip install dbt-core dbt-duckdb`; `dbt parse` opens no
database connection.
"""

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def timed(command, cwd=None):
    """Runs `command`; returns its wall-clock seconds, or exits on failure."""
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"{' '.join(map(str, command))} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rocky", default="target/release/rocky")
    parser.add_argument("--dbt", default="dbt")
    parser.add_argument("--work", help="a new directory for the two projects (default: a temporary one)")
    args = parser.parse_args()

    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="rocky-dbt-parse-"))
    rocky_dir = work / "rocky"
    dbt_dir = work / "dbt"
    for target, extra in ((rocky_dir, []), (dbt_dir, ["--dbt"])):
        subprocess.run(
            [args.rocky, "generate", str(target), "--models", str(args.models), "--seed", str(args.seed), *extra],
            check=True, capture_output=True,
        )

    rocky_times = [timed([args.rocky, "compile", str(rocky_dir)]) for _ in range(args.runs)]
    dbt_command = [args.dbt, "parse", "--no-partial-parse", "--profiles-dir", str(dbt_dir), "--project-dir", str(dbt_dir)]
    dbt_times = [timed(dbt_command, cwd=dbt_dir) for _ in range(args.runs)]

    version = subprocess.run([args.dbt, "--version"], capture_output=True, text=True, check=False).stdout
    core = next((line.split(":", 1)[1].strip() for line in version.splitlines() if "installed" in line), "?")
    rocky_median = statistics.median(rocky_times)
    dbt_median = statistics.median(dbt_times)
    print(f"{args.models} models (seed {args.seed}), median of {args.runs} runs, process start included")
    print(f"  rocky compile:              {rocky_median * 1000:9.1f} ms")
    print(f"  dbt parse (dbt-core {core}): {dbt_median * 1000:9.1f} ms")
    print(f"  dbt parse / rocky compile:  {dbt_median / rocky_median:9.1f}")
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
