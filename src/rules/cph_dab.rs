//! CPH002: DAB only on 1.7.3.

use super::{Context, RowFacts, Rule};
use crate::model::{Avail, Diagnostic, Field};

super::declare_rule! {
    /// ## What it does
    /// `DAB` (Day After Broadcast) in `LicenseRightsDescription` is valid only
    /// in a 1.7.3 template (or Avails XML 2.3+). On 1.6 (and 1.7, 1.7.2, XML
    /// 2.1–2.2.x), any `SVOD` row whose LicenseRightsDescription holds the
    /// token `DAB` — alone or beside `CPH` — is an error: on 1.6 that field
    /// carries the CPH marker. (What a 1.7.3 CPH row may hold there is
    /// CPH012.)
    ///
    /// ## Why is this bad?
    /// Amazon: "Avails 1.6 doesn't support Day After Broadcast (DAB) CPH SVOD
    /// content. If you plan to deliver DAB titles and stream them as SVOD
    /// CPH, please use Avails 1.7.3 and input DAB in the
    /// LicenseRightsDescription field."
    ///
    /// ## Example
    /// A 1.6 row:
    /// ```text
    /// LicenseType = SVOD   LicenseRightsDescription = CPH, DAB
    /// ```
    /// Fixed, on a 1.7.3 template:
    /// ```text
    /// LicenseType = SVOD   LicenseRightsDescription = DAB   GroupIdentity = CPH
    /// ```
    ///
    /// ## How to fix
    /// Deliver DAB titles on 1.7.3 with `DAB` in LicenseRightsDescription and
    /// the CPH marker in GroupIdentity.
    ///
    /// ## Source
    /// Amazon "Cost Per Hour SVOD" page (note on DAB). `DAB` is an Amazon
    /// value, not an EMA one (EMA's closest is `Next Day TV`).
    pub struct DabVersion = ("CPH002", "dab-version", Error, Cph,
        "DAB (Day After Broadcast) is only valid on EMA 1.7.3");
}

/// True when `v` holds the word `DAB` (separated by `,` `;` `/` or spaces).
pub(super) fn has_dab(v: &str) -> bool {
    v.split(|c: char| c == ',' || c == ';' || c == '/' || c.is_whitespace())
        .any(|t| t.eq_ignore_ascii_case("DAB"))
}

impl Rule for DabVersion {
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
        if !version.at_least_1_7_3() && facts.svod && has_dab(lrd) {
            out.push(
                Self::META.at_field(
                    row,
                    Field::LicenseRightsDescription,
                    format!("Avails {version} doesn't support DAB CPH SVOD content (LicenseRightsDescription `{lrd}`)"),
                )
                .with_help("deliver it on 1.7.3 with DAB in LicenseRightsDescription (and the CPH marker in GroupIdentity)"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn dab_token() {
        assert!(super::has_dab("DAB"));
        assert!(super::has_dab("CPH, DAB"));
        assert!(super::has_dab("cph dab"));
        assert!(!super::has_dab("DABBLE"));
    }
}
