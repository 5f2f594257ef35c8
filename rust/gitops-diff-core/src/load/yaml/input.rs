//! The parser's `&str` input, with a smaller scanning chunk.
//!
//! saphyr-parser's scanner starts every plain scalar in a 32-byte `String`, then reserves
//! room for one chunk of the input (`bufmaxlen`, 128 characters for its `StrInput`) after
//! the first character: a reallocation to a 160-byte block for every plain key and value,
//! about a tenth of the instructions of a load, and 160 bytes kept by every string value.
//! A chunk of 16 characters, what the parser's own `BufferedInput` uses, fits in the
//! first block. For a `&str` the chunk is only how many characters the scanner checks
//! between two buffer refills (`lookahead` is a no-op here), so nothing else changes.

use saphyr_parser::input::SkipTabs;
use saphyr_parser::{Input, StrInput};

/// Characters the scanner takes per refill; at least 3 (the scanner subtracts 2).
const CHUNK_CHARS: usize = 16;

/// [`StrInput`] with a chunk of [`CHUNK_CHARS`]; every other call is passed through, so
/// that `StrInput`'s own fast paths (`skip_ws_to_eol`, ...) are kept.
pub(super) struct ChunkedStrInput<'a>(StrInput<'a>);

impl<'a> ChunkedStrInput<'a> {
    pub(super) fn new(text: &'a str) -> Self {
        Self(StrInput::new(text))
    }
}

/// Passes trait methods through to the wrapped input; `&mut self` methods are marked `mut`.
macro_rules! pass_through {
    ($(fn $name:ident(self $(, $arg:ident: $ty:ty)*) -> $ret:ty;)*) => {
        $(
            #[inline]
            fn $name(&self $(, $arg: $ty)*) -> $ret {
                self.0.$name($($arg),*)
            }
        )*
    };
    ($(mut fn $name:ident(self $(, $arg:ident: $ty:ty)*) -> $ret:ty;)*) => {
        $(
            #[inline]
            fn $name(&mut self $(, $arg: $ty)*) -> $ret {
                self.0.$name($($arg),*)
            }
        )*
    };
}

impl Input for ChunkedStrInput<'_> {
    #[inline]
    fn bufmaxlen(&self) -> usize {
        CHUNK_CHARS
    }

    pass_through! {
        fn buflen(self) -> usize;
        fn buf_is_empty(self) -> bool;
        fn peek(self) -> char;
        fn peek_nth(self, n: usize) -> char;
        fn peek_opt(self) -> Option<char>;
        fn next_char_is(self, c: char) -> bool;
        fn nth_char_is(self, n: usize, c: char) -> bool;
        fn next_2_are(self, c1: char, c2: char) -> bool;
        fn next_3_are(self, c1: char, c2: char, c3: char) -> bool;
        fn next_is_document_indicator(self) -> bool;
        fn next_is_document_start(self) -> bool;
        fn next_is_document_end(self) -> bool;
        fn next_can_be_plain_scalar(self, in_flow: bool) -> bool;
        fn next_is_blank_or_break(self) -> bool;
        fn next_is_blank_or_breakz(self) -> bool;
        fn next_is_blank(self) -> bool;
        fn next_is_break(self) -> bool;
        fn next_is_breakz(self) -> bool;
        fn next_is_z(self) -> bool;
        fn next_is_flow(self) -> bool;
        fn next_is_digit(self) -> bool;
        fn next_is_alpha(self) -> bool;
    }

    pass_through! {
        mut fn lookahead(self, count: usize) -> ();
        mut fn raw_read_ch(self) -> char;
        mut fn raw_read_non_breakz_ch(self) -> Option<char>;
        mut fn skip(self) -> ();
        mut fn skip_n(self, count: usize) -> ();
        mut fn look_ch(self) -> char;
        mut fn skip_ws_to_eol(self, skip_tabs: SkipTabs) -> (usize, Result<SkipTabs, &'static str>);
        mut fn skip_while_non_breakz(self) -> usize;
        mut fn skip_while_blank(self) -> usize;
        mut fn fetch_while_is_alpha(self, out: &mut String) -> usize;
        mut fn fetch_while_is_yaml_non_space(self, out: &mut String) -> usize;
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use saphyr_parser::Parser;

    use super::*;

    /// Every event with its span, or the error with its position, as text.
    fn events<T: Input>(mut parser: Parser<'_, T>) -> Vec<String> {
        let mut out = Vec::new();
        while let Some(next) = parser.next_event() {
            match next {
                Ok((event, span)) => out.push(format!("{event:?} {span:?}")),
                Err(e) => {
                    out.push(format!("error {:?} at {:?}", e.info(), e.marker()));
                    break;
                }
            }
        }
        out
    }

    fn assert_same_events(text: &str) {
        let chunked = events(Parser::new(ChunkedStrInput::new(text)));
        let plain = events(Parser::new_from_str(text));
        assert_eq!(chunked, plain, "{text:?}");
    }

    #[test]
    fn events_are_those_of_the_parsers_own_str_input() {
        let long = "x".repeat(300);
        let deep = " ".repeat(40);
        for text in [
            format!("a: {long}\n{long}: b\n"),
            format!("a: {long} {long}\n  {long}\n\n  continued\n"),
            format!("a: |\n{deep}line one\n{deep}  more\n\n{deep}end\nb: >-\n{deep}folded {long}\n"),
            format!("- |+\n{deep}{long}\n\n- c\n"),
            format!("a: [{long}, \"{long}\", '{long}', {{k: {long}}}]\n"),
            "naïve: ünïcödé-ünïcödé-ünïcödé-ünïcödé ✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓\n".to_owned(),
            format!("---\n{long}\n...\n--- |\n  {long}\n"),
            format!("a: b # {long}\nc: {long}#not a comment\n"),
            format!("a:\n\t{long}: 1\n"),
            format!("a: &x {long}\nb: *x\nc: !!str {long}\n"),
            format!("a: {long}\n- {long}\n"),
        ] {
            assert_same_events(&text);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2048))]

        #[test]
        fn events_of_any_text_are_those_of_the_parsers_own_str_input(
            // Words, indented line starts and the characters that YAML's syntax turns on.
            text in "([a-z0-9é✓]{1,40}|\n {0,24}|[ :#|>+\\-\\[\\]{},'\"&*!?~]){0,40}",
        ) {
            let chunked = events(Parser::new(ChunkedStrInput::new(&text)));
            let plain = events(Parser::new_from_str(&text));
            prop_assert_eq!(chunked, plain);
        }
    }
}
