//! MovieLabs' structure rules (`schemas/movielabs/structure_avail_v*.json`)
//! evaluated over the parts of each avail ([`AvailTree`]): the rules are
//! data, this file is their engine. Each requirement of a file names the
//! parts it applies to and, for each, how many of some related parts there
//! must be, as XPaths; the XPaths use a small subset of XPath (child steps,
//! `..`, `.//`, tests of a part's value or a Term's name with `=`, `or`,
//! `and`, `not()`), which [`Path::parse`] reads into parts of the model.
//!
//! Each requirement belongs to one rule (`REQUIREMENTS` in its file), which
//! words its findings; the engine only says which constraint failed where.

use std::sync::{Arc, OnceLock};

use rustc_hash::FxHashMap;

use super::RuleMeta;
use crate::model::movielabs::{self, Constraint, Requirement};
use crate::model::structure::{AvailTree, NodeId, Part};
use crate::model::{Avail, Diagnostic, Severity, TemplateVersion};

/// A test on a part.
#[derive(Debug, Clone, PartialEq)]
pub enum Pred {
    /// Any of them holds.
    Or(Vec<Pred>),
    /// All of them hold.
    And(Vec<Pred>),
    /// It does not hold.
    Not(Box<Pred>),
    /// The subject (the part's value, or the attribute in an attribute
    /// test) is this text.
    Is(String),
    /// The test holds of the part's attribute (`@termName[…]`).
    Attr(Box<Pred>),
    /// The path finds something from the part.
    Has(Path),
}

/// One step of a path: a part, with a test.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// The part stepped to.
    pub part: Part,
    /// What it must satisfy.
    pub pred: Option<Pred>,
}

/// A path from a part: up some levels, then down through parts.
#[derive(Debug, Clone, PartialEq)]
pub struct Path {
    /// Levels up first (`../..` is 2).
    pub up: u8,
    /// The first step is any descendant (`.//`), not only a child.
    pub deep: bool,
    /// The steps down.
    pub steps: Vec<Step>,
}

impl Path {
    /// Reads an XPath of the subset MovieLabs' structure files use;
    /// `{avail}` and `{md}` name the namespaces.
    pub fn parse(text: &str) -> Result<Path, String> {
        let mut p = Parser {
            s: text.as_bytes(),
            i: 0,
        };
        let path = p.path()?;
        p.ws();
        if p.i != p.s.len() {
            return Err(format!("unexpected `{}` in `{text}`", &text[p.i..]));
        }
        Ok(path)
    }

    /// The parts this path finds from `from` in `tree`.
    pub fn find(&self, tree: &AvailTree, from: NodeId) -> Vec<NodeId> {
        let mut found = Vec::new();
        self.visit(tree, from, &mut |n| {
            found.push(n);
            true
        });
        found
    }

    /// How many parts this path finds from `from`.
    pub fn count(&self, tree: &AvailTree, from: NodeId) -> usize {
        let mut n = 0;
        self.visit(tree, from, &mut |_| {
            n += 1;
            true
        });
        n
    }

    /// True when this path finds a part from `from`.
    pub fn any(&self, tree: &AvailTree, from: NodeId) -> bool {
        !self.visit(tree, from, &mut |_| false)
    }

    /// Calls `f` with each part this path finds from `from`, in document
    /// order, until `f` returns false; false when it did.
    fn visit(&self, tree: &AvailTree, from: NodeId, f: &mut impl FnMut(NodeId) -> bool) -> bool {
        let mut at = from;
        for _ in 0..self.up {
            match tree.node(at).parent {
                Some(parent) => at = parent,
                None => return true,
            }
        }
        match self.steps.split_first() {
            Some((first, rest)) if self.deep => (at + 1..tree.node(at).end)
                .all(|d| !first.matches(tree, d) || descend(rest, tree, d, f)),
            _ => descend(&self.steps, tree, at, f),
        }
    }

    /// The last part the path steps to.
    pub fn last(&self) -> Option<&Step> {
        self.steps.last()
    }
}

/// Calls `f` with each part `steps` lead to from `from` (a child that
/// matches each step in turn), in document order, until `f` returns false;
/// false when it did.
fn descend(
    steps: &[Step],
    tree: &AvailTree,
    from: NodeId,
    f: &mut impl FnMut(NodeId) -> bool,
) -> bool {
    match steps.split_first() {
        None => f(from),
        Some((step, rest)) => tree
            .children(from)
            .all(|c| !step.matches(tree, c) || descend(rest, tree, c, f)),
    }
}

impl Step {
    fn matches(&self, tree: &AvailTree, id: NodeId) -> bool {
        tree.node(id).part == self.part
            && self
                .pred
                .as_ref()
                .is_none_or(|p| p.holds(tree, id, tree.value(id)))
    }
}

