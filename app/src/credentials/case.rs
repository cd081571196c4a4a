//! A framework published as a 1EdTech CASE 1.1 package (Competencies and Academic Standards
//! Exchange; CASE Service v1.1, REST/JSON binding): one `CFDocument`, a `CFItem` per domain,
//! competency and indicator, and an `isChildOf` `CFAssociation` from each item to its parent
//! (CASE 1.1 §4.1: the origin is the child, the destination the parent).
//!
//! Identifiers are UUIDv5 (lower case, as the binding's pattern requires) of the item's kind and
//! slugs, so they never change while a slug does not, and every deployment publishing the same
//! framework gives its items the same identifiers. URIs are the deployment's own endpoints under
//! [`CASE_PATH`].

use serde_json::{json, Value};
use uuid::Uuid;

/// The base path of the CASE 1.1 service endpoints (CASE REST binding §3).
pub const CASE_PATH: &str = "/ims/case/v1p1";

/// The namespace every identifier is derived in: UUIDv5 of this URL in the URL namespace.
fn namespace() -> Uuid {
    Uuid::new_v5(&Uuid::NAMESPACE_URL, b"urn:mentoring-micro-credential:case")
}

/// What a CASE identifier names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Node<'a> {
    /// The framework (`CFDocument`, and its `CFPackage`).
    Document { framework: &'a str },
    /// A domain, competency or indicator (`CFItem`), by its slug (slugs are unique within a
    /// framework across all three levels).
    Item { framework: &'a str, slug: &'a str },
    /// The `isChildOf` association from the item `child`.
    ChildOf { framework: &'a str, child: &'a str },
}

/// The stable identifier of `node`: a lower-case UUIDv5.
pub fn identifier(node: Node<'_>) -> String {
    let name = match node {
        Node::Document { framework } => format!("document/{framework}"),
        Node::Item { framework, slug } => format!("item/{framework}/{slug}"),
        Node::ChildOf { framework, child } => format!("is-child-of/{framework}/{child}"),
    };
    Uuid::new_v5(&namespace(), name.as_bytes())
        .hyphenated()
        .to_string()
}

/// Whether `s` has the form of a CASE identifier (a UUID); anything else is a bad request.
pub fn is_identifier(s: &str) -> bool {
    Uuid::parse_str(s).is_ok()
}

/// The URI a `CFItem` is served at: `{base}/ims/case/v1p1/CFItems/{identifier}`. Badges align to
/// competencies through it (OB 3.0 `Alignment.targetUrl` with `targetType` `CFItem`).
pub fn item_uri(base: &str, framework: &str, slug: &str) -> String {
    format!(
        "{base}{CASE_PATH}/CFItems/{}",
        identifier(Node::Item { framework, slug })
    )
}

/// One item of the framework's tree, as the package lists it.
#[derive(Clone, Debug)]
pub struct CaseItem {
    /// Slug (stable id).
    pub slug: String,
    /// `Domain`, `Competency` or `Indicator` (`CFItemType`).
    pub item_type: &'static str,
    /// Short label: a domain's or competency's title; empty for an indicator.
    pub label: String,
    /// `fullStatement`: the title and summary or description; the indicator's wording.
    pub statement: String,
    /// `humanCodingScheme`, e.g. `2.1.3`.
    pub code: String,
    /// The parent's slug; `None` for a domain (its parent is the document).
    pub parent: Option<String>,
    /// Position among its siblings, from 1.
    pub sequence: u32,
}

/// The framework-level facts of a package.
#[derive(Clone, Debug)]
pub struct CaseDocument {
    /// Framework slug.
    pub slug: String,
    /// Title.
    pub title: String,
    /// `creator` (who wrote the framework).
    pub creator: String,
    /// `publisher`: the issuer running this deployment.
    pub publisher: String,
    /// Description.
    pub description: String,
    /// Attribution, carried as `notes`.
    pub notes: String,
    /// Language tag.
    pub language: String,
    /// Content version.
    pub version: String,
    /// `lastChangeDateTime`, RFC 3339 in UTC ending in `Z`.
    pub changed: String,
}

fn link(title: &str, identifier: String, uri: String) -> Value {
    json!({ "title": title, "identifier": identifier, "uri": uri })
}

/// The document's own fields (without `CFPackageURI`, which a package must not carry).
fn document_fields(base: &str, d: &CaseDocument) -> serde_json::Map<String, Value> {
    let id = identifier(Node::Document { framework: &d.slug });
    let mut doc = json!({
        "identifier": id,
        "uri": format!("{base}{CASE_PATH}/CFDocuments/{id}"),
        "frameworkType": "Competency framework",
        "caseVersion": "1.1",
        "creator": d.creator,
        "publisher": d.publisher,
        "title": d.title,
        "description": d.description,
        "notes": d.notes,
        "language": d.language,
        "version": d.version,
        "adoptionStatus": "Adopted",
        "lastChangeDateTime": d.changed,
        "officialSourceURL": format!("{base}/frameworks/{}", d.slug),
    });
    doc.as_object_mut().map(std::mem::take).unwrap_or_default()
}

