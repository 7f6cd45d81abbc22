//! Turns `schemas/xsd/avails-v2.x.json` (written by `examples/xsd_tables.rs`
//! from the MovieLabs XSDs) into the static tables of
//! `src/read/xml/xsd.rs`, and each XSD pattern into a DFA over ASCII.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::path::Path;

use serde_json::Value;

/// Writes `$OUT_DIR/xsd_tables.rs`.
pub fn emit(dir: &Path, out_dir: &Path) {
    println!("cargo::rerun-if-changed={}", dir.display());
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("schemas/xsd")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let mut out = String::new();
    let mut list = Vec::new();
    for path in &files {
        println!("cargo::rerun-if-changed={}", path.display());
        let text = std::fs::read_to_string(path).expect("xsd table");
        let v: Value = serde_json::from_str(&text).expect("xsd table JSON");
        let version = v["avails"].as_str().expect("avails version").to_string();
        let ident = format!("V{}", version.replace('.', "_"));
        schema(&v, &ident, &mut out);
        list.push((version, ident));
    }
    // In version order (2.10 after 2.9, should it come).
    list.sort_by_key(|(v, _)| {
        v.split('.')
            .map(|p| p.parse::<u32>().expect("version number"))
            .collect::<Vec<_>>()
    });
    writeln!(
        out,
        "/// Every avails schema version's tables, in version order."
    )
    .unwrap();
    writeln!(
        out,
        "pub(super) static SCHEMAS: [&Schema; {}] = [",
        list.len()
    )
    .unwrap();
    for (_, ident) in &list {
        writeln!(out, "    &{ident},").unwrap();
    }
    writeln!(out, "];").unwrap();
    std::fs::write(out_dir.join("xsd_tables.rs"), out).expect("write xsd_tables.rs");
}

fn s(v: &Value) -> &str {
    v.as_str().expect("string")
}

fn n(v: &Value) -> u64 {
    v.as_u64().expect("number")
}

fn opt_str(v: &Value) -> String {
    match v.as_str() {
        Some(s) => format!("Some({s:?})"),
        None => "None".into(),
    }
}

