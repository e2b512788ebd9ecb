//! One task per connection: read, decode a batch, hand it to the executor, write the replies.
//!
//! The task reaches the executor only through its [`Link`]: one [`Job`] per wake-up (the
//! requests of a read, an output signal, a block timeout), answered by one [`Step`]. The same
//! code therefore serves a connection on the executor's thread and one on an I/O thread. A
//! protocol error is answered after the requests before it ran, then the connection is closed,
//! as Redis does.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use bytes::BytesMut;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::mpsc::UnboundedReceiver;

use super::link::{Job, Link, Settings, Wake};
use crate::executor::BatchOutcome;
use crate::protocol::{Batch, DecodeLimits, ProtocolError, Reply, RequestDecoder};
use crate::state::aof::AofWait;
use crate::state::{ClientEvent, ClientId};
use crate::stats::IoCounters;

/// Initial read buffer size (Redis's PROTO_IOBUF_LEN).
pub const READ_CHUNK: usize = 16 * 1024;
/// An empty buffer holding more than this is given back after use, so a burst (one big value,
/// one big reply) does not pin memory for the connection's life, as Redis's clientsCron
/// shrinks idle query and reply buffers.
const KEEP_CAPACITY: usize = 64 * 1024;
/// The most reply buffer a connection keeps between writes (twice a 128 KB reply).
const KEEP_REPLIES_MAX: usize = 256 * 1024;

/// What a connection task starts from, prepared on the executor's thread when the client was
/// registered.
pub struct Start {
    /// The client's id.
    pub id: ClientId,
    /// Signals from the executor (output waiting, close).
    pub events: UnboundedReceiver<ClientEvent>,
    /// Where the task publishes the bytes of replies it holds unwritten.
    pub in_flight: Arc<AtomicUsize>,
    /// Server-wide counters of written bytes and threaded reads and writes.
    pub counters: Arc<IoCounters>,
    /// Limits for decoding the first requests.
    pub limits: DecodeLimits,
    /// Configuration in force at registration.
    pub settings: Settings,
    /// Whether the task runs on an I/O thread (counted in INFO's `io_threaded_*`).
    pub threaded: bool,
}

/// Serves one client until it disconnects, is killed, or the server shuts down.
pub async fn serve<S, L>(link: L, mut stream: S, start: Start)
where
    S: AsyncRead + AsyncWrite + Unpin,
    L: Link,
{
    let Start { id, mut events, in_flight, counters, limits, settings, threaded } = start;
    let mut conn = Connection {
        id,
        rbuf: BytesMut::with_capacity(READ_CHUNK),
        read_capacity: READ_CHUNK,
        decoder: RequestDecoder::new(),
        requests: Batch::new(),
        out: Reply::new(false),
        output_waiting: false,
        limits,
        settings,
        deferred: 0,
        blocked: None,
        aof_wait: None,
        in_flight,
        counters,
        threaded,
    };
    let peer_closed = conn.run(&link, &mut stream, &mut events).await;
    link.release(id, peer_closed);
    let _ = stream.shutdown().await;
}

struct Connection {
    id: ClientId,
    rbuf: BytesMut,
    /// The read buffer's size as last allocated (CLIENT LIST `qbuf-free`): set where it grows,
    /// shrinks or is given back, not as consumed requests leave its front.
    read_capacity: usize,
    decoder: RequestDecoder,
    /// The requests of the current read; kept to reuse its allocations.
    requests: Batch,
    out: Reply,
    /// The executor signalled output while replies were being written: take it next.
    output_waiting: bool,
    /// What the last step said: decoding limits, configuration, bytes the executor holds for
    /// the client, and its blocking deadline (`None`: not blocked; `Some(None)`: none).
    limits: DecodeLimits,
    settings: Settings,
    deferred: usize,
    blocked: Option<Option<Instant>>,
    /// What the last step's replies wait for before they are written (see [`super::link::Step`]).
    aof_wait: Option<AofWait>,
    in_flight: Arc<AtomicUsize>,
    counters: Arc<IoCounters>,
    threaded: bool,
}

/// What woke the connection task.
enum Input {
    /// This many bytes were read.
    Read(usize),
    /// The executor has output for the client (a served blocking command, pushed messages).
    Output,
    /// The client's blocking command reached its timeout.
    BlockTimeout,
    /// The client sent nothing for a while: its buffers can go.
    BuffersIdle,
}

