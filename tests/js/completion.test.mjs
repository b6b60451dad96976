// Unit tests of the completions that www/src/model-info.js computes, on
// editor states built here, without a browser.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { completionsAt } from '../../www/src/model-info.js';
import { BASE, bareState, labels, rangeOf, stateWith } from './model-fixtures.mjs';

test('completion after alias dot lists columns', () => {
  const doc = 'SELECT o.amount, o. FROM orders AS o';
  const pos = doc.indexOf('o. ') + 2;
  const found = completionsAt(stateWith(doc), pos, false);
  assert.equal(found.from, pos);
  assert.equal(found.qualified, true);
  assert.deepEqual(labels(found), ['id', 'amount']);
  assert.equal(found.options[1].detail, 'DECIMAL(10,2)');
});

test('completion keeps the typed prefix range', () => {
  const doc = 'SELECT o.amount, o.am FROM orders AS o';
  const pos = doc.indexOf('o.am ') + 4;
  const found = completionsAt(stateWith(doc), pos, false);
  assert.equal(found.from, pos - 2, 'the options would not replace exactly the typed "am"');
});

test('completion in scope offers its columns first', () => {
  const doc = 'SELECT o.amount, am FROM orders AS o';
  const found = completionsAt(stateWith(doc), doc.indexOf('am ') + 2, false);
  const amount = found.options.find((option) => option.label === 'amount');
  const model = found.options.find((option) => option.label === 'orders');
  assert.ok(amount, `no amount option: ${JSON.stringify(labels(found))}`);
  assert.ok(model, 'the project model orders is not offered');
  assert.ok(amount.boost > model.boost, 'a column in scope ranks below a table name');
  assert.ok(found.options.some((option) => option.label === 'o' && option.type === 'class'),
    'the alias o is not offered');
});

test('completion outside scopes falls back to project', () => {
  const doc = `na\n${BASE}`;
  const found = completionsAt(stateWith(doc), 2, false);
  assert.ok(found.options.some((option) => option.label === 'name' && option.detail === 'VARCHAR'),
    `the source column name is not offered: ${JSON.stringify(labels(found))}`);
  assert.ok(found.options.some((option) => option.label === 'raw.customers'), 'the source table is not offered');
});

test('completion after schema dot lists its tables', () => {
  const doc = `${BASE} JOIN raw.`;
  const found = completionsAt(stateWith(doc), doc.length, false);
  assert.deepEqual(labels(found), ['customers']);
});

test('no completion in strings or comments', () => {
  const doc = "SELECT 'o.' AS x FROM orders AS o -- o.";
  const state = stateWith(doc);
  assert.equal(completionsAt(state, doc.indexOf("o.'") + 2, true), null);
  assert.equal(completionsAt(state, doc.length, true), null);
});

test('no completion without typing unless explicit', () => {
  const doc = 'SELECT  FROM orders AS o';
  const state = stateWith(doc);
  assert.equal(completionsAt(state, 7, false), null);
  assert.ok(completionsAt(state, 7, true)?.options.length > 0);
});

test('quoted names are applied quoted', () => {
  const columns = [{ name: 'Order Date', type: 'DATE' }];
  const text = 'SELECT t. FROM t';
  const info = { text, columnUses: [], scopes: [{ ...rangeOf(text, text), tables: [{ name: 't', columns }] }], tables: [] };
  const found = completionsAt(stateWith(text, info), text.indexOf('t.') + 2, false);
  assert.equal(found.options[0].apply, '"Order Date"');
});

test('no info means no completion', () => {
  assert.equal(completionsAt(bareState(BASE), BASE.length, true), null);
});
