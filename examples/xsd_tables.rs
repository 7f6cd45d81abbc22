//! Generates `schemas/xsd/avails-v2.x.json` from the MovieLabs XSDs: for
//! each avails schema version, every element, type, attribute and simple
//! type reachable from its global elements, with each complex type's
//! content model compiled to a deterministic automaton (Glushkov's
//! construction; XSD's Unique Particle Attribution rule makes it
//! deterministic). `build.rs` turns the JSON into the tables the XML reader
//! validates with (`src/read/xml/xsd.rs`); `tests/xsd.rs` fails when the
//! JSON is stale.
//!
//! ```sh
//! cargo run --example xsd_tables -- fixtures/upstream/movielabs schemas/xsd
//! ```
//!
//! Supported is what the avails 2.1–2.7 and md 2.4–2.12 XSDs use, and
//! anything else stops the generator: sequence and choice with minOccurs
//! 0/1 and maxOccurs 1/unbounded, element refs, named groups and attribute
//! groups, `xs:any` wildcards, simple and complex content extension,
//! simple types by restriction (enumeration, pattern) and union. (The md
//! XSDs also use minInclusive and maxInclusive, but in no type an avails
//! document reaches.) Imported schemas that are not in the folder (MEC, `mdmec-v2.x.xsd`)
//! and the XML Signature schema leave their types open: an element of such a
//! type is checked where it stands, not inside (`"open"` content).

#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::rc::Rc;

use quick_xml::Reader;
use quick_xml::events::Event;
use serde_json::{Value, json};

const XS: &str = "http://www.w3.org/2001/XMLSchema";
const DS: &str = "http://www.w3.org/2000/09/xmldsig#";
/// The scope key of a node's target namespace (not a prefix: prefixes
/// cannot hold NUL).
const TNS: &str = "\u{0}tns";

/// The avails schema versions, in order.
pub const VERSIONS: [&str; 11] = [
    "2.1", "2.2", "2.2.1", "2.2.2", "2.3", "2.4", "2.5", "2.5.2", "2.6", "2.6.1", "2.7",
];

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(src), Some(out)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: xsd_tables XSD_DIR OUT_DIR");
        std::process::exit(2);
    };
    match generate(Path::new(src)) {
        Ok(files) => {
            std::fs::create_dir_all(out).expect("output folder");
            for (name, text) in files {
                std::fs::write(Path::new(out).join(&name), text).expect("write");
                println!("wrote {name}");
            }
        }
        Err(e) => {
            eprintln!("xsd_tables: {e}");
            std::process::exit(1);
        }
    }
}

/// The JSON file of each avails version: (file name, text).
pub fn generate(dir: &Path) -> Result<Vec<(String, String)>, String> {
    VERSIONS
        .iter()
        .map(|v| {
            let file = format!("avails-v{v}.json");
            let value = version(dir, v).map_err(|e| format!("avails {v}: {e}"))?;
            Ok((file, compact(&value) + "\n"))
        })
        .collect()
}

/// JSON with one item per line, short values kept on one line.
fn compact(v: &Value) -> String {
    let mut out = String::new();
    write_json(v, 0, &mut out);
    out
}

fn write_json(v: &Value, indent: usize, out: &mut String) {
    let flat = serde_json::to_string(v).unwrap_or_default();
    if flat.len() + indent <= 100 || !matches!(v, Value::Array(_) | Value::Object(_)) {
        out.push_str(&flat);
        return;
    }
    let pad = " ".repeat(indent + 2);
    match v {
        Value::Array(items) => {
            out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                out.push_str(&pad);
                write_json(item, indent + 2, out);
                out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
            }
        }
        Value::Object(map) => {
            out.push_str("{\n");
            for (i, (k, item)) in map.iter().enumerate() {
                out.push_str(&pad);
                out.push_str(&serde_json::to_string(k).unwrap_or_default());
                out.push_str(": ");
                write_json(item, indent + 2, out);
                out.push_str(if i + 1 < map.len() { ",\n" } else { "\n" });
            }
        }
        _ => {}
    }
    out.push_str(&" ".repeat(indent));
    out.push(if matches!(v, Value::Array(_)) {
        ']'
    } else {
        '}'
    });
}

// ------------------------------------------------------------------ DOM

/// An XSD element: its local name (all are in the XSD namespace), its
/// attributes, children, and the namespace bindings in scope.
struct Node {
    name: String,
    attrs: Vec<(String, String)>,
    kids: Vec<Rc<Node>>,
    scope: Rc<HashMap<String, String>>,
    /// Unique identity (document order across all files).
    id: usize,
}

impl Node {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn kids(&self, name: &str) -> impl Iterator<Item = &Rc<Node>> {
        self.kids.iter().filter(move |k| k.name == name)
    }

    fn kid(&self, name: &str) -> Option<&Rc<Node>> {
        self.kids(name).next()
    }

    /// The (namespace, local name) a QName attribute value names.
    fn qname(&self, value: &str) -> Result<(String, String), String> {
        let (prefix, local) = match value.split_once(':') {
            Some((p, l)) => (p, l),
            None => ("", value),
        };
        let ns = self
            .scope
            .get(prefix)
            .cloned()
            .ok_or_else(|| format!("undeclared prefix in `{value}`"))?;
        Ok((ns, local.to_string()))
    }
}

