//! Avails XML reader (MovieLabs avails schema 2.1 … 2.7).
//!
//! A streaming quick-xml reader: no tree of the whole document is built. Each
//! `Transaction` of each `Avail` becomes one [`Avail`] row whose cells carry
//! the EMA spreadsheet field names (`ALID`, `Territory`, `Start`, ...), so
//! every rule works on XML unchanged (mapping: ema-avails-format.md §2.3).
//! Structural problems the XSD would catch (missing or empty required
//! elements, order, xs:dateTime / xs:decimal / xs:boolean / xs:duration
//! syntax) become [`NoteKind::XmlStructure`] notes; they never stop reading.
//!
//! Hostile input is refused, never expanded: a DOCTYPE declaring entities,
//! undefined entity references, nesting deeper than [`MAX_DEPTH`], invalid
//! UTF-8 and truncated files are [`ReadError::Xml`] with the line.

use std::borrow::Cow;
use std::sync::{Arc, OnceLock};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::{NamespaceError, NamespaceResolver, QName, ResolveResult};
use rustc_hash::FxHashMap;

use super::{Note, NoteKind, ReadError, ReadOptions, ReadOutput, RowCollector, SheetRows};
use crate::model::avail::{Column, Interner, SheetSource, Text, XmlPos};
use crate::model::time::{When, is_iso_duration};
use crate::model::{
    Avail, Cell, CellKind, Dictionary, Field, FieldColumns, Location, SheetInfo, SheetKind,
    SourceKind, TemplateVersion,
};

/// Deepest element nesting accepted (Avails documents need about 10).
pub const MAX_DEPTH: usize = 256;

/// Namespace URI prefix of every avails schema version.
const AVAILS_NS: &str = "http://www.movielabs.com/schema/avails/v";

/// Synthetic columns: (EMA field name, XML element it comes from). One
/// column per field; the column letter is the element name.
const COLUMNS: &[(Field, &str)] = &[
    (Field::ALID, "ALID"),
    (Field::EntryType, "EntryType"),
    (Field::DisplayName, "Licensor/md:DisplayName"),
    (Field::ServiceProvider, "ServiceProvider/md:DisplayName"),
    (Field::WorkType, "WorkType"),
    (Field::ContentID, "Asset/@contentID"),
    (Field::SeriesContentID, "SeriesContentID"),
    (Field::SeasonContentID, "SeasonContentID"),
    (Field::EpisodeContentID, "Asset/@contentID"),
    (Field::VolumeContentID, "Asset/@contentID"),
    (Field::TitleDisplayUnlimited, "TitleDisplayUnlimited"),
    (Field::TitleInternalAlias, "TitleInternalAlias"),
    (Field::EpisodeTitleDisplayUnlimited, "TitleDisplayUnlimited"),
    (Field::EpisodeTitleInternalAlias, "TitleInternalAlias"),
    (
        Field::SeasonTitleDisplayUnlimited,
        "SeasonTitleDisplayUnlimited",
    ),
    (Field::SeasonTitleInternalAlias, "SeasonTitleInternalAlias"),
    (
        Field::SeriesTitleDisplayUnlimited,
        "SeriesTitleDisplayUnlimited",
    ),
    (Field::SeriesTitleInternalAlias, "SeriesTitleInternalAlias"),
    (Field::EpisodeNumber, "EpisodeNumber/md:Number"),
    (Field::SeasonNumber, "SeasonNumber/md:Number"),
    (Field::EpisodeCount, "NumberOfEpisodes"),
    (Field::SeasonCount, "NumberOfSeasons"),
    (Field::EditID, "EditEIDR-URN"),
    (Field::TitleID, "TitleEIDR-URN"),
    (Field::EpisodeID, "EditEIDR-URN"),
    (Field::EpisodeTitleID, "TitleEIDR-URN"),
    (Field::SeasonID, "SeasonEIDR-URN"),
    (Field::SeriesID, "SeriesEIDR-URN"),
    (Field::AltID, "AltIdentifier/md:Identifier"),
    (Field::EpisodeAltID, "AltIdentifier/md:Identifier"),
    (Field::SeasonAltID, "SeasonAltIdentifier/md:Identifier"),
    (Field::SeriesAltID, "SeriesAltIdentifier/md:Identifier"),
    (Field::ReleaseYear, "ReleaseDate"),
    (Field::TotalRunTime, "RunLength"),
    (Field::ReleaseHistoryOriginal, "ReleaseHistory/md:Date"),
    (Field::ReleaseHistoryPhysicalHV, "ReleaseHistory/md:Date"),
    (Field::CaptionIncluded, "USACaptionsExemptionReason"),
    (Field::CaptionExemption, "USACaptionsExemptionReason"),
    (Field::RatingSystem, "md:Rating/md:System"),
    (Field::RatingValue, "md:Rating/md:Value"),
    (Field::RatingReason, "md:Rating/md:Reason"),
    (Field::LocalizationType, "LocalizationOffering"),
    (Field::GroupIdentity, "GroupingEntity"),
    (
        Field::CompanyDisplayCredit,
        "CompanyDisplayCredit/md:DisplayString",
    ),
    (Field::Director, "People"),
    (Field::BundledALIDs, "BundledAsset/BundledALID"),
    (Field::AvailID, "Transaction/@TransactionID"),
    (Field::Licensee, "Licensee/md:DisplayName"),
    (Field::LicenseType, "LicenseType"),
    (Field::Description, "Description"),
    (Field::Territory, "Territory"),
    (Field::TerritoryExclusion, "TerritoryExcluded"),
    (Field::Start, "Start"),
    (Field::StartLag, "StartCondition/@lag"),
    (Field::End, "End"),
    (Field::EndLag, "EndCondition/@lag"),
    (Field::WindowDuration, "WindowDuration"),
    (Field::StoreLanguage, "StoreLanguage"),
    (Field::AllowedLanguages, "AllowedLanguage"),
    (Field::AssetLanguage, "AssetLanguage"),
    (
        Field::RequiredFulfillmentLanguages,
        "AssetLanguage/@assetProvided",
    ),
    (Field::HoldbackLanguage, "HoldbackLanguage"),
    (Field::LicenseRightsDescription, "LicenseRightsDescription"),
    (Field::FormatProfile, "FormatProfile"),
    (Field::HDR, "FormatProfile/@HDR"),
    (Field::WCG, "FormatProfile/@WCG"),
    (Field::HFR, "FormatProfile/@HFR"),
    (Field::NGAudio, "FormatProfile/@NGAudio"),
    (Field::ContractID, "ContractID"),
    (Field::ReportingID, "ReportingID"),
    (Field::OtherInstructions, "OtherInstructions"),
    (Field::PriceType, "Term/@termName"),
    (Field::PriceValue, "Term"),
    (Field::PriceCurrency, "Term/Money/@currency"),
    (Field::SRP, "Term"),
    (Field::SuppressionLiftDate, "Term"),
    (Field::AnnounceDate, "Term"),
    (Field::SpecialPreOrderFulfillDate, "Term"),
    (Field::FixedEndDate, "Term"),
    (Field::RentalDuration, "Term"),
    (Field::WatchDuration, "Term"),
    (Field::Download, "Term"),
    (Field::Exclusive, "Term"),
    (Field::ExclusiveAttributes, "Term"),
    (Field::BrandingRights, "Term"),
    (Field::BrandingRightsAttributes, "Term"),
    (Field::TitleStatus, "Term"),
    (Field::TPRType, "Term"),
    (Field::CampaignID, "Term"),
    (Field::UV_ID, "SharedEntitlement/EcosystemID"),
    (Field::DMA_ID, "SharedEntitlement/EcosystemID"),
    (Field::AssociatedALID, "AssociatedALID"),
    (Field::ExceptionFlag, "ExceptionFlag"),
];

/// Price terms: `Term/@termName` values that are an EMA PriceType.
const PRICE_TERMS: [&str; 10] = [
    "Tier",
    "WSP",
    "EpisodeWSP",
    "SeasonWSP",
    "DMRP",
    "SMRP",
    "LicenseFee",
    "Category",
    "NA",
    "Season Only",
];

/// Terms carried over to a same-named field (or the named one).
const TERM_FIELDS: [(&str, Field); 15] = [
    ("SuppressionLiftDate", Field::SuppressionLiftDate),
    ("AnnounceDate", Field::AnnounceDate),
    ("PreOrderFulfillDate", Field::SpecialPreOrderFulfillDate),
    ("PreorderFulfillDate", Field::SpecialPreOrderFulfillDate),
    ("FixedEndDate", Field::FixedEndDate),
    ("RentalDuration", Field::RentalDuration),
    ("WatchDuration", Field::WatchDuration),
    ("Download", Field::Download),
    ("Exclusive", Field::Exclusive),
    ("ExclusiveAttributes", Field::ExclusiveAttributes),
    ("BrandingRights", Field::BrandingRights),
    ("BrandingRightsAttributes", Field::BrandingRightsAttributes),
    ("TitleStatus", Field::TitleStatus),
    ("TPRType", Field::TPRType),
    ("CampaignID", Field::CampaignID),
];

/// Declares [`N`], the local element names the reader acts on.
macro_rules! names {
    ($($name:ident = $text:literal,)*) => {
        /// A local element name the reader acts on; any other name is `Other`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        enum N {
            /// A name the reader does not act on.
            Other,
            /// No name: no parent element, or nothing after the prefix.
            Blank,
            $($name,)*
        }

        impl N {
            /// Every named variant with its text.
            const ALL: &[(&str, N)] = &[$(($text, N::$name),)*];

            /// The local name as written (empty for `Other` and `Blank`).
            fn as_str(self) -> &'static str {
                match self {
                    N::Other | N::Blank => "",
                    $(N::$name => $text,)*
                }
            }
        }
    };
}

names! {
    AvailList = "AvailList",
    AvailListSigned = "AvailListSigned",
    Avail = "Avail",
    Alid = "ALID",
    Disposition = "Disposition",
    EntryType = "EntryType",
    Licensor = "Licensor",
    DisplayName = "DisplayName",
    ServiceProvider = "ServiceProvider",
    AvailType = "AvailType",
    ShortDescription = "ShortDescription",
    Asset = "Asset",
    Transaction = "Transaction",
    ExceptionFlag = "ExceptionFlag",
    AssociatedAlid = "AssociatedALID",
    SharedEntitlement = "SharedEntitlement",
    EcosystemId = "EcosystemID",
    WorkType = "WorkType",
    Metadata = "Metadata",
    EpisodeMetadata = "EpisodeMetadata",
    SeasonMetadata = "SeasonMetadata",
    SeriesMetadata = "SeriesMetadata",
    VolumeMetadata = "VolumeMetadata",
    BundledAsset = "BundledAsset",
    BundledAlid = "BundledALID",
    TitleInternalAlias = "TitleInternalAlias",
    TitleDisplayUnlimited = "TitleDisplayUnlimited",
    EditEidrUrn = "EditEIDR-URN",
    TitleEidrUrn = "TitleEIDR-URN",
    SeasonContentId = "SeasonContentID",
    SeriesContentId = "SeriesContentID",
    SeasonTitleInternalAlias = "SeasonTitleInternalAlias",
    SeasonTitleDisplayUnlimited = "SeasonTitleDisplayUnlimited",
    SeriesTitleInternalAlias = "SeriesTitleInternalAlias",
    SeriesTitleDisplayUnlimited = "SeriesTitleDisplayUnlimited",
    SeasonEidrUrn = "SeasonEIDR-URN",
    SeriesEidrUrn = "SeriesEIDR-URN",
    NumberOfEpisodes = "NumberOfEpisodes",
    NumberOfSeasons = "NumberOfSeasons",
    EpisodeNumber = "EpisodeNumber",
    SeasonNumber = "SeasonNumber",
    Number = "Number",
    AltIdentifier = "AltIdentifier",
    SeasonAltIdentifier = "SeasonAltIdentifier",
    SeriesAltIdentifier = "SeriesAltIdentifier",
    Identifier = "Identifier",
    ReleaseDate = "ReleaseDate",
    RunLength = "RunLength",
    ReleaseHistory = "ReleaseHistory",
    ReleaseType = "ReleaseType",
    Date = "Date",
    UsaCaptionsExemptionReason = "USACaptionsExemptionReason",
    Rating = "Rating",
    System = "System",
    Value = "Value",
    Reason = "Reason",
    LocalizationOffering = "LocalizationOffering",
    GroupingEntity = "GroupingEntity",
    Type = "Type",
    GroupIdentity = "GroupIdentity",
    CompanyDisplayCredit = "CompanyDisplayCredit",
    DisplayString = "DisplayString",
    Job = "Job",
    JobFunction = "JobFunction",
    Name = "Name",
    People = "People",
    Licensee = "Licensee",
    LicenseType = "LicenseType",
    Description = "Description",
    Territory = "Territory",
    TerritoryExcluded = "TerritoryExcluded",
    Country = "country",
    CountryRegion = "countryRegion",
    Start = "Start",
    StartCondition = "StartCondition",
    End = "End",
    EndCondition = "EndCondition",
    Duration = "Duration",
    WindowDuration = "WindowDuration",
    StoreLanguage = "StoreLanguage",
    AllowedLanguage = "AllowedLanguage",
    AssetLanguage = "AssetLanguage",
    HoldbackLanguage = "HoldbackLanguage",
    LicenseRightsDescription = "LicenseRightsDescription",
    FormatProfile = "FormatProfile",
    ContractId = "ContractID",
    ReportingId = "ReportingID",
    RefAlid = "RefALID",
    Term = "Term",
    ExperienceCondition = "ExperienceCondition",
    OtherInstructions = "OtherInstructions",
    Money = "Money",
    Boolean = "Boolean",
}

