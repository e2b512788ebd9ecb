//! Incremental request decoder.
//!
//! A request is either a multibulk array of bulk strings (`*2\r\n$3\r\nGET\r\n$1\r\nk\r\n`) or an
//! inline line (`GET k\r\n`). The decoder is resumable: when a large argument arrives over many
//! reads, already-parsed arguments are not parsed again. It never allocates from a length it was
//! only told about: argument vectors grow as arguments actually arrive.
//!
//! Error texts and limits follow Redis 7.0's `processMultibulkBuffer`/`processInlineBuffer`.

use std::borrow::Cow;
use std::ops::Range;

use super::inline::split_args;
use crate::types::number::parse_i64;

/// Longest header line (`*<n>` / `$<n>`) or inline request accepted before a newline arrives.
pub const MAX_INLINE_SIZE: usize = 64 * 1024;
/// Above this many arguments an unauthenticated client is refused (Redis's anti-DoS check).
const UNAUTH_MAX_ARGS: i64 = 10;
/// Above this bulk length an unauthenticated client is refused.
const UNAUTH_MAX_BULK: i64 = 16 * 1024;
/// Arguments pre-reserved for a multibulk request, whatever count it declares.
const MAX_PREALLOC_ARGS: usize = 1024;
/// Bulk arguments from this size on are announced to the caller while they arrive (Redis's
/// `PROTO_MBULK_BIG_ARG`).
const BIG_BULK: usize = 32 * 1024;

/// Limits that depend on configuration and on the client's state.
#[derive(Clone, Copy, Debug)]
pub struct DecodeLimits {
    /// `proto-max-bulk-len`.
    pub max_bulk_len: i64,
    /// Whether the client still has to authenticate (tightens the limits as Redis does).
    pub auth_required: bool,
}

impl Default for DecodeLimits {
    fn default() -> Self {
        DecodeLimits { max_bulk_len: 512 * 1024 * 1024, auth_required: false }
    }
}

/// A protocol violation. The connection answers `-ERR Protocol error: <text>` and closes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProtocolError(pub Cow<'static, str>);

impl ProtocolError {
    fn fixed(text: &'static str) -> Self {
        ProtocolError(Cow::Borrowed(text))
    }

    /// The full error reply text, without the leading `-` and trailing CRLF.
    pub fn reply_text(&self) -> String {
        format!("ERR Protocol error: {}", self.0)
    }
}

impl std::fmt::Display for ProtocolError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Protocol error: {}", self.0)
    }
}

impl std::error::Error for ProtocolError {}

#[derive(Debug, Default)]
enum State {
    /// Between requests.
    #[default]
    Idle,
    /// Inside a multibulk request with `remaining` arguments still to read.
    Multibulk { remaining: usize },
}

/// Resumable decoder over a read buffer that only grows at the end between calls.
///
/// Positions it hands out are offsets into the buffer as it was passed; after the caller drops a
/// prefix of the buffer it must call [`RequestDecoder::consumed`] with that prefix length.
#[derive(Debug, Default)]
pub struct RequestDecoder {
    state: State,
    /// Offset of the next unparsed byte.
    pos: usize,
    /// Offset where the request being parsed began.
    start: usize,
    /// Arguments parsed so far for the current request.
    args: Vec<Range<usize>>,
    /// While a big bulk argument's payload is arriving: the buffer length it needs (else 0).
    big_bulk_end: usize,
}

/// Requests decoded from one read buffer, run as one batch.
///
/// A multibulk request's arguments are ranges into the read buffer, and every request's ranges sit
/// back to back in one vector: once its vectors have grown, decoding a batch allocates nothing.
/// Inline requests (rare: telnet, hand-typed) own their unquoted arguments.
#[derive(Debug, Default)]
pub struct Batch {
    /// Argument ranges of every multibulk request, in order.
    ranges: Vec<Range<usize>>,
    requests: Vec<Request>,
}

/// One request of a [`Batch`].
#[derive(Debug)]
enum Request {
    /// Its arguments are `Batch::ranges[first..end]`.
    Multibulk { first: usize, end: usize },
    /// Arguments of an inline request, already unquoted.
    Inline(Vec<Vec<u8>>),
}

impl Batch {
    /// An empty batch.
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of requests.
    pub fn len(&self) -> usize {
        self.requests.len()
    }

    /// Whether the batch holds no request.
    pub fn is_empty(&self) -> bool {
        self.requests.is_empty()
    }

