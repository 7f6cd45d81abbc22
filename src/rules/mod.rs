//! Rules: one file per rule, each with a stable code, title, severity and its
//! own documentation (`availcheck explain CODE` prints it). A rule sees only
//! the model (avail rows and sheet headers), never xlsx or XML.
//!
//! Three scopes: sheet rules (headers), row rules (run in parallel) and set
//! rules (cross-row: they build one hash index over all rows).

pub mod delivery;
pub mod facts;
pub mod profile;
pub mod ratings;
pub mod reader;
pub mod structure;

pub mod cph_dab;
pub mod cph_deleted_live_scope;
pub mod cph_discrete_windows;
pub mod cph_dropped_window;
pub mod cph_entry_type;
pub mod cph_inputs;
pub mod cph_licensed_gap;
pub mod cph_licensed_unused;
pub mod cph_licensed_window;
pub mod cph_localization;
pub mod cph_localization_reminder;
pub mod cph_min_lead;
pub mod cph_no_rows;
pub mod cph_partner_alias;
pub mod cph_rights_description;
pub mod cph_row_limit;
pub mod cph_start;
pub mod cph_territories_unset;
pub mod cph_territory;
pub mod cph_window_into_past;
pub mod ema_alid_unique;
pub mod ema_avail_type;
pub mod ema_avail_type_assets;
pub mod ema_bundled_asset;
pub mod ema_bundled_asset_sequence;
pub mod ema_currency;
pub mod ema_date;
pub mod ema_end_before_start;
pub mod ema_enum;
pub mod ema_error_value;
pub mod ema_formula;
pub mod ema_inconsistent_title;
pub mod ema_invisible;
pub mod ema_language;
pub mod ema_list_separator;
pub mod ema_missing_column;
pub mod ema_missing_conditional_column;
pub mod ema_poest_suppression;
pub mod ema_pre_order_fulfill_date;
pub mod ema_price_value;
pub mod ema_rating_deprecated;
pub mod ema_rating_reason;
pub mod ema_rating_region;
pub mod ema_rating_system;
pub mod ema_rating_value;
pub mod ema_ref_alid;
pub mod ema_required_value;
pub mod ema_rounded_number;
pub mod ema_tbd_condition;
pub mod ema_term_pricing;
pub mod ema_territory;
pub mod ema_tvod_asset_language;
pub mod ema_unknown_column;
pub mod ema_value_format;
pub mod ema_volume_overlap;
pub mod ema_volume_status;
pub mod ema_work_type_metadata;
pub mod xsd;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::model::{
    Avail, Cell, Diagnostic, Field, FieldDef, FieldKind, Location, Severity, SheetInfo,
};
use crate::read::SheetRows;

pub use delivery::Delivery;
pub use facts::{End, RowFacts, SheetFacts};
pub use profile::{Profile, RowClass, RowClasses, Settings};

/// Which rules a rule belongs with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// What the readers noticed (version used, layout); always on.
    Reader,
    /// EMA data-dictionary rules; always on.
    Ema,
    /// Amazon CPH SVOD rules; on with `--profile cph-svod`.
    Cph,
}

impl Family {
    /// The family's name, as `availcheck explain` shows it.
    pub fn as_str(self) -> &'static str {
        match self {
            Family::Reader => "reader",
            Family::Ema => "ema",
            Family::Cph => "cph-svod",
        }
    }
}

/// Fixed facts about a rule: every finding of a rule has its code and its
/// severity.
#[derive(Debug)]
pub struct RuleMeta {
    /// Stable code (`EMA003`, `CPH005`).
    pub code: &'static str,
    /// Kebab-case name.
    pub name: &'static str,
    /// One-line title.
    pub title: &'static str,
    /// The severity of every finding of the rule.
    pub severity: Severity,
    /// Family.
    pub family: Family,
    /// The rule's doc comment as written (each line keeps the space after
    /// `///`); [`RuleMeta::documentation`] gives it as Markdown.
    pub docs: &'static str,
}

/// Declares a rule: its doc comment (the user documentation, shown by
/// rustdoc and by `availcheck explain`) and its fixed facts, as a unit
/// struct `$name` whose `META` holds them.
///
/// ```ignore
/// declare_rule! {
///     /// ## What it does
///     /// ...
///     pub struct MissingColumn = ("EMA001", "missing-required-column", Error, Ema,
///         "Required column missing from the header");
/// }
/// ```
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])+
        pub struct $name:ident = ($code:literal, $slug:literal, $severity:ident, $family:ident, $title:literal);
    ) => {
        $(#[doc = $doc])+
        pub struct $name;

        impl $name {
            /// The rule's fixed facts; its docs are this struct's doc comment.
            pub const META: $crate::rules::RuleMeta = $crate::rules::RuleMeta {
                code: $code,
                name: $slug,
                title: $title,
                severity: $crate::model::Severity::$severity,
                family: $crate::rules::Family::$family,
                docs: concat!($($doc, "\n"),+),
            };
        }

        impl $crate::rules::HasMeta for $name {
            fn meta(&self) -> &'static $crate::rules::RuleMeta {
                &Self::META
            }
        }
    };
}
pub(crate) use declare_rule;

