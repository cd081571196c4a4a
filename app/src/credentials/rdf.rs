//! JSON-LD expansion, JSON-LD -> RDF, conversion to oxrdf, RDFC-1.0 canonicalization.

use std::cell::RefCell;

use json_ld::algorithms::{JsonLdEnvironment, JsonLdExpansionPolicy};
use json_ld::json_syntax::{JsonParse, JsonValue};
use json_ld::object::JsonLdObjectRef;
use json_ld::rdf_syntax::{self, generator::BlankIdGenerator, GroundTerm, LiteralType, Term};
use json_ld::{
    JsonLdDocument, JsonLdExpandedDocument, JsonLdOptions, JsonLdProcessor, JsonLdVisit,
    JsonLdWarning, RdfSerializationOptions,
};

use super::{ContextLoader, Error};

const XSD_STRING: &str = "http://www.w3.org/2001/XMLSchema#string";

/// Processing environment: the bundled loader plus a sink that records every warning
/// json-ld emits (malformed IRI, keyword-like term, bad language tag, ...). Any warning
/// makes processing fail, like jsonld.js `safe: true` which Digital Bazaar's Data Integrity
/// libraries use.
struct SafeEnv<'a> {
    loader: &'a ContextLoader,
    warnings: &'a RefCell<Vec<String>>,
}

impl JsonLdEnvironment for SafeEnv<'_> {
    type Loader = ContextLoader;
    fn loader(&self) -> &ContextLoader {
        self.loader
    }
    fn warn(&self, w: JsonLdWarning) {
        self.warnings.borrow_mut().push(w.to_string());
    }
}

fn options() -> JsonLdOptions {
    JsonLdOptions {
        // Undefined terms (no ':' in them) are an error instead of being silently dropped
        // (dropped data would not be covered by the signature).
        expansion_policy: JsonLdExpansionPolicy::Strict,
        ..JsonLdOptions::default()
    }
}

fn to_document(doc: &serde_json::Value) -> Result<JsonLdDocument, Error> {
    // json-syntax keeps numbers as their lexical form, so go through text.
    let text = serde_json::to_string(doc).map_err(|e| Error::Input(e.to_string()))?;
    let (value, _) = JsonValue::parse_str(&text).map_err(|e| Error::Input(e.to_string()))?;
    Ok(JsonLdDocument::new(None, None, value))
}

fn map_err(e: impl std::fmt::Display) -> Error {
    let s = e.to_string();
    if s.contains("context not bundled") {
        Error::ContextNotBundled(s)
    } else {
        Error::JsonLd(s)
    }
}

/// Things json-ld keeps as "invalid" in the expanded document and then silently drops when
/// producing RDF: relative/invalid `@id`, `@type` and property IRIs. jsonld.js safe mode
/// refuses them ("relative @id reference", "relative @type reference", "invalid property").
fn invalid_terms(expanded: &JsonLdExpandedDocument) -> Vec<String> {
    let mut bad = Vec::new();
    expanded.visit(|o| {
        if let JsonLdObjectRef::Node(n) = o {
            if let Some(id) = n.id.as_ref().filter(|id| id.is_invalid()) {
                bad.push(format!("relative or invalid @id `{}`", id.as_str()));
            }
            for t in n
                .types
                .iter()
                .flat_map(|t| t.iter())
                .filter(|t| t.is_invalid())
            {
                bad.push(format!("relative or invalid @type `{}`", t.as_str()));
            }
            for (p, _) in n.properties.iter().filter(|(p, _)| p.is_invalid()) {
                bad.push(format!("invalid property `{}`", p.as_str()));
            }
            for (p, _) in n
                .reverse_properties
                .iter()
                .flat_map(|r| r.iter())
                .filter(|(p, _)| p.is_invalid())
            {
                bad.push(format!("invalid reverse property `{}`", p.as_str()));
            }
        }
    });
    bad
}

/// JSON-LD expansion with only the given loader's contexts, in "safe mode": any warning from
/// the processor, any undefined term, and any relative/invalid IRI that would be dropped is an
/// error.
pub fn expand(
    doc: &serde_json::Value,
    loader: &ContextLoader,
) -> Result<JsonLdExpandedDocument, Error> {
    let input = to_document(doc)?;
    let warnings = RefCell::new(Vec::new());
    let env = SafeEnv {
        loader,
        warnings: &warnings,
    };
    let expanded = input.expand_with(env, options()).map_err(map_err)?;
    let mut problems = warnings.into_inner();
    problems.extend(invalid_terms(&expanded));
    if !problems.is_empty() {
        return Err(Error::Unsafe(problems));
    }
    Ok(expanded)
}

