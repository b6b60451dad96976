// Unit tests of www/src/assistant.js: the chat request against the mock
// server of tests/e2e/assistant-mock.mjs on 127.0.0.1, and the settings
// functions on a fake localStorage.

import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import {
  ASSISTANT_SETTINGS_KEY,
  assistantChat,
  assistantSettingsLoad,
  assistantSettingsSave,
} from '../../www/src/assistant.js';
import { startAssistantMock } from '../e2e/assistant-mock.mjs';

const PREFIX = 'the language model request failed: ';
const KEY = 'sk-test-4f1c9a7e';
const MESSAGES = [
  { role: 'system', content: 'You explain SQL models.' },
  { role: 'user', content: 'Explain customers.' },
];

let mock;

before(async () => {
  mock = await startAssistantMock({ reply: () => 'The model has one row per customer.' });
});

after(async () => {
  await mock.stop();
});

beforeEach(() => {
  mock.requests.length = 0;
  mock.setReply(() => 'The model has one row per customer.');
});

function request(overrides = {}) {
  return { endpoint: mock.url, apiKey: KEY, model: 'llama3.2', messages: MESSAGES, timeoutMs: 5000, ...overrides };
}

// Resolves to the Error that `promise` rejects with; fails when it resolves.
async function rejection(promise) {
  try {
    const value = await promise;
    assert.fail(`expected a rejection, got ${JSON.stringify(value)}`);
  } catch (error) {
    if (error instanceof assert.AssertionError) throw error;
    return error;
  }
}

// Resolves to a port on 127.0.0.1 that nothing listens on.
async function closedPort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

test('chat returns content and model', async () => {
  const reply = await assistantChat(request());
  assert.deepEqual(reply, { content: 'The model has one row per customer.', model: 'llama3.2' });
});

test('chat posts the expected body', async () => {
  await assistantChat(request());
  assert.equal(mock.requests.length, 1);
  const { headers, body } = mock.requests[0];
  assert.deepEqual(body, { model: 'llama3.2', messages: MESSAGES, temperature: 0.2, stream: false });
  assert.match(headers['content-type'], /^application\/json/);
});

test('chat sends the key as bearer token', async () => {
  await assistantChat(request());
  assert.equal(mock.requests[0].headers.authorization, `Bearer ${KEY}`);
});

test('chat without key sends no authorization', async () => {
  await assistantChat(request({ apiKey: '' }));
  await assistantChat(request({ apiKey: undefined }));
  await assistantChat(request({ apiKey: '   ' }));
  assert.equal(mock.requests.length, 3);
  for (const { headers } of mock.requests) assert.equal(headers.authorization, undefined);
});

test('chat strips trailing slashes of the endpoint', async () => {
  // The mock returns 404 for any other path, so a success proves the path.
  const reply = await assistantChat(request({ endpoint: `${mock.url}//` }));
  assert.equal(reply.content, 'The model has one row per customer.');
  assert.equal(mock.requests.length, 1);
});

test('chat reply without model gives null', async () => {
  mock.setReply(() => ({ status: 200, json: { choices: [{ message: { role: 'assistant', content: 'ok' } }] } }));
  assert.deepEqual(await assistantChat(request()), { content: 'ok', model: null });
});

test('chat HTTP 401 shows the server message', async () => {
  mock.setReply(() => ({ status: 401, json: { error: { message: 'Invalid API key.', type: 'invalid_request_error' } } }));
  const error = await rejection(assistantChat(request()));
  assert.equal(error.message, `${PREFIX}${mock.url}/chat/completions answered HTTP 401 Unauthorized: Invalid API key.`);
});

test('chat error given as a string is shown', async () => {
  mock.setReply(() => ({ status: 500, json: { error: 'model "nope" not found' } }));
  const error = await rejection(assistantChat(request()));
  assert.ok(error.message.endsWith('answered HTTP 500 Internal Server Error: model "nope" not found'), error.message);
});