impl RuleMeta {
    /// The documentation as Markdown: the doc comment without the space
    /// each `///` line starts with.
    pub fn documentation(&self) -> String {
        let mut out = String::with_capacity(self.docs.len());
        for line in self.docs.lines() {
            out.push_str(line.strip_prefix(' ').unwrap_or(line));
            out.push('\n');
        }
        out
    }

    /// A diagnostic of this rule at a location.
    pub fn diag(&'static self, location: Location, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(self.code, self.severity, message, location)
    }

    /// A diagnostic about `field` of `row` (its cell, or where the cell would be).
    pub fn at_field(
        &'static self,
        row: &Avail,
        field: Field,
        message: impl Into<String>,
    ) -> Diagnostic {
        let column = row.sheet.column_of(field).unwrap_or(0);
        self.on_row(row, row.location(field), column, message)
    }

    /// A diagnostic about one cell of `row`.
    pub fn at_cell(
        &'static self,
        row: &Avail,
        cell: &Cell,
        message: impl Into<String>,
    ) -> Diagnostic {
        self.on_row(row, row.cell_location(cell), cell.column(), message)
    }

    /// A diagnostic about `row` at `loc`, ordered by `column`, with the row
    /// shown.
    fn on_row(
        &'static self,
        row: &Avail,
        loc: Location,
        column: usize,
        message: impl Into<String>,
    ) -> Diagnostic {
        // XML findings sort by their place in the document: line, then
        // column (an Avail's values sit on lines before its Transactions').
        let column = match (loc.line, loc.col) {
            (Some(l), Some(c)) => {
                usize::try_from((u64::from(l) << 32) | u64::from(c)).unwrap_or(usize::MAX)
            }
            _ => column,
        };
        let mut d = self.diag(loc, message).with_order((
            row.sheet.file_index,
            row.sheet.sheet_index,
            row.row,
            column,
        ));
        d.excerpt = Some(Arc::new(row.excerpt()));
        d
    }
}

/// What rules may consult besides the rows.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    /// Profile and its settings.
    pub settings: &'a Settings,
    /// What Amazon already has (`--previous`), when given.
    pub previous: Option<&'a Delivery>,
    /// Counts rules keep for the summary.
    pub stats: &'a Stats,
}

impl<'a> Context<'a> {
    /// The context of a check with `settings`.
    pub fn new(settings: &'a Settings, stats: &'a Stats) -> Self {
        Context {
            settings,
            previous: None,
            stats,
        }
    }
}

/// Counts that rules keep while they check, for the summary.
#[derive(Debug, Default)]
pub struct Stats {
    /// CPH windows exempt from CPH004 because Amazon has them already
    /// (unchanged, or only their End moved).
    pub exempt_windows: AtomicUsize,
    /// Licensed SVOD windows compared with CPH windows.
    pub licensed_compared: AtomicUsize,
}

impl Stats {
    /// Adds `n` to a counter.
    pub fn add(counter: &AtomicUsize, n: usize) {
        counter.fetch_add(n, Ordering::Relaxed);
    }
}

/// All rows of all inputs, for cross-row rules.
pub struct RuleInput<'a> {
    /// Sheets of the files being checked, in input order.
    pub sheets: &'a [&'a SheetRows],
    /// The facts of every row of `sheets`, in the same order (see [`RuleInput::with_facts`]).
    pub facts: &'a [Vec<RowFacts>],
    /// Sheets of `--licensed` reference files (windows only; not themselves checked).
    pub licensed: &'a [&'a SheetRows],
    /// Sheets of `--previous` deliveries (what Amazon already has).
    pub previous: &'a [&'a SheetRows],
    /// The parts of each Avail of the Avails XML files being checked, in
    /// input and document order.
    pub avails: &'a structure::AvailSet<'a>,
}