fn schema(v: &Value, ident: &str, out: &mut String) {
    let names: Vec<&str> = v["names"]
        .as_array()
        .expect("names")
        .iter()
        .map(s)
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(sorted, names, "names are sorted");
    let elements = v["elements"].as_array().expect("elements");
    let wildcards = v["wildcards"].as_array().expect("wildcards");
    // Patterns, as DFAs.
    let patterns: Vec<&str> = v["patterns"]
        .as_array()
        .expect("patterns")
        .iter()
        .map(s)
        .collect();
    let mut tables = String::new();
    for (i, p) in patterns.iter().enumerate() {
        let dfa = Dfa::compile(p).unwrap_or_else(|e| panic!("pattern `{p}`: {e}"));
        writeln!(
            tables,
            "static {ident}_P{i}: Pattern = Pattern {{ source: {p:?}, classes: &{:?}, width: {}, next: &{:?}, accept: &{:?} }};",
            dfa.classes, dfa.width, dfa.next, dfa.accept
        )
        .unwrap();
    }
    // Simple types; their steps, enumerations and union members flattened.
    let mut simple = String::new();
    let mut steps = String::new();
    let mut step_count = 0usize;
    let mut members: Vec<u64> = Vec::new();
    for t in v["simple"].as_array().expect("simple") {
        let ws = match s(&t["ws"]) {
            "preserve" => "Ws::Preserve",
            "collapse" => "Ws::Collapse",
            other => panic!("whitespace {other}"),
        };
        let builtin = match t.get("builtin") {
            Some(b) => builtin(s(b)),
            None => "Builtin::Union",
        };
        let from = members.len();
        if let Some(u) = t.get("union") {
            members.extend(u.as_array().expect("union").iter().map(n));
        }
        let step_from = step_count;
        for step in t
            .get("steps")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let enums: Vec<&str> = step
                .get("enum")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(s)
                .collect();
            let pats: Vec<String> = step
                .get("patterns")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(|p| format!("&{ident}_P{}", n(p)))
                .collect();
            writeln!(
                steps,
                "    Step {{ enums: &{enums:?}, patterns: &[{}] }},",
                pats.join(", ")
            )
            .unwrap();
            step_count += 1;
        }
        writeln!(
            simple,
            "    Simple {{ name: {:?}, ws: {ws}, builtin: {builtin}, members: ({from}, {}), steps: ({step_from}, {}) }},",
            s(&t["name"]),
            members.len() - from,
            step_count - step_from
        )
        .unwrap();
    }
    // Types; their states, transitions and attributes flattened.
    let mut types = String::new();
    let mut states = String::new();
    let mut trans = String::new();
    let mut attrs = String::new();
    let (mut n_states, mut n_trans, mut n_attrs) = (0usize, 0usize, 0usize);
    for t in v["types"].as_array().expect("types") {
        let content = match s(&t["content"]) {
            "open" => "Content::Open",
            "simple" => "Content::Simple",
            "elements" => "Content::Elements",
            other => panic!("content {other}"),
        };
        let attr_from = n_attrs;
        let mut required = 0u64;
        for (i, a) in t
            .get("attrs")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let a = a.as_array().expect("attribute");
            if a[2].as_bool() == Some(true) {
                required |= 1 << i;
            }
            writeln!(
                attrs,
                "    AttrDecl {{ name: {:?}, simple: {}, fixed: {} }},",
                s(&a[0]),
                n(&a[1]),
                opt_str(&a[3])
            )
            .unwrap();
            n_attrs += 1;
        }
        let state_from = n_states;
        for st in t
            .get("states")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let st = st.as_array().expect("state");
            let tr = st[1].as_array().expect("transitions");
            writeln!(
                states,
                "    State {{ accepting: {}, trans: ({n_trans}, {}) }},",
                st[0].as_bool().expect("accepting"),
                tr.len()
            )
            .unwrap();
            for x in tr {
                let x = x.as_array().expect("transition");
                let id = n(&x[1]);
                let to = state_from as u64 + n(&x[2]);
                let (ns, name) = match s(&x[0]) {
                    "e" => {
                        let e = elements[id as usize].as_array().expect("element");
                        (n(&e[0]), n(&e[1]))
                    }
                    _ => (u64::from(u8::MAX), u64::from(u16::MAX)),
                };
                let _ = wildcards;
                writeln!(
                    trans,
                    "    Trans {{ wildcard: {}, ns: {ns}, name: {name}, id: {id}, to: {to} }},",
                    s(&x[0]) == "w"
                )
                .unwrap();
                n_trans += 1;
            }
            n_states += 1;
        }
        let order: Vec<&str> = t
            .get("order")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(s)
            .collect();
        writeln!(
            types,
            "    Type {{ name: {:?}, content: {content}, simple: {}, states: ({state_from}, {}), attrs: ({attr_from}, {}), required: {required}, order: &{order:?} }},",
            t.get("name").and_then(Value::as_str).unwrap_or("(anonymous)"),
            t.get("simple").and_then(Value::as_u64).unwrap_or(0),
            n_states - state_from,
            n_attrs - attr_from
        )
        .unwrap();
    }
    let mut els = String::new();
    for e in elements {
        let e = e.as_array().expect("element");
        writeln!(
            els,
            "    ElementDecl {{ ns: {}, name: {}, ty: {}, fixed: {}, default: {} }},",
            n(&e[0]),
            n(&e[1]),
            n(&e[2]),
            opt_str(&e[3]),
            opt_str(&e[4])
        )
        .unwrap();
    }
    let mut wcs = String::new();
    for w in wildcards {
        let w = w.as_array().expect("wildcard");
        let not = match &w[0] {
            Value::String(x) if x == "any" => "None".to_string(),
            Value::Array(a) => format!("Some({})", n(&a[1])),
            other => panic!("wildcard namespace {other}"),
        };
        let process = match s(&w[1]) {
            "strict" => "Process::Strict",
            "lax" => "Process::Lax",
            "skip" => "Process::Skip",
            other => panic!("processContents {other}"),
        };
        writeln!(wcs, "    Wildcard {{ not: {not}, process: {process} }},").unwrap();
    }
    let strs = |k: &str| -> Vec<String> {
        v[k].as_array()
            .expect(k)
            .iter()
            .map(|x| s(x).to_string())
            .collect()
    };
    let globals: Vec<u64> = v["globals"]
        .as_array()
        .expect("globals")
        .iter()
        .map(n)
        .collect();
    out.push_str(&tables);
    write!(
        out,
        "/// The avails {ver} schema.
static {ident}: Schema = Schema {{
    version: {ver:?},
    namespaces: {ns:?},
    names: &{names:?},
    globals: &{globals:?},
    elements: &[
{els}    ],
    types: &[
{types}    ],
    states: &[
{states}    ],
    trans: &[
{trans}    ],
    attrs: &[
{attrs}    ],
    simple: &[
{simple}    ],
    steps: &[
{steps}    ],
    members: &{members:?},
    wildcards: &[
{wcs}    ],
}};

",
        ver = s(&v["avails"]),
        ns = strs("namespaces"),
    )
    .unwrap();
}

