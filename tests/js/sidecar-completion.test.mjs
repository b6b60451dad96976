// Unit tests of www/src/sidecar-completion.js, the completions in a model's
// sidecar TOML, and of its use by the editor's completion source.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CompletionContext } from '../../www/node_modules/@codemirror/autocomplete/dist/index.js';
import { rockyCompletions } from '../../www/src/completion.js';
import { modelInfoField } from '../../www/src/model-info.js';
import { sidecarCompletionsAt } from '../../www/src/sidecar-completion.js';
import { labels, stateWith } from './model-fixtures.mjs';

const SIDECAR = {
  model: 'customers',
  columns: [
    { name: 'customer_id', type: 'INTEGER' },
    { name: 'first_order', type: 'DATE' },
    { name: 'number_of_orders', type: 'BIGINT', description: 'How many orders.' },
  ],
  vocabulary: [
    { phrase: 'one row per <column>, <column>', insert: 'one row per ', scope: 'model', description: 'the grain' },
    { phrase: 'not empty', insert: 'not empty', scope: 'model', description: 'at least one row' },
    { phrase: 'not null', insert: 'not null', scope: 'column', description: 'no NULL values' },
    { phrase: 'never negative', insert: 'never negative', scope: 'column', description: '>= 0' },
    { phrase: 'unique', insert: 'unique', scope: 'column', description: 'no duplicates' },
    { phrase: "values in ('a', 'b')", insert: 'values in (', scope: 'column', description: 'accepted values' },
    { phrase: 'references model.column', insert: 'references ', scope: 'column', description: 'a foreign key' },
  ],
  keys: [
    { name: 'intent', description: 'what the model is for' },
    { name: 'grain', description: 'the columns of one row' },
    { name: 'owner', description: 'who answers questions' },
    { name: 'invariants', description: 'facts that always hold' },
    { name: 'description', description: 'what the column holds' },
  ],
};

const TABLES = [
  { name: 'customers', kind: 'model', columns: [{ name: 'customer_id', type: 'INTEGER' }] },
  { name: 'stg_customers', kind: 'model', columns: [{ name: 'customer_id', type: 'INTEGER' }, { name: 'name', type: 'VARCHAR' }] },
  { name: 'raw.orders', kind: 'source', columns: [{ name: 'id', type: 'INTEGER' }] },
];

const COLUMNS = ['customer_id', 'first_order', 'number_of_orders'];
const MODEL_PHRASES = ['one row per <column>, <column>', 'not empty'];
const COLUMN_PHRASES = ['not null', 'never negative', 'unique', "values in ('a', 'b')", 'references model.column'];

// Returns the completions where `|` marks the cursor in `marked`.
function complete(marked, sidecar = SIDECAR, tables = TABLES) {
  const pos = marked.indexOf('|');
  assert.ok(pos >= 0, `no cursor mark in ${JSON.stringify(marked)}`);
  const text = marked.slice(0, pos) + marked.slice(pos + 1);
  return { found: sidecarCompletionsAt(text, pos, sidecar, tables), pos, text };
}

// ---- Invariant phrases ----

test('model invariants offer model phrases', () => {
  const { found, pos } = complete('invariants = ["|');
  assert.deepEqual(labels(found), MODEL_PHRASES);
  assert.equal(found.from, pos);
  const first = found.options[0];
  assert.equal(first.apply, 'one row per ');
  assert.equal(first.detail, 'model');
  assert.equal(first.info, 'the grain');
});

test('column invariants offer column phrases', () => {
  const { found } = complete('intent = "x"\n\n[columns.number_of_orders]\ninvariants = ["|"]\n');
  assert.deepEqual(labels(found), COLUMN_PHRASES);
  assert.ok(found.options.every((option) => option.detail === 'column'));
});

test('phrases are filtered by typed prefix', () => {
  const { found, pos } = complete('[columns.customer_id]\ninvariants = ["Not  N|');
  assert.deepEqual(labels(found), ['not null']);
  assert.equal(found.from, pos - 'Not  N'.length, 'from is not the start of the string content');
});