test('chat error without JSON shows only the status', async () => {
  mock.setReply(() => ({ status: 502, text: '<html>Bad Gateway</html>' }));
  const error = await rejection(assistantChat(request()));
  assert.ok(error.message.endsWith('answered HTTP 502 Bad Gateway'), error.message);
});

test('chat server message is cut', async () => {
  mock.setReply(() => ({ status: 400, json: { error: { message: 'x'.repeat(1000) } } }));
  const error = await rejection(assistantChat(request()));
  const serverText = error.message.slice(error.message.indexOf(': x') + 2);
  assert.equal(serverText.length, 300);
  assert.ok(serverText.endsWith('…'), 'the cut message does not end with an ellipsis');
});

test('chat reply that is not JSON', async () => {
  mock.setReply(() => ({ status: 200, text: 'hello' }));
  const error = await rejection(assistantChat(request()));
  assert.equal(error.message, `${PREFIX}the reply is not JSON`);
});

test('chat reply without content', async () => {
  for (const json of [{ choices: [] }, { choices: [{ message: { content: null } }] }, { model: 'x' }, null, 7]) {
    mock.setReply(() => ({ status: 200, json }));
    const error = await rejection(assistantChat(request()));
    assert.equal(error.message, `${PREFIX}the reply has no choices[0].message.content`, JSON.stringify(json));
  }
});

test('chat times out', async () => {
  const slow = await startAssistantMock({ delayMs: 2000 });
  try {
    const started = Date.now();
    const error = await rejection(assistantChat(request({ endpoint: slow.url, timeoutMs: 150 })));
    assert.equal(error.message, `${PREFIX}timed out after 0.15 s`);
    assert.ok(Date.now() - started < 1500, 'the request was not aborted at its timeout');
  } finally {
    await slow.stop();
  }
});

test('chat rejects invalid endpoints', async () => {
  for (const endpoint of ['localhost:11434/v1', '/v1', 'ftp://127.0.0.1/v1', '', undefined]) {
    const error = await rejection(assistantChat(request({ endpoint })));
    assert.ok(error.message.startsWith(`${PREFIX}the endpoint ${JSON.stringify(String(endpoint))} is not`),
      error.message);
  }
  assert.equal(mock.requests.length, 0);
});

test('chat rejects credentials in the endpoint', async () => {
  const endpoint = mock.url.replace('http://', 'http://user:secret-password@');
  const error = await rejection(assistantChat(request({ endpoint })));
  assert.ok(error.message.startsWith(PREFIX), error.message);
  assert.ok(!error.message.includes('secret-password'), error.message);
});

test('chat to a closed port cannot reach', async () => {
  const url = `http://127.0.0.1:${await closedPort()}/v1`;
  const error = await rejection(assistantChat(request({ endpoint: url })));
  assert.equal(error.message, `${PREFIX}could not reach ${url}/chat/completions (is the server running, `
    + "and does it allow this page's origin? see CORS in docs/intent.md)");
});

test('chat errors never contain the key', async () => {
  mock.setReply(() => ({ status: 401, json: { error: { message: `Incorrect API key provided: ${KEY}.` } } }));
  const errors = [
    await rejection(assistantChat(request())),
    await rejection(assistantChat(request({ endpoint: `http://127.0.0.1:${await closedPort()}/v1` }))),
    await rejection(assistantChat(request({ endpoint: 'not a url' }))),
    await rejection(assistantChat(request({ apiKey: `${KEY}\nX-Injected: 1` }))),
    await rejection(assistantChat(request({ apiKey: `${KEY}\u20ac` }))),
  ];
  for (const error of errors) {
    assert.ok(error.message.startsWith(PREFIX), error.message);
    assert.ok(!error.message.includes(KEY), `the key is in: ${error.message}`);
  }
  assert.ok(errors[0].message.includes('[API key]'), errors[0].message);
});

test('short keys leave messages as they are', async () => {
  mock.setReply(() => ({ status: 401, json: { error: { message: 'the key e is not valid here' } } }));
  const error = await rejection(assistantChat(request({ apiKey: 'e' })));
  assert.ok(error.message.endsWith(': the key e is not valid here'), error.message);
  assert.ok(!error.message.includes('[API key]'), error.message);
});

