//! The avails XSDs as tables, and the check of a document against them as
//! it streams: each element is matched against its parent's content model
//! when it opens (a deterministic automaton per complex type), its
//! attributes against its type, and its text against its simple type when
//! it closes. The tables are generated from the MovieLabs XSDs
//! (`schemas/xsd/`, see `examples/xsd_tables.rs`; `build.rs` makes them
//! statics), one set per avails version with the md version it imports.
//!
//! Every problem is a [`NoteKind::Xsd`] note with its line and column; none
//! stops reading. After an unexpected element the check goes on with its
//! siblings; an element the schema does not know is not checked inside.
//! Elements of a schema availcheck does not have (MEC's `mdmec`, and the
//! XML Signature, whose global element names alone are known) are checked
//! where they stand but not inside.

use std::borrow::Cow;

use super::names::{N, Namespaces};
use super::{Frame, Parser, is_ws, map, xs};
use crate::model::avail::XmlPos;
use crate::model::{Field, TemplateVersion};
use crate::read::{Note, NoteKind, XsdKind};

include!(concat!(env!("OUT_DIR"), "/xsd_tables.rs"));

/// One avails schema version: its namespaces and every element, type and
/// simple type reachable from its global elements.
pub(super) struct Schema {
    /// `2.3`, `2.2.2`, …
    pub(super) version: &'static str,
    /// The namespace URIs of [`AVAILS`], [`MD`], [`MDMEC`] and [`DS`].
    namespaces: [&'static str; 4],
    /// Local element names, sorted; an element's name is an index here.
    names: &'static [&'static str],
    /// Global element declarations.
    globals: &'static [u16],
    elements: &'static [ElementDecl],
    types: &'static [Type],
    states: &'static [State],
    trans: &'static [Trans],
    attrs: &'static [AttrDecl],
    simple: &'static [Simple],
    steps: &'static [Step],
    /// Member types of unions.
    members: &'static [u16],
    wildcards: &'static [Wildcard],
}

/// The namespaces of element names, as numbered in the tables: the
/// version's avails, md, mdmec and XML Signature namespaces; then any
/// other namespace and no namespace.
pub(super) const AVAILS: u8 = 0;
pub(super) const MD: u8 = 1;
pub(super) const MDMEC: u8 = 2;
pub(super) const DS: u8 = 3;
pub(super) const FOREIGN: u8 = 4;
pub(super) const NO_NS: u8 = 5;
/// A local name no declaration of the version has.
pub(super) const NO_NAME: u16 = u16::MAX;
const NONE: u16 = u16::MAX;

/// An element declaration: namespace, local name, type, and its fixed or
/// default value.
struct ElementDecl {
    ns: u8,
    name: u16,
    ty: u16,
    fixed: Option<&'static str>,
    default: Option<&'static str>,
}

/// A type: its content, attributes (`attrs`: first and count in
/// [`Schema::attrs`]; `required`: a bit per required one) and, for element
/// content, its automaton (`states`: first and count in [`Schema::states`];
/// the first is the start) and its children in schema order.
struct Type {
    name: &'static str,
    content: Content,
    /// Simple type of simple content.
    simple: u16,
    states: (u32, u32),
    attrs: (u16, u16),
    required: u64,
    order: &'static [&'static str],
}

/// What a type holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Content {
    /// Anything; not checked (types of schemas availcheck lacks).
    Open,
    /// Text of a simple type.
    Simple,
    /// Elements only (whitespace between them).
    Elements,
}

/// A state of a content model's automaton: whether the content may end
/// here, and its transitions (first and count in [`Schema::trans`]).
struct State {
    accepting: bool,
    trans: (u32, u16),
}

/// A transition: an element declaration `id` (named `ns`:`name`) or a
/// wildcard `id`; `to` is a state.
struct Trans {
    wildcard: bool,
    ns: u8,
    name: u16,
    id: u16,
    to: u32,
}

/// An attribute: name (unqualified), simple type, fixed value.
struct AttrDecl {
    name: &'static str,
    simple: u16,
    fixed: Option<&'static str>,
}

/// A simple type: a built-in type restricted by facet steps, or a union.
struct Simple {
    name: &'static str,
    ws: Ws,
    builtin: Builtin,
    /// First and count in [`Schema::members`].
    members: (u16, u16),
    /// First and count in [`Schema::steps`].
    steps: (u16, u16),
}

/// Whitespace handling of a simple type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ws {
    /// As written (xs:string and its restrictions).
    Preserve,
    /// Trimmed, inner runs as one space.
    Collapse,
}

/// The built-in types whose lexical spaces are checked (`xs.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Builtin {
    String,
    AnySimpleType,
    AnyUri,
    Boolean,
    Date,
    DateTime,
    Decimal,
    Duration,
    GYear,
    GYearMonth,
    Int,
    Integer,
    Language,
    PositiveInteger,
    Time,
    /// Not a built-in: a union of member types.
    Union,
}