fn builtin(name: &str) -> &'static str {
    match name {
        "string" => "Builtin::String",
        "anySimpleType" => "Builtin::AnySimpleType",
        "anyURI" => "Builtin::AnyUri",
        "boolean" => "Builtin::Boolean",
        "date" => "Builtin::Date",
        "dateTime" => "Builtin::DateTime",
        "decimal" => "Builtin::Decimal",
        "duration" => "Builtin::Duration",
        "gYear" => "Builtin::GYear",
        "gYearMonth" => "Builtin::GYearMonth",
        "int" => "Builtin::Int",
        "integer" => "Builtin::Integer",
        "language" => "Builtin::Language",
        "positiveInteger" => "Builtin::PositiveInteger",
        "time" => "Builtin::Time",
        other => panic!("built-in type xs:{other} has no check"),
    }
}

// ------------------------------------------------------------- patterns

/// A DFA over ASCII: `next[state * width + classes[byte]]`, `u16::MAX`
/// for no state; state 0 starts.
pub struct Dfa {
    pub classes: Vec<u8>,
    pub width: usize,
    pub next: Vec<u16>,
    pub accept: Vec<bool>,
}

/// A regular expression of the XSD dialect, as far as the MovieLabs XSDs
/// use it: ASCII characters and escapes, classes of ASCII characters and
/// ranges, groups, `|`, and the quantifiers `? * + {n} {n,} {n,m}`. XSD
/// patterns match the whole value (there are no anchors).
#[derive(Debug, Clone)]
enum Re {
    Set(BTreeSet<u8>),
    Seq(Vec<Re>),
    Alt(Vec<Re>),
    Repeat(Box<Re>, u32, Option<u32>),
}

struct ReParser<'a> {
    s: &'a [u8],
    i: usize,
}

