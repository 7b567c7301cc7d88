//! Procedures: checklists of typed steps, kept as reusable templates and copied onto work
//! orders, and the evaluation of an answer to a step.
//!
//! A step is one of pass/fail, a number with limits and a unit, a meter reading, text, a
//! choice among options, a photo or a signature. An answer is evaluated against its step into
//! an [`Outcome`]; a step may carry a [`FollowUpRule`] that fires on a failed outcome (a failed
//! check, a number outside its limits, a choice marked as failing) and asks for a fault or a
//! follow-up work order. Answers are insert-only rows: answering a step again adds a result,
//! and the latest one counts ([`current_results`]), so two devices never conflict.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::equipment::text_enum;
use crate::fault::Severity;
use crate::work_order::Priority;
use crate::{AttachmentId, StepId, StepResultId, Violation, check_text};

/// The most steps one procedure holds.
pub const MAX_STEPS: usize = 200;

/// The most options a choice step offers.
pub const MAX_OPTIONS: usize = 20;

text_enum!(
    /// The kind of answer a step asks for (its stored and wire name).
    StepKind, "kind", {
        /// Pass or fail.
        PassFail => "pass_fail",
        /// A measured number, with optional limits and a unit.
        Number => "number",
        /// A reading of the item's running-hour meter.
        MeterReading => "meter_reading",
        /// Free text.
        Text => "text",
        /// One of a list of options.
        Choice => "choice",
        /// A photo.
        Photo => "photo",
        /// A signature (a name and a drawn image).
        Signature => "signature",
    }
);

/// Inclusive limits of a number step; either side may be open.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    /// The lowest acceptable value, if any.
    pub min: Option<f64>,
    /// The highest acceptable value, if any.
    pub max: Option<f64>,
}

impl Limits {
    /// Checks the limits given for `field`: finite numbers, `min` not above `max`.
    pub fn parse(field: &str, min: Option<f64>, max: Option<f64>) -> Result<Self, Violation> {
        if min.into_iter().chain(max).any(|v| !v.is_finite()) {
            return Err(Violation::new(field, "not_a_number", "limits must be finite numbers"));
        }
        if let (Some(lo), Some(hi)) = (min, max)
            && lo > hi
        {
            return Err(Violation::new(
                field,
                "invalid_limits",
                format!("the lower limit {lo} is above the upper {hi}"),
            ));
        }
        Ok(Self { min, max })
    }

    /// Where `value` lies against the limits (both limits belong to the accepted range).
    pub fn judge(self, value: f64) -> Outcome {
        match (self.min, self.max) {
            (Some(lo), _) if value < lo => Outcome::BelowLimit,
            (_, Some(hi)) if value > hi => Outcome::AboveLimit,
            _ => Outcome::Passed,
        }
    }
}

/// One option of a choice step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChoiceOption {
    /// The text shown and stored.
    pub label: String,
    /// Choosing it fails the step ("leaking", "worn").
    pub fails: bool,
}

/// What a step asks for, with the kind's own settings.
#[derive(Debug, Clone, PartialEq)]
pub enum StepSpec {
    /// Pass or fail.
    PassFail,
    /// A measured number.
    Number {
        /// Accepted range.
        limits: Limits,
        /// Unit of measure ("bar", "°C", "mm").
        unit: String,
    },
    /// A reading of the item's running-hour meter (it also becomes a reading of the item).
    MeterReading,
    /// Free text.
    Text,
    /// One of the options.
    Choice {
        /// The options, in order, labels unique.
        options: Vec<ChoiceOption>,
    },
    /// A photo.
    Photo,
    /// A signature.
    Signature,
}

impl StepSpec {
    /// The kind of the step.
    pub fn kind(&self) -> StepKind {
        match self {
            Self::PassFail => StepKind::PassFail,
            Self::Number { .. } => StepKind::Number,
            Self::MeterReading => StepKind::MeterReading,
            Self::Text => StepKind::Text,
            Self::Choice { .. } => StepKind::Choice,
            Self::Photo => StepKind::Photo,
            Self::Signature => StepKind::Signature,
        }
    }

