// The editor's own hover tooltip, next to the lint tooltip of diagnostics:
// the note of a diagnostic label under the pointer, with the diagnostic it
// belongs to.

import { EditorView, hoverTooltip } from '@codemirror/view';
import { labelsAt } from './labels.js';

function element(tag, className, text) {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function noteSection(label) {
  const section = element('div', 'cm-rocky-hover-section cm-rocky-hover-note');
  const line = element('div', 'cm-rocky-hover-title');
  line.append(element('span', 'cm-rocky-hover-kind', 'note:'), ` ${label.message}`);
  section.append(line, element('div', 'cm-rocky-hover-detail', `for ${label.diagnostic}`));
  return section;
}

// Returns the tooltip for `pos`, or null when nothing is under the pointer.
function hoverAt(view, pos, side) {
  const labels = labelsAt(view.state, pos, side);
  if (labels.length === 0) return null;
  const from = Math.min(...labels.map((label) => label.from));
  const to = Math.max(...labels.map((label) => label.to));
  return {
    pos: from,
    end: to,
    above: true,
    create() {
      const dom = element('div', 'cm-rocky-hover');
      dom.append(...labels.map(noteSection));
      return { dom };
    },
  };
}

export const rockyHover = hoverTooltip(hoverAt);

export const hoverTheme = EditorView.baseTheme({
  '.cm-rocky-hover': { maxWidth: '40em', padding: '3px 8px', fontSize: '12.5px' },
  '.cm-rocky-hover-section + .cm-rocky-hover-section': { marginTop: '4px', paddingTop: '4px', borderTop: '1px solid #d1d9e0' },
  '.cm-rocky-hover-title': { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace' },
  '.cm-rocky-hover-kind': { fontWeight: '600' },
  '.cm-rocky-hover-detail': { color: '#59636e' },
});
