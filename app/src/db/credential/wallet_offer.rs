//! What the holder sees of their wallet offers: the latest offer for a credential, with its
//! QR codes.

use super::*;

/// The holder's view of their latest offer for their credential `public_id`; `None` when the
/// credential is not theirs.
pub async fn wallet_offer(
    db: &Db,
    issuer: &Issuer,
    user_id: i64,
    public_id: &str,
    now: i64,
) -> anyhow::Result<Option<crate::domain::credential::WalletOffer>> {
    use crate::domain::credential::{lcw_deep_link, OfferState, WalletOffer};
    let document: Option<String> = sqlx::query_scalar(
        "SELECT document FROM credentials WHERE public_id = $1 AND user_id = $2",
    )
    .bind(public_id)
    .bind(user_id)
    .fetch_optional(db.pool())
    .await
    .context("credential")?;
    let Some(document) = document else {
        return Ok(None);
    };
    let name = verify::summary(&serde_json::from_str(&document).unwrap_or(Value::Null)).name;
    let latest = latest_exchange(db, user_id, public_id).await?;
    let mut offer = WalletOffer {
        public_id: public_id.to_owned(),
        name,
        state: None,
        deep_link: String::new(),
        exchange_url: String::new(),
        qr_svg: String::new(),
        openid_offer: String::new(),
        openid_qr_svg: String::new(),
        tx_code: String::new(),
        include_name: false,
    };
    let Some(x) = latest else {
        return Ok(Some(offer));
    };
    offer.include_name = x.include_name != 0;
    offer.state = Some(match (&x.holder_did, x.completed_at) {
        (Some(did), Some(_)) => OfferState::Claimed {
            holder_did: did.clone(),
        },
        _ if x.expires_at <= now || x.revoked_at.is_some() => OfferState::Expired,
        _ => OfferState::Open {
            expires: crate::domain::time::utc_clock(x.expires_at),
        },
    });
    if matches!(offer.state, Some(OfferState::Open { .. })) {
        offer.exchange_url = exchange_url(&issuer.base_url, &x.token);
        offer.deep_link = lcw_deep_link(&issuer.base_url, &offer.exchange_url);
        offer.qr_svg = qr_svg(&offer.deep_link)?;
        offer.openid_offer = super::oid4vci_metadata::offer_link(issuer, &x.pre_authorized_code);
        offer.openid_qr_svg = qr_svg(&offer.openid_offer)?;
        offer.tx_code = x.tx_code.clone();
    }
    Ok(Some(offer))
}

/// `text` as a QR code (error correction M), SVG markup without the XML declaration, for
/// inline use; 4 modules of quiet zone, scaled by CSS.
pub fn qr_svg(text: &str) -> anyhow::Result<String> {
    use qrcode::render::svg;
    let code = qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M)
        .context("QR code")?;
    let markup = code
        .render::<svg::Color>()
        .min_dimensions(256, 256)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .build();
    Ok(match markup.find("<svg") {
        Some(i) => markup[i..].to_owned(),
        None => markup,
    })
}