    /// Whether some answer to it can fail (only those steps may carry a rule).
    pub fn can_fail(&self) -> bool {
        match self {
            Self::PassFail => true,
            Self::Number { limits, .. } => limits.min.is_some() || limits.max.is_some(),
            Self::Choice { options } => options.iter().any(|o| o.fails),
            _ => false,
        }
    }
}

/// What a failed step asks for on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FollowUpRule {
    /// Report a fault on the work order's item.
    OpenFault {
        /// The fault's severity.
        severity: Severity,
    },
    /// Open a follow-up work order on the same item.
    FollowUpWorkOrder {
        /// Its priority.
        priority: Priority,
    },
}

/// One step of a procedure (or of a work order's copy of it).
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// Its id (a work order's copy gets new ids; `source_step_id` names the template's).
    pub id: StepId,
    /// What to do ("Check the lube oil pressure at idle").
    pub title: String,
    /// The kind and its settings.
    pub spec: StepSpec,
    /// Completion waits for an answer.
    pub required: bool,
    /// What a failed answer opens, if anything.
    pub rule: Option<FollowUpRule>,
}

/// A step as submitted, before it is checked.
#[derive(Debug, Clone)]
pub struct StepInput {
    /// Its id (client-made).
    pub id: StepId,
    /// Title.
    pub title: String,
    /// Kind.
    pub kind: StepKind,
    /// Lower limit (number steps).
    pub min: Option<f64>,
    /// Upper limit (number steps).
    pub max: Option<f64>,
    /// Unit (number steps).
    pub unit: Option<String>,
    /// Options (choice steps): label and whether choosing it fails the step.
    pub options: Vec<(String, bool)>,
    /// Whether an answer is required.
    pub required: bool,
    /// The follow-up rule.
    pub rule: Option<FollowUpRule>,
}

impl Step {
    /// Checks a submitted step; `field` prefixes the violations (`steps.3`).
    pub fn parse(field: &str, input: StepInput) -> Result<Self, Violation> {
        let title = check_text(&format!("{field}.title"), &input.title, 1, 500)?;
        let spec = match input.kind {
            StepKind::PassFail => StepSpec::PassFail,
            StepKind::MeterReading => StepSpec::MeterReading,
            StepKind::Text => StepSpec::Text,
            StepKind::Photo => StepSpec::Photo,
            StepKind::Signature => StepSpec::Signature,
            StepKind::Number => StepSpec::Number {
                limits: Limits::parse(&format!("{field}.limits"), input.min, input.max)?,
                unit: check_text(&format!("{field}.unit"), input.unit.as_deref().unwrap_or(""), 1, 20)?,
            },
            StepKind::Choice => {
                let f = format!("{field}.options");
                if input.options.len() < 2 || input.options.len() > MAX_OPTIONS {
                    return Err(Violation::new(f, "option_count", format!("a choice has 2 to {MAX_OPTIONS} options")));
                }
                let mut options = Vec::with_capacity(input.options.len());
                for (i, (label, fails)) in input.options.iter().enumerate() {
                    let label = check_text(&format!("{f}.{i}"), label, 1, 100)?;
                    if options.iter().any(|o: &ChoiceOption| o.label == label) {
                        return Err(Violation::new(format!("{f}.{i}"), "duplicate_option", "options must differ"));
                    }
                    options.push(ChoiceOption { label, fails: *fails });
                }
                StepSpec::Choice { options }
            }
        };
        if input.rule.is_some() && !spec.can_fail() {
            return Err(Violation::new(
                format!("{field}.rule"),
                "rule_never_fires",
                "only a pass/fail step, a number with limits or a choice with a failing option can open follow-up work",
            ));
        }
        Ok(Self { id: input.id, title, spec, required: input.required, rule: input.rule })
    }
}