    /// Forgets every request, keeping the allocations.
    pub fn clear(&mut self) {
        self.ranges.clear();
        self.requests.clear();
    }

    /// Gives back what a burst (a request with 100,000 arguments, a deep pipeline) left
    /// allocated, keeping enough for ordinary batches.
    pub fn release_excess(&mut self) {
        release_excess(&mut self.ranges, KEEP_ARGUMENTS);
        release_excess(&mut self.requests, KEEP_ARGUMENTS);
    }

    /// Each request's arguments, as slices of `buf`, the buffer the batch was decoded from.
    pub fn iter<'a>(&'a self, buf: &'a [u8]) -> impl Iterator<Item = Args<'a>> + 'a {
        self.requests.iter().map(move |request| match request {
            Request::Multibulk { first, end } => Args::Ranges { buf, ranges: self.ranges[*first..*end].iter() },
            Request::Inline(args) => Args::Inline(args.iter()),
        })
    }

    fn push_multibulk(&mut self, args: &[Range<usize>]) {
        let first = self.ranges.len();
        self.ranges.extend_from_slice(args);
        self.requests.push(Request::Multibulk { first, end: self.ranges.len() });
    }
}

/// The arguments of one request of a [`Batch`].
#[derive(Debug, Clone)]
pub enum Args<'a> {
    /// Ranges into the read buffer.
    Ranges {
        /// The read buffer.
        buf: &'a [u8],
        /// The remaining argument ranges.
        ranges: std::slice::Iter<'a, Range<usize>>,
    },
    /// Owned arguments of an inline request.
    Inline(std::slice::Iter<'a, Vec<u8>>),
}

impl<'a> Iterator for Args<'a> {
    type Item = &'a [u8];

    fn next(&mut self) -> Option<&'a [u8]> {
        match self {
            // The decoder only hands out ranges inside the buffer it decoded (fuzzed).
            Args::Ranges { buf, ranges } => ranges.next().map(|r| &buf[r.clone()]),
            Args::Inline(args) => args.next().map(Vec::as_slice),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match self {
            Args::Ranges { ranges, .. } => ranges.size_hint(),
            Args::Inline(args) => args.size_hint(),
        }
    }
}

impl ExactSizeIterator for Args<'_> {}

/// Argument slots a batch or a decoder keeps between bursts.
const KEEP_ARGUMENTS: usize = 1024;

/// Shrinks `v` to `keep` slots when it holds many more (freeing is for bursts, not every batch).
fn release_excess<T>(v: &mut Vec<T>, keep: usize) {
    if v.capacity() > 4 * keep {
        v.shrink_to(keep);
    }
}

/// The offset of the first `end` byte in `bytes`, searching like Redis's `strchr` on its query
/// buffer: a NUL byte stops the search, so a line with a NUL before its end never completes (the
/// client waits, and is refused once the line outgrows [`MAX_INLINE_SIZE`]).
fn find_line_end(bytes: &[u8], end: u8) -> Option<usize> {
    bytes.iter().position(|&b| b == end || b == 0).filter(|&at| bytes[at] == end)
}

impl RequestDecoder {
    /// A decoder at the start of a stream.
    pub fn new() -> Self {
        Self::default()
    }

    /// Gives back the argument list a huge request left allocated (between requests only).
    pub fn release_excess(&mut self) {
        if self.args.is_empty() {
            release_excess(&mut self.args, KEEP_ARGUMENTS);
        }
    }

    /// Offset of the first byte not yet consumed by a complete request.
    pub fn request_start(&self) -> usize {
        self.start
    }

    /// Tells the decoder the caller dropped the first `n` bytes of the buffer (`n` must not exceed
    /// [`RequestDecoder::request_start`]).
    pub fn consumed(&mut self, n: usize) {
        debug_assert!(n <= self.start);
        self.start -= n;
        self.pos -= n;
        self.big_bulk_end = self.big_bulk_end.saturating_sub(n);
        for r in &mut self.args {
            r.start -= n;
            r.end -= n;
        }
    }

    /// The buffer length a big bulk argument being received needs (Redis's
    /// `PROTO_MBULK_BIG_ARG` case), so the caller can make room for it in one step rather than
    /// growing the buffer many times; 0 when no big argument is pending.
    pub fn big_bulk_end(&self) -> usize {
        self.big_bulk_end
    }

