//! The issuing institution: its `did:web`, its profile and its signing key, and how secret keys
//! are sealed at rest (ChaCha20-Poly1305 under the configured `CREDENTIAL_KEY`).

use base64::Engine as _;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use ed25519_dalek::SigningKey;

use super::Error;

/// The 32-byte key that seals issuer secret keys in the database.
#[derive(Clone)]
pub struct SealingKey([u8; 32]);

impl std::fmt::Debug for SealingKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SealingKey(…)")
    }
}

/// Text of the development sealing key: used only when `APP_ENV=development` and no
/// `CREDENTIAL_KEY` is set (production refuses to start without one).
const DEVELOPMENT_KEY_TEXT: &[u8] = b"mcf development credential key: not a secret";

impl SealingKey {
    /// Parses `CREDENTIAL_KEY`: 32 bytes as 64 hexadecimal digits or as base64.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        let bytes = if text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit()) {
            (0..32)
                .map(|i| u8::from_str_radix(&text[2 * i..2 * i + 2], 16).ok())
                .collect::<Option<Vec<u8>>>()?
        } else {
            base64::engine::general_purpose::STANDARD
                .decode(text)
                .or_else(|_| base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(text))
                .ok()?
        };
        Some(Self(bytes.try_into().ok()?))
    }

    /// The fixed development key (never for production).
    pub fn development() -> Self {
        use sha2::Digest as _;
        Self(sha2::Sha256::digest(DEVELOPMENT_KEY_TEXT).into())
    }

    /// The published development key as `CREDENTIAL_KEY` text (64 hex digits), so tests can
    /// check that it is refused where it must be.
    pub fn development_hex() -> String {
        Self::development()
            .0
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// Whether this is the published development key (which no real deployment may use).
    pub fn is_development(&self) -> bool {
        self.0 == Self::development().0
    }

    /// Seals an Ed25519 secret key; `label` (the key's fragment) is bound as associated data,
    /// so a sealed secret cannot be moved to another key's row.
    pub fn seal(&self, secret: &SigningKey, label: &str) -> Result<String, Error> {
        let cipher = ChaCha20Poly1305::new(Key::from_slice(&self.0));
        let mut nonce = [0u8; 12];
        rand::Rng::fill(&mut rand::rng(), &mut nonce);
        let sealed = cipher
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: secret.as_bytes(),
                    aad: label.as_bytes(),
                },
            )
            .map_err(|_| Error::Key("cannot seal the issuer key".into()))?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        Ok(base64::engine::general_purpose::STANDARD.encode(out))
    }

    /// Opens a sealed secret; fails when the sealing key (or the label) is not the one used.
    pub fn open(&self, sealed: &str, label: &str) -> Result<SigningKey, Error> {
        let wrong = || {
            Error::Key(format!(
                "CREDENTIAL_KEY does not open the stored issuer key {label} (was it changed?)"
            ))
        };
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(sealed)
            .map_err(|_| wrong())?;
        if bytes.len() < 12 {
            return Err(wrong());
        }
        let (nonce, ciphertext) = bytes.split_at(12);
        let cipher = ChaCha20Poly1305::new(Key::from_slice(&self.0));
        let secret = cipher
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: ciphertext,
                    aad: label.as_bytes(),
                },
            )
            .map_err(|_| wrong())?;
        let secret: [u8; 32] = secret.try_into().map_err(|_| wrong())?;
        Ok(SigningKey::from_bytes(&secret))
    }
}

/// A fresh random Ed25519 key.
pub fn generate_key() -> SigningKey {
    let mut seed = [0u8; 32];
    rand::Rng::fill(&mut rand::rng(), &mut seed);
    SigningKey::from_bytes(&seed)
}

/// `https://host:port/…` → `did:web:host%3Aport` (the path, if any, is ignored: the DID
/// document is always served at `/.well-known/did.json`).
pub fn did_web_for(base_url: &str) -> String {
    let host = base_url
        .split_once("://")
        .map_or(base_url, |(_, rest)| rest)
        .split('/')
        .next()
        .unwrap_or_default();
    format!("did:web:{}", host.replace(':', "%3A"))
}

/// The institution as it signs: profile, DID and the current key.
#[derive(Clone)]
pub struct Issuer {
    /// `did:web:…` of the public base URL.
    pub did: String,
    /// The public base URL, without a trailing slash.
    pub base_url: String,
    /// Name shown in credentials (`ISSUER_NAME`).
    pub name: String,
    /// The institution's LinkedIn organisation id (`ISSUER_LINKEDIN_ID`): in the profile's
    /// `otherIdentifier`, and "Add to LinkedIn" links to the institution's page with it.
    pub linkedin_organization: Option<String>,
    /// Database id of the signing key.
    pub key_id: i64,
    /// Its fragment, e.g. `key-1`.
    pub fragment: String,
    /// The signing key.
    pub signing: SigningKey,
}