// Kids are a bit set indexed by `N`.
const _: () = assert!(N::ALL.len() + 2 <= 128);

impl N {
    /// The name of a local name.
    fn of(local: &str) -> N {
        static MAP: OnceLock<FxHashMap<&'static str, N>> = OnceLock::new();
        if local.is_empty() {
            return N::Blank;
        }
        MAP.get_or_init(|| N::ALL.iter().copied().collect())
            .get(local)
            .copied()
            .unwrap_or(N::Other)
    }

    /// Unit metadata elements directly under `Asset`.
    fn is_unit_metadata(self) -> bool {
        matches!(
            self,
            N::Metadata
                | N::EpisodeMetadata
                | N::SeasonMetadata
                | N::SeriesMetadata
                | N::VolumeMetadata
        )
    }

    /// Children that may appear at most once.
    fn is_single(self) -> bool {
        matches!(
            self,
            N::Alid
                | N::Disposition
                | N::Licensor
                | N::ServiceProvider
                | N::AvailType
                | N::ShortDescription
                | N::ExceptionFlag
                | N::Licensee
                | N::LicenseType
                | N::Description
                | N::Start
                | N::StartCondition
                | N::End
                | N::EndCondition
                | N::LicenseRightsDescription
                | N::FormatProfile
                | N::ContractId
        )
    }

    /// Rank among the children of `Transaction` in schema order (2.1 … 2.7);
    /// same rank = a choice.
    fn transaction_rank(self) -> Option<u8> {
        Some(match self {
            N::Licensee => 0,
            N::LicenseType => 1,
            N::Description => 2,
            N::Territory => 3,
            N::TerritoryExcluded => 4,
            N::Start | N::StartCondition => 5,
            N::End | N::EndCondition => 6,
            N::Duration | N::WindowDuration => 7,
            N::StoreLanguage | N::AllowedLanguage => 8,
            N::AssetLanguage => 9,
            N::HoldbackLanguage => 10,
            N::LicenseRightsDescription => 11,
            N::FormatProfile => 12,
            N::ContractId => 13,
            N::ReportingId => 14,
            N::RefAlid => 15,
            N::Term => 16,
            N::ExperienceCondition => 17,
            N::OtherInstructions => 18,
            _ => return None,
        })
    }

    /// Rank among the children of `Avail` whose order is fixed in every version.
    fn avail_rank(self) -> Option<u8> {
        Some(match self {
            N::Alid => 0,
            N::Disposition => 1,
            N::Licensor => 2,
            N::ServiceProvider => 3,
            N::AvailType => 4,
            N::ShortDescription => 5,
            N::Asset => 6,
            N::Transaction => 7,
            N::ExceptionFlag => 10,
            _ => return None,
        })
    }
}

/// A set of child names (two words rather than a `u128`, whose 16-byte
/// alignment would make every [`Frame`] larger).
#[derive(Clone, Copy, Default)]
struct Kids([u64; 2]);

impl Kids {
    fn add(&mut self, n: N) {
        let n = n as usize;
        self.0[n / 64] |= 1 << (n % 64);
    }

    fn has(self, n: N) -> bool {
        let n = n as usize;
        self.0[n / 64] & (1 << (n % 64)) != 0
    }
}

/// The column of each field in [`COLUMNS`].
fn column_index() -> &'static FieldColumns {
    static MAP: OnceLock<FieldColumns> = OnceLock::new();
    MAP.get_or_init(|| FieldColumns::new(COLUMNS.iter().map(|(f, _)| Some(*f))))
}

fn col(field: Field) -> Option<usize> {
    column_index().get(field)
}

/// [`col`] at compile time: `c!(Territory)`.
macro_rules! c {
    ($field:ident) => {
        const { col_of(Field::$field) }
    };
}

/// Column of a field of [`COLUMNS`]; only for [`c!`], where a field
/// without a column fails the build.
const fn col_of(field: Field) -> usize {
    let mut i = 0;
    while i < COLUMNS.len() {
        if COLUMNS[i].0 as u8 == field as u8 {
            return i;
        }
        i += 1;
    }
    panic!("not a field of COLUMNS")
}

/// Reads an Avails XML document.
pub fn read(
    bytes: &[u8],
    file: &str,
    file_index: usize,
    opts: &ReadOptions,
) -> Result<ReadOutput, ReadError> {
    let text = decode(bytes)?;
    let lines = LineIndex::new(&text);
    let mut parser = Parser {
        file,
        file_index,
        opts,
        text: &text,
        input: text.as_bytes(),
        lines: &lines,
        stack: Vec::new(),
        other_depth: 0,
        root_seen: false,
        avails_ns: None,
        version: None,
        infos: None,
        rows: (RowCollector::new(opts), RowCollector::new(opts)),
        notes: Vec::new(),
        avail: None,
        trans: None,
        pending: Pending::default(),
        values: Values::default(),
        scratch: String::new(),
        spare: Spare::default(),
    };
    parser.run()?;
    let Some((movies, tv)) = parser.infos.take() else {
        return Err(ReadError::Xml {
            line: 1,
            col: 1,
            message: "no root element: the document holds no AvailList or Avail".into(),
        });
    };
    let (movie_rows, tv_rows) = parser.rows;
    let mut sheets = Vec::new();
    for (info, rows) in [(movies, movie_rows), (tv, tv_rows)] {
        if rows.pushed() > 0 {
            sheets.push(SheetRows {
                info,
                rows: rows.finish(),
            });
        }
    }
    Ok(ReadOutput {
        source: SourceKind::Xml,
        sheets,
        notes: parser.notes,
    })
}

/// The document as UTF-8 text: UTF-8 (BOM optional) or UTF-16 with a BOM.
fn decode(bytes: &[u8]) -> Result<std::borrow::Cow<'_, str>, ReadError> {
    let utf16 = |le: bool| -> Result<std::borrow::Cow<'_, str>, ReadError> {
        let units = bytes[2..].chunks(2).map(|c| {
            let pair = [c[0], c.get(1).copied().unwrap_or(0)];
            if le {
                u16::from_le_bytes(pair)
            } else {
                u16::from_be_bytes(pair)
            }
        });
        let mut out = String::with_capacity(bytes.len() / 2);
        let mut line = 1u32;
        for ch in char::decode_utf16(units) {
            match ch {
                Ok(c) => {
                    if c == '\n' {
                        line += 1;
                    }
                    out.push(c);
                }
                Err(_) => {
                    return Err(ReadError::Xml {
                        line,
                        col: 1,
                        message: "is not valid UTF-16 (unpaired surrogate); save the XML as UTF-8"
                            .into(),
                    });
                }
            }
        }
        Ok(std::borrow::Cow::Owned(out))
    };
    if bytes.starts_with(&[0xFF, 0xFE]) {
        return utf16(true);
    }
    if bytes.starts_with(&[0xFE, 0xFF]) {
        return utf16(false);
    }
    // Keep the BOM so byte spans match the file.
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(std::borrow::Cow::Borrowed(s)),
        Err(e) => {
            let at = e.valid_up_to();
            let good = std::str::from_utf8(&bytes[..at]).unwrap_or_default();
            let line = good.matches('\n').count() as u32 + 1;
            let col = good.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u32 + 1;
            let declared = declared_encoding(&bytes[..bytes.len().min(200)]);
            let hint = match declared {
                Some(enc) if !enc.eq_ignore_ascii_case("utf-8") => format!(
                    " (the declaration says encoding=\"{enc}\"; availcheck reads Avails XML as UTF-8)"
                ),
                _ => String::new(),
            };
            Err(ReadError::Xml {
                line,
                col,
                message: format!(
                    "is not valid UTF-8: byte 0x{:02X} at offset {at}{hint}; save the XML as UTF-8",
                    bytes[at]
                ),
            })
        }
    }
}

fn declared_encoding(head: &[u8]) -> Option<String> {
    let head = String::from_utf8_lossy(head);
    let i = head.find("encoding")?;
    let rest = head[i + 8..].trim_start().strip_prefix('=')?.trim_start();
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let body = &rest[1..];
    Some(body[..body.find(quote)?].to_string())
}

/// Byte offset → 1-based line and column (in characters).
struct LineIndex<'a> {
    bytes: &'a [u8],
    /// Whether the text is all ASCII (most avails are): then a column is a
    /// byte count and only newlines need finding.
    ascii: bool,
    /// The last answer: offsets mostly grow while streaming, so the next
    /// one is counted from here, over the bytes in between only (a
    /// minified one-line file would otherwise cost O(n²)).
    at: std::cell::Cell<Cursor>,
}

/// A position of the [`LineIndex`] cursor.
#[derive(Clone, Copy)]
struct Cursor {
    offset: usize,
    line: u32,
    col: u32,
    /// Offset where `line` starts.
    line_start: usize,
}

impl Cursor {
    /// [`Cursor::advance`] over ASCII bytes: only newlines matter.
    fn advance_ascii(&mut self, ahead: &[u8]) {
        let (words, rest) = ahead.as_chunks::<8>();
        let mut at = self.offset;
        for w in words {
            let nl = newline_bits(u64::from_le_bytes(*w));
            if nl != 0 {
                self.line += count_high(nl);
                // After the word's last newline.
                self.line_start = at + (63 - nl.leading_zeros()) as usize / 8 + 1;
            }
            at += 8;
        }
        for b in rest {
            at += 1;
            if *b == b'\n' {
                self.line += 1;
                self.line_start = at;
            }
        }
        self.offset = at;
        self.col = (at - self.line_start) as u32 + 1;
    }

    /// Moves forward over `ahead`, the bytes from `self.offset` on.
    fn advance(&mut self, ahead: &[u8]) {
        let (words, rest) = ahead.as_chunks::<8>();
        let mut at = self.offset;
        for w in words {
            let w = u64::from_le_bytes(*w);
            let nl = newline_bits(w);
            if nl == 0 {
                // ASCII words are eight characters.
                self.col += if w & HIGH == 0 {
                    8
                } else {
                    count_high(char_bits(w))
                };
            } else {
                // Byte index (0..8) of the word's last newline.
                let last = (63 - nl.leading_zeros()) / 8;
                let after = HIGH.checked_shl(8 * (last + 1)).unwrap_or(0);
                self.line += count_high(nl);
                self.line_start = at + last as usize + 1;
                self.col = count_high(char_bits(w) & after) + 1;
            }
            at += 8;
        }
        for b in rest {
            at += 1;
            if *b == b'\n' {
                self.line += 1;
                self.line_start = at;
                self.col = 1;
            } else if (*b & 0xC0) != 0x80 {
                self.col += 1;
            }
        }
        self.offset = at;
    }
}

/// Each byte's high bit set: counting is done eight bytes at a time, a
/// byte's high bit marking a match.
const HIGH: u64 = 0x8080_8080_8080_8080;

/// High bits of the bytes of `w` that are `\n`.
fn newline_bits(w: u64) -> u64 {
    let x = w ^ (u64::from(b'\n') * 0x0101_0101_0101_0101);
    !(((x & !HIGH) + !HIGH) | x) & HIGH
}

/// High bits of the bytes of `w` that start a character (are not UTF-8
/// continuation bytes, 10xxxxxx).
fn char_bits(w: u64) -> u64 {
    !(w & !(w << 1)) & HIGH
}

/// Number of high bits set in `bits` (only high bits may be set).
fn count_high(bits: u64) -> u32 {
    ((bits >> 7).wrapping_mul(0x0101_0101_0101_0101) >> 56) as u32
}

/// `bytes` as little-endian words, the last one padded with `pad`.
fn words(bytes: &[u8], pad: u8) -> impl Iterator<Item = u64> + '_ {
    let (words, rest) = bytes.as_chunks::<8>();
    let mut last = [pad; 8];
    last[..rest.len()].copy_from_slice(rest);
    words
        .iter()
        .map(|w| u64::from_le_bytes(*w))
        .chain((!rest.is_empty()).then(|| u64::from_le_bytes(last)))
}

/// Characters = bytes that are not UTF-8 continuation bytes.
fn chars(bytes: &[u8]) -> u32 {
    // Padding with continuation bytes counts nothing.
    words(bytes, 0x80).map(|w| count_high(char_bits(w))).sum()
}

fn newlines(bytes: &[u8]) -> u32 {
    words(bytes, 0).map(|w| count_high(newline_bits(w))).sum()
}

impl<'a> LineIndex<'a> {
    fn new(text: &'a str) -> Self {
        LineIndex {
            bytes: text.as_bytes(),
            ascii: text.is_ascii(),
            at: std::cell::Cell::new(Cursor {
                offset: 0,
                line: 1,
                col: 1,
                line_start: 0,
            }),
        }
    }

