//! What anyone sees: the stored document, verification, the public page.

use super::*;

/// The stored signed document and its achievement key (for downloads), if it exists.
pub async fn document(
    db: &Db,
    public_id: &str,
) -> anyhow::Result<Option<(String, String, String)>> {
    let row: Option<DocumentRow> = sqlx::query_as(
        "SELECT c.document, c.achievement, f.slug AS framework FROM credentials c \
         JOIN frameworks f ON f.id = c.framework_id WHERE c.public_id = $1",
    )
    .bind(public_id)
    .fetch_optional(db.pool())
    .await
    .context("credential")?;
    Ok(row.map(|r| {
        (
            r.document,
            r.achievement.trim_start_matches("domain:").to_owned(),
            r.framework,
        )
    }))
}

/// A stored credential for downloads.
#[derive(sqlx::FromRow)]
struct DocumentRow {
    document: String,
    achievement: String,
    framework: String,
}

/// A stored credential for its public page.
#[derive(sqlx::FromRow)]
struct PageRow {
    document: String,
    user_id: i64,
    show_name: i64,
    revoked_at: Option<i64>,
    revoked_reason: String,
    holder: String,
    issued_at: i64,
}

/// Verifies any document: our own DID and status list are read from the database (no
/// network); other issuers' status lists are reported as not checkable. Our status list is
/// consulted only for a document whose issuer is our DID (the signature check then confirms
/// the key is ours) and only for a `BitstringStatusListEntry` of purpose `revocation`. A CLR
/// record's embedded credentials are checked the same way, each with its own status.
pub async fn verify_document(
    db: &Db,
    issuer: &Issuer,
    doc: &Value,
) -> anyhow::Result<Verification> {
    let resolver = resolver(db, &issuer.did).await?;
    let mut answers = std::collections::HashMap::new();
    let mut documents = vec![doc];
    documents.extend(
        crate::credentials::clr::embedded(doc)
            .into_iter()
            .take(verify::MAX_EMBEDDED),
    );
    for d in documents {
        if let std::collections::hash_map::Entry::Vacant(slot) = answers.entry(status_key(d)) {
            slot.insert(status_answer(db, issuer, d).await?);
        }
    }
    let now = now_ms();
    // Expansion and canonicalisation cost CPU in proportion to the document: off the async
    // workers, a core at a time.
    let doc = doc.clone();
    // Read here, in the request's language: the closure runs on another thread.
    let not_looked_up = crate::t!(validation.status_not_looked_up);
    crate::work::cpu("verify a credential", move || {
        verify::verify(
            &doc,
            &resolver,
            ContextLoader::bundled(),
            &move |d| {
                answers
                    .get(&status_key(d))
                    .cloned()
                    .unwrap_or_else(|| StatusAnswer::Unknown(not_looked_up.into()))
            },
            now,
        )
    })
    .await
}

/// What a status answer depends on: the document's issuer and its status entry.
fn status_key(doc: &Value) -> (String, String) {
    (
        issuer_of(doc).to_owned(),
        doc.get("credentialStatus")
            .map(Value::to_string)
            .unwrap_or_default(),
    )
}

/// What our status list says of one document.
async fn status_answer(db: &Db, issuer: &Issuer, doc: &Value) -> anyhow::Result<StatusAnswer> {
    let our_list = status_list_url(&issuer.base_url, STATUS_LIST);
    let ours = issuer_of(doc) == issuer.did;
    let entry = doc.get("credentialStatus").cloned();
    Ok(match entry {
        None => StatusAnswer::None,
        Some(e)
            if e.get("type").and_then(Value::as_str) != Some("BitstringStatusListEntry")
                || e.get("statusPurpose").and_then(Value::as_str) != Some("revocation") =>
        {
            StatusAnswer::Unknown(crate::t!(validation.status_entry_unsupported).into())
        }
        Some(_) if !ours => {
            StatusAnswer::Unknown(crate::t!(validation.status_list_other_issuer).into())
        }
        Some(e) => {
            let list = e
                .get("statusListCredential")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let index = e
                .get("statusListIndex")
                .and_then(Value::as_str)
                .and_then(|i| i.parse::<i64>().ok());
            match (list == our_list, index) {
                (true, Some(index)) => {
                    let stored: Option<String> = status_list(db, STATUS_LIST).await?;
                    let bits = stored
                        .and_then(|s| serde_json::from_str::<Value>(&s).ok())
                        .and_then(|d| {
                            d.pointer("/credentialSubject/encodedList")
                                .and_then(Value::as_str)
                                .and_then(|e| Bitstring::decode(e).ok())
                        });
                    match bits {
                        Some(bits) if bits.get(usize::try_from(index).unwrap_or(usize::MAX)) => {
                            StatusAnswer::Revoked
                        }
                        Some(_) => StatusAnswer::Active,
                        None => StatusAnswer::Unknown(
                            crate::t!(validation.status_list_unreadable).into(),
                        ),
                    }
                }
                (true, None) => {
                    StatusAnswer::Unknown(crate::t!(validation.status_index_not_number).into())
                }
                (false, _) => {
                    StatusAnswer::Unknown(crate::i18n::k::validation::status_list_not_ours(list))
                }
            }
        }
    })
}

/// The issuer's id of a credential (`issuer` as a string or an object's `id`), or "".
pub fn issuer_of(doc: &Value) -> &str {
    match doc.get("issuer") {
        Some(Value::String(s)) => s,
        Some(Value::Object(o)) => o.get("id").and_then(Value::as_str).unwrap_or_default(),
        _ => "",
    }
}

/// Whether a verification report shows a credential issued here: its signature verified with
/// a key our DID publishes (the verifier has checked that the signing key's controller is the
/// document's issuer).
pub fn is_ours(report: &Verification, issuer: &Issuer) -> bool {
    report.signer.as_deref() == Some(issuer.did.as_str())
}

/// The public page of a credential: verified now from the stored document.
pub async fn page(
    db: &Db,
    issuer: &Issuer,
    public_id: &str,
    viewer: Option<i64>,
) -> anyhow::Result<Option<CredentialPage>> {
    let row: Option<PageRow> = sqlx::query_as(
        "SELECT c.document, c.user_id, c.show_name, c.revoked_at, c.revoked_reason, u.name AS holder, \
         c.issued_at \
         FROM credentials c JOIN users u ON u.id = c.user_id WHERE c.public_id = $1",
    )
    .bind(public_id)
    .fetch_optional(db.pool())
    .await
    .context("credential")?;
    let Some(r) = row else { return Ok(None) };
    let doc: Value = serde_json::from_str(&r.document).context("stored credential")?;
    let holder_id = r.user_id;
    let show_name = r.show_name != 0;
    let verification = verify_document(db, issuer, &doc).await?;
    let name = verification
        .summary
        .as_ref()
        .map(|s| s.name.clone())
        .unwrap_or_default();
    let issued = r.issued_at;
    Ok(Some(CredentialPage {
        public_id: public_id.to_owned(),
        holder: show_name.then_some(r.holder),
        revoked: revocation(r.revoked_at, r.revoked_reason),
        is_holder: viewer == Some(holder_id),
        show_name,
        linkedin: linkedin_url(
            &name,
            &issuer.name,
            issuer.linkedin_organization.as_deref(),
            issued,
            &credential_url(&issuer.base_url, public_id),
            public_id,
        ),
        verification,
    }))
}
