//! A linear pre-pass that removes what the extractor never reads before the HTML
//! parser sees it: `<script>` bodies (except JSON-LD), `<style>` bodies and comments.
//! They are often half of a page's bytes, and the parser's time is linear in bytes.

use std::borrow::Cow;

use memchr::{memchr, memmem};

fn starts_with_ci(hay: &[u8], needle: &[u8]) -> bool {
    hay.len() >= needle.len() && hay[..needle.len()].eq_ignore_ascii_case(needle)
}

/// Position of the next `</name` (ASCII case-insensitive) in `hay`.
fn find_close(hay: &[u8], name: &[u8]) -> Option<usize> {
    let mut i = 0;
    while let Some(p) = memchr(b'<', &hay[i..]) {
        let s = i + p;
        let rest = &hay[s + 1..];
        if rest.first() == Some(&b'/') && starts_with_ci(&rest[1..], name) {
            return Some(s);
        }
        i = s + 1;
    }
    None
}

/// A `<script type="text/template">` whose body is plain HTML (no `{{`, `<%` or `${`
/// placeholders of a template engine).
fn is_static_template(open: &[u8], body: &[u8]) -> bool {
    memmem::find(&open.to_ascii_lowercase(), b"text/template").is_some()
        && memchr(b'<', body).is_some()
        && [&b"{{"[..], b"<%", b"${"]
            .iter()
            .all(|m| memmem::find(body, m).is_none())
}

/// The page without script and style bodies (JSON-LD kept; static HTML templates
/// unwrapped) and without comments.
pub(crate) fn strip_raw_text(html: &str) -> Cow<'_, str> {
    let b = html.as_bytes();
    let mut out = String::new();
    let (mut last, mut i) = (0usize, 0usize);
    while let Some(p) = memchr(b'<', &b[i..]) {
        let s = i + p;
        let rest = &b[s + 1..];
        if rest.starts_with(b"!--") {
            // `-->` searched from the opening's dashes, so `<!-->` ends at once.
            let end = memmem::find(&b[s + 2..], b"-->").map_or(b.len(), |e| s + 2 + e + 3);
            out.push_str(&html[last..s]);
            last = end;
            i = end;
            continue;
        }
        let name: &[u8] = if starts_with_ci(rest, b"script") {
            b"script"
        } else if starts_with_ci(rest, b"style") {
            b"style"
        } else {
            i = s + 1;
            continue;
        };
        if !matches!(
            rest.get(name.len()),
            Some(b' ' | b'>' | b'\t' | b'\n' | b'\r' | b'/' | b'\x0c')
        ) {
            i = s + 1;
            continue;
        }
        let open_end = memchr(b'>', &b[s..]).map_or(b.len(), |e| s + e + 1);
        let open = &b[s..open_end];
        if name == b"script" && memmem::find(&open.to_ascii_lowercase(), b"ld+json").is_some() {
            i = open_end;
            continue;
        }
        let close = find_close(&b[open_end..], name).map_or(b.len(), |e| open_end + e);
        if name == b"script" && is_static_template(open, &b[open_end..close]) {
            // A `text/template` holding ready HTML (a blog post's body): parsed as a `<div>`.
            let close_end = memchr(b'>', &b[close..]).map_or(b.len(), |e| close + e + 1);
            out.push_str(&html[last..s]);
            out.push_str("<div>");
            out.push_str(&html[open_end..close]);
            out.push_str("</div>");
            last = close_end;
            i = close_end.max(s + 1);
            continue;
        }
        out.push_str(&html[last..open_end]);
        last = close;
        i = close.max(s + 1);
    }
    if last == 0 {
        return Cow::Borrowed(html);
    }
    if last < html.len() {
        out.push_str(&html[last..]);
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn static_html_templates_are_unwrapped() {
        assert_eq!(
            strip_raw_text(
                "<div><script type='text/template'><p>Nội dung bài viết</p></script></div>"
            ),
            "<div><div><p>Nội dung bài viết</p></div></div>"
        );
        // Engine templates stay hidden.
        assert_eq!(
            strip_raw_text("<script type='text/template'><p>{{ title }}</p></script>x"),
            "<script type='text/template'></script>x"
        );
    }

    #[test]
    fn strips_scripts_styles_and_comments_keeps_json_ld() {
        let page = "<p>a</p><script>if (a<b) x('</p>');</script><STYLE>p{}</Style>\
                    <!-- c --><!--><script type=\"application/ld+json\">{\"x\":1}</script><p>b</p>";
        assert_eq!(
            strip_raw_text(page),
            "<p>a</p><script></script><STYLE></Style><script type=\"application/ld+json\">{\"x\":1}</script><p>b</p>"
        );
        assert_eq!(
            strip_raw_text("<p>Việt <scripts> x</p>"),
            "<p>Việt <scripts> x</p>"
        );
        assert_eq!(
            strip_raw_text("<p>x</p><script>unclosed"),
            "<p>x</p><script>"
        );
        assert_eq!(strip_raw_text("<p>x<!-- unclosed"), "<p>x");
    }
}
