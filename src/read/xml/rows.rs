//! Row assembly: each `Transaction` of an `Avail` becomes one row holding
//! the Avail's values (those of its first Asset included) and its own, put
//! together when the Avail closes.

use std::borrow::Cow;
use std::sync::Arc;

use super::map::part_under;
use super::names::N;
use super::{Frame, Parser, trim, trimmed};
use crate::model::avail::{Interner, Text, XmlPos};
use crate::model::structure::{AvailTree, Node, NodeId, Part, Place};
use crate::model::{Avail, Cell, CellKind, SheetKind, TemplateVersion};

/// A value, its column and where it came from.
#[derive(Debug, Clone)]
pub(super) struct Val {
    pub(super) col: usize,
    pub(super) text: Text,
    pub(super) pos: XmlPos,
}

/// What an open Avail has gathered.
#[derive(Default)]
pub(super) struct AvailAcc<'a> {
    /// Values of every row of the Avail.
    pub(super) cells: Vec<Val>,
    work_type: Option<Cow<'a, str>>,
    avail_type: Option<Cow<'a, str>>,
    /// `contentID` of the first Asset.
    pub(super) content_id: Option<(Cow<'a, str>, XmlPos)>,
    assets: usize,
    /// Where the first Asset's unit metadata (else the Asset) is.
    pub(super) metadata: Option<XmlPos>,
    /// A unit metadata element gave a US captions exemption.
    pub(super) caption_exemption: bool,
    transactions: Vec<TransAcc>,
    /// The Avail's parts ([`super::map::PARTS`]).
    tree: Option<AvailTree>,
    /// The recorded parts still open, with the depth of their elements;
    /// the Avail first.
    open: Vec<(usize, NodeId)>,
}

/// A Transaction: its row's own values.
pub(super) struct TransAcc {
    pos: XmlPos,
    /// The line of its start tag: its row number.
    line: u32,
    cells: Vec<Val>,
}

/// Shares repeated cell values.
#[derive(Default)]
pub(super) struct Values {
    interner: Interner,
    /// Each column's last few values, the latest first: avails repeat a
    /// column's values from row to row (territories and dates in turn), and
    /// comparing costs less than the interner's hashing.
    recent: Vec<[Option<Text>; RECENT]>,
}

/// Values remembered per column.
const RECENT: usize = 4;

impl Values {
    /// The shared copy of `text`, a value of column `col` (a part's value
    /// shares the column after the last one of its [`Part`]).
    fn share(&mut self, col: usize, text: &str) -> Text {
        if self.recent.len() <= col {
            self.recent.resize(col + 1, Default::default());
        }
        let recent = &mut self.recent[col];
        if let Some(known) = recent.iter().flatten().find(|t| same(t, text)) {
            return known.clone();
        }
        let shared = self.interner.intern(text);
        recent.rotate_right(1);
        recent[0] = Some(shared.clone());
        shared
    }
}

/// `a == b`, without a call for the short values most cells hold (codes,
/// dates): two overlapping words cover 8 to 32 bytes.
#[inline]
fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    if let (Some(ah), Some(at)) = (a.first_chunk::<16>(), a.last_chunk::<16>())
        && a.len() <= 32
    {
        return Some(ah) == b.first_chunk::<16>() && Some(at) == b.last_chunk::<16>();
    }
    if let (Some(ah), Some(at)) = (a.first_chunk::<8>(), a.last_chunk::<8>())
        && a.len() <= 16
    {
        return Some(ah) == b.first_chunk::<8>() && Some(at) == b.last_chunk::<8>();
    }
    a == b
}

/// Emptied vectors kept for reuse, so most elements allocate nothing.
#[derive(Default)]
pub(super) struct Spare {
    vals: Vec<Vec<Val>>,
    transactions: Vec<TransAcc>,
    /// The room Avail trees are built in.
    nodes: Vec<Node>,
}

/// Adds the trimmed value, unless empty, to column `col`.
pub(super) fn push(
    cells: &mut Vec<Val>,
    values: &mut Values,
    col: usize,
    value: &str,
    pos: XmlPos,
) {
    let value = trim(value);
    if value.is_empty() {
        return;
    }
    cells.push(Val {
        col,
        text: values.share(col, value),
        pos,
    });
}

/// The cells of two runs of values sorted by column, `shared` first where
/// both have a column (a stable sort of both), and their positions, added
/// to `cells` and `positions`.
fn merge(
    shared: &[Val],
    own: std::vec::Drain<'_, Val>,
    cells: &mut Vec<Cell>,
    positions: &mut Vec<XmlPos>,
) {
    let mut add = |v: Val| {
        cells.push(Cell::new(v.col, v.text, CellKind::Text));
        positions.push(v.pos);
    };
    let mut i = 0;
    for v in own {
        while let Some(s) = shared.get(i).filter(|s| s.col <= v.col) {
            add(s.clone());
            i += 1;
        }
        add(v);
    }
    shared[i..].iter().cloned().for_each(add);
}

