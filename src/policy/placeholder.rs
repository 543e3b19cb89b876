//! The one scanner for placeholders: policy variables `${aws:username}`, catalog ARN templates'
//! `${Region}`, S3's `<key>`. An opener starts one and the first closer after it ends it (IAM
//! reads `${a${b}` as the key `a${b`); an opener with no closer is text. Every reader of `${...}`
//! (substitution, the rules that report variables, ARN templates, the catalog's key templates)
//! goes through here, so they all agree on where a placeholder is.

/// A piece of a text, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece<'a> {
    /// Text outside placeholders (never empty).
    Text(&'a str),
    /// A placeholder: what is between the delimiters, and its byte range in the whole text.
    Placeholder {
        body: &'a str,
        start: usize,
        end: usize,
    },
    /// An opener without a closer: it and the rest of the text, which read as text.
    Unclosed { text: &'a str, start: usize },
}

/// The pieces of `text` around `open ... close` placeholders.
pub fn pieces<'a>(text: &'a str, open: &'static str, close: char) -> Pieces<'a> {
    Pieces {
        text,
        from: 0,
        open,
        close,
        pending: None,
    }
}

/// `${...}` placeholders.
pub fn variables(text: &str) -> Pieces<'_> {
    pieces(text, "${", '}')
}

#[derive(Debug, Clone)]
pub struct Pieces<'a> {
    text: &'a str,
    from: usize,
    open: &'static str,
    close: char,
    pending: Option<Piece<'a>>,
}

impl<'a> Iterator for Pieces<'a> {
    type Item = Piece<'a>;

    fn next(&mut self) -> Option<Piece<'a>> {
        if let Some(piece) = self.pending.take() {
            return Some(piece);
        }
        let text = self.text;
        let rest = text.get(self.from..).filter(|r| !r.is_empty())?;
        let Some(at) = rest.find(self.open) else {
            self.from = text.len();
            return Some(Piece::Text(rest));
        };
        let start = self.from + at;
        let body_start = start + self.open.len();
        let piece = match text[body_start..].find(self.close) {
            Some(length) => {
                self.from = body_start + length + self.close.len_utf8();
                Piece::Placeholder {
                    body: &text[body_start..body_start + length],
                    start,
                    end: self.from,
                }
            }
            None => {
                self.from = text.len();
                Piece::Unclosed {
                    text: &text[start..],
                    start,
                }
            }
        };
        if at == 0 {
            Some(piece)
        } else {
            self.pending = Some(piece);
            Some(Piece::Text(&rest[..at]))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Piece::*;

    #[test]
    fn pieces_in_order() {
        let all: Vec<_> = variables("a/${aws:username}/${x, 'd'}b").collect();
        assert_eq!(
            all,
            vec![
                Text("a/"),
                Placeholder {
                    body: "aws:username",
                    start: 2,
                    end: 17
                },
                Text("/"),
                Placeholder {
                    body: "x, 'd'",
                    start: 18,
                    end: 27
                },
                Text("b"),
            ]
        );
        assert_eq!(
            variables("x${a${b}").collect::<Vec<_>>(),
            vec![
                Text("x"),
                Placeholder {
                    body: "a${b",
                    start: 1,
                    end: 8
                }
            ]
        );
        assert_eq!(
            variables("x${open").collect::<Vec<_>>(),
            vec![
                Text("x"),
                Unclosed {
                    text: "${open",
                    start: 1
                }
            ]
        );
        assert_eq!(variables("").count(), 0);
        assert_eq!(
            pieces("s3:ExistingObjectTag/<key>", "<", '>').nth(1),
            Some(Placeholder {
                body: "key",
                start: 21,
                end: 26
            })
        );
    }
}
