//! CPH012: a 1.7.3 CPH row's LicenseRightsDescription is empty or DAB.

use super::{Context, RowClass, RowFacts, Rule};
use crate::model::{Avail, Diagnostic, Field};

super::declare_rule! {
    /// ## What it does
    /// On 1.7.3 (and Avails XML 2.3+) a CPH row's `LicenseRightsDescription`
    /// is empty or `DAB` (Day After Broadcast); any other value is a warning.
    ///
    /// ## Why is this bad?
    /// On 1.7.3 Amazon reads this field of a CPH row only for `DAB`; another
    /// value (often a 1.6 habit such as `CPH` or `Library`) is ignored or
    /// misread.
    ///
    /// ## Example
    /// A 1.7.3 CPH row:
    /// ```text
    /// GroupIdentity = CPH   LicenseRightsDescription = Library
    /// ```
    /// Fixed:
    /// ```text
    /// GroupIdentity = CPH   LicenseRightsDescription =
    /// ```
    ///
    /// ## Source
    /// Amazon "Cost Per Hour SVOD" page (note on DAB);
    /// `cph-svod-rules.md` rule 2.
    pub struct RightsDescription = ("CPH012", "cph-rights-description", Warning, Cph,
        "A 1.7.3 CPH row's LicenseRightsDescription is neither empty nor DAB");
}

impl Rule for RightsDescription {
    fn checks_rows(&self) -> bool {
        true
    }

    fn row_fields(&self) -> &'static [Field] {
        &[Field::LicenseRightsDescription]
    }

    fn check_row(
        &self,
        row: &Avail,
        facts: &RowFacts,
        _ctx: &Context<'_>,
        out: &mut Vec<Diagnostic>,
    ) {
        let version = row.sheet.version;
        let lrd = row.text(Field::LicenseRightsDescription);
        if version.at_least_1_7_3()
            && facts.class == RowClass::Cph
            && !lrd.is_empty()
            && !lrd.eq_ignore_ascii_case("DAB")
        {
            out.push(
                Self::META
                    .at_field(
                        row,
                        Field::LicenseRightsDescription,
                        format!("a CPH row's LicenseRightsDescription is empty or `DAB` on EMA {version}, not `{lrd}`"),
                    )
                    .with_help("clear LicenseRightsDescription, or write `DAB` for Day After Broadcast titles"),
            );
        }
    }
}
