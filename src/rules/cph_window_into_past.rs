//! CPH020: a window Amazon has moved so that it ends or stops now.

use super::Rule;

super::declare_rule! {
    /// ## What it does
    /// With `--previous`, warns when a checked file moves a window Amazon
    /// has so that Amazon stops or never starts it: a live window whose End
    /// moves before the check time expires at once; a live window whose
    /// Start moves into the future is taken down until then; a window whose
    /// Start and End both moved into the past is never published. The
    /// message says which. Found in the same comparison as CPH018.
    ///
    /// ## Why is this bad?
    /// It is often a typo in a year; Amazon acts on it at once.
    ///
    /// ## Example
    /// Checked on 2026-11-22:
    /// ```text
    /// previous: Start = 2025-01-01  End = 2027-12-31
    /// current:  Start = 2025-01-01  End = 2026-01-31
    /// ```
    /// Fixed, if the window should run on:
    /// ```text
    /// current:  Start = 2025-01-01  End = 2027-01-31
    /// ```
    ///
    /// ## Source
    /// Amazon Video Central "Content rights" page and Avails FAQ (End dates
    /// end an offer).
    pub struct WindowIntoPast = ("CPH020", "window-into-past", Warning, Cph,
        "A window Amazon has moved into the past, or a live one moved later");
}

/// Reported by CPH018's comparison with the previous delivery.
impl Rule for WindowIntoPast {}
