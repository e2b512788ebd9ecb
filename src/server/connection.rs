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

use super::Signals;
use crate::executor::{BatchOutcome, ClientEvent, ClientId, Executor};
use crate::protocol::{Batch, DecodeLimits, ProtocolError, Reply, RequestDecoder};

/// Initial read buffer size (Redis's PROTO_IOBUF_LEN).
const READ_CHUNK: usize = 16 * 1024;

/// Serves one client until it disconnects, is killed, or the server shuts down.
pub async fn serve<S>(
    executor: Rc<RefCell<Executor>>,
    mut stream: S,
    id: ClientId,
    mut events: UnboundedReceiver<ClientEvent>,
    signals: Rc<Signals>,
) where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let mut conn = Connection {
        rbuf: BytesMut::with_capacity(READ_CHUNK),
        decoder: RequestDecoder::new(),
        batch: Batch::new(),
        out: Reply::new(false),
    };
    conn.run(&executor, &mut stream, id, &mut events, &signals).await;
    executor.borrow_mut().unregister_client(id);
    let _ = stream.shutdown().await;
}

struct Connection {
    rbuf: BytesMut,
    decoder: RequestDecoder,
    /// The requests of the current read; kept to reuse its allocations.
    batch: Batch,
    out: Reply,
}

/// What one read led to, gathered under a single borrow of the executor.
struct Step {
    outcome: BatchOutcome,
    protocol_error: Option<ProtocolError>,
    /// `timeout` for the next wait (CONFIG SET may change it).
    idle_timeout: u64,
    /// The unparsed input exceeds `client-query-buffer-limit`.
    over_limit: bool,
    /// SHUTDOWN ran.
    shutdown: bool,
    /// CONFIG SET opened new listeners.
    rebind: bool,
}

impl Connection {
    async fn run<S>(
        &mut self,
        executor: &Rc<RefCell<Executor>>,
        stream: &mut S,
        id: ClientId,
        events: &mut UnboundedReceiver<ClientEvent>,
        signals: &Signals,
    ) where
        S: AsyncRead + AsyncWrite + Unpin,
    {
        let mut idle_timeout = executor.borrow().state().config.timeout;
        loop {
            if self.rbuf.capacity() - self.rbuf.len() < READ_CHUNK / 2 {
                self.rbuf.reserve(READ_CHUNK);
            }
            let read = tokio::select! {
                // Reading first skips polling the other branches while input keeps coming; a
                // killed client still stops at once, as the executor runs nothing more for it.
                biased;
                read = stream.read_buf(&mut self.rbuf) => read,
                event = events.recv() => match event {
                    Some(ClientEvent::Close) | None => return,
                },
                () = idle(idle_timeout) => {
                    tracing::debug!("Closing idle client");
                    return;
                }
            };
            let n = match read {
                Ok(0) | Err(_) => return,
                Ok(n) => n,
            };

            let step = self.process_input(executor, id, n);
            idle_timeout = step.idle_timeout;
            if let Some(err) = &step.protocol_error {
                tracing::debug!("Protocol error ({err}) from client id={id}");
                self.out.error(&err.reply_text());
            }
            if !self.out.is_empty() {
                let written = self.out.len();
                if stream.write_all(self.out.as_bytes()).await.is_err() {
                    return;
                }
                self.out.clear();
                executor.borrow_mut().state_mut().stats.net_output_bytes += written as u64;
            }
            if step.shutdown {
                signals.shutdown.notify_one();
            }
            if step.rebind {
                signals.rebind.notify_one();
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

    /// Accounts for `read` new bytes, runs every complete request in the read buffer, and reports
    /// what the connection must do next.
    fn process_input(&mut self, executor: &RefCell<Executor>, id: ClientId, read: usize) -> Step {
        let mut executor = executor.borrow_mut();
        executor.state_mut().stats.net_input_bytes += read as u64;
        let (outcome, protocol_error) = self.run_batches(&mut executor, id);
        let state = executor.state();
        Step {
            outcome,
            protocol_error,
            idle_timeout: state.config.timeout,
            over_limit: self.rbuf.len() as u64 > state.config.client_query_buffer_limit,
            shutdown: state.shutdown.is_some(),
            rebind: state.new_listeners.is_some(),
        }
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
            executor.note_buffers(id, self.rbuf.len(), self.out.len());
            if outcome == BatchOutcome::Close || error.is_some() || !ran_any || !limits.auth_required {
                return (outcome, error);
            }
        }
    }
}

/// Completes after `seconds` (never, for 0).
async fn idle(seconds: u64) {
    if seconds == 0 {
        std::future::pending::<()>().await;
    }
    tokio::time::sleep(Duration::from_secs(seconds)).await;
}
