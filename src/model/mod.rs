//! The data model every reader produces and every rule consumes: avail rows,
//! template versions, cell locations, dates and windows, code lists and
//! diagnostics. Nothing here knows about xlsx, XML or output formats.

pub mod avail;
pub mod codes;
pub mod diagnostic;
pub mod dictionary;
pub mod field;
pub mod location;
pub mod movielabs;
pub mod ratings;
pub mod source;
pub mod structure;
pub mod time;
pub mod value;
pub mod version;
pub mod zone;

pub use avail::{Avail, Cell, CellKind, Layout, MergedRange, SheetInfo, SourceKind, Text};
pub use diagnostic::{Diagnostic, Related, RowExcerpt, Severity};
pub use dictionary::{Dictionary, FieldDef, FieldKind, Requirement};
pub use field::{Field, FieldColumns, FieldSet};
pub use location::{Location, column_letter};
pub use source::SourceText;
pub use version::{SheetKind, TemplateVersion};