    /// Whether a request is partly parsed (some of its bytes are in the buffer).
    pub fn in_request(&self, buf_len: usize) -> bool {
        !matches!(self.state, State::Idle) || self.start < buf_len
    }

    /// Decodes the next complete request from `buf` and appends it to `batch`; returns `Ok(false)`
    /// when more bytes are needed. Empty requests (`*0`, `*-1`, blank inline lines) are skipped.
    ///
    /// The batch's ranges point into `buf`: run and clear it before dropping a prefix of the buffer.
    pub fn next(&mut self, buf: &[u8], limits: DecodeLimits, batch: &mut Batch) -> Result<bool, ProtocolError> {
        loop {
            match self.state {
                State::Idle => {
                    let Some(&first) = buf.get(self.pos) else { return Ok(false) };
                    self.start = self.pos;
                    if first == b'*' {
                        match self.multibulk_header(buf, limits)? {
                            None => return Ok(false),
                            Some(0) => {
                                self.start = self.pos;
                                continue;
                            }
                            Some(n) => {
                                self.args.clear();
                                self.args.reserve(n.min(MAX_PREALLOC_ARGS));
                                self.state = State::Multibulk { remaining: n };
                            }
                        }
                    } else {
                        match self.inline(buf)? {
                            None => return Ok(false),
                            Some(args) if args.is_empty() => {
                                self.start = self.pos;
                                continue;
                            }
                            Some(args) => {
                                self.start = self.pos;
                                batch.requests.push(Request::Inline(args));
                                return Ok(true);
                            }
                        }
                    }
                }
                State::Multibulk { remaining } => {
                    let mut remaining = remaining;
                    while remaining > 0 {
                        match self.bulk(buf, limits)? {
                            None => {
                                self.state = State::Multibulk { remaining };
                                return Ok(false);
                            }
                            Some(r) => {
                                self.args.push(r);
                                remaining -= 1;
                            }
                        }
                    }
                    self.state = State::Idle;
                    self.start = self.pos;
                    batch.push_multibulk(&self.args);
                    self.args.clear();
                    return Ok(true);
                }
            }
        }
    }

    /// Finds the `\r` ending the header line (`*<n>` or `$<n>`) at the current position, once its
    /// `\n` has arrived too; a line longer than [`MAX_INLINE_SIZE`] is refused with `too_big`.
    ///
    /// The length is judged by where the `\r` is, so the answer does not depend on how the bytes
    /// were split over reads (a read ending between `\r` and `\n` only waits for more). A NUL
    /// byte hides the `\r` after it, as Redis's `strchr` does.
    fn header_end(&self, buf: &[u8], too_big: &'static str) -> Result<Option<usize>, ProtocolError> {
        let rest = buf.get(self.pos..).unwrap_or_default();
        match find_line_end(rest, b'\r') {
            None if rest.len() > MAX_INLINE_SIZE => Err(ProtocolError::fixed(too_big)),
            None => Ok(None),
            Some(at) if at > MAX_INLINE_SIZE => Err(ProtocolError::fixed(too_big)),
            Some(at) if at + 1 >= rest.len() => Ok(None),
            Some(at) => Ok(Some(self.pos + at)),
        }
    }

    /// Parses `*<n>\r\n`; returns the count (0 for empty or negative counts).
    fn multibulk_header(&mut self, buf: &[u8], limits: DecodeLimits) -> Result<Option<usize>, ProtocolError> {
        let Some(cr) = self.header_end(buf, "too big mbulk count string")? else { return Ok(None) };
        let n = parse_i64(&buf[self.pos + 1..cr])
            .filter(|&n| n <= i64::from(i32::MAX))
            .ok_or(ProtocolError::fixed("invalid multibulk length"))?;
        if n > UNAUTH_MAX_ARGS && limits.auth_required {
            return Err(ProtocolError::fixed("unauthenticated multibulk length"));
        }
        self.pos = cr + 2;
        Ok(Some(n.max(0) as usize))
    }