/// The column of [`Values`] a part's values share: one past the last
/// field's, per part.
fn part_column(part: Part) -> usize {
    super::map::MAP.len() + part as usize
}

/// The sheet of an Avail: TV for episodic work types (or, without a
/// WorkType, episodic avail types).
fn sheet_kind(work_type: &str, avail_type: &str) -> SheetKind {
    match work_type {
        "Episode" | "Season" | "Series" | "Volume" => SheetKind::Tv,
        "" => match avail_type {
            "episode" | "season" | "series" | "miniseries" | "volume" => SheetKind::Tv,
            _ => SheetKind::Movies,
        },
        _ => SheetKind::Movies,
    }
}

impl<'a> Parser<'a> {
    /// An Avail opened under the root: its rows start, and its parts.
    pub(super) fn open_avail(&mut self, frame: &Frame<'a>) {
        let tree = self.infos.as_ref().map(|(movies, _)| {
            let room = std::mem::take(&mut self.spare.nodes);
            AvailTree::new_in(Arc::clone(movies), Place::Xml(XmlPos::at(frame.tag)), room)
        });
        self.avail = Some(AvailAcc {
            cells: self.spare.vals.pop().unwrap_or_default(),
            transactions: std::mem::take(&mut self.spare.transactions),
            tree,
            open: vec![(self.stack.len(), 0)],
            ..AvailAcc::default()
        });
        self.trans = None;
    }

    /// `frame` opened inside the Avail: when it is a part ([`super::map::PARTS`])
    /// inside a recorded part, it is recorded.
    pub(super) fn open_part(&mut self, frame: &Frame<'a>) {
        let depth = self.stack.len();
        let Some(avail) = self.avail.as_mut() else {
            return;
        };
        // Most elements are deeper than a child of the innermost part.
        let Some(&(_, parent)) = avail.open.last().filter(|(top, _)| top + 1 == depth) else {
            return;
        };
        let Some(tree) = avail.tree.as_mut() else {
            return;
        };
        let Some(part) = part_under(tree.node(parent).part, frame.name) else {
            return;
        };
        let id = tree.add(parent, part, Place::Xml(XmlPos::at(frame.tag)));
        let attr = match part {
            Part::Term => frame.attr("termName"),
            Part::BundledAsset => frame.attr("sequence"),
            _ => None,
        };
        if let Some(a) = attr {
            let text = self.values.share(part_column(part), trim(&a.value));
            tree.set_attr(id, text);
        }
        avail.open.push((depth, id));
    }

    /// An element closed inside the Avail with `value` at `span`: a
    /// recorded part keeps its value.
    pub(super) fn close_part(&mut self, value: &str, span: (usize, usize)) {
        let depth = self.stack.len();
        let Some(avail) = self.avail.as_mut() else {
            return;
        };
        match avail.open.last() {
            Some(&(d, id)) if d == depth && id != 0 => {
                avail.open.pop();
                let value = trim(value);
                if let Some(tree) = avail.tree.as_mut()
                    && !value.is_empty()
                {
                    let part = tree.node(id).part;
                    tree.set_value(id, self.values.share(part_column(part), value));
                    tree.set_place(id, Place::Xml(XmlPos::at(span)));
                }
            }
            _ => {}
        }
    }

    /// A Transaction opened in the Avail: its row starts.
    pub(super) fn open_transaction(&mut self, frame: &Frame<'a>, parent: N) {
        self.open_part(frame);
        let line = self.source.line_from(self.line_mark, frame.tag.0);
        self.line_mark = (frame.tag.0, line);
        self.trans = Some(TransAcc {
            pos: XmlPos::at(frame.tag),
            line,
            cells: self.spare.vals.pop().unwrap_or_default(),
        });
        self.take_opening(frame, parent);
    }

    /// An Asset opened in the Avail; the first one's `contentID` is kept.
    pub(super) fn open_asset(&mut self, frame: &Frame<'a>) {
        self.open_part(frame);
        let input = self.input;
        if let Some(avail) = self.avail.as_mut() {
            avail.assets += 1;
            if avail.assets == 1 {
                avail.content_id = frame
                    .attr("contentID")
                    .map(|a| (trimmed(&a.value), frame.attr_pos(input, a)));
            }
        }
    }

    /// A unit metadata element opened in an Asset: the first Asset's first
    /// one is where values derived for the whole unit point.
    pub(super) fn open_unit(&mut self, frame: &Frame<'a>) {
        self.open_part(frame);
        if let Some(avail) = self.avail.as_mut().filter(|a| a.assets == 1) {
            avail.metadata.get_or_insert_with(|| XmlPos::at(frame.tag));
        }
    }

