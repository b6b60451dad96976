# Each example: code, intro sentence, failing files, files shown, fix files, fix sentence.
SOURCES = """CREATE TABLE raw.customers (
    id INTEGER NOT NULL,
    first_name VARCHAR,
    last_name VARCHAR
);
CREATE TABLE raw.orders (
    id INTEGER NOT NULL,
    customer_id INTEGER,
    amount DECIMAL(10,2),
    ordered_at DATE,
    status VARCHAR
);
"""
ROCKY = '[project]\nname = "shop"\n'
HEADER = "id,customer_id,amount,ordered_at,status\n1,1,9.50,2024-01-02,placed\n"

E = []
def ex(code, intro, files, fix, fix_text=None, show=None, fix_show=None, remove=(), note=None, allow=()):
    E.append(dict(code=code, intro=intro, files=files, fix=fix, fix_text=fix_text, note=note, allow=allow,
                  show=show if show is not None else list(files), fix_show=fix_show if fix_show is not None else list(fix), remove=remove))

ex("E0001", "A parenthesis is left open, so the parser stops at the next keyword.",
   {"models/order_totals.sql": "SELECT customer_id, sum(amount\nFROM orders\nGROUP BY customer_id\n"},
   {"models/order_totals.sql": "SELECT customer_id, sum(amount)\nFROM orders\nGROUP BY customer_id\n"})
ex("E0002", "A model file contains a CREATE TABLE instead of a query.",
   {"models/big_orders.sql": "CREATE TABLE big_orders AS\nSELECT * FROM orders WHERE amount > 100\n"},
   {"models/big_orders.sql": "SELECT * FROM orders WHERE amount > 100\n"},
   "Keep only the SELECT; Rocky creates the table `big_orders` from the file name.")
ex("E0003", "A string in rocky.toml is not closed.",
   {"rocky.toml": '[project]\nname = "shop\n'},
   {"rocky.toml": '[project]\nname = "shop"\n'})
ex("E0004", "A source column has a misspelled type.",
   {"sources/payments.sql": "CREATE TABLE raw.payments (id INTEGER, method VARCHR);\n"},
   {"sources/payments.sql": "CREATE TABLE raw.payments (id INTEGER, method VARCHAR);\n"})
ex("E0005", "`data/orders.csv` has three columns, but `raw.orders` declares five.",
   {"data/orders.csv": "id,customer_id,amount\n1,1,9.50\n"},
   {"data/orders.csv": HEADER},
   "Give the CSV file the declared columns, in the declared order (or change the CREATE TABLE to match the file).")
ex("E0101", "A column name is misspelled.",
   {"models/order_amounts.sql": "SELECT id, amount_x\nFROM orders\n"},
   {"models/order_amounts.sql": "SELECT id, amount\nFROM orders\n"})
ex("E0102", "Both tables of the join have an `id` column.",
   {"models/customer_orders.sql": "SELECT id, first_name, amount\nFROM customers\nJOIN orders ON customers.id = orders.customer_id\n"},
   {"models/customer_orders.sql": "SELECT orders.id, first_name, amount\nFROM customers\nJOIN orders ON customers.id = orders.customer_id\n"})
ex("E0103", "A table name is misspelled.",
   {"models/recent_orders.sql": "SELECT id FROM ordrs\nWHERE ordered_at > DATE '2024-01-01'\n"},
   {"models/recent_orders.sql": "SELECT id FROM orders\nWHERE ordered_at > DATE '2024-01-01'\n"})
ex("E0104", "Two models read each other. Each model of the cycle gets the error.",
   {"models/customer_totals.sql": "SELECT customer_id, total FROM customer_ranks\n",
    "models/customer_ranks.sql": "SELECT customer_id, sum(amount) AS total\nFROM customer_totals\nGROUP BY customer_id\n"},
   {"models/customer_totals.sql": "SELECT customer_id, sum(amount) AS total\nFROM orders\nGROUP BY customer_id\n",
    "models/customer_ranks.sql": "SELECT customer_id, total, rank() OVER (ORDER BY total DESC) AS place\nFROM customer_totals\n"},
   "Let one model read the sources, and the other read it.")
ex("E0105", "The qualifier `ordr` names no table of the FROM clause.",
   {"models/order_ids.sql": "SELECT ordr.id FROM orders\n"},
   {"models/order_ids.sql": "SELECT orders.id FROM orders\n"})
