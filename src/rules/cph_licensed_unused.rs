//! CPH016: a Licensed SVOD window of a reference file that cannot be compared.

use super::Rule;

super::declare_rule! {
    /// ## What it does
    /// A row of a `--licensed` reference file without a title id, a
    /// territory, or an End that is a date, date-time or condition cannot be
    /// placed on a timeline, so CPH005 cannot compare it with the CPH
    /// windows: an error, because the conflict check did not run for it
    /// (EMA005 and EMA008 also say what is wrong with its territory or
    /// dates). Found in the same pass as CPH005.
    ///
    /// ## Why is this bad?
    /// A conflict with that window would go unnoticed: the check cannot pass
    /// while a licensed window is left out.
    ///
    /// ## Example
    /// A licensed-windows CSV:
    /// ```text
    /// title_id,territory,start,end
    /// md:alid:x:1,US,2026-01-01,30/06/2030
    /// ```
    /// Fixed:
    /// ```text
    /// md:alid:x:1,US,2026-01-01,2030-06-30T23:59:00Z
    /// ```
    ///
    /// ## Source
    /// `cph-svod-rules.md` rule 5 (licensed windows from `--licensed`).
    pub struct LicensedWindowUnused = ("CPH016", "licensed-window-not-compared", Error, Cph,
        "A Licensed SVOD window of a reference file is not compared");
}

/// Reported by CPH005's pass over the windows.
impl Rule for LicensedWindowUnused {}
