//! What the reader requires of Avails XML beyond its XSDs (which `xsd`
//! checks): the values it needs that the XSD lets be empty
//! ([`NON_EMPTY`]), and the children required of an element whose XSD
//! availcheck does not have ([`OPEN_CHILDREN`]: `Licensor` is a MEC
//! `mdmec:Publisher-type`, and the `mdmec-v2.x.xsd` files are not among the
//! MovieLabs reference files). Breaches become
//! [`NoteKind::XmlStructure`](crate::read::NoteKind) notes.

use super::names::N;
use super::{Frame, Parser};
use crate::model::Field;
use crate::model::avail::XmlPos;

/// Leaves whose text the rows need: under `.0`, element `.1` must not be
/// empty (its EMA field `.2`). The XSD check reports those whose type
/// rejects an empty value; these are noted when it accepts one.
#[rustfmt::skip]
pub(super) const NON_EMPTY: &[(N, N, Option<Field>)] = {
    use N::*;
    &[
        (Avail, Alid, Some(Field::ALID)),
        (Avail, AvailType, None),
        (Disposition, EntryType, Some(Field::EntryType)),
        (Licensor, DisplayName, Some(Field::DisplayName)),
        (Asset, WorkType, Some(Field::WorkType)),
        (Transaction, LicenseType, Some(Field::LicenseType)),
        (Transaction, Start, Some(Field::Start)),
        (Transaction, StartCondition, Some(Field::Start)),
        (Transaction, End, Some(Field::End)),
        (Transaction, EndCondition, Some(Field::End)),
        (Transaction, FormatProfile, Some(Field::FormatProfile)),
    ]
};

/// Children required of elements whose type the XSD tables leave open:
/// parent, child, how a note names the child, the field it names.
pub(super) const OPEN_CHILDREN: &[(N, N, &str, Field)] = &[(
    N::Licensor,
    N::DisplayName,
    "md:DisplayName",
    Field::DisplayName,
)];

/// The bit of the entry of [`OPEN_CHILDREN`] that `child` of `parent`
/// meets (0 for none).
pub(super) fn child_bit(parent: N, child: N) -> u8 {
    OPEN_CHILDREN
        .iter()
        .position(|c| c.0 == parent && c.1 == child)
        .map_or(0, |i| 1 << i)
}

impl<'a> Parser<'a> {
    /// A leaf closed under `parent` with `value` (trimmed) at `span`: notes it
    /// when the rows need a value there and the XSD check accepts none.
    pub(super) fn check_value(
        &mut self,
        frame: &Frame<'a>,
        parent: N,
        value: &str,
        span: (usize, usize),
    ) {
        if !value.is_empty() {
            return;
        }
        let Some(&(_, _, field)) = NON_EMPTY
            .iter()
            .find(|c| c.0 == parent && c.1 == frame.name)
        else {
            return;
        };
        if !self.xsd_accepts_empty(frame) {
            return;
        }
        let pos = XmlPos::at(span);
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

    /// A tracked element closed: notes each child [`OPEN_CHILDREN`] requires
    /// of it that it lacks, unless the XSD check saw inside it.
    pub(super) fn check_children(&mut self, frame: &Frame<'a>) {
        if !self.xsd_open_content(frame) {
            return;
        }
        for (i, &(parent, _, named, field)) in OPEN_CHILDREN.iter().enumerate() {
            if parent == frame.name && frame.kids & (1 << i) == 0 {
                let pos = XmlPos::at(frame.tag);
                let version = self.version.map_or_else(String::new, |v| v.to_string());
                self.structure(
                    pos,
                    Some(field),
                    None,
                    format!(
                        "<{}> has no <{named}>; the avails {version} schema requires it",
                        frame.qname
                    ),
                    Some(format!("add <{named}> to <{}>", frame.qname)),
                );
            }
        }
    }
}
