//! Cohorts, their members and invitations, as pages see them; and the rules for new ones.

use super::account::Role;
use serde::{Deserialize, Serialize};

/// A cohort in a coordinator's list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CohortSummary {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// First day, `YYYY-MM-DD`.
    pub starts_on: String,
    /// Last day, `YYYY-MM-DD`.
    pub ends_on: String,
    /// Framework short title.
    pub framework: String,
    /// Members (people, whatever their roles).
    pub member_count: usize,
}

/// A cohort with its members and invitations, for its coordinators.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CohortDetail {
    /// The cohort.
    pub summary: CohortSummary,
    /// Members, by name.
    pub members: Vec<MemberView>,
    /// Invitations, newest first.
    pub invitations: Vec<InvitationView>,
    /// How its submissions are assessed.
    pub settings: AssessmentSettings,
    /// The viewer is an institution coordinator (may reactivate members).
    pub viewer_is_admin: bool,
}

/// How a cohort's submissions are assessed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssessmentSettings {
    /// Assessors see no teacher's name or email.
    pub blind_review: bool,
    /// Attempts per competency before a coordinator must allow another.
    pub max_attempts: i64,
    /// Business days from submission to decision the cohort aims for (the evaluation page
    /// highlights what goes beyond).
    pub turnaround_days: i64,
}

/// The longest review turnaround target a cohort may set, in business days (three months).
pub const TURNAROUND_DAYS_LIMIT: i64 = 65;

/// Parses the turnaround target: a whole number of business days from 1 to
/// [`TURNAROUND_DAYS_LIMIT`].
pub fn parse_turnaround_days(s: &str) -> Result<i64, String> {
    s.trim()
        .parse::<i64>()
        .ok()
        .filter(|n| (1..=TURNAROUND_DAYS_LIMIT).contains(n))
        .ok_or_else(|| crate::i18n::k::validation::give_business_days(TURNAROUND_DAYS_LIMIT))
}

/// The most attempts a cohort may allow per competency.
pub const MAX_ATTEMPTS_LIMIT: i64 = 10;

/// Parses the attempts field: a whole number from 1 to [`MAX_ATTEMPTS_LIMIT`].
pub fn parse_max_attempts(s: &str) -> Result<i64, String> {
    s.trim()
        .parse::<i64>()
        .ok()
        .filter(|n| (1..=MAX_ATTEMPTS_LIMIT).contains(n))
        .ok_or_else(|| crate::i18n::k::validation::give_whole_number(MAX_ATTEMPTS_LIMIT))
}

/// A member of a cohort.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberView {
    /// User id.
    pub user_id: i64,
    /// Name.
    pub name: String,
    /// Email.
    pub email: String,
    /// Roles in this cohort.
    pub roles: Vec<Role>,
    /// Whether they can sign in.
    pub active: bool,
}

/// An invitation as its cohort's coordinators see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationView {
    /// Id.
    pub id: i64,
    /// Role it grants.
    pub role: Role,
    /// The link to hand out.
    pub link: String,
    /// Expiry, for people.
    pub expires: String,
    /// Seats used.
    pub uses: i64,
    /// Seats available.
    pub max_uses: i64,
    /// Whether it can still be used, or why not.
    pub state: InvitationState,
    /// For a personal invitation, the address it was e-mailed to.
    pub email: Option<String>,
}

/// Whether an invitation can be used.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum InvitationState {
    /// Usable.
    Open,
    /// Past its expiry.
    Expired,
    /// Every seat taken.
    UsedUp,
    /// Revoked by a coordinator.
    Revoked,
}

impl InvitationState {
    /// For people.
    pub fn label(self) -> &'static str {
        match self {
            Self::Open => crate::t!(labels.invitation_open),
            Self::Expired => crate::t!(labels.invitation_expired),
            Self::UsedUp => crate::t!(labels.invitation_used_up),
            Self::Revoked => crate::t!(labels.invitation_revoked),
        }
    }

    /// What a person holding the link is told when it cannot be used.
    pub fn explanation(self) -> &'static str {
        match self {
            Self::Open => crate::t!(labels.invitation_open_explanation),
            Self::Expired => crate::t!(labels.invitation_expired_explanation),
            Self::UsedUp => crate::t!(labels.invitation_used_up_explanation),
            Self::Revoked => crate::t!(labels.invitation_revoked_explanation),
        }
    }
}

