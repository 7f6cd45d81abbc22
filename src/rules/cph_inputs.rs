//! CPH001: CPH inputs per template version.

use super::{Context, Family, RowClass, RuleMeta};
use crate::model::{Avail, Diagnostic, Severity, TemplateVersion};

static META: RuleMeta = RuleMeta {
    code: "CPH001",
    name: "cph-inputs",
    title: "CPH row does not carry the CPH inputs of its template version",
    severity: Severity::Error,
    family: Family::Cph,
    docs: r#"## What it does
A CPH row is an `SVOD` row carrying the CPH marker in the field its template
version uses (defaults below). This rule reports:
- the marker on a row whose `LicenseType` is not exactly `SVOD`;
- the marker in the wrong field for the version (e.g. `CPH` in
  `LicenseRightsDescription` on 1.7.3, where it belongs in `GroupIdentity`);
- CPH rows in a template other than 1.6 or 1.7.3 (1.7, 1.7.2, 1.8, 1.9):
  Amazon documents CPH inputs only for those two.

| template | marker (default) |
|---|---|
| EMA 1.6 | `LicenseRightsDescription = CPH` |
| EMA 1.7.3 | `GroupIdentity = CPH` |
| XML 2.3+ | GroupingEntity (channel) DisplayName `= CPH`, or `ContractID = CPH` |
| XML 2.1–2.2.x | `LicenseRightsDescription = CPH` |

## Why is this bad?
Amazon does not recognise the row as CPH and treats it as Licensed SVOD, or rejects it.

## How to fix
Set `LicenseType` to `SVOD` and put the marker where the version expects it;
for CPH on another template, use 1.7.3.

## Source and assumptions
Amazon "Cost Per Hour SVOD" page (the "Required inputs" tables were lost):
the marker fields and the value `CPH` are **assumptions** — change them with
`[markers]` in availcheck.toml without a new release.
"#,
};

/// See [`META`].
pub struct Rule;

impl super::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_row(&self, row: &Avail, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let s = ctx.settings;
        let version = row.sheet.version;
        let own = s.markers.for_version(version);
        match ctx.class(row) {
            RowClass::MisplacedCph => {
                let (field, marker) = s
                    .markers
                    .all()
                    .into_iter()
                    .find_map(|m| {
                        m.fields
                            .iter()
                            .find(|f| {
                                row.get_all(f).any(|c| {
                                    c.text
                                        .split(',')
                                        .any(|t| t.trim().eq_ignore_ascii_case(&m.value))
                                })
                            })
                            .map(|f| (f.clone(), m.value.clone()))
                    })
                    .unwrap_or_default();
                let license = row.text("LicenseType");
                if license != "SVOD" {
                    let hint = if license.eq_ignore_ascii_case("svod") {
                        " (exactly, upper-case)"
                    } else {
                        ""
                    };
                    out.push(
                        META.at_field(
                            row,
                            "LicenseType",
                            format!("row carries the CPH marker `{marker}` in {field}, but LicenseType is `{license}`; CPH rows are SVOD"),
                        )
                        .with_help(format!("set LicenseType to `SVOD`{hint}, or remove the CPH marker if this is not a CPH offer")),
                    );
                } else if let Some(m) = own {
                    out.push(
                        META.at_field(
                            row,
                            &field,
                            format!("`{marker}` in {field} is not where EMA {version} carries the CPH marker; this row is not recognised as CPH"),
                        )
                        .with_help(format!("on EMA {version} put the marker in {} (`{}`) and clear {field}", m.fields.join(" or "), m.describe())),
                    );
                }
            }
            RowClass::Cph if own.is_none() => {
                out.push(
                    META.at_field(
                        row,
                        "LicenseType",
                        format!("CPH SVOD row in an EMA {version} template; Amazon documents CPH inputs only for EMA 1.6 and 1.7.3"),
                    )
                    .with_help(format!(
                        "use 1.7.3 (marker `{}`) for CPH avails",
                        s.markers.for_version(TemplateVersion::V1_7_3).map(|m| m.describe()).unwrap_or_default()
                    )),
                );
            }
            _ => {}
        }
    }
}