impl<'a> RuleInput<'a> {
    /// Each checked sheet with the facts of its rows.
    pub fn with_facts(&self) -> impl Iterator<Item = (&'a SheetRows, &'a [RowFacts])> + 'a {
        self.sheets
            .iter()
            .copied()
            .zip(self.facts.iter().map(Vec::as_slice))
    }

    /// Every checked row with its facts.
    pub fn rows(&self) -> impl Iterator<Item = (&'a Avail, &'a RowFacts)> + 'a {
        self.with_facts()
            .flat_map(|(s, facts)| s.rows.iter().zip(facts))
    }

    /// Every checked row of a class, with its facts.
    pub fn rows_of(&self, class: RowClass) -> impl Iterator<Item = (&'a Avail, &'a RowFacts)> + 'a {
        self.rows().filter(move |(_, f)| f.class == class)
    }
}

/// The fixed facts of a rule; [`declare_rule!`] implements it.
pub trait HasMeta {
    /// The rule's fixed facts.
    fn meta(&self) -> &'static RuleMeta;
}

/// A check. Implement the scope(s) the rule needs.
pub trait Rule: HasMeta + Sync + Send {
    /// Header-level check of one sheet.
    fn check_sheet(&self, _sheet: &SheetRows, _ctx: &Context<'_>, _out: &mut Vec<Diagnostic>) {}

    /// The value kinds whose cells [`Rule::check_value`] checks (none by
    /// default).
    fn value_kinds(&self) -> &'static [FieldKind] {
        &[]
    }

    /// Check of one value: a cell of a field of one of
    /// [`Rule::value_kinds`]. Its findings may depend only on the value, its
    /// field's definition and whether the sheet is XML — not on other cells,
    /// the settings or the row's facts — because a value found clean is not
    /// checked again in other rows (`row` is there to place findings).
    fn check_value(
        &self,
        _row: &Avail,
        _def: &'static FieldDef,
        _cell: &Cell,
        _out: &mut Vec<Diagnostic>,
    ) {
    }

    /// True when the rule has a [`Rule::check_row`]: the row checker calls
    /// only these for each row, as it calls [`Rule::check_value`] only for
    /// the kinds of [`Rule::value_kinds`].
    fn checks_rows(&self) -> bool {
        false
    }

    /// False when [`Rule::check_row`] has nothing to look for in the rows
    /// of `sheet` under `settings` (say, a spreadsheet rule on an XML
    /// sheet): the row checker then leaves the rule out for that sheet.
    fn checks_rows_of(&self, _sheet: &SheetInfo, _settings: &Settings) -> bool {
        true
    }

    /// Fields of which a row must have a cell for [`Rule::check_row`] to
    /// find anything in it: the row checker skips rows with none. Empty (the
    /// default): every row is checked, as a rule reporting a missing value
    /// needs.
    fn row_fields(&self) -> &'static [Field] {
        &[]
    }

    /// Check of one row, given its facts (called in parallel across rows);
    /// called only when [`Rule::checks_rows`] and [`Rule::checks_rows_of`]
    /// say so, and [`Rule::row_fields`] allows.
    fn check_row(
        &self,
        _row: &Avail,
        _facts: &RowFacts,
        _ctx: &Context<'_>,
        _out: &mut Vec<Diagnostic>,
    ) {
    }

    /// True when the rule also checks the rows of `--licensed` reference
    /// files (their windows must be read right to be compared).
    fn checks_references(&self) -> bool {
        false
    }

    /// The fields whose cells [`Rule::check_set`] reads from rows, besides
    /// the row's facts. After the row rules, rows keep only the cells of the
    /// active rules' set fields (and those their facts point to).
    fn set_fields(&self) -> &'static [Field] {
        &[]
    }

    /// Cross-row check over every row at once.
    fn check_set(&self, _input: &RuleInput<'_>, _ctx: &Context<'_>, _out: &mut Vec<Diagnostic>) {}
}

/// Runs the value and row checks of a set of rules on the rows of one
/// sheet: the value rules of each column are found once, and a value that
/// all of them found clean is skipped in later rows (through
/// [`Text::mark_clean`](crate::model::Text::mark_clean)).
pub struct RowChecker<'a> {
    /// The rules that check rows ([`Rule::checks_rows`]), each with the
    /// index in `gates` of its [`Rule::row_fields`] (none: every row).
    rows: Vec<(&'a dyn Rule, Option<u32>)>,
    /// The columns of each distinct [`Rule::row_fields`] of `rows` (at most
    /// 64): a rule gets only rows with a cell in one of its gate's columns.
    gates: Vec<Vec<usize>>,
    /// Per layout of the sheet, per column: the field's definition and the
    /// value rules of its kind.
    values: Vec<Vec<Option<ValueRules<'a>>>>,
    /// Added to a definition's address in the clean key of XML sheets.
    xml: usize,
}

