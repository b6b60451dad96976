// Unit tests of www/src/connect-policy.js: the endpoint origin read from the
// settings text, the policy it adds to a document, and the sentence a chat
// request to another origin gets. Run under Node with a small fake
// document and localStorage.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ASSISTANT_SETTINGS_KEY } from '../../www/src/assistant.js';
import { applyConnectPolicy, connectRefusal, endpointOrigin, needsReload } from '../../www/src/connect-policy.js';

test('endpoint origin keeps scheme, host and port', () => {
  assert.equal(endpointOrigin('{"endpoint":"http://localhost:11434/v1","model":"m"}'), 'http://localhost:11434');
  assert.equal(endpointOrigin('{"endpoint":" https://api.example.test/v1/ "}'), 'https://api.example.test');
});

test('no usable endpoint gives no origin', () => {
  for (const text of [null, '', 'not json', '{}', '{"endpoint":""}', '{"endpoint":42}',
    '{"endpoint":"javascript:alert(1)"}', '{"endpoint":"file:///etc/passwd"}', '{"endpoint":"relative/path"}']) {
    assert.equal(endpointOrigin(text), null, text);
  }
});

test('policy allows the origin and the endpoint only', () => {
  assert.equal(connectRefusal('http://elsewhere.test/x'), null, 'before the policy, nothing is refused');
  assert.equal(needsReload('{"endpoint":"http://elsewhere.test/v1"}'), false);
  globalThis.location = { origin: 'http://127.0.0.1:8080' };
  globalThis.localStorage = {
    getItem: (key) => (key === ASSISTANT_SETTINGS_KEY ? '{"endpoint":"http://localhost:11434/v1"}' : null),
  };
  const head = [];
  const doc = {
    head: { append: (element) => head.push(element) },
    createElement: () => ({ dataset: {} }),
  };
  applyConnectPolicy(doc);
  applyConnectPolicy(doc);
  assert.equal(head.length, 1, 'the policy is added once');
  assert.equal(head[0].httpEquiv, 'Content-Security-Policy');
  assert.equal(head[0].content, "connect-src 'self' http://localhost:11434");

  assert.equal(connectRefusal('http://127.0.0.1:8080/duckdb/duckdb-eh.wasm'), null);
  assert.equal(connectRefusal('http://localhost:11434/v1/chat/completions'), null);
  assert.equal(connectRefusal('http://localhost:11435/v1/chat/completions'),
    "the page was loaded allowing requests to this page's origin and http://localhost:11434 only, "
    + 'so reload it to reach http://localhost:11435');

  assert.match(connectRefusal('http://[::1]:11434/v1/chat/completions'),
    /cannot allow an IPv6 address such as \[::1\]; use a host name/);

  // Saving settings reloads the page only for an origin the policy lacks.
  assert.equal(needsReload('{"endpoint":"http://localhost:11434/other/path"}'), false);
  assert.equal(needsReload('{"endpoint":"http://127.0.0.1:8080/v1"}'), false);
  assert.equal(needsReload('{"endpoint":""}'), false);
  assert.equal(needsReload('{"endpoint":"http://localhost:11435/v1"}'), true);
});
