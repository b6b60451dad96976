//! The compiler's driver: load the project, order the models on a DAG,
//! and bind each model against the outputs of the models before it.

use std::collections::HashMap;

use petgraph::algo::tarjan_scc;
use petgraph::graph::{DiGraph, NodeIndex};
use sqlparser::ast::Statement;

use crate::bind::locals::{local_index, LocalKind, Resolver, UNRESOLVED};
use crate::bind::{bind_model, BoundColumn, Catalog, CatalogTable, ModelAnalysis, Origins};
use crate::diagnostic::{Diagnostic, Span};
use crate::dialect::{ModelBody, ParsedModel};
use crate::output::{
    Column, Compilation, IndirectInput, InternalKind, InternalTable, LineageEdge, Model, Parent,
    ParentTable, SourceTable, TableUse,
};
use crate::parse::{end_of, parse_pivot, parse_statements, statement_spans};
use crate::project::{self, ModelInput, SourceDecl};
use crate::text::{closest, LineIndex};
use crate::types::Type;
use crate::ProjectFiles;

/// A model's position in the DAG; an index into the loaded models.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct ModelId(usize);

pub(crate) fn compile(files: &ProjectFiles) -> Compilation {
    match compile_pass(files, DependencyScan::Syntactic) {
        Ok(compilation) => compilation,
        Err(ScanMismatch) => compile_pass(files, DependencyScan::Binding).unwrap_or_default(),
    }
}

/// The way the first pass finds the models each model reads.
#[derive(Clone, Copy, PartialEq, Eq)]
enum DependencyScan {
    /// Walks each parsed query's table names, with the CTE names in scope
    /// left out: about half the cost of a bind.
    Syntactic,
    /// Binds each model with every model's columns unknown, as the second
    /// pass binds it, so the references are the binder's own.
    Binding,
}

/// The syntactic scan found other model references than the binder, or a
/// cycle, whose report needs the binder's spans; the compile starts over
/// with `DependencyScan::Binding`.
struct ScanMismatch;

