//! CPH006: discrete windows per Licensor–title–Territory–license kind.

use std::hash::BuildHasher;

use chrono::{DateTime, Utc};
use rustc_hash::{FxBuildHasher, FxHashSet};

use super::{Context, End, RowClass, RowFacts, Rule, RuleInput};
use crate::model::time;
use crate::model::{Avail, Diagnostic, Field};

super::declare_rule! {
    /// ## What it does
    /// Groups the rows of each checked file (all its sheets: one delivery)
    /// by Licensor (`DisplayName`), title (ALID; AltID on 1.6), territory,
    /// license kind and FormatProfile, and reports windows that duplicate or
    /// overlap an earlier one of the group. Files are separate deliveries:
    /// two monthly files in one folder are not compared with each other. CPH and Licensed SVOD are different license kinds (CPH005
    /// compares those); other rows use their LicenseType. Rows that differ
    /// only in FormatProfile are separate offers (EMA's one-row-per-format
    /// rule), so FormatProfile is part of the key. Open Ends run forever.
    /// Sorting per group; no pairwise scan.
    ///
    /// ## Why is this bad?
    /// Amazon: "We don't accept duplicate or overlapping windows for the same
    /// Licensor-ALID-Territory-LicenseType. Please send discrete windows for
    /// all avails submitted."
    ///
    /// ## Example
    /// Same Licensor, ALID, territory and FormatProfile, both CPH:
    /// ```text
    /// row 4: Start = 2027-01-01   End = 2027-06-30
    /// row 5: Start = 2027-06-01   End = 2027-12-31
    /// ```
    /// Fixed:
    /// ```text
    /// row 4: Start = 2027-01-01   End = 2027-05-31
    /// row 5: Start = 2027-06-01   End = 2027-12-31
    /// ```
    ///
    /// ## How to fix
    /// Merge the rows or make their windows discrete (End of one before
    /// Start of the next).
    ///
    /// ## Source
    /// Amazon Video Central "Content rights" page. Assumption: FormatProfile
    /// in the key is availcheck's reading of EMA's one-row-per-format rule.
    pub struct OverlappingWindows = ("CPH006", "overlapping-windows", Error, Cph,
        "Duplicate or overlapping windows for the same Licensor, title, territory and license kind");
}

/// (file, Licensor, title, territory, license kind, FormatProfile), borrowed
/// from the rows: windows are compared within one delivered file.
type Key<'a> = (usize, &'a str, &'a str, &'a str, &'a str, &'a str);

/// (file, title, territory, Licensed SVOD): as much of a row's [`Key`] as
/// its facts give without reading cells. Equal keys have equal coarse keys
/// (of the rows compared, those of license kind `SVOD` are exactly the
/// Licensed SVOD ones: see `Settings::classify`), so only rows whose coarse
/// key occurs twice need their key and windows worked out.
type Coarse<'a> = (usize, &'a str, &'a str, bool);

struct Window<'a> {
    row: &'a Avail,
    start: DateTime<Utc>,
    end: Option<DateTime<Utc>>,
}

impl Window<'_> {
    fn span(&self) -> time::Window {
        time::Window {
            start: self.start,
            end: self.end,
        }
    }
}

