//! The stateful mappings of [`MAP`](super::map::MAP), one function each
//! ([`Named`]): values pieced together from several elements (a release's
//! type and date, a term's name and value), picked by a sibling or an
//! attribute seen earlier, or settled only when the Avail closes.

use std::borrow::Cow;

use super::map::{Level, Named, c, column};
use super::names::{N, NameSet};
use super::rows::{AvailAcc, Values, push};
use super::{Frame, Parser, trimmed, xs};
use crate::model::avail::XmlPos;
use crate::model::{Field, SheetKind, TemplateVersion};

/// Elements whose attributes the named functions read (and the parts of
/// the avail structure: a BundledAsset's `sequence`).
pub(super) const ATTRIBUTES_READ: NameSet = NameSet::of(&[
    N::Asset,
    N::Term,
    N::Money,
    N::SharedEntitlement,
    N::BundledAsset,
]);

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

/// The Term fields whose value MovieLabs writes as Money, Duration or
/// Boolean, whose syntax the reader checks ([`Parser::term_child`]).
pub(super) const TYPED_TERMS: [Field; 5] = [
    Field::SRP,
    Field::RentalDuration,
    Field::WatchDuration,
    Field::Exclusive,
    Field::BrandingRights,
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

/// A value with its position.
type Positioned<'a> = (Cow<'a, str>, XmlPos);
/// A kind word (ReleaseType, JobFunction) and the value it qualifies.
type KindAndValue<'a> = (Option<Cow<'a, str>>, Option<Positioned<'a>>);
/// A Term child: element name, value, position, `@currency`.
type TermValue<'a> = (N, Cow<'a, str>, XmlPos, Option<Positioned<'a>>);

/// Values of sub-structures collected until their element closes.
#[derive(Default)]
pub(super) struct Pending<'a> {
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

impl<'a> Parser<'a> {
    /// `frame` opened under `parent`: starts the sub-structure it begins.
    pub(super) fn open_named(&mut self, frame: &Frame<'a>, parent: N) {
        self.open_part(frame);
        match (parent, frame.name) {
            (_, N::GroupingEntity) => self.pending.grouping = Some(Grouping::default()),
            (_, N::ReleaseHistory) => self.pending.release = Some((None, None)),
            (_, N::People) => self.pending.people = Some((None, None)),
            (N::Transaction, N::Term) => {
                let (name, name_pos) = match frame.attr("termName") {
                    Some(a) => (trimmed(&a.value), frame.attr_pos(self.input, a)),
                    None => (Cow::Borrowed(""), XmlPos::at(frame.tag)),
                };
                self.pending.term = Some(Term {
                    name,
                    name_pos,
                    first: None,
                });
            }
            (N::Avail, N::SharedEntitlement) => {
                self.pending.ecosystem = frame.attr("ecosystem").map(|a| a.value.clone());
            }
            _ => {}
        }
    }

