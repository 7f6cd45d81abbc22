//! EMA040: a rating system that the Common Metadata Ratings do not list.

use super::{Context, RowFacts, Rule, edit_distance_within, ratings};
use crate::model::ratings::{system_ids, systems, used_in};
use crate::model::{Avail, Diagnostic, Field};

super::declare_rule! {
    /// ## What it does
    /// Checks each rating's system (`RatingSystem`; XML `md:Rating/md:System`)
    /// against MovieLabs' Common Metadata Ratings, and that a rating value
    /// or reason comes with a system. Private systems (`Custom:…`) are left
    /// alone, as MovieLabs' validator leaves them.
    ///
    /// ## Why is this bad?
    /// A rating is read by its system: with an unknown system (or none) the
    /// value means nothing, and MovieLabs' validator rejects the file.
    ///
    /// ## Example
    /// ```text
    /// Territory = US   RatingSystem = MPAAA   RatingValue = PG
    /// ```
    /// Fixed:
    /// ```text
    /// Territory = US   RatingSystem = MPAA    RatingValue = PG
    /// ```
    ///
    /// ## How to fix
    /// Write the system's ID exactly as the ratings list has it (the message
    /// names the systems used in the row's territory).
    ///
    /// ## Source
    /// MovieLabs Common Metadata Ratings v2.5.1 (`CMR_Ratings_v2.5.1.xml`,
    /// `RatingSystemID/System`), embedded as `schemas/codes/cmr-ratings.json`;
    /// MovieLabs `CMValidator.validateRatings` (mddf 2.0.9).
    pub struct UnknownRatingSystem = ("EMA040", "unknown-rating-system", Error, Ema,
        "Rating system is not in the Common Metadata Ratings");
}

impl Rule for UnknownRatingSystem {
    fn checks_rows(&self) -> bool {
        true
    }

    fn row_fields(&self) -> &'static [Field] {
        &ratings::FIELDS
    }

    fn check_row(
        &self,
        row: &Avail,
        _facts: &RowFacts,
        _ctx: &Context<'_>,
        out: &mut Vec<Diagnostic>,
    ) {
        for rating in ratings::of(row) {
            let Some(system) = rating.system else {
                // A value or reason without a system.
                let (cell, what) = match (rating.value, rating.reasons.first()) {
                    (Some(v), _) => (v, row.sheet.label(Field::RatingValue)),
                    (None, Some(r)) => (*r, row.sheet.label(Field::RatingReason)),
                    (None, None) => continue,
                };
                let message = format!(
                    "{what} `{}` has no {}",
                    cell.value(),
                    row.sheet.label(Field::RatingSystem)
                );
                let d = if row.xml().is_some() {
                    Self::META.at_cell(row, cell, message)
                } else {
                    Self::META.at_field(row, Field::RatingSystem, message)
                };
                out.push(d.with_help("name the rating's system (such as MPAA for a US rating)"));
                continue;
            };
            let Some(id) = rating.id() else { continue };
            if systems(id).next().is_some() {
                continue;
            }
            let local: Vec<&str> =
                rating
                    .countries()
                    .flat_map(|(_, r)| used_in(r))
                    .fold(Vec::new(), |mut v, s| {
                        if !v.contains(&s) {
                            v.push(s);
                        }
                        v
                    });
            let close = closest(id);
            let help = match close.as_slice() {
                [_, ..] => format!("did you mean {}?", close.join(" or ")),
                [] if !local.is_empty() => {
                    format!("systems used where the row applies: {}", local.join(", "))
                }
                [] => "use a system of the MovieLabs Common Metadata Ratings (movielabs.com/md/ratings)".into(),
            };
            out.push(
                Self::META
                    .at_cell(
                        row,
                        system,
                        format!(
                            "`{id}` is not a rating system of the MovieLabs Common Metadata Ratings"
                        ),
                    )
                    .with_help(help),
            );
        }
    }
}

/// The system IDs nearest `id` (as `` `MPAA` ``), all of them when several
/// are as near (`MPAAA` is one edit from both `MPAA` and `MPAAT`); none
/// beyond a third of its length.
fn closest(id: &str) -> Vec<String> {
    let limit = (id.chars().count() / 3).clamp(1, 3);
    let scored: Vec<(usize, &str)> = system_ids()
        .filter_map(|s| Some((edit_distance_within(id, s, limit)?, s)))
        .collect();
    let best = scored.iter().map(|(d, _)| *d).min();
    scored
        .into_iter()
        .filter(|(d, _)| Some(*d) == best)
        .map(|(_, s)| format!("`{s}`"))
        .collect()
}
