//! The compiler's driver: load the project, order the models on a DAG,
//! and bind each model against the outputs of the models before it.

use std::collections::{HashMap, HashSet};
use std::hash::BuildHasherDefault;
use std::sync::Arc;

use petgraph::graph::{DiGraph, NodeIndex};
use sqlparser::ast::Statement;

use crate::bind::locals::{local_index, LocalKind, Resolver, UNRESOLVED};
use crate::bind::{
    bind_model, BoundColumn, Catalog, CatalogTable, ModelAnalysis, Origins, TableColumns,
};
use crate::diagnostic::{Diagnostic, Span};
use crate::dialect::{ModelBody, ParsedModel};
use crate::intent::facts::{read_facts, SidecarFacts};
use crate::intent::ModelFacts;
use crate::output::{
    Column, Compilation, IndirectInput, InternalKind, InternalTable, LineageEdge, Model, Parent,
    ParentTable, SourceTable, TableUse,
};
use crate::parse::{end_of, parse_pivot, parse_statements, statement_spans};
use crate::project::{self, ModelInput, ProjectInput, SourceDecl};
use crate::text::{closest, LineIndex};
use crate::types::Type;
use crate::ProjectFiles;

/// The models a model reads, as the first pass finds them: (model name,
/// file of the reference, span of the name).
type Refs = Arc<Vec<(String, String, Span)>>;

/// A model's position in the DAG; an index into the loaded models.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct ModelId(usize);

/// Compiles a project from scratch.
pub(crate) fn compile(files: &ProjectFiles) -> Compilation {
    Compiler::default().compile(files)
}

/// A compiler that keeps what it found for each model, so compiling the
/// project again after an edit redoes only the models the edit can change.
///
/// For each model it keeps the parsed query, keyed by the model's text,
/// and the bound model, keyed by the text, the sidecar and every catalog
/// lookup made while binding: each table the model looked up, with the
/// columns and types it had. A model is bound again only when one of
/// those lookups changed. So an edit that keeps a model's output columns
/// rebinds that model alone, and one that changes them rebinds the models
/// that read it, and theirs in turn only while their columns change too.
/// The result is always the one a compile from scratch gives.
#[derive(Default)]
pub struct Compiler {
    /// By model file.
    models: HashMap<String, CachedModel, BuildHasherDefault<NameHasher>>,
    /// The order of the last compile whose scan held.
    order: Option<CachedOrder>,
    loaded: Option<Loaded>,
    /// Counts the catalogs built, for `ProjectCatalog::generation`.
    generation: u64,
    stats: CompileStats,
}

/// The project as last loaded.
struct Loaded {
    /// Every file that is no model's SQL, with its text.
    others: Vec<(String, String)>,
    /// Every model SQL path, with its index in `input.models`; `None` for
    /// a file that loading left out.
    model_paths: Vec<(String, Option<usize>)>,
    input: ProjectInput,
    catalog: ProjectCatalog,
    /// Per model of `input`: true when its SQL is the one the last compile
    /// read, so its cached parse needs no comparison.
    unchanged: Vec<bool>,
}

impl Loaded {
    /// Takes the new texts of the models when no other file changed and
    /// no model file came or went. Returns false when the project must be
    /// loaded again.
    fn refresh(&mut self, files: &ProjectFiles) -> bool {
        let mut others = self.others.iter();
        let mut model_paths = self.model_paths.iter();
        let mut changed = Vec::new();
        for (path, text) in files {
            if is_model_path(path) {
                match model_paths.next() {
                    Some((known, slot)) if known == path => {
                        if text.starts_with('\u{feff}') {
                            return false;
                        }
                        if let Some(index) = *slot {
                            if self.input.models[index].sql != *text {
                                changed.push((index, text));
                            }
                        }
                    }
                    _ => return false,
                }
            } else {
                match others.next() {
                    Some((known, known_text)) if known == path && known_text == text => {}
                    _ => return false,
                }
            }
        }
        if others.next().is_some() || model_paths.next().is_some() {
            return false;
        }
        self.unchanged.fill(true);
        for (index, text) in changed {
            self.input.models[index].sql = text.clone();
            self.unchanged[index] = false;
        }
        true
    }
}