/// Reads an XSD file into [`Node`]s (skipping any DOCTYPE: entities are
/// not used by the schemas' content).
fn parse(path: &Path, next_id: &mut usize) -> Result<Rc<Node>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut reader = Reader::from_str(&text);
    reader.config_mut().trim_text(true);
    struct Open {
        name: String,
        attrs: Vec<(String, String)>,
        kids: Vec<Rc<Node>>,
        scope: Rc<HashMap<String, String>>,
        id: usize,
    }
    let mut stack: Vec<Open> = Vec::new();
    let mut root = None;
    let err = |e: &dyn std::fmt::Display| format!("{}: {e}", path.display());
    loop {
        let ev = reader.read_event().map_err(|e| err(&e))?;
        let (start, empty) = match &ev {
            Event::Start(e) => (Some(e.clone()), false),
            Event::Empty(e) => (Some(e.clone()), true),
            _ => (None, false),
        };
        if let Some(e) = start {
            let parent_scope = stack
                .last()
                .map(|o| o.scope.clone())
                .unwrap_or_else(|| Rc::new(HashMap::from([("xml".into(), String::new())])));
            let mut scope = (*parent_scope).clone();
            let mut attrs = Vec::new();
            for a in e.attributes() {
                let a = a.map_err(|e| err(&e))?;
                let key = a.key.0.to_string();
                let value = a
                    .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    .map_err(|e| err(&e))?
                    .into_owned();
                if key == "xmlns" {
                    scope.insert(String::new(), value);
                } else if let Some(p) = key.strip_prefix("xmlns:") {
                    scope.insert(p.to_string(), value);
                } else {
                    attrs.push((key, value));
                }
            }
            if stack.is_empty() {
                // Every node knows its schema's target namespace.
                let tns = attrs.iter().find(|(k, _)| k == "targetNamespace");
                scope.insert(
                    TNS.to_string(),
                    tns.map(|(_, v)| v.clone()).unwrap_or_default(),
                );
                let form = |k: &str| attrs.iter().find(|(a, _)| a == k).map(|(_, v)| v.as_str());
                if form("elementFormDefault") != Some("qualified")
                    || form("attributeFormDefault").is_some_and(|v| v != "unqualified")
                {
                    return Err(err(
                        &"only elementFormDefault=\"qualified\" and unqualified attributes are supported",
                    ));
                }
            }
            let qname = e.name().0.to_string();
            let (prefix, local) = match qname.split_once(':') {
                Some((p, l)) => (p.to_string(), l.to_string()),
                None => (String::new(), qname.clone()),
            };
            if scope.get(&prefix).map(String::as_str) != Some(XS) {
                return Err(err(&format!("<{qname}> is not an XML Schema element")));
            }
            *next_id += 1;
            stack.push(Open {
                name: local,
                attrs,
                kids: Vec::new(),
                scope: Rc::new(scope),
                id: *next_id,
            });
            if !empty {
                continue;
            }
        }
        let close = empty || matches!(ev, Event::End(_));
        if close {
            let o = stack.pop().ok_or_else(|| err(&"unbalanced"))?;
            let node = Rc::new(Node {
                name: o.name,
                attrs: o.attrs,
                kids: o.kids,
                scope: o.scope,
                id: o.id,
            });
            match stack.last_mut() {
                Some(p) => p.kids.push(node),
                None => root = Some(node),
            }
        }
        if matches!(ev, Event::Eof) {
            break;
        }
    }
    root.ok_or_else(|| err(&"no schema element"))
}

// -------------------------------------------------------------- schemas

/// The namespaces of a version's documents, as numbered in the tables.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Ns {
    Avails = 0,
    Md = 1,
    Mdmec = 2,
    Ds = 3,
}

/// The schema set of one avails version.
struct Set {
    /// Namespace URI of each [`Ns`].
    uris: [String; 4],
    /// Top-level components by kind and (namespace, name).
    defs: HashMap<(&'static str, String, String), Rc<Node>>,
    /// Namespaces whose schema is not in the folder (their types are open).
    open: BTreeSet<String>,
    /// Files read and files missing.
    files: Vec<String>,
    absent: Vec<String>,
}

const KINDS: [&str; 5] = [
    "element",
    "complexType",
    "simpleType",
    "group",
    "attributeGroup",
];

impl Set {
    fn load(dir: &Path, version: &str) -> Result<Set, String> {
        let mut next_id = 0;
        let avails_file = format!("avails-v{version}.xsd");
        let avails = parse(&dir.join(&avails_file), &mut next_id)?;
        let tns = avails
            .attr("targetNamespace")
            .ok_or("no targetNamespace")?
            .to_string();
        let mut set = Set {
            uris: [tns.clone(), String::new(), String::new(), DS.to_string()],
            defs: HashMap::new(),
            open: BTreeSet::new(),
            files: vec![avails_file],
            absent: Vec::new(),
        };
        set.add(&avails, &tns);
        for import in avails.kids("import") {
            let ns = import.attr("namespace").ok_or("import without namespace")?;
            let location = import
                .attr("schemaLocation")
                .ok_or("import without schemaLocation")?;
            if ns.contains("/schema/md/") {
                set.uris[Ns::Md as usize] = ns.to_string();
            } else if ns.contains("/schema/mdmec/") {
                set.uris[Ns::Mdmec as usize] = ns.to_string();
            } else if ns != DS {
                return Err(format!("unexpected import of `{ns}`"));
            }
            let path = dir.join(location);
            if !path.exists() {
                set.open.insert(ns.to_string());
                set.absent.push(location.to_string());
                continue;
            }
            let schema = parse(&path, &mut next_id)?;
            if schema.attr("targetNamespace") != Some(ns) {
                return Err(format!("{location} is not the schema of `{ns}`"));
            }
            if ns == DS {
                // Only its global element names are used: their content is open.
                set.open.insert(ns.to_string());
            }
            if schema.kids("import").next().is_some() {
                return Err(format!("{location} imports another schema"));
            }
            set.add(&schema, ns);
            set.files.push(location.to_string());
        }
        Ok(set)
    }