impl Builtin {
    /// The type's name, `xs:` included.
    fn name(self) -> &'static str {
        match self {
            Builtin::String => "xs:string",
            Builtin::AnySimpleType => "xs:anySimpleType",
            Builtin::AnyUri => "xs:anyURI",
            Builtin::Boolean => "xs:boolean",
            Builtin::Date => "xs:date",
            Builtin::DateTime => "xs:dateTime",
            Builtin::Decimal => "xs:decimal",
            Builtin::Duration => "xs:duration",
            Builtin::GYear => "xs:gYear",
            Builtin::GYearMonth => "xs:gYearMonth",
            Builtin::Int => "xs:int",
            Builtin::Integer => "xs:integer",
            Builtin::Language => "xs:language",
            Builtin::PositiveInteger => "xs:positiveInteger",
            Builtin::Time => "xs:time",
            Builtin::Union => "union",
        }
    }

    /// How to write a value of the type.
    fn help(self) -> &'static str {
        match self {
            Builtin::DateTime => {
                "write YYYY-MM-DDThh:mm:ss with optional Z or ±hh:mm (e.g. 2026-03-01T00:00:00Z)"
            }
            Builtin::Date => "write YYYY-MM-DD (e.g. 2026-03-01)",
            Builtin::GYear => "write a year as YYYY",
            Builtin::GYearMonth => "write YYYY-MM",
            Builtin::Time => "write hh:mm:ss",
            Builtin::Duration => "write an ISO 8601 duration such as P180D, PT2H30M or -P5DT10H",
            Builtin::Decimal => {
                "write a plain number such as 4.99 (no currency symbol or thousands separator)"
            }
            Builtin::Boolean => "write `true` or `false`",
            Builtin::Int | Builtin::Integer | Builtin::PositiveInteger => "write a whole number",
            Builtin::Language => {
                "write one RFC 5646 language tag such as en, es-419 or zh-Hant (one element per language)"
            }
            Builtin::String | Builtin::AnySimpleType | Builtin::AnyUri | Builtin::Union => {
                "write a value of the type"
            }
        }
    }
}

/// One restriction step of a simple type: the value must be one of
/// `enums` (when any) and match one of `patterns` (when any).
struct Step {
    enums: &'static [&'static str],
    patterns: &'static [&'static Pattern],
}

/// An XSD pattern compiled to a DFA over ASCII by `build.rs`.
pub(super) struct Pattern {
    /// The pattern as the XSD writes it.
    pub(super) source: &'static str,
    classes: &'static [u8],
    width: usize,
    next: &'static [u16],
    accept: &'static [bool],
}

impl Pattern {
    /// True when all of `v` matches (XSD patterns are anchored).
    pub(super) fn matches(&self, v: &str) -> bool {
        let mut state = 0usize;
        for b in v.bytes() {
            if b >= 128 {
                return false;
            }
            let next = self.next[state * self.width + usize::from(self.classes[usize::from(b)])];
            if next == u16::MAX {
                return false;
            }
            state = usize::from(next);
        }
        self.accept[state]
    }
}

/// A wildcard (`xs:any`): the namespace it excludes (`##other`; `None`:
/// any) and how its elements are checked.
struct Wildcard {
    not: Option<u8>,
    process: Process,
}

/// `processContents` of a wildcard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Process {
    Strict,
    Lax,
    Skip,
}

/// An element name as the tables know it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct XName {
    pub(super) ns: u8,
    pub(super) name: u16,
}

/// How an open element's content is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Check {
    /// Not at all (an unknown element, or the inside of one the schema
    /// leaves open).
    Skip,
    /// Its children are not checked.
    Open,
    /// Its text, against a simple type.
    Simple,
    /// Its children, with only whitespace between them.
    Elements,
}

/// The check state of an open element.
#[derive(Debug, Clone, Copy)]
pub(super) struct XFrame {
    /// How its content is checked.
    pub(super) check: Check,
    /// Its type.
    ty: u16,
    /// Its declaration.
    decl: u16,
    /// Its content model's state.
    state: u32,
    /// The declaration of its last child matched (`NONE` before one).
    last: u16,
}

impl XFrame {
    /// An element that is not checked.
    pub(super) const SKIP: XFrame = XFrame {
        check: Check::Skip,
        ty: NONE,
        decl: NONE,
        state: 0,
        last: NONE,
    };
}

/// A required child found missing when a later one came first: kept until
/// its parent closes (unless it then turns up, out of order).
struct Missing {
    /// Stack index of the parent.
    depth: usize,
    /// Its alternatives (element declarations).
    decls: Vec<u16>,
}

/// The check of one document.
#[derive(Default)]
pub(super) struct Xsd {
    /// The document's schema, once its root is known.
    pub(super) schema: Option<&'static Schema>,
    /// Namespaces already reported as not the version's.
    reported: Vec<String>,
    missing: Vec<Missing>,
    /// Values found valid lately, by simple type (see [`Xsd::known_valid`]).
    valid: Vec<(u16, String)>,
}

/// Slots of [`Xsd::known_valid`]'s table: avails repeat their codes, dates
/// and types across Transactions.
const VALID_SLOTS: usize = 256;

impl Xsd {
    /// True when `raw` is a valid value of simple type `id` of `schema`,
    /// checked once per value seen lately (a hash table of one value per
    /// slot: a miss just checks again).
    fn known_valid(&mut self, schema: &Schema, id: u16, raw: &str) -> bool {
        use std::hash::BuildHasher;
        if schema.any_text(id) {
            return true;
        }
        let hash = rustc_hash::FxBuildHasher.hash_one((id, raw));
        let slot = (hash >> 56) as usize % VALID_SLOTS;
        if let Some((known, value)) = self.valid.get(slot)
            && *known == id
            && value == raw
        {
            return true;
        }
        if schema.valid(id, raw).is_err() {
            return false;
        }
        if self.valid.is_empty() {
            self.valid.resize(VALID_SLOTS, (u16::MAX, String::new()));
        }
        let (known, value) = &mut self.valid[slot];
        *known = id;
        value.clear();
        value.push_str(raw);
        true
    }
}

impl Schema {
    /// True when availcheck has the XSD of avails `version` itself.
    pub(super) fn has(version: TemplateVersion) -> bool {
        let want = version.to_string();
        SCHEMAS.iter().any(|s| s.version == want)
    }

