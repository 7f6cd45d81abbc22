//! Deliveries: avails are a change to what Amazon already has. A delivery's
//! windows grouped by scope, and how a delivery changes the previous one
//! (`--previous`, `availcheck diff`).
//!
//! Amazon's Content rights page: "Full Extract means that new avail entries
//! replace all current and future avail entries within the same scope.
//! Prime Video defines scope as the unique combination of licensor, unique
//! ID, territory, and the rights model (e.g., TVOD, SVOD, etc.)".

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::facts::{End, RowFacts};
use super::profile::{RowClass, Settings};
use crate::model::zone::Zones;
use crate::model::{Avail, Field, Location};

/// A scope as Amazon defines it: licensor, title id, territory and rights
/// model (the LicenseType: Licensed SVOD and CPH SVOD share `SVOD`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Scope {
    /// DisplayName (XML: Licensor).
    pub licensor: String,
    /// ALID; AltID on 1.6.
    pub title: String,
    /// The territory, upper-case.
    pub territory: String,
    /// LicenseType.
    pub license: String,
}

impl Scope {
    /// The scope of `row` (whose title id is `title`) in `territory`.
    pub fn of(row: &Avail, title: &str, territory: &str) -> Scope {
        Scope {
            licensor: row.text(Field::DisplayName).to_string(),
            title: title.to_string(),
            territory: territory.to_ascii_uppercase(),
            license: row.text(Field::LicenseType).to_string(),
        }
    }

    /// `md:alid:x` in US (SVOD) of `acme`, for messages.
    pub fn describe(&self) -> String {
        format!(
            "`{}` in {} ({}, licensor `{}`)",
            self.title, self.territory, self.license, self.licensor
        )
    }
}

/// Which offer a window of a scope is: CPH and Licensed SVOD share the
/// SVOD scope but are different offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Offer {
    /// A CPH SVOD window.
    Cph,
    /// A Licensed SVOD window.
    LicensedSvod,
    /// Any other LicenseType's window.
    Other,
}

impl Offer {
    /// The offer of a row of `class`.
    pub fn of(class: RowClass) -> Offer {
        match class {
            RowClass::Cph => Offer::Cph,
            RowClass::LicensedSvod => Offer::LicensedSvod,
            RowClass::MisplacedCph | RowClass::Other => Offer::Other,
        }
    }

    /// `CPH`, `Licensed SVOD`, or nothing, for messages.
    pub fn describe(self) -> &'static str {
        match self {
            Offer::Cph => "CPH",
            Offer::LicensedSvod => "Licensed SVOD",
            Offer::Other => "",
        }
    }
}

/// One window of a scope, as a delivery has it.
#[derive(Debug, Clone, Serialize)]
pub struct Window {
    /// CPH, Licensed SVOD or another offer.
    pub offer: Offer,
    /// FormatProfile (one row per format).
    pub format: String,
    /// Start as an instant; `None` for a condition or a bad date.
    pub start: Option<DateTime<Utc>>,
    /// End as an instant; `None` when open-ended or not a date.
    pub end: Option<DateTime<Utc>>,
    /// The End is open (`Open` or another condition).
    pub open: bool,
    /// Start as written.
    pub start_text: String,
    /// End as written.
    pub end_text: String,
    /// The row's EntryType is Full Delete.
    pub delete: bool,
    /// Where the row is.
    pub location: Location,
    /// Where its Start cell is.
    #[serde(skip)]
    pub start_location: Location,
    /// The position of its sheet in its workbook (for ordering findings).
    #[serde(skip)]
    pub sheet_index: usize,
}

impl Window {
    /// The window of `row` in `territory` (its dates placed in the
    /// territory's zone under `zones`).
    pub fn of(row: &Avail, facts: &RowFacts, territory: &str, zones: Zones) -> Window {
        Window {
            offer: Offer::of(facts.class),
            format: row.text(Field::FormatProfile).to_string(),
            start: facts.start_in(territory, zones),
            end: facts.end_in(territory, zones),
            open: facts.end == End::Open,
            start_text: row.text(Field::Start).to_string(),
            end_text: row.text(Field::End).to_string(),
            delete: row.text(Field::EntryType) == "Full Delete",
            location: row.row_location(),
            start_location: row.location(Field::Start),
            sheet_index: row.sheet.sheet_index,
        }
    }

