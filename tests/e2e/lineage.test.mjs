// Browser tests of the lineage graph view on the bundled sample. The tests
// run in order on one page, each starting where the last ended. The
// expected sets are read off the sample's SQL:
// - customers.customer_lifetime_value is sum(stg_payments.amount), and
//   customers joins on stg_customers.customer_id, stg_orders.customer_id,
//   stg_orders.order_id and stg_payments.order_id (its indirect inputs);
// - stg_orders.order_id feeds orders.order_id and count(order_id), and
//   both marts join on it, so every column of orders (9) and customers (7)
//   changes with it: 16 columns in 2 models.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import Ajv2020 from '../../www/node_modules/ajv/dist/2020.js';
import addFormats from '../../www/node_modules/ajv-formats/dist/index.js';
import { ROOT, RESULTS, collectPageProblems, describeProblems, launchBrowser, startServer } from './helpers.mjs';
import { activePath, byTestId, usePage, waitForLoad, waitInPage } from './playground-page.mjs';

const CUSTOMERS_COLUMNS = [
  'customer_id', 'first_name', 'last_name', 'first_order', 'most_recent_order', 'number_of_orders',
  'customer_lifetime_value',
];
const ORDERS_COLUMNS = [
  'order_id', 'customer_id', 'order_date', 'status', 'credit_card_amount', 'coupon_amount', 'bank_transfer_amount',
  'gift_card_amount', 'amount',
];

let server;
let browser;
let page;
let problems;
const metrics = {};

before(async () => {
  await mkdir(RESULTS, { recursive: true });
  server = await startServer();
  browser = await launchBrowser();
  page = await browser.context.newPage();
  problems = collectPageProblems(page);
  usePage(page, problems);
  await page.goto(server.url, { waitUntil: 'load' });
  await waitForLoad();
}, { timeout: 60000 });

after(async () => {
  await writeFile(path.join(RESULTS, 'lineage-metrics.json'), JSON.stringify(metrics, null, 2) + '\n');
  await browser?.close();
  await server?.stop();
});

const column = (table, name) => `${byTestId('lineage-column')}[data-table="${table}"][data-column="${name}"]`;

// Returns the boxes of the view by title, sorted.
async function boxTitles() {
  return (await page.locator(byTestId('lineage-box')).evaluateAll((boxes) => boxes.map((b) => b.dataset.table))).sort();
}

// Returns `table.column` of every drawn row with `data-role` = `role`, sorted.
async function rowsWithRole(role) {
  const rows = await page.locator(`${byTestId('lineage-column')}[data-role="${role}"]`).evaluateAll((elements) =>
    elements.map((element) => `${element.dataset.table}.${element.dataset.column}`));
  return rows.sort();
}

async function counts() {
  return page.locator(byTestId('lineage-counts')).evaluate((element) => ({ ...element.dataset }));
}

async function focus() {
  return page.locator(byTestId('lineage-view')).getAttribute('data-focus');
}

// Waits until the view shows exactly `expected` (sorted titles).
async function waitForBoxes(expected, what) {
  await waitInPage(what, (titles) => {
    const found = [...document.querySelectorAll('[data-testid="lineage-box"]')].map((b) => b.dataset.table).sort();
    return JSON.stringify(found) === JSON.stringify(titles);
  }, expected, 10000).catch(async (error) => {
    throw new Error(`${error.message}; boxes: ${JSON.stringify(await boxTitles())}`);
  });
}

// Clicks a row and waits for it to be the selected one.
async function selectRow(table, name) {
  await page.locator(column(table, name)).click();
  await waitInPage(`${table}.${name} to be selected`, (selector) =>
    document.querySelector(selector)?.getAttribute('data-role') === 'selected', column(table, name), 5000);
}

// Clicks `selector` and returns the download it starts, with its name and text.
async function download(selector) {
  const [started] = await Promise.all([
    page.waitForEvent('download', { timeout: 15000 }),
    page.locator(selector).first().click(),
  ]);
  const file = await started.path();
  return { name: started.suggestedFilename(), text: await readFile(file, 'utf8') };
}

