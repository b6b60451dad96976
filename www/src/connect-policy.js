// Narrows where the page may send requests. index.html's policy allows any
// http: or https: address, because the language model endpoint is the
// user's own. Before anything else runs, this module adds a second policy
// that allows only the page's origin and the origin of the endpoint in the
// saved settings. A browser enforces both policies, so the narrower one
// applies. A policy can only be added, never widened, so an endpoint set
// after load is reached after a reload, as assistantChat's error states.

import { assistantSettingsLoad } from './assistant.js';

/** The endpoint origin the policy allows, or null; undefined before it applies. */
let allowedOrigin;

/**
 * Returns the origin of the `endpoint` in the settings text, or null when
 * there is none or it is not an http: or https: URL.
 */
export function endpointOrigin(settingsText) {
  let endpoint;
  try {
    endpoint = JSON.parse(settingsText ?? 'null')?.endpoint;
  } catch {
    return null;
  }
  if (typeof endpoint !== 'string' || endpoint.trim() === '') {
    return null;
  }
  try {
    const url = new URL(endpoint.trim());
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : null;
  } catch {
    return null;
  }
}

/** Adds the narrower policy to `doc`, once. */
export function applyConnectPolicy(doc) {
  if (allowedOrigin !== undefined) {
    return;
  }
  allowedOrigin = endpointOrigin(assistantSettingsLoad());
  const meta = doc.createElement('meta');
  meta.httpEquiv = 'Content-Security-Policy';
  meta.content = allowedOrigin ? `connect-src 'self' ${allowedOrigin}` : "connect-src 'self'";
  meta.dataset.rockyPolicy = 'connect';
  doc.head.append(meta);
}

/**
 * Returns null when the page may send a request to `url`, else why not as
 * a sentence. Before the policy applies (under Node, say) every URL may.
 */
export function connectRefusal(url) {
  if (allowedOrigin === undefined) {
    return null;
  }
  const parsed = new URL(url);
  const origin = parsed.origin;
  if (origin === globalThis.location?.origin) {
    return null;
  }
  // A policy's sources cannot name an IPv6 address, so Chromium parses
  // http://[::1]:11434 as another source and blocks the request.
  if (parsed.hostname.startsWith('[')) {
    return `the page's request policy cannot allow an IPv6 address such as ${parsed.hostname}; `
      + 'use a host name for the endpoint instead, such as localhost';
  }
  if (origin === allowedOrigin) {
    return null;
  }
  const allowed = allowedOrigin ? `this page's origin and ${allowedOrigin}` : "this page's origin";
  return `the page was loaded allowing requests to ${allowed} only, so reload it to reach ${origin}`;
}

/**
 * Returns true when the policy in force does not allow the endpoint of the
 * settings text `settingsText`, so the page must reload to reach it.
 */
export function needsReload(settingsText) {
  if (allowedOrigin === undefined) {
    return false;
  }
  const origin = endpointOrigin(settingsText);
  return origin !== null && origin !== allowedOrigin && origin !== globalThis.location?.origin;
}
