//! Where each EMA field comes from in Avails XML, as one table ([`MAP`]):
//! for every field, the elements it is read from, which rows the value goes
//! to and how it is taken. The synthetic sheet header of XML rows (one
//! column per field, headed by the place of its first source) is derived
//! from the same table, and so are the column numbers. Stateful cases are
//! [`Named`] functions (see `named.rs`); the table still says where their
//! values are.

use std::sync::{Arc, OnceLock};

use super::names::{N, NameSet};
use super::{Frame, Parser, xs};
use crate::model::avail::{Column, SheetSource, XmlPos};
use crate::model::source::SourceText;
use crate::model::structure::Part;
use crate::model::{
    Dictionary, Field, FieldSet, SheetInfo, SheetKind, SourceKind, TemplateVersion,
};

/// Which rows a value goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Level {
    /// Every row of the Avail.
    AvailRows,
    /// Every row of the Avail, from its first Asset only.
    FirstAsset,
    /// The row of the open Transaction.
    TransactionRow,
    /// The open Transaction's row, else every row of the Avail.
    TransactionRowElseAvail,
}

/// How a value is taken from its element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Take {
    /// The text.
    Text,
    /// The text of an xs:dateTime (its syntax is the XSD check's).
    XsDateTime,
    /// The text of an xs:duration (its syntax is the XSD check's).
    XsDuration,
    /// The year of a date: its first four characters when they are digits.
    Year,
    /// An xs:boolean as `Yes` or `No`; not taken when not one.
    YesNo,
    /// The text, followed by `:` and the named attribute when both are
    /// non-empty (`en:audio`).
    WithSuffix(&'static str),
    /// The text, when the named xs:boolean attribute is true.
    TextIf(&'static str),
    /// The named attribute of the element that opens the row, when it opens.
    OpeningAttr(&'static str),
    /// The named xs:duration attribute.
    AttrDuration(&'static str),
    /// The named xs:boolean attribute as `True` or `False` (anything else
    /// as written).
    AttrTrueFalse(&'static str),
    /// By a named function.
    By(Named),
}

/// The stateful mappings, each a function of `named.rs`. All but the last
/// three run when their element closes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Named {
    /// `AltIdentifier`: the field by parent and grandparent, or the one a
    /// `Field:value` identifier names.
    AltId,
    /// `ReleaseHistory`: the date of an `original` or `DVD` release.
    ReleaseHistory,
    /// `USACaptionsExemptionReason`: captions not included, and why.
    Captions,
    /// `GroupingEntity`: a channel's name or identity.
    GroupingEntity,
    /// `People`: the name of a `Director`.
    People,
    /// `Term`: price type, value and currency, or a same-named term.
    Term,
    /// `SharedEntitlement`: the ID by its `ecosystem`.
    Ecosystem,
    /// `Asset/@contentID`, in the ContentID column of the WorkType (run
    /// when the Avail closes).
    ContentId,
    /// Avails 2.1 movies: the ALID as AltID when none is given (run when
    /// the Avail closes).
    AlidAsAltId,
    /// TV: captions included when no exemption is given (run when the
    /// Avail closes).
    CaptionsIncluded,
}

impl Named {
    /// True for the functions run when their element closes.
    fn at_close(self) -> bool {
        !matches!(
            self,
            Named::ContentId | Named::AlidAsAltId | Named::CaptionsIncluded
        )
    }
}

/// One place a field's value is read from.
pub(super) struct Source {
    /// The parent elements under which it is read.
    parents: NameSet,
    /// The elements it is read from.
    elements: NameSet,
    /// Which rows the value goes to.
    level: Level,
    /// How the value is taken.
    take: Take,
    /// Where it is, as shown in the synthetic header: elements joined by
    /// `/`, an attribute as a last `@name` step, a Term by its name
    /// (`Term[SRP]`).
    path: &'static str,
}

const fn at(
    parents: NameSet,
    elements: &[N],
    level: Level,
    take: Take,
    path: &'static str,
) -> Source {
    Source {
        parents,
        elements: NameSet::of(elements),
        level,
        take,
        path,
    }
}

const fn of(names: &[N]) -> NameSet {
    NameSet::of(names)
}

/// Each field read from Avails XML with its sources, in column order. The
/// first source of a field heads its column.
#[rustfmt::skip]
pub(super) const MAP: &[(Field, &[Source])] = {
    use Level::*;
    use N::*;
    use Take::*;
    const UNITS: NameSet = N::UNITS;
    const TITLE_UNITS: NameSet = of(&[Metadata, SeasonMetadata, SeriesMetadata, VolumeMetadata]);
    const EPISODE: NameSet = of(&[EpisodeMetadata]);
    const SEASON_SERIES: NameSet = of(&[SeasonMetadata, SeriesMetadata]);
    const AVAIL: NameSet = of(&[Avail]);
    const TRANSACTION: NameSet = of(&[Transaction]);
    const CONTENT_ID: Source = at(AVAIL, &[Asset], FirstAsset, By(Named::ContentId), "Asset/@contentID");
    // A field taken from a Term (by `Named::Term`), at `path`.
    macro_rules! term {
        ($path:literal) => {
            &[at(TRANSACTION, &[Term], TransactionRow, By(Named::Term), $path)]
        };
    }
    const ECOSYSTEM: &[Source] = &[at(of(&[SharedEntitlement]), &[EcosystemId], AvailRows,
        By(Named::Ecosystem), "SharedEntitlement/EcosystemID")];
    const fn tx(elements: &[N], take: Take, path: &'static str) -> Source {
        at(TRANSACTION, elements, TransactionRow, take, path)
    }
    &[
        (Field::ALID, &[at(AVAIL, &[Alid], AvailRows, Text, "ALID")]),
        (Field::EntryType, &[at(of(&[Disposition]), &[EntryType], AvailRows, Text, "EntryType")]),
        (Field::DisplayName, &[at(of(&[Licensor]), &[DisplayName], AvailRows, Text, "Licensor/md:DisplayName")]),
        (Field::ServiceProvider, &[at(of(&[ServiceProvider]), &[DisplayName], AvailRows, Text,
            "ServiceProvider/md:DisplayName")]),
        (Field::WorkType, &[at(of(&[Asset]), &[WorkType], FirstAsset, Text, "WorkType")]),
        (Field::ContentID, &[CONTENT_ID]),
        (Field::SeriesContentID, &[at(SEASON_SERIES, &[SeriesContentId], FirstAsset, Text, "SeriesContentID"),
            CONTENT_ID]),
        (Field::SeasonContentID, &[at(SEASON_SERIES, &[SeasonContentId], FirstAsset, Text, "SeasonContentID"),
            CONTENT_ID]),
        (Field::EpisodeContentID, &[CONTENT_ID]),
        (Field::VolumeContentID, &[CONTENT_ID]),
        (Field::TitleDisplayUnlimited, &[at(TITLE_UNITS, &[TitleDisplayUnlimited], FirstAsset, Text,
            "TitleDisplayUnlimited")]),
        (Field::TitleInternalAlias, &[at(TITLE_UNITS, &[TitleInternalAlias], FirstAsset, Text,
            "TitleInternalAlias")]),
        (Field::EpisodeTitleDisplayUnlimited, &[at(EPISODE, &[TitleDisplayUnlimited], FirstAsset, Text,
            "TitleDisplayUnlimited")]),
        (Field::EpisodeTitleInternalAlias, &[at(EPISODE, &[TitleInternalAlias], FirstAsset, Text,
            "TitleInternalAlias")]),
        (Field::SeasonTitleDisplayUnlimited, &[at(SEASON_SERIES, &[SeasonTitleDisplayUnlimited], FirstAsset,
            Text, "SeasonTitleDisplayUnlimited")]),
        (Field::SeasonTitleInternalAlias, &[at(SEASON_SERIES, &[SeasonTitleInternalAlias], FirstAsset, Text,
            "SeasonTitleInternalAlias")]),
        (Field::SeriesTitleDisplayUnlimited, &[at(SEASON_SERIES, &[SeriesTitleDisplayUnlimited], FirstAsset,
            Text, "SeriesTitleDisplayUnlimited")]),
        (Field::SeriesTitleInternalAlias, &[at(SEASON_SERIES, &[SeriesTitleInternalAlias], FirstAsset, Text,
            "SeriesTitleInternalAlias")]),
        (Field::EpisodeNumber, &[at(of(&[EpisodeNumber]), &[Number], FirstAsset, Text, "EpisodeNumber/md:Number")]),
        (Field::SeasonNumber, &[at(of(&[SeasonNumber]), &[Number], FirstAsset, Text, "SeasonNumber/md:Number")]),
        (Field::EpisodeCount, &[at(of(&[SeasonMetadata]), &[NumberOfEpisodes], FirstAsset, Text,
            "NumberOfEpisodes")]),
        (Field::SeasonCount, &[at(of(&[SeriesMetadata]), &[NumberOfSeasons], FirstAsset, Text,
            "NumberOfSeasons")]),
        (Field::EditID, &[at(TITLE_UNITS, &[EditEidrUrn], FirstAsset, Text, "EditEIDR-URN")]),
        (Field::TitleID, &[at(TITLE_UNITS, &[TitleEidrUrn], FirstAsset, Text, "TitleEIDR-URN")]),
        (Field::EpisodeID, &[at(EPISODE, &[EditEidrUrn], FirstAsset, Text, "EditEIDR-URN")]),
        (Field::EpisodeTitleID, &[at(EPISODE, &[TitleEidrUrn], FirstAsset, Text, "TitleEIDR-URN")]),
        (Field::SeasonID, &[at(of(&[SeasonMetadata]), &[SeasonEidrUrn], FirstAsset, Text, "SeasonEIDR-URN")]),
        (Field::SeriesID, &[at(of(&[SeriesMetadata]), &[SeriesEidrUrn], FirstAsset, Text, "SeriesEIDR-URN")]),
        (Field::AltID, &[at(of(&[AltIdentifier]), &[Identifier], FirstAsset, By(Named::AltId),
            "AltIdentifier/md:Identifier"),
            at(AVAIL, &[Alid], AvailRows, By(Named::AlidAsAltId), "ALID")]),
        (Field::EpisodeAltID, &[at(of(&[AltIdentifier]), &[Identifier], FirstAsset, By(Named::AltId),
            "AltIdentifier/md:Identifier")]),
        (Field::SeasonAltID, &[at(of(&[SeasonAltIdentifier]), &[Identifier], FirstAsset, By(Named::AltId),
            "SeasonAltIdentifier/md:Identifier")]),
        (Field::SeriesAltID, &[at(of(&[SeriesAltIdentifier]), &[Identifier], FirstAsset, By(Named::AltId),
            "SeriesAltIdentifier/md:Identifier")]),
        (Field::ReleaseYear, &[at(UNITS, &[ReleaseDate], FirstAsset, Year, "ReleaseDate")]),
        (Field::TotalRunTime, &[at(UNITS, &[RunLength], FirstAsset, XsDuration, "RunLength")]),
        (Field::ReleaseHistoryOriginal, &[at(NameSet::ALL, &[ReleaseHistory], FirstAsset,
            By(Named::ReleaseHistory), "ReleaseHistory/md:Date")]),
        (Field::ReleaseHistoryPhysicalHV, &[at(NameSet::ALL, &[ReleaseHistory], FirstAsset,
            By(Named::ReleaseHistory), "ReleaseHistory/md:Date")]),
        (Field::CaptionIncluded, &[at(UNITS, &[UsaCaptionsExemptionReason], FirstAsset, By(Named::Captions),
            "USACaptionsExemptionReason"),
            at(of(&[Asset]), &[Metadata, EpisodeMetadata, SeasonMetadata, SeriesMetadata, VolumeMetadata],
            FirstAsset, By(Named::CaptionsIncluded), "Metadata")]),
        (Field::CaptionExemption, &[at(UNITS, &[UsaCaptionsExemptionReason], FirstAsset, By(Named::Captions),
            "USACaptionsExemptionReason")]),
        (Field::RatingSystem, &[at(of(&[Rating]), &[System], FirstAsset, Text, "md:Rating/md:System")]),
        (Field::RatingValue, &[at(of(&[Rating]), &[Value], FirstAsset, Text, "md:Rating/md:Value")]),
        (Field::RatingReason, &[at(of(&[Rating]), &[Reason], FirstAsset, Text, "md:Rating/md:Reason")]),
        (Field::LocalizationType, &[at(UNITS, &[LocalizationOffering], FirstAsset, Text, "LocalizationOffering")]),
        (Field::GroupIdentity, &[at(NameSet::ALL, &[GroupingEntity], FirstAsset, By(Named::GroupingEntity),
            "GroupingEntity")]),
        (Field::CompanyDisplayCredit, &[at(of(&[CompanyDisplayCredit]), &[DisplayString], FirstAsset, Text,
            "CompanyDisplayCredit/md:DisplayString")]),
        (Field::Director, &[at(NameSet::ALL, &[People], FirstAsset, By(Named::People), "People")]),
        (Field::BundledALIDs, &[at(of(&[BundledAsset]), &[BundledAlid], FirstAsset, Text,
            "BundledAsset/BundledALID")]),
        (Field::AvailID, &[at(AVAIL, &[Transaction], TransactionRow, OpeningAttr("TransactionID"),
            "Transaction/@TransactionID")]),
        (Field::Licensee, &[at(of(&[Licensee]), &[DisplayName], TransactionRowElseAvail, Text,
            "Licensee/md:DisplayName")]),
        (Field::LicenseType, &[tx(&[LicenseType], Text, "LicenseType")]),
        (Field::Description, &[tx(&[Description], Text, "Description")]),
        (Field::Territory, &[at(of(&[Territory]), &[Country, CountryRegion], TransactionRow, Text,
            "Territory")]),
        (Field::TerritoryExclusion, &[at(of(&[TerritoryExcluded]), &[Country, CountryRegion], TransactionRow,
            Text, "TerritoryExcluded")]),
        (Field::Start, &[tx(&[Start], XsDateTime, "Start"), tx(&[StartCondition], Text, "StartCondition")]),
        (Field::StartLag, &[tx(&[StartCondition], AttrDuration("lag"), "StartCondition/@lag")]),
        (Field::End, &[tx(&[End], XsDateTime, "End"), tx(&[EndCondition], Text, "EndCondition")]),
        (Field::EndLag, &[tx(&[EndCondition], AttrDuration("lag"), "EndCondition/@lag")]),
        (Field::WindowDuration, &[tx(&[WindowDuration, Duration], XsDuration, "WindowDuration")]),
        (Field::StoreLanguage, &[tx(&[StoreLanguage], Text, "StoreLanguage")]),
        (Field::AllowedLanguages, &[tx(&[AllowedLanguage], WithSuffix("asset"), "AllowedLanguage")]),
        (Field::AssetLanguage, &[tx(&[AssetLanguage], WithSuffix("asset"), "AssetLanguage")]),
        (Field::RequiredFulfillmentLanguages, &[tx(&[AssetLanguage], TextIf("assetProvided"),
            "AssetLanguage/@assetProvided")]),
        (Field::HoldbackLanguage, &[tx(&[HoldbackLanguage], WithSuffix("asset"), "HoldbackLanguage")]),
        (Field::LicenseRightsDescription, &[tx(&[LicenseRightsDescription], Text,
            "LicenseRightsDescription")]),
        (Field::FormatProfile, &[tx(&[FormatProfile], Text, "FormatProfile")]),
        (Field::HDR, &[tx(&[FormatProfile], AttrTrueFalse("HDR"), "FormatProfile/@HDR")]),
        (Field::WCG, &[tx(&[FormatProfile], AttrTrueFalse("WCG"), "FormatProfile/@WCG")]),
        (Field::HFR, &[tx(&[FormatProfile], AttrTrueFalse("HFR"), "FormatProfile/@HFR")]),
        (Field::NGAudio, &[tx(&[FormatProfile], AttrTrueFalse("NGAudio"), "FormatProfile/@NGAudio")]),
        (Field::ContractID, &[tx(&[ContractId], Text, "ContractID")]),
        (Field::ReportingID, &[tx(&[ReportingId], Text, "ReportingID")]),
        (Field::OtherInstructions, &[tx(&[OtherInstructions], Text, "OtherInstructions")]),
        (Field::PriceType, term!("Term/@termName")),
        (Field::PriceValue, term!("Term")),
        (Field::PriceCurrency, term!("Term/Money/@currency")),
        (Field::SRP, term!("Term[SRP]")),
        (Field::SuppressionLiftDate, term!("Term[SuppressionLiftDate]")),
        (Field::AnnounceDate, term!("Term[AnnounceDate]")),
        (Field::SpecialPreOrderFulfillDate, term!("Term[PreOrderFulfillDate]")),
        (Field::FixedEndDate, term!("Term[FixedEndDate]")),
        (Field::RentalDuration, term!("Term[RentalDuration]")),
        (Field::WatchDuration, term!("Term[WatchDuration]")),
        (Field::Download, term!("Term[Download]")),
        (Field::Exclusive, term!("Term[Exclusive]")),
        (Field::ExclusiveAttributes, term!("Term[ExclusiveAttributes]")),
        (Field::BrandingRights, term!("Term[BrandingRights]")),
        (Field::BrandingRightsAttributes, term!("Term[BrandingRightsAttributes]")),
        (Field::TitleStatus, term!("Term[TitleStatus]")),
        (Field::TPRType, term!("Term[TPRType]")),
        (Field::CampaignID, term!("Term[CampaignID]")),
        (Field::UV_ID, ECOSYSTEM),
        (Field::DMA_ID, ECOSYSTEM),
        (Field::AssociatedALID, &[at(AVAIL, &[AssociatedAlid], AvailRows, Text, "AssociatedALID")]),
        (Field::ExceptionFlag, &[at(AVAIL, &[ExceptionFlag], AvailRows, YesNo, "ExceptionFlag")]),
        // -- ratings (templates branch): the region each md:Rating is given
        // for, which the rating rules (EMA040–EMA044) pair with its System.
        (Field::RatingRegion, &[at(of(&[Region]), &[Country, CountryRegion], FirstAsset, Text,
            "md:Rating/md:Region")]),
    ]
};

/// The column of `field` in the XML sheet, at compile time: `c!(Territory)`
/// (a field without a column fails the build).
macro_rules! c {
    ($field:ident) => {
        const { $crate::read::xml::map::col_of($crate::model::Field::$field) }
    };
}
pub(super) use c;

/// The column of a field of [`MAP`]; only for [`c!`].
pub(super) const fn col_of(field: Field) -> usize {
    let mut i = 0;
    while i < MAP.len() {
        if MAP[i].0 as u8 == field as u8 {
            return i;
        }
        i += 1;
    }
    panic!("not a field of MAP")
}

/// The column of `field`, when the XML sheet has one.
pub(super) fn column(field: Field) -> Option<usize> {
    static COLUMNS: OnceLock<crate::model::FieldColumns> = OnceLock::new();
    COLUMNS
        .get_or_init(|| crate::model::FieldColumns::new(MAP.iter().map(|(f, _)| Some(*f))))
        .get(field)
}

/// A source of [`MAP`] taken when its element closes (not when its row
/// opens or its Avail closes), with the field's column.
#[derive(Clone, Copy)]
struct Entry {
    parents: NameSet,
    col: usize,
    field: Field,
    level: Level,
    take: Take,
}

/// The [`Entry`]s of element `name` under `parent`, in column order; a
/// named function is listed once per element and parents. A table by
/// parent and name, made once, so closing an element looks at its own
/// entries only.
fn entries(parent: N, name: N) -> &'static [Entry] {
    static TABLE: OnceLock<(Vec<Entry>, Vec<std::ops::Range<u32>>)> = OnceLock::new();
    let (flat, ranges) = TABLE.get_or_init(|| {
        let by_name = by_name();
        let (mut flat, mut ranges) = (Vec::new(), vec![0..0; N::COUNT * N::COUNT]);
        for parent in NameSet::ALL.iter() {
            for name in NameSet::ALL.iter() {
                let from = u32::try_from(flat.len()).expect("a small table");
                flat.extend(
                    by_name[name as usize]
                        .iter()
                        .filter(|e| e.parents.has(parent)),
                );
                let to = u32::try_from(flat.len()).expect("a small table");
                ranges[parent as usize * N::COUNT + name as usize] = from..to;
            }
        }
        (flat, ranges)
    });
    let range = &ranges[parent as usize * N::COUNT + name as usize];
    &flat[range.start as usize..range.end as usize]
}

/// The [`Entry`]s of each element name, in column order.
fn by_name() -> Vec<Vec<Entry>> {
    let mut by_name: Vec<Vec<Entry>> = vec![Vec::new(); N::COUNT];
    for (col, (field, sources)) in MAP.iter().enumerate() {
        for s in *sources {
            if matches!(s.take, Take::OpeningAttr(_))
                || matches!(s.take, Take::By(n) if !n.at_close())
            {
                continue;
            }
            for name in s.elements.iter() {
                let list = &mut by_name[name as usize];
                let named_again = matches!(s.take, Take::By(_))
                    && list
                        .iter()
                        .any(|e| e.take == s.take && e.parents == s.parents);
                if !named_again {
                    list.push(Entry {
                        parents: s.parents,
                        col,
                        field: *field,
                        level: s.level,
                        take: s.take,
                    });
                }
            }
        }
    }
    by_name
}

/// The field element `name` under `parent` is read into, if any.
pub(super) fn field_of(name: N, parent: N) -> Option<Field> {
    entries(parent, name).first().map(|e| e.field)
}

/// True for an element whose attributes are read: the table or a named
/// function takes one of them.
pub(super) fn reads_attributes(name: N) -> bool {
    static NAMES: OnceLock<NameSet> = OnceLock::new();
    NAMES
        .get_or_init(|| {
            let mut set = super::named::ATTRIBUTES_READ;
            for s in MAP.iter().flat_map(|(_, sources)| sources.iter()) {
                if matches!(
                    s.take,
                    Take::WithSuffix(_)
                        | Take::TextIf(_)
                        | Take::OpeningAttr(_)
                        | Take::AttrDuration(_)
                        | Take::AttrTrueFalse(_)
                ) {
                    for n in s.elements.iter() {
                        set.add(n);
                    }
                }
            }
            set
        })
        .has(name)
}

/// The synthetic header of an XML sheet: one column per field of [`MAP`],
/// headed by the place of its first source as messages name it
/// ([`label`]), lettered by that place's last step.
pub(super) fn sheet_info(
    source: SheetSource,
    version: TemplateVersion,
    kind: SheetKind,
    text: Arc<SourceText>,
) -> Arc<SheetInfo> {
    let dictionary = Dictionary::for_version(version, kind);
    let columns = MAP
        .iter()
        .map(|(field, sources)| {
            let path = sources[0].path;
            Column {
                letter: path
                    .rsplit('/')
                    .next()
                    .unwrap_or(path)
                    .trim_start_matches("md:")
                    .to_string(),
                header: label(path),
                field: Some(*field),
                category: dictionary
                    .field(*field)
                    .map(|f| f.category.clone())
                    .unwrap_or_default(),
            }
        })
        .collect();
    debug_assert_eq!(source.source, SourceKind::Xml);
    let info = SheetInfo::new(source, version, kind, columns, 0);
    Arc::new(info.with_schema_checked(schema_checked()).with_text(text))
}

/// A source path as messages name it: `<RunLength>`,
/// `<Licensor/md:DisplayName>`, `<Term/Money @currency>`,
/// `<Term termName="SRP">`.
fn label(path: &str) -> String {
    if let Some(name) = path
        .strip_prefix("Term[")
        .and_then(|rest| rest.strip_suffix(']'))
    {
        return format!("<Term termName=\"{name}\">");
    }
    match path.rsplit_once("/@") {
        Some((element, attr)) => format!("<{element} @{attr}>"),
        None => format!("<{path}>"),
    }
}

/// The fields whose value syntax the reader checks against the schema
/// type of their element (xs:duration, xs:boolean, and the Money, Duration
/// and Boolean of the Terms that hold them): the rules of value syntax
/// leave them alone. Start and End are not among them: a condition in
/// `<StartCondition>` is text.
fn schema_checked() -> FieldSet {
    let mut set: FieldSet = super::named::TYPED_TERMS.into_iter().collect();
    for (field, sources) in MAP {
        let typed = sources.iter().all(|s| {
            matches!(
                s.take,
                Take::XsDuration | Take::AttrDuration(_) | Take::YesNo | Take::XsDateTime
            )
        });
        if typed {
            set.insert(*field);
        }
    }
    set
}

/// The parts of the avail structure ([`Part`]) and where each is read
/// from: the part its parent element is and its local name. An `Avail`
/// starts each tree; an element that is no part here, or whose parent is
/// none, is not recorded.
#[rustfmt::skip]
pub(super) const PARTS: &[(Part, &str, Part)] = {
    use Part::*;
    &[
        (Avail, "ALID", Alid),
        (Avail, "AvailType", AvailType),
        (Avail, "Asset", Asset),
        (Avail, "Transaction", Transaction),
        (Asset, "WorkType", WorkType),
        (Asset, "Metadata", Metadata),
        (Asset, "EpisodeMetadata", EpisodeMetadata),
        (Asset, "SeasonMetadata", SeasonMetadata),
        (Asset, "SeriesMetadata", SeriesMetadata),
        (Asset, "VolumeMetadata", VolumeMetadata),
        (Asset, "BundledAsset", BundledAsset),
        (EpisodeMetadata, "EpisodeNumber", EpisodeNumber),
        (EpisodeNumber, "Number", Number),
        (EpisodeMetadata, "AltIdentifier", AltIdentifier),
        (EpisodeMetadata, "EditEIDR-URN", EditEidrUrn),
        (VolumeMetadata, "VolumeNumber", VolumeNumber),
        (VolumeNumber, "Number", Number),
        (VolumeMetadata, "VolumeFirstEpisodeNumber", VolumeFirstEpisodeNumber),
        (VolumeMetadata, "VolumeNumberOfEpisodes", VolumeNumberOfEpisodes),
        (VolumeMetadata, "Status", VolumeStatus),
        (VolumeMetadata, "SeasonMetadata", SeasonMetadata),
        (SeasonMetadata, "SeasonContentID", SeasonContentId),
        (Transaction, "LicenseType", LicenseType),
        (Transaction, "StartCondition", StartCondition),
        (Transaction, "EndCondition", EndCondition),
        (Transaction, "AssetLanguage", AssetLanguage),
        (Transaction, "RefALID", RefAlid),
        (Transaction, "Term", Term),
        (Term, "Money", Money),
    ]
};

/// The part an element named `name` is inside part `parent` (from
/// [`PARTS`]), if any: a table by parent and name, made once.
pub(super) fn part_under(parent: Part, name: N) -> Option<Part> {
    static TABLE: OnceLock<Vec<Option<Part>>> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let mut table = vec![None; Part::ALL.len() * N::COUNT];
        for &(parent, local, part) in PARTS {
            let name = N::of(local);
            assert_ne!(name, N::Other, "{local} is a name of names.rs");
            table[parent as usize * N::COUNT + name as usize] = Some(part);
        }
        table
    });
    table[parent as usize * N::COUNT + name as usize]
}

