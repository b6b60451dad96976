//! The column lineage view's logic, kept apart from its components so it
//! runs in native tests: tables and their neighbours, highlights, search,
//! the view's reducer and its pan and zoom.

pub mod highlight;
pub mod search;
pub mod tables;
pub mod view;
pub mod viewport;
