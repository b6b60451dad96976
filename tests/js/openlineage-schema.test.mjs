// Validates the OpenLineage events that `rocky lineage --format openlineage`
// writes against docs/schemas/openlineage-run-event.schema.json with Ajv
// (JSON Schema draft 2020-12, formats checked by ajv-formats). The events
// come from the real binary, built by cargo, on the sample project and on a
// project with hostile names. Broken copies of an event check that the
// schema rejects what it should.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import Ajv2020 from '../../www/node_modules/ajv/dist/2020.js';
import addFormats from '../../www/node_modules/ajv-formats/dist/index.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SCHEMA = JSON.parse(
  readFileSync(join(ROOT, 'docs', 'schemas', 'openlineage-run-event.schema.json'), 'utf8'),
);

const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false });
addFormats(ajv);
const validate = ajv.compile(SCHEMA);

// Runs `rocky lineage DIR --format openlineage ...` through cargo, which
// builds the binary first when it is out of date.
function openLineageEvent(dir, ...extra) {
  const output = execFileSync(
    'cargo',
    ['run', '--quiet', '-p', 'rocky-cli', '--', 'lineage', dir, '--format', 'openlineage', ...extra],
    { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  return JSON.parse(output);
}

function assertValid(event) {
  const valid = validate(event);
  assert.ok(valid, JSON.stringify(validate.errors, null, 2));
}

function assertInvalid(event, keyword) {
  assert.equal(validate(event), false, 'the schema accepted a broken event');
  const keywords = validate.errors.map((error) => error.keyword);
  assert.ok(keywords.includes(keyword), `expected a ${keyword} error, got ${JSON.stringify(validate.errors)}`);
}

const SAMPLE = join(ROOT, 'sample', 'jaffle_shop');

test('sample event matches the schema', () => {
  const event = openLineageEvent(SAMPLE, '--event-time', '2024-05-01T12:00:00.250+02:00');
  assertValid(event);
  assert.equal(event.outputs.length, 5);
  assert.equal(event.eventTime, '2024-05-01T12:00:00.250+02:00');
});

test('collapsed and focused events match the schema', () => {
  assertValid(openLineageEvent(SAMPLE, '--ctes', 'collapsed'));
  const focused = openLineageEvent(SAMPLE, '--column', 'customers.customer_lifetime_value', '--upstream');
  assertValid(focused);
  const names = focused.outputs.map((output) => output.name).sort();
  assert.deepEqual(names, ['customers', 'stg_payments']);
});

test('hostile names match the schema', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rocky-openlineage-'));
  try {
    mkdirSync(join(dir, 'models'));
    mkdirSync(join(dir, 'sources'));
    writeFileSync(join(dir, 'rocky.toml'), '[project]\nname = "h\\"o<s>t&i\'le"\n');
    writeFileSync(
      join(dir, 'sources', 'raw.sql'),
      'CREATE TABLE "src<&>\'""\\" ("col<1>&\'""\\" INTEGER, "multi\nline" INTEGER);\n',
    );
    writeFileSync(
      join(dir, 'models', 'a<b>&\'"\\.sql'),
      'select "col<1>&\'""\\" + 1 as "out""put<&>\'\\", "multi\nline" as nl from "src<&>\'""\\"\n',
    );
    const event = openLineageEvent(dir);
    assertValid(event);
    assert.equal(event.job.name, 'h"o<s>t&i\'le');
    const [output] = event.outputs;
    assert.equal(output.name, 'a<b>&\'"\\');
    const field = output.facets.columnLineage.fields['out"put<&>\'\\'];
    assert.equal(field.inputFields[0].field, 'col<1>&\'"\\');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('schema rejects broken events', () => {
  const event = openLineageEvent(SAMPLE);
  assertValid(event);
  const broken = () => structuredClone(event);

  const noRunId = broken();
  delete noRunId.run.runId;
  assertInvalid(noRunId, 'required');

  const randomRunId = broken();
  randomRunId.run.runId = '0f8fad5b-d9cb-469f-a165-70867728950e';
  assertInvalid(randomRunId, 'pattern');

  const badTime = broken();
  badTime.eventTime = '2024-13-01T00:00:00Z';
  assertInvalid(badTime, 'format');

  const badType = broken();
  const firstField = Object.values(badType.outputs[0].facets.columnLineage.fields)[0];
  firstField.inputFields[0].transformations[0].type = 'SIDEWAYS';
  assertInvalid(badType, 'enum');

  const badSubtype = broken();
  const dataset = badSubtype.outputs.find((output) => output.facets.columnLineage.dataset.length > 0);
  dataset.facets.columnLineage.dataset[0].transformations[0].subtype = 'IDENTITY';
  assertInvalid(badSubtype, 'enum');

  const noFacetProducer = broken();
  delete noFacetProducer.outputs[0].facets.columnLineage._producer;
  assertInvalid(noFacetProducer, 'required');

  const noFields = broken();
  delete noFields.outputs[0].facets.columnLineage.fields;
  assertInvalid(noFields, 'required');
});
