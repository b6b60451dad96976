// The editor's own hover tooltip, next to the lint tooltip of diagnostics:
// the note of a diagnostic label under the pointer, a column name's type and
// the upstream column it copies, and a table name's columns with types.

import { EditorView, hoverTooltip } from '@codemirror/view';
import { labelsAt } from './labels.js';
import { describeAt } from './model-info.js';

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

function columnSection(column) {
  const section = element('div', 'cm-rocky-hover-section cm-rocky-hover-column');
  section.append(element('div', 'cm-rocky-hover-title', `${column.name}: ${column.type}`));
  if (column.source) section.append(element('div', 'cm-rocky-hover-detail', `from ${column.source}`));
  return section;
}

// Models, sources and CTEs read as "model orders"; aliases and other query
// tables as "o: alias of model orders".
function tableTitle(table) {
  return ['model', 'source', 'CTE'].includes(table.what) ? `${table.what} ${table.name}` : `${table.name}: ${table.what}`;
}

function tableSection(table) {
  const section = element('div', 'cm-rocky-hover-section cm-rocky-hover-table');
  section.append(element('div', 'cm-rocky-hover-title', tableTitle(table)));
  if (table.columns === null) {
    section.append(element('div', 'cm-rocky-hover-detail', 'no query reads it, so its columns are not known'));
    return section;
  }
  const rows = element('table', 'cm-rocky-hover-columns');
  for (const column of table.columns) {
    const row = element('tr', 'cm-rocky-hover-row');
    row.append(element('td', 'cm-rocky-hover-name', column.name), element('td', 'cm-rocky-hover-type', column.type));
    if (column.description) row.append(element('td', 'cm-rocky-hover-description', column.description));
    rows.append(row);
  }
  section.append(rows);
  return section;
}

// Returns the tooltip for `pos`, or null when nothing is under the pointer.
function hoverAt(view, pos, side) {
  const labels = labelsAt(view.state, pos, side);
  const found = describeAt(view.state, pos, side);
  const ranges = [...labels, ...(found ? [found] : [])];
  if (ranges.length === 0) return null;
  return {
    pos: Math.min(...ranges.map((range) => range.from)),
    end: Math.max(...ranges.map((range) => range.to)),
    above: true,
    create() {
      const dom = element('div', 'cm-rocky-hover');
      dom.append(...labels.map(noteSection));
      if (found?.kind === 'column') dom.append(columnSection(found));
      if (found?.kind === 'table') dom.append(tableSection(found));
      return { dom };
    },
  };
}

export const rockyHover = hoverTooltip(hoverAt);

export const hoverTheme = EditorView.baseTheme({
  '.cm-rocky-hover': { maxWidth: '40em', maxHeight: '24em', overflow: 'auto', padding: '3px 8px', fontSize: '12.5px' },
  '.cm-rocky-hover-section + .cm-rocky-hover-section': {
    marginTop: '4px',
    paddingTop: '4px',
    borderTop: '1px solid #d1d9e0',
  },
  '.cm-rocky-hover-title, .cm-rocky-hover-columns': {
    fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
  },
  '.cm-rocky-hover-kind': { fontWeight: '600' },
  '.cm-rocky-hover-detail': { color: '#59636e' },
  '.cm-rocky-hover-columns': { marginTop: '2px', borderCollapse: 'collapse' },
  '.cm-rocky-hover-columns td': { padding: '0 12px 0 0', verticalAlign: 'top' },
  '.cm-rocky-hover-type': { color: '#59636e' },
  '.cm-rocky-hover-description': { color: '#59636e', fontFamily: 'system-ui, sans-serif' },
});