impl Connection {
    /// Serves the client; returns whether it was the peer that closed the connection.
    async fn run<S, L>(&mut self, link: &L, stream: &mut S, events: &mut UnboundedReceiver<ClientEvent>) -> bool
    where
        S: AsyncRead + AsyncWrite + Unpin,
        L: Link,
    {
        loop {
            // A buffer given back while idle stays empty until input comes: the first read then
            // takes a small chunk, and the buffer grows again from the next one.
            // A big argument on its way gets room for all of it at once, as Redis reads one
            // straight into an object of its size, instead of doubling the buffer as it arrives.
            let big = self.decoder.big_bulk_end().saturating_sub(self.rbuf.len());
            if self.rbuf.capacity() - self.rbuf.len() < big {
                self.rbuf.reserve(big);
                self.read_capacity = self.rbuf.capacity();
            } else if self.rbuf.capacity() != 0 && self.rbuf.capacity() - self.rbuf.len() < READ_CHUNK / 2 {
                self.rbuf.reserve(READ_CHUNK);
                self.read_capacity = self.rbuf.capacity();
            }
            // While blocked (BLPOP…), the client is neither idle nor served by its own input; its
            // timeout is kept here.
            let blocked = self.blocked;
            let input = if std::mem::take(&mut self.output_waiting) {
                Input::Output
            } else {
                tokio::select! {
                // Reading first skips polling the other branches while input keeps coming; a
                // killed client still stops at once, as the executor runs nothing more for it.
                biased;
                read = stream.read_buf(&mut self.rbuf) => match read {
                    Ok(0) => return true,
                    Err(_) => return false,
                    Ok(n) => Input::Read(n),
                },
                event = events.recv() => match event {
                    Some(ClientEvent::Output) => Input::Output,
                    Some(ClientEvent::Close) | None => return false,
                },
                () = block_timer(blocked.flatten()), if matches!(blocked, Some(Some(_))) => Input::BlockTimeout,
                () = idle(self.settings.idle_timeout), if blocked.is_none() => {
                    tracing::debug!("Closing idle client");
                    return false;
                }
                () = buffers_idle(), if self.rbuf.is_empty() && self.rbuf.capacity() != 0 => Input::BuffersIdle,
                }
            };

            let (outcome, protocol_error) = match input {
                Input::Read(n) => self.run_requests(link, n).await,
                Input::Output => (self.job(link, Wake::Output).await, None),
                Input::BlockTimeout => (self.job(link, Wake::BlockTimeout).await, None),
                Input::BuffersIdle => {
                    // Idle clients hold no query buffer (Redis's clientsCron frees it after 2 s).
                    self.rbuf = BytesMut::new();
                    self.read_capacity = 0;
                    self.requests.release_excess();
                    self.decoder.release_excess();
                    (self.job(link, Wake::BuffersIdle).await, None)
                }
            };
            let Some(outcome) = outcome else { return false };
            if outcome == BatchOutcome::Drop {
                return false;
            }
            if let Some(err) = &protocol_error {
                tracing::debug!("Protocol error ({err}) from client id={}", self.id);
                self.out.error(&err.reply_text());
            }
            if !self.out.is_empty() && !self.write_replies(stream, events).await {
                return false;
            }
            if self.rbuf.is_empty() && self.read_capacity > KEEP_CAPACITY {
                self.rbuf = BytesMut::with_capacity(READ_CHUNK);
                self.read_capacity = READ_CHUNK;
                self.requests.release_excess();
                self.decoder.release_excess();
            }
            if outcome == BatchOutcome::Close || protocol_error.is_some() {
                return false;
            }
            if (self.rbuf.len() + self.deferred) as u64 > self.settings.query_buffer_limit {
                tracing::warn!("Closing client that reached max query buffer length (id={})", self.id);
                return false;
            }
        }
    }

    /// Decodes and runs every complete request in the read buffer (the last `read` bytes of
    /// which just arrived), dropping the consumed bytes. While the client must still
    /// authenticate, requests run one at a time, because the decoding limits depend on whether
    /// AUTH succeeded. The outcome is `None` when the executor is gone.
    async fn run_requests<L: Link>(&mut self, link: &L, read: usize) -> (Option<BatchOutcome>, Option<ProtocolError>) {
        if self.threaded {
            IoCounters::add(&self.counters.threaded_reads, 1);
        }
        let mut read = read;
        loop {
            let limits = self.limits;
            let mut error = None;
            loop {
                match self.decoder.next(&self.rbuf, limits, &mut self.requests) {
                    Ok(true) if !limits.auth_required => {}
                    Ok(_) => break,
                    Err(e) => {
                        error = Some(e);
                        break;
                    }
                }
            }
            let ran_any = !self.requests.is_empty();
            let consumed = self.decoder.request_start();
            let bytes = self.rbuf.split_to(consumed).freeze();
            self.decoder.consumed(consumed);
            let outcome = self.job(link, Wake::Read { read: std::mem::take(&mut read), bytes }).await;
            if outcome != Some(BatchOutcome::Continue) || error.is_some() || !ran_any || !limits.auth_required {
                return (outcome, error);
            }
        }
    }