/// Checks a procedure's steps: at least one, at most [`MAX_STEPS`], ids unique.
pub fn parse_steps(inputs: Vec<StepInput>) -> Result<Vec<Step>, Violation> {
    if inputs.is_empty() || inputs.len() > MAX_STEPS {
        return Err(Violation::new("steps", "step_count", format!("a procedure has 1 to {MAX_STEPS} steps")));
    }
    let mut steps: Vec<Step> = Vec::with_capacity(inputs.len());
    for (i, input) in inputs.into_iter().enumerate() {
        let step = Step::parse(&format!("steps.{i}"), input)?;
        if steps.iter().any(|s| s.id == step.id) {
            return Err(Violation::new(format!("steps.{i}.id"), "duplicate_step", "step ids must differ"));
        }
        steps.push(step);
    }
    Ok(steps)
}

/// An answer to a step, as recorded.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// Pass (`true`) or fail.
    PassFail(bool),
    /// A measured number.
    Number(f64),
    /// The meter's hours.
    MeterReading(f64),
    /// Text.
    Text(String),
    /// The chosen option's label.
    Choice(String),
    /// The photo.
    Photo(AttachmentId),
    /// A signature: the signer's name and the drawn image.
    Signature {
        /// The name as signed.
        name: String,
        /// The drawn signature image.
        image: AttachmentId,
    },
}

impl Answer {
    /// The kind of step this answers.
    pub fn kind(&self) -> StepKind {
        match self {
            Self::PassFail(_) => StepKind::PassFail,
            Self::Number(_) => StepKind::Number,
            Self::MeterReading(_) => StepKind::MeterReading,
            Self::Text(_) => StepKind::Text,
            Self::Choice(_) => StepKind::Choice,
            Self::Photo(_) => StepKind::Photo,
            Self::Signature { .. } => StepKind::Signature,
        }
    }
}

text_enum!(
    /// What an answer means for its step.
    Outcome, "outcome", {
        /// Answered, nothing wrong.
        Passed => "passed",
        /// A pass/fail step failed, or a failing option was chosen.
        Failed => "failed",
        /// A number below its lower limit.
        BelowLimit => "below_limit",
        /// A number above its upper limit.
        AboveLimit => "above_limit",
        /// Recorded (text, photo, signature, meter reading): nothing to judge.
        Recorded => "recorded",
    }
);

impl Outcome {
    /// Whether the answer failed the step (and so may fire its rule).
    pub fn is_failure(self) -> bool {
        matches!(self, Self::Failed | Self::BelowLimit | Self::AboveLimit)
    }
}

/// An answer judged against its step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Evaluation {
    /// The outcome.
    pub outcome: Outcome,
    /// The follow-up the step's rule asks for, when the answer failed the step.
    pub fires: Option<FollowUpRule>,
}

/// Judges `answer` against `step`: refuses an answer of another kind, a number that is not
/// finite, an empty text, a choice that is not an option.
pub fn evaluate(step: &Step, answer: &Answer) -> Result<Evaluation, Violation> {
    if answer.kind() != step.spec.kind() {
        return Err(Violation::new(
            "answer",
            "wrong_kind",
            format!("the step asks for {}, not {}", step.spec.kind(), answer.kind()),
        ));
    }
    let outcome = match (&step.spec, answer) {
        (StepSpec::PassFail, Answer::PassFail(ok)) => {
            if *ok {
                Outcome::Passed
            } else {
                Outcome::Failed
            }
        }
        (StepSpec::Number { limits, .. }, Answer::Number(v)) => {
            if !v.is_finite() {
                return Err(Violation::new("answer", "not_a_number", "must be a finite number"));
            }
            limits.judge(*v)
        }
        (StepSpec::MeterReading, Answer::MeterReading(h)) => {
            if !h.is_finite() || *h < 0.0 {
                return Err(Violation::new("answer", "invalid_reading", "running hours are zero or more"));
            }
            Outcome::Recorded
        }
        (StepSpec::Text, Answer::Text(t)) => {
            check_text("answer", t, 1, 4000)?;
            Outcome::Recorded
        }
        (StepSpec::Choice { options }, Answer::Choice(label)) => match options.iter().find(|o| o.label == *label) {
            Some(o) if o.fails => Outcome::Failed,
            Some(_) => Outcome::Passed,
            None => return Err(Violation::new("answer", "unknown_option", "must be one of the step's options")),
        },
        (StepSpec::Signature, Answer::Signature { name, .. }) => {
            check_text("answer.name", name, 1, 200)?;
            Outcome::Recorded
        }
        (StepSpec::Photo, Answer::Photo(_)) => Outcome::Recorded,
        _ => return Err(Violation::new("answer", "wrong_kind", "the answer does not fit the step")),
    };
    Ok(Evaluation { outcome, fires: step.rule.filter(|_| outcome.is_failure()) })
}

