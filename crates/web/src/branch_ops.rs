//! The page's actions that wait for DuckDB or the browser before the
//! reducer changes anything: run, promote, rename and delete a branch,
//! reset the sample, export and import a .zip. Each takes the state at the
//! click and reports through the reducer.

use rocky_core::archive::{read_zip, Imported};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use yew::UseReducerHandle;

use crate::branch_names::check_new_name;
use crate::bridge::error_message;
use crate::download::download_bytes;
use crate::project_archive::{export_folder, export_zip, is_dbt_project};
use crate::promote::{needs_run, PromoteInput};
use crate::runner::{drop_branch_schema, execute_promote, run_branch, RunRequest};
use crate::state::{Action, AppState, BranchAction, Dialog, Notice, PromoteAction};

/// The step after a run that the user did not start with Run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AfterRun {
    Nothing,
    /// Opens the promote dialog, whose checks need an up-to-date run.
    OpenPromote,
}

/// Runs the current branch. Within the debounce delay after an edit the
/// compilation is older than the files, and the run must build the files'
/// text, so it compiles them first.
pub fn run_current(state: &UseReducerHandle<AppState>, after: AfterRun) {
    if state.any_run_busy() {
        return;
    }
    let compilation = if state.needs_compile() {
        let fresh = state.compile_now();
        state.dispatch(Action::Compiled {
            compilation: fresh.clone(),
            edit_count: state.edit_count,
            compiles: state.compiler.compiles(),
        });
        fresh
    } else {
        state.compilation.clone()
    };
    let request = RunRequest::of_current(state, compilation);
    let dispatcher = state.dispatcher();
    wasm_bindgen_futures::spawn_local(async move {
        let ran = run_branch(request, dispatcher.clone()).await;
        if ran && after == AfterRun::OpenPromote {
            dispatcher.dispatch(Action::Promote(PromoteAction::Open));
        }
    });
}

/// Opens the promote dialog of the current branch, running the branch
/// first when its latest run is not up to date with its files.
pub fn open_promote(state: &UseReducerHandle<AppState>) {
    let compilation = if state.needs_compile() {
        state.compile_now()
    } else {
        state.compilation.clone()
    };
    let entry = state.current_run();
    let parent_record = state
        .parent()
        .and_then(|parent| state.run_of(parent).record.as_ref());
    let input = PromoteInput {
        workspace: &state.workspace,
        branch: &state.branch,
        files: &state.files,
        compilation: &compilation,
        record: entry.record.as_ref(),
        run_files: entry.files.as_deref(),
        tests: &entry.tests,
        parent_record,
    };
    if needs_run(&input) {
        state.dispatch(Action::ShowNotice(Some(Notice::info(format!(
            "Running {} first, so that its tables and tests are up to date",
            state.branch
        )))));
        run_current(state, AfterRun::OpenPromote);
    } else {
        state.dispatch(Action::Promote(PromoteAction::Open));
    }
}

/// Copies the branch's tables into its parent as the open promote dialog
/// plans, then writes the files. A failed copy is rolled back and changes
/// nothing.
pub fn submit_promote(state: &UseReducerHandle<AppState>) {
    let Some(Dialog::Promote(dialog)) = state.dialog.clone() else {
        return;
    };
    if !dialog.can_submit() {
        return;
    }
    let dispatcher = state.dispatcher();
    dispatcher.dispatch(Action::Promote(PromoteAction::Started));
    wasm_bindgen_futures::spawn_local(async move {
        let action = match &dialog.tables {
            Ok(plan) => match execute_promote(plan).await {
                Ok(()) => PromoteAction::Finished {
                    record: Some(plan.record.clone()),
                },
                Err(message) => PromoteAction::Failed(message),
            },
            // The user confirmed a promote of the files alone.
            Err(_) => PromoteAction::Finished { record: None },
        };
        dispatcher.dispatch(Action::Promote(action));
    });
}

/// Renames the current branch to `name`: checks the name, drops the old
/// schema, whose objects the new name could not reach, then renames.
pub fn rename_current(state: &UseReducerHandle<AppState>, name: String) {
    let old = state.branch.clone();
    if let Err(error) = check_new_name(&state.workspace, &name, Some(&old)) {
        state.dispatch(Action::ShowDialog(Some(Dialog::RenameBranch {
            error: Some(error.to_string()),
        })));
        return;
    }
    drop_schema_then(state, old, BranchAction::Rename(name));
}

