//! A deterministic generator of Rocky projects of any size, for benchmarks
//! and tests. The same model count and seed always give the same files,
//! byte for byte, on every platform: the generator draws from its own
//! SplitMix64 generator and keeps every collection in a fixed order.
//!
//! # Shape
//!
//! - `rocky.toml` names the project `generated`. There are no data files.
//! - `sources/<table>.sql` declares five source tables with CREATE TABLE:
//!   `raw_customers`, `raw_orders`, `raw_products`, `raw_stores` and
//!   `raw_payments`. Their columns are integer ids, text, dates and numbers.
//! - `models/<name>.sql` contains one model each, in layers. The first
//!   layer has one staging model per source, `stg_<table>`, written as a chain of two
//!   CTEs. The other models are spread over about `sqrt(n / 2.5)` layers of
//!   equal width, so 1,000 models make 20 layers of about 50. They are
//!   named `int_<shape>_<number>`, or `mart_<shape>_<number>` in the last
//!   layer.
//! - Each model above the staging layer reads one model of the layer just
//!   below it, so the longest path through the DAG passes every layer. Up
//!   to two more inputs come mostly from the nearest layers below, and one
//!   time in twenty from a source table directly.
//! - A model's shape picks its SQL, one of:
//!   - `SELECT *` with a CASE column and a WHERE filter;
//!   - `* EXCLUDE` with a CAST in place of the excluded column;
//!   - a chain of two or three CTEs with arithmetic and CASE;
//!   - an INNER JOIN on keys, with an optional LEFT JOIN;
//!   - a LEFT JOIN ... USING, with an optional INNER JOIN;
//!   - GROUP BY with aggregates, at times over a subquery or with HAVING;
//!   - a LEFT JOIN followed by GROUP BY;
//!   - window functions (`row_number`, `sum ... OVER`, `lag`);
//!   - deduplication, with `row_number` in a CTE and
//!     `* EXCLUDE ... WHERE row_num = 1`;
//!   - UNION ALL of two or three inputs, with CASTs to common types.
//!
//!   The first ten models above staging take each shape once, so projects
//!   of 15 models or more have every shape. The rest are drawn at random
//!   with fixed weights, and so are the options within a shape (a third
//!   CTE, HAVING, a subquery). USING needs two inputs with a key name in
//!   common. The generator searches the nearest layers for one and joins
//!   with ON when none turns up.
//!
//! Every model is valid by construction. The generator tracks each model's
//! output columns with a type class (key, number, text, date), keeps at
//! least one column of each class in every model, qualifies column names
//! wherever two inputs are in scope, and gives every new column a name no
//! other column of the model has.
//!
//! NOTE: validity is checked by compiling generated projects in the tests
//! (zero error diagnostics for a few seeds at 100 and 1,000 models), not
//! proved for every seed.

use crate::ProjectFiles;

mod dbt;
pub use dbt::dbt_twin;

/// Generates a project of `models` models from `seed`; see the module
/// documentation for its shape. Fewer models than source tables gives only
/// the first staging models.
pub fn project(models: usize, seed: u64) -> ProjectFiles {
    let mut generator = Generator::new(seed);
    generator.write_project_file();
    generator.write_sources();
    generator.write_models(models);
    generator.files
}

/// A source column: its name, DuckDB type and class.
type SourceColumn = (&'static str, &'static str, Class);

/// The source tables, each with its name and columns.
const SOURCES: &[(&str, &[SourceColumn])] = &[
    (
        "raw_customers",
        &[
            ("customer_id", "INTEGER NOT NULL", Class::Key),
            ("store_id", "INTEGER", Class::Key),
            ("full_name", "VARCHAR", Class::Text),
            ("segment", "VARCHAR", Class::Text),
            ("signup_date", "DATE", Class::Date),
            ("credit_limit", "DECIMAL(10,2)", Class::Number),
        ],
    ),
    (
        "raw_orders",
        &[
            ("order_id", "INTEGER NOT NULL", Class::Key),
            ("customer_id", "INTEGER", Class::Key),
            ("product_id", "INTEGER", Class::Key),
            ("store_id", "INTEGER", Class::Key),
            ("order_date", "DATE", Class::Date),
            ("status", "VARCHAR", Class::Text),
            ("quantity", "INTEGER", Class::Number),
            ("amount", "DECIMAL(12,2)", Class::Number),
        ],
    ),
    (
        "raw_products",
        &[
            ("product_id", "INTEGER NOT NULL", Class::Key),
            ("category", "VARCHAR", Class::Text),
            ("title", "VARCHAR", Class::Text),
            ("launched_on", "DATE", Class::Date),
            ("price", "DECIMAL(10,2)", Class::Number),
            ("weight_kg", "DOUBLE", Class::Number),
        ],
    ),
    (
        "raw_stores",
        &[
            ("store_id", "INTEGER NOT NULL", Class::Key),
            ("region", "VARCHAR", Class::Text),
            ("city", "VARCHAR", Class::Text),
            ("opened_on", "DATE", Class::Date),
            ("floor_area", "INTEGER", Class::Number),
        ],
    ),
    (
        "raw_payments",
        &[
            ("payment_id", "INTEGER NOT NULL", Class::Key),
            ("order_id", "INTEGER", Class::Key),
            ("method", "VARCHAR", Class::Text),
            ("paid_at", "DATE", Class::Date),
            ("amount_cents", "BIGINT", Class::Number),
        ],
    ),
];

