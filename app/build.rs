//! Interface strings: `locales/<lang>/<file>.toml` (flat `key = "text"` pairs; `{name}` marks a
//! placeholder) become `$OUT_DIR/i18n.rs`, included by `src/i18n.rs`:
//!
//! - `k::<file>::<key>`: a [`Key`] for a plain text, or a function taking the placeholders (in
//!   the order the English text first names them) for a text with placeholders, so a missing
//!   or unknown argument is a compile error;
//! - the texts themselves, per language and per table, compiled into the server only;
//! - per language and table, the JSON array the browser fetches (`/i18n/<lang>/<table>.<hash>.json`)
//!   and its URL, named by a hash of its content so it can be cached for good.
//!
//! Two tables: `shell` (the files the first page needs: the frame around every page and the
//! home page) and `pages` (every other page, fetched with the first lazily loaded page). Why the
//! strings are data fetched by the browser instead of code: docs/decisions.md, "Interface strings".
//!
//! The build fails, naming file and key, when a language lacks a file or key the original has,
//! has one the original lacks, or names different placeholders.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The languages, the original first; the order of `domain::lang::Lang::ALL`.
const LANGS: [&str; 2] = ["en", "fr"];
/// Files whose strings are in the `shell` table.
const SHELL_FILES: [&str; 3] = ["common", "errors", "home"];
/// Table names, in the order of `i18n::Table`.
const TABLES: [&str; 2] = ["shell", "pages"];

type Texts = BTreeMap<String, BTreeMap<String, String>>;

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let dir = root.join("locales");
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed={}", dir.display());
    let mut all: Vec<Texts> = Vec::new();
    for lang in LANGS {
        println!("cargo::rerun-if-changed={}", dir.join(lang).display());
        all.push(read_lang(&dir.join(lang)).unwrap_or_else(|e| fail(&e)));
    }
    if let Err(e) = check(&all) {
        fail(&e);
    }
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR")).join("i18n.rs");
    std::fs::write(&out, generate(&all)).unwrap_or_else(|e| fail(&e.to_string()));
}

fn fail(message: &str) -> ! {
    eprintln!("error: interface strings: {message}");
    std::process::exit(1);
}

fn read_lang(dir: &Path) -> Result<Texts, String> {
    let mut texts = Texts::new();
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.extension().and_then(|e| e.to_str()) != Some("toml") {
            continue;
        }
        println!("cargo::rerun-if-changed={}", path.display());
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .ok_or_else(|| format!("{}: file name", path.display()))?
            .to_owned();
        if !is_ident(&name) {
            return Err(format!(
                "{}: the file name must be a lower-case identifier",
                path.display()
            ));
        }
        let source =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let table: toml::Table = source
            .parse()
            .map_err(|e| format!("{}: {e}", path.display()))?;
        let mut keys = BTreeMap::new();
        for (key, value) in table {
            if !is_ident(&key) {
                return Err(format!(
                    "{}: key `{key}` must be a lower-case identifier",
                    path.display()
                ));
            }
            let Some(text) = value.as_str() else {
                return Err(format!("{}: `{key}` must be a string", path.display()));
            };
            placeholders(text).map_err(|e| format!("{}: `{key}`: {e}", path.display()))?;
            keys.insert(key, text.to_owned());
        }
        texts.insert(name, keys);
    }
    Ok(texts)
}

fn is_ident(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !matches!(
            s,
            "type"
                | "self"
                | "super"
                | "crate"
                | "mod"
                | "fn"
                | "use"
                | "ref"
                | "move"
                | "match"
                | "loop"
                | "in"
                | "as"
                | "if"
                | "else"
                | "for"
                | "while"
                | "impl"
                | "let"
                | "static"
                | "const"
                | "return"
                | "true"
                | "false"
                | "struct"
                | "enum"
                | "trait"
                | "where"
                | "async"
                | "await"
                | "dyn"
        )
}

/// The placeholders `{name}` of `text`, in order of first appearance. `{{` and `}}` are literal
/// braces.
fn placeholders(text: &str) -> Result<Vec<String>, String> {
    let mut names: Vec<String> = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
            }
            '{' => {
                let mut name = String::new();
                loop {
                    match chars.next() {
                        Some('}') => break,
                        Some(c) => name.push(c),
                        None => return Err("a `{` is never closed (write `{{` for a brace)".into()),
                    }
                }
                if !is_ident(&name) {
                    return Err(format!(
                        "placeholder `{{{name}}}` must be a lower-case identifier"
                    ));
                }
                if !names.contains(&name) {
                    names.push(name);
                }
            }
            '}' => return Err("a `}` closes nothing (write `}}` for a brace)".into()),
            _ => {}
        }
    }
    Ok(names)
}

