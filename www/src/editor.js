// CodeMirror 6 side of window.rockyBridge (docs/playground-contract.md).

import { EditorSelection, EditorState } from '@codemirror/state';
import {
  EditorView,
  crosshairCursor,
  drawSelection,
  dropCursor,
  highlightActiveLine,
  highlightActiveLineGutter,
  highlightSpecialChars,
  keymap,
  lineNumbers,
  rectangularSelection,
} from '@codemirror/view';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import {
  bracketMatching,
  defaultHighlightStyle,
  indentOnInput,
  syntaxHighlighting,
} from '@codemirror/language';
import { lintGutter, lintKeymap, setDiagnostics } from '@codemirror/lint';
import { PostgreSQL, sql } from '@codemirror/lang-sql';
import { completion } from './completion.js';
import { hoverTheme, rockyHover } from './hover.js';
import { labelField, labelTheme, setLabels } from './labels.js';
import { modelInfoField, nextModelInfo, setModelInfo } from './model-info.js';
import { offsetOf } from './positions.js';

const editors = new Map();
// Per view, the setup that setEditorDoc needs. `extensions` are the ones the
// view was made with, so a swapped-in file gets a new state (and with it an
// undo history of its own) with the same setup. `key` names the file shown.
// `saved` maps each other key to the state and scroll position it was left
// with, so switching back restores that file's undo history and selection.
const viewSessions = new WeakMap();
let nextEditorId = 1;

const theme = EditorView.theme({
  '&': { height: '100%', fontSize: '13px' },
  '.cm-scroller': {
    fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace',
    lineHeight: '1.5',
  },
  '.cm-tooltip-lint': { maxWidth: '40em' },
});

function extensions(onChange) {
  return [
    lineNumbers(),
    highlightActiveLineGutter(),
    highlightSpecialChars(),
    history(),
    drawSelection(),
    dropCursor(),
    EditorState.allowMultipleSelections.of(true),
    indentOnInput(),
    syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
    bracketMatching(),
    rectangularSelection(),
    crosshairCursor(),
    highlightActiveLine(),
    // DuckDB's SQL is closest to PostgreSQL's among the bundled dialects.
    sql({ dialect: PostgreSQL }),
    lintGutter(),
    labelField,
    labelTheme,
    modelInfoField,
    rockyHover,
    hoverTheme,
    completion(),
    keymap.of([...defaultKeymap, ...historyKeymap, ...lintKeymap, indentWithTab]),
    theme,
    EditorView.updateListener.of((update) => {
      if (!update.docChanged) return;
      onChange(update.state.doc.toString());
    }),
  ];
}

function requireEditor(id, what) {
  const view = editors.get(id);
  if (view === undefined) throw new Error(`${what}: no editor with id ${id}`);
  return view;
}

/**
 * Creates an editor inside `parent` and returns its id; `onChange(doc)` fires
 * on every user edit. `key` names the file it shows (see setEditorDoc).
 */
export function createEditor(parent, doc, onChange, key) {
  if (!(parent instanceof HTMLElement)) throw new TypeError('createEditor: parent must be an HTMLElement');
  const setup = extensions(onChange ?? (() => {}));
  const view = new EditorView({ parent, state: EditorState.create({ doc: doc ?? '', extensions: setup }) });
  viewSessions.set(view, { extensions: setup, key: keyOf(key), saved: new Map() });
  const id = nextEditorId++;
  editors.set(id, view);
  return id;
}

// Only strings name files. Any other value, such as undefined from a caller
// that passes no key, means no key, so that state is never kept or restored.
function keyOf(key) {
  return typeof key === 'string' ? key : undefined;
}

/**
 * Replaces the whole text without firing onChange. `key` names the file
 * (its project path). The state the view leaves is kept under the view's
 * current key. A kept state of `key` whose text is exactly `doc` comes back
 * with its undo history, selection and scroll position. Otherwise the
 * editor gets a fresh state, without model info. Either way undo cannot
 * bring another file's text into this one, and the diagnostics and their
 * labels are cleared.
 */
