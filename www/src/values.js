// Converts Arrow query results from DuckDB-WASM into DuckDB-style type names
// and display strings. Plain values cross to Rust through wasm-bindgen, and a
// JS BigInt or an Arrow BigNum would not, so every cell becomes a string or null.

import { DataType, Vector } from 'apache-arrow';

// Arrow enum values (apache-arrow 17, src/fb/*.ts), copied so that this module
// needs no deep imports.
const TIME_UNIT_PER_SECOND = [1n, 1000n, 1000000n, 1000000000n];
const TIME_UNIT_DIGITS = [0, 3, 6, 9];
const TIME_UNIT_SUFFIX = ['_S', '_MS', '', '_NS'];
const INTERVAL_YEAR_MONTH = 0;
const INTERVAL_DAY_TIME = 1;
const PRECISION_DOUBLE = 2;
const MS_PER_DAY = 86400000;
const SECONDS_PER_DAY = 86400n;

// DuckDB sends types that Arrow lacks (UHUGEINT, for one) as the canonical
// extension type arrow.opaque, naming the DuckDB type in the field's metadata.
function opaqueTypeName(field) {
  if (field?.metadata?.get('ARROW:extension:name') !== 'arrow.opaque') return null;
  try {
    const name = JSON.parse(field.metadata.get('ARROW:extension:metadata') ?? '{}').type_name;
    return typeof name === 'string' ? name.toUpperCase() : null;
  } catch {
    return null;
  }
}

/** Returns the DuckDB spelling of a result column's type, such as BIGINT or DECIMAL(18,2). */
export function fieldTypeName(field) {
  return opaqueTypeName(field) ?? typeName(field.type);
}

/** Returns the DuckDB spelling of an Arrow type, such as BIGINT or DECIMAL(18,2). */
export function typeName(type) {
  if (DataType.isNull(type)) return 'NULL';
  if (DataType.isBool(type)) return 'BOOLEAN';
  if (DataType.isInt(type)) return intTypeName(type);
  if (DataType.isFloat(type)) return type.precision === PRECISION_DOUBLE ? 'DOUBLE' : 'FLOAT';
  if (DataType.isDecimal(type)) {
    // NOTE: DuckDB sends HUGEINT as Decimal128(38, 0), so a DECIMAL(38,0)
    // column is named HUGEINT too. Both hold the same integers.
    if (type.precision === 38 && type.scale === 0) return 'HUGEINT';
    return `DECIMAL(${type.precision},${type.scale})`;
  }
  if (DataType.isUtf8(type) || DataType.isLargeUtf8(type)) return 'VARCHAR';
  if (DataType.isBinary(type) || DataType.isLargeBinary(type) || DataType.isFixedSizeBinary(type)) {
    return 'BLOB';
  }
  if (DataType.isDate(type)) return 'DATE';
  if (DataType.isTime(type)) return 'TIME';
  if (DataType.isTimestamp(type)) {
    return type.timezone ? 'TIMESTAMP WITH TIME ZONE' : `TIMESTAMP${TIME_UNIT_SUFFIX[type.unit]}`;
  }
  if (DataType.isInterval(type)) return 'INTERVAL';
  if (DataType.isDuration(type)) return 'INTERVAL';
  if (DataType.isList(type)) return `${typeName(type.children[0].type)}[]`;
  if (DataType.isFixedSizeList(type)) return `${typeName(type.children[0].type)}[${type.listSize}]`;
  if (DataType.isStruct(type)) {
    const fields = type.children.map((field) => `${quoteIdentifier(field.name)} ${typeName(field.type)}`);
    return `STRUCT(${fields.join(', ')})`;
  }
  if (DataType.isMap(type)) {
    const [key, value] = type.children[0].type.children;
    return `MAP(${typeName(key.type)}, ${typeName(value.type)})`;
  }
  if (DataType.isDictionary(type)) return typeName(type.dictionary);
  if (DataType.isUnion(type)) {
    const members = type.children.map((field) => `${quoteIdentifier(field.name)} ${typeName(field.type)}`);
    return `UNION(${members.join(', ')})`;
  }
  return String(type);
}

