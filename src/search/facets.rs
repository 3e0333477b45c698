//! Facets: how many matching articles each source and each category has.
//!
//! [`FacetCounts`] is a tantivy collector over the raw `source_key` and
//! `category_key` fast fields: per segment it counts term ordinals of every matching
//! document (no string work per document), then turns the ordinals into names and
//! merges the segments. It runs in the same pass as the count and the top documents,
//! so the counts are exact over the whole match set. [`Facets::top`] keeps the `n`
//! most frequent values of each field.

use std::collections::HashMap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use super::Bucket;

/// Counts per value of each facet field, most frequent first (ties by name).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facets {
    pub source: Vec<Bucket>,
    pub category: Vec<Bucket>,
}

/// Counts per name for each field (all values).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FacetsFruit {
    pub source: HashMap<String, u64>,
    pub category: HashMap<String, u64>,
}

/// Collector of [`FacetsFruit`] over two raw string fast fields.
pub struct FacetCounts {
    pub source_field: String,
    /// `None` for an index without a category field.
    pub category_field: Option<String>,
}

impl Collector for FacetCounts {
    type Fruit = FacetsFruit;
    type Child = FacetSegment;

    fn for_segment(
        &self,
        _ord: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<FacetSegment> {
        let ff = reader.fast_fields();
        let column = |name: &str| -> tantivy::Result<Option<(StrColumn, Vec<u64>)>> {
            Ok(ff.str(name)?.map(|c| {
                let n = c.num_terms();
                (c, vec![0; n])
            }))
        };
        Ok(FacetSegment {
            source: column(&self.source_field)?,
            category: match &self.category_field {
                Some(f) => column(f)?,
                None => None,
            },
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<FacetsFruit>) -> tantivy::Result<FacetsFruit> {
        let mut out = FacetsFruit::default();
        for f in fruits {
            for (k, n) in f.source {
                *out.source.entry(k).or_default() += n;
            }
            for (k, n) in f.category {
                *out.category.entry(k).or_default() += n;
            }
        }
        Ok(out)
    }
}

/// Per-segment part of [`FacetCounts`]: counts per term ordinal.
pub struct FacetSegment {
    source: Option<(StrColumn, Vec<u64>)>,
    category: Option<(StrColumn, Vec<u64>)>,
}

fn count(col: &mut Option<(StrColumn, Vec<u64>)>, doc: DocId) {
    if let Some((c, counts)) = col {
        for ord in c.term_ords(doc) {
            if let Some(n) = counts.get_mut(ord as usize) {
                *n += 1;
            }
        }
    }
}

fn names(col: Option<(StrColumn, Vec<u64>)>) -> HashMap<String, u64> {
    let mut out = HashMap::new();
    let Some((c, counts)) = col else {
        return out;
    };
    let mut name = String::new();
    for (ord, n) in counts.into_iter().enumerate().filter(|(_, n)| *n > 0) {
        name.clear();
        // An unreadable dictionary entry is left out rather than failing the search.
        if let Ok(true) = c.ord_to_str(ord as u64, &mut name) {
            *out.entry(name.clone()).or_default() += n;
        }
    }
    out
}

impl SegmentCollector for FacetSegment {
    type Fruit = FacetsFruit;

    fn collect(&mut self, doc: DocId, _score: Score) {
        count(&mut self.source, doc);
        count(&mut self.category, doc);
    }

    fn harvest(self) -> FacetsFruit {
        FacetsFruit {
            source: names(self.source),
            category: names(self.category),
        }
    }
}

fn top_of(counts: &HashMap<String, u64>, n: usize) -> Vec<Bucket> {
    let mut v: Vec<Bucket> = counts
        .iter()
        .map(|(k, &count)| Bucket {
            key: k.clone(),
            count,
        })
        .collect();
    v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.key.cmp(&b.key)));
    v.truncate(n);
    v
}

impl Facets {
    /// The `n` most frequent values of each field.
    pub fn top(fruit: &FacetsFruit, n: usize) -> Facets {
        Facets {
            source: top_of(&fruit.source, n),
            category: top_of(&fruit.category, n),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn top_orders_by_count_then_name_and_truncates() {
        let fruit = FacetsFruit {
            source: [("b", 2), ("a", 2), ("c", 5), ("d", 1)]
                .into_iter()
                .map(|(k, n)| (k.to_string(), n))
                .collect(),
            category: HashMap::new(),
        };
        let f = Facets::top(&fruit, 3);
        let keys: Vec<&str> = f.source.iter().map(|b| b.key.as_str()).collect();
        assert_eq!(keys, ["c", "a", "b"]);
        assert!(f.category.is_empty());
    }
}