fn item_fields(base: &str, d: &CaseDocument, item: &CaseItem) -> serde_json::Map<String, Value> {
    let mut v = json!({
        "identifier": identifier(Node::Item { framework: &d.slug, slug: &item.slug }),
        "uri": item_uri(base, &d.slug, &item.slug),
        "fullStatement": item.statement,
        "humanCodingScheme": item.code,
        "CFItemType": item.item_type,
        "language": d.language,
        "lastChangeDateTime": d.changed,
    });
    let mut map = v.as_object_mut().map(std::mem::take).unwrap_or_default();
    if !item.label.is_empty() {
        map.insert(
            "abbreviatedStatement".into(),
            Value::String(item.label.clone()),
        );
    }
    map
}

fn association_fields(
    base: &str,
    d: &CaseDocument,
    items: &[CaseItem],
    item: &CaseItem,
) -> serde_json::Map<String, Value> {
    let id = identifier(Node::ChildOf {
        framework: &d.slug,
        child: &item.slug,
    });
    let origin = link(
        &item.statement,
        identifier(Node::Item {
            framework: &d.slug,
            slug: &item.slug,
        }),
        item_uri(base, &d.slug, &item.slug),
    );
    let destination = match item
        .parent
        .as_deref()
        .and_then(|p| items.iter().find(|i| i.slug == p))
    {
        Some(parent) => link(
            &parent.statement,
            identifier(Node::Item {
                framework: &d.slug,
                slug: &parent.slug,
            }),
            item_uri(base, &d.slug, &parent.slug),
        ),
        None => {
            let doc = identifier(Node::Document { framework: &d.slug });
            link(
                &d.title,
                doc.clone(),
                format!("{base}{CASE_PATH}/CFDocuments/{doc}"),
            )
        }
    };
    let mut v = json!({
        "identifier": id,
        "uri": format!("{base}{CASE_PATH}/CFAssociations/{id}"),
        "associationType": "isChildOf",
        "sequenceNumber": item.sequence,
        "originNodeURI": origin,
        "destinationNodeURI": destination,
        "lastChangeDateTime": d.changed,
    });
    v.as_object_mut().map(std::mem::take).unwrap_or_default()
}

/// The whole `CFPackage` (CASE 1.1 `getCFPackage` response).
pub fn package(base: &str, d: &CaseDocument, items: &[CaseItem]) -> Value {
    json!({
        "CFDocument": document_fields(base, d),
        "CFItems": items.iter().map(|i| item_fields(base, d, i)).collect::<Vec<_>>(),
        "CFAssociations": items
            .iter()
            .map(|i| association_fields(base, d, items, i))
            .collect::<Vec<_>>(),
    })
}

/// The `CFDocument` served on its own (`getCFDocument`): with its `CFPackageURI`.
pub fn document(base: &str, d: &CaseDocument) -> Value {
    let mut doc = document_fields(base, d);
    let id = identifier(Node::Document { framework: &d.slug });
    doc.insert(
        "CFPackageURI".into(),
        link(
            &d.title,
            id.clone(),
            format!("{base}{CASE_PATH}/CFPackages/{id}"),
        ),
    );
    Value::Object(doc)
}

/// Every document served by `getAllCFDocuments`.
pub fn documents(base: &str, docs: &[CaseDocument]) -> Value {
    json!({ "CFDocuments": docs.iter().map(|d| document(base, d)).collect::<Vec<_>>() })
}

fn document_link(base: &str, d: &CaseDocument) -> Value {
    let id = identifier(Node::Document { framework: &d.slug });
    link(
        &d.title,
        id.clone(),
        format!("{base}{CASE_PATH}/CFDocuments/{id}"),
    )
}

/// The `CFItem` whose identifier is `id` served on its own (`getCFItem`: with its
/// `CFDocumentURI`), or `None`.
pub fn item(base: &str, d: &CaseDocument, items: &[CaseItem], id: &str) -> Option<Value> {
    let found = items.iter().find(|i| {
        identifier(Node::Item {
            framework: &d.slug,
            slug: &i.slug,
        }) == id
    })?;
    let mut map = item_fields(base, d, found);
    map.insert("CFDocumentURI".into(), document_link(base, d));
    Some(Value::Object(map))
}

/// The `CFAssociation` whose identifier is `id` (`getCFAssociation`), or `None`.
pub fn association(base: &str, d: &CaseDocument, items: &[CaseItem], id: &str) -> Option<Value> {
    let found = items.iter().find(|i| {
        identifier(Node::ChildOf {
            framework: &d.slug,
            child: &i.slug,
        }) == id
    })?;
    let mut map = association_fields(base, d, items, found);
    map.insert("CFDocumentURI".into(), document_link(base, d));
    Some(Value::Object(map))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_stable_lower_case_uuid_v5_and_distinct_per_kind() {
        let a = identifier(Node::Item {
            framework: "mcf",
            slug: "communication",
        });
        assert_eq!(
            a,
            identifier(Node::Item {
                framework: "mcf",
                slug: "communication"
            })
        );
        assert_eq!(a, a.to_lowercase());
        let parsed = Uuid::parse_str(&a).expect("a UUID");
        assert_eq!(parsed.get_version_num(), 5);
        let others = [
            identifier(Node::Item {
                framework: "pl2",
                slug: "communication",
            }),
            identifier(Node::ChildOf {
                framework: "mcf",
                child: "communication",
            }),
            identifier(Node::Document { framework: "mcf" }),
        ];
        assert!(others.iter().all(|o| *o != a), "{others:?}");
    }
}