// Moves the mouse onto the middle of an edge's line, as a person would
// hover it; an edge's bounding box centre need not lie on the curve.
async function hoverEdge(selector) {
  await page.locator(selector).waitFor({ timeout: 5000 });
  const point = await page.locator(`${selector} .lineage-edge-hit`).evaluate((path) => {
    const middle = path.getPointAtLength(path.getTotalLength() / 2);
    const screen = middle.matrixTransform(path.getScreenCTM());
    return { x: screen.x, y: screen.y };
  });
  await page.mouse.move(point.x, point.y);
}

const exportButton = (format) => `${byTestId('lineage-export')}[data-format="${format}"]`;

test('lineage tab shows the open model', async (t) => {
  assert.equal(await activePath(), 'models/customers.sql');
  const started = await page.evaluate(() => performance.now());
  await page.locator(`${byTestId('main-tab')}[data-view="lineage"]`).click();
  const drawnAt = await waitInPage('the first lineage box', () =>
    document.querySelector('[data-testid="lineage-box"]') ? performance.now() : null, undefined, 10000);
  metrics.tabToFirstBoxMs = Math.round(drawnAt - started);
  t.diagnostic(`lineage tab click to first box: ${metrics.tabToFirstBoxMs} ms`);
  assert.equal(await focus(), 'customers');
  // One hop each way from customers: the three staging models it reads.
  await waitForBoxes(['customers', 'stg_customers', 'stg_orders', 'stg_payments'], 'the boxes one hop from customers');
  const rows = await page.locator(`${byTestId('lineage-box')}[data-table="customers"] ${byTestId('lineage-column')}`)
    .evaluateAll((elements) => elements.map((element) => element.dataset.column));
  assert.deepEqual(rows, CUSTOMERS_COLUMNS);
  assert.equal(await page.locator(`${byTestId('lineage-box')}[data-focus="true"]`).getAttribute('data-table'), 'customers');
  assert.equal(await page.locator(byTestId('editor')).isVisible(), false, 'the editor is still shown');
});

test('column click lights its path', async (t) => {
  const started = await page.evaluate(() => performance.now());
  await selectRow('customers', 'customer_lifetime_value');
  metrics.clickToHighlightMs = Math.round(await page.evaluate(() => performance.now()) - started);
  t.diagnostic(`column click to highlight: ${metrics.clickToHighlightMs} ms`);
  assert.deepEqual(await rowsWithRole('upstream'), ['stg_payments.amount']);
  assert.deepEqual(await rowsWithRole('indirect'), [
    'stg_customers.customer_id', 'stg_orders.customer_id', 'stg_orders.order_id', 'stg_payments.order_id',
  ]);
  assert.deepEqual(await rowsWithRole('downstream'), []);
  const found = await counts();
  assert.equal(found.affectedColumns, '0');
  assert.equal(found.upstreamColumns, '2', 'stg_payments.amount and raw_payments.amount');
  assert.equal(found.upstreamTables, '2');
  assert.equal(found.sourceColumns, '1');
  assert.equal(found.indirectInputs, '4');
  assert.equal(await page.locator(byTestId('lineage-blast-radius')).textContent(), 'affects no other column');
});

test('selection is shared with schema and trace', async () => {
  const row = `${byTestId('schema-row')}[data-column="customer_lifetime_value"]`;
  assert.equal(await page.locator(row).getAttribute('aria-selected'), 'true');
  const source = `${byTestId('trace-node')}[data-model="raw_payments"][data-column="amount"]`;
  assert.equal(await page.locator(source).count(), 1, 'the trace does not reach raw_payments.amount');
  const parent = page.locator(byTestId('lineage-parent'));
  assert.equal(await parent.count(), 1);
  assert.equal(await parent.getAttribute('data-kind'), 'DIRECT/AGGREGATION');
  assert.match(await parent.textContent(), /stg_payments\.amount.*total_amount = sum\(amount\)/);
});

