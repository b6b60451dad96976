//! The one diagnostic type every stage reports through.

use serde::{Deserialize, Serialize};

/// A 1-based line and column in a project file. Columns count characters.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Position {
    pub line: u32,
    pub column: u32,
}

/// A half-open range in one file: `start` is the first character, `end` is
/// just past the last one.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    pub start: Position,
    pub end: Position,
}

impl Span {
    /// Creates a span from 1-based line and column pairs.
    pub fn new(start_line: u32, start_column: u32, end_line: u32, end_column: u32) -> Span {
        Span {
            start: Position {
                line: start_line,
                column: start_column,
            },
            end: Position {
                line: end_line,
                column: end_column,
            },
        }
    }

    /// Returns true for the placeholder span of something with no location.
    pub fn is_empty(&self) -> bool {
        self.start.line == 0
    }
}

/// How serious a diagnostic is. Only errors make `rocky compile` fail.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

/// A finding of the compiler, located in one file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// Stable code, such as `E0101`, listed in docs/diagnostics.md.
    pub code: String,
    pub severity: Severity,
    /// The model the diagnostic belongs to, when it belongs to one.
    pub model: Option<String>,
    /// Project-relative path of the file, such as `models/orders.sql`.
    pub file: String,
    pub message: String,
    pub span: Span,
    /// What the user can do about it, such as a did-you-mean suggestion.
    pub help: Option<String>,
    /// Other places in the same file that explain the finding: both
    /// operands of a mismatch, the tables an ambiguous name matches.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub labels: Vec<Label>,
}

/// A secondary location of a diagnostic, with what it shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

impl Diagnostic {
    /// Creates an error diagnostic with no model and no help.
    pub fn error(code: &str, file: &str, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code: code.to_string(),
            severity: Severity::Error,
            model: None,
            file: file.to_string(),
            message: message.into(),
            span,
            help: None,
            labels: Vec::new(),
        }
    }

    /// Creates a warning diagnostic with no model and no help.
    pub fn warning(code: &str, file: &str, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, file, span, message)
        }
    }

    /// Sets the help line.
    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// Adds a secondary label. Labels with no location are dropped.
    pub fn with_label(mut self, span: Span, message: impl Into<String>) -> Diagnostic {
        if !span.is_empty() {
            self.labels.push(Label {
                span,
                message: message.into(),
            });
        }
        self
    }

    /// Sets the model the diagnostic belongs to.
    pub fn with_model(mut self, model: &str) -> Diagnostic {
        self.model = Some(model.to_string());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}
