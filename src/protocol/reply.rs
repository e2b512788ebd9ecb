//! Reply encoding with RESP3 kinds, downgraded for RESP2 clients.
//!
//! Command handlers describe replies with RESP3's vocabulary (map, set, double, boolean, null,
//! big number, verbatim, push) and never look at the protocol version: [`Reply`] writes the RESP3
//! form for RESP3 clients and Redis's RESP2 equivalent otherwise (map → flat array, double and
//! big number → bulk string, boolean → integer, null → `$-1` or `*-1`). Attributes are the one
//! exception: RESP2 has nothing to downgrade them to, so callers write them for RESP3 clients only
//! (see [`Reply::attribute`]).

/// An output buffer of encoded replies for one client.
#[derive(Debug, Default)]
pub struct Reply {
    buf: Vec<u8>,
    resp3: bool,
    /// Error prefixes (`ERR`, `WRONGTYPE`…) written since the last [`Reply::take_errors`].
    errors: Vec<String>,
    /// An error not recorded for errorstats was written since then (the command still failed).
    uncounted_error: bool,
}

/// Kind of a collection header whose length is only known after its items are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Aggregate {
    /// `*n`.
    Array,
    /// `%n` in RESP3, `*2n` in RESP2 (n is the number of pairs).
    Map,
    /// `~n` in RESP3, `*n` in RESP2.
    Set,
}

/// A placeholder for an aggregate header, filled by [`Reply::end_deferred`].
#[derive(Debug)]
#[must_use]
pub struct Deferred {
    at: usize,
    kind: Aggregate,
}

impl Reply {
    /// An empty buffer for a client speaking RESP3 (`true`) or RESP2.
    pub fn new(resp3: bool) -> Self {
        Reply { buf: Vec::new(), resp3, errors: Vec::new(), uncounted_error: false }
    }

    /// A RESP2 buffer writing into `buf` (emptied first), reusing its allocation.
    pub fn from_buffer(mut buf: Vec<u8>) -> Self {
        buf.clear();
        Reply { buf, ..Reply::default() }
    }

    /// Whether replies are encoded as RESP3.
    pub fn is_resp3(&self) -> bool {
        self.resp3
    }

    /// Switches the encoding (HELLO changes it between replies).
    pub fn set_resp3(&mut self, resp3: bool) {
        self.resp3 = resp3;
    }

