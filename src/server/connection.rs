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

use crate::executor::{BatchOutcome, ClientEvent, ClientId, Executor};
use crate::protocol::{DecodeLimits, ProtocolError, Reply, RequestDecoder};

/// Initial read buffer size (Redis's PROTO_IOBUF_LEN).
const READ_CHUNK: usize = 16 * 1024;

/// Serves one client until it disconnects, is killed, or the server shuts down.
pub async fn serve<S>(
    executor: Rc<RefCell<Executor>>,
    mut stream: S,
    id: ClientId,
    mut events: UnboundedReceiver<ClientEvent>,
    shutdown: Rc<tokio::sync::Notify>,
) where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let mut conn = Connection {
        rbuf: BytesMut::with_capacity(READ_CHUNK),
        decoder: RequestDecoder::new(),
        out: Reply::new(false),
    };
    conn.run(&executor, &mut stream, id, &mut events, &shutdown).await;
    executor.borrow_mut().unregister_client(id);
    let _ = stream.shutdown().await;
}

struct Connection {
    rbuf: BytesMut,
    decoder: RequestDecoder,
    out: Reply,
}

impl Connection {
    async fn run<S>(
        &mut self,
        executor: &Rc<RefCell<Executor>>,
        stream: &mut S,
        id: ClientId,
        events: &mut UnboundedReceiver<ClientEvent>,
        shutdown: &Rc<tokio::sync::Notify>,
    ) where
        S: AsyncRead + AsyncWrite + Unpin,
    {
        loop {
            let idle_timeout = executor.borrow().state().config.timeout;
            if self.rbuf.capacity() - self.rbuf.len() < READ_CHUNK / 2 {
                self.rbuf.reserve(READ_CHUNK);
            }
            let read = tokio::select! {
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
            executor.borrow_mut().state_mut().stats.net_input_bytes += n as u64;

            let (outcome, protocol_error) = self.process_input(executor, id);
            if let Some(err) = &protocol_error {
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
            if executor.borrow().state().shutdown.is_some() {
                shutdown.notify_one();
            }
            if outcome == BatchOutcome::Close || protocol_error.is_some() {
                return;
            }
            let limit = executor.borrow().state().config.client_query_buffer_limit;
            if self.rbuf.len() as u64 > limit {
                tracing::warn!("Closing client that reached max query buffer length (id={id})");
                return;
            }
        }
    }

    /// Decodes and runs every complete request in the read buffer, then drops the consumed
    /// bytes. While the client must still authenticate, requests run one at a time, because the
    /// decoding limits depend on whether AUTH succeeded.
    fn process_input(
        &mut self,
        executor: &Rc<RefCell<Executor>>,
        id: ClientId,
    ) -> (BatchOutcome, Option<ProtocolError>) {
        let mut executor = executor.borrow_mut();
        let mut requests = Vec::new();
        loop {
            let limits = DecodeLimits {
                max_bulk_len: executor.state().config.proto_max_bulk_len,
                auth_required: executor.auth_required(id),
            };
            let mut error = None;
            loop {
                match self.decoder.next(&self.rbuf, limits) {
                    Ok(Some(request)) => {
                        requests.push(request);
                        if limits.auth_required {
                            break;
                        }
                    }
                    Ok(None) => break,
                    Err(e) => {
                        error = Some(e);
                        break;
                    }
                }
            }
            let ran_any = !requests.is_empty();
            let outcome = if ran_any {
                executor.run_batch(id, &self.rbuf, &requests, &mut self.out)
            } else {
                BatchOutcome::Continue
            };
            requests.clear();
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
