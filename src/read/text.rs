//! Decoding of text inputs, shared by the CSV and XML readers: byte order
//! marks, UTF-16 and Windows-1252. CSV is decoded leniently (anything reads,
//! with a note); XML strictly (UTF-8 or UTF-16 with a BOM, else an error).

/// Byte order of UTF-16 text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Order {
    Little,
    Big,
}

impl Order {
    fn unit(self, pair: [u8; 2]) -> u16 {
        match self {
            Order::Little => u16::from_le_bytes(pair),
            Order::Big => u16::from_be_bytes(pair),
        }
    }
}

/// A byte order mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Bom {
    Utf8,
    Utf16(Order),
}

impl Bom {
    /// The byte order mark `bytes` start with, if any.
    fn of(bytes: &[u8]) -> Option<Bom> {
        match bytes {
            [0xEF, 0xBB, 0xBF, ..] => Some(Bom::Utf8),
            [0xFF, 0xFE, ..] => Some(Bom::Utf16(Order::Little)),
            [0xFE, 0xFF, ..] => Some(Bom::Utf16(Order::Big)),
            _ => None,
        }
    }

    fn len(self) -> usize {
        match self {
            Bom::Utf8 => 3,
            Bom::Utf16(_) => 2,
        }
    }
}

/// The UTF-16 code units of `bytes`; an odd last byte is left out.
fn units(bytes: &[u8], order: Order) -> impl Iterator<Item = u16> + '_ {
    bytes
        .as_chunks::<2>()
        .0
        .iter()
        .map(move |pair| order.unit(*pair))
}

/// Decodes a CSV file, whatever its bytes: UTF-8 (a BOM dropped, invalid
/// sequences replaced after a BOM), UTF-16 with a BOM (unpaired surrogates
/// replaced), else Windows-1252 when not UTF-8. The second value names the
/// encoding used when it is not UTF-8.
pub fn decode_lenient(bytes: &[u8]) -> (String, Option<&'static str>) {
    match Bom::of(bytes) {
        Some(Bom::Utf8) => (String::from_utf8_lossy(&bytes[3..]).into_owned(), None),
        Some(Bom::Utf16(order)) => {
            let units: Vec<u16> = units(&bytes[2..], order).collect();
            let name = match order {
                Order::Little => "UTF-16 (little-endian)",
                Order::Big => "UTF-16 (big-endian)",
            };
            (String::from_utf16_lossy(&units), Some(name))
        }
        None => match std::str::from_utf8(bytes) {
            Ok(s) => (s.to_string(), None),
            Err(_) => (
                bytes.iter().map(|&b| windows_1252(b)).collect(),
                Some("Windows-1252"),
            ),
        },
    }
}

fn windows_1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž',
        '\u{8F}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}',
        'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9F => HIGH[(b - 0x80) as usize],
        _ => b as char,
    }
}

/// Text decoded by [`decode_strict`].
#[derive(Debug)]
pub struct Strict {
    /// The text; a UTF-8 BOM is kept, so that offsets are the file's.
    pub text: String,
    /// The file was UTF-16: offsets into `text` are not the file's.
    pub utf16: bool,
}

/// Why [`decode_strict`] refused the bytes.
#[derive(Debug)]
pub enum Invalid {
    /// UTF-16 with an unpaired surrogate on 1-based line `line`.
    Utf16 {
        /// Where the surrogate is.
        line: u32,
    },
    /// Not UTF-8 from byte `at` on.
    Utf8 {
        /// The bytes, given back.
        bytes: Vec<u8>,
        /// Length of the valid start.
        at: usize,
    },
}

/// Decodes an XML file: UTF-8 (a BOM kept) or UTF-16 with a BOM (an odd
/// last byte is read as if followed by a zero byte); anything else is
/// refused. Valid UTF-8 is taken over without copying.
pub fn decode_strict(bytes: Vec<u8>) -> Result<Strict, Invalid> {
    if let Some(Bom::Utf16(order)) = Bom::of(&bytes) {
        let rest = &bytes[Bom::Utf16(order).len()..];
        let odd = rest.as_chunks::<2>().1.first().map(|&b| order.unit([b, 0]));
        let mut text = String::with_capacity(bytes.len() / 2);
        let mut line = 1u32;
        for ch in char::decode_utf16(units(rest, order).chain(odd)) {
            match ch {
                Ok(c) => {
                    if c == '\n' {
                        line += 1;
                    }
                    text.push(c);
                }
                Err(_) => return Err(Invalid::Utf16 { line }),
            }
        }
        return Ok(Strict { text, utf16: true });
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Strict { text, utf16: false }),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            Err(Invalid::Utf8 {
                bytes: e.into_bytes(),
                at,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_leniently() {
        assert_eq!(decode_lenient(b"\xEF\xBB\xBFa,b").0, "a,b");
        assert_eq!(decode_lenient(b"caf\xE9 \x80").0, "café €");
        assert_eq!(decode_lenient(b"caf\xE9").1, Some("Windows-1252"));
        assert_eq!(decode_lenient(&[0xFF, 0xFE, b'a', 0, b',', 0]).0, "a,");
        // An odd last byte is dropped.
        assert_eq!(decode_lenient(&[0xFE, 0xFF, 0, b'a', 0]).0, "a");
    }

    #[test]
    fn decodes_strictly() {
        let bom = decode_strict(b"\xEF\xBB\xBF<a/>".to_vec()).unwrap();
        assert_eq!((bom.text.as_str(), bom.utf16), ("\u{feff}<a/>", false));
        let le = decode_strict(vec![0xFF, 0xFE, b'<', 0, b'a', 0, b'/']).unwrap();
        assert_eq!((le.text.as_str(), le.utf16), ("<a/", true));
        assert!(matches!(
            decode_strict(vec![0xFF, 0xFE, b'\n', 0, 0x00, 0xD8, b'a', 0]),
            Err(Invalid::Utf16 { line: 2 })
        ));
        assert!(matches!(
            decode_strict(b"ab\xFFc".to_vec()),
            Err(Invalid::Utf8 { at: 2, .. })
        ));
    }
}