/// Models whose input has this many columns or more are not widened
/// further by `SELECT *, ...`, so column counts stay bounded.
const MAX_STAR_WIDTH: usize = 12;

/// The SplitMix64 generator: small and fast, and the same on every
/// platform because it uses only wrapping 64-bit arithmetic.
struct Rng {
    state: u64,
}

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Draws a number in `0..bound` by multiplying and shifting, with a
    /// bias below `bound / 2^64`. `bound` must be > 0.
    fn below(&mut self, bound: usize) -> usize {
        ((u128::from(self.next_u64()) * bound as u128) >> 64) as usize
    }

    fn percent(&mut self, chance: usize) -> bool {
        self.below(100) < chance
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// The type class of a column: what the generator may do with it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Class {
    /// An integer id, used as a join and grouping key.
    Key,
    /// Any numeric type: integers, DECIMAL, DOUBLE.
    Number,
    Text,
    Date,
}

const CLASSES: [Class; 4] = [Class::Key, Class::Number, Class::Text, Class::Date];

#[derive(Clone, Debug)]
struct Column {
    name: String,
    class: Class,
}

/// A source table or model as later models see it.
#[derive(Clone, Debug)]
struct Relation {
    name: String,
    columns: Vec<Column>,
}

impl Relation {
    fn of_class(&self, class: Class) -> Vec<&Column> {
        self.columns.iter().filter(|c| c.class == class).collect()
    }

    fn has(&self, name: &str) -> bool {
        self.columns.iter().any(|c| c.name == name)
    }

    /// Picks a column of `class`; every relation has one of each class.
    fn pick(&self, rng: &mut Rng, class: Class) -> Column {
        let columns = self.of_class(class);
        (*rng.pick(&columns)).clone()
    }

    /// Lists the key names this relation shares with `other`, in column
    /// order.
    fn common_keys(&self, other: &Relation) -> Vec<String> {
        self.of_class(Class::Key)
            .into_iter()
            .filter(|key| other.has(&key.name))
            .map(|key| key.name.clone())
            .collect()
    }
}

/// The form of a model's SQL: which constructs it uses and how many inputs
/// it reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    /// `SELECT *` plus a CASE column, with a WHERE filter.
    Enrich,
    /// `SELECT * EXCLUDE (...)` with a CAST in place of the excluded column.
    Refine,
    /// Two or three CTEs, each reading the one before.
    Chain,
    /// INNER JOIN on keys, then an optional LEFT JOIN.
    InnerJoin,
    /// LEFT JOIN ... USING on a shared key name, then an optional INNER JOIN.
    UsingJoin,
    /// GROUP BY with aggregates, sometimes over a subquery or with HAVING.
    Aggregate,
    /// A LEFT JOIN aggregated by the left side's key.
    JoinAggregate,
    /// Window functions over a partition.
    Window,
    /// The latest row per key, with `row_number` in a CTE.
    Dedupe,
    /// UNION ALL of two or three inputs.
    Union,
}

impl Shape {
    /// Every shape once, in the order the first models take them.
    const ALL: [Shape; 10] = [
        Shape::Enrich,
        Shape::Refine,
        Shape::Chain,
        Shape::InnerJoin,
        Shape::UsingJoin,
        Shape::Aggregate,
        Shape::JoinAggregate,
        Shape::Window,
        Shape::Dedupe,
        Shape::Union,
    ];

    /// Returns the relative frequency of the shape among the random models.
    fn weight(self) -> usize {
        match self {
            Shape::Enrich | Shape::Refine => 10,
            Shape::Chain | Shape::InnerJoin => 12,
            Shape::UsingJoin | Shape::JoinAggregate => 8,
            Shape::Aggregate => 14,
            Shape::Window | Shape::Dedupe => 8,
            Shape::Union => 6,
        }
    }

