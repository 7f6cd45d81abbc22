//! A row's ratings, for the rating rules (EMA040–EMA044): each rating
//! system with the value, reasons and regions that go with it.
//!
//! A spreadsheet row holds one rating (RatingSystem, RatingValue,
//! RatingReason) for the row's territories. An Avails XML row holds every
//! `md:Rating` of its Asset, each with its own `md:Region`: the values of
//! one rating are told apart by their place in the document (a rating's
//! Region comes before its System, its Value and Reasons after).

use crate::model::ratings::{self, RatingSystem};
use crate::model::{Avail, Cell, Field};

/// Territory codes that name no country whose rating systems could be
/// looked up (worldwide, the EU, Latin America).
const NOT_A_COUNTRY: [&str; 3] = ["ZZ", "EU", "419"];

/// One rating of a row.
pub(super) struct Rating<'a> {
    /// The `RatingSystem` cell; `None` when only a value or reason is given.
    pub system: Option<&'a Cell>,
    /// The `RatingValue` cell.
    pub value: Option<&'a Cell>,
    /// The `RatingReason` cells (XML: one per `md:Reason`).
    pub reasons: Vec<&'a Cell>,
    /// Where the rating applies, each with the cell naming it: XML, the
    /// Rating's `md:Region`; spreadsheets, the row's territories.
    pub regions: Vec<(&'a Cell, &'a str)>,
}

impl<'a> Rating<'a> {
    /// The system ID, when given and not private (`Custom:…`).
    pub fn id(&self) -> Option<&'a str> {
        let id = self.system?.value();
        (!ratings::is_custom(id)).then_some(id)
    }

    /// The regions that are countries or subdivisions (not ZZ, EU, 419).
    pub fn countries(&self) -> impl Iterator<Item = (&'a Cell, &'a str)> + '_ {
        self.regions
            .iter()
            .copied()
            .filter(|(_, r)| !NOT_A_COUNTRY.contains(r))
    }

    /// The systems of its ID that a value is checked against: those used in
    /// one of its regions, or all of them when none is (an ID such as
    /// `Film` names the boards of many countries). Empty for an unknown ID.
    pub fn candidates(&self) -> Vec<&'static RatingSystem> {
        let Some(id) = self.id() else {
            return Vec::new();
        };
        let all: Vec<&RatingSystem> = ratings::systems(id).collect();
        let local: Vec<&RatingSystem> = all
            .iter()
            .copied()
            .filter(|s| self.countries().any(|(_, r)| s.is_used_in(r)))
            .collect();
        if local.is_empty() { all } else { local }
    }
}

/// The ratings of `row` (none when it has no rating cells).
pub(super) fn of(row: &Avail) -> Vec<Rating<'_>> {
    let cells = |f: Field| -> Vec<&Cell> {
        match row.sheet.column_of(f) {
            Some(col) => row.cells_of(col).iter().filter(|c| !c.is_error()).collect(),
            None => Vec::new(),
        }
    };
    let (systems, values, reasons) = (
        cells(Field::RatingSystem),
        cells(Field::RatingValue),
        cells(Field::RatingReason),
    );
    if systems.is_empty() && values.is_empty() && reasons.is_empty() {
        return Vec::new();
    }
    if row.xml().is_none() {
        let regions = row.territories().collect();
        return vec![Rating {
            system: systems.first().copied(),
            value: values.first().copied(),
            reasons,
            regions,
        }];
    }
    // XML: each System opens a rating; Values and Reasons belong to the
    // System before them, Regions to the System after them.
    let at = |c: &Cell| row.position_of(c).map_or(0, |p| p.span.0);
    let mut out: Vec<Rating> = systems
        .iter()
        .map(|s| Rating {
            system: Some(s),
            value: None,
            reasons: Vec::new(),
            regions: Vec::new(),
        })
        .collect();
    let starts: Vec<usize> = systems.iter().map(|s| at(s)).collect();
    // The rating a value or reason at `pos` belongs to: the last System
    // before it (a new rating without a System when there is none).
    let owner = |pos: usize, out: &mut Vec<Rating<'_>>| -> usize {
        match starts.iter().rposition(|s| *s < pos) {
            Some(i) => i,
            None => {
                out.push(Rating {
                    system: None,
                    value: None,
                    reasons: Vec::new(),
                    regions: Vec::new(),
                });
                out.len() - 1
            }
        }
    };
    for v in values {
        let i = owner(at(v), &mut out);
        if out[i].value.is_none() {
            out[i].value = Some(v);
        }
    }
    for r in reasons {
        let i = owner(at(r), &mut out);
        out[i].reasons.push(r);
    }
    for region in cells(Field::RatingRegion) {
        let pos = at(region);
        if let Some(i) = starts.iter().position(|s| *s > pos) {
            out[i].regions.push((region, region.value()));
        }
    }
    out
}

/// The reason codes of a reasons cell: a spreadsheet cell may list several,
/// separated by `,` (or `|`, as the 1.6 TV template did); in XML each
/// `md:Reason` is one.
pub(super) fn reason_codes<'a>(row: &Avail, cell: &'a Cell) -> Vec<&'a str> {
    if row.xml().is_some() {
        return vec![cell.value()];
    }
    cell.value()
        .split([',', '|'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}
