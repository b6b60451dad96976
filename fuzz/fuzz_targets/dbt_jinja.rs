//! The dbt importer on a model whose text is the fuzzer's input: Jinja
//! with `ref`, `source`, `config`, `var`, macros and loops, rendered under
//! the importer's step limit. Each input is one model of a small dbt
//! project with a seed, a source and a second model that reads the first.

#![no_main]

use libfuzzer_sys::fuzz_target;
use rocky_core::ProjectFiles;
use rocky_dbt::import_dbt;

const PROJECT: &str = "\
name: fuzzed
version: '1.0'
profile: fuzzed
vars:
  threshold: 10
";

const SOURCES: &str = "\
version: 2
sources:
  - name: shop
    tables:
      - name: orders
models:
  - name: fuzzed
    columns:
      - name: id
        tests: [unique, not_null]
";

fuzz_target!(|data: &[u8]| {
    let Ok(model) = std::str::from_utf8(data) else {
        return;
    };
    let mut files = ProjectFiles::new();
    files.insert("dbt_project.yml".into(), PROJECT.into());
    files.insert("models/schema.yml".into(), SOURCES.into());
    files.insert("models/fuzzed.sql".into(), model.into());
    files.insert(
        "models/reader.sql".into(),
        "select * from {{ ref('fuzzed') }}".into(),
    );
    files.insert("seeds/people.csv".into(), "id,name\n1,Ann\n2,Bo\n".into());
    let imported = import_dbt(&files);
    rocky_core::compile(&imported.files);
});
