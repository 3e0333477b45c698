//! Plain-text article dumps → [`Article`].
//!
//! The layout recognized (the seed article `000_1171500456b67287.txt` has it):
//!
//! ```text
//! 16/06/2013 - 20:09                 ← a date line (first or second paragraph)
//! Các cấp ủy Đảng Khối …             ← kicker (optional: a second heading follows)
//! Tập trung khắc phục hạn chế, …     ← title
//! Lãnh đạo Đảng ủy Khối … tuần tới.  ← lead (a sentence, when a body follows)
//! Theo kế hoạch, …                   ← body paragraphs
//! Bài, ảnh: NGUYỄN HUY               ← byline → author
//! Chia sẻ bài viết                   ← site footers, dropped
//! ```
//!
//! Paragraphs are the non-empty lines. Any other text is read as first line = title,
//! the rest = body.

use crate::article::Article;

use super::byline::{Byline, parse_byline};

use super::date::{DateMatch, find_date};

/// Reads a text dump. `text` is already decoded.
///
/// ```
/// let a = tintuc::extract::text::parse_text("16/06/2013 - 20:09\n\nTitle\n\nLead sentence.\n\nBody.\n\nChia sẻ bài viết");
/// assert_eq!(a.title.as_deref(), Some("Title"));
/// assert_eq!(a.lead.as_deref(), Some("Lead sentence."));
/// assert_eq!(a.body, "Body.");
/// assert!(a.date.is_some());
/// ```
pub fn parse_text(text: &str) -> Article {
    let paras: Vec<&str> = text
        .lines()
        .map(|l| l.trim_matches(|c: char| c.is_whitespace() || c == '\u{FEFF}'))
        .filter(|l| !l.is_empty())
        .collect();
    let date_at = (0..paras.len().min(2)).find_map(|i| date_line(paras[i]).map(|m| (i, m)));
    match date_at {
        Some((i, m)) => dated_layout(&paras, i, m),
        None => fallback(&paras),
    }
}

/// First line = title, the rest = body.
fn fallback(paras: &[&str]) -> Article {
    let mut a = Article::default();
    if let Some((first, rest)) = paras.split_first() {
        a.title = Some((*first).to_string());
        a.body = rest.join("\n");
    }
    a
}

fn dated_layout(paras: &[&str], date_idx: usize, m: DateMatch) -> Article {
    let mut a = Article {
        date: Some(m.pub_date()),
        ..Default::default()
    };
    let mut rest: Vec<&str> = paras
        .iter()
        .enumerate()
        .filter(|&(i, _)| i != date_idx)
        .map(|(_, p)| *p)
        .collect();
    while rest.last().is_some_and(|p| is_footer(p)) {
        rest.pop();
    }
    if rest.len() >= 2
        && let Some(b) = rest.last().and_then(|p| closing_byline(p))
    {
        a.author = b.joined();
        a.authors = b.authors;
        a.credit = b.credit;
        rest.pop();
    }
    // A title printed before the date line (`title, date, lead, body`).
    let mut i = 0;
    if rest.len() >= 3 && heading_like(rest[0]) && heading_like(rest[1]) && sentence_like(rest[2]) {
        a.kicker = Some(rest[0].to_string());
        i = 1;
    }
    if let Some(t) = rest.get(i) {
        a.title = Some((*t).to_string());
        i += 1;
    }
    if rest.len() > i + 1 && sentence_like(rest[i]) && rest[i].chars().count() <= 1000 {
        a.lead = Some(rest[i].to_string());
        i += 1;
    }
    a.body = rest.get(i..).unwrap_or_default().join("\n");
    a
}

/// The paragraph is a date line: a date, its time and offset, and at most a few words
/// (`Thứ tư,`, `Cập nhật:`).
fn date_line(p: &str) -> Option<DateMatch> {
    if p.len() > 120 {
        return None;
    }
    let m = find_date(p, crate::article::vn_offset())?;
    let residual_words = p[..m.span.start]
        .split_whitespace()
        .chain(p[m.span.end..].split_whitespace())
        .filter(|w| w.chars().any(char::is_alphabetic))
        .count();
    (residual_words <= 4).then_some(m)
}

/// A short line without a final full stop.
fn heading_like(p: &str) -> bool {
    let n = p.chars().count();
    (3..=250).contains(&n) && !p.ends_with(['.', ';', ':', ','])
}

