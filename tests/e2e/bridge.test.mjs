// Tests window.rockyBridge (dist/bridge.js) on its own, in a page that loads
// only the bridge, so a failure here is the bridge's and not the app's.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { collectPageProblems, describeProblems, launchBrowser, startServer } from './helpers.mjs';

const PAGE = 'bridge-check.html';
const PAGE_HTML = `<!doctype html>
<html><head><meta charset="utf-8"><link rel="icon" href="data:,">
<script src="bridge.js"></script></head>
<body><div id="host" style="height: 300px"></div></body></html>`;

let server;
let browser;
let page;
let problems;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  page = await browser.context.newPage();
  problems = collectPageProblems(page);
  // The check page exists only in the test, on the same origin as dist/, so
  // duckdb/ resolves against it as it does against the playground.
  await page.route(server.url + PAGE, (route) => route.fulfill({ contentType: 'text/html', body: PAGE_HTML }));
  await page.goto(server.url + PAGE);
}, { timeout: 60000 });

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function rangeTexts(selector) {
  return page.locator(selector).allTextContents();
}

test('bridge defines every contract function', async () => {
  const names = await page.evaluate(() => Object.keys(window.rockyBridge ?? {}).sort());
  assert.deepEqual(names, [
    'assistantChat', 'assistantSettingsLoad', 'assistantSettingsSave', 'clearLastCrash', 'crashRescued', 'createEditor', 'destroyEditor',
    'droppedFiles', 'duckdbCancel', 'duckdbExec', 'duckdbQuery', 'duckdbRegisterFile', 'duckdbRestarts',
    'duckdbSetStatementTimeout', 'duckdbSetStopGrace', 'duckdbStart', 'importDbt',
    'lastCrash', 'revealEditorRange', 'setEditorDiagnostics', 'setEditorDoc', 'setEditorModelInfo', 'setTrapRescue', 'showCrash',
    'storageAssumeRevision', 'storageLoad', 'storageRevision', 'storageSave',
  ]);
});

test('editor reports user edits through onChange', async () => {
  await page.evaluate(() => {
    window.changes = [];
    window.editorId = window.rockyBridge.createEditor(
      document.getElementById('host'), 'select 1 as a\nfrom t', (doc) => window.changes.push(doc));
  });
  assert.equal(await page.locator('#host .cm-editor').count(), 1, 'createEditor made no .cm-editor');
  await page.locator('#host .cm-content').click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type('x');
  const changes = await page.evaluate(() => window.changes);
  assert.equal(changes.at(-1), 'select 1 as a\nfrom tx', 'onChange did not get the edited text');
});

test('setEditorDoc replaces text without onChange', async () => {
  const before = await page.evaluate(() => window.changes.length);
  await page.evaluate(() => window.rockyBridge.setEditorDoc(window.editorId, 'select frist_name\nfrom t'));
  assert.equal(await page.evaluate(() => window.changes.length), before, 'setEditorDoc fired onChange');
  const lines = await page.locator('#host .cm-line').allTextContents();
  assert.deepEqual(lines, ['select frist_name', 'from t']);
});

test('undo after setEditorDoc keeps the new file', async () => {
  const before = await page.evaluate(() => window.changes.length);
  await page.locator('#host .cm-content').click();
  await page.keyboard.press('Control+z');
  const lines = await page.locator('#host .cm-line').allTextContents();
  assert.deepEqual(lines, ['select frist_name', 'from t'], 'undo brought back the previous file');
  assert.equal(await page.evaluate(() => window.changes.length), before, 'undo fired onChange');
});

// Editors for the keyed setEditorDoc tests, each in a host of its own so the
// first editor's tests above are unaffected.
async function keyedEditor(doc, key) {
  return page.evaluate(({ doc, key }) => {
    const host = document.createElement('div');
    host.style.height = '200px';
    document.body.append(host);
    window.keyed = { host, changes: [] };
    window.keyed.id = window.rockyBridge.createEditor(host, doc, (text) => window.keyed.changes.push(text), key);
    host.dataset.keyed = String(window.keyed.id);
    return window.keyed.id;
  }, { doc, key });
}