    /// True when the window is live at `at`: started, and not ended.
    pub fn live(&self, at: DateTime<Utc>) -> bool {
        self.start.is_some_and(|s| s <= at) && (self.open || self.end.is_some_and(|e| e > at))
    }

    /// True when the two windows share an instant.
    fn overlaps(&self, other: &Window) -> bool {
        let ends = |w: &Window| if w.open { None } else { w.end };
        match (self.start, other.start) {
            (Some(a), Some(b)) => {
                ends(self).is_none_or(|e| b <= e) && ends(other).is_none_or(|e| a <= e)
            }
            _ => false,
        }
    }

    /// `2027-01-01 – Open`, as written.
    pub fn span(&self) -> String {
        format!("{} – {}", self.start_text, self.end_text)
    }
}

/// A delivery's windows by scope, in file order within each.
#[derive(Debug, Default)]
pub struct Delivery {
    /// Each scope's windows.
    pub scopes: BTreeMap<Scope, Vec<Window>>,
}

impl Delivery {
    /// The windows of `rows` (each with its facts): one per row and
    /// territory, for rows with a title id.
    pub fn of<'a>(
        rows: impl IntoIterator<Item = (&'a Avail, &'a RowFacts)>,
        zones: Zones,
    ) -> Delivery {
        let mut d = Delivery::default();
        for (row, facts) in rows {
            let Some(title) = facts.title(row) else {
                continue;
            };
            for territory in facts.territories(row) {
                let scope = Scope::of(row, title, territory);
                let window = Window::of(row, facts, territory, zones);
                d.scopes.entry(scope).or_default().push(window);
            }
        }
        d
    }

    /// The delivery of the files of `role` among `loaded`, their rows'
    /// facts worked out with `settings`.
    pub fn of_loaded(loaded: &[crate::Loaded], role: crate::Role, settings: &Settings) -> Delivery {
        let rows: Vec<(&Avail, RowFacts)> = loaded
            .iter()
            .filter(|l| l.role == role)
            .filter_map(|l| l.result.as_ref().ok())
            .flat_map(|out| out.sheets.iter().flat_map(|s| s.rows.iter()))
            .map(|row| (row, RowFacts::of(row, settings)))
            .collect();
        Delivery::of(
            rows.iter().map(|(row, facts)| (*row, facts)),
            settings.zones,
        )
    }

    /// The previous window a current one continues, with how it changed:
    /// the same offer and format, and the same Start (its End may have
    /// moved), else the same End, else an overlapping window.
    pub fn matching(&self, scope: &Scope, w: &Window) -> Option<(&Window, Change)> {
        let same = |p: &&Window| p.offer == w.offer && p.format == w.format;
        let windows = self.scopes.get(scope)?;
        let exact = |p: &&Window| p.start == w.start && p.end == w.end && p.open == w.open;
        if let Some(p) = windows.iter().filter(same).find(exact) {
            return Some((p, Change::Unchanged));
        }
        if let Some(p) = windows
            .iter()
            .filter(same)
            .find(|p| p.start.is_some() && p.start == w.start)
        {
            return Some((p, Change::EndMoved));
        }
        if let Some(p) = windows
            .iter()
            .filter(same)
            .find(|p| (p.end.is_some() && p.end == w.end) || (p.open && w.open))
        {
            return Some((p, Change::StartMoved));
        }
        windows
            .iter()
            .filter(same)
            .find(|p| p.overlaps(w))
            .map(|p| (p, Change::Moved))
    }
}

/// How a window of the current delivery relates to the previous one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Change {
    /// Amazon does not have it.
    New,
    /// Amazon has it as it is.
    Unchanged,
    /// Its End moved.
    EndMoved,
    /// Its Start moved.
    StartMoved,
    /// Both moved.
    Moved,
}

/// What a delivery changes in one scope.
#[derive(Debug, Default, Serialize)]
pub struct ScopeDiff {
    /// Windows Amazon does not have.
    pub added: Vec<Window>,
    /// Windows that moved: (Amazon's, the delivery's), with how.
    pub changed: Vec<(Window, Window, Change)>,
    /// Windows the delivery sends as Amazon has them.
    pub unchanged: usize,
    /// Windows Amazon has that the delivery no longer sends.
    pub removed: Vec<Window>,
    /// The delivery deletes the scope (Full Delete).
    pub deleted: bool,
}