/// A column's field definition and the value rules of its kind.
type ValueRules<'a> = (&'static FieldDef, Vec<&'a dyn Rule>);

impl<'a> RowChecker<'a> {
    /// The checker of `rules` for rows of `sheet` under `settings`.
    pub fn new(rules: &'a [&'a dyn Rule], sheet: &SheetInfo, settings: &Settings) -> Self {
        let values = sheet
            .layouts()
            .iter()
            .map(|layout| {
                (0..sheet.columns.len())
                    .map(|c| {
                        let def = layout.field_def_at(c)?;
                        let rules: Vec<&dyn Rule> = rules
                            .iter()
                            .copied()
                            .filter(|r| r.value_kinds().contains(&def.kind))
                            .collect();
                        (!rules.is_empty()).then_some((def, rules))
                    })
                    .collect()
            })
            .collect();
        let mut fields: Vec<&'static [Field]> = Vec::new();
        let mut gates = Vec::new();
        let rows = (rules.iter().copied())
            .filter(|r| r.checks_rows() && r.checks_rows_of(sheet, settings))
            .map(|rule| {
                let own = rule.row_fields();
                if own.is_empty() {
                    return (rule, None);
                }
                let gate = fields.iter().position(|f| *f == own).unwrap_or_else(|| {
                    fields.push(own);
                    gates.push(own.iter().filter_map(|&f| sheet.column_of(f)).collect());
                    gates.len() - 1
                });
                (rule, Some(u32::try_from(gate).expect("few gates")))
            })
            .collect();
        assert!(gates.len() <= 64, "a gate per bit");
        RowChecker {
            rows,
            gates,
            values,
            xml: usize::from(sheet.source == crate::model::SourceKind::Xml),
        }
    }

    /// Trims `row` (checked already) to the cells the set rules read: those
    /// of `kept` columns and of the columns `facts` point into. Never
    /// inlined, so that profiles show its cost apart from the row rules'.
    #[inline(never)]
    pub fn trim(row: &mut Avail, facts: &mut RowFacts, kept: &[bool]) {
        let pinned = facts.columns(row);
        facts.follow(row, |row| {
            row.retain_cells(|c| {
                kept.get(c.column()).copied().unwrap_or(false) || pinned.contains(&Some(c.column()))
            });
        });
    }

    /// Checks `row` (a row of the sheet this checker was made for).
    pub fn check(
        &self,
        row: &Avail,
        facts: &RowFacts,
        ctx: &Context<'_>,
        out: &mut Vec<Diagnostic>,
    ) {
        let values = &self.values[usize::from(row.layout_index())];
        let start = out.len();
        for cell in row.cells() {
            let Some(Some((def, rules))) = values.get(cell.column()) else {
                continue;
            };
            // Definitions are aligned: the low bit is free for the XML flag.
            let key = std::ptr::from_ref::<FieldDef>(def).addr() | self.xml;
            // Skipped: a value found clean before, and an error value (no
            // value: EMA015 reports it, nothing else).
            if cell.text.is_clean(key) || cell.is_error() {
                continue;
            }
            let before = out.len();
            for rule in rules {
                rule.check_value(row, def, cell, out);
            }
            if out.len() == before {
                cell.text.mark_clean(key);
            }
        }
        // Bit g: the row has a cell in a column of gate g.
        let open = (self.gates.iter().enumerate()).fold(0u64, |bits, (g, columns)| {
            bits | u64::from(columns.iter().any(|&c| row.has_cell(c))) << g
        });
        for &(rule, gate) in &self.rows {
            if gate.is_none_or(|g| open >> g & 1 == 1) {
                rule.check_row(row, facts, ctx, out);
            }
        }
        if row.hidden || row.sheet.hidden || !row.sheet.merged.is_empty() {
            for d in &mut out[start..] {
                say_hidden_or_merged(row, d);
            }
        }
    }
}