async function keyedLines() {
  return page.locator('[data-keyed] .cm-line').allTextContents();
}

async function dropKeyedEditor() {
  await page.evaluate(() => {
    window.rockyBridge.destroyEditor(window.keyed.id);
    window.keyed.host.remove();
  });
}

// Focuses the editor without a click, which would move the cursor.
async function focusKeyed() {
  await page.locator('[data-keyed] .cm-content').focus();
}

test('keyed doc gets its undo history back', async () => {
  await keyedEditor('select a\nfrom t', 'a.sql');
  try {
    await page.locator('[data-keyed] .cm-content').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type(' where x');
    const editedA = await page.evaluate(() => window.keyed.changes.at(-1));
    assert.equal(editedA, 'select a\nfrom t where x');

    await page.evaluate(() => window.rockyBridge.setEditorDoc(window.keyed.id, 'select b\nfrom u', 'b.sql'));
    await page.keyboard.press('Control+End');
    await page.keyboard.type(' limit 1');
    assert.deepEqual(await keyedLines(), ['select b', 'from u limit 1']);

    const changesBefore = await page.evaluate(() => window.keyed.changes.length);
    await page.evaluate((doc) => window.rockyBridge.setEditorDoc(window.keyed.id, doc, 'a.sql'), editedA);
    assert.equal(await page.evaluate(() => window.keyed.changes.length), changesBefore,
      'switching back fired onChange');
    assert.deepEqual(await keyedLines(), ['select a', 'from t where x']);

    await focusKeyed();
    await page.keyboard.press('Control+z');
    assert.deepEqual(await keyedLines(), ['select a', 'from t'], 'undo did not take back the edit of a.sql');
    assert.equal(await page.evaluate(() => window.keyed.changes.at(-1)), 'select a\nfrom t',
      'onChange did not get the undone text');
    for (let i = 0; i < 3; i++) await page.keyboard.press('Control+z');
    assert.deepEqual(await keyedLines(), ['select a', 'from t'], 'undo went past the start of a.sql');

    await page.keyboard.press('Control+Shift+z');
    assert.deepEqual(await keyedLines(), ['select a', 'from t where x'], 'redo did not bring the edit back');
  } finally {
    await dropKeyedEditor();
  }
});

test('keyed doc gets its cursor back', async () => {
  await keyedEditor('select a, b\nfrom t', 'a.sql');
  try {
    await page.locator('[data-keyed] .cm-content').click();
    await page.keyboard.press('Control+Home');
    for (let i = 0; i < 'select a'.length; i++) await page.keyboard.press('ArrowRight');
    await page.evaluate(() => window.rockyBridge.setEditorDoc(window.keyed.id, 'select c\nfrom u', 'b.sql'));
    await page.locator('[data-keyed] .cm-content').click();
    await page.keyboard.press('Control+End');
    await page.evaluate(() => window.rockyBridge.setEditorDoc(window.keyed.id, 'select a, b\nfrom t', 'a.sql'));
    await focusKeyed();
    await page.keyboard.type('1');
    assert.deepEqual(await keyedLines(), ['select a1, b', 'from t'], 'typing did not start at the kept cursor');
  } finally {
    await dropKeyedEditor();
  }
});

test('keyed doc with other text starts fresh', async () => {
  await keyedEditor('select 1', 'a.sql');
  try {
    await page.locator('[data-keyed] .cm-content').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type(' as x');
    await page.evaluate(() => window.rockyBridge.setEditorDoc(window.keyed.id, 'select 2', 'b.sql'));
    // a.sql comes back with other text, as after "Reset sample".
    await page.evaluate(() => window.rockyBridge.setEditorDoc(window.keyed.id, 'select 1', 'a.sql'));
    await focusKeyed();
    await page.keyboard.press('Control+z');
    assert.deepEqual(await keyedLines(), ['select 1'], 'undo replayed history kept for other text');
  } finally {
    await dropKeyedEditor();
  }
});

