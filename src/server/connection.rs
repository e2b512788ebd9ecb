//! One task per connection: read, decode a batch, hand it to the executor, write the replies.
//!
//! The read buffer is only compacted after the batch ran, because decoded requests are ranges
//! into it. A protocol error is answered after the requests before it ran, then the connection is
//! closed, as Redis does.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use bytes::{Buf, BytesMut};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::mpsc::UnboundedReceiver;

use crate::executor::{BatchOutcome, Executor};
use crate::protocol::{Batch, DecodeLimits, ProtocolError, Reply, RequestDecoder};
use crate::state::{ClientEvent, ClientId};

/// Initial read buffer size (Redis's PROTO_IOBUF_LEN).
const READ_CHUNK: usize = 16 * 1024;
/// An empty buffer holding more than this is given back after use, so a burst (one big value,
/// one big reply) does not pin memory for the connection's life, as Redis's clientsCron
/// shrinks idle query and reply buffers.
const KEEP_CAPACITY: usize = 64 * 1024;

/// Serves one client until it disconnects, is killed, or the server shuts down.
pub async fn serve<S>(
    executor: Rc<RefCell<Executor>>,
    mut stream: S,
    id: ClientId,
    mut events: UnboundedReceiver<ClientEvent>,
) where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let mut conn = Connection {
        rbuf: BytesMut::with_capacity(READ_CHUNK),
        decoder: RequestDecoder::new(),
        batch: Batch::new(),
        out: Reply::new(false),
        output_waiting: false,
    };
    conn.run(&executor, &mut stream, id, &mut events).await;
    executor.borrow_mut().unregister_client(id);
    let _ = stream.shutdown().await;
}

struct Connection {
    rbuf: BytesMut,
    decoder: RequestDecoder,
    /// The requests of the current read; kept to reuse its allocations.
    batch: Batch,
    out: Reply,
    /// The executor signalled output while replies were being written: take it next.
    output_waiting: bool,
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

/// What one read led to, gathered under a single borrow of the executor.
struct Step {
    outcome: BatchOutcome,
    protocol_error: Option<ProtocolError>,
    /// `timeout` for the next wait (CONFIG SET may change it).
    idle_timeout: u64,
    /// The unparsed input exceeds `client-query-buffer-limit`.
    over_limit: bool,
}

impl Connection {
    async fn run<S>(
        &mut self,
        executor: &Rc<RefCell<Executor>>,
        stream: &mut S,
        id: ClientId,
        events: &mut UnboundedReceiver<ClientEvent>,
    ) where
        S: AsyncRead + AsyncWrite + Unpin,
    {
        let mut idle_timeout = executor.borrow().state().config.timeout;
        loop {
            // A buffer given back while idle stays empty until input comes: the first read then
            // takes a small chunk, and the buffer grows again from the next one.
            if self.rbuf.capacity() != 0 && self.rbuf.capacity() - self.rbuf.len() < READ_CHUNK / 2 {
                self.rbuf.reserve(READ_CHUNK);
                // The buffer's allocation changes only here (and when given back below).
                executor.borrow_mut().note_query_buffer_allocation(id, self.rbuf.capacity());
            }
            // While blocked (BLPOP…), the client is neither idle nor served by its own input; its
            // timeout is kept here.
            let blocked = executor.borrow().block_deadline(id);
            let input = if std::mem::take(&mut self.output_waiting) {
                Input::Output
            } else {
                tokio::select! {
                // Reading first skips polling the other branches while input keeps coming; a
                // killed client still stops at once, as the executor runs nothing more for it.
                biased;
                read = stream.read_buf(&mut self.rbuf) => match read {
                    Ok(0) => return super::log_client_closed(&executor.borrow(), id),
                    Err(_) => return,
                    Ok(n) => Input::Read(n),
                },
                event = events.recv() => match event {
                    Some(ClientEvent::Output) => Input::Output,
                    Some(ClientEvent::Close) | None => return,
                },
                () = block_timer(blocked.flatten()), if matches!(blocked, Some(Some(_))) => Input::BlockTimeout,
                () = idle(idle_timeout), if blocked.is_none() => {
                    tracing::debug!("Closing idle client");
                    return;
                }
                () = buffers_idle(), if self.rbuf.is_empty() && self.rbuf.capacity() != 0 => Input::BuffersIdle,
                }
            };

            let step = self.process_input(executor, id, input);
            if step.outcome == BatchOutcome::Drop {
                return;
            }
            idle_timeout = step.idle_timeout;
            if let Some(err) = &step.protocol_error {
                tracing::debug!("Protocol error ({err}) from client id={id}");
                self.out.error(&err.reply_text());
            }
            if !self.out.is_empty() {
                // Replies wait until the writes before them are in the AOF (with `appendfsync
                // always`, on disk); other clients are served meanwhile (the executor does not wait).
                let wait = executor.borrow().aof_wait();
                if let Some((mut durable, target)) = wait {
                    let _ = durable.wait_for(|&on_disk| on_disk >= target).await;
                }
                let written = self.out.len();
                executor.borrow_mut().note_in_flight(id, written);
                match self.write_out(stream, events).await {
                    Ok(more) => self.output_waiting |= more,
                    Err(()) => return,
                }
                self.out.clear();
                self.out.shrink_to(KEEP_CAPACITY);
                let mut executor = executor.borrow_mut();
                executor.note_in_flight(id, 0);
                executor.state_mut().stats.net_output_bytes += written as u64;
            }
            if self.rbuf.is_empty() && self.rbuf.capacity() > KEEP_CAPACITY {
                self.rbuf = BytesMut::with_capacity(READ_CHUNK);
                self.batch.release_excess();
                self.decoder.release_excess();
                executor.borrow_mut().note_query_buffer_allocation(id, READ_CHUNK);
            }
            if step.outcome == BatchOutcome::Close || step.protocol_error.is_some() {
                return;
            }
            if step.over_limit {
                tracing::warn!("Closing client that reached max query buffer length (id={id})");
                return;
            }
        }
    }