/// Adds to a finding on `row` what the sheet hides from whoever fixes it:
/// that the row or its sheet is hidden (Amazon reads them all the same), and
/// that an empty cell lies inside merged cells, whose value only the
/// top-left cell holds.
fn say_hidden_or_merged(row: &Avail, d: &mut Diagnostic) {
    let sheet = &row.sheet;
    if d.location.row != Some(row.row) {
        return;
    }
    if sheet.hidden {
        let name = sheet.sheet.as_deref().unwrap_or_default();
        d.message.push_str(&format!(
            " (sheet `{name}` is hidden; Amazon reads hidden sheets)"
        ));
    } else if row.hidden {
        d.message.push_str(&format!(
            " (row {} is hidden; Amazon reads hidden rows)",
            row.row
        ));
    }
    let Some(letter) = d.location.column.as_deref() else {
        return;
    };
    let Some(column) = sheet.columns.iter().position(|c| c.letter == letter) else {
        return;
    };
    if d.location.value.is_some() || row.has_cell(column) {
        return;
    }
    let column = u32::try_from(column).unwrap_or(u32::MAX);
    let Some(m) = sheet.merged.iter().find(|m| m.contains(row.row, column)) else {
        return;
    };
    let cell = |r: u32, c: u32| format!("{}{r}", crate::model::column_letter(c as usize));
    let top_left = cell(m.first_row, m.first_column);
    if top_left == cell(row.row, column) {
        return;
    }
    let merged = format!(
        "{} is one of the merged cells {top_left}:{}, whose value only {top_left} holds: unmerge them and write the value in every row",
        cell(row.row, column),
        cell(m.last_row, m.last_column)
    );
    d.help = Some(match d.help.take() {
        Some(help) => format!("{help}; {merged}"),
        None => merged,
    });
}

/// Every rule: the one table mapping codes to rules ([`all_meta`] lists
/// them in code order).
pub fn registry() -> &'static [&'static dyn Rule] {
    &[
        &ema_missing_column::MissingColumn,
        &ema_unknown_column::UnknownColumn,
        &ema_required_value::RequiredValue,
        &ema_enum::InvalidEnumeration,
        &ema_territory::InvalidTerritory,
        &ema_language::InvalidLanguage,
        &ema_currency::InvalidCurrency,
        &ema_date::InvalidDate,
        &ema_value_format::InvalidValueFormat,
        &ema_end_before_start::EndNotAfterStart,
        &ema_formula::ExcelFormula,
        &ema_inconsistent_title::InconsistentTitle,
        &ema_missing_conditional_column::MissingConditionalColumn,
        &ema_list_separator::ListSeparator,
        &ema_error_value::ErrorValue,
        &ema_invisible::InvisibleCharacter,
        &ema_rounded_number::RoundedNumber,
        &ema_price_value::PriceValue,
        &cph_inputs::CphInputs,
        &cph_dab::DabVersion,
        &cph_territory::TerritoryNotPermitted,
        &cph_start::StartNotForward,
        &cph_licensed_window::LicensedWindowConflict,
        &cph_discrete_windows::OverlappingWindows,
        &cph_partner_alias::PartnerAlias,
        &cph_entry_type::EntryType,
        &cph_row_limit::RowLimit,
        &cph_localization::Localization,
        &cph_no_rows::NoCphRows,
        &cph_rights_description::RightsDescription,
        &cph_territories_unset::TerritoriesUnset,
        &cph_min_lead::StartWithinLead,
        &cph_licensed_gap::LicensedWindowGap,
        &cph_licensed_unused::LicensedWindowUnused,
        &cph_localization_reminder::LocalizationReminder,
        &cph_dropped_window::DroppedWindow,
        &cph_deleted_live_scope::DeletedLiveScope,
        &cph_window_into_past::WindowIntoPast,
        &ema_term_pricing::TermPricing,
        &ema_avail_type::AvailType,
        &ema_avail_type_assets::AvailTypeAssets,
        &ema_ref_alid::RefAlid,
        &ema_bundled_asset::BundledAsset,
        &ema_bundled_asset_sequence::BundledAssetSequence,
        &ema_work_type_metadata::WorkTypeMetadata,
        &ema_alid_unique::AlidUnique,
        &ema_tvod_asset_language::TvodAssetLanguage,
        &ema_pre_order_fulfill_date::PreOrderFulfillDate,
        &ema_poest_suppression::PoestSuppressionLiftDate,
        &ema_tbd_condition::TbdCondition,
        &ema_volume_overlap::VolumeOverlap,
        &ema_volume_status::VolumeStatus,
        &ema_rating_system::UnknownRatingSystem,
        &ema_rating_value::InvalidRatingValue,
        &ema_rating_reason::InvalidRatingReason,
        &ema_rating_region::RatingSystemRegion,
        &ema_rating_deprecated::DeprecatedRating,
    ]
}

/// Every rule's metadata, reader findings included, sorted by code.
pub fn all_meta() -> &'static [&'static RuleMeta] {
    static ALL: std::sync::OnceLock<Vec<&'static RuleMeta>> = std::sync::OnceLock::new();
    ALL.get_or_init(|| {
        let mut v: Vec<&'static RuleMeta> = registry().iter().map(|r| r.meta()).collect();
        v.extend(reader::METAS.iter().copied());
        v.extend(xsd::METAS.iter().copied());
        v.sort_by_key(|m| m.code);
        v
    })
}