test('lit edges follow the path', async () => {
  const lit = await page.locator(`${byTestId('lineage-edge')}[data-role]`).evaluateAll((edges) =>
    edges.map((edge) => `${edge.dataset.role} ${edge.dataset.from} > ${edge.dataset.to}`).sort());
  assert.deepEqual(lit, [
    'indirect stg_customers.customer_id > customers',
    'indirect stg_orders.customer_id > customers',
    'indirect stg_orders.order_id > customers',
    'indirect stg_payments.order_id > customers',
    'upstream stg_payments.amount > customers.customer_lifetime_value',
  ]);
  const dimmed = await page.locator(`${byTestId('lineage-edge')}.dimmed`).count();
  assert.ok(dimmed > 0, 'edges off the path are not dimmed');
});

test('join key blast radius counts', async () => {
  await selectRow('stg_orders', 'order_id');
  const found = await counts();
  assert.equal(found.affectedColumns, '16');
  assert.equal(found.affectedModels, '2');
  assert.equal(await page.locator(byTestId('lineage-blast-radius')).textContent(), 'affects 16 columns in 2 models');
  assert.equal(found.upstreamColumns, '1', 'raw_orders.id');
  assert.equal(found.sourceColumns, '1');
  assert.deepEqual(await rowsWithRole('downstream'), CUSTOMERS_COLUMNS.map((name) => `customers.${name}`).sort());
});

test('show whole path adds its tables', async () => {
  await page.locator(byTestId('lineage-show-path')).click();
  await waitForBoxes(['customers', 'orders', 'raw_orders', 'stg_customers', 'stg_orders', 'stg_payments'],
    'orders and raw_orders to join the view');
  const expected = [
    ...CUSTOMERS_COLUMNS.map((name) => `customers.${name}`),
    ...ORDERS_COLUMNS.map((name) => `orders.${name}`),
  ].sort();
  assert.deepEqual(await rowsWithRole('downstream'), expected, 'the lit rows differ from the 16 counted');
  assert.deepEqual(await rowsWithRole('upstream'), ['raw_orders.id']);
});

test('reset and expand a neighbour', async () => {
  await page.locator(byTestId('lineage-reset')).click();
  await waitForBoxes(['customers', 'stg_customers', 'stg_orders', 'stg_payments'], 'the boxes after Reset');
  const expand = page.locator(`${byTestId('lineage-expand')}[data-table="stg_orders"]`);
  assert.equal(await expand.getAttribute('data-hidden'), '2', 'stg_orders hides raw_orders and orders');
  const stgOrders = page.locator(`${byTestId('lineage-box')}[data-table="stg_orders"]`);
  const before = await stgOrders.boundingBox();
  await expand.click();
  await waitForBoxes(['customers', 'orders', 'raw_orders', 'stg_customers', 'stg_orders', 'stg_payments'],
    'raw_orders and orders after expanding stg_orders');
  const after = await stgOrders.boundingBox();
  assert.ok(Math.abs(after.x - before.x) < 2 && Math.abs(after.y - before.y) < 2,
    `the expanded box moved from ${before.x},${before.y} to ${after.x},${after.y}`);
  assert.equal(await expand.count(), 0, 'stg_orders still offers to expand');
  assert.equal(await focus(), 'customers', 'expanding moved the focus');
});

test('edge hover shows kind and expression', async () => {
  const edge = `${byTestId('lineage-edge')}[data-from="stg_payments.amount"][data-to="customers.customer_lifetime_value"]`;
  await hoverEdge(edge);
  const tooltip = page.locator(byTestId('lineage-edge-tooltip'));
  await tooltip.waitFor({ timeout: 5000 });
  assert.equal(await tooltip.getAttribute('data-kind'), 'DIRECT/AGGREGATION');
  const text = await tooltip.innerText();
  assert.match(text, /stg_payments\.amount → customers\.customer_lifetime_value/);
  const steps = await page.locator(byTestId('lineage-edge-expression')).allTextContents();
  assert.deepEqual(steps, ['total_amount = sum(amount)', 'customer_lifetime_value = customer_payments.total_amount']);

  await page.mouse.move(0, 0);
  await tooltip.waitFor({ state: 'detached', timeout: 5000 });
  const join = `${byTestId('lineage-edge')}[data-from="stg_orders.order_id"][data-to="customers"]`;
  assert.equal(await page.locator(join).getAttribute('data-indirect'), 'true');
  assert.ok(await page.locator(`${join} .lineage-edge-line`).getAttribute('stroke-dasharray'), 'the indirect edge is not dashed');
  await hoverEdge(join);
  await tooltip.waitFor({ timeout: 5000 });
  assert.equal(await tooltip.getAttribute('data-kind'), 'INDIRECT/JOIN');
  assert.match(await tooltip.innerText(), /stg_orders\.order_id → every row of customers/);
  await page.mouse.move(0, 0);
});