    /// Hands the executor one job and takes in its step; the outcome, `None` when the executor
    /// is gone.
    async fn job<L: Link>(&mut self, link: &L, wake: Wake) -> Option<BatchOutcome> {
        let job = Job {
            wake,
            requests: std::mem::take(&mut self.requests),
            out: std::mem::take(&mut self.out),
            unparsed: self.rbuf.len(),
            read_capacity: self.read_capacity,
        };
        let step = link.run(self.id, job).await?;
        self.out = step.out;
        self.requests = step.requests;
        self.limits = step.limits;
        self.settings = step.settings;
        self.deferred = step.deferred;
        self.blocked = step.blocked;
        // A later step's wait covers an earlier one's (offsets only grow).
        if step.aof_wait.is_some() {
            self.aof_wait = step.aof_wait;
        }
        Some(step.outcome)
    }

    /// Writes the replies in `out`, publishing them as in flight meanwhile (they count toward
    /// the client's output limit); false when the connection is done.
    async fn write_replies<S>(&mut self, stream: &mut S, events: &mut UnboundedReceiver<ClientEvent>) -> bool
    where
        S: AsyncWrite + Unpin,
    {
        // Replies wait until the writes before them are in the AOF (with `appendfsync always`,
        // on disk); other clients are served meanwhile (the executor does not wait).
        if let Some(wait) = self.aof_wait.take() {
            wait.done().await;
        }
        let written = self.out.len();
        self.in_flight.store(written, Ordering::Relaxed);
        match self.write_out(stream, events).await {
            Ok(more) => self.output_waiting |= more,
            Err(()) => return false,
        }
        self.out.clear();
        // Room for twice the last replies is kept (up to a bound), so steady big replies do
        // not reallocate the buffer each time; a burst's is given back at the next write.
        self.out.shrink_to((2 * written).clamp(KEEP_CAPACITY, KEEP_REPLIES_MAX));
        self.in_flight.store(0, Ordering::Relaxed);
        IoCounters::add(&self.counters.output_bytes, written as u64);
        if self.threaded {
            IoCounters::add(&self.counters.threaded_writes, 1);
        }
        true
    }

    /// Writes the replies in `out`. A client that does not read cannot hold the task here: a
    /// close request (CLIENT KILL, an output limit, shutdown) ends the write at once. Returns
    /// whether the executor signalled more output meanwhile; `Err` when the connection is done.
    async fn write_out<S>(&mut self, stream: &mut S, events: &mut UnboundedReceiver<ClientEvent>) -> Result<bool, ()>
    where
        S: AsyncWrite + Unpin,
    {
        let bytes = self.out.as_bytes();
        let (mut pos, mut more) = (0, false);
        while pos < bytes.len() {
            tokio::select! {
                biased;
                written = stream.write(&bytes[pos..]) => match written {
                    Ok(0) | Err(_) => return Err(()),
                    Ok(n) => pos += n,
                },
                event = events.recv() => match event {
                    Some(ClientEvent::Output) => more = true,
                    Some(ClientEvent::Close) | None => return Err(()),
                },
            }
        }
        Ok(more)
    }
}

/// Completes at `deadline` (never, without one).
async fn block_timer(deadline: Option<std::time::Instant>) {
    match deadline {
        Some(at) => tokio::time::sleep_until(at.into()).await,
        None => std::future::pending::<()>().await,
    }
}

/// How long a client sends nothing before its empty query buffer is given back.
const BUFFERS_IDLE: Duration = Duration::from_secs(2);

/// Completes after [`BUFFERS_IDLE`], counted from its first poll (so the clock is only read
/// when the connection has nothing to read).
async fn buffers_idle() {
    tokio::time::sleep(BUFFERS_IDLE).await;
}

/// Completes after `seconds` (never, for 0).
async fn idle(seconds: u64) {
    if seconds == 0 {
        std::future::pending::<()>().await;
    }
    tokio::time::sleep(Duration::from_secs(seconds)).await;
}
