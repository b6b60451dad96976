// The compiler's data about the open model (setEditorModelInfo in
// docs/playground-contract.md), kept in the editor state for hover and
// completion, and the lookups both make.
//
// The positions come from the latest compile in which the model parsed, so
// they are moved onto the text being edited: first across the difference
// between that compile's text and the editor's, then through every edit.

import { ChangeSet, StateEffect, StateField, Text } from '@codemirror/state';
import { ensureSyntaxTree, syntaxTree } from '@codemirror/language';
import { offsetOf } from './positions.js';

/** The effect that replaces the model info; its value comes from prepareModelInfo, or is null. */
export const setModelInfo = StateEffect.define();

// Returns the changes that turn `base` into `current`, as one replacement
// between their common prefix and suffix. For a single edit, or edits close
// together, this maps positions exactly.
function changesBetween(base, current) {
  const limit = Math.min(base.length, current.length);
  let start = 0;
  while (start < limit && base.charCodeAt(start) === current.charCodeAt(start)) start++;
  let end = 0;
  while (end < limit - start
    && base.charCodeAt(base.length - 1 - end) === current.charCodeAt(current.length - 1 - end)) end++;
  if (start === base.length && start === current.length) return ChangeSet.empty(base.length);
  return ChangeSet.of([{ from: start, to: base.length - end, insert: current.slice(start, current.length - end) }],
    base.length);
}