/// Looks a rule up by code (case-insensitive) or name.
pub fn find(code: &str) -> Option<&'static RuleMeta> {
    let all = all_meta();
    // Codes are upper case and sorted: most lookups are by code.
    let upper = code.bytes().map(|b| b.to_ascii_uppercase());
    if let Ok(i) = all.binary_search_by(|m| m.code.bytes().cmp(upper.clone())) {
        return Some(all[i]);
    }
    all.iter()
        .copied()
        .find(|m| m.code.eq_ignore_ascii_case(code) || m.name.eq_ignore_ascii_case(code))
}

/// The fields of a row's window (its scope, offer, span and EntryType),
/// kept whatever rules are active: the report draws windows
/// ([`crate::Windows`]) and deliveries compare them ([`delivery`]).
pub const WINDOW_FIELDS: [Field; 7] = [
    Field::Start,
    Field::End,
    Field::LicenseType,
    Field::DisplayName,
    Field::FormatProfile,
    Field::TerritoryExclusion,
    Field::EntryType,
];

/// Per column of `sheet`: whether a set rule of `rules` reads its cells, it
/// holds a CPH marker (kept so that findings show why a row is CPH), or it
/// is one of the [`WINDOW_FIELDS`].
pub fn kept_columns(rules: &[&dyn Rule], settings: &Settings, sheet: &SheetInfo) -> Vec<bool> {
    let markers = settings
        .markers
        .all()
        .into_iter()
        .flat_map(|m| m.fields.iter().copied());
    let fields: crate::model::FieldSet = rules
        .iter()
        .flat_map(|r| r.set_fields().iter().copied())
        .chain(markers)
        .chain(WINDOW_FIELDS)
        .collect();
    // Rules read a field's first column.
    (0..sheet.columns.len())
        .map(|c| {
            sheet.columns[c]
                .field
                .is_some_and(|f| fields.contains(f) && sheet.column_of(f) == Some(c))
        })
        .collect()
}

/// The rules a profile runs.
pub fn active(profile: Profile) -> Vec<&'static dyn Rule> {
    registry()
        .iter()
        .copied()
        .filter(|r| match r.meta().family {
            Family::Cph => profile == Profile::CphSvod,
            _ => true,
        })
        .collect()
}

/// Strings of up to this many characters are compared on the stack.
const STACK_CHARS: usize = 64;

/// Calls `f` with the characters of `s` (`len` of them): on the stack for a
/// short string, in one allocation for a longer one.
fn with_chars<R>(s: &str, len: usize, f: impl FnOnce(&[char]) -> R) -> R {
    if len <= STACK_CHARS {
        let mut buf = ['\0'; STACK_CHARS];
        for (slot, c) in buf.iter_mut().zip(s.chars()) {
            *slot = c;
        }
        f(&buf[..len])
    } else {
        f(&s.chars().collect::<Vec<char>>())
    }
}

