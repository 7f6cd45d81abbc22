//! What the avails XSDs (2.1 … 2.7) say about the elements the reader
//! checks, as one table ([`CHILDREN`]): the order of the children of
//! `Avail` and `Transaction`, which may appear only once, which are
//! required (and in which schema versions), and which leaves need a value;
//! the two required attributes are listed next to it ([`CONTENT_ID`],
//! [`TERM_NAME`]).
//! Breaches become [`NoteKind::XmlStructure`](crate::read::NoteKind) notes.

use super::names::{N, NameSet};
use super::{Frame, Parser};
use crate::model::Field;

/// The avails schema versions 2.`since` to 2.`until` (the `n` of 2.n).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Versions {
    since: u8,
    until: u8,
}

impl Versions {
    /// Every version.
    const ALL: Versions = Versions {
        since: 0,
        until: u8::MAX,
    };
    /// No version.
    const NONE: Versions = Versions { since: 1, until: 0 };

    /// Versions up to 2.`n`.
    const fn until(n: u8) -> Versions {
        Versions { since: 0, until: n }
    }

    /// True when 2.`n` is one of them.
    pub(super) const fn has(self, n: u8) -> bool {
        self.since <= n && n <= self.until
    }
}

/// What the schema says about one child element.
pub(super) struct Child {
    /// The parent element.
    parent: N,
    /// The element.
    name: N,
    /// Rank among the children of `parent` whose order is fixed in every
    /// version, in schema order; equal ranks are a choice.
    rank: Option<u8>,
    /// It may appear only once.
    single: bool,
    /// The versions in which `parent` must have it (or one of `or`).
    required: Versions,
    /// Elements that meet the requirement in its place.
    or: NameSet,
    /// Its text must not be empty.
    non_empty: bool,
    /// The EMA field a note about it names.
    field: Option<Field>,
    /// How a note about its absence names it (`md:` prefix included;
    /// a choice: its elements joined by `> or <`).
    named: &'static str,
}

/// A child: optional, any number of times, in any order.
const fn child(parent: N, name: N, named: &'static str) -> Child {
    Child {
        parent,
        name,
        rank: None,
        single: false,
        required: Versions::NONE,
        or: NameSet::of(&[]),
        non_empty: false,
        field: None,
        named,
    }
}

impl Child {
    const fn rank(mut self, rank: u8) -> Self {
        self.rank = Some(rank);
        self
    }
    const fn single(mut self) -> Self {
        self.single = true;
        self
    }
    const fn required(mut self, versions: Versions) -> Self {
        self.required = versions;
        self
    }
    const fn or(mut self, names: &[N]) -> Self {
        self.or = NameSet::of(names);
        self
    }
    const fn non_empty(mut self) -> Self {
        self.non_empty = true;
        self
    }
    const fn field(mut self, field: Field) -> Self {
        self.field = Some(field);
        self
    }
}

/// The child elements the reader checks (avails 2.1 … 2.7).
#[rustfmt::skip]
pub(super) const CHILDREN: &[Child] = {
    use N::*;
    const ALL: Versions = Versions::ALL;
    &[
        child(Avail, Alid, "ALID").rank(0).single().required(ALL).non_empty().field(Field::ALID),
        child(Avail, Disposition, "Disposition").rank(1).single().required(ALL).field(Field::EntryType),
        child(Avail, Licensor, "Licensor").rank(2).single().required(ALL).field(Field::DisplayName),
        child(Avail, ServiceProvider, "ServiceProvider").rank(3).single(),
        child(Avail, AvailType, "AvailType").rank(4).single().required(ALL).non_empty(),
        child(Avail, ShortDescription, "ShortDescription").rank(5).single().required(ALL),
        child(Avail, Asset, "Asset").rank(6).required(ALL).field(Field::WorkType),
        child(Avail, Transaction, "Transaction").rank(7).required(ALL),
        child(Avail, ExceptionFlag, "ExceptionFlag").rank(10).single(),

        child(Disposition, EntryType, "EntryType").required(ALL).non_empty().field(Field::EntryType),
        child(Licensor, DisplayName, "md:DisplayName").required(ALL).non_empty().field(Field::DisplayName),

        child(Asset, WorkType, "WorkType").required(ALL).non_empty().field(Field::WorkType),
        child(Asset, Metadata, "Metadata").required(ALL)
            .or(&[EpisodeMetadata, SeasonMetadata, SeriesMetadata, VolumeMetadata]),

        child(Transaction, Licensee, "Licensee").rank(0).single(),
        child(Transaction, LicenseType, "LicenseType").rank(1).single().required(ALL).non_empty()
            .field(Field::LicenseType),
        child(Transaction, Description, "Description").rank(2).single().required(Versions::until(1))
            .field(Field::Description),
        child(Transaction, Territory, "Territory").rank(3),
        child(Transaction, TerritoryExcluded, "TerritoryExcluded").rank(4),
        child(Transaction, Start, "Start> or <StartCondition").rank(5).single().required(ALL)
            .or(&[StartCondition]).non_empty().field(Field::Start),
        child(Transaction, StartCondition, "StartCondition").rank(5).single().non_empty()
            .field(Field::Start),
        child(Transaction, End, "End> or <EndCondition").rank(6).single().required(ALL)
            .or(&[EndCondition]).non_empty().field(Field::End),
        child(Transaction, EndCondition, "EndCondition").rank(6).single().non_empty()
            .field(Field::End),
        child(Transaction, Duration, "Duration").rank(7),
        child(Transaction, WindowDuration, "WindowDuration").rank(7),
        child(Transaction, StoreLanguage, "StoreLanguage").rank(8),
        child(Transaction, AllowedLanguage, "AllowedLanguage").rank(8),
        child(Transaction, AssetLanguage, "AssetLanguage").rank(9),
        child(Transaction, HoldbackLanguage, "HoldbackLanguage").rank(10),
        child(Transaction, LicenseRightsDescription, "LicenseRightsDescription").rank(11).single(),
        child(Transaction, FormatProfile, "FormatProfile").rank(12).single().required(ALL)
            .non_empty().field(Field::FormatProfile),
        child(Transaction, ContractId, "ContractID").rank(13).single(),
        child(Transaction, ReportingId, "ReportingID").rank(14),
        child(Transaction, RefAlid, "RefALID").rank(15),
        child(Transaction, Term, "Term").rank(16).required(Versions::until(3)),
        child(Transaction, ExperienceCondition, "ExperienceCondition").rank(17),
        child(Transaction, OtherInstructions, "OtherInstructions").rank(18),
    ]
};

