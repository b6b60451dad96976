//! The project the page opens: the bundled sample, or with `?generate=N`
//! in the URL a generated project of N models, to try the page on a large
//! project. A generated project is never saved, so it cannot overwrite
//! the sample's saved edits, which share its paths.

use rocky_core::ProjectFiles;

/// The maximum model count `?generate=` accepts, so a typo does not make
/// the page compile for minutes.
pub const MAX_GENERATED_MODELS: usize = 5000;
/// The generator's seed: a fixed one, so a URL always opens the same project.
const GENERATOR_SEED: u64 = 1;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Launch {
    Sample,
    Generated { models: usize },
}

impl Launch {
    /// Reads `generate=N` from a URL query such as `?generate=1000`. A
    /// missing, invalid or zero count opens the sample, and a count above
    /// [`MAX_GENERATED_MODELS`] is lowered to it.
    pub fn from_query(query: &str) -> Launch {
        let count = query
            .trim_start_matches('?')
            .split('&')
            .find_map(|pair| pair.strip_prefix("generate="))
            .and_then(|value| value.parse::<usize>().ok());
        match count {
            Some(0) | None => Launch::Sample,
            Some(models) => Launch::Generated {
                models: models.min(MAX_GENERATED_MODELS),
            },
        }
    }

    /// Reads the page's own URL.
    pub fn from_location() -> Launch {
        let query = web_sys::window()
            .and_then(|window| window.location().search().ok())
            .unwrap_or_default();
        Launch::from_query(&query)
    }

    /// Returns true when edits are saved in localStorage.
    pub fn persists(self) -> bool {
        self == Launch::Sample
    }

    /// Returns the generated project's files, or `None` for the sample.
    pub fn generated_files(self) -> Option<ProjectFiles> {
        match self {
            Launch::Sample => None,
            Launch::Generated { models } => {
                Some(rocky_core::generate::project(models, GENERATOR_SEED))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_picks_generated_count() {
        assert_eq!(
            Launch::from_query("?generate=1000"),
            Launch::Generated { models: 1000 }
        );
        assert_eq!(
            Launch::from_query("?a=b&generate=12"),
            Launch::Generated { models: 12 }
        );
    }

    #[test]
    fn query_without_count_opens_sample() {
        assert_eq!(Launch::from_query(""), Launch::Sample);
        assert_eq!(Launch::from_query("?generate=lots"), Launch::Sample);
        assert_eq!(Launch::from_query("?generate=0"), Launch::Sample);
        assert_eq!(Launch::from_query("?regenerate=5"), Launch::Sample);
    }

    #[test]
    fn query_count_capped() {
        let launch = Launch::from_query("?generate=999999");
        assert_eq!(
            launch,
            Launch::Generated {
                models: MAX_GENERATED_MODELS
            }
        );
        assert!(!launch.persists());
        assert!(Launch::Sample.persists());
    }

    #[test]
    fn generated_project_has_models() {
        let files = Launch::Generated { models: 20 }
            .generated_files()
            .unwrap_or_default();
        let models = files
            .keys()
            .filter(|path| path.starts_with("models/") && path.ends_with(".sql"));
        assert_eq!(models.count(), 20);
    }
}
