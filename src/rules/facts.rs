//! What cross-row rules need of each row, worked out once per row beside the
//! row rules (while the rest of a file is still being read), so the rules
//! that run after reading look at a few compact values per row instead of
//! searching every row's cells again.

use chrono::{DateTime, Utc};

use super::{RowClass, Settings};
use crate::model::time::When;
use crate::model::{Avail, Cell};

/// An End as window rules compare it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// A condition such as `Open`: the window has no end.
    Open,
    /// The last instant of the window (a date-only End is 23:59:59).
    At(DateTime<Utc>),
    /// Empty or not a date: the row cannot be placed on a timeline.
    Unusable,
}

/// The facts of one row.
#[derive(Debug, Clone, Copy)]
pub struct RowFacts {
    /// The row's class under the profile.
    pub class: RowClass,
    /// Position of the title identity among the row's cells.
    title: Option<u32>,
    /// Start as an instant, when it is a date or date-time.
    pub start: Option<DateTime<Utc>>,
    /// End as an instant, open or unusable.
    pub end: End,
}

impl RowFacts {
    /// Works out the facts of `row`.
    pub fn of(row: &Avail, settings: &Settings) -> Self {
        let zone = settings.zone;
        let title = row.title_id().map(|cell| {
            let at = row
                .cells()
                .iter()
                .position(|c| std::ptr::eq(c, cell))
                .expect("title_id returns a cell of the row");
            u32::try_from(at).expect("fewer than 2^32 cells")
        });
        let end = match When::parse(row.text("End")) {
            When::Condition(_) => End::Open,
            w => w.end_instant(zone).map_or(End::Unusable, End::At),
        };
        RowFacts {
            class: settings.classify(row),
            title,
            start: When::parse(row.text("Start")).start_instant(zone),
            end,
        }
    }

    /// The row's title identity cell ([`Avail::title_id`]); `row` must be
    /// the row these facts were worked out from.
    pub fn title<'a>(&self, row: &'a Avail) -> Option<&'a Cell> {
        row.cells().get(self.title? as usize)
    }
}
