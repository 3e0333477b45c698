//! Fetching from the web: HTTP client with limits, robots.txt, politeness, retries,
//! discovery (feeds, sitemaps, listing pages), WARC archive, resumable crawl state.
//! (Skeleton; the fetch work fills it.)
