//! What an element's tag, class, id, role and itemprop say about it: content-like,
//! boilerplate-like (weights), or plainly not article text (the `boiler` flag:
//! navigation, share bars, related-article lists, comments, ads, footers).
//!
//! The word lists are general (they hold for most news sites and blogs), not per site.

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;

use super::dom::Tag;

/// The verdict on one element.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Hint {
    /// Positive: content-like; negative: boilerplate-like.
    pub weight: i16,
    /// Not article text: the subtree is left out of the body.
    pub boiler: bool,
    /// The boilerplate verdict rests only on ad-like or layout words (`ad-container`,
    /// `meta`), which careless markup also puts around article text.
    pub weak: bool,
    /// The boilerplate verdict holds even around most of the page's prose (tag or role
    /// `nav`/`aside`/`footer`, comments, cookie banners), unlike layout words such as
    /// `sidebar` in `has-sidebar` that page wrappers carry.
    pub hard: bool,
    /// Marks the article body itself (`itemprop=articleBody`, `article-body`, `entry-content`...).
    pub positive: bool,
}

/// Substrings of class/id that mark boilerplate outright.
const BOILER_SUB: &[&str] = &[
    "comment",
    "related",
    "share",
    "sharing",
    "social",
    "sidebar",
    "breadcrumb",
    "newsletter",
    "cookie",
    "consent",
    "sponsor",
    "advert",
    "popup",
    "recommend",
    "subscribe",
    "signup",
    "sign-up",
    "login",
    "disqus",
    "outbrain",
    "taboola",
    "navbar",
    "navigation",
    "pagination",
    "toolbar",
    "trending",
    "most-read",
    "mostread",
    "most-popular",
    "mostpopular",
    "read-more",
    "readmore",
    "also-read",
    "see-also",
    "more-stories",
    "more-news",
    "footer",
    "masthead",
    "skip-link",
    "author-bio",
    "authorbio",
    "post-tags",
    "article-tags",
    "tag-list",
    "taglist",
    "screen-reader",
    "sr-only",
    "visually-hidden",
    "offscreen",
    "byline",
    "dateline",
    "caption",
    "bildunterschrift",
    "bilduntertitel",
    "img-metadata",
    "image-annotation",
    "twitter-tweet",
    "instagram-media",
    "tiktok-embed",
    "photo-credit",
    "image-credit",
    "tin-lien-quan",
    "tinlienquan",
    "lienquan",
    "box-tin",
    "rating",
    "wp-block-buttons",
    "subnav",
    "site-header",
    "page-header",
    "post-meta",
    "entry-meta",
    "article-meta",
    "meta-info",
    "bottom-bar",
    "copyright",
    "print-only",
    "hidden-print",
];

/// Whole class/id tokens that mark boilerplate outright.
const BOILER_TOKEN: &[&str] = &[
    "ad",
    "ads",
    "adv",
    "advert",
    "advertisement",
    "nav",
    "menu",
    "tags",
    "tag",
    "share",
    "social",
    "foot",
    "related",
    "aside",
    "rail",
    "comments",
    "promo",
    "banner",
    "modal",
    "print",
    "widget-area",
    "topics",
    "keywords",
    "author",
    "date",
    "timestamp",
    "meta",
];

/// Boilerplate tokens that careless markup also puts around article text.
const WEAK_TOKEN: &[&str] = &[
    "ad",
    "ads",
    "adv",
    "advert",
    "advertisement",
    "banner",
    "promo",
    "meta",
    "date",
    "author",
    "rail",
    "aside",
    "print",
    "caption",
    "widget-area",
    "timestamp",
    "topics",
    "keywords",
];

/// Boilerplate substrings that hold even on an element around most of the prose.
const HARD_SUB: &[&str] = &[
    "comment", "disqus", "respond", "reply", "footer", "cookie", "consent",
];

/// Substrings that lower the weight without ruling the element out.
const NEGATIVE_SUB: &[&str] = &[
    "widget", "promo", "banner", "sponsor", "header", "hidden", "more", "list", "teaser", "card",
    "thumb", "nav", "menu", "links", "popular", "extra", "aside",
];

/// Substrings that raise the weight.
const POSITIVE_SUB: &[&str] = &[
    "article",
    "content",
    "entry",
    "post",
    "story",
    "body",
    "text",
    "main",
    "blog",
    "detail",
    "news",
    "prose",
    "richtext",
    "rich-text",
    "markdown",
    "single",
    "hentry",
    "chitiet",
    "noidung",
];

/// Substrings that mark the article body itself.
const BODY_SUB: &[&str] = &[
    "articlebody",
    "article-body",
    "article__body",
    "article_body",
    "article-content",
    "article__content",
    "article_content",
    "articlecontent",
    "entry-content",
    "post-content",
    "post-body",
    "post_content",
    "postbody",
    "story-body",
    "storybody",
    "story-content",
    "body-text",
    "bodytext",
    "main-content",
    "fck_detail",
    "detail-content",
    "detail__content",
    "content-detail",
    "detail-body",
    "singular-content",
    "maincontent",
    "the-content",
    "page-content",
    "news-content",
    "rich-text",
    "text-content",
];

/// The substring that lets a body marker keep a boilerplate word (`article-content has-share`).
const CONTENT_SUB: &[&str] = &["content"];

