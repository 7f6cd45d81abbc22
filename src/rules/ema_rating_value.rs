//! EMA041: a rating value that its rating system does not have.

use super::{Context, RowFacts, Rule, did_you_mean, ratings};
use crate::model::ratings::is_any_system_value;
use crate::model::{Avail, Diagnostic, Field};

super::declare_rule! {
    /// ## What it does
    /// Checks each rating's value (`RatingValue`; XML `md:Rating/md:Value`)
    /// against the ratings its system has in MovieLabs' Common Metadata
    /// Ratings (exact case), and that a spreadsheet rating system comes
    /// with a value. Where one ID names the boards of several countries
    /// (`Film`), the value is checked against the board of the rating's
    /// territory. `ALL`, `UNRATED` and `ADULT` pass in every system, as in
    /// MovieLabs' validator.
    ///
    /// ## Why is this bad?
    /// A rating that its system does not define cannot be shown to viewers
    /// or used for parental controls; MovieLabs' validator rejects it.
    ///
    /// ## Example
    /// ```text
    /// RatingSystem = MPAA   RatingValue = 6
    /// ```
    /// Fixed:
    /// ```text
    /// RatingSystem = MPAA   RatingValue = PG
    /// ```
    ///
    /// ## How to fix
    /// Use one of the system's ratings (the message lists them), or the
    /// system that gave the rating.
    ///
    /// ## Source
    /// MovieLabs Common Metadata Ratings v2.5.1 (`CMR_Ratings_v2.5.1.xml`,
    /// `Rating/@ratingID`), embedded as `schemas/codes/cmr-ratings.json`;
    /// MovieLabs `CMValidator.validateRatings` (mddf 2.0.9).
    pub struct InvalidRatingValue = ("EMA041", "invalid-rating-value", Error, Ema,
        "Rating value is not a rating of its system");
}

impl Rule for InvalidRatingValue {
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
            let (Some(id), candidates) = (rating.id(), rating.candidates()) else {
                continue;
            };
            if candidates.is_empty() {
                continue; // EMA040
            }
            let Some(value) = rating.value else {
                // XML: the schema requires md:Value (the structure check).
                if row.xml().is_none() {
                    out.push(
                        Self::META
                            .at_field(
                                row,
                                Field::RatingValue,
                                format!("RatingSystem `{id}` is given without a RatingValue"),
                            )
                            .with_help(format!("write the {id} rating, or clear RatingSystem")),
                    );
                }
                continue;
            };
            let v = value.value();
            if is_any_system_value(v) || candidates.iter().any(|s| s.has_rating(v)) {
                continue;
            }
            let mut known: Vec<&str> = Vec::new();
            for r in candidates.iter().flat_map(|s| &s.ratings) {
                if !known.contains(&r.as_str()) {
                    known.push(r);
                }
            }
            let list = known.join(", ");
            // A one-character rating is one edit from every other.
            let suggestion = (v.chars().count() > 1)
                .then(|| did_you_mean(v, known.iter().copied()))
                .flatten();
            let help = match suggestion {
                Some(s) => format!("did you mean `{s}`? {id} ratings: {list}"),
                None => format!("use one of the {id} ratings: {list}"),
            };
            out.push(
                Self::META
                    .at_cell(row, value, format!("`{v}` is not a rating of {id}"))
                    .with_help(help),
            );
        }
    }
}