/// Deletes the current branch and drops its schema.
pub fn delete_current(state: &UseReducerHandle<AppState>) {
    let name = state.branch.clone();
    let children = state.workspace.children(&name);
    if !children.is_empty() {
        state.dispatch(Action::Branch(BranchAction::Failed(format!(
            "`{name}` has branches forked from it ({}); delete or promote them first",
            children.join(", ")
        ))));
        return;
    }
    drop_schema_then(state, name.clone(), BranchAction::Delete(name));
}

/// Drops the schema of `branch`, then applies `action`, or shows why the
/// drop failed in the open dialog.
fn drop_schema_then(state: &UseReducerHandle<AppState>, branch: String, action: BranchAction) {
    let dispatcher = state.dispatcher();
    state.dispatch(Action::Working(true));
    wasm_bindgen_futures::spawn_local(async move {
        let action = match drop_branch_schema(&branch).await {
            Ok(()) => action,
            Err(message) => BranchAction::Failed(message),
        };
        dispatcher.dispatch(Action::Branch(action));
        dispatcher.dispatch(Action::Working(false));
    });
}

/// Restores the bundled sample, then drops the schemas of the branches it
/// deleted. A failed drop is only logged: the schema is left over in a
/// database that ends with the page.
pub fn reset_sample(state: &UseReducerHandle<AppState>) {
    let dropped: Vec<String> = state
        .workspace
        .branches()
        .iter()
        .filter(|branch| branch.parent.is_some())
        .map(|branch| branch.name.clone())
        .collect();
    state.dispatch(Action::ResetSample);
    wasm_bindgen_futures::spawn_local(async move {
        for name in dropped {
            if let Err(message) = drop_branch_schema(&name).await {
                gloo::console::warn!(message);
            }
        }
    });
}

/// Downloads the current branch as a .zip with a `build.sql`.
pub fn export_current(state: &UseReducerHandle<AppState>) {
    let folder = export_folder(&state.compilation.project, &state.branch);
    let compilation = if state.needs_compile() {
        state.compile_now()
    } else {
        state.compilation.clone()
    };
    let bytes = export_zip(&state.files, &compilation, &folder);
    let name = format!("{folder}.zip");
    let notice = match download_bytes(&name, "application/zip", &bytes) {
        Ok(()) => Notice::info(format!(
            "Exported {} as {name} ({} bytes), with build.sql for the DuckDB CLI",
            state.branch,
            bytes.len()
        )),
        Err(message) => Notice::error(format!("Exporting {name} failed: {message}")),
    };
    state.dispatch(Action::ShowNotice(Some(notice)));
}

/// Reads a .zip the user picked and imports it into a new branch forked
/// from the current one. A damaged archive changes nothing.
pub fn import_file(state: &UseReducerHandle<AppState>, file: web_sys::File) {
    let dispatcher = state.dispatcher();
    wasm_bindgen_futures::spawn_local(async move {
        let name = file.name();
        let limit = rocky_core::archive::Limits::default().archive_bytes;
        if file.size() > limit as f64 {
            dispatcher.dispatch(Action::ShowNotice(Some(Notice::error(format!(
                "Importing {name} failed: {} bytes, more than the {limit} bytes an import reads; nothing was changed",
                file.size()
            )))));
            return;
        }
        let bytes = match read_bytes(&file).await {
            Ok(bytes) => bytes,
            Err(message) => {
                dispatcher.dispatch(Action::ShowNotice(Some(Notice::error(format!(
                    "Reading {name} failed: {message}; nothing was changed"
                )))));
                return;
            }
        };
        let action = match read_zip(&bytes) {
            Ok(imported) => import_action(&dispatcher, name, imported).await,
            Err(error) => Action::ShowNotice(Some(Notice::error(format!(
                "Importing {name} failed: {error}; nothing was changed"
            )))),
        };
        dispatcher.dispatch(action);
    });
}

/// Returns the action that imports `imported`, read from `file_name`. A
/// dbt project is converted first by the dbt importer's module, which is
/// fetched the first time; should it fail, nothing is imported.
async fn import_action(
    dispatcher: &yew::UseReducerDispatcher<AppState>,
    file_name: String,
    imported: Imported,
) -> Action {
    if !is_dbt_project(&imported.files) {
        return Action::Branch(BranchAction::Import {
            file_name,
            imported,
            dbt: None,
        });
    }
    dispatcher.dispatch(Action::ShowNotice(Some(Notice::info(format!(
        "Converting the dbt project in {file_name}…"
    )))));
    match crate::bridge::import_dbt(&imported.files).await {
        Ok(converted) => {
            let (imported, report) = converted.into_import(imported.skipped);
            Action::Branch(BranchAction::Import {
                file_name,
                imported,
                dbt: Some(report),
            })
        }
        Err(message) => Action::ShowNotice(Some(Notice::error(format!(
            "Importing {file_name} failed: {message}; nothing was changed"
        )))),
    }
}

