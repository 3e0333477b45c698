//! Caps how deeply elements nest before the HTML parser sees the page.
//!
//! At every block start tag (`<div>`, `<p>`, `<ul>`, …) html5ever looks for an open
//! `<p>` by walking the stack of open elements, so a page nested N levels deep costs
//! O(N²): 100,000 nested `<div>`s take minutes. Browsers cap the tree depth as well
//! (Chromium at 512). This linear pre-pass drops the start tags of elements nested
//! deeper than [`MAX_DEPTH`] together with their end tags, so their content joins the
//! enclosing element. A page within the cap is returned unchanged (borrowed).
//!
//! The depth counts elements that stay open until closed: void elements (`<br>`,
//! `<img>`, …) and elements the parser closes by itself (`<p>`, `<li>`, `<td>`, …) are
//! not counted, so long runs of unclosed list items or paragraphs never reach the cap.
//! It runs after [`super::strip`], which has removed scripts, styles and comments.
//!
//! It also bounds the parser's memory: html5ever builds a node per element, some
//! 400 bytes each, so a 16 MB page of a million `<a>` tags took 400 MB. The page is cut
//! before its [`MAX_ELEMENTS`]-th start tag (of any element); compact extraction keeps
//! at most as many nodes of the tree anyway, so nothing it would have read is lost.

use std::borrow::Cow;

use memchr::memchr;

/// Deepest nesting of counted elements kept.
pub(crate) const MAX_DEPTH: usize = 512;

/// Most start tags (of any element) passed to the parser (those dropped for their depth
/// do not count); the page is cut before the next. Equal to the compact tree's node bound
/// (`dom::MAX_NODES`): every element makes at least one node and the tree is filled in
/// document order, so no element past this bound could be read.
pub(crate) const MAX_ELEMENTS: usize = 400_000;

/// Longest tag name tracked (longer names are custom elements, compared cut).
const NAME: usize = 24;

type Name = ([u8; NAME], u8);

fn name_of(raw: &[u8]) -> Name {
    let mut n = [0u8; NAME];
    let len = raw.len().min(NAME);
    for (d, s) in n.iter_mut().zip(&raw[..len]) {
        *d = s.to_ascii_lowercase();
    }
    (n, len as u8)
}

/// False for elements without content or closed implicitly by the parser (never counted).
fn counted(n: &Name) -> bool {
    // One `match` (by length, then bytes), not a search through a list: it runs for
    // every tag of the page.
    !matches!(
        &n.0[..usize::from(n.1)],
        b"area"
            | b"base"
            | b"br"
            | b"col"
            | b"embed"
            | b"hr"
            | b"img"
            | b"input"
            | b"link"
            | b"meta"
            | b"param"
            | b"source"
            | b"track"
            | b"wbr"
            | b"keygen"
            | b"p"
            | b"li"
            | b"dt"
            | b"dd"
            | b"tr"
            | b"td"
            | b"th"
            | b"thead"
            | b"tbody"
            | b"tfoot"
            | b"option"
            | b"optgroup"
            | b"rb"
            | b"rt"
            | b"rp"
            | b"rtc"
            | b"colgroup"
            | b"caption"
            | b"html"
            | b"head"
            | b"body"
            | b"frame"
    )
}

/// Where the tag starting at `b[start] == b'<'` ends (one past its `>`), skipping
/// quoted attribute values; `None` when it never ends.
fn tag_end(b: &[u8], mut i: usize) -> Option<usize> {
    while i < b.len() {
        let p = i + memchr::memchr3(b'"', b'\'', b'>', &b[i..])?;
        match b[p] {
            b'>' => return Some(p + 1),
            q => i = p + 1 + memchr::memchr(q, &b[p + 1..])? + 1,
        }
    }
    None
}

/// The page with elements nested deeper than [`MAX_DEPTH`] flattened and cut before
/// its [`MAX_ELEMENTS`]-th start tag (see the module documentation).
pub(crate) fn cap_depth(html: &str) -> Cow<'_, str> {
    cap(html, MAX_DEPTH, MAX_ELEMENTS)
}

#[cfg(test)]
fn cap_depth_at(html: &str, max: usize) -> Cow<'_, str> {
    cap(html, max, usize::MAX)
}

