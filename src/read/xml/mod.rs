//! Avails XML reader (MovieLabs avails schema 2.1 … 2.7).
//!
//! A streaming quick-xml reader: no tree of the whole document is built. Each
//! `Transaction` of each `Avail` becomes one [`Avail`](crate::model::Avail) row whose cells carry
//! the EMA spreadsheet field names (`ALID`, `Territory`, `Start`, ...), so
//! every rule works on XML unchanged (mapping: ema-avails-format.md §2.3).
//! The document is checked against its version's XSD as it streams
//! (`xsd`): every element, attribute and value, each problem a
//! [`NoteKind::Xsd`] note; what the reader needs beyond the XSD (values
//! the XSD lets be empty) a [`NoteKind::XmlStructure`] note. Neither stops
//! reading.
//!
//! Hostile input is refused, never expanded: a DOCTYPE declaring entities,
//! undefined entity references, nesting deeper than [`MAX_DEPTH`], invalid
//! UTF-8 and truncated files are [`ReadError::Xml`] with the line.
//!
//! This file holds [`read`] and the event loop; `names` resolves element
//! names, `attrs` reads attributes, `map` says where each field comes from
//! (`named` for its stateful cases), `xsd` checks the document against the
//! XSD tables (`xs` the built-in types' syntax), `schema` holds what the
//! reader requires beyond the XSDs, and `rows` assembles the rows.

mod attrs;
mod map;
mod named;
mod names;
mod rows;
mod schema;
mod xs;
mod xsd;

use std::borrow::Cow;
use std::sync::Arc;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use self::attrs::{Attr, plain_attrs};
use self::named::Pending;
use self::names::{Element, N, Namespaces, Ns, local_name};
use self::rows::{AvailAcc, Spare, TransAcc, Values};
use self::xsd::{XFrame, Xsd};
use super::text::{Invalid, decode_strict};
use super::{Note, NoteKind, ReadError, ReadOptions, ReadOutput, RowCollector, SheetRows};
use crate::model::avail::{SheetSource, XmlPos};
use crate::model::{
    Field, Location, SheetInfo, SheetKind, SourceKind, SourceText, TemplateVersion,
};

/// Deepest element nesting accepted (Avails documents need about 10).
pub const MAX_DEPTH: usize = 256;

/// Namespace URI prefix of every avails schema version.
const AVAILS_NS: &str = "http://www.movielabs.com/schema/avails/v";