function intTypeName(type) {
  const names = { 8: 'TINYINT', 16: 'SMALLINT', 32: 'INTEGER', 64: 'BIGINT' };
  const name = names[type.bitWidth] ?? `INT${type.bitWidth}`;
  return type.isSigned ? name : `U${name}`;
}

function quoteIdentifier(name) {
  return /^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name.replaceAll('"', '""')}"`;
}

/**
 * Converts an Arrow table into `{columns, rows, rowCount}` with at most `limit`
 * rows, every cell a string or null.
 */
export function tableToResult(table, limit) {
  const fields = table.schema.fields;
  const columns = fields.map((field) => ({ name: field.name, type: fieldTypeName(field) }));
  const formatters = fields.map((field) => (opaqueTypeName(field) === 'UHUGEINT' ? formatUnsignedCell : formatCell));
  const rows = [];
  const rowLimit = Math.max(0, Math.min(limit, table.numRows));
  for (const batch of table.batches) {
    if (rows.length >= rowLimit) break;
    const vectors = fields.map((_, index) => batch.getChildAt(index));
    const take = Math.min(batch.numRows, rowLimit - rows.length);
    for (let row = 0; row < take; row++) {
      rows.push(vectors.map((vector, column) => formatters[column](vector, row)));
    }
  }
  return { columns, rows, rowCount: table.numRows };
}

/** Returns the display string of `vector[index]`, or null for SQL NULL. */
export function formatCell(vector, index) {
  if (vector === null || !vector.isValid(index)) return null;
  const [data, local] = locateChunk(vector, index);
  return formatData(data, local);
}

// UHUGEINT arrives as 16 little-endian bytes.
function formatUnsignedCell(vector, index) {
  if (!vector.isValid(index)) return null;
  const bytes = vector.get(index);
  let result = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) result = (result << 8n) | BigInt(bytes[i]);
  return result.toString();
}

// A Vector may span several Data chunks, and raw buffer reads need the chunk.
function locateChunk(vector, index) {
  let local = index;
  for (const data of vector.data) {
    if (local < data.length) return [data, local];
    local -= data.length;
  }
  throw new RangeError(`row ${index} is outside a vector of length ${vector.length}`);
}

function formatData(data, index) {
  const type = data.type;
  if (DataType.isNull(type)) return null;
  if (DataType.isTimestamp(type)) return formatTimestamp(BigInt(data.values[index]), type);
  if (DataType.isInterval(type)) return formatInterval(data, index);
  if (DataType.isStruct(type)) return formatStruct(data, index);
  const value = new Vector([data]).get(index);
  return formatValue(value, type);
}

function formatValue(value, type) {
  if (value === null || value === undefined) return null;
  if (DataType.isBool(type)) return value ? 'true' : 'false';
  if (DataType.isInt(type)) return String(value);
  if (DataType.isFloat(type)) return formatFloat(value, type);
  if (DataType.isDecimal(type)) return formatDecimal(value, type.scale);
  if (DataType.isDate(type)) return formatDate(value);
  if (DataType.isTime(type)) return formatTimeOfDay(BigInt(value), type.unit);
  if (DataType.isDuration(type)) return formatDuration(BigInt(value), type.unit);
  if (DataType.isBinary(type) || DataType.isLargeBinary(type) || DataType.isFixedSizeBinary(type)) {
    return formatBlob(value);
  }
  if (DataType.isList(type) || DataType.isFixedSizeList(type)) return formatList(value);
  if (DataType.isMap(type)) return formatMap(value, type);
  if (DataType.isDictionary(type)) return formatValue(value, type.dictionary);
  if (typeof value === 'string') return value;
  return formatPlain(value);
}

function formatFloat(value, type) {
  if (Number.isNaN(value)) return 'nan';
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '-inf';
  return formatShortestFloat(type.precision === PRECISION_DOUBLE ? value : shortestFloat32(value));
}

