//! What cross-row rules need of each row, worked out once per row beside the
//! row rules (while the rest of a file is still being read), so the rules
//! that run after reading look at a few compact values per row instead of
//! searching every row's cells again.

use chrono::{DateTime, Utc};

use super::{RowClass, RowClasses, Settings};
use crate::model::time::{Stamp, When};
use crate::model::zone::{Zone, Zones};
use crate::model::{Avail, Cell, Field, SheetInfo, Text};

/// What a Start or End cell holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// Nothing.
    Empty,
    /// `YYYY-MM-DD`.
    Date,
    /// A date and time.
    DateTime,
    /// A condition such as `Open` or `Immediate`.
    Condition,
    /// Not a date, date-time or condition.
    Invalid,
}

impl Form {
    fn of(text: &str, when: &When) -> Form {
        match when {
            _ if text.is_empty() => Form::Empty,
            When::Date(_) => Form::Date,
            When::DateTime(..) => Form::DateTime,
            When::Condition(_) => Form::Condition,
            When::Invalid(_) => Form::Invalid,
        }
    }
}

/// An End as window rules compare it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// A condition such as `Open`: the window has no end.
    Open,
    /// The last instant of the window (a date-only End is 23:59:59).
    At(Stamp),
    /// Empty or not a date: the row cannot be placed on a timeline.
    Unusable,
}

impl End {
    /// The End as an instant, a local value read in `zone`; `None` when
    /// it is open or unusable.
    pub fn in_zone(self, zone: Zone) -> Option<DateTime<Utc>> {
        match self {
            End::At(t) => t.in_zone(zone),
            End::Open | End::Unusable => None,
        }
    }
}

/// A piece of one of a row's cells (a trimmed value or list item): the
/// cell's position and a byte range of its text.
#[derive(Debug, Clone, Copy)]
struct Span {
    cell: u32,
    start: u32,
    end: u32,
}

impl Span {
    /// The span of `piece`, a slice of the text of `cell`, a cell of `row`.
    fn of(row: &Avail, cell: &Cell, piece: &str) -> Self {
        // Its position from its address: no search.
        let cells = row.cells();
        assert!(
            cells.as_ptr_range().contains(&std::ptr::from_ref(cell)),
            "a cell of the row"
        );
        let at = (std::ptr::from_ref(cell).addr() - cells.as_ptr().addr()) / size_of::<Cell>();
        let start = piece.as_ptr().addr() - cell.text.as_ptr().addr();
        debug_assert!(cell.text.get(start..start + piece.len()) == Some(piece));
        let small = |n: usize| u32::try_from(n).expect("cells and texts under 4 GiB");
        Span {
            cell: small(at),
            start: small(start),
            end: small(start + piece.len()),
        }
    }

    /// The cell, in the row it was taken from.
    fn cell(self, row: &Avail) -> &Cell {
        &row.cells()[self.cell as usize]
    }

    /// The piece, in the row it was taken from.
    fn text(self, row: &Avail) -> &str {
        &self.cell(row).text[self.start as usize..self.end as usize]
    }
}

/// The facts of one row.
#[derive(Debug, Clone)]
pub struct RowFacts {
    /// The row's class under the profile.
    pub class: RowClass,
    /// The LicenseType is `SVOD`.
    pub svod: bool,
    /// The title identity, trimmed.
    title: Option<Span>,
    /// Start, when it is a date or date-time ([`RowFacts::start_in`]
    /// places it for a territory).
    pub start: Option<Stamp>,
    /// What the Start cell holds.
    pub start_form: Form,
    /// End: a date or date-time, open, or unusable.
    pub end: End,
    /// What the End cell holds.
    pub end_form: Form,
    /// The row's first territory, kept inline: most rows have just one, and
    /// a box per row would be freed one by one after the set rules.
    territory: Option<Span>,
    /// The row's other territories.
    more_territories: Box<[Span]>,
}