impl Pred {
    /// True when the test holds of `id`, with `subject` the text `.` is.
    pub fn holds(&self, tree: &AvailTree, id: NodeId, subject: &str) -> bool {
        match self {
            Pred::Or(ps) => ps.iter().any(|p| p.holds(tree, id, subject)),
            Pred::And(ps) => ps.iter().all(|p| p.holds(tree, id, subject)),
            Pred::Not(p) => !p.holds(tree, id, subject),
            Pred::Is(v) => subject == v,
            Pred::Attr(p) => {
                let attr = tree.node(id).attr.as_deref();
                attr.is_some_and(|a| p.holds(tree, id, a))
            }
            Pred::Has(path) => path.any(tree, id),
        }
    }

    /// The values `Is` tests accept, when the test is one or more of them
    /// joined by `or` (for messages).
    pub fn values(&self) -> Option<Vec<&str>> {
        match self {
            Pred::Is(v) => Some(vec![v.as_str()]),
            Pred::Or(ps) => {
                let mut all = Vec::new();
                for p in ps {
                    all.extend(p.values()?);
                }
                Some(all)
            }
            _ => None,
        }
    }
}

/// Reads the XPath subset.
struct Parser<'a> {
    s: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    fn ws(&mut self) {
        while self.s.get(self.i).is_some_and(u8::is_ascii_whitespace) {
            self.i += 1;
        }
    }

    fn eat(&mut self, lit: &str) -> bool {
        self.ws();
        if self.s[self.i..].starts_with(lit.as_bytes()) {
            self.i += lit.len();
            true
        } else {
            false
        }
    }

    /// The word `kw` (not the start of a longer name).
    fn keyword(&mut self, kw: &str) -> bool {
        self.ws();
        let after = self.s.get(self.i + kw.len());
        if self.s[self.i..].starts_with(kw.as_bytes())
            && !after.is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
        {
            self.i += kw.len();
            true
        } else {
            false
        }
    }

    fn rest(&self) -> String {
        String::from_utf8_lossy(&self.s[self.i..]).into_owned()
    }

    fn path(&mut self) -> Result<Path, String> {
        let mut path = Path {
            up: 0,
            deep: false,
            steps: Vec::new(),
        };
        while self.eat("../") {
            path.up += 1;
        }
        if self.eat(".//") {
            path.deep = true;
        } else {
            // `./` and nothing both start at the part itself.
            self.eat("./");
        }
        path.steps.push(self.step()?);
        while self.eat("/") {
            path.steps.push(self.step()?);
        }
        Ok(path)
    }

    fn step(&mut self) -> Result<Step, String> {
        self.ws();
        if !self.eat("{") {
            return Err(format!("expected a `{{ns}}Name` step at `{}`", self.rest()));
        }
        while self.s.get(self.i).is_some_and(|b| *b != b'}') {
            self.i += 1;
        }
        self.i += 1;
        let start = self.i;
        while self
            .s
            .get(self.i)
            .is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        {
            self.i += 1;
        }
        let name = String::from_utf8_lossy(&self.s[start..self.i]).into_owned();
        let part = Part::from_name(&name)
            .ok_or_else(|| format!("`{name}` is no part availcheck records"))?;
        let pred = if self.eat("[") {
            let p = self.or()?;
            if !self.eat("]") {
                return Err(format!("expected `]` at `{}`", self.rest()));
            }
            Some(p)
        } else {
            None
        };
        Ok(Step { part, pred })
    }

    fn or(&mut self) -> Result<Pred, String> {
        let mut ps = vec![self.and()?];
        while self.keyword("or") {
            ps.push(self.and()?);
        }
        Ok(if ps.len() == 1 {
            ps.remove(0)
        } else {
            Pred::Or(ps)
        })
    }

    fn and(&mut self) -> Result<Pred, String> {
        let mut ps = vec![self.unary()?];
        while self.keyword("and") {
            ps.push(self.unary()?);
        }
        Ok(if ps.len() == 1 {
            ps.remove(0)
        } else {
            Pred::And(ps)
        })
    }

    fn unary(&mut self) -> Result<Pred, String> {
        if self.eat("not(") {
            let p = self.or()?;
            return if self.eat(")") {
                Ok(Pred::Not(Box::new(p)))
            } else {
                Err(format!("expected `)` at `{}`", self.rest()))
            };
        }
        if self.eat("(") {
            let p = self.or()?;
            return if self.eat(")") {
                Ok(p)
            } else {
                Err(format!("expected `)` at `{}`", self.rest()))
            };
        }
        if self.eat("@termName") || self.eat("@sequence") {
            if self.eat("[") {
                let p = self.or()?;
                if !self.eat("]") {
                    return Err(format!("expected `]` at `{}`", self.rest()));
                }
                return Ok(Pred::Attr(Box::new(p)));
            }
            return Ok(Pred::Attr(Box::new(self.equals()?)));
        }
        if self.eat("text()") || self.eat(".") {
            // `.` followed by `/` is a path, not the value.
            if self.s.get(self.i) == Some(&b'/') {
                self.i -= 1;
                return Ok(Pred::Has(self.path()?));
            }
            return self.equals();
        }
        Ok(Pred::Has(self.path()?))
    }

    /// `= 'text'`.
    fn equals(&mut self) -> Result<Pred, String> {
        if !self.eat("=") {
            return Err(format!("expected `=` at `{}`", self.rest()));
        }
        self.ws();
        let quote = *self.s.get(self.i).ok_or("expected a quoted value")?;
        if quote != b'\'' && quote != b'"' {
            return Err(format!("expected a quoted value at `{}`", self.rest()));
        }
        self.i += 1;
        let start = self.i;
        while self.s.get(self.i).is_some_and(|b| *b != quote) {
            self.i += 1;
        }
        let v = String::from_utf8_lossy(&self.s[start..self.i]).into_owned();
        self.i += 1;
        Ok(Pred::Is(v))
    }
}