    fn label(self) -> &'static str {
        match self {
            Shape::Enrich => "enriched",
            Shape::Refine => "refined",
            Shape::Chain => "scored",
            Shape::InnerJoin => "joined",
            Shape::UsingJoin => "matched",
            Shape::Aggregate => "summary",
            Shape::JoinAggregate => "rollup",
            Shape::Window => "ranked",
            Shape::Dedupe => "latest",
            Shape::Union => "combined",
        }
    }

    fn draw(rng: &mut Rng) -> Shape {
        let total: usize = Shape::ALL.iter().map(|s| s.weight()).sum();
        let mut roll = rng.below(total);
        for shape in Shape::ALL {
            if roll < shape.weight() {
                return shape;
            }
            roll -= shape.weight();
        }
        unreachable!("the roll is below the sum of the weights")
    }

    /// Returns the minimum number of inputs a model of this shape needs.
    fn min_inputs(self) -> usize {
        match self {
            Shape::InnerJoin | Shape::UsingJoin | Shape::Union | Shape::JoinAggregate => 2,
            _ => 1,
        }
    }

    /// Draws how many inputs a model of this shape reads.
    fn input_count(self, rng: &mut Rng) -> usize {
        match self {
            Shape::InnerJoin | Shape::UsingJoin | Shape::Union => 2 + rng.below(2),
            Shape::JoinAggregate => 2,
            _ => 1,
        }
    }
}

/// The SELECT list of a query being written and the columns it outputs.
/// New names get the model's number as a suffix, and a further `_2`, `_3`
/// ... when that is taken too, so no two output columns share a name.
struct Projection {
    suffix: usize,
    items: Vec<String>,
    columns: Vec<Column>,
}

impl Projection {
    fn new(suffix: usize) -> Projection {
        Projection {
            suffix,
            items: Vec::new(),
            columns: Vec::new(),
        }
    }

    fn taken(&self, name: &str) -> bool {
        self.columns.iter().any(|c| c.name == name)
    }

    fn unique(&self, wanted: &str) -> String {
        if !self.taken(wanted) {
            return wanted.to_string();
        }
        let numbered = format!("{wanted}_{}", self.suffix);
        if !self.taken(&numbered) {
            return numbered;
        }
        (2..)
            .map(|n| format!("{numbered}_{n}"))
            .find(|name| !self.taken(name))
            .expect("some suffix is free")
    }

    /// Adds `*`, or `* EXCLUDE (...)` when `excluded` is not empty.
    fn star(&mut self, input: &Relation, excluded: &[String]) {
        if excluded.is_empty() {
            self.items.push("*".to_string());
        } else {
            self.items
                .push(format!("* EXCLUDE ({})", excluded.join(", ")));
        }
        for column in &input.columns {
            if !excluded.contains(&column.name) {
                self.columns.push(column.clone());
            }
        }
    }

    /// Adds an input column, renamed only when its name is taken.
    fn column(&mut self, qualifier: Option<&str>, column: &Column) {
        let reference = qualified(qualifier, &column.name);
        let name = self.unique(&column.name);
        if name == column.name {
            self.items.push(reference);
        } else {
            self.items.push(format!("{reference} AS {name}"));
        }
        self.columns.push(Column {
            name,
            class: column.class,
        });
    }

    /// Adds `expression AS <stem>_<model number>` and returns the name.
    fn computed(&mut self, expression: String, stem: &str, class: Class) -> String {
        let name = self.unique(&format!("{stem}_{}", self.suffix));
        self.named(expression, &name, class);
        name
    }

    /// Adds `expression AS name`; `name` must be free.
    fn named(&mut self, expression: String, name: &str, class: Class) {
        self.items.push(format!("{expression} AS {name}"));
        self.columns.push(Column {
            name: name.to_string(),
            class,
        });
    }

    /// Writes `SELECT` and the list, one item a line, at `indent` spaces.
    fn write_select(&self, sql: &mut String, indent: usize) {
        let pad = " ".repeat(indent);
        sql.push_str(&pad);
        sql.push_str("SELECT\n");
        for (position, item) in self.items.iter().enumerate() {
            let comma = if position + 1 < self.items.len() {
                ","
            } else {
                ""
            };
            sql.push_str(&format!("{pad}    {item}{comma}\n"));
        }
    }

    fn into_relation(self, name: String) -> Relation {
        Relation {
            name,
            columns: self.columns,
        }
    }
}

fn qualified(qualifier: Option<&str>, name: &str) -> String {
    match qualifier {
        Some(alias) => format!("{alias}.{name}"),
        None => name.to_string(),
    }
}

/// Opens a CTE: `name AS (` with a blank line, as the sample writes them.
fn open_cte(sql: &mut String, name: &str, first: bool) {
    if first {
        sql.push_str("WITH ");
    } else {
        sql.push_str(",\n\n");
    }
    sql.push_str(name);
    sql.push_str(" AS (\n\n");
}