/// What working out the facts of one sheet's rows reuses from row to row,
/// one per thread: where the sheet's rows may carry a CPH marker, and the
/// Start and End values the thread parsed lately.
#[derive(Clone)]
pub struct SheetFacts<'a> {
    classes: RowClasses<'a>,
    recent: RecentDates,
}

impl<'a> SheetFacts<'a> {
    /// For the rows of `sheet` under `settings`.
    pub fn new(settings: &'a Settings, sheet: &SheetInfo) -> Self {
        SheetFacts {
            classes: settings.row_classes(sheet),
            recent: RecentDates::default(),
        }
    }
}

/// The Start and End values one thread parsed lately, by their text: the
/// rows of a delivery share a few dates (interned, so equal values are one
/// text), and most rows parse none.
#[derive(Default, Clone)]
struct RecentDates {
    recent: [Option<(Text, When)>; 4],
    next: usize,
}

impl RecentDates {
    /// The value of `cell` (none: empty) as a Start or End.
    fn parse(&mut self, cell: Option<&Cell>) -> When {
        let Some(cell) = cell else {
            return When::parse("");
        };
        let mut known = self.recent.iter().flatten();
        if let Some((_, when)) = known.find(|(t, _)| Text::ptr_eq(t, &cell.text)) {
            return when.clone();
        }
        let when = When::parse(cell.value());
        self.recent[self.next] = Some((cell.text.clone(), when.clone()));
        self.next = (self.next + 1) % self.recent.len();
        when
    }
}

impl RowFacts {
    /// Works out the facts of `row`.
    pub fn of(row: &Avail, settings: &Settings) -> Self {
        Self::of_with(row, &mut SheetFacts::new(settings, &row.sheet))
    }

    /// [`RowFacts::of`] for a row of the sheet `sheet` was made for,
    /// reusing what it keeps from earlier rows.
    pub fn of_with(row: &Avail, sheet: &mut SheetFacts<'_>) -> Self {
        let title = row.title_id().map(|cell| Span::of(row, cell, cell.value()));
        let mut spans = row.territories().map(|(cell, t)| Span::of(row, cell, t));
        let territory = spans.next();
        let more_territories = spans.collect();
        let (start_cell, end_cell) = (row.get(Field::Start), row.get(Field::End));
        let (start_text, end_text) = (
            start_cell.map_or("", Cell::value),
            end_cell.map_or("", Cell::value),
        );
        let recent = &mut sheet.recent;
        let (start, end) = (recent.parse(start_cell), recent.parse(end_cell));
        let svod = row.text(Field::LicenseType) == "SVOD";
        RowFacts {
            class: sheet.classes.classify(row, svod),
            svod,
            title,
            start: start.start_stamp(),
            start_form: Form::of(start_text, &start),
            end: match &end {
                When::Condition(_) => End::Open,
                w => w.end_stamp().map_or(End::Unusable, End::At),
            },
            end_form: Form::of(end_text, &end),
            territory,
            more_territories,
        }
    }

    /// The columns of the cells these facts point into: the title's and
    /// the territories' (all of one column).
    pub fn columns(&self, row: &Avail) -> [Option<usize>; 2] {
        let column = |s: &Span| s.cell(row).column();
        debug_assert!(
            (self.more_territories.iter())
                .all(|s| Some(column(s)) == self.territory.map(|t| column(&t)))
        );
        [
            self.title.map(|s| column(&s)),
            self.territory.map(|s| column(&s)),
        ]
    }