/// A window added and one removed of the same offer and format, when they
/// are the only such pair of the scope, are one window moved (its Start and
/// End both changed, with no overlap left to match them).
fn pair_moved(d: &mut ScopeDiff) {
    let key = |w: &Window| (w.offer, w.format.clone());
    let mut i = 0;
    while i < d.added.len() {
        let k = key(&d.added[i]);
        let added = d.added.iter().filter(|w| key(w) == k).count();
        let removed: Vec<usize> = (0..d.removed.len())
            .filter(|&j| key(&d.removed[j]) == k)
            .collect();
        if let ([j], 1) = (removed.as_slice(), added) {
            let before = d.removed.remove(*j);
            let now = d.added.remove(i);
            d.changed.push((before, now, Change::Moved));
        } else {
            i += 1;
        }
    }
}

/// What a delivery changes at Amazon, scope by scope: only the scopes it
/// mentions (a Full Extract replaces a scope it covers and leaves the
/// others as they are).
pub fn diff(previous: &Delivery, current: &Delivery) -> BTreeMap<Scope, ScopeDiff> {
    let mut out = BTreeMap::new();
    for (scope, windows) in &current.scopes {
        let mut d = ScopeDiff {
            deleted: windows.iter().any(|w| w.delete),
            ..ScopeDiff::default()
        };
        let before = previous
            .scopes
            .get(scope)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let mut kept = vec![false; before.len()];
        if !d.deleted {
            for w in windows {
                match previous.matching(scope, w) {
                    Some((p, change)) => {
                        if let Some(i) = before.iter().position(|b| std::ptr::eq(b, p)) {
                            kept[i] = true;
                        }
                        if change == Change::Unchanged {
                            d.unchanged += 1;
                        } else {
                            d.changed.push((p.clone(), w.clone(), change));
                        }
                    }
                    None => d.added.push(w.clone()),
                }
            }
        }
        d.removed = before
            .iter()
            .zip(&kept)
            .filter(|(_, k)| !**k)
            .map(|(w, _)| w.clone())
            .collect();
        pair_moved(&mut d);
        out.insert(scope.clone(), d);
    }
    out
}

/// What a delivery changes at Amazon, for `availcheck diff`: the scopes it
/// changes, counts per territory, and totals.
#[derive(Debug, Serialize)]
pub struct DeliveryDiff {
    /// The check time the live windows are judged at.
    pub as_of: DateTime<Utc>,
    /// Every scope the delivery changes, in scope order (scopes it sends
    /// unchanged are only counted).
    pub scopes: Vec<ScopeChange>,
    /// Windows added, changed and removed, and scopes deleted, per territory.
    pub territories: Vec<TerritoryCount>,
    /// Totals over every scope.
    pub totals: Totals,
}

/// One changed scope.
#[derive(Debug, Serialize)]
pub struct ScopeChange {
    /// Licensor, title id, territory and LicenseType.
    #[serde(flatten)]
    pub scope: Scope,
    /// The delivery deletes the scope (Full Delete).
    pub deleted: bool,
    /// Windows Amazon does not have.
    pub added: Vec<Seen>,
    /// Windows that moved.
    pub changed: Vec<Moved>,
    /// Windows Amazon has that the delivery no longer sends (or deletes).
    pub removed: Vec<Seen>,
    /// Windows sent as Amazon has them.
    pub unchanged: usize,
}

/// A window and whether it is live at the check time.
#[derive(Debug, Serialize)]
pub struct Seen {
    /// The window.
    #[serde(flatten)]
    pub window: Window,
    /// Started and not ended at the check time.
    pub live: bool,
}

/// A window Amazon has, as the delivery moves it.
#[derive(Debug, Serialize)]
pub struct Moved {
    /// As Amazon has it.
    pub before: Seen,
    /// As the delivery sends it.
    pub after: Seen,
    /// What moved.
    pub change: Change,
    /// Amazon stops showing a live window (its End moved into the past, or
    /// its Start later than now).
    pub ends_live: bool,
}

/// Counts of one territory.
#[derive(Debug, Default, Serialize)]
pub struct TerritoryCount {
    /// ISO code, upper-case.
    pub territory: String,
    /// Windows added.
    pub added: usize,
    /// Windows moved.
    pub changed: usize,
    /// Windows removed (dropped or deleted).
    pub removed: usize,
    /// Scopes deleted.
    pub deleted: usize,
}

