//! EMA042: a rating reason that is not one of its system's reason codes.

use super::{Context, RowFacts, Rule, ratings};
use crate::model::{Avail, Diagnostic, Field};

super::declare_rule! {
    /// ## What it does
    /// For rating systems that define reason codes (such as South Africa's
    /// FPB: `V`, `L`, `S`, …), checks each reason (`RatingReason`, a comma
    /// list in spreadsheets; XML `md:Rating/md:Reason`, one each) against
    /// the codes. Systems without codes (such as MPAA) take any text, and a
    /// comma in it separates nothing.
    ///
    /// ## Why is this bad?
    /// A reason that is not one of the system's codes cannot be shown as the
    /// rating's content advice; MovieLabs' validator rejects it.
    ///
    /// ## Example
    /// ```text
    /// RatingSystem = FPB   RatingValue = 7-9-PG   RatingReason = Sex
    /// ```
    /// Fixed:
    /// ```text
    /// RatingSystem = FPB   RatingValue = 7-9-PG   RatingReason = S
    /// ```
    ///
    /// ## How to fix
    /// Use the system's codes (the message lists them), one per reason.
    ///
    /// ## Source
    /// MovieLabs Common Metadata Ratings v2.5.1 (`CMR_Ratings_v2.5.1.xml`,
    /// `Reason/@reasonID`), embedded as `schemas/codes/cmr-ratings.json`;
    /// MovieLabs `CMValidator.validateRatings` and
    /// `MetadataBuilder` (reasons split on `,` only for systems with codes).
    pub struct InvalidRatingReason = ("EMA042", "invalid-rating-reason", Error, Ema,
        "Rating reason is not one of its system's reason codes");
}

impl Rule for InvalidRatingReason {
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
            // Free-text reasons in any of the systems the ID may be: no codes to check.
            if candidates.is_empty() || !candidates.iter().all(|s| s.has_reason_codes()) {
                continue;
            }
            for cell in &rating.reasons {
                for code in ratings::reason_codes(row, cell) {
                    if candidates.iter().any(|s| s.has_reason(code)) {
                        continue;
                    }
                    let mut codes: Vec<&str> = Vec::new();
                    for r in candidates.iter().flat_map(|s| &s.reasons) {
                        if !codes.contains(&r.as_str()) {
                            codes.push(r);
                        }
                    }
                    out.push(
                        Self::META
                            .at_cell(
                                row,
                                cell,
                                format!("`{code}` is not a {id} reason code; {id} defines its reasons as codes"),
                            )
                            .with_help(format!("use the {id} reason codes: {}", codes.join(", "))),
                    );
                }
            }
        }
    }
}
