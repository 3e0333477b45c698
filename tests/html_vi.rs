//! The HTML extractor on real pages of eight Vietnamese news sites (`../shared/html-vi/`):
//! title and date right on every article page, body free of navigation and of links to
//! other articles. Skips when `../shared` is absent.

mod common;

use std::collections::HashSet;

use tintuc::article::format_date;
use tintuc::extract::html::extract;

/// (file, url, title, publication date to the minute at UTC+7, a phrase of the body,
/// the authors as the page prints them, joined with `, `; empty when the page names none
/// — baochinhphu.vn's article credits only the site).
const PAGES: &[(&str, &str, &str, &str, &str, &str)] = &[
    (
        "baochinhphu.vn/baochinhphu_article.html",
        "https://baochinhphu.vn/chinh-sach-moi-co-hieu-luc-tu-thang-3-2026-102260228093004191.htm",
        "Chính sách mới có hiệu lực từ tháng 3/2026",
        "2026-03-01T09:51",
        "thông tin về nhà ở và thị trường bất động sản",
        "",
    ),
    (
        "baodautu.vn/baodautu_article.html",
        "https://baodautu.vn/xu-phat-giam-doc-tai-chinh-tap-doan-tien-son-thanh-hoa-vi-thao-tung-co-phieu-d538952.html",
        "Xử phạt Giám đốc tài chính Tập đoàn Tiên Sơn Thanh Hoá vì thao túng cổ phiếu",
        "2026-03-07T08:47",
        "Giám đốc tài chính",
        "Nguyên Minh",
    ),
    (
        "cafef.vn/cafef_article.html",
        "https://cafef.vn/thoi-diem-nang-hang-can-ke-mbs-diem-ten-30-co-phieu-viet-nam-co-kha-nang-lot-ro-chi-so-ftse-18826030622484142.chn",
        "Thời điểm nâng hạng cận kề, MBS điểm tên 30 cổ phiếu Việt Nam có khả năng lọt rổ chỉ số FTSE",
        "2026-03-07T00:01",
        "Chứng khoán MB (MBS)",
        "Dương Ngọc",
    ),
    (
        "cafef.vn/cafef_article_batdongsan.html",
        "https://cafef.vn/tang-ho-tro-giam-ap-luc-tai-chinh-khi-chuyen-muc-dich-su-dung-dat-188260307071033787.chn",
        "Tăng hỗ trợ, giảm áp lực tài chính khi chuyển mục đích sử dụng đất",
        "2026-03-07T09:40",
        "tiền sử dụng đất",
        "Hồ Hương",
    ),
    (
        "dantri.com.vn/dantri_article.html",
        "https://dantri.com.vn/kinh-doanh/gia-vang-giam-van-cao-hon-the-gioi-gan-20-trieu-dongluong-20260307080054340.htm",
        "Giá vàng giảm, vẫn cao hơn thế giới gần 20 triệu đồng/lượng",
        "2026-03-07T08:07",
        "giá vàng miếng SJC",
        "Tri Túc",
    ),
    (
        "nld.com.vn/nld_article.html",
        "https://nld.com.vn/nhung-sai-sot-ho-kinh-doanh-thuong-gap-khi-thuc-hien-quy-dinh-moi-ve-thue-196260307071308923.htm",
        "Những sai sót hộ kinh doanh thường gặp khi thực hiện quy định thuế mới",
        "2026-03-07T08:06",
        "Nghị định 68/2026/NĐ-CP",
        "Minh Chiến",
    ),
    (
        "tuoitre.vn/tuoitre_article.html",
        "https://tuoitre.vn/chien-su-day-gia-hoa-nhap-khau-dip-8-3-tang-manh-20260307075519174.htm",
        "Chiến sự đẩy giá hoa nhập khẩu dịp 8-3 tăng mạnh",
        "2026-03-07T08:01",
        "Hà Lan hay Ecuador",
        "Nhật Xuân, Nghi Vũ",
    ),
    (
        "vietnamnet.vn/vietnamnet_article.html",
        "https://vietnamnet.vn/co-phieu-flc-duoc-giao-dich-tro-lai-2495349.html",
        "Cổ phiếu FLC được giao dịch trở lại",
        "2026-03-07T08:52",
        "Chứng khoán Artex",
        "Duy Anh",
    ),
    (
        "vnexpress.net/vnexpress_article.html",
        "https://vnexpress.net/cach-cac-nuoc-doi-pho-cu-soc-nang-luong-tu-trung-dong-5047363.html",
        "Cách các nước đối phó cú sốc năng lượng từ Trung Đông",
        "2026-03-07T00:05",
        "Xung đột giữa Mỹ - Israel với Iran",
        "Hà Thu",
    ),
];

