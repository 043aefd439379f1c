//! Builds the rows of demo reports in memory: the report, its data key and sealed identity, the
//! case file (routed as intake routes, clocks as the calendar computes them, status consistent
//! with its age), conflict exclusions, timeline events, messages and deadline extensions.
//! Pure apart from the random number generators; no database access.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Days, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Asia::Ho_Chi_Minh;
use rand::distributions::{Distribution, WeightedIndex};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, RngCore};
use sea_orm::{DatabaseBackend, Statement, Value};
use serde_json::json;

use super::batch::Rows;
use super::directory::StaffRef;
use super::text;
use conduct_portal::domain::calendar::local_date;
use conduct_portal::domain::calendar::{self, DeadlineSettings, WorkingCalendar};
use conduct_portal::domain::report::ReporterIdentity;
use conduct_portal::domain::routing::{Reason, Router};
use conduct_portal::domain::status::CaseStatus;
use conduct_portal::domain::track::{self, Track};
use conduct_portal::domain::workflow::Finding;
use conduct_portal::platform::crypto::identity_context;
use conduct_portal::platform::crypto::{self, SecretKey32};
use conduct_portal::platform::evidence::text::search_text;
use conduct_portal::platform::persistence::entities::report;
use conduct_portal::public_reporting::service::{AUTO_ACK_KEY, AUTO_ACK_NAMED_KEY};

/// Reports are spread over this many days before the clock's today.
pub const SPAN_DAYS: f64 = 3.0 * 365.0;

/// The forced states come round this often, so every state has a few cases.
pub const FORCED_ROUNDS: usize = 3;

/// The first reports get these statuses and ages (days), so every state exists and the printed
/// receipt codes show a demo user different stages.
pub const FORCED: [(CaseStatus, i64); 9] = [
    (CaseStatus::Received, 1),
    (CaseStatus::Investigating, 12),
    (CaseStatus::AwaitingReporter, 20),
    (CaseStatus::Concluded, 50),
    (CaseStatus::Closed, 90),
    (CaseStatus::Accepted, 4),
    (CaseStatus::Declined, 8),
    (CaseStatus::Suspended, 40),
    (CaseStatus::Terminated, 60),
];

/// A unit reports can be about.
pub struct UnitPick {
    pub id: i32,
    pub name_vi: String,
    /// Relative share of reports.
    pub weight: u32,
}

/// A category reports can fall in.
pub struct CategoryPick {
    pub id: i32,
    pub code: String,
    pub severe: bool,
    pub weight: u32,
}

/// Relative share of reports per category code: rude behaviour and billing are common,
/// bribery and the other severe matters rare.
pub fn category_weight(code: &str) -> u32 {
    match code {
        "rude" => 240,
        "billing" => 200,
        "delay" => 130,
        "power_cut" => 100,
        "no_badge" => 70,
        "other" => 70,
        "collection" => 50,
        "harassment" => 35,
        "bribery" => 30,
        "fraud" => 25,
        "data_disclosure" => 20,
        _ => 40,
    }
}

/// Everything the generator needs, read once from the database.
pub struct Context {
    pub now: DateTime<Utc>,
    pub router: Router,
    pub calendar: WorkingCalendar,
    pub deadlines: DeadlineSettings,
    pub master_key: SecretKey32,
    pub master_key_id: String,
    /// Keys the word hashes of sealed report text (`evidence::text`).
    pub search_key: SecretKey32,
    /// The Argon2 hash every demo report shares (of a code nobody was given).
    pub shared_receipt_hash: String,
    /// (lookup, Argon2 hash) of the real receipt codes of the first reports.
    pub real_receipts: Vec<(String, String)>,
    pub units: Vec<UnitPick>,
    pub categories: Vec<CategoryPick>,
    pub staff_by_unit: HashMap<i32, Vec<StaffRef>>,
    /// Users linked to a staff member, by that member's unit: (user, staff member).
    pub users_by_unit: HashMap<i32, Vec<(i32, i32)>>,
    /// Active inspectors and team leads per team.
    pub workers: HashMap<i32, Vec<i32>>,
    /// Team leads per team.
    pub leads: HashMap<i32, Vec<i32>>,
    pub backend: DatabaseBackend,
    pub first_id: i32,
    pub total: u64,
}

/// One transaction's worth of inserts.
pub struct Chunk {
    pub reports: u64,
    pub statements: Vec<Statement>,
}

/// Produces chunks of reports in id order.
pub struct Generator {
    ctx: Context,
    rng: StdRng,
    today: NaiveDate,
    unit_index: WeightedIndex<u32>,
    category_index: WeightedIndex<u32>,
    next: u64,
}