// A FLOAT read into a double carries float noise (0.1 is 0.10000000149011612),
// so this returns the double with the fewest digits that reads back as the
// same FLOAT.
function shortestFloat32(value) {
  for (let digits = 1; digits <= 9; digits++) {
    const candidate = Number(value.toPrecision(digits));
    if (Math.fround(candidate) === value) return candidate;
  }
  return value;
}

// Prints the shortest round-trip digits as DuckDB does (the same rule as
// Python's repr): positional with at least one fraction digit while the
// decimal exponent is from -4 to 15, else scientific with a two-digit exponent.
function formatShortestFloat(value) {
  const [mantissa, exponentText] = value.toExponential().split('e');
  const exponent = Number(exponentText);
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '');
  const sign = negative || Object.is(value, -0) ? '-' : '';
  if (exponent < -4 || exponent >= 16) {
    const fraction = digits.length > 1 ? `.${digits.slice(1)}` : '';
    const exponentSign = exponent < 0 ? '-' : '+';
    return `${sign}${digits[0]}${fraction}e${exponentSign}${pad(Math.abs(exponent), 2)}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
  const fraction = digits.slice(exponent + 1) || '0';
  return `${sign}${whole}.${fraction}`;
}

/** Reads a little-endian two's complement integer of any width (Arrow's BigNum words). */
export function wordsToBigInt(words) {
  if (typeof words === 'bigint') return words;
  if (typeof words === 'number') return BigInt(words);
  const bytes = new Uint8Array(words.buffer, words.byteOffset, words.byteLength);
  let result = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) {
    result = (result << 8n) | BigInt(bytes[i]);
  }
  const bits = BigInt(bytes.length * 8);
  if (bytes.length > 0 && bytes[bytes.length - 1] & 0x80) {
    result -= 1n << bits;
  }
  return result;
}

/** Formats an unscaled decimal (BigNum words or BigInt) with `scale` fraction digits. */
export function formatDecimal(unscaled, scale) {
  const integer = wordsToBigInt(unscaled);
  const negative = integer < 0n;
  const digits = (negative ? -integer : integer).toString();
  if (scale <= 0) return (negative ? '-' : '') + digits + '0'.repeat(-scale);
  const padded = digits.padStart(scale + 1, '0');
  const whole = padded.slice(0, padded.length - scale);
  const fraction = padded.slice(padded.length - scale);
  return `${negative ? '-' : ''}${whole}.${fraction}`;
}

function pad(number, width) {
  return String(number).padStart(width, '0');
}

// Arrow 17 returns dates as milliseconds since the epoch; later versions may
// return a Date, so both are accepted.
function formatDate(value) {
  const ms = value instanceof Date ? value.getTime() : Number(value);
  return formatEpochDay(Math.floor(ms / MS_PER_DAY));
}

function formatEpochDay(day) {
  const date = new Date(day * MS_PER_DAY);
  const year = date.getUTCFullYear();
  const monthDay = `${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}`;
  // DuckDB writes years before 1 AD as positive years with a (BC) suffix.
  if (year <= 0) return `${pad(1 - year, 4)}-${monthDay} (BC)`;
  return `${pad(year, 4)}-${monthDay}`;
}

// `ticks` counts time units since midnight. DuckDB drops trailing zeros of the fraction.
function formatTimeOfDay(ticks, unit) {
  const perSecond = TIME_UNIT_PER_SECOND[unit];
  const seconds = ticks / perSecond;
  const fraction = ticks % perSecond;
  const hours = seconds / 3600n;
  const minutes = (seconds / 60n) % 60n;
  let text = `${pad(hours, 2)}:${pad(minutes, 2)}:${pad(seconds % 60n, 2)}`;
  if (fraction !== 0n) {
    text += '.' + pad(fraction, TIME_UNIT_DIGITS[unit]).replace(/0+$/, '');
  }
  return text;
}

function formatTimestamp(ticks, type) {
  const perDay = SECONDS_PER_DAY * TIME_UNIT_PER_SECOND[type.unit];
  let day = ticks / perDay;
  let rest = ticks % perDay;
  if (rest < 0n) {
    rest += perDay;
    day -= 1n;
  }
  const text = `${formatEpochDay(Number(day))} ${formatTimeOfDay(rest, type.unit)}`;
  // DuckDB hands TIMESTAMPTZ to Arrow in UTC, so the offset is always +00.
  return type.timezone ? `${text}+00` : text;
}

function formatDuration(ticks, unit) {
  return formatIntervalParts(0, 0, ticks * (1000000000n / TIME_UNIT_PER_SECOND[unit]));
}

// Arrow 17's getter misreads MONTH_DAY_NANO (DuckDB's INTERVAL), so the
// buffer is read directly: months int32, days int32, nanoseconds int64.
function formatInterval(data, index) {
  const unit = data.type.unit;
  const values = data.values;
  if (unit === INTERVAL_YEAR_MONTH) return formatIntervalParts(values[index], 0, 0n);
  if (unit === INTERVAL_DAY_TIME) {
    return formatIntervalParts(0, values[2 * index], BigInt(values[2 * index + 1]) * 1000000n);
  }
  const words = new Int32Array(values.buffer, values.byteOffset + index * 16, 4);
  const nanos = (BigInt(words[3]) << 32n) | BigInt(words[2] >>> 0);
  return formatIntervalParts(words[0], words[1], nanos);
}

function formatIntervalParts(months, days, nanos) {
  const parts = [];
  const years = Math.trunc(months / 12);
  const restMonths = months % 12;
  if (years !== 0) parts.push(`${years} year${Math.abs(years) === 1 ? '' : 's'}`);
  if (restMonths !== 0) parts.push(`${restMonths} month${Math.abs(restMonths) === 1 ? '' : 's'}`);
  if (days !== 0) parts.push(`${days} day${Math.abs(days) === 1 ? '' : 's'}`);
  const micros = nanos / 1000n;
  if (micros !== 0n || parts.length === 0) {
    const negative = micros < 0n;
    const time = formatTimeOfDay(negative ? -micros : micros, 2);
    parts.push(negative ? `-${time}` : time);
  }
  return parts.join(' ');
}

// DuckDB prints a BLOB's printable ASCII bytes as is and the rest as \xHH.
function formatBlob(bytes) {
  let text = '';
  for (const byte of bytes) {
    const printable = byte >= 0x20 && byte < 0x7f && byte !== 0x5c;
    text += printable ? String.fromCharCode(byte) : `\\x${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return text;
}

function formatNested(vector, index) {
  const text = formatCell(vector, index);
  return text === null ? 'NULL' : text;
}

function formatList(list) {
  const items = [];
  for (let i = 0; i < list.length; i++) items.push(formatNested(list, i));
  return `[${items.join(', ')}]`;
}

function formatStruct(data, index) {
  const vector = new Vector([data]);
  const entries = data.type.children.map((field, child) => {
    const text = formatNested(vector.getChildAt(child), index);
    return `'${field.name}': ${text}`;
  });
  return `{${entries.join(', ')}}`;
}

function formatMap(row, type) {
  const [keyField, valueField] = type.children[0].type.children;
  const entries = [];
  for (const [key, value] of row) {
    const keyText = formatValue(key, keyField.type) ?? 'NULL';
    const valueText = formatValue(value, valueField.type) ?? 'NULL';
    entries.push(`${keyText}=${valueText}`);
  }
  return `{${entries.join(', ')}}`;
}

// Last resort for values whose Arrow type is not handled above.
function formatPlain(value) {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return value.toString();
  if (ArrayBuffer.isView(value)) return wordsToBigInt(value).toString();
  if (typeof value === 'object') {
    return JSON.stringify(value, (_, inner) => (typeof inner === 'bigint' ? inner.toString() : inner));
  }
  return String(value);
}
