//! People and roles: the rules for what a name, an email address and a role may be.

use serde::{Deserialize, Serialize};
use std::fmt;

/// What a person does in a cohort. A person may hold several roles, per cohort.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Role {
    /// Works through the course and submits evidence.
    Teacher,
    /// Validates submitted evidence.
    Assessor,
    /// Runs the cohort: invitations, members, credentials.
    Coordinator,
}

impl Role {
    /// Every role, in the order pages list them.
    pub const ALL: [Role; 3] = [Role::Teacher, Role::Assessor, Role::Coordinator];

    /// The stored and URL form.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Teacher => "teacher",
            Self::Assessor => "assessor",
            Self::Coordinator => "coordinator",
        }
    }

    /// The form shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Self::Teacher => crate::t!(labels.role_teacher),
            Self::Assessor => crate::t!(labels.role_assessor),
            Self::Coordinator => crate::t!(labels.role_coordinator),
        }
    }

    /// Parses the stored form.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// An email address, trimmed and lower-cased: the sign-in identifier.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Email(String);

impl Email {
    /// The longest address accepted (RFC 5321 path limit).
    pub const MAX_LEN: usize = 254;

    /// Parses an address, or says what is wrong with it.
    pub fn parse(input: &str) -> Result<Self, String> {
        let s = input.trim().to_lowercase();
        if s.is_empty() {
            return Err(crate::t!(validation.enter_email).into());
        }
        if s.chars().count() > Self::MAX_LEN {
            return Err(crate::i18n::k::validation::at_most_chars(Self::MAX_LEN));
        }
        let Some((local, domain)) = s.rsplit_once('@') else {
            return Err(crate::t!(validation.email_needs_at).into());
        };
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && domain
                .chars()
                .all(|c| c.is_alphanumeric() || c == '.' || c == '-');
        if local.is_empty() || !domain_ok {
            return Err(crate::t!(validation.email_incomplete).into());
        }
        if s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(crate::t!(validation.no_spaces).into());
        }
        Ok(Self(s))
    }

    /// The address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A person's name as they want it shown.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonName(String);

impl PersonName {
    /// The longest name accepted.
    pub const MAX_LEN: usize = 120;

    /// Parses a name: trimmed, inner runs of white space folded, 1 to 120 characters.
    pub fn parse(input: &str) -> Result<Self, String> {
        let s = input.split_whitespace().collect::<Vec<_>>().join(" ");
        if s.is_empty() {
            return Err(crate::t!(validation.enter_name).into());
        }
        if s.chars().count() > Self::MAX_LEN {
            return Err(crate::i18n::k::validation::at_most_chars(Self::MAX_LEN));
        }
        if s.chars().any(char::is_control) {
            return Err(crate::t!(validation.no_control_chars).into());
        }
        Ok(Self(s))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The shortest password accepted.
pub const PASSWORD_MIN: usize = 12;
/// The longest password accepted (hashing cost grows with length).
pub const PASSWORD_MAX: usize = 1024;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("admin"), None);
    }

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(
            Email::parse("  Ana.Silva@School.ORG ").map(|e| e.as_str().to_owned()),
            Ok("ana.silva@school.org".to_owned())
        );
        assert!(Email::parse("").is_err());
        assert!(Email::parse("ana").unwrap_err().contains("@"));
        assert!(Email::parse("ana@school").is_err());
        assert!(Email::parse("@school.org").is_err());
        assert!(Email::parse("a b@school.org").is_err());
        assert!(Email::parse(&format!("{}@x.org", "a".repeat(250))).is_err());
    }

    #[test]
    fn names_are_tidied() {
        assert_eq!(
            PersonName::parse("  Ana   Silva ").map(|n| n.as_str().to_owned()),
            Ok("Ana Silva".to_owned())
        );
        assert!(PersonName::parse("   ").is_err());
        assert!(PersonName::parse(&"x".repeat(121)).is_err());
    }
}

