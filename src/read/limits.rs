//! Bounds on what a container may inflate to, checked before a workbook is
//! opened, so a zip bomb is refused instead of exhausting memory.

use super::ReadError;

/// Largest total uncompressed size of a workbook's zip entries.
pub const MAX_INFLATED_BYTES: u64 = 1536 * 1024 * 1024;
/// Largest compression ratio of an entry over [`RATIO_FLOOR_BYTES`]: real
/// sheet XML compresses 10–20:1; zip bombs reach deflate's ~1000:1.
pub const MAX_RATIO: u64 = 250;
/// Entries smaller than this are not ratio-checked.
pub const RATIO_FLOOR_BYTES: u64 = 8 << 20;

/// Reads the zip central directory and refuses archives that would inflate
/// past [`MAX_INFLATED_BYTES`] or with an entry compressed more than [`MAX_RATIO`]:1.
pub fn check_zip(bytes: &[u8]) -> Result<(), ReadError> {
    let Some(eocd) = find_eocd(bytes) else {
        return Err(ReadError::Workbook(
            "is a zip archive without its central directory (the file is truncated or damaged); export the workbook again".into(),
        ));
    };
    let entries = u16_at(bytes, eocd + 10) as usize;
    let mut pos = u32_at(bytes, eocd + 16) as usize;
    let mut total: u64 = 0;
    for _ in 0..entries {
        if pos + 46 > bytes.len() || u32_at(bytes, pos) != 0x0201_4b50 {
            return Err(ReadError::Workbook(
                "is a zip archive whose central directory is damaged; export the workbook again"
                    .into(),
            ));
        }
        let compressed = u32_at(bytes, pos + 20) as u64;
        let size = u32_at(bytes, pos + 24) as u64;
        let name_len = u16_at(bytes, pos + 28) as usize;
        let extra_len = u16_at(bytes, pos + 30) as usize;
        let comment_len = u16_at(bytes, pos + 32) as usize;
        let name =
            String::from_utf8_lossy(bytes.get(pos + 46..pos + 46 + name_len).unwrap_or_default())
                .into_owned();
        // Zip64 sizes are only needed past 4 GiB, which is over the limit anyway.
        let size = if size == u32::MAX as u64 {
            u64::MAX / 4
        } else {
            size
        };
        if size > RATIO_FLOOR_BYTES && size / compressed.max(1) > MAX_RATIO {
            return Err(ReadError::Workbook(format!(
                "has an entry `{name}` that inflates {size} bytes from {compressed} ({}:1); availcheck refuses archives compressed over {MAX_RATIO}:1 (a zip bomb guard)",
                size / compressed.max(1)
            )));
        }
        total = total.saturating_add(size);
        if total > MAX_INFLATED_BYTES {
            return Err(ReadError::Workbook(format!(
                "would inflate to more than {MAX_INFLATED_BYTES} bytes; availcheck refuses larger workbooks (a zip bomb guard) — split the avails into smaller files"
            )));
        }
        pos += 46 + name_len + extra_len + comment_len;
    }
    Ok(())
}

fn find_eocd(b: &[u8]) -> Option<usize> {
    if b.len() < 22 {
        return None;
    }
    let lowest = b.len().saturating_sub(22 + 65_535);
    (lowest..=b.len() - 22)
        .rev()
        .find(|&i| u32_at(b, i) == 0x0605_4b50)
}

fn u16_at(b: &[u8], i: usize) -> u16 {
    b.get(i..i + 2)
        .map_or(0, |s| u16::from_le_bytes([s[0], s[1]]))
}

fn u32_at(b: &[u8], i: usize) -> u32 {
    b.get(i..i + 4)
        .map_or(0, |s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncated_zip_is_refused() {
        assert!(check_zip(b"PK\x03\x04 only a local header").is_err());
    }
}