fn close_cte(sql: &mut String) {
    sql.push_str("\n)");
}

/// Writes a WHERE condition of one or two predicates on `relation`'s
/// columns.
fn condition(rng: &mut Rng, relation: &Relation, qualifier: Option<&str>) -> String {
    let count = 1 + rng.below(2);
    let mut predicates: Vec<String> = Vec::new();
    while predicates.len() < count {
        let class = *rng.pick(&CLASSES);
        let column = qualified(qualifier, &relation.pick(rng, class).name);
        let predicate = match (class, rng.below(3)) {
            (Class::Key, _) => format!("{column} IS NOT NULL"),
            (Class::Number, 0) => format!("{column} > 0"),
            (Class::Number, 1) => format!("{column} BETWEEN 0 AND 100000"),
            (Class::Number, _) => format!("{column} IS NOT NULL"),
            (Class::Text, 0) => format!("{column} <> 'unknown'"),
            (Class::Text, 1) => format!("{column} LIKE '%a%'"),
            (Class::Text, _) => format!("{column} IN ('active', 'completed', 'open')"),
            (Class::Date, 0) => format!("{column} >= DATE '2020-01-01'"),
            (Class::Date, _) => format!("{column} < DATE '2030-01-01'"),
        };
        if !predicates.contains(&predicate) {
            predicates.push(predicate);
        }
    }
    predicates.join("\n    AND ")
}

/// Writes a CASE expression that bands a number column into text labels.
fn band(rng: &mut Rng, number: &str) -> String {
    let high = [100, 500, 1000][rng.below(3)];
    format!(
        "CASE WHEN {number} >= {high} THEN 'high' WHEN {number} >= {} THEN 'medium' ELSE 'low' END",
        high / 10
    )
}

/// Picks a key column of each side to join on: a name both sides have when
/// there is one, any two keys otherwise.
fn join_keys(rng: &mut Rng, left: &Relation, right: &Relation) -> (String, String) {
    let shared = left.common_keys(right);
    if !shared.is_empty() {
        let key = rng.pick(&shared).clone();
        return (key.clone(), key);
    }
    (
        left.pick(rng, Class::Key).name,
        right.pick(rng, Class::Key).name,
    )
}

struct Generator {
    rng: Rng,
    files: ProjectFiles,
    /// Source tables first, then models in the order they were written.
    relations: Vec<Relation>,
    /// Relation indexes per layer: sources, staging models, then the rest.
    layers: Vec<Vec<usize>>,
    /// How many models above staging have been written.
    written: usize,
}

impl Generator {
    fn new(seed: u64) -> Generator {
        Generator {
            rng: Rng { state: seed },
            files: ProjectFiles::new(),
            relations: Vec::new(),
            layers: Vec::new(),
            written: 0,
        }
    }

    fn write_project_file(&mut self) {
        self.files.insert(
            "rocky.toml".to_string(),
            "[project]\nname = \"generated\"\n".to_string(),
        );
    }

    fn write_sources(&mut self) {
        let mut layer = Vec::new();
        for (table, columns) in SOURCES {
            let mut sql = format!("CREATE TABLE {table} (\n");
            let lines: Vec<String> = columns
                .iter()
                .map(|(name, ty, _)| format!("    {name} {ty}"))
                .collect();
            sql.push_str(&lines.join(",\n"));
            sql.push_str("\n);\n");
            self.files.insert(format!("sources/{table}.sql"), sql);
            layer.push(self.relations.len());
            self.relations.push(Relation {
                name: table.to_string(),
                columns: columns
                    .iter()
                    .map(|(name, _, class)| Column {
                        name: name.to_string(),
                        class: *class,
                    })
                    .collect(),
            });
        }
        self.layers.push(layer);
    }

    fn write_models(&mut self, models: usize) {
        let staging = models.min(SOURCES.len());
        let mut layer = Vec::new();
        for source in 0..staging {
            layer.push(self.write_staging(source));
        }
        self.layers.push(layer);

        let rest = models - staging;
        if rest == 0 {
            return;
        }
        let layer_count = ((rest as f64 / 2.5).sqrt().round() as usize).clamp(1, rest);
        for position in 0..layer_count {
            let width = rest / layer_count + usize::from(position < rest % layer_count);
            let last = position + 1 == layer_count;
            let mut layer = Vec::new();
            for _ in 0..width {
                layer.push(self.write_model(last));
            }
            self.layers.push(layer);
        }
    }

    fn add_model(&mut self, name: &str, sql: String, relation: Relation) -> usize {
        self.files.insert(format!("models/{name}.sql"), sql);
        self.relations.push(relation);
        self.relations.len() - 1
    }