    fn line_col(&self, offset: usize) -> (u32, u32) {
        let bytes = self.bytes;
        let offset = offset.min(bytes.len());
        let mut c = self.at.get();
        if offset >= c.offset && self.ascii {
            c.advance_ascii(&bytes[c.offset..offset]);
        } else if offset >= c.offset {
            c.advance(&bytes[c.offset..offset]);
        } else if offset >= c.line_start {
            // Same line, further back: count from the nearer end.
            c.col = if c.offset - offset < offset - c.line_start {
                c.col.saturating_sub(chars(&bytes[offset..c.offset])).max(1)
            } else {
                chars(&bytes[c.line_start..offset]) + 1
            };
            c.offset = offset;
        } else {
            // An earlier line.
            c.line = c
                .line
                .saturating_sub(newlines(&bytes[offset..c.line_start]));
            c.line_start = bytes[..offset]
                .iter()
                .rposition(|b| *b == b'\n')
                .map_or(0, |i| i + 1);
            c.col = chars(&bytes[c.line_start..offset]) + 1;
            c.offset = offset;
        }
        self.at.set(c);
        (c.line, c.col)
    }

    fn pos(&self, span: (usize, usize)) -> XmlPos {
        let (line, col) = self.line_col(span.0);
        XmlPos { line, col, span }
    }
}

/// Which namespace an element is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ns {
    /// The document's avails namespace.
    Avails,
    /// Common Metadata or MEC.
    Md,
    /// Anything else (signatures, extensions): skipped.
    Other,
}

/// An attribute: name as written, local name, value.
struct Attr<'a> {
    key: &'a str,
    name: Cow<'a, str>,
    value: Cow<'a, str>,
}

/// An open element. Names and text borrow the input where they can. Kept
/// within 128 bytes, so that moving one takes no `memcpy` call.
struct Frame<'a> {
    qname: &'a str,
    /// The local name, when the reader acts on it.
    name: N,
    ns: Ns,
    /// Start tag span.
    tag: (usize, usize),
    text: Cow<'a, str>,
    /// Span of the (trimmed) text content.
    text_span: Option<(usize, usize)>,
    has_child: bool,
    /// Child names seen (containers only), for required/order checks.
    kids: Kids,
    /// Rank and name of the last ranked child.
    last_rank: Option<(u8, N)>,
    attrs: Vec<Attr<'a>>,
}

const _: () = assert!(size_of::<Frame<'static>>() <= 128);

impl<'a> Frame<'a> {
    fn local(&self) -> &str {
        local_name(self.qname)
    }

    fn attr(&self, name: &str) -> Option<&Attr<'a>> {
        self.attrs.iter().find(|a| a.name == name)
    }

    /// Where the value of attribute `a` is, found in the start tag when
    /// asked: only for the few attributes used (a search per attribute
    /// would take quadratic time on a tag with very many).
    fn attr_pos(&self, lines: &LineIndex<'_>, a: &Attr<'_>) -> XmlPos {
        let span = attr_span(lines.bytes, self.tag, a.key.as_bytes()).unwrap_or(self.tag);
        lines.pos(span)
    }
}

/// A value and where it came from.
#[derive(Debug, Clone)]
struct Val {
    col: usize,
    text: Text,
    pos: XmlPos,
}

#[derive(Default)]
struct AvailAcc<'a> {
    cells: Vec<Val>,
    work_type: Option<Cow<'a, str>>,
    avail_type: Option<Cow<'a, str>>,
    content_id: Option<Positioned<'a>>,
    assets: usize,
    metadata: Option<XmlPos>,
    caption_exemption: bool,
    transactions: Vec<TransAcc>,
}

struct TransAcc {
    pos: XmlPos,
    cells: Vec<Val>,
}

/// A value with its position.
type Positioned<'a> = (Cow<'a, str>, XmlPos);
/// A kind word (ReleaseType, JobFunction) and the value it qualifies.
type KindAndValue<'a> = (Option<Cow<'a, str>>, Option<Positioned<'a>>);
/// A Term child: element name, value, position, `@currency`.
type TermValue<'a> = (N, Cow<'a, str>, XmlPos, Option<Positioned<'a>>);

/// Values of sub-structures collected until their element closes.
#[derive(Default)]
struct Pending<'a> {
    grouping: Option<Grouping<'a>>,
    release: Option<KindAndValue<'a>>,
    people: Option<KindAndValue<'a>>,
    term: Option<Term<'a>>,
    ecosystem: Option<Cow<'a, str>>,
}

#[derive(Default)]
struct Grouping<'a> {
    kind: Option<Cow<'a, str>>,
    display: Option<Positioned<'a>>,
    identity: Option<Positioned<'a>>,
}

struct Term<'a> {
    name: Cow<'a, str>,
    name_pos: XmlPos,
    /// The first child (the only one used).
    first: Option<TermValue<'a>>,
}

struct Parser<'a> {
    file: &'a str,
    file_index: usize,
    opts: &'a ReadOptions,
    /// The whole document; events borrow from it.
    text: &'a str,
    input: &'a [u8],
    lines: &'a LineIndex<'a>,
    stack: Vec<Frame<'a>>,
    other_depth: usize,
    root_seen: bool,
    avails_ns: Option<String>,
    version: Option<TemplateVersion>,
    infos: Option<(Arc<SheetInfo>, Arc<SheetInfo>)>,
    /// Movies and TV rows, handed to the row sink chunk by chunk.
    rows: (RowCollector<'a>, RowCollector<'a>),
    notes: Vec<Note>,
    avail: Option<AvailAcc<'a>>,
    trans: Option<TransAcc>,
    pending: Pending<'a>,
    /// Shares repeated cell values (territories, dates, license types).
    values: Values,
    /// Reused buffer for values pieced together.
    scratch: String,
    /// Emptied vectors kept for reuse.
    spare: Spare<'a>,
}

/// Shares repeated cell values.
#[derive(Default)]
struct Values {
    interner: Interner,
    /// Each column's last value: avails repeat a column's value from row to
    /// row, and comparing costs less than the interner's hashing.
    last: Vec<Option<Text>>,
}

impl Values {
    /// The shared copy of `text`, a value of column `col`.
    fn share(&mut self, col: usize, text: &str) -> Text {
        if self.last.len() <= col {
            self.last.resize(col + 1, None);
        }
        match &mut self.last[col] {
            Some(last) if **last == *text => last.clone(),
            slot => slot.insert(self.interner.intern(text)).clone(),
        }
    }
}

/// Emptied vectors kept for reuse, so most elements allocate nothing.
#[derive(Default)]
struct Spare<'a> {
    vals: Vec<Vec<Val>>,
    transactions: Vec<TransAcc>,
    attrs: Vec<Vec<Attr<'a>>>,
}

fn xml_error(lines: &LineIndex<'_>, offset: usize, message: String) -> ReadError {
    let (line, col) = lines.line_col(offset);
    ReadError::Xml { line, col, message }
}

fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// The local name of a qualified name: what follows the first `:`.
fn local_name(qname: &str) -> &str {
    match qname.bytes().position(|b| b == b':') {
        Some(i) => &qname[i + 1..],
        None => qname,
    }
}

/// `part` with the lifetime of `whole` when it is a slice of it (events
/// borrow the input), else `None`.
fn lift<'a>(whole: &'a str, part: &str) -> Option<&'a str> {
    let start = (part.as_ptr() as usize).checked_sub(whole.as_ptr() as usize)?;
    whole.get(start..start.checked_add(part.len())?)
}

/// `text` without leading and trailing whitespace, still borrowed if it was.
fn trimmed<'a>(text: &Cow<'a, str>) -> Cow<'a, str> {
    match text {
        Cow::Borrowed(s) => Cow::Borrowed(trim(s)),
        Cow::Owned(s) => Cow::Owned(trim(s).to_owned()),
    }
}

/// [`str::trim`], quick for the usual value that starts and ends with a
/// visible ASCII character.
fn trim(text: &str) -> &str {
    let visible = |b: Option<&u8>| b.is_some_and(u8::is_ascii_graphic);
    if visible(text.as_bytes().first()) && visible(text.as_bytes().last()) {
        text
    } else {
        text.trim()
    }
}

/// Namespace bindings in scope for a plain quick-xml `Reader`. Only
/// elements whose start tag mentions `xmlns` (rare after the root) are given
/// to quick-xml's resolver, which is what `NsReader` would do with every
/// element; answers are kept until the bindings change.
#[derive(Default)]
struct Namespaces<'a> {
    resolver: NamespaceResolver,
    /// Stack depths of the open elements that were given to the resolver.
    scopes: Vec<usize>,
    /// Prefixes (`None`: no prefix) resolved since the bindings last changed.
    known: Vec<(Option<Box<str>>, Resolved)>,
    /// Element names seen since the bindings last changed.
    elements: FxHashMap<&'a str, Element>,
}

/// What an element's qualified name tells, worked out once per name.
#[derive(Clone, Copy)]
struct Element {
    /// The local name, when the reader acts on it.
    name: N,
    ns: Ns,
}

/// Most element names kept (a hostile document may use millions).
const MAX_ELEMENT_NAMES: usize = 1024;

/// A prefix's namespace URI (empty when unbound), or the undeclared prefix.
type Resolved = Result<Box<str>, String>;

/// Whether the attributes of a start tag may declare a namespace: only one
/// named `xmlns` or `xmlns:…` does (a plain scan; `str::contains` costs more
/// on these short strings).
fn may_declare(attrs: &str) -> bool {
    let b = attrs.as_bytes();
    b.iter()
        .enumerate()
        .any(|(i, c)| *c == b'x' && b[i..].starts_with(b"xmlns"))
}

impl<'a> Namespaces<'a> {
    /// Opens element `e` at stack depth `depth`: adds its declarations.
    fn open(&mut self, e: &BytesStart<'_>, depth: usize) -> Result<(), NamespaceError> {
        if may_declare(e.attributes_raw()) {
            self.known.clear();
            self.elements.clear();
            self.scopes.push(depth);
            self.resolver.push(e)?;
        }
        Ok(())
    }

    /// Closes the element at stack depth `depth`: drops its declarations.
    fn close(&mut self, depth: usize) {
        if self.scopes.last() == Some(&depth) {
            self.scopes.pop();
            self.known.clear();
            self.elements.clear();
            self.resolver.pop();
        }
    }

    /// What is known of element name `qname` under the current bindings.
    fn element(&self, qname: &str) -> Option<Element> {
        self.elements.get(qname).copied()
    }

    /// Keeps what element name `qname` tells until the bindings change.
    fn remember(&mut self, qname: &'a str, element: Element) {
        if self.elements.len() == MAX_ELEMENT_NAMES {
            self.elements.clear();
        }
        self.elements.insert(qname, element);
    }

    /// The namespace URI of element `qname` (empty when unbound), or its
    /// undeclared prefix.
    fn uri(&mut self, qname: &str) -> Result<&str, &str> {
        let prefix = qname.bytes().position(|b| b == b':').map(|i| &qname[..i]);
        let i = match self.known.iter().position(|(p, _)| p.as_deref() == prefix) {
            Some(i) => i,
            None => {
                let uri = match self.resolver.resolve_element(QName(qname)).0 {
                    ResolveResult::Bound(ns) => Ok(ns.0.into()),
                    ResolveResult::Unknown(prefix) => Err(prefix),
                    ResolveResult::Unbound => Ok("".into()),
                };
                self.known.push((prefix.map(Into::into), uri));
                self.known.len() - 1
            }
        };
        match &self.known[i].1 {
            Ok(uri) => Ok(uri),
            Err(prefix) => Err(prefix),
        }
    }
}

impl<'a> Parser<'a> {
    fn err(&self, offset: usize, message: impl Into<String>) -> ReadError {
        xml_error(self.lines, offset, message.into())
    }