export function setEditorDoc(id, doc, key) {
  const view = requireEditor(id, 'setEditorDoc');
  const session = viewSessions.get(view);
  const text = doc ?? '';
  const nextKey = keyOf(key);
  if (nextKey === session.key && view.state.doc.toString() === text) return;

  if (session.key !== undefined) {
    session.saved.set(session.key, { state: view.state, scroll: view.scrollSnapshot() });
  }
  const kept = nextKey === undefined ? undefined : session.saved.get(nextKey);
  session.key = nextKey;
  if (kept !== undefined && kept.state.doc.toString() === text) {
    view.setState(kept.state);
    // The model info stays: it was mapped through this file's own edits,
    // and the app sends the current one right after.
    view.dispatch({ effects: [kept.scroll, ...toEffects(setDiagnostics(view.state, [])), setLabels.of([])] });
    return;
  }
  // A kept state with other text is stale, because the file changed outside
  // the editor (as on a reset), so it is dropped.
  if (nextKey !== undefined) session.saved.delete(nextKey);
  view.setState(EditorState.create({ doc: text, extensions: session.extensions }));
}

function toEffects(spec) {
  const effects = spec.effects ?? [];
  return Array.isArray(effects) ? effects : [effects];
}

// Returns the offsets of a contract range (1-based lines and columns, end
// exclusive). A zero-width range would draw nothing, so it is widened to one
// character, backwards when it sits at the end of the text.
function widenedRange(doc, range) {
  let from = offsetOf(doc, range.line, range.column);
  let to = offsetOf(doc, range.endLine ?? range.line, range.endColumn ?? range.column);
  if (to < from) [from, to] = [to, from];
  if (from === to) {
    if (to < doc.length) to += 1;
    else if (from > 0) from -= 1;
  }
  return { from, to };
}

function severityOf(diagnostic) {
  return ['error', 'warning', 'info'].includes(diagnostic.severity) ? diagnostic.severity : 'error';
}

/** Converts contract diagnostics (1-based lines and columns, end exclusive) to CodeMirror ones. */
export function toCodeMirrorDiagnostics(doc, diagnostics) {
  return (diagnostics ?? []).map((diagnostic) => {
    const { from, to } = widenedRange(doc, diagnostic);
    return { from, to, severity: severityOf(diagnostic), message: String(diagnostic.message ?? '') };
  });
}

/**
 * Converts the labels of contract diagnostics to ranges for labels.js. Each
 * keeps its diagnostic's severity, and the diagnostic's first message line
 * for the hover.
 */
export function toLabelRanges(doc, diagnostics) {
  return (diagnostics ?? []).flatMap((diagnostic) => {
    const severity = severityOf(diagnostic);
    const parent = String(diagnostic.message ?? '').split('\n')[0];
    return (diagnostic.labels ?? [])
      .map((label) => ({ ...widenedRange(doc, label), severity, message: String(label.message ?? ''), diagnostic: parent }))
      .filter((label) => label.from < label.to);
  });
}

/**
 * Shows `diagnostics` as underlines, gutter marks and hover tooltips, and
 * their labels as lighter underlines, replacing the earlier ones.
 */
export function setEditorDiagnostics(id, diagnostics) {
  const view = requireEditor(id, 'setEditorDiagnostics');
  const doc = view.state.doc;
  view.dispatch(
    setDiagnostics(view.state, toCodeMirrorDiagnostics(doc, diagnostics)),
    { effects: setLabels.of(toLabelRanges(doc, diagnostics)) },
  );
}

/**
 * Replaces the open model's data that hover and completion read: `info` is
 * {text, columnUses, scopes, tables} as docs/playground-contract.md
 * describes, with positions in `info.text`, or null to turn both off.
 */
export function setEditorModelInfo(id, info) {
  const view = requireEditor(id, 'setEditorModelInfo');
  view.dispatch({ effects: setModelInfo.of(nextModelInfo(view.state, info)) });
}

/**
 * Selects `range` ({line, column, endLine, endColumn} as in diagnostics),
 * scrolls it to the middle of the editor and focuses the editor. The start
 * is the selection's anchor, so the cursor ends at the range's end.
 */
export function revealEditorRange(id, range) {
  const view = requireEditor(id, 'revealEditorRange');
  const doc = view.state.doc;
  let anchor = offsetOf(doc, range?.line, range?.column);
  let head = offsetOf(doc, range?.endLine ?? range?.line, range?.endColumn ?? range?.column);
  if (head < anchor) [anchor, head] = [head, anchor];
  view.dispatch({
    selection: { anchor, head },
    effects: EditorView.scrollIntoView(EditorSelection.range(anchor, head), { y: 'center' }),
    userEvent: 'select.reveal',
  });
  view.focus();
}

/** Destroys the editor and drops the states it kept for other files. */
export function destroyEditor(id) {
  const view = editors.get(id);
  if (view === undefined) return;
  editors.delete(id);
  viewSessions.delete(view);
  view.destroy();
}
