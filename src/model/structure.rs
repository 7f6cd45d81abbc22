//! The parts of an avail as the Avails data model names them — an Avail, its
//! Assets and Transactions, their Terms and Volumes — with where each is,
//! for the rules that check how the parts fit together (MovieLabs'
//! structure rules, Volumes, unique ALIDs). Only the parts those rules use
//! are kept.
//!
//! The Avails XML reader records the parts as it reads (one [`AvailTree`]
//! per `Avail` element); a spreadsheet row is turned into one by
//! [`AvailTree::of_row`].

use std::sync::Arc;

use super::avail::{Avail, SheetInfo, Text, XmlPos};
use super::field::Field;
use super::location::Location;

/// Declares [`Part`] with the name of each part in the Avails data model.
macro_rules! parts {
    ($($part:ident = $name:literal,)*) => {
        /// A part of an avail, named as in the Avails data model (the
        /// elements of Avails XML).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Part {
            $(
                #[doc = concat!("`", $name, "`.")]
                $part,
            )*
        }

        impl Part {
            /// Every part.
            pub const ALL: &[Part] = &[$(Part::$part,)*];

            /// The part's name in the Avails data model.
            pub fn name(self) -> &'static str {
                match self {
                    $(Part::$part => $name,)*
                }
            }
        }
    };
}

parts! {
    Avail = "Avail",
    Alid = "ALID",
    AvailType = "AvailType",
    Asset = "Asset",
    WorkType = "WorkType",
    Metadata = "Metadata",
    EpisodeMetadata = "EpisodeMetadata",
    SeasonMetadata = "SeasonMetadata",
    SeriesMetadata = "SeriesMetadata",
    VolumeMetadata = "VolumeMetadata",
    EpisodeNumber = "EpisodeNumber",
    Number = "Number",
    AltIdentifier = "AltIdentifier",
    EditEidrUrn = "EditEIDR-URN",
    SeasonContentId = "SeasonContentID",
    VolumeNumber = "VolumeNumber",
    VolumeFirstEpisodeNumber = "VolumeFirstEpisodeNumber",
    VolumeNumberOfEpisodes = "VolumeNumberOfEpisodes",
    VolumeStatus = "Status",
    BundledAsset = "BundledAsset",
    Transaction = "Transaction",
    LicenseType = "LicenseType",
    StartCondition = "StartCondition",
    EndCondition = "EndCondition",
    AssetLanguage = "AssetLanguage",
    RefAlid = "RefALID",
    Term = "Term",
    Money = "Money",
}

impl Part {
    /// The part of that name (`{md}Number` is `Number`).
    pub fn from_name(name: &str) -> Option<Part> {
        Part::ALL.iter().copied().find(|p| p.name() == name)
    }
}

/// Where a part is: in an XML document, or a cell of a spreadsheet row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// An element (or attribute) of an XML document.
    Xml(XmlPos),
    /// A cell: 1-based row, index into the sheet's columns.
    Cell {
        /// 1-based row.
        row: u32,
        /// Index into [`SheetInfo::columns`].
        column: u32,
    },
}

/// The index of a [`Node`] in its [`AvailTree`].
pub type NodeId = u32;

/// One part of an avail.
#[derive(Debug, Clone)]
pub struct Node {
    /// What part it is.
    pub part: Part,
    /// Its parent (`None` for the Avail itself).
    pub parent: Option<NodeId>,
    /// One past the last node inside it (its descendants are the nodes
    /// between).
    pub end: NodeId,
    /// Its value, trimmed; `None` when it holds other parts or nothing.
    pub value: Option<Text>,
    /// The attribute rules read: a Term's `termName`, a BundledAsset's
    /// `sequence`.
    pub attr: Option<Text>,
    /// Where it is.
    pub at: Place,
}

