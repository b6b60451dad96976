"""Schema and data shared by Rocky (sources/*.sql) and DuckDB."""

SOURCES = {
    "t": """CREATE TABLE t (
    id INTEGER NOT NULL,
    a INTEGER,
    b BIGINT,
    c DOUBLE,
    d DECIMAL(10,2),
    s VARCHAR,
    s2 VARCHAR NOT NULL,
    dt DATE,
    ts TIMESTAMP,
    tstz TIMESTAMPTZ,
    flag BOOLEAN,
    ti TINYINT,
    si SMALLINT,
    hi HUGEINT,
    ui UINTEGER,
    f FLOAT,
    tm TIME,
    iv INTERVAL,
    bl BLOB,
    uu UUID,
    d2 DECIMAL(18,4) NOT NULL,
    n INTEGER NOT NULL
);""",
    "u": """CREATE TABLE u (
    id INTEGER NOT NULL,
    t_id INTEGER,
    name VARCHAR,
    amount DECIMAL(12,3),
    dt DATE,
    ts TIMESTAMP,
    k INTEGER NOT NULL
);""",
    "nest": """CREATE TABLE nest (
    id INTEGER NOT NULL,
    l INTEGER[],
    ls VARCHAR[],
    st STRUCT(x INTEGER, y VARCHAR),
    arr INTEGER[3],
    ll INTEGER[][],
    un UNION(num INTEGER, str VARCHAR),
    e ENUM('a', 'b', 'c'),
    j JSON,
    sl STRUCT(k VARCHAR, v INTEGER[])[],
    lnn INTEGER[] NOT NULL,
    stn STRUCT(x INTEGER, y VARCHAR) NOT NULL
);""",
    "ev": """CREATE TABLE ev (
    id INTEGER NOT NULL,
    ts TIMESTAMP NOT NULL,
    ts_s TIMESTAMP_S,
    ts_ms TIMESTAMP_MS,
    ts_ns TIMESTAMP_NS,
    val DOUBLE,
    k VARCHAR NOT NULL
);""",
    "p": """CREATE TABLE p (
    region VARCHAR NOT NULL,
    yr INTEGER NOT NULL,
    q VARCHAR,
    sales DECIMAL(10,2),
    units INTEGER
);""",
    "jj": """CREATE TABLE jj (
    id INTEGER NOT NULL,
    j JSON NOT NULL,
    d DATE NOT NULL,
    ts TIMESTAMP NOT NULL,
    li INTEGER[] NOT NULL
);""",
    "mp": """CREATE TABLE mp (
    id INTEGER NOT NULL,
    m MAP(VARCHAR, INTEGER)
);""",
}

# Data used to probe NOT NULL claims.  Nullable columns get NULLs, outer
# joins get unmatched keys, nested values get NULL elements and empties.
DATA = [
    """INSERT INTO t VALUES
 (1, 1, 10, 1.5, 1.25, 'x', 'a', DATE '2024-01-01', TIMESTAMP '2024-01-01 10:00:00', TIMESTAMPTZ '2024-01-01 10:00:00+00', true, 1, 1, 1, 1, 1.5, TIME '10:00:00', INTERVAL 1 DAY, 'ab'::BLOB, '00000000-0000-0000-0000-000000000001', 1.0, 1),
 (2, NULL, NULL, NULL, NULL, NULL, 'b', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 2.0, 2),
 (3, -5, 0, 0.0, 0, '', '', DATE '2023-12-31', TIMESTAMP '2023-12-31 23:59:59', TIMESTAMPTZ '2023-12-31 23:59:59+00', false, 0, 0, 0, 0, 0.0, TIME '00:00:00', INTERVAL 0 DAY, ''::BLOB, '00000000-0000-0000-0000-000000000003', 0.0, 0),
 (4, 2, 5, -1.0, 3.5, 'abc', 'a', DATE '2024-02-29', TIMESTAMP '2024-02-29 00:00:00', TIMESTAMPTZ '2024-02-29 00:00:00+00', true, -1, -1, -1, 7, -2.5, TIME '23:59:59', INTERVAL 2 HOUR, 'x'::BLOB, '00000000-0000-0000-0000-000000000004', -3.5, 5)""",
    """INSERT INTO u VALUES
 (1, 1, 'n1', 10.5, DATE '2024-01-01', TIMESTAMP '2024-01-01 10:00:00', 1),
 (2, 99, NULL, NULL, NULL, NULL, 2),
 (3, NULL, 'n3', 0, DATE '2024-03-01', TIMESTAMP '2024-03-01 00:00:00', 1),
 (4, 1, 'n4', -2.25, DATE '2024-01-05', TIMESTAMP '2024-01-05 00:00:00', 3)""",
    """INSERT INTO nest VALUES
 (1, [1, 2, NULL], ['a', 'b'], {'x': 1, 'y': 'a'}, [1, 2, 3], [[1], [2, 3]], union_value(num := 1), 'a', '{"a": 1, "b": [1,2]}', [{'k': 'a', 'v': [1]}], [1], {'x': 1, 'y': 'a'}),
 (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, [], {'x': NULL, 'y': NULL}),
 (3, [], [], {'x': NULL, 'y': NULL}, [NULL, NULL, NULL], [[], NULL], union_value(str := 's'), 'b', '[]', [], [NULL], {'x': 2, 'y': NULL}),
 (4, [NULL], [NULL], {'x': 3, 'y': 'c'}, [4, NULL, 6], [NULL], union_value(num := NULL), 'c', 'null', [NULL, {'k': NULL, 'v': NULL}], [2, 3], {'x': 3, 'y': 'z'})""",
    """INSERT INTO ev VALUES
 (1, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:00', 1.0, 'a'),
 (2, TIMESTAMP '2024-01-01 01:00:00', NULL, NULL, NULL, NULL, 'a'),
 (3, TIMESTAMP '2024-01-02 00:00:00', TIMESTAMP '2024-01-02 00:00:00', TIMESTAMP '2024-01-02 00:00:00', TIMESTAMP '2024-01-02 00:00:00', 3.0, 'b'),
 (4, TIMESTAMP '2024-01-03 00:00:00', NULL, NULL, NULL, 4.0, 'c')""",
    """INSERT INTO p VALUES
 ('east', 2023, 'Q1', 10.00, 1), ('east', 2023, 'Q2', NULL, NULL), ('west', 2023, 'Q1', 5.50, 2),
 ('west', 2024, NULL, 7.25, 3), ('north', 2024, 'Q3', 1.00, 4)""",
    """INSERT INTO jj VALUES
 (1, '{"a": 1, "b": [1, 2]}', DATE '2024-01-01', TIMESTAMP '2024-01-01 00:00:00', [1, 2]),
 (2, 'null', 'infinity'::DATE, 'infinity'::TIMESTAMP, [NULL]),
 (3, '[1, null]', '-infinity'::DATE, '-infinity'::TIMESTAMP, [])""",
    """INSERT INTO mp VALUES (1, MAP {'a': 1, 'b': NULL}), (2, NULL), (3, MAP {})""",
]