test('same text under two keys keeps histories apart', async () => {
  await keyedEditor('select 1', 'a.sql');
  try {
    await page.evaluate(() => window.rockyBridge.setEditorDoc(window.keyed.id, 'select 1', 'b.sql'));
    await page.locator('[data-keyed] .cm-content').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type(' as b');
    await page.evaluate(() => window.rockyBridge.setEditorDoc(window.keyed.id, 'select 1', 'a.sql'));
    assert.deepEqual(await keyedLines(), ['select 1']);
    await focusKeyed();
    await page.keyboard.press('Control+z');
    await page.keyboard.press('Control+Shift+z');
    assert.deepEqual(await keyedLines(), ['select 1'], "a.sql replayed b.sql's history");
  } finally {
    await dropKeyedEditor();
  }
});

test('keyed doc comes back without diagnostics', async () => {
  await keyedEditor('select bad', 'a.sql');
  try {
    await page.evaluate(() => window.rockyBridge.setEditorDiagnostics(window.keyed.id, [
      { line: 1, column: 8, endLine: 1, endColumn: 11, severity: 'error', message: 'bad' },
    ]));
    assert.equal(await page.locator('[data-keyed] .cm-lintRange-error').count(), 1);
    await page.evaluate(() => window.rockyBridge.setEditorDoc(window.keyed.id, 'select 2', 'b.sql'));
    await page.evaluate(() => window.rockyBridge.setEditorDoc(window.keyed.id, 'select bad', 'a.sql'));
    assert.equal(await page.locator('[data-keyed] .cm-lintRange').count(), 0,
      'a restored state kept its old diagnostics');
  } finally {
    await dropKeyedEditor();
  }
});

test('diagnostics show underlines, gutter marks and hover', async () => {
  await page.evaluate(() => window.rockyBridge.setEditorDiagnostics(window.editorId, [
    { line: 1, column: 8, endLine: 1, endColumn: 18, severity: 'error', message: 'column frist_name not found' },
    { line: 2, column: 6, endLine: 2, endColumn: 6, severity: 'warning', message: 'zero-width warning' },
  ]));
  assert.equal((await rangeTexts('.cm-lintRange-error')).join(''), 'frist_name', 'error underline covers the wrong text');
  assert.equal((await rangeTexts('.cm-lintRange-warning')).join(''), 't', 'zero-width range was not widened to one character');
  assert.equal(await page.locator('.cm-gutter-lint .cm-lint-marker-error').count(), 1, 'no error mark in the gutter');
  assert.equal(await page.locator('.cm-gutter-lint .cm-lint-marker-warning').count(), 1, 'no warning mark in the gutter');

  await page.locator('.cm-lintRange-error').first().hover();
  const tooltip = page.locator('.cm-tooltip-lint');
  await tooltip.first().waitFor({ timeout: 5000 });
  assert.match(await tooltip.first().textContent(), /column frist_name not found/);
  await page.mouse.move(0, 0);
});