    /// `frame`, a part of an open sub-structure, closed under `parent` (and
    /// `grand`) with `value` at `span`: keeps what the sub-structure needs.
    /// The value is given back when `frame` is no such part.
    pub(super) fn collect(
        &mut self,
        frame: &Frame<'a>,
        parent: N,
        grand: N,
        value: Cow<'a, str>,
        span: (usize, usize),
    ) -> Result<(), Cow<'a, str>> {
        self.close_part(&value, span);
        let pos = || XmlPos::at(span);
        let p = &mut self.pending;
        match (parent, frame.name) {
            (N::ReleaseHistory, N::ReleaseType) => {
                if let Some(r) = p.release.as_mut() {
                    r.0 = Some(value);
                }
            }
            (N::ReleaseHistory, N::Date) => {
                if let Some(r) = p.release.as_mut() {
                    r.1 = Some((value, pos()));
                }
            }
            (N::GroupingEntity, N::Type) => {
                if let Some(g) = p.grouping.as_mut() {
                    g.kind = Some(value);
                }
            }
            (N::GroupingEntity, N::DisplayName) => {
                if let Some(g) = p.grouping.as_mut() {
                    g.display = Some((value, pos()));
                }
            }
            (N::GroupingEntity, N::GroupIdentity) => {
                if let Some(g) = p.grouping.as_mut() {
                    g.identity = Some((value, pos()));
                }
            }
            (N::Job, N::JobFunction) => {
                if let Some(p) = p.people.as_mut() {
                    p.0 = Some(value);
                }
            }
            (N::Name, N::DisplayName) if grand == N::People => {
                if let Some(p) = p.people.as_mut() {
                    p.1.get_or_insert_with(|| (value, pos()));
                }
            }
            (N::Name, N::DisplayName) => {}
            // These three close sub-structures of their own.
            (N::Term, N::ReleaseHistory | N::GroupingEntity | N::People) => return Err(value),
            (N::Term, child) => self.term_child(frame, child, value, pos()),
            _ => return Err(value),
        }
        Ok(())
    }

    /// Runs `named` for `frame`, closing under `parent` (and `grand`) with
    /// `value` at `span`.
    pub(super) fn named(
        &mut self,
        named: Named,
        frame: &Frame<'a>,
        parent: N,
        grand: N,
        value: &str,
        span: (usize, usize),
    ) {
        let pos = || XmlPos::at(span);
        match named {
            Named::AltId => self.alt_id(parent, grand, value, pos()),
            Named::ReleaseHistory => {
                if let Some((Some(kind), Some((date, p)))) = self.pending.release.take() {
                    match &*kind {
                        "original" => {
                            self.cell(Level::FirstAsset, c!(ReleaseHistoryOriginal), &date, p)
                        }
                        "DVD" => {
                            self.cell(Level::FirstAsset, c!(ReleaseHistoryPhysicalHV), &date, p)
                        }
                        _ => {}
                    }
                }
            }
            Named::Captions => {
                if let Some(a) = self.avail.as_mut() {
                    a.caption_exemption = true;
                }
                self.cell(Level::FirstAsset, c!(CaptionIncluded), "No", pos());
                self.cell(Level::FirstAsset, c!(CaptionExemption), value, pos());
            }
            Named::GroupingEntity => {
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
                        self.cell(Level::FirstAsset, c!(GroupIdentity), &v, p);
                    }
                }
            }
            Named::People => {
                if let Some((Some(job), Some((name, p)))) = self.pending.people.take()
                    && job.eq_ignore_ascii_case("Director")
                {
                    self.cell(Level::FirstAsset, c!(Director), &name, p);
                }
            }
            Named::Term => self.finish_term(frame),
            Named::Ecosystem => match self.pending.ecosystem.as_deref() {
                Some("UVVU") => self.cell(Level::AvailRows, c!(UV_ID), value, pos()),
                Some("DMA") => self.cell(Level::AvailRows, c!(DMA_ID), value, pos()),
                _ => {}
            },
            Named::ContentId | Named::AlidAsAltId | Named::CaptionsIncluded => {
                unreachable!("run when the Avail closes")
            }
        }
    }

    /// An identifier of an `AltIdentifier`: the AltID of its level, unless
    /// written `Field:value` (mddf writes `AltID:001143`) with a field whose
    /// name ends in `ID` or starts with `Retailer`.
    fn alt_id(&mut self, parent: N, grand: N, value: &str, pos: XmlPos) {
        let default = match (parent, grand) {
            (N::SeasonAltIdentifier, _) => c!(SeasonAltID),
            (N::SeriesAltIdentifier, _) => c!(SeriesAltID),
            (_, N::EpisodeMetadata) => c!(EpisodeAltID),
            _ => c!(AltID),
        };
        let (col, v) = match value.split_once(':') {
            Some((name, rest))
                if let Some(c) = Field::from_name(name).and_then(column)
                    && (name.ends_with("ID") || name.starts_with("Retailer")) =>
            {
                (c, rest)
            }
            _ => (default, value),
        };
        self.cell(Level::FirstAsset, col, v, pos);
    }

    /// A child of `Term` closed: keeps the first child (the XSD check
    /// checks its syntax).
    fn term_child(&mut self, frame: &Frame<'a>, child: N, value: Cow<'a, str>, pos: XmlPos) {
        let currency = frame
            .attr("currency")
            .map(|a| (trimmed(&a.value), frame.attr_pos(self.input, a)));
        if let Some(t) = self.pending.term.as_mut().filter(|t| t.first.is_none()) {
            t.first = Some((child, value, pos, currency));
        }
    }

    /// A `Term` closed: a price term gives PriceType, PriceValue and
    /// PriceCurrency; `SRP` gives SRP and PriceCurrency; a term of
    /// [`TERM_FIELDS`] gives its field (booleans as `True`/`False`).
    fn finish_term(&mut self, frame: &Frame<'a>) {
        let Some(term) = self.pending.term.take() else {
            return;
        };
        // Without its (required) termName the XSD check notes it.
        if frame.attr("termName").is_none() {
            return;
        }
        let Term {
            name,
            name_pos,
            first,
        } = term;
        let name = &*name;
        let t = Level::TransactionRow;
        if is_price_term(name) {
            let price_type = match name {
                "EpisodeWSP" | "SeasonWSP" => "WSP",
                other => other,
            };
            self.cell(t, c!(PriceType), price_type, name_pos);
            if let Some((_, v, p, currency)) = first {
                self.cell(t, c!(PriceValue), &v, p);
                if let Some((c, cp)) = currency {
                    self.cell(t, c!(PriceCurrency), &c, cp);
                }
            }
        } else if name == "SRP" {
            if let Some((_, v, p, currency)) = first {
                self.cell(t, c!(SRP), &v, p);
                if let Some((c, cp)) = currency {
                    self.cell(t, c!(PriceCurrency), &c, cp);
                }
            }
        } else if let (Some(col), Some((kind, v, p, _))) = (
            TERM_FIELDS
                .iter()
                .find(|(t, _)| *t == name)
                .and_then(|(_, f)| column(*f)),
            first,
        ) {
            let v = match (kind, xs::boolean(&v)) {
                (N::Boolean, Some(true)) => "True",
                (N::Boolean, Some(false)) => "False",
                _ => &*v,
            };
            self.cell(t, col, v, p);
        }
    }
}