impl ReParser<'_> {
    fn alt(&mut self) -> Result<Re, String> {
        let mut branches = vec![self.branch()?];
        while self.s.get(self.i) == Some(&b'|') {
            self.i += 1;
            branches.push(self.branch()?);
        }
        Ok(if branches.len() == 1 {
            branches.pop().expect("one")
        } else {
            Re::Alt(branches)
        })
    }

    fn branch(&mut self) -> Result<Re, String> {
        let mut pieces = Vec::new();
        while let Some(&c) = self.s.get(self.i) {
            if c == b'|' || c == b')' {
                break;
            }
            let atom = self.atom()?;
            pieces.push(self.quantified(atom)?);
        }
        Ok(Re::Seq(pieces))
    }

    fn quantified(&mut self, atom: Re) -> Result<Re, String> {
        let (min, max) = match self.s.get(self.i) {
            Some(b'?') => (0, Some(1)),
            Some(b'*') => (0, None),
            Some(b'+') => (1, None),
            Some(b'{') => {
                let close = self.s[self.i..]
                    .iter()
                    .position(|c| *c == b'}')
                    .ok_or("unclosed {")?;
                let body = std::str::from_utf8(&self.s[self.i + 1..self.i + close])
                    .map_err(|e| e.to_string())?;
                self.i += close;
                let num = |t: &str| t.parse::<u32>().map_err(|e| format!("{{{body}}}: {e}"));
                match body.split_once(',') {
                    None => (num(body)?, Some(num(body)?)),
                    Some((a, "")) => (num(a)?, None),
                    Some((a, b)) => (num(a)?, Some(num(b)?)),
                }
            }
            _ => return Ok(atom),
        };
        self.i += 1;
        Ok(Re::Repeat(Box::new(atom), min, max))
    }

    fn atom(&mut self) -> Result<Re, String> {
        let c = self.s[self.i];
        self.i += 1;
        match c {
            b'(' => {
                let inner = self.alt()?;
                if self.s.get(self.i) != Some(&b')') {
                    return Err("unclosed (".into());
                }
                self.i += 1;
                Ok(inner)
            }
            b'[' => self.class(),
            b'\\' => Ok(Re::Set(BTreeSet::from([self.escape()?]))),
            b'.' | b'?' | b'*' | b'+' | b'{' | b'}' | b']' | b'^' | b'$' => {
                Err(format!("`{}` is not supported here", c as char))
            }
            c if c.is_ascii() && !c.is_ascii_control() => Ok(Re::Set(BTreeSet::from([c]))),
            _ => Err("only ASCII characters are supported".into()),
        }
    }

    fn escape(&mut self) -> Result<u8, String> {
        let c = *self.s.get(self.i).ok_or("trailing \\")?;
        self.i += 1;
        match c {
            b'n' => Ok(b'\n'),
            b'r' => Ok(b'\r'),
            b't' => Ok(b'\t'),
            b'\\' | b'|' | b'.' | b'-' | b'^' | b'?' | b'*' | b'+' | b'{' | b'}' | b'(' | b')'
            | b'[' | b']' => Ok(c),
            _ => Err(format!("escape \\{} is not supported", c as char)),
        }
    }

    fn class(&mut self) -> Result<Re, String> {
        if self.s.get(self.i) == Some(&b'^') {
            return Err("negated classes are not supported".into());
        }
        let mut set = BTreeSet::new();
        loop {
            let c = *self.s.get(self.i).ok_or("unclosed [")?;
            self.i += 1;
            let lo = match c {
                b']' if !set.is_empty() => return Ok(Re::Set(set)),
                b'\\' => self.escape()?,
                b'[' => return Err("class subtraction is not supported".into()),
                c if c.is_ascii() && !c.is_ascii_control() => c,
                _ => return Err("only ASCII characters are supported".into()),
            };
            if self.s.get(self.i) == Some(&b'-') && self.s.get(self.i + 1) != Some(&b']') {
                self.i += 1;
                let c = *self.s.get(self.i).ok_or("unclosed [")?;
                self.i += 1;
                let hi = if c == b'\\' { self.escape()? } else { c };
                if hi < lo || !hi.is_ascii() {
                    return Err("bad range".into());
                }
                set.extend(lo..=hi);
            } else {
                set.insert(lo);
            }
        }
    }
}

/// A Thompson NFA: per state, byte transitions and ε moves.
#[derive(Default)]
struct Nfa {
    edges: Vec<Vec<(BTreeSet<u8>, usize)>>,
    eps: Vec<Vec<usize>>,
}

impl Nfa {
    fn state(&mut self) -> usize {
        self.edges.push(Vec::new());
        self.eps.push(Vec::new());
        self.edges.len() - 1
    }

