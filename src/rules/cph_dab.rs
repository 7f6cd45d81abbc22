//! CPH002: DAB only on 1.7.3.

use super::{Context, Family, RowClass, RuleMeta};
use crate::model::{Avail, Diagnostic, Severity};

static META: RuleMeta = RuleMeta {
    code: "CPH002",
    name: "dab-version",
    title: "DAB (Day After Broadcast) is only valid on EMA 1.7.3",
    severity: Severity::Error,
    family: Family::Cph,
    docs: r#"## What it does
`DAB` (Day After Broadcast) in `LicenseRightsDescription` is valid only in a
1.7.3 template (or Avails XML 2.3+).
- On 1.6 (and 1.7, 1.7.2, XML 2.1–2.2.x), any `SVOD` row whose
  LicenseRightsDescription holds the token `DAB` — alone or beside `CPH` — is
  an **error**: on 1.6 that field carries the CPH marker.
- On 1.7.3 a CPH row's LicenseRightsDescription must be empty or `DAB`; any
  other value is a **warning**.

## Why is this bad?
Amazon: "Avails 1.6 doesn't support Day After Broadcast (DAB) CPH SVOD
content. If you plan to deliver DAB titles and stream them as SVOD CPH,
please use Avails 1.7.3 and input DAB in the LicenseRightsDescription field."

## How to fix
Deliver DAB titles on 1.7.3 with `DAB` in LicenseRightsDescription and the
CPH marker in GroupIdentity.

## Source
Amazon "Cost Per Hour SVOD" page (note on DAB). `DAB` is an Amazon value, not
an EMA one (EMA's closest is `Next Day TV`).
"#,
};

/// See [`META`].
pub struct Rule;

fn has_dab(v: &str) -> bool {
    v.split(|c: char| c == ',' || c == ';' || c == '/' || c.is_whitespace())
        .any(|t| t.eq_ignore_ascii_case("DAB"))
}

impl super::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_row(&self, row: &Avail, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let version = row.sheet.version;
        let lrd = row.text("LicenseRightsDescription");
        if !version.at_least_1_7_3() {
            if row.text("LicenseType") == "SVOD" && has_dab(lrd) {
                out.push(
                    META.at_field(
                        row,
                        "LicenseRightsDescription",
                        format!("Avails {version} doesn't support DAB CPH SVOD content (LicenseRightsDescription `{lrd}`)"),
                    )
                    .with_help("deliver it on 1.7.3 with DAB in LicenseRightsDescription (and the CPH marker in GroupIdentity)"),
                );
            }
            return;
        }
        if ctx.class(row) == RowClass::Cph && !lrd.is_empty() && !lrd.eq_ignore_ascii_case("DAB") {
            let mut d = META
                .at_field(
                    row,
                    "LicenseRightsDescription",
                    format!("a CPH row's LicenseRightsDescription is empty or `DAB` on EMA {version}, not `{lrd}`"),
                )
                .with_help("clear LicenseRightsDescription, or write `DAB` for Day After Broadcast titles");
            d.severity = Severity::Warning;
            out.push(d);
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
