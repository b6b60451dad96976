//! The intent layer: what a model's sidecar states it is for (`intent`,
//! `grain`, `owner`, invariants) and what Rocky does with it, offline and
//! deterministically. [`explain`] describes a model from its compiled
//! form and lineage. [`column_descriptions`] inherits the descriptions of
//! pass-through columns. [`propose_tests`] and [`apply_proposal`] turn the
//! stated facts into data tests. `compile` reports drift from the stated
//! facts as W0014 to W0017. [`repair`] proposes verified fix-its for the
//! models that a renamed, removed or retyped upstream column broke.
//! [`assist`] builds the requests to an optional language model and
//! compiles what it proposes before anyone sees it.
//! docs/intent.md describes the vocabulary and the rules.

pub mod assist;
mod descriptions;
mod drift;
mod explain;
pub(crate) mod facts;
mod propose;
mod repair;
mod shape;
mod vocabulary;

pub use descriptions::{column_descriptions, ColumnDescription, DescriptionOrigin};
pub use explain::{explain, Explanation, Fact, Section, SectionKind};
pub use facts::StatedInvariant;
pub use propose::{apply_proposal, propose_tests, ProposedTest};
pub use repair::{repair, repair_all, FixIt, FixKind, TextEdit};
pub use shape::KeysMemo;
pub use vocabulary::{vocabulary, Invariant, InvariantScope, VocabularyEntry, VOCABULARY};

pub(crate) use drift::{check, ModelFacts};
