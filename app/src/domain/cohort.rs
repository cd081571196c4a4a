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
}

/// The most attempts a cohort may allow per competency.
pub const MAX_ATTEMPTS_LIMIT: i64 = 10;

/// Parses the attempts field: a whole number from 1 to [`MAX_ATTEMPTS_LIMIT`].
pub fn parse_max_attempts(s: &str) -> Result<i64, String> {
    s.trim()
        .parse::<i64>()
        .ok()
        .filter(|n| (1..=MAX_ATTEMPTS_LIMIT).contains(n))
        .ok_or_else(|| format!("give a whole number from 1 to {MAX_ATTEMPTS_LIMIT}"))
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
            Self::Open => "Open",
            Self::Expired => "Expired",
            Self::UsedUp => "All seats taken",
            Self::Revoked => "Revoked",
        }
    }

    /// What a person holding the link is told when it cannot be used.
    pub fn explanation(self) -> &'static str {
        match self {
            Self::Open => "This invitation is open.",
            Self::Expired => "This invitation has expired. Ask your coordinator for a new link.",
            Self::UsedUp => "Every place offered by this invitation has been taken. Ask your coordinator for a new link.",
            Self::Revoked => "This invitation was withdrawn by your coordinator. Ask them for a new link.",
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
        let bad = || format!("must be a date like 2026-09-01 (found {s:?})");
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
        return Err("enter a name for the cohort".into());
    }
    if s.chars().count() > 120 {
        return Err("must be at most 120 characters".into());
    }
    Ok(s)
}

/// Limits for new invitations.
pub const INVITATION_MAX_DAYS: i64 = 90;
/// Most seats one invitation may offer.
pub const INVITATION_MAX_SEATS: i64 = 500;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attempts_are_a_small_whole_number() {
        assert_eq!(parse_max_attempts(" 3 "), Ok(3));
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
}