test('search jumps to a column', async () => {
  const search = page.locator(byTestId('lineage-search'));
  await search.fill('lifetime');
  const results = page.locator(byTestId('lineage-search-result'));
  await results.first().waitFor({ timeout: 5000 });
  const labels = await results.evaluateAll((items) => items.map((item) => `${item.dataset.table}.${item.dataset.column}`));
  assert.deepEqual(labels, ['customers.customer_lifetime_value']);
  await search.press('Enter');
  await waitInPage('the focus on customer_lifetime_value', () =>
    document.querySelector('[data-testid="lineage-view"]')?.dataset.focus === 'customers.customer_lifetime_value',
  undefined, 5000);
  assert.equal(await page.locator(column('customers', 'customer_lifetime_value')).getAttribute('data-role'), 'selected');
  assert.equal(await results.count(), 0, 'the results stay open after the pick');
  // A column focus draws only the columns on its paths.
  const customerRows = await page.locator(`${byTestId('lineage-box')}[data-table="customers"] ${byTestId('lineage-column')}`).count();
  assert.equal(customerRows, 1);
});

test('search jumps to a source', async () => {
  const search = page.locator(byTestId('lineage-search'));
  await search.fill('raw_pay');
  const result = page.locator(`${byTestId('lineage-search-result')}[data-table="raw_payments"]:not([data-column])`);
  await result.waitFor({ timeout: 5000 });
  await result.click();
  await waitForBoxes(['raw_payments', 'stg_payments'], 'raw_payments and the model reading it');
  assert.equal(await focus(), 'raw_payments');
  await search.fill('no_such_name');
  await page.locator(byTestId('lineage-search-empty')).waitFor({ timeout: 5000 });
  await search.press('Escape');
});

test('two hops reach the marts', async () => {
  await page.locator(`${byTestId('lineage-hops')}[data-hops="2"]`).click();
  await waitForBoxes(['customers', 'orders', 'raw_payments', 'stg_payments'], 'the boxes two hops from raw_payments');
  assert.equal(await page.locator(byTestId('lineage-view')).getAttribute('data-hops'), '2');
});

test('zoom buttons wheel and drag', async () => {
  const canvas = page.locator(byTestId('lineage-canvas'));
  const read = async () => canvas.evaluate((element) => ({
    scale: Number(element.dataset.scale), x: Number(element.dataset.x), y: Number(element.dataset.y),
  }));
  const start = await read();
  await page.locator(byTestId('lineage-zoom-in')).click();
  const zoomed = await read();
  assert.ok(Math.abs(zoomed.scale - Math.min(3, start.scale * 1.25)) < 0.002, `zoom in: ${start.scale} -> ${zoomed.scale}`);
  await page.locator(byTestId('lineage-zoom-out')).click();
  assert.ok(Math.abs((await read()).scale - start.scale) < 0.002, 'zoom out did not undo zoom in');

  const box = await canvas.boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.wheel(0, 300);
  await waitInPage('the wheel to zoom out', (before) =>
    Number(document.querySelector('[data-testid="lineage-canvas"]').dataset.scale) < before, start.scale, 5000);

  // A drag from an empty corner moves the drawing by the same distance.
  const before = await read();
  const selectedBefore = await rowsWithRole('selected');
  await page.mouse.move(box.x + 4, box.y + 4);
  await page.mouse.down();
  await page.mouse.move(box.x + 54, box.y + 34, { steps: 5 });
  await page.mouse.move(box.x + 104, box.y + 64, { steps: 5 });
  await page.mouse.up();
  const after = await read();
  assert.ok(Math.abs(after.x - before.x - 100) < 1.5, `drag moved x by ${after.x - before.x}`);
  assert.ok(Math.abs(after.y - before.y - 60) < 1.5, `drag moved y by ${after.y - before.y}`);
  assert.deepEqual(await rowsWithRole('selected'), selectedBefore, 'the drag changed the selection');

  await page.locator(byTestId('lineage-fit')).click();
  const fitted = await read();
  assert.ok(fitted.scale <= 1, `fit scale ${fitted.scale}`);
  const inside = await page.evaluate(() => {
    const outer = document.querySelector('[data-testid="lineage-canvas"]').getBoundingClientRect();
    return [...document.querySelectorAll('[data-testid="lineage-box"]')].every((element) => {
      const rect = element.getBoundingClientRect();
      return rect.left >= outer.left - 1 && rect.right <= outer.right + 1 && rect.top >= outer.top - 1
        && rect.bottom <= outer.bottom + 1;
    });
  });
  assert.ok(inside, 'after Fit a box lies outside the canvas');
});