/// The parts of one avail: node 0 is the Avail, the others follow in
/// document order, each after its parent.
#[derive(Debug, Clone)]
pub struct AvailTree {
    /// The sheet the avail's rows are in (file, sheet and columns of the
    /// places).
    pub sheet: Arc<SheetInfo>,
    nodes: Vec<Node>,
}

impl AvailTree {
    /// A tree holding the Avail at `at`.
    pub fn new(sheet: Arc<SheetInfo>, at: Place) -> Self {
        Self::new_in(sheet, at, Vec::new())
    }

    /// [`AvailTree::new`], built in `room` (emptied): a reader that builds
    /// many trees reuses one room, and [`AvailTree::finish`] gives it back.
    pub fn new_in(sheet: Arc<SheetInfo>, at: Place, mut room: Vec<Node>) -> Self {
        room.clear();
        room.push(Node {
            part: Part::Avail,
            parent: None,
            end: 1,
            value: None,
            attr: None,
            at,
        });
        AvailTree { sheet, nodes: room }
    }

    /// The tree, moved to memory of its exact size, and the room it was
    /// built in (emptied) for the next ([`AvailTree::new_in`]).
    pub fn finish(mut self) -> (AvailTree, Vec<Node>) {
        // `append` moves the nodes in one copy and keeps the room's capacity.
        let mut nodes = Vec::with_capacity(self.nodes.len());
        nodes.append(&mut self.nodes);
        let room = std::mem::replace(&mut self.nodes, nodes);
        (self, room)
    }

    /// Adds `part` inside `parent` (the last open part: parts are added in
    /// document order); its descendants follow it.
    pub fn add(&mut self, parent: NodeId, part: Part, at: Place) -> NodeId {
        let id = NodeId::try_from(self.nodes.len()).expect("fewer than 2^32 parts");
        self.nodes.push(Node {
            part,
            parent: Some(parent),
            end: id + 1,
            value: None,
            attr: None,
            at,
        });
        // Every open ancestor now ends after it.
        let mut up = Some(parent);
        while let Some(p) = up {
            let n = &mut self.nodes[p as usize];
            n.end = id + 1;
            up = n.parent;
        }
        id
    }

    /// Adds a leaf `part` holding `value` inside `parent`.
    pub fn add_value(&mut self, parent: NodeId, part: Part, value: Text, at: Place) -> NodeId {
        let id = self.add(parent, part, at);
        self.set_value(id, value);
        id
    }

    /// Sets the value of `id`.
    pub fn set_value(&mut self, id: NodeId, value: Text) {
        self.nodes[id as usize].value = Some(value);
    }

    /// Sets the attribute of `id` (see [`Node::attr`]).
    pub fn set_attr(&mut self, id: NodeId, value: Text) {
        self.nodes[id as usize].attr = Some(value);
    }

    /// Moves `id` to `at` (a leaf's value is where its text is).
    pub fn set_place(&mut self, id: NodeId, at: Place) {
        self.nodes[id as usize].at = at;
    }