test('labels underline lighter with a note hover', async () => {
  await page.evaluate(() => {
    window.rockyBridge.setEditorDoc(window.editorId, 'select a < b\nfrom t');
    window.rockyBridge.setEditorDiagnostics(window.editorId, [{
      line: 1, column: 8, endLine: 1, endColumn: 13, severity: 'error',
      message: 'E0201: cannot compare DATE with VARCHAR\nnote at 1:8: this is DATE\nnote at 1:12: this is VARCHAR',
      labels: [
        { line: 1, column: 8, endLine: 1, endColumn: 9, message: 'this is DATE' },
        { line: 1, column: 12, endLine: 1, endColumn: 13, message: 'this is VARCHAR' },
      ],
    }]);
  });
  assert.deepEqual(await rangeTexts('.cm-diagnosticLabel'), ['a', 'b'], 'the labels underline the wrong text');
  assert.equal(await page.locator('.cm-diagnosticLabel-error').count(), 2, 'the labels lack their severity class');
  assert.equal((await rangeTexts('.cm-lintRange-error')).join(''), 'a < b', 'the diagnostic lost its own underline');
  const decoration = await page.locator('.cm-diagnosticLabel').first().evaluate((element) =>
    getComputedStyle(element).textDecorationStyle);
  assert.equal(decoration, 'dashed', 'a label is not drawn as a dashed underline');

  await page.locator('.cm-diagnosticLabel').nth(1).hover();
  const hover = page.locator('.cm-rocky-hover');
  await hover.first().waitFor({ timeout: 5000 });
  const text = await hover.first().textContent();
  assert.match(text, /note: this is VARCHAR/, `the label hover lacks its note: "${text}"`);
  assert.match(text, /for E0201: cannot compare DATE with VARCHAR/, `the label hover does not name its diagnostic: "${text}"`);
  assert.doesNotMatch(text, /this is DATE/, 'the hover shows a label that is not under the pointer');
  await page.mouse.move(0, 0);

  // An edit before the labels moves them with their text.
  await page.locator('#host .cm-content').click();
  await page.keyboard.press('Control+Home');
  await page.keyboard.type('-- x\n');
  assert.deepEqual(await rangeTexts('.cm-diagnosticLabel'), ['a', 'b'], 'an edit above left the labels behind');

  await page.evaluate(() => window.rockyBridge.setEditorDiagnostics(window.editorId, []));
  assert.equal(await page.locator('.cm-diagnosticLabel').count(), 0, 'empty diagnostics left labels behind');
});

test('diagnostic columns count characters, not UTF-16 units', async () => {
  const doc = "select '😀😀' as e, bad";
  const column = [...doc].indexOf('b') + 1;
  await page.evaluate(({ doc, column }) => {
    window.rockyBridge.setEditorDoc(window.editorId, doc);
    window.rockyBridge.setEditorDiagnostics(window.editorId, [
      { line: 1, column, endLine: 1, endColumn: column + 3, severity: 'info', message: 'astral' },
    ]);
  }, { doc, column });
  assert.equal((await rangeTexts('.cm-lintRange-info')).join(''), 'bad');
});

test('empty diagnostics clear the editor', async () => {
  await page.evaluate(() => window.rockyBridge.setEditorDiagnostics(window.editorId, []));
  assert.equal(await page.locator('.cm-lintRange').count(), 0);
});

test('model info maps onto newer text', async () => {
  // The info is for the text before ", o." was typed, as while a model does not parse.
  const compiled = 'select o.amount\nfrom orders o';
  await page.evaluate((text) => {
    window.rockyBridge.setEditorDoc(window.editorId, 'select o.amount, o.\nfrom orders o');
    window.rockyBridge.setEditorModelInfo(window.editorId, {
      text,
      columnUses: [{ line: 1, column: 8, endLine: 1, endColumn: 16, name: 'amount', table: 'o',
        type: 'DECIMAL(10,2)', source: { table: 'orders', column: 'amount' } }],
      scopes: [{ line: 1, column: 1, endLine: 2, endColumn: 14,
        tables: [{ name: 'o', columns: [{ name: 'id', type: 'INTEGER' }, { name: 'amount', type: 'DECIMAL(10,2)' }] }] }],
      tables: [{ name: 'orders', kind: 'model', columns: [] }],
    });
  }, compiled);

  await page.locator('#host .cm-line').first().hover({ position: { x: 90, y: 5 } });
  const hover = page.locator('#host .cm-rocky-hover');
  await hover.first().waitFor({ timeout: 5000 });
  assert.match(await hover.first().textContent(), /o\.amount: DECIMAL\(10,2\)from orders\.amount/);
  await page.mouse.move(0, 0);

  await page.locator('#host .cm-content').click();
  await page.keyboard.press('Control+Home');
  await page.keyboard.press('End');
  await page.keyboard.press('Control+Space');
  const list = page.locator('#host .cm-tooltip-autocomplete');
  await list.first().waitFor({ timeout: 5000 });
  const labels = await list.locator('.cm-completionLabel').allTextContents();
  assert.deepEqual(labels, ['amount', 'id'], 'the completion after "o." at the end of line 1 is wrong');
  await page.keyboard.press('Escape');

  await page.evaluate(() => window.rockyBridge.setEditorModelInfo(window.editorId, null));
  await page.keyboard.press('Control+Space');
  await page.waitForTimeout(300);
  assert.equal(await list.count(), 0, 'completion stayed on after setEditorModelInfo(null)');
  await page.locator('#host .cm-line').first().hover({ position: { x: 90, y: 5 } });
  await page.waitForTimeout(600);
  assert.equal(await hover.count(), 0, 'hover stayed on after setEditorModelInfo(null)');
  await page.mouse.move(0, 0);
});