/// Expanded form as serde_json (for inspection / debugging).
pub fn expand_to_json(
    doc: &serde_json::Value,
    loader: &ContextLoader,
) -> Result<serde_json::Value, Error> {
    let v: JsonValue = expand(doc, loader)?.into();
    serde_json::from_str(&v.to_string()).map_err(|e| Error::JsonLd(e.to_string()))
}

/// JSON-LD -> RDF (deserialize JSON-LD to RDF algorithm), converted to oxrdf quads for rdf-canon.
/// Same steps as json-ld's `JsonLdProcessor::to_rdf_with` (expand, relabel blank nodes, serialize),
/// but with the safe-mode checks in between and without its final `.unwrap()`.
pub fn to_quads(
    doc: &serde_json::Value,
    loader: &ContextLoader,
) -> Result<Vec<oxrdf::Quad>, Error> {
    let mut expanded = expand(doc, loader)?;
    let mut generator = BlankIdGenerator::new_with_prefix("b".to_owned());
    expanded.relabel(&mut generator);
    let quads = json_ld::linked_data::ser::to_rdf_quads_interpretation_with(
        &expanded,
        rdf_syntax::GenInterpretation::new(generator),
        RdfSerializationOptions::default(),
    )
    .map_err(|e| Error::JsonLd(e.to_string()))?;
    quads.into_iter().map(convert_quad).collect()
}

/// RDFC-1.0 canonical N-Quads of a JSON-LD document.
pub fn canonicalize(doc: &serde_json::Value, loader: &ContextLoader) -> Result<String, Error> {
    let quads = to_quads(doc, loader)?;
    rdf_canon::canonicalize_quads(&quads).map_err(|e| Error::Canonicalization(e.to_string()))
}

fn named(t: &json_ld::Iri) -> oxrdf::NamedNode {
    oxrdf::NamedNode::new_unchecked(t.as_str())
}

fn blank(b: &json_ld::BlankId) -> oxrdf::BlankNode {
    // json-ld's blank ids carry the `_:` prefix, oxrdf's do not.
    oxrdf::BlankNode::new_unchecked(b.suffix())
}

fn convert_quad(q: rdf_syntax::Quad<Term>) -> Result<oxrdf::Quad, Error> {
    let rdf_syntax::Quad(s, p, o, g) = q;
    let subject: oxrdf::Subject = match &s {
        Term::BlankId(b) => blank(b).into(),
        Term::Ground(GroundTerm::Iri(i)) => named(i).into(),
        Term::Ground(GroundTerm::Literal(_)) => {
            return Err(Error::JsonLd("literal subject".into()));
        }
    };
    let predicate = match &p {
        Term::Ground(GroundTerm::Iri(i)) => named(i),
        _ => return Err(Error::JsonLd("non-IRI predicate".into())),
    };
    let object: oxrdf::Term = match o {
        Term::BlankId(b) => blank(&b).into(),
        Term::Ground(GroundTerm::Iri(i)) => named(&i).into(),
        Term::Ground(GroundTerm::Literal(l)) => match l.r#type {
            LiteralType::Any(dt) if dt.as_str() == XSD_STRING => {
                oxrdf::Literal::new_simple_literal(l.value).into()
            }
            LiteralType::Any(dt) => oxrdf::Literal::new_typed_literal(l.value, named(&dt)).into(),
            // jsonld.js lower-cases language tags; json-ld 0.22 keeps the author's case.
            LiteralType::LangString(tag) => oxrdf::Literal::new_language_tagged_literal_unchecked(
                l.value,
                tag.as_str().to_ascii_lowercase(),
            )
            .into(),
        },
    };
    let graph = match g {
        None => oxrdf::GraphName::DefaultGraph,
        Some(Term::BlankId(b)) => blank(&b).into(),
        Some(Term::Ground(GroundTerm::Iri(i))) => named(&i).into(),
        Some(_) => return Err(Error::JsonLd("literal graph name".into())),
    };
    Ok(oxrdf::Quad::new(subject, predicate, object, graph))
}
