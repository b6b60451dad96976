//! Effects of the app, as hooks over the reducer.

mod use_debounced_compile;
mod use_results_query;
mod use_save_session;
mod use_unload_warning;

pub use use_debounced_compile::{use_debounced_compile, use_first_compile};
pub use use_results_query::use_results_query;
pub use use_save_session::{use_save_session, SAVE_DELAY_MS};
pub use use_unload_warning::use_unload_warning;