/// Texts of the links (≥ 30 characters: article titles, not menu words) on the
/// site's listing page and the article page's own link lists.
fn link_texts(html: &str) -> HashSet<String> {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse("a").expect("static selector");
    doc.select(&sel)
        .map(|a| {
            a.text()
                .collect::<Vec<_>>()
                .join(" ")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|t| t.chars().count() >= 30)
        .collect()
}

#[test]
fn vietnamese_article_pages() {
    let Some(shared) = common::shared_dir("vietnamese_article_pages") else {
        return;
    };
    let dir = shared.join("html-vi");
    let mut failures = Vec::new();
    for (file, url, title, date, phrase, author) in PAGES {
        let bytes = std::fs::read(dir.join(file)).expect("page present in ../shared/html-vi");
        let a = match extract(&bytes, Some(url), Some("text/html; charset=utf-8")) {
            Ok(a) => a,
            Err(e) => {
                failures.push(format!("{file}: {e}"));
                continue;
            }
        };
        if a.title.as_deref() != Some(*title) {
            failures.push(format!("{file}: title {:?}, want {title:?}", a.title));
        }
        let got = a.date.map(format_date).unwrap_or_default();
        if !got.starts_with(date) {
            failures.push(format!("{file}: date {got:?}, want {date}"));
        }
        // The people who wrote it, never the site; the byline line is not body text.
        if a.author.as_deref().unwrap_or_default() != *author {
            failures.push(format!("{file}: author {:?}, want {author:?}", a.author));
        }
        if !author.is_empty() && a.body.lines().any(|l| l.contains(*author)) {
            failures.push(format!("{file}: the byline {author:?} stays in the body"));
        }
        let text = format!("{}\n{}", a.lead.as_deref().unwrap_or_default(), a.body);
        if !text.contains(phrase) {
            failures.push(format!("{file}: lead and body lack {phrase:?}"));
        }
        if a.body.lines().count() < 5 {
            failures.push(format!("{file}: body has {} lines", a.body.lines().count()));
        }
        // No line of the body is a link to another article or a menu entry.
        let site_dir = dir.join(file.split('/').next().unwrap_or_default());
        let mut links = link_texts(&String::from_utf8_lossy(&bytes));
        for e in std::fs::read_dir(&site_dir).expect("site folder").flatten() {
            if e.file_name().to_string_lossy().contains("_list") {
                links.extend(link_texts(
                    &std::fs::read_to_string(e.path()).unwrap_or_default(),
                ));
            }
        }
        for line in a.body.lines() {
            if links.contains(line.trim()) && line.trim() != *title {
                failures.push(format!("{file}: body line is a link: {line:?}"));
            }
        }
        for nav in [
            "Trang chủ",
            "Đăng nhập",
            "Bình luận",
            "Tin liên quan",
            "Chia sẻ",
        ] {
            if a.body.lines().any(|l| l.trim() == nav) {
                failures.push(format!("{file}: body has the navigation line {nav:?}"));
            }
        }
        assert_eq!(a.language.as_deref(), Some("vi"), "{file}");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn vietnamese_listing_pages_do_not_fail_badly() {
    let Some(shared) = common::shared_dir("vietnamese_listing_pages_do_not_fail_badly") else {
        return;
    };
    for site in std::fs::read_dir(shared.join("html-vi"))
        .expect("html-vi")
        .flatten()
    {
        if !site.path().is_dir() {
            continue;
        }
        for page in std::fs::read_dir(site.path()).expect("site").flatten() {
            if !page.file_name().to_string_lossy().contains("_list") {
                continue;
            }
            let bytes = std::fs::read(page.path()).expect("readable");
            // A listing is no article: either an error or whatever text it has, never a panic.
            if let Ok(a) = extract(&bytes, None, None) {
                assert!(!a.id.is_empty());
            }
        }
    }
}