    /// Runs `trim` on `row`, the row these facts were worked out from,
    /// and follows the facts' cells to their new positions. `trim` must
    /// keep every cell of the [`RowFacts::columns`] (and the order of
    /// cells): each of the facts' cells keeps its place among its column's.
    pub fn follow(&mut self, row: &mut Avail, trim: impl FnOnce(&mut Avail)) {
        let [title, territories] = self.columns(row);
        let first = |row: &Avail, column: Option<usize>| {
            let column = column.unwrap_or_default();
            u32::try_from(row.cells().partition_point(|c| c.column() < column))
                .expect("cells under 4 GiB")
        };
        // Before the trim, back from a span to its column's first cell (most
        // columns hold one): no search through the whole row.
        let first_before = |span: Option<Span>| {
            let (cells, mut at) = (row.cells(), span.map_or(0, |s| s.cell as usize));
            let column = cells.get(at).map(Cell::column);
            while at > 0 && cells.get(at - 1).map(Cell::column) == column {
                at -= 1;
            }
            u32::try_from(at).expect("cells under 4 GiB")
        };
        // Positions become places in the column, and back.
        let (before, after) = (first_before(self.title), first_before(self.territory));
        self.title.iter_mut().for_each(|s| s.cell -= before);
        self.spans_of_territories().for_each(|s| s.cell -= after);
        trim(row);
        let (before, after) = (first(row, title), first(row, territories));
        self.title.iter_mut().for_each(|s| s.cell += before);
        self.spans_of_territories().for_each(|s| s.cell += after);
    }

    /// The spans of the row's territories.
    fn spans_of_territories(&mut self) -> impl Iterator<Item = &mut Span> {
        self.territory
            .iter_mut()
            .chain(self.more_territories.iter_mut())
    }

    /// The Start as an instant in `territory` (its zone under `zones`),
    /// when it is a date or date-time.
    pub fn start_in(&self, territory: &str, zones: Zones) -> Option<DateTime<Utc>> {
        self.start?.in_territory(territory, zones)
    }

    /// The End as an instant in `territory`, when it is a date or date-time.
    pub fn end_in(&self, territory: &str, zones: Zones) -> Option<DateTime<Utc>> {
        match self.end {
            End::At(t) => t.in_territory(territory, zones),
            End::Open | End::Unusable => None,
        }
    }

    /// The zone messages show the Start of `territory` in: the territory's
    /// for a local value, UTC for one written with an offset.
    pub fn start_zone(&self, territory: &str, zones: Zones) -> Zone {
        self.start
            .map_or(Zone::UTC, |s| s.shown_in(zones.of(territory)))
    }