/// True for the files `project::load` reads as models: `models/**.sql`.
fn is_model_path(path: &str) -> bool {
    path.strip_prefix("models/")
        .is_some_and(|rest| rest.ends_with(".sql"))
}

/// Models in dependency order, with the dependencies it was found from.
struct CachedOrder {
    files: Vec<String>,
    deps: Vec<Vec<usize>>,
    /// Components of the DAG in topological order: each a model index,
    /// or the models of one cycle.
    order: Arc<Vec<Vec<usize>>>,
}

impl CachedOrder {
    fn fits(&self, models: &[ModelInput], deps: &[Vec<usize>]) -> bool {
        self.deps == deps
            && self.files.len() == models.len()
            && self
                .files
                .iter()
                .zip(models)
                .all(|(file, model)| *file == model.file)
    }
}

/// Orders the models so each comes after the models it reads, and reports
/// cycles; with `DependencyScan::Syntactic` a cycle fails the pass, so it
/// is reported with the binder's spans.
fn order_models(
    models: &[ModelInput],
    deps: &[Vec<usize>],
    refs: &[Refs],
    scan: DependencyScan,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Vec<Vec<usize>>, ScanMismatch> {
    let mut graph: DiGraph<ModelId, ()> = DiGraph::new();
    let nodes: Vec<NodeIndex> = (0..models.len())
        .map(|i| graph.add_node(ModelId(i)))
        .collect();
    for (reader, targets) in deps.iter().enumerate() {
        for &target in targets {
            graph.update_edge(nodes[target], nodes[reader], ());
        }
    }
    // Strongly connected components come out in reverse topological order.
    let mut order: Vec<Vec<NodeIndex>> = tarjan_iterative(&graph);
    order.reverse();
    for component in &order {
        let cyclic = component.len() > 1 || graph.contains_edge(component[0], component[0]);
        if cyclic && scan == DependencyScan::Syntactic {
            return Err(ScanMismatch);
        }
        if cyclic {
            report_cycle(component, &graph, models, refs, diagnostics);
        }
    }
    Ok(order
        .into_iter()
        .map(|component| component.into_iter().map(|node| graph[node].0).collect())
        .collect())
}

/// Returns the strongly connected components of `graph` in reverse
/// topological order, as petgraph's `tarjan_scc` does and in the same
/// order: nodes are visited by index and neighbors in petgraph's order.
/// That one recurses once per node of a path, so a chain of 10,000
/// models overflowed the page's 1 MiB stack. This one keeps its own stack.
fn tarjan_iterative(graph: &DiGraph<ModelId, ()>) -> Vec<Vec<NodeIndex>> {
    let mut walk = TarjanWalk {
        index: vec![usize::MAX; graph.node_count()],
        low: vec![0; graph.node_count()],
        on_stack: vec![false; graph.node_count()],
        stack: Vec::new(),
        next: 0,
        frames: Vec::new(),
    };
    let mut components = Vec::new();
    for root in graph.node_indices() {
        if walk.visited(root) {
            continue;
        }
        walk.enter(graph, root);
        while let Some((node, neighbors, done)) = walk.frames.last_mut() {
            let node = *node;
            if let Some(&neighbor) = neighbors.get(*done) {
                *done += 1;
                if !walk.visited(neighbor) {
                    walk.enter(graph, neighbor);
                } else if walk.on_stack[neighbor.index()] {
                    walk.low[node.index()] =
                        walk.low[node.index()].min(walk.index[neighbor.index()]);
                }
                continue;
            }
            walk.frames.pop();
            if let Some((parent, _, _)) = walk.frames.last() {
                walk.low[parent.index()] = walk.low[parent.index()].min(walk.low[node.index()]);
            }
            if walk.low[node.index()] == walk.index[node.index()] {
                let mut component = Vec::new();
                while let Some(member) = walk.stack.pop() {
                    walk.on_stack[member.index()] = false;
                    component.push(member);
                    if member == node {
                        break;
                    }
                }
                components.push(component);
            }
        }
    }
    components
}

/// The state of [`tarjan_iterative`].
struct TarjanWalk {
    /// Each node's visit number, `usize::MAX` until it is visited.
    index: Vec<usize>,
    low: Vec<usize>,
    on_stack: Vec<bool>,
    stack: Vec<NodeIndex>,
    next: usize,
    /// Each frame: a node, its neighbors, and how many of them are done.
    frames: Vec<(NodeIndex, Vec<NodeIndex>, usize)>,
}

impl TarjanWalk {
    fn visited(&self, node: NodeIndex) -> bool {
        self.index[node.index()] != usize::MAX
    }

    fn enter(&mut self, graph: &DiGraph<ModelId, ()>, node: NodeIndex) {
        self.index[node.index()] = self.next;
        self.low[node.index()] = self.next;
        self.next += 1;
        self.stack.push(node);
        self.on_stack[node.index()] = true;
        self.frames.push((node, graph.neighbors(node).collect(), 0));
    }
}

/// Counts of the models the last compile redid.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CompileStats {
    /// Models in the project.
    pub models: usize,
    /// Models parsed, the others' parse was reused.
    pub parsed: usize,
    /// Models bound, the others' results were reused.
    pub bound: usize,
}