    /// The tables of avails `version`: its own, else those of the same
    /// 2.n without a patch number (2.5 for 2.5.1).
    pub(super) fn of(version: TemplateVersion) -> &'static Schema {
        let want = version.to_string();
        let base = match version {
            TemplateVersion::Xml(n, _) => format!("2.{n}"),
            _ => String::new(),
        };
        SCHEMAS
            .iter()
            .find(|s| s.version == want)
            .or_else(|| SCHEMAS.iter().find(|s| s.version == base))
            .copied()
            .unwrap_or(SCHEMAS[SCHEMAS.len() - 1])
    }

    /// The table name of an element in namespace `ns_uri` named `local`;
    /// `note` is set when `ns_uri` is an md or mdmec namespace of another
    /// version than this one's (the name is then read as this version's).
    pub(super) fn xname(
        &self,
        avails_ns: Option<&str>,
        ns_uri: &str,
        local: &str,
    ) -> (XName, bool) {
        const MD_URI: &str = "http://www.movielabs.com/schema/md/";
        const MDMEC_URI: &str = "http://www.movielabs.com/schema/mdmec/";
        let (ns, foreign_version) = if Some(ns_uri) == avails_ns {
            (AVAILS, false)
        } else if ns_uri == self.namespaces[MD as usize] {
            (MD, false)
        } else if ns_uri == self.namespaces[MDMEC as usize] {
            (MDMEC, false)
        } else if ns_uri == self.namespaces[DS as usize] {
            (DS, false)
        } else if ns_uri.starts_with(MD_URI) {
            (MD, true)
        } else if ns_uri.starts_with(MDMEC_URI) {
            (MDMEC, true)
        } else if ns_uri.is_empty() {
            (NO_NS, false)
        } else {
            (FOREIGN, false)
        };
        let name = self
            .names
            .binary_search(&local)
            .map_or(NO_NAME, |i| i as u16);
        (XName { ns, name }, foreign_version)
    }

    /// The md (or mdmec) namespace URI this version imports.
    fn namespace(&self, ns: u8) -> &'static str {
        self.namespaces[usize::from(ns.min(DS))]
    }

    /// How declaration `id` is written in messages (`md:` for md).
    fn display(&self, id: u16) -> String {
        let e = &self.elements[usize::from(id)];
        let local = self.names[usize::from(e.name)];
        match e.ns {
            AVAILS => local.to_string(),
            MD => format!("md:{local}"),
            MDMEC => format!("mdmec:{local}"),
            _ => format!("ds:{local}"),
        }
    }

    fn frame(&self, decl: u16) -> XFrame {
        let ty_id = self.elements[usize::from(decl)].ty;
        let ty = &self.types[usize::from(ty_id)];
        XFrame {
            check: match ty.content {
                Content::Open => Check::Open,
                Content::Simple => Check::Simple,
                Content::Elements => Check::Elements,
            },
            ty: ty_id,
            decl,
            state: ty.states.0,
            last: NONE,
        }
    }

    fn transitions(&self, state: u32) -> &'static [Trans] {
        let s = &self.states[state as usize];
        &self.trans[s.trans.0 as usize..s.trans.0 as usize + usize::from(s.trans.1)]
    }

    /// The transition of `state` that element `x` takes.
    #[inline]
    fn step(&self, state: u32, x: XName) -> Option<&'static Trans> {
        self.transitions(state).iter().find(|t| {
            if t.wildcard {
                let w = &self.wildcards[usize::from(t.id)];
                x.ns != NO_NS && w.not != Some(x.ns)
            } else {
                t.ns == x.ns && t.name == x.name
            }
        })
    }

    /// The global declaration of `x`.
    fn global(&self, x: XName) -> Option<u16> {
        self.globals.iter().copied().find(|g| {
            let e = &self.elements[usize::from(*g)];
            e.ns == x.ns && e.name == x.name
        })
    }

    /// The states of type `ty`.
    fn states_of(&self, ty: u16) -> std::ops::Range<u32> {
        let (from, len) = self.types[usize::from(ty)].states;
        from..from + len
    }

    /// The shortest way from `from` to a state `goal` accepts: per step,
    /// its alternatives (transitions that keep to a shortest way).
    fn way(
        &self,
        ty: u16,
        from: u32,
        goal: impl Fn(u32) -> bool,
    ) -> Option<Vec<Vec<&'static Trans>>> {
        let states = self.states_of(ty);
        let base = states.start;
        let n = states.len();
        let mut dist = vec![usize::MAX; n];
        for s in states.clone() {
            if goal(s) {
                dist[(s - base) as usize] = 0;
            }
        }
        for _ in 0..n {
            for s in states.clone() {
                for t in self.transitions(s) {
                    let d = dist[(t.to - base) as usize].saturating_add(1);
                    if d < dist[(s - base) as usize] {
                        dist[(s - base) as usize] = d;
                    }
                }
            }
        }
        if dist[(from - base) as usize] == usize::MAX {
            return None;
        }
        let mut steps = Vec::new();
        let mut at = from;
        while dist[(at - base) as usize] > 0 {
            let want = dist[(at - base) as usize] - 1;
            let alts: Vec<&Trans> = self
                .transitions(at)
                .iter()
                .filter(|t| dist[(t.to - base) as usize] == want)
                .collect();
            at = alts[0].to;
            steps.push(alts);
        }
        Some(steps)
    }

    /// A transition anywhere in type `ty` that element `x` takes.
    fn anywhere(&self, ty: u16, x: XName) -> Option<&'static Trans> {
        self.states_of(ty)
            .flat_map(|s| self.transitions(s))
            .find(|t| !t.wildcard && t.ns == x.ns && t.name == x.name)
    }

    /// How the transitions are written: `<A> or <B>`.
    fn names_of(&self, trans: &[&Trans]) -> String {
        let mut names: Vec<String> = Vec::new();
        for t in trans {
            let n = if t.wildcard {
                "an element of another namespace".to_string()
            } else {
                format!("<{}>", self.display(t.id))
            };
            if !names.contains(&n) {
                names.push(n);
            }
        }
        names.join(" or ")
    }

    /// True when simple type `id` takes any text (a string type without
    /// enumeration or pattern): nothing to check or remember.
    fn any_text(&self, id: u16) -> bool {
        let s = &self.simple[usize::from(id)];
        s.steps.1 == 0
            && matches!(
                s.builtin,
                Builtin::String | Builtin::AnySimpleType | Builtin::AnyUri
            )
    }

    /// Checks `raw` against simple type `id`.
    fn valid(&self, id: u16, raw: &str) -> Result<(), Invalid> {
        let s = &self.simple[usize::from(id)];
        let v = match s.ws {
            Ws::Preserve => Cow::Borrowed(raw),
            Ws::Collapse => collapse(raw),
        };
        if s.builtin == Builtin::Union {
            let (from, len) = s.members;
            let members = &self.members[usize::from(from)..usize::from(from + len)];
            if !members.iter().any(|m| self.valid(*m, raw).is_ok()) {
                return Err(Invalid::Syntax(s.name));
            }
        } else if !xs::lexical(s.builtin, &v) {
            return Err(Invalid::Syntax(s.builtin.name()));
        }
        let (from, len) = s.steps;
        for step in &self.steps[usize::from(from)..usize::from(from + len)] {
            if !step.enums.is_empty() && !step.enums.contains(&&*v) {
                return Err(Invalid::Enumeration(s.name, step.enums));
            }
            if !step.patterns.is_empty() && !step.patterns.iter().any(|p| p.matches(&v)) {
                return Err(Invalid::Pattern(s.name, step.patterns[0].source));
            }
        }
        Ok(())
    }

    /// The built-in type at the root of simple type `id` (for help).
    fn builtin(&self, id: u16) -> Builtin {
        let s = &self.simple[usize::from(id)];
        if s.builtin == Builtin::Union {
            let first = self.members.get(usize::from(s.members.0)).copied();
            return first.map_or(Builtin::String, |m| self.builtin(m));
        }
        s.builtin
    }
}