/// One recorded answer (an insert-only row).
#[derive(Debug, Clone, PartialEq)]
pub struct StepResult {
    /// Its id (client-made, UUIDv7: later ids sort later).
    pub id: StepResultId,
    /// The step answered.
    pub step_id: StepId,
    /// The answer.
    pub answer: Answer,
    /// Its outcome, judged when recorded.
    pub outcome: Outcome,
    /// When the person recorded it (device time).
    pub recorded_at: DateTime<Utc>,
}

/// The answer that counts for each step: the latest recorded, ties broken by id (both devices
/// see the same rows, so both pick the same one).
pub fn current_results(results: &[StepResult]) -> HashMap<StepId, &StepResult> {
    let mut current: HashMap<StepId, &StepResult> = HashMap::new();
    for r in results {
        let entry = current.entry(r.step_id).or_insert(r);
        if (r.recorded_at, r.id) > (entry.recorded_at, entry.id) {
            *entry = r;
        }
    }
    current
}

/// The required steps that have no answer yet, in procedure order.
pub fn unanswered_required<'a>(steps: &'a [Step], results: &[StepResult]) -> Vec<&'a Step> {
    let current = current_results(results);
    steps.iter().filter(|s| s.required && !current.contains_key(&s.id)).collect()
}

// The wire and stored form of steps and answers: flat JSON objects whose numbers are exact
// decimal text (`"2.5"`), so no client or checksum handles floats.

/// A decimal number as text (`"-2.5"`, at most 12 digits before the point and 6 after).
pub fn parse_decimal(field: &str, text: &str) -> Result<f64, Violation> {
    let t = text.trim();
    let digits = t.strip_prefix('-').unwrap_or(t);
    let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let ok = !whole.is_empty()
        && whole.len() <= 12
        && frac.len() <= 6
        && whole.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
        && (frac.is_empty() != digits.contains('.'));
    if !ok {
        return Err(Violation::new(field, "invalid_number", "must be a decimal number such as 12.5"));
    }
    t.parse().map_err(|_| Violation::new(field, "invalid_number", "must be a decimal number such as 12.5"))
}

/// A number as decimal text (the shortest that reads back as the same number).
pub fn decimal_text(v: f64) -> String {
    format!("{v}")
}

/// One option of a choice step, as stored and sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OptionWire {
    /// The text shown and stored.
    pub label: String,
    /// Choosing it fails the step.
    #[serde(default)]
    pub fails: bool,
}

/// A follow-up rule, as stored and sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RuleWire {
    /// Report a fault of this severity.
    OpenFault {
        /// `low`, `medium`, `high` or `critical`.
        severity: String,
    },
    /// Open a follow-up work order of this priority.
    FollowUpWorkOrder {
        /// `low`, `normal`, `high` or `urgent`.
        priority: String,
    },
}

