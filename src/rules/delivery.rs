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
}

impl Window {
    /// The window of `row`.
    pub fn of(row: &Avail, facts: &RowFacts) -> Window {
        Window {
            offer: Offer::of(facts.class),
            format: row.text(Field::FormatProfile).to_string(),
            start: facts.start,
            end: facts.end_instant(),
            open: facts.end == End::Open,
            start_text: row.text(Field::Start).to_string(),
            end_text: row.text(Field::End).to_string(),
            delete: row.text(Field::EntryType) == "Full Delete",
            location: row.row_location(),
            start_location: row.location(Field::Start),
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
    pub fn of<'a>(rows: impl IntoIterator<Item = (&'a Avail, &'a RowFacts)>) -> Delivery {
        let mut d = Delivery::default();
        for (row, facts) in rows {
            let Some(title) = facts.title(row) else {
                continue;
            };
            let window = Window::of(row, facts);
            for territory in facts.territories(row) {
                let scope = Scope::of(row, title, territory);
                d.scopes.entry(scope).or_default().push(window.clone());
            }
        }
        d
    }

    /// The delivery of the `--previous` files among `loaded`, their rows'
    /// facts worked out with `settings`.
    pub fn of_loaded(loaded: &[crate::Loaded], settings: &Settings) -> Delivery {
        let rows: Vec<(&Avail, RowFacts)> = loaded
            .iter()
            .filter(|l| l.role == crate::Role::Previous)
            .filter_map(|l| l.result.as_ref().ok())
            .flat_map(|out| out.sheets.iter().flat_map(|s| s.rows.iter()))
            .map(|row| (row, RowFacts::of(row, settings)))
            .collect();
        Delivery::of(rows.iter().map(|(row, facts)| (*row, facts)))
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