/// A requirement read into paths.
#[derive(Debug)]
pub struct Compiled {
    /// The requirement as the file writes it.
    pub source: Requirement,
    /// The parts it applies to.
    pub target: Path,
    /// Per constraint: its paths.
    pub paths: Vec<Vec<Path>>,
}

/// A constraint that does not hold.
#[derive(Debug)]
pub struct Violation<'a> {
    /// The requirement.
    pub requirement: &'a Compiled,
    /// The constraint that failed (an index into its constraints).
    pub index: usize,
    /// The part it applies to.
    pub at: NodeId,
    /// The parts the constraint's paths found.
    pub found: Vec<NodeId>,
}

impl Violation<'_> {
    /// The constraint as the file writes it.
    pub fn constraint(&self) -> &Constraint {
        &self.requirement.source.constraint[self.index]
    }

    /// The paths of the constraint.
    pub fn paths(&self) -> &[Path] {
        &self.requirement.paths[self.index]
    }

    /// Too many were found (else too few).
    pub fn too_many(&self) -> bool {
        self.constraint()
            .max
            .is_some_and(|m| self.found.len() > m as usize)
    }
}

/// The severity a constraint states (`Error` when it states none).
pub fn severity(c: &Constraint) -> Severity {
    match c.severity.as_deref() {
        Some("Warning") => Severity::Warning,
        Some("Info") => Severity::Info,
        _ => Severity::Error,
    }
}

/// The requirements of Avails XML `version`, read into paths.
pub fn requirements(version: TemplateVersion) -> &'static [Compiled] {
    // Each version's requirements are compiled when a document of it is read.
    static ALL: OnceLock<Vec<(TemplateVersion, OnceLock<Vec<Compiled>>)>> = OnceLock::new();
    let Some(x) = movielabs::xml(version) else {
        return &[];
    };
    let all = ALL.get_or_init(|| {
        movielabs::xml_versions()
            .into_iter()
            .map(|v| (v, OnceLock::new()))
            .collect()
    });
    let listed: TemplateVersion = x.avails.parse().expect("a listed version");
    let Some((_, compiled)) = all.iter().find(|(v, _)| *v == listed) else {
        return &[];
    };
    compiled.get_or_init(|| {
        x.requirements()
            .iter()
            .map(|r| compile(r).unwrap_or_else(|e| panic!("{} {}: {e}", r.file, r.key)))
            .collect()
    })
}

fn compile(r: &Requirement) -> Result<Compiled, String> {
    Ok(Compiled {
        source: r.clone(),
        target: Path::parse(&r.target)?,
        paths: r
            .constraint
            .iter()
            .map(|c| c.xpath.iter().map(|x| Path::parse(x)).collect())
            .collect::<Result<_, _>>()?,
    })
}

/// The parts of `tree` a requirement's target path finds: its first step
/// matches any part of the tree (the Avail included), the rest step down.
fn targets(target: &Path, tree: &AvailTree, mut f: impl FnMut(NodeId)) {
    let Some((first, rest)) = target.steps.split_first() else {
        return;
    };
    for n in tree.ids().filter(|n| first.matches(tree, *n)) {
        descend(rest, tree, n, &mut |t| {
            f(t);
            true
        });
    }
}

/// The violations in `tree` of the requirements named `keys` (of the
/// structure file of `version`), in document order.
pub fn check(tree: &AvailTree, version: TemplateVersion, keys: &[&str]) -> Vec<Violation<'static>> {
    check_selected(tree, &select(version, keys))
}

