//! Format sniffing (from content, not extension) and template-version detection.

use std::collections::HashSet;

use super::ReadError;
use crate::model::{SourceKind, TemplateVersion};

/// What a file's bytes are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A workbook container calamine reads.
    Workbook(SourceKind),
    /// Delimited text.
    Csv,
    /// XML.
    Xml,
}

const ZIP: &[u8] = b"PK\x03\x04";
const CFB: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Decides the format from the first bytes (and, for containers, their contents).
pub fn sniff(bytes: &[u8]) -> Result<Format, ReadError> {
    if bytes.starts_with(ZIP) {
        if bytes.len() > 80
            && contains(
                &bytes[..bytes.len().min(200)],
                b"application/vnd.oasis.opendocument.spreadsheet",
            )
        {
            return Ok(Format::Workbook(SourceKind::Ods));
        }
        if contains(bytes, b"xl/workbook.bin") {
            return Ok(Format::Workbook(SourceKind::Xlsb));
        }
        if contains(bytes, b"xl/workbook.xml") {
            return Ok(Format::Workbook(SourceKind::Xlsx));
        }
        if contains(bytes, b"word/document.xml") {
            return Err(ReadError::UnknownFormat(
                "is a Word document (zip with word/document.xml), not an avails workbook".into(),
            ));
        }
        return Err(ReadError::UnknownFormat(
            "is a zip archive without a workbook inside (no xl/workbook.xml); it may be truncated or not a spreadsheet — export the avails again as .xlsx".into(),
        ));
    }
    if bytes.starts_with(CFB) {
        let utf16 = |s: &str| {
            s.encode_utf16()
                .flat_map(u16::to_le_bytes)
                .collect::<Vec<u8>>()
        };
        if contains(bytes, &utf16("EncryptedPackage")) || contains(bytes, &utf16("EncryptionInfo"))
        {
            return Err(ReadError::Workbook(
                "is a password-protected (encrypted) workbook; availcheck cannot read encrypted files — remove the password in Excel (File › Info › Protect Workbook) and save again".into(),
            ));
        }
        return Ok(Format::Workbook(SourceKind::Xls));
    }
    for (magic, what) in [
        (&b"%PDF"[..], "a PDF document"),
        (&b"\x89PNG"[..], "a PNG image"),
        (&b"\xFF\xD8\xFF"[..], "a JPEG image"),
        (&b"GIF8"[..], "a GIF image"),
        (&b"\x1F\x8B"[..], "a gzip archive"),
        (&b"Rar!"[..], "a RAR archive"),
        (&b"7z\xBC\xAF"[..], "a 7-Zip archive"),
    ] {
        if bytes.starts_with(magic) {
            return Err(ReadError::UnknownFormat(format!(
                "is {what}, not an avails file; availcheck reads .xlsx, .xls, .xlsb, .ods, .csv and Avails XML"
            )));
        }
    }
    let text_start = skip_bom_and_space(bytes);
    if text_start.starts_with(b"<") {
        return Ok(Format::Xml);
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        // UTF-16 text: XML or CSV; the CSV reader decodes it.
        let probe: Vec<u8> = bytes[2..]
            .iter()
            .copied()
            .filter(|b| *b != 0)
            .take(64)
            .collect();
        if skip_bom_and_space(&probe).starts_with(b"<") {
            return Ok(Format::Xml);
        }
        return Ok(Format::Csv);
    }
    let head = &bytes[..bytes.len().min(8192)];
    let binary = head.iter().filter(|b| **b == 0 || (**b < 0x09)).count();
    if binary > 0 {
        return Err(ReadError::UnknownFormat(
            "is not a spreadsheet, CSV or Avails XML file (binary content of an unknown kind); availcheck reads .xlsx, .xls, .xlsb, .ods, .csv and Avails XML".into(),
        ));
    }
    Ok(Format::Csv)
}

fn skip_bom_and_space(b: &[u8]) -> &[u8] {
    let b = b.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(b);
    let n = b.iter().take_while(|c| c.is_ascii_whitespace()).count();
    &b[n..]
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle)
}

/// The version chosen for a sheet and the sentence that says why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detected {
    /// Version used.
    pub version: TemplateVersion,
    /// Why, for the info diagnostic.
    pub reason: String,
}