    /// The row's first territory (`""` when it has none): where rules that
    /// look at a row as a whole place its dates.
    pub fn first_territory<'a>(&self, row: &'a Avail) -> &'a str {
        self.territory.map_or("", |s| s.text(row))
    }

    /// The row's title identity ([`Avail::title_id`]), trimmed; `row` must
    /// be the row these facts were worked out from.
    pub fn title<'a>(&self, row: &'a Avail) -> Option<&'a str> {
        Some(self.title?.text(row))
    }

    /// The cell holding the row's title identity; `row` must be the row
    /// these facts were worked out from.
    pub fn title_cell<'a>(&self, row: &'a Avail) -> Option<&'a Cell> {
        Some(self.title?.cell(row))
    }

    /// The row's territories ([`Avail::territories`], without their cells);
    /// `row` must be the row these facts were worked out from.
    pub fn territories<'a>(&self, row: &'a Avail) -> impl Iterator<Item = &'a str> {
        self.territory_cells(row).map(|(_, t)| t)
    }

    /// The row's territories with the cell each came from, as
    /// [`Avail::territories`] gives them without splitting the cells again;
    /// `row` must be the row these facts were worked out from.
    pub fn territory_cells<'a>(&self, row: &'a Avail) -> impl Iterator<Item = (&'a Cell, &'a str)> {
        (self.territory.iter().chain(&self.more_territories)).map(|s| (s.cell(row), s.text(row)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::CellKind;
    use crate::model::avail::{Text, test_sheet};

    fn row(cells: &[(&str, &str)]) -> Avail {
        let headers: Vec<&str> = cells.iter().map(|(field, _)| *field).collect();
        let sheet = test_sheet(&headers);
        let cells = cells
            .iter()
            .enumerate()
            .map(|(i, (_, text))| Cell::new(i, Text::from(*text), CellKind::Text))
            .collect();
        Avail::new(sheet, 4, cells)
    }

    #[test]
    fn title_and_territories_read_as_the_row_gives_them() {
        let row = row(&[
            ("ALID", " md:alid:x:1 "),
            ("Territory", " US, GB ,DE,"),
            ("TerritoryExclusion", "GB"),
        ]);
        let facts = RowFacts::of(&row, &Settings::default());
        assert_eq!(facts.title(&row), Some("md:alid:x:1"));
        let expected: Vec<&str> = row.territories().map(|(_, t)| t).collect();
        assert_eq!(expected, ["US", "DE"]);
        assert_eq!(facts.territories(&row).collect::<Vec<_>>(), expected);
        let cells = |i: &mut dyn Iterator<Item = (&Cell, &str)>| {
            i.map(|(c, t)| (c.column(), t.to_string()))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            cells(&mut facts.territory_cells(&row)),
            cells(&mut row.territories())
        );
    }

    #[test]
    fn the_facts_follow_their_cells_through_a_trim() {
        // Territory repeated as an XML Transaction repeats it.
        let sheet = test_sheet(&["DisplayName", "Territory", "LicenseType", "ALID"]);
        let cell = |column: usize, text: &str| Cell::new(column, Text::from(text), CellKind::Text);
        let mut row = Avail::new(
            sheet,
            4,
            vec![
                cell(0, "x"),
                cell(1, "US"),
                cell(1, "GB"),
                cell(2, "SVOD"),
                cell(3, " a1 "),
            ],
        );
        let mut facts = RowFacts::of(&row, &Settings::default());
        let pinned = facts.columns(&row);
        assert_eq!(pinned, [Some(3), Some(1)]);
        facts.follow(&mut row, |row| {
            row.retain_cells(|c| pinned.contains(&Some(c.column())));
        });
        assert_eq!(row.cells().len(), 3);
        assert_eq!(facts.title(&row), Some("a1"));
        assert_eq!(facts.territories(&row).collect::<Vec<_>>(), ["US", "GB"]);
    }

    #[test]
    fn dates_parsed_for_earlier_rows_give_the_same_facts() {
        let sheet = test_sheet(&["Start", "End"]);
        let mut interner = crate::model::avail::Interner::default();
        let values = [
            "2024-01-01",
            "2024-01-01T00:00:00Z",
            "Open",
            "2030-02-30",
            "2025-06-01T12:00:00+02:00",
            "",
            "soon",
        ];
        let settings = Settings::default();
        let mut kept = SheetFacts::new(&settings, &sheet);
        // More distinct values than it keeps, in an order that reuses some.
        for (i, start) in values.iter().cycle().take(40).enumerate() {
            let end = values[(i * 3 + 1) % values.len()];
            let cells = [(0, *start), (1, end)]
                .into_iter()
                .filter(|(_, v)| !v.is_empty())
                .map(|(c, v)| Cell::new(c, interner.intern(v), CellKind::Text))
                .collect();
            let row = Avail::new(sheet.clone(), 4, cells);
            let fresh = RowFacts::of(&row, &Settings::default());
            let reused = RowFacts::of_with(&row, &mut kept);
            assert_eq!(
                (fresh.start, fresh.start_form, fresh.end, fresh.end_form),
                (reused.start, reused.start_form, reused.end, reused.end_form),
                "{start} / {end}"
            );
        }
    }

    #[test]
    fn a_row_without_them_has_none() {
        let row = row(&[("LicenseType", "SVOD")]);
        let facts = RowFacts::of(&row, &Settings::default());
        assert_eq!(facts.title(&row), None);
        assert_eq!(facts.territories(&row).count(), 0);
    }
}