test('two-finger pinch zooms around the fingers', async () => {
  const canvas = page.locator(byTestId('lineage-canvas'));
  const read = async () => canvas.evaluate((element) => ({
    scale: Number(element.dataset.scale), x: Number(element.dataset.x), y: Number(element.dataset.y),
  }));
  await page.locator(byTestId('lineage-fit')).click();
  const before = await read();
  const selectedBefore = await rowsWithRole('selected');
  // Two touch pointers on the background: they spread from 80 to 160
  // pixels apart while their midpoint moves 30 pixels right.
  const box = await canvas.boundingBox();
  const [cx, cy] = [box.width / 2, box.height / 2];
  await page.evaluate(({ cx, cy }) => {
    const target = document.querySelector('[data-testid="lineage-canvas"] .lineage-background');
    const origin = target.closest('[data-testid="lineage-canvas"]').getBoundingClientRect();
    const send = (type, pointerId, x, y) => target.dispatchEvent(new PointerEvent(type, {
      pointerId, pointerType: 'touch', isPrimary: pointerId === 21, button: type === 'pointermove' ? -1 : 0,
      buttons: type === 'pointerup' ? 0 : 1, clientX: origin.left + x, clientY: origin.top + y, bubbles: true,
    }));
    send('pointerdown', 21, cx - 40, cy);
    send('pointerdown', 22, cx + 40, cy);
    send('pointermove', 21, cx - 50, cy);
    send('pointermove', 22, cx + 110, cy);
    send('pointerup', 21, cx - 50, cy);
    send('pointerup', 22, cx + 110, cy);
  }, { cx, cy });
  const after = await read();
  const factor = Math.min(3, before.scale * 2) / before.scale;
  assert.ok(Math.abs(after.scale - before.scale * factor) < 0.002, `pinch scale ${before.scale} -> ${after.scale}`);
  // The layout point that was under the fingers' first midpoint is under
  // their last one.
  const layoutX = (cx - before.x) / before.scale;
  const layoutY = (cy - before.y) / before.scale;
  assert.ok(Math.abs(layoutX * after.scale + after.x - (cx + 30)) < 1.5, `pinch x ${JSON.stringify(after)}`);
  assert.ok(Math.abs(layoutY * after.scale + after.y - cy) < 1.5, `pinch y ${JSON.stringify(after)}`);
  assert.deepEqual(await rowsWithRole('selected'), selectedBefore, 'the pinch changed the selection');
  // One finger alone still drags.
  await page.evaluate(({ cx, cy }) => {
    const target = document.querySelector('[data-testid="lineage-canvas"] .lineage-background');
    const origin = target.closest('[data-testid="lineage-canvas"]').getBoundingClientRect();
    const send = (type, x, y) => target.dispatchEvent(new PointerEvent(type, {
      pointerId: 23, pointerType: 'touch', isPrimary: true, button: type === 'pointermove' ? -1 : 0,
      buttons: type === 'pointerup' ? 0 : 1, clientX: origin.left + x, clientY: origin.top + y, bubbles: true,
    }));
    send('pointerdown', cx, cy);
    send('pointermove', cx + 20, cy + 10);
    send('pointermove', cx + 40, cy + 20);
    send('pointerup', cx + 40, cy + 20);
  }, { cx, cy });
  const dragged = await read();
  assert.ok(Math.abs(dragged.x - after.x - 40) < 1.5, `one finger moved x by ${dragged.x - after.x}`);
  assert.ok(Math.abs(dragged.y - after.y - 20) < 1.5, `one finger moved y by ${dragged.y - after.y}`);
});