test('revealEditorRange selects, scrolls and focuses', async () => {
  const doc = Array.from({ length: 200 }, (_, index) => `select ${index + 1} as c${index + 1}`).join('\n');
  await page.evaluate((text) => window.rockyBridge.setEditorDoc(window.editorId, text), doc);
  await page.locator('body').click({ position: { x: 1, y: 1 } });
  await page.evaluate(() => window.rockyBridge.revealEditorRange(window.editorId,
    { line: 150, column: 8, endLine: 150, endColumn: 11 }));
  const seen = await page.evaluate(() => {
    const scroller = document.querySelector('#host .cm-scroller');
    const line = [...document.querySelectorAll('#host .cm-line')].find((element) => element.textContent === 'select 150 as c150');
    const outer = scroller.getBoundingClientRect();
    const inner = line?.getBoundingClientRect();
    return {
      focused: document.querySelector('#host .cm-editor').contains(document.activeElement),
      selection: document.getSelection()?.toString(),
      inView: inner !== undefined && inner.top >= outer.top && inner.bottom <= outer.bottom,
    };
  });
  assert.ok(seen.focused, 'revealEditorRange did not focus the editor');
  assert.equal(seen.selection, '150', 'revealEditorRange selected the wrong text');
  assert.ok(seen.inView, 'line 150 is not scrolled into view');

  await page.evaluate(() => window.rockyBridge.revealEditorRange(window.editorId,
    { line: 999, column: 99, endLine: 999, endColumn: 99 }));
  await page.keyboard.type('!');
  assert.ok((await page.evaluate(() => window.changes.at(-1))).endsWith('as c200!'),
    'a range past the end was not clamped to the end of the text');
});

test('destroyEditor removes the editor', async () => {
  await page.evaluate(() => window.rockyBridge.destroyEditor(window.editorId));
  assert.equal(await page.locator('#host .cm-editor').count(), 0);
  const message = await page.evaluate(() => {
    try {
      window.rockyBridge.setEditorDoc(window.editorId, 'x');
      return null;
    } catch (error) {
      return error.message;
    }
  });
  assert.match(message ?? '', /no editor with id/, 'a destroyed editor id was still accepted');
});

test('DuckDB calls before duckdbStart reject', async () => {
  const message = await page.evaluate(() => window.rockyBridge.duckdbQuery('select 1', 1).then(
    () => null, (error) => error.message));
  assert.match(message ?? '', /not started/);
});

test('duckdbStart loads DuckDB once', async (t) => {
  const outcome = await page.evaluate(async () => {
    const messages = [];
    const started = performance.now();
    const first = window.rockyBridge.duckdbStart((message) => messages.push(message));
    const second = window.rockyBridge.duckdbStart(() => {});
    await first;
    return { same: first === second, messages, ms: performance.now() - started };
  });
  assert.ok(outcome.same, 'a second duckdbStart returned a new promise');
  assert.ok(outcome.messages.length > 0, 'onProgress was never called');
  assert.equal(outcome.messages.at(-1), 'DuckDB is ready');
  t.diagnostic(`DuckDB start in the bridge page: ${Math.round(outcome.ms)} ms`);
});

