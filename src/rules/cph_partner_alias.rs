//! CPH007: DisplayName is the Prime Video partner alias.

use rustc_hash::FxHashMap;

use super::{Context, Rule, RuleInput};
use crate::model::{Avail, Diagnostic, Field};

super::declare_rule! {
    /// ## What it does
    /// `DisplayName` (XML: Licensor DisplayName) must be the Prime Video
    /// partner alias: one lower-case word of letters and digits
    /// (`^[a-z0-9]+$`). With `--partner ALIAS` (or `partner` in
    /// availcheck.toml) it must equal that alias. Reported once per distinct
    /// value per file, at its first row, with the count.
    ///
    /// ## Why is this bad?
    /// Amazon identifies the licensor by the alias it supplied at onboarding
    /// ("mgm" in its own Avails API example); another name matches no
    /// partner.
    ///
    /// ## Example
    /// ```text
    /// DisplayName = Rockstar Films
    /// ```
    /// Fixed:
    /// ```text
    /// DisplayName = rockstarfilms
    /// ```
    ///
    /// ## How to fix
    /// Write the alias Prime Video gave you in every row's DisplayName.
    ///
    /// ## Source
    /// Amazon Avails API example and onboarding pages. Assumption: the
    /// lower-case one-word form is unverified in Amazon's text; setting
    /// `partner` pins the exact alias.
    pub struct PartnerAlias = ("CPH007", "partner-alias", Error, Cph,
        "DisplayName is not the Prime Video partner alias");
}

fn problem(value: &str, partner: Option<&str>) -> Option<String> {
    let word = !value.is_empty()
        && value
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    match partner {
        Some(p) if value != p => Some(format!(
            "DisplayName `{value}` is not your partner alias `{p}`"
        )),
        _ if !word => Some(format!(
            "DisplayName `{value}` is not a partner alias (one lower-case word of letters and digits)"
        )),
        _ => None,
    }
}

impl Rule for PartnerAlias {
    fn set_fields(&self) -> &'static [Field] {
        &[Field::DisplayName]
    }

    fn check_set(&self, input: &RuleInput<'_>, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let partner = ctx.settings.partner.as_deref();
        // The first row of each value; findings are sorted by place later.
        let mut seen: FxHashMap<(usize, &str), (&Avail, usize)> = FxHashMap::default();
        for sheet in input.sheets {
            for row in &sheet.rows {
                let v = row.text(Field::DisplayName);
                if v.is_empty() {
                    continue;
                }
                seen.entry((row.sheet.file_index, v)).or_insert((row, 0)).1 += 1;
            }
        }
        for ((_, value), (row, count)) in seen {
            if let Some(message) = problem(value, partner) {
                let more = if count > 1 {
                    format!(" ({count} rows)")
                } else {
                    String::new()
                };
                let help = match partner {
                    Some(p) => format!("write `{p}` in DisplayName on every row"),
                    None => format!(
                        "write the alias Prime Video supplied (e.g. `{}`), or pass --partner ALIAS",
                        value
                            .to_ascii_lowercase()
                            .replace(|c: char| !c.is_ascii_alphanumeric(), "")
                    ),
                };
                out.push(
                    Self::META
                        .at_field(row, Field::DisplayName, format!("{message}{more}"))
                        .with_help(help),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::problem;

    #[test]
    fn alias_forms() {
        assert!(problem("mgm", None).is_none());
        assert!(problem("acme2", None).is_none());
        assert!(problem("Rockstar Films", None).is_some());
        assert!(problem("acme_films", None).is_some());
        assert!(problem("acme", Some("mgm")).is_some());
        assert!(problem("mgm", Some("mgm")).is_none());
    }
}
