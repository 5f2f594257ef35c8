//! Shell-style globs for selectors: `*` (any run), `?` (one character), `[abc]`,
//! `[a-z]` and `[!abc]` (one character of a class).

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Glob {
    text: String,
    tokens: Vec<Token>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Literal(char),
    AnyRun,
    AnyOne,
    Class { negated: bool, ranges: Vec<(char, char)> },
}

impl Glob {
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut tokens = Vec::new();
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            tokens.push(match c {
                '*' => Token::AnyRun,
                '?' => Token::AnyOne,
                '[' => {
                    let negated = chars.next_if(|&c| c == '!' || c == '^').is_some();
                    let mut ranges = Vec::new();
                    loop {
                        match chars.next() {
                            None => return Err(format!("glob {text:?} has an unclosed '['")),
                            Some(']') if !ranges.is_empty() => break,
                            Some(start) => {
                                let end = if chars.peek() == Some(&'-') {
                                    chars.next();
                                    match chars.next() {
                                        Some(']') | None => {
                                            return Err(format!("glob {text:?} has an unfinished range"))
                                        }
                                        Some(end) => end,
                                    }
                                } else {
                                    start
                                };
                                if end < start {
                                    return Err(format!("glob {text:?} has a reversed range {start}-{end}"));
                                }
                                ranges.push((start, end));
                            }
                        }
                    }
                    Token::Class { negated, ranges }
                }
                ']' => return Err(format!("glob {text:?} has a ']' without '['")),
                literal => Token::Literal(literal),
            });
        }
        Ok(Self { text: text.to_owned(), tokens })
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn matches(&self, candidate: &str) -> bool {
        let chars: Vec<char> = candidate.chars().collect();
        matches_from(&self.tokens, &chars)
    }
}

/// Iterative wildcard matching with single backtracking point (linear in practice,
/// never exponential).
fn matches_from(tokens: &[Token], text: &[char]) -> bool {
    let (mut t, mut s) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while s < text.len() {
        match tokens.get(t) {
            Some(Token::AnyRun) => {
                star = Some((t, s));
                t += 1;
            }
            Some(token) if one_matches(token, text[s]) => {
                t += 1;
                s += 1;
            }
            _ => match star {
                Some((star_t, star_s)) => {
                    t = star_t + 1;
                    s = star_s + 1;
                    star = Some((star_t, star_s + 1));
                }
                None => return false,
            },
        }
    }
    tokens[t..].iter().all(|token| *token == Token::AnyRun)
}

fn one_matches(token: &Token, c: char) -> bool {
    match token {
        Token::Literal(l) => *l == c,
        Token::AnyOne => true,
        Token::Class { negated, ranges } => ranges.iter().any(|&(a, b)| a <= c && c <= b) != *negated,
        Token::AnyRun => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(glob: &str, s: &str) -> bool {
        Glob::parse(glob).unwrap().matches(s)
    }

    #[test]
    fn wildcards_and_classes() {
        assert!(m("web-*", "web-frontend"));
        assert!(!m("web-*", "api-web"));
        assert!(m("*", ""));
        assert!(m("a?c", "abc"));
        assert!(m("kube-*-[0-9]", "kube-proxy-7"));
        assert!(!m("[!a]bc", "abc"));
        assert!(m("*a*b*", "xxaxxbxx"));
        assert!(m("exact", "exact"));
        assert!(!m("exact", "exactly"));
    }

    #[test]
    fn malformed_globs_are_errors() {
        assert!(Glob::parse("web-[abc").is_err());
        assert!(Glob::parse("a]").is_err());
        assert!(Glob::parse("[z-a]").is_err());
    }
}
