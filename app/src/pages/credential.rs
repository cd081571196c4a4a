//! Credentials: `/credentials/:id` (public verification page), `/credentials` (the holder's
//! badges) and `/verify` (check a badge file or pasted JSON, no account).

use crate::api::credential::{
    get_credential_page, get_wallet_offer, my_credentials, OpenWalletOffer, SetShowName,
};
use crate::components::error_panel::ErrorPanel;
use crate::components::form::{use_form_error, FormAlert};
use crate::components::layout::TableScroll;
use crate::components::session_guard::Private;
use crate::domain::credential::{
    CredentialPage, CredentialSummary, MyCredential, OfferState, Verification, WalletOffer,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

/// The public verification page of a credential.
#[component]
pub fn CredentialPublicPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let show = ServerAction::<SetShowName>::new();
    let page = Resource::new(
        move || (id(), show.version().get()),
        |(id, _)| get_credential_page(id),
    );
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Checking the credential…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(p) => view! { <CredentialView p show /> }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CredentialView(p: CredentialPage, show: ServerAction<SetShowName>) -> impl IntoView {
    let query = use_query_map();
    let checked = move || query.read().get("checked").is_some();
    let v = p.verification.clone();
    let s = v.summary.clone().unwrap_or_default();
    let id = p.public_id.clone();
    let record = !s.contains.is_empty();
    let title = if s.name.is_empty() {
        "Credential".to_owned()
    } else {
        s.name.clone()
    };
    view! {
        <Title text=title.clone() />
        <article class="credential" aria-labelledby="credential-heading">
            {move || {
                checked()
                    .then(|| {
                        view! {
                            <p class="notice" role="status">
                                "The file you checked carries this credential: its signature verified. Here is its current status."
                            </p>
                        }
                    })
            }}
            <VerdictBanner v=v.clone() />
            <div class="credential__head">
                {(!s.image.is_empty())
                    .then(|| {
                        view! {
                            <img class="credential__image" src=s.image.clone() alt=s.caption.clone() width="160" height="160" />
                        }
                    })}
                <div>
                    <h1 id="credential-heading">{title}</h1>
                    <p class="credential__issuer">
                        "Issued by "
                        <a href=s.issuer_url.clone() rel="noopener">{s.issuer_name.clone()}</a>
                        {format!(" on {}", s.valid_from.get(0..10).unwrap_or_default())}
                    </p>
                    {p.holder.clone().map(|name| view! { <p class="credential__holder">"Awarded to " <strong>{name}</strong></p> })}
                    {p.revoked.clone().map(|r| view! {
                        <p class="credential__revoked">
                            <strong>{format!("Revoked on {}.", r.on)}</strong>
                            {format!(" Reason: {}", r.reason)}
                        </p>
                    })}
                    <p>{s.description.clone()}</p>
                </div>
            </div>
            <Checks v=v.clone() />
            {record.then(|| view! { <RecordContents s=s.clone() /> })}
            {(!record).then(|| view! {
            <section class="section" aria-labelledby="results-heading">
                <h2 id="results-heading">"Results by indicator"</h2>
                <p class="meta">"As the assessors rated the evidence: Not evident, Partly evident or Evident."</p>
                <TableScroll label="Results by indicator">
                    <table class="results-table">
                        <caption class="visually-hidden">"Results by indicator"</caption>
                        <thead>
                            <tr>
                                <th scope="col">"Indicator"</th>
                                <th scope="col">"Level"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {s.results.iter().map(|r| view! {
                                <tr>
                                    <td>{r.indicator.clone()}</td>
                                    <td>{r.level.clone()}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </TableScroll>
            </section>
            <section class="section" aria-labelledby="criteria-heading">
                <h2 id="criteria-heading">"How it was earned"</h2>
                <p>{s.criteria.clone()}</p>
                <h3>"Competencies"</h3>
                <ul>
                    {s
                        .alignments
                        .iter()
                        .map(|a| {
                            let case = a
                                .case_item
                                .clone()
                                .map(|u| {
                                    // The visible words first (WCAG 2.5.3, label in name),
                                    // then whose item it is, so each link has its own name.
                                    let label = format!("CASE item for {}", a.name);
                                    view! { " · " <a href=u aria-label=label>"CASE item"</a> }
                                });
                            view! {
                                <li>
                                    <a href=a.url.clone()>{a.name.clone()}</a>
                                    {case}
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </section>
            })}
            <section class="section" aria-labelledby="evidence-heading">
                <h2 id="evidence-heading">{if record { "From the Learning Statement" } else { "Evidence assessed" }}</h2>
                <ul>
                    {s.evidence.iter().map(|(name, description)| view! {
                        <li><strong>{name.clone()}</strong>{format!(". {description}")}</li>
                    }).collect_view()}
                </ul>
            </section>
            <section class="section" aria-labelledby="downloads-heading">
                <h2 id="downloads-heading">"Share and download"</h2>
                <ul class="downloads">
                    {(!record).then(|| view! {
                        <li><a href=format!("/credentials/{id}/badge.png") download>"Badge image (PNG) with the credential inside"</a></li>
                        <li><a href=format!("/credentials/{id}/badge.svg") download>"Badge image (SVG) with the credential inside"</a></li>
                    })}
                    <li>
                        <a href=format!("/credentials/{id}/credential.json") download>
                            {if record { "Signed record (JSON, CLR 2.0)" } else { "Credential (JSON, Open Badges 3.0)" }}
                        </a>
                    </li>
                    // A revoked credential is not offered for a profile (issue 15).
                    {(p.is_holder && p.revoked.is_none() && !record).then(|| view! {
                        <li><a href=p.linkedin.clone() rel="noopener" target="_blank">"Add to LinkedIn profile"</a></li>
                    })}
                </ul>
                <p class="meta">
                    {if record {
                        "Anyone can check this record here or with any verifier of W3C Verifiable Credentials; each badge inside carries its own signature. "
                    } else {
                        "Anyone can check this credential here or with any Open Badges 3.0 verifier. "
                    }}
                    <A exact=true href="/verify">"Verify a badge file"</A>
                </p>
            </section>
            {(p.is_holder && p.revoked.is_none() && !record).then(|| view! { <WalletChoice id=id.clone() /> })}
            {p.is_holder.then(|| view! { <HolderChoices id=id.clone() show_name=p.show_name show /> })}
        </article>
    }
}

/// The credentials a signed Learning Statement (CLR 2.0) holds, each with its own verdict (the
/// reasons are in the checks above). Kept small: see docs/decisions.md, "Bundle size", on what
/// a richer list item did to the main file.
#[component]
fn RecordContents(s: CredentialSummary) -> impl IntoView {
    view! {
        <section class="section" aria-labelledby="contains-heading">
            <h2 id="contains-heading">"Credentials in this record"</h2>
            <p class="meta">"Each one is checked on its own: its signature, its dates and whether its issuer revoked it. Each domain badge is part of the whole micro-credential."</p>
            <ul class="record-contents">
                {s.contains.iter().map(|c| {
                    // Not checked when the record itself failed before its contents were opened.
                    let (key, label) = c.verdict.map_or(("unchecked", "Not checked"), |v| (v.key(), v.label()));
                    view! {
                        <li data-contained=key>{c.name.clone()}": "<span class=format!("verdict-label verdict-label--{key}")>{label}</span></li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn VerdictBanner(v: Verification) -> impl IntoView {
    view! {
        <div class=format!("verdict verdict--{}", v.verdict.key()) data-verdict=v.verdict.key() role="status">
            <p class="verdict__label">{v.verdict.label()}</p>
            <p>{v.reason.clone()}</p>
        </div>
    }
}

#[component]
fn Checks(v: Verification) -> impl IntoView {
    view! {
        <section class="section" aria-labelledby="checks-heading">
            <h2 id="checks-heading">"What was checked"</h2>
            <ul class="checks">
                {v.checks.iter().map(|c| view! {
                    <li class=if c.ok { "check check--ok" } else { "check check--failed" }>
                        <span class="check__mark" aria-hidden="true">{if c.ok { "✓" } else { "✗" }}</span>
                        <strong>{c.label.clone()}</strong>
                        <span class="visually-hidden">{if c.ok { " (passed)" } else { " (failed)" }}</span>
                        {format!(": {}", c.detail)}
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn HolderChoices(id: String, show_name: bool, show: ServerAction<SetShowName>) -> impl IntoView {
    let error = use_form_error(show);
    view! {
        <section class="section" aria-labelledby="holder-heading">
            <h2 id="holder-heading">"Your choices"</h2>
            <ActionForm action=show>
                <input type="hidden" name="id" value=id />
                <div class="pick">
                    <input type="checkbox" id="show-name" name="show" value="on" checked=show_name />
                    <label for="show-name">"Show my name on this page (otherwise it shows only the credential)"</label>
                </div>
                <FormAlert error fields=&[] />
                <button class="button button--small" type="submit">"Save"</button>
            </ActionForm>
        </section>
    }
}

/// The holder's button opening a wallet offer (a VC-API exchange), then its page.
#[component]
fn WalletChoice(id: String) -> impl IntoView {
    let open = ServerAction::<OpenWalletOffer>::new();
    let error = use_form_error(open);
    let navigate = use_navigate();
    let target = format!("/credentials/{id}/wallet");
    Effect::new(move |_| {
        if let Some(Ok(())) = open.value().get() {
            navigate(&target, Default::default());
        }
    });
    view! {
        <section class="section" aria-labelledby="wallet-heading">
            <h2 id="wallet-heading">"Keep it in a wallet"</h2>
            <p>"A wallet app (such as the Learner Credential Wallet) keeps a signed copy bound to you; revoking this credential revokes it too."</p>
            <ActionForm action=open>
                <input type="hidden" name="id" value=id />
                <NameInCopy id="wallet-name" />
                <FormAlert error fields=&[] />
                <button class="button" type="submit">"Add to a wallet"</button>
            </ActionForm>
        </section>
    }
}

/// The holder's choice to put their name in a wallet's copy (off by default).
#[component]
fn NameInCopy(id: &'static str) -> impl IntoView {
    view! {
        <div class="pick">
            <input type="checkbox" id=id name="name" value="on" />
            <label for=id>"Put my name in the wallet's copy"</label>
        </div>
    }
}

/// `/credentials/:id/wallet`: the holder's offer to a wallet, as a QR code to scan with the
/// wallet and a link for a wallet on this device.
#[component]
pub fn WalletOfferPage() -> impl IntoView {
    view! {
        <Title text="Add to a wallet" />
        <Private children=|_| view! { <WalletOfferLoader /> } />
    }
}

#[component]
fn WalletOfferLoader() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let open = ServerAction::<OpenWalletOffer>::new();
    let offer = Resource::new(
        move || (id(), open.version().get()),
        |(id, _)| get_wallet_offer(id),
    );
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Preparing the offer…"</p> }>
            {move || Suspend::new(async move {
                match offer.await {
                    Ok(o) => view! { <WalletOfferView o open /> }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn WalletOfferView(o: WalletOffer, open: ServerAction<OpenWalletOffer>) -> impl IntoView {
    let error = use_form_error(open);
    let id = o.public_id.clone();
    let again = move |label: &'static str, id: String| {
        view! {
            <ActionForm action=open>
                <input type="hidden" name="id" value=id />
                <NameInCopy id="wallet-name-again" />
                <FormAlert error fields=&[] />
                <button class="button" type="submit">{label}</button>
            </ActionForm>
        }
    };
    view! {
        <article class="wallet-offer" aria-labelledby="wallet-offer-heading">
            <h1 id="wallet-offer-heading">{format!("Add “{}” to a wallet", o.name)}</h1>
            {match o.state.clone() {
                Some(OfferState::Open { expires }) => view! {
                    <ol class="steps">
                        <li>"In your wallet app, choose to scan a QR code."</li>
                        <li>"Scan this code: the wallet receives a copy bound to it."</li>
                    </ol>
                    <figure class="wallet-offer__qr">
                        <div role="img" aria-label="QR code of the wallet link" inner_html=o.qr_svg.clone()></div>
                        <figcaption>{format!("Open until {expires}, for one wallet.")}</figcaption>
                    </figure>
                    <p class="meta">
                        {if o.include_name { "The copy carries your name." } else { "The copy does not carry your name." }}
                    </p>
                    <p>
                        "Wallet on this device? "
                        <a href=o.deep_link.clone() rel="noopener" data-wallet-link="lcw">"Open the offer in the Learner Credential Wallet"</a>
                    </p>
                    <details>
                        <summary>"Another wallet (VC-API exchange URL)"</summary>
                        <p><code class="wallet-offer__url" data-exchange-url="">{o.exchange_url.clone()}</code></p>
                    </details>
                    <section class="section" aria-labelledby="openid-heading">
                        <h2 id="openid-heading">"A wallet that speaks OpenID (OID4VCI)"</h2>
                        <p>"Scan this one instead, and type the PIN when asked. The first wallet to claim the badge gets it."</p>
                        <figure class="wallet-offer__qr">
                            <div role="img" aria-label="QR code of the OpenID credential offer" inner_html=o.openid_qr_svg.clone()></div>
                        </figure>
                        <p>"PIN: " <strong class="wallet-offer__pin" data-tx-code="">{o.tx_code.clone()}</strong></p>
                        <p>
                            <a href=o.openid_offer.clone() rel="noopener" data-wallet-link="openid">"Open the offer in an OpenID wallet on this device"</a>
                        </p>
                    </section>
                }.into_any(),
                Some(OfferState::Claimed { holder_did }) => view! {
                    <p class="notice" role="status">
                        "A wallet claimed its copy, bound to "
                        <code class="wallet-offer__did">{holder_did}</code>"."
                    </p>
                    {again("Add to another wallet", id.clone())}
                }.into_any(),
                Some(OfferState::Expired) => view! {
                    <p class="notice">"This offer has expired (offers last 15 minutes)."</p>
                    {again("Make a new offer", id.clone())}
                }.into_any(),
                None => view! {
                    <p>"No offer is open for this credential."</p>
                    {again("Add to a wallet", id.clone())}
                }.into_any(),
            }}
            <p><A exact=true href=format!("/credentials/{id}")>"Back to the credential"</A></p>
        </article>
    }
}

/// The signed-in teacher's credentials.
#[component]
pub fn MyCredentialsPage() -> impl IntoView {
    view! {
        <Title text="Your credentials" />
        <Private children=|_| view! { <MyCredentialsLoader /> } />
    }
}

#[component]
fn MyCredentialsLoader() -> impl IntoView {
    let list = Resource::new(|| (), |()| my_credentials());
    view! {
        <h1>"Your credentials"</h1>
        <p>
            "Each domain of the framework earns a badge once every competency in it is judged Competent; all four domains earn the whole micro-credential. Badges are Open Badges 3.0 credentials, signed by the institution: anyone can check them without an account."
        </p>
        <p>
            <A exact=true href="/learning-statement">"Your Learning Statement"</A>
            " — what you can now do, in your words, with these credentials: printable and as a file."
        </p>
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(items) if items.is_empty() => view! {
                        <p class="empty">"No credentials yet. Submit evidence for each competency from its page; badges appear here when a domain is complete."</p>
                    }.into_any(),
                    Ok(items) => view! {
                        <ul class="credential-list">
                            {items.into_iter().map(|c| view! { <CredentialCard c /> }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CredentialCard(c: MyCredential) -> impl IntoView {
    let id = c.public_id.clone();
    // Every card has the same links: each names its badge for a screen reader's list of links
    // (a revoked badge and its reissue share a name, not a date).
    let of = format!(" of {}, issued {}", c.name, c.issued);
    let hidden = |of: &str| view! { <span class="visually-hidden">{of.to_owned()}</span> };
    let [on_page, on_png, on_svg, on_json] = [(); 4].map(|()| hidden(&of));
    view! {
        <li class="credential-card" data-credential=id.clone()>
            <img src=c.image.clone() alt=c.caption.clone() width="96" height="96" />
            <div>
                <h2>
                    <A exact=true href=format!("/credentials/{id}")>{c.name.clone()}</A>
                </h2>
                <p class="meta">
                    {format!("Issued {}", c.issued)}
                    {if c.show_name { " · your name is shown" } else { " · your name is hidden" }}
                </p>
                {c.revoked.clone().map(|r| view! {
                    <p class="credential__revoked"><strong>{format!("Revoked on {}.", r.on)}</strong>{format!(" {}", r.reason)}</p>
                })}
                <p class="credential-card__links">
                    <A exact=true href=format!("/credentials/{id}")>"Verification page"{on_page}</A>
                    " · "
                    <a href=format!("/credentials/{id}/badge.png") download>"PNG"{on_png}</a>
                    " · "
                    <a href=format!("/credentials/{id}/badge.svg") download>"SVG"{on_svg}</a>
                    " · "
                    <a href=format!("/credentials/{id}/credential.json") download>"JSON"{on_json}</a>
                    {c.revoked.is_none().then(|| view! {
                        " · "
                        <a href=c.linkedin.clone() rel="noopener" target="_blank">"Add to LinkedIn"<span class="visually-hidden">{of}</span></a>
                    })}
                </p>
            </div>
        </li>
    }
}

/// What a `/verify?result=` code means.
fn result_message(code: &str) -> Option<(&'static str, &'static str)> {
    Some(match code {
        "signature" | "tampered" => ("invalid", "Not valid: the signature does not match. The credential was changed after it was signed."),
        "not-issuers-key" => ("invalid", "Not valid: it was signed with a key that is not its issuer's."),
        "unknown-issuer" => ("cannot-check", "Cannot check: its issuer is not one this page knows (it checks credentials issued here and did:key credentials). That does not mean the credential is invalid; check it with its issuer."),
        "cannot-check" => ("cannot-check", "Cannot check: the credential uses a proof or a JSON-LD context this page does not support. That does not mean it was changed; check it with a verifier that supports it."),
        "valid-unconfirmed" => ("valid", "The signature is valid and the credential current, but its issuer's identity is not confirmed: it is a did:key, which anyone can create. It was not issued here."),
        "not-ob3" => ("invalid", "Not valid: this is not an Open Badges 3.0 credential (it needs the VC and Open Badges 3.0 contexts and types)."),
        "not-json" => ("invalid", "Not valid: the credential in the file is not valid JSON."),
        "no-credential" => ("invalid", "This image carries no Open Badges credential. Download the badge again from its verification page."),
        "damaged" => ("invalid", "The file is damaged or not a PNG, SVG or JSON file we can read."),
        "not-supported" => ("invalid", "Only PNG and SVG badge images and JSON credentials can be checked."),
        "too-big" => ("invalid", "The file is too large or too complex to be a credential (at most 1 MB)."),
        "empty" | "broken" => ("invalid", "Choose a badge file or paste a credential, then check it."),
        "valid-elsewhere" => ("valid", "Valid: the signature verifies and the credential is current. It was not issued here, so its revocation could not be checked on this page."),
        "expired" => ("expired", "Expired: the credential is signed by its issuer but its validity period has ended."),
        "revoked" => ("revoked", "Revoked: the credential is signed by its issuer, who has revoked it."),
        "not-yet-valid" => ("not-yet-valid", "Not yet valid: the credential is signed but its validity period has not started."),
        "invalid" => ("invalid", "Not valid: its revocation status or dates could not be confirmed."),
        "status-unknown" => ("cannot-check", "Signed and current, but its revocation cannot be checked here: its status list is on another site, which this page does not fetch."),
        "jwt" => ("cannot-check", "Cannot check here: it is a JWT credential; this page checks Data Integrity proofs. That does not make it invalid."),
        "ob2" => ("cannot-check", "Cannot check here: it is an Open Badges 2.0 badge, checked at its issuer's address. That does not make it invalid."),
        _ => return None,
    })
}

/// `/verify`: check a badge image or credential, no account.
#[component]
pub fn VerifyPage() -> impl IntoView {
    let query = use_query_map();
    let result = move || query.read().get("result").and_then(|c| result_message(&c));
    view! {
        <Title text="Verify a badge" />
        <h1>"Verify a badge"</h1>
        <p>
            "Check an Open Badges 3.0 credential: a badge image (PNG or SVG) downloaded from a verification page, a credential file (JSON), or the JSON pasted below. The signature, the validity period and the revocation status are checked; nothing you send is kept."
        </p>
        <div id="result">
            {move || result().map(|(key, message)| view! {
                <div class=format!("verdict verdict--{key}") data-verdict=key role="status">
                    <p>{message}</p>
                </div>
            })}
        </div>
        <form class="verify-form" method="post" action="/api/verify" enctype="multipart/form-data">
            <div class="field">
                <label for="verify-file">"Badge image or credential file"</label>
                <input id="verify-file" type="file" name="file" accept=".png,.svg,.json,image/png,image/svg+xml,application/json" />
            </div>
            <div class="field">
                <label for="verify-json">"Or paste the credential (JSON)"</label>
                <textarea id="verify-json" name="json" rows="6" spellcheck="false"></textarea>
            </div>
            <button class="button" type="submit">"Check"</button>
        </form>
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_result_code_has_a_message() {
        for code in [
            "signature",
            "not-ob3",
            "not-json",
            "no-credential",
            "damaged",
            "not-supported",
            "too-big",
            "empty",
            "broken",
            "valid-elsewhere",
            "expired",
            "revoked",
            "not-yet-valid",
            "invalid",
            "status-unknown",
            "jwt",
            "ob2",
            "unknown-issuer",
            "cannot-check",
            "tampered",
            "not-issuers-key",
            "valid-unconfirmed",
        ] {
            assert!(super::result_message(code).is_some(), "{code}");
        }
        assert!(super::result_message("<script>").is_none());
    }
}
