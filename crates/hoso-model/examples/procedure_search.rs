//! Benchmark (not a test): the new-record screen's procedure search over a
//! catalogue of N procedures (default 5,000; the city lists about 2,000 at
//! ward level), typed one key at a time. Prints the first search (which
//! folds the catalogue once) and each keystroke's time after it.
//! `cargo run --release -p hoso-model --example procedure_search [N]`

use std::time::Instant;

use hoso_model::{Catalogue, ComponentSpec, Procedure};

const VERBS: [&str; 8] =
    ["Đăng ký", "Cấp", "Cấp lại", "Điều chỉnh", "Gia hạn", "Xác nhận", "Thu hồi", "Chứng thực"];
const OBJECTS: [&str; 10] = [
    "khai sinh",
    "kết hôn",
    "giấy phép xây dựng",
    "hộ kinh doanh",
    "thường trú",
    "tạm trú",
    "quyền sử dụng đất",
    "chứng chỉ hành nghề",
    "bản sao từ bản chính",
    "giám hộ",
];
const FIELDS: [&str; 6] = ["Hộ tịch", "Chứng thực", "Đất đai", "Xây dựng", "Cư trú", "Kinh doanh"];

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(5000);
    let procedures = (0..n)
        .map(|i| Procedure {
            code: format!("{}.{:06}", 1 + i % 2, i),
            name: format!(
                "{} {}{}",
                VERBS[i % VERBS.len()],
                OBJECTS[(i / VERBS.len()) % OBJECTS.len()],
                [" có yếu tố nước ngoài", " lưu động", "", " cho người nước ngoài"][i % 4]
            ),
            field: Some(FIELDS[i % FIELDS.len()].into()),
            level: Some("Cấp xã".into()),
            components: vec![ComponentSpec {
                code: "TK".into(),
                name: "Tờ khai".into(),
                required: true,
                needs_certification: false,
            }],
        })
        .collect();
    let catalogue = Catalogue::new(procedures);
    let first = Instant::now();
    catalogue.search("", 20);
    let first = first.elapsed();
    let mut times = Vec::new();
    for typed in ["dang ky khai sinh", "Đăng ký kết hôn", "1.0012", "xac nhan giam ho nuoc"] {
        for end in typed.char_indices().map(|(i, c)| i + c.len_utf8()) {
            let at = Instant::now();
            let found = catalogue.search(&typed[..end], 20);
            times.push(at.elapsed().as_secs_f64() * 1e3);
            std::hint::black_box(found);
        }
    }
    times.sort_by(f64::total_cmp);
    println!(
        "procedure search over {n} procedures: first search {:.1} ms (folds the catalogue), then a keystroke \
         {:.2} ms median, {:.2} ms at most ({} keystrokes; goal < 50 ms)",
        first.as_secs_f64() * 1e3,
        times[times.len() / 2],
        times[times.len() - 1],
        times.len()
    );
}
