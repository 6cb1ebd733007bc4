//! The opportunity's own rules (domain §3), pure: what the probability is, which reason
//! fits which outcome, when a deal is stamped won or lost, what "overdue" means, and who
//! may see it. The opportunity service looks things up and calls these; the list, the
//! board, the reports and the exports use the same definitions (their SQL twins live in
//! `service::conditions` and are tested against these).

use chrono::{DateTime, NaiveDate, Utc};

use super::{Scope, StageKind};

/// Field 9, the probability (0–100):
/// - won is 100 and lost is 0, whatever was typed;
/// - an open stage keeps a value the user set by hand (`manual` with a `typed` value);
/// - otherwise the stage's default applies — but a record that keeps its stage keeps
///   its own value when that value was set by hand, and falls back to it when the stage
///   has no default;
/// - a new record (or a stage change) without a stage default takes the typed value,
///   else 0.
pub fn probability(kind: StageKind, typed: Option<i32>, manual: bool, ctx: ProbabilityContext) -> i32 {
    match kind {
        StageKind::Won => 100,
        StageKind::Lost => 0,
        StageKind::Open if manual && typed.is_some() => typed.unwrap_or(0),
        StageKind::Open => match (ctx.stage_changed, ctx.previous) {
            (false, Some(p)) if p.manual => p.value,
            (false, Some(p)) => ctx.stage_default.unwrap_or(p.value),
            _ => ctx.stage_default.or(typed).unwrap_or(0),
        },
    }
}

/// What the probability rule needs to know besides the input.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ProbabilityContext {
    /// The target stage's default probability.
    pub stage_default: Option<i32>,
    /// Whether the stage changes with this save (always for a new record).
    pub stage_changed: bool,
    /// The stored probability of an existing record.
    pub previous: Option<StoredProbability>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoredProbability {
    pub value: i32,
    pub manual: bool,
}

/// Whether a hand-set probability is kept as such: only on an open stage.
pub fn probability_is_manual(kind: StageKind, typed: Option<i32>, manual: bool) -> bool {
    manual && typed.is_some() && kind == StageKind::Open
}

/// The outcome a reason list belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Won,
    Lost,
}

impl Outcome {
    fn kind(self) -> StageKind {
        match self {
            Outcome::Won => StageKind::Won,
            Outcome::Lost => StageKind::Lost,
        }
    }
}

/// What becomes of a win or loss reason (field 10).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReasonRule {
    /// Keep this value (possibly none); a value still has to be a valid list item.
    Keep(Option<i32>),
    /// The outcome needs a reason and none was given.
    Required,
    /// A reason newly set on a stage of another outcome.
    NotAllowed,
}

/// A reason belongs to its outcome: on the matching stage it is required; elsewhere a
/// reason the form merely carries over from the record (`given == stored`) is cleared,
/// and one newly set is refused.
pub fn reason(outcome: Outcome, kind: StageKind, given: Option<i32>, stored: Option<i32>) -> ReasonRule {
    if kind == outcome.kind() {
        match given {
            None => ReasonRule::Required,
            some => ReasonRule::Keep(some),
        }
    } else {
        match given {
            None => ReasonRule::Keep(None),
            Some(_) if given == stored => ReasonRule::Keep(None),
            Some(_) => ReasonRule::NotAllowed,
        }
    }
}

/// Won on, lost on and closed at (field 12): never set by hand, stamped by the stage.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Closing {
    pub won_on: Option<NaiveDate>,
    pub lost_on: Option<NaiveDate>,
    pub closed_at: Option<DateTime<Utc>>,
}