test('exports download each format', async () => {
  await page.locator(byTestId('lineage-fit')).click();
  await selectRow('stg_payments', 'amount');

  const json = await download(exportButton('json'));
  assert.equal(json.name, 'jaffle_shop-lineage.json');
  const graph = JSON.parse(json.text);
  assert.ok(Array.isArray(graph.nodes) && Array.isArray(graph.edges), 'the JSON has no nodes and edges arrays');
  const node = (table, name) => graph.nodes.find((n) => n.table === table && n.column === name);
  assert.ok(node('raw_payments', 'amount'), 'the JSON lacks raw_payments.amount');
  assert.ok(node('customers', 'customer_lifetime_value'), 'the JSON lacks customers.customer_lifetime_value');
  const fromRaw = graph.edges.find((e) => e.from === node('raw_payments', 'amount').id
    && e.to === node('stg_payments', 'amount').id);
  assert.equal(fromRaw?.kind, 'DIRECT/TRANSFORMATION', 'raw_payments.amount -> stg_payments.amount');

  const openLineage = await download(exportButton('openlineage'));
  assert.equal(openLineage.name, 'jaffle_shop-openlineage.json');
  const event = JSON.parse(openLineage.text);
  const schema = JSON.parse(await readFile(path.join(ROOT, 'docs', 'schemas', 'openlineage-run-event.schema.json'), 'utf8'));
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  assert.ok(validate(event), `the event does not match the OpenLineage schema: ${ajv.errorsText(validate.errors)}`);
  assert.equal(event.eventType, 'COMPLETE');
  assert.ok(!Number.isNaN(Date.parse(event.eventTime)), `eventTime ${event.eventTime}`);
  const customers = event.outputs.find((output) => output.name === 'customers');
  const fields = customers?.facets?.columnLineage?.fields;
  assert.ok(fields?.customer_lifetime_value, 'no column lineage for customers.customer_lifetime_value');
  const inputs = fields.customer_lifetime_value.inputFields.map((input) => `${input.name}.${input.field}`);
  assert.ok(inputs.includes('stg_payments.amount'), `inputs: ${inputs}`);

  const dot = await download(exportButton('dot'));
  assert.equal(dot.name, 'jaffle_shop-lineage.dot');
  assert.match(dot.text, /^digraph lineage \{\n/);
  assert.match(dot.text, /\}\n$/);
  assert.match(dot.text, /raw_customers/);

  const mermaid = await download(exportButton('mermaid'));
  assert.equal(mermaid.name, 'jaffle_shop-lineage.mmd');
  assert.match(mermaid.text, /^flowchart LR\n/);

  const svg = await download(exportButton('svg'));
  assert.equal(svg.name, 'jaffle_shop-lineage.svg');
  const parsed = await page.evaluate((text) => {
    const document = new DOMParser().parseFromString(text, 'image/svg+xml');
    const root = document.documentElement;
    return {
      error: document.querySelector('parsererror')?.textContent ?? null,
      root: root.localName,
      namespace: root.namespaceURI,
      viewBox: root.getAttribute('viewBox'),
      boxes: document.querySelectorAll('[data-testid="lineage-box"]').length,
      selected: document.querySelector('[data-role="selected"]')?.getAttribute('data-column') ?? null,
      expandControls: document.querySelectorAll('.lineage-expand').length,
      transform: document.querySelector('.lineage-scene')?.getAttribute('transform') ?? null,
    };
  }, svg.text);
  assert.equal(parsed.error, null, 'the SVG is not well-formed XML');
  assert.equal(parsed.root, 'svg');
  assert.equal(parsed.namespace, 'http://www.w3.org/2000/svg');
  assert.match(parsed.viewBox ?? '', /^0 0 \d+ \d+$/);
  assert.equal(parsed.boxes, await page.locator(byTestId('lineage-box')).count(), 'the SVG has other boxes than the view');
  assert.equal(parsed.selected, 'amount', 'the SVG lost the highlight');
  assert.equal(parsed.expandControls, 0);
  assert.equal(parsed.transform, null, 'the SVG kept the pan and zoom');
});