/// Reads an Avails XML document (bytes handed over as a `Vec` are not
/// copied: valid UTF-8 becomes the document's text as it is).
pub fn read(
    bytes: impl Into<Vec<u8>>,
    file: &str,
    file_index: usize,
    opts: &ReadOptions,
) -> Result<ReadOutput, ReadError> {
    let decoded = decode_strict(bytes.into()).map_err(decode_error)?;
    let source = Arc::new(SourceText::new(decoded.text));
    let text = source.text();
    let mut parser = Parser {
        file,
        file_index,
        opts,
        text,
        source: &source,
        input: text.as_bytes(),
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
        attr_spare: Vec::new(),
        line_mark: (0, 1),
        xsd: Xsd::default(),
        trees: Vec::new(),
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
    let notes = parser.notes;
    let avails = parser.trees;
    Ok(ReadOutput {
        source: SourceKind::Xml,
        sheets,
        notes,
        // Positions in a UTF-16 file are in its decoded text, not in the
        // file; reports have never shown its lines, and still do not.
        text: (!decoded.utf16).then_some(source),
        avails,
    })
}

/// Why the bytes are not a document, with where.
fn decode_error(e: Invalid) -> ReadError {
    match e {
        Invalid::Utf16 { line } => ReadError::Xml {
            line,
            col: 1,
            message: "is not valid UTF-16 (unpaired surrogate); save the XML as UTF-8".into(),
        },
        Invalid::Utf8 { bytes, at } => {
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
            ReadError::Xml {
                line,
                col,
                message: format!(
                    "is not valid UTF-8: byte 0x{:02X} at offset {at}{hint}; save the XML as UTF-8",
                    bytes[at]
                ),
            }
        }
    }
}

/// The `encoding` of an XML declaration at the start of `head`.
fn declared_encoding(head: &[u8]) -> Option<String> {
    let head = String::from_utf8_lossy(head);
    let i = head.find("encoding")?;
    let rest = head[i + 8..].trim_start().strip_prefix('=')?.trim_start();
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let body = &rest[1..];
    Some(body[..body.find(quote)?].to_string())
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
    /// A bit per entry of `schema::OPEN_CHILDREN` seen as its child.
    kids: u8,
    /// Its XSD check state.
    x: XFrame,
    attrs: Vec<Attr<'a>>,
}

const _: () = assert!(size_of::<Frame<'static>>() <= 128);

struct Parser<'a> {
    file: &'a str,
    file_index: usize,
    opts: &'a ReadOptions,
    /// The whole document; events borrow from it.
    text: &'a str,
    /// The same, shared with the rows' sheets (their positions' lines).
    source: &'a Arc<SourceText>,
    input: &'a [u8],
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
    /// Emptied row vectors kept for reuse.
    spare: Spare,
    /// Emptied attribute vectors kept for reuse.
    attr_spare: Vec<Vec<Attr<'a>>>,
    /// The XSD check.
    xsd: Xsd,
    /// The parts of each Avail read (`rows.rs`).
    trees: Vec<crate::model::structure::AvailTree>,
    /// The last Transaction's start and line: the next one's line is
    /// counted on from there.
    line_mark: (usize, u32),
}

fn xml_error(source: &SourceText, offset: usize, message: String) -> ReadError {
    let (line, col) = source.line_col(offset);
    ReadError::Xml { line, col, message }
}

fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// `part` with the lifetime of `whole` when it is a slice of it (events
/// borrow the input), else `None`.
fn lift<'a>(whole: &'a str, part: &str) -> Option<&'a str> {
    let start = (part.as_ptr() as usize).checked_sub(whole.as_ptr() as usize)?;
    whole.get(start..start.checked_add(part.len())?)
}

/// `text` without leading and trailing whitespace, still borrowed if it was.
#[inline]
fn trimmed<'a>(text: &Cow<'a, str>) -> Cow<'a, str> {
    match text {
        Cow::Borrowed(s) => Cow::Borrowed(trim(s)),
        Cow::Owned(s) => Cow::Owned(trim(s).to_owned()),
    }
}

/// [`str::trim`], quick for the usual value that starts and ends with a
/// visible ASCII character.
#[inline]
fn trim(text: &str) -> &str {
    let visible = |b: Option<&u8>| b.is_some_and(u8::is_ascii_graphic);
    if visible(text.as_bytes().first()) && visible(text.as_bytes().last()) {
        text
    } else {
        text.trim()
    }
}