    fn add(&mut self, schema: &Rc<Node>, tns: &str) {
        for k in &schema.kids {
            if let Some(kind) = KINDS.iter().find(|kind| **kind == k.name)
                && let Some(name) = k.attr("name")
            {
                self.defs
                    .insert((kind, tns.to_string(), name.to_string()), k.clone());
            }
        }
    }

    fn ns_of(&self, uri: &str) -> Result<Ns, String> {
        [Ns::Avails, Ns::Md, Ns::Mdmec, Ns::Ds]
            .into_iter()
            .find(|n| self.uris[*n as usize] == uri)
            .ok_or_else(|| format!("namespace `{uri}` is not one of the set"))
    }

    fn find(&self, kind: &'static str, q: &(String, String)) -> Option<Rc<Node>> {
        self.defs.get(&(kind, q.0.clone(), q.1.clone())).cloned()
    }

    fn def(&self, kind: &'static str, q: &(String, String)) -> Result<Option<Rc<Node>>, String> {
        match self.defs.get(&(kind, q.0.clone(), q.1.clone())) {
            Some(n) => Ok(Some(n.clone())),
            None if self.open.contains(&q.0) => Ok(None),
            None => Err(format!("no {kind} `{}` in `{}`", q.1, q.0)),
        }
    }
}

// ------------------------------------------------------------ compiling

/// A particle of a content model.
#[derive(Clone, Debug)]
enum Particle {
    Element(usize, bool, bool),
    Any(usize, bool, bool),
    Seq(Vec<Particle>, bool, bool),
    Choice(Vec<Particle>, bool, bool),
}

impl Particle {
    /// (minOccurs = 0, maxOccurs = unbounded).
    fn occurs(&self) -> (bool, bool) {
        match self {
            Particle::Element(_, o, u)
            | Particle::Any(_, o, u)
            | Particle::Seq(_, o, u)
            | Particle::Choice(_, o, u) => (*o, *u),
        }
    }
}

/// minOccurs = 0 and maxOccurs = unbounded of a particle node.
fn occurs(n: &Node) -> Result<(bool, bool), String> {
    let optional = match n.attr("minOccurs") {
        None | Some("1") => false,
        Some("0") => true,
        Some(v) => return Err(format!("minOccurs=\"{v}\" is not supported")),
    };
    let many = match n.attr("maxOccurs") {
        None | Some("1") => false,
        Some("unbounded") => true,
        Some(v) => return Err(format!("maxOccurs=\"{v}\" is not supported")),
    };
    Ok((optional, many))
}

/// What the generator builds for one version.
struct Compiler<'s> {
    set: &'s Set,
    names: BTreeSet<String>,
    elements: Vec<Value>,
    element_ids: HashMap<usize, usize>,
    types: Vec<Value>,
    type_ids: HashMap<String, usize>,
    simples: Vec<Value>,
    simple_ids: HashMap<String, usize>,
    /// Each simple type's whitespace handling and union members, for
    /// deriving from it.
    simple_info: Vec<SimpleInfo>,
    wildcards: Vec<Value>,
    patterns: Vec<String>,
    /// Avails or md names of global elements.
    globals: Vec<usize>,
}

#[derive(Clone)]
struct SimpleInfo {
    builtin: String,
    ws: &'static str,
    steps: Vec<Value>,
    union: Vec<usize>,
}

/// The built-in simple types the XSDs use (and availcheck checks).
const BUILTINS: [&str; 15] = [
    "string",
    "anyURI",
    "boolean",
    "date",
    "dateTime",
    "decimal",
    "duration",
    "gYear",
    "gYearMonth",
    "int",
    "integer",
    "language",
    "positiveInteger",
    "time",
    "anySimpleType",
];