/// Detects the template version of a sheet: override, then cell A3, then
/// header signatures (ema-avails-format.md §5 item 3), then the FAQ sheet's
/// version cell. `Err` carries what was seen.
pub fn detect_version(
    override_version: Option<TemplateVersion>,
    a3: Option<&str>,
    fields: &HashSet<&str>,
    faq_version: Option<&str>,
) -> Result<Detected, String> {
    if let Some(v) = override_version {
        return Ok(Detected {
            version: v,
            reason: "given with --template-version".into(),
        });
    }
    if let Some(a3) = a3
        && let Ok(v @ (TemplateVersion::V1_8 | TemplateVersion::V1_9)) =
            a3.trim().parse::<TemplateVersion>()
    {
        return Ok(Detected {
            version: v,
            reason: format!("cell A3 says `{}`", a3.trim()),
        });
    }
    let has = |f: &str| fields.contains(f);
    let any = |fs: &[&'static str]| fs.iter().copied().find(|f| has(f));
    if let Some(f) = any(&[
        "TPRType",
        "CampaignID",
        "AssociatedALID",
        "VolumeDistributionNumber",
    ]) {
        return Ok(found(
            TemplateVersion::V1_9,
            &format!("header has `{f}` (new in 1.9)"),
        ));
    }
    if let Some(f) = any(&[
        "VolumeID",
        "VolumeNumber",
        "VolumeContentID",
        "VolumeTitleInternalAlias",
        "RetailerVolumeID",
        "PackageLabel",
        "StoreType",
    ]) {
        return Ok(found(
            TemplateVersion::V1_8,
            &format!("header has `{f}` (new in 1.8)"),
        ));
    }
    if let Some(f) = any(&[
        "GroupIdentity",
        "Licensee",
        "TerritoryExclusion",
        "WindowDuration",
        "Director",
    ]) {
        return Ok(found(
            TemplateVersion::V1_7_3,
            &format!("header has `{f}` (new in 1.7.3)"),
        ));
    }
    if let Some(f) = any(&[
        "StoreLanguage",
        "HoldbackExclusionLanguage",
        "ProductID",
        "EncodeID",
        "EpisodeProductID",
    ]) {
        return Ok(found(
            TemplateVersion::V1_6,
            &format!("header has `{f}` (1.6 only)"),
        ));
    }
    if has("ALID") {
        if let Some(f) = any(&[
            "AltID",
            "EpisodeAltID",
            "SeasonAltID",
            "SeriesAltID",
            "RetailerSpare1",
        ]) {
            return Ok(found(
                TemplateVersion::V1_7_2,
                &format!("header has `ALID` and `{f}` (1.7.2)"),
            ));
        }
        return Ok(found(
            TemplateVersion::V1_7,
            "header has `ALID` without AltID columns (1.7)",
        ));
    }
    if has("AltID") || has("SeriesAltID") {
        return Ok(found(
            TemplateVersion::V1_6,
            "header has AltID but no `ALID` (1.6)",
        ));
    }
    if let Some(v) = faq_version.and_then(|s| s.parse::<TemplateVersion>().ok()) {
        return Ok(Detected {
            version: v,
            reason: format!(
                "the instructions sheet names template version `{}`",
                faq_version.unwrap_or_default()
            ),
        });
    }
    let mut seen: Vec<&str> = fields.iter().copied().collect();
    seen.sort_unstable();
    let seen = if seen.is_empty() {
        "no EMA field names".to_string()
    } else {
        seen.iter().take(12).copied().collect::<Vec<_>>().join(", ")
    };
    Err(format!(
        "cannot tell the template version: cell A3 holds {}, and the header ({seen}) has none of the fields that identify 1.6, 1.7, 1.7.2, 1.7.3, 1.8 or 1.9; pass --template-version",
        a3.map_or("nothing".to_string(), |s| format!("`{s}`"))
    ))
}

fn found(version: TemplateVersion, why: &str) -> Detected {
    Detected {
        version,
        reason: why.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set<'a>(f: &[&'a str]) -> HashSet<&'a str> {
        f.iter().copied().collect()
    }

    #[test]
    fn header_signatures() {
        let v = |f: &[&str]| detect_version(None, None, &set(f), None).map(|d| d.version);
        assert_eq!(
            v(&["ALID", "GroupIdentity", "Territory"]),
            Ok(TemplateVersion::V1_7_3)
        );
        assert_eq!(v(&["AltID", "StoreLanguage"]), Ok(TemplateVersion::V1_6));
        assert_eq!(v(&["ALID", "AltID"]), Ok(TemplateVersion::V1_7_2));
        assert_eq!(v(&["ALID"]), Ok(TemplateVersion::V1_7));
        assert_eq!(
            v(&["ALID", "PackageLabel", "GroupIdentity"]),
            Ok(TemplateVersion::V1_8)
        );
        assert!(v(&["Territory"]).is_err());
    }

    #[test]
    fn a3_and_override_win() {
        let d = detect_version(None, Some("1.9"), &set(&["GroupIdentity"]), None).unwrap();
        assert_eq!(d.version, TemplateVersion::V1_9);
        let d = detect_version(Some(TemplateVersion::V1_6), Some("1.9"), &set(&[]), None).unwrap();
        assert_eq!(d.version, TemplateVersion::V1_6);
    }

    #[test]
    fn sniffs_content() {
        assert_eq!(sniff(b"<?xml version='1.0'?><a/>").unwrap(), Format::Xml);
        assert_eq!(
            sniff(b"\xEF\xBB\xBFDisplayName,Territory\n").unwrap(),
            Format::Csv
        );
        assert!(sniff(b"%PDF-1.4 ...").is_err());
        assert!(sniff(b"PK\x03\x04 nothing").is_err());
    }
}