test('registered CSV loads with COPY', async () => {
  const result = await page.evaluate(async () => {
    const bridge = window.rockyBridge;
    await bridge.duckdbRegisterFile('data/people.csv', 'id,name,joined,balance\n1,Ann,2018-01-01,12.50\n2,Bob,2018-02-03,-0.75\n3,Cy,,7\n');
    await bridge.duckdbExec('create table people (id bigint, name varchar, joined date, balance decimal(10,2))');
    await bridge.duckdbExec("copy people from 'data/people.csv' (header)");
    return bridge.duckdbQuery('select * from people order by id', 2);
  });
  assert.deepEqual(result.columns, [
    { name: 'id', type: 'BIGINT' },
    { name: 'name', type: 'VARCHAR' },
    { name: 'joined', type: 'DATE' },
    { name: 'balance', type: 'DECIMAL(10,2)' },
  ]);
  assert.deepEqual(result.rows, [['1', 'Ann', '2018-01-01', '12.50'], ['2', 'Bob', '2018-02-03', '-0.75']]);
  assert.equal(result.rowCount, 3, 'rowCount must count every row, not only the first `limit`');
});

test('registering a file again replaces it', async () => {
  const result = await page.evaluate(async () => {
    const bridge = window.rockyBridge;
    await bridge.duckdbRegisterFile('data/people.csv', 'id,name,joined,balance\n9,Dee,2020-12-31,1\n');
    await bridge.duckdbExec('create table people2 as select * from people limit 0');
    await bridge.duckdbExec("copy people2 from 'data/people.csv' (header)");
    return bridge.duckdbQuery('select id, name from people2', 10);
  });
  assert.deepEqual(result.rows, [['9', 'Dee']]);
});

// Each expression's display string must equal DuckDB's own cast to VARCHAR.
const VALUE_CASES = [
  ['big', '9007199254740993::BIGINT'],
  ['huge_sum', '(select sum(x) from range(3) t(x))'],
  ['huge_max', '170141183460469231731687303715884105727::HUGEINT'],
  ['huge_neg', '(-123456789012345678901234567890)::HUGEINT'],
  ['ubig', '18446744073709551615::UBIGINT'],
  ['uhuge', '340282366920938463463374607431768211455::UHUGEINT'],
  ['small', '(-7)::SMALLINT'],
  ['dec', '(-12.5)::DECIMAL(10,2)'],
  ['dec_small', '0.05::DECIMAL(4,3)'],
  ['dec_wide', '12345678901234567890123.45::DECIMAL(38,2)'],
  ['dec_neg_fraction', '(-0.001)::DECIMAL(18,3)'],
  ['d', "DATE '2018-01-01'"],
  ['d_old', "DATE '0099-03-04'"],
  ['ts', "TIMESTAMP '2018-01-01 10:20:30.5'"],
  ['ts_before_1970', "TIMESTAMP '1969-12-31 23:59:59.25'"],
  ['ts_whole', "TIMESTAMP '2018-01-01 00:00:00'"],
  ['t', "TIME '10:20:30.125'"],
  ['dbl', '1.5::DOUBLE'],
  ['dbl_third', '(1/3)::DOUBLE'],
  ['dbl_whole', '33::DOUBLE'],
  ['dbl_negative_whole', '(-7)::DOUBLE'],
  ['dbl_1e15', '1e15::DOUBLE'],
  ['dbl_1e16', '1e16::DOUBLE'],
  ['dbl_1e21', '1e21::DOUBLE'],
  ['dbl_small', '0.0001::DOUBLE'],
  ['dbl_smaller', '0.00001::DOUBLE'],
  ['dbl_tiny', '(-1.5e-7)::DOUBLE'],
  ['dbl_huge', '2.5e300::DOUBLE'],
  ['dbl_nan', "'nan'::DOUBLE"],
  ['dbl_inf', "'-inf'::DOUBLE"],
  ['flt', '0.1::FLOAT'],
  ['flt_rounded', '123456789.123::FLOAT'],
  ['flt_third', '(1/3)::FLOAT'],
  ['b', 'true'],
  ['v', "'héllo'"],
  ['iv', "INTERVAL '1 year 2 months 3 days 04:05:06'"],
  ['iv_zero', "INTERVAL '0 seconds'"],
  ['list', '[1, 2, 3]'],
  ['list_null', '[1, NULL]'],
  ['struct', "{'a': 1, 'b': 42}"],
];