/// Levenshtein distance between `a` and `b` (ASCII letters compared without
/// case), or `None` when it is over `limit`: did-you-mean suggestions only
/// use small distances. Strings whose lengths differ by more than `limit`
/// are not compared; otherwise only the cells of the table within `limit`
/// of its diagonal are computed (a path through any other costs more), and
/// it stops at the first row whose cells all exceed `limit`.
fn banded_distance(a: &[char], b: &[char], limit: usize) -> Option<usize> {
    let (la, lb) = (a.len(), b.len());
    if la.abs_diff(lb) > limit {
        return None;
    }
    if la == 0 || lb == 0 {
        return Some(la.max(lb));
    }
    // No distance exceeds the longer length; this keeps `over` small.
    let limit = limit.min(la.max(lb));
    // Any value over the limit, standing for the cells outside the band.
    let over = limit + 1;
    let mut stack = [[0usize; STACK_CHARS + 1]; 2];
    let mut heap: [Vec<usize>; 2];
    let [prev, cur] = if lb <= STACK_CHARS {
        let [p, c] = &mut stack;
        [&mut p[..=lb], &mut c[..=lb]]
    } else {
        heap = [vec![0; lb + 1], vec![0; lb + 1]];
        let [p, c] = &mut heap;
        [&mut p[..], &mut c[..]]
    };
    let (mut prev, mut cur) = (prev, cur);
    for (j, cell) in prev.iter_mut().enumerate() {
        *cell = j.min(over);
    }
    for (i, ca) in a.iter().enumerate() {
        let i = i + 1;
        let lo = i.saturating_sub(limit).max(1);
        let hi = (i + limit).min(lb);
        cur[lo - 1] = if lo == 1 { i.min(over) } else { over };
        let mut row_min = cur[lo - 1];
        for j in lo..=hi {
            let cost = usize::from(!ca.eq_ignore_ascii_case(&b[j - 1]));
            let d = (prev[j - 1] + cost)
                .min(prev[j] + 1)
                .min(cur[j - 1] + 1)
                .min(over);
            cur[j] = d;
            row_min = row_min.min(d);
        }
        if hi < lb {
            // The next row reads this cell as the one above its band's end.
            cur[hi + 1] = over;
        }
        if row_min > limit {
            return None;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    (prev[lb] <= limit).then_some(prev[lb])
}

/// Levenshtein distance between `a` and `b` (ASCII letters compared without
/// case), or `None` when it is over `limit`.
pub(crate) fn edit_distance_within(a: &str, b: &str, limit: usize) -> Option<usize> {
    let (la, lb) = (a.chars().count(), b.chars().count());
    with_chars(a, la, |a| {
        with_chars(b, lb, |b| banded_distance(a, b, limit))
    })
}

/// The characters of `s` as bits (ASCII without case; bit 127 stands for
/// every other character), and its length in characters.
fn char_bits(s: &str) -> (u128, usize) {
    let mut bits = 0u128;
    if s.is_ascii() {
        for b in s.bytes() {
            bits |= 1 << b.to_ascii_lowercase();
        }
        return (bits, s.len());
    }
    let mut len = 0;
    for c in s.chars() {
        len += 1;
        let bit = if c.is_ascii() {
            u32::from(c.to_ascii_lowercase())
        } else {
            127
        };
        bits |= 1 << bit;
    }
    (bits, len)
}

/// The closest candidate within a small distance (the first of equally
/// close ones).
pub(crate) fn did_you_mean<'a>(
    value: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let (bits, len) = char_bits(value);
    // Each candidate found lowers the limit: only a closer one can replace it.
    let mut limit = (len / 3).clamp(1, 3);
    let mut best = None;
    with_chars(value, len, |value| {
        for candidate in candidates {
            let candidate_len = candidate.chars().count();
            if candidate_len.abs_diff(len) > limit {
                continue;
            }
            // Each character one has and the other lacks costs an edit.
            let candidate_bits = char_bits(candidate).0;
            let missing = (bits & !candidate_bits)
                .count_ones()
                .max((candidate_bits & !bits).count_ones());
            if missing as usize > limit {
                continue;
            }
            let distance = with_chars(candidate, candidate_len, |c| {
                banded_distance(value, c, limit)
            });
            if let Some(d) = distance {
                best = Some(candidate);
                match d.checked_sub(1) {
                    Some(closer) => limit = closer,
                    None => break,
                }
            }
        }
    });
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_documented() {
        let metas = all_meta();
        let mut codes: Vec<&str> = metas.iter().map(|m| m.code).collect();
        codes.dedup();
        assert_eq!(codes.len(), metas.len(), "duplicate rule code");
        for m in metas {
            let docs = m.documentation();
            for section in ["## What it does", "## Example", "## Source"] {
                assert!(docs.contains(section), "{} lacks `{section}`", m.code);
            }
            assert!(!m.title.is_empty());
        }
    }

    /// The row checker calls only the rules that say they check rows
    /// ([`Rule::checks_rows`]): over the rows of the fixtures and the
    /// vendored samples, every rule whose `check_row` finds something says
    /// so. (These rows exercise about half of the row rules; the others'
    /// own tests run them through the binary, and fail if they are skipped.)
    #[test]
    fn only_rules_that_say_so_check_rows() {
        let settings = Settings {
            territories: Some(["US".to_string()].into()),
            partner: Some("acme".to_string()),
            ..Settings::default()
        };
        let stats = Stats::default();
        let ctx = Context::new(&settings, &stats);
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        // The files `availcheck check fixtures` would check.
        let files = crate::inputs::discover(&[root], &[], &[], false).checked;
        let mut fired = std::collections::BTreeSet::new();
        for path in &files {
            let Ok(read) =
                crate::read::read_path(path, "f", 0, &crate::read::ReadOptions::default())
            else {
                continue;
            };
            for row in read.sheets.iter().flat_map(|s| &s.rows) {
                let facts = RowFacts::of(row, &settings);
                // As the row checker calls them.
                let rules = registry()
                    .iter()
                    .filter(|r| r.checks_rows_of(&row.sheet, &settings));
                for rule in rules {
                    let mut found = Vec::new();
                    rule.check_row(row, &facts, &ctx, &mut found);
                    let code = rule.meta().code;
                    if !found.is_empty() {
                        assert!(rule.checks_rows(), "{code} checks rows without saying so");
                        let has =
                            |&f: &Field| row.sheet.column_of(f).is_some_and(|c| row.has_cell(c));
                        let fields = rule.row_fields();
                        assert!(
                            fields.is_empty() || fields.iter().any(has),
                            "{code} finds something in a row without its row_fields"
                        );
                        fired.insert(code);
                    }
                }
            }
        }
        assert!(fired.len() >= 10, "the rows exercise row rules: {fired:?}");
    }

    #[test]
    fn suggestions() {
        assert_eq!(
            did_you_mean("Teritory", ["Territory", "Start"]),
            Some("Territory")
        );
        assert_eq!(did_you_mean("Zzzzzzz", ["Territory"]), None);
    }

    /// [`banded_distance`] of two strings.
    fn edit_distance_within(a: &str, b: &str, limit: usize) -> Option<usize> {
        let (la, lb) = (a.chars().count(), b.chars().count());
        with_chars(a, la, |a| {
            with_chars(b, lb, |b| banded_distance(a, b, limit))
        })
    }

    /// The full Levenshtein table (the implementation before the banded one).
    fn full_distance(a: &str, b: &str) -> usize {
        let a: Vec<char> = a.chars().collect();
        let b: Vec<char> = b.chars().collect();
        let mut prev: Vec<usize> = (0..=b.len()).collect();
        for (i, ca) in a.iter().enumerate() {
            let mut cur = vec![i + 1];
            for (j, cb) in b.iter().enumerate() {
                let cost = usize::from(!ca.eq_ignore_ascii_case(cb));
                cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
            }
            prev = cur;
        }
        prev[b.len()]
    }

    /// did-you-mean over the full table (the implementation before).
    fn full_did_you_mean<'a>(value: &str, candidates: &[&'a str]) -> Option<&'a str> {
        let limit = (value.chars().count() / 3).clamp(1, 3);
        candidates
            .iter()
            .map(|c| (full_distance(value, c), *c))
            .filter(|(d, _)| *d <= limit)
            .min_by_key(|(d, _)| *d)
            .map(|(_, c)| c)
    }

    /// Strings near each other: a few letters of either case and non-ASCII
    /// ones (compared with case), or long enough to pass the stack buffer.
    fn word() -> impl proptest::strategy::Strategy<Value = String> {
        proptest::string::string_regex("[abAB\u{e9}\u{c9}x]{0,8}|[ab]{60,70}").unwrap()
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1024))]

        #[test]
        fn banded_distance_is_the_full_one(a in word(), b in word(), limit in 0usize..12) {
            let full = full_distance(&a, &b);
            let expected = (full <= limit).then_some(full);
            proptest::prop_assert_eq!(edit_distance_within(&a, &b, limit), expected);
        }

        #[test]
        fn suggestions_are_the_full_ones(
            value in word(),
            candidates in proptest::collection::vec(word(), 0..12),
        ) {
            let candidates: Vec<&str> = candidates.iter().map(String::as_str).collect();
            proptest::prop_assert_eq!(
                did_you_mean(&value, candidates.iter().copied()),
                full_did_you_mean(&value, &candidates)
            );
        }
    }

    /// Every field name of every dictionary, misspelt the ways people do
    /// (all lower case, a letter dropped, doubled or swapped), against all
    /// the names: the same suggestion as the full table's.
    #[test]
    fn dictionary_suggestions_are_the_full_ones() {
        let mut names: Vec<&str> = crate::model::Dictionary::all()
            .flat_map(|d| d.fields.iter().map(|f| f.field.name()))
            .collect();
        names.sort_unstable();
        names.dedup();
        for name in &names {
            let chars: Vec<char> = name.chars().collect();
            let (last, mid) = (chars.len() - 1, chars.len() / 2);
            let edit = |f: &dyn Fn(&mut Vec<char>)| {
                let mut c = chars.clone();
                f(&mut c);
                c.into_iter().collect::<String>()
            };
            let variants = [
                name.to_ascii_lowercase(),
                edit(&|c| {
                    c.remove(0);
                }),
                edit(&|c| {
                    c.remove(last);
                }),
                edit(&|c| c.insert(mid, chars[mid])),
                edit(&|c| c.swap(mid - 1, mid)),
            ];
            for v in &variants {
                assert_eq!(
                    did_you_mean(v, names.iter().copied()),
                    full_did_you_mean(v, &names),
                    "{v}"
                );
            }
            // Case alone makes no distance.
            assert_eq!(
                did_you_mean(&variants[0], names.iter().copied()),
                Some(*name)
            );
        }
    }
}
