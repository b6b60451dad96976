// Completion of column, table and keyword names from the compiler's data
// about the open model (model-info.js), and of invariant phrases, columns
// and keys in a model's sidecar TOML (sidecar-completion.js). No option is
// selected when the list opens, so Enter inserts a new line unless the user
// moved to an option with the arrow keys. Taking an option replaces only
// the part of the name before the cursor.

import {
  acceptCompletion,
  autocompletion,
  completionStatus,
  moveCompletionSelection,
  selectedCompletionIndex,
} from '@codemirror/autocomplete';
import { PostgreSQL, keywordCompletionSource } from '@codemirror/lang-sql';
import { Prec } from '@codemirror/state';
import { keymap } from '@codemirror/view';
import { completionsAt, modelInfoField } from './model-info.js';
import { sidecarCompletionsAt } from './sidecar-completion.js';

const keywords = keywordCompletionSource(PostgreSQL);

// The characters of a name being typed. While the typed text matches it,
// CodeMirror filters the options without asking for new ones.
const WORD = /^[\p{L}\p{N}_$]*$/u;

/** Computes the editor's completions at the cursor. It is exported for the unit tests. */
export function rockyCompletions(context) {
  // A sidecar's TOML gets its own completions, which open inside strings.
  const info = context.state.field(modelInfoField, false);
  if (info?.sidecar) {
    return sidecarCompletionsAt(context.state.doc.toString(), context.pos, info.sidecar, info.tables);
  }
  const found = completionsAt(context.state, context.pos, context.explicit);
  if (!found) return null;
  let options = found.options;
  if (!found.qualified) {
    // lang-sql's keyword source is synchronous and starts at the same word.
    const words = keywords(context);
    if (words && words.from === found.from) options = options.concat(words.options);
  }
  return { from: found.from, options, validFor: WORD };
}

// Tab takes the selected option, or the first one when none is selected.
// Without an open list it falls through to indentation.
function acceptWithTab(view) {
  if (completionStatus(view.state) !== 'active') return false;
  if (selectedCompletionIndex(view.state) === null) moveCompletionSelection(true)(view);
  return acceptCompletion(view);
}

export function completion() {
  return [
    autocompletion({ override: [rockyCompletions], selectOnOpen: false, icons: true }),
    Prec.highest(keymap.of([{ key: 'Tab', run: acceptWithTab }])),
  ];
}
