// Completion in a model's sidecar, models/<name>.toml (docs/intent.md):
// invariant phrases, column names and the sidecar's keys. The editor shows
// the sidecar in SQL mode, so this module reads the TOML text before the
// cursor with a small scanner of its own instead of the syntax tree.

const BARE_KEY_CHARACTER = /^[A-Za-z0-9_-]$/;
const BARE_KEY = /^[A-Za-z0-9_-]+$/;
const BARE_KEY_TYPED = /^[A-Za-z0-9_-]*$/;
const WORD_END = /[\p{L}\p{N}_$]*$/u;
const DOTTED_WORD_END = /[\p{L}\p{N}_$.]*$/u;
const WORD_TYPED = /^[\p{L}\p{N}_$]*$/u;
const DOTTED_WORD_TYPED = /^[\p{L}\p{N}_$.]*$/u;

// The phrases that a list of columns follows (model scope) and those that
// a `model.column` follows (column scope), as rocky_core's vocabulary
// parser reads them: any case, any whitespace between the words.
const COLUMN_LIST_START = /^\s*(?:one\s+row\s+per|unique\s+(?:per|on|by))\s+/i;
const COLUMN_LIST_SEPARATOR = /(?:,\s*|\s+and\s+)$/i;
const REFERENCE_START = /^\s*(?:references|refers\s+to|foreign\s+key\s+to)\s+/i;

/**
 * Returns the completions at offset `pos` of the sidecar `text`, as
 * {from, options, validFor} or, for invariant phrases, {from, options,
 * filter: false} for CodeMirror, or null where none apply.
 * `sidecar` is setEditorModelInfo's `info.sidecar` and `tables` its
 * `info.tables`. It reads only the text before `pos` and never throws on
 * malformed TOML or malformed `sidecar` and `tables` values.
 */
export function sidecarCompletionsAt(text, pos, sidecar, tables) {
  if (typeof text !== 'string' || !Number.isInteger(pos) || pos < 0 || pos > text.length) return null;
  const data = sidecarData(sidecar, tables);
  const context = scanToml(text.slice(0, pos));
  let found = null;
  if (context.kind === 'string') found = stringCompletions(context, data, pos);
  else if (context.kind === 'header') found = headerCompletions(context, data);
  else if (context.kind === 'key') found = keyCompletions(context, data);
  return found && found.options.length > 0 ? found : null;
}

// ---- Inputs ----

function namedEntries(value, field) {
  if (!Array.isArray(value)) return [];
  return value.filter((entry) => typeof entry === 'object' && entry !== null
    && typeof entry[field] === 'string' && entry[field] !== '');
}

function sidecarData(sidecar, tables) {
  const input = typeof sidecar === 'object' && sidecar !== null ? sidecar : {};
  return {
    model: typeof input.model === 'string' ? input.model : '',
    columns: namedEntries(input.columns, 'name'),
    vocabulary: namedEntries(input.vocabulary, 'phrase'),
    keys: namedEntries(input.keys, 'name'),
    tables: namedEntries(tables, 'name').map((table) => ({ name: table.name, columns: namedEntries(table.columns, 'name') })),
  };
}

// ---- Scanner ----
//
// A frame is the root table, an array or an inline table. `path` is the
// key path of the frame's values (null after an invalid header), `mode`
// what the frame reads next, and `keyParts` the dotted key read so far.
// Elements of an array get the path of the array plus '[]'.

function frame(kind, path) {
  return { kind, path, mode: kind === 'array' ? 'value' : 'key', keyParts: [] };
}

// Returns the key path that a value read next in `top` is stored under.
function valuePath(top) {
  if (top.path === null) return null;
  if (top.kind === 'array') return [...top.path, '[]'];
  return [...top.path, ...top.keyParts];
}

function readsKey(top) {
  return top.kind !== 'array' && (top.mode === 'key' || top.mode === 'afterDot');
}

/**
 * Reads a TOML string starting at `start`, at a quote. Returns {quote,
 * multiline, contentStart, end, closed, value}. A single-line string ends
 * at a line break without being closed, and `end` is then the line break.
 */
