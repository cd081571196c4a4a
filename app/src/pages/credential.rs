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

use crate::t;

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
        <Suspense fallback=|| view! { <p class="loading">{t!(credential.loading_checking)}</p> }>
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
        t!(credential.title_fallback).to_owned()
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
                                {t!(credential.checked_notice)}
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
                        {t!(credential.issued_by)}
                        <a href=s.issuer_url.clone() rel="noopener">{s.issuer_name.clone()}</a>
                        {crate::i18n::k::credential::issued_on(s.valid_from.get(0..10).unwrap_or_default())}
                    </p>
                    {p.holder.clone().map(|name| view! { <p class="credential__holder">{t!(credential.awarded_to)} <strong>{name}</strong></p> })}
                    {p.revoked.clone().map(|r| view! {
                        <p class="credential__revoked">
                            <strong>{crate::i18n::k::credential::revoked_on(&r.on)}</strong>
                            {crate::i18n::k::credential::revoked_reason(&r.reason)}
                        </p>
                    })}
                    <p>{s.description.clone()}</p>
                </div>
            </div>
            <Checks v=v.clone() />
            {record.then(|| view! { <RecordContents s=s.clone() /> })}
            {(!record).then(|| view! {
            <section class="section" aria-labelledby="results-heading">
                <h2 id="results-heading">{t!(credential.results_heading)}</h2>
                <p class="meta">{t!(credential.results_meta)}</p>
                <TableScroll label=t!(credential.results_heading)>
                    <table class="results-table">
                        <caption class="visually-hidden">{t!(credential.results_heading)}</caption>
                        <thead>
                            <tr>
                                <th scope="col">{t!(credential.col_indicator)}</th>
                                <th scope="col">{t!(credential.col_level)}</th>
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
                <h2 id="criteria-heading">{t!(credential.criteria_heading)}</h2>
                <p>{s.criteria.clone()}</p>
                <h3>{t!(credential.competencies_heading)}</h3>
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
                                    let label = crate::i18n::k::credential::case_item_label(&a.name);
                                    view! { " · " <a href=u aria-label=label>{t!(credential.case_item)}</a> }
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
                <h2 id="evidence-heading">{if record { t!(credential.evidence_heading_record) } else { t!(credential.evidence_heading) }}</h2>
                <ul>
                    {s.evidence.iter().map(|(name, description)| view! {
                        <li><strong>{name.clone()}</strong>{format!(". {description}")}</li>
                    }).collect_view()}
                </ul>
            </section>
            <section class="section" aria-labelledby="downloads-heading">
                <h2 id="downloads-heading">{t!(credential.downloads_heading)}</h2>
                <ul class="downloads">
                    {(!record).then(|| view! {
                        <li><a href=format!("/credentials/{id}/badge.png") download>{t!(credential.download_png)}</a></li>
                        <li><a href=format!("/credentials/{id}/badge.svg") download>{t!(credential.download_svg)}</a></li>
                    })}
                    <li>
                        <a href=format!("/credentials/{id}/credential.json") download>
                            {if record { t!(credential.download_record) } else { t!(credential.download_credential) }}
                        </a>
                    </li>
                    // A revoked credential is not offered for a profile (issue 15).
                    {(p.is_holder && p.revoked.is_none() && !record).then(|| view! {
                        <li><a href=p.linkedin.clone() rel="noopener" target="_blank">{t!(credential.add_linkedin_profile)}</a></li>
                    })}
                </ul>
                <p class="meta">
                    {if record {
                        t!(credential.share_meta_record)
                    } else {
                        t!(credential.share_meta)
                    }}
                    <A exact=true href="/verify">{t!(credential.verify_file_link)}</A>
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
            <h2 id="contains-heading">{t!(credential.contains_heading)}</h2>
            <p class="meta">{t!(credential.contains_meta)}</p>
            <ul class="record-contents">
                {s.contains.iter().map(|c| {
                    // Not checked when the record itself failed before its contents were opened.
                    let (key, label) = c.verdict.map_or(("unchecked", t!(credential.not_checked)), |v| (v.key(), v.label()));
                    view! {
                        <li data-contained=key>{c.name.clone()}{t!(credential.contained_separator)}<span class=format!("verdict-label verdict-label--{key}")>{label}</span></li>
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
            <h2 id="checks-heading">{t!(credential.checks_heading)}</h2>
            <ul class="checks">
                {v.checks.iter().map(|c| view! {
                    <li class=if c.ok { "check check--ok" } else { "check check--failed" }>
                        <span class="check__mark" aria-hidden="true">{if c.ok { "✓" } else { "✗" }}</span>
                        <strong>{c.label.clone()}</strong>
                        <span class="visually-hidden">{if c.ok { t!(credential.check_passed) } else { t!(credential.check_failed) }}</span>
                        {crate::i18n::k::credential::check_detail(&c.detail)}
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
            <h2 id="holder-heading">{t!(credential.holder_heading)}</h2>
            <ActionForm action=show>
                <input type="hidden" name="id" value=id />
                <div class="pick">
                    <input type="checkbox" id="show-name" name="show" value="on" checked=show_name />
                    <label for="show-name">{t!(credential.show_name_label)}</label>
                </div>
                <FormAlert error fields=&[] />
                <button class="button button--small" type="submit">{t!(credential.save)}</button>
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
            <h2 id="wallet-heading">{t!(credential.wallet_heading)}</h2>
            <p>{t!(credential.wallet_text)}</p>
            <ActionForm action=open>
                <input type="hidden" name="id" value=id />
                <NameInCopy id="wallet-name" />
                <FormAlert error fields=&[] />
                <button class="button" type="submit">{t!(credential.add_to_wallet)}</button>
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
            <label for=id>{t!(credential.name_in_copy_label)}</label>
        </div>
    }
}

/// `/credentials/:id/wallet`: the holder's offer to a wallet, as a QR code to scan with the
/// wallet and a link for a wallet on this device.
#[component]
pub fn WalletOfferPage() -> impl IntoView {
    view! {
        <Title text=t!(credential.add_to_wallet) />
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
        <Suspense fallback=|| view! { <p class="loading">{t!(credential.loading_offer)}</p> }>
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
            <h1 id="wallet-offer-heading">{crate::i18n::k::credential::offer_heading(&o.name)}</h1>
            {match o.state.clone() {
                Some(OfferState::Open { expires }) => view! {
                    <ol class="steps">
                        <li>{t!(credential.offer_step_scan)}</li>
                        <li>{t!(credential.offer_step_code)}</li>
                    </ol>
                    <figure class="wallet-offer__qr">
                        <div role="img" aria-label=t!(credential.qr_label) inner_html=o.qr_svg.clone()></div>
                        <figcaption>{crate::i18n::k::credential::offer_open_until(&expires)}</figcaption>
                    </figure>
                    <p class="meta">
                        {if o.include_name { t!(credential.copy_has_name) } else { t!(credential.copy_no_name) }}
                    </p>
                    <p>
                        {t!(credential.wallet_on_device)}
                        <a href=o.deep_link.clone() rel="noopener" data-wallet-link="lcw">{t!(credential.open_in_lcw)}</a>
                    </p>
                    <details>
                        <summary>{t!(credential.other_wallet)}</summary>
                        <p><code class="wallet-offer__url" data-exchange-url="">{o.exchange_url.clone()}</code></p>
                    </details>
                    <section class="section" aria-labelledby="openid-heading">
                        <h2 id="openid-heading">{t!(credential.openid_heading)}</h2>
                        <p>{t!(credential.openid_text)}</p>
                        <figure class="wallet-offer__qr">
                            <div role="img" aria-label=t!(credential.openid_qr_label) inner_html=o.openid_qr_svg.clone()></div>
                        </figure>
                        <p>{t!(credential.pin_label)} <strong class="wallet-offer__pin" data-tx-code="">{o.tx_code.clone()}</strong></p>
                        <p>
                            <a href=o.openid_offer.clone() rel="noopener" data-wallet-link="openid">{t!(credential.open_in_openid)}</a>
                        </p>
                    </section>
                }.into_any(),
                Some(OfferState::Claimed { holder_did }) => view! {
                    <p class="notice" role="status">
                        {t!(credential.claimed_before)}
                        <code class="wallet-offer__did">{holder_did}</code>{t!(credential.claimed_after)}
                    </p>
                    {again(t!(credential.add_another_wallet), id.clone())}
                }.into_any(),
                Some(OfferState::Expired) => view! {
                    <p class="notice">{t!(credential.offer_expired)}</p>
                    {again(t!(credential.make_new_offer), id.clone())}
                }.into_any(),
                None => view! {
                    <p>{t!(credential.no_offer)}</p>
                    {again(t!(credential.add_to_wallet), id.clone())}
                }.into_any(),
            }}
            <p><A exact=true href=format!("/credentials/{id}")>{t!(credential.back_to_credential)}</A></p>
        </article>
    }
}

/// The signed-in teacher's credentials.
#[component]
pub fn MyCredentialsPage() -> impl IntoView {
    view! {
        <Title text=t!(credential.my_title) />
        <Private children=|_| view! { <MyCredentialsLoader /> } />
    }
}

#[component]
fn MyCredentialsLoader() -> impl IntoView {
    let list = Resource::new(|| (), |()| my_credentials());
    view! {
        <h1>{t!(credential.my_title)}</h1>
        <p>
            {t!(credential.my_intro)}
        </p>
        <p>
            <A exact=true href="/learning-statement">{t!(credential.statement_link)}</A>
            {t!(credential.statement_link_after)}
        </p>
        <Suspense fallback=|| view! { <p class="loading">{t!(credential.loading)}</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(items) if items.is_empty() => view! {
                        <p class="empty">{t!(credential.my_empty)}</p>
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
    let of = crate::i18n::k::credential::card_of(&c.name, &c.issued);
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
                    {crate::i18n::k::credential::card_issued(&c.issued)}
                    {if c.show_name { t!(credential.card_name_shown) } else { t!(credential.card_name_hidden) }}
                </p>
                {c.revoked.clone().map(|r| view! {
                    <p class="credential__revoked"><strong>{crate::i18n::k::credential::revoked_on(&r.on)}</strong>{format!(" {}", r.reason)}</p>
                })}
                <p class="credential-card__links">
                    <A exact=true href=format!("/credentials/{id}")>{t!(credential.verification_page)}{on_page}</A>
                    " · "
                    <a href=format!("/credentials/{id}/badge.png") download>"PNG"{on_png}</a>
                    " · "
                    <a href=format!("/credentials/{id}/badge.svg") download>"SVG"{on_svg}</a>
                    " · "
                    <a href=format!("/credentials/{id}/credential.json") download>"JSON"{on_json}</a>
                    {c.revoked.is_none().then(|| view! {
                        " · "
                        <a href=c.linkedin.clone() rel="noopener" target="_blank">{t!(credential.add_linkedin)}<span class="visually-hidden">{of}</span></a>
                    })}
                </p>
            </div>
        </li>
    }
}

/// What a `/verify?result=` code means.
fn result_message(code: &str) -> Option<(&'static str, &'static str)> {
    Some(match code {
        "signature" | "tampered" => ("invalid", t!(credential.result_signature)),
        "not-issuers-key" => ("invalid", t!(credential.result_not_issuers_key)),
        "unknown-issuer" => ("cannot-check", t!(credential.result_unknown_issuer)),
        "cannot-check" => ("cannot-check", t!(credential.result_cannot_check)),
        "valid-unconfirmed" => ("valid", t!(credential.result_valid_unconfirmed)),
        "not-ob3" => ("invalid", t!(credential.result_not_ob3)),
        "not-json" => ("invalid", t!(credential.result_not_json)),
        "no-credential" => ("invalid", t!(credential.result_no_credential)),
        "damaged" => ("invalid", t!(credential.result_damaged)),
        "not-supported" => ("invalid", t!(credential.result_not_supported)),
        "too-big" => ("invalid", t!(credential.result_too_big)),
        "empty" | "broken" => ("invalid", t!(credential.result_empty)),
        "valid-elsewhere" => ("valid", t!(credential.result_valid_elsewhere)),
        "expired" => ("expired", t!(credential.result_expired)),
        "revoked" => ("revoked", t!(credential.result_revoked)),
        "not-yet-valid" => ("not-yet-valid", t!(credential.result_not_yet_valid)),
        "invalid" => ("invalid", t!(credential.result_invalid)),
        "status-unknown" => ("cannot-check", t!(credential.result_status_unknown)),
        "jwt" => ("cannot-check", t!(credential.result_jwt)),
        "ob2" => ("cannot-check", t!(credential.result_ob2)),
        _ => return None,
    })
}

/// `/verify`: check a badge image or credential, no account.
#[component]
pub fn VerifyPage() -> impl IntoView {
    let query = use_query_map();
    let result = move || query.read().get("result").and_then(|c| result_message(&c));
    view! {
        <Title text=t!(credential.verify_title) />
        <h1>{t!(credential.verify_title)}</h1>
        <p>
            {t!(credential.verify_intro)}
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
                <label for="verify-file">{t!(credential.verify_file_label)}</label>
                <input id="verify-file" type="file" name="file" accept=".png,.svg,.json,image/png,image/svg+xml,application/json" />
            </div>
            <div class="field">
                <label for="verify-json">{t!(credential.verify_json_label)}</label>
                <textarea id="verify-json" name="json" rows="6" spellcheck="false"></textarea>
            </div>
            <button class="button" type="submit">{t!(credential.verify_check)}</button>
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