/// Compiles the project. With `DependencyScan::Syntactic`, fails when the
/// scan's references turn out to differ from the bound ones, so the result
/// is always the one `DependencyScan::Binding` gives.
fn compile_pass(files: &ProjectFiles, scan: DependencyScan) -> Result<Compilation, ScanMismatch> {
    let input = project::load(files);
    let mut diagnostics = input.diagnostics;
    report_name_clashes(&input.sources, &input.models, &mut diagnostics);

    let parsed: Vec<Option<ParsedModel>> = input
        .models
        .iter()
        .map(|model| match parse_model(model) {
            Ok(query) => Some(query),
            Err(diagnostic) => {
                diagnostics.push(diagnostic);
                None
            }
        })
        .collect();

    // First pass: find each model's dependencies with every model's columns
    // unknown, so no column errors are reported yet.
    let mut catalog = ProjectCatalog::new(&input.sources, &input.models);
    let mut graph: DiGraph<ModelId, ()> = DiGraph::new();
    let nodes: Vec<NodeIndex> = (0..input.models.len())
        .map(|i| graph.add_node(ModelId(i)))
        .collect();
    // Per model: (model it reads, file and span of the reference).
    let mut first_refs: Vec<Vec<(String, String, Span)>> = Vec::new();
    for (i, query) in parsed.iter().enumerate() {
        let mut refs = Vec::new();
        match (query, scan) {
            (Some(parsed), DependencyScan::Syntactic)
                if matches!(parsed.body, ModelBody::Query(_)) =>
            {
                if let ModelBody::Query(query) = &parsed.body {
                    refs = scan_model_refs(query, &input.models[i], &catalog);
                }
            }
            (Some(query), _) => {
                let analysis = bind_model(
                    query,
                    &input.models[i].sql,
                    &catalog,
                    &input.models[i].file,
                    &input.models[i].name,
                );
                for reference in analysis.references.iter().filter(|r| r.is_model) {
                    refs.push((
                        reference.canonical.clone(),
                        input.models[i].file.clone(),
                        reference.span,
                    ));
                }
            }
            (None, _) => {}
        }
        let sidecar = sidecar_path(&input.models[i].file);
        let depends_span = files
            .get(&sidecar)
            .and_then(|text| LineIndex::new(text).find_line_start("depends_on"))
            .unwrap_or_default();
        for extra in &input.models[i].config.depends_on {
            match catalog.model_index(extra) {
                Some(target) => refs.push((
                    input.models[target].name.clone(),
                    sidecar.clone(),
                    depends_span,
                )),
                None if catalog.lookup(std::slice::from_ref(extra), "").is_some() => {}
                None => {
                    let names = catalog.table_names();
                    let help = match closest(extra, names.iter().map(String::as_str)) {
                        Some(similar) => format!("did you mean `{similar}`?"),
                        None => "list models or sources of this project".to_string(),
                    };
                    diagnostics.push(
                        Diagnostic::warning(
                            "W0009",
                            &sidecar,
                            depends_span,
                            format!("`depends_on` names `{extra}`, which is no model or source"),
                        )
                        .with_model(&input.models[i].name)
                        .with_help(help),
                    );
                }
            }
        }
        for (name, _, _) in &refs {
            if let Some(target) = catalog.model_index(name) {
                graph.update_edge(nodes[target], nodes[i], ());
            }
        }
        first_refs.push(refs);
    }

    // Strongly connected components come out in reverse topological order.
    let mut order: Vec<Vec<NodeIndex>> = tarjan_scc(&graph);
    order.reverse();
    for component in &order {
        let cyclic = component.len() > 1 || graph.contains_edge(component[0], component[0]);
        if cyclic && scan == DependencyScan::Syntactic {
            return Err(ScanMismatch);
        }
        if cyclic {
            report_cycle(
                component,
                &graph,
                &input.models,
                &first_refs,
                &mut diagnostics,
            );
        }
    }

    let mut models = Vec::new();
    // Per model in `models`: true when all its columns are known.
    let mut complete_models = Vec::new();
    for component in &order {
        for &node in component {
            let id = graph[node];
            let model_input = &input.models[id.0];
            let analysis = match &parsed[id.0] {
                Some(query) => bind_model(
                    query,
                    &model_input.sql,
                    &catalog,
                    &model_input.file,
                    &model_input.name,
                ),
                None => ModelAnalysis::default(),
            };
            if scan == DependencyScan::Syntactic {
                let mut bound: Vec<&str> = analysis
                    .references
                    .iter()
                    .filter(|r| r.is_model)
                    .map(|r| r.canonical.as_str())
                    .collect();
                let mut scanned: Vec<&str> = first_refs[id.0]
                    .iter()
                    .filter(|(_, file, _)| *file == model_input.file)
                    .map(|(name, _, _)| name.as_str())
                    .collect();
                bound.sort_unstable();
                scanned.sort_unstable();
                if bound != scanned {
                    return Err(ScanMismatch);
                }
            }
            let complete = !analysis.columns.iter().any(|c| c.is_unknown_rest());
            let model = build_model(model_input, analysis, &catalog, &mut diagnostics);
            complete_models.push(complete);
            // A model whose columns are not all known stays opaque to the
            // models that read it, so one unknown table gives one error.
            if parsed[id.0].is_some() && component.len() == 1 && complete {
                catalog.set_columns(id.0, &model.columns);
            }
            models.push(model);
        }
    }
    // A relationships test may read any model, so tests are checked once
    // every model is bound.
    crate::data_tests::check::check_tests(&models, &complete_models, &catalog, &mut diagnostics);

    let mut compilation = Compilation {
        project: input.name,
        sources: input.sources.iter().map(source_output).collect(),
        models,
        diagnostics,
    };
    // Invariants are read and checked against the bound models, with the
    // queries parsed above.
    let queries: HashMap<String, &sqlparser::ast::Query> = input
        .models
        .iter()
        .zip(&parsed)
        .filter_map(|(model, parsed)| match parsed.as_ref().map(|p| &p.body) {
            Some(ModelBody::Query(query)) => Some((model.file.clone(), &**query)),
            _ => None,
        })
        .collect();
    crate::intent::check(files, &mut compilation, &queries);
    Ok(compilation)
}