fn version(dir: &Path, version: &str) -> Result<Value, String> {
    let set = Set::load(dir, version)?;
    let mut c = Compiler {
        set: &set,
        names: BTreeSet::new(),
        elements: Vec::new(),
        element_ids: HashMap::new(),
        types: Vec::new(),
        type_ids: HashMap::new(),
        simples: Vec::new(),
        simple_ids: HashMap::new(),
        simple_info: Vec::new(),
        wildcards: Vec::new(),
        patterns: Vec::new(),
        globals: Vec::new(),
    };
    // Type 0 is open content: anything, checked by nothing.
    c.types.push(json!({"name": "(open)", "content": "open"}));
    c.type_ids.insert("(open)".into(), 0);
    let mut globals: Vec<(String, String, Rc<Node>)> = set
        .defs
        .iter()
        .filter(|((kind, ..), _)| *kind == "element")
        .map(|((_, ns, name), n)| (ns.clone(), name.clone(), n.clone()))
        .collect();
    globals.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    for (ns, name, node) in &globals {
        let id = c.element(node, ns, name)?;
        c.globals.push(id);
    }
    let names: Vec<&String> = c.names.iter().collect();
    let name_index: HashMap<&str, usize> = names
        .iter()
        .enumerate()
        .map(|(i, n)| (n.as_str(), i))
        .collect();
    // Elements carry their name as text until here; now as an index.
    let elements: Vec<Value> = c
        .elements
        .iter()
        .map(|e| {
            let mut e = e.clone();
            let n = e[1].as_str().unwrap_or_default().to_string();
            e[1] = json!(name_index[n.as_str()]);
            e
        })
        .collect();
    Ok(json!({
        "avails": version,
        "files": set.files,
        "absent": set.absent,
        "namespaces": set.uris,
        "names": names,
        "globals": c.globals,
        "elements": elements,
        "types": c.types,
        "simple": c.simples,
        "wildcards": c.wildcards,
        "patterns": c.patterns,
    }))
}

