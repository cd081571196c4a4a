#![recursion_limit = "512"]
//! The browser entry point: hydrates the server-rendered page. Everything else lives in `app`.

/// Called by the hydration script once the WebAssembly module has loaded.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // The page's interface strings first (`app::i18n`: the browser's code carries none), then
    // `hydrate_lazy`, which waits for the lazily loaded route of this page before hydrating.
    wasm_bindgen_futures::spawn_local(async {
        app::i18n::load(app::i18n::Table::Shell).await;
        leptos::mount::hydrate_lazy(app::App);
    });
}
