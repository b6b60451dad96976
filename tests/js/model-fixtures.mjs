// Editor states and compiler info shared by the unit tests of
// www/src/model-info.js. CodeMirror's packages are imported by file from
// www/node_modules, the copies that model-info.js itself loads.

import assert from 'node:assert/strict';
import { EditorState } from '../../www/node_modules/@codemirror/state/dist/index.js';
import { PostgreSQL, sql } from '../../www/node_modules/@codemirror/lang-sql/dist/index.js';
import { modelInfoField, prepareModelInfo, setModelInfo } from '../../www/src/model-info.js';

export const ORDERS = [
  { name: 'id', type: 'INTEGER' },
  { name: 'amount', type: 'DECIMAL(10,2)', description: 'in dollars' },
];
export const TABLES = [
  { name: 'orders', kind: 'model', columns: ORDERS },
  { name: 'raw.customers', kind: 'source', columns: [{ name: 'name', type: 'VARCHAR' }] },
];

// Returns the 1-based line and column of `needle` in `text`, the first one
// or the one after `occurrence` others.
export function positionOf(text, needle, occurrence = 0) {
  let index = -1;
  for (let i = 0; i <= occurrence; i++) index = text.indexOf(needle, index + 1);
  assert.ok(index >= 0, `no ${JSON.stringify(needle)} in ${JSON.stringify(text)}`);
  const before = text.slice(0, index).split('\n');
  return { line: before.length, column: before.at(-1).length + 1 };
}

export function rangeOf(text, needle, occurrence = 0) {
  const start = positionOf(text, needle, occurrence);
  return { ...start, endLine: start.line, endColumn: start.column + needle.length };
}

// The info the compiler would send for `SELECT o.amount FROM orders AS o`.
export const BASE = 'SELECT o.amount FROM orders AS o';
export const INFO = {
  text: BASE,
  columnUses: [{
    ...rangeOf(BASE, 'o.amount'), name: 'amount', table: 'o', type: 'DECIMAL(10,2)',
    source: { table: 'orders', column: 'amount' },
  }],
  scopes: [{ ...rangeOf(BASE, BASE), tables: [{ name: 'o', columns: ORDERS }] }],
  tables: TABLES,
};

export function stateWith(doc, info = INFO) {
  const state = bareState(doc);
  return state.update({ effects: setModelInfo.of(prepareModelInfo(state.doc, info)) }).state;
}

export function labels(found) {
  return found?.options.map((option) => option.label) ?? null;
}


/** Creates a state with the SQL language and an empty model info field. */
export function bareState(doc) {
  return EditorState.create({ doc, extensions: [sql({ dialect: PostgreSQL }), modelInfoField] });
}