const NAME_CHARACTER = /[\p{L}\p{N}_$"]/u;

// Returns true when the text at from..to still reads `text` as a whole
// name, with no name character typed right before or after it.
function sameName(doc, from, to, text) {
  return from < to && doc.sliceString(from, to) === text
    && !NAME_CHARACTER.test(doc.sliceString(Math.max(0, from - 1), from))
    && !NAME_CHARACTER.test(doc.sliceString(to, Math.min(doc.length, to + 1)));
}

// Moves the info through `changes`. A column name whose text changed is
// dropped, because its type may no longer hold. Scopes grow with text typed
// at their ends, so what is typed at the end of a SELECT stays inside it.
function mapInfo(info, changes, doc) {
  if (changes.empty) return info;
  const uses = info.uses
    .map((use) => ({ ...use, from: changes.mapPos(use.from, 1), to: changes.mapPos(use.to, -1) }))
    .filter((use) => sameName(doc, use.from, use.to, use.text));
  const scopes = info.scopes
    .map((scope) => ({ ...scope, from: changes.mapPos(scope.from, 1), to: changes.mapPos(scope.to, 1) }))
    .filter((scope) => scope.from < scope.to);
  return { ...info, uses, scopes };
}

/**
 * Converts the bridge's model info (positions in `info.text`) into offsets
 * of `doc`, the editor's current text. Returns null for null. A sidecar's
 * info keeps `info.sidecar` as it is, and has null there otherwise.
 */
export function prepareModelInfo(doc, info) {
  if (!info) return null;
  const base = Text.of(String(info.text ?? '').split(/\r\n?|\n/));
  const range = (item) => ({
    from: offsetOf(base, item.line, item.column),
    to: offsetOf(base, item.endLine, item.endColumn),
  });
  const uses = (info.columnUses ?? []).map((use) => {
    const { from, to } = range(use);
    return {
      from,
      to,
      text: base.sliceString(from, to),
      name: String(use.name),
      table: use.table ?? null,
      type: String(use.type),
      source: use.source ?? null,
    };
  });
  const scopes = (info.scopes ?? []).map((scope) => ({ ...range(scope), tables: scope.tables ?? [] }));
  const prepared = { key: parseKey(info), uses, scopes, tables: info.tables ?? [], sidecar: info.sidecar ?? null };
  return mapInfo(prepared, changesBetween(base.toString(), doc.toString()), doc);
}

// Identifies the parse that the column uses and scopes of `info` come from.
function parseKey(info) {
  return JSON.stringify([info.text ?? '', info.columnUses ?? [], info.scopes ?? []]);
}

/**
 * Returns the model info to install in `state` for the bridge's `info`.
 * The app sends the same parse again on every compile while the model does
 * not parse. Then the installed info is kept, because it was mapped through
 * each edit since. The difference of the two texts would be less exact, as
 * two edits far apart look like one replacement of all the text between
 * them. Only the project's tables and the sidecar data are replaced,
 * since the model's columns can change while its sidecar's text does not.
 */
export function nextModelInfo(state, info) {
  const current = state.field(modelInfoField, false);
  if (info && current && current.key === parseKey(info)) {
    return { ...current, tables: info.tables ?? [], sidecar: info.sidecar ?? null };
  }
  return prepareModelInfo(state.doc, info);
}

export const modelInfoField = StateField.define({
  create: () => null,
  update(value, tr) {
    let info = value;
    for (const effect of tr.effects) {
      if (effect.is(setModelInfo)) info = effect.value;
    }
    return info && tr.docChanged ? mapInfo(info, tr.changes, tr.state.doc) : info;
  },
});

// ---- Names in the text, from CodeMirror's SQL syntax tree ----

// lang-sql's PostgreSQL dialect tokenizes many plain names (`source`,
// `final`) as keywords, so those count as names too.
const NAME_NODES = new Set(['Identifier', 'QuotedIdentifier', 'Keyword', 'Type', 'Builtin']);

// Keywords that shape a query and are never a table name or alias.
const STRUCTURAL = new Set(('select from where group by having order limit offset qualify window union intersect '
  + 'except all distinct on using join left right inner outer full cross natural lateral asof positional semi '
  + 'anti as with recursive and or not in is null case when then else end returning fetch for pivot unpivot '
  + 'values materialized').split(' '));

// Keywords after which a FROM clause is over, until the next FROM or JOIN.
// ON and USING are not among them: `JOIN b ON ..., c AS t` goes on with
// another FROM item after its condition.
const FROM_END = new Set('where group having order limit offset qualify window union intersect except select returning'
  .split(' '));

function syntaxOf(state) {
  return ensureSyntaxTree(state, state.doc.length, 100) ?? syntaxTree(state);
}

function unquote(text) {
  const quote = text[0];
  if ((quote === '"' || quote === '`') && text.length >= 2 && text.endsWith(quote)) {
    return text.slice(1, -1).replaceAll(quote + quote, quote);
  }
  return text;
}

function nodeText(state, node) {
  return state.doc.sliceString(node.from, node.to);
}

function keywordOf(state, node) {
  return node?.name === 'Keyword' ? nodeText(state, node).toLowerCase() : null;
}

function isPlainName(state, node) {
  if (!node || !NAME_NODES.has(node.name)) return false;
  return node.name !== 'Keyword' || !STRUCTURAL.has(keywordOf(state, node));
}

function isTableName(state, node) {
  return isPlainName(state, node) || node?.name === 'CompositeIdentifier';
}

// Returns the dotted name of an identifier node, unquoted part by part.
function dottedName(state, node) {
  if (node.name !== 'CompositeIdentifier') return unquote(nodeText(state, node));
  const parts = [];
  for (let child = node.firstChild; child; child = child.nextSibling) {
    if (NAME_NODES.has(child.name)) parts.push(unquote(nodeText(state, child)));
  }
  return parts.join('.');
}

/**
 * Returns the name under `pos` ({parts: [{from, to, name}], index}), where
 * `parts` are the dotted parts of `a.b.c` and `index` is the hovered one,
 * or null when no name is there. `side` is -1 for the character before
 * `pos` and 1 for the one after, as hoverTooltip gives it.
 */
export function nameAt(state, pos, side = 1) {
  const node = syntaxOf(state).resolveInner(pos, side);
  if (!NAME_NODES.has(node.name)) return null;
  const siblings = [];
  if (node.parent?.name === 'CompositeIdentifier') {
    for (let child = node.parent.firstChild; child; child = child.nextSibling) {
      if (NAME_NODES.has(child.name)) siblings.push(child);
    }
  } else {
    siblings.push(node);
  }
  const parts = siblings.map((part) => ({ from: part.from, to: part.to, name: unquote(nodeText(state, part)) }));
  return { parts, index: siblings.findIndex((part) => part.from === node.from) };
}

// Returns the child lists of the statements and parenthesized groups of the
// tree, which lang-sql keeps flat: a query's tokens are siblings.
function tokenLists(state) {
  const lists = [];
  const pending = [syntaxOf(state).topNode];
  while (pending.length > 0) {
    const node = pending.pop();
    const children = [];
    for (let child = node.firstChild; child; child = child.nextSibling) children.push(child);
    if (node.name === 'Statement' || node.name === 'Parens') lists.push(children);
    pending.push(...children.filter((child) => ['Script', 'Statement', 'Parens'].includes(child.name)));
  }
  return lists;
}

// Returns true when tokens[i] starts a CTE: `name [(columns)] AS [NOT]
// [MATERIALIZED] (query)` after WITH, RECURSIVE or a comma.
function startsCte(state, tokens, i) {
  const previous = tokens[i - 1];
  const afterComma = previous?.name === 'Punctuation' && nodeText(state, previous) === ',';
  if (!afterComma && !['with', 'recursive'].includes(keywordOf(state, previous))) return false;
  let next = i + 1;
  if (tokens[next]?.name === 'Parens') next++;
  if (keywordOf(state, tokens[next]) !== 'as') return false;
  next++;
  while (['not', 'materialized'].includes(keywordOf(state, tokens[next]))) next++;
  return tokens[next]?.name === 'Parens';
}

// Returns the alias that tokens[i] defines in a FROM clause, as
// {name, from, to, target}: `orders o`, `orders AS o`, `(SELECT ...) AS t`.
// `target` is the table name, or null for a subquery.
function aliasAt(state, tokens, i) {
  if (!isPlainName(state, tokens[i])) return null;
  let j = i - 1;
  if (keywordOf(state, tokens[j]) === 'as') j--;
  const target = tokens[j];
  const before = tokens[j - 1];
  const startsItem = ['from', 'join'].includes(keywordOf(state, before))
    || (before?.name === 'Punctuation' && nodeText(state, before) === ',');
  if (!target || !startsItem) return null;
  if (target.name !== 'Parens' && !isTableName(state, target)) return null;
  return {
    name: unquote(nodeText(state, tokens[i])),
    from: tokens[i].from,
    to: tokens[i].to,
    target: target.name === 'Parens' ? null : dottedName(state, target),
  };
}

const namesByState = new WeakMap();

/**
 * Returns the CTEs and FROM aliases the text defines, each a Map from the
 * lowercase name to {name, from, to} (aliases also have `target`).
 */
export function queryNames(state) {
  const known = namesByState.get(state);
  if (known) return known;
  const ctes = new Map();
  const aliases = new Map();
  for (const tokens of tokenLists(state)) {
    let inWith = false;
    let inFrom = false;
    tokens.forEach((token, i) => {
      const keyword = keywordOf(state, token);
      if (keyword === 'with') inWith = true;
      else if (['select', 'from', 'values', 'table'].includes(keyword)) inWith = false;
      if (inWith && NAME_NODES.has(token.name) && startsCte(state, tokens, i)) {
        const name = unquote(nodeText(state, token));
        ctes.set(name.toLowerCase(), { name, from: token.from, to: token.to });
      }
      if (keyword === 'from' || keyword === 'join') inFrom = true;
      else if (FROM_END.has(keyword)) inFrom = false;
      else if (inFrom) {
        const alias = aliasAt(state, tokens, i);
        if (alias) aliases.set(alias.name.toLowerCase(), alias);
      }
    });
  }
  const names = { ctes, aliases };
  namesByState.set(state, names);
  return names;
}

// ---- Lookups ----

/** Returns the scopes that contain `pos`, innermost first. */
export function scopesAt(info, pos) {
  return info.scopes
    .filter((scope) => scope.from <= pos && pos <= scope.to)
    .sort((a, b) => (a.to - a.from) - (b.to - b.from));
}

// Returns the project's model or source table called `key` (lowercase):
// the full name first, then a source's name without its schema.
function projectTable(info, key) {
  return info.tables.find((table) => table.name.toLowerCase() === key)
    ?? info.tables.find((table) => table.name.toLowerCase().split('.').at(-1) === key);
}

// Returns a table of any scope called `key`, for a CTE or alias read
// somewhere other than at `pos`.
function anyScopeTable(info, key) {
  for (const scope of info.scopes) {
    const table = scope.tables.find((candidate) => candidate.name.toLowerCase() === key);
    if (table) return table;
  }
  return undefined;
}

// Returns what the name of a scope table is: an alias, a CTE, a model, a
// source, or a table of the query that the text does not name otherwise.
function describeScopeTable(info, names, name, columns) {
  const key = name.toLowerCase();
  const alias = names.aliases.get(key);
  if (alias) {
    if (alias.target === null) return { name, what: 'alias of a subquery', columns };
    const targetKey = alias.target.toLowerCase();
    const kind = names.ctes.has(targetKey) ? 'CTE' : projectTable(info, targetKey)?.kind;
    return { name, what: kind ? `alias of ${kind} ${alias.target}` : `alias of ${alias.target}`, columns };
  }
  const cte = names.ctes.get(key);
  if (cte) return { name: cte.name, what: 'CTE', columns };
  const table = projectTable(info, key);
  if (table) return { name: table.name, what: table.kind, columns: table.columns };
  return { name, what: 'table in this query', columns };
}

/**
 * Returns what the table name `name` at `pos` stands for, as {name, what,
 * columns}, or null. The innermost scope containing `pos` decides first, so
 * a CTE shadows the model of the same name. `columns` is null for a CTE
 * that no query reads, whose columns the compiler did not record.
 */
export function describeTable(state, info, name, pos) {
  const key = name.toLowerCase();
  const names = queryNames(state);
  for (const scope of scopesAt(info, pos)) {
    const table = scope.tables.find((candidate) => candidate.name.toLowerCase() === key);
    if (table) return describeScopeTable(info, names, table.name, table.columns);
  }
  const cte = names.ctes.get(key);
  if (cte) return { name: cte.name, what: 'CTE', columns: anyScopeTable(info, key)?.columns ?? null };
  const aliased = names.aliases.has(key) ? anyScopeTable(info, key) : undefined;
  if (aliased) return describeScopeTable(info, names, aliased.name, aliased.columns);
  const table = projectTable(info, key);
  return table ? { name: table.name, what: table.kind, columns: table.columns } : null;
}

function useAt(info, pos, side) {
  return info.uses.find((use) =>
    (use.from < pos && pos < use.to) || (pos === use.from && side > 0) || (pos === use.to && side < 0));
}

/**
 * Returns the hover for `pos`: a column name's type and source, or a table
 * name's columns, with the range it covers, or null. In `o.amount` the
 * qualifier `o` shows its table and `amount` the column.
 */
export function describeAt(state, pos, side) {
  const info = state.field(modelInfoField, false);
  if (!info) return null;
  const name = nameAt(state, pos, side);
  const use = useAt(info, pos, side);
  if (name && (!use || name.index < name.parts.length - 1)) {
    const partial = name.parts.slice(0, name.index + 1);
    let table = describeTable(state, info, partial.map((part) => part.name).join('.'), pos);
    let covered = partial;
    if (!table && !use && name.index < name.parts.length - 1) {
      table = describeTable(state, info, name.parts.map((part) => part.name).join('.'), pos);
      covered = name.parts;
    }
    if (table) return { kind: 'table', from: covered[0].from, to: covered.at(-1).to, ...table };
  }
  if (!use) return null;
  return {
    kind: 'column',
    from: use.from,
    to: use.to,
    name: use.table ? `${use.table}.${use.name}` : use.name,
    type: use.type,
    source: use.source ? `${use.source.table}.${use.source.column}` : null,
  };
}

// ---- Completion ----

const WORD_END = /[\p{L}\p{N}_$]*$/u;
const PART = '(?:[\\p{L}_][\\p{L}\\p{N}_$]*|"(?:[^"]|"")+")';
const QUALIFIER_END = new RegExp(`(${PART}(?:\\.${PART})*)\\.$`, 'u');

// Returns the dotted qualifier that `text` ends with, before its last dot
// (`o` in `o.`), or null when `text` does not end with a qualified dot.
function qualifierBefore(text) {
  const match = QUALIFIER_END.exec(text);
  if (!match) return null;
  return match[1].match(new RegExp(PART, 'gu')).map(unquote).join('.');
}

function needsQuotes(name) {
  return !/^[A-Za-z_][A-Za-z0-9_$]*$/.test(name);
}

function quoted(name) {
  return needsQuotes(name) ? `"${name.replaceAll('"', '""')}"` : name;
}

// Collects column options by name, so a name several tables have is offered
// once, with every table in its info.
class ColumnOptions {
  constructor() {
    this.byName = new Map();
  }

  add(column, table, boost) {
    const key = column.name.toLowerCase();
    const where = table ? `${table}.${column.name}: ${column.type}` : `${column.name}: ${column.type}`;
    const known = this.byName.get(key);
    if (known) {
      known.tables.push(where);
      return;
    }
    this.byName.set(key, { column, tables: [where], boost });
  }

  options() {
    return [...this.byName.values()].map(({ column, tables, boost }) => ({
      label: column.name,
      apply: quoted(column.name),
      type: 'property',
      detail: column.type,
      info: [...tables, column.description].filter(Boolean).join('\n'),
      boost,
    }));
  }
}

function tableOption(label, detail, boost) {
  return { label, apply: quoted(label), type: 'class', detail, boost };
}

// Returns the options after `qualifier.`: the columns of the table it
// names, and the tables of a schema it names (`raw.` offers `orders`).
function qualifiedOptions(state, info, qualifier, pos) {
  const columns = new ColumnOptions();
  const table = describeTable(state, info, qualifier, pos);
  for (const column of table?.columns ?? []) columns.add(column, table.name, 10);
  const prefix = `${qualifier.toLowerCase()}.`;
  const inSchema = info.tables
    .filter((candidate) => candidate.name.toLowerCase().startsWith(prefix))
    .map((candidate) => tableOption(candidate.name.slice(prefix.length), candidate.kind, 5));
  return [...columns.options(), ...inSchema];
}

// Returns the options for a name with no qualifier. They are the columns
// and tables in scope at `pos`, or the project's columns outside every
// scope, then the CTEs of the text and the project's models and sources.
function unqualifiedOptions(state, info, pos) {
  const columns = new ColumnOptions();
  const tables = new Map();
  const addTable = (option) => {
    const key = option.label.toLowerCase();
    if (!tables.has(key)) tables.set(key, option);
  };
  const names = queryNames(state);
  const scopes = scopesAt(info, pos);
  scopes.forEach((scope, depth) => {
    for (const table of scope.tables) {
      for (const column of table.columns) columns.add(column, table.name, depth === 0 ? 20 : 15);
      addTable(tableOption(table.name, describeScopeTable(info, names, table.name, table.columns).what, 8));
    }
  });
  if (scopes.length === 0) {
    for (const table of info.tables) {
      for (const column of table.columns) columns.add(column, table.name, 2);
    }
  }
  for (const cte of names.ctes.values()) addTable(tableOption(cte.name, 'CTE', 6));
  for (const table of info.tables) addTable(tableOption(table.name, table.kind, 4));
  return [...columns.options(), ...tables.values()];
}

/**
 * Returns the completions at `pos` as {from, options, qualified}, or null
 * where none apply: inside strings and comments, after a dot that follows
 * no name, and before anything is typed unless `explicit` (Ctrl-Space).
 */
export function completionsAt(state, pos, explicit) {
  const info = state.field(modelInfoField, false);
  if (!info) return null;
  const inner = syntaxOf(state).resolveInner(pos, -1);
  if (['String', 'LineComment', 'BlockComment', 'QuotedIdentifier'].includes(inner.name)) return null;
  const line = state.doc.lineAt(pos);
  const before = line.text.slice(0, pos - line.from);
  const word = WORD_END.exec(before)[0];
  const from = pos - word.length;
  if (/^\p{N}/u.test(word)) return null;
  const rest = before.slice(0, before.length - word.length);
  if (rest.endsWith('.')) {
    const qualifier = qualifierBefore(rest);
    if (qualifier === null) return null;
    const options = qualifiedOptions(state, info, qualifier, pos);
    return options.length > 0 ? { from, options, qualified: true } : null;
  }
  if (word === '' && !explicit) return null;
  return { from, options: unqualifiedOptions(state, info, pos), qualified: false };
}