    /// Runs what `input` calls for (every complete request after a read; the woken or timed-out
    /// blocking command and what followed it otherwise), and reports what the connection must do
    /// next.
    fn process_input(&mut self, executor: &RefCell<Executor>, id: ClientId, input: Input) -> Step {
        let mut executor = executor.borrow_mut();
        let (outcome, protocol_error) = match input {
            Input::Read(n) => {
                executor.state_mut().stats.net_input_bytes += n as u64;
                self.run_batches(&mut executor, id)
            }
            Input::Output => (executor.resume(id, &mut self.out), None),
            Input::BlockTimeout => (executor.time_out(id, &mut self.out), None),
            Input::BuffersIdle => {
                // Idle clients hold no query buffer (Redis's clientsCron frees it after 2 s).
                self.rbuf = BytesMut::new();
                self.batch.release_excess();
                self.decoder.release_excess();
                executor.note_query_buffer(id, 0);
                executor.note_query_buffer_allocation(id, 0);
                (BatchOutcome::Continue, None)
            }
        };
        let pending = self.rbuf.len() + executor.deferred_bytes(id);
        let state = executor.state();
        Step {
            outcome,
            protocol_error,
            idle_timeout: state.config.timeout,
            over_limit: pending as u64 > state.config.client_query_buffer_limit,
        }
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

    /// Decodes and runs every complete request in the read buffer, then drops the consumed
    /// bytes. While the client must still authenticate, requests run one at a time, because the
    /// decoding limits depend on whether AUTH succeeded.
    fn run_batches(&mut self, executor: &mut Executor, id: ClientId) -> (BatchOutcome, Option<ProtocolError>) {
        loop {
            let limits = DecodeLimits {
                max_bulk_len: executor.state().config.proto_max_bulk_len,
                auth_required: executor.auth_required(id),
            };
            let mut error = None;
            loop {
                match self.decoder.next(&self.rbuf, limits, &mut self.batch) {
                    Ok(true) if !limits.auth_required => {}
                    Ok(_) => break,
                    Err(e) => {
                        error = Some(e);
                        break;
                    }
                }
            }
            let ran_any = !self.batch.is_empty();
            let outcome = if ran_any {
                executor.run_batch(id, &self.rbuf, &self.batch, &mut self.out)
            } else {
                BatchOutcome::Continue
            };
            self.batch.clear();
            let consumed = self.decoder.request_start();
            self.rbuf.advance(consumed);
            self.decoder.consumed(consumed);
            executor.note_query_buffer(id, self.rbuf.len());
            if outcome == BatchOutcome::Close || error.is_some() || !ran_any || !limits.auth_required {
                return (outcome, error);
            }
        }
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
