//! `--collapse`: syndicated copies of one story fold into the best-ranked copy.
//!
//! The index stores a 64-bit near-duplicate `fingerprint` per article (0 when it has
//! none). [`same_story`] is the one place that decides whether two fingerprints are
//! the same story; [`group`] walks the ranked list and attaches each article to the
//! first earlier group it duplicates.

/// Whether two fingerprints denote copies of the same story: equal and non-zero.
///
/// This is the seam to the index's near-duplicate test: when the index provides a
/// tolerant comparison (Hamming distance on SimHash), this function calls it, and
/// nothing else in search changes.
pub fn same_story(a: u64, b: u64) -> bool {
    a != 0 && a == b
}

/// A kept result and the positions of the results folded into it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub first: usize,
    pub others: Vec<usize>,
}

/// Groups ranked results by [`same_story`], keeping rank order of the first copies.
///
/// ```
/// use tintuc::search::collapse::group;
/// let g = group(&[7, 0, 7, 9, 0, 9]);
/// assert_eq!(g.iter().map(|g| g.first).collect::<Vec<_>>(), [0, 1, 3, 4]);
/// assert_eq!(g[0].others, [2]);
/// assert_eq!(g[2].others, [5]);
/// ```
pub fn group(fingerprints: &[u64]) -> Vec<Group> {
    let mut groups: Vec<Group> = Vec::new();
    for (i, &fp) in fingerprints.iter().enumerate() {
        match groups
            .iter_mut()
            .find(|g| same_story(fingerprints[g.first], fp))
        {
            Some(g) => g.others.push(i),
            None => groups.push(Group {
                first: i,
                others: Vec::new(),
            }),
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_means_unknown_and_never_collapses() {
        assert!(!same_story(0, 0));
        assert!(same_story(5, 5));
        assert!(!same_story(5, 6));
        assert_eq!(group(&[0, 0, 0]).len(), 3);
        assert!(group(&[]).is_empty());
    }
}
