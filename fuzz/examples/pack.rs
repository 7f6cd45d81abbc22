//! Turns an `xlsx_parts` or `ods_parts` input into the workbook file the
//! target reads, to look at it or give it to the CLI:
//!
//! ```sh
//! cd fuzz && cargo run --example pack -- xlsx regressions/xlsx_parts/huge-column-header-oom /tmp/oom.xlsx
//! ```

#[path = "../fuzz_targets/parts.rs"]
mod parts;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [kind, input, output] = args.as_slice() else {
        eprintln!("usage: pack xlsx|ods INPUT OUTPUT");
        std::process::exit(2);
    };
    let data = std::fs::read(input).expect("the input is read");
    let bytes = match kind.as_str() {
        "xlsx" => parts::xlsx(&data),
        "ods" => parts::ods(&data),
        _ => {
            eprintln!("pack: the kind is xlsx or ods, not `{kind}`");
            std::process::exit(2);
        }
    };
    std::fs::write(output, bytes).expect("the output is written");
}