test('phrase list spans lines', () => {
  const { found } = complete('invariants = [\n  "one row per customer_id",  # the grain\n  \'n|\n');
  assert.deepEqual(labels(found), ['not empty']);
});

test('phrase in closed string before cursor end', () => {
  const { found, pos } = complete('invariants = ["no|t empty"]');
  assert.deepEqual(labels(found), ['not empty']);
  assert.equal(found.from, pos - 2);
});

test('scope follows the latest header', () => {
  const text = 'invariants = ["not empty"]\n[columns.customer_id]\ninvariants = ["n|"]\n';
  assert.deepEqual(labels(complete(text).found), ['not null', 'never negative']);
  const before = '[columns.customer_id]\ninvariants = ["unique"]\n[other]\ninvariants = ["n|"]\n';
  assert.equal(complete(before).found, null, 'an invariants key of another table got options');
});

test('dotted and inline column keys count', () => {
  assert.deepEqual(labels(complete('columns.customer_id.invariants = ["u|').found), ['unique']);
  assert.deepEqual(labels(complete('[columns]\ncustomer_id = { invariants = ["u|').found), ['unique']);
  assert.deepEqual(labels(complete('[columns.customer_id]\ninvariants = "u|').found), ['unique'],
    'a single string in place of the array got no options');
});

test('no phrase matches gives null', () => {
  assert.equal(complete('invariants = ["xyz|').found, null);
  assert.equal(complete('invariants = ["unique|').found, null, 'a column phrase was offered at model scope');
});

test('phrases are not filtered again', () => {
  // CodeMirror's own filter would drop 'not null' for 'not  n', with two spaces.
  const { found } = complete('[columns.a]\ninvariants = ["not  n|');
  assert.deepEqual(labels(found), ['not null']);
  assert.equal(found.filter, false);
  assert.equal(found.validFor, undefined, 'a kept list would hide the columns after one row per');
});

// ---- Columns and references inside invariants ----

test('columns after one row per', () => {
  const { found, pos } = complete('invariants = ["one row per cu|"]');
  assert.deepEqual(labels(found), COLUMNS);
  assert.equal(found.from, pos - 2);
  assert.equal(found.options[0].detail, 'INTEGER');
  assert.equal(found.options[2].info, 'How many orders.');
});

test('columns after every list synonym', () => {
  for (const start of ['unique per ', 'Unique  on ', 'unique by ', 'one row per a, ', 'one row per a,b and ', 'ONE ROW PER a AND ']) {
    const { found, pos } = complete(`invariants = ["${start}|`);
    assert.deepEqual(labels(found), COLUMNS, start);
    assert.equal(found.from, pos, start);
  }
});

test('no columns without a separator', () => {
  assert.equal(complete('invariants = ["one row per customer_id |').found, null);
  assert.equal(complete('invariants = ["one row per customer_id an|').found, null);
});

test('column list needs model scope', () => {
  assert.equal(complete('[columns.customer_id]\ninvariants = ["one row per |').found, null);
});

test('references offer other tables columns', () => {
  const { found, pos } = complete('[columns.customer_id]\ninvariants = ["references stg_customers.cu|"]');
  assert.deepEqual(labels(found), ['stg_customers.customer_id', 'stg_customers.name', 'raw.orders.id']);
  assert.equal(found.from, pos - 'stg_customers.cu'.length);
  assert.equal(found.options[0].apply, 'stg_customers.customer_id');
  assert.equal(found.options[0].detail, 'INTEGER');
});

test('references after every synonym', () => {
  for (const start of ['refers to ', 'Foreign key to ', 'references ']) {
    const { found, pos } = complete(`[columns.customer_id]\ninvariants = ['${start}|']`);
    assert.equal(found?.options.length, 3, start);
    assert.equal(found.from, pos, start);
  }
});

test('references need column scope', () => {
  assert.equal(complete('invariants = ["references |').found, null);
  assert.equal(complete('[columns.customer_id]\ninvariants = ["references a b|').found, null);
});

