//! A panic inside a dependency's reader, turned into an error. calamine
//! 0.38 indexes records without checking them in places (an .xlsb shared
//! string index past the table, cells_reader.rs:151; formula lengths), and
//! a damaged file must cost its own reading, not the run. Only the calls
//! wrapped here are guarded, so a panic in availcheck's own code still
//! shows (and fails tests and fuzzing); a guarded panic prints nothing.

use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

thread_local! {
    /// True while this thread runs a guarded call.
    static GUARDED: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f`, a call into a dependency that reads untrusted bytes; a panic
/// inside it becomes `Err` with what it said.
pub fn guarded<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        // Keep whatever hook there is (the default one, or a fuzzer's
        // abort) for every panic outside a guarded call.
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !GUARDED.with(Cell::get) {
                previous(info);
            }
        }));
    });
    let outer = GUARDED.with(|g| g.replace(true));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    GUARDED.with(|g| g.set(outer));
    result.map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "an internal error".to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_an_error_and_the_guard_is_released() {
        assert_eq!(guarded(|| 7), Ok(7));
        let e = guarded(|| -> u8 { panic!("index out of bounds") }).unwrap_err();
        assert_eq!(e, "index out of bounds");
        assert!(!GUARDED.with(Cell::get));
    }
}