/// Totals of a [`DeliveryDiff`].
#[derive(Debug, Default, Serialize)]
pub struct Totals {
    /// Windows the previous delivery has, in all its scopes.
    pub previous_windows: usize,
    /// Windows added.
    pub added: usize,
    /// Windows moved.
    pub changed: usize,
    /// Windows sent as Amazon has them.
    pub unchanged: usize,
    /// Windows removed (dropped or deleted).
    pub removed: usize,
    /// Of those, windows live at the check time.
    pub removed_live: usize,
    /// Live windows the delivery moves so that Amazon stops showing them.
    pub ended_live: usize,
    /// Scopes deleted (Full Delete).
    pub deleted_scopes: usize,
    /// Added, changed and removed windows, in percent of the previous
    /// delivery's windows (100 when it had none and something is added).
    pub change_percent: f64,
}

impl DeliveryDiff {
    /// What `current` changes of `previous`, live windows judged at `as_of`.
    pub fn new(previous: &Delivery, current: &Delivery, as_of: DateTime<Utc>) -> DeliveryDiff {
        let seen = |w: &Window| Seen {
            window: w.clone(),
            live: w.live(as_of),
        };
        let mut totals = Totals {
            previous_windows: previous.scopes.values().map(Vec::len).sum(),
            ..Totals::default()
        };
        let mut territories: BTreeMap<String, TerritoryCount> = BTreeMap::new();
        let mut scopes = Vec::new();
        for (scope, d) in diff(previous, current) {
            totals.unchanged += d.unchanged;
            if d.added.is_empty() && d.changed.is_empty() && d.removed.is_empty() && !d.deleted {
                continue;
            }
            let count = territories
                .entry(scope.territory.clone())
                .or_insert_with(|| TerritoryCount {
                    territory: scope.territory.clone(),
                    ..TerritoryCount::default()
                });
            count.added += d.added.len();
            count.changed += d.changed.len();
            count.removed += d.removed.len();
            count.deleted += usize::from(d.deleted);
            let changed: Vec<Moved> = d
                .changed
                .iter()
                .map(|(before, after, change)| Moved {
                    ends_live: before.live(as_of) && !after.live(as_of),
                    before: seen(before),
                    after: seen(after),
                    change: *change,
                })
                .collect();
            let removed: Vec<Seen> = d.removed.iter().map(seen).collect();
            totals.added += d.added.len();
            totals.changed += changed.len();
            totals.removed += removed.len();
            totals.removed_live += removed.iter().filter(|w| w.live).count();
            totals.ended_live += changed.iter().filter(|m| m.ends_live).count();
            totals.deleted_scopes += usize::from(d.deleted);
            scopes.push(ScopeChange {
                scope,
                deleted: d.deleted,
                added: d.added.iter().map(seen).collect(),
                changed,
                removed,
                unchanged: d.unchanged,
            });
        }
        let moved = totals.added + totals.changed + totals.removed;
        totals.change_percent = match (totals.previous_windows, moved) {
            (_, 0) => 0.0,
            (0, _) => 100.0,
            (n, m) => m as f64 * 100.0 / n as f64,
        };
        DeliveryDiff {
            as_of,
            scopes,
            territories: territories.into_values().collect(),
            totals,
        }
    }

    /// Why the delivery needs a person's yes (exit 1 unless `--fail-on
    /// never`): it removes or ends live windows, or changes more than
    /// `max_change` percent of the windows.
    pub fn concerns(&self, max_change: Option<f64>) -> Vec<String> {
        let t = &self.totals;
        let mut out = Vec::new();
        if t.removed_live > 0 {
            out.push(format!(
                "removes {} window{} live at Amazon",
                t.removed_live,
                plural(t.removed_live)
            ));
        }
        if t.ended_live > 0 {
            out.push(format!(
                "moves {} live window{} so that Amazon stops showing {}",
                t.ended_live,
                plural(t.ended_live),
                if t.ended_live == 1 { "it" } else { "them" }
            ));
        }
        if let Some(max) = max_change.filter(|m| t.change_percent > *m) {
            out.push(format!(
                "changes {:.1}% of the previous delivery's {} windows, more than --max-change {max}%",
                t.change_percent, t.previous_windows
            ));
        }
        out
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
