//! CPH005: no overlap with Licensed SVOD windows; licensed End one minute before.

use std::borrow::Cow;
use std::collections::hash_map::Entry;

use chrono::{DateTime, Duration, Utc};
use rustc_hash::{FxHashMap, FxHashSet};

use super::cph_licensed_gap::LicensedWindowGap;
use super::cph_licensed_unused::LicensedWindowUnused;
use super::facts::Form;
use super::{Context, End, RowClass, RowFacts, Rule, RuleInput, Stats};
use crate::model::time::{Handover, Stamp, handover, human_duration};
use crate::model::zone::Zone;
use crate::model::{Avail, Diagnostic, Field, Location};

super::declare_rule! {
    /// ## What it does
    /// For the same title (ALID; AltID on 1.6) and territory, compares each
    /// CPH window with the Licensed SVOD windows — SVOD rows without the CPH
    /// marker in any input file, and the rows of `--licensed FILE` (any
    /// supported avails file, or a CSV with columns
    /// `title_id,territory,start,end`). They overlap when the licensed End is
    /// at or after the CPH Start, or the licensed End is `Open`: reported at
    /// the CPH row's Start cell, with the licensed row's End cell as related
    /// location. A licensed End exactly one minute before the CPH Start is a
    /// continuous offer and fine; an earlier End is CPH015. Licensed windows
    /// that start after the CPH window ends are not compared. The index is a
    /// hash by (title, territory); no pairwise scan.
    ///
    /// ## Why is this bad?
    /// Amazon: "SVOD CPH avails must not conflict with any existing Licensed
    /// SVOD deal ... the End date and timestamp of the licensed SVOD titles
    /// must be one minute before the CPH SVOD Start timestamp."
    ///
    /// ## Example
    /// Same ALID and territory:
    /// ```text
    /// licensed row: LicenseType = SVOD   End = Open
    /// CPH row:      GroupIdentity = CPH  Start = 2027-01-01T00:00:00Z
    /// ```
    /// Fixed:
    /// ```text
    /// licensed row: LicenseType = SVOD   End = 2026-12-31T23:59:00Z
    /// CPH row:      GroupIdentity = CPH  Start = 2027-01-01T00:00:00Z
    /// ```
    ///
    /// ## How to fix
    /// Set the licensed End to one minute before the CPH Start (or move the
    /// CPH Start), as the message says.
    ///
    /// ## Source
    /// Amazon "Cost Per Hour SVOD" page. The one-minute rule is from Amazon's
    /// text but not confirmed by a sample file.
    pub struct LicensedWindowConflict = ("CPH005", "licensed-window-conflict", Error, Cph,
        "CPH window conflicts with a Licensed SVOD window");
}

/// A Licensed SVOD window, as much as the comparison needs.
struct Licensed<'a> {
    row: &'a Avail,
    /// Compared with a CPH window (for the summary's count).
    compared: std::cell::Cell<bool>,
    start: Option<Stamp>,
    /// `None` = open-ended (`Open` or another condition).
    end: Option<Stamp>,
    /// The End is a date without time (it means 23:59:59).
    date_only: bool,
}

/// The Licensed SVOD windows of one title and territory, in reading order.
/// Most have one, kept without a vector (an allocation per key).
struct Windows<'a> {
    first: Licensed<'a>,
    later: Vec<Licensed<'a>>,
}

impl<'a> Windows<'a> {
    fn iter(&self) -> impl Iterator<Item = &Licensed<'a>> {
        std::iter::once(&self.first).chain(&self.later)
    }
}

fn is_licensed(row: &Avail, class: RowClass, reference: bool) -> bool {
    match class {
        RowClass::LicensedSvod => true,
        // Reference files (e.g. title_id,territory,start,end CSV) may have no LicenseType.
        RowClass::Other => reference && !row.has_column(Field::LicenseType),
        _ => false,
    }
}