impl<'a> Parser<'a> {
    fn err(&self, offset: usize, message: impl Into<String>) -> ReadError {
        xml_error(self.source, offset, message.into())
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
            // Turned on only after a child element closes, or an element
            // that holds only elements opens (below): the blank text that
            // follows is never kept, and quick-xml skips it without an
            // event. A value's own leading blanks stay.
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
            // Other markup after skipped blanks starts after them (a start
            // tag finds its `<` in `start`; text keeps the span it had).
            let before = match &event {
                Event::Comment(_) | Event::CData(_) | Event::PI(_) | Event::GeneralRef(_)
                    if reader.config().trim_text_start =>
                {
                    let blanks = &self.input[before.min(after)..after];
                    before + blanks.iter().take_while(|b| is_ws(**b)).count()
                }
                _ => before,
            };
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
                    let empty = matches!(event, Event::Empty(_));
                    if empty {
                        self.end(after)?;
                        names.close(depth);
                    }
                    reader.config_mut().trim_text_start =
                        empty || self.stack.last().is_some_and(Self::xsd_element_only);
                }
                Event::End(_) => {
                    self.end(after)?;
                    names.close(self.stack.len());
                    reader.config_mut().trim_text_start = true;
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
                Event::Text(t) => {
                    if self.stray(t.as_bytes()) {
                        self.xsd_stray_text((before, after));
                    }
                }
                Event::CData(c) => {
                    if self.stray(c.as_bytes()) {
                        self.xsd_stray_text((before, after));
                    }
                }
                Event::GeneralRef(r) => {
                    if self.stray(b"&") {
                        self.xsd_stray_text((before, after));
                    }
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
            let (line, _) = self.source.line_col(open.tag.0);
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

    /// Whether `text`, dropped, is text the open element's type does not
    /// allow (any but whitespace after its first child, where it holds
    /// only elements).
    fn stray(&self, text: &[u8]) -> bool {
        self.stack
            .last()
            .is_some_and(|f| f.has_child && Self::xsd_element_only(f))
            && !text.iter().all(|b| is_ws(*b))
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
        // Events borrow the document, so the name always lifts. The tag
        // starts at the `<` just before it (`tag.0` is before any blanks
        // quick-xml skipped).
        let (qname, tag) = match lift(self.text, e.name().0) {
            Some(q) => (
                q,
                (q.as_ptr() as usize - self.text.as_ptr() as usize - 1, tag.1),
            ),
            None => ("", tag),
        };
        let Element { name, ns, x } = match names.element(qname) {
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
        // Text before the first child, in an element that holds elements only.
        if let Some(p) = self
            .stack
            .last()
            .filter(|p| !p.has_child && p.text_span.is_some())
            && Self::xsd_element_only(p)
            && let Some(span) = p.text_span
        {
            self.xsd_stray_text(span);
        }
        let x = self.xsd_open(qname, x, tag);
        let mut attrs = Vec::new();
        let has_attrs = !e.attributes_raw().is_empty();
        let checked = x.check != xsd::Check::Skip && x.check != xsd::Check::Open;
        // Attributes are read from checked elements and the few the mapping
        // reads (and most tags have none).
        let mapped = ns != Ns::Other && self.other_depth == 0 && map::reads_attributes(name);
        if has_attrs && (checked || mapped) {
            attrs = self.attr_spare.pop().unwrap_or_default();
            let plain =
                lift(self.text, e.attributes_raw()).is_some_and(|raw| plain_attrs(raw, &mut attrs));
            if !plain {
                attrs.clear();
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
            kids: 0,
            x,
            attrs,
        };
        if checked && has_attrs {
            self.xsd_attrs(&frame, names);
        } else if checked {
            self.xsd_required_attrs(&frame, 0);
        }
        if ns == Ns::Other || self.other_depth > 0 {
            self.other_depth += 1;
            self.stack.push(frame);
            return Ok(());
        }
        self.on_start(&frame);
        self.stack.push(frame);
        Ok(())
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
        let x = match self.xsd.schema {
            Some(schema) => {
                let (x, other_version) = schema.xname(self.avails_ns.as_deref(), ns_uri, local);
                if other_version {
                    self.xsd_namespace_version(qname, ns_uri, tag);
                }
                x
            }
            None => xsd::XName {
                ns: xsd::FOREIGN,
                name: xsd::NO_NAME,
            },
        };
        Ok(Element { name, ns, x })
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
        // The XSD is the namespace's (whatever version the rows are read
        // as) when availcheck has it, else the version's.
        let xsd_version = match &from_ns {
            Some((_, Ok(v @ TemplateVersion::Xml(..)))) if xsd::Schema::has(*v) => *v,
            _ => version,
        };
        self.xsd.schema = Some(xsd::Schema::of(xsd_version));
        self.infos = Some((
            self.sheet(version, SheetKind::Movies, 0),
            self.sheet(version, SheetKind::Tv, 1),
        ));
        // Point at the root element's name, not its (often multi-line) start tag.
        let pos = XmlPos::at((tag.0, (tag.0 + 1 + qname.len()).min(tag.1)));
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

    /// The Movies or TV sheet of a document of `version`.
    fn sheet(&self, version: TemplateVersion, kind: SheetKind, index: usize) -> Arc<SheetInfo> {
        let at = SheetSource {
            file: self.file.to_string(),
            file_index: self.file_index,
            sheet: None,
            sheet_index: index,
            source: SourceKind::Xml,
            hidden: false,
            merged: Vec::new(),
        };
        map::sheet_info(at, version, kind, Arc::clone(self.source))
    }

    fn location(&self, pos: XmlPos, field: Option<Field>, value: Option<String>) -> Location {
        let mut loc = Location::file(self.file);
        let (line, col) = self.source.line_col(pos.span.0);
        loc.line = Some(line);
        loc.col = Some(col);
        loc.span = Some(pos.span);
        loc.field = field.map(|f| f.name().to_string());
        loc.value = value;
        loc
    }

    /// Notes a structural problem at `pos`, naming `field` and `value`.
    fn structure(
        &mut self,
        pos: XmlPos,
        field: Option<Field>,
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

    /// Element opened (not skipped): starts rows and sub-structures, checks
    /// the order of children.
    fn on_start(&mut self, frame: &Frame<'a>) {
        let parent = self.stack.last().map_or(N::Blank, |f| f.name);
        let parent_is_list =
            self.stack.is_empty() || matches!(parent, N::AvailList | N::AvailListSigned);
        if frame.ns == Ns::Avails && frame.name == N::Avail && parent_is_list {
            self.open_avail(frame);
            return;
        }
        if self.avail.is_none() {
            return;
        }
        let in_avail = self
            .stack
            .last()
            .is_some_and(|f| f.ns == Ns::Avails && f.name == N::Avail);
        if let Some(p) = self.stack.last_mut() {
            p.kids |= schema::child_bit(p.name, frame.name);
        }
        match (parent, frame.name) {
            (N::Avail, N::Transaction) if in_avail => self.open_transaction(frame, parent),
            (N::Avail, N::Asset) if in_avail => self.open_asset(frame),
            (N::Asset, m) if m.is_unit_metadata() => self.open_unit(frame),
            _ => self.open_named(frame, parent),
        }
    }

    fn end(&mut self, after: usize) -> Result<(), ReadError> {
        let Some(frame) = self.stack.pop() else {
            return Err(self.err(after, "an end tag without a matching start tag"));
        };
        self.xsd_close(&frame);
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
            self.attr_spare.push(attrs);
        }
        Ok(())
    }

    /// Element closed inside an Avail: checks its value, closes rows and
    /// sub-structures, takes its values.
    fn on_end(&mut self, frame: &Frame<'a>) {
        let parent = self.stack.last().map_or(N::Blank, |f| f.name);
        let grand = self
            .stack
            .len()
            .checked_sub(2)
            .map_or(N::Blank, |i| self.stack[i].name);
        // The value of a leaf element, trimmed, with its position (the text,
        // or the start tag when empty).
        let value = trimmed(&frame.text);
        let span = frame
            .text_span
            .filter(|_| !value.is_empty())
            .unwrap_or(frame.tag);
        self.check_value(frame, parent, &value, span);
        match (parent, frame.name) {
            (N::AvailList | N::AvailListSigned | N::Blank, N::Avail) => {
                self.finish_avail();
                return;
            }
            (N::Avail, N::Asset) => {
                self.finish_asset(frame);
                return;
            }
            (N::Avail, N::Transaction) => {
                self.finish_transaction();
                return;
            }
            (N::Avail, N::Licensor) => {
                self.check_children(frame);
                return;
            }
            (N::Avail, N::Disposition) => return,
            (N::Avail, N::AvailType) => self.sheet_word(N::AvailType, value.clone()),
            (N::Asset, N::WorkType) if self.first_asset() => {
                self.sheet_word(N::WorkType, value.clone());
            }
            _ => {}
        }
        if let Err(value) = self.collect(frame, parent, grand, value, span) {
            self.take(frame, parent, grand, &value, span);
        }
    }
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
    use crate::model::Avail;

    fn sample() -> ReadOutput {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fixtures/xml/mddf/mddf_Avails_noErrors_v2.3.xml"
        );
        let bytes = std::fs::read(path).expect("sample fixture");
        read(bytes, "noErrors.xml", 0, &ReadOptions::default()).expect("sample reads")
    }

    /// `doc` read with the default options.
    fn read_doc(doc: &str) -> ReadOutput {
        read(
            doc.as_bytes().to_vec(),
            "doc.xml",
            0,
            &ReadOptions::default(),
        )
        .expect("doc reads")
    }

    /// Where the first cell of `field` in the first row of `out` is.
    fn value_pos(out: &ReadOutput, field: Field) -> XmlPos {
        let row = &out.sheets[0].rows[0];
        row.position_of(row.get(field).expect("the field has a value"))
            .expect("an XML position")
    }

    /// The first note of `out` whose message holds `text`.
    fn note_with<'o>(out: &'o ReadOutput, text: &str) -> &'o Note {
        (out.notes.iter())
            .find(|n| n.message.contains(text))
            .unwrap_or_else(|| panic!("a note saying `{text}`"))
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
        let line_col = |x: XmlPos| movies.info.line_col(x);
        assert_eq!(row.xml().map(line_col), Some((43, 5)));
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
        assert_eq!(line_col(pos), (46, 21));
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

    /// Blanks after an end tag are skipped by quick-xml; the next tag's
    /// position is still its `<`, and a value keeps its own blanks' span.
    #[test]
    fn tags_after_skipped_blanks_keep_their_place() {
        let doc = "<AvailList xmlns=\"http://www.movielabs.com/schema/avails/v2.3/avails\" xmlns:md=\"http://www.movielabs.com/schema/md/v2.6/md\">\n  <Avail>\n    <ALID>a</ALID>\n    <Disposition><EntryType>Full Extract</EntryType></Disposition>\n    <Licensor><md:DisplayName>acme</md:DisplayName></Licensor>\n    <AvailType>single</AvailType>\n    <ShortDescription>x</ShortDescription>\n    <Asset contentID=\"c\"><WorkType>Movie</WorkType></Asset>\n \t  <Transaction>\n      <LicenseType>EST</LicenseType>\n      <Territory><md:country>US</md:country></Territory>\n      <End>2027-12-31T00:00:00</End>\r\n      <Start>  2027-01-01T00:00:00 </Start>\n    </Transaction>\n  </Avail>\n</AvailList>\n";
        let out = read_doc(doc);
        let sheet = &out.sheets[0];
        let row = &sheet.rows[0];
        // The row is placed at `<Transaction>`: line 9, after four blanks.
        assert_eq!(sheet.info.line_col(row.xml().unwrap()), (9, 5));
        // A value's span is its trimmed text.
        let start = value_pos(&out, Field::Start);
        assert_eq!(sheet.info.line_col(start), (13, 16));
        assert_eq!(&doc[start.span.0..start.span.1], "2027-01-01T00:00:00");
        // The order finding points at `<Start>`, after a CR LF and blanks.
        let order = &note_with(&out, "comes after").location;
        assert_eq!((order.line, order.col), (Some(13), Some(7)));
    }

    #[test]
    fn text_after_blanks_in_an_element_of_elements_keeps_its_place() {
        // Blanks after the start tag of an element that holds only
        // elements are skipped unread; what follows keeps its place.
        let doc = "<AvailList xmlns=\"http://www.movielabs.com/schema/avails/v2.3/avails\" xmlns:md=\"http://www.movielabs.com/schema/md/v2.6/md\">\n  <Avail>\n    <ALID>a</ALID>\n    <Disposition><EntryType>Full Extract</EntryType></Disposition>\n    <Licensor><md:DisplayName>acme</md:DisplayName></Licensor>\n    <AvailType>single</AvailType>\n    <ShortDescription>x</ShortDescription>\n    <Asset contentID=\"c\"><WorkType>Movie</WorkType></Asset>\n    <Transaction>\r\n \t <!-- c -->\n      <LicenseType>EST</LicenseType>\n      <Territory>\n        junk <md:country>US</md:country></Territory>\n      <Start>2027-01-01T00:00:00</Start>\n      <End>2027-12-31T00:00:00</End>\n    </Transaction>\n  </Avail>\n</AvailList>\n";
        let out = read_doc(doc);
        let sheet = &out.sheets[0];
        let license = value_pos(&out, Field::LicenseType);
        assert_eq!(sheet.info.line_col(license), (11, 20));
        let territory = value_pos(&out, Field::Territory);
        assert_eq!(sheet.info.line_col(territory), (13, 26));
        let stray = &note_with(&out, "holds text `junk`").location;
        assert_eq!((stray.line, stray.col), (Some(13), Some(9)));
        assert_eq!(stray.span, Some((517, 521)));
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
        let out = read_doc(&doc);
        assert_eq!(out.sheets[0].rows.len(), 5_000);
        let last = out.sheets[0].rows.last().unwrap();
        let x = last
            .position_of(last.get(Field::Territory).unwrap())
            .unwrap();
        let (line, col) = out.sheets[0].info.line_col(x);
        assert_eq!(line, 1);
        assert_eq!(col as usize, x.span.0 + 1);
        assert!(started.elapsed() < std::time::Duration::from_secs(20));
        let structure = out
            .notes
            .iter()
            .filter(|n| n.kind != NoteKind::VersionUsed)
            .count();
        assert_eq!(structure, 0, "{:?}", out.notes);
    }

    #[test]
    fn wide_tags_read_in_linear_time() {
        let attrs: String = (0..50_000).map(|i| format!(" a{i}=\"v\"")).collect();
        let doc = format!(
            "<AvailList xmlns=\"http://www.movielabs.com/schema/avails/v2.3/avails\"><Avail><ALID>a</ALID><Transaction{attrs} TransactionID=\"t1\"><LicenseType>EST</LicenseType></Transaction></Avail></AvailList>"
        );
        let started = std::time::Instant::now();
        let out = read_doc(&doc);
        assert!(started.elapsed() < std::time::Duration::from_secs(20));
        let x = value_pos(&out, Field::AvailID);
        assert_eq!(&doc[x.span.0..x.span.1], "t1");
        // Each unknown attribute is noted where its value is.
        let unknown: Vec<&Note> = out
            .notes
            .iter()
            .filter(|n| n.kind == NoteKind::Xsd(crate::read::XsdKind::UnknownAttribute))
            .collect();
        assert_eq!(unknown.len(), 50_000);
        let last = unknown[49_999].location.span.unwrap();
        assert_eq!(&doc[last.0 - 8..last.1 + 1], "a49999=\"v\"");
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
        let out = read_doc(doc);
        let x = value_pos(&out, Field::Territory);
        assert_eq!(&doc.as_bytes()[x.span.0..x.span.1], b"US");
        assert_eq!(out.sheets[0].info.line_col(x).0, 2);
        // Missing elements are reported, reading goes on.
        assert!(out.notes.iter().any(|n| {
            n.kind == NoteKind::Xsd(crate::read::XsdKind::MissingElement)
                && n.message.contains("<FormatProfile>")
        }));
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
            let _ = read(bad, "bad.xml", 0, &opts);
        }
    }

    #[test]
    fn elements_outside_the_avails_namespace_are_reported() {
        let doc = br#"<a:AvailList xmlns:a="http://www.movielabs.com/schema/avails/v2.3/avails"><Avail><ALID>x</ALID></Avail></a:AvailList>"#;
        let out = read(doc, "ns.xml", 0, &ReadOptions::default()).unwrap();
        assert!(out.sheets.is_empty());
        let notes: Vec<&str> = out
            .notes
            .iter()
            .filter(|n| n.kind != NoteKind::VersionUsed)
            .map(|n| n.message.as_str())
            .collect();
        // Taken as the avails:Avail it was meant to be: not also missing.
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(
            notes[0].contains("<Avail> is in no namespace") && notes[0].contains("did not read it"),
            "{notes:?}"
        );
    }
}
