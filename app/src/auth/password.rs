//! Passwords: the rules for a new one, and argon2id hashing off the async runtime.

use crate::domain::account::{PASSWORD_MAX, PASSWORD_MIN};
use argon2::password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier as _, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use std::sync::OnceLock;

/// argon2id with m = 19456 KiB, t = 2, p = 1 (the OWASP recommendation).
fn argon2() -> anyhow::Result<Argon2<'static>> {
    let params =
        Params::new(19_456, 2, 1, None).map_err(|e| anyhow::anyhow!("argon2 params: {e}"))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// A stored password hash (a PHC string). Deliberately not `Serialize`: it never leaves the server.
#[derive(Clone, PartialEq, Eq)]
pub struct StoredHash(String);

impl StoredHash {
    /// Wraps a hash read from the database.
    pub fn from_db(s: String) -> Self {
        Self(s)
    }

    /// The PHC string, for storing.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for StoredHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StoredHash(..)")
    }
}

fn common_passwords() -> &'static std::collections::HashSet<&'static str> {
    static LIST: OnceLock<std::collections::HashSet<&'static str>> = OnceLock::new();
    LIST.get_or_init(|| {
        include_str!("common_passwords.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect()
    })
}

/// Checks a new password; the error says what to change.
pub fn check_new(password: &str, email: &str, name: &str) -> Result<(), String> {
    let len = password.chars().count();
    if len < PASSWORD_MIN {
        return Err(crate::i18n::k::validation::at_least_chars_has(
            PASSWORD_MIN,
            len,
        ));
    }
    if len > PASSWORD_MAX {
        return Err(crate::i18n::k::validation::at_most_chars(PASSWORD_MAX));
    }
    let lower = password.to_lowercase();
    if common_passwords().contains(lower.as_str()) {
        return Err(crate::t!(validation.password_too_common).into());
    }
    let local = email.split('@').next().unwrap_or_default().to_lowercase();
    if lower == email.to_lowercase()
        || (!local.is_empty() && lower == local)
        || lower == name.to_lowercase()
    {
        return Err(crate::t!(validation.password_is_name).into());
    }
    let first = password.chars().next();
    if password.chars().all(|c| Some(c) == first) {
        return Err(crate::t!(validation.password_one_char).into());
    }
    Ok(())
}

/// Hashes a password off the async workers, a core at a time (about 20 MiB and tens of
/// milliseconds of CPU; see [`crate::work`]).
pub async fn hash(password: String) -> anyhow::Result<StoredHash> {
    crate::work::cpu("hash a password", move || {
        let mut bytes = [0u8; 16];
        rand::Rng::fill(&mut rand::rng(), &mut bytes);
        let salt = SaltString::encode_b64(&bytes).map_err(|e| anyhow::anyhow!("salt: {e}"))?;
        let phc = argon2()?
            .hash_password(password.as_bytes(), &salt)
            .map_err(|e| anyhow::anyhow!("hash password: {e}"))?;
        Ok(StoredHash(phc.to_string()))
    })
    .await?
}

/// A hash of a random password, verified against when the account does not exist so an unknown
/// email costs the same time as a wrong password.
async fn dummy_hash() -> anyhow::Result<StoredHash> {
    static DUMMY: tokio::sync::OnceCell<StoredHash> = tokio::sync::OnceCell::const_new();
    DUMMY
        .get_or_try_init(|| async {
            let mut bytes = [0u8; 24];
            rand::Rng::fill(&mut rand::rng(), &mut bytes);
            hash(base64::Engine::encode(
                &base64::engine::general_purpose::STANDARD,
                bytes,
            ))
            .await
        })
        .await
        .cloned()
}

/// Verifies a password on the blocking pool. With no stored hash (unknown account) it still
/// does the same work and answers `false`.
pub async fn verify(password: String, stored: Option<StoredHash>) -> anyhow::Result<bool> {
    let known = stored.is_some();
    let stored = match stored {
        Some(s) => s,
        None => dummy_hash().await?,
    };
    let matches = crate::work::cpu("verify a password", move || {
        let parsed =
            PasswordHash::new(stored.as_str()).map_err(|e| anyhow::anyhow!("stored hash: {e}"))?;
        Ok::<_, anyhow::Error>(
            argon2()?
                .verify_password(password.as_bytes(), &parsed)
                .is_ok(),
        )
    })
    .await??;
    Ok(known && matches)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_password_rules_say_what_to_change() {
        assert!(check_new("short", "a@b.org", "Ana")
            .unwrap_err()
            .contains("at least 12"));
        assert!(check_new(&"x".repeat(1025), "a@b.org", "Ana")
            .unwrap_err()
            .contains("at most 1024"));
        assert!(check_new("Password1234", "a@b.org", "Ana")
            .unwrap_err()
            .contains("too common"));
        assert!(
            check_new("ana.silva@school.org", "ana.silva@school.org", "Ana")
                .unwrap_err()
                .contains("email")
        );
        assert!(check_new("aaaaaaaaaaaaaaa", "a@b.org", "Ana").is_err());
        assert_eq!(
            check_new("lantern orchard kettle", "a@b.org", "Ana"),
            Ok(())
        );
    }

    #[test]
    fn the_common_list_is_loaded_and_lower_case() {
        let list = common_passwords();
        assert!(list.len() > 300, "{}", list.len());
        assert!(list.iter().all(|p| p.len() >= 12 && *p == p.to_lowercase()));
    }

    #[tokio::test]
    async fn hashes_verify_and_reject() {
        let h = hash("lantern orchard kettle".into()).await.expect("hash");
        assert!(
            h.as_str().starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{}",
            h.as_str()
        );
        assert!(verify("lantern orchard kettle".into(), Some(h.clone()))
            .await
            .expect("verify"));
        assert!(!verify("lantern orchard kettles".into(), Some(h))
            .await
            .expect("verify"));
        assert!(!verify("anything at all".into(), None)
            .await
            .expect("verify"));
    }
}
