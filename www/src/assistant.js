// Language model side of window.rockyBridge (docs/playground-contract.md):
// the settings text in localStorage, and one request to an OpenAI-compatible
// chat completions endpoint (OpenAI, Ollama, vLLM). assistantChat uses only
// fetch, AbortController and timers, so it also runs under Node.

import { connectRefusal, needsReload } from './connect-policy.js';

export const ASSISTANT_SETTINGS_KEY = 'rocky-playground:assistant';

const DEFAULT_TIMEOUT_MS = 60000;
// setTimeout fires at once for a delay above 2^31 - 1 ms.
const MAX_TIMEOUT_MS = 2 ** 31 - 1;
const TEMPERATURE = 0.2;
const MAX_SERVER_MESSAGE_CHARS = 300;
const FAILURE = 'the language model request failed: ';

/**
 * Returns the settings text stored under ASSISTANT_SETTINGS_KEY, or null
 * when none is stored or localStorage cannot be read. It never throws.
 */
export function assistantSettingsLoad() {
  try {
    const value = globalThis.localStorage.getItem(ASSISTANT_SETTINGS_KEY);
    return typeof value === 'string' ? value : null;
  } catch (error) {
    // Reading localStorage throws a SecurityError where storage is blocked,
    // and a TypeError where the global does not exist.
    console.warn('rockyBridge: reading the language model settings from localStorage failed', error);
    return null;
  }
}

/**
 * Stores `text` under ASSISTANT_SETTINGS_KEY, or removes the key when
 * `text` is null. Throws an Error named like the DOMException
 * (QuotaExceededError, SecurityError, ...) when localStorage throws. When
 * the page's request policy does not allow the new endpoint, the page
 * reloads, which applies a policy that does (connect-policy.js).
 */
export function assistantSettingsSave(text) {
  try {
    if (text === null) globalThis.localStorage.removeItem(ASSISTANT_SETTINGS_KEY);
    else globalThis.localStorage.setItem(ASSISTANT_SETTINGS_KEY, String(text));
  } catch (reason) {
    const error = new Error(`saving the language model settings failed: ${reason?.message ?? String(reason)}`);
    if (reason?.name && reason.name !== 'Error') error.name = reason.name;
    throw error;
  }
  if (text !== null && needsReload(String(text))) {
    globalThis.location.reload();
  }
}

function failure(reason, options) {
  return new Error(FAILURE + reason, options);
}