test('column scope exports its subgraph', async () => {
  await page.locator(byTestId('lineage-export-scope')).selectOption('column');
  const dot = await download(exportButton('dot'));
  assert.equal(dot.name, 'jaffle_shop-stg_payments.amount-lineage.dot');
  assert.match(dot.text, /^digraph lineage \{\n/);
  assert.match(dot.text, /raw_payments/);
  assert.match(dot.text, /customer_lifetime_value/);
  // raw_customers is on no path through stg_payments.amount.
  assert.doesNotMatch(dot.text, /raw_customers/);
  const json = JSON.parse((await download(exportButton('json'))).text);
  const tables = new Set(json.nodes.map((node) => node.table));
  assert.ok(!tables.has('stg_customers'), `tables: ${[...tables]}`);
  await page.locator(byTestId('lineage-export-scope')).selectOption('project');
});

test('double click opens a box file', async () => {
  const title = `${byTestId('lineage-box')}[data-table="stg_payments"] .lineage-box-title`;
  await page.locator(title).dblclick();
  await waitInPage('stg_payments.sql to open', () =>
    document.querySelector('[data-testid="file-item"][data-active="true"]')?.dataset.path === 'models/stg_payments.sql',
  undefined, 5000);
  await waitInPage('the focus to follow the open file', () =>
    document.querySelector('[data-testid="lineage-view"]')?.dataset.focus === 'stg_payments', undefined, 5000);
  assert.equal(await page.locator(byTestId('lineage-view')).isVisible(), true, 'opening the file left the graph');
});

test('CTE boxes and keyboard expand', async () => {
  await page.locator(byTestId('lineage-show-ctes')).check();
  await waitInPage('the CTE boxes of stg_payments', () =>
    document.querySelector('[data-testid="lineage-box"][data-table="stg_payments.renamed"][data-kind="cte"]') !== null,
  undefined, 5000);
  assert.equal(await page.locator(`${byTestId('lineage-box')}[data-table="stg_payments.renamed"]`).getAttribute('data-owner'),
    'stg_payments');
  await page.locator(byTestId('lineage-fit')).click();
  await selectRow('stg_payments.renamed', 'amount');
  assert.match(await page.locator(byTestId('lineage-panel')).textContent(),
    /stg_payments\.renamed\.amount is a column inside stg_payments/);

  const expand = page.locator(`${byTestId('lineage-expand')}[data-table="orders"]`);
  await expand.focus();
  await page.keyboard.press('Enter');
  await waitInPage('stg_orders after Enter on the expand control of orders', () =>
    document.querySelector('[data-testid="lineage-box"][data-table="stg_orders"]') !== null, undefined, 5000);
  await page.locator(byTestId('lineage-show-ctes')).uncheck();
  await waitInPage('the CTE boxes to go', () =>
    document.querySelector('[data-testid="lineage-box"][data-kind="cte"]') === null, undefined, 5000);
});

test('editor tab comes back', async () => {
  await page.locator(`${byTestId('main-tab')}[data-view="editor"]`).click();
  assert.equal(await page.locator(byTestId('editor')).isVisible(), true);
  assert.equal(await page.locator(byTestId('lineage-view')).isVisible(), false);
  assert.equal(await page.locator(`${byTestId('main-tab')}[data-view="editor"]`).getAttribute('aria-selected'), 'true');
  await page.screenshot({ path: path.join(RESULTS, 'lineage-editor.png') });
});

test('lineage view logs no errors', async () => {
  await page.locator(`${byTestId('main-tab')}[data-view="lineage"]`).click();
  await page.screenshot({ path: path.join(RESULTS, 'lineage-view.png') });
  assert.equal(problems.length, 0, `errors on the page: ${describeProblems(problems)}`);
});
