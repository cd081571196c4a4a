//! What only a browser has: local storage for drafts, whether the device is online, local clock
//! times, the service worker. Every function is a no-op (or a neutral answer) on the server, so
//! components can call them from event handlers and effects without `cfg` noise.

use serde::{de::DeserializeOwned, Serialize};

/// Reads a JSON value kept on this device under `key`.
pub fn load<T: DeserializeOwned>(key: &str) -> Option<T> {
    #[cfg(feature = "hydrate")]
    {
        use gloo_storage::Storage as _;
        gloo_storage::LocalStorage::get(key).ok()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = key;
        None
    }
}

/// Keeps a JSON value on this device under `key`; answers whether it was stored (private
/// browsing or a full quota can refuse).
pub fn store<T: Serialize>(key: &str, value: &T) -> bool {
    #[cfg(feature = "hydrate")]
    {
        use gloo_storage::Storage as _;
        gloo_storage::LocalStorage::set(key, value).is_ok()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (key, value);
        false
    }
}

/// Forgets what is kept under `key`.
pub fn forget(key: &str) {
    #[cfg(feature = "hydrate")]
    {
        use gloo_storage::Storage as _;
        gloo_storage::LocalStorage::delete(key);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = key;
}

/// What a form holds now, as a query string (`a=1&b=2`); `None` on the server.
pub fn form_snapshot(form: &leptos::web_sys::HtmlFormElement) -> Option<String> {
    #[cfg(feature = "hydrate")]
    {
        let data = web_sys::FormData::new_with_form(form).ok()?;
        let params = web_sys::UrlSearchParams::new_with_str_sequence_sequence(&data).ok()?;
        params.to_string().as_string()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = form;
        None
    }
}

/// Puts a [`form_snapshot`] back into a form: the text of every text area, and every
/// checkbox ticked exactly when the snapshot holds it.
pub fn restore_form(form: &leptos::web_sys::HtmlFormElement, snapshot: &str) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast as _;
        let Ok(params) = web_sys::UrlSearchParams::new_with_str(snapshot) else {
            return;
        };
        let Ok(nodes) = form.query_selector_all("textarea, input[type=checkbox]") else {
            return;
        };
        for i in 0..nodes.length() {
            let Some(node) = nodes.item(i) else { continue };
            if let Some(area) = node.dyn_ref::<web_sys::HtmlTextAreaElement>() {
                area.set_value(&params.get(&area.name()).unwrap_or_default());
            } else if let Some(input) = node.dyn_ref::<web_sys::HtmlInputElement>() {
                input.set_checked(params.has(&input.name()));
            }
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (form, snapshot);
}

/// The text of the form's `<input>` or `<textarea>` named `name`.
pub fn form_field(form: &leptos::web_sys::HtmlFormElement, name: &str) -> Option<String> {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast as _;
        let element = form.query_selector(&format!("[name=\"{name}\"]")).ok()??;
        if let Some(input) = element.dyn_ref::<web_sys::HtmlInputElement>() {
            return Some(input.value());
        }
        element
            .dyn_ref::<web_sys::HtmlTextAreaElement>()
            .map(web_sys::HtmlTextAreaElement::value)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (form, name);
        None
    }
}

/// Replaces the text of the form's `<input>` or `<textarea>` named `name`.
pub fn set_form_field(form: &leptos::web_sys::HtmlFormElement, name: &str, value: &str) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast as _;
        let Ok(Some(element)) = form.query_selector(&format!("[name=\"{name}\"]")) else {
            return;
        };
        if let Some(input) = element.dyn_ref::<web_sys::HtmlInputElement>() {
            input.set_value(value);
        } else if let Some(area) = element.dyn_ref::<web_sys::HtmlTextAreaElement>() {
            area.set_value(value);
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (form, name, value);
}

/// Whether the browser believes it is online (always true on the server).
pub fn online() -> bool {
    #[cfg(feature = "hydrate")]
    {
        leptos::prelude::window().navigator().on_line()
    }
    #[cfg(not(feature = "hydrate"))]
    true
}

/// Registers the service worker that keeps the journal readable offline (see `server::offline`).
pub fn register_service_worker() {
    #[cfg(feature = "hydrate")]
    {
        let navigator = leptos::prelude::window().navigator();
        // Absent in old browsers and on insecure origins other than localhost.
        let has_worker = js_sys::Reflect::has(&navigator, &"serviceWorker".into()).unwrap_or(false);
        if has_worker {
            // A refused registration (the page navigated away first, a private window, the
            // script unreachable) only costs the offline copy: handle it so it is not reported
            // as an unhandled rejection.
            let ignore = wasm_bindgen::closure::Closure::<dyn FnMut(wasm_bindgen::JsValue)>::new(
                |_: wasm_bindgen::JsValue| {},
            );
            let _ = navigator.service_worker().register("/sw.js").catch(&ignore);
            // Once per page load: the closure must outlive the promise.
            ignore.forget();
        }
    }
}
