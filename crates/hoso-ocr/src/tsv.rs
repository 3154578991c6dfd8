//! Parsing Tesseract's TSV output into words.

use crate::Word;

/// Reads the word rows (level 5) of Tesseract's TSV output:
/// `level page block par line word left top width height conf text`.
/// Rows without text (empty or whitespace) and malformed rows are skipped.
pub fn parse_tsv(tsv: &str) -> Vec<Word> {
    let mut words = Vec::new();
    for row in tsv.lines() {
        let cols: Vec<&str> = row.splitn(12, '\t').collect();
        if cols.len() != 12 || cols[0] != "5" {
            continue;
        }
        let text = cols[11].trim();
        if text.is_empty() {
            continue;
        }
        let num = |i: usize| cols[i].trim().parse::<u32>().ok();
        let (Some(block), Some(par), Some(line), Some(x), Some(y), Some(w), Some(h)) =
            (num(2), num(3), num(4), num(6), num(7), num(8), num(9))
        else {
            continue;
        };
        let Ok(conf) = cols[10].trim().parse::<f32>() else { continue };
        words.push(Word {
            text: text.to_owned(),
            x,
            y,
            w,
            h,
            conf: conf.clamp(0.0, 100.0),
            block,
            par,
            line,
        });
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_word_rows_and_skips_the_rest() {
        let tsv = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n\
                   1\t1\t0\t0\t0\t0\t0\t0\t2480\t3508\t-1\t\n\
                   5\t1\t1\t1\t1\t1\t236\t180\t120\t40\t96.5\tCỘNG\n\
                   5\t1\t1\t1\t1\t2\t370\t180\t90\t40\t91\tHÒA\n\
                   5\t1\t1\t1\t2\t1\t236\t240\t90\t40\t12\t \n\
                   5\t1\tx\t1\t2\t1\t236\t240\t90\t40\t12\tbad\n";
        let words = parse_tsv(tsv);
        assert_eq!(words.len(), 2);
        assert_eq!(words[0].text, "CỘNG");
        assert_eq!((words[0].x, words[0].y, words[0].w, words[0].h), (236, 180, 120, 40));
        assert_eq!(words[1].conf, 91.0);
    }
}
