//! `--collapse`: syndicated copies of one story fold into the best-ranked copy.
//!
//! The index stores a 64-bit SimHash `fingerprint` per article (0 when the text is
//! too short to tell); [`crate::index::near_duplicate`] decides whether two are copies
//! of one story. [`group`] walks the ranked list and attaches each article to the
//! first earlier kept article it duplicates.

/// Whether two fingerprints denote copies of the same story (the index's rule).
pub fn same_story(a: u64, b: u64) -> bool {
    crate::index::near_duplicate(a, b)
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
/// let (a, b) = (0xF0F0_F0F0_F0F0_F0F0u64, 0x0F0F_0F0F_0F0F_0F0Fu64);
/// let g = group(&[a, 0, a ^ 1, b, 0, b]);
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
        // A few bits apart: the same story; many bits apart: not.
        assert!(same_story(0b1111, 0b0111));
        assert!(!same_story(0xFFFF, 0xFF00));
        assert_eq!(group(&[0, 0, 0]).len(), 3);
        assert!(group(&[]).is_empty());
    }
}