    /// The encoded bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.buf
    }

    /// Gives up the encoded bytes.
    pub fn into_bytes(self) -> Vec<u8> {
        self.buf
    }

    /// Number of encoded bytes.
    pub fn len(&self) -> usize {
        self.buf.len()
    }

    /// Whether nothing has been written.
    pub fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }

    /// Drops everything written after `len` (used by CLIENT REPLY OFF/SKIP).
    pub fn truncate(&mut self, len: usize) {
        self.buf.truncate(len);
    }

    /// Gives back capacity beyond `keep` bytes (after a burst, once the buffer was written).
    pub fn shrink_to(&mut self, keep: usize) {
        if self.buf.capacity() > keep {
            self.buf.shrink_to(keep);
        }
    }

    /// Empties the buffer, keeping its allocation.
    pub fn clear(&mut self) {
        self.buf.clear();
    }

    /// Takes the error prefixes recorded since the last call.
    pub fn take_errors(&mut self) -> Vec<String> {
        self.uncounted_error = false;
        std::mem::take(&mut self.errors)
    }

    /// Whether errors were written since the last [`Reply::take_errors`] (counted or not: the
    /// command failed either way).
    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty() || self.uncounted_error
    }

    /// Appends already-encoded protocol bytes.
    pub fn raw(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
    }

    fn line(&mut self, prefix: u8, n: i64) {
        self.buf.push(prefix);
        let mut itoa = itoa_buf::Buffer::new();
        self.buf.extend_from_slice(itoa.format(n));
        self.buf.extend_from_slice(b"\r\n");
    }

    /// `<prefix><text>\r\n`, with CR and LF in `text` replaced by spaces so the reply stays one
    /// line. Copies first and patches after: the text rarely holds either.
    fn one_line(&mut self, prefix: u8, text: &str) {
        self.buf.push(prefix);
        let start = self.buf.len();
        self.buf.extend_from_slice(text.as_bytes());
        for b in &mut self.buf[start..] {
            if *b == b'\r' || *b == b'\n' {
                *b = b' ';
            }
        }
        self.buf.extend_from_slice(b"\r\n");
    }

    /// `+OK`.
    pub fn ok(&mut self) {
        self.buf.extend_from_slice(b"+OK\r\n");
    }

    /// A simple string; CR and LF are replaced by spaces as Redis does.
    pub fn simple(&mut self, s: &str) {
        self.one_line(b'+', s);
    }

    /// An error reply. `msg` starts with its code (`ERR …`, `WRONGTYPE …`); CR and LF become
    /// spaces. The code is recorded for INFO errorstats.
    pub fn error(&mut self, msg: &str) {
        self.one_line(b'-', msg);
        let code = msg.split(' ').next().unwrap_or("ERR");
        self.errors.push(code.to_owned());
    }

    /// An error reply from bytes, for texts that echo client arguments (which need not be UTF-8
    /// and are echoed as sent, as Redis does). Like [`Reply::error`]: `msg` starts with its code,
    /// CR and LF become spaces, and the code is recorded for INFO errorstats.
    pub fn error_bytes(&mut self, msg: &[u8]) {
        self.buf.push(b'-');
        let start = self.buf.len();
        self.buf.extend_from_slice(msg);
        for b in &mut self.buf[start..] {
            if *b == b'\r' || *b == b'\n' {
                *b = b' ';
            }
        }
        self.buf.extend_from_slice(b"\r\n");
        let code = msg.split(|&b| b == b' ').next().unwrap_or(b"ERR");
        self.errors.push(String::from_utf8_lossy(code).into_owned());
    }

    /// An error reply that is not recorded for INFO errorstats: a script passing on an error
    /// its command already counted (Redis's `ERR_REPLY_FLAG_NO_STATS_UPDATE`).
    pub fn error_not_counted(&mut self, msg: &[u8]) {
        let recorded = self.errors.len();
        self.error_bytes(msg);
        self.errors.truncate(recorded);
        self.uncounted_error = true;
    }

    /// A help text: an array of simple strings, one per line (every `… HELP` subcommand).
    pub fn help(&mut self, lines: &[&str]) {
        self.array(lines.len());
        for line in lines {
            self.simple(line);
        }
    }

    /// An integer.
    pub fn int(&mut self, n: i64) {
        self.line(b':', n);
    }

    /// A bulk string.
    pub fn bulk(&mut self, data: &[u8]) {
        self.line(b'$', data.len() as i64);
        self.buf.extend_from_slice(data);
        self.buf.extend_from_slice(b"\r\n");
    }

    /// A bulk string holding a decimal integer.
    pub fn bulk_int(&mut self, n: i64) {
        let mut itoa = itoa_buf::Buffer::new();
        let s = itoa.format(n);
        self.line(b'$', s.len() as i64);
        self.buf.extend_from_slice(s);
        self.buf.extend_from_slice(b"\r\n");
    }

    /// A null where a string was expected: `$-1` in RESP2, `_` in RESP3.
    pub fn null(&mut self) {
        self.buf.extend_from_slice(if self.resp3 { b"_\r\n" } else { b"$-1\r\n" });
    }

    /// A null where an array was expected: `*-1` in RESP2, `_` in RESP3.
    pub fn null_array(&mut self) {
        self.buf.extend_from_slice(if self.resp3 { b"_\r\n" } else { b"*-1\r\n" });
    }

    /// An array header of `n` items.
    pub fn array(&mut self, n: usize) {
        self.line(b'*', n as i64);
    }

    /// A map header of `n` key/value pairs.
    pub fn map(&mut self, n: usize) {
        if self.resp3 {
            self.line(b'%', n as i64);
        } else {
            self.line(b'*', 2 * n as i64);
        }
    }

    /// A set header of `n` items.
    pub fn set(&mut self, n: usize) {
        self.line(if self.resp3 { b'~' } else { b'*' }, n as i64);
    }

    /// A push header of `n` items (out-of-band messages such as pub/sub).
    pub fn push(&mut self, n: usize) {
        self.line(if self.resp3 { b'>' } else { b'*' }, n as i64);
    }

    /// A boolean: `#t`/`#f` in RESP3, `:1`/`:0` in RESP2.
    pub fn boolean(&mut self, b: bool) {
        if self.resp3 {
            self.buf.extend_from_slice(if b { b"#t\r\n" } else { b"#f\r\n" });
        } else {
            self.int(i64::from(b));
        }
    }

    /// A double, formatted with `%.17g` like Redis (`inf`/`-inf` spelled out).
    pub fn double(&mut self, d: f64) {
        let text = format_double(d);
        if self.resp3 {
            self.buf.push(b',');
            self.buf.extend_from_slice(text.as_bytes());
            self.buf.extend_from_slice(b"\r\n");
        } else {
            self.bulk(text.as_bytes());
        }
    }

    /// A big number given as its decimal digits: `(digits` in RESP3, a bulk string in RESP2.
    pub fn big_number(&mut self, digits: &[u8]) {
        if self.resp3 {
            self.buf.push(b'(');
            self.buf.extend_from_slice(digits);
            self.buf.extend_from_slice(b"\r\n");
        } else {
            self.bulk(digits);
        }
    }

    /// An attribute header of `n` key/value pairs (`|n`), which the pairs and then the reply
    /// they describe follow. RESP3 only: a RESP2 client gets neither the header nor the pairs,
    /// so callers check [`Reply::is_resp3`] first, as Redis's `addReplyAttributeLen` requires.
    pub fn attribute(&mut self, n: usize) {
        debug_assert!(self.resp3, "attributes exist in RESP3 only");
        if self.resp3 {
            self.line(b'|', n as i64);
        }
    }

    /// Verbatim text (`=len\r\ntxt:…`); a plain bulk string in RESP2.
    pub fn verbatim(&mut self, text: &[u8]) {
        if self.resp3 {
            self.line(b'=', text.len() as i64 + 4);
            self.buf.extend_from_slice(b"txt:");
            self.buf.extend_from_slice(text);
            self.buf.extend_from_slice(b"\r\n");
        } else {
            self.bulk(text);
        }
    }

    /// Verbatim text with its three-letter format (`=len\r\nfmt:…`), as a script returns it; a
    /// plain bulk string in RESP2.
    pub fn verbatim_with_format(&mut self, format: &[u8], text: &[u8]) {
        if self.resp3 {
            self.line(b'=', text.len() as i64 + 4);
            let mut fmt = [b' '; 3];
            for (slot, b) in fmt.iter_mut().zip(format) {
                *slot = *b;
            }
            self.buf.extend_from_slice(&fmt);
            self.buf.push(b':');
            self.buf.extend_from_slice(text);
            self.buf.extend_from_slice(b"\r\n");
        } else {
            self.bulk(text);
        }
    }

    /// Starts an aggregate whose length is not known yet.
    pub fn begin_deferred(&mut self, kind: Aggregate) -> Deferred {
        Deferred { at: self.buf.len(), kind }
    }

    /// Writes the header of a deferred aggregate now that it holds `n` items (pairs for maps).
    pub fn end_deferred(&mut self, d: Deferred, n: usize) {
        let mut header = Reply::new(self.resp3);
        match d.kind {
            Aggregate::Array => header.array(n),
            Aggregate::Map => header.map(n),
            Aggregate::Set => header.set(n),
        }
        self.buf.splice(d.at..d.at, header.buf);
    }
}