ex("E0106", "`models/revenue.sql` and `models/marts/revenue.sql` both define the model `revenue`. Files are read in path order, so the second one gets the error.",
   {"models/marts/revenue.sql": "SELECT sum(amount) AS revenue FROM orders\n",
    "models/revenue.sql": "SELECT ordered_at, sum(amount) AS revenue\nFROM orders\nGROUP BY ordered_at\n"},
   {"models/marts/revenue.sql": "SELECT sum(amount) AS revenue FROM orders\n",
    "models/daily_revenue.sql": "SELECT ordered_at, sum(amount) AS revenue\nFROM orders\nGROUP BY ordered_at\n"},
   "Rename one of the files, for example to `models/daily_revenue.sql`.",
   fix_show=[], remove=("models/revenue.sql",))
ex("E0107", "`sources/staging.sql` declares `raw.orders` again.",
   {"sources/staging.sql": "CREATE TABLE raw.orders (id INTEGER, amount DECIMAL(10,2));\n"},
   {"sources/staging.sql": "CREATE TABLE staging.orders (id INTEGER, amount DECIMAL(10,2));\n"},
   "Remove the second declaration, or declare the table under another name.")
ex("E0108", "A seed INSERT names a table that no CREATE TABLE declares (`raw.payment` for `raw.payments`).",
   {"sources/payments.sql": "CREATE TABLE raw.payments (id INTEGER, method VARCHAR);\nINSERT INTO raw.payment VALUES (1, 'card');\n"},
   {"sources/payments.sql": "CREATE TABLE raw.payments (id INTEGER, method VARCHAR);\nINSERT INTO raw.payments VALUES (1, 'card');\n"},
)
ex("E0109", "rocky.toml names a CSV file that is not in the project.",
   {"rocky.toml": ROCKY + '\n[sources.orders]\ndata = "data/order.csv"\n', "data/orders.csv": HEADER},
   {"rocky.toml": ROCKY + '\n[sources.orders]\ndata = "data/orders.csv"\n', "data/orders.csv": HEADER},
   show=["rocky.toml"], fix_show=["rocky.toml"])
ex("E0110", "The branches of a UNION select different numbers of columns.",
   {"models/people.sql": "SELECT id, first_name FROM customers\nUNION ALL\nSELECT id FROM orders\n"},
   {"models/people.sql": "SELECT id, first_name FROM customers\nUNION ALL\nSELECT id, NULL FROM orders\n"})
ex("E0111", "`SELECT *` with nothing to select from.",
   {"models/everything.sql": "SELECT *\n"},
   {"models/everything.sql": "SELECT * FROM orders\n"})
ex("E0112", "The model `countries` has the name of the unqualified source `countries`; both would be the DuckDB table `countries`.",
   {"sources/countries.sql": "CREATE TABLE countries (code VARCHAR, name VARCHAR);\n",
    "models/countries.sql": "SELECT code, upper(name) AS name FROM countries\n"},
   {"sources/countries.sql": "CREATE TABLE raw.countries (code VARCHAR, name VARCHAR);\n",
    "models/countries.sql": "SELECT code, upper(name) AS name FROM raw.countries\n"},
   "Declare the source in a schema, or rename the model.")
ex("E0113", "One WITH defines `totals` twice.",
   {"models/top_customers.sql": "WITH totals AS (SELECT customer_id, sum(amount) AS total FROM orders GROUP BY customer_id),\ntotals AS (SELECT * FROM totals WHERE total > 100)\nSELECT * FROM totals\n"},
   {"models/top_customers.sql": "WITH totals AS (SELECT customer_id, sum(amount) AS total FROM orders GROUP BY customer_id),\nbig_totals AS (SELECT * FROM totals WHERE total > 100)\nSELECT * FROM big_totals\n"})
ex("E0114", "JSON_TABLE is not DuckDB SQL, and Rocky does not analyze it.",
   {"models/numbers.sql": "SELECT x\nFROM JSON_TABLE('[1, 2]', '$[*]' COLUMNS (x INTEGER PATH '$'))\n"},
   {"models/numbers.sql": "SELECT CAST(unnest(json_extract('[1, 2]', '$[*]')) AS INTEGER) AS x\n"},
   "The same values, read with DuckDB's JSON functions:")
ex("E0201", "A DATE is compared with a VARCHAR column. DuckDB casts a VARCHAR value implicitly only for `=` and `<>`.",
   {"models/late_orders.sql": "SELECT id\nFROM orders\nWHERE ordered_at < status\n"},
   {"models/late_orders.sql": "SELECT id\nFROM orders\nWHERE ordered_at < CAST(status AS DATE)\n"})
