"""Regenerates the per-code examples of docs/diagnostics.md.

Each example in examples.py is a failing project and its fix. The script
builds both in a temporary folder and runs the real `rocky compile` on
them. The failing one must report its code and nothing else; the fix must
report nothing. It then rewrites the example sections, from the first
code's heading to the end:

    cargo build -p rocky-cli && python3 scripts/docs/diagnostic_examples.py

The CLI is read from $CARGO_TARGET_DIR when it is set, as cargo builds it.
"""

import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
from examples import E, SOURCES, ROCKY  # noqa: E402

CLI = os.path.join(os.environ.get("CARGO_TARGET_DIR") or os.path.join(REPO, "target"), "debug", "rocky")
ROOT = tempfile.mkdtemp(prefix="rocky-examples-")
DOC = os.path.join(REPO, "docs", "diagnostics.md")

def build(dirname, files, remove):
    d = os.path.join(ROOT, dirname)
    shutil.rmtree(d, ignore_errors=True)
    base = {"rocky.toml": ROCKY, "sources/raw.sql": SOURCES}
    base.update(files)
    for r in remove:
        base.pop(r, None)
    for path, text in base.items():
        p = os.path.join(d, path)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        open(p, "w").write(text)
    return d

def run(d):
    r = subprocess.run([CLI, "compile", d], capture_output=True, text=True)
    lines = r.stderr.rstrip("\n").split("\n")
    assert lines[-1].startswith("compiled "), r.stderr
    return r.returncode, "\n".join(lines[:-1]).rstrip("\n"), lines[-1]

def lang(path):
    return {"sql": "sql", "toml": "toml", "csv": "csv"}[path.rsplit(".", 1)[1]]

out = []
problems = []
for e in E:
    code = e["code"]
    d = build(code + "-bad", e["files"], e["remove"] if code == "W0001" else ())
    status, text, summary = run(d)
    if f"[{code}]" not in text:
        problems.append(f"{code}: not emitted: {text}")
    allowed = [code, *e["allow"]]
    others = [
        line
        for line in text.split("\n")
        if line.startswith(("error[", "warning["))
        and not any(f"[{c}]" in line for c in allowed)
    ]
    if others:
        problems.append(f"{code}: other diagnostics: {others}")
    fixfiles = dict(e["files"]); fixfiles.update(e["fix"])
    remove = [] if code == "W0001" else list(e["remove"])
    fd = build(code + "-fix", fixfiles, remove)
    fstatus, ftext, fsummary = run(fd)
    if ftext.strip():
        problems.append(f"{code}: fix still reports: {ftext}")
    out.append(f"### {code}\n")
    out.append(e["intro"] + "\n")
    for path in e["show"]:
        out.append(f"`{path}`:\n")
        out.append(f"```{lang(path)}\n{e['files'][path]}```\n")
    out.append(f"```text\n{text}\n```\n")
    if e["note"]:
        out.append(e["note"] + "\n")
    if e["fix_text"]:
        out.append(e["fix_text"] + "\n")
    else:
        out.append("The fix:\n")
    for path in e["fix_show"]:
        if e["fix_text"] or len(e["fix_show"]) > 1 or path not in e["show"]:
            out.append(f"`{path}`:\n")
        out.append(f"```{lang(path)}\n{e['fix'][path]}```\n")
text = open(DOC).read()
head = text[: text.index("\n### E0001\n") + 1]
open(DOC, "w").write(head + "\n".join(out))
shutil.rmtree(ROOT, ignore_errors=True)
print("\n".join(problems) or "no problems")
sys.exit(1 if problems else 0)
