//! The share-link decoder on any URL fragment, and the compile of what a
//! link that decodes carries. A link is untrusted: it must decode or give
//! an error, never panic, and its project must compile like any other.
//! Random text seldom gets past the base64url and deflate layers, so each
//! input is also tried as the deflated stream of a link and as the JSON
//! inside one.

#![no_main]

use libfuzzer_sys::fuzz_target;
use rocky_core::share::{decode_fragment, encode};
use rocky_core::{compile, ColumnGraph};

fuzz_target!(|data: &[u8]| {
    if let Ok(fragment) = std::str::from_utf8(data) {
        open(fragment);
    }
    open(&format!("share=r2.{}", base64url(data)));
    let packed = miniz_oxide::deflate::compress_to_vec(data, 1);
    open(&format!("share=r2.{}", base64url(&packed)));
});

/// Decodes `fragment`; when it decodes, compiles its project and encodes
/// it again, as the page does when it opens a link and shares it on.
fn open(fragment: &str) {
    if let Ok(link) = decode_fragment(fragment) {
        let compilation = compile(&link.project.files);
        ColumnGraph::build(&compilation);
        encode(&link.project);
    }
}

/// Encodes `bytes` in base64url without padding, as links are.
fn base64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let word = chunk.iter().enumerate().fold(0u32, |word, (i, byte)| {
            word | u32::from(*byte) << (16 - 8 * i)
        });
        for i in 0..=chunk.len() {
            out.push(char::from(ALPHABET[(word >> (18 - 6 * i) & 63) as usize]));
        }
    }
    out
}