    /// `part` borrowed from the document when it is a slice of it, else copied.
    fn own(&self, part: &str) -> Cow<'a, str> {
        match lift(self.text, part) {
            Some(s) => Cow::Borrowed(s),
            None => Cow::Owned(part.to_owned()),
        }
    }

    fn run(&mut self) -> Result<(), ReadError> {
        // The reader is given the text after a UTF-8 BOM; offsets are shifted back.
        let base = if self.input.starts_with(b"\xEF\xBB\xBF") {
            3
        } else {
            0
        };
        let mut reader = Reader::from_reader(&self.input[base..]);
        {
            let cfg = reader.config_mut();
            cfg.trim_text(false);
            cfg.check_end_names = true;
            cfg.expand_empty_elements = false;
        }
        let mut names = Namespaces::default();
        loop {
            let before = base + reader.buffer_position() as usize;
            let event = match reader.read_event() {
                Ok(ev) => ev,
                Err(e) => {
                    let at = base + reader.error_position() as usize;
                    return Err(self.err(at, describe_error(&e, &self.stack)));
                }
            };
            let after = base + reader.buffer_position() as usize;
            match event {
                Event::Start(ref e) | Event::Empty(ref e) => {
                    let depth = self.stack.len();
                    if let Err(err) = names.open(e, depth) {
                        // Where `NsReader` would have failed the read.
                        let at = base + reader.error_position() as usize;
                        let err = quick_xml::Error::from(err);
                        return Err(self.err(at, describe_error(&err, &self.stack)));
                    }
                    self.start(e, &mut names, (before, after))?;
                    if matches!(event, Event::Empty(_)) {
                        self.end(after)?;
                        names.close(depth);
                    }
                }
                Event::End(_) => {
                    self.end(after)?;
                    names.close(self.stack.len());
                }
                Event::Text(t) if self.keeps_text() && !self.leading_blank(&t) => {
                    // Only text with a `\r` needs its line ends normalized.
                    let content = if t.as_bytes().contains(&b'\r') {
                        t.xml10_content()
                    } else {
                        t.into_inner()
                    };
                    self.text(content, (before, after));
                }
                Event::CData(c) if self.keeps_text() => {
                    let start = (before + 9).min(after);
                    let end = after.saturating_sub(3).max(start);
                    self.text(c.into_inner(), (start, end));
                }
                Event::Text(_) | Event::CData(_) => {}
                Event::GeneralRef(r) => {
                    let ch = if r.is_char_ref() {
                        match r.resolve_char_ref() {
                            Ok(Some(c)) => c,
                            _ => {
                                return Err(self.err(
                                    before,
                                    format!(
                                        "`&{};` is not a valid character reference",
                                        r.as_ref() as &str
                                    ),
                                ));
                            }
                        }
                    } else {
                        match r.as_ref() {
                            "lt" => '<',
                            "gt" => '>',
                            "amp" => '&',
                            "apos" => '\'',
                            "quot" => '"',
                            other => {
                                return Err(self.err(
                                    before,
                                    format!(
                                        "undefined entity reference `&{};`; availcheck expands only the five predefined XML entities and never custom or external ones",
                                        other
                                    ),
                                ));
                            }
                        }
                    };
                    let mut tmp = [0u8; 4];
                    self.text_literal(ch.encode_utf8(&mut tmp), (before, after));
                }
                Event::DocType(d) => {
                    let body = d.xml10_content();
                    let upper = body.to_ascii_uppercase();
                    if upper.contains("<!ENTITY") {
                        let what = if upper.contains("SYSTEM") || upper.contains("PUBLIC") {
                            "an external entity (availcheck never reads files or URLs named in a document)"
                        } else {
                            "entities (entity expansion can blow up memory, as in \"billion laughs\")"
                        };
                        return Err(self.err(
                            before,
                            format!("the DOCTYPE declares {what}; availcheck refuses entity declarations, which never occur in Avails XML — remove the DOCTYPE"),
                        ));
                    }
                }
                Event::Eof => break,
                Event::Comment(_) | Event::Decl(_) | Event::PI(_) => {}
            }
        }
        if let Some(open) = self.stack.last() {
            let (line, _) = self.lines.line_col(open.tag.0);
            return Err(self.err(
                self.input.len(),
                format!(
                    "the file ends inside <{}> (opened at line {line}); it is truncated or an element is not closed",
                    open.qname
                ),
            ));
        }
        if !self.root_seen {
            return Err(self.err(
                self.input.len(),
                "no root element: the document holds no AvailList or Avail",
            ));
        }
        Ok(())
    }

    fn undeclared(&self, at: usize, prefix: &str) -> ReadError {
        self.err(
            at,
            format!(
                "the namespace prefix `{prefix}:` is not declared; the document is not well-formed"
            ),
        )
    }

    /// Whether text now would be kept: the open element has no child yet
    /// and is read (text between elements and in skipped ones is dropped).
    fn keeps_text(&self) -> bool {
        self.other_depth == 0 && self.stack.last().is_some_and(|f| !f.has_child)
    }

    /// Whether `text` is blank and the open element has no text yet: it
    /// would be trimmed off the value, so it is not kept.
    fn leading_blank(&self, text: &str) -> bool {
        self.stack.last().is_some_and(|f| f.text.is_empty()) && text.bytes().all(is_ws)
    }

    fn text(&mut self, content: Cow<'a, str>, span: (usize, usize)) {
        let Some(frame) = self.stack.last_mut() else {
            return;
        };
        if frame.has_child {
            return;
        }
        let raw = &self.input[span.0.min(self.input.len())..span.1.min(self.input.len())];
        if let (Some(s), Some(e)) = (
            raw.iter().position(|b| !is_ws(*b)),
            raw.iter().rposition(|b| !is_ws(*b)),
        ) {
            let (s, e) = (span.0 + s, span.0 + e + 1);
            frame.text_span = Some(match frame.text_span {
                Some((s0, _)) => (s0, e),
                None => (s, e),
            });
        }
        if frame.text.is_empty() {
            frame.text = content;
        } else {
            frame.text.to_mut().push_str(&content);
        }
    }

    fn text_literal(&mut self, content: &str, span: (usize, usize)) {
        let Some(frame) = self.stack.last_mut() else {
            return;
        };
        if frame.has_child {
            return;
        }
        frame.text_span = Some(match frame.text_span {
            Some((s0, _)) => (s0, span.1),
            None => span,
        });
        frame.text.to_mut().push_str(content);
    }

    fn start(
        &mut self,
        e: &BytesStart<'_>,
        names: &mut Namespaces<'a>,
        tag: (usize, usize),
    ) -> Result<(), ReadError> {
        // Events borrow the document, so the name always lifts.
        let qname = lift(self.text, e.name().0).unwrap_or_default();
        let Element { name, ns } = match names.element(qname) {
            Some(known) => {
                self.check_depth(tag)?;
                known
            }
            None => {
                let element = self.element(qname, names, tag)?;
                names.remember(qname, element);
                element
            }
        };
        let mut attrs = Vec::new();
        let has_attrs = !e.attributes_raw().is_empty();
        // Attributes are read from a few elements (and most tags have none).
        if has_attrs && ns != Ns::Other && self.other_depth == 0 && wants_attrs(name) {
            attrs = self.spare.attrs.pop().unwrap_or_default();
            let read = match self.read_attrs(e, qname, tag, false, &mut attrs) {
                Some(read) => read,
                None => {
                    // Malformed or repeated: quick-xml's checks say what is wrong.
                    attrs.clear();
                    let read = self.read_attrs(e, qname, tag, true, &mut attrs);
                    read.unwrap_or(Ok(()))
                }
            };
            read?;
        }
        if let Some(parent) = self.stack.last_mut().filter(|p| !p.has_child) {
            parent.has_child = true;
            parent.text = Cow::Borrowed("");
            parent.text_span = None;
        }
        let frame = Frame {
            qname,
            name,
            ns,
            tag,
            text: Cow::Borrowed(""),
            text_span: None,
            has_child: false,
            kids: Kids::default(),
            last_rank: None,
            attrs,
        };
        if ns == Ns::Other || self.other_depth > 0 {
            self.foreign(&frame, names);
            self.other_depth += 1;
            self.stack.push(frame);
            return Ok(());
        }
        self.on_start(&frame);
        self.stack.push(frame);
        Ok(())
    }

    /// Adds the attributes of `e` to `attrs`. quick-xml's check for repeated
    /// names allocates for every tag, so `checked` reading is kept for tags
    /// where unchecked reading meets a malformed or repeated attribute, or
    /// more than a few (`None`: names are compared pairwise here).
    fn read_attrs(
        &self,
        e: &BytesStart<'_>,
        qname: &str,
        tag: (usize, usize),
        checked: bool,
        attrs: &mut Vec<Attr<'a>>,
    ) -> Option<Result<(), ReadError>> {
        for a in e.attributes().with_checks(checked) {
            let a = match a {
                Ok(a) if checked => a,
                Ok(a) if attrs.len() < 16 && attrs.iter().all(|b| b.key != a.key.0) => a,
                Err(err) if checked => {
                    let message = format!("a malformed attribute in <{qname}>: {err}");
                    return Some(Err(self.err(tag.0, message)));
                }
                _ => return None,
            };
            let key = local_name(a.key.0);
            let value = match a.normalized_value(quick_xml::XmlVersion::Implicit1_0) {
                Ok(Cow::Borrowed(v)) => self.own(v),
                Ok(Cow::Owned(v)) => Cow::Owned(v),
                Err(err) => {
                    let message = format!(
                        "attribute `{key}` of <{qname}>: {err}; availcheck expands only the five predefined XML entities"
                    );
                    return Some(Err(self.err(tag.0, message)));
                }
            };
            attrs.push(Attr {
                // Events borrow the document, so the key always lifts.
                key: lift(self.text, a.key.0).unwrap_or_default(),
                name: self.own(key),
                value,
            });
        }
        Some(Ok(()))
    }

    fn check_depth(&self, tag: (usize, usize)) -> Result<(), ReadError> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(self.err(
                tag.0,
                format!("nesting deeper than {MAX_DEPTH} elements; Avails XML needs about 10 levels — the file is malformed or hostile"),
            ));
        }
        Ok(())
    }

    /// Works out what element name `qname` tells (the root's also starts
    /// the document).
    fn element(
        &mut self,
        qname: &str,
        names: &mut Namespaces<'a>,
        tag: (usize, usize),
    ) -> Result<Element, ReadError> {
        let ns_uri = names.uri(qname).map_err(|p| self.undeclared(tag.0, p))?;
        self.check_depth(tag)?;
        let local = local_name(qname);
        let name = N::of(local);
        if !self.root_seen {
            self.root_seen = true;
            self.root(local, qname, ns_uri, tag)?;
        }
        let ns = if self.avails_ns.as_deref() == Some(ns_uri) {
            Ns::Avails
        } else if ns_uri.starts_with("http://www.movielabs.com/schema/md") {
            Ns::Md
        } else {
            Ns::Other
        };
        Ok(Element { name, ns })
    }

    fn root(
        &mut self,
        local: &str,
        qname: &str,
        ns_uri: &str,
        tag: (usize, usize),
    ) -> Result<(), ReadError> {
        const ROOTS: [&str; 3] = ["AvailList", "AvailListSigned", "Avail"];
        let from_ns = ns_uri
            .strip_prefix(AVAILS_NS)
            .and_then(|rest| rest.strip_suffix("/avails"))
            .map(|v| (v.to_string(), v.parse::<TemplateVersion>()));
        let forced = self.opts.template_version.filter(|v| v.is_xml());
        if !ROOTS.contains(&local) || (from_ns.is_none() && forced.is_none()) {
            let ns_text = if ns_uri.is_empty() {
                "no namespace".to_string()
            } else {
                format!("namespace `{ns_uri}`")
            };
            return Err(self.err(
                tag.0,
                format!(
                    "the root element <{qname}> ({ns_text}) is not Avails XML; expected AvailList, AvailListSigned or Avail in the namespace http://www.movielabs.com/schema/avails/v2.x/avails"
                ),
            ));
        }
        let (version, reason) = match (forced, &from_ns) {
            (Some(v), Some((found, _))) => (
                v,
                format!("--template-version {v} (the namespace `{ns_uri}` says {found})"),
            ),
            (Some(v), None) => (v, format!("--template-version {v}")),
            (None, Some((found, Ok(v @ TemplateVersion::Xml(major, _)))))
                if (1..=7).contains(major) =>
            {
                (
                    *v,
                    format!("the namespace `{ns_uri}` of <{qname}> names avails v{found}"),
                )
            }
            (None, Some((found, _))) => {
                return Err(ReadError::UnknownVersion(format!(
                    "uses Avails XML namespace `{ns_uri}` (version `{found}`), which availcheck does not know (it reads avails 2.1 to 2.7); pass --template-version 2.x to check it as a known version"
                )));
            }
            (None, None) => {
                return Err(self.err(tag.0, format!("<{qname}> is not in an avails namespace")));
            }
        };
        let ignored = match self.opts.template_version {
            Some(v) if !v.is_xml() => format!(
                " (--template-version {v} is a spreadsheet version and does not apply to XML)"
            ),
            _ => String::new(),
        };
        self.avails_ns = Some(ns_uri.to_string());
        self.version = Some(version);
        self.infos = Some((
            self.sheet_info(version, SheetKind::Movies, 0),
            self.sheet_info(version, SheetKind::Tv, 1),
        ));
        // Point at the root element's name, not its (often multi-line) start tag.
        let pos = self
            .lines
            .pos((tag.0, (tag.0 + 1 + qname.len()).min(tag.1)));
        self.notes.push(Note {
            kind: NoteKind::VersionUsed,
            location: self.location(pos, None, None),
            message: format!(
                "checked as Avails XML {version} (EMA {} dictionaries): {reason}{ignored}",
                version.sheet_equivalent()
            ),
            help: None,
        });
        Ok(())
    }

    fn sheet_info(
        &self,
        version: TemplateVersion,
        kind: SheetKind,
        index: usize,
    ) -> Arc<SheetInfo> {
        let dictionary = Dictionary::for_version(version, kind);
        let columns = COLUMNS
            .iter()
            .map(|(field, element)| Column {
                letter: element
                    .rsplit('/')
                    .next()
                    .unwrap_or(element)
                    .trim_start_matches("md:")
                    .to_string(),
                header: (*element).to_string(),
                field: Some(*field),
                category: dictionary
                    .field(*field)
                    .map(|f| f.category.clone())
                    .unwrap_or_default(),
            })
            .collect();
        let at = SheetSource {
            file: self.file.to_string(),
            file_index: self.file_index,
            sheet: None,
            sheet_index: index,
            source: SourceKind::Xml,
            hidden: false,
            merged: Vec::new(),
        };
        Arc::new(SheetInfo::new(at, version, kind, columns, 0))
    }

    fn location(&self, pos: XmlPos, field: Option<&str>, value: Option<String>) -> Location {
        let mut loc = Location::file(self.file);
        loc.line = Some(pos.line);
        loc.col = Some(pos.col);
        loc.span = Some(pos.span);
        loc.field = field.map(str::to_string);
        loc.value = value;
        loc
    }

    fn structure(
        &mut self,
        pos: XmlPos,
        field: Option<&str>,
        value: Option<String>,
        message: String,
        help: Option<String>,
    ) {
        let location = self.location(pos, field, value);
        self.notes.push(Note {
            kind: NoteKind::XmlStructure,
            location,
            message,
            help,
        });
    }

    fn version_text(&self) -> String {
        self.version.map_or_else(String::new, |v| v.to_string())
    }

    /// An avails element outside the avails namespace is skipped: say so,
    /// or its data silently disappears.
    fn foreign(&mut self, frame: &Frame<'a>, names: &mut Namespaces<'a>) {
        let parent_avails = self.stack.last().is_some_and(|p| p.ns == Ns::Avails);
        let known = frame.name == N::Avail
            || frame.name.avail_rank().is_some()
            || frame.name.transaction_rank().is_some()
            || matches!(frame.name, N::WorkType | N::Metadata | N::EntryType);
        if self.other_depth > 0 || !parent_avails || !known {
            return;
        }
        let pos = self.lines.pos(frame.tag);
        let avails = self.avails_ns.clone().unwrap_or_default();
        // Resolved before, so known.
        let ns_uri = names.uri(frame.qname).unwrap_or_default();
        let found = if ns_uri.is_empty() {
            "no namespace".to_string()
        } else {
            format!("the namespace `{ns_uri}`")
        };
        self.structure(
            pos,
            None,
            None,
            format!(
                "<{}> is in {found}, not the avails namespace `{avails}`; it and its content were not read",
                frame.qname
            ),
            Some(format!(
                "write it with the avails prefix (e.g. <avails:{}>) or declare the avails namespace as the default",
                frame.local()
            )),
        );
    }

    /// Element opened (not skipped): start containers, order checks.
    fn on_start(&mut self, frame: &Frame<'a>) {
        let parent = self.stack.last().map_or(N::Blank, |f| f.name);
        let parent_is_list =
            self.stack.is_empty() || matches!(parent, N::AvailList | N::AvailListSigned);
        let lines = self.lines;
        let pos = || lines.pos(frame.tag);
        if frame.ns == Ns::Avails && frame.name == N::Avail && parent_is_list {
            self.avail = Some(AvailAcc {
                cells: self.spare.vals.pop().unwrap_or_default(),
                transactions: std::mem::take(&mut self.spare.transactions),
                ..AvailAcc::default()
            });
            self.trans = None;
            return;
        }
        if self.avail.is_none() {
            return;
        }
        let in_avail = self
            .stack
            .last()
            .is_some_and(|f| f.ns == Ns::Avails && f.name == N::Avail);
        // Order and repetition under Avail and Transaction.
        let ordered = match parent {
            N::Avail => in_avail,
            N::Transaction => self.trans.is_some(),
            _ => false,
        };
        if ordered && frame.ns == Ns::Avails {
            let rank = if parent == N::Avail {
                frame.name.avail_rank()
            } else {
                frame.name.transaction_rank()
            };
            let mut problems = Vec::new();
            if let Some(p) = self.stack.last_mut() {
                if frame.name.is_single() && p.kids.has(frame.name) {
                    problems.push(format!(
                        "<{}> appears twice in <{}>; the schema allows one",
                        frame.qname, p.qname
                    ));
                }
                if let Some(rank) = rank {
                    match p.last_rank {
                        Some((last, name)) if last > rank => {
                            let name = name.as_str();
                            problems.push(format!(
                                "<{}> comes after <{name}>; in Avails XML the {} element `{}` must come before `{name}`",
                                frame.qname,
                                p.local(),
                                frame.local()
                            ));
                        }
                        _ => p.last_rank = Some((rank, frame.name)),
                    }
                }
                p.kids.add(frame.name);
            }
            for message in problems {
                self.structure(
                    pos(),
                    None,
                    None,
                    message,
                    Some(format!(
                        "order the children of <{}> as in the avails {} schema",
                        parent.as_str(),
                        self.version_text()
                    )),
                );
            }
        } else if let Some(p) = self
            .stack
            .last_mut()
            .filter(|p| matches!(p.name, N::Asset | N::Disposition | N::Licensor | N::Term))
        {
            p.kids.add(frame.name);
        }
        match (parent, frame.name) {
            (N::Avail, N::Transaction) if in_avail => {
                self.trans = Some(TransAcc {
                    pos: pos(),
                    cells: self.spare.vals.pop().unwrap_or_default(),
                });
                if let Some(a) = frame.attr("TransactionID") {
                    let p = frame.attr_pos(lines, a);
                    if let Some(t) = self.trans.as_mut() {
                        push(&mut t.cells, &mut self.values, c!(AvailID), &a.value, p);
                    }
                }
            }
            (N::Avail, N::Asset) if in_avail => {
                if let Some(avail) = self.avail.as_mut() {
                    avail.assets += 1;
                    if avail.assets == 1 {
                        avail.content_id = frame
                            .attr("contentID")
                            .map(|a| (trimmed(&a.value), frame.attr_pos(lines, a)));
                    }
                }
            }
            (N::Asset, m) if m.is_unit_metadata() => {
                if let Some(avail) = self.avail.as_mut().filter(|a| a.assets == 1) {
                    avail.metadata.get_or_insert_with(pos);
                }
            }
            (_, N::GroupingEntity) => {
                self.pending.grouping = Some(Grouping::default());
            }
            (_, N::ReleaseHistory) => self.pending.release = Some((None, None)),
            (_, N::People) => self.pending.people = Some((None, None)),
            (N::Transaction, N::Term) => {
                let (name, p) = match frame.attr("termName") {
                    Some(a) => (trimmed(&a.value), frame.attr_pos(lines, a)),
                    None => (Cow::Borrowed(""), pos()),
                };
                self.pending.term = Some(Term {
                    name,
                    name_pos: p,
                    first: None,
                });
            }
            (N::Avail, N::SharedEntitlement) => {
                self.pending.ecosystem = frame.attr("ecosystem").map(|a| a.value.clone());
            }
            _ => {}
        }
    }

    fn end(&mut self, after: usize) -> Result<(), ReadError> {
        let Some(frame) = self.stack.pop() else {
            return Err(self.err(after, "an end tag without a matching start tag"));
        };
        if self.other_depth > 0 {
            self.other_depth -= 1;
            return Ok(());
        }
        if self.avail.is_some() {
            self.on_end(&frame);
        }
        let mut attrs = frame.attrs;
        if attrs.capacity() > 0 {
            attrs.clear();
            self.spare.attrs.push(attrs);
        }
        Ok(())
    }

    fn on_end(&mut self, frame: &Frame<'a>) {
        let parent = self.stack.last().map_or(N::Blank, |f| f.name);
        let grand = self
            .stack
            .len()
            .checked_sub(2)
            .map_or(N::Blank, |i| self.stack[i].name);
        let local = frame.name;
        // The value of a leaf element, trimmed, with its position (the text,
        // or the start tag when empty).
        let value = trimmed(&frame.text);
        let span = frame
            .text_span
            .filter(|_| !value.is_empty())
            .unwrap_or(frame.tag);
        let lines = self.lines;
        let pos = || lines.pos(span);
        let version = self.version.unwrap_or(TemplateVersion::Xml(3, 0));
        let major = match version {
            TemplateVersion::Xml(m, _) => m,
            _ => 3,
        };

        // Required leaves that must not be empty.
        let required_leaf = matches!(
            (parent, local),
            (N::Avail, N::Alid | N::AvailType)
                | (N::Disposition, N::EntryType)
                | (N::Licensor, N::DisplayName)
                | (N::Asset, N::WorkType)
                | (
                    N::Transaction,
                    N::LicenseType
                        | N::Start
                        | N::End
                        | N::StartCondition
                        | N::EndCondition
                        | N::FormatProfile
                )
        );
        if required_leaf && value.is_empty() {
            let field = leaf_field(parent, local);
            self.structure(
                pos(),
                field,
                Some(String::new()),
                format!(
                    "<{}> is empty; the avails {version} schema requires a value",
                    frame.qname
                ),
                Some(format!("fill <{}>", frame.qname)),
            );
        }

        match (parent, local) {
            // ---- Avail level
            (N::AvailList | N::AvailListSigned | N::Blank, N::Avail) => {
                self.finish_avail(frame);
            }
            (N::Avail, N::Alid) => self.avail_cell(c!(ALID), &value, pos()),
            (N::Avail, N::AvailType) => {
                if let Some(a) = self.avail.as_mut() {
                    a.avail_type = Some(value);
                }
            }
            (N::Avail, N::ExceptionFlag) => match xs_boolean(&value) {
                Some(b) => self.avail_cell(c!(ExceptionFlag), if b { "Yes" } else { "No" }, pos()),
                None => self.structure(
                    pos(),
                    Some("ExceptionFlag"),
                    Some(value.to_string()),
                    format!("ExceptionFlag `{value}` is not an xs:boolean"),
                    Some("write `true` or `false`".into()),
                ),
            },
            (N::Avail, N::AssociatedAlid) => self.avail_cell(c!(AssociatedALID), &value, pos()),
            (N::Avail, N::Disposition) if !frame.kids.has(N::EntryType) => {
                self.missing(frame, "EntryType", Some("EntryType"));
            }
            (N::Avail, N::Licensor) if !frame.kids.has(N::DisplayName) => {
                self.missing(frame, "md:DisplayName", Some("DisplayName"));
            }
            (N::Disposition, N::EntryType) => self.avail_cell(c!(EntryType), &value, pos()),
            (N::Licensor, N::DisplayName) => self.avail_cell(c!(DisplayName), &value, pos()),
            (N::ServiceProvider, N::DisplayName) => {
                self.avail_cell(c!(ServiceProvider), &value, pos());
            }
            (N::SharedEntitlement, N::EcosystemId) => match self.pending.ecosystem.as_deref() {
                Some("UVVU") => self.avail_cell(c!(UV_ID), &value, pos()),
                Some("DMA") => self.avail_cell(c!(DMA_ID), &value, pos()),
                _ => {}
            },

            // ---- Asset
            (N::Avail, N::Asset) => self.finish_asset(frame),
            (N::Asset, N::WorkType) if self.first_asset() => {
                if let Some(a) = self.avail.as_mut() {
                    a.work_type = Some(value.clone());
                }
                self.avail_cell(c!(WorkType), &value, pos());
            }
            (N::BundledAsset, N::BundledAlid) => self.asset_cell(c!(BundledALIDs), &value, pos()),
            (unit, N::TitleInternalAlias | N::TitleDisplayUnlimited) if unit.is_unit_metadata() => {
                let field = match (unit, local) {
                    (N::EpisodeMetadata, N::TitleInternalAlias) => c!(EpisodeTitleInternalAlias),
                    (N::EpisodeMetadata, _) => c!(EpisodeTitleDisplayUnlimited),
                    (_, N::TitleInternalAlias) => c!(TitleInternalAlias),
                    _ => c!(TitleDisplayUnlimited),
                };
                self.asset_cell(field, &value, pos());
            }
            (unit, N::EditEidrUrn | N::TitleEidrUrn) if unit.is_unit_metadata() => {
                let field = match (unit, local) {
                    (N::EpisodeMetadata, N::EditEidrUrn) => c!(EpisodeID),
                    (N::EpisodeMetadata, _) => c!(EpisodeTitleID),
                    (_, N::EditEidrUrn) => c!(EditID),
                    _ => c!(TitleID),
                };
                self.asset_cell(field, &value, pos());
            }
            (
                N::SeasonMetadata | N::SeriesMetadata,
                N::SeasonContentId
                | N::SeriesContentId
                | N::SeasonTitleInternalAlias
                | N::SeasonTitleDisplayUnlimited
                | N::SeriesTitleInternalAlias
                | N::SeriesTitleDisplayUnlimited,
            ) => {
                let field = match local {
                    N::SeasonContentId => c!(SeasonContentID),
                    N::SeriesContentId => c!(SeriesContentID),
                    N::SeasonTitleInternalAlias => c!(SeasonTitleInternalAlias),
                    N::SeasonTitleDisplayUnlimited => c!(SeasonTitleDisplayUnlimited),
                    N::SeriesTitleInternalAlias => c!(SeriesTitleInternalAlias),
                    _ => c!(SeriesTitleDisplayUnlimited),
                };
                self.asset_cell(field, &value, pos());
            }
            (N::SeasonMetadata, N::SeasonEidrUrn) => self.asset_cell(c!(SeasonID), &value, pos()),
            (N::SeriesMetadata, N::SeriesEidrUrn) => self.asset_cell(c!(SeriesID), &value, pos()),
            (N::SeasonMetadata, N::NumberOfEpisodes) => {
                self.asset_cell(c!(EpisodeCount), &value, pos());
            }
            (N::SeriesMetadata, N::NumberOfSeasons) => {
                self.asset_cell(c!(SeasonCount), &value, pos());
            }
            (N::EpisodeNumber, N::Number) => self.asset_cell(c!(EpisodeNumber), &value, pos()),
            (N::SeasonNumber, N::Number) => self.asset_cell(c!(SeasonNumber), &value, pos()),
            (N::AltIdentifier | N::SeasonAltIdentifier | N::SeriesAltIdentifier, N::Identifier) => {
                let default = match (parent, grand) {
                    (N::SeasonAltIdentifier, _) => c!(SeasonAltID),
                    (N::SeriesAltIdentifier, _) => c!(SeriesAltID),
                    (_, N::EpisodeMetadata) => c!(EpisodeAltID),
                    _ => c!(AltID),
                };
                // mddf writes `Column:value` (e.g. `AltID:001143`).
                let (field, v) = match value.split_once(':') {
                    Some((name, rest))
                        if let Some(c) = Field::from_name(name).and_then(col)
                            && (name.ends_with("ID") || name.starts_with("Retailer")) =>
                    {
                        (c, rest)
                    }
                    _ => (default, &*value),
                };
                self.asset_cell(field, v, pos());
            }
            (unit, N::ReleaseDate) if unit.is_unit_metadata() => {
                let year =
                    if value.len() >= 4 && value.as_bytes()[..4].iter().all(u8::is_ascii_digit) {
                        &value[..4]
                    } else {
                        &*value
                    };
                self.asset_cell(c!(ReleaseYear), year, pos());
            }
            (unit, N::RunLength) if unit.is_unit_metadata() => {
                self.check_duration(&value, pos(), "TotalRunTime", "RunLength");
                self.asset_cell(c!(TotalRunTime), &value, pos());
            }
            (N::ReleaseHistory, N::ReleaseType) => {
                if let Some(r) = self.pending.release.as_mut() {
                    r.0 = Some(value);
                }
            }
            (N::ReleaseHistory, N::Date) => {
                if let Some(r) = self.pending.release.as_mut() {
                    r.1 = Some((value, pos()));
                }
            }
            (_, N::ReleaseHistory) => {
                if let Some((Some(kind), Some((date, p)))) = self.pending.release.take() {
                    match &*kind {
                        "original" => self.asset_cell(c!(ReleaseHistoryOriginal), &date, p),
                        "DVD" => self.asset_cell(c!(ReleaseHistoryPhysicalHV), &date, p),
                        _ => {}
                    }
                }
            }
            (unit, N::UsaCaptionsExemptionReason) if unit.is_unit_metadata() => {
                if let Some(a) = self.avail.as_mut() {
                    a.caption_exemption = true;
                }
                self.asset_cell(c!(CaptionIncluded), "No", pos());
                self.asset_cell(c!(CaptionExemption), &value, pos());
            }
            (N::Rating, N::System) => self.asset_cell(c!(RatingSystem), &value, pos()),
            (N::Rating, N::Value) => self.asset_cell(c!(RatingValue), &value, pos()),
            (N::Rating, N::Reason) => self.asset_cell(c!(RatingReason), &value, pos()),
            (unit, N::LocalizationOffering) if unit.is_unit_metadata() => {
                self.asset_cell(c!(LocalizationType), &value, pos());
            }
            (N::GroupingEntity, N::Type) => {
                if let Some(g) = self.pending.grouping.as_mut() {
                    g.kind = Some(value);
                }
            }
            (N::GroupingEntity, N::DisplayName) => {
                if let Some(g) = self.pending.grouping.as_mut() {
                    g.display = Some((value, pos()));
                }
            }
            (N::GroupingEntity, N::GroupIdentity) => {
                if let Some(g) = self.pending.grouping.as_mut() {
                    g.identity = Some((value, pos()));
                }
            }
            (_, N::GroupingEntity) => {
                if let Some(g) = self.pending.grouping.take() {
                    let channel = g
                        .kind
                        .as_deref()
                        .is_none_or(|k| k.trim().eq_ignore_ascii_case("channel"));
                    let chosen = g
                        .display
                        .filter(|(v, _)| !v.is_empty())
                        .or(g.identity.filter(|(v, _)| !v.is_empty()));
                    if let (true, Some((v, p))) = (channel, chosen) {
                        self.asset_cell(c!(GroupIdentity), &v, p);
                    }
                }
            }
            (N::CompanyDisplayCredit, N::DisplayString) => {
                self.asset_cell(c!(CompanyDisplayCredit), &value, pos());
            }
            (N::Job, N::JobFunction) => {
                if let Some(p) = self.pending.people.as_mut() {
                    p.0 = Some(value);
                }
            }
            (N::Name, N::DisplayName) if grand == N::People => {
                if let Some(p) = self.pending.people.as_mut() {
                    p.1.get_or_insert_with(|| (value, pos()));
                }
            }
            (_, N::People) => {
                if let Some((Some(job), Some((name, p)))) = self.pending.people.take()
                    && job.eq_ignore_ascii_case("Director")
                {
                    self.asset_cell(c!(Director), &name, p);
                }
            }

            // ---- Transaction
            (N::Avail, N::Transaction) => self.finish_transaction(frame, major),
            (N::Licensee, N::DisplayName) if self.trans.is_some() => {
                self.trans_cell(c!(Licensee), &value, pos());
            }
            (N::Licensee, N::DisplayName) => self.avail_cell(c!(Licensee), &value, pos()),
            (
                N::Transaction,
                N::LicenseType
                | N::Description
                | N::LicenseRightsDescription
                | N::ContractId
                | N::ReportingId
                | N::OtherInstructions
                | N::StoreLanguage,
            ) => {
                let field = match local {
                    N::LicenseType => c!(LicenseType),
                    N::Description => c!(Description),
                    N::LicenseRightsDescription => c!(LicenseRightsDescription),
                    N::ContractId => c!(ContractID),
                    N::ReportingId => c!(ReportingID),
                    N::OtherInstructions => c!(OtherInstructions),
                    _ => c!(StoreLanguage),
                };
                self.trans_cell(field, &value, pos());
            }
            (N::Territory, N::Country | N::CountryRegion) => {
                self.trans_cell(c!(Territory), &value, pos());
            }
            (N::TerritoryExcluded, N::Country | N::CountryRegion) => {
                self.trans_cell(c!(TerritoryExclusion), &value, pos());
            }
            (N::Transaction, N::Start | N::End) => {
                let local = local.as_str();
                if !value.is_empty() && !is_xs_date_time(&value) {
                    self.structure(
                        pos(),
                        Some(local),
                        Some(value.to_string()),
                        format!("<{}> `{value}` is not an xs:dateTime", frame.qname),
                        Some(format!(
                            "write YYYY-MM-DDThh:mm:ss with optional Z or ±hh:mm (e.g. 2026-03-01T00:00:00Z), or use <{local}Condition> for a condition"
                        )),
                    );
                }
                let field = if local == "Start" { c!(Start) } else { c!(End) };
                self.trans_cell(field, &value, pos());
            }
            (N::Transaction, N::StartCondition | N::EndCondition) => {
                let (field, lag_field, lag_col) = if local == N::StartCondition {
                    (c!(Start), "StartLag", c!(StartLag))
                } else {
                    (c!(End), "EndLag", c!(EndLag))
                };
                self.trans_cell(field, &value, pos());
                if let Some(a) = frame.attr("lag") {
                    let p = frame.attr_pos(lines, a);
                    self.check_duration(&a.value, p, lag_field, "@lag");
                    self.trans_cell(lag_col, &a.value, p);
                }
            }
            (N::Transaction, N::WindowDuration | N::Duration) => {
                self.check_duration(&value, pos(), "WindowDuration", local.as_str());
                self.trans_cell(c!(WindowDuration), &value, pos());
            }
            (N::Transaction, N::AllowedLanguage | N::AssetLanguage | N::HoldbackLanguage) => {
                let field = match local {
                    N::AllowedLanguage => c!(AllowedLanguages),
                    N::AssetLanguage => c!(AssetLanguage),
                    _ => c!(HoldbackLanguage),
                };
                match frame.attr("asset") {
                    Some(a) if !a.value.trim().is_empty() && !value.is_empty() => {
                        let mut text = std::mem::take(&mut self.scratch);
                        text.clear();
                        text.push_str(&value);
                        text.push(':');
                        text.push_str(a.value.trim());
                        self.trans_cell(field, &text, pos());
                        self.scratch = text;
                    }
                    _ => self.trans_cell(field, &value, pos()),
                }
                if local == N::AssetLanguage
                    && frame
                        .attr("assetProvided")
                        .is_some_and(|a| xs_boolean(&a.value) == Some(true))
                {
                    self.trans_cell(c!(RequiredFulfillmentLanguages), &value, pos());
                }
            }
            (N::Transaction, N::FormatProfile) => {
                self.trans_cell(c!(FormatProfile), &value, pos());
                for (attr, field) in [
                    ("HDR", c!(HDR)),
                    ("WCG", c!(WCG)),
                    ("HFR", c!(HFR)),
                    ("NGAudio", c!(NGAudio)),
                ] {
                    if let Some(a) = frame.attr(attr) {
                        let p = frame.attr_pos(lines, a);
                        let v = match a.value.trim() {
                            "true" => "True",
                            "false" => "False",
                            other => other,
                        };
                        self.trans_cell(field, v, p);
                    }
                }
            }
            (N::Term, child) => {
                let currency = frame
                    .attr("currency")
                    .map(|a| (trimmed(&a.value), frame.attr_pos(lines, a)));
                if child == N::Money && !value.is_empty() && !is_xs_decimal(&value) {
                    let field = match self.pending.term.as_ref().map(|t| &*t.name) {
                        Some("SRP") => Some("SRP"),
                        Some(n) if PRICE_TERMS.contains(&n) || n.starts_with("TPR-") => {
                            Some("PriceValue")
                        }
                        _ => None,
                    };
                    self.structure(
                        pos(),
                        field,
                        Some(value.to_string()),
                        format!("<{}> `{value}` is not an xs:decimal", frame.qname),
                        Some("write a plain number such as 4.99 (no currency symbol or thousands separator)".into()),
                    );
                }
                if child == N::Boolean && xs_boolean(&value).is_none() {
                    self.structure(
                        pos(),
                        None,
                        Some(value.to_string()),
                        format!("<{}> `{value}` is not an xs:boolean", frame.qname),
                        Some("write `true` or `false`".into()),
                    );
                }
                if child == N::Duration {
                    self.check_duration(&value, pos(), "", "Term/Duration");
                }
                if let Some(t) = self.pending.term.as_mut().filter(|t| t.first.is_none()) {
                    t.first = Some((child, value, pos(), currency));
                }
            }
            (N::Transaction, N::Term) => self.finish_term(frame),
            _ => {}
        }
    }

    fn missing(&mut self, frame: &Frame<'a>, child: &str, field: Option<&str>) {
        let pos = self.lines.pos(frame.tag);
        let version = self.version_text();
        self.structure(
            pos,
            field,
            None,
            format!(
                "<{}> has no <{child}>; the avails {version} schema requires it",
                frame.qname
            ),
            Some(format!("add <{child}> to <{}>", frame.qname)),
        );
    }

    fn check_duration(&mut self, value: &str, pos: XmlPos, field: &str, element: &str) {
        if value.is_empty() || is_iso_duration(value.trim()) {
            return;
        }
        self.structure(
            pos,
            (!field.is_empty()).then_some(field),
            Some(value.to_string()),
            format!("{element} `{value}` is not an xs:duration"),
            Some("write an ISO 8601 duration such as P180D, PT2H30M or -P5DT10H".into()),
        );
    }

    fn first_asset(&self) -> bool {
        self.avail.as_ref().is_some_and(|a| a.assets == 1)
    }

    fn avail_cell(&mut self, col: usize, value: &str, pos: XmlPos) {
        if let Some(a) = self.avail.as_mut() {
            push(&mut a.cells, &mut self.values, col, value, pos);
        }
    }

    fn asset_cell(&mut self, col: usize, value: &str, pos: XmlPos) {
        if self.first_asset() {
            self.avail_cell(col, value, pos);
        }
    }

    fn trans_cell(&mut self, col: usize, value: &str, pos: XmlPos) {
        if let Some(t) = self.trans.as_mut() {
            push(&mut t.cells, &mut self.values, col, value, pos);
        }
    }

    fn finish_asset(&mut self, frame: &Frame<'a>) {
        let first = self.first_asset();
        if !frame.kids.has(N::WorkType) {
            self.missing(frame, "WorkType", Some("WorkType"));
        }
        if frame.attr("contentID").is_none() {
            let pos = self.lines.pos(frame.tag);
            self.structure(
                pos,
                Some("ContentID"),
                None,
                format!(
                    "<{}> has no contentID attribute; the schema requires it",
                    frame.qname
                ),
                Some("add contentID=\"md:cid:...\"".into()),
            );
        }
        let units = [
            N::Metadata,
            N::EpisodeMetadata,
            N::SeasonMetadata,
            N::SeriesMetadata,
            N::VolumeMetadata,
        ];
        if !units.iter().any(|n| frame.kids.has(*n)) {
            self.missing(frame, "Metadata", None);
        }
        let lines = self.lines;
        if let Some(a) = self.avail.as_mut().filter(|_| first) {
            a.metadata.get_or_insert_with(|| lines.pos(frame.tag));
        }
    }

    fn finish_term(&mut self, frame: &Frame<'a>) {
        let Some(term) = self.pending.term.take() else {
            return;
        };
        if frame.attr("termName").is_none() {
            let pos = self.lines.pos(frame.tag);
            self.structure(
                pos,
                Some("PriceType"),
                None,
                format!(
                    "<{}> has no termName attribute; the schema requires it",
                    frame.qname
                ),
                None,
            );
            return;
        }
        let Term {
            name,
            name_pos,
            first,
        } = term;
        let name = &*name;
        if PRICE_TERMS.contains(&name) || name.starts_with("TPR-") {
            let price_type = match name {
                "EpisodeWSP" | "SeasonWSP" => "WSP",
                other => other,
            };
            self.trans_cell(c!(PriceType), price_type, name_pos);
            if let Some((_, v, p, currency)) = first {
                self.trans_cell(c!(PriceValue), &v, p);
                if let Some((c, cp)) = currency {
                    self.trans_cell(c!(PriceCurrency), &c, cp);
                }
            }
        } else if name == "SRP" {
            if let Some((_, v, p, currency)) = first {
                self.trans_cell(c!(SRP), &v, p);
                if let Some((c, cp)) = currency {
                    self.trans_cell(c!(PriceCurrency), &c, cp);
                }
            }
        } else if let (Some(field), Some((kind, v, p, _))) = (
            TERM_FIELDS
                .iter()
                .find(|(t, _)| *t == name)
                .and_then(|(_, f)| col(*f)),
            first,
        ) {
            let v = match (kind, xs_boolean(&v)) {
                (N::Boolean, Some(true)) => "True",
                (N::Boolean, Some(false)) => "False",
                _ => &*v,
            };
            self.trans_cell(field, v, p);
        }
    }

    fn finish_transaction(&mut self, frame: &Frame<'a>, major: u8) {
        let has = |n: N| frame.kids.has(n);
        let mut missing: Vec<(&str, Option<&str>)> = Vec::new();
        if !has(N::LicenseType) {
            missing.push(("LicenseType", Some("LicenseType")));
        }
        if !has(N::Start) && !has(N::StartCondition) {
            missing.push(("Start> or <StartCondition", Some("Start")));
        }
        if !has(N::End) && !has(N::EndCondition) {
            missing.push(("End> or <EndCondition", Some("End")));
        }
        if !has(N::FormatProfile) {
            missing.push(("FormatProfile", Some("FormatProfile")));
        }
        if major <= 3 && !has(N::Term) {
            missing.push(("Term", None));
        }
        if major <= 1 && !has(N::Description) {
            missing.push(("Description", Some("Description")));
        }
        for (child, field) in missing {
            self.missing(frame, child, field);
        }
        if let (Some(t), Some(a)) = (self.trans.take(), self.avail.as_mut()) {
            a.transactions.push(t);
        }
    }

    fn finish_avail(&mut self, frame: &Frame<'a>) {
        for (child, name, field) in [
            ("ALID", N::Alid, Some("ALID")),
            ("Disposition", N::Disposition, Some("EntryType")),
            ("Licensor", N::Licensor, Some("DisplayName")),
            ("AvailType", N::AvailType, None),
            ("ShortDescription", N::ShortDescription, None),
            ("Asset", N::Asset, Some("WorkType")),
            ("Transaction", N::Transaction, None),
        ] {
            if !frame.kids.has(name) {
                self.missing(frame, child, field);
            }
        }
        let Some(mut avail) = self.avail.take() else {
            return;
        };
        self.trans = None;
        let Some((movies, tv)) = self.infos.clone() else {
            return;
        };
        let work_type = avail.work_type.clone().unwrap_or_default();
        let kind = sheet_kind(&work_type, avail.avail_type.as_deref().unwrap_or(""));
        // Asset/@contentID goes to the ContentID column of the WorkType.
        if let Some((id, pos)) = avail.content_id.take() {
            let c = match &*work_type {
                "Episode" => c!(EpisodeContentID),
                "Season" => c!(SeasonContentID),
                "Series" => c!(SeriesContentID),
                "Volume" => c!(VolumeContentID),
                _ => c!(ContentID),
            };
            if !avail.cells.iter().any(|v| v.col == c) {
                push(&mut avail.cells, &mut self.values, c, &id, pos);
            }
        }
        // EMA 1.6 (avails 2.1) identifies movies by AltID, which MovieLabs'
        // 1.6 converter also wrote as the ALID: use the ALID when no
        // AltIdentifier gave one.
        let version = self.version.unwrap_or(TemplateVersion::Xml(3, 0));
        let (alt_id, alid) = (c!(AltID), c!(ALID));
        if version.sheet_equivalent() == TemplateVersion::V1_6
            && kind == SheetKind::Movies
            && !avail.cells.iter().any(|v| v.col == alt_id)
            && let Some(id) = avail.cells.iter().find(|v| v.col == alid).cloned()
        {
            push(
                &mut avail.cells,
                &mut self.values,
                c!(AltID),
                &id.text,
                id.pos,
            );
        }
        // US captions: no exemption reason in the XML means captions are included.
        if let Some(pos) = avail
            .metadata
            .filter(|_| !avail.caption_exemption && kind == SheetKind::Tv)
        {
            push(
                &mut avail.cells,
                &mut self.values,
                c!(CaptionIncluded),
                "Yes",
                pos,
            );
        }
        let info = if kind == SheetKind::Tv { tv } else { movies };
        let target = if kind == SheetKind::Tv {
            &mut self.rows.1
        } else {
            &mut self.rows.0
        };
        // Cells by column, the Avail's before the Transaction's in a column:
        // both sorted stably, then merged. Values move into the row when
        // nothing else needs them (the Avail's ones: the last row).
        avail.cells.sort_by_key(|v| v.col);
        let rows = avail.transactions.len();
        for (k, mut t) in avail.transactions.drain(..).enumerate() {
            t.cells.sort_by_key(|v| v.col);
            let mut cells = Vec::with_capacity(avail.cells.len() + t.cells.len());
            if k + 1 == rows {
                merge(avail.cells.drain(..), t.cells.drain(..), &mut cells);
            } else {
                merge(avail.cells.iter().cloned(), t.cells.drain(..), &mut cells);
            }
            target.push(Avail::with_positions(
                Arc::clone(&info),
                t.pos.line,
                cells,
                t.pos,
            ));
            self.spare.vals.push(t.cells);
        }
        avail.cells.clear();
        self.spare.vals.push(avail.cells);
        self.spare.transactions = avail.transactions;
    }
}