struct Tables {
    report: Rows,
    key: Rows,
    identity: Rows,
    case: Rows,
    exclusion: Rows,
    name_key: Rows,
    event: Rows,
    message: Rows,
    extension: Rows,
    step: Rows,
}

impl Tables {
    fn new() -> Self {
        Self {
            report: Rows::new(
                "report",
                &[
                    "id",
                    "unit_id",
                    "category_id",
                    "occurred_on",
                    "occurred_time",
                    "description",
                    "staff_name",
                    "staff_number",
                    "staff_description",
                    "submission_kind",
                    "escalate_above",
                    "status",
                    "receipt_lookup",
                    "receipt_hash",
                    "received_at",
                    "updated_at",
                    "reporter_last_seen_at",
                    "sealed_text",
                    "consent_version",
                    "consented_on",
                ],
            ),
            key: Rows::new(
                "report_key",
                &["report_id", "wrapped_key", "master_key_id", "created_at"],
            ),
            identity: Rows::new("reporter_identity", &["report_id", "sealed", "created_at"]),
            case: Rows::new(
                "case_file",
                &[
                    "report_id",
                    "team_id",
                    "assignee_user_id",
                    "status",
                    "unit_id",
                    "category_id",
                    "received_at",
                    "routing_reason",
                    "second_level",
                    "named_staff_member_id",
                    "accepted_on",
                    "acceptance_due",
                    "track",
                    "verified_via",
                    "verified_at",
                    "notify_due",
                    "resolution_due",
                    "finding",
                    "conclusion_summary",
                    "closed_at",
                    "suspended_on",
                    "staff_unread",
                    "search_text",
                    "text_tokens",
                    "updated_at",
                ],
            ),
            exclusion: Rows::new("case_exclusion", &["report_id", "user_id", "reason"]),
            name_key: Rows::new("case_name_key", &["key", "report_id", "team_id"]),
            event: Rows::new(
                "case_event",
                &[
                    "report_id",
                    "kind",
                    "actor_kind",
                    "actor_user_id",
                    "visible_to_reporter",
                    "detail",
                    "created_at",
                ],
            ),
            message: Rows::new(
                "message",
                &[
                    "report_id",
                    "author_kind",
                    "author_user_id",
                    "body",
                    "internal",
                    "created_at",
                    "read_by_reporter_at",
                    "read_by_staff_at",
                    "sealed_body",
                ],
            ),
            extension: Rows::new(
                "deadline_extension",
                &["report_id", "days", "reason", "created_by", "created_at"],
            ),
            step: Rows::new(
                "procedure_step",
                &[
                    "report_id",
                    "kind",
                    "ground",
                    "scope",
                    "form",
                    "decision_number",
                    "occurred_on",
                    "created_by",
                    "created_at",
                ],
            ),
        }
    }

    fn statements(mut self, backend: DatabaseBackend) -> Vec<Statement> {
        let mut out = Vec::new();
        for rows in [
            &mut self.report,
            &mut self.key,
            &mut self.identity,
            &mut self.case,
            &mut self.exclusion,
            &mut self.name_key,
            &mut self.event,
            &mut self.message,
            &mut self.extension,
            &mut self.step,
        ] {
            out.extend(rows.take_statements(backend));
        }
        out
    }
}

/// Why a generator could not be built.
#[derive(Debug, thiserror::Error)]
#[error("demo data cannot be generated: {0}")]
pub struct GenerateError(String);

/// A timeline kept in order and never past `now`.
struct Timeline {
    now: DateTime<Utc>,
    last: DateTime<Utc>,
    report_id: i32,
    events: Vec<[Value; 7]>,
    messages: Vec<(DateTime<Utc>, [Value; 8])>,
}

impl Timeline {
    /// The time for a step planned at `planned`: after the previous one, not after now.
    fn at(&mut self, planned: DateTime<Utc>) -> DateTime<Utc> {
        let mut t = planned.max(self.last + Duration::minutes(1));
        if t > self.now {
            t = self.last + (self.now - self.last) / 2;
        }
        self.last = t;
        t
    }

    fn event(
        &mut self,
        at: DateTime<Utc>,
        kind: &str,
        actor: Option<i32>,
        reporter: bool,
        visible: bool,
        detail: Option<String>,
    ) {
        let actor_kind = if reporter {
            "reporter"
        } else if actor.is_some() {
            "staff"
        } else {
            "system"
        };
        self.events.push([
            Value::from(self.report_id),
            Value::from(kind),
            Value::from(actor_kind),
            Value::from(actor),
            Value::from(visible),
            Value::from(detail),
            Value::from(at),
        ]);
    }

