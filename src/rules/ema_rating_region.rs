//! EMA043: a rating system given for a region that does not use it.

use super::{Context, RowFacts, Rule, ratings};
use crate::model::ratings::{systems, used_in};
use crate::model::{Avail, Diagnostic, Field};

super::declare_rule! {
    /// ## What it does
    /// Warns when a rating's system is not used in the region the rating is
    /// given for: in spreadsheets, the row's territories (ZZ, EU and 419
    /// name no country and are not checked); in XML, the rating's own
    /// `md:Region`. A country uses a system that it or one of its provinces
    /// has adopted.
    ///
    /// ## Why is this bad?
    /// Storefronts show the rating of the viewer's country; an MPAA rating
    /// on a German avail is not the rating German viewers (and German law)
    /// go by. MovieLabs' validator warns the same way.
    ///
    /// ## Example
    /// ```text
    /// Territory = DE   RatingSystem = MPAA   RatingValue = PG
    /// ```
    /// Fixed:
    /// ```text
    /// Territory = DE   RatingSystem = FSK    RatingValue = 6
    /// ```
    ///
    /// ## How to fix
    /// Give the rating of the territory's own system (the message names the
    /// systems it uses), or check the territory.
    ///
    /// ## Source
    /// MovieLabs Common Metadata Ratings v2.5.1 (`CMR_Ratings_v2.5.1.xml`,
    /// `AdoptiveRegion`), embedded as `schemas/codes/cmr-ratings.json`;
    /// MovieLabs `CMValidator.validateRatings` ("RatingSystem not used in
    /// specified Region").
    pub struct RatingSystemRegion = ("EMA043", "rating-system-region", Warning, Ema,
        "Rating system is not used in the rating's region");
}

impl Rule for RatingSystemRegion {
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
            let (Some(id), Some(system)) = (rating.id(), rating.system) else {
                continue;
            };
            if systems(id).next().is_none() {
                continue; // EMA040
            }
            let mut elsewhere: Vec<_> = rating
                .countries()
                .filter(|(_, r)| !systems(id).any(|s| s.is_used_in(r)))
                .collect();
            elsewhere.dedup_by(|a, b| a.1 == b.1);
            if elsewhere.is_empty() {
                continue;
            }
            let help = |region: &str| {
                let local = used_in(region);
                if local.is_empty() {
                    format!("the ratings list names no system for {region}; check the territory")
                } else {
                    format!("{region} uses {}", local.join(", "))
                }
            };
            let used: Vec<&str> = systems(id)
                .flat_map(|s| s.used_in.iter().map(String::as_str))
                .collect();
            if row.xml().is_some() {
                // Each md:Region where the rating is given.
                for (cell, region) in elsewhere {
                    out.push(
                        Self::META
                            .at_cell(
                                row,
                                cell,
                                format!(
                                    "rating system {id} is not used in {region} (it is used in {})",
                                    used.join(", ")
                                ),
                            )
                            .with_help(help(region)),
                    );
                }
            } else {
                let regions: Vec<&str> = elsewhere.iter().map(|(_, r)| *r).collect();
                out.push(
                    Self::META
                        .at_cell(
                            row,
                            system,
                            format!(
                                "rating system {id} is not used in {} (the row's territory; {id} is used in {})",
                                regions.join(", "),
                                used.join(", ")
                            ),
                        )
                        .with_help(help(regions[0])),
                );
            }
        }
    }
}
