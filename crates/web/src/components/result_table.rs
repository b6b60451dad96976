//! The first rows of a built model or source, as DuckDB returned them.

use yew::prelude::*;

use crate::bridge::QueryResult;

#[derive(Properties, PartialEq)]
pub struct ResultTableProps {
    pub target: String,
    pub table: QueryResult,
}

#[component]
pub fn ResultTable(props: &ResultTableProps) -> Html {
    let table = &props.table;
    let total = table.total_rows();
    let summary = if (table.rows.len() as u64) < total {
        format!(
            "{}: {total} rows, first {} shown",
            props.target,
            table.rows.len()
        )
    } else {
        format!("{}: {total} rows", props.target)
    };
    html! {
        <div class="result">
            <p class="result-summary">{ summary }</p>
            <div class="result-scroll">
                { rows_table(table, "result-table") }
            </div>
        </div>
    }
}

/// Renders the rows of a query result as a table with the `data-testid`
/// `testid` and `data-row-count`, the full row count.
pub fn rows_table(table: &QueryResult, testid: &'static str) -> Html {
    html! {
        <table class="result-table" data-testid={testid} data-row-count={table.total_rows().to_string()}>
            <thead>
                <tr>
                    { for table.columns.iter().map(|column| html! {
                        <th title={column.ty.clone()}>
                            <span class="column-name">{ &column.name }</span>
                            <span class="column-type">{ &column.ty }</span>
                        </th>
                    }) }
                </tr>
            </thead>
            <tbody>
                { for table.rows.iter().map(|row| html! {
                    <tr>
                        { for row.iter().map(|value| match value {
                            Some(value) => html! { <td>{ value }</td> },
                            None => html! { <td class="null">{ "NULL" }</td> },
                        }) }
                    </tr>
                }) }
            </tbody>
        </table>
    }
}