ex("E0202", "`row_number` is a window function and needs OVER.",
   {"models/numbered_orders.sql": "SELECT id, row_number() AS position\nFROM orders\n"},
   {"models/numbered_orders.sql": "SELECT id, row_number() OVER (ORDER BY ordered_at) AS position\nFROM orders\n"})
ex("E0203", "A function name is misspelled.",
   {"models/status_lengths.sql": "SELECT id, lenght(status) AS status_length\nFROM orders\n"},
   {"models/status_lengths.sql": "SELECT id, length(status) AS status_length\nFROM orders\n"})
ex("E0204", "`sum` has no overload for VARCHAR.",
   {"models/status_sums.sql": "SELECT sum(status) AS total\nFROM orders\n"},
   {"models/status_sums.sql": "SELECT sum(amount) AS total\nFROM orders\n"},
   "Aggregate a numeric column, or cast the argument, for example `sum(CAST(status AS INTEGER))`.")
ex("E0205", "`ordered_at` is neither a GROUP BY key nor aggregated.",
   {"models/customer_totals.sql": "SELECT customer_id, ordered_at, sum(amount) AS total\nFROM orders\nGROUP BY customer_id\n"},
   {"models/customer_totals.sql": "SELECT customer_id, max(ordered_at) AS last_order, sum(amount) AS total\nFROM orders\nGROUP BY customer_id\n"},
   "Aggregate the column, or add it to GROUP BY.")
ex("E0206", "An aggregate in WHERE; WHERE filters rows before they are grouped.",
   {"models/big_customers.sql": "SELECT customer_id\nFROM orders\nWHERE sum(amount) > 100\nGROUP BY customer_id\n"},
   {"models/big_customers.sql": "SELECT customer_id\nFROM orders\nGROUP BY customer_id\nHAVING sum(amount) > 100\n"})
ex("E0207", "An `expression` test computes a number instead of a condition.",
   {"models/order_amounts.sql": "SELECT id, amount FROM orders\n",
    "models/order_amounts.toml": '[[tests]]\ntype = "expression"\nexpression = "amount + 1"\n'},
   {"models/order_amounts.sql": "SELECT id, amount FROM orders\n",
    "models/order_amounts.toml": '[[tests]]\ntype = "expression"\nexpression = "amount >= 0"\n'},
   show=["models/order_amounts.toml"], fix_show=["models/order_amounts.toml"])
ex("W0001", "The project has no rocky.toml. The warning has no position.",
   {}, {"rocky.toml": ROCKY}, "Add a rocky.toml with the project's name.", remove=("rocky.toml",))
ex("W0002", "A model sidecar has a misspelled key.",
   {"models/big_orders.sql": "SELECT * FROM orders WHERE amount > 100\n", "models/big_orders.toml": 'strategi = "view"\n'},
   {"models/big_orders.sql": "SELECT * FROM orders WHERE amount > 100\n", "models/big_orders.toml": 'strategy = "view"\n'},
   show=["models/big_orders.toml"], fix_show=["models/big_orders.toml"])
ex("W0004", "A source file creates an index; Rocky ignores it.",
   {"sources/payments.sql": "CREATE INDEX orders_customer ON raw.orders (customer_id);\n"},
   {"sources/payments.sql": "CREATE TABLE raw.payments (id INTEGER, method VARCHAR);\n"},
   "Keep only CREATE SCHEMA, CREATE TABLE and INSERT statements in source files.", fix_show=[])
ex("W0005", "A `[[tests]]` entry has no `type`.",
   {"models/order_ids.sql": "SELECT id FROM orders\n", "models/order_ids.toml": '[[tests]]\ncolumn = "id"\n'},
   {"models/order_ids.sql": "SELECT id FROM orders\n", "models/order_ids.toml": '[[tests]]\ntype = "unique"\ncolumn = "id"\n'},
   show=["models/order_ids.toml"], fix_show=["models/order_ids.toml"])
ex("W0006", "The second column of `data/orders.csv` is `customer`, where `raw.orders` declares `customer_id`.",
   {"data/orders.csv": "id,customer,amount,ordered_at,status\n1,1,9.50,2024-01-02,placed\n"},
   {"data/orders.csv": HEADER})
