//! Interface strings in the page's language.
//!
//! The strings live in `app/locales/<lang>/<file>.toml`; `build.rs` turns them into typed keys
//! (`k::<file>::<key>`) and checks that every language has every key with the same
//! placeholders. Read one with [`t!`](crate::t): `t!(home.title)` is a `&'static str`;
//! a text with placeholders is a function, `k::common::sign_out(&name)`, returning a `String`.
//!
//! A page's language is decided once, by the server, for the whole life of the page
//! (`crate::lang`: the `lang` cookie, else `Accept-Language`; switching reloads the page). The
//! server has every language's texts compiled in. The browser's WebAssembly has none: it
//! fetches its page's language as a JSON array, the `shell` table before it hydrates and the
//! `pages` table with the first lazily loaded page (`TABLE_URLS`, cached for good). Why:
//! docs/decisions.md, "Interface strings".

#[allow(clippy::all)]
mod generated {
    use super::{fill, Key, Table};
    include!(concat!(env!("OUT_DIR"), "/i18n.rs"));
}
pub use generated::k;
#[cfg(feature = "ssr")]
pub use generated::TABLE_JSON;
pub use generated::{LANG_CODES, TABLE_NAMES, TABLE_URLS};

use crate::domain::lang::Lang;

/// A group of texts fetched together by the browser.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Table {
    /// The frame around every page and the home page: fetched before the page hydrates.
    Shell = 0,
    /// Every other page: fetched with the first lazily loaded page.
    Pages = 1,
}

/// One text: its table and its position there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Key {
    /// The table holding the text.
    pub table: Table,
    /// Position in the table.
    pub index: u16,
}

/// `t!(file.key)`: the text of `k::file::key` in the page's language.
#[macro_export]
macro_rules! t {
    ($file:ident . $key:ident) => {
        $crate::i18n::text($crate::i18n::k::$file::$key)
    };
}

/// The page's language, provided once per page by `App` so each text is a context lookup
/// rather than a parse of the request's headers.
#[derive(Clone, Copy, Debug)]
pub struct PageLang(pub Lang);

#[cfg(feature = "ssr")]
thread_local! {
    static OVERRIDE: std::cell::Cell<Option<Lang>> = const { std::cell::Cell::new(None) };
}

#[cfg(feature = "ssr")]
tokio::task_local! {
    static REQUEST: Lang;
}

/// Runs `f` (a request's handling outside Leptos, e.g. an axum handler) with texts read in
/// `lang` (server only).
#[cfg(feature = "ssr")]
pub async fn for_request<F: std::future::Future>(lang: Lang, f: F) -> F::Output {
    REQUEST.scope(lang, f).await
}

/// Runs `f` with every text read in `lang` (server only): an e-mail is written in its
/// recipient's language, whoever's request caused it. `f` must not await (the language is
/// the thread's while `f` runs).
#[cfg(feature = "ssr")]
pub fn in_lang<T>(lang: Lang, f: impl FnOnce() -> T) -> T {
    /// Puts the thread's language back when `f` returns or panics: a panic caught by the
    /// runtime must not leave a worker thread reading every later page in `lang`.
    struct Restore(Option<Lang>);
    impl Drop for Restore {
        fn drop(&mut self) {
            OVERRIDE.with(|o| o.set(self.0));
        }
    }
    let _restore = Restore(OVERRIDE.with(|o| o.replace(Some(lang))));
    f()
}

/// The language texts are read in here: [`in_lang`]'s, else the page's, else (outside a
/// page, e.g. a server function) the request's.
pub fn current_lang() -> Lang {
    #[cfg(feature = "ssr")]
    if let Some(lang) = OVERRIDE.with(std::cell::Cell::get) {
        return lang;
    }
    #[cfg(feature = "ssr")]
    if let Ok(lang) = REQUEST.try_with(|l| *l) {
        return lang;
    }
    leptos::prelude::use_context::<PageLang>()
        .map(|l| l.0)
        .unwrap_or_else(crate::components::layout::page_lang)
}

/// The text of `key` in the page's language; empty in the browser if its table could not be
/// fetched.
pub fn text(key: Key) -> &'static str {
    #[cfg(feature = "ssr")]
    {
        text_in(current_lang(), key)
    }
    #[cfg(not(feature = "ssr"))]
    {
        browser::text(key)
    }
}

/// The text of `key` in `lang` (the server has every language).
#[cfg(feature = "ssr")]
pub fn text_in(lang: Lang, key: Key) -> &'static str {
    generated::TEXTS
        .get(lang as usize)
        .and_then(|tables| tables.get(key.table as usize))
        .and_then(|texts| texts.get(usize::from(key.index)))
        .copied()
        .unwrap_or_default()
}

/// Whether a count of `n` takes the singular form in the page's language (CLDR cardinal
/// rules: English only 1; French 0 and 1). Choose between a `…_one` and a `…_other` key with it.
pub fn singular(n: i64) -> bool {
    match current_lang() {
        Lang::En => n == 1,
        Lang::Fr => n == 0 || n == 1,
    }
}

/// The decimal separator of the page's language: `.` in English, `,` in French.
pub fn decimal_separator() -> char {
    match current_lang() {
        Lang::En => '.',
        Lang::Fr => ',',
    }
}

/// A whole-number percentage as the page's language writes it: `67 %` (French with a no-break
/// space, so the sign never starts a line).
pub fn percent(n: i64) -> String {
    match current_lang() {
        Lang::En => format!("{n} %"),
        Lang::Fr => format!("{n}\u{a0}%"),
    }
}

/// The text of `key` with each `{name}` replaced by its value in `args` (`{{` and `}}` are
/// literal braces). Called by the generated functions, which take exactly the text's
/// placeholders.
pub fn fill(key: Key, args: &[(&str, &dyn std::fmt::Display)]) -> String {
    fill_text(text(key), args)
}

