//! The issuer's signing keys: loading (creating the first), rotation, the DID document.

use super::*;

/// Loads the newest unretired signing key, creating `key-1` on first start; makes sure the
/// status list exists. Fails (and the server does not start) when the sealing key cannot open
/// the stored key.
pub async fn load_issuer(db: &Db, settings: &IssuerSettings) -> anyhow::Result<Issuer> {
    // Two instances starting at once on an empty database both find no key; one creates it,
    // the other's insert does nothing and it reads the winner's key on its second pass.
    for _ in 0..2 {
        if let Some(issuer) = try_load_issuer(db, settings).await? {
            return Ok(issuer);
        }
    }
    anyhow::bail!("no signing key could be created or read")
}

pub(super) async fn try_load_issuer(
    db: &Db,
    settings: &IssuerSettings,
) -> anyhow::Result<Option<Issuer>> {
    let row: Option<SealedKey> = sqlx::query_as(
        "SELECT id, fragment, sealed_secret FROM issuer_keys WHERE retired_at IS NULL ORDER BY id DESC LIMIT 1",
    )
    .fetch_optional(db.writer())
    .await
    .context("issuer key")?;
    let (key_id, fragment, signing) = match row {
        Some(r) => {
            let signing = settings
                .sealing
                .open(&r.sealed_secret, &r.fragment)
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            (r.id, r.fragment, signing)
        }
        None => {
            let mut tx = db
                .begin_write()
                .await
                .context("begin creating the first key")?;
            let Some(created) = new_key_named(&mut tx, settings, "key-1").await? else {
                return Ok(None);
            };
            tx.commit().await.context("commit the first key")?;
            created
        }
    };
    let issuer = Issuer {
        did: did_web_for(&settings.base_url),
        base_url: settings.base_url.clone(),
        name: settings.name.clone(),
        linkedin_organization: settings.linkedin_organization.clone(),
        key_id,
        fragment,
        signing,
    };
    let has_list: Option<i64> = sqlx::query_scalar("SELECT id FROM status_lists WHERE id = $1")
        .bind(STATUS_LIST)
        .fetch_optional(db.writer())
        .await
        .context("status list")?;
    if has_list.is_none() {
        let mut tx = db.begin_write().await.context("begin")?;
        write_status_list(&mut tx, &issuer, STATUS_LIST).await?;
        tx.commit().await.context("commit")?;
    }
    Ok(Some(issuer))
}

/// Creates the next signing key (`key-N`); `None` when another instance created a key of that
/// name at the same moment (nothing is written then).
pub(super) async fn new_key(
    tx: &mut Transaction<'static, Any>,
    settings: &IssuerSettings,
) -> anyhow::Result<Option<(i64, String, ed25519_dalek::SigningKey)>> {
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM issuer_keys")
        .fetch_one(&mut **tx)
        .await
        .context("count keys")?;
    new_key_named(tx, settings, &format!("key-{}", count + 1)).await
}

/// Creates a signing key named `fragment`; `None` when one of that name exists already (the
/// first key of two instances starting at once on an empty database).
pub(super) async fn new_key_named(
    tx: &mut Transaction<'static, Any>,
    settings: &IssuerSettings,
    fragment: &str,
) -> anyhow::Result<Option<(i64, String, ed25519_dalek::SigningKey)>> {
    let fragment = fragment.to_owned();
    let signing = generate_key();
    let sealed = settings
        .sealing
        .seal(&signing, &fragment)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO issuer_keys (fragment, public_key, sealed_secret, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (fragment) DO NOTHING RETURNING id",
    )
    .bind(&fragment)
    .bind(public_key_multibase(&signing.verifying_key()))
    .bind(sealed)
    .bind(now_ms())
    .fetch_optional(&mut **tx)
    .await
    .context("insert key")?;
    Ok(id.map(|id| (id, fragment, signing)))
}