/// What someone opening an invitation link sees.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationInfo {
    /// Cohort name.
    pub cohort_name: String,
    /// Role offered.
    pub role: Role,
    /// Whether it can be used.
    pub state: InvitationState,
}

/// A calendar date `YYYY-MM-DD`, checked.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Day(String);

impl Day {
    /// Parses `YYYY-MM-DD` with a real month and day.
    pub fn parse(s: &str) -> Result<Self, String> {
        let s = s.trim();
        let bad = || crate::i18n::k::validation::date_like(format!("{s:?}"));
        let parts: Vec<&str> = s.split('-').collect();
        let [y, m, d] = parts.as_slice() else {
            return Err(bad());
        };
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return Err(bad());
        }
        let (Ok(y), Ok(m), Ok(d)) = (y.parse::<u32>(), m.parse::<u32>(), d.parse::<u32>()) else {
            return Err(bad());
        };
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        let days = match m {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return Err(bad()),
        };
        if !(2000..=2200).contains(&y) || d == 0 || d > days {
            return Err(bad());
        }
        Ok(Self(s.to_owned()))
    }

    /// The date text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A cohort name: 1 to 120 characters, white space tidied.
pub fn parse_cohort_name(s: &str) -> Result<String, String> {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.is_empty() {
        return Err(crate::t!(validation.enter_cohort_name).into());
    }
    if s.chars().count() > 120 {
        return Err(crate::i18n::k::validation::at_most_chars(120));
    }
    Ok(s)
}

/// Limits for new invitations.
pub const INVITATION_MAX_DAYS: i64 = 90;
/// Most seats one invitation may offer.
pub const INVITATION_MAX_SEATS: i64 = 500;

/// Most addresses one pasted list may invite.
pub const INVITE_LIST_MAX: usize = 200;

