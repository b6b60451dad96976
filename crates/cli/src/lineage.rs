//! `rocky lineage DIR`: the project's column lineage, or one model's or one
//! column's neighbourhood, as JSON, an OpenLineage event, DOT, Mermaid or
//! SVG. docs/lineage.md describes the formats.

use std::path::PathBuf;

use clap::ValueEnum;
use rocky_core::export::{self, OpenLineageOptions};
use rocky_core::layout::{CteDisplay, Focus, LineageView, Reach, ViewError, ViewOptions};
use rocky_core::ColumnGraph;

#[derive(clap::Args)]
pub struct LineageArgs {
    /// Project directory: the one that contains rocky.toml.
    pub dir: PathBuf,

    /// Show one column's lineage, written MODEL.COLUMN (a source column as
    /// SOURCE.COLUMN, such as raw.orders.id).
    #[arg(long, value_name = "MODEL.COLUMN", conflicts_with = "model")]
    pub column: Option<String>,

    /// Show one model or source table with all its columns and its
    /// neighbours.
    #[arg(long, value_name = "NAME")]
    pub model: Option<String>,

    /// Show only what the focus is computed from.
    #[arg(long, conflicts_with = "downstream")]
    pub upstream: bool,

    /// Show only what reads the focus.
    #[arg(long)]
    pub downstream: bool,

    /// The maximum number of tables between the focus and a shown table,
    /// each way. No limit when left out.
    #[arg(long, value_name = "N")]
    pub hops: Option<usize>,

    /// Also show this model or source table; repeat for more.
    #[arg(long, value_name = "NAME")]
    pub include: Vec<String>,

    /// The display of CTE and subquery columns: as tables of their own, or
    /// collapsed into the edges between the tables they connect.
    #[arg(long, value_enum, default_value_t = Ctes::Tables)]
    pub ctes: Ctes,

    /// Leave out indirect inputs: join keys, filters, grouping keys and the
    /// other columns that influence a model without feeding a value.
    #[arg(long)]
    pub no_indirect: bool,

    /// Output format.
    #[arg(long, value_enum, default_value_t = LineageFormat::Json)]
    pub format: LineageFormat,

    /// For `openlineage`: the event time, an RFC 3339 date-time such as
    /// 2024-05-01T12:00:00Z. Without it the event has 1970-01-01T00:00:00Z,
    /// so the output depends only on the project.
    #[arg(long, value_name = "TIME")]
    pub event_time: Option<String>,

    /// For `openlineage`: the namespace of the job and the datasets.
    /// Defaults to rocky://PROJECT, PROJECT being rocky.toml's name.
    #[arg(long, value_name = "NAMESPACE")]
    pub namespace: Option<String>,