    /// The node `id`.
    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id as usize]
    }

    /// How many parts the tree holds.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// True when the tree holds only the Avail.
    pub fn is_empty(&self) -> bool {
        self.nodes.len() <= 1
    }

    /// Every node id, in document order.
    pub fn ids(&self) -> impl Iterator<Item = NodeId> + '_ {
        0..self.nodes.len() as NodeId
    }

    /// The children of `id`, in document order.
    pub fn children(&self, id: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        let end = self.node(id).end;
        let mut next = id + 1;
        std::iter::from_fn(move || {
            (next < end).then(|| {
                let child = next;
                next = self.node(child).end;
                child
            })
        })
    }

    /// The children of `id` that are `part`.
    pub fn children_of(&self, id: NodeId, part: Part) -> impl Iterator<Item = NodeId> + '_ {
        self.children(id)
            .filter(move |c| self.node(*c).part == part)
    }

    /// The value of the first child of `id` that is `part`, `""` when none.
    pub fn child_value(&self, id: NodeId, part: Part) -> &str {
        self.children_of(id, part)
            .next()
            .map_or("", |c| self.value(c))
    }

    /// The value of `id`, `""` when it has none.
    pub fn value(&self, id: NodeId) -> &str {
        self.node(id).value.as_deref().unwrap_or("")
    }

    /// Where `id` is, naming `field` (else the part) and the value.
    pub fn location(&self, id: NodeId) -> Location {
        let node = self.node(id);
        let mut loc = self.sheet.location();
        match node.at {
            Place::Xml(x) => {
                self.sheet.place(&mut loc, x);
                loc.field = Some(node.part.name().to_string());
            }
            Place::Cell { row, column } => {
                let col = self.sheet.columns.get(column as usize);
                loc.row = Some(row);
                if let Some(col) = col {
                    loc.column = Some(col.letter.clone());
                    loc.cell = Some(format!("{}{row}", col.letter));
                    loc.field = col.field.map(|f| f.name().to_string());
                }
            }
        }
        loc.value = node.value.as_ref().map(ToString::to_string);
        loc
    }

    /// The sort key of a finding at `id`: file, sheet, line or row, column.
    pub fn order(&self, id: NodeId) -> (usize, usize, u32, usize) {
        let (row, col) = match self.node(id).at {
            Place::Xml(x) => {
                let (line, col) = self.sheet.line_col(x);
                (line, col as usize)
            }
            Place::Cell { row, column } => (row, column as usize),
        };
        (self.sheet.file_index, self.sheet.sheet_index, row, col)
    }

    /// How `id` is named in messages: `<RefALID>` in XML, its column in a
    /// spreadsheet.
    pub fn label(&self, id: NodeId) -> String {
        let node = self.node(id);
        match node.at {
            Place::Xml(_) => match (&node.attr, node.part) {
                (Some(name), Part::Term) => format!("<Term termName=\"{name}\">"),
                _ => format!("<{}>", node.part.name()),
            },
            Place::Cell { column, .. } => self
                .sheet
                .columns
                .get(column as usize)
                .and_then(|c| c.field)
                .map_or_else(|| node.part.name().to_string(), |f| self.sheet.label(f)),
        }
    }

    /// The avail a spreadsheet row stands for, with the parts a row can
    /// say: the Avail (its ALID), one Asset (WorkType, a BundledAsset per
    /// BundledALIDs item) and one Transaction (LicenseType, a
    /// PreOrderFulfillDate Term for SpecialPreOrderFulfillDate, an
    /// AssetLanguage per AssetLanguage item). `None` for XML rows, whose
    /// parts the reader records.
    pub fn of_row(row: &Avail) -> Option<AvailTree> {
        if row.xml().is_some() {
            return None;
        }
        let cell_at = |c: &super::avail::Cell| Place::Cell {
            row: row.row,
            column: c.column() as u32,
        };
        let row_at = Place::Cell {
            row: row.row,
            column: row.sheet.column_of(Field::ALID).unwrap_or(0) as u32,
        };
        let mut tree = AvailTree::new(Arc::clone(&row.sheet), row_at);
        if let Some(c) = row.get(Field::ALID) {
            tree.add_value(0, Part::Alid, c.text.clone(), cell_at(c));
        }
        let asset = tree.add(0, Part::Asset, row_at);
        if let Some(c) = row.get(Field::WorkType) {
            tree.add_value(asset, Part::WorkType, Text::from(c.value()), cell_at(c));
        }
        for (c, item) in row.items(Field::BundledALIDs) {
            tree.add_value(asset, Part::BundledAsset, Text::from(item), cell_at(c));
        }
        let trans = tree.add(0, Part::Transaction, row_at);
        if let Some(c) = row.get(Field::LicenseType) {
            tree.add_value(trans, Part::LicenseType, Text::from(c.value()), cell_at(c));
        }
        for (c, item) in row.items(Field::AssetLanguage) {
            tree.add_value(trans, Part::AssetLanguage, Text::from(item), cell_at(c));
        }
        if let Some(c) = row.get(Field::SpecialPreOrderFulfillDate) {
            let term = tree.add_value(trans, Part::Term, c.text.clone(), cell_at(c));
            tree.set_attr(term, Text::from("PreOrderFulfillDate"));
        }
        Some(tree)
    }
}