    /// Writes `stg_<table>`: a `source` CTE and a `renamed` CTE that trims
    /// the text columns and casts the numbers.
    fn write_staging(&mut self, source: usize) -> usize {
        let input = self.relations[source].clone();
        let name = format!("stg_{}", input.name.trim_start_matches("raw_"));
        let mut projection = Projection::new(0);
        for column in &input.columns {
            match column.class {
                Class::Text => {
                    projection.named(format!("trim({})", column.name), &column.name, Class::Text)
                }
                Class::Number if column.name.ends_with("_cents") => {
                    let dollars = column.name.trim_end_matches("_cents");
                    projection.named(
                        format!("CAST({} AS DECIMAL(18,2)) / 100", column.name),
                        dollars,
                        Class::Number,
                    );
                }
                _ => projection.column(None, column),
            }
        }

        let mut sql = String::new();
        open_cte(&mut sql, "source", true);
        sql.push_str(&format!("    SELECT * FROM {}\n", input.name));
        close_cte(&mut sql);
        open_cte(&mut sql, "renamed", false);
        projection.write_select(&mut sql, 4);
        sql.push_str("    FROM source\n");
        close_cte(&mut sql);
        sql.push_str("\n\nSELECT * FROM renamed\n");

        let relation = projection.into_relation(name.clone());
        self.add_model(&name, sql, relation)
    }

    fn write_model(&mut self, last_layer: bool) -> usize {
        self.written += 1;
        let number = self.written;
        let mut shape = match Shape::ALL.get(number - 1) {
            Some(shape) => *shape,
            None => Shape::draw(&mut self.rng),
        };

        let count = shape.input_count(&mut self.rng);
        let mut inputs = self.choose_inputs(count);
        if shape == Shape::UsingJoin {
            self.find_using_partner(&mut inputs);
        }
        let inputs: Vec<Relation> = inputs.iter().map(|&i| self.relations[i].clone()).collect();
        // A wide input is not widened further, and a shape that needs two
        // inputs falls back to one input when no second was found.
        let too_wide = shape == Shape::Enrich && inputs[0].columns.len() >= MAX_STAR_WIDTH;
        if too_wide || inputs.len() < shape.min_inputs() {
            shape = Shape::Chain;
        }

        let prefix = if last_layer { "mart" } else { "int" };
        let name = format!("{prefix}_{}_{number:04}", shape.label());
        let rng = &mut self.rng;
        let (sql, projection) = match shape {
            Shape::Enrich => enrich(rng, &inputs[0], number),
            Shape::Chain => chain(rng, &inputs[0], number),
            Shape::Refine => refine(rng, &inputs[0], number),
            Shape::InnerJoin | Shape::UsingJoin => join(rng, &inputs, shape, number),
            Shape::Aggregate => aggregate(rng, &inputs[0], number),
            Shape::JoinAggregate => join_aggregate(rng, &inputs, number),
            Shape::Window => window(rng, &inputs[0], number),
            Shape::Dedupe => dedupe(rng, &inputs[0], number),
            Shape::Union => union(rng, &inputs, number),
        };

        let relation = projection.into_relation(name.clone());
        debug_assert!(CLASSES.iter().all(|c| !relation.of_class(*c).is_empty()));
        self.add_model(&name, sql, relation)
    }

    /// Chooses `count` distinct inputs for a model of the next layer: one
    /// from the layer below, the others mostly from the nearest layers.
    fn choose_inputs(&mut self, count: usize) -> Vec<usize> {
        let below = self.layers.len() - 1;
        let mut chosen = vec![*self.rng.pick(&self.layers[below])];
        for _attempt in 0..20 {
            if chosen.len() == count {
                break;
            }
            let layer = if self.rng.percent(5) {
                0
            } else {
                self.nearby_layer(below)
            };
            let candidate = *self.rng.pick(&self.layers[layer]);
            if !chosen.contains(&candidate) {
                chosen.push(candidate);
            }
        }
        chosen
    }

    /// Draws a model layer at or below `below`: `below` itself with
    /// probability one half, the next with one quarter, and so on, down to
    /// the staging layer.
    fn nearby_layer(&mut self, below: usize) -> usize {
        let mut layer = below;
        while layer > 1 && self.rng.percent(50) {
            layer -= 1;
        }
        layer
    }

    /// Replaces the second input with one that shares a key name with the
    /// first, when one is found within a few tries, so USING has a column.
    fn find_using_partner(&mut self, inputs: &mut [usize]) {
        if inputs.len() < 2 {
            return;
        }
        let first = inputs[0];
        let shares = |relations: &[Relation], other: usize| {
            !relations[first].common_keys(&relations[other]).is_empty()
        };
        if shares(&self.relations, inputs[1]) {
            return;
        }
        let below = self.layers.len() - 1;
        for _attempt in 0..30 {
            let layer = self.nearby_layer(below);
            let candidate = *self.rng.pick(&self.layers[layer]);
            if !inputs.contains(&candidate) && shares(&self.relations, candidate) {
                inputs[1] = candidate;
                return;
            }
        }
    }
}

