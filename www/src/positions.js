// Positions as the contract gives them: 1-based lines, and columns that
// count characters (Unicode code points), as the Rust side does.

/**
 * Returns the CodeMirror offset (in UTF-16 units) of a 1-based line and
 * column of `doc`, a CodeMirror Text. The line is clamped into the text and
 * the column into the line, because positions may come from older text.
 * Astral characters take two units, so the line is walked.
 */
export function offsetOf(doc, line, column) {
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