fn check(all: &[Texts]) -> Result<(), String> {
    let original = &all[0];
    for (lang, texts) in LANGS.iter().zip(all).skip(1) {
        for file in texts.keys() {
            if !original.contains_key(file) {
                return Err(format!(
                    "locales/{lang}/{file}.toml has no original in locales/en"
                ));
            }
        }
        for (file, keys) in original {
            let Some(translated) = texts.get(file) else {
                return Err(format!("locales/{lang}/{file}.toml is missing"));
            };
            for key in translated.keys() {
                if !keys.contains_key(key) {
                    return Err(format!(
                        "locales/{lang}/{file}.toml: `{key}` is not in locales/en/{file}.toml"
                    ));
                }
            }
            for (key, text) in keys {
                let Some(other) = translated.get(key) else {
                    return Err(format!("locales/{lang}/{file}.toml: `{key}` is missing"));
                };
                let mut a = placeholders(text)?;
                let mut b = placeholders(other)?;
                a.sort();
                b.sort();
                if a != b {
                    return Err(format!(
                        "locales/{lang}/{file}.toml: `{key}` names {b:?}, the original names {a:?}"
                    ));
                }
            }
        }
    }
    for file in SHELL_FILES {
        if !original.contains_key(file) {
            return Err(format!("locales/en/{file}.toml (a shell file) is missing"));
        }
    }
    Ok(())
}

fn table_of(file: &str) -> usize {
    usize::from(!SHELL_FILES.contains(&file))
}

fn generate(all: &[Texts]) -> String {
    let original = &all[0];
    // Index of each key in its table, in file then key order.
    let mut next = [0u16; 2];
    let mut index: BTreeMap<(&str, &str), (usize, u16)> = BTreeMap::new();
    for (file, keys) in original {
        let t = table_of(file);
        for key in keys.keys() {
            index.insert((file, key), (t, next[t]));
            next[t] += 1;
        }
    }
    let mut out = String::new();
    out.push_str("// Generated by app/build.rs from app/locales: do not edit.\n\n");
    let _ = writeln!(out, "/// Language tags, in the order of `Lang::ALL`.\npub const LANG_CODES: [&str; {}] = {LANGS:?};", LANGS.len());
    let _ = writeln!(out, "/// Table names, in the order of [`Table`].\npub const TABLE_NAMES: [&str; {}] = {TABLES:?};", TABLES.len());
    out.push_str(
        "/// Every key, by file.\n#[allow(non_upper_case_globals, dead_code)]\npub mod k {\n",
    );
    for (file, keys) in original {
        let _ = writeln!(out, "    /// `locales/*/{file}.toml`.\n    pub mod {file} {{\n        use super::super::{{Key, Table}};");
        for (key, text) in keys {
            let (t, i) = index[&(file.as_str(), key.as_str())];
            let table = if t == 0 {
                "Table::Shell"
            } else {
                "Table::Pages"
            };
            let doc = text.replace('\n', " ");
            let names = placeholders(text).unwrap_or_default();
            let _ = writeln!(out, "        #[doc = {doc:?}]");
            if names.is_empty() {
                let _ = writeln!(
                    out,
                    "        pub const {key}: Key = Key {{ table: {table}, index: {i} }};"
                );
            } else {
                let params: Vec<String> = names
                    .iter()
                    // Prefixed: a parameter named like a key of the same file would be read as
                    // that constant (a pattern), not as a new binding.
                    .map(|n| format!("v_{n}: impl ::std::fmt::Display"))
                    .collect();
                let args: Vec<String> = names
                    .iter()
                    .map(|n| format!("({n:?}, &v_{n} as &dyn ::std::fmt::Display)"))
                    .collect();
                let _ = writeln!(
                    out,
                    "        pub fn {key}({}) -> String {{ super::super::fill(Key {{ table: {table}, index: {i} }}, &[{}]) }}",
                    params.join(", "),
                    args.join(", ")
                );
            }
        }
        out.push_str("    }\n");
    }
    out.push_str("}\n\n");
    // Per language and table: the texts (server), the JSON the browser fetches and its URL.
    let mut urls: Vec<Vec<String>> = Vec::new();
    let mut texts_rs = String::new();
    let mut json_rs = String::new();
    for (lang, texts) in LANGS.iter().zip(all) {
        let mut lang_urls = Vec::new();
        texts_rs.push_str("    [\n");
        json_rs.push_str("    [\n");
        for (t, table_name) in TABLES.iter().enumerate() {
            let values: Vec<&str> = original
                .iter()
                .filter(|(file, _)| table_of(file) == t)
                .flat_map(|(file, keys)| keys.keys().map(move |k| texts[file][k].as_str()))
                .collect();
            let json = serde_json::to_string(&values).expect("strings serialize");
            let hash = fnv(json.as_bytes());
            lang_urls.push(format!("/i18n/{lang}/{table_name}.{hash:016x}.json"));
            let _ = writeln!(texts_rs, "        &{values:?},");
            let _ = writeln!(json_rs, "        {json:?},");
        }
        texts_rs.push_str("    ],\n");
        json_rs.push_str("    ],\n");
        urls.push(lang_urls);
    }
    let _ = writeln!(out, "/// The texts, by language then table (server only: the browser fetches its language's).\n#[cfg(feature = \"ssr\")]\npub static TEXTS: [[&[&str]; {}]; {}] = [\n{texts_rs}];", TABLES.len(), LANGS.len());
    let _ = writeln!(out, "/// The JSON arrays served at [`TABLE_URLS`], by language then table.\n#[cfg(feature = \"ssr\")]\npub static TABLE_JSON: [[&str; {}]; {}] = [\n{json_rs}];", TABLES.len(), LANGS.len());
    let _ = writeln!(out, "/// Where the browser fetches each table, by language then table.\npub const TABLE_URLS: [[&str; {}]; {}] = {urls:?};", TABLES.len(), LANGS.len());
    out
}

/// FNV-1a, 64 bits: names a table's URL after its content (not a security property; a changed
/// table gets a new URL, so browsers may cache one forever).
fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}