/// [`fill`] on a given text.
pub fn fill_text(template: &str, args: &[(&str, &dyn std::fmt::Display)]) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(i) = rest.find(['{', '}']) {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        if tail.starts_with("{{") || tail.starts_with("}}") {
            out.push_str(&tail[..1]);
            rest = &tail[2..];
        } else if let (true, Some(end)) = (tail.starts_with('{'), tail.find('}')) {
            let name = &tail[1..end];
            match args.iter().find(|(n, _)| *n == name) {
                Some((_, value)) => {
                    let _ = write!(out, "{value}");
                }
                None => out.push_str(&tail[..=end]),
            }
            rest = &tail[end + 1..];
        } else {
            out.push_str(&tail[..1]);
            rest = &tail[1..];
        }
    }
    out.push_str(rest);
    out
}

/// Fetches `table` in the page's language, once (browser only; nothing to do on the server).
pub async fn load(table: Table) {
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    browser::load(table).await;
    #[cfg(not(all(feature = "hydrate", not(feature = "ssr"))))]
    let _ = table;
}

#[cfg(not(feature = "ssr"))]
mod browser {
    use super::{Key, Table};
    use std::cell::RefCell;

    thread_local! {
        static TABLES: RefCell<[Option<&'static [&'static str]>; 2]> = const { RefCell::new([None, None]) };
    }

    pub(super) fn text(key: Key) -> &'static str {
        TABLES.with(|t| {
            t.borrow()[key.table as usize]
                .and_then(|texts| texts.get(usize::from(key.index)))
                .copied()
                .unwrap_or_default()
        })
    }

    #[cfg(feature = "hydrate")]
    pub(super) async fn load(table: Table) {
        use wasm_bindgen::JsCast as _;
        if TABLES.with(|t| t.borrow()[table as usize].is_some()) {
            return;
        }
        let lang = crate::components::layout::page_lang();
        let url = super::TABLE_URLS[lang as usize][table as usize];
        let Some(window) = web_sys::window() else {
            return;
        };
        let fetched = async {
            let response: web_sys::Response =
                wasm_bindgen_futures::JsFuture::from(window.fetch_with_str(url))
                    .await?
                    .dyn_into()?;
            if !response.ok() {
                return Err(wasm_bindgen::JsValue::from_str("status"));
            }
            wasm_bindgen_futures::JsFuture::from(response.json()?).await
        };
        match fetched.await {
            Ok(json) => {
                let texts: Vec<&'static str> = js_sys::Array::from(&json)
                    .iter()
                    .map(|v| &*Box::leak(v.as_string().unwrap_or_default().into_boxed_str()))
                    .collect();
                let texts: &'static [&'static str] = Box::leak(texts.into_boxed_slice());
                TABLES.with(|t| t.borrow_mut()[table as usize] = Some(texts));
            }
            Err(e) => leptos::logging::error!("interface strings {url}: {e:?}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_generated_languages_are_the_products() {
        let codes: Vec<&str> = Lang::ALL.iter().map(|l| l.as_str()).collect();
        assert_eq!(codes, LANG_CODES);
        assert_eq!(TABLE_NAMES, ["shell", "pages"]);
        for (l, lang) in Lang::ALL.iter().enumerate() {
            for (t, name) in TABLE_NAMES.iter().enumerate() {
                assert!(
                    TABLE_URLS[l][t].starts_with(&format!("/i18n/{}/{name}.", lang.as_str())),
                    "{}",
                    TABLE_URLS[l][t]
                );
                let parsed: Vec<String> =
                    serde_json::from_str(TABLE_JSON[l][t]).expect("table JSON");
                assert_eq!(parsed.len(), generated::TEXTS[l][t].len());
            }
        }
    }

    #[test]
    fn a_panic_inside_in_lang_leaves_the_thread_in_its_own_language() {
        let caught = std::panic::catch_unwind(|| in_lang(Lang::Fr, || panic!("while writing")));
        assert!(caught.is_err());
        assert_eq!(OVERRIDE.with(std::cell::Cell::get), None);
        assert_eq!(in_lang(Lang::Fr, || text(k::common::nav_home)), "Accueil");
        assert_eq!(OVERRIDE.with(std::cell::Cell::get), None);
    }

    #[test]
    fn keys_read_their_own_language() {
        assert_eq!(text_in(Lang::En, k::common::nav_home), "Home");
        assert_eq!(text_in(Lang::Fr, k::common::nav_home), "Accueil");
    }

    #[test]
    fn fill_replaces_named_placeholders_and_keeps_doubled_braces() {
        let args: [(&str, &dyn std::fmt::Display); 2] = [("name", &"Ada"), ("n", &3)];
        assert_eq!(fill_text("Sign out ({name})", &args), "Sign out (Ada)");
        assert_eq!(fill_text("{n} of {n}", &args), "3 of 3");
        assert_eq!(fill_text("{{name}} {name}", &args), "{name} Ada");
        assert_eq!(fill_text("{unknown} }} x", &args), "{unknown} } x");
    }

    proptest! {
        /// Filling never loses text: any template without braces comes back as it was, and a
        /// value put in a placeholder appears whole, whatever it contains (even braces).
        #[test]
        fn fill_keeps_text_and_values(
            before in "[^{}]{0,20}",
            after in "[^{}]{0,20}",
            value in "\\PC{0,20}",
        ) {
            let args: [(&str, &dyn std::fmt::Display); 1] = [("v", &value)];
            prop_assert_eq!(fill_text(&before, &args), before.clone());
            prop_assert_eq!(
                fill_text(&format!("{before}{{v}}{after}"), &args),
                format!("{before}{value}{after}")
            );
        }
    }
}
