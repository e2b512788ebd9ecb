//! Reading the commands of an AOF file (untrusted bytes): RESP multibulk arrays, with `#`
//! annotation lines (`#TS:…`) skipped, exactly as leniently and as strictly as Redis's
//! `loadSingleAppendOnlyFile` reads them: a file that ends inside a command is *truncated*
//! (loadable up to its last whole command when `aof-load-truncated` allows), anything else out
//! of place is a *format* error.

use std::io::{BufRead, Read};

/// Why reading stopped before the end of the file.
#[derive(Debug)]
pub enum ReadError {
    /// The file ends inside a command.
    Truncated,
    /// Bytes that are not a command where one must start.
    Format,
    /// The file could not be read.
    Io(std::io::Error),
}

/// Longest line Redis reads in one go for a header or an annotation.
const LINE_MAX: usize = 1024;

/// Reads commands one by one from a buffered source, counting the bytes consumed.
pub struct CommandReader<R> {
    source: R,
    offset: u64,
}

impl<R: BufRead> CommandReader<R> {
    /// Reads from `source`, whose first byte is at file offset `offset`.
    pub fn new(source: R, offset: u64) -> Self {
        CommandReader { source, offset }
    }

    /// File offset just after the last command or annotation read.
    pub fn offset(&self) -> u64 {
        self.offset
    }

    /// The next command; `Ok(None)` at the end of the file.
    pub fn next_command(&mut self) -> Result<Option<Vec<Vec<u8>>>, ReadError> {
        loop {
            let Some(line) = self.line()? else { return Ok(None) };
            match line.first() {
                Some(b'#') => continue,
                Some(b'*') => {}
                _ => return Err(ReadError::Format),
            }
            // A lone `*` at the very end (`fgets` found no line end).
            if line.len() == 1 {
                return Err(ReadError::Truncated);
            }
            let argc = atoi(&line[1..]);
            if argc < 1 {
                return Err(ReadError::Format);
            }
            let mut argv = Vec::with_capacity(usize::try_from(argc).unwrap_or(0).min(1024));
            for _ in 0..argc {
                let header = self.line()?.ok_or(ReadError::Truncated)?;
                if header.first() != Some(&b'$') {
                    return Err(ReadError::Format);
                }
                // Redis's strtol into an unsigned long: a negative length is a huge one.
                let len = u64::try_from(atoi(&header[1..])).unwrap_or(u64::MAX);
                let mut arg = Vec::new();
                let got = (&mut self.source).take(len).read_to_end(&mut arg).map_err(ReadError::Io)?;
                self.offset += got as u64;
                if (got as u64) < len {
                    return Err(ReadError::Truncated);
                }
                // The two bytes after the argument are dropped unchecked, as Redis does.
                let mut crlf = Vec::with_capacity(2);
                let got = (&mut self.source).take(2).read_to_end(&mut crlf).map_err(ReadError::Io)?;
                self.offset += got as u64;
                if got < 2 {
                    return Err(ReadError::Truncated);
                }
                argv.push(arg);
            }
            return Ok(Some(argv));
        }
    }

    /// The next line with its end (at most [`LINE_MAX`] bytes, like `fgets`); `None` at the
    /// end of the file.
    fn line(&mut self) -> Result<Option<Vec<u8>>, ReadError> {
        let mut line = Vec::with_capacity(32);
        let got = (&mut self.source).take(LINE_MAX as u64 - 1).read_until(b'\n', &mut line).map_err(ReadError::Io)?;
        self.offset += got as u64;
        if got == 0 {
            return Ok(None);
        }
        Ok(Some(line))
    }
}

/// C's `atoi`: optional spaces and sign, then digits; 0 when there are none; saturating.
fn atoi(text: &[u8]) -> i64 {
    let text = text.trim_ascii_start();
    let (negative, digits) = match text.first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let mut n: i64 = 0;
    for &d in digits.iter().take_while(|d| d.is_ascii_digit()) {
        n = n.saturating_mul(10).saturating_add(i64::from(d - b'0'));
    }
    if negative { -n } else { n }
}

/// Every command of an AOF held in memory, and how reading ended (`None`: at the end). Used by
/// the fuzz target and tests.
pub fn read_all(bytes: &[u8]) -> (Vec<Vec<Vec<u8>>>, Option<ReadError>) {
    let mut reader = CommandReader::new(bytes, 0);
    let mut commands = Vec::new();
    loop {
        match reader.next_command() {
            Ok(Some(argv)) => commands.push(argv),
            Ok(None) => return (commands, None),
            Err(e) => return (commands, Some(e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_and_annotations() {
        let text = b"#TS:1700000000\r\n*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$3\r\nv\r\n\r\n";
        let (commands, end) = read_all(text);
        assert!(end.is_none());
        assert_eq!(
            commands,
            [vec![b"SELECT".to_vec(), b"0".to_vec()], vec![b"SET".to_vec(), b"k".to_vec(), b"v\r\n".to_vec()]]
        );
    }

    #[test]
    fn truncation_and_format_errors() {
        let whole = b"*1\r\n$4\r\nPING\r\n".as_slice();
        for cut in 1..whole.len() {
            let (commands, end) = read_all(&whole[..cut]);
            assert!(commands.is_empty());
            assert!(matches!(end, Some(ReadError::Truncated)), "cut at {cut}: {end:?}");
        }
        let mut reader = CommandReader::new(whole, 0);
        assert!(reader.next_command().expect("whole").is_some());
        assert_eq!(reader.offset(), whole.len() as u64);
        for bad in [&b"PING\r\n"[..], b"*0\r\n", b"*1\r\nPING\r\n", b"*-1\r\n", b"*\n"] {
            assert!(matches!(read_all(bad).1, Some(ReadError::Format)), "{bad:?}");
        }
        // A huge stated length is a truncation, never an allocation.
        assert!(matches!(read_all(b"*1\r\n$99999999999999\r\nab").1, Some(ReadError::Truncated)));
        assert!(matches!(read_all(b"*1\r\n$-1\r\nab").1, Some(ReadError::Truncated)));
    }
}
