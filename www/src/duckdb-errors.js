// DuckDB's errors as the page shows them: its JSON form made text, the
// reason for a read the page's policy blocked, and what a WebAssembly trap
// in DuckDB's worker means. Kept apart from duckdb.js so that Node tests
// import them without DuckDB.

/**
 * Rewrites an error whose message is DuckDB's JSON form, as some parser
 * errors come, into DuckDB's text form: `Parser Error: syntax error…`.
 */
export function withPlainMessage(error) {
  if (!error.message.startsWith('{')) return error;
  try {
    const { exception_type: type, exception_message: message } = JSON.parse(error.message);
    if (typeof type === 'string' && typeof message === 'string') {
      return new Error(`${type} Error: ${message}`);
    }
  } catch {
    // Not JSON after all: the message stays as it is.
  }
  return error;
}

/**
 * Adds the reason to DuckDB's error for a file the page's policy blocked,
 * which DuckDB reports as a failed XMLHttpRequest.
 */
export function explainBlockedRead(error) {
  const blocked = /NetworkError: .*Failed to load '([^']+)'/.exec(error.message);
  if (!blocked) {
    return error;
  }
  return new Error(`${error.message}\nThe page reads files from its own origin only, so DuckDB may not read `
    + `${blocked[1]}; add the file to the project's data/ folder instead.`);
}

/**
 * The messages of WebAssembly traps in V8, which the worker passes on as a
 * statement's whole error. After a trap DuckDB's memory may be inconsistent,
 * so its database is not used again.
 */
const TRAP = new RegExp('^(unreachable|memory access out of bounds|divide by zero|remainder by zero'
  + '|float unrepresentable in integer range|table index is out of bounds'
  + '|(null function or )?function signature mismatch|data segment out of bounds'
  + '|element segment out of bounds|Maximum call stack size exceeded)$');

/** Matches SQL that names a time zone or a timestamp with one. */
const TIME_ZONE = /time\s+zone|timezone|timestamptz|now\(\)|current_timestamp/i;

/**
 * Returns the error of a statement that trapped in DuckDB's worker. The
 * page's DuckDB lacks the ICU extension, and without it time zone
 * functions trap instead of failing: `timezone('UTC', ts)`, `AT TIME
 * ZONE` and `extract` or `date_trunc` of a TIMESTAMP WITH TIME ZONE.
 */
export function trapError(operation, message, sql) {
  const timeZones = 'need DuckDB\'s ICU extension, which this page does not include, so cast '
    + 'a TIMESTAMP WITH TIME ZONE to TIMESTAMP before AT TIME ZONE, date_trunc or extract.';
  let hint;
  if (TIME_ZONE.test(sql)) {
    hint = `The statement uses a time zone: time zone functions ${timeZones}`;
  } else if (message === 'memory access out of bounds') {
    hint = 'Most likely DuckDB ran out of memory.';
  } else {
    hint = `If a model it reads uses a time zone function, those ${timeZones}`;
  }
  return new Error(`${operation} crashed DuckDB ("${message}"), so the page started a new database, `
    + `and the next run builds every model again. ${hint}`);
}

/**
 * Adds to DuckDB's error for a function or setting of an extension, whose
 * advice to INSTALL and LOAD it cannot work here, what the page offers.
 */
export function explainMissingExtension(error) {
  const missing = /exists in the (\w+) extension/.exec(error.message);
  if (!missing) {
    return error;
  }
  const extension = missing[1];
  const hint = extension === 'icu'
    ? ' Without it, time zones, current_date and TIMESTAMP WITH TIME ZONE arithmetic are not available;'
      + ' current_timestamp::TIMESTAMP gives the time in UTC and current_timestamp::TIMESTAMP::DATE the date.'
    : '';
  return new Error(`${error.message}\nThe page's DuckDB loads no extensions, so ${extension} cannot be installed `
    + `or loaded here.${hint}`);
}

/** Returns true when `message` is that of a WebAssembly trap. */
export function isTrap(message) {
  return TRAP.test(message);
}
