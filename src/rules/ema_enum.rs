//! EMA004: a value is not one of the field's enumerated values.

use super::{Rule, did_you_mean};
use crate::model::{
    Avail, Cell, Diagnostic, Dictionary, Field, FieldDef, FieldKind, TemplateVersion,
};

super::declare_rule! {
    /// ## What it does
    /// Checks enumerated fields against the values of the sheet's template
    /// version: EntryType, LicenseType, WorkType, FormatProfile, PriceType,
    /// LocalizationType, the Yes/No and True/False fields (which, like
    /// MovieLabs' converter, also accept `Y`/`N`, `T`/`F`, `1`/`0` in any
    /// case), CaptionExemption, HDR/WCG/HFR/NGAudio, TitleStatus, TPRType.
    /// Values differ between versions: `UHD` is not a 1.6 FormatProfile (1.6
    /// has `4K`), and `4K`/`HFR` are not FormatProfiles from 1.7 on (use `UHD`
    /// and the `HFR` column); `SRP` is a PriceType only in 1.6.
    ///
    /// ## Why is this bad?
    /// MovieLabs' vocabulary checks are case-sensitive and Amazon maps these
    /// values to its own; an unknown value rejects the row.
    ///
    /// ## Example
    /// A 1.7.3 row:
    /// ```text
    /// WorkType = Movies   FormatProfile = 4K
    /// ```
    /// Fixed:
    /// ```text
    /// WorkType = Movie    FormatProfile = UHD
    /// ```
    ///
    /// Avails XML takes these values from MovieLabs' vocabularies of its
    /// version (`schemas/movielabs/`): WorkType from Common Metadata (so
    /// `Supplemental`, `Promotion`, `Episode` … are WorkTypes there),
    /// EntryType, LicenseType, FormatProfile, LocalizationOffering,
    /// USACaptionsExemptionReason, TitleStatus and TPRType from the avails
    /// vocabulary.
    ///
    /// ## How to fix
    /// Use one of the listed values, spelled exactly.
    ///
    /// ## Source
    /// ema-avails-format.md §1.3 and §1.8 (data dictionaries and mddf
    /// vocabularies); the values are in `schemas/dictionaries/`, and for
    /// XML in MovieLabs' `vocab_avail_v2.x.json` and `vocab_cm_v2.x.json`
    /// (`schemas/movielabs/versions.json` pairs them with each version).
    pub struct InvalidEnumeration = ("EMA004", "invalid-enumeration", Error, Ema,
        "Value is not allowed for this field in this template version");
}

/// Versions in which `value` is valid for `field` (for "it is from 1.7 on"
/// hints): spreadsheet versions, or Avails XML versions for XML.
fn versions_with(
    field: Field,
    value: &str,
    kind: crate::model::SheetKind,
    xml: bool,
) -> Vec<TemplateVersion> {
    let versions = if xml {
        crate::model::movielabs::xml_versions()
    } else {
        TemplateVersion::SPREADSHEET.to_vec()
    };
    versions
        .into_iter()
        .filter(|v| Dictionary::allows(*v, kind, field, value))
        .collect()
}

impl Rule for InvalidEnumeration {
    fn value_kinds(&self) -> &'static [FieldKind] {
        &[FieldKind::Enum]
    }

    fn check_value(
        &self,
        row: &Avail,
        f: &'static FieldDef,
        cell: &Cell,
        out: &mut Vec<Diagnostic>,
    ) {
        let info = &row.sheet;
        let v = cell.value();
        if v.is_empty() || f.allows(v) {
            return;
        }
        // From 1.8 a row's WorkType chooses its dictionary: any kind's will do.
        let values: Vec<&str> = if f.field == Field::WorkType {
            info.layouts()
                .iter()
                .filter_map(|l| l.dictionary.field(Field::WorkType))
                .flat_map(|w| w.values.iter().map(String::as_str))
                .collect()
        } else {
            f.values.iter().map(String::as_str).collect()
        };
        let list = values.join(", ");
        let mut help = match did_you_mean(v, values.iter().copied()) {
            Some(s) => format!("did you mean `{s}`? Allowed: {list}"),
            None => format!("use one of: {list}"),
        };
        if !f.pattern_values.is_empty() {
            help.push_str(&format!(
                " (or a value starting with {})",
                f.pattern_values.join(", ")
            ));
        }
        let xml = info.version.is_xml();
        let kind = row.layout().kind;
        let elsewhere = versions_with(f.field, v, kind, xml);
        let mut message = if xml {
            format!(
                "`{v}` is not a valid {} in Avails XML {}",
                info.label(f.field),
                info.version
            )
        } else {
            // A WorkType that chooses no dictionary is valid in none of them.
            let scope = if info.per_row() && f.field == Field::WorkType {
                String::new()
            } else {
                format!(" {}", kind.as_str())
            };
            format!(
                "`{v}` is not a valid {} in EMA {}{scope}",
                f.name(),
                info.version
            )
        };
        if !elsewhere.is_empty() {
            let names: Vec<String> = elsewhere.iter().map(ToString::to_string).collect();
            message.push_str(&format!(" (it is valid in {})", names.join(", ")));
        }
        out.push(Self::META.at_cell(row, cell, message).with_help(help));
    }
}