    /// Parses one `$<len>\r\n<bytes>\r\n` argument.
    fn bulk(&mut self, buf: &[u8], limits: DecodeLimits) -> Result<Option<Range<usize>>, ProtocolError> {
        let Some(&first) = buf.get(self.pos) else { return Ok(None) };
        let Some(cr) = self.header_end(buf, "too big bulk count string")? else { return Ok(None) };
        if first != b'$' {
            return Err(ProtocolError(Cow::Owned(format!("expected '$', got '{}'", char::from(first)))));
        }
        let len = parse_i64(&buf[self.pos + 1..cr])
            .filter(|&n| n >= 0 && n <= limits.max_bulk_len)
            .ok_or(ProtocolError::fixed("invalid bulk length"))?;
        if len > UNAUTH_MAX_BULK && limits.auth_required {
            return Err(ProtocolError::fixed("unauthenticated bulk length"));
        }
        let len = len as usize;
        let data = cr + 2;
        // The payload and its CRLF must both have arrived; Redis does not check the CRLF bytes.
        if buf.len() < data + len + 2 {
            if len >= BIG_BULK {
                self.big_bulk_end = data + len + 2;
            }
            return Ok(None);
        }
        self.big_bulk_end = 0;
        self.pos = data + len + 2;
        Ok(Some(data..data + len))
    }