/// Retires the signing key and creates the next one; the retired key stays in did.json so the
/// credentials it signed still verify. Answers the new key's fragment. (A running server keeps
/// signing with the key it loaded until it restarts; both keys verify.)
pub async fn rotate_key(db: &Db, settings: &IssuerSettings) -> anyhow::Result<String> {
    let mut tx = db.begin_write().await.context("begin")?;
    sqlx::query("UPDATE issuer_keys SET retired_at = $1 WHERE retired_at IS NULL")
        .bind(now_ms())
        .execute(&mut *tx)
        .await
        .context("retire")?;
    let (_, fragment, _) = new_key(&mut tx, settings)
        .await?
        .context("another key rotation ran at the same moment; run it again")?;
    audit::record_in(
        &mut tx,
        None,
        "issuer.rotate_key",
        "issuer",
        &json!({ "new_key": fragment }).to_string(),
    )
    .await?;
    tx.commit().await.context("commit")?;
    Ok(fragment)
}

/// What withdrawing a key did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Withdrawal {
    /// The fragment of the key that signs from now on.
    pub signing_key: String,
    /// Credentials signed again with it (revoked ones too, so they still say "revoked").
    pub resigned: u64,
    /// Signed Learning Statements rebuilt with the badges signed again, and signed again.
    pub records: u64,
    /// Copies in holders' wallets that no longer verify: their holders must claim again.
    pub wallet_copies: u64,
}

/// Withdraws a compromised key (`key-N`): it leaves did.json at once, so nothing it signed
/// verifies any more, including anything forged with it; if it was the signing key, the next
/// one is created. Then every credential it signed, and the status list, is signed again with
/// the current key, in batches of 100 (the writer is held briefly at a time). Wallet copies
/// cannot be reached: they are counted, and their holders must claim again. Servers keep the
/// key they loaded until restarted: stop them before, start them after. Errors: no such key,
/// or the key is already withdrawn.
pub async fn withdraw_key(
    db: &Db,
    settings: &IssuerSettings,
    fragment: &str,
) -> anyhow::Result<Withdrawal> {
    let mut tx = db.begin_write().await.context("begin")?;
    let key: Option<(i64, Option<i64>)> =
        sqlx::query_as("SELECT id, withdrawn_at FROM issuer_keys WHERE fragment = $1")
            .bind(fragment)
            .fetch_optional(&mut *tx)
            .await
            .context("key")?;
    let Some((key_id, withdrawn)) = key else {
        anyhow::bail!("there is no key {fragment:?} (see /.well-known/did.json)");
    };
    if withdrawn.is_some() {
        anyhow::bail!("{fragment} was already withdrawn");
    }
    let now = now_ms();
    sqlx::query(
        "UPDATE issuer_keys SET withdrawn_at = $1, retired_at = COALESCE(retired_at, $1) WHERE id = $2",
    )
    .bind(now)
    .bind(key_id)
    .execute(&mut *tx)
    .await
    .context("withdraw")?;
    let signing: Option<i64> =
        sqlx::query_scalar("SELECT id FROM issuer_keys WHERE retired_at IS NULL LIMIT 1")
            .fetch_optional(&mut *tx)
            .await
            .context("signing key")?;
    if signing.is_none() {
        new_key(&mut tx, settings)
            .await?
            .context("another key change ran at the same moment; run it again")?;
    }
    audit::record_in(
        &mut tx,
        None,
        "issuer.withdraw_key",
        "issuer",
        &json!({ "key": fragment }).to_string(),
    )
    .await?;
    tx.commit().await.context("commit")?;

    let issuer = load_issuer(db, settings).await?;
    let mut resigned = 0u64;
    loop {
        let batch: Vec<(i64, String)> = sqlx::query_as(
            "SELECT id, document FROM credentials WHERE key_id = $1 ORDER BY id LIMIT 100",
        )
        .bind(key_id)
        .fetch_all(db.pool())
        .await
        .context("credentials to sign again")?;
        if batch.is_empty() {
            break;
        }
        let mut tx = db.begin_write().await.context("begin")?;
        for (id, document) in batch {
            let mut doc: Value = serde_json::from_str(&document).context("stored credential")?;
            if let Some(map) = doc.as_object_mut() {
                map.remove("proof");
            }
            let signed = sign_document(&issuer, &doc, now_ms())?;
            sqlx::query(
                "UPDATE credentials SET document = $1, key_id = $2 WHERE id = $3 AND key_id = $4",
            )
            .bind(signed.to_string())
            .bind(issuer.key_id)
            .bind(id)
            .bind(key_id)
            .execute(&mut *tx)
            .await
            .context("sign again")?;
            resigned += 1;
        }
        tx.commit().await.context("commit")?;
    }
    let mut tx = db.begin_write().await.context("begin")?;
    write_status_list(&mut tx, &issuer, STATUS_LIST).await?;
    audit::record_in(
        &mut tx,
        None,
        "issuer.resign",
        "issuer",
        &json!({ "withdrawn": fragment, "signing_key": issuer.fragment, "credentials": resigned })
            .to_string(),
    )
    .await?;
    tx.commit().await.context("commit")?;
    // Copies in wallets that the withdrawn key signed.
    let vm = format!("{}#{fragment}", issuer.did);
    let copies: Vec<String> = sqlx::query_scalar("SELECT document FROM credential_copies")
        .fetch_all(db.pool())
        .await
        .context("wallet copies")?;
    let copies = copies
        .iter()
        .filter_map(|d| serde_json::from_str::<Value>(d).ok())
        .filter(|d| {
            d.pointer("/proof/verificationMethod")
                .and_then(Value::as_str)
                == Some(vm.as_str())
        })
        .count();
    // Signed Learning Statements embed badges: those carrying one the withdrawn key signed
    // take the badges as signed again, and are signed again themselves.
    let records = refresh_records(db, &issuer, &vm).await?;
    Ok(Withdrawal {
        signing_key: issuer.fragment.clone(),
        resigned,
        records,
        wallet_copies: u64::try_from(copies).unwrap_or(u64::MAX),
    })
}