/// The cached results of one model.
struct CachedModel {
    name: String,
    sql: String,
    parsed: Result<Arc<ParsedModel>, Diagnostic>,
    /// The models the syntactic scan found.
    scan: Option<WithReads<Refs>>,
    built: Option<Built>,
}

/// A model bound and built, with what binding it depended on.
struct Built {
    sidecar: Option<String>,
    reads: CatalogReads,
    model: Arc<Model>,
    /// The binder's diagnostics.
    diagnostics: Vec<Diagnostic>,
    /// The models the binder found the query reading, sorted.
    bound_refs: Vec<String>,
    /// True when all output columns are known.
    complete: bool,
    /// The output columns as later models see them.
    columns: TableColumns,
    facts: ModelFacts,
    /// The diagnostics of reading the sidecar's invariants.
    fact_diagnostics: Vec<Diagnostic>,
}

/// A result and the catalog lookups it was computed from.
struct WithReads<T> {
    value: T,
    reads: CatalogReads,
}

/// The catalog lookups of one model, with their results.
#[derive(Default)]
struct CatalogReads {
    /// The generation of the catalog that was read.
    generation: u64,
    /// Each table name looked up, the model it resolved to if any, and
    /// the table returned.
    lookups: Vec<(Vec<String>, Option<usize>, Option<CatalogTable>)>,
    /// The table names, when the model asked for them.
    names: Option<Vec<String>>,
}

impl CatalogReads {
    /// True when `catalog` still returns every table to `reader`. Within a
    /// generation only a model's columns can have changed.
    fn unchanged_in(&self, catalog: &ProjectCatalog, reader: &str) -> bool {
        if self.generation == catalog.generation {
            return self.lookups.iter().all(|(_, target, answer)| match target {
                Some(index) => same_columns(
                    answer.as_ref().and_then(|a| a.columns.as_ref()),
                    catalog.models[*index].1.as_ref(),
                ),
                None => true,
            });
        }
        self.lookups
            .iter()
            .all(|(parts, _, answer)| catalog.returns_again(parts, reader, answer))
            && self
                .names
                .as_ref()
                .is_none_or(|names| *names == catalog.table_names())
    }
}

fn same_columns(a: Option<&TableColumns>, b: Option<&TableColumns>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => Arc::ptr_eq(a, b) || a == b,
        (None, None) => true,
        _ => false,
    }
}

/// A catalog that records every lookup and the table it returned.
struct Recorder<'a> {
    catalog: &'a ProjectCatalog,
    reads: std::cell::RefCell<CatalogReads>,
}

impl<'a> Recorder<'a> {
    fn new(catalog: &'a ProjectCatalog) -> Recorder<'a> {
        Recorder {
            catalog,
            reads: std::cell::RefCell::new(CatalogReads {
                generation: catalog.generation,
                ..CatalogReads::default()
            }),
        }
    }
}

impl Catalog for Recorder<'_> {
    fn lookup(&self, parts: &[String], reader: &str) -> Option<CatalogTable> {
        let (target, answer) = self.catalog.resolve(parts, reader);
        self.reads
            .borrow_mut()
            .lookups
            .push((parts.to_vec(), target, answer.clone()));
        answer
    }

    fn table_names(&self) -> Vec<String> {
        let names = self.catalog.table_names();
        self.reads.borrow_mut().names = Some(names.clone());
        names
    }
}