/// The closing stamps after a save: entering won (or lost) stamps today and now;
/// staying in won (or lost) keeps the stored stamps; an open stage clears them.
/// `today` is the configured clock's date, so a deal won at 00:30 in Tehran carries
/// that Tehran date.
pub fn closing(
    kind: StageKind,
    previous_kind: Option<StageKind>,
    stored: Closing,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Closing {
    let stays = previous_kind == Some(kind);
    match kind {
        StageKind::Won if stays => Closing {
            won_on: stored.won_on,
            lost_on: None,
            closed_at: stored.closed_at,
        },
        StageKind::Won => Closing {
            won_on: Some(today),
            lost_on: None,
            closed_at: Some(now),
        },
        StageKind::Lost if stays => Closing {
            won_on: None,
            lost_on: stored.lost_on,
            closed_at: stored.closed_at,
        },
        StageKind::Lost => Closing {
            won_on: None,
            lost_on: Some(today),
            closed_at: Some(now),
        },
        StageKind::Open => Closing::default(),
    }
}

/// Overdue: still open and its close date (field 7) is before today.
pub fn is_overdue(kind: StageKind, close_date: Option<NaiveDate>, today: NaiveDate) -> bool {
    kind == StageKind::Open && close_date.is_some_and(|d| d < today)
}

/// Who may see (and edit) an opportunity: one assigned to or created by someone in the
/// actor's scope (everyone, for an administrator).
pub fn visible_to(scope: &Scope, assigned_user_id: Option<i32>, created_by: Option<i32>) -> bool {
    scope.sees(assigned_user_id) || scope.sees(created_by)
}

/// Whom an actor may assign an opportunity to: nobody, or someone in their scope (a
/// salesperson only themselves), so nobody creates work they could not see.
pub fn may_assign(scope: &Scope, assigned_user_id: Option<i32>) -> bool {
    assigned_user_id.is_none() || scope.sees(assigned_user_id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn ctx(stage_default: Option<i32>, stage_changed: bool, previous: Option<(i32, bool)>) -> ProbabilityContext {
        ProbabilityContext {
            stage_default,
            stage_changed,
            previous: previous.map(|(value, manual)| StoredProbability { value, manual }),
        }
    }

    #[test]
    fn won_and_lost_fix_the_probability_whatever_was_typed() {
        assert_eq!(probability(StageKind::Won, Some(30), true, ctx(None, true, None)), 100);
        assert_eq!(
            probability(StageKind::Lost, Some(30), true, ctx(Some(50), false, Some((40, true)))),
            0
        );
        assert!(!probability_is_manual(StageKind::Won, Some(30), true));
    }

    #[test]
    fn a_hand_set_probability_is_kept_on_open_stages() {
        assert_eq!(
            probability(StageKind::Open, Some(35), true, ctx(Some(50), true, None)),
            35
        );
        assert!(probability_is_manual(StageKind::Open, Some(35), true));
        // Manual without a value is not manual.
        assert!(!probability_is_manual(StageKind::Open, None, true));
        assert_eq!(probability(StageKind::Open, None, true, ctx(Some(50), true, None)), 50);
    }

    #[test]
    fn the_stage_default_applies_unless_the_record_kept_its_own() {
        // New record: the default, else the typed value, else 0.
        assert_eq!(
            probability(StageKind::Open, Some(20), false, ctx(Some(25), true, None)),
            25
        );
        assert_eq!(probability(StageKind::Open, Some(20), false, ctx(None, true, None)), 20);
        assert_eq!(probability(StageKind::Open, None, false, ctx(None, true, None)), 0);
        // Same stage, stored value set by hand: kept.
        assert_eq!(
            probability(StageKind::Open, Some(90), false, ctx(Some(25), false, Some((40, true)))),
            40
        );
        // Same stage, stored value from the stage: the (possibly changed) default.
        assert_eq!(
            probability(StageKind::Open, None, false, ctx(Some(30), false, Some((25, false)))),
            30
        );
        assert_eq!(
            probability(StageKind::Open, None, false, ctx(None, false, Some((25, false)))),
            25
        );
        // A stage change takes the new stage's default even over a stored manual value.
        assert_eq!(
            probability(StageKind::Open, None, false, ctx(Some(75), true, Some((40, true)))),
            75
        );
    }

    #[test]
    fn reasons_belong_to_their_outcome() {
        use ReasonRule::*;
        // On the matching stage: required, else kept.
        assert_eq!(reason(Outcome::Won, StageKind::Won, None, None), Required);
        assert_eq!(reason(Outcome::Won, StageKind::Won, Some(3), None), Keep(Some(3)));
        assert_eq!(reason(Outcome::Lost, StageKind::Lost, Some(4), Some(9)), Keep(Some(4)));
        // Carried over from the record onto another stage: cleared.
        assert_eq!(reason(Outcome::Won, StageKind::Open, Some(3), Some(3)), Keep(None));
        assert_eq!(reason(Outcome::Lost, StageKind::Won, Some(4), Some(4)), Keep(None));
        // Newly set where it does not belong: refused.
        assert_eq!(reason(Outcome::Won, StageKind::Lost, Some(3), None), NotAllowed);
        assert_eq!(reason(Outcome::Lost, StageKind::Open, Some(4), Some(5)), NotAllowed);
        assert_eq!(reason(Outcome::Lost, StageKind::Open, None, Some(5)), Keep(None));
    }

    #[test]
    fn entering_won_or_lost_stamps_today_and_leaving_clears() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
        let now = Utc.with_ymd_and_hms(2026, 12, 1, 21, 0, 0).unwrap();
        let earlier = Closing {
            won_on: Some(NaiveDate::from_ymd_opt(2026, 1, 5).unwrap()),
            lost_on: None,
            closed_at: Some(Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap()),
        };
        let won = closing(StageKind::Won, Some(StageKind::Open), Closing::default(), today, now);
        assert_eq!((won.won_on, won.lost_on, won.closed_at), (Some(today), None, Some(now)));
        // Staying won keeps the first stamp.
        assert_eq!(
            closing(StageKind::Won, Some(StageKind::Won), earlier, today, now),
            earlier
        );
        // Won → lost: lost today, the win stamp cleared.
        let lost = closing(StageKind::Lost, Some(StageKind::Won), earlier, today, now);
        assert_eq!(
            (lost.won_on, lost.lost_on, lost.closed_at),
            (None, Some(today), Some(now))
        );
        // Reopened: nothing stamped.
        assert_eq!(
            closing(StageKind::Open, Some(StageKind::Won), earlier, today, now),
            Closing::default()
        );
        // A new record created straight in won is won today.
        assert_eq!(
            closing(StageKind::Won, None, Closing::default(), today, now).won_on,
            Some(today)
        );
    }

    #[test]
    fn overdue_is_open_with_a_past_close_date() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
        let yesterday = today.pred_opt();
        assert!(is_overdue(StageKind::Open, yesterday, today));
        assert!(!is_overdue(StageKind::Open, Some(today), today));
        assert!(!is_overdue(StageKind::Open, None, today));
        assert!(!is_overdue(StageKind::Won, yesterday, today));
        assert!(!is_overdue(StageKind::Lost, yesterday, today));
    }

    #[test]
    fn a_scope_sees_work_assigned_to_or_created_by_its_users() {
        let seller = Scope::Users([7].into());
        let team = Scope::Users([2, 8].into());
        assert!(visible_to(&seller, Some(7), None));
        assert!(visible_to(&seller, None, Some(7)));
        assert!(!visible_to(&seller, Some(8), Some(9)));
        assert!(!visible_to(&seller, None, None));
        assert!(visible_to(&team, Some(8), Some(9)));
        assert!(visible_to(&team, Some(9), Some(2)));
        assert!(!visible_to(&team, Some(9), None));
        assert!(visible_to(&Scope::All, None, None));
        assert!(may_assign(&seller, None));
        assert!(may_assign(&seller, Some(7)));
        assert!(!may_assign(&seller, Some(8)));
        assert!(may_assign(&team, Some(8)));
        assert!(may_assign(&Scope::All, Some(99)));
    }
}