/// The requirements named `keys` of the structure file of `version`.
fn select(version: TemplateVersion, keys: &[&str]) -> Vec<&'static Compiled> {
    requirements(version)
        .iter()
        .filter(|r| keys.contains(&r.source.key.as_str()))
        .collect()
}

/// The violations in `tree` of `selected` requirements, in document order.
fn check_selected(tree: &AvailTree, selected: &[&'static Compiled]) -> Vec<Violation<'static>> {
    let mut out = Vec::new();
    for &r in selected {
        targets(&r.target, tree, |at| {
            for (index, (c, paths)) in r.source.constraint.iter().zip(&r.paths).enumerate() {
                // Counted first: the parts found are kept only for a violation.
                let n: usize = paths.iter().map(|p| p.count(tree, at)).sum();
                let few = c.min.is_some_and(|m| n < m as usize);
                let many = c.max.is_some_and(|m| n > m as usize);
                if few || many {
                    out.push(Violation {
                        requirement: r,
                        index,
                        at,
                        found: paths.iter().flat_map(|p| p.find(tree, at)).collect(),
                    });
                }
            }
        });
    }
    out.sort_by_key(|v| v.at);
    out
}

/// Reports, as findings of `meta`, the violations of the requirements
/// `keys` in the Avails of XML documents, worded by `say` (message, help).
pub fn report(
    meta: &'static RuleMeta,
    avails: &AvailSet<'_>,
    keys: &[&str],
    say: impl Fn(&AvailTree, &Violation<'_>) -> (NodeId, String, String),
    out: &mut Vec<Diagnostic>,
) {
    // The Avails of a document share its version: its requirements are
    // picked once, not per Avail.
    let mut selected: Vec<(TemplateVersion, Vec<&'static Compiled>)> = Vec::new();
    // Avails of one shape violate the same constraints at the same parts:
    // checked once per shape, worded per Avail.
    let mut by_shape: Vec<Option<Vec<Violation<'static>>>> = Vec::new();
    by_shape.resize_with(avails.shapes, || None);
    for (tree, &shape) in avails.trees.iter().zip(&avails.shape) {
        let version = tree.sheet.version;
        let i = match selected.iter().position(|(v, _)| *v == version) {
            Some(i) => i,
            None => {
                selected.push((version, select(version, keys)));
                selected.len() - 1
            }
        };
        let found =
            by_shape[shape as usize].get_or_insert_with(|| check_selected(tree, &selected[i].1));
        for v in found.iter() {
            out.push(finding(meta, tree, v, &say));
        }
    }
}

/// The Avails of the checked XML documents, in input and document order,
/// each with its shape: what the structure requirements of its version can
/// see of it (its parts and their parents, and the values and attributes a
/// requirement tests). Avails of one shape break the same constraints at
/// the same parts, so [`report`] checks a shape once.
pub struct AvailSet<'a> {
    trees: Vec<&'a AvailTree>,
    /// Per Avail: its shape, numbered in order of first sight.
    shape: Vec<u32>,
    /// How many shapes there are.
    shapes: usize,
}

/// What the structure requirements can see of an Avail: per part, its
/// [`Part`] and its parent (one word each), and in order the values and
/// attributes of the parts whose value or attribute a requirement tests.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
struct ShapeKey<'a> {
    parts: Vec<u64>,
    tested: Vec<Option<&'a str>>,
}

impl<'a> ShapeKey<'a> {
    /// Makes this the key of `tree` under `tested`.
    fn of(&mut self, tree: &'a AvailTree, tested: &Tested) {
        self.parts.clear();
        self.tested.clear();
        for id in tree.ids() {
            let node = tree.node(id);
            let parent = node.parent.map_or(0, |p| u64::from(p) + 1);
            self.parts.push(node.part as u64 | parent << 8);
            if tested.value(node.part) {
                self.tested.push(Some(tree.value(id)));
            }
            if tested.attr(node.part) {
                self.tested.push(node.attr.as_deref());
            }
        }
    }
}

impl<'a> AvailSet<'a> {
    /// `trees` with their shapes.
    pub fn new(trees: Vec<&'a AvailTree>) -> Self {
        // Per version: the parts whose value and whose attribute its
        // requirements test, and the shapes seen.
        type Shapes<'a> = FxHashMap<ShapeKey<'a>, u32>;
        let mut versions: Vec<(TemplateVersion, Tested, Shapes<'a>)> = Vec::new();
        let mut key = ShapeKey::default();
        let mut shapes = 0u32;
        let shape = trees
            .iter()
            .map(|tree| {
                let version = tree.sheet.version;
                let i = match versions.iter().position(|(v, ..)| *v == version) {
                    Some(i) => i,
                    None => {
                        versions.push((
                            version,
                            Tested::of(requirements(version)),
                            Shapes::default(),
                        ));
                        versions.len() - 1
                    }
                };
                let (_, tested, seen) = &mut versions[i];
                key.of(tree, tested);
                match seen.get(&key) {
                    Some(&s) => s,
                    None => {
                        seen.insert(key.clone(), shapes);
                        shapes += 1;
                        shapes - 1
                    }
                }
            })
            .collect();
        AvailSet {
            trees,
            shape,
            shapes: shapes as usize,
        }
    }

    /// Each tree with the values of the Avails XML vocabulary `key` (such
    /// as `avail:AvailType`) of its version, looked up once for a run of
    /// trees of one version (a document's trees share its version); trees
    /// whose version has no such vocabulary are left out.
    pub fn with_vocabulary<'s>(
        &'s self,
        key: &'s str,
    ) -> impl Iterator<Item = (&'a AvailTree, &'static [String])> + 's {
        let mut last: Option<(TemplateVersion, Option<&'static [String]>)> = None;
        self.trees.iter().filter_map(move |&tree| {
            let version = tree.sheet.version;
            let allowed = match last {
                Some((v, allowed)) if v == version => allowed,
                _ => movielabs::xml(version).and_then(|x| x.vocabulary(key)),
            };
            last = Some((version, allowed));
            Some((tree, allowed?))
        })
    }
}

impl<'a> std::ops::Deref for AvailSet<'a> {
    type Target = [&'a AvailTree];

    fn deref(&self) -> &Self::Target {
        &self.trees
    }
}

impl<'s, 'a> IntoIterator for &'s AvailSet<'a> {
    type Item = &'s &'a AvailTree;
    type IntoIter = std::slice::Iter<'s, &'a AvailTree>;

    fn into_iter(self) -> Self::IntoIter {
        self.trees.iter()
    }
}

/// The parts whose value (`= 'x'`) and whose attribute (`@termName = 'x'`)
/// some requirement tests, a bit per [`Part`].
#[derive(Default)]
struct Tested {
    value: u64,
    attr: u64,
}

const _: () = assert!(Part::ALL.len() <= 64, "a bit per part");

impl Tested {
    fn of(requirements: &[Compiled]) -> Tested {
        let mut t = Tested::default();
        for r in requirements {
            t.path(&r.target);
            r.paths.iter().flatten().for_each(|p| t.path(p));
        }
        t
    }

    fn path(&mut self, path: &Path) {
        for step in &path.steps {
            if let Some(p) = &step.pred {
                self.pred(p, step.part, false);
            }
        }
    }

    fn pred(&mut self, p: &Pred, part: Part, in_attr: bool) {
        match p {
            Pred::Or(ps) | Pred::And(ps) => ps.iter().for_each(|p| self.pred(p, part, in_attr)),
            Pred::Not(p) => self.pred(p, part, in_attr),
            Pred::Is(_) if in_attr => self.attr |= 1 << part as u64,
            Pred::Is(_) => self.value |= 1 << part as u64,
            Pred::Attr(p) => self.pred(p, part, true),
            Pred::Has(path) => self.path(path),
        }
    }

    fn value(&self, part: Part) -> bool {
        self.value & (1 << part as u64) != 0
    }

    fn attr(&self, part: Part) -> bool {
        self.attr & (1 << part as u64) != 0
    }
}

/// Reports, as findings of `meta`, the violations of the requirements
/// `keys` by a spreadsheet row ([`AvailTree::of_row`]; the structure rules
/// of the XML version its template converts to), worded by `say`.
pub fn report_row(
    meta: &'static RuleMeta,
    row: &Avail,
    keys: &[&str],
    say: impl Fn(&AvailTree, &Violation<'_>) -> (NodeId, String, String),
    out: &mut Vec<Diagnostic>,
) {
    let Some(tree) = AvailTree::of_row(row) else {
        return;
    };
    let mut places = Vec::new();
    for v in check(&tree, row.sheet.version.xml_equivalent(), keys) {
        // The items of a list cell share its place: one finding per cell.
        let place = (
            tree.node(v.at).at,
            v.requirement.source.key.as_str(),
            v.index,
        );
        if places.contains(&place) {
            continue;
        }
        places.push(place);
        let mut d = finding(meta, &tree, &v, &say);
        d.excerpt = Some(Arc::new(row.excerpt()));
        out.push(d);
    }
}

/// The finding of `v`, at the part `say` names.
fn finding(
    meta: &'static RuleMeta,
    tree: &AvailTree,
    v: &Violation<'_>,
    say: &impl Fn(&AvailTree, &Violation<'_>) -> (NodeId, String, String),
) -> Diagnostic {
    let (at, message, help) = say(tree, v);
    meta.diag(tree.location(at), message)
        .with_help(help)
        .with_order(tree.order(at))
}

/// How a finding names the part `id`: its label, with its value, and for
/// an Avail or Asset the type that decides what it needs
/// (`<Asset> with <WorkType> `Movie``).
pub fn subject(tree: &AvailTree, id: NodeId) -> String {
    let node = tree.node(id);
    let kind = match node.part {
        Part::Avail => Some(Part::AvailType),
        Part::Asset => Some(Part::WorkType),
        _ => None,
    };
    let label = tree.label(id);
    if let Some(kind) = kind
        && let Some(k) = tree.children_of(id, kind).next()
    {
        return format!("{label} with {} `{}`", tree.label(k), tree.value(k));
    }
    match tree.value(id) {
        "" => label,
        v => format!("{label} `{v}`"),
    }
}

/// The wording of a violation that is a count: the message (`<Asset> with
/// <WorkType> `Movie` has no <Metadata>; it needs at least one`) and the
/// help (what to give it, with MovieLabs' own message).
pub fn counted(tree: &AvailTree, v: &Violation<'_>) -> (String, String) {
    let c = v.constraint();
    let what: Vec<String> = v.paths().iter().map(describe).collect();
    let what = what.join(" or ");
    let n = match v.found.len() {
        0 => "no".to_string(),
        n => n.to_string(),
    };
    let need = how_many(c.min, c.max);
    let message = format!("{} has {n} {what}; it needs {need}", subject(tree, v.at));
    let mut help = format!("give it {need} {what}");
    if let Some(msg) = &c.msg {
        help.push_str(&format!(" (MovieLabs: \"{msg}\")"));
    }
    (message, help)
}

/// How many, in words: `exactly one`, `at least 2`, `no`.
pub fn how_many(min: Option<u32>, max: Option<u32>) -> String {
    let n = |k: u32| match k {
        1 => "one".to_string(),
        k => k.to_string(),
    };
    match (min.unwrap_or(0), max) {
        (_, Some(0)) => "no".to_string(),
        (a, Some(b)) if a == b => format!("exactly {}", n(a)),
        (0, Some(b)) => format!("at most {}", n(b)),
        (a, Some(b)) => format!("{} to {}", n(a), n(b)),
        (a, None) => format!("at least {}", n(a)),
    }
}

/// What a path finds, in words: `<WorkType> Movie or Short` (XML names).
pub fn describe(path: &Path) -> String {
    let Some(last) = path.last() else {
        return String::new();
    };
    let mut s = format!("<{}>", last.part.name());
    match &last.pred {
        Some(Pred::Attr(p)) => {
            if let Some(v) = p.values() {
                s.push_str(&format!(" named {}", quoted(&v)));
            }
        }
        Some(Pred::Not(p)) => {
            if let Some(v) = p.values() {
                s.push_str(&format!(" other than {}", quoted(&v)));
            }
        }
        Some(p) => {
            if let Some(v) = p.values() {
                s.push_str(&format!(" {}", quoted(&v)));
            }
        }
        None => {}
    }
    let parents: Vec<String> = path.steps[..path.steps.len() - 1]
        .iter()
        .rev()
        .map(|s| format!("<{}>", s.part.name()))
        .collect();
    if !parents.is_empty() {
        s.push_str(&format!(" in {}", parents.join(" in ")));
    }
    s
}

/// `a`, `a` or `b`, `a`, `b` or `c`.
pub fn quoted(values: &[&str]) -> String {
    let q: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
    match q.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        Some((last, _)) => last.clone(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::avail::{Text, XmlPos, test_sheet};
    use crate::model::structure::Place;

    /// A place in the document (here, an offset standing for a line).
    fn at(line: u32) -> Place {
        let at = line as usize;
        Place::Xml(XmlPos { span: (at, at + 1) })
    }

    #[test]
    fn every_structure_file_reads() {
        for v in movielabs::xml_versions() {
            assert!(!requirements(v).is_empty(), "{v}");
        }
    }

    #[test]
    fn every_requirement_belongs_to_one_rule_of_its_severity() {
        use super::super::*;
        let claims: [(&[&str], &RuleMeta); 10] = [
            (
                ema_term_pricing::REQUIREMENTS,
                &ema_term_pricing::TermPricing::META,
            ),
            (
                ema_avail_type_assets::REQUIREMENTS,
                &ema_avail_type_assets::AvailTypeAssets::META,
            ),
            (ema_ref_alid::REQUIREMENTS, &ema_ref_alid::RefAlid::META),
            (
                ema_bundled_asset::REQUIREMENTS,
                &ema_bundled_asset::BundledAsset::META,
            ),
            (
                ema_work_type_metadata::REQUIREMENTS,
                &ema_work_type_metadata::WorkTypeMetadata::META,
            ),
            (
                ema_tvod_asset_language::REQUIREMENTS,
                &ema_tvod_asset_language::TvodAssetLanguage::META,
            ),
            (
                ema_pre_order_fulfill_date::REQUIREMENTS,
                &ema_pre_order_fulfill_date::PreOrderFulfillDate::META,
            ),
            (
                ema_poest_suppression::REQUIREMENTS,
                &ema_poest_suppression::PoestSuppressionLiftDate::META,
            ),
            (
                ema_tbd_condition::REQUIREMENTS,
                &ema_tbd_condition::TbdCondition::META,
            ),
            (&[], &ema_volume_overlap::VolumeOverlap::META),
        ];
        for v in movielabs::xml_versions() {
            for r in requirements(v) {
                let owners: Vec<&RuleMeta> = claims
                    .iter()
                    .filter(|(keys, _)| keys.contains(&r.source.key.as_str()))
                    .map(|(_, m)| *m)
                    .collect();
                assert_eq!(
                    owners.len(),
                    1,
                    "{} {}: {owners:?}",
                    r.source.file,
                    r.source.key
                );
                for c in &r.source.constraint {
                    assert_eq!(
                        severity(c),
                        owners[0].severity,
                        "{} {}",
                        r.source.file,
                        r.source.key
                    );
                }
            }
        }
    }

    #[test]
    fn paths() {
        let p = Path::parse("../{avail}Term[@termName[.='Tier' or .='Category' ]]").unwrap();
        assert_eq!(p.up, 1);
        assert_eq!(p.steps[0].part, Part::Term);
        assert_eq!(
            p.steps[0].pred,
            Some(Pred::Attr(Box::new(Pred::Or(vec![
                Pred::Is("Tier".into()),
                Pred::Is("Category".into())
            ]))))
        );
        let t = Path::parse(".//{avail}Avail[./{avail}AvailType[text()='single']]").unwrap();
        assert!(t.deep);
        assert!(matches!(t.steps[0].pred, Some(Pred::Has(_))));
        let n = Path::parse(".//{avail}Transaction/{avail}LicenseType[not(. = 'SVOD')]").unwrap();
        assert_eq!(
            n.steps[1].pred,
            Some(Pred::Not(Box::new(Pred::Is("SVOD".into()))))
        );
        assert!(Path::parse("./{avail}Nonsense").is_err());
        assert_eq!(
            describe(
                &Path::parse("./{avail}Asset/{avail}WorkType[. = 'Movie' or . = 'Short']").unwrap()
            ),
            "<WorkType> `Movie` or `Short` in <Asset>"
        );
        assert_eq!(how_many(Some(1), Some(1)), "exactly one");
        assert_eq!(how_many(None, Some(0)), "no");
        assert_eq!(how_many(Some(2), None), "at least 2");
    }

    /// A `single` Avail (lines 1 to 4) with one Asset of WorkType `Movie`,
    /// and that Asset.
    fn single_movie() -> (AvailTree, NodeId) {
        let mut t = AvailTree::new(test_sheet(&["ALID"]), at(1));
        t.add_value(0, Part::AvailType, Text::from("single"), at(2));
        let asset = t.add(0, Part::Asset, at(3));
        t.add_value(asset, Part::WorkType, Text::from("Movie"), at(4));
        (t, asset)
    }

    #[test]
    fn a_ref_alid_on_a_single_avail_violates_its_requirement() {
        let (mut t, asset) = single_movie();
        t.add(asset, Part::Metadata, at(5));
        let trans = t.add(0, Part::Transaction, at(6));
        let r = t.add_value(trans, Part::RefAlid, Text::from("x"), at(7));
        let v = TemplateVersion::Xml(3, 0);
        let found = check(&t, v, &["RefALID", "single-AvailType", "Non-Episodic-WT"]);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].at, r);
        assert_eq!(found[0].requirement.source.key, "RefALID");
        assert!(!found[0].too_many());
    }

    /// A `single` Movie Avail of Avails XML 2.3 (`ALID` `alid`) with one
    /// Transaction of `license`, and a Term named `term` (none: no name).
    fn xml_avail(alid: &str, license: &str, name: Option<&str>) -> AvailTree {
        use crate::model::SheetKind;
        use crate::model::avail::{SheetInfo, SheetSource, SourceKind};
        let sheet = SheetSource {
            file: "t.xml".into(),
            file_index: 0,
            sheet: None,
            sheet_index: 0,
            source: SourceKind::Xml,
            hidden: false,
            merged: Vec::new(),
        };
        let info = SheetInfo::new(
            sheet,
            TemplateVersion::Xml(3, 0),
            SheetKind::Movies,
            Vec::new(),
            0,
        );
        let mut t = AvailTree::new(Arc::new(info), at(1));
        t.add_value(0, Part::Alid, Text::from(alid), at(2));
        t.add_value(0, Part::AvailType, Text::from("single"), at(3));
        let asset = t.add(0, Part::Asset, at(4));
        t.add_value(asset, Part::WorkType, Text::from("Movie"), at(5));
        let trans = t.add(0, Part::Transaction, at(6));
        t.add_value(trans, Part::LicenseType, Text::from(license), at(7));
        let term = t.add(trans, Part::Term, at(8));
        if let Some(name) = name {
            t.set_attr(term, Text::from(name));
        }
        t
    }

    /// Avails that differ only where no requirement looks share a shape;
    /// a tested value, a tested attribute (even an empty one against none)
    /// or another part makes another shape. Checked by shape, each Avail
    /// gets exactly the findings checking it alone gives.
    #[test]
    fn avails_of_one_shape_are_checked_once_and_reported_each() {
        let tested = Tested::of(requirements(TemplateVersion::Xml(3, 0)));
        assert!(
            !tested.value(Part::Alid),
            "the case needs an untested value"
        );
        assert!(tested.value(Part::LicenseType) && tested.attr(Part::Term));
        let mut other_part = xml_avail("d", "EST", Some("WSP"));
        other_part.add(0, Part::Transaction, at(9));
        let trees = [
            xml_avail("a", "EST", Some("WSP")),
            xml_avail("b", "EST", Some("WSP")),
            xml_avail("c", "SVOD", Some("WSP")),
            xml_avail("d", "EST", Some("")),
            xml_avail("e", "EST", None),
            other_part,
        ];
        let set = AvailSet::new(trees.iter().collect());
        assert_eq!(set.shape, [0, 0, 1, 2, 3, 4]);
        assert_eq!(set.shapes, 5);
        assert_eq!(set.len(), 6);

        let keys: Vec<&str> = requirements(TemplateVersion::Xml(3, 0))
            .iter()
            .map(|r| r.source.key.as_str())
            .collect();
        let say = |_: &AvailTree, v: &Violation<'_>| {
            (
                v.at,
                format!("{} {} {:?}", v.requirement.source.key, v.index, v.found),
                String::new(),
            )
        };
        let meta = &super::super::ema_term_pricing::TermPricing::META;
        let mut by_shape = Vec::new();
        report(meta, &set, &keys, say, &mut by_shape);
        let mut alone = Vec::new();
        for tree in &trees {
            for v in check(tree, TemplateVersion::Xml(3, 0), &keys) {
                alone.push(finding(meta, tree, &v, &say));
            }
        }
        let text = |ds: &[Diagnostic]| -> Vec<String> {
            ds.iter()
                .map(|d| format!("{:?} {}", d.location, d.message))
                .collect()
        };
        assert!(!alone.is_empty(), "the Avails break some requirement");
        assert_eq!(text(&by_shape), text(&alone));
    }

    /// A path finds parts in document order, and counts and tests them as
    /// it finds them: up, down, any depth and with predicates.
    #[test]
    fn paths_find_count_and_test_alike() {
        let (mut t, asset) = single_movie();
        let mut transactions = Vec::new();
        let mut licenses = Vec::new();
        for (i, kind) in ["SVOD", "EST", "SVOD"].into_iter().enumerate() {
            let line = 10 + 2 * i as u32;
            let trans = t.add(0, Part::Transaction, at(line));
            transactions.push(trans);
            licenses.push(t.add_value(trans, Part::LicenseType, Text::from(kind), at(line + 1)));
        }
        let cases: [(&str, NodeId, Vec<NodeId>); 5] = [
            (
                ".//{avail}Transaction/{avail}LicenseType[. = 'SVOD']",
                0,
                vec![licenses[0], licenses[2]],
            ),
            ("./{avail}Transaction", 0, transactions.clone()),
            (
                "../{avail}Transaction[./{avail}LicenseType[. = 'EST']]",
                asset,
                vec![transactions[1]],
            ),
            ("../../{avail}Asset", licenses[1], vec![asset]),
            (
                "./{avail}Transaction/{avail}LicenseType[. = 'TVOD']",
                0,
                vec![],
            ),
        ];
        for (text, from, want) in cases {
            let path = Path::parse(text).unwrap();
            assert_eq!(path.find(&t, from), want, "{text}");
            assert_eq!(path.count(&t, from), want.len(), "{text}");
            assert_eq!(path.any(&t, from), !want.is_empty(), "{text}");
        }
    }
}