/// Formats a double as C's `%.17g`, with `inf`, `-inf` and `nan` spelled as Redis does.
pub fn format_double(d: f64) -> String {
    format_g(d, 17)
}

/// Formats a double as C's `%.<precision>g` (precision at least 1), with `inf`, `-inf` and
/// `nan` spelled out.
pub fn format_g(d: f64, precision: i32) -> String {
    if d.is_nan() {
        return "nan".to_owned();
    }
    if d.is_infinite() {
        return if d > 0.0 { "inf" } else { "-inf" }.to_owned();
    }
    if d == 0.0 {
        return if d.is_sign_negative() { "-0" } else { "0" }.to_owned();
    }
    let precision = precision.max(1);
    // An integer with at most `precision` digits prints as itself (the common case of numbers
    // scripts pass as arguments), without the slow exact float formatting.
    if d.fract() == 0.0 && d.abs() < 10f64.powi(precision.min(18)) {
        return (d as i64).to_string();
    }
    let sci = format!("{:.*e}", (precision - 1) as usize, d);
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    if (-4..precision).contains(&exp) {
        let fixed = format!("{:.*}", (precision - 1 - exp) as usize, d);
        strip_fraction_zeros(&fixed).to_owned()
    } else {
        let sign = if exp < 0 { '-' } else { '+' };
        format!("{}e{}{:02}", strip_fraction_zeros(mantissa), sign, exp.abs())
    }
}

/// Formats a score as Redis's `d2string` does (how a listpack stores a sorted set's score):
/// integral values within ±2^62 as plain integers, everything else as [`format_double`].
pub fn d2string(score: f64) -> String {
    const LIMIT: f64 = (i64::MAX / 2) as f64;
    if score != 0.0 && (-LIMIT..=LIMIT).contains(&score) && score.fract() == 0.0 {
        return (score as i64).to_string();
    }
    format_double(score)
}

fn strip_fraction_zeros(s: &str) -> &str {
    if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.') } else { s }
}

/// A tiny integer formatter (no allocation), so the hot path does not go through `fmt`.
mod itoa_buf {
    pub struct Buffer([u8; 20]);

    impl Buffer {
        pub fn new() -> Self {
            Buffer([0; 20])
        }