    /// A message written by a staff member; nothing when nobody could have written it.
    fn staff_message(&mut self, at: DateTime<Utc>, who: Option<i32>, body: &str, internal: bool) {
        if who.is_some() {
            self.message(at, "staff", who, body, internal, Some(at));
        }
    }

    /// A message; the reporter's read marker is filled in later, once their last visit is known.
    fn message(
        &mut self,
        at: DateTime<Utc>,
        author_kind: &str,
        author: Option<i32>,
        body: &str,
        internal: bool,
        read_by_staff: Option<DateTime<Utc>>,
    ) {
        self.messages.push((
            at,
            [
                Value::from(self.report_id),
                Value::from(author_kind),
                Value::from(author),
                Value::from(body),
                Value::from(internal),
                Value::from(at),
                Value::from(None::<DateTime<Utc>>),
                Value::from(read_by_staff),
            ],
        ));
    }
}

/// A time on `day` in Hà Nội, `minutes` after midnight.
fn local_at(day: NaiveDate, minutes: u32) -> DateTime<Utc> {
    let time = NaiveTime::from_num_seconds_from_midnight_opt(minutes.min(1439) * 60, 0)
        .unwrap_or_default();
    Ho_Chi_Minh
        .from_local_datetime(&day.and_time(time))
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| Utc.from_utc_datetime(&day.and_time(time)))
}

/// Office hours: a time between 07:30 and 17:00.
fn office_time(rng: &mut StdRng, day: NaiveDate) -> DateTime<Utc> {
    local_at(day, rng.gen_range(450..1020))
}

fn add_days(day: NaiveDate, n: u64) -> NaiveDate {
    day.checked_add_days(Days::new(n)).unwrap_or(day)
}

/// The status a report of this age most likely has now.
fn status_for_age(rng: &mut StdRng, age: i64) -> CaseStatus {
    use CaseStatus::*;
    // Weights for: received, accepted, declined, investigating, awaiting, concluded, closed.
    let weights: [u32; 7] = match age {
        0..=2 => [700, 150, 30, 120, 0, 0, 0],
        3..=9 => [350, 200, 50, 300, 100, 0, 0],
        10..=44 => [30, 70, 80, 450, 150, 120, 100],
        45..=119 => [5, 15, 100, 120, 50, 160, 550],
        _ => [0, 0, 110, 10, 5, 25, 850],
    };
    let statuses = [
        Received,
        Accepted,
        Declined,
        Investigating,
        AwaitingReporter,
        Concluded,
        Closed,
    ];
    match WeightedIndex::new(weights) {
        Ok(index) => statuses[index.sample(rng)],
        Err(_) => Closed,
    }
}