ex("W0007", "`depends_on` is a string, not a list.",
   {"models/order_ids.sql": "SELECT id FROM orders\n", "models/order_ids.toml": 'depends_on = "customers"\n'},
   {"models/order_ids.sql": "SELECT id FROM orders\n", "models/order_ids.toml": 'depends_on = ["customers"]\n'},
   show=["models/order_ids.toml"], fix_show=["models/order_ids.toml"])
ex("W0008", "A sidecar names a strategy that Rocky does not define.",
   {"models/order_ids.sql": "SELECT id FROM orders\n", "models/order_ids.toml": '[strategy]\ntype = "incremantal"\n'},
   {"models/order_ids.sql": "SELECT id FROM orders\n", "models/order_ids.toml": '[strategy]\ntype = "incremental"\n'},
   show=["models/order_ids.toml"], fix_show=["models/order_ids.toml"])
ex("W0009", "`depends_on` names a model that does not exist.",
   {"models/stg_orders.sql": "SELECT id, amount FROM orders\n", "models/order_ids.sql": "SELECT id FROM orders\n",
    "models/order_ids.toml": 'depends_on = ["stg_order"]\n'},
   {"models/stg_orders.sql": "SELECT id, amount FROM orders\n", "models/order_ids.sql": "SELECT id FROM orders\n",
    "models/order_ids.toml": 'depends_on = ["stg_orders"]\n'},
   show=["models/order_ids.toml"], fix_show=["models/order_ids.toml"])
ex("W0010", "A test names a column the model does not output.",
   {"models/order_amounts.sql": "SELECT id, amount FROM orders\n",
    "models/order_amounts.toml": '[[tests]]\ntype = "not_null"\ncolumn = "amount_x"\n'},
   {"models/order_amounts.sql": "SELECT id, amount FROM orders\n",
    "models/order_amounts.toml": '[[tests]]\ntype = "not_null"\ncolumn = "amount"\n'},
   show=["models/order_amounts.toml"], fix_show=["models/order_amounts.toml"])
ex("W0011", "A test names a type Rocky does not define.",
   {"models/order_ids.sql": "SELECT id FROM orders\n", "models/order_ids.toml": '[[tests]]\ntype = "uniqe"\ncolumn = "id"\n'},
   {"models/order_ids.sql": "SELECT id FROM orders\n", "models/order_ids.toml": '[[tests]]\ntype = "unique"\ncolumn = "id"\n'},
   show=["models/order_ids.toml"], fix_show=["models/order_ids.toml"])
ex("W0012", "A `relationships` test has no `field`, the column of `to` that each value must match.",
   {"models/order_ids.sql": "SELECT id, customer_id FROM orders\n",
    "models/order_ids.toml": '[[tests]]\ntype = "relationships"\ncolumn = "customer_id"\nto = "customers"\n'},
   {"models/order_ids.sql": "SELECT id, customer_id FROM orders\n",
    "models/order_ids.toml": '[[tests]]\ntype = "relationships"\ncolumn = "customer_id"\nto = "customers"\nfield = "id"\n'},
   show=["models/order_ids.toml"], fix_show=["models/order_ids.toml"])
ex("W0013", "Two tests of `order_ids` have the same name, so their results cannot be told apart.",
   {"models/order_ids.sql": "SELECT id, status FROM orders\n",
    "models/order_ids.toml": '[[tests]]\ntype = "not_null"\ncolumn = "id"\n\n[[tests]]\ntype = "not_null"\ncolumn = "id"\nwhere = "status = \'placed\'"\nname = "not_null_order_ids_id"\n'},
   {"models/order_ids.sql": "SELECT id, status FROM orders\n",
    "models/order_ids.toml": '[[tests]]\ntype = "not_null"\ncolumn = "id"\n\n[[tests]]\ntype = "not_null"\ncolumn = "id"\nwhere = "status = \'placed\'"\nname = "placed_orders_have_ids"\n'},
   show=["models/order_ids.toml"], fix_show=["models/order_ids.toml"])
ex("W0014", "A column invariant is misspelled, so it is not in the invariant vocabulary of docs/intent.md.",
   {"models/order_amounts.sql": "SELECT id, amount FROM orders\n",
    "models/order_amounts.toml": '[columns.amount]\ninvariants = ["never negativ"]\n'},
   {"models/order_amounts.toml": '[columns.amount]\ninvariants = ["never negative"]\n'},
   show=["models/order_amounts.toml"], fix_show=["models/order_amounts.toml"])
