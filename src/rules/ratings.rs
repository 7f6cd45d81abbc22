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

/// The fields of a rating other than its region: a row without a cell of
/// one has no rating (the rating rules' [`Rule::row_fields`](super::Rule::row_fields)).
pub(super) const FIELDS: [Field; 3] =
    [Field::RatingSystem, Field::RatingValue, Field::RatingReason];

/// The ratings of `row` (none when it has no rating cells).
pub(super) fn of(row: &Avail) -> Vec<Rating<'_>> {
    // Most rows have no rating: said without collecting anything.
    let has = |&f: &Field| row.sheet.column_of(f).is_some_and(|c| row.has_cell(c));
    if !FIELDS.iter().any(has) {
        return Vec::new();
    }
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
    // XML: in document order, a System opens a rating, Regions before it
    // belong to it, Values and Reasons after it too.
    let part = |col: usize| {
        [
            (Field::RatingRegion, Part::Region),
            (Field::RatingSystem, Part::System),
            (Field::RatingValue, Part::Value),
            (Field::RatingReason, Part::Reason),
        ]
        .into_iter()
        .find(|(f, _)| row.sheet.column_of(*f) == Some(col))
        .map(|(_, p)| p)
    };
    let mut parts: Vec<(usize, Part, &Cell)> = row
        .cells_with_positions()
        .filter(|(c, _)| !c.is_error())
        .filter_map(|(c, at)| Some((at?.span.0, part(c.column())?, c)))
        .collect();
    parts.sort_by_key(|(at, ..)| *at);
    let mut out: Vec<Rating> = Vec::new();
    let mut regions: Vec<(&Cell, &str)> = Vec::new();
    for (_, part, cell) in parts {
        if part == Part::Region {
            regions.push((cell, cell.value()));
            continue;
        }
        // A Value or Reason without a System before it (or a second Value)
        // is a rating of its own.
        let starts = part == Part::System
            || out.is_empty()
            || (part == Part::Value && out.last().is_some_and(|r| r.value.is_some()));
        if starts {
            out.push(Rating {
                system: None,
                value: None,
                reasons: Vec::new(),
                regions: std::mem::take(&mut regions),
            });
        }
        let rating = out.last_mut().expect("a rating is open");
        match part {
            Part::System => rating.system = Some(cell),
            Part::Value => rating.value = Some(cell),
            Part::Reason => rating.reasons.push(cell),
            Part::Region => unreachable!("handled above"),
        }
    }
    out
}

/// What a rating cell of an XML row is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Part {
    Region,
    System,
    Value,
    Reason,
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