function readString(source, start) {
  const quote = source[start];
  const multiline = source.startsWith(quote.repeat(3), start);
  const contentStart = start + (multiline ? 3 : 1);
  const escapes = quote === '"';
  let j = contentStart;
  while (j < source.length) {
    const c = source[j];
    if (escapes && c === '\\' && j + 1 < source.length && (multiline || source[j + 1] !== '\n')) {
      j += 2;
      continue;
    }
    if (!multiline && c === '\n') break;
    if (multiline ? source.startsWith(quote.repeat(3), j) : c === quote) {
      const contentEnd = j;
      const end = j + (multiline ? 3 : 1);
      const raw = source.slice(contentStart, contentEnd);
      return { quote, multiline, contentStart, end, closed: true, value: escapes ? raw.replace(/\\(.)/gs, '$1') : raw };
    }
    j++;
  }
  return { quote, multiline, contentStart, end: j, closed: false, value: source.slice(contentStart, j) };
}

/**
 * Reads a table header from the `[` at `start`. Returns {end, path} for a
 * complete header (path null when it is invalid), or {incomplete: true,
 * double, parts, partial} when the text ends inside it. `partial` is the
 * bare key being typed, {from, text}, or null.
 */
function readHeader(source, start) {
  const n = source.length;
  let j = start + 1;
  const double = source[j] === '[';
  if (double) j++;
  const parts = [];
  let expectPart = true;
  const invalid = (end) => ({ end, path: null });
  while (j < n) {
    const c = source[j];
    if (c === ' ' || c === '\t') {
      j++;
    } else if (c === '\n' || c === '#') {
      return invalid(j);
    } else if (expectPart && (c === '"' || c === "'")) {
      const string = readString(source, j);
      if (!string.closed) return string.end === n ? { incomplete: true, double, parts, partial: null } : invalid(string.end);
      parts.push(string.value);
      j = string.end;
      expectPart = false;
    } else if (expectPart && BARE_KEY_CHARACTER.test(c)) {
      let k = j;
      while (k < n && BARE_KEY_CHARACTER.test(source[k])) k++;
      if (k === n) return { incomplete: true, double, parts, partial: { from: j, text: source.slice(j) } };
      parts.push(source.slice(j, k));
      j = k;
      expectPart = false;
    } else if (!expectPart && c === '.') {
      expectPart = true;
      j++;
    } else if (!expectPart && c === ']') {
      if (!double) return { end: j + 1, path: parts };
      if (source[j + 1] === ']') return { end: j + 2, path: [...parts, '[]'] };
      return j + 1 === n ? { incomplete: true, double, parts, partial: null } : invalid(j + 1);
    } else {
      return invalid(j + 1);
    }
  }
  return { incomplete: true, double, parts, partial: expectPart ? { from: n, text: '' } : null };
}

/**
 * Reads `source`, the text before the cursor, and returns where it ends:
 * {kind: 'string', quote, contentStart, content, path, element} inside a
 * single-line string value, {kind: 'header', ...} inside a table header,
 * {kind: 'key', from, tablePath} at a bare key typed at the start of a line
 * of the root frame, or {kind: 'other'}.
 */