test('column names are escaped for the string', () => {
  const sidecar = { ...SIDECAR, columns: [{ name: 'say "hi"', type: 'VARCHAR' }, { name: "it's", type: 'VARCHAR' }] };
  const basic = complete('grain = ["|', sidecar).found;
  assert.deepEqual(basic.options.map((option) => option.apply), ['say \\"hi\\"', "it's"]);
  const literal = complete("grain = ['|", sidecar).found;
  assert.deepEqual(labels(literal), ['say "hi"'], 'a name with a quote cannot be written in a literal string');
});

// ---- Grain, headers and keys ----

test('grain offers columns', () => {
  const { found, pos } = complete('grain = ["customer_id", "fi|"]');
  assert.deepEqual(labels(found), COLUMNS);
  assert.equal(found.from, pos - 2);
});

test('column header offers columns', () => {
  const { found, pos } = complete('intent = "x"\n\n[columns.num|');
  assert.deepEqual(labels(found), COLUMNS);
  assert.equal(found.from, pos - 3);
  assert.equal(found.options[0].apply, 'customer_id');
  assert.equal(complete('[columns.|').found.from, '[columns.'.length);
  assert.deepEqual(labels(complete('[ columns . |').found), COLUMNS);
});

test('column header quotes names that need it', () => {
  const sidecar = { ...SIDECAR, columns: [{ name: 'Order Date', type: 'DATE' }] };
  assert.equal(complete('[columns.|', sidecar).found.options[0].apply, '"Order Date"');
});

test('other headers get no options', () => {
  for (const text of ['[col|', '[sources.|', '[[columns.|', '[columns.customer_id.|', '[columns."cu|', '[columns.a]|']) {
    assert.equal(complete(text).found, null, text);
  }
});

test('line start offers keys', () => {
  const { found, pos } = complete('intent = "x"\n  gr|');
  assert.deepEqual(labels(found), SIDECAR.keys.map((key) => key.name));
  assert.equal(found.from, pos - 2);
  assert.equal(found.options[1].apply, 'grain = ');
  assert.equal(found.options[1].info, 'the columns of one row');
  assert.equal(complete('|').found?.from, 0, 'an empty text offers no keys');
  assert.ok(complete('[columns.customer_id]\n|').found, 'a column table offers no keys');
});

test('key scope limits keys', () => {
  const sidecar = {
    ...SIDECAR,
    keys: [{ name: 'intent', scope: 'model' }, { name: 'description', scope: 'column' }, { name: 'invariants' }],
  };
  assert.deepEqual(labels(complete('|', sidecar).found), ['intent', 'invariants']);
  assert.deepEqual(labels(complete('[columns.a]\n|', sidecar).found), ['description', 'invariants']);
  assert.deepEqual(labels(complete('[other]\n|', sidecar).found), ['invariants']);
});

test('no keys after a key or in values', () => {
  for (const text of ['intent |', 'intent = |', 'intent = "a|', 'grain = [\n  cu|', 'x = { a|', 'a.|', '# gr|', 'x = 1 gr|']) {
    assert.equal(complete(text).found, null, text);
  }
});

// ---- Other places and hostile input ----

test('other strings get no options', () => {
  for (const text of [
    'intent = "one|',
    'owner = "|',
    '"invariants|',
    'invariants = ["not empty"|',
    'invariants = ["not empty"]|',
    'invariants = """|',
    'invariants = ["""|',
    'invariants = ["a" "|',
    'x = ["|',
  ]) {
    assert.equal(complete(text).found, null, text);
  }
});

test('escaped quote does not close a string', () => {
  assert.deepEqual(labels(complete('invariants = ["\\"", "n|').found), ['not empty']);
});

test('escapes and comments are read as TOML', () => {
  // The escaped quote does not close the first string, so the comment
  // mark is inside it and the second string is an element.
  const text = 'invariants = ["a \\" # b", "n|';
  assert.deepEqual(labels(complete(text).found), ['not empty']);
  assert.equal(complete('invariants = [ # "n|').found, null, 'a quote in a comment opened a string');
  assert.deepEqual(labels(complete('invariants = [ # ["\n  "n|').found), ['not empty']);
});

