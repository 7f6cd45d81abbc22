//! Element names and namespaces: [`N`], the local names the reader acts on;
//! [`NameSet`]; and [`Namespaces`], which resolves prefixes and keeps what
//! each qualified name means until the bindings change.

use std::sync::OnceLock;

use quick_xml::events::BytesStart;
use quick_xml::name::{NamespaceError, NamespaceResolver, QName, ResolveResult};
use rustc_hash::FxHashMap;

use super::xsd::XName;

/// Declares [`N`], the local element names the reader acts on.
macro_rules! names {
    ($($name:ident = $text:literal,)*) => {
        /// A local element name the reader acts on; any other name is `Other`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub(super) enum N {
            /// A name the reader does not act on.
            Other,
            /// No name: no parent element, or nothing after the prefix.
            Blank,
            $(
                #[doc = concat!("`", $text, "`.")]
                $name,
            )*
        }

        impl N {
            /// Every named variant with its text.
            const ALL: &[(&str, N)] = &[$(($text, N::$name),)*];

            /// The local name as written (empty for `Other` and `Blank`).
            #[cfg(test)]
            pub(super) fn as_str(self) -> &'static str {
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
    VolumeNumber = "VolumeNumber",
    VolumeFirstEpisodeNumber = "VolumeFirstEpisodeNumber",
    VolumeNumberOfEpisodes = "VolumeNumberOfEpisodes",
    Status = "Status",
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
    Region = "Region",
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

impl N {
    /// How many names there are (`Other` and `Blank` included).
    pub(super) const COUNT: usize = N::ALL.len() + 2;

    /// The name of a local name.
    pub(super) fn of(local: &str) -> N {
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
    pub(super) const UNITS: NameSet = NameSet::of(&[
        N::Metadata,
        N::EpisodeMetadata,
        N::SeasonMetadata,
        N::SeriesMetadata,
        N::VolumeMetadata,
    ]);

    /// True for a unit metadata element (see [`N::UNITS`]).
    pub(super) fn is_unit_metadata(self) -> bool {
        N::UNITS.has(self)
    }
}

/// A set of names (two words rather than a `u128`, whose 16-byte alignment
/// would make every open element's frame larger).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct NameSet([u64; 2]);

const _: () = assert!(N::COUNT <= 128);

impl NameSet {
    /// The set of `names`.
    pub(super) const fn of(names: &[N]) -> NameSet {
        let mut set = NameSet([0; 2]);
        let mut i = 0;
        while i < names.len() {
            set = set.with(names[i]);
            i += 1;
        }
        set
    }

    /// The set with `n` added.
    pub(super) const fn with(self, n: N) -> NameSet {
        let (mut words, n) = (self.0, n as usize);
        words[n / 64] |= 1 << (n % 64);
        NameSet(words)
    }

    /// Adds `n`.
    pub(super) fn add(&mut self, n: N) {
        *self = self.with(n);
    }

    /// Every name.
    pub(super) const ALL: NameSet = NameSet([u64::MAX; 2]);

    /// The names of the set.
    pub(super) fn iter(self) -> impl Iterator<Item = N> {
        [N::Other, N::Blank]
            .into_iter()
            .chain(N::ALL.iter().map(|(_, n)| *n))
            .filter(move |n| self.has(*n))
    }

    /// True when the set holds `n`.
    pub(super) const fn has(self, n: N) -> bool {
        let n = n as usize;
        self.0[n / 64] & (1 << (n % 64)) != 0
    }
}

/// Which namespace an element is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Ns {
    /// The document's avails namespace.
    Avails,
    /// Common Metadata or MEC.
    Md,
    /// Anything else (signatures, extensions): skipped.
    Other,
}

/// What an element's qualified name tells, worked out once per name.
#[derive(Clone, Copy)]
pub(super) struct Element {
    /// The local name, when the reader acts on it.
    pub(super) name: N,
    /// Its namespace.
    pub(super) ns: Ns,
    /// Its name in the XSD tables.
    pub(super) x: XName,
}

/// The local name of a qualified name: what follows the first `:`.
pub(super) fn local_name(qname: &str) -> &str {
    match qname.bytes().position(|b| b == b':') {
        Some(i) => &qname[i + 1..],
        None => qname,
    }
}

/// Namespace bindings in scope for a plain quick-xml `Reader`. Only
/// elements whose start tag mentions `xmlns` (rare after the root) are given
/// to quick-xml's resolver, which is what `NsReader` would do with every
/// element; answers are kept until the bindings change.
#[derive(Default)]
pub(super) struct Namespaces<'a> {
    resolver: NamespaceResolver,
    /// Stack depths of the open elements that were given to the resolver.
    scopes: Vec<usize>,
    /// Prefixes (`None`: no prefix) resolved since the bindings last changed.
    known: Vec<(Option<Box<str>>, Resolved)>,
    /// Element names seen since the bindings last changed.
    elements: Cache<'a>,
}

/// What element names tell, kept in a fixed table: a name is looked for
/// in the few slots after the one its hash picks, and displaces the last of
/// them when all are taken (so a hostile document with millions of names
/// costs no memory).
struct Cache<'a> {
    /// [`CACHE_SLOTS`] slots.
    slots: Box<[Slot<'a>]>,
    /// Slots of other generations are empty: clearing is counting.
    generation: u32,
}

/// A cached name: its first and last eight bytes (which are all of a name
/// of up to 16 bytes, compared without a call) and what it tells.
#[derive(Clone, Copy, Default)]
struct Slot<'a> {
    generation: u32,
    head: u64,
    tail: u64,
    name: &'a str,
    element: Option<Element>,
}