/// Ends like a sentence.
fn sentence_like(p: &str) -> bool {
    p.trim_end_matches(['"', '”', '’', '\'', ')', '»'])
        .ends_with(['.', '!', '?', '…'])
}

fn fold(s: &str) -> String {
    super::date::fold_word(s)
}

/// Site chrome printed after the article: share buttons, related links, tags.
fn is_footer(p: &str) -> bool {
    if !p.chars().any(char::is_alphanumeric) {
        return true;
    }
    if p.chars().count() > 60 {
        return false;
    }
    const EXACT: &[&str] = &[
        "chia se bai viet",
        "chia se",
        "share",
        "in bai",
        "in bai viet",
        "gui bai",
        "gui bai viet",
        "binh luan",
        "xem them",
        "xem tiep",
        "tin lien quan",
        "bai viet lien quan",
        "tin khac",
        "cac tin khac",
        "ve dau trang",
        "len dau trang",
        "tro ve",
        "quay lai",
        "facebook",
        "twitter",
        "zalo",
        "email",
        "print",
        "like",
        "tweet",
    ];
    const PREFIX: &[&str] = &[
        "tags:",
        "tag:",
        "tu khoa:",
        "chia se:",
        "share:",
        "nguon bai viet",
    ];
    let f = fold(p);
    let f = f.trim_end_matches([':', '.', ' ']);
    EXACT.contains(&f) || PREFIX.iter().any(|x| fold(p).starts_with(x))
}

/// The closing line as a byline: names (`Bài, ảnh: NGUYỄN HUY` → `Nguyễn Huy`) and a
/// credited source (`Theo TTXVN`, `Thu Hà (theo Reuters)`).
fn closing_byline(p: &str) -> Option<Byline> {
    let b = match byline(p) {
        Some(names) => parse_byline(&names),
        None => {
            let short = p.chars().count() <= 60 && p.split_whitespace().count() <= 6;
            let credit_line = fold(p).starts_with("theo ") && !p.ends_with(['.', '?', '!', ':']);
            if !(short && credit_line) {
                return None;
            }
            parse_byline(p)
        }
    };
    (!b.is_empty()).then_some(b)
}