impl Rule for LicensedWindowConflict {
    fn set_fields(&self) -> &'static [Field] {
        &[Field::Start, Field::End, Field::TerritoryExclusion]
    }

    fn check_set(&self, input: &RuleInput<'_>, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        // Sized for a key per licensed row (and reference row): growing a
        // large map rehashes it each time.
        let rows = input.rows_of(RowClass::LicensedSvod).count()
            + input.licensed.iter().map(|s| s.rows.len()).sum::<usize>();
        let mut index: FxHashMap<(&str, Cow<'_, str>), Windows<'_>> =
            FxHashMap::with_capacity_and_hasher(rows, Default::default());
        // Worldwide (ZZ) windows are looked up only when there are some.
        let mut any_worldwide = false;
        // A previous delivery's windows count where the checked files do not
        // send the scope again (a Full Extract replaces what it sends).
        let sent: FxHashSet<ScopeKey<'_>> = if input.previous.is_empty() {
            FxHashSet::default()
        } else {
            input
                .rows()
                .filter_map(|(row, f)| Some((row, f, f.title(row)?)))
                .flat_map(|(row, f, id)| f.territories(row).map(move |t| scope_key(row, id, t)))
                .collect()
        };
        // Checked rows come with their facts; reference rows are worked out here.
        let sources = input
            .with_facts()
            .map(|(s, f)| (s, Some(f), Role::Checked))
            .chain(input.licensed.iter().map(|s| (*s, None, Role::Licensed)))
            .chain(input.previous.iter().map(|s| (*s, None, Role::Previous)));
        for (sheet, known, role) in sources {
            let reference = role == Role::Licensed;
            for (i, row) in sheet.rows.iter().enumerate() {
                let worked_out;
                let facts = match known {
                    Some(f) => &f[i],
                    None => {
                        worked_out = RowFacts::of(row, ctx.settings);
                        &worked_out
                    }
                };
                if !is_licensed(row, facts.class, role != Role::Checked) {
                    continue;
                }
                // Rows of checked files get EMA003/EMA008 for these; a
                // reference file is not checked, so say what was skipped.
                let skip = |field: Field, why: &str| {
                    LicensedWindowUnused::META
                        .at_field(row, field, format!("this Licensed SVOD window is not compared with CPH windows: {why}"))
                        .with_help("fix the reference file: title_id, territory, and a date or date-time End (or Open)")
                };
                let Some(id) = facts.title(row) else {
                    if reference {
                        out.push(skip(Field::ALID, "it has no title id"));
                    }
                    continue;
                };
                let end = match facts.end {
                    End::Open => None,
                    End::At(stamp) => Some(stamp),
                    End::Unusable => {
                        if reference {
                            let why = format!(
                                "End `{}` is not a date or date-time",
                                row.text(Field::End)
                            );
                            out.push(skip(Field::End, &why));
                        }
                        continue;
                    }
                };
                if reference && facts.territories(row).next().is_none() {
                    out.push(skip(Field::Territory, "it has no territory"));
                }
                let start = facts.start;
                for t in facts.territories(row) {
                    let key = (id, upper(t));
                    if role == Role::Previous && sent.contains(&scope_key(row, id, t)) {
                        continue;
                    }
                    any_worldwide |= key.1 == "ZZ";
                    let window = Licensed {
                        row,
                        compared: std::cell::Cell::new(false),
                        start,
                        end,
                        date_only: facts.end_form == Form::Date,
                    };
                    match index.entry(key) {
                        Entry::Vacant(e) => {
                            e.insert(Windows {
                                first: window,
                                later: Vec::new(),
                            });
                        }
                        Entry::Occupied(mut e) => e.get_mut().later.push(window),
                    }
                }
            }
        }
        if index.is_empty() {
            return;
        }
        let zones = ctx.settings.zones;
        for (row, facts) in input.rows_of(RowClass::Cph) {
            let Some(id) = facts.title(row) else { continue };
            for territory in facts.territories(row) {
                // Both windows are placed in the CPH territory's zone.
                let zone = zones.of(territory);
                let at = |s: Option<Stamp>| s.and_then(|s| s.in_zone(zone));
                let Some(cph_start) = at(facts.start) else {
                    continue;
                };
                let cph_end = facts.end.in_zone(zone);
                let cph = CphWindow {
                    row,
                    facts,
                    title: id,
                    territory,
                    zone,
                    start: cph_start,
                };
                // The territory's own windows, then worldwide (ZZ) windows
                // that do not exclude it (looked up once when it is ZZ).
                let own = index.get(&(id, upper(territory)));
                let zz = if !any_worldwide || territory == "ZZ" {
                    None
                } else {
                    index.get(&(id, Cow::Borrowed("ZZ")))
                };
                let worldwide = zz.into_iter().flat_map(Windows::iter).filter(|l| {
                    !l.row
                        .items(Field::TerritoryExclusion)
                        .any(|(_, t)| t == territory)
                });
                // Licensed windows starting after the CPH window ends do not conflict.
                let windows = own
                    .into_iter()
                    .flat_map(Windows::iter)
                    .chain(worldwide)
                    .filter(|l| cph_end.is_none_or(|ce| at(l.start).is_none_or(|ls| ls <= ce)));
                // Every overlap is reported; of the windows ending before
                // the CPH Start only the latest hands over to it.
                let mut nearest_before: Option<(&Licensed<'_>, DateTime<Utc>, Duration)> = None;
                for l in windows {
                    l.compared.set(true);
                    let end = at(l.end);
                    let g = match handover(end, cph_start) {
                        Handover::Overlap => {
                            out.push(overlap(&cph, l));
                            continue;
                        }
                        Handover::Continuous => Duration::minutes(1),
                        Handover::Gap(g) => g,
                    };
                    if nearest_before.is_none_or(|(_, _, best)| g < best) {
                        let end = end.expect("a gap has an End");
                        nearest_before = Some((l, end, g));
                    }
                }
                if let Some((l, end, g)) = nearest_before
                    && g != Duration::minutes(1)
                {
                    out.push(gap(&cph, l, end));
                }
            }
        }
        let compared = index
            .values()
            .flat_map(Windows::iter)
            .filter(|l| l.compared.get())
            .count();
        Stats::add(&ctx.stats.licensed_compared, compared);
    }
}

