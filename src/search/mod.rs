//! Query grammar → AST, planning into tantivy queries, dates, sorting, snippets, histograms.
//! (Skeleton; the search work fills it.)