impl<'a> Parser<'a> {
    /// Takes the values of the table's sources that `frame` (closing under
    /// `parent`) is, with `value` its trimmed text at `span`.
    pub(super) fn take(
        &mut self,
        frame: &Frame<'a>,
        parent: N,
        grand: N,
        value: &str,
        span: (usize, usize),
    ) {
        let input = self.input;
        let pos = || XmlPos::at(span);
        for e in entries(parent, frame.name) {
            match e.take {
                Take::Text | Take::XsDateTime | Take::XsDuration => {
                    self.cell(e.level, e.col, value, pos());
                }
                Take::Year => {
                    let year = match value.as_bytes().get(..4) {
                        Some(y) if y.iter().all(u8::is_ascii_digit) => &value[..4],
                        _ => value,
                    };
                    self.cell(e.level, e.col, year, pos());
                }
                Take::YesNo => {
                    if let Some(b) = xs::boolean(value) {
                        self.cell(e.level, e.col, if b { "Yes" } else { "No" }, pos());
                    }
                }
                Take::WithSuffix(attr) => match frame.attr(attr) {
                    Some(a) if !a.value.trim().is_empty() && !value.is_empty() => {
                        let mut text = std::mem::take(&mut self.scratch);
                        text.clear();
                        text.push_str(value);
                        text.push(':');
                        text.push_str(a.value.trim());
                        self.cell(e.level, e.col, &text, pos());
                        self.scratch = text;
                    }
                    _ => self.cell(e.level, e.col, value, pos()),
                },
                Take::TextIf(attr) => {
                    if frame
                        .attr(attr)
                        .is_some_and(|a| xs::boolean(&a.value) == Some(true))
                    {
                        self.cell(e.level, e.col, value, pos());
                    }
                }
                Take::AttrDuration(attr) => {
                    if let Some(a) = frame.attr(attr) {
                        let p = frame.attr_pos(input, a);
                        self.cell(e.level, e.col, &a.value, p);
                    }
                }
                Take::AttrTrueFalse(attr) => {
                    if let Some(a) = frame.attr(attr) {
                        let p = frame.attr_pos(input, a);
                        let v = match a.value.trim() {
                            "true" => "True",
                            "false" => "False",
                            other => other,
                        };
                        self.cell(e.level, e.col, v, p);
                    }
                }
                Take::By(named) => self.named(named, frame, parent, grand, value, span),
                Take::OpeningAttr(_) => {}
            }
        }
    }

