//! CPH018: a Full Extract drops a window Amazon has (with CPH019 and CPH020,
//! found in the same comparison with the previous delivery).

use super::cph_deleted_live_scope::DeletedLiveScope;
use super::cph_window_into_past::WindowIntoPast;
use super::delivery::{Change, Delivery, diff};
use super::{Context, Rule, RuleInput};
use crate::model::Diagnostic;
use crate::model::zone::Zone;

super::declare_rule! {
    /// ## What it does
    /// With `--previous` (what Amazon already has), compares each checked
    /// file with it scope by scope — a scope is a Licensor, title id (ALID;
    /// AltID on 1.6), Territory and LicenseType — and reports each window of
    /// the previous delivery that a Full Extract of the same scope no longer
    /// sends. Scopes the file does not mention are left as they are and get
    /// nothing. Licensed SVOD and CPH SVOD share LicenseType SVOD, so they
    /// share a scope: a CPH Full Extract that leaves out the Licensed SVOD
    /// window of the same title and territory replaces it.
    ///
    /// ## Why is this bad?
    /// Amazon: "Full Extract means that new avail entries replace all
    /// current and future avail entries within the same scope" — the
    /// dropped window ends, and with it a Licensed SVOD deal, early.
    ///
    /// ## Example
    /// Previous delivery, then this one, same ALID, territory and SVOD:
    /// ```text
    /// previous: Licensed SVOD  Start = 2025-01-01  End = Open
    /// current:  CPH            Start = 2027-01-01T00:00:00Z
    /// ```
    /// Fixed: send the licensed window too, ending one minute before:
    /// ```text
    /// current:  Licensed SVOD  Start = 2025-01-01  End = 2026-12-31T23:59:00Z
    ///           CPH            Start = 2027-01-01T00:00:00Z
    /// ```
    ///
    /// ## How to fix
    /// To keep the window, send it again as it is; to end it, send it with
    /// the End you want.
    ///
    /// ## Source
    /// Amazon Video Central "Content rights" page (Full Extract and scope).
    pub struct DroppedWindow = ("CPH018", "full-extract-drops-window", Error, Cph,
        "A Full Extract drops a window Amazon has");
}

impl Rule for DroppedWindow {
    fn check_set(&self, input: &RuleInput<'_>, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let Some(previous) = ctx.previous else { return };
        let s = ctx.settings;
        let mut files: Vec<usize> = input.sheets.iter().map(|s| s.info.file_index).collect();
        files.dedup();
        for file in files {
            let rows = input
                .with_facts()
                .filter(|(sheet, _)| sheet.info.file_index == file)
                .flat_map(|(sheet, facts)| sheet.rows.iter().zip(facts));
            let current = Delivery::of(rows, s.zones);
            for (scope, change) in diff(previous, &current) {
                let Some(first) = current.scopes.get(&scope).and_then(|w| w.first()) else {
                    continue;
                };
                if change.deleted {
                    for live in change.removed.iter().filter(|w| w.live(s.as_of)) {
                        let delete = current.scopes[&scope]
                            .iter()
                            .find(|w| w.delete)
                            .unwrap_or(first);
                        out.push(
                            DeletedLiveScope::META
                                .diag(
                                    delete.location.clone(),
                                    format!(
                                        "Full Delete of {} whose {} window `{}` ({}) is live at Amazon",
                                        scope.describe(),
                                        live.offer.describe(),
                                        live.span(),
                                        live.location.display()
                                    ),
                                )
                                .with_related("the live window Amazon has", live.start_location.clone())
                                .with_help("Amazon: \"Full Delete can only be used if assets/metadata have not been delivered. If they have been delivered, you must use an end date.\" Send a Full Extract with the End instead")
                                .with_order(order(delete, file)),
                        );
                    }
                    continue;
                }
                for dropped in &change.removed {
                    out.push(
                        DroppedWindow::META
                            .diag(
                                first.start_location.clone(),
                                format!(
                                    "this Full Extract of {} does not send the {} window `{}` Amazon has ({}); it replaces every window of the scope, so that window ends",
                                    scope.describe(),
                                    dropped.offer.describe(),
                                    dropped.span(),
                                    dropped.location.display()
                                ),
                            )
                            .with_related("the window Amazon has", dropped.start_location.clone())
                            .with_help("to keep it, send its row again as it is; to end it, send it with the End you want")
                            .with_order(order(first, file)),
                    );
                }
                for (before, now, how) in &change.changed {
                    const RUN_ON: &str =
                        "if the window should run on, give it an End in the future";
                    let ended = now.end.is_some_and(|e| e <= s.as_of);
                    let (what, help) = match (before.live(s.as_of), ended) {
                        (true, true) => (
                            "ends the window Amazon has live now: Amazon expires it at once",
                            RUN_ON,
                        ),
                        // Live, and moved to start later: a gap from now.
                        (true, false) if !now.live(s.as_of) => (
                            "takes down the window Amazon has live now until the new Start",
                            "to keep it live, keep its Start as Amazon has it (only the End may move)",
                        ),
                        (false, true) if *how != Change::EndMoved => (
                            "moves its Start and End into the past: Amazon will never publish it",
                            RUN_ON,
                        ),
                        (false, true) => (
                            "moves its End into the past: Amazon will not publish it",
                            RUN_ON,
                        ),
                        _ => continue,
                    };
                    out.push(
                        WindowIntoPast::META
                            .diag(
                                now.start_location.clone(),
                                format!(
                                    "the {} window of {} was `{}` at Amazon and is now `{}` (check time {}): this {what}",
                                    now.offer.describe(),
                                    scope.describe(),
                                    before.span(),
                                    now.span(),
                                    Zone::UTC.format(s.as_of)
                                ),
                            )
                            .with_related("the window Amazon has", before.start_location.clone())
                            .with_help(help)
                            .with_order(order(now, file)),
                    );
                }
            }
        }
    }
}

/// The sort key of a finding on window `w` of file `file`.
fn order(w: &super::delivery::Window, file: usize) -> (usize, usize, u32, usize) {
    let loc = &w.location;
    (file, w.sheet_index, loc.row.or(loc.line).unwrap_or(0), 0)
}
