// Unit tests of www/src/duckdb-errors.js: DuckDB's JSON errors made text,
// the messages of WebAssembly traps, and the error a trap becomes.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  explainBlockedRead, explainMissingExtension, isTrap, trapError, withPlainMessage,
} from '../../www/src/duckdb-errors.js';

test('JSON error becomes DuckDB text form', () => {
  const json = JSON.stringify({
    exception_type: 'Parser',
    exception_message: 'syntax error at or near "."\n\nLINE 1: select window.rockyBridge\n                     ^',
    error_subtype: 'SYNTAX_ERROR',
  });
  const error = withPlainMessage(new Error(json));
  assert.equal(error.message.split('\n')[0], 'Parser Error: syntax error at or near "."');
  assert.match(error.message, /\nLINE 1: select window\.rockyBridge\n/);
});

test('text and other JSON errors stay as they are', () => {
  const text = new Error('Binder Error: Referenced column "x" not found');
  assert.equal(withPlainMessage(text), text);
  const broken = new Error('{not json');
  assert.equal(withPlainMessage(broken), broken);
  const other = new Error('{"status":500}');
  assert.equal(withPlainMessage(other), other);
});

test('trap messages are recognised', () => {
  for (const message of ['unreachable', 'table index is out of bounds', 'memory access out of bounds',
    'null function or function signature mismatch', 'function signature mismatch']) {
    assert.ok(isTrap(message), message);
  }
  for (const message of ['Binder Error: unreachable code', 'cancelled', 'Out of Memory Error: failed',
    'unreachable code reached']) {
    assert.ok(!isTrap(message), message);
  }
});

test('trap error names the time zone cause it sees', () => {
  const direct = trapError('DuckDB statement', 'unreachable', "select ts at time zone 'UTC' from t");
  assert.match(direct.message, /^DuckDB statement crashed DuckDB \("unreachable"\), so the page started a new database/);
  assert.match(direct.message, /The statement uses a time zone: time zone functions need DuckDB's ICU extension/);
  const other = trapError('DuckDB statement', 'unreachable', 'create view v as select * from upstream');
  assert.match(other.message, /If a model it reads uses a time zone function, those need DuckDB's ICU extension/);
  const memory = trapError('DuckDB query', 'memory access out of bounds', 'select * from big');
  assert.match(memory.message, /Most likely DuckDB ran out of memory\.$/);
  assert.doesNotMatch(memory.message, /time zone/);
});

test('missing extension error says the page loads none', () => {
  const icu = explainMissingExtension(new Error('Catalog Error: Scalar Function with name "current_date" is not in '
    + 'the catalog, but it exists in the icu extension.\n\nPlease try installing and loading the icu extension'));
  assert.match(icu.message, /\nThe page's DuckDB loads no extensions, so icu cannot be installed or loaded here\./);
  assert.match(icu.message, /current_timestamp::TIMESTAMP::DATE the date\.$/);
  const spatial = explainMissingExtension(new Error('Catalog Error: Scalar Function with name "st_point" is not in '
    + 'the catalog, but it exists in the spatial extension.'));
  assert.match(spatial.message, /so spatial cannot be installed or loaded here\.$/);
  const plain = new Error('Binder Error: no');
  assert.equal(explainMissingExtension(plain), plain);
});

test('blocked read names the file and the fix', () => {
  const error = explainBlockedRead(new Error(
    "IO Error: NetworkError: Failed to execute 'send' on 'XMLHttpRequest': Failed to load 'http://example.test/a.csv'."));
  assert.match(error.message, /may not read http:\/\/example\.test\/a\.csv; add the file to the project's data\/ folder/);
  const plain = new Error('Binder Error: no');
  assert.equal(explainBlockedRead(plain), plain);
});
