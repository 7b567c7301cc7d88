//! The demo fleet's history: six months of faults on each vessel, in every state, with their
//! comments, parts orders and crew handovers, written as they would stand had the crews used
//! Bosun all along.
//!
//! Each fault follows a [`Plan`] (delays from its report to acknowledgement, work, parts, repair,
//! perhaps a reopening, and closing) played against the clock: whatever had not happened by now
//! has not happened, so recent faults are open, acknowledged, in progress or awaiting parts and
//! older ones are resolved or closed. The plans come from a fixed seed per vessel (the same demo
//! every time), the people from the rotation on board when each step happened.
//!
//! The services stamp everything with the clock's now, so the history is written through the
//! store: one transaction per vessel, a change-log row per record (fault, comment, parts order,
//! handover, draft) and one audit entry (`demo.seed`). The domain rules hold as if the services
//! had written it: the lifecycle only takes allowed moves (`acknowledged_at` ≤ `resolved_at` ≤
//! `closed_at`), repair time is `fault::repair_seconds`, customer prices are
//! `parts::customer_unit_price` at the company's markup, a fault awaits parts while an order is
//! on its way and is resolved only after its parts arrived or were cancelled, and a handover's
//! snapshot is assembled like `GET /handovers/current` from what stood at its completion.

use std::cmp::Reverse;
use std::collections::{BTreeMap, HashMap};

use bosun_domain::company::MarkupBasisPoints;
use bosun_domain::equipment::{Equipment, EquipmentLevel, EquipmentStatus, MeterReading, running_hours};
use bosun_domain::fault::{Comment, Fault, FaultError, FaultStatus, NewFault, Severity};
use bosun_domain::handover::{Handover, HandoverDraft};
use bosun_domain::parts::{PartsOrder, PartsOrderStatus, customer_unit_price};
use bosun_domain::person::Role;
use bosun_domain::{CommentId, CompanyId, EquipmentId, FaultId, HandoverId, PartsOrderId, UserId, VesselId};
use bosun_store::StoredReading;
use chrono::{DateTime, Duration, Utc};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, RngCore, SeedableRng};
use serde_json::json;
use uuid::Uuid;

use crate::fleet::DemoRegistry;
use crate::troubles::{Spare, TROUBLES, Trade, Trouble};
use bosun_app::maintenance::faults::fault_json;
use bosun_app::maintenance::handovers::{
    HandoverContent, HandoverFault, HandoverPartsOrder, RunningHoursChange, handover_json, severity_rank,
};
use bosun_app::maintenance::parts::order_json;
use bosun_app::vessel_change;
use bosun_app::{Actor, Audit, Deps, Error, Result};

/// Days on board per rotation (and off: two teams take turns).
pub(super) const ROTATION_DAYS: i64 = 28;

/// How far back the history reaches.
const HISTORY_DAYS: i64 = 180;

/// Which rotation someone belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Team {
    /// On board since the last crew change.
    A,
    /// Went ashore at the last crew change.
    B,
    /// Permanent crew (a yacht's engineer).
    Always,
}

/// A person who works on a vessel.
#[derive(Debug, Clone)]
pub(super) struct Hand {
    /// Who.
    pub id: UserId,
    /// Their first name, as colleagues write it in comments.
    pub first_name: &'static str,
    /// Engineers manage faults; crew report them.
    pub role: Role,
    /// What they look after.
    pub trade: Trade,
    /// Their rotation.
    pub team: Team,
}

/// The people of one vessel and the office behind it.
#[derive(Debug, Clone)]
pub(super) struct Crew {
    /// The fleet manager ashore: acknowledges urgent faults, follows up orders, closes faults.
    pub office: UserId,
    /// The manager's first name.
    pub office_name: &'static str,
    /// The people on the vessel's rotations.
    pub hands: Vec<Hand>,
    /// When team A joined (00:00 UTC); the teams change every [`ROTATION_DAYS`].
    pub crew_change: DateTime<Utc>,
    /// The two people (team A, team B) who hand one job over to each other at crew changes.
    pub handover_line: Option<(UserId, UserId)>,
    /// Whose handover for the coming crew change is in draft.
    pub draft: Option<UserId>,
}

impl Crew {
    fn team_at(&self, t: DateTime<Utc>) -> Team {
        let k = (t - self.crew_change).num_seconds().div_euclid(ROTATION_DAYS * 86_400);
        if k.rem_euclid(2) == 0 { Team::A } else { Team::B }
    }

    fn aboard(&self, t: DateTime<Utc>) -> Vec<&Hand> {
        let team = self.team_at(t);
        self.hands.iter().filter(|h| h.team == team || h.team == Team::Always).collect()
    }

    fn is_aboard(&self, who: UserId, t: DateTime<Utc>) -> bool {
        self.aboard(t).iter().any(|h| h.id == who)
    }

    /// The engineer on board at `t` for `trade` (deck machinery is the mechanics' to repair),
    /// any engineer when none has the trade, the office when there is none.
    fn engineer(&self, t: DateTime<Utc>, trade: Trade) -> UserId {
        let want = if trade == Trade::Deck { Trade::Mechanical } else { trade };
        let engineers: Vec<&Hand> = self.aboard(t).into_iter().filter(|h| h.role == Role::Engineer).collect();
        engineers.iter().find(|h| h.trade == want).or(engineers.first()).map_or(self.office, |h| h.id)
    }

    /// Who on board reports a fault of `trade` at `t`: mostly someone of that trade.
    fn reporter(&self, t: DateTime<Utc>, trade: Trade, rng: &mut StdRng) -> UserId {
        if rng.random_bool(0.05) {
            return self.office; // The superintendent's own findings on a visit.
        }
        let aboard = self.aboard(t);
        let of_trade: Vec<&Hand> = aboard.iter().copied().filter(|h| h.trade == trade).collect();
        let pool = if !of_trade.is_empty() && rng.random_bool(0.75) { of_trade } else { aboard };
        if pool.is_empty() { self.office } else { pool[rng.random_range(0..pool.len())].id }
    }

    fn first_name(&self, who: UserId) -> &'static str {
        if who == self.office {
            return self.office_name;
        }
        self.hands.iter().find(|h| h.id == who).map_or("The office", |h| h.first_name)
    }
}

/// Time from the report to each step of a fault's life. Steps not reached by now have not
/// happened.
#[derive(Debug, Clone)]
pub(super) struct Plan {
    /// How long ago it was observed.
    pub age: Duration,
    /// From observation to the server receiving it (hours when reported offline).
    pub report_delay: Duration,
    /// From receipt to acknowledgement.
    pub ack: Duration,
    /// From acknowledgement to work starting; `None` for a quick fix resolved straight away.
    pub start: Option<Duration>,
    /// Spares ordered once work started.
    pub parts: Option<PartsPlan>,
    /// From (re)starting work to resolution.
    pub work: Duration,
    /// The fault came back after its resolution.
    pub reopen: Option<Reopen>,
    /// From the (last) resolution to closing; `None` to leave it resolved.
    pub close: Option<Duration>,
}

/// How a parts order went.
#[derive(Debug, Clone)]
pub(super) struct PartsPlan {
    /// From work starting to ordering.
    pub after: Duration,
    /// How many of the trouble's spares are ordered.
    pub lines: usize,
    /// Requested → approved → ordered → shipped → received.
    pub steps: [Duration; 4],
    /// The last line is cancelled after this many steps (0–2: requested, approved or ordered).
    pub cancel: Option<usize>,
    /// From the parts arriving to work resuming.
    pub refit: Duration,
}