/// Writes `SELECT *, CASE ... FROM input WHERE ...`.
fn enrich(rng: &mut Rng, input: &Relation, number: usize) -> (String, Projection) {
    let mut projection = Projection::new(number);
    projection.star(input, &[]);
    let amount = input.pick(rng, Class::Number).name;
    projection.computed(band(rng, &amount), "band", Class::Text);
    let mut sql = String::new();
    projection.write_select(&mut sql, 0);
    sql.push_str(&format!("FROM {}\n", input.name));
    sql.push_str(&format!("WHERE {}\n", condition(rng, input, None)));
    (sql, projection)
}

/// Writes `SELECT * EXCLUDE (n), CAST(n AS DOUBLE) AS n, ... WHERE ...`, so
/// the excluded number comes back as DOUBLE under its own name. Wide inputs
/// also lose a text column that has a sibling.
fn refine(rng: &mut Rng, input: &Relation, number: usize) -> (String, Projection) {
    let amount = input.pick(rng, Class::Number);
    let mut excluded = vec![amount.name.clone()];
    let texts = input.of_class(Class::Text);
    if input.columns.len() >= MAX_STAR_WIDTH && texts.len() >= 2 {
        excluded.push(rng.pick(&texts).name.clone());
    }
    let mut projection = Projection::new(number);
    projection.star(input, &excluded);
    projection.named(
        format!("CAST({0} AS DOUBLE)", amount.name),
        &amount.name,
        Class::Number,
    );
    if input.columns.len() < MAX_STAR_WIDTH {
        let text = input.pick(rng, Class::Text).name;
        projection.computed(format!("upper({text})"), "label", Class::Text);
    }
    let mut sql = String::new();
    projection.write_select(&mut sql, 0);
    sql.push_str(&format!("FROM {}\n", input.name));
    sql.push_str(&format!("WHERE {}\n", condition(rng, input, None)));
    (sql, projection)
}

/// Writes `WITH filtered AS (...), scored AS (...)[, labelled AS (...)]`
/// and a `SELECT *` of the last CTE.
fn chain(rng: &mut Rng, input: &Relation, number: usize) -> (String, Projection) {
    let key = input.pick(rng, Class::Key);
    let text = input.pick(rng, Class::Text);
    let date = input.pick(rng, Class::Date);
    let amount = input.pick(rng, Class::Number);
    let mut filtered = Projection::new(number);
    for column in [&key, &text, &date, &amount] {
        filtered.column(None, column);
    }
    let mut sql = String::new();
    open_cte(&mut sql, "filtered", true);
    filtered.write_select(&mut sql, 4);
    sql.push_str(&format!("    FROM {}\n", input.name));
    sql.push_str(&format!("    WHERE {}\n", condition(rng, input, None)));
    close_cte(&mut sql);

    let mut scored = Projection::new(number);
    scored.star(&filtered.into_relation("filtered".into()), &[]);
    let factor = [2, 10, 100][rng.below(3)];
    scored.computed(
        format!("{} * {factor} + 1", amount.name),
        "scaled",
        Class::Number,
    );
    let band_name = scored.computed(band(rng, &amount.name), "band", Class::Text);
    open_cte(&mut sql, "scored", false);
    scored.write_select(&mut sql, 4);
    sql.push_str("    FROM filtered\n");
    close_cte(&mut sql);

    let mut result = scored;
    let mut last = "scored";
    if rng.percent(50) {
        let mut labelled = Projection::new(number);
        labelled.star(&result.into_relation("scored".into()), &[]);
        labelled.computed(
            format!("upper({}) || '-' || {band_name}", text.name),
            "label",
            Class::Text,
        );
        open_cte(&mut sql, "labelled", false);
        labelled.write_select(&mut sql, 4);
        sql.push_str("    FROM scored\n");
        close_cte(&mut sql);
        result = labelled;
        last = "labelled";
    }
    sql.push_str(&format!("\n\nSELECT * FROM {last}\n"));
    (sql, result)
}