    /// Adds `re` from `from`; returns its end state.
    fn add(&mut self, re: &Re, from: usize) -> usize {
        match re {
            Re::Set(set) => {
                let to = self.state();
                self.edges[from].push((set.clone(), to));
                to
            }
            Re::Seq(parts) => parts.iter().fold(from, |at, p| self.add(p, at)),
            Re::Alt(branches) => {
                let end = self.state();
                for b in branches {
                    let start = self.state();
                    self.eps[from].push(start);
                    let e = self.add(b, start);
                    self.eps[e].push(end);
                }
                end
            }
            Re::Repeat(inner, min, max) => {
                let mut at = from;
                for _ in 0..*min {
                    at = self.add(inner, at);
                }
                match max {
                    None => {
                        let loop_start = self.state();
                        self.eps[at].push(loop_start);
                        let e = self.add(inner, loop_start);
                        self.eps[e].push(loop_start);
                        loop_start
                    }
                    Some(max) => {
                        let end = self.state();
                        self.eps[at].push(end);
                        for _ in *min..*max {
                            at = self.add(inner, at);
                            self.eps[at].push(end);
                        }
                        end
                    }
                }
            }
        }
    }

    fn closure(&self, set: &mut BTreeSet<usize>) {
        let mut todo: Vec<usize> = set.iter().copied().collect();
        while let Some(s) = todo.pop() {
            for &t in &self.eps[s] {
                if set.insert(t) {
                    todo.push(t);
                }
            }
        }
    }
}

impl Dfa {
    /// Compiles an XSD pattern (implicitly anchored at both ends).
    pub fn compile(pattern: &str) -> Result<Dfa, String> {
        let mut p = ReParser {
            s: pattern.as_bytes(),
            i: 0,
        };
        let re = p.alt()?;
        if p.i != pattern.len() {
            return Err(format!("unexpected `{}`", pattern.as_bytes()[p.i] as char));
        }
        let mut nfa = Nfa::default();
        let start = nfa.state();
        let end = nfa.add(&re, start);
        // Subset construction over the 128 ASCII bytes.
        let mut first = BTreeSet::from([start]);
        nfa.closure(&mut first);
        let mut ids: HashMap<BTreeSet<usize>, usize> = HashMap::from([(first.clone(), 0)]);
        let mut sets = vec![first];
        let mut rows: Vec<[u16; 128]> = Vec::new();
        let mut i = 0;
        while i < sets.len() {
            let mut row = [u16::MAX; 128];
            for (b, cell) in row.iter_mut().enumerate() {
                let mut next = BTreeSet::new();
                for &s in &sets[i] {
                    for (set, to) in &nfa.edges[s] {
                        if set.contains(&(b as u8)) {
                            next.insert(*to);
                        }
                    }
                }
                if next.is_empty() {
                    continue;
                }
                nfa.closure(&mut next);
                let id = *ids.entry(next.clone()).or_insert_with(|| {
                    sets.push(next);
                    sets.len() - 1
                });
                *cell = u16::try_from(id).expect("DFA size");
            }
            rows.push(row);
            i += 1;
        }
        let accept = sets.iter().map(|s| s.contains(&end)).collect();
        // Bytes whose columns agree share a class.
        let mut columns: BTreeMap<Vec<u16>, u8> = BTreeMap::new();
        let mut classes = vec![0u8; 128];
        for (b, class) in classes.iter_mut().enumerate() {
            let column: Vec<u16> = rows.iter().map(|r| r[b]).collect();
            let len = columns.len();
            *class = *columns
                .entry(column)
                .or_insert_with(|| u8::try_from(len).expect("classes"));
        }
        let width = columns.len();
        let mut next = vec![u16::MAX; rows.len() * width];
        for (column, class) in &columns {
            for (state, to) in column.iter().enumerate() {
                next[state * width + usize::from(*class)] = *to;
            }
        }
        Ok(Dfa {
            classes,
            width,
            next,
            accept,
        })
    }
}
