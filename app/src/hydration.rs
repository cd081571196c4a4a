//! The script that loads the browser's code and hydrates the page, written into the server-only
//! shell in place of Leptos's `HydrationScripts`.
//!
//! Every page works before (and without) it: forms post and links load. So nothing of the
//! browser's code is fetched until the page has been **painted once**, and then only when the
//! browser is idle (at most 2 s later):
//! - no `<link rel="preload">` for the main wasm and JS, nor for the page's split chunks (Leptos
//!   adds the latter, at high priority, when `HydrationScripts` has provided the split manifest):
//!   on a slow connection those downloads competed with the document and its stylesheet for the
//!   first paint;
//! - the fetch starts once the browser has reported its first paint (a Paint Timing entry,
//!   observed with a `PerformanceObserver`; where that is not supported, after an animation
//!   frame), then waits for `requestIdleCallback`. A hidden tab paints nothing, so a 3 s timer
//!   starts it there. (An animation frame alone was not enough: the frame is presented some
//!   milliseconds after its callbacks run, and on a loaded machine the fetch began first.)
//!
//! Measured with Lighthouse (mobile): see docs/decisions.md, "Bundle size".

use leptos::prelude::*;
use std::sync::OnceLock;

/// The `<script type="module">` that fetches `/{pkg}/{output}.{hash}.js` and its wasm after the
/// first paint and calls the wasm's `hydrate` export (`frontend/src/lib.rs`). File names carry
/// the build's hashes when `options.hash_files` is set, read from the hash file beside the
/// server binary as Leptos does (`js:` and `wasm:` lines).
#[component]
pub fn HydrationScript(options: LeptosOptions) -> impl IntoView {
    static NAMES: OnceLock<(String, String)> = OnceLock::new();
    let (js, wasm) = NAMES.get_or_init(|| file_names(&options));
    let nonce = leptos::nonce::use_nonce();
    let pkg = &options.site_pkg_dir;
    let source = format!(
        "{SCRIPT}({:?},{:?});",
        format!("/{pkg}/{js}.js"),
        format!("/{pkg}/{wasm}.wasm")
    );
    view! { <script type="module" nonce=nonce>{source}</script> }
}

/// Loads the glue, instantiates the wasm and hydrates; see the module docs for when.
const SCRIPT: &str = "(function(js,wasm){\
let started=false;\
const hydrate=()=>import(js).then(m=>m.default({module_or_path:wasm}).then(()=>m.hydrate()));\
const start=()=>{if(started)return;started=true;\
if(\"requestIdleCallback\" in window)requestIdleCallback(hydrate,{timeout:2000});else hydrate();};\
const painted=()=>setTimeout(start,0);\
if(performance.getEntriesByType(\"paint\").length)painted();\
else if(window.PerformanceObserver&&(PerformanceObserver.supportedEntryTypes||[]).includes(\"paint\"))\
new PerformanceObserver((l,o)=>{o.disconnect();painted();}).observe({type:\"paint\"});\
else requestAnimationFrame(painted);\
setTimeout(start,3000);\
})";

/// `(js, wasm)` file stems: `output_name` plus `.{hash}` from the hash file when hashing is on.
fn file_names(options: &LeptosOptions) -> (String, String) {
    if options.hash_files {
        let path = std::env::current_exe()
            .ok()
            .and_then(|exe| exe.parent().map(|p| p.join(options.hash_file.as_ref())));
        let hashes = path
            .and_then(|p| std::fs::read_to_string(p).ok())
            .unwrap_or_default();
        if hashes.is_empty() {
            tracing::error!("file hashing is on but no hash file was found beside the server");
        }
        hashed_names(&options.output_name, &hashes)
    } else if option_env!("LEPTOS_OUTPUT_NAME").is_none() {
        // As Leptos: without cargo-leptos, wasm-bindgen's own `_bg` name.
        (
            options.output_name.to_string(),
            format!("{}_bg", options.output_name),
        )
    } else {
        (
            options.output_name.to_string(),
            options.output_name.to_string(),
        )
    }
}

/// `output` with the `js:` and `wasm:` hashes of a cargo-leptos hash file (`name: hash` lines;
/// other lines ignored; a missing line leaves that name unhashed).
fn hashed_names(output: &str, hashes: &str) -> (String, String) {
    let (mut js, mut wasm) = (output.to_owned(), output.to_owned());
    for (file, hash) in hashes.lines().filter_map(|l| l.trim().split_once(':')) {
        match file.trim() {
            "js" => js = format!("{output}.{}", hash.trim()),
            "wasm" => wasm = format!("{output}.{}", hash.trim()),
            _ => {}
        }
    }
    (js, wasm)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_take_the_js_and_wasm_hashes_and_nothing_else() {
        let file = "js: gXYE\nwasm: gS4C_jmA\ncss: Oein\n\nsplit: mwVN\nmanifest: SOOa\n";
        assert_eq!(
            hashed_names("mcf", file),
            ("mcf.gXYE".to_owned(), "mcf.gS4C_jmA".to_owned())
        );
        assert_eq!(
            hashed_names("mcf", "css: x"),
            ("mcf".to_owned(), "mcf".to_owned())
        );
    }
}