test('unclosed string ends at its line', () => {
  const keys = SIDECAR.keys.map((key) => key.name);
  assert.deepEqual(labels(complete('intent = "no end\ngr|').found), keys, 'the unclosed string hid the next line');
  assert.deepEqual(labels(complete('x = { a = 1\ngr|').found), keys, 'the unclosed inline table hid the next line');
});

test('hostile inputs return null', () => {
  const cases = [
    ['', 0],
    ['abc', -1],
    ['abc', 4],
    ['abc', 1.5],
    [null, 0],
    [undefined, 0],
    ['\\', 1],
    ['"\\', 2],
    ["'''", 3],
    ['"""\\', 4],
    ['[[', 2],
    [']]]]', 4],
    ['}}}', 3],
    ['= = =', 5],
    ['a."b', 4],
  ];
  for (const [text, pos] of cases) {
    const found = sidecarCompletionsAt(text, pos, SIDECAR, TABLES);
    if (text === '' && pos === 0) {
      assert.ok(found, 'an empty text offers the keys');
    } else {
      assert.equal(found, null, JSON.stringify([text, pos]));
    }
  }
});

test('malformed sidecar data does not throw', () => {
  const text = 'invariants = ["one row per |';
  for (const sidecar of [null, undefined, 5, 'x', {}, { columns: 'x', vocabulary: [null, 1, {}], keys: {} }]) {
    for (const tables of [null, undefined, [null], [{ name: 'a', columns: null }]]) {
      assert.equal(sidecarCompletionsAt(text, text.length, sidecar, tables), null, JSON.stringify([sidecar, tables]));
    }
  }
});

test('random text never throws', () => {
  // A fixed linear congruential generator, so a failure repeats.
  let seed = 12345;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const pieces = ['[', ']', '[[', '{', '}', '"', "'", '"""', "'''", '\\', '\\"', '#', '\n', '\r\n', ' ', '=', ',', '.',
    'invariants', 'grain', 'columns', 'one row per ', 'references ', 'a', '1'];
  for (let round = 0; round < 2000; round++) {
    let text = '';
    const length = Math.floor(random() * 30);
    for (let i = 0; i < length; i++) text += pieces[Math.floor(random() * pieces.length)];
    for (let pos = 0; pos <= text.length; pos++) {
      const found = sidecarCompletionsAt(text, pos, SIDECAR, TABLES);
      if (found !== null) {
        assert.ok(found.from >= 0, JSON.stringify([text, pos]));
        assert.ok(found.from <= pos, JSON.stringify([text, pos]));
        assert.ok(found.options.length > 0, JSON.stringify([text, pos]));
      }
    }
  }
});

// ---- The editor's completion source ----

// Returns an editor state whose model info is a sidecar's, like the app
// sends for an open models/<name>.toml.
function sidecarState(doc) {
  return stateWith(doc, { text: doc, columnUses: [], scopes: [], tables: TABLES, sidecar: SIDECAR });
}

test('model info keeps the sidecar', () => {
  const state = sidecarState('invariants = []');
  assert.deepEqual(state.field(modelInfoField).sidecar, SIDECAR);
  assert.equal(stateWith('SELECT 1').field(modelInfoField).sidecar, null);
});

test('editor source completes inside strings', () => {
  const doc = '[columns.customer_id]\ninvariants = ["no';
  const found = rockyCompletions(new CompletionContext(sidecarState(doc), doc.length, false));
  assert.deepEqual(labels(found), ['not null']);
  assert.ok(!found.options.some((option) => option.type === 'keyword' && option.label === 'NOT'),
    'SQL keywords were offered in a sidecar');
});

test('editor source returns null in sidecar', () => {
  const doc = 'intent = "SELECT o.';
  assert.equal(rockyCompletions(new CompletionContext(sidecarState(doc), doc.length, true)), null);
});

test('editor source keeps SQL completion', () => {
  const doc = 'SELECT o.amount, o. FROM orders AS o';
  const pos = doc.indexOf('o. ') + 2;
  const found = rockyCompletions(new CompletionContext(stateWith(doc), pos, false));
  assert.deepEqual(labels(found), ['id', 'amount']);
});