/// Imports the files of a folder the user picked or dropped into a new
/// branch, as a .zip import does, and converts a dbt project. Each file
/// comes with its path from the folder's parent. Hidden files and the
/// folders dbt builds into are left out before they are read.
pub fn import_folder(state: &UseReducerHandle<AppState>, files: Vec<(String, web_sys::File)>) {
    let dispatcher = state.dispatcher();
    wasm_bindgen_futures::spawn_local(async move {
        let folder = files
            .first()
            .and_then(|(path, _)| path.split('/').next())
            .unwrap_or("the folder")
            .to_string();
        let limits = rocky_core::archive::Limits::default();
        let mut skipped = Vec::new();
        let mut to_read = Vec::new();
        for (path, file) in files {
            match rocky_core::archive::folder_skip_reason(&path) {
                Some(reason) => skipped.push((path, reason.to_string())),
                None => to_read.push((path, file)),
            }
        }
        let fail = |message: String| {
            Action::ShowNotice(Some(Notice::error(format!(
                "Importing {folder} failed: {message}; nothing was changed"
            ))))
        };
        if to_read.len() > limits.entries {
            dispatcher.dispatch(fail(format!(
                "it has more than {} files an import reads",
                limits.entries
            )));
            return;
        }
        let size: f64 = to_read.iter().map(|(_, file)| file.size()).sum();
        if size > limits.total_bytes as f64 {
            dispatcher.dispatch(fail(format!(
                "its files hold more than the {} bytes an import reads",
                limits.total_bytes
            )));
            return;
        }
        let mut read = Vec::with_capacity(to_read.len());
        for (path, file) in to_read {
            match read_bytes(&file).await {
                Ok(bytes) => read.push((path, bytes)),
                Err(message) => {
                    dispatcher.dispatch(fail(format!("reading {path} failed: {message}")));
                    return;
                }
            }
        }
        let action = match rocky_core::archive::read_folder(read, limits) {
            Ok(mut imported) => {
                imported.skipped.extend(skipped);
                import_action(&dispatcher, folder.clone(), imported).await
            }
            Err(rocky_core::archive::ArchiveError::NoProject) => fail(
                "it has no rocky.toml or dbt_project.yml; pick the project's own folder"
                    .to_string(),
            ),
            Err(
                rocky_core::archive::ArchiveError::Invalid { reason }
                | rocky_core::archive::ArchiveError::TooLarge { reason },
            ) => fail(reason.replace("; zip one project", "; pick one project's folder")),
            Err(error) => fail(error.to_string()),
        };
        dispatcher.dispatch(action);
    });
}

/// Imports what was dropped on the page: one .zip file is imported as
/// Import .zip does, anything else as a folder.
pub fn import_drop(state: &UseReducerHandle<AppState>, data: web_sys::DataTransfer) {
    let limit = rocky_core::archive::Limits::default().entries as u32;
    let started = crate::bridge::dropped_files(&data, limit);
    let state = state.clone();
    wasm_bindgen_futures::spawn_local(async move {
        match started.await {
            Ok(files) if files.is_empty() => {}
            Ok(mut files)
                if files.len() == 1 && files[0].0.to_ascii_lowercase().ends_with(".zip") =>
            {
                if let Some((_, file)) = files.pop() {
                    import_file(&state, file);
                }
            }
            Ok(files) => import_folder(&state, files),
            Err(error) => state.dispatch(Action::ShowNotice(Some(Notice::error(format!(
                "Reading what was dropped failed: {}; nothing was changed",
                error_message(&error)
            ))))),
        }
    });
}

async fn read_bytes(file: &web_sys::File) -> Result<Vec<u8>, String> {
    let buffer = JsFuture::from(file.array_buffer())
        .await
        .map_err(|error| error_message(&error))?;
    let buffer = buffer
        .dyn_into::<js_sys::ArrayBuffer>()
        .map_err(|_| "the file did not read as bytes".to_string())?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}