impl Compiler {
    /// Compiles the project, reusing what earlier compiles found for the
    /// models whose inputs are unchanged.
    pub fn compile(&mut self, files: &ProjectFiles) -> Compilation {
        self.stats = CompileStats::default();
        let mut loaded = self.load(files);
        let compilation = match self.compile_pass(files, &mut loaded, DependencyScan::Syntactic) {
            Ok(compilation) => compilation,
            Err(ScanMismatch) => self
                .compile_pass(files, &mut loaded, DependencyScan::Binding)
                .unwrap_or_default(),
        };
        self.loaded = Some(loaded);
        self.stats.models = compilation.models.len();
        compilation
    }

    /// Returns the project's files as loaded. When only model SQL changed
    /// since the last compile, that load is reused with the new texts;
    /// otherwise the project is loaded again.
    fn load(&mut self, files: &ProjectFiles) -> Loaded {
        if let Some(mut loaded) = self.loaded.take() {
            if loaded.refresh(files) {
                return loaded;
            }
        }
        let input = project::load(files);
        let model_files: HashSet<&str> = input.models.iter().map(|m| m.file.as_str()).collect();
        self.models
            .retain(|file, _| model_files.contains(file.as_str()));
        self.order = None;
        let mut others = Vec::new();
        let mut model_paths = Vec::new();
        let slots: HashMap<&str, usize> = input
            .models
            .iter()
            .enumerate()
            .map(|(i, m)| (m.file.as_str(), i))
            .collect();
        for (path, text) in files {
            if is_model_path(path) {
                model_paths.push((path.clone(), slots.get(path.as_str()).copied()));
            } else {
                others.push((path.clone(), text.clone()));
            }
        }
        self.generation += 1;
        let catalog = ProjectCatalog::new(&input.sources, &input.models, self.generation);
        Loaded {
            others,
            model_paths,
            unchanged: vec![false; input.models.len()],
            input,
            catalog,
        }
    }

    /// Returns the counts of the models the last compile redid.
    pub fn stats(&self) -> CompileStats {
        self.stats
    }

    /// Parses up to `count` of the models that the next compile of `files`
    /// would parse, and returns how many are left. The page parses a large
    /// project in several steps so that no step blocks it for long, and
    /// the compile that follows reuses the parses.
    pub fn parse_ahead(&mut self, files: &ProjectFiles, count: usize) -> usize {
        let loaded = self.load(files);
        let mut parsed = 0;
        let mut left = 0;
        for (input, &unchanged) in loaded.input.models.iter().zip(&loaded.unchanged) {
            if self.is_parsed(input, unchanged) {
                continue;
            }
            if parsed < count {
                self.models
                    .insert(input.file.clone(), CachedModel::parse(input));
                parsed += 1;
            } else {
                // The load kept now marks this text unchanged, so a stale
                // parse left in the cache would pass for this text's.
                self.models.remove(&input.file);
                left += 1;
            }
        }
        self.loaded = Some(loaded);
        left
    }

    /// Returns whether the cache contains the parse of `input` as it is now.
    fn is_parsed(&self, input: &ModelInput, unchanged: bool) -> bool {
        self.models
            .get(&input.file)
            .is_some_and(|entry| unchanged || (entry.name == input.name && entry.sql == input.sql))
    }

    /// Returns the cached model of `input`, parsed again when its text or
    /// name changed.
    fn parsed(&mut self, input: &ModelInput, unchanged: bool) -> &CachedModel {
        if !self.is_parsed(input, unchanged) {
            self.stats.parsed += 1;
            self.models
                .insert(input.file.clone(), CachedModel::parse(input));
        }
        &self.models[&input.file]
    }