    /// Write how long reading, compiling and exporting took to stderr.
    #[arg(short, long)]
    pub verbose: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LineageFormat {
    /// The view as one JSON document: nodes, edges, tables.
    Json,
    /// An OpenLineage run event with the columnLineage facet.
    Openlineage,
    /// Graphviz DOT, for `dot -Tsvg`.
    Dot,
    /// A Mermaid flowchart.
    Mermaid,
    /// An SVG drawing, laid out by Rocky.
    Svg,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Ctes {
    Tables,
    Collapsed,
}

/// An invalid request: the message for stderr, and optional help.
pub struct UsageError {
    pub message: String,
    pub help: Option<String>,
}

impl UsageError {
    fn new(message: impl Into<String>) -> UsageError {
        UsageError {
            message: message.into(),
            help: None,
        }
    }
}

/// Checks the arguments that clap cannot check alone, before the project
/// is read.
pub fn check_args(args: &LineageArgs) -> Result<(), UsageError> {
    let focused = args.column.is_some() || args.model.is_some();
    if !focused && (args.upstream || args.downstream || args.hops.is_some()) {
        return Err(UsageError {
            message: "--upstream, --downstream and --hops need a focus".to_string(),
            help: Some("add --model NAME or --column MODEL.COLUMN".to_string()),
        });
    }
    if let Some(column) = &args.column {
        if !column.contains('.') || column.starts_with('.') || column.ends_with('.') {
            return Err(UsageError {
                message: format!("invalid --column `{column}`: expected MODEL.COLUMN"),
                help: Some("name the model or source, a dot, then the column, such as customers.customer_id".to_string()),
            });
        }
    }
    if args.format != LineageFormat::Openlineage
        && (args.event_time.is_some() || args.namespace.is_some())
    {
        return Err(UsageError::new(
            "--event-time and --namespace apply only to --format openlineage",
        ));
    }
    Ok(())
}

/// Selects the view the arguments ask for.
pub fn select_view(graph: &ColumnGraph, args: &LineageArgs) -> Result<LineageView, UsageError> {
    let mut options = ViewOptions {
        focus: Focus::All,
        reach: if args.upstream {
            Reach::Upstream
        } else if args.downstream {
            Reach::Downstream
        } else {
            Reach::Both
        },
        hops: args.hops,
        include: args.include.clone(),
        ctes: match args.ctes {
            Ctes::Tables => CteDisplay::Tables,
            Ctes::Collapsed => CteDisplay::Collapsed,
        },
        indirect: !args.no_indirect,
    };
    if let Some(model) = &args.model {
        options.focus = Focus::Table(model.clone());
        return LineageView::select(graph, &options).map_err(view_error);
    }
    let Some(spec) = &args.column else {
        return LineageView::select(graph, &options).map_err(view_error);
    };
    // Names may contain dots (`raw.orders.id`), so every split is tried,
    // the last dot first. A split whose table exists decides the error.
    let mut first_error: Option<ViewError> = None;
    for (dot, _) in spec.rmatch_indices('.') {
        let (table, column) = (&spec[..dot], &spec[dot + 1..]);
        if table.is_empty() || column.is_empty() {
            continue;
        }
        options.focus = Focus::Column {
            table: table.to_string(),
            column: column.to_string(),
        };
        match LineageView::select(graph, &options) {
            Ok(view) => return Ok(view),
            Err(error @ ViewError::UnknownColumn { .. }) => {
                if !matches!(first_error, Some(ViewError::UnknownColumn { .. })) {
                    first_error = Some(error);
                }
            }
            Err(error) => {
                first_error.get_or_insert(error);
            }
        }
    }
    Err(view_error(first_error.expect("check_args ensured a dot")))
}

fn view_error(error: ViewError) -> UsageError {
    let help = match &error {
        ViewError::UnknownTable { .. } => "`rocky compile DIR` lists the models",
        ViewError::UnknownColumn { .. } => "`rocky compile DIR` lists each model's columns",
    };
    UsageError {
        message: error.to_string(),
        help: Some(help.to_string()),
    }
}

/// Mermaid's default `maxEdges` and `maxTextSize` (its config schema):
/// past them, Mermaid shows an error in place of the diagram.
const MERMAID_MAX_EDGES: usize = 500;
const MERMAID_MAX_TEXT: usize = 50_000;

/// Returns a warning for a Mermaid diagram that Mermaid's default limits
/// reject, with what to do about it.
pub fn mermaid_warning(view: &LineageView, text: &str) -> Option<String> {
    let edges = view.edges.len();
    let size = text.len();
    if edges <= MERMAID_MAX_EDGES && size <= MERMAID_MAX_TEXT {
        return None;
    }
    Some(format!(
        "the flowchart has {edges} edges and {size} characters, and Mermaid draws at most \
         {MERMAID_MAX_EDGES} edges and {MERMAID_MAX_TEXT} characters unless its maxEdges and \
         maxTextSize are raised; narrow the view with --model or --column and --hops"
    ))
}

/// Writes the view in the requested format.
pub fn render(view: &LineageView, args: &LineageArgs, project: &str) -> Result<String, UsageError> {
    let mut options = OpenLineageOptions::for_project(project);
    if let Some(namespace) = &args.namespace {
        options.namespace = namespace.clone();
    }
    options.event_time = args.event_time.clone();
    let format = match args.format {
        LineageFormat::Json => export::Format::Json,
        LineageFormat::Openlineage => export::Format::OpenLineage,
        LineageFormat::Dot => export::Format::Dot,
        LineageFormat::Mermaid => export::Format::Mermaid,
        LineageFormat::Svg => export::Format::Svg,
    };
    export::export(view, format, &options).map_err(|error| UsageError::new(error.to_string()))
}