impl Compiler<'_> {
    /// The id of element declaration `node` (named `name`, in `ns`).
    fn element(&mut self, node: &Rc<Node>, ns: &str, name: &str) -> Result<usize, String> {
        if let Some(id) = self.element_ids.get(&node.id) {
            return Ok(*id);
        }
        let ns_id = self.set.ns_of(ns)? as usize;
        let id = self.elements.len();
        self.element_ids.insert(node.id, id);
        self.names.insert(name.to_string());
        // Placeholder while the type compiles (recursive types refer back).
        self.elements.push(json!([ns_id, name, 0, null, null]));
        let open = self.set.open.contains(ns);
        let ty = if open {
            0
        } else if let Some(t) = node.attr("type") {
            let q = node.qname(t)?;
            self.type_ref(&q)
                .map_err(|e| format!("element {name}: {e}"))?
        } else if let Some(ct) = node.kid("complexType") {
            let key = format!("#{}", ct.id);
            self.complex(ct, &key, &format!("(type of {name})"))
                .map_err(|e| format!("element {name}: {e}"))?
        } else if let Some(st) = node.kid("simpleType") {
            let s = self
                .simple_node(st, &format!("#{}", st.id))
                .map_err(|e| format!("element {name}: {e}"))?;
            self.simple_content_type(s, &format!("#{}", st.id))
        } else {
            // No type: xs:anyType.
            0
        };
        if node.attr("nillable").is_some()
            || node.attr("abstract").is_some()
            || node.attr("substitutionGroup").is_some()
        {
            return Err(format!(
                "element {name}: nillable/abstract/substitutionGroup is not supported"
            ));
        }
        self.elements[id] = json!([ns_id, name, ty, node.attr("fixed"), node.attr("default")]);
        Ok(id)
    }

    /// A type named `q`: complex or simple (as a complex type of simple content).
    fn type_ref(&mut self, q: &(String, String)) -> Result<usize, String> {
        let key = format!("{{{}}}{}", q.0, q.1);
        if let Some(id) = self.type_ids.get(&key) {
            return Ok(*id);
        }
        if q.0 == XS {
            if q.1 == "anyType" {
                return Ok(0);
            }
            let s = self.simple_ref(q)?;
            return Ok(self.simple_content_type(s, &key));
        }
        if let Some(ct) = self.set.find("complexType", q) {
            let display = self.display(q);
            return self.complex(&ct, &key, &display);
        }
        if self.set.open.contains(&q.0) {
            return Ok(0);
        }
        let s = self.simple_ref(q)?;
        Ok(self.simple_content_type(s, &key))
    }

    /// A complex type of simple content `s` without attributes.
    fn simple_content_type(&mut self, s: usize, key: &str) -> usize {
        let key = format!("simple:{key}");
        if let Some(id) = self.type_ids.get(&key) {
            return *id;
        }
        let id = self.types.len();
        self.types
            .push(json!({"content": "simple", "simple": s, "attrs": []}));
        self.type_ids.insert(key, id);
        id
    }

    /// How a QName is shown in messages (`md:Region-type`, `xs:string`).
    fn display(&self, q: &(String, String)) -> String {
        let prefix = if q.0 == XS {
            "xs"
        } else {
            match self.set.ns_of(&q.0) {
                Ok(Ns::Avails) => "avails",
                Ok(Ns::Md) => "md",
                Ok(Ns::Mdmec) => "mdmec",
                _ => "ds",
            }
        };
        format!("{prefix}:{}", q.1)
    }

    /// Compiles complex type `ct` under `key`.
    fn complex(&mut self, ct: &Rc<Node>, key: &str, display: &str) -> Result<usize, String> {
        if let Some(id) = self.type_ids.get(key) {
            return Ok(*id);
        }
        let id = self.types.len();
        self.types.push(Value::Null);
        self.type_ids.insert(key.to_string(), id);
        let tns = self.tns(ct);
        let (attrs, content) = self.complex_parts(ct, &tns)?;
        let mut ty = json!({"name": display});
        let attrs = self.attrs_json(attrs)?;
        ty["attrs"] = attrs;
        match content {
            Content::Simple(s) => {
                ty["content"] = json!("simple");
                ty["simple"] = json!(s);
            }
            Content::Particle(p, mixed) => {
                if mixed {
                    return Err(format!("{display}: mixed content is not supported"));
                }
                ty["content"] = json!("elements");
                let (states, order) = self.automaton(p.as_ref(), display)?;
                ty["states"] = states;
                ty["order"] = json!(order);
            }
            Content::Open => {
                ty["content"] = json!("open");
            }
        }
        if attrs_len(&ty) > 64 {
            return Err(format!("{display} has more than 64 attributes"));
        }
        self.types[id] = ty;
        Ok(id)
    }

    /// The target namespace of the schema a component node is in.
    fn tns(&self, node: &Rc<Node>) -> String {
        node.scope.get(TNS).cloned().unwrap_or_default()
    }

    /// Attributes (name, type, required, fixed) and content of a complex type.
    fn complex_parts(
        &mut self,
        ct: &Rc<Node>,
        tns: &str,
    ) -> Result<(Vec<AttrDecl>, Content), String> {
        let mixed = ct.attr("mixed") == Some("true");
        if let Some(sc) = ct.kid("simpleContent") {
            let ext = sc
                .kid("extension")
                .ok_or("simpleContent other than extension")?;
            let base = ext.qname(ext.attr("base").ok_or("extension without base")?)?;
            let (mut attrs, content) = self.base_parts(&base)?;
            let content = match content {
                Content::Simple(s) => Content::Simple(s),
                Content::Open => Content::Open,
                Content::Particle(..) => {
                    return Err("simpleContent extension of element content".into());
                }
            };
            self.own_attrs(ext, &mut attrs)?;
            return Ok((attrs, content));
        }
        if let Some(cc) = ct.kid("complexContent") {
            let ext = cc
                .kid("extension")
                .ok_or("complexContent other than extension")?;
            let base = ext.qname(ext.attr("base").ok_or("extension without base")?)?;
            let (mut attrs, content) = self.base_parts(&base)?;
            let own = self.particle_of(ext, tns)?;
            let content = match content {
                Content::Open => Content::Open,
                Content::Simple(_) => {
                    return Err("complexContent extension of simple content".into());
                }
                Content::Particle(base_p, base_mixed) => {
                    let p = match (base_p, own) {
                        (Some(b), Some(o)) => Some(Particle::Seq(vec![b, o], false, false)),
                        (Some(b), None) => Some(b),
                        (None, o) => o,
                    };
                    Content::Particle(p, mixed || base_mixed || cc.attr("mixed") == Some("true"))
                }
            };
            self.own_attrs(ext, &mut attrs)?;
            return Ok((attrs, content));
        }
        let p = self.particle_of(ct, tns)?;
        let mut attrs = Vec::new();
        self.own_attrs(ct, &mut attrs)?;
        Ok((attrs, Content::Particle(p, mixed)))
    }

    /// Attributes and content of base type `q` (for extension).
    fn base_parts(&mut self, q: &(String, String)) -> Result<(Vec<AttrDecl>, Content), String> {
        if q.0 == XS && q.1 == "anyType" {
            return Ok((Vec::new(), Content::Particle(None, false)));
        }
        if let Some(ct) = self.set.find("complexType", q) {
            let tns = q.0.clone();
            return self.complex_parts(&ct, &tns);
        }
        if self.set.open.contains(&q.0) {
            return Ok((Vec::new(), Content::Open));
        }
        let s = self.simple_ref(q)?;
        Ok((Vec::new(), Content::Simple(s)))
    }

    /// Adds the attributes declared directly in `n` (and its attribute groups).
    fn own_attrs(&mut self, n: &Rc<Node>, attrs: &mut Vec<AttrDecl>) -> Result<(), String> {
        for k in &n.kids {
            match k.name.as_str() {
                "attribute" => {
                    if k.attr("ref").is_some() {
                        return Err("attribute refs are not supported".into());
                    }
                    let name = k.attr("name").ok_or("attribute without name")?.to_string();
                    let simple = if let Some(t) = k.attr("type") {
                        self.simple_ref(&k.qname(t)?)?
                    } else if let Some(st) = k.kid("simpleType") {
                        self.simple_node(st, &format!("#{}", st.id))?
                    } else {
                        self.simple_ref(&(XS.to_string(), "anySimpleType".to_string()))?
                    };
                    let required = match k.attr("use") {
                        Some("required") => true,
                        None | Some("optional") => false,
                        Some(u) => return Err(format!("use=\"{u}\" is not supported")),
                    };
                    let decl = AttrDecl {
                        name,
                        simple,
                        required,
                        fixed: k.attr("fixed").map(str::to_string),
                    };
                    match attrs.iter_mut().find(|a| a.name == decl.name) {
                        Some(a) => *a = decl,
                        None => attrs.push(decl),
                    }
                }
                "attributeGroup" => {
                    let r = k.attr("ref").ok_or("attributeGroup without ref")?;
                    let g = self
                        .set
                        .def("attributeGroup", &k.qname(r)?)?
                        .ok_or("attribute group of an open schema")?;
                    self.own_attrs(&g, attrs)?;
                }
                "anyAttribute" => return Err("anyAttribute is not supported".into()),
                _ => {}
            }
        }
        Ok(())
    }

    fn attrs_json(&mut self, mut attrs: Vec<AttrDecl>) -> Result<Value, String> {
        attrs.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(Value::Array(
            attrs
                .into_iter()
                .map(|a| json!([a.name, a.simple, a.required, a.fixed]))
                .collect(),
        ))
    }

    /// The model group particle directly in `n` (sequence, choice, group ref).
    fn particle_of(&mut self, n: &Rc<Node>, tns: &str) -> Result<Option<Particle>, String> {
        let mut found = None;
        for k in &n.kids {
            if matches!(k.name.as_str(), "sequence" | "choice" | "group" | "all") {
                if found.is_some() {
                    return Err("two model groups".into());
                }
                found = Some(self.particle(k, tns)?);
            }
        }
        Ok(found)
    }

    fn particle(&mut self, n: &Rc<Node>, tns: &str) -> Result<Particle, String> {
        let (opt, many) = occurs(n)?;
        match n.name.as_str() {
            "element" => {
                let id = if let Some(r) = n.attr("ref") {
                    let q = n.qname(r)?;
                    match self.set.def("element", &q)? {
                        Some(g) => self.element(&g, &q.0, &q.1)?,
                        None => return Err(format!("element ref `{r}` into an open schema")),
                    }
                } else {
                    let name = n.attr("name").ok_or("element without name")?.to_string();
                    self.element(n, tns, &name)?
                };
                Ok(Particle::Element(id, opt, many))
            }
            "any" => {
                let ns = n.attr("namespace").unwrap_or("##any");
                let ns = match ns {
                    "##any" => json!("any"),
                    "##other" => json!(["other", self.set.ns_of(tns)? as usize]),
                    other => return Err(format!("any namespace=\"{other}\" is not supported")),
                };
                let process = n.attr("processContents").unwrap_or("strict");
                let w = json!([ns, process]);
                let id = match self.wildcards.iter().position(|x| *x == w) {
                    Some(i) => i,
                    None => {
                        self.wildcards.push(w);
                        self.wildcards.len() - 1
                    }
                };
                Ok(Particle::Any(id, opt, many))
            }
            "sequence" | "choice" => {
                let mut parts = Vec::new();
                for k in &n.kids {
                    if matches!(
                        k.name.as_str(),
                        "element" | "any" | "sequence" | "choice" | "group"
                    ) {
                        parts.push(self.particle(k, tns)?);
                    } else if k.name != "annotation" {
                        return Err(format!("<xs:{}> in a model group", k.name));
                    }
                }
                Ok(if n.name == "sequence" {
                    Particle::Seq(parts, opt, many)
                } else {
                    Particle::Choice(parts, opt, many)
                })
            }
            "group" => {
                let r = n.attr("ref").ok_or("group without ref")?;
                let q = n.qname(r)?;
                let g = self
                    .set
                    .def("group", &q)?
                    .ok_or("group of an open schema")?;
                let inner = self.particle_of(&g, &q.0)?.ok_or("empty group")?;
                Ok(match inner {
                    Particle::Seq(p, o, m) => Particle::Seq(p, o || opt, m || many),
                    Particle::Choice(p, o, m) => Particle::Choice(p, o || opt, m || many),
                    other => Particle::Seq(vec![other], opt, many),
                })
            }
            other => Err(format!("<xs:{other}> is not supported")),
        }
    }

    /// The Glushkov automaton of a content model: state 0 is the start,
    /// state i + 1 the i-th particle leaf. Each state is `[accepting,
    /// [[kind, id, to], …]]` with kind `e` (element declaration) or `w`
    /// (wildcard). Also the element names in schema order, for messages.
    fn automaton(
        &self,
        p: Option<&Particle>,
        display: &str,
    ) -> Result<(Value, Vec<String>), String> {
        let mut leaves: Vec<(bool, usize)> = Vec::new();
        let Some(p) = p else {
            return Ok((json!([[true, []]]), Vec::new()));
        };
        let g = glushkov(p, &mut leaves);
        let mut follow = g.follow;
        follow.resize(leaves.len(), BTreeSet::new());
        let mut states = Vec::new();
        let state = |accepting: bool, next: &BTreeSet<usize>| -> Result<Value, String> {
            let trans: Vec<Value> = next
                .iter()
                .map(|&i| {
                    let (is_elem, id) = leaves[i];
                    json!([if is_elem { "e" } else { "w" }, id, i + 1])
                })
                .collect();
            self.check_upa(next, &leaves, display)?;
            Ok(json!([accepting, trans]))
        };
        states.push(state(g.nullable, &g.first)?);
        for (i, next) in follow.iter().enumerate() {
            states.push(state(g.last.contains(&i), next)?);
        }
        let mut order = Vec::new();
        for (is_elem, id) in &leaves {
            if *is_elem {
                let name = self.element_name(*id);
                if !order.contains(&name) {
                    order.push(name);
                }
            }
        }
        Ok((Value::Array(states), order))
    }

    /// `md:Name` or `Name` of element declaration `id`.
    fn element_name(&self, id: usize) -> String {
        let e = &self.elements[id];
        let name = e[1].as_str().unwrap_or_default();
        match e[0].as_u64() {
            Some(0) => name.to_string(),
            Some(1) => format!("md:{name}"),
            Some(2) => format!("mdmec:{name}"),
            _ => format!("ds:{name}"),
        }
    }

    /// Unique Particle Attribution: no two transitions of a state may match
    /// one element.
    fn check_upa(
        &self,
        next: &BTreeSet<usize>,
        leaves: &[(bool, usize)],
        display: &str,
    ) -> Result<(), String> {
        let v: Vec<&(bool, usize)> = next.iter().map(|i| &leaves[*i]).collect();
        for (i, a) in v.iter().enumerate() {
            for b in &v[i + 1..] {
                let clash = match (a, b) {
                    ((true, x), (true, y)) => {
                        let (ex, ey) = (&self.elements[*x], &self.elements[*y]);
                        ex[0] == ey[0] && ex[1] == ey[1]
                    }
                    ((false, w), (true, e)) | ((true, e), (false, w)) => {
                        let ns = self.elements[*e][0].as_u64().unwrap_or(0) as usize;
                        wildcard_matches(&self.wildcards[*w], ns)
                    }
                    ((false, _), (false, _)) => true,
                };
                if clash {
                    return Err(format!(
                        "{display}: the content model is not deterministic (Unique Particle Attribution)"
                    ));
                }
            }
        }
        Ok(())
    }

    /// A simple type named `q`.
    fn simple_ref(&mut self, q: &(String, String)) -> Result<usize, String> {
        let key = format!("{{{}}}{}", q.0, q.1);
        if let Some(id) = self.simple_ids.get(&key) {
            return Ok(*id);
        }
        if q.0 == XS {
            if !BUILTINS.contains(&q.1.as_str()) {
                return Err(format!("built-in type xs:{} is not supported", q.1));
            }
            let ws = if q.1 == "string" || q.1 == "anySimpleType" {
                "preserve"
            } else {
                "collapse"
            };
            let info = SimpleInfo {
                builtin: q.1.clone(),
                ws,
                steps: Vec::new(),
                union: Vec::new(),
            };
            return Ok(self.push_simple(&key, &format!("xs:{}", q.1), info));
        }
        let st = self
            .set
            .def("simpleType", q)?
            .ok_or_else(|| format!("simple type `{}` of an open schema", q.1))?;
        let display = self.display(q);
        self.simple_node_named(&st, &key, &display)
    }

    fn simple_node(&mut self, st: &Rc<Node>, key: &str) -> Result<usize, String> {
        self.simple_node_named(st, key, "")
    }

    fn simple_node_named(
        &mut self,
        st: &Rc<Node>,
        key: &str,
        display: &str,
    ) -> Result<usize, String> {
        if let Some(id) = self.simple_ids.get(key) {
            return Ok(*id);
        }
        let info = if let Some(r) = st.kid("restriction") {
            let base = match r.attr("base") {
                Some(b) => self.simple_ref(&r.qname(b)?)?,
                None => {
                    let inner = r.kid("simpleType").ok_or("restriction without base")?;
                    self.simple_node(inner, &format!("#{}", inner.id))?
                }
            };
            let mut info = self.simple_info[base].clone();
            let mut step = serde_json::Map::new();
            let mut enums = Vec::new();
            let mut patterns = Vec::new();
            for f in &r.kids {
                let v = f.attr("value").unwrap_or_default().to_string();
                match f.name.as_str() {
                    "enumeration" => enums.push(v),
                    "pattern" => patterns.push(self.pattern(&v)),
                    "annotation" | "simpleType" => {}
                    other => return Err(format!("facet xs:{other} is not supported")),
                }
            }
            if !enums.is_empty() {
                step.insert("enum".into(), json!(enums));
            }
            if !patterns.is_empty() {
                step.insert("patterns".into(), json!(patterns));
            }
            if !step.is_empty() {
                info.steps.push(Value::Object(step));
            }
            info
        } else if let Some(u) = st.kid("union") {
            let mut members = Vec::new();
            for m in u.attr("memberTypes").unwrap_or_default().split_whitespace() {
                members.push(self.simple_ref(&u.qname(m)?)?);
            }
            for inner in u.kids("simpleType") {
                members.push(self.simple_node(inner, &format!("#{}", inner.id))?);
            }
            SimpleInfo {
                builtin: "union".into(),
                ws: "collapse",
                steps: Vec::new(),
                union: members,
            }
        } else {
            return Err("simple type other than restriction or union".into());
        };
        let display = if !display.is_empty() {
            display.to_string()
        } else if let Some(r) = st.kid("restriction") {
            // An anonymous restriction is shown as its base.
            match r.attr("base") {
                Some(b) => self.display(&r.qname(b)?),
                None => format!("xs:{}", info.builtin),
            }
        } else {
            let members: Vec<&str> = info
                .union
                .iter()
                .map(|m| self.simples[*m]["name"].as_str().unwrap_or_default())
                .collect();
            members.join(" | ")
        };
        Ok(self.push_simple(key, &display, info))
    }

    fn push_simple(&mut self, key: &str, display: &str, info: SimpleInfo) -> usize {
        let id = self.simples.len();
        let mut v = json!({"name": display, "ws": info.ws});
        if info.builtin == "union" {
            v["union"] = json!(info.union);
        } else {
            v["builtin"] = json!(info.builtin);
        }
        if !info.steps.is_empty() {
            v["steps"] = json!(info.steps);
        }
        self.simples.push(v);
        self.simple_info.push(info);
        self.simple_ids.insert(key.to_string(), id);
        id
    }

    fn pattern(&mut self, p: &str) -> usize {
        match self.patterns.iter().position(|x| x == p) {
            Some(i) => i,
            None => {
                self.patterns.push(p.to_string());
                self.patterns.len() - 1
            }
        }
    }
}