    /// Compiles the project. With `DependencyScan::Syntactic`, fails when
    /// the scan's references turn out to differ from the bound ones, so the
    /// result is always the one `DependencyScan::Binding` gives.
    fn compile_pass(
        &mut self,
        files: &ProjectFiles,
        loaded: &mut Loaded,
        scan: DependencyScan,
    ) -> Result<Compilation, ScanMismatch> {
        let input = &loaded.input;
        let catalog = &mut loaded.catalog;
        let mut diagnostics = input.diagnostics.clone();
        report_name_clashes(&input.sources, &input.models, &mut diagnostics);
        let parsed: Vec<Option<Arc<ParsedModel>>> = input
            .models
            .iter()
            .zip(&loaded.unchanged)
            .map(
                |(model, &unchanged)| match &self.parsed(model, unchanged).parsed {
                    Ok(query) => Some(Arc::clone(query)),
                    Err(diagnostic) => {
                        diagnostics.push(diagnostic.clone());
                        None
                    }
                },
            )
            .collect();

        // First pass: find each model's dependencies with every model's
        // columns unknown, so no column errors are reported yet.
        catalog.forget_columns();
        // Per model: the models it reads, by index.
        let mut deps: Vec<Vec<usize>> = Vec::with_capacity(input.models.len());
        // Per model: (model it reads, file and span of the reference).
        let mut first_refs: Vec<Refs> = Vec::new();
        for (i, query) in parsed.iter().enumerate() {
            let model = &input.models[i];
            let mut refs = Refs::default();
            match (query.as_deref(), scan) {
                (
                    Some(ParsedModel {
                        body: ModelBody::Query(query),
                        ..
                    }),
                    DependencyScan::Syntactic,
                ) => {
                    refs = self.scanned_refs(query, model, catalog);
                }
                (Some(query), _) => {
                    let analysis =
                        bind_model(query, &model.sql, &*catalog, &model.file, &model.name);
                    let refs = Arc::make_mut(&mut refs);
                    for reference in analysis.references.iter().filter(|r| r.is_model) {
                        refs.push((
                            reference.canonical.clone(),
                            model.file.clone(),
                            reference.span,
                        ));
                    }
                }
                (None, _) => {}
            }
            if !model.config.depends_on.is_empty() {
                let sidecar = sidecar_path(&model.file);
                let depends_span = files
                    .get(&sidecar)
                    .and_then(|text| LineIndex::new(text).find_line_start("depends_on"))
                    .unwrap_or_default();
                read_depends_on(
                    model,
                    &sidecar,
                    depends_span,
                    catalog,
                    Arc::make_mut(&mut refs),
                    &mut diagnostics,
                );
            }
            deps.push(
                refs.iter()
                    .filter_map(|(name, _, _)| catalog.model_index(name))
                    .collect(),
            );
            first_refs.push(refs);
        }

        let order = match &self.order {
            Some(cached)
                if scan == DependencyScan::Syntactic && cached.fits(&input.models, &deps) =>
            {
                Arc::clone(&cached.order)
            }
            _ => {
                let order = Arc::new(order_models(
                    &input.models,
                    &deps,
                    &first_refs,
                    scan,
                    &mut diagnostics,
                )?);
                if scan == DependencyScan::Syntactic {
                    self.order = Some(CachedOrder {
                        files: input.models.iter().map(|m| m.file.clone()).collect(),
                        deps: deps.clone(),
                        order: Arc::clone(&order),
                    });
                }
                order
            }
        };

        let mut models = Vec::with_capacity(input.models.len());
        // Per model in `models`: true when all its columns are known.
        let mut complete_models = Vec::with_capacity(input.models.len());
        // Per model in `models`: the sidecar path and what it states.
        let mut facts = Vec::with_capacity(input.models.len());
        let mut fact_diagnostics = Vec::new();
        for component in order.iter() {
            for &id in component {
                let id = ModelId(id);
                let model_input = &input.models[id.0];
                let sidecar = model_input.sidecar.as_ref();
                let built = self.built(model_input, parsed[id.0].as_deref(), sidecar, catalog);
                if scan == DependencyScan::Syntactic {
                    let mut scanned: Vec<&str> = first_refs[id.0]
                        .iter()
                        .filter(|(_, file, _)| *file == model_input.file)
                        .map(|(name, _, _)| name.as_str())
                        .collect();
                    scanned.sort_unstable();
                    if built.bound_refs != scanned {
                        return Err(ScanMismatch);
                    }
                }
                diagnostics.extend(built.diagnostics.iter().cloned());
                fact_diagnostics.extend(built.fact_diagnostics.iter().cloned());
                complete_models.push(built.complete);
                facts.push(Arc::clone(&built.facts));
                // A model whose columns are not all known stays opaque to
                // the models that read it, so one unknown table gives one
                // error.
                if parsed[id.0].is_some() && component.len() == 1 && built.complete {
                    catalog.models[id.0].1 = Some(Arc::clone(&built.columns));
                }
                models.push(Arc::clone(&built.model));
            }
        }
        // A relationships test may read any model, so tests are checked
        // once every model is bound.
        crate::data_tests::check::check_tests(
            &models,
            &complete_models,
            &*catalog,
            &mut diagnostics,
        );

        let mut compilation = Compilation {
            project: input.name.clone(),
            sources: input.sources.iter().map(source_output).collect(),
            models,
            diagnostics,
        };
        // Invariants are checked against the bound models, with the queries
        // parsed above.
        let queries: Vec<Option<&sqlparser::ast::Query>> = order
            .iter()
            .flatten()
            .map(|&i| match parsed[i].as_deref().map(|p| &p.body) {
                Some(ModelBody::Query(query)) => Some(&**query),
                _ => None,
            })
            .collect();
        crate::intent::check(&mut compilation, &facts, fact_diagnostics, &queries);
        Ok(compilation)
    }

