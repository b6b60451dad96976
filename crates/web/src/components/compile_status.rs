//! The compile summary in the header.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct CompileStatusProps {
    pub errors: usize,
    pub warnings: usize,
    pub compile_count: u32,
    /// False while an edit waits for the debounced compile.
    pub current: bool,
    /// True while compiling is paused after a crash.
    #[prop_or_default]
    pub paused: bool,
}

#[component]
pub fn CompileStatus(props: &CompileStatusProps) -> Html {
    if props.paused {
        return html! {
            <span
                class="compile-status paused"
                data-testid="compile-status"
                data-errors="0"
                data-warnings="0"
                data-compiles={props.compile_count.to_string()}
                data-current="false"
                data-paused="true"
            >
                { "Not compiled" }
            </span>
        };
    }
    if props.compile_count == 0 {
        return html! {
            <span class="compile-status" data-testid="compile-status" data-errors="0" data-warnings="0"
                data-compiles="0" data-current="false">
                { "Compiling…" }
            </span>
        };
    }
    let text = match (props.errors, props.warnings) {
        (0, 0) => "Compiled, no problems".to_string(),
        (errors, warnings) => format!(
            "{}, {}",
            plural(errors, "error"),
            plural(warnings, "warning")
        ),
    };
    let class = if props.errors > 0 {
        "compile-status has-errors"
    } else if props.warnings > 0 {
        "compile-status has-warnings"
    } else {
        "compile-status ok"
    };
    html! {
        <span
            {class}
            data-testid="compile-status"
            data-errors={props.errors.to_string()}
            data-warnings={props.warnings.to_string()}
            data-compiles={props.compile_count.to_string()}
            data-current={props.current.to_string()}
        >
            { text }
        </span>
    }
}

/// Formats a count with its noun, such as `1 error` or `2 errors`.
pub fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

#[cfg(test)]
mod tests {
    use super::plural;

    #[test]
    fn plural_adds_s() {
        assert_eq!(plural(0, "error"), "0 errors");
        assert_eq!(plural(1, "error"), "1 error");
        assert_eq!(plural(3, "warning"), "3 warnings");
    }
}
