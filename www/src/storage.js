// IndexedDB side of window.rockyBridge (docs/playground-contract.md): the
// page's saved session as one JSON text under one key, so each save
// replaces the whole session in one transaction.

export const DATABASE_NAME = 'rocky-playground';
const DATABASE_VERSION = 1;
const STORE = 'session';
const KEY = 'current';
const OPEN_TIMEOUT_MS = 10000;

let opening = null;

// The bridge rejects with an Error whose `name` the app reads: the
// DOMException's name (QuotaExceededError, ...), or UnavailableError when
// the page has no IndexedDB at all.
function storageError(reason, context) {
  const name = reason?.name ?? 'Error';
  const text = reason?.message ?? String(reason);
  const error = new Error(`${context}: ${text}`);
  error.name = name === 'Error' ? 'UnknownError' : name;
  return error;
}

function unavailable(message) {
  const error = new Error(message);
  error.name = 'UnavailableError';
  return error;
}

function openDatabase() {
  if (opening !== null) return opening;
  opening = new Promise((resolve, reject) => {
    let factory;
    try {
      factory = window.indexedDB;
    } catch (error) {
      // Reading indexedDB throws a SecurityError where storage is blocked.
      reject(unavailable(`IndexedDB is blocked: ${error.message}`));
      return;
    }
    if (!factory) {
      reject(unavailable('the browser has no window.indexedDB'));
      return;
    }
    // A database that exists but does not open may hold a session, so
    // these errors keep their own names and the app does not write over it.
    const timer = setTimeout(() => {
      const error = new Error(`opening IndexedDB timed out after ${OPEN_TIMEOUT_MS / 1000} s`);
      error.name = 'TimeoutError';
      reject(error);
    }, OPEN_TIMEOUT_MS);
    let request;
    try {
      request = factory.open(DATABASE_NAME, DATABASE_VERSION);
    } catch (error) {
      clearTimeout(timer);
      reject(unavailable(`opening IndexedDB failed: ${error.message}`));
      return;
    }
    request.onupgradeneeded = () => {
      if (!request.result.objectStoreNames.contains(STORE)) request.result.createObjectStore(STORE);
    };
    request.onsuccess = () => {
      clearTimeout(timer);
      const database = request.result;
      // Another page that deletes or upgrades the database waits for this
      // connection to close; the next call opens a new one.
      database.onversionchange = () => {
        database.close();
        opening = null;
      };
      database.onclose = () => {
        opening = null;
      };
      resolve(database);
    };
    request.onerror = () => {
      clearTimeout(timer);
      reject(storageError(request.error, 'opening IndexedDB failed'));
    };
    request.onblocked = () => {
      console.warn('rockyBridge: opening IndexedDB waits for another tab to close the database');
    };
  });
  // A failed open is tried again by the next call.
  opening.catch(() => {
    opening = null;
  });
  return opening;
}

function transact(mode, body, context) {
  return openDatabase().then((database) => new Promise((resolve, reject) => {
    let transaction;
    try {
      transaction = database.transaction(STORE, mode);
    } catch (error) {
      opening = null;
      reject(storageError(error, context));
      return;
    }
    let result;
    let request;
    try {
      request = body(transaction.objectStore(STORE));
    } catch (error) {
      reject(storageError(error, context));
      return;
    }
    request.onsuccess = () => {
      result = request.result;
    };
    transaction.oncomplete = () => resolve(result);
    // A failed put reports on the request first and then aborts the
    // transaction; the abort's error is the request's.
    transaction.onabort = () => reject(storageError(transaction.error ?? request.error, context));
    transaction.onerror = (event) => event.preventDefault();
  }));
}

// Returns the record key of a session: `current` for the user's own
// project, another string (such as `shared:<hash>`) for a shared one.
function recordKey(key) {
  return typeof key === 'string' && key !== '' ? key : KEY;
}

// Each session record has a revision record beside it, `revision:<key>`,
// which every save moves up by one. A page remembers the revision it read
// or last wrote, and a save finds another tab's work by a revision it does
// not know.
const known = new Map();

function revisionKey(key) {
  return `revision:${recordKey(key)}`;
}

function conflict() {
  const error = new Error('another tab saved this project after this tab read it');
  error.name = 'ConflictError';
  return error;
}

/** Resolves to the saved session's text under `key` (default `current`), or null when none is saved. */
export function storageLoad(key) {
  let text;
  return transact('readonly', (store) => {
    const read = store.get(recordKey(key));
    read.addEventListener('success', () => {
      text = read.result;
    });
    return store.get(revisionKey(key));
  }, 'reading the saved session failed')
    .then((revision) => {
      known.set(recordKey(key), Number.isInteger(revision) ? revision : 0);
      return typeof text === 'string' ? text : null;
    });
}

/**
 * Returns the revision of the session under `key` that this page read or
 * last wrote, or null before it read one.
 */
export function storageRevision(key) {
  const revision = known.get(recordKey(key));
  return Number.isInteger(revision) ? revision : null;
}

/**
 * Makes this page's next save under `key` check against `revision`
 * instead of the one it read. The page then shows a copy of the session
 * made at that revision, such as the unload copy of a crashed tab, so a
 * save another tab made since must count as a conflict.
 */
export function storageAssumeRevision(key, revision) {
  if (Number.isInteger(revision) && revision >= 0) {
    known.set(recordKey(key), revision);
  }
}

/**
 * Replaces the saved session under `key` (default `current`) with `text`;
 * resolves once the transaction committed. Rejects with a ConflictError,
 * writing nothing, when another tab saved the session since this page read
 * or wrote it, unless `overwrite` is true.
 */
export function storageSave(text, key, overwrite) {
  const record = recordKey(key);
  const context = 'saving the session failed';
  let written;
  let conflicted = false;
  // A put that throws (QuotaExceededError, DataCloneError) inside the
  // listener would escape as an uncaught error, so it is kept here.
  let thrown = null;
  return transact('readwrite', (store) => {
    const read = store.get(revisionKey(key));
    // transact sets the request's onsuccess, so this is a listener.
    read.addEventListener('success', () => {
      const current = Number.isInteger(read.result) ? read.result : 0;
      if (!overwrite && known.has(record) && known.get(record) !== current) {
        conflicted = true;
        read.transaction.abort();
        return;
      }
      try {
        store.put(text, record);
        store.put(current + 1, revisionKey(key));
        written = current + 1;
      } catch (error) {
        thrown = error;
        read.transaction.abort();
      }
    });
    return read;
  }, context)
    .then(() => {
      known.set(record, written);
    }, (error) => {
      if (conflicted) throw conflict();
      throw thrown === null ? error : storageError(thrown, context);
    });
}
