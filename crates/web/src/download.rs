//! Exports a file's current text, or a .zip of a branch, through the
//! browser's download, so work that IndexedDB could not keep can still be
//! kept.

use js_sys::Array;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::bridge::error_message;

/// Returns the name a download of `path` gets: its last segment, or
/// `file.txt` when that is empty.
pub fn download_name(path: &str) -> &str {
    match path.rsplit('/').next() {
        Some(name) if !name.is_empty() => name,
        _ => "file.txt",
    }
}

/// Starts a download of `text` as the file `download_name(path)`, through a
/// Blob URL and a click on a detached `<a download>`.
pub fn download_text(path: &str, text: &str) -> Result<(), String> {
    // A generic type, so the browser keeps the name's own extension.
    download_file(download_name(path), "application/octet-stream", text)
}

/// Starts a download of `text` as the file `name` with the media type
/// `media_type`.
pub fn download_file(name: &str, media_type: &str, text: &str) -> Result<(), String> {
    download_parts(name, media_type, &JsValue::from_str(text))
}

/// Starts a download of `bytes` as the file `name` with the media type
/// `media_type`.
pub fn download_bytes(name: &str, media_type: &str, bytes: &[u8]) -> Result<(), String> {
    download_parts(name, media_type, &js_sys::Uint8Array::from(bytes))
}

fn download_parts(name: &str, media_type: &str, part: &JsValue) -> Result<(), String> {
    let document = web_sys::window()
        .and_then(|window| window.document())
        .ok_or("the page has no document")?;
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(media_type);
    let parts = Array::of1(part);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options)
        .map_err(|e| format!("creating the Blob failed: {}", error_message(&e)))?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)
        .map_err(|e| format!("creating the Blob URL failed: {}", error_message(&e)))?;
    let clicked = click_link(&document, &url, name);
    revoke_later(url);
    clicked
}

/// Revokes a Blob URL after a minute. The click may start the download
/// after it returns, so revoking at once could cancel it.
fn revoke_later(url: String) {
    let revoke = Closure::once_into_js(move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    });
    let scheduled = web_sys::window().map(|window| {
        window.set_timeout_with_callback_and_timeout_and_arguments_0(
            revoke.unchecked_ref(),
            REVOKE_DELAY_MS,
        )
    });
    if !matches!(scheduled, Some(Ok(_))) {
        gloo::console::warn!(
            "could not schedule the Blob URL's release; it stays until the page closes"
        );
    }
}

const REVOKE_DELAY_MS: i32 = 60_000;

fn click_link(document: &web_sys::Document, url: &str, name: &str) -> Result<(), String> {
    let link = document
        .create_element("a")
        .map_err(|e| format!("creating the link failed: {}", error_message(&e)))?
        .dyn_into::<web_sys::HtmlAnchorElement>()
        .map_err(|_| "the created link is not an <a> element".to_string())?;
    link.set_href(url);
    link.set_download(name);
    link.click();
    Ok(())
}

/// Writes `text` to the clipboard through `navigator.clipboard.writeText`,
/// read with `Reflect` so that no extra `web-sys` feature is needed.
pub async fn copy_to_clipboard(text: &str) -> Result<(), String> {
    let window = web_sys::window().ok_or("the page has no window")?;
    let get = |target: &JsValue, name: &str| {
        js_sys::Reflect::get(target, &JsValue::from_str(name)).map_err(|e| error_message(&e))
    };
    let clipboard = get(&get(&window, "navigator")?, "clipboard")?;
    if clipboard.is_undefined() {
        return Err("the browser has no clipboard here (it needs a secure context)".to_string());
    }
    let write = get(&clipboard, "writeText")?
        .dyn_into::<js_sys::Function>()
        .map_err(|_| "navigator.clipboard.writeText is not a function".to_string())?;
    let promise = write
        .call1(&clipboard, &JsValue::from_str(text))
        .map_err(|e| error_message(&e))?
        .dyn_into::<js_sys::Promise>()
        .map_err(|_| "navigator.clipboard.writeText returned no promise".to_string())?;
    wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .map(drop)
        .map_err(|e| error_message(&e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn download_name_is_last_segment() {
        assert_eq!(download_name("models/customers.sql"), "customers.sql");
        assert_eq!(download_name("rocky.toml"), "rocky.toml");
    }

    #[test]
    fn download_name_of_empty_segment() {
        assert_eq!(download_name(""), "file.txt");
        assert_eq!(download_name("models/"), "file.txt");
    }
}