/// Returns the models a parsed query reads, as the first pass records
/// them: (model name, model file, span of the name). Table names that a
/// CTE of an enclosing query defines are left out. CTE names count from
/// the start of their WITH clause, a little wider than the binder's scope;
/// `compile_pass` checks the result against the bound references.
fn scan_model_refs(
    query: &sqlparser::ast::Query,
    model: &ModelInput,
    catalog: &ProjectCatalog,
) -> Vec<(String, String, Span)> {
    use std::ops::ControlFlow;

    use sqlparser::ast::{ObjectName, Query, Spanned, Visit, Visitor};

    struct Scan<'a> {
        catalog: &'a ProjectCatalog,
        model: &'a ModelInput,
        /// The CTE names of each enclosing query, lowercase.
        ctes: Vec<Vec<String>>,
        found: Vec<(String, String, Span)>,
    }

    impl Visitor for Scan<'_> {
        type Break = ();

        fn pre_visit_query(&mut self, query: &Query) -> ControlFlow<()> {
            let names = query
                .with
                .iter()
                .flat_map(|with| &with.cte_tables)
                .map(|cte| cte.alias.name.value.to_ascii_lowercase())
                .collect();
            self.ctes.push(names);
            ControlFlow::Continue(())
        }

        fn post_visit_query(&mut self, _query: &Query) -> ControlFlow<()> {
            self.ctes.pop();
            ControlFlow::Continue(())
        }

        fn pre_visit_relation(&mut self, relation: &ObjectName) -> ControlFlow<()> {
            let parts: Option<Vec<String>> = relation
                .0
                .iter()
                .map(|part| part.as_ident().map(|ident| ident.value.clone()))
                .collect();
            let Some(parts) = parts else {
                return ControlFlow::Continue(());
            };
            if parts.iter().any(|part| part.contains('.')) {
                return ControlFlow::Continue(());
            }
            if let [name] = parts.as_slice() {
                let lower = name.to_ascii_lowercase();
                if self.ctes.iter().any(|scope| scope.contains(&lower)) {
                    return ControlFlow::Continue(());
                }
            }
            if let Some(table) = self.catalog.lookup(&parts, &self.model.name) {
                if table.is_model {
                    self.found.push((
                        table.name,
                        self.model.file.clone(),
                        crate::bind::span_of(&relation.span()),
                    ));
                }
            }
            ControlFlow::Continue(())
        }
    }

    let mut scan = Scan {
        catalog,
        model,
        ctes: Vec::new(),
        found: Vec::new(),
    };
    let _ = query.visit(&mut scan);
    scan.found
}

/// A model and an unqualified source of the same name would both be built
/// as one DuckDB table, so the clash is an error.
fn report_name_clashes(
    sources: &[SourceDecl],
    models: &[ModelInput],
    diagnostics: &mut Vec<Diagnostic>,
) {
    for model in models {
        let clash = sources.iter().find(|source| {
            source.parts.len() == 1 && source.parts[0].eq_ignore_ascii_case(&model.name)
        });
        if let Some(source) = clash {
            diagnostics.push(
                Diagnostic::error(
                    "E0112",
                    &model.file,
                    Span::new(1, 1, 1, 2),
                    format!(
                        "model `{}` has the name of the source table declared in {}",
                        model.name, source.file
                    ),
                )
                .with_model(&model.name)
                .with_help(format!(
                    "rename the model, or declare the source in a schema (`raw.{}`)",
                    source.parts[0]
                )),
            );
        }
    }
}

/// Returns the sidecar path of a model file: `models/x.sql` → `models/x.toml`.
pub(crate) fn sidecar_path(model_file: &str) -> String {
    let stem = model_file.strip_suffix(".sql").unwrap_or(model_file);
    format!("{stem}.toml")
}

pub(crate) fn parse_model(model: &ModelInput) -> Result<ParsedModel, Diagnostic> {
    if model.sql.trim().is_empty() {
        return Err(Diagnostic::error(
            "E0002",
            &model.file,
            Span::new(1, 1, 1, 2),
            "the model file is empty",
        )
        .with_model(&model.name)
        .with_help("write one SELECT statement"));
    }
    let prepared = crate::dialect::prepare(&model.sql);
    let positional_joins = prepared.positional_joins;
    let wildcard_renames = prepared.wildcard_renames;
    let wildcard_patterns = prepared.wildcard_patterns;
    if prepared.pivot_statement {
        let statement =
            parse_pivot(&prepared.sql, &model.file).map_err(|d| d.with_model(&model.name))?;
        return Ok(ParsedModel {
            body: ModelBody::Pivot(Box::new(statement)),
            positional_joins,
            wildcard_renames,
            wildcard_patterns,
        });
    }
    let parsed = match prepared.tokens {
        Some(tokens) => crate::parse::parse_tokens(&prepared.sql, tokens, &model.file),
        None => parse_statements(&prepared.sql, &model.file),
    };
    let mut statements = parsed.map_err(|d| d.with_model(&model.name))?;
    if statements.len() != 1 {
        // Point at the second statement, where the model should have ended.
        let span = if statements.is_empty() {
            end_of(&model.sql)
        } else {
            statement_spans(&model.sql)
                .get(1)
                .copied()
                .unwrap_or(Span::new(1, 1, 1, 2))
        };
        return Err(Diagnostic::error(
            "E0002",
            &model.file,
            span,
            format!(
                "a model is one SELECT statement, but this file has {}",
                statements.len()
            ),
        )
        .with_model(&model.name)
        .with_help("keep one query per file: the file name is the model name"));
    }
    match statements.remove(0) {
        Statement::Query(query) => Ok(ParsedModel {
            body: ModelBody::Query(query),
            positional_joins,
            wildcard_renames,
            wildcard_patterns,
        }),
        other => {
            let kind = other
                .to_string()
                .split_whitespace()
                .take(2)
                .collect::<Vec<_>>()
                .join(" ");
            let span = statement_spans(&model.sql)
                .first()
                .copied()
                .unwrap_or(Span::new(1, 1, 1, 2));
            Err(Diagnostic::error(
                "E0002",
                &model.file,
                span,
                format!("a model must be a SELECT, not `{kind} ...`"),
            )
            .with_model(&model.name)
            .with_help("Rocky builds the table or view itself; write only the SELECT"))
        }
    }
}