/// The cells of two runs of values sorted by column, `shared` first where
/// both have a column (a stable sort of both).
fn merge(
    shared: impl Iterator<Item = Val>,
    own: impl Iterator<Item = Val>,
    out: &mut Vec<(Cell, XmlPos)>,
) {
    let (mut shared, mut own) = (shared.peekable(), own.peekable());
    loop {
        let v = match (shared.peek(), own.peek()) {
            (Some(a), Some(b)) if a.col <= b.col => shared.next(),
            (Some(_), None) => shared.next(),
            (_, Some(_)) => own.next(),
            (None, None) => break,
        };
        if let Some(v) = v {
            out.push((Cell::new(v.col, v.text, CellKind::Text), v.pos));
        }
    }
}

/// Adds the trimmed value, unless empty, to column `col`.
fn push(cells: &mut Vec<Val>, values: &mut Values, col: usize, value: &str, pos: XmlPos) {
    let value = trim(value);
    if value.is_empty() {
        return;
    }
    cells.push(Val {
        col,
        text: values.share(col, value),
        pos,
    });
}

/// The field a required leaf element stands for, for locations.
fn leaf_field(parent: N, local: N) -> Option<&'static str> {
    Some(match (parent, local) {
        (_, N::Alid) => "ALID",
        (_, N::EntryType) => "EntryType",
        (N::Licensor, N::DisplayName) => "DisplayName",
        (_, N::WorkType) => "WorkType",
        (_, N::LicenseType) => "LicenseType",
        (_, N::Start | N::StartCondition) => "Start",
        (_, N::End | N::EndCondition) => "End",
        (_, N::FormatProfile) => "FormatProfile",
        _ => return None,
    })
}

