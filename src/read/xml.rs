//! Avails XML reader (placeholder until the XML reader lands).

use super::{ReadError, ReadOptions, ReadOutput};

/// Reads an Avails XML document.
pub fn read(
    _bytes: &[u8],
    _file: &str,
    _file_index: usize,
    _opts: &ReadOptions,
) -> Result<ReadOutput, ReadError> {
    Err(ReadError::UnknownFormat(
        "is XML; Avails XML is not supported yet".into(),
    ))
}
