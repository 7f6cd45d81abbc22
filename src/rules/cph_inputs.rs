//! CPH001: CPH inputs per template version.

use super::{Context, RowClass, RowFacts, Rule};
use crate::model::{Avail, Diagnostic, Field, TemplateVersion};

super::declare_rule! {
    /// ## What it does
    /// A CPH row is an `SVOD` row carrying the CPH marker in the field its
    /// template version uses (defaults below). This rule reports:
    /// - the marker on a row whose `LicenseType` is not exactly `SVOD`;
    /// - the marker in the wrong field for the version (e.g. `CPH` in
    ///   `LicenseRightsDescription` on 1.7.3, where it belongs in
    ///   `GroupIdentity`);
    /// - CPH rows in a template other than 1.6 or 1.7.3 (1.7, 1.7.2, 1.8,
    ///   1.9): Amazon documents CPH inputs only for those two.
    ///
    /// | template | marker (default) |
    /// |---|---|
    /// | EMA 1.6 | `LicenseRightsDescription = CPH` |
    /// | EMA 1.7.3 | `GroupIdentity = CPH` |
    /// | XML 2.3+ | GroupingEntity (channel) DisplayName `= CPH`, or `ContractID = CPH` |
    /// | XML 2.1–2.2.x | `LicenseRightsDescription = CPH` |
    ///
    /// ## Why is this bad?
    /// Amazon does not recognise the row as CPH and treats it as Licensed
    /// SVOD, or rejects it.
    ///
    /// ## Example
    /// A 1.7.3 row:
    /// ```text
    /// LicenseType = SVOD   LicenseRightsDescription = CPH   GroupIdentity =
    /// ```
    /// Fixed:
    /// ```text
    /// LicenseType = SVOD   LicenseRightsDescription =       GroupIdentity = CPH
    /// ```
    ///
    /// ## How to fix
    /// Set `LicenseType` to `SVOD` and put the marker where the version
    /// expects it; for CPH on another template, use 1.7.3.
    ///
    /// ## Source
    /// Amazon "Cost Per Hour SVOD" page (the "Required inputs" tables were
    /// lost). Assumption: setting `[markers]` in availcheck.toml — the marker
    /// fields and the value `CPH` can be changed without a new release.
    pub struct CphInputs = ("CPH001", "cph-inputs", Error, Cph,
        "CPH row does not carry the CPH inputs of its template version");
}

impl Rule for CphInputs {
    fn checks_rows(&self) -> bool {
        true
    }

    fn check_row(
        &self,
        row: &Avail,
        facts: &RowFacts,
        ctx: &Context<'_>,
        out: &mut Vec<Diagnostic>,
    ) {
        let s = ctx.settings;
        let version = row.sheet.version;
        let own = s.markers.for_version(version);
        match facts.class {
            RowClass::MisplacedCph => {
                let Some((field, marker)) = s
                    .markers
                    .all()
                    .into_iter()
                    .find_map(|m| Some((m.found_in(row)?, m.value.as_str())))
                else {
                    return;
                };
                let license = row.text(Field::LicenseType);
                if license != "SVOD" {
                    let hint = if license.eq_ignore_ascii_case("svod") {
                        " (exactly, upper-case)"
                    } else {
                        ""
                    };
                    out.push(
                        Self::META.at_field(
                            row,
                            Field::LicenseType,
                            format!("row carries the CPH marker `{marker}` in {field}, but LicenseType is `{license}`; CPH rows are SVOD"),
                        )
                        .with_help(format!("set LicenseType to `SVOD`{hint}, or remove the CPH marker if this is not a CPH offer")),
                    );
                } else if let Some(m) = own {
                    out.push(
                        Self::META.at_field(
                            row,
                            field,
                            format!("`{marker}` in {field} is not where EMA {version} carries the CPH marker; this row is not recognised as CPH"),
                        )
                        .with_help(format!("on EMA {version} put the marker in {} (`{}`) and clear {field}", m.field_names(), m.describe())),
                    );
                }
            }
            RowClass::Cph if own.is_none() => {
                out.push(
                    Self::META.at_field(
                        row,
                        Field::LicenseType,
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