fn report_cycle(
    component: &[NodeIndex],
    graph: &DiGraph<ModelId, ()>,
    models: &[ModelInput],
    refs: &[Vec<(String, String, Span)>],
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut names: Vec<&str> = component
        .iter()
        .map(|&n| models[graph[n].0].name.as_str())
        .collect();
    names.sort_unstable();
    let mut path = names.clone();
    path.push(names[0]);
    let cycle = path.join(" → ");
    for &node in component {
        let model = &models[graph[node].0];
        let (file, span) = refs[graph[node].0]
            .iter()
            .find(|(name, _, _)| names.iter().any(|n| n.eq_ignore_ascii_case(name)))
            .map(|(_, file, span)| (file.as_str(), *span))
            .unwrap_or((model.file.as_str(), Span::new(1, 1, 1, 2)));
        diagnostics.push(
            Diagnostic::error("E0104", file, span, format!("models form a cycle: {cycle}"))
                .with_model(&model.name)
                .with_help(
                    "a model cannot read itself, directly or through other models; break the cycle",
                ),
        );
    }
}

fn build_model(
    input: &ModelInput,
    analysis: ModelAnalysis,
    catalog: &ProjectCatalog,
    diagnostics: &mut Vec<Diagnostic>,
) -> Model {
    diagnostics.extend(analysis.diagnostics);
    let columns = analysis
        .columns
        .into_iter()
        .zip(analysis.parents)
        .filter(|(column, _)| !column.is_unknown_rest())
        .map(|(column, parents)| output_column(column, &parents))
        .collect();
    let mut resolver = Resolver::new(&analysis.locals);
    let internal = analysis
        .locals
        .iter()
        .map(|table| InternalTable {
            name: table.name.clone(),
            kind: match table.kind {
                LocalKind::Cte => InternalKind::Cte,
                LocalKind::Subquery => InternalKind::Subquery,
            },
            columns: table
                .columns
                .iter()
                .map(|column| {
                    let resolved = BoundColumn {
                        origins: resolver.resolve(&column.origins),
                        ..column.clone()
                    };
                    output_column(resolved, &column.origins)
                })
                .collect(),
        })
        .collect();
    let mut depends_on: Vec<String> = Vec::new();
    let mut table_refs = Vec::new();
    let table_uses = analysis
        .references
        .iter()
        .map(|reference| TableUse {
            span: reference.span,
            name: reference.canonical.clone(),
            is_model: reference.is_model,
        })
        .collect();
    for reference in &analysis.references {
        if !depends_on
            .iter()
            .any(|d| d.eq_ignore_ascii_case(&reference.written))
        {
            depends_on.push(reference.written.clone());
        }
        if reference.needs_qualifying {
            table_refs.push((
                reference.span,
                catalog.quoted_name(&reference.canonical, reference.is_model),
            ));
        }
    }
    for name in analysis.unresolved.iter().chain(&input.config.depends_on) {
        if !depends_on.iter().any(|d| d.eq_ignore_ascii_case(name)) {
            depends_on.push(name.clone());
        }
    }
    Model {
        name: input.name.clone(),
        file: input.file.clone(),
        sql: input.sql.clone(),
        columns,
        depends_on,
        filters: analysis
            .filters
            .into_iter()
            .filter(|((model, _), _)| model != UNRESOLVED)
            .flat_map(|((model, column), kinds)| {
                kinds.into_iter().map(move |kind| IndirectInput {
                    model: model.clone(),
                    column: column.clone(),
                    kind,
                })
            })
            .collect(),
        config: input.config.clone(),
        internal,
        column_uses: analysis.column_uses,
        scopes: analysis.scopes,
        table_refs,
        table_uses,
    }
}