/// The fields [`AvailTree::of_row`] reads.
pub const ROW_FIELDS: [Field; 6] = [
    Field::ALID,
    Field::WorkType,
    Field::BundledALIDs,
    Field::LicenseType,
    Field::AssetLanguage,
    Field::SpecialPreOrderFulfillDate,
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::avail::{Cell, CellKind, test_sheet};

    /// A place in the document (here, an offset standing for a line).
    fn pos(line: u32) -> Place {
        let at = line as usize;
        Place::Xml(XmlPos { span: (at, at + 1) })
    }

    #[test]
    fn children_skip_grandchildren() {
        let mut t = AvailTree::new(test_sheet(&["ALID"]), pos(1));
        let asset = t.add(0, Part::Asset, pos(2));
        t.add_value(asset, Part::WorkType, Text::from("Movie"), pos(3));
        let meta = t.add(asset, Part::Metadata, pos(4));
        t.add(meta, Part::AltIdentifier, pos(5));
        let trans = t.add(0, Part::Transaction, pos(6));
        t.add_value(trans, Part::LicenseType, Text::from("EST"), pos(7));
        let kids: Vec<Part> = t.children(0).map(|c| t.node(c).part).collect();
        assert_eq!(kids, [Part::Asset, Part::Transaction]);
        let asset_kids: Vec<Part> = t.children(asset).map(|c| t.node(c).part).collect();
        assert_eq!(asset_kids, [Part::WorkType, Part::Metadata]);
        assert_eq!(t.child_value(trans, Part::LicenseType), "EST");
        assert_eq!(t.node(0).end, 7);
        assert_eq!(t.label(trans), "<Transaction>");
    }

    #[test]
    fn a_row_becomes_an_avail() {
        let sheet = test_sheet(&["ALID", "WorkType", "LicenseType", "AssetLanguage"]);
        let cell = |col: usize, text: &str| Cell::new(col, Text::from(text), CellKind::Text);
        let row = Avail::new(
            sheet,
            5,
            vec![
                cell(0, "a"),
                cell(1, "Movie"),
                cell(2, "EST"),
                cell(3, "en, fr"),
            ],
        );
        let t = AvailTree::of_row(&row).unwrap();
        let trans = t.children_of(0, Part::Transaction).next().unwrap();
        let langs: Vec<&str> = t
            .children_of(trans, Part::AssetLanguage)
            .map(|l| t.value(l))
            .collect();
        assert_eq!(langs, ["en", "fr"]);
        let loc = t.location(t.children_of(trans, Part::LicenseType).next().unwrap());
        assert_eq!(loc.cell.as_deref(), Some("C5"));
        assert_eq!(t.label(trans + 1), "LicenseType");
    }

    /// A tree built in a reused room is the same tree, held in memory of
    /// its size; the room comes back empty, its capacity kept.
    #[test]
    fn trees_built_in_a_room_finish_exact() {
        let sheet = test_sheet(&["ALID"]);
        let mut room = Vec::with_capacity(64);
        for _ in 0..2 {
            let mut t = AvailTree::new_in(Arc::clone(&sheet), pos(1), room);
            let asset = t.add(0, Part::Asset, pos(2));
            t.add(asset, Part::WorkType, pos(3));
            let (t, back) = t.finish();
            assert_eq!(t.len(), 3);
            assert_eq!(t.nodes.capacity(), 3);
            assert_eq!((t.node(0).end, t.node(asset).end), (3, 3));
            assert!(back.is_empty() && back.capacity() >= 64);
            room = back;
        }
    }
}
