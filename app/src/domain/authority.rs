//! Who may act on whom: the rule every coordinator action on a person goes through
//! (password-reset links, deactivation and reactivation, extra attempts, revoking a badge).
//!
//! Authority over a cohort is not authority over everyone in it. An institution coordinator
//! is a member of every cohort they created, and people can hold roles in several cohorts;
//! so an action on a person checks the actor's authority over *that person*.

/// What is known about the person an action targets, from the actor's point of view.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Target {
    /// The target is the actor.
    pub is_self: bool,
    /// The target is an institution coordinator.
    pub is_admin: bool,
    /// The target coordinates some cohort.
    pub coordinates: bool,
    /// The target belongs (in any role) to a cohort the actor does not coordinate.
    pub member_elsewhere: bool,
    /// The target belongs to the cohort the action is taken in.
    pub member_here: bool,
}

/// Why an action on a person is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Not a member of the cohort (answered as not found).
    NotHere,
    /// The actor's own account or work.
    Themselves,
    /// An institution coordinator, or (for anyone but an institution coordinator) another
    /// coordinator: outranks or equals the actor.
    Outranks,
    /// Also in a cohort the actor does not run: its coordinators share the say.
    Elsewhere,
}

impl Refusal {
    /// What the actor is told.
    pub fn message(self) -> &'static str {
        match self {
            Self::NotHere => crate::t!(labels.refusal_not_here),
            Self::Themselves => crate::t!(labels.refusal_themselves),
            Self::Outranks => crate::t!(labels.refusal_outranks),
            Self::Elsewhere => crate::t!(labels.refusal_elsewhere),
        }
    }
}

/// Whether an actor (`actor_is_admin`: an institution coordinator) may act on `target`.
/// Nobody acts on themselves or on an institution coordinator through the app; only an
/// institution coordinator acts on a coordinator or on someone in a cohort the actor does not
/// run.
pub fn may_manage(actor_is_admin: bool, target: Target) -> Result<(), Refusal> {
    if !target.member_here {
        return Err(Refusal::NotHere);
    }
    if target.is_self {
        return Err(Refusal::Themselves);
    }
    if target.is_admin || (target.coordinates && !actor_is_admin) {
        return Err(Refusal::Outranks);
    }
    if target.member_elsewhere && !actor_is_admin {
        return Err(Refusal::Elsewhere);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every shape of actor and target (2 × 32), against the rule stated independently.
    #[test]
    fn every_actor_and_target_shape() {
        let mut allowed = 0;
        for actor_is_admin in [false, true] {
            for bits in 0u8..32 {
                let t = Target {
                    is_self: bits & 1 != 0,
                    is_admin: bits & 2 != 0,
                    coordinates: bits & 4 != 0,
                    member_elsewhere: bits & 8 != 0,
                    member_here: bits & 16 != 0,
                };
                let expected = t.member_here
                    && !t.is_self
                    && !t.is_admin
                    && (actor_is_admin || (!t.coordinates && !t.member_elsewhere));
                let got = may_manage(actor_is_admin, t);
                assert_eq!(
                    got.is_ok(),
                    expected,
                    "admin={actor_is_admin} {t:?}: {got:?}"
                );
                if got.is_ok() {
                    allowed += 1;
                }
            }
        }
        // A teacher or assessor of the actor's cohort only (1 shape for a coordinator); for an
        // institution coordinator also when they coordinate or belong elsewhere (4 shapes).
        assert_eq!(allowed, 1 + 4);
    }

    #[test]
    fn the_reported_takeover_is_refused() {
        // A coordinator of cohort B acting on the institution coordinator, who is a member of
        // every cohort they created (B included).
        let admin = Target {
            is_admin: true,
            coordinates: true,
            member_here: true,
            member_elsewhere: true,
            ..Target::default()
        };
        assert_eq!(may_manage(false, admin), Err(Refusal::Outranks));
        assert_eq!(may_manage(true, admin), Err(Refusal::Outranks));
    }
}