ex("W0015", "The grain names a column the model does not output.",
   {"models/order_ids.sql": "SELECT id AS order_id, customer_id FROM orders\n",
    "models/order_ids.toml": 'grain = ["id"]\n'},
   {"models/order_ids.toml": 'grain = ["order_id"]\n'},
   show=["models/order_ids.toml"], fix_show=["models/order_ids.toml"])
ex("W0016", "The model states one row per customer, but it groups by customer and status, so a customer can have several rows.",
   {"models/customer_totals.sql": "SELECT customer_id, status, sum(amount) AS total\nFROM orders\nGROUP BY customer_id, status\n",
    "models/customer_totals.toml": 'grain = ["customer_id"]\n'},
   {"models/customer_totals.toml": 'grain = ["customer_id", "status"]\n'},
   show=["models/customer_totals.sql", "models/customer_totals.toml"], fix_show=["models/customer_totals.toml"])
ex("W0017", "A column invariant cannot hold for the column's type: `status` is VARCHAR, so it is never a number below zero.",
   {"models/order_status.sql": "SELECT id, status FROM orders\n",
    "models/order_status.toml": '[columns.status]\ninvariants = ["never negative"]\n'},
   {"models/order_status.toml": '[columns.status]\ninvariants = ["values in (\'placed\', \'shipped\')"]\n'},
   show=["models/order_status.toml"], fix_show=["models/order_status.toml"])
ex("W0101", "After its WITH clause, the query is an INSERT, so the model has no columns Rocky can infer.",
   {"models/big_orders.sql": "WITH big AS (SELECT * FROM orders WHERE amount > 100)\nINSERT INTO big_orders SELECT * FROM big\n"},
   {"models/big_orders.sql": "WITH big AS (SELECT * FROM orders WHERE amount > 100)\nSELECT * FROM big\n"},
   note="Rocky does not read the INSERT, so the CTE `big` also counts as unused (W0104).",
   allow=("W0104",))
ex("W0103", "A CAST to a type Rocky does not know; the column's type is UNKNOWN.",
   {"models/order_amounts.sql": "SELECT id, CAST(amount AS MONEY) AS amount\nFROM orders\n"},
   {"models/order_amounts.sql": "SELECT id, CAST(amount AS DECIMAL(12,2)) AS amount\nFROM orders\n"})
ex("W0104", "The CTE `big` is defined but never read.",
   {"models/order_ids.sql": "WITH big AS (SELECT * FROM orders WHERE amount > 100)\nSELECT id FROM orders\n"},
   {"models/order_ids.sql": "WITH big AS (SELECT * FROM orders WHERE amount > 100)\nSELECT id FROM big\n"})
ex("W0105", "A PIVOT statement has no IN list, so its columns are the values in the data and Rocky cannot list them.",
   {"models/amount_by_status.sql": "PIVOT orders ON status USING sum(amount)\n"},
   {"models/amount_by_status.sql": "PIVOT orders ON status IN ('placed', 'shipped') USING sum(amount)\n"},
   "List the values; each becomes a typed column:")
ex("W0106", "Rocky cannot evaluate this `COLUMNS` lambda on the column names.",
   {"models/long_names.sql": "SELECT COLUMNS(c -> length(c) > 3)\nFROM orders\n"},
   {"models/long_names.sql": "SELECT COLUMNS(c -> c LIKE '%_id')\nFROM orders\n"},
   "Select the columns with a test Rocky evaluates, such as LIKE:")
ex("W0107", "A CASE mixes a DECIMAL column with a DOUBLE, so DuckDB makes the result DOUBLE.",
   {"models/order_values.sql": "SELECT CASE WHEN status = 'placed' THEN amount ELSE CAST(id AS DOUBLE) END AS value\nFROM orders\n"},
   {"models/order_values.sql": "SELECT CASE WHEN status = 'placed' THEN amount ELSE CAST(id AS DECIMAL(10,2)) END AS value\nFROM orders\n"})
ex("W0109", "A model reads a CSV file through `read_csv`, whose columns are known only when DuckDB runs it.",
   {"models/refund_list.sql": "SELECT * FROM read_csv('data/refunds.csv')\n"},
   {"models/refund_list.sql": "SELECT * FROM refunds\n",
    "sources/refunds.sql": "CREATE TABLE refunds (id INTEGER, order_id INTEGER, amount DECIMAL(10,2));\n",
    "data/refunds.csv": "id,order_id,amount\n1,1,9.50\n"},
   "Declare the file as a source table with its columns, and read the table:")