/// The author named by a byline (`Bài, ảnh: NGUYỄN HUY`, `Tin: Minh Anh`, or a short
/// line of capitals such as `NGUYỄN HUY`).
fn byline(p: &str) -> Option<String> {
    let n = p.chars().count();
    if n > 80 {
        return None;
    }
    const LABELS: &[&str] = &[
        "bai, anh",
        "bai va anh",
        "bai anh",
        "bai",
        "tin, anh",
        "tin va anh",
        "tin anh",
        "tin",
        "tac gia",
        "ghi chep",
        "nhom phong vien",
        "phong vien",
        "by",
    ];
    if let Some((label, name)) = p.split_once(':') {
        let name = name.trim();
        if LABELS.contains(&fold(label).trim()) && !name.is_empty() {
            return Some(name.to_string());
        }
    }
    let words: Vec<&str> = p.split_whitespace().collect();
    let letters: Vec<char> = p.chars().filter(|c| c.is_alphabetic()).collect();
    let all_caps = letters.len() >= 3 && letters.iter().all(|c| !c.is_lowercase());
    (all_caps && words.len() <= 8 && !p.ends_with(['.', '?', '!'])).then(|| p.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::format_date;

    fn seed() -> String {
        std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/seed_000_1171500456b67287.txt"
        ))
        .expect("seed fixture")
    }

    #[test]
    fn seed_layout() {
        let a = parse_text(&seed());
        assert_eq!(
            a.date.map(format_date).as_deref(),
            Some("2013-06-16T20:09:00+07:00")
        );
        assert_eq!(
            a.kicker.as_deref(),
            Some("Các cấp ủy Đảng Khối Cơ quan Dân chính Đảng TP Cần Thơ")
        );
        assert_eq!(
            a.title.as_deref(),
            Some(
                "Tập trung khắc phục hạn chế, khuyết điểm, thực hiện thắng lợi nhiệm vụ được giao"
            )
        );
        assert!(
            a.lead
                .as_deref()
                .unwrap()
                .starts_with("Lãnh đạo Đảng ủy Khối")
        );
        assert!(
            a.lead
                .as_deref()
                .unwrap()
                .ends_with("kế hoạch hoạt động tuần tới.")
        );
        assert_eq!(a.author.as_deref(), Some("Nguyễn Huy"));
        assert_eq!(a.authors, ["Nguyễn Huy"]);
        assert!(a.body.starts_with("Theo kế hoạch, cuối tháng 6 năm 2013"));
        assert!(a.body.ends_with("vị trí của Đảng bộ Khối."));
        assert_eq!(a.body.lines().count(), 5);
        assert!(!a.body.contains("Chia sẻ"));
        assert!(!a.body.contains("NGUYỄN HUY"));
    }

    #[test]
    fn title_lead_body_without_kicker() {
        let a = parse_text(
            "Thứ Bảy, 7/3/2026 - 08:06\nGiá vàng giảm mạnh\nSáng nay giá vàng giảm.\nThân bài một.\nThân bài hai.\nTin: Minh Anh\nBình luận\n",
        );
        assert_eq!(
            a.date.map(format_date).as_deref(),
            Some("2026-03-07T08:06:00+07:00")
        );
        assert_eq!(a.kicker, None);
        assert_eq!(a.title.as_deref(), Some("Giá vàng giảm mạnh"));
        assert_eq!(a.lead.as_deref(), Some("Sáng nay giá vàng giảm."));
        assert_eq!(a.body, "Thân bài một.\nThân bài hai.");
        assert_eq!(a.author.as_deref(), Some("Minh Anh"));
    }

    #[test]
    fn title_before_date_and_no_lead() {
        let a =
            parse_text("Tiêu đề bài\r\nCập nhật: 16/06/2013 20:09\r\nChỉ một đoạn thân bài.\r\n");
        assert_eq!(a.title.as_deref(), Some("Tiêu đề bài"));
        assert_eq!(a.lead, None);
        assert_eq!(a.body, "Chỉ một đoạn thân bài.");
        assert!(a.date.is_some());
    }

    #[test]
    fn fallback_first_line_is_title() {
        let a = parse_text(
            "Ngày 16/6/2013, Cần Thơ khai mạc lễ hội lớn nhất năm\nĐoạn một.\n\nĐoạn hai.\nChia sẻ bài viết",
        );
        assert_eq!(a.date, None);
        assert_eq!(
            a.title.as_deref(),
            Some("Ngày 16/6/2013, Cần Thơ khai mạc lễ hội lớn nhất năm")
        );
        assert_eq!(a.body, "Đoạn một.\nĐoạn hai.\nChia sẻ bài viết");
        assert_eq!(parse_text("").title, None);
        assert_eq!(parse_text("\n \u{a0}\n").body, "");
        let one = parse_text("chỉ một dòng");
        assert_eq!(one.title.as_deref(), Some("chỉ một dòng"));
        assert_eq!(one.body, "");
    }

    #[test]
    fn bylines_and_footers() {
        assert_eq!(
            byline("Bài, ảnh: NGUYỄN HUY").as_deref(),
            Some("NGUYỄN HUY")
        );
        assert_eq!(byline("Bài và ảnh: Thu Hà").as_deref(), Some("Thu Hà"));
        assert_eq!(
            byline("MINH ANH - THU HÀ").as_deref(),
            Some("MINH ANH - THU HÀ")
        );
        assert_eq!(byline("Hà Nội là thủ đô."), None);
        let b = closing_byline("Theo TTXVN").unwrap();
        assert!(b.authors.is_empty());
        assert_eq!(b.credit.as_deref(), Some("TTXVN"));
        let b = closing_byline("Thu Hà (theo Reuters)");
        assert!(
            b.is_none(),
            "a name without a label or capitals is not a byline here"
        );
        let b = closing_byline("MINH ANH - THU HÀ").unwrap();
        assert_eq!(b.authors, ["Minh Anh", "Thu Hà"]);
        assert_eq!(
            closing_byline("Theo kế hoạch, công trình xong vào tháng 6."),
            None
        );
        assert_eq!(byline("Ghi chú: không phải tác giả"), None);
        assert!(is_footer("Chia sẻ bài viết"));
        assert!(is_footer("\u{a0}"));
        assert!(is_footer("Từ khóa: vàng, giá vàng"));
        assert!(!is_footer("Chia sẻ kinh nghiệm làm giàu từ cây lúa"));
    }
}