test('chat rejects a missing model or messages', async () => {
  const noModel = await rejection(assistantChat(request({ model: undefined })));
  assert.equal(noModel.message, `${PREFIX}the model name is missing`);
  const noMessages = await rejection(assistantChat(request({ messages: 'hi' })));
  assert.equal(noMessages.message, `${PREFIX}messages is not an array of {role, content}`);
  const noRequest = await rejection(assistantChat(undefined));
  assert.ok(noRequest.message.startsWith(PREFIX), noRequest.message);
});

// ---- Settings ----

// A Storage with getItem, setItem and removeItem over a Map, where
// `failWith` makes every call throw that error.
function fakeStorage() {
  const items = new Map();
  return {
    items,
    failWith: null,
    getItem(key) {
      if (this.failWith) throw this.failWith;
      return items.has(key) ? items.get(key) : null;
    },
    setItem(key, value) {
      if (this.failWith) throw this.failWith;
      items.set(key, String(value));
    },
    removeItem(key) {
      if (this.failWith) throw this.failWith;
      items.delete(key);
    },
  };
}

// Replaces globalThis.localStorage for the test `t` (node 20 has no
// t.mock.property).
function installStorage(t, storage) {
  const descriptor = Object.getOwnPropertyDescriptor(globalThis, 'localStorage');
  Object.defineProperty(globalThis, 'localStorage', { value: storage, configurable: true, writable: true });
  t.after(() => {
    if (descriptor) Object.defineProperty(globalThis, 'localStorage', descriptor);
    else delete globalThis.localStorage;
  });
}

function domException(name, message) {
  const error = new Error(message);
  error.name = name;
  return error;
}

test('settings save then load', (t) => {
  const storage = fakeStorage();
  installStorage(t, storage);
  assert.equal(assistantSettingsLoad(), null);
  assistantSettingsSave('{"endpoint":"http://127.0.0.1:11434/v1"}');
  assert.equal(storage.items.get('rocky-playground:assistant'), '{"endpoint":"http://127.0.0.1:11434/v1"}');
  assert.equal(ASSISTANT_SETTINGS_KEY, 'rocky-playground:assistant');
  assert.equal(assistantSettingsLoad(), '{"endpoint":"http://127.0.0.1:11434/v1"}');
});

test('settings save null removes the key', (t) => {
  const storage = fakeStorage();
  installStorage(t, storage);
  assistantSettingsSave('{}');
  assistantSettingsSave(null);
  assert.equal(storage.items.has(ASSISTANT_SETTINGS_KEY), false);
  assert.equal(assistantSettingsLoad(), null);
});

test('settings save failure names the cause', (t) => {
  const storage = fakeStorage();
  installStorage(t, storage);
  storage.failWith = domException('QuotaExceededError', 'The quota has been exceeded.');
  assert.throws(() => assistantSettingsSave('{}'), {
    name: 'QuotaExceededError',
    message: 'saving the language model settings failed: The quota has been exceeded.',
  });
  assert.throws(() => assistantSettingsSave(null), { message: /^saving the language model settings failed: / });
});

test('settings load failure returns null', (t) => {
  const storage = fakeStorage();
  installStorage(t, storage);
  const warn = t.mock.method(console, 'warn', () => {});
  storage.failWith = domException('SecurityError', 'The operation is insecure.');
  assert.equal(assistantSettingsLoad(), null);
  assert.equal(warn.mock.callCount(), 1);
  assert.equal(warn.mock.calls[0].arguments[1], storage.failWith, 'the warning does not carry the error');
});

test('settings without localStorage', (t) => {
  installStorage(t, undefined);
  t.mock.method(console, 'warn', () => {});
  assert.equal(assistantSettingsLoad(), null);
  assert.throws(() => assistantSettingsSave('{}'), { message: /^saving the language model settings failed: / });
});