/// A step as stored and sent: one flat object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepWire {
    /// Its id (client-made).
    pub id: StepId,
    /// What to do.
    pub title: String,
    /// `pass_fail`, `number`, `meter_reading`, `text`, `choice`, `photo` or `signature`.
    pub kind: String,
    /// Completion waits for an answer.
    #[serde(default)]
    pub required: bool,
    /// Lower limit of a number step, decimal text.
    #[serde(default)]
    pub min: Option<String>,
    /// Upper limit of a number step, decimal text.
    #[serde(default)]
    pub max: Option<String>,
    /// Unit of a number step.
    #[serde(default)]
    pub unit: Option<String>,
    /// Options of a choice step.
    #[serde(default)]
    pub options: Vec<OptionWire>,
    /// What a failed answer opens.
    #[serde(default)]
    pub rule: Option<RuleWire>,
}

impl StepWire {
    /// The wire form of a step.
    pub fn of(step: &Step) -> Self {
        let (min, max, unit, options) = match &step.spec {
            StepSpec::Number { limits, unit } => {
                (limits.min.map(decimal_text), limits.max.map(decimal_text), Some(unit.clone()), Vec::new())
            }
            StepSpec::Choice { options } => (
                None,
                None,
                None,
                options.iter().map(|o| OptionWire { label: o.label.clone(), fails: o.fails }).collect(),
            ),
            _ => (None, None, None, Vec::new()),
        };
        let rule = step.rule.map(|r| match r {
            FollowUpRule::OpenFault { severity } => RuleWire::OpenFault { severity: severity.as_str().into() },
            FollowUpRule::FollowUpWorkOrder { priority } => {
                RuleWire::FollowUpWorkOrder { priority: priority.as_str().into() }
            }
        });
        Self {
            id: step.id,
            title: step.title.clone(),
            kind: step.spec.kind().as_str().into(),
            required: step.required,
            min,
            max,
            unit,
            options,
            rule,
        }
    }

    /// Checks the step it describes; `field` prefixes the violations (`steps.3`).
    pub fn parse(self, field: &str) -> Result<Step, Violation> {
        let kind: StepKind =
            self.kind.parse().map_err(|v: Violation| Violation { field: format!("{field}.kind"), ..v })?;
        // Limits and option labels are read whatever the kind, so a malformed one is refused
        // even where the kind does not use it.
        let number =
            |name: &str, t: Option<String>| t.map(|t| parse_decimal(&format!("{field}.{name}"), &t)).transpose();
        for (i, o) in self.options.iter().enumerate() {
            check_text(&format!("{field}.options.{i}"), &o.label, 1, 100)?;
        }
        let rule = match self.rule {
            None => None,
            Some(RuleWire::OpenFault { severity }) => Some(FollowUpRule::OpenFault {
                severity: severity.parse().map_err(|v: Violation| Violation { field: format!("{field}.rule"), ..v })?,
            }),
            Some(RuleWire::FollowUpWorkOrder { priority }) => Some(FollowUpRule::FollowUpWorkOrder {
                priority: priority.parse().map_err(|v: Violation| Violation { field: format!("{field}.rule"), ..v })?,
            }),
        };
        Step::parse(
            field,
            StepInput {
                id: self.id,
                title: self.title,
                kind,
                min: number("min", self.min)?,
                max: number("max", self.max)?,
                unit: self.unit,
                options: self.options.into_iter().map(|o| (o.label, o.fails)).collect(),
                required: self.required,
                rule,
            },
        )
    }
}

/// Checks a work order's steps (none is fine: not every job has a checklist): at most
/// [`MAX_STEPS`], ids unique.
pub fn parse_wire_steps(steps: Vec<StepWire>) -> Result<Vec<Step>, Violation> {
    if steps.len() > MAX_STEPS {
        return Err(Violation::new("steps", "step_count", format!("at most {MAX_STEPS} steps")));
    }
    let mut out: Vec<Step> = Vec::with_capacity(steps.len());
    for (i, w) in steps.into_iter().enumerate() {
        let step = w.parse(&format!("steps.{i}"))?;
        if out.iter().any(|s| s.id == step.id) {
            return Err(Violation::new(format!("steps.{i}.id"), "duplicate_step", "step ids must differ"));
        }
        out.push(step);
    }
    Ok(out)
}

