#!/usr/bin/env python3
"""Compare `rocky compile --format json` with DuckDB 1.4.4 on many queries.

Usage:
    python3 -m venv /tmp/duckdb && /tmp/duckdb/bin/pip install duckdb==1.4.4
    cargo build -p rocky-cli
    /tmp/duckdb/bin/python scripts/oracle/harness.py [--rocky PATH] [--only REGEX] [--show all|bad]

Each case in cases.py is one model.  For every case the script asks DuckDB
for the columns of `CREATE VIEW v AS <sql>` (names as a materialized model
gets them) and of `DESCRIBE <sql>`, or the error DuckDB raises, and compares
that with the model's columns and error diagnostics in Rocky's JSON.  For
every column Rocky marks not_null it runs the query on two data sets (empty
tables, and tables with NULLs and unmatched join keys) and reports any NULL.
Results go to results.jsonl and a summary to stdout.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time

import duckdb

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from schema import DATA, SOURCES  # noqa: E402
import cases as casemod  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
# Projects and results go to a scratch folder, not into the repository.
WORK = os.environ.get("ROCKY_ORACLE_WORK", "/tmp/rocky-oracle")


def norm_type(t):
    return re.sub(r"\s+", " ", t.strip())


def duck_connect(with_data):
    con = duckdb.connect()
    for ddl in SOURCES.values():
        con.execute(ddl)
    if with_data:
        for ins in DATA:
            con.execute(ins)
    return con


def run_with_timeout(con, sql, seconds=10):
    timer = threading.Timer(seconds, con.interrupt)
    timer.start()
    try:
        return con.execute(sql).fetchall()
    finally:
        timer.cancel()


def duck_describe(con, sql):
    """Return (columns, error); columns as [(name, type, null)] from the view."""
    try:
        run_with_timeout(con, "CREATE OR REPLACE VIEW __v AS " + sql)
        view = run_with_timeout(con, "DESCRIBE __v")
        try:
            q = run_with_timeout(con, "DESCRIBE " + sql)
        except duckdb.Error:
            q = None
        con.execute("DROP VIEW IF EXISTS __v")
        return ([(r[0], norm_type(r[1]), r[2]) for r in view],
                [(r[0], norm_type(r[1]), r[2]) for r in q] if q else None, None)
    except duckdb.Error as e:
        # Some statements (PIVOT statement) may not go into a view.
        try:
            q = run_with_timeout(con, "DESCRIBE " + sql)
            cols = [(r[0], norm_type(r[1]), r[2]) for r in q]
            return cols, cols, None
        except duckdb.Error as e2:
            return None, None, str(e2).split("\n")[0][:300]


def rocky_compile(rocky, cases, workdir):
    if os.path.exists(workdir):
        shutil.rmtree(workdir)
    os.makedirs(os.path.join(workdir, "sources"))
    os.makedirs(os.path.join(workdir, "models"))
    with open(os.path.join(workdir, "rocky.toml"), "w") as f:
        f.write('[project]\nname = "breaker"\n')
    for name, ddl in SOURCES.items():
        with open(os.path.join(workdir, "sources", name + ".sql"), "w") as f:
            f.write(ddl + "\n")
    for cid, sql in cases:
        with open(os.path.join(workdir, "models", cid + ".sql"), "w") as f:
            f.write(sql + "\n")
    t0 = time.time()
    try:
        p = subprocess.run([rocky, "compile", workdir, "--format", "json"],
                           capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired:
        return None, "TIMEOUT", time.time() - t0
    el = time.time() - t0
    if p.returncode not in (0, 1):
        return None, f"rc={p.returncode} stderr={p.stderr[-2000:]}", el
    return json.loads(p.stdout), None, el


def rocky_single(rocky, cid, sql, workdir):
    doc, err, el = rocky_compile(rocky, [(cid, sql)], workdir)
    return doc, err, el


def probe_nulls(cons, sql, rocky_cols):
    """Return list of (column index, name, dataset) where a claimed NOT NULL column held NULL."""
    claimed = [i for i, c in enumerate(rocky_cols) if c.get("not_null")]
    if not claimed:
        return [], None
    bad = []
    err = None
    for label, con in cons:
        try:
            rows = run_with_timeout(con, f"SELECT * FROM ({sql}) LIMIT 100000", 10)
        except Exception as e:  # noqa: BLE001
            err = str(e).split("\n")[0][:200]
            continue
        for i in claimed:
            if any(i < len(r) and r[i] is None for r in rows):
                bad.append((i, rocky_cols[i]["name"], label))
    seen = set()
    out = []
    for b in bad:
        if b[0] not in seen:
            seen.add(b[0])
            out.append(b)
    return out, err


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument(
        "--rocky",
        default=os.path.join(HERE, "..", "..", "target", "debug", "rocky"),
    )
    ap.add_argument("--only", default=None)
    ap.add_argument("--show", default="bad")
    ap.add_argument("--out", default=os.path.join(WORK, "results.jsonl"))
    args = ap.parse_args()

    all_cases = casemod.all_cases()
    if args.only:
        all_cases = [c for c in all_cases if re.search(args.only, c[0] + " " + c[1])]
    print(f"{len(all_cases)} cases", file=sys.stderr)

    schema_con = duck_connect(False)
    data_cons = [("empty", duck_connect(False)), ("data", duck_connect(True))]

    workdir = os.path.join(WORK, "proj")
    doc, err, el = rocky_compile(args.rocky, all_cases, workdir)
    per_model = {}
    crash_cases = {}
    if doc is None:
        print(f"bulk compile failed ({err}); compiling one by one", file=sys.stderr)
        for cid, sql in all_cases:
            d, e, _ = rocky_single(args.rocky, cid, sql, os.path.join(WORK, "proj1"))
            if d is None:
                crash_cases[cid] = e
            else:
                for m in d["models"]:
                    per_model.setdefault(m["name"], {"model": m, "diags": []})
                for dg in d["diagnostics"]:
                    if dg.get("model"):
                        per_model.setdefault(dg["model"], {"model": None, "diags": []})["diags"].append(dg)
    else:
        print(f"rocky compiled {len(all_cases)} models in {el:.2f}s", file=sys.stderr)
        for m in doc["models"]:
            per_model.setdefault(m["name"], {"model": m, "diags": []})
        for dg in doc["diagnostics"]:
            if dg.get("model"):
                per_model.setdefault(dg["model"], {"model": None, "diags": []})["diags"].append(dg)

    counts = {}
    results = []
    for cid, sql in all_cases:
        rec = {"id": cid, "sql": sql}
        vcols, qcols, derr = duck_describe(schema_con, sql)
        rec["duck_error"] = derr
        rec["duck_cols"] = vcols
        rec["duck_desc"] = qcols
        if cid in crash_cases:
            rec["verdict"] = "PANIC/CRASH"
            rec["rocky"] = crash_cases[cid]
        else:
            pm = per_model.get(cid, {"model": None, "diags": []})
            m = pm["model"] or {"columns": []}
            errs = [d for d in pm["diags"] if d["severity"] == "error"]
            warns = [d for d in pm["diags"] if d["severity"] != "error"]
            rcols = [(c["name"], c["type"], c.get("not_null", False)) for c in m["columns"]]
            rec["rocky_cols"] = rcols
            rec["rocky_errors"] = [f'{d["code"]} {d["span"]["start"]["line"]}:{d["span"]["start"]["column"]}-{d["span"]["end"]["line"]}:{d["span"]["end"]["column"]} {d["message"]} | help: {d.get("help")}' for d in errs]
            rec["rocky_warnings"] = [f'{d["code"]} {d["message"]}' for d in warns]
            verdicts = []
            if derr and not errs:
                verdicts.append("MISSED_ERROR")
            elif not derr and errs:
                verdicts.append("FALSE_ERROR")
            elif derr and errs:
                verdicts.append("BOTH_ERROR")
            else:
                dn = [c[0] for c in vcols]
                qn = [c[0] for c in qcols] if qcols else dn
                rn = [c[0] for c in rcols]
                if len(dn) != len(rn):
                    verdicts.append("WRONG_COLUMN_COUNT")
                else:
                    if rn != dn and rn != qn:
                        verdicts.append("WRONG_NAME")
                    dt = [c[1] for c in vcols]
                    rt = [c[1] for c in rcols]
                    if dt != rt:
                        if all(r == d or r == "UNKNOWN" for r, d in zip(rt, dt)):
                            verdicts.append("UNKNOWN_TYPE")
                        else:
                            verdicts.append("WRONG_TYPE")
                bad, perr = probe_nulls(data_cons, sql, m["columns"])
                if bad:
                    verdicts.append("FALSE_NOT_NULL")
                    rec["null_evidence"] = bad
                if not verdicts:
                    verdicts.append("MATCH")
            rec["verdict"] = "+".join(verdicts)
        for v in rec["verdict"].split("+"):
            counts[v] = counts.get(v, 0) + 1
        results.append(rec)

    with open(args.out, "w") as f:
        for r in results:
            f.write(json.dumps(r) + "\n")

    for r in results:
        v = r["verdict"]
        if args.show == "all" or (v not in ("MATCH", "BOTH_ERROR")):
            print("=" * 78)
            print(f"[{v}] {r['id']}: {r['sql']}")
            if r["duck_error"]:
                print("  duck error:", r["duck_error"])
            else:
                print("  duck:", r["duck_cols"], "" if r["duck_desc"] == r["duck_cols"] else f"desc={r['duck_desc']}")
            if "rocky_cols" in r:
                print("  rocky:", r["rocky_cols"])
                for e in r["rocky_errors"]:
                    print("  rocky error:", e)
                for w in r["rocky_warnings"]:
                    print("  rocky warn:", w)
            else:
                print("  rocky:", r.get("rocky"))
            if r.get("null_evidence"):
                print("  NULL found in claimed NOT NULL:", r["null_evidence"])
    total = len(results)
    matched = counts.get("MATCH", 0) + counts.get("BOTH_ERROR", 0)
    print("=" * 78)
    print(f"compared {total} queries; matched {matched} (MATCH {counts.get('MATCH', 0)}, BOTH_ERROR {counts.get('BOTH_ERROR', 0)})")
    print("counts:", json.dumps(counts, sort_keys=True))


if __name__ == "__main__":
    main()
