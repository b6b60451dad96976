// Unit tests of www/src/model-info.js on editor states built here, without
// a browser: mapping the compiler's positions onto edited text, the names
// the text defines, and the lookups behind hover.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EditorState } from '../../www/node_modules/@codemirror/state/dist/index.js';
import { PostgreSQL, sql } from '../../www/node_modules/@codemirror/lang-sql/dist/index.js';
import { describeAt, modelInfoField, nextModelInfo, queryNames, setModelInfo } from '../../www/src/model-info.js';
import { BASE, INFO, TABLES, bareState, rangeOf, stateWith } from './model-fixtures.mjs';

test('info maps across an edit since the compile', () => {
  const doc = 'SELECT o.amount, o. FROM orders AS o';
  const info = stateWith(doc).field(modelInfoField);
  assert.equal(doc.slice(info.uses[0].from, info.uses[0].to), 'o.amount');
  assert.deepEqual([info.scopes[0].from, info.scopes[0].to], [0, doc.length], 'the scope does not cover the typed text');
});

test('use whose text changed is dropped', () => {
  const info = stateWith('SELECT o.amounts FROM orders AS o').field(modelInfoField);
  assert.deepEqual(info.uses, []);
});

test('edits after the info map it too', () => {
  const state = stateWith(BASE);
  const edited = state.update({ changes: { from: 0, insert: '-- note\n' } }).state;
  const use = edited.field(modelInfoField).uses[0];
  assert.equal(edited.doc.sliceString(use.from, use.to), 'o.amount');
});

test('same parse again keeps the mapped info', () => {
  // Two edits far apart: the text difference alone would cover o.amount.
  let state = stateWith(BASE);
  state = state.update({ changes: [{ from: 0, insert: '-- a\n' }, { from: BASE.length, insert: ' -- b' }] }).state;
  const tables = [{ name: 'orders', kind: 'model', columns: [] }];
  const next = nextModelInfo(state, { ...INFO, tables });
  assert.equal(next.uses.length, 1, 'resending the same parse dropped o.amount');
  assert.equal(state.doc.sliceString(next.uses[0].from, next.uses[0].to), 'o.amount');
  assert.deepEqual(next.tables, tables, 'the new tables were not taken');

  const fresh = nextModelInfo(bareState(state.doc.toString()), INFO);
  assert.equal(fresh.uses.length, 0, 'the text difference alone was expected to drop o.amount');

  const retyped = { ...INFO, columnUses: [{ ...INFO.columnUses[0], type: 'DOUBLE' }] };
  const changed = state.update({ effects: setModelInfo.of(nextModelInfo(state, retyped)) }).state;
  assert.notEqual(changed.field(modelInfoField).key, next.key, 'a new parse was taken for the old one');
});

test('column hover has type and source', () => {
  const state = stateWith(BASE);
  const found = describeAt(state, BASE.indexOf('amount') + 2, 1);
  assert.equal(found.kind, 'column');
  assert.equal(found.name, 'o.amount');
  assert.equal(found.type, 'DECIMAL(10,2)');
  assert.equal(found.source, 'orders.amount');
});

test('qualifier hover shows its table', () => {
  const state = stateWith(BASE);
  const found = describeAt(state, BASE.indexOf('o.amount'), 1);
  assert.equal(found.kind, 'table');
  assert.equal(found.name, 'o');
  assert.equal(found.what, 'alias of model orders');
  assert.deepEqual(found.columns.map((column) => column.name), ['id', 'amount']);
});

test('table name hover shows the model', () => {
  const state = stateWith(BASE);
  const found = describeAt(state, BASE.indexOf('orders') + 1, 1);
  assert.equal(found.kind, 'table');
  assert.equal(found.what, 'model');
  assert.equal(found.name, 'orders');
  assert.equal(found.columns[1].description, 'in dollars');
});

test('schema-qualified source hover', () => {
  const text = 'SELECT name FROM raw.customers';
  const state = stateWith(text, { text, columnUses: [], scopes: [], tables: TABLES });
  const found = describeAt(state, text.indexOf('raw') + 1, 1);
  assert.equal(found?.what, 'source');
  assert.equal(found.name, 'raw.customers');
  assert.equal(text.slice(found.from, found.to), 'raw.customers');
});

test('CTE shadows the model of its name', () => {
  const text = 'WITH orders AS (SELECT 1 AS x)\nSELECT orders.x FROM orders';
  const cte = [{ name: 'x', type: 'INTEGER' }];
  const info = {
    text,
    columnUses: [],
    scopes: [
      { ...rangeOf(text, 'SELECT 1 AS x'), tables: [] },
      { ...rangeOf(text, 'SELECT orders.x FROM orders'), tables: [{ name: 'orders', columns: cte }] },
    ],
    tables: TABLES,
  };
  const state = stateWith(text, info);
  const use = describeAt(state, text.lastIndexOf('orders') + 1, 1);
  assert.equal(use.what, 'CTE');
  assert.deepEqual(use.columns, cte);
  const definition = describeAt(state, text.indexOf('orders') + 1, 1);
  assert.equal(definition.what, 'CTE', 'the WITH name is taken for the model');
  assert.deepEqual(definition.columns, cte);
});

test('CTE and alias names found', () => {
  const text = 'with source as (select * from raw.customers c), b (x) as materialized (select 1)\n'
    + 'select * from source as s join b on true, (select 2) t';
  const state = EditorState.create({ doc: text, extensions: [sql({ dialect: PostgreSQL })] });
  const names = queryNames(state);
  assert.deepEqual([...names.ctes.keys()], ['source', 'b']);
  const aliases = Object.fromEntries([...names.aliases].map(([key, alias]) => [key, alias.target]));
  assert.deepEqual(aliases, { c: 'raw.customers', s: 'source', t: null });
});

test('no info means no hover', () => {
  assert.equal(describeAt(bareState(BASE), 10, 1), null);
});