/// True when wildcard `w` (`[ns, process]`) matches namespace number `ns`.
fn wildcard_matches(w: &Value, ns: usize) -> bool {
    match &w[0] {
        Value::String(s) if s == "any" => true,
        Value::Array(a) => a[1].as_u64() != Some(ns as u64),
        _ => false,
    }
}

struct AttrDecl {
    name: String,
    simple: usize,
    required: bool,
    fixed: Option<String>,
}

enum Content {
    Simple(usize),
    Particle(Option<Particle>, bool),
    Open,
}

fn attrs_len(ty: &Value) -> usize {
    ty["attrs"].as_array().map_or(0, Vec::len)
}

/// Glushkov sets of a particle: nullable, first, last, follow.
struct Sets {
    nullable: bool,
    first: BTreeSet<usize>,
    last: BTreeSet<usize>,
    follow: Vec<BTreeSet<usize>>,
}

fn glushkov(p: &Particle, leaves: &mut Vec<(bool, usize)>) -> Sets {
    let mut follow: Vec<BTreeSet<usize>> = Vec::new();
    let s = build(p, leaves, &mut follow);
    Sets { follow, ..s }
}

fn build(p: &Particle, leaves: &mut Vec<(bool, usize)>, follow: &mut Vec<BTreeSet<usize>>) -> Sets {
    let (opt, many) = p.occurs();
    let mut s = match p {
        Particle::Element(id, ..) | Particle::Any(id, ..) => {
            let i = leaves.len();
            leaves.push((matches!(p, Particle::Element(..)), *id));
            follow.push(BTreeSet::new());
            Sets {
                nullable: false,
                first: BTreeSet::from([i]),
                last: BTreeSet::from([i]),
                follow: Vec::new(),
            }
        }
        Particle::Seq(parts, ..) => {
            let mut acc = Sets {
                nullable: true,
                first: BTreeSet::new(),
                last: BTreeSet::new(),
                follow: Vec::new(),
            };
            for part in parts {
                let s = build(part, leaves, follow);
                for l in &acc.last {
                    follow[*l].extend(s.first.iter().copied());
                }
                if acc.nullable {
                    acc.first.extend(s.first.iter().copied());
                }
                if s.nullable {
                    acc.last.extend(s.last.iter().copied());
                } else {
                    acc.last = s.last.clone();
                }
                acc.nullable &= s.nullable;
            }
            acc
        }
        Particle::Choice(parts, ..) => {
            // An empty choice matches nothing.
            let mut acc = Sets {
                nullable: false,
                first: BTreeSet::new(),
                last: BTreeSet::new(),
                follow: Vec::new(),
            };
            for part in parts {
                let s = build(part, leaves, follow);
                acc.first.extend(s.first);
                acc.last.extend(s.last);
                acc.nullable |= s.nullable;
            }
            acc
        }
    };
    if many {
        for l in s.last.clone() {
            follow[l].extend(s.first.iter().copied());
        }
    }
    if opt {
        s.nullable = true;
    }
    s
}

/// Checks the generated JSON files against the XSDs: (file, fresh?).
pub fn stale(dir: &Path, out: &Path) -> Result<Vec<String>, String> {
    let mut stale = Vec::new();
    for (name, text) in generate(dir)? {
        let have = std::fs::read_to_string(out.join(&name)).unwrap_or_default();
        if have != text {
            stale.push(name);
        }
    }
    Ok(stale)
}

#[allow(unused)]
fn unused(_: BTreeMap<(), ()>) {}