/// A fault that came back.
#[derive(Debug, Clone)]
pub(super) struct Reopen {
    /// From resolution to reopening.
    pub after: Duration,
    /// To acknowledging it again.
    pub ack: Duration,
    /// To work starting again.
    pub start: Duration,
    /// To the second resolution.
    pub work: Duration,
}

fn minutes(rng: &mut StdRng, from: i64, to: i64) -> Duration {
    Duration::minutes(rng.random_range(from..=to))
}

const HOUR: i64 = 60;
const DAY: i64 = 24 * HOUR;

impl Plan {
    /// A plausible life for a fault of `severity`: urgent ones acknowledged in minutes and
    /// repaired in hours, minor ones left for days, some waiting weeks for a port call.
    fn random(rng: &mut StdRng, age: Duration, severity: Severity, spares: usize) -> Self {
        use Severity::*;
        let report_delay = if rng.random_bool(0.15) { minutes(rng, 2 * HOUR, 30 * HOUR) } else { minutes(rng, 2, 25) };
        let ack = match severity {
            Critical => minutes(rng, 5, 30),
            High => minutes(rng, 15, 3 * HOUR),
            Medium => minutes(rng, HOUR, 12 * HOUR),
            Low => minutes(rng, 3 * HOUR, 60 * HOUR),
        };
        let minor = matches!(severity, Low | Medium);
        let start = if minor && rng.random_bool(0.25) {
            None
        } else if minor && rng.random_bool(0.2) {
            // Deferred to a port call, or to the next docking.
            Some(if rng.random_bool(0.5) {
                minutes(rng, 15 * DAY, 60 * DAY)
            } else {
                minutes(rng, 60 * DAY, 160 * DAY)
            })
        } else {
            Some(match severity {
                Critical => minutes(rng, 5, 20),
                High => minutes(rng, 30, 8 * HOUR),
                Medium => minutes(rng, 3 * HOUR, 3 * DAY),
                Low => minutes(rng, 12 * HOUR, 8 * DAY),
            })
        };
        let p_parts = match severity {
            Critical => 0.15,
            High => 0.5,
            Medium => 0.45,
            Low => 0.35,
        };
        let parts = (start.is_some() && spares > 0 && rng.random_bool(p_parts)).then(|| {
            let urgent = severity == Critical;
            PartsPlan {
                after: if urgent { minutes(rng, 30, 3 * HOUR) } else { minutes(rng, HOUR, DAY) },
                lines: rng.random_range(1..=spares),
                steps: if urgent {
                    // Approved by phone, air-freighted.
                    [
                        minutes(rng, 20, 2 * HOUR),
                        minutes(rng, 20, HOUR),
                        minutes(rng, 3 * HOUR, 10 * HOUR),
                        minutes(rng, 4 * HOUR, 16 * HOUR),
                    ]
                } else {
                    [
                        minutes(rng, 2 * HOUR, 2 * DAY),
                        minutes(rng, 3 * HOUR, DAY),
                        minutes(rng, DAY, 9 * DAY),
                        minutes(rng, DAY, 6 * DAY),
                    ]
                },
                cancel: rng.random_bool(0.1).then(|| rng.random_range(0..=2)),
                refit: if urgent { minutes(rng, HOUR, 6 * HOUR) } else { minutes(rng, 2 * HOUR, 2 * DAY) },
            }
        });
        let work = match severity {
            Critical => minutes(rng, 90, 8 * HOUR),
            High => minutes(rng, 3 * HOUR, 2 * DAY),
            Medium => minutes(rng, 4 * HOUR, 3 * DAY),
            Low => minutes(rng, HOUR, 2 * DAY),
        };
        let reopen = (severity != Critical && rng.random_bool(0.05)).then(|| Reopen {
            after: minutes(rng, DAY, 6 * DAY),
            ack: minutes(rng, HOUR, 8 * HOUR),
            start: minutes(rng, 2 * HOUR, DAY),
            work: minutes(rng, 4 * HOUR, 2 * DAY),
        });
        let close = rng.random_bool(0.78).then(|| minutes(rng, DAY, 12 * DAY));
        Self { age, report_delay, ack, start, parts, work, reopen, close }
    }
}

/// A fault told from the start: the final record and how it got there.
#[derive(Debug, Clone)]
pub(super) struct Story {
    /// The fault as it stands now.
    pub fault: Fault,
    /// Every status it took, in time order (the first is `open` at receipt).
    pub statuses: Vec<(DateTime<Utc>, FaultStatus)>,
    /// Who held it from when.
    pub assignees: Vec<(DateTime<Utc>, UserId)>,
    /// What people wrote on it.
    pub comments: Vec<Comment>,
    /// Its parts orders.
    pub orders: Vec<OrderStory>,
}

impl Story {
    /// Its status at `t`; `None` before the server received it.
    fn status_at(&self, t: DateTime<Utc>) -> Option<FaultStatus> {
        self.statuses.iter().take_while(|(at, _)| *at <= t).last().map(|(_, s)| *s)
    }

    fn assignee_at(&self, t: DateTime<Utc>) -> Option<UserId> {
        self.assignees.iter().take_while(|(at, _)| *at <= t).last().map(|(_, u)| *u)
    }
}

/// A parts order and the statuses it went through.
#[derive(Debug, Clone)]
pub(super) struct OrderStory {
    /// The order as it stands now.
    pub order: PartsOrder,
    /// Every status it took, in time order.
    pub statuses: Vec<(DateTime<Utc>, PartsOrderStatus)>,
}

impl OrderStory {
    fn at(&self, t: DateTime<Utc>) -> Option<(DateTime<Utc>, PartsOrderStatus)> {
        self.statuses.iter().take_while(|(at, _)| *at <= t).last().copied()
    }
}

/// Which item a scripted fault is on: its name, and its equipment's when names repeat.
#[derive(Debug, Clone, Copy)]
pub(super) struct On {
    /// The item's name.
    pub name: &'static str,
    /// Its parent's name, when the item's own name is not unique.
    pub under: Option<&'static str>,
}

/// A fault told on purpose, so the demo always shows a given situation.
#[derive(Debug, Clone)]
pub(super) struct Script {
    /// The item.
    pub on: On,
    /// What went wrong.
    pub trouble: Trouble,
    /// Who reported it (else someone on board).
    pub reporter: Option<UserId>,
    /// The cylinder or unit number in the texts.
    pub n: u32,
    /// How it went.
    pub plan: Plan,
}

/// What a vessel's history holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Counts {
    /// Faults.
    pub faults: usize,
    /// Comments.
    pub comments: usize,
    /// Parts orders.
    pub parts_orders: usize,
    /// Completed handovers.
    pub handovers: usize,
    /// Handovers in draft.
    pub drafts: usize,
}

/// A vessel's history being written.
pub(super) struct Chronicle<'a> {
    company: CompanyId,
    vessel: VesselId,
    now: DateTime<Utc>,
    markup: MarkupBasisPoints,
    crew: &'a Crew,
    items: &'a [Equipment],
    by_id: HashMap<EquipmentId, &'a Equipment>,
    /// People, texts, prices and ids: kept apart from the plans' randomness so that who was on
    /// board (which depends on today's date) never changes what happened.
    rng: StdRng,
    /// The faults told so far.
    pub stories: Vec<Story>,
}

