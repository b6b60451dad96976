// Writes the seed inputs of the fuzz targets in fuzz/fuzz_targets/ into
// fuzz/corpus/<target>/, from the shared corpus next to the checkout and
// the bundled sample project. cargo-fuzz reads and grows those folders;
// they are not committed.
//
//   node scripts/fuzz_seeds.mjs

import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CORPUS = path.resolve(ROOT, '..', 'shared', 'corpus');
const OUT = path.join(ROOT, 'fuzz', 'corpus');

/** Returns every file under `dir` as [path relative to dir, text]. */
function readTree(dir) {
  const files = [];
  const walk = (at) => {
    for (const entry of fs.readdirSync(at, { withFileTypes: true })) {
      const full = path.join(at, entry.name);
      if (entry.isDirectory()) walk(full);
      else files.push([path.relative(dir, full).split(path.sep).join('/'), fs.readFileSync(full, 'utf8')]);
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return files.sort(([a], [b]) => a.localeCompare(b));
}

/** Returns the CREATE TABLE statements of a corpus schema.json. */
function ddl(schemaPath) {
  const schema = JSON.parse(fs.readFileSync(schemaPath, 'utf8'));
  return Object.entries(schema.tables)
    .map(([table, columns]) => {
      const list = Object.entries(columns).map(([name, type]) => `  "${name}" ${type}`);
      return `CREATE TABLE ${table} (\n${list.join(',\n')}\n);\n`;
    })
    .join('\n');
}

/** Returns the Rocky projects of the shared corpus and the sample, as file maps. */
function projects() {
  const found = [];
  for (const group of ['tpch', 'tpcds']) {
    const dir = path.join(CORPUS, group);
    if (!fs.existsSync(dir)) continue;
    found.push([group, projectOf(dir)]);
  }
  const cases = path.join(CORPUS, 'cases');
  if (fs.existsSync(cases)) {
    for (const name of fs.readdirSync(cases).sort()) {
      const dir = path.join(cases, name);
      if (fs.existsSync(path.join(dir, 'schema.json'))) found.push([name, projectOf(dir)]);
    }
  }
  found.push(['sample', Object.fromEntries(readTree(path.join(ROOT, 'sample', 'retail')))]);
  return found;
}

function projectOf(dir) {
  const files = { 'sources/schema.sql': ddl(path.join(dir, 'schema.json')) };
  for (const [name, text] of readTree(path.join(dir, 'models'))) {
    if (name.endsWith('.sql')) files[`models/${name}`] = text;
  }
  return files;
}

/** Writes `text` under `target`, named by its hash, so reruns add nothing twice. */
function seed(target, text) {
  const dir = path.join(OUT, target);
  fs.mkdirSync(dir, { recursive: true });
  const name = createHash('sha1').update(text).digest('hex');
  fs.writeFileSync(path.join(dir, `seed-${name}`), text);
}

function base64url(bytes) {
  return Buffer.from(bytes).toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

const counts = { compile_model: 0, compile_project: 0, share_link: 0, dbt_jinja: 0 };
for (const [name, files] of projects()) {
  for (const [file, text] of Object.entries(files)) {
    if (file.startsWith('models/') && file.endsWith('.sql')) {
      seed('compile_model', text);
      counts.compile_model += 1;
    }
  }
  // The project target reads files separated by `==> PATH` lines.
  const joined = Object.entries(files).map(([file, text]) => `==> ${file}\n${text}`).join('');
  seed('compile_project', joined);
  counts.compile_project += 1;
  // The link target reads a fragment, and also its input as a link's JSON.
  if (joined.length < 200_000) {
    const project = { files, branch: name === 'sample' ? 'main' : name };
    const json = JSON.stringify(project);
    seed('share_link', json);
    seed('share_link', `share=r2.${base64url(zlib.deflateRawSync(Buffer.from(json), { level: 9 }))}`);
    counts.share_link += 2;
  }
}
for (const [file, text] of readTree(path.join(CORPUS, 'dbt'))) {
  if (file.endsWith('.sql')) {
    seed('dbt_jinja', text);
    counts.dbt_jinja += 1;
  }
}
console.log(`wrote seeds into ${path.relative(ROOT, OUT)}: ${Object.entries(counts).map(([t, n]) => `${t} ${n}`).join(', ')}`);