test('query values match DuckDB text', async () => {
  const select = VALUE_CASES.map(([name, expression]) => `${expression} as ${name}`).join(', ');
  const { ours, duckdb } = await page.evaluate(async (select) => {
    const bridge = window.rockyBridge;
    return {
      ours: await bridge.duckdbQuery(`select ${select}`, 10),
      duckdb: await bridge.duckdbQuery(`select cast(columns(*) as varchar) from (select ${select})`, 10),
    };
  }, select);
  assert.equal(ours.rowCount, 1);
  assert.deepEqual(ours.columns.map((column) => column.name), VALUE_CASES.map(([name]) => name));
  // Compared as one object, so a failure lists every case that differs.
  const byName = (row) => Object.fromEntries(VALUE_CASES.map(([name], index) => [name, row[index]]));
  assert.deepEqual(byName(ours.rows[0]), byName(duckdb.rows[0]), "display text differs from DuckDB's");
});

test('query types use DuckDB names', async () => {
  const result = await page.evaluate(() => window.rockyBridge.duckdbQuery(
    "select 1::INTEGER a, 1::BIGINT b, 1.5::DOUBLE c, 1::DECIMAL(18,2) d, 'x' e, DATE '2018-01-01' f, true g, "
    + "[1] h, TIMESTAMP '2018-01-01' i, 1::HUGEINT j, 1::UHUGEINT k, {'a': 1} l",
    1));
  assert.deepEqual(result.columns.map((column) => column.type), [
    'INTEGER', 'BIGINT', 'DOUBLE', 'DECIMAL(18,2)', 'VARCHAR', 'DATE', 'BOOLEAN',
    'INTEGER[]', 'TIMESTAMP', 'HUGEINT', 'UHUGEINT', 'STRUCT(a INTEGER)',
  ]);
});

test('NULL stays null', async () => {
  const result = await page.evaluate(() => window.rockyBridge.duckdbQuery(
    'select NULL::INTEGER a, NULL::VARCHAR b, NULL::DATE c, NULL::DECIMAL(10,2) d, NULL::HUGEINT e', 1));
  assert.deepEqual(result.rows, [[null, null, null, null, null]]);
});

test('rowCount counts past the limit', async () => {
  const result = await page.evaluate(() => window.rockyBridge.duckdbQuery('select * from range(5000)', 10));
  assert.equal(result.rows.length, 10);
  assert.equal(result.rowCount, 5000);
  assert.deepEqual(result.rows[9], ['9']);
  const none = await page.evaluate(() => window.rockyBridge.duckdbQuery('select 1', 0));
  assert.equal(none.rows.length, 0);
  assert.equal(none.rowCount, 1);
});

test('extension use fails without a download', async () => {
  const message = await page.evaluate(() => window.rockyBridge.duckdbQuery("select '{}'::JSON", 1).then(
    () => null, (error) => error.message));
  assert.ok(message, 'a JSON query succeeded, so the json extension is built in; pick another extension');
  assert.doesNotMatch(message, /XMLHttpRequest|NetworkError/, 'DuckDB tried to download the extension');
});

test('DuckDB errors reject with its message', async () => {
  const outcome = await page.evaluate(() => window.rockyBridge.duckdbExec('select * from no_such_table').then(
    () => null, (error) => ({ isError: error instanceof Error, message: error.message })));
  assert.ok(outcome, 'a query on a missing table succeeded');
  assert.ok(outcome.isError, 'the rejection is not an Error');
  assert.match(outcome.message, /no_such_table/);
});

// Each case breaks one DuckDB file in a page of its own, whose errors are
// expected and not collected.
const BROKEN_FILE_CASES = [
  ['missing worker', 'duckdb-browser-eh.worker.js', { status: 404, body: 'not found' }, /worker .* failed/],
  ['missing engine', 'duckdb-eh.wasm', { status: 404, body: 'not found' }, /HTTP 404/],
  ['wrong MIME type', 'duckdb-eh.wasm', { status: 200, contentType: 'text/plain', body: 'x' }, /application\/wasm/],
];