/// Converts a bound column: its lineage follows `column.origins` (already
/// resolved to upstream columns), its parents are `parents`, one step up.
fn output_column(column: BoundColumn, parents: &Origins) -> Column {
    let mut lineage = Vec::new();
    let mut unresolved = Vec::new();
    for ((model, name), kind) in column.origins {
        if model == UNRESOLVED {
            unresolved.push(name);
        } else {
            lineage.push(LineageEdge {
                model,
                column: name,
                kind,
            });
        }
    }
    let parents = parents
        .iter()
        .filter(|((table, _), _)| table != UNRESOLVED)
        .map(|((table, name), kind)| Parent {
            table: match local_index(table) {
                Some(index) => ParentTable::Internal(index),
                None => ParentTable::Upstream(table.clone()),
            },
            column: name.clone(),
            kind: *kind,
        })
        .collect();
    Column {
        name: column.name,
        ty: column.ty.to_string(),
        not_null: column.not_null,
        lineage,
        parents,
        definition: column.definition.as_ref().map(crate::bind::span_of),
        unresolved,
    }
}

fn source_output(source: &SourceDecl) -> SourceTable {
    SourceTable {
        name: source.name(),
        file: source.file.clone(),
        columns: source
            .columns
            .iter()
            .map(|(name, ty, not_null)| Column {
                name: name.clone(),
                ty: ty.to_string(),
                not_null: *not_null,
                ..Column::default()
            })
            .collect(),
        data: source.data.clone(),
        seeded: !source.seed_statements.is_empty(),
        seed_statements: source.seed_statements.clone(),
    }
}

/// Column names, types and NOT NULL of a table, in order.
type TableColumns = Vec<(String, Type, bool)>;

/// Sources and models by name, with model columns filled in as they are bound.
struct ProjectCatalog {
    sources: Vec<(Vec<String>, TableColumns)>,
    models: Vec<(String, Option<TableColumns>)>,
    by_name: HashMap<String, usize>,
}

impl ProjectCatalog {
    fn new(sources: &[SourceDecl], models: &[ModelInput]) -> ProjectCatalog {
        ProjectCatalog {
            sources: sources
                .iter()
                .map(|s| (s.parts.clone(), s.columns.clone()))
                .collect(),
            models: models.iter().map(|m| (m.name.clone(), None)).collect(),
            by_name: models
                .iter()
                .enumerate()
                .map(|(i, m)| (m.name.to_ascii_lowercase(), i))
                .collect(),
        }
    }

    fn model_index(&self, name: &str) -> Option<usize> {
        self.by_name.get(&name.to_ascii_lowercase()).copied()
    }

    fn set_columns(&mut self, index: usize, columns: &[Column]) {
        let typed = columns
            .iter()
            .map(|c| {
                (
                    c.name.clone(),
                    Type::from_name(&c.ty).unwrap_or(Type::Unknown),
                    c.not_null,
                )
            })
            .collect();
        self.models[index].1 = Some(typed);
    }

    /// Returns the quoted name DuckDB builds a table under.
    fn quoted_name(&self, canonical: &str, is_model: bool) -> String {
        if is_model {
            quote_ident(canonical)
        } else {
            canonical
                .split('.')
                .map(quote_ident)
                .collect::<Vec<_>>()
                .join(".")
        }
    }

    fn source_table(&self, parts: &[String]) -> Option<CatalogTable> {
        let matches = self.source_matches(parts);
        // NOTE: two schemas with the same table name make an unqualified
        // reference ambiguous; the first declared one wins for now.
        let index = *matches.first()?;
        let (declared, columns) = &self.sources[index];
        Some(CatalogTable {
            name: declared.join("."),
            columns: Some(columns.clone()),
            is_model: false,
        })
    }

    fn source_matches(&self, parts: &[String]) -> Vec<usize> {
        let full: Vec<usize> = self
            .sources
            .iter()
            .enumerate()
            .filter(|(_, (declared, _))| same_parts(declared, parts))
            .map(|(i, _)| i)
            .collect();
        if !full.is_empty() || parts.len() != 1 {
            return full;
        }
        self.sources
            .iter()
            .enumerate()
            .filter(|(_, (declared, _))| {
                declared
                    .last()
                    .is_some_and(|t| t.eq_ignore_ascii_case(&parts[0]))
            })
            .map(|(i, _)| i)
            .collect()
    }
}