fn random_lookup(rng: &mut StdRng) -> String {
    let mut bytes = [0u8; 32];
    rng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

impl Generator {
    pub fn new(ctx: Context, rng: StdRng) -> Result<Self, GenerateError> {
        let unit_index = WeightedIndex::new(ctx.units.iter().map(|u| u.weight))
            .map_err(|e| GenerateError(format!("unit weights: {e}")))?;
        let category_index = WeightedIndex::new(ctx.categories.iter().map(|c| c.weight))
            .map_err(|e| GenerateError(format!("category weights: {e}")))?;
        let today = local_date(ctx.now);
        Ok(Self {
            ctx,
            rng,
            today,
            unit_index,
            category_index,
            next: 0,
        })
    }

    /// The next `count` reports (fewer at the end), or `None` when all are made.
    pub fn next_chunk(&mut self, count: u64) -> Option<Chunk> {
        if self.next >= self.ctx.total {
            return None;
        }
        let end = (self.next + count).min(self.ctx.total);
        let mut tables = Tables::new();
        for index in self.next..end {
            self.report(index, &mut tables);
        }
        let reports = end - self.next;
        self.next = end;
        Some(Chunk {
            reports,
            statements: tables.statements(self.ctx.backend),
        })
    }

    /// When report `index` (0-based) was received and whether its status is forced.
    fn received(&mut self, index: u64) -> (DateTime<Utc>, Option<CaseStatus>) {
        let forced_total = (FORCED.len() * FORCED_ROUNDS) as u64;
        let forced = (index < forced_total).then(|| {
            let (status, age) = FORCED[index as usize % FORCED.len()];
            // Each round a little older, so the few cases of a state differ.
            let round = index as i64 / FORCED.len() as i64;
            (status, age + round * 3)
        });
        let age_days = match forced {
            Some((_, age)) => age as f64 + self.rng.gen::<f64>() * 0.5,
            None => {
                // Later ids are newer; the density grows towards today.
                let rest = self.ctx.total.saturating_sub(forced_total).max(1);
                let j = index.saturating_sub(forced_total);
                let q = ((j as f64) + self.rng.gen::<f64>()) / rest as f64;
                SPAN_DAYS * (1.0 - q).clamp(0.0, 1.0).powf(1.7)
            }
        };
        let day = self
            .today
            .checked_sub_days(Days::new(age_days.floor() as u64))
            .unwrap_or(self.today);
        // Mostly daytime; the form is open around the clock.
        let minutes = if self.rng.gen_bool(0.85) {
            self.rng.gen_range(390..1290)
        } else {
            self.rng.gen_range(0..1440)
        };
        let mut at = local_at(day, minutes) + Duration::seconds(self.rng.gen_range(0..60));
        if at > self.ctx.now - Duration::minutes(5) {
            at = self.ctx.now - Duration::minutes(self.rng.gen_range(5..180));
        }
        (at, forced.map(|(status, _)| status))
    }

    fn report(&mut self, index: u64, tables: &mut Tables) {
        let id = self.ctx.first_id + index as i32;
        let now = self.ctx.now;
        let today = self.today;
        let (received_at, forced) = self.received(index);
        let received_day = local_date(received_at);
        let age = (today - received_day).num_days();

        let unit = &self.ctx.units[self.unit_index.sample(&mut self.rng)];
        let category = &self.ctx.categories[self.category_index.sample(&mut self.rng)];

        // Who the report is about: from the directory with an employee number, a name only,
        // or nobody in particular.
        let roll: f64 = self.rng.gen();
        let colleagues = self.ctx.staff_by_unit.get(&unit.id);
        let mut named_staff: Option<&StaffRef> = None;
        let (staff_name, staff_number, phrase) = match colleagues {
            Some(list) if roll < 0.15 && !list.is_empty() => {
                let person = &list[self.rng.gen_range(0..list.len())];
                named_staff = Some(person);
                (
                    Some(person.name.clone()),
                    Some(person.number.clone()),
                    text::named_staff(&person.name),
                )
            }
            _ if roll < 0.30 => {
                let name = match colleagues {
                    Some(list) if !list.is_empty() && self.rng.gen_bool(0.5) => {
                        list[self.rng.gen_range(0..list.len())].name.clone()
                    }
                    _ => {
                        let female = self.rng.gen_bool(0.4);
                        text::full_name(&mut self.rng, female)
                    }
                };
                let phrase = text::named_staff(&name);
                (Some(name), None, phrase)
            }
            _ => (None, None, text::unnamed_staff(&mut self.rng).to_string()),
        };
        let staff_description = (staff_number.is_none() && self.rng.gen_bool(0.25))
            .then(|| text::staff_description(&mut self.rng));
        let description = text::description(&mut self.rng, &category.code, &phrase, &unit.name_vi);
        // A suspension or termination is a denunciation's step: those reports are named.
        let procedural = matches!(forced, Some(CaseStatus::Suspended | CaseStatus::Terminated));
        let named = self.rng.gen_bool(0.30) || procedural;
        let escalate = self.rng.gen_bool(0.04);
        let occurred_on = received_day
            .checked_sub_days(Days::new(
                self.rng.gen_range(0..4) * self.rng.gen_range(0..4),
            ))
            .unwrap_or(received_day);
        let occurred_time = self.rng.gen_bool(0.6).then(|| {
            format!(
                "{:02}:{:02}",
                self.rng.gen_range(7..21),
                self.rng.gen_range(0..4) * 15
            )
        });

        // Conflicts of interest and routing, exactly as intake decides them.
        let exclusions: Vec<(i32, &'static str)> = match named_staff {
            Some(person) => self
                .ctx
                .users_by_unit
                .get(&person.unit_id)
                .map(|users| {
                    users
                        .iter()
                        .map(|(user, staff)| {
                            let why = if *staff == person.id {
                                "named_person"
                            } else {
                                "same_unit"
                            };
                            (*user, why)
                        })
                        .collect()
                })
                .unwrap_or_default(),
            None => Vec::new(),
        };
        let excluded: Vec<i32> = exclusions.iter().map(|(u, _)| *u).collect();
        let (team_id, routing_reason) = self.route(unit.id, category, escalate, &excluded);
        let eligible: Vec<i32> = team_id
            .and_then(|t| self.ctx.workers.get(&t))
            .map(|w| {
                w.iter()
                    .copied()
                    .filter(|u| !excluded.contains(u))
                    .collect()
            })
            .unwrap_or_default();
        let lead: Option<i32> = team_id
            .and_then(|t| self.ctx.leads.get(&t))
            .and_then(|l| l.iter().copied().find(|u| !excluded.contains(u)))
            .or_else(|| eligible.first().copied());

        // Status and the days things happened, never after today.
        let mut status = forced.unwrap_or_else(|| status_for_age(&mut self.rng, age));
        let clamp = |day: NaiveDate| day.min(today);
        let accept_day = clamp(
            self.ctx
                .calendar
                .add_working_days(received_day, self.rng.gen_range(0..6)),
        );
        let investigate_day = clamp(add_days(accept_day, self.rng.gen_range(0..4)));
        let conclude_day = add_days(accept_day, self.rng.gen_range(7..46));
        let close_day = add_days(conclude_day, self.rng.gen_range(1..11));
        let is_forced = forced.is_some();
        if !is_forced {
            if matches!(status, CaseStatus::Concluded | CaseStatus::Closed) && conclude_day > today
            {
                status = CaseStatus::Investigating;
            }
            if status == CaseStatus::Closed && close_day > today {
                status = CaseStatus::Concluded;
            }
        }
        let conclude_day = clamp(conclude_day);
        let close_day = clamp(close_day);
        let accepted = matches!(
            status,
            CaseStatus::Accepted
                | CaseStatus::Investigating
                | CaseStatus::AwaitingReporter
                | CaseStatus::Concluded
                | CaseStatus::Closed
                | CaseStatus::Suspended
                | CaseStatus::Terminated
        );
        let investigated = accepted && status != CaseStatus::Accepted;
        let concluded = matches!(status, CaseStatus::Concluded | CaseStatus::Closed);
        let running = matches!(
            status,
            CaseStatus::Accepted | CaseStatus::Investigating | CaseStatus::AwaitingReporter
        );
        let assignee = if investigated {
            eligible.choose(&mut self.rng).copied()
        } else {
            None
        };
        let actor = assignee.or_else(|| eligible.choose(&mut self.rng).copied());

        // An extension when the 30 days ran out before the case was resolved.
        let resolve_days = u64::from(self.ctx.deadlines.resolve_days);
        let plain_due = add_days(accept_day, resolve_days);
        let finished_on = if concluded { conclude_day } else { today };
        let mut extensions: Vec<u32> = Vec::new();
        // The track (`domain::track`): an anonymous report is a tip; a named one still waiting
        // is a candidate; a named one taken further was verified first, a denunciation.
        let track = match (named, status) {
            (false, _) => Track::Tip,
            (true, CaseStatus::Received) => Track::Candidate,
            (true, _) => Track::Denunciation,
        };
        let denunciation = track.is_denunciation();
        if denunciation
            && investigated
            && finished_on > plain_due
            && lead.is_some()
            && self.rng.gen_bool(0.5)
        {
            let max = self.ctx.deadlines.max_extension_days.max(10);
            extensions.push(self.rng.gen_range(10..=max));
        }
        let mut clocks = calendar::clocks(
            &self.ctx.calendar,
            &self.ctx.deadlines,
            received_day,
            accepted.then_some(accept_day),
            &extensions,
            0,
        );
        if !denunciation {
            // No legal clock: the service targets from receipt.
            let targets = track::tip_targets(&self.ctx.calendar, &self.ctx.deadlines, received_day);
            clocks.acceptance_due = targets.review_due;
            clocks.notify_due = None;
            clocks.resolution_due = (track == Track::Tip).then_some(targets.result_due);
        }
        let verified_at = denunciation.then(|| received_at + Duration::hours(3));

        // The timeline.
        let mut timeline = Timeline {
            now,
            last: received_at,
            report_id: id,
            events: Vec::new(),
            messages: Vec::new(),
        };
        timeline.event(received_at, "received", None, false, true, None);
        timeline.message(
            received_at,
            "system",
            None,
            if named {
                AUTO_ACK_NAMED_KEY
            } else {
                AUTO_ACK_KEY
            },
            false,
            Some(received_at),
        );
        if let Some(at) = verified_at {
            let at = timeline.at(at);
            let method = json!({"method": "phone"}).to_string();
            timeline.event(at, "denouncer_verified", actor, false, true, Some(method));
            let key = "msg-denunciation-verified";
            timeline.message(at, "system", None, key, false, Some(at));
        }
        let mut closed_at = None;
        let mut suspended_on: Option<NaiveDate> = None;
        let mut finding = None;
        let mut summary = None;
        if status == CaseStatus::Declined {
            let at = timeline.at(office_time(&mut self.rng, accept_day));
            let kind = if denunciation {
                "declined"
            } else {
                "not_taken_up"
            };
            timeline.event(at, kind, actor, false, true, None);
            let reason = text::decline_reason(&mut self.rng);
            timeline.staff_message(at, actor, reason, false);
        }
        if accepted {
            let at = timeline.at(office_time(&mut self.rng, accept_day));
            let (kind, key) = if denunciation {
                ("accepted", "msg-case-accepted")
            } else {
                ("taken_up", "msg-tip-taken-up")
            };
            timeline.event(at, kind, actor, false, true, None);
            timeline.message(at, "system", None, key, false, Some(at));
        }
        if investigated {
            let at = timeline.at(office_time(&mut self.rng, investigate_day));
            timeline.event(at, "investigating", assignee, false, true, None);
            if self.rng.gen_bool(0.45) {
                let at = timeline.at(at + Duration::hours(self.rng.gen_range(2..72)));
                timeline.event(at, "note_added", assignee, false, false, None);
                let note = text::internal_note(&mut self.rng);
                timeline.staff_message(at, assignee, note, true);
            }
            if let (Some(days), Some(by)) = (extensions.first(), lead) {
                let at = timeline.at(office_time(
                    &mut self.rng,
                    clamp(add_days(accept_day, resolve_days.saturating_sub(3))),
                ));
                let reason = text::extension_reason(&mut self.rng);
                timeline.event(
                    at,
                    "extended",
                    Some(by),
                    false,
                    true,
                    Some(json!({"days": days}).to_string()),
                );
                timeline.staff_message(at, Some(by), reason, false);
                tables.extension.push([
                    Value::from(id),
                    Value::from(*days as i32),
                    Value::from(reason),
                    Value::from(by),
                    Value::from(at),
                ]);
            }
            let asked_before = status != CaseStatus::AwaitingReporter && self.rng.gen_bool(0.2);
            if asked_before {
                let at = timeline.at(at + Duration::hours(self.rng.gen_range(24..120)));
                timeline.event(at, "awaiting_reporter", assignee, false, true, None);
                let question = text::question(&mut self.rng);
                timeline.staff_message(at, assignee, question, false);
                let at = timeline.at(at + Duration::hours(self.rng.gen_range(3..96)));
                timeline.event(at, "reporter_replied", None, true, true, None);
                let answer = text::reply(&mut self.rng);
                let read = at + Duration::hours(self.rng.gen_range(1..30));
                timeline.message(at, "reporter", None, answer, false, Some(read.min(now)));
                let at = timeline.at(at + Duration::hours(self.rng.gen_range(2..48)));
                timeline.event(at, "investigating", assignee, false, true, None);
            }
            if status == CaseStatus::Investigating && self.rng.gen_bool(0.3) {
                let at = timeline.at(at + Duration::hours(self.rng.gen_range(24..240)));
                timeline.event(at, "staff_message", assignee, false, true, None);
                let update = text::staff_update(&mut self.rng);
                timeline.staff_message(at, assignee, update, false);
            }
            if status == CaseStatus::AwaitingReporter {
                let at = timeline.at(at + Duration::hours(self.rng.gen_range(24..200)));
                timeline.event(at, "awaiting_reporter", assignee, false, true, None);
                let question = text::question(&mut self.rng);
                timeline.staff_message(at, assignee, question, false);
            }
            if let (true, Some(by)) = (procedural, lead) {
                let day = clamp(add_days(investigate_day, self.rng.gen_range(3..10)));
                let at = timeline.at(office_time(&mut self.rng, day));
                let number = format!("{}/QĐ-TTr", self.rng.gen_range(10..99));
                let step =
                    |kind: &str, ground: Option<&str>, scope: Option<&str>, form: Option<&str>| {
                        [
                            Value::from(id),
                            Value::from(kind),
                            Value::from(ground),
                            Value::from(scope),
                            Value::from(form),
                            Value::from((kind != "withdrawal").then(|| number.clone())),
                            Value::from(day),
                            Value::from(by),
                            Value::from(at),
                        ]
                    };
                if status == CaseStatus::Suspended {
                    timeline.event(at, "suspended", Some(by), false, true, None);
                    timeline.message(
                        at,
                        "system",
                        None,
                        "msg-resolution-suspended",
                        false,
                        Some(at),
                    );
                    tables
                        .step
                        .push(step("suspension", Some("other_result"), None, None));
                    suspended_on = Some(day);
                } else {
                    let detail = json!({"scope": "whole"}).to_string();
                    timeline.event(
                        at,
                        "withdrawal_recorded",
                        Some(by),
                        false,
                        true,
                        Some(detail),
                    );
                    timeline.message(at, "system", None, "msg-withdrawal-whole", false, Some(at));
                    tables
                        .step
                        .push(step("withdrawal", None, Some("whole"), Some("written")));
                    let at = timeline.at(at + Duration::hours(self.rng.gen_range(24..72)));
                    timeline.event(at, "terminated", Some(by), false, true, None);
                    timeline.message(
                        at,
                        "system",
                        None,
                        "msg-resolution-terminated",
                        false,
                        Some(at),
                    );
                    tables
                        .step
                        .push(step("termination", Some("withdrawn"), None, None));
                    closed_at = Some(at);
                }
            }
            if concluded {
                let chosen = match self.rng.gen_range(0..100) {
                    0..=29 => Finding::Substantiated,
                    30..=49 => Finding::PartlySubstantiated,
                    50..=84 => Finding::Unsubstantiated,
                    _ => Finding::CannotBeVerified,
                };
                let text = text::conclusion(&mut self.rng, chosen.as_str());
                let at = timeline.at(office_time(&mut self.rng, conclude_day));
                timeline.event(
                    at,
                    "concluded",
                    assignee,
                    false,
                    true,
                    Some(json!({"finding": chosen.as_str()}).to_string()),
                );
                timeline.staff_message(at, assignee, text, false);
                finding = Some(chosen.as_str());
                summary = Some(text);
            }
            if status == CaseStatus::Closed {
                let at = timeline.at(office_time(&mut self.rng, close_day));
                timeline.event(at, "closed", lead, false, true, None);
                closed_at = Some(at);
            }
        }
        let updated_at = timeline.last;

        // The reporter looked in now and then; messages before their last visit are read.
        let last_seen = self.rng.gen_bool(0.5).then(|| {
            let span = (now - received_at).num_seconds().max(1);
            received_at + Duration::seconds(self.rng.gen_range(0..span))
        });
        let staff_unread = status == CaseStatus::Received || (running && self.rng.gen_bool(0.05));

        // The report itself.
        let (lookup, receipt_hash) = match self.ctx.real_receipts.get(index as usize) {
            Some((lookup, hash)) => (lookup.clone(), hash.clone()),
            None => (
                random_lookup(&mut self.rng),
                self.ctx.shared_receipt_hash.clone(),
            ),
        };
        let row = report::Model {
            id,
            unit_id: unit.id,
            category_id: category.id,
            occurred_on,
            occurred_time,
            description: String::new(),
            staff_name,
            staff_number,
            staff_description: None,
            submission_kind: if named { "named" } else { "anonymous" }.to_string(),
            escalate_above: escalate,
            status: status.as_str().to_string(),
            receipt_lookup: lookup,
            receipt_hash,
            received_at,
            updated_at,
            reporter_last_seen_at: last_seen,
            sealed_text: None,
            // A named denouncer consents to the notice in force when they write.
            consent_version: named
                .then(|| conduct_portal::platform::privacy::NOTICE_VERSION.to_string()),
            consented_on: named.then_some(received_day),
            channel: "web".into(),
        };
        let reference = conduct_portal::domain::case_ref::reference(id, received_day.year());
        let search = search_text(&row, &reference);

        let data_key = SecretKey32::generate();
        let free_text = conduct_portal::platform::evidence::text::ReportText {
            description,
            staff_description,
        };
        let tokens =
            conduct_portal::platform::evidence::text::tokens(&self.ctx.search_key, &free_text);
        let sealed_text = conduct_portal::platform::evidence::text::seal(&data_key, id, &free_text);
        tables.key.push([
            Value::from(id),
            Value::from(crypto::wrap_data_key(&self.ctx.master_key, id, &data_key)),
            Value::from(self.ctx.master_key_id.clone()),
            Value::from(received_at),
        ]);
        if named {
            let female = self.rng.gen_bool(0.5);
            let identity = ReporterIdentity {
                full_name: text::full_name(&mut self.rng, female),
                address: text::address(&mut self.rng, &unit.name_vi),
                phone: text::phone(&mut self.rng),
            };
            if let Ok(plain) = serde_json::to_vec(&identity) {
                tables.identity.push([
                    Value::from(id),
                    Value::from(crypto::seal(&data_key, &identity_context(id), &plain)),
                    Value::from(received_at),
                ]);
            }
        }

        tables.case.push([
            Value::from(id),
            Value::from(team_id),
            Value::from(assignee),
            Value::from(status.as_str()),
            Value::from(unit.id),
            Value::from(category.id),
            Value::from(received_at),
            Value::from(routing_reason),
            Value::from(false),
            Value::from(named_staff.map(|s| s.id)),
            Value::from(accepted.then_some(accept_day)),
            Value::from(clocks.acceptance_due),
            Value::from(track.as_str()),
            Value::from(denunciation.then_some("phone")),
            Value::from(verified_at),
            Value::from(clocks.notify_due),
            Value::from(clocks.resolution_due),
            Value::from(finding),
            Value::from(summary),
            Value::from(closed_at),
            Value::from(suspended_on),
            Value::from(staff_unread),
            Value::from(search),
            Value::from(tokens),
            Value::from(updated_at),
        ]);
        for key in conduct_portal::domain::conflict::typed_keys(
            row.staff_name.as_deref(),
            row.staff_number.as_deref(),
        ) {
            tables
                .name_key
                .push([Value::from(key), Value::from(id), Value::from(team_id)]);
        }
        tables.report.push([
            Value::from(row.id),
            Value::from(row.unit_id),
            Value::from(row.category_id),
            Value::from(row.occurred_on),
            Value::from(row.occurred_time),
            Value::from(row.description),
            Value::from(row.staff_name),
            Value::from(row.staff_number),
            Value::from(row.staff_description),
            Value::from(row.submission_kind),
            Value::from(row.escalate_above),
            Value::from(row.status),
            Value::from(row.receipt_lookup),
            Value::from(row.receipt_hash),
            Value::from(row.received_at),
            Value::from(row.updated_at),
            Value::from(row.reporter_last_seen_at),
            Value::from(sealed_text),
            Value::from(row.consent_version),
            Value::from(row.consented_on),
        ]);
        for (user, why) in exclusions {
            tables
                .exclusion
                .push([Value::from(id), Value::from(user), Value::from(why)]);
        }
        for event in timeline.events {
            tables.event.push(event);
        }
        for (at, mut message) in timeline.messages {
            // Staff and system messages the reporter has seen carry their visit as read time.
            let from_reporter =
                matches!(&message[1], Value::String(Some(kind)) if kind.as_str() == "reporter");
            if let Some(seen) = last_seen.filter(|seen| *seen >= at) {
                message[6] = Value::from(seen);
            }
            if from_reporter {
                message[6] = Value::from(at);
            }
            // Reporters' replies are sealed like a submission's (`evidence::text`).
            let sealed = match (&message[3], from_reporter) {
                (Value::String(Some(body)), true) => {
                    let sealed =
                        conduct_portal::platform::evidence::text::seal_reply(&data_key, id, body);
                    message[3] = Value::from("");
                    Some(sealed)
                }
                _ => None,
            };
            let [report, kind, author, body, internal, created, read_reporter, read_staff] =
                message;
            tables.message.push([
                report,
                kind,
                author,
                body,
                internal,
                created,
                read_reporter,
                read_staff,
                Value::from(sealed),
            ]);
        }
    }

    /// Routes like `intake::choose_team`: while every worker of the chosen team is excluded,
    /// continues above it. Returns the team and the explanation (JSON text).
    fn route(
        &self,
        unit_id: i32,
        category: &CategoryPick,
        escalate: bool,
        excluded: &[i32],
    ) -> (Option<i32>, String) {
        let severe = category.severe;
        let mut skipped: Vec<i32> = Vec::new();
        loop {
            let Some(route) =
                self.ctx
                    .router
                    .route(unit_id, category.id, severe, escalate, &skipped)
            else {
                return (
                    None,
                    json!({"kind": "none", "skipped_for_conflict": skipped, "escalate": escalate})
                        .to_string(),
                );
            };
            let workers = self
                .ctx
                .workers
                .get(&route.team_id)
                .map(Vec::as_slice)
                .unwrap_or_default();
            let eligible = workers.iter().filter(|u| !excluded.contains(u)).count();
            if !workers.is_empty() && eligible == 0 {
                skipped.push(route.team_id);
                continue;
            }
            let (kind, rule_id, at_unit) = match route.reason {
                Reason::CategoryRule { rule_id, unit_id } => {
                    ("category_rule", Some(rule_id), unit_id)
                }
                Reason::GenericRule { rule_id, unit_id } => {
                    ("generic_rule", Some(rule_id), unit_id)
                }
                Reason::UnitTeam { unit_id } => ("unit_team", None, unit_id),
            };
            return (
                Some(route.team_id),
                json!({
                    "kind": kind,
                    "rule_id": rule_id,
                    "unit_id": at_unit,
                    "category_id": category.id,
                    "team_id": route.team_id,
                    "severe": severe,
                    "escalate": escalate,
                    "start_unit_id": route.start_unit_id,
                    "skipped_for_conflict": skipped,
                })
                .to_string(),
            );
        }
    }
}
