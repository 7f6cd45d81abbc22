//! EMA044: a rating its system no longer gives.

use super::{Context, RowFacts, Rule, ratings};
use crate::model::{Avail, Diagnostic, Field};

super::declare_rule! {
    /// ## What it does
    /// Warns when a rating's value is one its system has deprecated in
    /// MovieLabs' Common Metadata Ratings (MPAA `X`, `GP`, `M`).
    ///
    /// ## Why is this bad?
    /// Old ratings are still valid for old releases, but a newer rating
    /// often exists and storefronts may map the old one poorly. MovieLabs'
    /// validator warns the same way.
    ///
    /// ## Example
    /// ```text
    /// RatingSystem = MPAA   RatingValue = X
    /// ```
    /// Fixed, when the title has been re-rated:
    /// ```text
    /// RatingSystem = MPAA   RatingValue = NC-17
    /// ```
    ///
    /// ## How to fix
    /// Give the current rating if the title has one.
    ///
    /// ## Source
    /// MovieLabs Common Metadata Ratings v2.5.1 (`CMR_Ratings_v2.5.1.xml`,
    /// `Rating/Deprecated`), embedded as `schemas/codes/cmr-ratings.json`;
    /// MovieLabs `CMValidator.validateRatings` ("Deprecated Rating").
    pub struct DeprecatedRating = ("EMA044", "deprecated-rating", Warning, Ema,
        "Rating is deprecated in its system");
}

impl Rule for DeprecatedRating {
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
            let (Some(id), Some(value)) = (rating.id(), rating.value) else {
                continue;
            };
            let v = value.value();
            let giving: Vec<_> = rating
                .candidates()
                .into_iter()
                .filter(|s| s.has_rating(v))
                .collect();
            if giving.is_empty() || !giving.iter().all(|s| s.is_deprecated(v)) {
                continue;
            }
            out.push(
                Self::META
                    .at_cell(
                        row,
                        value,
                        format!("{id} no longer gives the rating `{v}` (deprecated)"),
                    )
                    .with_help(format!(
                        "give the title's current {id} rating if it has one"
                    )),
            );
        }
    }
}
