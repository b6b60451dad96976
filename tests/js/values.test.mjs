// Unit tests of www/src/values.js on Arrow data built here, for the cases
// that the browser tests cannot make DuckDB return. apache-arrow is imported
// by file because values.js gets the ES module build, and Arrow's classes
// from its CommonJS build would be different classes.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as arrow from '../../www/node_modules/apache-arrow/Arrow.node.mjs';
import { formatCell, formatDecimal, tableToResult, typeName, wordsToBigInt } from '../../www/src/values.js';

function int128Words(value) {
  const words = new Uint32Array(4);
  let rest = BigInt.asUintN(128, value);
  for (let i = 0; i < 4; i++) {
    words[i] = Number(rest & 0xffffffffn);
    rest >>= 32n;
  }
  return words;
}

test('wordsToBigInt reads two\'s complement', () => {
  assert.equal(wordsToBigInt(int128Words(0n)), 0n);
  assert.equal(wordsToBigInt(int128Words(-1n)), -1n);
  assert.equal(wordsToBigInt(int128Words(2n ** 127n - 1n)), 2n ** 127n - 1n);
  assert.equal(wordsToBigInt(int128Words(-(2n ** 127n))), -(2n ** 127n));
  assert.equal(wordsToBigInt(5n), 5n);
});

test('formatDecimal places the point', () => {
  const cases = [
    [1250n, 2, '12.50'],
    [-75n, 2, '-0.75'],
    [5n, 3, '0.005'],
    [-1n, 3, '-0.001'],
    [0n, 2, '0.00'],
    [42n, 0, '42'],
    [12345678901234567890123456789n, 4, '1234567890123456789012345.6789'],
  ];
  for (const [unscaled, scale, expected] of cases) {
    assert.equal(formatDecimal(int128Words(unscaled), scale), expected, `${unscaled} at scale ${scale}`);
  }
});

test('typeName spells DuckDB types', () => {
  const cases = [
    [new arrow.Int64(), 'BIGINT'],
    [new arrow.Int32(), 'INTEGER'],
    [new arrow.Uint8(), 'UTINYINT'],
    [new arrow.Float64(), 'DOUBLE'],
    [new arrow.Float32(), 'FLOAT'],
    [new arrow.Decimal(2, 18, 128), 'DECIMAL(18,2)'],
    [new arrow.Decimal(0, 38, 128), 'HUGEINT'],
    [new arrow.Utf8(), 'VARCHAR'],
    [new arrow.Bool(), 'BOOLEAN'],
    [new arrow.DateDay(), 'DATE'],
    [new arrow.TimestampMicrosecond(), 'TIMESTAMP'],
    [new arrow.TimestampMicrosecond('UTC'), 'TIMESTAMP WITH TIME ZONE'],
    [new arrow.TimestampNanosecond(), 'TIMESTAMP_NS'],
    [new arrow.List(new arrow.Field('item', new arrow.Int32())), 'INTEGER[]'],
    [new arrow.Struct([new arrow.Field('a', new arrow.Int32()), new arrow.Field('Big Name', new arrow.Utf8())]),
      'STRUCT(a INTEGER, "Big Name" VARCHAR)'],
  ];
  for (const [type, expected] of cases) {
    assert.equal(typeName(type), expected, String(type));
  }
});

test('formatCell converts basic vectors', () => {
  assert.equal(formatCell(arrow.vectorFromArray([1n, null], new arrow.Int64()), 0), '1');
  assert.equal(formatCell(arrow.vectorFromArray([1n, null], new arrow.Int64()), 1), null);
  assert.equal(formatCell(arrow.vectorFromArray(['a'], new arrow.Utf8()), 0), 'a');
  assert.equal(formatCell(arrow.vectorFromArray([true], new arrow.Bool()), 0), 'true');
  assert.equal(formatCell(arrow.vectorFromArray([Number.NaN], new arrow.Float64()), 0), 'nan');
  assert.equal(formatCell(arrow.vectorFromArray([Math.fround(0.1)], new arrow.Float32()), 0), '0.1');
});

test('formatCell finds rows in later chunks', () => {
  const first = arrow.vectorFromArray([1, 2], new arrow.Int32());
  const second = arrow.vectorFromArray([3, 4], new arrow.Int32());
  const both = first.concat(second);
  assert.equal(both.data.length, 2, 'concat made one chunk, so this test checks nothing');
  assert.equal(formatCell(both, 2), '3');
  assert.equal(formatCell(both, 3), '4');
});

test('tableToResult limits rows and counts all', () => {
  const table = arrow.tableFromArrays({ id: Int32Array.from([1, 2, 3]), name: ['a', 'b', 'c'] });
  const result = tableToResult(table, 2);
  assert.deepEqual(result.columns, [{ name: 'id', type: 'INTEGER' }, { name: 'name', type: 'VARCHAR' }]);
  assert.deepEqual(result.rows, [['1', 'a'], ['2', 'b']]);
  assert.equal(result.rowCount, 3);
});