/// An answer as stored and sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AnswerWire {
    /// Pass or fail.
    PassFail {
        /// Passed.
        passed: bool,
    },
    /// A measured number, decimal text.
    Number {
        /// The value.
        value: String,
    },
    /// The meter's hours, decimal text.
    MeterReading {
        /// Hours.
        hours: String,
    },
    /// Text.
    Text {
        /// The text.
        text: String,
    },
    /// The chosen option.
    Choice {
        /// Its label.
        label: String,
    },
    /// A photo.
    Photo {
        /// The attachment.
        attachment_id: AttachmentId,
    },
    /// A signature.
    Signature {
        /// The name as signed.
        name: String,
        /// The drawn image (an attachment).
        image_id: AttachmentId,
    },
}

impl AnswerWire {
    /// The wire form of an answer.
    pub fn of(a: &Answer) -> Self {
        match a {
            Answer::PassFail(passed) => Self::PassFail { passed: *passed },
            Answer::Number(v) => Self::Number { value: decimal_text(*v) },
            Answer::MeterReading(h) => Self::MeterReading { hours: decimal_text(*h) },
            Answer::Text(text) => Self::Text { text: text.clone() },
            Answer::Choice(label) => Self::Choice { label: label.clone() },
            Answer::Photo(attachment_id) => Self::Photo { attachment_id: *attachment_id },
            Answer::Signature { name, image } => Self::Signature { name: name.clone(), image_id: *image },
        }
    }

    /// The answer it describes (numbers read from their text).
    pub fn parse(self) -> Result<Answer, Violation> {
        Ok(match self {
            Self::PassFail { passed } => Answer::PassFail(passed),
            Self::Number { value } => Answer::Number(parse_decimal("answer.value", &value)?),
            Self::MeterReading { hours } => Answer::MeterReading(parse_decimal("answer.hours", &hours)?),
            Self::Text { text } => Answer::Text(text),
            Self::Choice { label } => Answer::Choice(label),
            Self::Photo { attachment_id } => Answer::Photo(attachment_id),
            Self::Signature { name, image_id } => Answer::Signature { name, image: image_id },
        })
    }