/// Remarks a reporter adds after reporting.
const REPORT_REMARKS: &[&str] = &[
    "Noticed on the evening round.",
    "Photos taken; area cordoned off.",
    "Reported to the bridge and the chief engineer.",
    "Found during the planned maintenance round.",
    "Seen on the alarm log at the start of the watch.",
];
/// Remarks when acknowledging (`{who}` is the assignee's first name).
const ACK_REMARKS: &[&str] = &[
    "Acknowledged. {who} to investigate.",
    "Seen. Isolate and tag out before opening up.",
    "Noted; keep it under observation and report any change.",
    "Acknowledged and added to today's job list.",
];
/// Remarks when resolving.
const RESOLVE_REMARKS: &[&str] = &[
    "Tested under load for two hours, no recurrence.",
    "Back in service. Entered in the maintenance record.",
    "Function-tested together with the watch; all normal.",
    "Running normally. Will check again on the next round.",
];
/// Remarks when closing.
const CLOSE_REMARKS: &[&str] = &[
    "Reviewed against the maintenance record; closing.",
    "Closed after the follow-up check.",
    "Repair confirmed in the weekly report. Closing.",
];
/// Notes the outgoing person leaves on a fault waiting for parts.
const WAITING_NOTES: &[&str] =
    &["Spares ordered; ask the office for the ETA.", "Temporary repair holding; the permanent fix needs the parts."];
/// Notes the outgoing person leaves on another fault.
const ITEM_NOTES: &[&str] = &[
    "Running with it under observation; check every watch.",
    "Vendor service engineer booked for the next port call.",
    "Discussed with the superintendent; not urgent, but do not let it slide.",
    "Isolated and tagged out; the tag is in the engine room log.",
];
/// Lines of a handover's free text.
const HANDOVER_LINES: &[&str] = &[
    "Bunkered MGO at the last port call; both purifiers in use.",
    "Monthly safety drills done; fire pumps and the emergency generator tested.",
    "Lube oil samples sent ashore on the last supply run; results are with the office.",
    "Planned maintenance up to date except the jobs waiting for parts listed here.",
    "Class surveyor attended for the annual survey; no findings on our side.",
    "Weather kept us alongside for two days; used them for the overdue filter changes.",
];

impl<'a> Chronicle<'a> {
    /// A history for `vessel` at `now`, with its registry and crew.
    pub(super) fn new(
        vessel: VesselId,
        company: CompanyId,
        now: DateTime<Utc>,
        markup: MarkupBasisPoints,
        crew: &'a Crew,
        items: &'a [Equipment],
        seed: u64,
    ) -> Self {
        Self {
            company,
            vessel,
            now,
            markup,
            crew,
            items,
            by_id: items.iter().map(|e| (e.id, e)).collect(),
            rng: StdRng::seed_from_u64(seed ^ 0x5eed_0fc0_ffee),
            stories: Vec::new(),
        }
    }

    /// A UUIDv7 carrying the time `t`, as a client creating the record then would have made.
    fn id_at(&mut self, t: DateTime<Utc>) -> Uuid {
        let mut random = [0u8; 10];
        self.rng.fill_bytes(&mut random);
        uuid::Builder::from_unix_timestamp_millis(u64::try_from(t.timestamp_millis()).unwrap_or(0), &random).into_uuid()
    }

