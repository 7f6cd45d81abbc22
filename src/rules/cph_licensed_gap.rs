//! CPH015: a gap between a Licensed SVOD window and the CPH window after it.

use super::Rule;

super::declare_rule! {
    /// ## What it does
    /// For the same title and territory, when the Licensed SVOD window that
    /// ends last before a CPH window's Start ends earlier than one minute
    /// before it — a gap, even under a minute; a date-only End means
    /// 23:59:59 — warns, stating the gap and the End that would make the
    /// offer continuous. Found in the same pass as CPH005 (one index serves
    /// both).
    ///
    /// ## Why is this bad?
    /// Amazon wants the licensed End "one minute before the CPH SVOD Start
    /// timestamp"; a gap leaves the title unavailable in between.
    ///
    /// ## Example
    /// Same ALID and territory:
    /// ```text
    /// licensed row: End = 2026-12-30            (means 23:59:59)
    /// CPH row:      Start = 2027-01-01T00:00:00Z
    /// ```
    /// Fixed:
    /// ```text
    /// licensed row: End = 2026-12-31T23:59:00Z
    /// CPH row:      Start = 2027-01-01T00:00:00Z
    /// ```
    ///
    /// ## Source
    /// Amazon "Cost Per Hour SVOD" page. Assumption: the exact one-minute
    /// handover (from Amazon's text, not confirmed by a sample file).
    pub struct LicensedWindowGap = ("CPH015", "licensed-window-gap", Warning, Cph,
        "Licensed SVOD window ends before the CPH window starts, with a gap");
}

/// Reported by CPH005's pass over the windows.
impl Rule for LicensedWindowGap {}