/// A required attribute: its element, name, the field a note names and
/// what the note suggests.
pub(super) struct Attribute {
    element: N,
    name: &'static str,
    field: Field,
    help: Option<&'static str>,
}

/// `Asset/@contentID`, required.
pub(super) const CONTENT_ID: Attribute = Attribute {
    element: N::Asset,
    name: "contentID",
    field: Field::ContentID,
    help: Some("add contentID=\"md:cid:...\""),
};

/// `Term/@termName`, required.
pub(super) const TERM_NAME: Attribute = Attribute {
    element: N::Term,
    name: "termName",
    field: Field::PriceType,
    help: None,
};

/// What [`CHILDREN`] tells of one name, gathered for a lookup by name.
#[derive(Clone, Copy)]
struct Facts {
    /// Rank under `Avail` (`NO_RANK`: none).
    avail_rank: u8,
    /// Rank under `Transaction` (`NO_RANK`: none).
    transaction_rank: u8,
    /// May appear only once (under `Avail` and `Transaction` alike).
    single: bool,
    /// The parents under which its text must not be empty.
    non_empty_in: NameSet,
    /// Its element has required children.
    has_required: bool,
}

const NO_RANK: u8 = u8::MAX;

/// [`Facts`] by [`N`].
const FACTS: [Facts; N::COUNT] = {
    let mut facts = [Facts {
        avail_rank: NO_RANK,
        transaction_rank: NO_RANK,
        single: false,
        non_empty_in: NameSet::of(&[]),
        has_required: false,
    }; N::COUNT];
    let mut i = 0;
    while i < CHILDREN.len() {
        let c = &CHILDREN[i];
        let f = &mut facts[c.name as usize];
        if let Some(rank) = c.rank {
            match c.parent {
                N::Avail => f.avail_rank = rank,
                N::Transaction => f.transaction_rank = rank,
                _ => panic!("ranks are for the children of Avail and Transaction"),
            }
        }
        f.single |= c.single;
        if c.non_empty {
            f.non_empty_in = f.non_empty_in.with(c.parent);
        }
        if c.required.since <= c.required.until {
            facts[c.parent as usize].has_required = true;
        }
        i += 1;
    }
    facts
};

/// Where the rows of each parent are in [`CHILDREN`] (which lists a
/// parent's children together).
const CHILDREN_OF: [(u8, u8); N::COUNT] = {
    let mut spans = [(0u8, 0u8); N::COUNT];
    let mut i = 0;
    while i < CHILDREN.len() {
        let parent = CHILDREN[i].parent as usize;
        assert!(
            spans[parent].1 == 0,
            "a parent's children are listed together"
        );
        let from = i;
        while i < CHILDREN.len() && CHILDREN[i].parent as usize == parent {
            i += 1;
        }
        spans[parent] = (from as u8, i as u8);
    }
    spans
};

/// The rank of `name` among the children of `parent` (`Avail` or
/// `Transaction`), when its place is fixed.
pub(super) fn rank(parent: N, name: N) -> Option<u8> {
    let f = &FACTS[name as usize];
    let rank = match parent {
        N::Avail => f.avail_rank,
        N::Transaction => f.transaction_rank,
        _ => NO_RANK,
    };
    (rank != NO_RANK).then_some(rank)
}