/// Why a value is not valid.
enum Invalid {
    /// Not in the lexical space of the named type.
    Syntax(&'static str),
    /// Not one of the type's values.
    Enumeration(&'static str, &'static [&'static str]),
    /// Not matching the type's pattern.
    Pattern(&'static str, &'static str),
}

/// `raw` with whitespace collapsed (borrowed when it already is).
fn collapse(raw: &str) -> Cow<'_, str> {
    let b = raw.as_bytes();
    // Most values hold no space or control character at all.
    if b.iter().all(|c| *c > b' ') {
        return Cow::Borrowed(raw);
    }
    let plain = !b.first().is_some_and(|c| is_ws(*c))
        && !b.last().is_some_and(|c| is_ws(*c))
        && !b
            .iter()
            .enumerate()
            .any(|(i, c)| is_ws(*c) && (*c != b' ' || b.get(i + 1) == Some(&b' ')));
    if plain {
        return Cow::Borrowed(raw);
    }
    Cow::Owned(raw.split_ascii_whitespace().collect::<Vec<_>>().join(" "))
}

impl<'a> Parser<'a> {
    /// An element opens: matches it (`x`, written `qname`, start tag at
    /// `tag`) against its parent's content model and says how to check it.
    pub(super) fn xsd_open(&mut self, qname: &'a str, x: XName, tag: (usize, usize)) -> XFrame {
        let Some(schema) = self.xsd.schema else {
            return XFrame::SKIP;
        };
        let depth = self.stack.len();
        let Some(parent) = self.stack.last_mut() else {
            return schema.global(x).map_or(XFrame::SKIP, |g| schema.frame(g));
        };
        let p = parent.x;
        match p.check {
            Check::Skip | Check::Open => return XFrame::SKIP,
            Check::Simple => {
                let ty = schema.types[usize::from(p.ty)].name;
                let message = format!(
                    "<{qname}> is inside <{}>, whose type {ty} holds only text",
                    parent.qname
                );
                let help = format!("move <{qname}> out of <{}>", parent.qname);
                self.xsd_note(XsdKind::UnknownElement, tag, None, message, Some(help));
                return XFrame::SKIP;
            }
            Check::Elements => {}
        }
        if let Some(t) = schema.step(p.state, x) {
            parent.x.state = t.to;
            if !t.wildcard {
                parent.x.last = t.id;
                return schema.frame(t.id);
            }
            return self.xsd_wildcard(schema, t, qname, x, tag, depth - 1);
        }
        self.xsd_unexpected(schema, qname, x, tag, depth - 1)
    }

    /// An element matched wildcard `t` of the element at `parent`.
    fn xsd_wildcard(
        &mut self,
        schema: &'static Schema,
        t: &Trans,
        qname: &str,
        x: XName,
        tag: (usize, usize),
        parent: usize,
    ) -> XFrame {
        let w = &schema.wildcards[usize::from(t.id)];
        if w.process == Process::Skip {
            return XFrame::SKIP;
        }
        if let Some(g) = schema.global(x) {
            return schema.frame(g);
        }
        // No declaration: lax skips it; strict needs one.
        if w.process == Process::Lax || x.ns == MDMEC {
            return XFrame::SKIP;
        }
        let p = &self.stack[parent];
        let version = schema.version;
        if matches!(x.ns, AVAILS | MD | DS) {
            let message = format!(
                "<{qname}> is not declared by the avails {version} schema (or the md schema it imports); the schema allows an element of another namespace in <{}> only when it is declared",
                p.qname
            );
            let help = "remove it, or check its name and namespace".to_string();
            self.xsd_note(XsdKind::UnknownElement, tag, None, message, Some(help));
        } else {
            let message = format!(
                "<{qname}> is in a namespace availcheck has no schema for; the avails {version} schema allows it in <{}> only if a schema declares it, so a validator without that schema rejects it",
                p.qname
            );
            let help = "make sure the recipient has the extension's schema, or remove the element"
                .to_string();
            self.xsd_note(XsdKind::NoSchema, tag, None, message, Some(help));
        }
        XFrame::SKIP
    }

    /// An element that its parent's content model does not take here.
    fn xsd_unexpected(
        &mut self,
        schema: &'static Schema,
        qname: &str,
        x: XName,
        tag: (usize, usize),
        parent: usize,
    ) -> XFrame {
        let p = self.stack[parent].x;
        let pname = self.stack[parent].qname;
        let version = schema.version;
        // Later in the model: the required children in between are missing.
        if let Some(way) = schema.way(p.ty, p.state, |s| schema.step(s, x).is_some()) {
            let mut at = p.state;
            for alts in way {
                at = alts[0].to;
                self.xsd.missing.push(Missing {
                    depth: parent,
                    decls: alts.iter().filter(|t| !t.wildcard).map(|t| t.id).collect(),
                });
            }
            let t = schema.step(at, x).expect("the way ends where x is taken");
            self.stack[parent].x.state = t.to;
            if t.wildcard {
                return self.xsd_wildcard(schema, t, qname, x, tag, parent);
            }
            self.stack[parent].x.last = t.id;
            return schema.frame(t.id);
        }
        let order = schema.types[usize::from(p.ty)].order;
        if let Some(t) = schema.anywhere(p.ty, x) {
            // A child of the type, out of place: no longer missing.
            self.xsd.missing.retain(|m| {
                m.depth != parent
                    || !m.decls.iter().any(|d| {
                        let e = &schema.elements[usize::from(*d)];
                        e.ns == x.ns && e.name == x.name
                    })
            });
            let help = format!(
                "order the children of <{pname}> as in the avails {version} schema: {}",
                order.join(", ")
            );
            let last = (p.last != NONE).then(|| schema.display(p.last));
            let local = schema.display(t.id);
            let (kind, message) = match last {
                Some(last) if last == local => (
                    XsdKind::Repeated,
                    format!(
                        "<{qname}> appears twice in <{pname}>; the avails {version} schema allows one here"
                    ),
                ),
                Some(last)
                    if order.iter().position(|n| *n == local)
                        < order.iter().position(|n| *n == last) =>
                {
                    (
                        XsdKind::Order,
                        format!(
                            "<{qname}> comes after <{last}>; in <{pname}> the avails {version} schema puts <{local}> before <{last}>"
                        ),
                    )
                }
                last => {
                    let next: Vec<&Trans> = schema.transitions(p.state).iter().collect();
                    let expected = if next.is_empty() {
                        format!("nothing more in <{pname}>")
                    } else {
                        schema.names_of(&next)
                    };
                    let after = last.map(|l| format!(" after <{l}>")).unwrap_or_default();
                    (
                        XsdKind::Order,
                        format!(
                            "<{qname}> is not allowed{after} in <{pname}>; the avails {version} schema expects {expected} there"
                        ),
                    )
                }
            };
            self.xsd_note(kind, tag, None, message, Some(help));
            return schema.frame(t.id);
        }
        // Not a child of the type: another namespace, or another name.
        let same_local = schema
            .states_of(p.ty)
            .flat_map(|s| schema.transitions(s))
            .find(|t| !t.wildcard && t.name == x.name && x.name != NO_NAME);
        let unread = matches!(x.ns, FOREIGN | NO_NS) || x.ns == DS;
        if let Some(t) = same_local {
            let expected = schema.display(t.id);
            let uri = schema.namespace(schema.elements[usize::from(t.id)].ns);
            let found = match x.ns {
                NO_NS => "no namespace".to_string(),
                AVAILS => "the avails namespace".to_string(),
                MD => "the md namespace".to_string(),
                _ => "another namespace".to_string(),
            };
            let unread_note = if unread {
                "; availcheck did not read it or its content"
            } else {
                ""
            };
            let message = format!(
                "<{qname}> is in {found}, where the avails {version} schema has <{expected}> in the namespace `{uri}`{unread_note}"
            );
            let help = format!(
                "write it as <{expected}> with that namespace (declare it, e.g. xmlns{}=\"{uri}\")",
                match schema.elements[usize::from(t.id)].ns {
                    AVAILS => ":avails",
                    MD => ":md",
                    _ => "",
                }
            );
            self.xsd_note(XsdKind::UnknownElement, tag, None, message, Some(help));
            // Taken as the element it was meant to be, so that it is not
            // also missing; its content is not checked.
            if let Some(t) = schema.step(
                p.state,
                XName {
                    ns: schema.elements[usize::from(t.id)].ns,
                    name: x.name,
                },
            ) {
                self.stack[parent].x.state = t.to;
                self.stack[parent].x.last = t.id;
            }
            return XFrame::SKIP;
        }
        let local = qname.rsplit(':').next().unwrap_or(qname);
        let similar = order.iter().find(|n| {
            n.rsplit(':')
                .next()
                .is_some_and(|l| l.eq_ignore_ascii_case(local))
        });
        let help = match similar {
            Some(n) => format!("did you mean <{n}>? (names are case-sensitive)"),
            None if order.is_empty() => format!("<{pname}> has no child elements"),
            None => format!("the children of <{pname}> are: {}", order.join(", ")),
        };
        let message =
            format!("<{qname}> is not an element of <{pname}> in the avails {version} schema");
        self.xsd_note(XsdKind::UnknownElement, tag, None, message, Some(help));
        XFrame::SKIP
    }

    /// Checks the attributes of `frame` (read into `frame.attrs`).
    pub(super) fn xsd_attrs(&mut self, frame: &Frame<'a>, names: &mut Namespaces<'a>) {
        let Some(schema) = self.xsd.schema else {
            return;
        };
        let ty = &schema.types[usize::from(frame.x.ty)];
        let decls = &schema.attrs[usize::from(ty.attrs.0)..usize::from(ty.attrs.0 + ty.attrs.1)];
        let mut seen = 0u64;
        let version = schema.version;
        for a in &frame.attrs {
            if a.key == "xmlns" || a.key.starts_with("xmlns:") {
                continue;
            }
            if a.key.contains(':') {
                if names.uri(a.key) == Ok("http://www.w3.org/2001/XMLSchema-instance") {
                    continue;
                }
            } else if let Some(i) = decls.iter().position(|d| d.name == a.key) {
                seen |= 1 << i;
                let d = &decls[i];
                let problem = match d.fixed {
                    Some(f) if collapse(&a.value) != collapse(f) => Some((
                        XsdKind::Enumeration,
                        format!(
                            "attribute `{}` of <{}> is `{}`; the avails {version} schema fixes it to `{f}`",
                            a.key, frame.qname, a.value
                        ),
                        format!("write {}=\"{f}\"", a.key),
                    )),
                    _ => schema.valid(d.simple, &a.value).err().map(|e| {
                        let (kind, why) = describe(&e);
                        (
                            kind,
                            format!(
                                "attribute `{}` of <{}>: `{}` {why}",
                                a.key, frame.qname, a.value
                            ),
                            help_for(schema, d.simple, &e),
                        )
                    }),
                };
                if let Some((kind, message, help)) = problem {
                    let pos = frame.attr_pos(self.input, a);
                    self.xsd_note_at(
                        kind,
                        pos,
                        None,
                        Some(a.value.to_string()),
                        message,
                        Some(help),
                    );
                }
                continue;
            }
            let similar = decls.iter().find(|d| d.name.eq_ignore_ascii_case(&a.name));
            let help = match similar {
                Some(d) => format!("did you mean `{}`? (names are case-sensitive)", d.name),
                None if decls.is_empty() => {
                    format!("<{}> takes no attributes; remove it", frame.qname)
                }
                None => format!(
                    "the attributes of <{}> are: {}",
                    frame.qname,
                    decls.iter().map(|d| d.name).collect::<Vec<_>>().join(", ")
                ),
            };
            let message = format!(
                "<{}> has an attribute `{}` that the avails {version} schema does not declare",
                frame.qname, a.key
            );
            let pos = frame.attr_pos(self.input, a);
            self.xsd_note_at(
                XsdKind::UnknownAttribute,
                pos,
                None,
                None,
                message,
                Some(help),
            );
        }
        self.xsd_required_attrs(frame, seen);
    }

    /// Notes each required attribute of `frame` not in `seen` (a bit per
    /// attribute of its type). Inlined: asked of most elements, it finds
    /// nothing missing in almost all.
    #[inline]
    pub(super) fn xsd_required_attrs(&mut self, frame: &Frame<'a>, seen: u64) {
        let Some(schema) = self.xsd.schema else {
            return;
        };
        let missing = schema.types[usize::from(frame.x.ty)].required & !seen;
        if missing != 0 {
            self.xsd_missing_attrs(schema, frame, missing);
        }
    }

    /// Notes the attributes of `frame` in `missing` (a bit per attribute of
    /// its type).
    #[cold]
    fn xsd_missing_attrs(&mut self, schema: &'static Schema, frame: &Frame<'a>, missing: u64) {
        let ty = &schema.types[usize::from(frame.x.ty)];
        for i in 0..ty.attrs.1 {
            if missing & (1 << i) != 0 {
                let name = schema.attrs[usize::from(ty.attrs.0 + i)].name;
                let message = format!(
                    "<{}> has no {name} attribute; the avails {} schema requires it",
                    frame.qname, schema.version
                );
                let help = format!("add {name}=\"…\" to <{}>", frame.qname);
                self.xsd_note(
                    XsdKind::MissingAttribute,
                    frame.tag,
                    None,
                    message,
                    Some(help),
                );
            }
        }
    }

    /// True when the XSD check accepts `frame` empty (or does not check its
    /// text).
    pub(super) fn xsd_accepts_empty(&self, frame: &Frame<'a>) -> bool {
        let Some(schema) = self.xsd.schema.filter(|_| frame.x.check == Check::Simple) else {
            return true;
        };
        let decl = &schema.elements[usize::from(frame.x.decl)];
        let simple = schema.types[usize::from(frame.x.ty)].simple;
        decl.default.is_some() || decl.fixed.is_some() || schema.valid(simple, "").is_ok()
    }

    /// True when the XSD check does not look inside `frame`.
    pub(super) fn xsd_open_content(&self, frame: &Frame<'a>) -> bool {
        matches!(frame.x.check, Check::Open | Check::Skip)
    }

    /// True when the open element `frame` takes no text but whitespace.
    pub(super) fn xsd_element_only(frame: &Frame<'_>) -> bool {
        frame.x.check == Check::Elements
    }

    /// Text at `span` (not whitespace) inside an element that holds only
    /// elements.
    pub(super) fn xsd_stray_text(&mut self, span: (usize, usize)) {
        let Some(schema) = self.xsd.schema else {
            return;
        };
        let Some(frame) = self.stack.last() else {
            return;
        };
        let raw = &self.text[span.0.min(self.text.len())..span.1.min(self.text.len())];
        let trimmed = raw.trim_matches(|c: char| c.is_ascii() && is_ws(c as u8));
        let start = span.0 + (raw.len() - raw.trim_start().len());
        let shown: String = trimmed.chars().take(40).collect();
        let message = format!(
            "<{}> holds text `{shown}`; its type {} holds only elements",
            frame.qname,
            schema.types[usize::from(frame.x.ty)].name
        );
        let help = format!(
            "remove the text, or put it in the child element it belongs to (the children of <{}> are: {})",
            frame.qname,
            schema.types[usize::from(frame.x.ty)].order.join(", ")
        );
        let value = Some(trimmed.to_string());
        self.xsd_note(
            XsdKind::Text,
            (start, start + trimmed.len()),
            value,
            message,
            Some(help),
        );
    }

    /// An element closes: checks its text, or that its content is complete.
    pub(super) fn xsd_close(&mut self, frame: &Frame<'a>) {
        let Some(schema) = self.xsd.schema else {
            return;
        };
        let x = frame.x;
        match x.check {
            Check::Skip | Check::Open => {}
            Check::Simple => self.xsd_value(schema, frame),
            Check::Elements => {
                if !frame.has_child
                    && let Some(span) = frame.text_span
                {
                    self.xsd_stray_text(span);
                }
                let depth = self.stack.len();
                let pending: Vec<Missing> = if self.xsd.missing.iter().any(|m| m.depth == depth) {
                    let (mine, rest) = std::mem::take(&mut self.xsd.missing)
                        .into_iter()
                        .partition(|m| m.depth == depth);
                    self.xsd.missing = rest;
                    mine
                } else {
                    Vec::new()
                };
                for m in pending {
                    let trans: Vec<&Trans> = schema
                        .states_of(x.ty)
                        .flat_map(|s| schema.transitions(s))
                        .filter(|t| !t.wildcard && m.decls.contains(&t.id))
                        .collect();
                    self.xsd_missing(schema, frame, &trans);
                }
                if !schema.states[x.state as usize].accepting {
                    let way = schema
                        .way(x.ty, x.state, |s| schema.states[s as usize].accepting)
                        .unwrap_or_default();
                    for alts in way {
                        self.xsd_missing(schema, frame, &alts);
                    }
                }
            }
        }
    }

    /// Notes `frame` lacking a child: one of `trans`.
    fn xsd_missing(&mut self, schema: &Schema, frame: &Frame<'a>, trans: &[&Trans]) {
        let names = schema.names_of(trans);
        let message = format!(
            "<{}> has no {names}; the avails {} schema requires it",
            frame.qname, schema.version
        );
        let first = names.split(" or ").next().unwrap_or(&names);
        let help = format!("add {first} to <{}>", frame.qname);
        // The field the (first) missing child is read into.
        let field = trans.iter().find(|t| !t.wildcard).and_then(|t| {
            let child = N::of(schema.names[usize::from(schema.elements[usize::from(t.id)].name)]);
            map::field_of(child, frame.name)
        });
        let pos = XmlPos::at(frame.tag);
        self.xsd_note_at(
            XsdKind::MissingElement,
            pos,
            field,
            None,
            message,
            Some(help),
        );
    }

    /// Checks the text of a closing element of simple content.
    fn xsd_value(&mut self, schema: &'static Schema, frame: &Frame<'a>) {
        let decl = &schema.elements[usize::from(frame.x.decl)];
        let simple = schema.types[usize::from(frame.x.ty)].simple;
        let raw: &str = &frame.text;
        // An empty element takes its default or fixed value.
        let raw = match (raw.is_empty(), decl.fixed.or(decl.default)) {
            (true, Some(d)) => d,
            _ => raw,
        };
        let problem = match decl.fixed {
            None if self.xsd.known_valid(schema, simple, raw) => None,
            Some(f) if schema.valid(simple, raw).is_ok() && !same_value(schema, simple, raw, f) => {
                Some((
                    XsdKind::Enumeration,
                    format!(
                        "<{}> `{}` is not `{f}`, the value the avails {} schema fixes",
                        frame.qname,
                        raw.trim(),
                        schema.version
                    ),
                    format!("write {f}"),
                ))
            }
            _ => schema.valid(simple, raw).err().map(|e| {
                let (kind, why) = describe(&e);
                let message = if raw.trim().is_empty() && kind == XsdKind::Syntax {
                    format!(
                        "<{}> is empty; the avails {} schema requires {}",
                        frame.qname,
                        schema.version,
                        article(schema.builtin(simple).name())
                    )
                } else {
                    format!("<{}> `{}` {why}", frame.qname, raw.trim())
                };
                (kind, message, help_for(schema, simple, &e))
            }),
        };
        if let Some((kind, message, help)) = problem {
            let value = raw.trim();
            let span = frame
                .text_span
                .filter(|_| !value.is_empty())
                .unwrap_or(frame.tag);
            let parent = self.stack.last().map_or(N::Blank, |p| p.name);
            let field = map::field_of(frame.name, parent);
            let pos = XmlPos::at(span);
            self.xsd_note_at(
                kind,
                pos,
                field,
                Some(value.to_string()),
                message,
                Some(help),
            );
        }
    }

    /// Notes `ns_uri` (of the element at `tag`) once when it is an md or
    /// mdmec namespace of another version than the document's avails one.
    pub(super) fn xsd_namespace_version(&mut self, qname: &str, ns_uri: &str, tag: (usize, usize)) {
        let Some(schema) = self.xsd.schema else {
            return;
        };
        if self.xsd.reported.iter().any(|r| r == ns_uri) {
            return;
        }
        self.xsd.reported.push(ns_uri.to_string());
        let (family, own) = if ns_uri.contains("/schema/mdmec/") {
            ("mdmec", schema.namespaces[MDMEC as usize])
        } else {
            ("md", schema.namespaces[MD as usize])
        };
        let message = format!(
            "<{qname}> is in the {family} namespace `{ns_uri}`, but avails {} imports {family} `{own}`; its elements are checked as that version's",
            schema.version
        );
        let help = format!("declare xmlns:{family}=\"{own}\"");
        self.xsd_note(
            XsdKind::MdVersion,
            tag,
            Some(ns_uri.to_string()),
            message,
            Some(help),
        );
    }

    fn xsd_note(
        &mut self,
        kind: XsdKind,
        span: (usize, usize),
        value: Option<String>,
        message: String,
        help: Option<String>,
    ) {
        let pos = XmlPos::at(span);
        self.xsd_note_at(kind, pos, None, value, message, help);
    }

    fn xsd_note_at(
        &mut self,
        kind: XsdKind,
        pos: XmlPos,
        field: Option<Field>,
        value: Option<String>,
        message: String,
        help: Option<String>,
    ) {
        let location = self.location(pos, field, value);
        self.notes.push(Note {
            kind: NoteKind::Xsd(kind),
            location,
            message,
            help,
        });
    }
}

/// True when `a` and `b` are the same value of simple type `id` (booleans
/// by value, anything else as written after whitespace handling).
fn same_value(schema: &Schema, id: u16, a: &str, b: &str) -> bool {
    if schema.builtin(id) == Builtin::Boolean {
        return xs::boolean(a) == xs::boolean(b);
    }
    collapse(a) == collapse(b)
}

/// The kind of finding and how the message goes on after the value.
fn describe(e: &Invalid) -> (XsdKind, String) {
    match e {
        Invalid::Syntax(t) => (XsdKind::Syntax, format!("is not {}", article(t))),
        Invalid::Enumeration(t, values) => {
            let shown: Vec<&str> = values.iter().take(12).copied().collect();
            let more = if values.len() > shown.len() {
                ", …"
            } else {
                ""
            };
            (
                XsdKind::Enumeration,
                format!("is not a value of {t} ({}{more})", shown.join(", ")),
            )
        }
        Invalid::Pattern(t, p) => (
            XsdKind::Pattern,
            format!("does not match the pattern `{p}` of {t}"),
        ),
    }
}

/// What to do about invalid value `e` of simple type `id`.
fn help_for(schema: &Schema, id: u16, e: &Invalid) -> String {
    match e {
        Invalid::Syntax(_) => schema.builtin(id).help().to_string(),
        Invalid::Enumeration(..) => "write one of the listed values, spelt exactly".into(),
        Invalid::Pattern(_, p) => format!("write a value matching `{p}` (all of the value)"),
    }
}

/// `an xs:dateTime`, `an md:…` (said "ex-ess", "em-dee"), `a ds:…`.
fn article(t: &str) -> String {
    let a = if t.starts_with("ds:") { "a" } else { "an" };
    format!("{a} {t}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_version_has_tables() {
        let versions: Vec<&str> = SCHEMAS.iter().map(|s| s.version).collect();
        assert_eq!(
            versions,
            [
                "2.1", "2.2", "2.2.1", "2.2.2", "2.3", "2.4", "2.5", "2.5.2", "2.6", "2.6.1", "2.7"
            ]
        );
        let s = Schema::of(TemplateVersion::Xml(3, 0));
        assert_eq!(
            s.namespaces[MD as usize],
            "http://www.movielabs.com/schema/md/v2.6/md"
        );
        assert_eq!(Schema::of(TemplateVersion::Xml(5, 1)).version, "2.5");
    }

    #[test]
    fn patterns_match_as_anchored_regexes() {
        let mut seen = 0;
        let alphabet = [
            "A",
            "Z",
            "a",
            "0",
            "9",
            "-",
            ":",
            ".",
            " ",
            "pattern: ",
            "é",
            "US",
            "123",
        ];
        let mut seed = 0x5eed_u32;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            seed as usize
        };
        for schema in SCHEMAS {
            for step in schema.steps {
                for p in step.patterns {
                    seen += 1;
                    let re = regex::Regex::new(&format!("^(?:{})$", p.source)).unwrap();
                    for _ in 0..3000 {
                        let v: String = (0..next() % 8)
                            .map(|_| alphabet[next() % alphabet.len()])
                            .collect();
                        assert_eq!(p.matches(&v), re.is_match(&v), "{} on {v:?}", p.source);
                    }
                }
            }
        }
        assert!(seen > 10);
    }

    #[test]
    fn simple_values() {
        let s = Schema::of(TemplateVersion::Xml(3, 0));
        let id = |name: &str| {
            s.simple
                .iter()
                .position(|t| t.name == name)
                .unwrap_or_else(|| panic!("{name}")) as u16
        };
        let country = id("md:string-Region-country");
        assert!(s.valid(country, "US").is_ok());
        assert!(matches!(s.valid(country, "usa"), Err(Invalid::Pattern(..))));
        assert!(matches!(s.valid(country, " US"), Err(Invalid::Pattern(..))));
        let date_time = id("xs:dateTime");
        assert!(s.valid(date_time, " 2026-01-01T00:00:00\n").is_ok());
        assert!(matches!(
            s.valid(date_time, "2026-01-01"),
            Err(Invalid::Syntax(_))
        ));
        assert_eq!(collapse(" a \n b "), "a b");
        assert!(matches!(collapse("a b"), Cow::Borrowed(_)));
        assert!(matches!(collapse("a\tb"), Cow::Owned(_)));
        // A type that takes any text takes these too.
        let any: Vec<u16> = (0..s.simple.len() as u16)
            .filter(|t| s.any_text(*t))
            .collect();
        assert!(!any.is_empty());
        for t in any {
            for v in ["", " a\tb ", "2026-13-45", "<&>"] {
                assert!(
                    s.valid(t, v).is_ok(),
                    "{} {v:?}",
                    s.simple[usize::from(t)].name
                );
            }
        }
        // Remembered values answer by type: a value valid for one type is
        // still checked for another, and invalid ones are never remembered.
        let mut x = Xsd::default();
        for _ in 0..2 {
            assert!(x.known_valid(s, country, "US"));
            assert!(!x.known_valid(s, date_time, "US"));
            assert!(!x.known_valid(s, country, "usa"));
            assert!(x.known_valid(s, date_time, "2026-01-01T00:00:00"));
        }
    }
}