    /// Returns the models `query` reads by the syntactic scan, reusing the
    /// last scan while the catalog returns the same tables.
    fn scanned_refs(
        &mut self,
        query: &sqlparser::ast::Query,
        model: &ModelInput,
        catalog: &ProjectCatalog,
    ) -> Refs {
        let Some(entry) = self.models.get_mut(&model.file) else {
            return Arc::new(scan_model_refs(query, model, catalog));
        };
        if let Some(scan) = &entry.scan {
            if scan.reads.unchanged_in(catalog, &model.name) {
                return Arc::clone(&scan.value);
            }
        }
        let recorder = Recorder::new(catalog);
        let refs = Arc::new(scan_model_refs(query, model, &recorder));
        entry.scan = Some(WithReads {
            value: Arc::clone(&refs),
            reads: recorder.reads.into_inner(),
        });
        refs
    }

    /// Returns the model bound and built, reusing the last result while
    /// its sidecar and the catalog lookups are unchanged.
    fn built(
        &mut self,
        input: &ModelInput,
        parsed: Option<&ParsedModel>,
        sidecar: Option<&String>,
        catalog: &ProjectCatalog,
    ) -> &Built {
        let entry = self
            .models
            .get_mut(&input.file)
            .expect("every loaded model was parsed into the cache");
        let fresh = entry.built.as_ref().is_some_and(|built| {
            built.sidecar.as_ref() == sidecar && built.reads.unchanged_in(catalog, &input.name)
        });
        if !fresh {
            self.stats.bound += 1;
            entry.built = Some(build(input, parsed, sidecar, catalog));
        }
        entry.built.as_ref().expect("set above")
    }
}

impl CachedModel {
    fn parse(input: &ModelInput) -> CachedModel {
        CachedModel {
            name: input.name.clone(),
            sql: input.sql.clone(),
            parsed: parse_model(input).map(Arc::new),
            scan: None,
            built: None,
        }
    }
}

/// Binds and builds one model, recording its catalog lookups.
fn build(
    input: &ModelInput,
    parsed: Option<&ParsedModel>,
    sidecar: Option<&String>,
    catalog: &ProjectCatalog,
) -> Built {
    let recorder = Recorder::new(catalog);
    let analysis = match parsed {
        Some(query) => bind_model(query, &input.sql, &recorder, &input.file, &input.name),
        None => ModelAnalysis::default(),
    };
    let mut bound_refs: Vec<String> = analysis
        .references
        .iter()
        .filter(|r| r.is_model)
        .map(|r| r.canonical.clone())
        .collect();
    bound_refs.sort_unstable();
    let complete = !analysis.columns.iter().any(|c| c.is_unknown_rest());
    let (mut model, diagnostics, types) = build_model(input, analysis, catalog);
    let mut fact_diagnostics = Vec::new();
    let facts = match sidecar {
        Some(text) => read_facts(
            &sidecar_path(&input.file),
            text,
            &input.name,
            &mut fact_diagnostics,
        ),
        None => SidecarFacts::default(),
    };
    model.config.invariants = facts.invariants.clone();
    let columns = model
        .columns
        .iter()
        .zip(types)
        .map(|(c, ty)| (Arc::from(c.name.as_str()), ty, c.not_null))
        .collect();
    Built {
        sidecar: sidecar.cloned(),
        reads: recorder.reads.into_inner(),
        model: Arc::new(model),
        diagnostics,
        bound_refs,
        complete,
        columns,
        facts: Arc::new((sidecar_path(&input.file), facts)),
        fact_diagnostics,
    }
}

