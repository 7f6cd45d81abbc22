//! EMA031: an episode is in two Volumes.

use rustc_hash::FxHashMap;

use super::{Context, Rule, RuleInput};
use crate::model::structure::{AvailTree, NodeId, Part};
use crate::model::{Avail, Diagnostic, Field};

super::declare_rule! {
    /// ## What it does
    /// A Volume is a run of consecutive episodes of one season, and an
    /// episode is in one Volume at most. Avails XML (2.4 on): the Volumes
    /// of a season (`VolumeMetadata` grouped by
    /// `SeasonMetadata/SeasonContentID`) must not share episodes: the
    /// range `VolumeFirstEpisodeNumber` … + `VolumeNumberOfEpisodes` − 1
    /// of a Volume is compared with those of the season's earlier
    /// Volumes, and a Volume that overlaps one is reported (once, naming
    /// the episodes). Spreadsheets (1.8 on): the rows of one episode
    /// (EpisodeContentID, else SeasonContentID and EpisodeNumber) must
    /// not name two Volumes (VolumeContentID, else VolumeNumber).
    ///
    /// ## Why is this bad?
    /// A retailer sells the episode with each Volume, so a buyer of both
    /// pays for it twice; MovieLabs rejects it ("Volume contains an Episode
    /// already in another Volume").
    ///
    /// ## Example
    /// ```xml
    /// <VolumeMetadata>… Volume 2 …<VolumeFirstEpisodeNumber>3</VolumeFirstEpisodeNumber>
    ///   <VolumeNumberOfEpisodes>2</VolumeNumberOfEpisodes> …</VolumeMetadata>
    /// <VolumeMetadata>… Volume 1 …<VolumeFirstEpisodeNumber>1</VolumeFirstEpisodeNumber>
    ///   <VolumeNumberOfEpisodes>4</VolumeNumberOfEpisodes> …</VolumeMetadata>
    /// ```
    /// Fixed: Volume 1 holds episodes 1–2:
    /// ```xml
    ///   <VolumeNumberOfEpisodes>2</VolumeNumberOfEpisodes>
    /// ```
    ///
    /// ## How to fix
    /// Make the Volumes' episode ranges (first episode, number of episodes)
    /// meet without overlapping.
    ///
    /// ## Source
    /// MovieLabs `AvailValidator.validateVolumes` (avails 2.4 to 2.6.1;
    /// Avails spec §2.2.7.1: a Volume is a proper subset of a Season with
    /// consecutive Episodes; an Episode may appear in at most one Volume).
    /// MovieLabs reports one error per shared episode; availcheck one per
    /// overlapping Volume.
    pub struct VolumeOverlap = ("EMA031", "volume-overlap", Error, Ema,
        "An episode is in two Volumes");
}

/// The fields the spreadsheet check reads.
const FIELDS: [Field; 6] = [
    Field::WorkType,
    Field::EpisodeContentID,
    Field::SeasonContentID,
    Field::EpisodeNumber,
    Field::VolumeContentID,
    Field::VolumeNumber,
];

/// A Volume of an XML document: its VolumeMetadata and episode range.
struct Volume<'a> {
    tree: &'a AvailTree,
    at: NodeId,
    number: &'a str,
    first: i64,
    last: i64,
}

impl<'a> Volume<'a> {
    /// The Volume whose `VolumeMetadata` is `meta`, with its season, when
    /// it says which episodes it holds.
    fn of(tree: &'a AvailTree, meta: NodeId) -> Option<(&'a str, Volume<'a>)> {
        let int = |part| tree.child_value(meta, part).parse::<i64>().ok();
        let first = int(Part::VolumeFirstEpisodeNumber)?;
        let count = int(Part::VolumeNumberOfEpisodes)?;
        let season = tree
            .children_of(meta, Part::SeasonMetadata)
            .map(|s| tree.child_value(s, Part::SeasonContentId))
            .find(|s| !s.is_empty())?;
        let number = tree
            .children_of(meta, Part::VolumeNumber)
            .map(|n| tree.child_value(n, Part::Number))
            .find(|n| !n.is_empty())
            .unwrap_or("");
        (count > 0).then_some((
            season,
            Volume {
                tree,
                at: meta,
                number,
                first,
                last: first + count - 1,
            },
        ))
    }