    fn pick<'t>(&mut self, texts: &[&'t str]) -> &'t str {
        texts[self.rng.random_range(0..texts.len())]
    }

    /// Fills in a text's placeholders for `item`.
    fn render(&self, text: &str, item: &Equipment, n: u32) -> String {
        let parent = item.parent_id.and_then(|p| self.by_id.get(&p).copied());
        let unit = match (item.level, parent) {
            (EquipmentLevel::Component, Some(p)) => p.name.as_str(),
            _ => item.name.as_str(),
        };
        let maker = item.maker.as_deref().or(parent.and_then(|p| p.maker.as_deref())).unwrap_or("OEM");
        let model = item.model.as_deref().or(parent.and_then(|p| p.model.as_deref()));
        let mut out = text.replace("{item}", &item.name).replace("{unit}", unit).replace("{n}", &n.to_string());
        out = out.replace("{maker}", maker);
        match model {
            Some(m) => out.replace("{model}", m),
            None => out.replace(", {model}", "").replace(" {model}", "").replace("{model}", ""),
        }
    }

    /// A part number from its pattern.
    fn part_number(&mut self, pattern: &str) -> String {
        pattern.chars().map(|c| if c == '#' { char::from(b'0' + self.rng.random_range(0..10u8)) } else { c }).collect()
    }

    /// Adds a comment if it falls after the report and before now.
    fn comment(&mut self, story: &mut Story, author: UserId, at: DateTime<Utc>, body: String) {
        if at <= story.fault.received_at || at > self.now {
            return;
        }
        let id = CommentId(self.id_at(at));
        story.comments.push(Comment {
            id,
            company_id: self.company,
            fault_id: story.fault.id,
            author_id: author,
            body,
            created_at: at,
        });
    }

    /// Takes a move of the fault's lifecycle (a domain method's answer) at `at`. The plans
    /// only make allowed moves; the demo's tests walk every story to prove it.
    fn set(story: &mut Story, at: DateTime<Utc>, step: impl FnOnce(&Fault) -> Result<Fault, FaultError>) {
        let mut fault = step(&story.fault).expect("the demo fleet's stories follow the fault lifecycle");
        fault.updated_at = at;
        story.statuses.push((at, fault.status));
        story.fault = fault;
    }

    fn assign(story: &mut Story, at: DateTime<Utc>, who: UserId) {
        story.assignees.push((at, who));
        story.fault.assignee_id = Some(who);
        story.fault.updated_at = story.fault.updated_at.max(at);
    }

    /// Who works on the fault at `t`: its assignee when on board, else the engineer on watch.
    fn worker(&self, s: &Story, t: DateTime<Utc>, trade: Trade) -> UserId {
        s.fault
            .assignee_id
            .filter(|w| *w != self.crew.office && self.crew.is_aboard(*w, t))
            .unwrap_or_else(|| self.crew.engineer(t, trade))
    }

    /// Tells the story of `trouble` on `item` following `plan`, up to now.
    pub(super) fn tell(&mut self, trouble: &Trouble, item: &Equipment, n: u32, reporter: Option<UserId>, plan: &Plan) {
        let now = self.now;
        let observed = now - plan.age;
        let received = (observed + plan.report_delay).min(now);
        // A named reporter reports only when on board (or from the office).
        let crew = self.crew;
        let reporter = reporter
            .filter(|r| *r == crew.office || crew.is_aboard(*r, observed))
            .unwrap_or_else(|| crew.reporter(observed, trouble.trade, &mut self.rng));
        let id = FaultId(self.id_at(observed));
        let fault = Fault::report(NewFault {
            id,
            company_id: self.company,
            vessel_id: self.vessel,
            equipment_id: item.id,
            severity: trouble.severity,
            title: self.render(trouble.title, item, n),
            description: self.render(trouble.description, item, n),
            reported_by: reporter,
            observed_at: observed,
            received_at: received,
        });
        let mut s = Story {
            fault,
            statuses: vec![(received, FaultStatus::Open)],
            assignees: vec![],
            comments: vec![],
            orders: vec![],
        };
        self.live(&mut s, trouble, item, n, plan);
        self.take_over_at_crew_change(&mut s, trouble.trade);
        self.stories.push(s);
    }

    /// Plays the plan from the report on; stops at the first step after now.
    fn live(&mut self, s: &mut Story, trouble: &Trouble, item: &Equipment, n: u32, plan: &Plan) {
        let now = self.now;
        let crew = self.crew;
        let reporter = s.fault.reported_by;
        if self.rng.random_bool(0.3) {
            let remark = self.pick(REPORT_REMARKS).to_owned();
            let at = s.fault.received_at + minutes(&mut self.rng, 2, 40);
            self.comment(s, reporter, at, remark);
        }

        let mut t = s.fault.received_at + plan.ack;
        if t > now {
            return;
        }
        let urgent = trouble.severity == Severity::Critical;
        let acknowledger = if self.rng.random_bool(if urgent { 0.6 } else { 0.2 }) {
            crew.office
        } else {
            crew.engineer(t, trouble.trade)
        };
        Self::set(s, t, |f| f.acknowledge(t));
        let worker = crew.engineer(t, trouble.trade);
        if self.rng.random_bool(0.85) {
            Self::assign(s, t, worker);
        }
        if self.rng.random_bool(0.55) {
            let remark = match self.pick(ACK_REMARKS) {
                r if r.contains("{who}") && acknowledger == worker => "Acknowledged; on it this watch.".to_owned(),
                r => r.replace("{who}", crew.first_name(worker)),
            };
            self.comment(s, acknowledger, t + Duration::minutes(1), remark);
        }

        if let Some(start) = plan.start {
            t += start;
            if t > now {
                return;
            }
            Self::set(s, t, |f| f.move_to(FaultStatus::InProgress));
            let worker = self.worker(s, t, trouble.trade);
            let looked = plan.parts.as_ref().map_or(plan.work, |p| p.after) / 2;
            if self.rng.random_bool(0.45) {
                let finding = lower_first(&self.render(trouble.root_cause, item, n));
                self.comment(s, worker, t + looked, format!("Opened up and found: {finding}"));
            }
            if let Some(p) = &plan.parts {
                match self.order_parts(s, trouble, item, t + p.after, p, worker) {
                    Some(back) if back <= now => {
                        t = back;
                        Self::set(s, t, |f| f.move_to(FaultStatus::InProgress));
                    }
                    _ => return,
                }
            }
        }

        t += plan.work;
        if t > now {
            return;
        }
        self.resolve(s, trouble, item, n, t, None);
        if let Some(r) = &plan.reopen {
            let back = t + r.after;
            if back > now {
                return self.close(s, plan);
            }
            Self::set(s, back, |f| f.reopen());
            let days = (back - t).num_days().max(1);
            self.comment(s, reporter, back, format!("Reopened: the fault came back {days} days after the repair."));
            t = back + r.ack;
            if t > now {
                return;
            }
            Self::set(s, t, |f| f.acknowledge(t));
            t += r.start;
            if t > now {
                return;
            }
            Self::set(s, t, |f| f.move_to(FaultStatus::InProgress));
            t += r.work;
            if t > now {
                return;
            }
            self.resolve(s, trouble, item, n, t, Some(days));
        }
        self.close(s, plan);
    }

    fn resolve(
        &mut self,
        s: &mut Story,
        trouble: &Trouble,
        item: &Equipment,
        n: u32,
        t: DateTime<Utc>,
        again: Option<i64>,
    ) {
        let resolver = self.worker(s, t, trouble.trade);
        let mut resolution = self.render(trouble.resolution, item, n);
        if let Some(days) = again {
            resolution.push_str(&format!(
                " The fault came back {days} days later: repeated the repair and ran 24 hours under observation with no recurrence."
            ));
        }
        let root_cause = self.render(trouble.root_cause, item, n);
        Self::set(s, t, |f| f.resolve(resolver, root_cause, resolution, t));
        if self.rng.random_bool(0.4) {
            let remark = self.pick(RESOLVE_REMARKS).to_owned();
            self.comment(s, resolver, t + Duration::minutes(3), remark);
        }
    }

    fn close(&mut self, s: &mut Story, plan: &Plan) {
        let (Some(after), Some(resolved)) = (plan.close, s.fault.resolved_at) else { return };
        let t = resolved + after;
        if t > self.now {
            return;
        }
        Self::set(s, t, |f| f.close(t));
        if self.rng.random_bool(0.5) {
            let remark = self.pick(CLOSE_REMARKS).to_owned();
            self.comment(s, self.crew.office, t, remark);
        }
    }

    /// Orders the trouble's spares at `at` and follows the orders; the fault awaits parts
    /// meanwhile. Answers when work can resume: once every line not cancelled has arrived
    /// (plus the time to pick the job up again), or at once when every line was cancelled.
    fn order_parts(
        &mut self,
        s: &mut Story,
        trouble: &Trouble,
        item: &Equipment,
        at: DateTime<Utc>,
        p: &PartsPlan,
        requester: UserId,
    ) -> Option<DateTime<Utc>> {
        let now = self.now;
        if at > now {
            return None;
        }
        Self::set(s, at, |f| f.move_to(FaultStatus::AwaitingParts));
        let lines: Vec<&Spare> = trouble.spares.iter().take(p.lines.max(1)).collect();
        let count = lines.len();
        let mut arrivals = Vec::new();
        let mut cancelled_at = None;
        for (i, spare) in lines.into_iter().enumerate() {
            let created = at + Duration::minutes(i as i64 + 1);
            let cancel_after = if i + 1 == count { p.cancel } else { None };
            let mut statuses = vec![(created, PartsOrderStatus::Requested)];
            let mut t = created;
            use PartsOrderStatus::*;
            for (k, (step, next)) in p.steps.iter().zip([Approved, Ordered, Shipped, Received]).enumerate() {
                // Lines of one order move a little apart.
                t += *step + Duration::minutes(i as i64 * 17);
                if cancel_after == Some(k) {
                    if t <= now {
                        statuses.push((t, Cancelled));
                    }
                    cancelled_at = Some(t);
                    break;
                }
                if t > now {
                    break;
                }
                statuses.push((t, next));
            }
            if cancel_after.is_none() {
                arrivals.push(t);
            }
            let supplier_minor = {
                let (lo, hi) = spare.price;
                self.rng.random_range(lo..=hi) / 10 * 10
            };
            let mut order = PartsOrder {
                id: PartsOrderId(self.id_at(created)),
                company_id: self.company,
                fault_id: s.fault.id,
                vessel_id: self.vessel,
                part_name: self.render(spare.name, item, 0),
                part_number: Some(self.part_number(spare.number)),
                quantity: spare.quantity,
                supplier: self.render(spare.supplier, item, 0),
                supplier_unit_minor: supplier_minor,
                customer_unit_minor: customer_unit_price(supplier_minor, self.markup),
                currency: spare.currency.to_owned(),
                markup_bp: self.markup.0,
                status: Requested,
                requested_by: requester,
                status_changed_at: created,
                version: 0,
                created_at: created,
                updated_at: created,
            };
            for &(t, status) in statuses.iter().skip(1) {
                order = order.advance(status, t).expect("the demo fleet's orders follow the order lifecycle");
            }
            s.orders.push(OrderStory { order, statuses });
        }

        let first = &s.orders[s.orders.len() - count].order;
        let more = if count > 1 { format!(" and {} more", count - 1) } else { String::new() };
        let body = format!(
            "No spare on board: ordered {} × {} ({}){more} from {}.",
            first.quantity,
            first.part_name,
            first.part_number.as_deref().unwrap_or("no number"),
            first.supplier
        );
        self.comment(s, requester, at + Duration::minutes(count as i64 + 2), body);
        if arrivals.is_empty() {
            let back = cancelled_at?;
            self.comment(s, requester, back, "Found a serviceable spare in the store; order cancelled.".into());
            return Some(back);
        }
        let arrived = arrivals.into_iter().max()?;
        if let Some(shipped) = s
            .orders
            .iter()
            .filter_map(|o| o.statuses.iter().find(|(_, st)| *st == PartsOrderStatus::Shipped))
            .map(|(t, _)| *t)
            .min()
            && self.rng.random_bool(0.5)
        {
            let eta = arrived.format("%-d %b");
            self.comment(s, self.crew.office, shipped, format!("Supplier confirms dispatch; due on board {eta}."));
        }
        if arrived <= now {
            self.comment(s, requester, arrived + Duration::minutes(30), "Parts received on board.".into());
        }
        Some(arrived + p.refit)
    }

    /// A fault still open at the crew change passes to whoever is on board now.
    fn take_over_at_crew_change(&mut self, s: &mut Story, trade: Trade) {
        let Some(holder) = s.fault.assignee_id else { return };
        let now = self.now;
        let change = self.crew.crew_change;
        let at = change + Duration::hours(2);
        if !s.fault.status.is_unresolved()
            || holder == self.crew.office
            || self.crew.is_aboard(holder, now)
            || at > now
            || s.assignees.last().is_some_and(|(t, _)| *t >= change)
        {
            return;
        }
        let taker = self.crew.engineer(at, trade);
        if taker == holder {
            return;
        }
        Self::assign(s, at, taker);
        let from = self.crew.first_name(holder);
        self.comment(s, taker, at + Duration::minutes(5), format!("Taken over from {from} at the crew change."));
    }

    /// Tells `count` faults drawn from the library, reported over the past six months.
    pub(super) fn tell_random(&mut self, count: usize, plans: &mut StdRng) {
        let all: &'a [Equipment] = self.items;
        let usable: Vec<&'a Equipment> = all.iter().filter(|e| e.status != EquipmentStatus::Decommissioned).collect();
        let mut candidates: Vec<(&Trouble, Vec<&Equipment>)> = TROUBLES
            .iter()
            .map(|t| (t, usable.iter().copied().filter(|e| t.fits(e)).collect::<Vec<_>>()))
            .filter(|(_, items)| !items.is_empty())
            .collect();
        // The first item of each list is the vessel's problem child for that trouble.
        for (_, items) in &mut candidates {
            items.shuffle(plans);
        }
        let total: u32 = candidates.iter().map(|(t, _)| t.weight).sum();
        if total == 0 {
            return;
        }
        for _ in 0..count {
            let age = minutes(plans, 2 * HOUR, (HISTORY_DAYS - 1) * DAY);
            let mut pick = plans.random_range(0..total);
            let Some((trouble, items)) = candidates.iter().find(|(t, _)| {
                let hit = pick < t.weight;
                pick = pick.saturating_sub(t.weight);
                hit
            }) else {
                continue;
            };
            let item = if plans.random_bool(0.5) { items[0] } else { items[plans.random_range(0..items.len())] };
            let n = plans.random_range(1..=8);
            let plan = Plan::random(plans, age, trouble.severity, trouble.spares.len());
            self.tell(trouble, item, n, None, &plan);
        }
    }

    /// Tells the scripted faults.
    pub(super) fn tell_scripts(&mut self, scripts: &[Script]) -> Result<()> {
        let all: &'a [Equipment] = self.items;
        for sc in scripts {
            let item = all
                .iter()
                .find(|e| {
                    e.name == sc.on.name
                        && sc
                            .on
                            .under
                            .is_none_or(|u| e.parent_id.and_then(|p| self.by_id.get(&p)).is_some_and(|p| p.name == u))
                })
                .ok_or_else(|| Error::Internal(format!("the demo script names missing equipment {}", sc.on.name)))?;
            self.tell(&sc.trouble, item, sc.n, sc.reporter, &sc.plan);
        }
        Ok(())
    }

    /// The handover `outgoing` would have seen at `at`: open faults (their own first), parts
    /// on order and running hours since `since`, with their notes.
    fn snapshot(
        &mut self,
        outgoing: UserId,
        since: DateTime<Utc>,
        at: DateTime<Utc>,
        readings: &[StoredReading],
    ) -> HandoverContent {
        let mut open: Vec<(&Story, FaultStatus)> = self
            .stories
            .iter()
            .filter_map(|s| s.status_at(at).filter(|st| st.is_unresolved()).map(|st| (s, st)))
            .collect();
        let mine = |s: &Story| s.fault.reported_by == outgoing || s.assignee_at(at) == Some(outgoing);
        open.sort_by_key(|(s, _)| (!mine(s), severity_rank(s.fault.severity), Reverse(s.fault.id)));
        let mut item_notes = BTreeMap::new();
        let mut faults = Vec::with_capacity(open.len());
        for (s, status) in open {
            let f = &s.fault;
            let is_mine = mine(s);
            let waiting = s.orders.iter().any(|o| o.at(at).is_some());
            let note = (is_mine && item_notes.len() < 3 && self.rng.random_bool(0.6)).then(|| {
                let pool = if waiting { WAITING_NOTES } else { ITEM_NOTES };
                let text = pool[self.rng.random_range(0..pool.len())].to_owned();
                item_notes.insert(format!("fault:{}", f.id), text.clone());
                text
            });
            faults.push(HandoverFault {
                id: f.id.0,
                title: f.title.clone(),
                severity: f.severity.as_str(),
                status: status.as_str(),
                equipment_id: f.equipment_id.0,
                equipment_name: self.by_id.get(&f.equipment_id).map(|e| e.name.clone()).unwrap_or_default(),
                reported_by: f.reported_by.0,
                assignee_id: s.assignee_at(at).map(|u| u.0),
                observed_at: f.observed_at,
                mine: is_mine,
                note,
            });
        }

        let mut on_order: Vec<(&OrderStory, DateTime<Utc>, PartsOrderStatus)> = self
            .stories
            .iter()
            .flat_map(|s| &s.orders)
            .filter_map(|o| o.at(at).map(|(t, st)| (o, t, st)))
            .filter(|(_, _, st)| !matches!(st, PartsOrderStatus::Received | PartsOrderStatus::Cancelled))
            .collect();
        on_order.sort_by_key(|(o, _, _)| Reverse(o.order.id));
        let parts_orders: Vec<HandoverPartsOrder> = on_order
            .into_iter()
            .map(|(o, changed, status)| HandoverPartsOrder {
                id: o.order.id.0,
                fault_id: o.order.fault_id.0,
                part_name: o.order.part_name.clone(),
                part_number: o.order.part_number.clone(),
                quantity: o.order.quantity,
                supplier: o.order.supplier.clone(),
                status: status.as_str(),
                status_changed_at: changed,
                note: None,
            })
            .collect();

        let mut by_item: BTreeMap<EquipmentId, Vec<MeterReading>> = BTreeMap::new();
        for r in readings.iter().filter(|r| r.reading.read_at >= since && r.reading.read_at <= at) {
            by_item.entry(r.equipment_id).or_default().push(r.reading.clone());
        }
        for rs in by_item.values_mut() {
            rs.sort_by_key(|r| r.read_at);
        }
        let mut running: Vec<RunningHoursChange> = by_item
            .into_iter()
            .filter_map(|(id, rs)| {
                let (first, last) = (rs.first()?, rs.last()?);
                Some(RunningHoursChange {
                    equipment_id: id.0,
                    equipment_name: self.by_id.get(&id).map(|e| e.name.clone()).unwrap_or_default(),
                    first_hours: first.hours,
                    first_read_at: first.read_at,
                    last_hours: last.hours,
                    last_read_at: last.read_at,
                    delta_hours: running_hours(&rs) - first.hours,
                    readings: rs.len(),
                })
            })
            .collect();
        running.sort_by(|a, b| a.equipment_name.cmp(&b.equipment_name).then(a.equipment_id.cmp(&b.equipment_id)));

        let mine_count = faults.iter().filter(|f| f.mine).count();
        let mut notes = format!(
            "{} faults open at handover, {mine_count} of them mine; {} parts orders still on their way.",
            faults.len(),
            parts_orders.len()
        );
        let mut lines = HANDOVER_LINES.to_vec();
        lines.shuffle(&mut self.rng);
        for line in lines.iter().take(2) {
            notes.push(' ');
            notes.push_str(line);
        }
        HandoverContent {
            vessel_id: self.vessel.0,
            outgoing_user_id: outgoing.0,
            since,
            assembled_at: at,
            faults,
            parts_orders,
            running_hours: running,
            notes,
            item_notes,
        }
    }

    /// The handovers of the vessel's handover line at every crew change of the history, each
    /// completed on the outgoing person's last afternoon and acknowledged by the incoming one.
    pub(super) fn handovers(&mut self, readings: &[StoredReading]) -> Vec<Handover> {
        let Some((team_a, team_b)) = self.crew.handover_line else { return Vec::new() };
        let rotation = Duration::days(ROTATION_DAYS);
        let mut changes = Vec::new();
        let mut change = self.crew.crew_change;
        while change - rotation >= self.now - Duration::days(HISTORY_DAYS) && change <= self.now {
            changes.push(change);
            change -= rotation;
        }
        changes.reverse();
        let mut since = changes.first().map(|c| *c - rotation).unwrap_or(self.now);
        let mut out = Vec::new();
        for change in changes {
            let (outgoing, incoming) = if self.crew.team_at(change - Duration::seconds(1)) == Team::A {
                (team_a, team_b)
            } else {
                (team_b, team_a)
            };
            let completed = change - Duration::hours(8);
            let acknowledged =
                (change + Duration::hours(7)).min(self.now - Duration::minutes(1)).max(completed + Duration::hours(1));
            let content = self.snapshot(outgoing, since, completed, readings);
            let snapshot = serde_json::to_string(&content).unwrap_or_default();
            out.push(Handover {
                id: HandoverId(self.id_at(completed)),
                company_id: self.company,
                vessel_id: self.vessel,
                outgoing_user_id: outgoing,
                rotation_end: (change - Duration::days(1)).date_naive(),
                snapshot,
                completed_at: completed,
                acknowledged_by: Some(incoming),
                acknowledged_at: Some(acknowledged),
                version: 0,
            });
            since = completed;
        }
        out
    }

    /// The draft notes of the person preparing the next handover: a word on their open faults
    /// and the free text so far.
    pub(super) fn draft(&mut self) -> Option<(UserId, HandoverDraft, BTreeMap<String, String>)> {
        let who = self.crew.draft?;
        let next_change = self.crew.crew_change + Duration::days(ROTATION_DAYS);
        let mut item_notes = BTreeMap::new();
        let mut mine: Vec<&Story> = self
            .stories
            .iter()
            .filter(|s| {
                s.fault.status.is_unresolved() && (s.fault.reported_by == who || s.fault.assignee_id == Some(who))
            })
            .collect();
        mine.sort_by_key(|s| (severity_rank(s.fault.severity), Reverse(s.fault.id)));
        let picks: Vec<(FaultId, bool)> = mine.iter().take(2).map(|s| (s.fault.id, !s.orders.is_empty())).collect();
        for (id, waiting) in picks {
            let text = if waiting { self.pick(WAITING_NOTES) } else { self.pick(ITEM_NOTES) };
            item_notes.insert(format!("fault:{id}"), text.to_owned());
        }
        let notes = format!(
            "Draft for the crew change on {}. Running hours read on Monday. Still to do: chase the open parts orders with the office before leaving.",
            next_change.format("%-d %B")
        );
        let text = serde_json::to_string(&item_notes).unwrap_or_else(|_| "{}".into());
        Some((who, HandoverDraft { notes, item_notes: text }, item_notes))
    }
}