impl std::fmt::Debug for Issuer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Issuer")
            .field("did", &self.did)
            .field("fragment", &self.fragment)
            .finish_non_exhaustive()
    }
}

impl Issuer {
    /// The verification method of the signing key: `<did>#<fragment>`.
    pub fn verification_method(&self) -> String {
        format!("{}#{}", self.did, self.fragment)
    }

    /// The issuer `Profile` every credential carries.
    pub fn profile(&self) -> serde_json::Value {
        let mut profile = serde_json::json!({
            "id": self.did,
            "type": ["Profile"],
            "name": self.name,
            "url": format!("{}/", self.base_url),
            "image": {
                "id": format!("{}/badges/issuer.svg", self.base_url),
                "type": "Image",
                "caption": format!("Emblem of {}", self.name),
            },
        });
        if let (Some(id), Some(map)) = (&self.linkedin_organization, profile.as_object_mut()) {
            // OB 3.0 IdentifierEntry; the enumeration is extensible with `ext:` values.
            map.insert(
                "otherIdentifier".into(),
                serde_json::json!([{
                    "type": "IdentifierEntry",
                    "identifier": id,
                    "identifierType": "ext:LinkedInOrganizationId",
                }]),
            );
        }
        profile
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealing_round_trips_and_binds_the_label() {
        let key = SealingKey::parse(&"ab".repeat(32)).expect("hex key");
        let secret = generate_key();
        let sealed = key.seal(&secret, "key-1").expect("seal");
        assert!(!sealed.contains(&hex(secret.as_bytes())));
        let opened = key.open(&sealed, "key-1").expect("open");
        assert_eq!(opened.as_bytes(), secret.as_bytes());
        assert!(key.open(&sealed, "key-2").is_err(), "label is bound");
        let other = SealingKey::development();
        let e = other.open(&sealed, "key-1").expect_err("wrong key");
        assert!(e.to_string().contains("CREDENTIAL_KEY"));
    }

    #[test]
    fn keys_parse_as_hex_or_base64_of_32_bytes() {
        assert!(SealingKey::parse(&"0f".repeat(32)).is_some());
        let b64 = base64::engine::general_purpose::STANDARD.encode([9u8; 32]);
        assert!(SealingKey::parse(&b64).is_some());
        assert!(SealingKey::parse("short").is_none());
        assert!(SealingKey::parse(&"0f".repeat(31)).is_none());
        let long = base64::engine::general_purpose::STANDARD.encode([9u8; 33]);
        assert!(SealingKey::parse(&long).is_none());
    }

    #[test]
    fn a_linkedin_organisation_id_is_an_identifier_entry_a_signer_accepts() {
        let mut issuer = Issuer {
            did: "did:web:badges.example.org".into(),
            base_url: "https://badges.example.org".into(),
            name: "Example Institute".into(),
            linkedin_organization: Some("1337".into()),
            key_id: 1,
            fragment: "key-1".into(),
            signing: generate_key(),
        };
        let profile = issuer.profile();
        assert_eq!(profile["otherIdentifier"][0]["identifier"], "1337");
        assert_eq!(
            profile["otherIdentifier"][0]["identifierType"],
            "ext:LinkedInOrganizationId"
        );
        // Every term is defined by the OB 3.0 context: safe-mode signing accepts it.
        let doc = serde_json::json!({
            "@context": [crate::credentials::loader::CREDENTIALS_V2, crate::credentials::loader::OB_V3P0_3_0_3],
            "id": "urn:uuid:00000000-0000-4000-8000-000000000000",
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "issuer": profile,
            "validFrom": "2026-01-01T00:00:00Z",
            "credentialSubject": {"type": ["AchievementSubject"], "achievement": {
                "id": "https://badges.example.org/a", "type": ["Achievement"], "name": "A",
                "description": "A", "criteria": {"narrative": "A"}}},
        });
        let options =
            crate::credentials::ProofOptions::assertion(issuer.verification_method(), None);
        crate::credentials::sign(
            &doc,
            &options,
            &issuer.signing,
            crate::credentials::ContextLoader::bundled(),
        )
        .expect("signs in safe mode");
        issuer.linkedin_organization = None;
        assert!(issuer.profile().get("otherIdentifier").is_none());
    }

    #[test]
    fn did_web_encodes_the_port() {
        assert_eq!(
            did_web_for("http://127.0.0.1:3100"),
            "did:web:127.0.0.1%3A3100"
        );
        assert_eq!(
            did_web_for("https://mentoring.example.org"),
            "did:web:mentoring.example.org"
        );
    }

    fn hex(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02x}")).collect()
    }
}