function scanToml(source) {
  const n = source.length;
  const root = frame('root', []);
  const frames = [root];
  let lineStart = 0;
  let i = 0;
  while (i < n) {
    const top = frames.at(-1);
    const c = source[i];
    if (c === '\n') {
      // TOML 1.0 inline tables end on their line. Leaving them at the line
      // break keeps an unclosed `{` from hiding every line below it.
      while (frames.at(-1).kind === 'inline') frames.pop();
      if (frames.at(-1) === root) {
        root.mode = 'key';
        root.keyParts = [];
      }
      i++;
      lineStart = i;
    } else if (c === ' ' || c === '\t' || c === '\r') {
      i++;
    } else if (c === '#') {
      const end = source.indexOf('\n', i);
      if (end < 0) return { kind: 'other' };
      i = end;
    } else if (c === '"' || c === "'") {
      const string = readString(source, i);
      if (!string.closed && string.end === n) {
        if (string.multiline || top.mode !== 'value') return { kind: 'other' };
        const element = top.kind === 'array';
        const path = element ? top.path : valuePath(top);
        return { kind: 'string', quote: string.quote, contentStart: string.contentStart,
          content: source.slice(string.contentStart), path, element };
      }
      if (readsKey(top)) {
        top.keyParts.push(string.value);
        top.mode = 'afterKeyPart';
      } else {
        top.mode = 'afterValue';
      }
      i = string.end;
    } else if (c === '[' && top === root && root.mode === 'key') {
      const header = readHeader(source, i);
      if (header.incomplete) return { kind: 'header', ...header };
      root.path = header.path;
      root.mode = 'afterValue';
      i = header.end;
    } else if ((c === '[' || c === '{') && top.mode === 'value') {
      const path = valuePath(top);
      top.mode = 'afterValue';
      frames.push(frame(c === '[' ? 'array' : 'inline', path));
      i++;
    } else if (c === ']' && top.kind === 'array') {
      frames.pop();
      i++;
    } else if (c === '}' && top.kind === 'inline') {
      frames.pop();
      i++;
    } else if (c === '=' && top.kind !== 'array' && top.mode === 'afterKeyPart') {
      top.mode = 'value';
      i++;
    } else if (c === '.' && top.kind !== 'array' && top.mode === 'afterKeyPart') {
      top.mode = 'afterDot';
      i++;
    } else if (c === ',' && top.kind !== 'root') {
      top.mode = top.kind === 'array' ? 'value' : 'key';
      top.keyParts = [];
      i++;
    } else if (readsKey(top) && BARE_KEY_CHARACTER.test(c)) {
      let j = i;
      while (j < n && BARE_KEY_CHARACTER.test(source[j])) j++;
      if (j === n) {
        const atLineStart = top === root && root.mode === 'key' && source.slice(lineStart, i).trim() === '';
        return atLineStart ? { kind: 'key', from: i, tablePath: root.path } : { kind: 'other' };
      }
      top.keyParts.push(source.slice(i, j));
      top.mode = 'afterKeyPart';
      i = j;
    } else if (top.mode === 'value') {
      // A number, boolean or date, which may contain spaces.
      let j = i;
      while (j < n && !',]}#\n'.includes(source[j])) j++;
      if (j === n) return { kind: 'other' };
      top.mode = 'afterValue';
      // A terminator that no branch above takes, such as `,` in the root
      // frame, is skipped.
      i = Math.max(j, i + 1);
    } else {
      i++;
    }
  }
  if (frames.at(-1) === root && root.mode === 'key' && source.slice(lineStart).trim() === '') {
    return { kind: 'key', from: n, tablePath: root.path };
  }
  return { kind: 'other' };
}

// ---- Options ----

function samePath(path, expected) {
  return path !== null && path.length === expected.length && expected.every((part, i) => path[i] === part);
}

// Returns the text that puts `value` into a string of `quote`, or null
// when a literal string cannot contain it.
function inString(value, quote) {
  if (quote === '"') return value.replaceAll('\\', '\\\\').replaceAll('"', '\\"');
  return value.includes("'") ? null : value;
}

// Returns a completion option for `column`, with its type and description
// when the column has them.
function columnOption(label, apply, column) {
  const option = { label, apply, type: 'property' };
  if (typeof column.type === 'string') option.detail = column.type;
  if (typeof column.description === 'string') option.info = column.description;
  return option;
}

function columnOptions(columns, quote) {
  const options = [];
  for (const column of columns) {
    const apply = inString(column.name, quote);
    if (apply === null) continue;
    options.push(columnOption(column.name, apply, column));
  }
  return options;
}

function normalizePhrase(text) {
  return text.trimStart().replace(/\s+/g, ' ').toLowerCase();
}

// Returns the text after a phrase that a column list or a reference
// follows, in the given scope, or null when the content starts otherwise.
function afterColumnPhrase(content, scope) {
  const start = (scope === 'model' ? COLUMN_LIST_START : REFERENCE_START).exec(content);
  return start ? content.slice(start[0].length) : null;
}