    /// Parses an inline request line. `Some(vec![])` for a blank line.
    fn inline(&mut self, buf: &[u8]) -> Result<Option<Vec<Vec<u8>>>, ProtocolError> {
        let rest = &buf[self.pos..];
        let Some(nl) = find_line_end(rest, b'\n') else {
            if rest.len() > MAX_INLINE_SIZE {
                return Err(ProtocolError::fixed("too big inline request"));
            }
            return Ok(None);
        };
        if nl > MAX_INLINE_SIZE {
            return Err(ProtocolError::fixed("too big inline request"));
        }
        let mut line = &rest[..nl];
        if line.last() == Some(&b'\r') {
            line = &line[..line.len() - 1];
        }
        let args = split_args(line).ok_or(ProtocolError::fixed("unbalanced quotes in request"))?;
        self.pos += nl + 1;
        Ok(Some(args))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Owned copies of a batch's arguments.
    fn owned(batch: &Batch, buf: &[u8]) -> Vec<Vec<Vec<u8>>> {
        batch.iter(buf).map(|args| args.map(<[u8]>::to_vec).collect()).collect()
    }

    fn decode_all(input: &[u8]) -> Result<Vec<Vec<Vec<u8>>>, ProtocolError> {
        let mut d = RequestDecoder::new();
        let mut batch = Batch::new();
        while d.next(input, DecodeLimits::default(), &mut batch)? {}
        Ok(owned(&batch, input))
    }

    #[test]
    fn a_big_bulk_announces_the_length_it_needs() {
        let header = b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$40000\r\n";
        let mut input = header.to_vec();
        input.extend(std::iter::repeat_n(b'v', 1000));
        let (mut d, mut batch) = (RequestDecoder::new(), Batch::new());
        assert!(!d.next(&input, DecodeLimits::default(), &mut batch).unwrap());
        assert_eq!(d.big_bulk_end(), header.len() + 40_002);
        // A short bulk announces nothing.
        let mut small = RequestDecoder::new();
        assert!(!small.next(b"*1\r\n$3\r\nab", DecodeLimits::default(), &mut batch).unwrap());
        assert_eq!(small.big_bulk_end(), 0);
        input.extend(std::iter::repeat_n(b'v', 39_000));
        input.extend(b"\r\n");
        assert!(d.next(&input, DecodeLimits::default(), &mut batch).unwrap());
        assert_eq!(d.big_bulk_end(), 0);
    }

    #[test]
    fn multibulk_and_inline_mix() {
        let got = decode_all(b"*2\r\n$3\r\nGET\r\n$1\r\nk\r\nPING\r\n\r\n*0\r\nset a \"b c\"\n").unwrap();
        assert_eq!(
            got,
            vec![
                vec![b"GET".to_vec(), b"k".to_vec()],
                vec![b"PING".to_vec()],
                vec![b"set".to_vec(), b"a".to_vec(), b"b c".to_vec()],
            ]
        );
    }

    #[test]
    fn resumes_byte_by_byte() {
        let input = b"*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nva\r\nl\r\n";
        let mut d = RequestDecoder::new();
        let mut batch = Batch::new();
        for end in 0..input.len() {
            assert!(!d.next(&input[..end], DecodeLimits::default(), &mut batch).unwrap(), "at {end}");
        }
        assert!(d.next(input, DecodeLimits::default(), &mut batch).unwrap());
        assert_eq!(owned(&batch, input), [[&b"SET"[..], b"key", b"va\r\nl"]]);
    }

    #[test]
    fn huge_declared_lengths_do_not_allocate_or_panic() {
        let mut d = RequestDecoder::new();
        assert!(!d.next(b"*2147483647\r\n$3\r\nfoo\r\n", DecodeLimits::default(), &mut Batch::new()).unwrap());
        assert!(d.args.capacity() <= MAX_PREALLOC_ARGS);
        let err = decode_all(b"*2147483648\r\n").unwrap_err();
        assert_eq!(err.0, "invalid multibulk length");
        assert_eq!(decode_all(b"*1\r\n$-5\r\n").unwrap_err().0.as_ref(), "invalid bulk length");
        assert_eq!(decode_all(b"*1\r\n$536870913\r\n").unwrap_err().0.as_ref(), "invalid bulk length");
        assert_eq!(decode_all(b"*1\r\nfoo\r\n").unwrap_err().0.as_ref(), "expected '$', got 'f'");
        assert_eq!(decode_all(b"*x\r\n").unwrap_err().0.as_ref(), "invalid multibulk length");
        assert_eq!(decode_all(b"set \"a\n").unwrap_err().0.as_ref(), "unbalanced quotes in request");
    }

    #[test]
    fn long_lines_without_newline_are_refused() {
        let mut big = vec![b'a'; MAX_INLINE_SIZE + 1];
        assert_eq!(decode_all(&big).unwrap_err().0.as_ref(), "too big inline request");
        big[0] = b'*';
        assert_eq!(decode_all(&big).unwrap_err().0.as_ref(), "too big mbulk count string");
    }

    #[test]
    fn long_header_split_between_cr_and_lf_decodes_as_when_whole() {
        // A header line exactly at the limit, whose read ends between its CR and LF: waiting for
        // the LF must lead where reading it all at once does.
        let mut line = vec![b'*'];
        line.resize(MAX_INLINE_SIZE, b'1');
        line.push(b'\r');
        let mut d = RequestDecoder::new();
        assert_eq!(d.next(&line, DecodeLimits::default(), &mut Batch::new()), Ok(false));
        line.push(b'\n');
        let whole = decode_all(&line).unwrap_err();
        assert_eq!(whole.0.as_ref(), "invalid multibulk length");
        assert_eq!(d.next(&line, DecodeLimits::default(), &mut Batch::new()).unwrap_err(), whole);
    }

    /// Found by the fuzzer: a NUL in an inline line made `split_args` loop forever.
    #[test]
    fn nul_before_a_line_end_waits_like_redis() {
        for input in [&b"SET a\0b c\r\nPING\r\n"[..], b"\0\n", b"*1\0\r\n$4\r\nPING\r\n", b"*1\r\n$4\0\r\nPING\r\n"] {
            assert_eq!(decode_all(input), Ok(vec![]), "{input:?}");
        }
        // In a bulk payload a NUL is data.
        assert_eq!(decode_all(b"*1\r\n$4\r\nPI\0G\r\n").unwrap(), [[b"PI\0G"]]);
        let mut long = b"GET a\0".to_vec();
        long.resize(MAX_INLINE_SIZE + 2, b'x');
        assert_eq!(decode_all(&long).unwrap_err().0.as_ref(), "too big inline request");
    }

    #[test]
    fn unauthenticated_limits() {
        let limits = DecodeLimits { auth_required: true, ..Default::default() };
        let err = |input: &[u8]| RequestDecoder::new().next(input, limits, &mut Batch::new()).unwrap_err().0;
        assert_eq!(err(b"*11\r\n"), "unauthenticated multibulk length");
        assert_eq!(err(b"*1\r\n$16385\r\n"), "unauthenticated bulk length");
    }

    #[test]
    fn consumed_shifts_offsets() {
        let input = b"*1\r\n$4\r\nPING\r\n*2\r\n$3\r\nGET\r\n$1";
        let mut d = RequestDecoder::new();
        let mut batch = Batch::new();
        assert!(d.next(input, DecodeLimits::default(), &mut batch).unwrap());
        assert!(!d.next(input, DecodeLimits::default(), &mut batch).unwrap());
        assert_eq!(owned(&batch, input), [[b"PING"]]);
        batch.clear();
        let cut = d.request_start();
        assert_eq!(cut, 14);
        d.consumed(cut);
        let rest = [&input[cut..], b"\r\nk\r\n"].concat();
        assert!(d.next(&rest, DecodeLimits::default(), &mut batch).unwrap());
        assert_eq!(owned(&batch, &rest), [[&b"GET"[..], b"k"]]);
    }
}
