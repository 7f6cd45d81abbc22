//! Format sniffing (from content, not extension) and template-version detection.

use super::ReadError;
use crate::model::{Dictionary, Field, Requirement, SheetKind, SourceKind, TemplateVersion};

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
/// the header (ema-avails-format.md §5 item 3), then the FAQ sheet's version
/// cell. An Avails XML version given as the override does not apply to a
/// sheet: the version is detected and the reason says so. `Err` carries
/// what was seen.
///
/// The header is matched against the dictionaries: the versions whose
/// fields cover most of the header's fields are the candidates. When some
/// cover all of them, the oldest is used (a header without any newer field
/// is the older template); when none does, the newest (a newer template with
/// a stray old column). Fields every version has tell nothing.
pub fn detect_version(
    override_version: Option<TemplateVersion>,
    a3: Option<&str>,
    header: &[Field],
    faq_version: Option<&str>,
) -> Result<Detected, String> {
    match override_version {
        Some(v) if v.is_xml() => {
            let not_for_sheets = format!(
                " (--template-version {v} is an Avails XML version and does not apply to spreadsheets; use 1.6, 1.7, 1.7.2, 1.7.3, 1.8 or 1.9)"
            );
            return detect_version(None, a3, header, faq_version)
                .map(|d| Detected {
                    reason: d.reason + &not_for_sheets,
                    ..d
                })
                .map_err(|e| e + &not_for_sheets);
        }
        Some(v) => {
            return Ok(Detected {
                version: v,
                reason: "given with --template-version".into(),
            });
        }
        None => {}
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
    if let Some(d) = from_header(header) {
        return Ok(d);
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
    let mut seen: Vec<&str> = header.iter().map(|f| f.name()).collect();
    seen.sort_unstable();
    seen.dedup();
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

/// The version a header's fields (in column order) point to, by the
/// dictionaries (see [`detect_version`]); `None` when they fit every version
/// alike.
fn from_header(header: &[Field]) -> Option<Detected> {
    let versions = TemplateVersion::SPREADSHEET;
    let sets = versions.map(Dictionary::fields_of);
    let known: Vec<Field> = header
        .iter()
        .copied()
        .filter(|f| sets.iter().any(|s| s.contains(*f)))
        .collect();
    if known.iter().all(|f| sets.iter().all(|s| s.contains(*f))) {
        return None;
    }
    // The first version of each field; the newest of those is the oldest
    // template the header can be.
    let first = |f: Field| sets.iter().position(|s| s.contains(f)).unwrap_or(0);
    // The first such field in column order names the reason.
    let newest = known.iter().copied().rev().max_by_key(|f| first(*f))?;
    let floor = first(newest);
    let covered = |i: usize| known.iter().filter(|f| sets[i].contains(**f)).count();
    let chosen = (floor..versions.len())
        .rev()
        .max_by_key(|&i| covered(i))
        .unwrap_or(floor);
    let version = versions[chosen];
    if version < TemplateVersion::V1_8 && is_all_avails(version, header) {
        return Some(Detected {
            version: TemplateVersion::V1_8,
            reason: format!(
                "header has every column a {version} Movies row and a {version} TV row needs: the single-sheet layout (AllAvails) is new in 1.8"
            ),
        });
    }
    let in_all_later = |f: Field| sets[chosen + 1..].iter().all(|s| s.contains(f));
    let reason = if chosen > 0 && first(newest) == chosen {
        format!("header has `{newest}` (new in {version})")
    } else if let Some(f) = known
        .iter()
        .find(|f| first(**f) == chosen && sets[chosen + 1..].iter().all(|s| !s.contains(**f)))
    {
        format!("header has `{f}` ({version} only)")
    } else {
        // Fields that some older version lacks, or that a later one dropped.
        let mut shown: Vec<String> = Vec::new();
        for f in known.iter().filter(|f| sets[chosen].contains(**f)) {
            let telling = sets[..chosen].iter().any(|s| !s.contains(*f)) || !in_all_later(*f);
            let name = format!("`{f}`");
            if telling && !shown.contains(&name) {
                shown.push(name);
            }
        }
        format!(
            "header has {} ({version} is the oldest template with {})",
            shown.join(" and "),
            if shown.len() == 1 { "it" } else { "them" }
        )
    };
    Some(Detected { version, reason })
}

/// True when `header` is the single-sheet `AllAvails` layout of 1.8 and
/// 1.9 for `version`'s dictionaries: it has every field a Movies row and
/// every field a TV row requires (a sheet of one kind with a stray column of
/// the other has not).
pub fn is_all_avails(version: TemplateVersion, header: &[Field]) -> bool {
    [SheetKind::Movies, SheetKind::Tv].into_iter().all(|k| {
        Dictionary::for_version(version, k)
            .fields
            .iter()
            .filter(|f| f.required == Requirement::Always)
            .all(|f| header.contains(&f.field))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_signatures() {
        use Field::*;
        let v = |f: &[Field]| detect_version(None, None, f, None).map(|d| d.version);
        assert_eq!(
            v(&[ALID, GroupIdentity, Territory]),
            Ok(TemplateVersion::V1_7_3)
        );
        assert_eq!(v(&[AltID, StoreLanguage]), Ok(TemplateVersion::V1_6));
        assert_eq!(v(&[ALID, AltID]), Ok(TemplateVersion::V1_7_2));
        assert_eq!(v(&[ALID]), Ok(TemplateVersion::V1_7));
        assert_eq!(v(&[AltID]), Ok(TemplateVersion::V1_6));
        assert_eq!(
            v(&[ALID, PackageLabel, GroupIdentity]),
            Ok(TemplateVersion::V1_8)
        );
        assert_eq!(v(&[ALID, TPRType]), Ok(TemplateVersion::V1_9));
        // Not in the official 1.8 TV template, but in MovieLabs' 1.8
        // single-sheet layout.
        assert_eq!(v(&[VolumeDistributionNumber]), Ok(TemplateVersion::V1_8));
        assert_eq!(v(&[ALID, RefALID]), Ok(TemplateVersion::V1_9));
        // A newer template with a stray old column: the newer wins.
        assert_eq!(
            v(&[GroupIdentity, StoreLanguage]),
            Ok(TemplateVersion::V1_7_3)
        );
        assert!(v(&[Territory]).is_err());
        assert!(v(&[]).is_err());
    }

    #[test]
    fn reasons_name_a_field() {
        let d = detect_version(None, None, &[Field::ALID, Field::TPRType], None).unwrap();
        assert_eq!(d.reason, "header has `TPRType` (new in 1.9)");
        let d = detect_version(None, None, &[Field::ALID, Field::AltID], None).unwrap();
        assert_eq!(
            d.reason,
            "header has `ALID` and `AltID` (1.7.2 is the oldest template with them)"
        );
        let d = detect_version(None, None, &[Field::AltID, Field::StoreLanguage], None).unwrap();
        assert_eq!(d.reason, "header has `StoreLanguage` (1.6 only)");
        let d = detect_version(None, None, &[Field::GroupIdentity], None).unwrap();
        assert_eq!(d.reason, "header has `GroupIdentity` (new in 1.7.3)");
    }

    #[test]
    fn an_xml_version_does_not_apply_to_sheets() {
        let d = detect_version(
            Some(TemplateVersion::Xml(3, 0)),
            None,
            &[Field::GroupIdentity],
            None,
        )
        .unwrap();
        assert_eq!(d.version, TemplateVersion::V1_7_3);
        assert!(
            d.reason.ends_with("(--template-version 2.3 is an Avails XML version and does not apply to spreadsheets; use 1.6, 1.7, 1.7.2, 1.7.3, 1.8 or 1.9)"),
            "{}",
            d.reason
        );
    }

    #[test]
    fn a3_and_override_win() {
        let d = detect_version(None, Some("1.9"), &[Field::GroupIdentity], None).unwrap();
        assert_eq!(d.version, TemplateVersion::V1_9);
        let d = detect_version(Some(TemplateVersion::V1_6), Some("1.9"), &[], None).unwrap();
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
