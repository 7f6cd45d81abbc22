//! Attributes: the few elements whose attributes are used have them read
//! ([`plain_attrs`] for the usual well-formed ones, quick-xml's reading for
//! the rest), and a used attribute's position is found in its start tag.

use std::borrow::Cow;

use quick_xml::events::BytesStart;

use super::names::local_name;
use super::{Frame, Parser, ReadError, is_ws, lift};
use crate::model::avail::XmlPos;

/// An attribute: name as written, local name, value.
pub(super) struct Attr<'a> {
    /// The name as written (`md:x`).
    pub(super) key: &'a str,
    /// The local name.
    pub(super) name: Cow<'a, str>,
    /// The normalized value.
    pub(super) value: Cow<'a, str>,
}

impl<'a> Frame<'a> {
    /// The attribute of local name `name`, when read.
    pub(super) fn attr(&self, name: &str) -> Option<&Attr<'a>> {
        self.attrs.iter().find(|a| a.name == name)
    }

    /// Where the value of attribute `a` is in the document `bytes`: the
    /// value itself when it borrows the document, else found after its name
    /// (both point into the document, so no search through the whole tag is
    /// made).
    pub(super) fn attr_pos(&self, bytes: &[u8], a: &Attr<'_>) -> XmlPos {
        let offset = |s: &str| (s.as_ptr() as usize).checked_sub(bytes.as_ptr() as usize);
        let borrowed = match &a.value {
            Cow::Borrowed(v) => offset(v).filter(|o| o + v.len() <= bytes.len()),
            Cow::Owned(_) => None,
        };
        let span = match (borrowed, offset(a.key)) {
            (Some(o), _) => Some((o, o + a.value.len())),
            (None, Some(k)) if k < self.tag.1 => {
                attr_span(bytes, (k.saturating_sub(1), self.tag.1), a.key.as_bytes())
            }
            _ => attr_span(bytes, self.tag, a.key.as_bytes()),
        };
        XmlPos::at(span.unwrap_or(self.tag))
    }
}

impl<'a> Parser<'a> {
    /// Adds the attributes of `e` to `attrs`. quick-xml's check for repeated
    /// names allocates for every tag, so `checked` reading is kept for tags
    /// where unchecked reading meets a malformed or repeated attribute, or
    /// more than a few (`None`: names are compared pairwise here).
    pub(super) fn read_attrs(
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
}

/// Reads plain attributes, `name="value"` apart by whitespace: names of
/// ASCII name characters, values without entities or whitespace to
/// normalize. False for anything else, a repeated name or more than 16:
/// quick-xml's reading decides those (and gives these the same result).
pub(super) fn plain_attrs<'a>(raw: &'a str, attrs: &mut Vec<Attr<'a>>) -> bool {
    let b = raw.as_bytes();
    let mut i = 0;
    loop {
        while i < b.len() && is_ws(b[i]) {
            i += 1;
        }
        if i == b.len() {
            return true;
        }
        let start = i;
        while i < b.len()
            && (b[i].is_ascii_alphanumeric() || matches!(b[i], b'_' | b':' | b'-' | b'.'))
        {
            i += 1;
        }
        let key = &raw[start..i];
        if key.is_empty() || b.get(i) != Some(&b'=') {
            return false;
        }
        let quote = match b.get(i + 1) {
            Some(&q @ (b'"' | b'\'')) => q,
            _ => return false,
        };
        let from = i + 2;
        let Some(len) = b[from..].iter().position(|c| *c == quote) else {
            return false;
        };
        let value = &raw[from..from + len];
        if value
            .bytes()
            .any(|c| matches!(c, b'&' | b'\t' | b'\n' | b'\r'))
            || attrs.len() >= 16
            || attrs.iter().any(|a| a.key == key)
        {
            return false;
        }
        attrs.push(Attr {
            key,
            name: Cow::Borrowed(local_name(key)),
            value: Cow::Borrowed(value),
        });
        i = from + len + 1;
        if i < b.len() && !is_ws(b[i]) {
            return false;
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_attributes_are_read_as_quick_xml_reads_them() {
        let mut attrs = Vec::new();
        assert!(plain_attrs(" a='1'  md:b=\"x y\" ", &mut attrs));
        let read: Vec<(&str, &str, &str)> =
            attrs.iter().map(|a| (a.key, &*a.name, &*a.value)).collect();
        assert_eq!(read, [("a", "a", "1"), ("md:b", "b", "x y")]);
        for other in [
            " a = '1'",
            " a='1'b='2'",
            " a='1' a='2'",
            " a='&amp;'",
            " a='x\ty'",
            " a=1",
            " a='1",
            " \u{e9}='1'",
        ] {
            attrs.clear();
            assert!(!plain_attrs(other, &mut attrs), "{other}");
        }
    }

    #[test]
    fn plain_attributes_match_quick_xml() {
        let alphabet = [
            " ", " ", "a", "b", "md:", "=", "=", "\"", "\"", "'", "v", "&amp;", "\t", "\n", "<",
            ">", "/", "\u{e9}", "-", ".", "x=\"1\"", " c='2'",
        ];
        let mut seed = 0x0bad_5eed_u32;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            seed as usize
        };
        let mut plain = 0;
        for _ in 0..20_000 {
            let raw: String = (0..next() % 12)
                .map(|_| alphabet[next() % alphabet.len()])
                .collect();
            let mut attrs = Vec::new();
            if !plain_attrs(&raw, &mut attrs) {
                continue;
            }
            plain += 1;
            let tag = format!("t{raw}");
            let e = BytesStart::from_content(tag.as_str(), 1);
            let theirs: Vec<(String, String)> = e
                .attributes()
                .with_checks(false)
                .map(|a| {
                    let a = a.expect("quick-xml reads it too");
                    let v = a
                        .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .expect("no entity");
                    (a.key.0.to_string(), v.into_owned())
                })
                .collect();
            let ours: Vec<(String, String)> = attrs
                .iter()
                .map(|a| (a.key.to_string(), a.value.to_string()))
                .collect();
            assert_eq!(ours, theirs, "{raw:?}");
            assert!(attrs.iter().all(|a| a.name == local_name(a.key)));
        }
        assert!(plain > 1000, "{plain} plain attribute lists");
    }

    #[test]
    fn attribute_spans() {
        let s = br#"<a x="1" contentID='abc'>"#;
        assert_eq!(attr_span(s, (0, s.len()), b"contentID"), Some((20, 23)));
        assert_eq!(attr_span(s, (0, s.len()), b"ID"), None);
    }
}