for (const [name, file, reply, expected] of BROKEN_FILE_CASES) {
  test(`duckdbStart rejects a ${name}`, async () => {
    const brokenPage = await browser.context.newPage();
    try {
      await brokenPage.route(server.url + PAGE, (route) => route.fulfill({ contentType: 'text/html', body: PAGE_HTML }));
      await brokenPage.route(`**/duckdb/${file}`, (route) => route.fulfill(reply));
      await brokenPage.goto(server.url + PAGE);
      const started = Date.now();
      const message = await brokenPage.evaluate(() => window.rockyBridge.duckdbStart().then(
        () => null, (error) => error.message));
      assert.ok(message, `duckdbStart succeeded with a ${name}`);
      assert.match(message, expected);
      assert.ok(Date.now() - started < 10000, `the rejection took ${Date.now() - started} ms, not an immediate error`);
    } finally {
      await brokenPage.close();
    }
  });
}

test('storage starts empty and keeps a save', async () => {
  const outcome = await page.evaluate(async () => {
    const bridge = window.rockyBridge;
    const before = await bridge.storageLoad();
    await bridge.storageSave('{"version": 1}');
    await bridge.storageSave('{"version": 1, "second": true}');
    return { before, after: await bridge.storageLoad() };
  });
  assert.equal(outcome.before, null, 'a fresh profile has a saved session');
  assert.equal(outcome.after, '{"version": 1, "second": true}', 'the latest save is not the one read back');
});

// Chromium 156 applies a DevTools quota override (Storage.overrideQuotaForOrigin)
// only to a database first written after it, so the check makes put throw
// the DOMException a full origin gives.
test('full storage rejects with QuotaExceededError', async () => {
  const outcome = await page.evaluate(async () => {
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = () => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
    try {
      return await window.rockyBridge.storageSave('{"version": 1, "third": true}').then(
        () => null, (error) => ({ isError: error instanceof Error, name: error.name, message: error.message }));
    } finally {
      IDBObjectStore.prototype.put = put;
    }
  });
  assert.ok(outcome, 'the save succeeded although put threw');
  assert.ok(outcome.isError, 'the rejection is not an Error');
  assert.equal(outcome.name, 'QuotaExceededError');
  assert.match(outcome.message, /^saving the session failed: The quota has been exceeded/);
  const kept = await page.evaluate(() => window.rockyBridge.storageLoad());
  assert.equal(kept, '{"version": 1, "second": true}', 'the failed save changed the saved session');
});

// Another tab's save is a write of the session and its revision record,
// made here with IndexedDB directly.
test('save after another tab saved rejects', async () => {
  const outcome = await page.evaluate(async () => {
    await window.rockyBridge.storageLoad();
    const database = await new Promise((resolve, reject) => {
      const request = indexedDB.open('rocky-playground', 1);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    await new Promise((resolve, reject) => {
      const transaction = database.transaction('session', 'readwrite');
      const store = transaction.objectStore('session');
      const read = store.get('revision:current');
      read.onsuccess = () => {
        store.put('{"version": 1, "other tab": true}', 'current');
        store.put((read.result ?? 0) + 1, 'revision:current');
      };
      transaction.oncomplete = resolve;
      transaction.onerror = () => reject(transaction.error);
    });
    database.close();
    const refused = await window.rockyBridge.storageSave('{"version": 1, "this tab": true}').then(
      () => null, (error) => ({ name: error.name, message: error.message }));
    const kept = await window.rockyBridge.storageLoad();
    await window.rockyBridge.storageSave('{"version": 1, "this tab": true}', undefined, true);
    const overwritten = await window.rockyBridge.storageLoad();
    return { refused, kept, overwritten };
  });
  assert.deepEqual(outcome.refused, {
    name: 'ConflictError',
    message: 'another tab saved this project after this tab read it',
  });
  assert.equal(outcome.kept, '{"version": 1, "other tab": true}', 'the refused save wrote');
  assert.equal(outcome.overwritten, '{"version": 1, "this tab": true}', 'overwrite did not write');
});

test('bridge page logged no errors', () => {
  assert.equal(problems.length, 0, `page problems: ${describeProblems(problems)}`);
});