/// Elements whose attributes are read.
fn wants_attrs(local: N) -> bool {
    matches!(
        local,
        N::Asset
            | N::Transaction
            | N::Term
            | N::Money
            | N::StartCondition
            | N::EndCondition
            | N::AllowedLanguage
            | N::AssetLanguage
            | N::HoldbackLanguage
            | N::FormatProfile
            | N::SharedEntitlement
    )
}

/// Byte span of an attribute's value inside a start tag.
fn attr_span(input: &[u8], tag: (usize, usize), key: &[u8]) -> Option<(usize, usize)> {
    let bytes = input.get(tag.0..tag.1)?;
    let mut from = 0;
    while let Some(i) = find(&bytes[from..], key).map(|i| i + from) {
        let before_ok = i > 0 && is_ws(bytes[i - 1]);
        let mut j = i + key.len();
        while j < bytes.len() && is_ws(bytes[j]) {
            j += 1;
        }
        if before_ok && bytes.get(j) == Some(&b'=') {
            j += 1;
            while j < bytes.len() && is_ws(bytes[j]) {
                j += 1;
            }
            let quote = *bytes.get(j)?;
            if quote == b'"' || quote == b'\'' {
                let start = j + 1;
                let len = bytes[start..].iter().position(|b| *b == quote)?;
                return Some((tag.0 + start, tag.0 + start + len));
            }
        }
        from = i + 1;
    }
    None
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let (first, rest) = needle.split_first()?;
    // Compare only where the first byte matches.
    let mut from = 0;
    while let Some(i) = hay[from..].iter().position(|b| b == first) {
        let at = from + i;
        if hay[at + 1..].starts_with(rest) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

fn sheet_kind(work_type: &str, avail_type: &str) -> SheetKind {
    match work_type {
        "Episode" | "Season" | "Series" | "Volume" => SheetKind::Tv,
        "" => match avail_type {
            "episode" | "season" | "series" | "miniseries" | "volume" => SheetKind::Tv,
            _ => SheetKind::Movies,
        },
        _ => SheetKind::Movies,
    }
}

/// xs:boolean: `true`, `false`, `1`, `0` (whitespace collapsed).
fn xs_boolean(v: &str) -> Option<bool> {
    match v.trim() {
        "true" | "1" => Some(true),
        "false" | "0" => Some(false),
        _ => None,
    }
}

/// xs:decimal: optional sign, digits, optional fraction; no exponent.
fn is_xs_decimal(v: &str) -> bool {
    let v = v.trim();
    let body = v.strip_prefix(['+', '-']).unwrap_or(v);
    let (int, frac) = match body.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    (!int.is_empty() || frac.is_some_and(|f| !f.is_empty()))
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.is_none_or(|f| f.bytes().all(|b| b.is_ascii_digit()))
}

/// xs:dateTime: `YYYY-MM-DDThh:mm:ss[.s+][Z|±hh:mm]`, a real date and time.
fn is_xs_date_time(v: &str) -> bool {
    let b = v.as_bytes();
    if b.len() < 19 || b[10] != b'T' || b[13] != b':' || b[16] != b':' {
        return false;
    }
    let Some(rest) = v.get(19..) else {
        return false;
    };
    let rest = match rest.strip_prefix('.') {
        Some(r) => {
            let digits = r.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 0 {
                return false;
            }
            &r[digits..]
        }
        None => rest,
    };
    let zone_ok = rest.is_empty()
        || rest == "Z"
        || (rest.len() == 6
            && (rest.starts_with('+') || rest.starts_with('-'))
            && rest.as_bytes()[3] == b':');
    zone_ok && matches!(When::parse(v), When::DateTime(..))
}

fn describe_error(e: &quick_xml::Error, stack: &[Frame<'_>]) -> String {
    use quick_xml::errors::{IllFormedError, SyntaxError};
    let inside = stack
        .last()
        .map(|f| format!(" inside <{}>", f.qname))
        .unwrap_or_default();
    match e {
        quick_xml::Error::Syntax(
            s @ (SyntaxError::UnclosedTag
            | SyntaxError::UnclosedComment
            | SyntaxError::UnclosedCData
            | SyntaxError::UnclosedDoctype
            | SyntaxError::UnclosedPI
            | SyntaxError::UnclosedXmlDecl
            | SyntaxError::UnclosedSingleQuotedAttributeValue
            | SyntaxError::UnclosedDoubleQuotedAttributeValue),
        ) => format!("the file ends in the middle of markup{inside} ({s}); it is truncated"),
        quick_xml::Error::IllFormed(IllFormedError::MismatchedEndTag { expected, found }) => {
            format!(
                "end tag </{found}> does not match the open <{expected}>; the XML is not well-formed"
            )
        }
        quick_xml::Error::IllFormed(IllFormedError::UnmatchedEndTag(name)) => {
            format!("end tag </{name}> has no matching start tag; the XML is not well-formed")
        }
        other => format!("is not well-formed XML{inside}: {other}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xs_syntax() {
        assert!(is_xs_date_time("2026-03-01T00:00:00"));
        assert!(is_xs_date_time("2026-03-01T00:00:00Z"));
        assert!(is_xs_date_time("2026-03-01T00:00:00.5+01:00"));
        assert!(!is_xs_date_time("2026-03-01"));
        assert!(!is_xs_date_time("2026-02-30T00:00:00"));
        assert!(is_xs_decimal("4.99"));
        assert!(!is_xs_decimal("$4.99"));
        assert!(!is_xs_decimal("4,99"));
        assert_eq!(xs_boolean("true"), Some(true));
        assert_eq!(xs_boolean("Yes"), None);
    }

    fn sample() -> ReadOutput {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fixtures/xml/mddf/mddf_Avails_noErrors_v2.3.xml"
        );
        let bytes = std::fs::read(path).expect("sample fixture");
        read(&bytes, "noErrors.xml", 0, &ReadOptions::default()).expect("sample reads")
    }

    fn texts(row: &Avail, field: Field) -> Vec<&str> {
        row.get_all(field).map(|c| &*c.text).collect()
    }

    #[test]
    fn maps_movie_transactions() {
        let out = sample();
        assert_eq!(out.source, SourceKind::Xml);
        let movies = &out.sheets[0];
        assert_eq!(movies.info.sheet_kind, SheetKind::Movies);
        assert_eq!(movies.info.version, TemplateVersion::Xml(3, 0));
        assert_eq!(movies.info.sheet, None);
        assert_eq!(movies.info.header_row, 0);
        let territory = movies.info.column_of(Field::Territory).unwrap();
        assert_eq!(movies.info.columns[territory].letter, "Territory");
        let row = &movies.rows[0];
        assert_eq!(row.row, 43);
        assert_eq!(row.xml().map(|x| (x.line, x.col)), Some((43, 5)));
        assert_eq!(row.text(Field::ALID), "md:pseudoalid:wprid.fox.com:001143");
        assert_eq!(row.text(Field::DisplayName), "20th Century Fox");
        assert_eq!(row.text(Field::EntryType), "Full Extract");
        assert_eq!(row.text(Field::WorkType), "Movie");
        assert_eq!(
            row.text(Field::ContentID),
            "md:cid:eidr-s:8FF3-1C20-84F5-F247-8BCD-E"
        );
        assert_eq!(row.text(Field::TitleInternalAlias), "Bravados, The");
        assert_eq!(row.text(Field::AltID), "001143");
        assert_eq!(row.text(Field::ReleaseYear), "1958");
        assert_eq!(row.text(Field::TotalRunTime), "PT01H37M49S");
        assert_eq!(row.text(Field::ReleaseHistoryPhysicalHV), "2005-05-24");
        assert_eq!(row.text(Field::CaptionIncluded), "No");
        assert_eq!(row.text(Field::CaptionExemption), "2");
        assert_eq!(row.text(Field::LocalizationType), "any");
        assert_eq!(row.text(Field::AvailID), "1431081");
        assert_eq!(row.text(Field::LicenseType), "EST");
        assert_eq!(texts(row, Field::Territory), ["US"]);
        assert_eq!(row.text(Field::Start), "1917-09-24T23:59:59");
        assert_eq!(row.text(Field::End), "Open");
        assert_eq!(texts(row, Field::AllowedLanguages).len(), 6);
        assert_eq!(row.text(Field::AssetLanguage), "EN");
        assert_eq!(row.text(Field::FormatProfile), "HD");
        assert_eq!(row.text(Field::SRP), "1000.00");
        assert_eq!(row.text(Field::PriceCurrency), "XTS");
        assert_eq!(row.text(Field::PriceType), "");
        assert_eq!(
            row.text(Field::UV_ID),
            "urn:dece:alid:eidr-s:77C5-ED35-8FC2-7D9D-9531-1"
        );
        assert_eq!(
            row.text(Field::DMA_ID),
            "10.5240/77C5-ED35-8FC2-7D9D-9531-1"
        );
        let cell = row.get(Field::Territory).unwrap();
        let pos = row.position_of(cell).unwrap();
        assert_eq!((pos.line, pos.col), (46, 21));
        assert_eq!(pos.span.1 - pos.span.0, 2);
        // The multi-line title keeps its inner line break, trimmed at the ends.
        let collection = movies
            .rows
            .iter()
            .find(|r| r.text(Field::WorkType) == "Collection")
            .unwrap();
        assert!(
            collection
                .text(Field::TitleInternalAlias)
                .starts_with("Star Wars: The Digital")
        );
        assert_eq!(texts(collection, Field::BundledALIDs).len(), 5);
        assert_eq!(collection.text(Field::PriceType), "LicenseFee");
        assert_eq!(collection.text(Field::PriceValue), "20");
        assert_eq!(collection.text(Field::SuppressionLiftDate), "2015-03-23");
        assert_eq!(collection.text(Field::ContractID), "16724");
    }

    #[test]
    fn maps_tv_transactions() {
        let out = sample();
        let tv = &out.sheets[1];
        assert_eq!(tv.info.sheet_kind, SheetKind::Tv);
        assert_eq!(tv.rows.len(), 8);
        let ep = &tv.rows[0];
        assert_eq!(ep.text(Field::WorkType), "Episode");
        assert_eq!(
            ep.text(Field::EpisodeContentID),
            "md:cid:disney.com:jake-s01e01"
        );
        assert_eq!(
            ep.text(Field::SeasonContentID),
            "md:cid:disney.com:jake-s01"
        );
        assert_eq!(ep.text(Field::SeriesContentID), "md:cid:disney.com:jake");
        assert_eq!(ep.text(Field::EpisodeNumber), "1");
        assert_eq!(ep.text(Field::SeasonNumber), "1");
        assert_eq!(ep.text(Field::EpisodeAltID), "jake-s01e01");
        assert_eq!(ep.text(Field::SeasonAltID), "jake-s01");
        assert_eq!(ep.text(Field::SeriesAltID), "jake");
        assert_eq!(
            ep.text(Field::EpisodeID),
            "urn:eidr:10.5240:F926-336C-2666-0201-54E9-I"
        );
        assert_eq!(
            ep.text(Field::EpisodeTitleInternalAlias),
            "Hide The Hideout! /The Old Shell Game"
        );
        assert_eq!(
            ep.text(Field::SeriesTitleInternalAlias),
            "Jake and the Neverland Pirates"
        );
        assert_eq!(ep.text(Field::CaptionIncluded), "Yes");
        assert_eq!(ep.text(Field::PriceType), "NA");
        assert_eq!(ep.text(Field::PriceValue), "NA");
        let season = tv
            .rows
            .iter()
            .find(|r| r.text(Field::WorkType) == "Season")
            .unwrap();
        assert_eq!(
            season.text(Field::SeasonContentID),
            "md:cid:disney.com:jake-s01"
        );
        assert_eq!(season.get_all(Field::SeasonContentID).count(), 1);
        assert_eq!(season.text(Field::EpisodeNumber), "");
        let notes: Vec<&NoteKind> = out.notes.iter().map(|n| &n.kind).collect();
        assert_eq!(notes, [&NoteKind::VersionUsed]);
    }

    #[test]
    fn one_line_documents_are_linear() {
        let tx = "<Transaction><LicenseType>EST</LicenseType><Territory><md:country>US</md:country></Territory><Start>2027-01-01T00:00:00</Start><End>2027-12-31T00:00:00</End><FormatProfile>HD</FormatProfile><Term termName=\"NA\"><Text>NA</Text></Term></Transaction>";
        let avail = format!(
            "<Avail><ALID>a</ALID><Disposition><EntryType>Full Extract</EntryType></Disposition><Licensor><md:DisplayName>acme</md:DisplayName></Licensor><AvailType>single</AvailType><ShortDescription>x</ShortDescription><Asset contentID=\"c\"><WorkType>Movie</WorkType><Metadata><TitleInternalAlias>T</TitleInternalAlias></Metadata></Asset>{}</Avail>",
            tx.repeat(20)
        );
        let doc = format!(
            "<AvailList xmlns=\"http://www.movielabs.com/schema/avails/v2.3/avails\" xmlns:md=\"http://www.movielabs.com/schema/md/v2.6/md\">{}</AvailList>",
            avail.repeat(250)
        );
        let started = std::time::Instant::now();
        let out = read(doc.as_bytes(), "one-line.xml", 0, &ReadOptions::default()).unwrap();
        assert_eq!(out.sheets[0].rows.len(), 5_000);
        let last = out.sheets[0].rows.last().unwrap();
        let x = last
            .position_of(last.get(Field::Territory).unwrap())
            .unwrap();
        assert_eq!(x.line, 1);
        assert_eq!(x.col as usize, x.span.0 + 1);
        assert!(started.elapsed() < std::time::Duration::from_secs(20));
        let structure = out
            .notes
            .iter()
            .filter(|n| n.kind == NoteKind::XmlStructure)
            .count();
        assert_eq!(structure, 0);
    }

    #[test]
    fn wide_tags_read_in_linear_time() {
        let attrs: String = (0..50_000).map(|i| format!(" a{i}=\"v\"")).collect();
        let doc = format!(
            "<AvailList xmlns=\"http://www.movielabs.com/schema/avails/v2.3/avails\"><Avail><ALID>a</ALID><Transaction{attrs} TransactionID=\"t1\"><LicenseType>EST</LicenseType></Transaction></Avail></AvailList>"
        );
        let started = std::time::Instant::now();
        let out = read(doc.as_bytes(), "wide.xml", 0, &ReadOptions::default()).unwrap();
        assert!(started.elapsed() < std::time::Duration::from_secs(20));
        let row = &out.sheets[0].rows[0];
        let x = row.position_of(row.get(Field::AvailID).unwrap()).unwrap();
        assert_eq!(&doc[x.span.0..x.span.1], "t1");
    }

    #[test]
    fn entity_in_attribute_is_an_error() {
        let doc = br#"<AvailList xmlns="http://www.movielabs.com/schema/avails/v2.3/avails"><Avail><Asset contentID="&lol9;"/></Avail></AvailList>"#;
        match read(doc, "x.xml", 0, &ReadOptions::default()) {
            Err(ReadError::Xml { line, message, .. }) => {
                assert_eq!(line, 1);
                assert!(message.contains("contentID"), "{message}");
            }
            other => panic!("expected an XML error, got {other:?}"),
        }
    }

    #[test]
    fn bom_keeps_positions() {
        let doc = "\u{feff}<AvailList xmlns=\"http://www.movielabs.com/schema/avails/v2.3/avails\">\n<Avail><ALID>a</ALID><Transaction><Territory><country xmlns=\"http://www.movielabs.com/schema/md/v2.6/md\">US</country></Territory></Transaction></Avail></AvailList>";
        let out = read(doc.as_bytes(), "bom.xml", 0, &ReadOptions::default()).unwrap();
        let row = &out.sheets[0].rows[0];
        let x = row.position_of(row.get(Field::Territory).unwrap()).unwrap();
        assert_eq!(&doc.as_bytes()[x.span.0..x.span.1], b"US");
        assert_eq!(x.line, 2);
        // Missing elements are reported, reading goes on.
        assert!(
            out.notes
                .iter()
                .any(|n| n.kind == NoteKind::XmlStructure && n.message.contains("<FormatProfile>"))
        );
    }

    #[test]
    fn never_panics_on_damaged_input() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fixtures/xml/mddf/mddf_Avails_withErrors.xml"
        );
        let good = std::fs::read(path).expect("sample fixture");
        let opts = ReadOptions::default();
        // Truncation points (every 23rd byte) read or fail cleanly.
        for cut in (0..good.len()).step_by(23) {
            let _ = read(&good[..cut], "cut.xml", 0, &opts);
        }
        // Single-byte damage at many places.
        let mut seed = 0x2545_f491_u32;
        for _ in 0..800 {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            let mut bad = good.clone();
            let at = seed as usize % bad.len();
            bad[at] = [b'<', b'>', b'&', b'"', b'/', 0xFF, 0xC3, 0, b'x', b':']
                [(seed >> 24) as usize % 10];
            let _ = read(&bad, "bad.xml", 0, &opts);
        }
        assert!(!is_xs_date_time("2026-01-01T00:00:0\u{e9}"));
    }

    #[test]
    fn elements_outside_the_avails_namespace_are_reported() {
        let doc = br#"<a:AvailList xmlns:a="http://www.movielabs.com/schema/avails/v2.3/avails"><Avail><ALID>x</ALID></Avail></a:AvailList>"#;
        let out = read(doc, "ns.xml", 0, &ReadOptions::default()).unwrap();
        assert!(out.sheets.is_empty());
        let notes: Vec<&str> = out
            .notes
            .iter()
            .filter(|n| n.kind == NoteKind::XmlStructure)
            .map(|n| n.message.as_str())
            .collect();
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(notes[0].contains("<Avail> is in no namespace"), "{notes:?}");
    }

    #[test]
    fn line_index_matches_a_plain_count() {
        let text = "ab\nc\u{e9}d\u{1F600}\n\n  <x>\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}</x>\r\n"
            .repeat(7)
            + &"long line \u{e9} ".repeat(9);
        line_index_counts(&text);
        // ASCII text takes a shorter way.
        let ascii = text.replace(['\u{e9}', '\u{1F600}'], "e");
        assert!(LineIndex::new(&ascii).ascii);
        line_index_counts(&ascii);
    }

    fn line_index_counts(text: &str) {
        let plain = |offset: usize| {
            let before = &text.as_bytes()[..offset];
            let line = before.iter().filter(|b| **b == b'\n').count() as u32 + 1;
            let start = before
                .iter()
                .rposition(|b| *b == b'\n')
                .map_or(0, |i| i + 1);
            let col = before[start..]
                .iter()
                .filter(|b| (**b & 0xC0) != 0x80)
                .count();
            (line, col as u32 + 1)
        };
        assert_eq!(chars("a\u{e9}\u{1F600}".as_bytes()), 3);
        let lines = LineIndex::new(text);
        let (mut seed, mut offset) = (0x9e37_79b9_u32, 0);
        for _ in 0..3000 {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            // Mostly short steps forward, as while streaming; some jumps.
            offset = match seed % 4 {
                0 => seed as usize >> 4,
                _ => offset + (seed as usize >> 4) % 40,
            } % (text.len() + 5);
            let plain_answer = plain(offset.min(text.len()));
            assert_eq!(lines.line_col(offset), plain_answer, "offset {offset}");
        }
    }

    #[test]
    fn attribute_spans() {
        let s = br#"<a x="1" contentID='abc'>"#;
        assert_eq!(attr_span(s, (0, s.len()), b"contentID"), Some((20, 23)));
        assert_eq!(attr_span(s, (0, s.len()), b"ID"), None);
    }
}