    /// Takes the attributes of `frame`, which has just opened a row.
    pub(super) fn take_opening(&mut self, frame: &Frame<'a>, parent: N) {
        static OPENING: OnceLock<Vec<(usize, &'static Source)>> = OnceLock::new();
        let opening = OPENING.get_or_init(|| {
            let sources = MAP
                .iter()
                .enumerate()
                .flat_map(|(col, (_, sources))| sources.iter().map(move |s| (col, s)));
            sources
                .filter(|(_, s)| matches!(s.take, Take::OpeningAttr(_)))
                .collect()
        });
        for &(col, s) in opening {
            if let Take::OpeningAttr(attr) = s.take
                && s.elements.has(frame.name)
                && s.parents.has(parent)
                && let Some(a) = frame.attr(attr)
            {
                let p = frame.attr_pos(self.input, a);
                self.cell(s.level, col, &a.value, p);
            }
        }
    }

    /// Adds `value` to column `col` of the rows of `level`.
    pub(super) fn cell(&mut self, level: Level, col: usize, value: &str, pos: XmlPos) {
        match level {
            Level::AvailRows => self.avail_cell(col, value, pos),
            Level::FirstAsset => {
                if self.first_asset() {
                    self.avail_cell(col, value, pos);
                }
            }
            Level::TransactionRow => self.trans_cell(col, value, pos),
            Level::TransactionRowElseAvail => {
                if self.trans.is_some() {
                    self.trans_cell(col, value, pos);
                } else {
                    self.avail_cell(col, value, pos);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_column_per_field_headed_by_its_first_source() {
        let mut seen = crate::model::FieldSet::default();
        for (field, sources) in MAP {
            assert!(!seen.contains(*field), "{field} twice");
            seen.insert(*field);
            assert!(!sources.is_empty());
        }
        assert_eq!(MAP[c!(Territory)].1[0].path, "Territory");
        assert_eq!(column(Field::Territory), Some(c!(Territory)));
        assert_eq!(column(Field::ProductID), None);
    }

    #[test]
    fn messages_name_the_element() {
        assert_eq!(label(MAP[c!(TotalRunTime)].1[0].path), "<RunLength>");
        assert_eq!(label(MAP[c!(SRP)].1[0].path), "<Term termName=\"SRP\">");
        assert_eq!(
            label(MAP[c!(PriceCurrency)].1[0].path),
            "<Term/Money @currency>"
        );
        assert_eq!(
            label(MAP[c!(DisplayName)].1[0].path),
            "<Licensor/md:DisplayName>"
        );
        let checked = schema_checked();
        for f in [
            Field::TotalRunTime,
            Field::RentalDuration,
            Field::SRP,
            Field::StartLag,
        ] {
            assert!(checked.contains(f), "{f}");
        }
        for f in [Field::Start, Field::EpisodeNumber, Field::PriceValue] {
            assert!(!checked.contains(f), "{f}");
        }
    }

    #[test]
    fn every_part_but_the_avail_has_a_place() {
        for part in Part::ALL {
            let placed = PARTS.iter().any(|(_, _, p)| p == part);
            assert_eq!(placed, *part != Part::Avail, "{part:?}");
        }
    }

    #[test]
    fn attributes_are_read_from_these_elements() {
        let read: Vec<&str> = NameSet::ALL
            .iter()
            .filter(|n| reads_attributes(*n))
            .map(N::as_str)
            .collect();
        assert_eq!(
            read,
            [
                "Asset",
                "Transaction",
                "SharedEntitlement",
                "BundledAsset",
                "StartCondition",
                "EndCondition",
                "AllowedLanguage",
                "AssetLanguage",
                "HoldbackLanguage",
                "FormatProfile",
                "Term",
                "Money"
            ]
        );
    }
}