/// The issuer's DID document: every key ever used (but withdrawn ones), all authorized for
/// `assertionMethod`.
pub async fn did_document(db: &Db, did: &str) -> anyhow::Result<Value> {
    let rows: Vec<PublicKeyRow> = sqlx::query_as(
        "SELECT fragment, public_key FROM issuer_keys WHERE withdrawn_at IS NULL ORDER BY id",
    )
    .fetch_all(db.pool())
    .await
    .context("keys")?;
    let mut methods = Vec::new();
    let mut ids = Vec::new();
    for PublicKeyRow {
        fragment,
        public_key,
    } in rows
    {
        let id = format!("{did}#{fragment}");
        methods.push(json!({
            "id": id,
            "type": "Multikey",
            "controller": did,
            "publicKeyMultibase": public_key,
        }));
        ids.push(Value::String(id));
    }
    Ok(json!({
        "@context": [crate::credentials::loader::DID_V1, crate::credentials::loader::MULTIKEY_V1],
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": ids,
        "authentication": ids,
    }))
}

/// A key resolver knowing this issuer's DID document (and did:key).
pub async fn resolver(db: &Db, did: &str) -> anyhow::Result<Resolver> {
    Resolver::new()
        .with_did_document(did_document(db, did).await?)
        .map_err(|e| anyhow::anyhow!("{e}"))
}

/// The newest signing key, sealed.
#[derive(sqlx::FromRow)]
struct SealedKey {
    id: i64,
    fragment: String,
    sealed_secret: String,
}

/// A key as did.json publishes it.
#[derive(sqlx::FromRow)]
struct PublicKeyRow {
    fragment: String,
    public_key: String,
}
