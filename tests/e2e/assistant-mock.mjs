// A stand-in for an OpenAI-compatible chat completions server, for the
// unit tests of www/src/assistant.js and the browser tests. It listens on
// 127.0.0.1 only and records every chat request it receives.

import { createServer } from 'node:http';

const HOST = '127.0.0.1';
const CHAT_PATH = '/v1/chat/completions';
const DEFAULT_REPLY = () => 'mock reply';

/**
 * Starts the mock server on a free port. Resolves to
 * `{url, requests, stop, setReply}`:
 * - `url` is the base to enter as the endpoint, `http://127.0.0.1:<port>/v1`.
 * - `requests` receives `{headers, body}` for each POST to
 *   /v1/chat/completions, with `body` parsed (null when it is not JSON).
 * - `setReply(fn)` replaces `reply`.
 * - `stop()` closes the server and every connection, and resolves once closed.
 *
 * `reply(body)` (it may be async) returns the assistant's content as a
 * string, which is sent in a chat completions response whose `model` is
 * body.model, or `{status, json}` or `{status, text}` to send that instead.
 * `allowOrigin` is the Access-Control-Allow-Origin of every response; with
 * null no CORS header is sent, so a browser rejects the response.
 * `delayMs` delays the response to every POST.
 */
export async function startAssistantMock({ reply = DEFAULT_REPLY, allowOrigin = '*', delayMs = 0 } = {}) {
  let replyFunction = reply;
  const requests = [];
  const timers = new Set();

  const corsHeaders = (extra = {}) => (allowOrigin === null
    ? extra
    : { 'Access-Control-Allow-Origin': allowOrigin, ...extra });

  const send = (response, status, headers, text) => {
    response.writeHead(status, corsHeaders(headers));
    response.end(text);
  };
  const sendJson = (response, status, json) => {
    send(response, status, { 'Content-Type': 'application/json' }, JSON.stringify(json));
  };

  const respondToChat = async (response, body) => {
    let result;
    try {
      result = await replyFunction(body);
    } catch (error) {
      sendJson(response, 500, { error: { message: `the mock reply function threw: ${error.message}` } });
      return;
    }
    const isObject = typeof result === 'object' && result !== null;
    if (typeof result === 'string') {
      sendJson(response, 200, completion(body, result));
    } else if (isObject && 'json' in result) {
      sendJson(response, result.status ?? 200, result.json);
    } else if (isObject && 'text' in result) {
      send(response, result.status ?? 200, { 'Content-Type': 'text/plain; charset=utf-8' }, String(result.text));
    } else {
      sendJson(response, 500, { error: { message: 'the mock reply function returned neither a string, {json} nor {text}' } });
    }
  };

  // An invalid status from the reply function makes writeHead throw. The
  // connection is then closed, so the client's request fails at once.
  const respond = (response, body) => {
    respondToChat(response, body).catch((error) => {
      console.error('assistant mock: sending the chat response failed', error);
      response.destroy();
    });
  };

  const server = createServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      const path = new URL(request.url, `http://${HOST}`).pathname;
      if (request.method === 'OPTIONS') {
        send(response, 204, allowOrigin === null ? {} : {
          'Access-Control-Allow-Methods': 'POST, OPTIONS',
          'Access-Control-Allow-Headers': 'authorization, content-type',
        }, '');
        return;
      }
      if (path !== CHAT_PATH) {
        sendJson(response, 404, { error: { message: 'not found' } });
        return;
      }
      if (request.method !== 'POST') {
        send(response, 405, { 'Content-Type': 'application/json', Allow: 'POST, OPTIONS' },
          JSON.stringify({ error: { message: `${request.method} is not allowed; use POST` } }));
        return;
      }
      let body = null;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        body = null;
      }
      requests.push({ headers: request.headers, body });
      if (body === null) {
        sendJson(response, 400, { error: { message: 'the request body is not JSON' } });
        return;
      }
      if (delayMs <= 0) {
        respond(response, body);
        return;
      }
      const timer = setTimeout(() => {
        timers.delete(timer);
        respond(response, body);
      }, delayMs);
      timers.add(timer);
    });
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address();

  const stop = () => new Promise((resolve) => {
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
    server.close(() => resolve());
    // close() waits for open connections, such as fetch's kept-alive ones
    // and those whose response is delayed.
    server.closeAllConnections();
  });

  return {
    url: `http://${HOST}:${port}/v1`,
    requests,
    stop,
    setReply(next) {
      replyFunction = next;
    },
  };
}

function completion(body, content) {
  return {
    id: `chatcmpl-mock-${Date.now()}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: body.model,
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
  };
}