    /// The photo or signature image it names, if any.
    pub fn attachment(&self) -> Option<AttachmentId> {
        match self {
            Self::Photo { attachment_id } => Some(*attachment_id),
            Self::Signature { image_id, .. } => Some(*image_id),
            _ => None,
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    #[test]
    fn steps_and_answers_read_back_from_their_wire_form() {
        let steps = vec![
            Step::parse(
                "s",
                StepInput { min: Some(2.5), max: Some(6.0), unit: Some("bar".into()), ..input(StepKind::Number) },
            )
            .unwrap(),
            Step::parse(
                "s",
                StepInput {
                    options: vec![("Dry".into(), false), ("Leaking".into(), true)],
                    rule: Some(FollowUpRule::OpenFault { severity: Severity::High }),
                    ..input(StepKind::Choice)
                },
            )
            .unwrap(),
            Step::parse("s", input(StepKind::Signature)).unwrap(),
        ];
        for step in &steps {
            assert_eq!(StepWire::of(step).parse("s").as_ref(), Ok(step));
        }
        assert_eq!(StepWire::of(&steps[0]).min.as_deref(), Some("2.5"));
        for a in [
            Answer::Number(-0.125),
            Answer::MeterReading(1234.5),
            Answer::PassFail(false),
            Answer::Choice("Dry".into()),
        ] {
            assert_eq!(AnswerWire::of(&a).parse(), Ok(a));
        }
        for bad in ["1e3", "", "-", "1.", ".5", "1.1234567", "1234567890123", "NaN", "inf"] {
            assert!(parse_decimal("v", bad).is_err(), "{bad:?}");
        }
        assert_eq!(parse_decimal("v", " -12.25 "), Ok(-12.25));
        // A blank or malformed limit is refused, even on a step that has no use for it.
        let mut text = StepWire::of(&Step::parse("s", input(StepKind::Text)).unwrap());
        text.min = Some(String::new());
        assert_eq!(text.clone().parse("s").unwrap_err().code, "invalid_number");
        text.min = None;
        text.options = vec![OptionWire { label: " ".into(), fails: false }];
        assert_eq!(text.parse("s").unwrap_err().code, "too_short");
    }

    /// A required step of `kind` with nothing else set, for tests to adjust.
    pub(crate) fn input(kind: StepKind) -> StepInput {
        StepInput {
            id: StepId::new(),
            title: "Check it".into(),
            kind,
            min: None,
            max: None,
            unit: None,
            options: vec![],
            required: true,
            rule: None,
        }
    }

    fn number(min: Option<f64>, max: Option<f64>) -> Step {
        let rule = Some(FollowUpRule::OpenFault { severity: Severity::High });
        Step::parse("steps.0", StepInput { min, max, unit: Some("bar".into()), rule, ..input(StepKind::Number) })
            .unwrap()
    }

    #[test]
    fn a_number_on_its_limits_passes_and_outside_fires_the_rule() {
        let step = number(Some(3.5), Some(5.0));
        for (v, o) in [
            (3.5, Outcome::Passed),
            (5.0, Outcome::Passed),
            (4.2, Outcome::Passed),
            (3.49, Outcome::BelowLimit),
            (5.01, Outcome::AboveLimit),
        ] {
            let e = evaluate(&step, &Answer::Number(v)).unwrap();
            assert_eq!(e.outcome, o, "{v}");
            assert_eq!(e.fires.is_some(), o.is_failure(), "{v}");
        }
        assert_eq!(evaluate(&step, &Answer::Number(f64::NAN)).unwrap_err().code, "not_a_number");
    }

    #[test]
    fn one_sided_and_negative_limits_are_judged() {
        let step = number(None, Some(-10.0));
        assert_eq!(evaluate(&step, &Answer::Number(-12.0)).unwrap().outcome, Outcome::Passed);
        assert_eq!(evaluate(&step, &Answer::Number(-9.9)).unwrap().outcome, Outcome::AboveLimit);
        let equal = number(Some(2.0), Some(2.0));
        assert_eq!(evaluate(&equal, &Answer::Number(2.0)).unwrap().outcome, Outcome::Passed);
    }

    #[test]
    fn limits_must_be_ordered_and_finite() {
        assert_eq!(Limits::parse("l", Some(5.0), Some(3.0)).unwrap_err().code, "invalid_limits");
        assert_eq!(Limits::parse("l", Some(f64::INFINITY), None).unwrap_err().code, "not_a_number");
        assert!(Limits::parse("l", None, None).is_ok());
    }

    #[test]
    fn a_rule_only_sits_on_a_step_that_can_fail() {
        let rule = Some(FollowUpRule::FollowUpWorkOrder { priority: Priority::High });
        let text = Step::parse("s", StepInput { rule, ..input(StepKind::Text) });
        assert_eq!(text.unwrap_err().code, "rule_never_fires");
        let unlimited = Step::parse("s", StepInput { rule, unit: Some("mm".into()), ..input(StepKind::Number) });
        assert_eq!(unlimited.unwrap_err().code, "rule_never_fires");
        assert!(Step::parse("s", StepInput { rule, ..input(StepKind::PassFail) }).is_ok());
    }

    #[test]
    fn a_failed_check_fires_its_rule_and_a_pass_does_not() {
        let rule = FollowUpRule::FollowUpWorkOrder { priority: Priority::Normal };
        let step = Step::parse("s", StepInput { rule: Some(rule), ..input(StepKind::PassFail) }).unwrap();
        assert_eq!(evaluate(&step, &Answer::PassFail(false)).unwrap().fires, Some(rule));
        assert_eq!(evaluate(&step, &Answer::PassFail(true)).unwrap().fires, None);
    }

    #[test]
    fn choices_are_unique_and_a_failing_option_fails() {
        let options = vec![("Dry".to_owned(), false), ("Leaking".to_owned(), true)];
        let step = Step::parse("s", StepInput { options, ..input(StepKind::Choice) }).unwrap();
        assert_eq!(evaluate(&step, &Answer::Choice("Leaking".into())).unwrap().outcome, Outcome::Failed);
        assert_eq!(evaluate(&step, &Answer::Choice("Dry".into())).unwrap().outcome, Outcome::Passed);
        assert_eq!(evaluate(&step, &Answer::Choice("Wet".into())).unwrap_err().code, "unknown_option");
        let dup = vec![("Dry".to_owned(), false), (" Dry ".to_owned(), true)];
        assert_eq!(
            Step::parse("s", StepInput { options: dup, ..input(StepKind::Choice) }).unwrap_err().code,
            "duplicate_option"
        );
        let one = vec![("Dry".to_owned(), false)];
        assert_eq!(
            Step::parse("s", StepInput { options: one, ..input(StepKind::Choice) }).unwrap_err().code,
            "option_count"
        );
    }

    #[test]
    fn an_answer_of_another_kind_is_refused() {
        let step = Step::parse("s", input(StepKind::Photo)).unwrap();
        assert_eq!(evaluate(&step, &Answer::Text("x".into())).unwrap_err().code, "wrong_kind");
        assert_eq!(evaluate(&step, &Answer::Photo(AttachmentId::new())).unwrap().outcome, Outcome::Recorded);
        let reading = Step::parse("s", input(StepKind::MeterReading)).unwrap();
        assert_eq!(evaluate(&reading, &Answer::MeterReading(-1.0)).unwrap_err().code, "invalid_reading");
        let sign = Step::parse("s", input(StepKind::Signature)).unwrap();
        let blank = Answer::Signature { name: "  ".into(), image: AttachmentId::new() };
        assert_eq!(evaluate(&sign, &blank).unwrap_err().code, "too_short");
    }

    #[test]
    fn a_procedure_has_steps_with_distinct_ids() {
        assert_eq!(parse_steps(vec![]).unwrap_err().code, "step_count");
        let a = input(StepKind::PassFail);
        let b = StepInput { id: a.id, ..input(StepKind::Text) };
        assert_eq!(parse_steps(vec![a, b]).unwrap_err().field, "steps.1.id");
        let number_without_unit = input(StepKind::Number);
        assert_eq!(parse_steps(vec![number_without_unit]).unwrap_err().field, "steps.0.unit");
    }

    #[test]
    fn the_latest_answer_counts_and_required_steps_wait_for_one() {
        let t = DateTime::parse_from_rfc3339("2026-03-01T10:00:00Z").unwrap().with_timezone(&Utc);
        let steps = parse_steps(vec![input(StepKind::PassFail), input(StepKind::Text)]).unwrap();
        let result = |answer: Answer, outcome, minutes| StepResult {
            id: StepResultId::new(),
            step_id: steps[0].id,
            answer,
            outcome,
            recorded_at: t + chrono::Duration::minutes(minutes),
        };
        // The retake was recorded later on the device, though it reached the server first.
        let results =
            [result(Answer::PassFail(true), Outcome::Passed, 5), result(Answer::PassFail(false), Outcome::Failed, 0)];
        assert_eq!(current_results(&results)[&steps[0].id].outcome, Outcome::Passed);
        let open: Vec<StepId> = unanswered_required(&steps, &results).iter().map(|s| s.id).collect();
        assert_eq!(open, [steps[1].id]);
    }
}