/// A `Term/@termName` that is an EMA PriceType.
fn is_price_term(name: &str) -> bool {
    PRICE_TERMS.contains(&name) || name.starts_with("TPR-")
}

/// The Avail closes: the functions of [`Named`] that run then.
impl AvailAcc<'_> {
    /// [`Named::ContentId`]: `Asset/@contentID` goes to the ContentID
    /// column of the WorkType, unless that column has a value.
    pub(super) fn content_id(&mut self, values: &mut Values, work_type: &str) {
        if let Some((id, pos)) = self.content_id.take() {
            let c = match work_type {
                "Episode" => c!(EpisodeContentID),
                "Season" => c!(SeasonContentID),
                "Series" => c!(SeriesContentID),
                "Volume" => c!(VolumeContentID),
                _ => c!(ContentID),
            };
            if !self.cells.iter().any(|v| v.col == c) {
                push(&mut self.cells, values, c, &id, pos);
            }
        }
    }

    /// [`Named::AlidAsAltId`]: EMA 1.6 (avails 2.1) identifies movies by
    /// AltID, which MovieLabs' 1.6 converter also wrote as the ALID: the
    /// ALID is used when no AltIdentifier gave one.
    pub(super) fn alid_as_alt_id(
        &mut self,
        values: &mut Values,
        version: TemplateVersion,
        kind: SheetKind,
    ) {
        let (alt_id, alid) = (c!(AltID), c!(ALID));
        if version.sheet_equivalent() == TemplateVersion::V1_6
            && kind == SheetKind::Movies
            && !self.cells.iter().any(|v| v.col == alt_id)
            && let Some(id) = self.cells.iter().find(|v| v.col == alid).cloned()
        {
            push(&mut self.cells, values, alt_id, &id.text, id.pos);
        }
    }

    /// [`Named::CaptionsIncluded`]: US captions of TV; no exemption reason
    /// in the XML means captions are included.
    pub(super) fn captions_included(&mut self, values: &mut Values, kind: SheetKind) {
        if let Some(pos) = self
            .metadata
            .filter(|_| !self.caption_exemption && kind == SheetKind::Tv)
        {
            push(&mut self.cells, values, c!(CaptionIncluded), "Yes", pos);
        }
    }
}
