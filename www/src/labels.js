// Secondary labels of diagnostics (docs/playground-contract.md): a lighter
// underline at each place that explains a diagnostic, such as the two
// operands of a type mismatch, kept in the editor state so that edits move
// them with the text.

import { StateEffect, StateField } from '@codemirror/state';
import { Decoration, EditorView } from '@codemirror/view';

/** The effect that replaces every label. Its value is a list of {from, to, severity, message, diagnostic}. */
export const setLabels = StateEffect.define();

function build(labels) {
  const sorted = [...labels].sort((a, b) => a.from - b.from || a.to - b.to);
  const marks = sorted.map((label) =>
    Decoration.mark({ class: `cm-diagnosticLabel cm-diagnosticLabel-${label.severity}` }).range(label.from, label.to));
  return { labels: sorted, decorations: Decoration.set(marks) };
}

export const labelField = StateField.define({
  create: () => build([]),
  update(value, tr) {
    for (const effect of tr.effects) {
      if (effect.is(setLabels)) return build(effect.value);
    }
    if (!tr.docChanged) return value;
    // A label whose text was deleted has nothing left to point at.
    const mapped = value.labels
      .map((label) => ({ ...label, from: tr.changes.mapPos(label.from, 1), to: tr.changes.mapPos(label.to, -1) }))
      .filter((label) => label.from < label.to);
    return build(mapped);
  },
  provide: (field) => EditorView.decorations.from(field, (value) => value.decorations),
});

/**
 * Returns the labels under `pos`. At a label's edge, `side` picks the
 * character under the pointer, -1 for the one before `pos` and 1 for the one after.
 */
export function labelsAt(state, pos, side) {
  return state.field(labelField, false)?.labels.filter((label) =>
    (label.from < pos && pos < label.to) || (pos === label.from && side > 0) || (pos === label.to && side < 0)) ?? [];
}

export const labelTheme = EditorView.baseTheme({
  '.cm-diagnosticLabel': {
    textDecorationLine: 'underline',
    textDecorationStyle: 'dashed',
    textDecorationThickness: '1px',
    textUnderlineOffset: '3px',
  },
  '.cm-diagnosticLabel-error': { textDecorationColor: 'rgba(207, 34, 46, 0.55)' },
  '.cm-diagnosticLabel-warning': { textDecorationColor: 'rgba(154, 103, 0, 0.55)' },
  '.cm-diagnosticLabel-info': { textDecorationColor: 'rgba(9, 105, 218, 0.55)' },
});