/// True for an element whose children are tracked for the required-child
/// check, other than `Avail` and `Transaction` (which track theirs with the
/// order check).
pub(super) fn tracks_children(name: N) -> bool {
    FACTS[name as usize].has_required && !matches!(name, N::Avail | N::Transaction)
}

/// True for an avails element worth a note when it is written outside the
/// avails namespace: `Avail`, the children of `Avail` and `Transaction`
/// whose place is fixed, `WorkType`, `Metadata` and `EntryType`.
pub(super) fn reported_if_foreign(name: N) -> bool {
    let f = &FACTS[name as usize];
    name == N::Avail
        || f.avail_rank != NO_RANK
        || f.transaction_rank != NO_RANK
        || matches!(name, N::WorkType | N::Metadata | N::EntryType)
}

impl<'a> Parser<'a> {
    /// A child of `Avail` or `Transaction` opened: notes a repeated single
    /// child or one out of order, and records it for the required-child
    /// check of its parent (the open element on top of the stack).
    pub(super) fn check_order(&mut self, frame: &Frame<'a>, parent: N) {
        let rank = rank(parent, frame.name);
        let mut problems = Vec::new();
        if let Some(p) = self.stack.last_mut() {
            if FACTS[frame.name as usize].single && p.kids.has(frame.name) {
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
            let pos = self.lines.pos(frame.tag);
            self.structure(
                pos,
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
    }

    /// A leaf closed under `parent` with `value` (trimmed) at `span`: notes it
    /// when the schema needs a value there.
    pub(super) fn check_value(
        &mut self,
        frame: &Frame<'a>,
        parent: N,
        value: &str,
        span: (usize, usize),
    ) {
        if !value.is_empty() || !FACTS[frame.name as usize].non_empty_in.has(parent) {
            return;
        }
        let pos = self.lines.pos(span);
        let field = CHILDREN
            .iter()
            .find(|c| c.parent == parent && c.name == frame.name)
            .and_then(|c| c.field);
        let version = self
            .version
            .unwrap_or(crate::model::TemplateVersion::Xml(3, 0));
        self.structure(
            pos,
            field,
            Some(String::new()),
            format!(
                "<{}> is empty; the avails {version} schema requires a value",
                frame.qname
            ),
            Some(format!("fill <{}>", frame.qname)),
        );
    }

    /// A container closed: notes each child the schema requires of it (in
    /// the document's version) that it lacks.
    pub(super) fn check_children(&mut self, frame: &Frame<'a>) {
        let n = self.minor();
        let (from, to) = CHILDREN_OF[frame.name as usize];
        let children = &CHILDREN[from as usize..to as usize];
        for c in children
            .iter()
            .filter(|c| c.required.since <= c.required.until)
        {
            if c.required.has(n) && !frame.kids.has(c.name) && !frame.kids.meets(c.or) {
                self.missing(frame, c.named, c.field);
            }
        }
    }

    /// Notes `frame` lacking the required attribute `a`; true when it has it.
    pub(super) fn check_attribute(&mut self, frame: &Frame<'a>, a: &Attribute) -> bool {
        debug_assert_eq!(frame.name, a.element);
        if frame.attr(a.name).is_some() {
            return true;
        }
        let pos = self.lines.pos(frame.tag);
        self.structure(
            pos,
            Some(a.field),
            None,
            format!(
                "<{}> has no {} attribute; the schema requires it",
                frame.qname, a.name
            ),
            a.help.map(str::to_string),
        );
        false
    }

    fn missing(&mut self, frame: &Frame<'a>, child: &str, field: Option<Field>) {
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

    /// The `n` of the document's avails version 2.n (2.3 when unknown).
    fn minor(&self) -> u8 {
        match self.version {
            Some(crate::model::TemplateVersion::Xml(n, _)) => n,
            _ => 3,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_facts() {
        assert_eq!(rank(N::Transaction, N::StartCondition), Some(5));
        assert_eq!(rank(N::Avail, N::ExceptionFlag), Some(10));
        assert_eq!(rank(N::Avail, N::StartCondition), None);
        assert!(FACTS[N::Alid as usize].single && !FACTS[N::Asset as usize].single);
        let required: Vec<N> = CHILDREN
            .iter()
            .filter(|c| c.parent == N::Transaction && c.required.has(1))
            .map(|c| c.name)
            .collect();
        assert_eq!(
            required,
            [
                N::LicenseType,
                N::Description,
                N::Start,
                N::End,
                N::FormatProfile,
                N::Term
            ]
        );
        assert!(!Versions::until(3).has(4) && Versions::until(3).has(3));
        assert!(tracks_children(N::Licensor) && !tracks_children(N::Term));
    }
}