/// Writes a join of two or three inputs on keys. `UsingJoin` starts with
/// `LEFT JOIN ... USING (key)` when the first two share a key name.
fn join(rng: &mut Rng, inputs: &[Relation], shape: Shape, number: usize) -> (String, Projection) {
    let (left, right) = (&inputs[0], &inputs[1]);
    let mut projection = Projection::new(number);
    for key in left.of_class(Class::Key) {
        projection.column(Some("a"), key);
    }
    for class in [Class::Text, Class::Date, Class::Number] {
        projection.column(Some("a"), &left.pick(rng, class));
    }
    let right_amount = right.pick(rng, Class::Number);
    projection.column(Some("b"), &right_amount);
    projection.column(Some("b"), &right.pick(rng, Class::Text));

    let mut from = format!("FROM {} AS a\n", left.name);
    let using = left.common_keys(right);
    let (right_key, second_join) = if shape == Shape::UsingJoin && !using.is_empty() {
        let key = using[0].clone();
        from.push_str(&format!("LEFT JOIN {} AS b USING ({key})\n", right.name));
        (key, "INNER JOIN")
    } else {
        let (left_key, right_key) = join_keys(rng, left, right);
        from.push_str(&format!(
            "INNER JOIN {} AS b ON a.{left_key} = b.{right_key}\n",
            right.name
        ));
        (right_key, "LEFT JOIN")
    };
    projection.computed(
        format!("CASE WHEN b.{right_key} IS NULL THEN 'unmatched' ELSE 'matched' END"),
        "match_status",
        Class::Text,
    );
    if let Some(third) = inputs.get(2) {
        let (left_key, third_key) = join_keys(rng, left, third);
        from.push_str(&format!(
            "{second_join} {} AS c ON a.{left_key} = c.{third_key}\n",
            third.name
        ));
        projection.column(Some("c"), &third.pick(rng, Class::Number));
        projection.column(Some("c"), &third.pick(rng, Class::Date));
    }
    let mut sql = String::new();
    projection.write_select(&mut sql, 0);
    sql.push_str(&from);
    if rng.percent(40) {
        sql.push_str(&format!("WHERE {}\n", condition(rng, left, Some("a"))));
    }
    (sql, projection)
}

/// Writes a GROUP BY of a key, and sometimes of a text column too, with
/// count, sum, avg, a conditional sum and the first and last date. Some
/// read a filtering subquery, and some have a HAVING clause.
fn aggregate(rng: &mut Rng, input: &Relation, number: usize) -> (String, Projection) {
    let key = input.pick(rng, Class::Key);
    let text = input.pick(rng, Class::Text);
    let date = input.pick(rng, Class::Date);
    let amount = input.pick(rng, Class::Number).name;
    let by_text = rng.percent(30);

    let mut projection = Projection::new(number);
    projection.column(None, &key);
    if by_text {
        projection.column(None, &text);
    }
    projection.computed("count(*)".into(), "row_count", Class::Number);
    projection.computed(format!("sum({amount})"), "total", Class::Number);
    projection.computed(format!("avg({amount})"), "average", Class::Number);
    projection.computed(
        format!(
            "sum(CASE WHEN {} <> 'unknown' THEN {amount} ELSE 0 END)",
            text.name
        ),
        "known_total",
        Class::Number,
    );
    projection.computed(format!("min({})", date.name), "first_date", Class::Date);
    projection.computed(format!("max({})", date.name), "last_date", Class::Date);
    if !by_text {
        projection.computed(format!("max({})", text.name), "last_label", Class::Text);
    }

    let mut sql = String::new();
    projection.write_select(&mut sql, 0);
    if rng.percent(30) {
        sql.push_str(&format!(
            "FROM (\n    SELECT *\n    FROM {}\n    WHERE {}\n) AS recent\n",
            input.name,
            condition(rng, input, None).replace("\n    ", "\n        ")
        ));
    } else {
        sql.push_str(&format!("FROM {}\n", input.name));
        if rng.percent(50) {
            sql.push_str(&format!("WHERE {}\n", condition(rng, input, None)));
        }
    }

    if by_text {
        sql.push_str(&format!("GROUP BY {}, {}\n", key.name, text.name));
    } else {
        sql.push_str(&format!("GROUP BY {}\n", key.name));
    }
    if rng.percent(25) {
        sql.push_str("HAVING count(*) > 1\n");
    }
    (sql, projection)
}

/// Writes `a LEFT JOIN b` aggregated by a key of `a`.
fn join_aggregate(rng: &mut Rng, inputs: &[Relation], number: usize) -> (String, Projection) {
    let (left, right) = (&inputs[0], &inputs[1]);
    let (left_key, right_key) = join_keys(rng, left, right);
    let amount = right.pick(rng, Class::Number).name;

    let mut projection = Projection::new(number);
    projection.column(
        Some("a"),
        &Column {
            name: left_key.clone(),
            class: Class::Key,
        },
    );
    projection.computed(
        format!("count(b.{right_key})"),
        "match_count",
        Class::Number,
    );
    projection.computed(format!("sum(b.{amount})"), "matched_total", Class::Number);
    let text = left.pick(rng, Class::Text).name;
    projection.computed(format!("max(a.{text})"), "label", Class::Text);
    let date = left.pick(rng, Class::Date).name;
    projection.computed(format!("max(a.{date})"), "latest", Class::Date);

    let mut sql = String::new();
    projection.write_select(&mut sql, 0);
    sql.push_str(&format!("FROM {} AS a\n", left.name));
    sql.push_str(&format!(
        "LEFT JOIN {} AS b ON a.{left_key} = b.{right_key}\n",
        right.name
    ));
    sql.push_str(&format!("GROUP BY a.{left_key}\n"));
    (sql, projection)
}