/// A scope (licensor, title id, territory upper-case, LicenseType), as
/// [`super::delivery::Scope`] without the copies.
type ScopeKey<'a> = (&'a str, &'a str, Cow<'a, str>, &'a str);

fn scope_key<'a>(row: &'a Avail, id: &'a str, territory: &'a str) -> ScopeKey<'a> {
    (
        row.text(Field::DisplayName),
        id,
        upper(territory),
        row.text(Field::LicenseType),
    )
}

/// Which input a window comes from.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Checked,
    Licensed,
    Previous,
}

/// A territory code compared case-insensitively (`us` is US): upper-cased,
/// borrowed when it is already.
fn upper(t: &str) -> Cow<'_, str> {
    if t.bytes().any(|b| b.is_ascii_lowercase()) {
        Cow::Owned(t.to_ascii_uppercase())
    } else {
        Cow::Borrowed(t)
    }
}

fn licensed_end_location(l: &Licensed<'_>) -> Location {
    l.row.location(Field::End)
}

/// A CPH window in one territory, as a finding describes it.
struct CphWindow<'a> {
    row: &'a Avail,
    facts: &'a RowFacts,
    title: &'a str,
    territory: &'a str,
    /// The zone the territory's dates are read in.
    zone: Zone,
    /// The Start, placed in that zone.
    start: DateTime<Utc>,
}

impl CphWindow<'_> {
    /// The licensed End that hands over to this Start, written as the
    /// licensed End is (or, when that is open, as the CPH Start is).
    fn wanted_end(&self, l: &Licensed<'_>) -> String {
        let wanted = self.start - Duration::minutes(1);
        let like = l.end.or(self.facts.start).unwrap_or(Stamp::At(self.start));
        like.write_like(wanted, self.zone)
    }
}

fn overlap(cph: &CphWindow<'_>, l: &Licensed<'_>) -> Diagnostic {
    let wanted = cph.wanted_end(l);
    let end_text = l.row.text(Field::End);
    let what = match l.end {
        None => format!("is open-ended (End `{end_text}`)"),
        Some(_) => format!("ends `{end_text}`, at or after the CPH Start"),
    };
    let where_ = licensed_end_location(l).display();
    LicensedWindowConflict::META.at_field(
        cph.row,
        Field::Start,
        format!(
            "CPH window for `{}` in {} starting `{}` overlaps a Licensed SVOD window that {what} ({where_})",
            cph.title,
            cph.territory,
            cph.row.text(Field::Start)
        ),
    )
    .with_related("Licensed SVOD window ends here", licensed_end_location(l))
    .with_help(format!("set the licensed End to {wanted} (one minute before the CPH Start)"))
}

fn gap(cph: &CphWindow<'_>, l: &Licensed<'_>, end: DateTime<Utc>) -> Diagnostic {
    let wanted = cph.wanted_end(l);
    let end_text = l.row.text(Field::End);
    let note = if l.date_only {
        " (a date-only End means 23:59:59)"
    } else {
        ""
    };
    LicensedWindowGap::META
        .at_field(
            cph.row,
            Field::Start,
            format!(
                "the Licensed SVOD window for `{}` in {} ends `{end_text}`{note}, {} before the CPH Start `{}`; the offer is not continuous",
                cph.title,
                cph.territory,
                human_duration(cph.start - end),
                cph.row.text(Field::Start),
            ),
        )
        .with_related("Licensed SVOD window ends here", licensed_end_location(l))
        .with_help(format!(
            "for a continuous offer set the licensed End to {wanted} (exactly one minute before the CPH Start)"
        ))
}
