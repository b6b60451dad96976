// CodeMirror 6 side of window.rockyBridge (docs/playground-contract.md).

import { EditorState } from '@codemirror/state';
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

const editors = new Map();
// The extensions each view was made with, so a swapped-in file gets a new
// state (and with it an undo history of its own) with the same setup.
const viewExtensions = new WeakMap();
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

/** Creates an editor inside `parent` and returns its id; `onChange(doc)` fires on every user edit. */
export function createEditor(parent, doc, onChange) {
  if (!(parent instanceof HTMLElement)) throw new TypeError('createEditor: parent must be an HTMLElement');
  const setup = extensions(onChange ?? (() => {}));
  const view = new EditorView({ parent, state: EditorState.create({ doc: doc ?? '', extensions: setup }) });
  viewExtensions.set(view, setup);
  const id = nextEditorId++;
  editors.set(id, view);
  return id;
}

/**
 * Replaces the whole text without firing onChange. The editor gets a fresh
 * state, so undo cannot bring back another file's text, and the
 * diagnostics are cleared with it.
 */
export function setEditorDoc(id, doc) {
  const view = requireEditor(id, 'setEditorDoc');
  const text = doc ?? '';
  if (view.state.doc.toString() === text) return;
  view.setState(EditorState.create({ doc: text, extensions: viewExtensions.get(view) }));
}

// Columns count characters (Unicode code points), as the Rust side does, and
// CodeMirror counts UTF-16 units, so astral characters need a walk.
function offsetOf(doc, line, column) {
  const lineNumber = Math.min(Math.max(1, Math.trunc(line) || 1), doc.lines);
  const docLine = doc.line(lineNumber);
  let remaining = Math.max(0, (Math.trunc(column) || 1) - 1);
  let unit = 0;
  while (remaining > 0 && unit < docLine.length) {
    const code = docLine.text.codePointAt(unit);
    unit += code > 0xffff ? 2 : 1;
    remaining--;
  }
  return docLine.from + unit;
}

/** Converts contract diagnostics (1-based lines and columns, end exclusive) to CodeMirror ones. */
export function toCodeMirrorDiagnostics(doc, diagnostics) {
  return (diagnostics ?? []).map((diagnostic) => {
    let from = offsetOf(doc, diagnostic.line, diagnostic.column);
    let to = offsetOf(doc, diagnostic.endLine ?? diagnostic.line, diagnostic.endColumn ?? diagnostic.column);
    if (to < from) [from, to] = [to, from];
    // A zero-width range would draw nothing, so it is widened to one character,
    // backwards when it sits at the end of the text.
    if (from === to) {
      if (to < doc.length) to += 1;
      else if (from > 0) from -= 1;
    }
    const severity = ['error', 'warning', 'info'].includes(diagnostic.severity) ? diagnostic.severity : 'error';
    return { from, to, severity, message: String(diagnostic.message ?? '') };
  });
}

/** Shows `diagnostics` as underlines, gutter marks and hover tooltips, replacing the earlier ones. */
export function setEditorDiagnostics(id, diagnostics) {
  const view = requireEditor(id, 'setEditorDiagnostics');
  view.dispatch(setDiagnostics(view.state, toCodeMirrorDiagnostics(view.state.doc, diagnostics)));
}

export function destroyEditor(id) {
  const view = editors.get(id);
  if (view === undefined) return;
  editors.delete(id);
  view.destroy();
}