/// Writes window functions per key: a rank, a partition total and the
/// previous value.
fn window(rng: &mut Rng, input: &Relation, number: usize) -> (String, Projection) {
    let key = input.pick(rng, Class::Key);
    let text = input.pick(rng, Class::Text);
    let date = input.pick(rng, Class::Date);
    let amount = input.pick(rng, Class::Number);
    let mut projection = Projection::new(number);
    for column in [&key, &text, &date, &amount] {
        projection.column(None, column);
    }

    let partition = format!("PARTITION BY {}", key.name);
    projection.computed(
        format!(
            "row_number() OVER ({partition} ORDER BY {} DESC)",
            date.name
        ),
        "recency_rank",
        Class::Number,
    );
    projection.computed(
        format!("sum({}) OVER ({partition})", amount.name),
        "partition_total",
        Class::Number,
    );
    projection.computed(
        format!(
            "lag({}) OVER ({partition} ORDER BY {})",
            amount.name, date.name
        ),
        "previous",
        Class::Number,
    );

    let mut sql = String::new();
    projection.write_select(&mut sql, 0);
    sql.push_str(&format!("FROM {}\n", input.name));
    if rng.percent(30) {
        sql.push_str(&format!("WHERE {}\n", condition(rng, input, None)));
    }
    (sql, projection)
}

/// Writes the latest row per key: `row_number()` in a CTE, then
/// `SELECT * EXCLUDE (row_num) ... WHERE row_num = 1`.
fn dedupe(rng: &mut Rng, input: &Relation, number: usize) -> (String, Projection) {
    let key = input.pick(rng, Class::Key).name;
    let date = input.pick(rng, Class::Date).name;
    let mut ranked = Projection::new(number);
    ranked.star(input, &[]);
    let row_num = ranked.computed(
        format!("row_number() OVER (PARTITION BY {key} ORDER BY {date} DESC)"),
        "row_num",
        Class::Number,
    );
    let mut sql = String::new();
    open_cte(&mut sql, "ranked", true);
    ranked.write_select(&mut sql, 4);
    sql.push_str(&format!("    FROM {}\n", input.name));
    close_cte(&mut sql);
    let mut projection = Projection::new(number);
    projection.star(
        &ranked.into_relation("ranked".into()),
        std::slice::from_ref(&row_num),
    );
    sql.push_str("\n\n");
    projection.write_select(&mut sql, 0);
    sql.push_str(&format!("FROM ranked\nWHERE {row_num} = 1\n"));
    (sql, projection)
}

/// Writes a UNION ALL of the inputs, each cast to BIGINT, VARCHAR, DOUBLE
/// and DATE columns under the first input's names, with the input's name
/// as a text column.
fn union(rng: &mut Rng, inputs: &[Relation], number: usize) -> (String, Projection) {
    let casts = [
        (Class::Key, "BIGINT"),
        (Class::Text, "VARCHAR"),
        (Class::Number, "DOUBLE"),
        (Class::Date, "DATE"),
    ];
    let mut result = Projection::new(number);
    let mut branches = Vec::new();
    for (position, input) in inputs.iter().enumerate() {
        let mut branch = Projection::new(number);
        for (index, (class, ty)) in casts.iter().enumerate() {
            let column = input.pick(rng, *class).name;
            let name = match result.columns.get(index) {
                Some(first) => first.name.clone(),
                None => column.clone(),
            };
            branch.named(format!("CAST({column} AS {ty})"), &name, *class);
        }
        let origin = format!("'{}'", input.name);
        match result.columns.get(casts.len()) {
            Some(first) => {
                let name = first.name.clone();
                branch.named(origin, &name, Class::Text);
            }
            None => {
                branch.computed(origin, "origin", Class::Text);
            }
        }
        let mut sql = String::new();
        branch.write_select(&mut sql, 0);
        sql.push_str(&format!("FROM {}\n", input.name));
        if rng.percent(30) {
            sql.push_str(&format!("WHERE {}\n", condition(rng, input, None)));
        }
        branches.push(sql);
        if position == 0 {
            result = branch;
        }
    }
    (branches.join("\nUNION ALL\n\n"), result)
}
