//! CPH019: a Full Delete of a scope whose window is live.

use super::Rule;

super::declare_rule! {
    /// ## What it does
    /// With `--previous`, warns when a checked file sends Full Delete for a
    /// scope (Licensor, title id, Territory, LicenseType) in which Amazon
    /// has a live window: started, and not ended at the check time. Found in
    /// the same comparison as CPH018.
    ///
    /// ## Why is this bad?
    /// Amazon's Avails FAQ: "Full Delete can only be used if assets/metadata
    /// have not been delivered. If they have been delivered, you must use an
    /// end date."
    ///
    /// ## Example
    /// Previous delivery, then this one:
    /// ```text
    /// previous: Start = 2025-01-01  End = Open
    /// current:  EntryType = Full Delete
    /// ```
    /// Fixed:
    /// ```text
    /// current:  EntryType = Full Extract  Start = 2025-01-01  End = 2026-12-31T23:59:00Z
    /// ```
    ///
    /// ## Source
    /// Amazon Video Central Avails FAQ (Full Delete).
    pub struct DeletedLiveScope = ("CPH019", "full-delete-live-scope", Warning, Cph,
        "A Full Delete of a scope whose window is live at Amazon");
}

/// Reported by CPH018's comparison with the previous delivery.
impl Rule for DeletedLiveScope {}
