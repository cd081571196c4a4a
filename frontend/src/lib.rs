#![recursion_limit = "512"]
//! The browser entry point: hydrates the server-rendered page. Everything else lives in `app`.

/// Called by the hydration script once the WebAssembly module has loaded.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // `hydrate_lazy` waits for the lazily loaded route of this page before hydrating.
    leptos::mount::hydrate_lazy(app::App);
}
