//! The teacher's Learning Statement: read it, save texts and chosen parts. (The JSON file is
//! served by `GET /learning-statement.json`.)

use crate::domain::statement::LearningStatement;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use std::collections::HashMap;
#[cfg(feature = "ssr")]
use {
    crate::auth::{self, Access},
    crate::domain::statement::{Part, TEXT_MAX},
    crate::error::internal,
};

/// The statement form: texts by part key, and a checkbox per part to include.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct StatementForm {
    /// The teacher's text per written part key.
    #[serde(default)]
    pub text: HashMap<String, String>,
    /// `on` per included part key.
    #[serde(default)]
    pub include: HashMap<String, String>,
}

/// The signed-in person's Learning Statement, with every part they could include.
#[server(endpoint = "statement", input = GetUrl, output = crate::api::JsonText)]
pub async fn get_statement() -> Result<LearningStatement, AppError> {
    let who = auth::authorize(Access::SignedIn)?;
    let db = super::db()?;
    let issuer = db.issuer().ok_or(AppError::Internal)?;
    let found = crate::db::statement::load(&db, &issuer, who.user_id)
        .await
        .map_err(internal)?;
    let result = found.ok_or_else(|| AppError::NotFound(crate::t!(validation.the_course).into()));
    super::answer(super::localized(&db, result).await)
}

/// Saves the statement's texts and chosen parts.
#[server(endpoint = "statement/save", output = crate::api::JsonText)]
pub async fn save_statement(statement: StatementForm) -> Result<(), AppError> {
    let result = async {
        let who = auth::authorize(Access::SignedIn)?;
        let mut texts = Vec::new();
        for part in Part::ALL.into_iter().filter(|p| p.written()) {
            let text = statement.text.get(part.key()).cloned().unwrap_or_default();
            let n = text.chars().count();
            if n > TEXT_MAX {
                return Err(AppError::invalid(
                    format!("statement[text][{}]", part.key()),
                    crate::i18n::k::validation::at_most_chars_has(TEXT_MAX, n),
                ));
            }
            texts.push((part, text));
        }
        let included: Vec<Part> = Part::ALL
            .into_iter()
            .filter(|p| statement.include.get(p.key()).is_some_and(|v| v == "on"))
            .collect();
        let db = super::db()?;
        crate::db::statement::save(&db, who.user_id, &texts, &included)
            .await
            .map_err(internal)
    }
    .await;
    super::form_reply(result, |_| "/learning-statement?saved=1".to_owned())
}

/// Signs the holder's saved Learning Statement as a CLR 2.0 record (their live badges and the
/// parts they chose); a record signed before is replaced. Errors: `422` naming `statement`
/// when they hold no live badge.
#[server(endpoint = "statement/sign", output = crate::api::JsonText)]
pub async fn sign_statement() -> Result<String, AppError> {
    let result = async {
        let who = auth::authorize(Access::SignedIn)?;
        let db = super::db()?;
        let issuer = db.issuer().ok_or(AppError::Internal)?;
        match crate::db::credential::sign_record(
            &db,
            &issuer,
            crate::domain::ids::UserId::new(who.user_id),
        )
        .await
        .map_err(internal)?
        {
            Ok(id) => Ok(id),
            Err(crate::db::credential::RecordRefused::NoBadge) => Err(AppError::invalid(
                "statement",
                crate::t!(validation.statement_no_badge),
            )),
            Err(crate::db::credential::RecordRefused::NoFramework) => {
                Err(AppError::NotFound(crate::t!(validation.the_course).into()))
            }
        }
    }
    .await;
    super::form_reply(result, |_| {
        "/learning-statement?signed=1#signed-record".to_owned()
    })
}

/// Withdraws the holder's live signed record (it stops verifying; the statement stays).
/// Errors: `404` when none is live.
#[server(endpoint = "statement/withdraw", output = crate::api::JsonText)]
pub async fn withdraw_statement() -> Result<(), AppError> {
    let result = async {
        let who = auth::authorize(Access::SignedIn)?;
        let db = super::db()?;
        let issuer = db.issuer().ok_or(AppError::Internal)?;
        if crate::db::credential::withdraw_record(
            &db,
            &issuer,
            crate::domain::ids::UserId::new(who.user_id),
        )
        .await
        .map_err(internal)?
        {
            Ok(())
        } else {
            Err(AppError::NotFound(
                crate::t!(validation.a_signed_record).into(),
            ))
        }
    }
    .await;
    super::form_reply(result, |_| {
        "/learning-statement?withdrawn=1#signed-record".to_owned()
    })
}