        pub fn format(&mut self, n: i64) -> &[u8] {
            let mut i = self.0.len();
            let neg = n < 0;
            let mut v = n.unsigned_abs();
            loop {
                i -= 1;
                self.0[i] = b'0' + (v % 10) as u8;
                v /= 10;
                if v == 0 {
                    break;
                }
            }
            if neg {
                // 20 bytes hold i64::MIN's 19 digits and its sign.
                i -= 1;
                self.0[i] = b'-';
            }
            &self.0[i..]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enc(resp3: bool, f: impl FnOnce(&mut Reply)) -> String {
        let mut r = Reply::new(resp3);
        f(&mut r);
        String::from_utf8(r.as_bytes().to_vec()).unwrap()
    }

    #[test]
    fn downgrades_resp3_kinds() {
        let write = |r: &mut Reply| {
            r.map(1);
            r.bulk(b"k");
            r.double(1.5);
            r.boolean(true);
            r.null();
            r.null_array();
            r.set(0);
        };
        assert_eq!(enc(false, write), "*2\r\n$1\r\nk\r\n$3\r\n1.5\r\n:1\r\n$-1\r\n*-1\r\n*0\r\n");
        assert_eq!(enc(true, write), "%1\r\n$1\r\nk\r\n,1.5\r\n#t\r\n_\r\n_\r\n~0\r\n");
    }

    #[test]
    fn big_numbers_and_attributes() {
        let write = |r: &mut Reply| r.big_number(b"12345678901234567890");
        assert_eq!(enc(false, write), "$20\r\n12345678901234567890\r\n");
        assert_eq!(enc(true, write), "(12345678901234567890\r\n");
        let attributed = enc(true, |r| {
            r.attribute(1);
            r.bulk(b"ttl");
            r.int(3);
            r.bulk(b"v");
        });
        assert_eq!(attributed, "|1\r\n$3\r\nttl\r\n:3\r\n$1\r\nv\r\n");
    }

    #[test]
    fn integers_and_errors() {
        let mut r = Reply::new(false);
        r.int(i64::MIN);
        r.int(0);
        r.error("ERR bad\r\nthing");
        assert_eq!(r.as_bytes(), b":-9223372036854775808\r\n:0\r\n-ERR bad  thing\r\n");
        assert_eq!(r.take_errors(), ["ERR"]);
        assert!(!r.has_errors());
    }

    #[test]
    fn format_g_prints_integers_directly_up_to_the_precision() {
        assert_eq!(format_g(60.0, 17), "60");
        assert_eq!(format_g(-1e16, 17), "-10000000000000000");
        assert_eq!(format_g(1e17, 17), "1e+17");
        assert_eq!(format_g(12345.0, 5), "12345");
        assert_eq!(format_g(123456.0, 5), "1.2346e+05");
        assert_eq!(format_g(1e15, 14), "1e+15");
        assert_eq!(format_g(2.5, 17), "2.5");
    }

    #[test]
    fn uncounted_errors_still_fail_the_command() {
        let mut r = Reply::new(false);
        r.error_not_counted(b"ERR from a script");
        assert!(r.has_errors());
        assert!(r.take_errors().is_empty());
        assert!(!r.has_errors());
    }

    #[test]
    fn byte_errors_keep_invalid_utf8() {
        let mut r = Reply::new(false);
        r.error_bytes(b"ERR bad \xff\xc3(\r\nx");
        assert_eq!(r.as_bytes(), b"-ERR bad \xff\xc3(  x\r\n");
        assert_eq!(r.take_errors(), ["ERR"]);
    }

    #[test]
    fn deferred_headers() {
        let s = enc(false, |r| {
            r.int(7);
            let d = r.begin_deferred(Aggregate::Map);
            r.bulk(b"a");
            r.int(1);
            r.end_deferred(d, 1);
        });
        assert_eq!(s, ":7\r\n*2\r\n$1\r\na\r\n:1\r\n");
    }

    #[test]
    fn doubles_like_printf_17g() {
        assert_eq!(format_double(1.5), "1.5");
        assert_eq!(format_double(0.1), "0.10000000000000001");
        assert_eq!(format_double(100.0), "100");
        assert_eq!(format_double(1e17), "1e+17");
        assert_eq!(format_double(1.2345e-5), "1.2345e-05");
        assert_eq!(format_double(1.0 / 3.0), "0.33333333333333331");
        assert_eq!(format_double(0.0001), "0.0001");
        assert_eq!(format_double(-3.0), "-3");
        assert_eq!(format_double(f64::INFINITY), "inf");
        assert_eq!(format_double(f64::NEG_INFINITY), "-inf");
        assert_eq!(format_double(12345678901234567890.0), "1.2345678901234567e+19");
        assert_eq!(format_double(1234567890123456.0), "1234567890123456");
    }
}