    /// `AvailType` or the first Asset's `WorkType` closed with `value`: they
    /// pick the sheet of the Avail's rows.
    pub(super) fn sheet_word(&mut self, name: N, value: Cow<'a, str>) {
        if let Some(a) = self.avail.as_mut() {
            match name {
                N::AvailType => a.avail_type = Some(value),
                _ => a.work_type = Some(value),
            }
        }
    }

    /// True while the Avail's first Asset (or nothing after it) is read.
    pub(super) fn first_asset(&self) -> bool {
        self.avail.as_ref().is_some_and(|a| a.assets == 1)
    }

    /// Adds `value` to column `col` of every row of the Avail.
    pub(super) fn avail_cell(&mut self, col: usize, value: &str, pos: XmlPos) {
        if let Some(a) = self.avail.as_mut() {
            push(&mut a.cells, &mut self.values, col, value, pos);
        }
    }

    /// Adds `value` to column `col` of the open Transaction's row.
    pub(super) fn trans_cell(&mut self, col: usize, value: &str, pos: XmlPos) {
        if let Some(t) = self.trans.as_mut() {
            push(&mut t.cells, &mut self.values, col, value, pos);
        }
    }

    /// An Asset closed: the first Asset's position stands in for missing
    /// unit metadata.
    pub(super) fn finish_asset(&mut self, frame: &Frame<'a>) {
        self.close_part("", frame.tag);
        if let Some(a) = self.avail.as_mut().filter(|a| a.assets == 1) {
            a.metadata.get_or_insert_with(|| XmlPos::at(frame.tag));
        }
    }

    /// A Transaction closed: its row waits for the Avail to close.
    pub(super) fn finish_transaction(&mut self) {
        self.close_part("", (0, 0));
        if let (Some(t), Some(a)) = (self.trans.take(), self.avail.as_mut()) {
            a.transactions.push(t);
        }
    }

    /// The Avail closed: one row per Transaction, in the Movies or TV sheet.
    pub(super) fn finish_avail(&mut self) {
        let Some(mut avail) = self.avail.take() else {
            return;
        };
        self.trans = None;
        let Some((movies, tv)) = self.infos.clone() else {
            return;
        };
        let work_type = avail.work_type.clone().unwrap_or_default();
        let kind = sheet_kind(&work_type, avail.avail_type.as_deref().unwrap_or(""));
        let version = self.version.unwrap_or(TemplateVersion::Xml(3, 0));
        avail.content_id(&mut self.values, &work_type);
        avail.alid_as_alt_id(&mut self.values, version, kind);
        avail.captions_included(&mut self.values, kind);
        let info = if kind == SheetKind::Tv { tv } else { movies };
        if let Some(tree) = avail.tree.take() {
            let (mut tree, room) = tree.finish();
            self.spare.nodes = room;
            tree.sheet = Arc::clone(&info);
            self.trees.push(tree);
        }
        let target = if kind == SheetKind::Tv {
            &mut self.rows.1
        } else {
            &mut self.rows.0
        };
        // Cells by column, the Avail's before the Transaction's in a column:
        // both sorted stably, then merged.
        avail.cells.sort_by_key(|v| v.col);
        for mut t in avail.transactions.drain(..) {
            t.cells.sort_by_key(|v| v.col);
            let n = avail.cells.len() + t.cells.len();
            let (mut cells, mut places) = (Vec::with_capacity(n), Vec::with_capacity(n + 1));
            places.push(t.pos);
            merge(&avail.cells, t.cells.drain(..), &mut cells, &mut places);
            target.push(Avail::with_positions(
                Arc::clone(&info),
                t.line,
                cells,
                places,
            ));
            self.spare.vals.push(t.cells);
        }
        avail.cells.clear();
        self.spare.vals.push(avail.cells);
        self.spare.transactions = avail.transactions;
    }
}

#[cfg(test)]
mod tests {
    use super::same;

    /// `same` is `==` for every length up to past its word paths, with a
    /// difference at each byte.
    #[test]
    fn same_is_equality() {
        for len in 0..40 {
            let a: String = (0..len)
                .map(|i| char::from(b'a' + (i % 26) as u8))
                .collect();
            assert!(same(&a, &a.clone()), "{a}");
            assert!(!same(&a, &format!("{a}x")), "{a}");
            for at in 0..len {
                let mut b = a.clone().into_bytes();
                b[at] = b'#';
                let b = String::from_utf8(b).unwrap();
                assert!(!same(&a, &b), "{a} / {b}");
            }
        }
    }
}