fn same_parts(a: &[String], b: &[String]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.eq_ignore_ascii_case(y))
}

pub(crate) fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

impl Catalog for ProjectCatalog {
    fn lookup(&self, parts: &[String], reader: &str) -> Option<CatalogTable> {
        let model_name = match parts {
            [name] => Some(name),
            [schema, name] if schema.eq_ignore_ascii_case("main") => Some(name),
            _ => None,
        };
        let reads_itself = model_name.is_some_and(|name| name.eq_ignore_ascii_case(reader));
        if reads_itself && !self.source_matches(parts).is_empty() {
            return self.source_table(parts);
        }
        if let Some(index) = model_name.and_then(|name| self.model_index(name)) {
            let (name, columns) = &self.models[index];
            return Some(CatalogTable {
                name: name.clone(),
                columns: columns.clone(),
                is_model: true,
            });
        }
        self.source_table(parts)
    }

    fn table_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.models.iter().map(|(n, _)| n.clone()).collect();
        for (parts, _) in &self.sources {
            names.push(parts.join("."));
            if parts.len() > 1 {
                names.extend(parts.last().cloned());
            }
        }
        names
    }
}

#[cfg(test)]
mod scan_tests {
    use super::*;

    fn project(models: &[(&str, &str)]) -> ProjectFiles {
        let mut files: ProjectFiles = [
            ("rocky.toml", "[project]\nname = \"scan\"\n"),
            (
                "sources/raw.sql",
                "CREATE TABLE raw (id INTEGER, v VARCHAR);",
            ),
        ]
        .iter()
        .map(|(p, t)| (p.to_string(), t.to_string()))
        .collect();
        for (name, sql) in models {
            files.insert(format!("models/{name}.sql"), sql.to_string());
        }
        files
    }

    /// Returns the JSON of the compilation with each way of finding the
    /// dependencies; `None` for a syntactic scan that gave way.
    fn both(files: &ProjectFiles) -> (Option<String>, String) {
        let json = |c: &Compilation| serde_json::to_string(c).unwrap_or_default();
        let scanned = compile_pass(files, DependencyScan::Syntactic)
            .ok()
            .map(|c| json(&c));
        let bound = compile_pass(files, DependencyScan::Binding)
            .ok()
            .map(|c| json(&c))
            .unwrap_or_default();
        (scanned, bound)
    }

    #[test]
    fn scan_matches_binding_on_generated_projects() {
        for seed in 1..=3 {
            let files = crate::generate::project(300, seed);
            let (scanned, bound) = both(&files);
            assert_eq!(scanned.as_deref(), Some(bound.as_str()), "seed {seed}");
        }
    }

    #[test]
    fn scan_skips_cte_names_and_reads_subqueries() {
        let files = project(&[
            ("a", "select id, v from raw"),
            ("b", "with a as (select 1 as id) select id from a"),
            ("c", "select id from raw where id in (select id from a)"),
            // The outer `a` is the model; only the subquery's is the CTE.
            ("d", "select x.id from a join (with a as (select 1 as id) select id from a) x on a.id = x.id"),
        ]);
        let (scanned, bound) = both(&files);
        assert_eq!(scanned.as_deref(), Some(bound.as_str()));
        let compilation = compile(&files);
        assert!(compilation.model("b").unwrap().depends_on.is_empty());
        assert_eq!(compilation.model("c").unwrap().depends_on, ["raw", "a"]);
        assert_eq!(compilation.model("d").unwrap().depends_on, ["a"]);
    }

    #[test]
    fn scan_gives_way_to_binding_when_unsure() {
        // The CTE `a` is defined after `x`, so the `a` that `x` reads is
        // still the model. The scan counts the CTE from the start of the
        // WITH, so it misses that read.
        let shadowed = project(&[
            ("a", "select id, v from raw"),
            (
                "b",
                "with x as (select id from a), a as (select 1 as id) select x.id from x, a",
            ),
        ]);
        // A cycle is reported with the binder's spans.
        let cycle = project(&[("p", "select id from q"), ("q", "select id from p")]);
        for files in [shadowed, cycle] {
            let (scanned, bound) = both(&files);
            assert_eq!(scanned, None);
            assert_eq!(serde_json::to_string(&compile(&files)).unwrap(), bound);
        }
    }
}