/// One automaton over all substring lists (pages have thousands of classed elements);
/// a DFA, as the patterns are few and short.
static SUBSTRINGS: LazyLock<(AhoCorasick, [usize; 6])> = LazyLock::new(|| {
    let lists = [
        BOILER_SUB,
        NEGATIVE_SUB,
        POSITIVE_SUB,
        BODY_SUB,
        HARD_SUB,
        CONTENT_SUB,
    ];
    let mut ends = [0usize; 6];
    let mut all: Vec<&str> = Vec::new();
    for (k, l) in lists.iter().enumerate() {
        all.extend_from_slice(l);
        ends[k] = all.len();
    }
    let ac = AhoCorasick::builder()
        .kind(Some(aho_corasick::AhoCorasickKind::DFA))
        .build(all)
        .expect("static patterns");
    (ac, ends)
});

/// Which lists have a substring in `s`: [boilerplate, negative, positive, body, hard,
/// `content`].
fn substring_hits(s: &str) -> [bool; 6] {
    let (ac, ends) = &*SUBSTRINGS;
    let mut hits = [false; 6];
    for m in ac.find_overlapping_iter(s) {
        let id = m.pattern().as_usize();
        if let Some(k) = ends.iter().position(|&e| id < e) {
            hits[k] = true;
        }
    }
    hits
}

/// Judges one element by tag, class/id (lower-cased), role and itemprop.
pub(crate) fn classify(
    tag: Tag,
    class_id: &str,
    role: Option<&str>,
    itemprop: Option<&str>,
) -> Hint {
    let mut h = Hint::default();
    if matches!(tag, Tag::Nav | Tag::Aside | Tag::Footer | Tag::Header) {
        h.boiler = true;
        h.hard = true;
        h.weight -= 25;
    }
    if let Some(r) = role {
        let r = r.trim().to_ascii_lowercase();
        if matches!(
            r.as_str(),
            "navigation"
                | "complementary"
                | "contentinfo"
                | "banner"
                | "search"
                | "menu"
                | "menubar"
                | "dialog"
                | "alert"
                | "toolbar"
                | "tablist"
        ) {
            h.boiler = true;
            h.weight -= 25;
        } else if r == "main" || r == "article" {
            h.weight += 25;
        }
    }
    if let Some(p) = itemprop {
        let p = p.to_ascii_lowercase();
        if p.contains("articlebody") || p == "text" || p.contains("reviewbody") {
            h.positive = true;
            h.weight += 50;
        } else if p.contains("comment") || p == "author" || p.contains("publisher") {
            h.boiler = true;
        }
    }
    if class_id.is_empty() {
        return h;
    }
    // `commentary` names an opinion piece (an article), not the readers' comments.
    let cleaned;
    let class_id = if class_id.contains("commentary") {
        cleaned = class_id.replace("commentary", "opinion");
        cleaned.as_str()
    } else {
        class_id
    };
    let [
        boiler_sub,
        negative_sub,
        positive_sub,
        body_sub,
        hard_sub,
        content_sub,
    ] = substring_hits(class_id);
    if body_sub {
        h.positive = true;
        h.weight += 40;
    }
    if positive_sub {
        h.weight += 15;
    }
    if negative_sub {
        h.weight -= 15;
    }
    let strong_before = h.boiler;
    let sub = boiler_sub;
    let mut weak_only = !strong_before && !sub;
    let mut token = false;
    for t in class_id.split(|c: char| !c.is_ascii_alphanumeric()) {
        if BOILER_TOKEN.contains(&t) {
            token = true;
            if !WEAK_TOKEN.contains(&t) {
                weak_only = false;
            }
        }
    }
    h.weak = weak_only;
    h.hard = strong_before || hard_sub;
    // A body marker beats a weak boilerplate word (`article-content has-share`), not
    // a clear one on a body-looking element (`post-content-related`).
    if sub || token {
        h.weight -= 30;
        if !h.positive || (sub && !content_sub) {
            h.boiler = true;
        }
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(class: &str) -> Hint {
        classify(Tag::Div, class, None, None)
    }

    #[test]
    fn boilerplate_words_rule_out() {
        assert!(c("related-articles").boiler);
        assert!(c("social-share-bar").boiler);
        assert!(c("comments-area").boiler);
        assert!(c("comment commentary").boiler);
        assert!(!c("news subjective commentary article").boiler);
        assert!(c("box-tin-lien-quan").boiler);
        assert!(c("ad slot").boiler);
        assert!(classify(Tag::Nav, "", None, None).boiler);
        assert!(classify(Tag::Div, "", Some("navigation"), None).boiler);
    }

    #[test]
    fn every_list_is_searched_even_where_lists_share_a_word() {
        // `footer` and `comment` are in the boilerplate and the hard lists.
        assert_eq!(
            substring_hits("site-footer"),
            [true, false, false, false, true, false]
        );
        assert_eq!(
            substring_hits("comment-content"),
            [true, false, true, false, true, true]
        );
        assert_eq!(substring_hits(""), [false; 6]);
        assert!(c("comments-area").hard && !c("related").hard);
        // A body marker keeps a boilerplate word only when it says `content`.
        assert!(!c("article-content has-share").boiler);
        assert!(c("article-body-related").boiler);
    }

    #[test]
    fn content_words_do_not_rule_out() {
        assert!(!c("article-body").boiler);
        assert!(c("article-body").positive);
        assert!(
            !c("header-wrapper shadow").boiler,
            "'ad' only as a whole token"
        );
        assert!(!c("download-links").boiler);
        assert!(c("entry-content").weight > 0);
        assert!(classify(Tag::Div, "", None, Some("articleBody")).positive);
    }
}