    fn name(&self) -> String {
        match self.number {
            "" => "this Volume".to_string(),
            n => format!("Volume {n}"),
        }
    }
}

/// `3`, `3–4`.
fn range(a: i64, b: i64) -> String {
    if a == b {
        a.to_string()
    } else {
        format!("{a}–{b}")
    }
}

impl VolumeOverlap {
    fn check_xml(&self, avails: &[&AvailTree], out: &mut Vec<Diagnostic>) {
        let mut seasons: FxHashMap<(usize, &str), Vec<Volume<'_>>> = FxHashMap::default();
        for tree in avails {
            for asset in tree.children_of(0, Part::Asset) {
                for meta in tree.children_of(asset, Part::VolumeMetadata) {
                    let Some((season, v)) = Volume::of(tree, meta) else {
                        continue;
                    };
                    let earlier = seasons.entry((tree.sheet.file_index, season)).or_default();
                    for e in earlier.iter() {
                        let (a, b) = (v.first.max(e.first), v.last.min(e.last));
                        if a > b {
                            continue;
                        }
                        let line = e.tree.location(e.at).line.unwrap_or(0);
                        let shared = if a == b { "episode" } else { "episodes" };
                        out.push(
                            Self::META
                                .diag(
                                    tree.location(v.at),
                                    format!(
                                        "<VolumeMetadata> of {} holds episodes {} of season `{season}`; {shared} {} are already in {} (line {line})",
                                        v.name(),
                                        range(v.first, v.last),
                                        range(a, b),
                                        e.name()
                                    ),
                                )
                                .with_related(
                                    format!("{} of the same season", e.name()),
                                    e.tree.location(e.at),
                                )
                                .with_help("make the Volumes' episode ranges (VolumeFirstEpisodeNumber, VolumeNumberOfEpisodes) meet without overlapping")
                                .with_order(tree.order(v.at)),
                        );
                    }
                    earlier.push(v);
                }
            }
        }
    }

    fn check_rows(&self, input: &RuleInput<'_>, out: &mut Vec<Diagnostic>) {
        // Per episode: its first row and the Volume it names there.
        let mut first: FxHashMap<(usize, usize, String), (&Avail, Field, &str)> =
            FxHashMap::default();
        for (row, _) in input.rows() {
            if row.xml().is_some() || row.text(Field::WorkType) != "Episode" {
                continue;
            }
            let episode = match row.text(Field::EpisodeContentID) {
                "" => match (
                    row.text(Field::SeasonContentID),
                    row.text(Field::EpisodeNumber),
                ) {
                    ("", _) | (_, "") => continue,
                    (s, n) => format!("{s}\u{1f}{n}"),
                },
                id => id.to_string(),
            };
            let volume = [Field::VolumeContentID, Field::VolumeNumber]
                .into_iter()
                .find_map(|f| Some((f, row.get(f)?.value())).filter(|(_, v)| !v.is_empty()));
            let Some((field, volume)) = volume else {
                continue;
            };
            let key = (row.sheet.file_index, row.sheet.sheet_index, episode);
            match first.get(&key) {
                None => {
                    first.insert(key, (row, field, volume));
                }
                Some(&(head, head_field, head_volume)) if head_volume != volume => {
                    out.push(
                        Self::META
                            .at_field(
                                row,
                                field,
                                format!(
                                    "{} `{volume}` puts this episode in a second Volume: row {} puts it in {} `{head_volume}`",
                                    row.sheet.label(field),
                                    head.row,
                                    head.sheet.label(head_field)
                                ),
                            )
                            .with_related("the episode's first row", head.location(head_field))
                            .with_help("an episode belongs to one Volume: give all its rows the same Volume"),
                    );
                }
                Some(_) => {}
            }
        }
    }
}

impl Rule for VolumeOverlap {
    fn set_fields(&self) -> &'static [Field] {
        &FIELDS
    }

    fn check_set(&self, input: &RuleInput<'_>, _ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        self.check_xml(input.avails, out);
        self.check_rows(input, out);
    }
}