const CACHE_SLOTS: usize = 1024;
/// Slots a name may take.
const CACHE_PROBES: usize = 4;

impl Default for Cache<'_> {
    fn default() -> Self {
        Cache {
            slots: vec![Slot::default(); CACHE_SLOTS].into_boxed_slice(),
            generation: 1,
        }
    }
}

impl<'a> Cache<'a> {
    /// The first and last (up to) eight bytes of `name`, and its home slot.
    #[inline]
    fn key(name: &str) -> (u64, u64, usize) {
        let b = name.as_bytes();
        let (head, tail) = match (b.first_chunk::<8>(), b.last_chunk::<8>()) {
            (Some(head), Some(tail)) => (u64::from_le_bytes(*head), u64::from_le_bytes(*tail)),
            _ => {
                let w = b.iter().rev().fold(0u64, |w, c| w << 8 | u64::from(*c));
                (w, w)
            }
        };
        let mix =
            (head ^ tail.rotate_left(29) ^ b.len() as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        (head, tail, (mix >> 40) as usize % CACHE_SLOTS)
    }

    #[inline]
    fn get(&self, name: &str) -> Option<Element> {
        let (head, tail, home) = Self::key(name);
        (home..home + CACHE_PROBES)
            .map(|i| &self.slots[i % CACHE_SLOTS])
            .find(|s| {
                s.generation == self.generation
                    && s.head == head
                    && s.tail == tail
                    && s.name.len() == name.len()
                    && (name.len() <= 16 || s.name == name)
            })
            .and_then(|s| s.element)
    }

    fn insert(&mut self, name: &'a str, element: Element) {
        let (head, tail, home) = Self::key(name);
        let free = (home..home + CACHE_PROBES)
            .map(|i| i % CACHE_SLOTS)
            .find(|&i| self.slots[i].generation != self.generation)
            .unwrap_or((home + CACHE_PROBES - 1) % CACHE_SLOTS);
        self.slots[free] = Slot {
            generation: self.generation,
            head,
            tail,
            name,
            element: Some(element),
        };
    }

    fn clear(&mut self) {
        self.generation = self.generation.wrapping_add(1);
        if self.generation == 0 {
            self.reset();
        }
    }

    /// Once in four billion clears: old generations come round again.
    #[cold]
    fn reset(&mut self) {
        *self = Cache::default();
    }
}

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
    #[inline]
    pub(super) fn open(&mut self, e: &BytesStart<'_>, depth: usize) -> Result<(), NamespaceError> {
        if may_declare(e.attributes_raw()) {
            self.declare(e, depth)?;
        }
        Ok(())
    }

    fn declare(&mut self, e: &BytesStart<'_>, depth: usize) -> Result<(), NamespaceError> {
        self.known.clear();
        self.elements.clear();
        self.scopes.push(depth);
        self.resolver.push(e)
    }

    /// Closes the element at stack depth `depth`: drops its declarations.
    #[inline]
    pub(super) fn close(&mut self, depth: usize) {
        if self.scopes.last() == Some(&depth) {
            self.undeclare();
        }
    }

    fn undeclare(&mut self) {
        self.scopes.pop();
        self.known.clear();
        self.elements.clear();
        self.resolver.pop();
    }

    /// What is known of element name `qname` under the current bindings.
    #[inline]
    pub(super) fn element(&self, qname: &str) -> Option<Element> {
        self.elements.get(qname)
    }

    /// Keeps what element name `qname` tells until the bindings change.
    pub(super) fn remember(&mut self, qname: &'a str, element: Element) {
        self.elements.insert(qname, element);
    }

    /// The namespace URI of element `qname` (empty when unbound), or its
    /// undeclared prefix.
    pub(super) fn uri(&mut self, qname: &str) -> Result<&str, &str> {
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