fn cap(html: &str, max: usize, max_elements: usize) -> Cow<'_, str> {
    let b = html.as_bytes();
    let mut stack: Vec<Name> = Vec::new();
    // Start tags dropped and not yet closed, per name (few distinct names).
    let mut dropped: Vec<(Name, usize)> = Vec::new();
    // Output, begun at the first dropped tag; `copied` is how far `b` was copied.
    let mut out: Option<Vec<u8>> = None;
    let mut copied = 0;
    let mut elements = 0usize;
    // Where the page is cut (the start of the start tag over the element bound).
    let mut cut = b.len();
    let mut i = 0;
    while let Some(p) = memchr(b'<', &b[i..]) {
        let s = i + p;
        let close = b.get(s + 1) == Some(&b'/');
        let name_start = s + 1 + usize::from(close);
        let name_len = b[name_start..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || **c == b'-' || **c == b':')
            .count();
        if name_len == 0 || !b[name_start].is_ascii_alphabetic() {
            i = s + 1;
            continue;
        }
        let Some(end) = tag_end(b, name_start + name_len) else {
            break;
        };
        let name = name_of(&b[name_start..name_start + name_len]);
        // A start tag the parser will see (not one dropped below for its depth).
        let counts = counted(&name);
        let passed = !close && (!counts || stack.len() < max);
        if passed {
            elements += 1;
            if elements >= max_elements {
                cut = s;
                break;
            }
        }
        i = end;
        if !counts {
            continue;
        }
        let drop_it = if close {
            if let Some(d) = dropped.iter_mut().find(|(n, k)| *n == name && *k > 0) {
                d.1 -= 1;
                true
            } else {
                if let Some(at) = stack.iter().rposition(|n| *n == name) {
                    stack.truncate(at);
                }
                false
            }
        } else if stack.len() >= max {
            match dropped.iter_mut().find(|(n, _)| *n == name) {
                Some(d) => d.1 += 1,
                None => dropped.push((name, 1)),
            }
            true
        } else {
            stack.push(name);
            false
        };
        if drop_it {
            let o = out.get_or_insert_with(|| Vec::with_capacity(b.len()));
            o.extend_from_slice(&b[copied..s]);
            copied = end;
        }
    }
    match out {
        // `cut` is at a `<`: a char boundary.
        None if cut == b.len() => Cow::Borrowed(html),
        None => Cow::Borrowed(&html[..cut]),
        Some(mut o) => {
            o.extend_from_slice(&b[copied..cut]);
            // Only whole tags (ASCII-delimited) were removed: still UTF-8.
            Cow::Owned(
                String::from_utf8(o)
                    .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn void_and_implicitly_closed_names_are_not_counted() {
        for n in [
            "br", "IMG", "p", "li", "td", "tbody", "html", "body", "frame", "keygen",
        ] {
            assert!(!counted(&name_of(n.as_bytes())), "{n}");
        }
        for n in [
            "div", "span", "a", "pre", "brr", "b", "table", "ul", "x-frame",
        ] {
            assert!(counted(&name_of(n.as_bytes())), "{n}");
        }
    }

    #[test]
    fn pages_within_the_cap_are_unchanged() {
        let page = "<html><body><div class=\"a>b\"><ul><li>x<li>y</ul><p>z<br><img src=x></div></body></html>";
        assert!(matches!(cap_depth_at(page, 3), Cow::Borrowed(_)));
    }

    #[test]
    fn deeper_elements_are_flattened_with_their_end_tags() {
        let page = "<div><div><div><span>a</span></div></div><p>b</div>";
        assert_eq!(cap_depth_at(page, 2), "<div><div>a</div><p>b</div>");
    }

    #[test]
    fn implicitly_closed_and_void_elements_are_not_counted() {
        let page = "<ul>".to_string() + &"<li>x<p>y<br>".repeat(100) + "</ul>";
        assert!(matches!(cap_depth_at(&page, 2), Cow::Borrowed(_)));
    }

    #[test]
    fn stray_end_tags_and_broken_tags_are_left_alone() {
        let page = "</div></b><div><div>x</div></div>< div>a<1>b<div";
        assert!(matches!(cap_depth_at(page, 1), Cow::Owned(_)));
        assert_eq!(
            cap_depth_at(page, 1),
            "</div></b><div>x</div>< div>a<1>b<div"
        );
    }

    #[test]
    fn the_page_is_cut_before_the_start_tag_over_the_element_bound() {
        let page = "<p>a</p><br><a href=x>b</a><div>c</div>";
        assert_eq!(cap(page, 8, 4), "<p>a</p><br><a href=x>b</a>");
        assert!(matches!(cap(page, 8, 4), Cow::Borrowed(_)));
        // End tags and broken tags are not counted.
        assert_eq!(cap(page, 8, 5), page);
        // Flattening and cutting together: tags dropped for their depth do not count.
        assert_eq!(
            cap("<div><div><b>x</b></div></div><i>y</i><u>z</u>", 1, 3),
            "<div>x</div><i>y</i>"
        );
    }

    #[test]
    fn a_page_of_a_million_links_keeps_its_first_elements() {
        let page = "<p>tin</p>".to_string() + &"<a href=#1>x</a>".repeat(1_000_000);
        let capped = cap_depth(&page);
        assert_eq!(capped.matches("<a ").count(), MAX_ELEMENTS - 2);
        assert!(capped.starts_with("<p>tin</p>"));
    }

    #[test]
    fn a_hundred_thousand_levels_in_linear_time() {
        let page = "<div><span><b>".repeat(100_000) + "text" + &"</b></span></div>".repeat(100_000);
        let capped = cap_depth(&page);
        assert_eq!(
            capped.matches("<div>").count()
                + capped.matches("<span>").count()
                + capped.matches("<b>").count(),
            MAX_DEPTH
        );
        assert!(capped.contains("text"));
        assert_eq!(
            capped.matches("</div>").count(),
            capped.matches("<div>").count()
        );
    }
}