/// The signed-in person as pages see them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Viewer {
    /// Name to show.
    pub name: String,
    /// Sign-in email.
    pub email: String,
    /// Institution coordinator.
    pub is_admin: bool,
    /// Roles held, per cohort.
    pub roles: Vec<Membership>,
}

/// A role held in a cohort.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Membership {
    /// Cohort id.
    pub cohort_id: i64,
    /// Cohort name.
    pub cohort_name: String,
    /// The role.
    pub role: Role,
}

impl Viewer {
    /// Whether the person holds `role` in any cohort (an admin counts as coordinator).
    pub fn has_role_anywhere(&self, role: Role) -> bool {
        (self.is_admin && role == Role::Coordinator) || self.roles.iter().any(|m| m.role == role)
    }
}

/// Where a person's work is, by the roles they hold (issue 15): a teacher's dashboard, else a
/// coordinator's cohorts (an institution coordinator counts), else an assessor's queue. Someone
/// with no role yet (signed up, not in a cohort) starts on the dashboard, whose course is open
/// to them.
pub fn landing(is_admin: bool, roles: &[Membership]) -> &'static str {
    let holds = |role: Role| roles.iter().any(|m| m.role == role);
    if holds(Role::Teacher) || (roles.is_empty() && !is_admin) {
        "/dashboard"
    } else if is_admin || holds(Role::Coordinator) {
        "/coordinator"
    } else {
        "/assess"
    }
}

#[cfg(test)]
mod landing_tests {
    use super::*;

    fn with(roles: &[Role]) -> Vec<Membership> {
        roles
            .iter()
            .enumerate()
            .map(|(i, r)| Membership {
                cohort_id: i as i64,
                cohort_name: format!("Cohort {i}"),
                role: *r,
            })
            .collect()
    }

    #[test]
    fn each_kind_of_person_lands_on_their_work() {
        use Role::{Assessor, Coordinator, Teacher};
        let cases: [(bool, &[Role], &str); 10] = [
            (false, &[Teacher], "/dashboard"),
            (false, &[Assessor], "/assess"),
            (false, &[Coordinator], "/coordinator"),
            (false, &[Teacher, Assessor], "/dashboard"),
            (false, &[Teacher, Coordinator], "/dashboard"),
            (false, &[Assessor, Coordinator], "/coordinator"),
            (false, &[Assessor, Assessor], "/assess"),
            (false, &[], "/dashboard"),
            (true, &[], "/coordinator"),
            (true, &[Assessor], "/coordinator"),
        ];
        for (admin, roles, expected) in cases {
            assert_eq!(landing(admin, &with(roles)), expected, "{admin} {roles:?}");
        }
    }

    /// Over every combination: nobody who holds roles but not Teacher lands on a teacher's
    /// dashboard, and only an assessor lands on the queue.
    #[test]
    fn no_one_lands_on_work_that_is_not_theirs() {
        for admin in [false, true] {
            for mask in 0..8u8 {
                let roles: Vec<Role> = Role::ALL
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| mask & (1 << i) != 0)
                    .map(|(_, r)| *r)
                    .collect();
                let to = landing(admin, &with(&roles));
                if to == "/dashboard" {
                    assert!(roles.contains(&Role::Teacher) || (roles.is_empty() && !admin));
                }
                if to == "/assess" {
                    assert!(roles.contains(&Role::Assessor) && !admin);
                }
            }
        }
    }
}

/// Where to go after signing in: only a path on this site, never another origin.
pub fn safe_next(next: &str) -> String {
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && !next.chars().any(|c| c.is_control() || c == '\\')
        && next.len() <= 512;
    if ok {
        next.to_owned()
    } else {
        "/".to_owned()
    }
}

#[cfg(test)]
mod next_tests {
    use super::safe_next;

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(safe_next("/frameworks/mcf"), "/frameworks/mcf");
        assert_eq!(safe_next("https://evil.example"), "/");
        assert_eq!(safe_next("//evil.example/x"), "/");
        assert_eq!(safe_next("/\\evil.example"), "/");
        assert_eq!(safe_next(""), "/");
    }
}