/// The text with its first letter in lower case, unless it starts an acronym (`MRU`).
fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match (chars.next(), text.chars().nth(1)) {
        (Some(c), Some(next)) if !next.is_uppercase() => c.to_lowercase().chain(chars).collect(),
        _ => text.to_owned(),
    }
}

/// Writes a vessel's history in one transaction: faults in the order they were reported,
/// then comments, parts orders, handovers and the draft, each with its change-log row, and
/// one `demo.seed` audit entry with the counts.
#[allow(clippy::too_many_arguments)]
pub(super) async fn seed(
    deps: &Deps,
    actor: &Actor,
    vessel: VesselId,
    registry: &DemoRegistry,
    crew: &Crew,
    scripts: &[Script],
    random_faults: usize,
    seed: u64,
) -> Result<Counts> {
    let now = deps.clock.now();
    let company = actor.company_id;
    let mut tx = deps.store.begin(Some(company)).await?;
    let markup = tx.company_by_id(company).await?.ok_or(Error::NotFound)?.parts_markup;

    let mut c = Chronicle::new(vessel, company, now, markup, crew, &registry.items, seed);
    c.tell_scripts(scripts)?;
    let mut plans = StdRng::seed_from_u64(seed);
    c.tell_random(random_faults, &mut plans);
    c.stories.sort_by_key(|s| s.fault.id);
    let handovers = c.handovers(&registry.readings);
    let draft = c.draft();

    let change = |entity, row: Uuid, fields| vessel_change(vessel, entity, row, "insert", fields, now);
    let mut counts = Counts::default();
    for s in &mut c.stories {
        s.fault.version = tx.record_change(company, &change("fault", s.fault.id.0, fault_json(&s.fault))).await?;
        tx.insert_fault(&s.fault).await?;
        counts.faults += 1;
    }
    for s in &mut c.stories {
        s.comments.sort_by_key(|c| c.id);
        for cm in &s.comments {
            let fields = json!({
                "id": cm.id, "fault_id": cm.fault_id, "author_id": cm.author_id, "body": cm.body, "created_at": cm.created_at,
            });
            tx.record_change(company, &change("fault_comment", cm.id.0, fields)).await?;
            tx.insert_comment(cm).await?;
            counts.comments += 1;
        }
        for o in &mut s.orders {
            o.order.version =
                tx.record_change(company, &change("parts_order", o.order.id.0, order_json(&o.order))).await?;
            tx.insert_legacy_parts_order(&o.order).await?;
            counts.parts_orders += 1;
        }
    }
    for mut h in handovers {
        let mut fields = handover_json(&h);
        fields["snapshot"] = serde_json::from_str(&h.snapshot).map_err(|e| Error::Internal(e.to_string()))?;
        h.version = tx.record_change(company, &change("handover", h.id.0, fields)).await?;
        tx.insert_handover(&h).await?;
        counts.handovers += 1;
    }
    if let Some((who, d, item_notes)) = draft {
        let fields = json!({ "vessel_id": vessel, "user_id": who, "notes": d.notes, "item_notes": item_notes });
        tx.record_change(company, &change("handover_draft", who.0, fields)).await?;
        tx.save_handover_draft(company, vessel, who, &d, now).await?;
        counts.drafts += 1;
    }
    deps.audit(
        &mut tx,
        company,
        Some(actor.user_id),
        &actor.meta,
        Audit::ok("demo.seed", "vessel", vessel).after(json!({
            "faults": counts.faults, "comments": counts.comments, "parts_orders": counts.parts_orders,
            "handovers": counts.handovers, "drafts": counts.drafts,
        })),
    )
    .await?;
    tx.commit().await?;
    Ok(counts)
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeSet, HashSet};

    use bosun_domain::check_text;
    use bosun_domain::fault::{check_observed_at, check_transition, repair_seconds};
    use bosun_domain::parts::check_order_transition;
    use chrono::TimeZone;

    use super::*;
    use crate::fleet::Hull;
    use crate::{NORTHWIND_PEOPLE, harbourline_scripts, northwind_scripts, trade_of};

    const HULLS: [(&str, Hull); 3] = [
        ("Northwind Spirit", Hull::SupplyVessel),
        ("Northwind Tern", Hull::AnchorHandlingTug),
        ("Northwind Atlas", Hull::JackUp),
    ];

    struct Fleet {
        ids: HashMap<&'static str, UserId>,
        crews: Vec<Crew>,
    }

    /// Northwind's crews as the demo sets them up, at `now`.
    fn fleet(now: DateTime<Utc>) -> Fleet {
        let ids: HashMap<&'static str, UserId> = NORTHWIND_PEOPLE.iter().map(|p| (p.0, UserId::new())).collect();
        let today = now.date_naive();
        let start = today - Duration::days(i64::from(chrono::Datelike::ordinal0(&today) % 28));
        let crew_change = start.and_hms_opt(0, 0, 0).unwrap().and_utc();
        let lines = [
            ("engineer@northwind.example", "erik.dahl@northwind.example"),
            ("crew@northwind.example", "ola.hansen@northwind.example"),
            ("sven.aasen@northwind.example", "daniel.okafor@northwind.example"),
        ];
        let crews = (0..3)
            .map(|i| Crew {
                office: ids["manager@northwind.example"],
                office_name: "Maria",
                hands: NORTHWIND_PEOPLE
                    .iter()
                    .filter(|p| p.4.is_some_and(|(v, _)| v == i) && p.2 != Role::Viewer)
                    .map(|p| Hand {
                        id: ids[p.0],
                        first_name: p.1.split(' ').next().unwrap(),
                        role: p.2,
                        trade: trade_of(p.3),
                        team: p.4.unwrap().1,
                    })
                    .collect(),
                crew_change,
                handover_line: Some((ids[lines[i].0], ids[lines[i].1])),
                draft: (i == 0).then(|| ids["engineer@northwind.example"]),
            })
            .collect();
        Fleet { ids, crews }
    }

    /// A vessel's history told at `now`, with its registry and handovers.
    fn told(now: DateTime<Utc>, vessel: usize) -> (Vec<Story>, DemoRegistry, Vec<Handover>, Fleet) {
        let f = fleet(now);
        let (name, hull) = HULLS[vessel];
        let registry = hull.registry(CompanyId::new(), VesselId::new(), name, now, None);
        let id_of = |e: &str| f.ids.get(e).copied().ok_or(Error::NotFound);
        let scripts = northwind_scripts(vessel, &id_of).expect("the scripts name real troubles");
        let crew = &f.crews[vessel];
        let mut c = Chronicle::new(
            registry.items[0].vessel_id,
            registry.items[0].company_id,
            now,
            MarkupBasisPoints::DEFAULT,
            crew,
            &registry.items,
            crate::fleet::seed_of(name),
        );
        c.tell_scripts(&scripts).expect("the scripts name real equipment");
        c.tell_random(crate::RANDOM_FAULTS[vessel], &mut StdRng::seed_from_u64(crate::fleet::seed_of(name)));
        let handovers = c.handovers(&registry.readings);
        let stories = c.stories;
        (stories, registry, handovers, f)
    }

    fn nows() -> Vec<DateTime<Utc>> {
        let base = Utc.with_ymd_and_hms(2026, 3, 14, 9, 30, 0).unwrap();
        [0, 5, 13, 27, 41].iter().map(|d| base + Duration::days(*d) + Duration::minutes(*d * 37)).collect()
    }

    fn check_story(s: &Story, now: DateTime<Utc>, markup: MarkupBasisPoints) {
        let f = &s.fault;
        let title = &f.title;
        assert!(check_text("title", title, 1, 200).is_ok(), "{title}");
        assert!(!title.contains('{') && !f.description.contains('{'), "{title}: placeholders left");
        assert!(check_observed_at(f.observed_at, f.received_at).is_ok(), "{title}");
        assert!(f.observed_at <= f.received_at && f.received_at <= now && f.updated_at <= now, "{title}");
        assert_eq!(s.statuses[0], (f.received_at, FaultStatus::Open), "{title}");
        for pair in s.statuses.windows(2) {
            assert!(pair[0].0 < pair[1].0, "{title}: {pair:?}");
            assert!(check_transition(pair[0].1, pair[1].1).is_ok(), "{title}: {pair:?}");
        }
        assert_eq!(s.statuses.last().map(|x| x.1), Some(f.status), "{title}");
        let resolved = matches!(f.status, FaultStatus::Resolved | FaultStatus::Closed);
        assert_eq!(f.acknowledged_at.is_some(), f.status != FaultStatus::Open, "{title}");
        assert_eq!(f.resolved_at.is_some(), resolved, "{title}");
        assert_eq!(f.root_cause.is_some() && f.resolution.is_some() && f.resolved_by.is_some(), resolved, "{title}");
        assert_eq!(f.closed_at.is_some(), f.status == FaultStatus::Closed, "{title}");
        if let Some(r) = f.resolved_at {
            assert!(f.acknowledged_at.is_some_and(|a| a <= r), "{title}");
            assert_eq!(f.repair_seconds, Some(repair_seconds(f.observed_at, r)), "{title}");
            assert!(f.closed_at.is_none_or(|c| r <= c), "{title}");
        } else {
            assert_eq!(f.repair_seconds, None);
        }
        for c in &s.comments {
            assert!(c.created_at > f.received_at && c.created_at <= now, "{title}: {}", c.body);
            assert!(!c.body.is_empty() && !c.body.contains('{'), "{title}: {}", c.body);
        }
        let ids: HashSet<Uuid> = s.comments.iter().map(|c| c.id.0).collect();
        assert_eq!(ids.len(), s.comments.len());
        for o in &s.orders {
            let order = &o.order;
            assert_eq!(order.fault_id, f.id);
            assert!(order.created_at > f.received_at && order.status_changed_at <= now, "{title}");
            assert_eq!(order.customer_unit_minor, customer_unit_price(order.supplier_unit_minor, markup));
            assert!(!order.part_name.contains('{') && !order.supplier.contains('{'), "{}", order.part_name);
            assert_eq!(o.statuses[0], (order.created_at, PartsOrderStatus::Requested));
            for pair in o.statuses.windows(2) {
                assert!(pair[0].0 < pair[1].0 && check_order_transition(pair[0].1, pair[1].1).is_ok(), "{pair:?}");
            }
            assert_eq!(o.statuses.last().map(|x| (x.0, x.1)), Some((order.status_changed_at, order.status)));
            // Work resumes only once the parts are in (or given up).
            if resolved || f.status == FaultStatus::InProgress {
                assert!(
                    matches!(order.status, PartsOrderStatus::Received | PartsOrderStatus::Cancelled),
                    "{title}: {} while the fault is {}",
                    order.status,
                    f.status
                );
            }
        }
        if f.status == FaultStatus::AwaitingParts {
            assert!(!s.orders.is_empty(), "{title} awaits parts without an order");
        }
    }

    #[test]
    fn every_fault_keeps_the_lifecycle_and_price_rules() {
        for now in nows() {
            for vessel in 0..3 {
                let (stories, _, _, _) = told(now, vessel);
                assert!(stories.len() >= 60, "{} faults", stories.len());
                for s in &stories {
                    check_story(s, now, MarkupBasisPoints::DEFAULT);
                    assert!(now - s.fault.observed_at <= Duration::days(HISTORY_DAYS));
                }
            }
        }
    }

    #[test]
    fn the_fleet_shows_every_status_and_a_critical_fault_holding_equipment_down() {
        for now in nows() {
            let mut statuses = BTreeSet::new();
            let mut order_statuses = BTreeSet::new();
            let mut reopened = 0;
            let mut critical_open = 0;
            for vessel in 0..3 {
                let (stories, _, _, _) = told(now, vessel);
                for s in &stories {
                    statuses.insert(s.fault.status);
                    order_statuses.extend(s.orders.iter().map(|o| o.order.status));
                    if s.statuses.windows(2).any(|w| w[0].1 == FaultStatus::Resolved && w[1].1 == FaultStatus::Open)
                        && !s.fault.status.is_unresolved()
                    {
                        reopened += 1;
                    }
                    critical_open +=
                        usize::from(s.fault.severity == Severity::Critical && s.fault.status.is_unresolved());
                }
            }
            assert_eq!(statuses.len(), FaultStatus::ALL.len(), "{now}: {statuses:?}");
            assert_eq!(order_statuses.len(), PartsOrderStatus::ALL.len(), "{now}: {order_statuses:?}");
            assert!(reopened >= 2, "{now}: {reopened} reopened and resolved again");
            assert!(critical_open >= 2, "{now}");
        }
    }

    #[test]
    fn severities_and_repair_times_are_believable() {
        let now = nows()[0];
        let mut by_severity: BTreeMap<Severity, (usize, Vec<i64>)> = BTreeMap::new();
        let mut total = 0;
        for vessel in 0..3 {
            for s in told(now, vessel).0 {
                let e = by_severity.entry(s.fault.severity).or_default();
                e.0 += 1;
                e.1.extend(s.fault.repair_seconds);
                total += 1;
            }
        }
        let share = |s: Severity| by_severity.get(&s).map_or(0, |e| e.0) * 100 / total;
        let mean_hours = |s: Severity| {
            let r = &by_severity[&s].1;
            r.iter().sum::<i64>() as f64 / r.len().max(1) as f64 / 3600.0
        };
        assert!((1..=8).contains(&share(Severity::Critical)), "critical {}%", share(Severity::Critical));
        assert!(share(Severity::Medium) > share(Severity::High), "{by_severity:?}");
        assert!(mean_hours(Severity::Critical) < 24.0, "critical MTTR {} h", mean_hours(Severity::Critical));
        assert!(mean_hours(Severity::Low) > 48.0, "low MTTR {} h", mean_hours(Severity::Low));
        assert!(mean_hours(Severity::Critical) < mean_hours(Severity::High));
    }

    #[test]
    fn handovers_snapshot_what_stood_at_each_crew_change() {
        for now in nows() {
            let (stories, registry, handovers, f) = told(now, 0);
            assert!(handovers.len() >= 4, "{now}: {} handovers", handovers.len());
            let line = f.crews[0].handover_line.unwrap();
            let mut since = None;
            for h in &handovers {
                assert!(h.completed_at < h.acknowledged_at.unwrap() && h.acknowledged_at.unwrap() <= now);
                let (a, b) = (h.outgoing_user_id, h.acknowledged_by.unwrap());
                assert!(a != b && [line.0, line.1].contains(&a) && [line.0, line.1].contains(&b));
                let snap: serde_json::Value = serde_json::from_str(&h.snapshot).unwrap();
                if let Some(s) = since {
                    assert_eq!(snap["since"], serde_json::to_value(s).unwrap());
                }
                since = Some(h.completed_at);
                assert!(!snap["running_hours"].as_array().unwrap().is_empty(), "{snap}");
                for fault in snap["faults"].as_array().unwrap() {
                    let story = stories.iter().find(|s| s.fault.id.0.to_string() == fault["id"]).unwrap();
                    assert_eq!(story.status_at(h.completed_at).map(|s| s.as_str()), fault["status"].as_str());
                    assert!(story.status_at(h.completed_at).unwrap().is_unresolved());
                }
                for key in snap["item_notes"].as_object().unwrap().keys() {
                    assert!(key.starts_with("fault:"));
                }
            }
            // The latest is from the last crew change, taken over by whoever is on board now.
            let last = handovers.last().unwrap();
            assert!(now - last.completed_at < Duration::days(ROTATION_DAYS));
            assert_eq!(last.acknowledged_by, Some(line.0));
            if now - f.crews[0].crew_change > Duration::days(2) {
                assert!(registry.readings.iter().any(|r| r.reading.read_at > last.completed_at), "{now}");
            }
        }
    }

    #[test]
    fn the_same_day_tells_the_same_history() {
        let now = nows()[2];
        let summary = |v| {
            told(now, v)
                .0
                .iter()
                .map(|s| (s.fault.title.clone(), s.fault.status, s.fault.observed_at))
                .collect::<Vec<_>>()
        };
        for v in 0..3 {
            assert_eq!(summary(v), summary(v));
        }
    }

    #[test]
    fn the_yacht_has_a_handful_of_faults() {
        let now = nows()[1];
        let registry = Hull::Yacht.registry(CompanyId::new(), VesselId::new(), "Harbourline Aurora", now, None);
        let (jo, sam) = (UserId::new(), UserId::new());
        let crew = Crew {
            office: sam,
            office_name: "Sam",
            hands: vec![Hand {
                id: jo,
                first_name: "Jo",
                role: Role::Engineer,
                trade: Trade::Mechanical,
                team: Team::Always,
            }],
            crew_change: now - Duration::days(3),
            handover_line: None,
            draft: None,
        };
        let mut c = Chronicle::new(
            VesselId::new(),
            CompanyId::new(),
            now,
            MarkupBasisPoints::DEFAULT,
            &crew,
            &registry.items,
            7,
        );
        c.tell_scripts(&harbourline_scripts(jo, sam).unwrap()).unwrap();
        assert_eq!(c.stories.len(), 6);
        for s in &c.stories {
            check_story(s, now, MarkupBasisPoints::DEFAULT);
        }
        assert!(c.handovers(&registry.readings).is_empty());
    }
}