impl Rule for OverlappingWindows {
    fn set_fields(&self) -> &'static [Field] {
        &[
            Field::DisplayName,
            Field::LicenseType,
            Field::FormatProfile,
            Field::Start,
            Field::End,
        ]
    }

    fn check_set(&self, input: &RuleInput<'_>, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        // One entry per row and territory: its coarse key's hash, the row
        // and its facts, title and territory.
        let rows = input.sheets.iter().map(|s| s.rows.len()).sum();
        let mut entries: Vec<(u64, &Avail, &RowFacts, &str, &str)> = Vec::with_capacity(rows);
        // Most coarse keys occur once; only hashes seen twice or more can share a key.
        let mut seen = FxHashSet::with_capacity_and_hasher(rows, FxBuildHasher);
        let mut shared = FxHashSet::default();
        for (sheet, facts) in input.with_facts() {
            for (row, facts) in sheet.rows.iter().zip(facts) {
                if facts.class == RowClass::MisplacedCph
                    || facts.start.is_none()
                    || facts.end == End::Unusable
                {
                    continue;
                }
                let Some(id) = facts.title(row) else { continue };
                let licensed = facts.class == RowClass::LicensedSvod;
                for t in facts.territories(row) {
                    let coarse: Coarse<'_> = (sheet.info.file_index, id, t, licensed);
                    let hash = FxBuildHasher.hash_one(coarse);
                    if !seen.insert(hash) {
                        shared.insert(hash);
                    }
                    entries.push((hash, row, facts, id, t));
                }
            }
        }
        let mut candidates: Vec<(u64, Key<'_>, Window<'_>)> = Vec::new();
        for &(hash, row, facts, id, t) in entries.iter().filter(|(h, ..)| shared.contains(h)) {
            // Placed in the territory's zone.
            let zone = ctx.settings.zones.of(t);
            let Some(start) = facts.start.and_then(|s| s.in_zone(zone)) else {
                continue;
            };
            let end = facts.end.in_zone(zone);
            let kind = match facts.class {
                RowClass::Cph => "SVOD (CPH)",
                _ => row.text(Field::LicenseType),
            };
            let key = (
                row.sheet.file_index,
                row.text(Field::DisplayName),
                id,
                t,
                kind,
                row.text(Field::FormatProfile),
            );
            candidates.push((hash, key, Window { row, start, end }));
        }
        // Sorted so each key's windows are adjacent and in Start order. The
        // coarse hash leads the sort, so keys are compared as strings only
        // when their hashes are equal.
        candidates.sort_unstable_by(|(ha, ka, a), (hb, kb, b)| {
            (ha, ka).cmp(&(hb, kb)).then_with(|| {
                (
                    a.start,
                    a.row.sheet.file_index,
                    a.row.sheet.sheet_index,
                    a.row.row,
                )
                    .cmp(&(
                        b.start,
                        b.row.sheet.file_index,
                        b.row.sheet.sheet_index,
                        b.row.row,
                    ))
            })
        });
        for group in candidates.chunk_by(|(_, a, _), (_, b, _)| a == b) {
            if group.len() > 1 {
                report(group, out);
            }
        }
    }
}

/// Reports each window of one key's group (sorted by Start) that
/// duplicates or overlaps an earlier one.
fn report(group: &[(u64, Key<'_>, Window<'_>)], out: &mut Vec<Diagnostic>) {
    let (_, _, title, territory, kind, _) = group[0].1;
    let windows: Vec<&Window<'_>> = group.iter().map(|(_, _, w)| w).collect();
    // The window reaching furthest so far.
    let mut reach: Option<usize> = None;
    for i in 0..windows.len() {
        if let Some(p) = reach {
            let prev = &windows[p];
            let cur = &windows[i];
            if prev.span().overlaps(&cur.span()) {
                let what = if prev.start == cur.start && prev.end == cur.end {
                    "duplicates"
                } else {
                    "overlaps"
                };
                out.push(
                    OverlappingWindows::META.at_field(
                        cur.row,
                        Field::Start,
                        format!(
                            "{kind} window for `{title}` in {territory} ({} – {}) {what} the window of {}",
                            cur.row.text(Field::Start),
                            cur.row.text(Field::End),
                            prev.row.row_location().display()
                        ),
                    )
                    .with_related("the earlier window", prev.row.location(Field::Start))
                    .with_help("send discrete windows: end one before the next starts, or merge the rows"),
                );
            }
        }
        let further = match reach {
            None => true,
            Some(p) => match (windows[p].end, windows[i].end) {
                (None, _) => false,
                (Some(_), None) => true,
                (Some(a), Some(b)) => b > a,
            },
        };
        if further {
            reach = Some(i);
        }
    }
}