/// Reads a pasted list of addresses: separated by line breaks, commas, semicolons or spaces,
/// each optionally in a mail client's `Name <address>` form (the name is dropped). Addresses
/// are normalised and repeated ones kept once, in the order given. An error names up to five
/// entries that are not addresses, or says the list is empty or longer than
/// [`INVITE_LIST_MAX`]; then nothing is invited.
pub fn parse_address_list(input: &str) -> Result<Vec<crate::domain::account::Email>, String> {
    use crate::domain::account::Email;
    let mut out: Vec<Email> = Vec::new();
    let mut bad: Vec<String> = Vec::new();
    for piece in input.split([',', ';', '\n', '\r']) {
        // `Ana Silva <ana@x.org>`: the part in angle brackets; otherwise every word with an @.
        let candidates: Vec<&str> = match (piece.find('<'), piece.rfind('>')) {
            (Some(a), Some(b)) if a < b => vec![&piece[a + 1..b]],
            _ => piece.split_whitespace().collect(),
        };
        let words: Vec<&str> = candidates
            .into_iter()
            .map(str::trim)
            .filter(|w| !w.is_empty())
            .collect();
        if words.is_empty() {
            continue;
        }
        let addresses: Vec<&str> = words.iter().copied().filter(|w| w.contains('@')).collect();
        if addresses.is_empty() {
            bad.push(piece.trim().to_owned());
            continue;
        }
        for word in addresses {
            match Email::parse(word) {
                Ok(e) if !out.contains(&e) => out.push(e),
                Ok(_) => {}
                Err(_) => bad.push(word.to_owned()),
            }
        }
    }
    if !bad.is_empty() {
        let shown: Vec<String> = bad
            .iter()
            .take(5)
            .map(crate::i18n::k::validation::quoted)
            .collect();
        let n = bad.len();
        let entries = shown.join(", ");
        return Err(if crate::i18n::singular(n as i64) {
            crate::i18n::k::validation::not_addresses_one(n, &entries)
        } else {
            crate::i18n::k::validation::not_addresses_other(n, &entries)
        });
    }
    if out.is_empty() {
        return Err(crate::t!(validation.paste_address).into());
    }
    if out.len() > INVITE_LIST_MAX {
        return Err(crate::i18n::k::validation::too_many_addresses(
            INVITE_LIST_MAX,
            out.len(),
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attempts_are_a_small_whole_number() {
        assert_eq!(parse_max_attempts(" 3 "), Ok(3));
        assert_eq!(parse_turnaround_days(" 10 "), Ok(10));
        let list = |s: &str| {
            parse_address_list(s)
                .map(|v| v.iter().map(|e| e.as_str().to_owned()).collect::<Vec<_>>())
        };
        assert_eq!(
            list("Ana <Ana@X.org>, ben@x.org; ben@x.org\ncara@y.org dan@y.org").expect("valid"),
            ["ana@x.org", "ben@x.org", "cara@y.org", "dan@y.org"]
        );
        assert!(list("ana@x.org, not an address")
            .unwrap_err()
            .contains("“not an address”"));
        assert!(list("ana@x")
            .unwrap_err()
            .contains("1 entry is not an address"));
        assert!(list(" \n, ").is_err());
        let many: Vec<String> = (0..=INVITE_LIST_MAX)
            .map(|i| format!("t{i}@x.org"))
            .collect();
        assert!(list(&many.join("\n")).unwrap_err().contains("at most 200"));
        assert_eq!(parse_turnaround_days("65"), Ok(65));
        for bad in ["0", "66", "-1", "1.5", "", "ten"] {
            assert!(parse_turnaround_days(bad).is_err(), "{bad:?}");
        }
        assert_eq!(parse_max_attempts("10"), Ok(10));
        assert!(parse_max_attempts("0").is_err());
        assert!(parse_max_attempts("11").is_err());
        assert!(parse_max_attempts("two").is_err());
    }

    #[test]
    fn days_are_real_dates() {
        assert!(Day::parse("2026-09-01").is_ok());
        assert!(Day::parse("2028-02-29").is_ok());
        assert!(Day::parse("2027-02-29").is_err());
        assert!(Day::parse("2026-13-01").is_err());
        assert!(Day::parse("2026-9-1").is_err());
        assert!(Day::parse("yesterday").unwrap_err().contains("2026-09-01"));
        assert!(Day::parse("2026-09-01") < Day::parse("2026-10-01"));
    }

    #[test]
    fn cohort_names_are_tidied() {
        assert_eq!(
            parse_cohort_name("  Spring   2027 "),
            Ok("Spring 2027".into())
        );
        assert!(parse_cohort_name(" ").is_err());
    }

    proptest::proptest! {
        /// Any list of good addresses, joined by any of the separators a person pastes, reads
        /// back as those addresses (normalised, each once, in order).
        #[test]
        fn pasted_lists_read_back(
            names in proptest::collection::vec("[a-z]{1,8}(\\.[a-z]{1,5})?", 1..20),
            seps in proptest::collection::vec(proptest::sample::select(vec![",", ";", "\n", "\r\n", " ", ", ", " ;\n"]), 20),
            upper in proptest::bool::ANY,
        ) {
            let addresses: Vec<String> = names.iter().map(|n| format!("{n}@school.org")).collect();
            let mut text = String::new();
            for (i, a) in addresses.iter().enumerate() {
                text.push_str(&if upper { a.to_uppercase() } else { a.clone() });
                text.push_str(seps[i % seps.len()]);
            }
            let mut expected: Vec<String> = Vec::new();
            for a in &addresses {
                if !expected.contains(a) {
                    expected.push(a.clone());
                }
            }
            let got: Vec<String> = parse_address_list(&text)
                .expect("valid")
                .iter()
                .map(|e| e.as_str().to_owned())
                .collect();
            proptest::prop_assert_eq!(got, expected);
        }
    }
}