// Returns the chat completions URL for the base `endpoint`
// (`http://127.0.0.1:11434/v1` gives `.../v1/chat/completions`). A query
// string is kept after the new path, and a fragment is dropped.
function chatCompletionsUrl(endpoint) {
  let url;
  try {
    url = new URL(String(endpoint));
  } catch {
    url = null;
  }
  if (url === null || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw failure(`the endpoint ${JSON.stringify(String(endpoint))} is not an absolute http: or https: URL`);
  }
  // fetch rejects a URL with credentials in it, and the message must not
  // repeat a password, so only the host is named.
  if (url.username !== '' || url.password !== '') {
    throw failure(`the endpoint for ${url.host} contains a user name or password; `
      + 'remove it and put the key in the API key setting');
  }
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/chat/completions`;
  url.hash = '';
  return url.href;
}

// Builds the request headers. The Headers constructor rejects a value with
// a line break or a character outside Latin-1, and its message repeats the
// value, so that message is replaced by one without the key.
function requestHeaders(apiKey) {
  const headers = new Headers({ 'Content-Type': 'application/json' });
  const key = typeof apiKey === 'string' ? apiKey.trim() : '';
  if (key === '') return headers;
  try {
    headers.set('Authorization', `Bearer ${key}`);
  } catch {
    throw failure('the API key contains characters that an HTTP header cannot carry (line breaks, or characters outside Latin-1)');
  }
  return headers;
}

// Returns `: message` for an error body in the OpenAI shape
// ({error: {message}} or {error: "message"}), cut to 300 characters, or ''.
function serverMessage(text) {
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    return '';
  }
  const error = body?.error;
  const message = typeof error === 'string' ? error : error?.message;
  if (typeof message !== 'string' || message.trim() === '') return '';
  const trimmed = message.trim();
  if (trimmed.length <= MAX_SERVER_MESSAGE_CHARS) return `: ${trimmed}`;
  return `: ${trimmed.slice(0, MAX_SERVER_MESSAGE_CHARS - 1)}…`;
}

// The shortest key that is masked in messages. A shorter one also occurs
// as ordinary text, so masking it would garble the message and show where
// the key's characters are.
const MIN_MASKED_KEY_CHARS = 8;

// Replaces every occurrence of the API key in `message`, since a server
// may repeat the Authorization header in its error message.
function withoutKey(message, apiKey) {
  const key = typeof apiKey === 'string' ? apiKey.trim() : '';
  return key.length < MIN_MASKED_KEY_CHARS ? message : message.replaceAll(key, '[API key]');
}

/**
 * Sends `messages` ({role, content}[]) to the chat completions endpoint
 * under the base URL `endpoint` and resolves to {content, model}: the
 * reply's choices[0].message.content and its `model`, or null for a reply
 * without one. `apiKey` is sent as a Bearer token when it is not empty.
 * `timeoutMs` (default 60000) covers the request and reading the reply.
 * Every failure rejects with an Error whose message starts with
 * "the language model request failed: " and never contains the key.
 */
export async function assistantChat(request) {
  const { endpoint, apiKey, model, messages, timeoutMs } = request ?? {};
  try {
    return await chat(endpoint, apiKey, model, messages, timeoutMs);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const full = message.startsWith(FAILURE) ? message : FAILURE + message;
    throw new Error(withoutKey(full, apiKey), { cause: error?.cause });
  }
}

async function chat(endpoint, apiKey, model, messages, timeoutMs) {
  const url = chatCompletionsUrl(endpoint);
  const refusal = connectRefusal(url);
  if (refusal) throw failure(refusal);
  if (typeof model !== 'string') throw failure('the model name is missing');
  if (!Array.isArray(messages)) throw failure('messages is not an array of {role, content}');
  const headers = requestHeaders(apiKey);
  let body;
  try {
    body = JSON.stringify({ model, messages, temperature: TEMPERATURE, stream: false });
  } catch (error) {
    throw failure(`the messages cannot be written as JSON: ${error?.message ?? String(error)}`);
  }
  const timeout = typeof timeoutMs === 'number' && timeoutMs > 0
    ? Math.min(timeoutMs, MAX_TIMEOUT_MS)
    : DEFAULT_TIMEOUT_MS;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeout);
  const timedOut = () => failure(`timed out after ${timeout / 1000} s`);
  try {
    let response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers,
        body,
        credentials: 'omit',
        referrerPolicy: 'no-referrer',
        cache: 'no-store',
        signal: controller.signal,
      });
    } catch (error) {
      if (controller.signal.aborted) throw timedOut();
      // Browsers report a CORS refusal as the same TypeError as a refused
      // connection, so the message names both causes.
      throw failure(`could not reach ${url} (is the server running, and does it allow this page's origin? `
        + 'see CORS in docs/intent.md)', { cause: error });
    }
    let text;
    try {
      text = await response.text();
    } catch (error) {
      if (controller.signal.aborted) throw timedOut();
      throw failure(`reading the reply from ${url} failed: ${error?.message ?? String(error)}`);
    }
    if (!response.ok) {
      const status = `${response.status} ${response.statusText}`.trim();
      throw failure(`${url} answered HTTP ${status}${serverMessage(text)}`);
    }
    let reply;
    try {
      reply = JSON.parse(text);
    } catch {
      throw failure('the reply is not JSON');
    }
    const content = reply?.choices?.[0]?.message?.content;
    if (typeof content !== 'string') throw failure('the reply has no choices[0].message.content');
    return { content, model: typeof reply.model === 'string' ? reply.model : null };
  } finally {
    clearTimeout(timer);
  }
}
