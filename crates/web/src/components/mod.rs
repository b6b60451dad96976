//! The app's function components, one per file.

pub mod app;
pub mod compare_view;
pub mod compile_status;
pub mod dag_view;
pub mod editor;
pub mod file_list;
pub mod header;
pub mod lineage_canvas;
pub mod lineage_panel;
pub mod lineage_search;
pub mod lineage_summary;
pub mod lineage_toolbar;
pub mod lineage_view;
pub mod problems;
pub mod result_table;
pub mod results_panel;
pub mod run_controls;
pub mod save_notice;
pub mod schema_panel;
pub mod trace_tree;