/// Adds the models a sidecar's `depends_on` names to `refs`, and warns of
/// a name that is no model or source.
fn read_depends_on(
    model: &ModelInput,
    sidecar: &str,
    depends_span: Span,
    catalog: &ProjectCatalog,
    refs: &mut Vec<(String, String, Span)>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    for extra in &model.config.depends_on {
        match catalog.model_index(extra) {
            Some(target) => refs.push((
                catalog.models[target].0.clone(),
                sidecar.to_string(),
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
                        sidecar,
                        depends_span,
                        format!("`depends_on` names `{extra}`, which is no model or source"),
                    )
                    .with_model(&model.name)
                    .with_help(help),
                );
            }
        }
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

/// Returns the models a parsed query reads, as the first pass records
/// them: (model name, model file, span of the name). Table names that a
/// CTE of an enclosing query defines are left out. CTE names count from
/// the start of their WITH clause, a little wider than the binder's scope;
/// `compile_pass` checks the result against the bound references.
fn scan_model_refs(
    query: &sqlparser::ast::Query,
    model: &ModelInput,
    catalog: &dyn Catalog,
) -> Vec<(String, String, Span)> {
    use std::ops::ControlFlow;

    use sqlparser::ast::{ObjectName, Query, Spanned, Visit, Visitor};

    struct Scan<'a> {
        catalog: &'a dyn Catalog,
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
    refs: &[Refs],
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

/// Builds a model's output from its analysis; returns it with the
/// binder's diagnostics.
fn build_model(
    input: &ModelInput,
    analysis: ModelAnalysis,
    catalog: &ProjectCatalog,
) -> (Model, Vec<Diagnostic>, Vec<Type>) {
    let diagnostics = analysis.diagnostics;
    let mut types = Vec::with_capacity(analysis.columns.len());
    let columns = analysis
        .columns
        .into_iter()
        .zip(analysis.parents)
        .filter(|(column, _)| !column.is_unknown_rest())
        .map(|(column, parents)| {
            types.push(column.ty.clone());
            output_column(column, &parents)
        })
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
    let model = Model {
        name: input.name.clone(),
        file: input.file.clone(),
        sql: input.sql.clone(),
        columns,
        depends_on,
        filters: analysis
            .filters
            .into_iter()
            .filter(|((model, _), _)| &**model != UNRESOLVED)
            .flat_map(|((model, column), kinds)| {
                kinds.into_iter().map(move |kind| IndirectInput {
                    model: model.to_string(),
                    column: column.to_string(),
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
    };
    (model, diagnostics, types)
}

/// Converts a bound column: its lineage follows `column.origins` (already
/// resolved to upstream columns), its parents are `parents`, one step up.
fn output_column(column: BoundColumn, parents: &Origins) -> Column {
    let mut lineage = Vec::new();
    let mut unresolved = Vec::new();
    for ((model, name), kind) in &column.origins {
        let kind = *kind;
        if &**model == UNRESOLVED {
            unresolved.push(name.to_string());
        } else {
            lineage.push(LineageEdge {
                model: model.to_string(),
                column: name.to_string(),
                kind,
            });
        }
    }
    let parents = parents
        .iter()
        .filter(|((table, _), _)| &**table != UNRESOLVED)
        .map(|((table, name), kind)| Parent {
            table: match local_index(table) {
                Some(index) => ParentTable::Internal(index),
                None => ParentTable::Upstream(table.to_string()),
            },
            column: name.to_string(),
            kind: *kind,
        })
        .collect();
    Column {
        name: column.name.to_string(),
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

/// A hasher for the catalog's lowercase table names, several times
/// cheaper than the default SipHash on short keys. The names come from
/// the user's own project, so flooding attacks do not apply.
#[derive(Default)]
struct NameHasher(u64);

impl std::hash::Hasher for NameHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x517c_c1b7_2722_0a95;
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let word = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
            self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(K);
        }
        for &byte in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ u64::from(byte)).wrapping_mul(K);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// Sources and models by name, with model columns filled in as they are bound.
struct ProjectCatalog {
    sources: Vec<(Vec<String>, TableColumns)>,
    models: Vec<(String, Option<TableColumns>)>,
    by_name: HashMap<String, usize, BuildHasherDefault<NameHasher>>,
    /// Tells catalogs apart: one built from other files has another
    /// generation, and within one only the models' columns change.
    generation: u64,
}

impl ProjectCatalog {
    fn new(sources: &[SourceDecl], models: &[ModelInput], generation: u64) -> ProjectCatalog {
        ProjectCatalog {
            generation,
            sources: sources
                .iter()
                .map(|s| {
                    let columns: TableColumns = s
                        .columns
                        .iter()
                        .map(|(name, ty, not_null)| {
                            (Arc::from(name.as_str()), ty.clone(), *not_null)
                        })
                        .collect();
                    (s.parts.clone(), columns)
                })
                .collect(),
            models: models.iter().map(|m| (m.name.clone(), None)).collect(),
            by_name: models
                .iter()
                .enumerate()
                .map(|(i, m)| (m.name.to_ascii_lowercase(), i))
                .collect(),
        }
    }

    /// Resolves the table `parts` that the model `reader` reads: the index
    /// of the model it names, if a model, and the table. A model that
    /// reads a source of its own name gets the source.
    fn resolve(&self, parts: &[String], reader: &str) -> (Option<usize>, Option<CatalogTable>) {
        let model_name = match parts {
            [name] => Some(name),
            [schema, name] if schema.eq_ignore_ascii_case("main") => Some(name),
            _ => None,
        };
        let reads_itself = model_name.is_some_and(|name| name.eq_ignore_ascii_case(reader));
        if reads_itself && !self.source_matches(parts).is_empty() {
            return (None, self.source_table(parts));
        }
        if let Some(index) = model_name.and_then(|name| self.model_index(name)) {
            let (name, columns) = &self.models[index];
            let table = CatalogTable {
                name: name.clone(),
                columns: columns.clone(),
                is_model: true,
            };
            return (Some(index), Some(table));
        }
        (None, self.source_table(parts))
    }

    /// Makes every model's columns unknown again, as before binding.
    fn forget_columns(&mut self) {
        for (_, columns) in &mut self.models {
            *columns = None;
        }
    }

    fn model_index(&self, name: &str) -> Option<usize> {
        if name.bytes().any(|b| b.is_ascii_uppercase()) {
            self.by_name.get(&name.to_ascii_lowercase()).copied()
        } else {
            self.by_name.get(name).copied()
        }
    }

    /// True when `lookup(parts, reader)` would return `answer`; copies
    /// nothing for a model, which most lookups are.
    fn returns_again(&self, parts: &[String], reader: &str, answer: &Option<CatalogTable>) -> bool {
        let model_name = match parts {
            [name] => Some(name),
            [schema, name] if schema.eq_ignore_ascii_case("main") => Some(name),
            _ => None,
        };
        let reads_itself = model_name.is_some_and(|name| name.eq_ignore_ascii_case(reader));
        match model_name.and_then(|name| self.model_index(name)) {
            Some(index) if !reads_itself => {
                let (name, columns) = &self.models[index];
                answer.as_ref().is_some_and(|table| {
                    table.is_model
                        && table.name == *name
                        && same_columns(table.columns.as_ref(), columns.as_ref())
                })
            }
            _ => self.lookup(parts, reader) == *answer,
        }
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
        self.resolve(parts, reader).1
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
    impl Compiler {
        fn pass(
            &mut self,
            files: &ProjectFiles,
            scan: DependencyScan,
        ) -> Result<Compilation, ScanMismatch> {
            let mut loaded = self.load(files);
            self.compile_pass(files, &mut loaded, scan)
        }
    }

    fn both(files: &ProjectFiles) -> (Option<String>, String) {
        let json = |c: &Compilation| serde_json::to_string(c).unwrap_or_default();
        let scanned = Compiler::default()
            .pass(files, DependencyScan::Syntactic)
            .ok()
            .map(|c| json(&c));
        let bound = Compiler::default()
            .pass(files, DependencyScan::Binding)
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