// Returns the invariant string's scope from its key path: 'model' for the
// top-level `invariants`, the column name for `columns.<name>.invariants`,
// or null for any other string.
function invariantScope(path) {
  if (samePath(path, ['invariants'])) return { scope: 'model', column: null };
  if (path !== null && path.length === 3 && path[0] === 'columns' && path[2] === 'invariants') {
    return { scope: 'column', column: path[1] };
  }
  return null;
}

function stringCompletions(context, data, pos) {
  const { content, quote } = context;
  if (samePath(context.path, ['grain'])) {
    const word = WORD_END.exec(content)[0];
    if (content.slice(0, content.length - word.length).trim() !== '') return null;
    return { from: pos - word.length, options: columnOptions(data.columns, quote), validFor: WORD_TYPED };
  }
  const where = invariantScope(context.path);
  if (where === null) return null;
  const rest = afterColumnPhrase(content, where.scope);
  if (rest !== null) return where.scope === 'model' ? columnListCompletions(rest, data, quote, pos)
    : referenceCompletions(rest, data, quote, pos);
  const typed = normalizePhrase(content);
  const options = [];
  for (const entry of data.vocabulary) {
    if (entry.scope !== where.scope || !normalizePhrase(entry.phrase).startsWith(typed)) continue;
    const apply = inString(typeof entry.insert === 'string' ? entry.insert : entry.phrase, quote);
    if (apply === null) continue;
    const option = { label: entry.phrase, apply, type: 'keyword', detail: entry.scope };
    if (typeof entry.description === 'string') option.info = entry.description;
    options.push(option);
  }
  // The options are already filtered by prefix, with any case and any run
  // of whitespace, so CodeMirror does not filter them again. Without a
  // validFor it calls the source again on every keystroke, which also
  // switches to the columns once `one row per ` or `references ` is complete.
  return { from: context.contentStart, options, filter: false };
}

// Offers the model's columns after `one row per `, and after a `,` or
// `and` that ends a column of the list.
function columnListCompletions(rest, data, quote, pos) {
  const word = WORD_END.exec(rest)[0];
  const before = rest.slice(0, rest.length - word.length);
  if (before !== '' && !COLUMN_LIST_SEPARATOR.test(before)) return null;
  return { from: pos - word.length, options: columnOptions(data.columns, quote), validFor: WORD_TYPED };
}

// Offers `table.column` of every other table after `references `.
function referenceCompletions(rest, data, quote, pos) {
  const word = DOTTED_WORD_END.exec(rest)[0];
  if (rest.length !== word.length) return null;
  const model = data.model.toLowerCase();
  const options = [];
  for (const table of data.tables) {
    if (table.name.toLowerCase() === model) continue;
    for (const column of table.columns) {
      const label = `${table.name}.${column.name}`;
      const apply = inString(label, quote);
      if (apply === null) continue;
      options.push(columnOption(label, apply, column));
    }
  }
  return { from: pos - word.length, options, validFor: DOTTED_WORD_TYPED };
}

// Offers the model's columns in a `[columns.` header.
function headerCompletions(context, data) {
  if (context.double || context.partial === null || !samePath(context.parts, ['columns'])) return null;
  const options = columnOptions(data.columns, '"').map((option) => ({
    ...option,
    apply: BARE_KEY.test(option.label) ? option.label : `"${option.apply}"`,
  }));
  return { from: context.partial.from, options, validFor: BARE_KEY_TYPED };
}

// Offers the sidecar's keys at the start of a line. A key entry with a
// `scope` of 'model' or 'column' is offered only at the top level or only
// in a `[columns.<name>]` table, and one without a scope everywhere.
function keyCompletions(context, data) {
  const path = context.tablePath;
  let scope = null;
  if (samePath(path, [])) scope = 'model';
  else if (path !== null && path.length === 2 && path[0] === 'columns') scope = 'column';
  const options = [];
  for (const entry of data.keys) {
    if (typeof entry.scope === 'string' && entry.scope !== scope) continue;
    const option = { label: entry.name, apply: `${entry.name} = `, type: 'keyword' };
    if (typeof entry.description === 'string') option.info = entry.description;
    options.push(option);
  }
  return { from: context.from, options, validFor: BARE_KEY_TYPED };
}
